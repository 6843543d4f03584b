#include "ui/guest_frame_table.h"

#include <algorithm>
#include <cstring>
#include <iterator>

#include "guestos/abi/guest_info.h"

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
    const bool has_vm = stride >= sizeof(GuestFrameRecord) + sizeof(GuestFrameVmRecord);
    for (uint32_t i = 0; i < count; ++i) {
        GuestFrameRecord record;
        std::memcpy(&record, table + size_t(i) * stride, sizeof record);
        frames[i] = classify_guest_frame(record);
        details[i] = {record.refcount, record.owner_pid};
        if (has_vm) {
            GuestFrameVmRecord vm;
            std::memcpy(&vm, table + size_t(i) * stride + sizeof record, sizeof vm);
            details[i].zone = vm.zone;
            details[i].lru = vm.lru;
            details[i].map_flags = vm.map_flags;
            details[i].has_vm = true;
        }
    }
}

std::string describe_guest_frame_vm(const FrameDetail& d) {
    static const char* const zones[] = {"DMA", "Normal", "HighMem"};
    static const char* const lists[] = {"on no LRU list", "active", "inactive_dirty", "inactive_clean"};
    std::string text = d.zone < std::size(zones) ? zones[d.zone] : "zone ?";
    text += ", ";
    text += d.lru < std::size(lists) ? lists[d.lru] : "LRU list ?";
    if (d.map_flags & GUEST_FRAME_KMAP) text += ", kmap";
    if (d.map_flags & GUEST_FRAME_KMAP_ATOMIC) text += ", kmap_atomic";
    if (d.map_flags & GUEST_FRAME_VMALLOC) text += ", vmalloc";
    return text;
}

}  // namespace pc386
