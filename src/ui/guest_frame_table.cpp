#include "ui/guest_frame_table.h"

#include <algorithm>
#include <cstring>

namespace pc386 {

FrameInfo classify_guest_frame(const GuestFrameRecord& r) {
    switch (r.kind) {
        case kGuestFree: return {FrameKind::Free, r.order};
        case kGuestReserved: return {FrameKind::Reserved, 0};
        case kGuestKernel: return {FrameKind::Kernel, 0};
        case kGuestPageTable: return {FrameKind::PageTable, 0};
        case kGuestSlab: return {FrameKind::Slab, r.slab_size};
        case kGuestUser:
            return r.refcount > 1 ? FrameInfo{FrameKind::UserShared, r.refcount}
                                  : FrameInfo{FrameKind::UserAnon, 0};
        case kGuestSwapCache: return {FrameKind::SwapCache, 0};
        default: return {FrameKind::Unknown, r.kind};
    }
}

void decode_guest_frames(const uint8_t* table, size_t stride, uint32_t count, std::vector<FrameInfo>& frames,
                         std::vector<FrameDetail>& details) {
    frames.resize(count);
    details.resize(count);
    if (stride < sizeof(GuestFrameRecord)) {
        std::fill(frames.begin(), frames.end(), FrameInfo{});
        std::fill(details.begin(), details.end(), FrameDetail{});
        return;
    }
    for (uint32_t i = 0; i < count; ++i) {
        GuestFrameRecord record;
        std::memcpy(&record, table + size_t(i) * stride, sizeof record);
        frames[i] = classify_guest_frame(record);
        details[i] = {record.refcount, record.owner_pid};
    }
}

}  // namespace pc386
