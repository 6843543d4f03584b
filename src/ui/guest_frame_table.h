// Decoding the guest kernel's frame descriptors (struct page in src/guestos/kernel/mm/mm.h, whose
// first 8 bytes are ABI for the emulator: kind, order, refcount, slab object size, owner pid; and,
// in descriptors of 12 bytes or more, zone, LRU list and mapping flags) into what the window
// shows. Values a buggy guest may leave there are clamped, never trusted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ui/frame_kind.h"
#include "ui/ui_model.h"

namespace pc386 {

// The leading, ABI part of one guest frame descriptor.
struct GuestFrameRecord {
    uint8_t kind = 0;   // enum page_kind
    uint8_t order = 0;  // buddy order of the block the frame belongs to
    uint16_t refcount = 0;
    uint16_t slab_size = 0;  // object size of a kmalloc slab page
    uint16_t owner_pid = 0;
};
static_assert(sizeof(GuestFrameRecord) == 8);

// Bytes 8..11 of a descriptor of 12 bytes or more.
struct GuestFrameVmRecord {
    uint8_t zone = 0;  // 0 DMA, 1 Normal, 2 HighMem
    uint8_t lru = 0;   // 0 none, 1 active, 2 inactive_dirty, 3 inactive_clean
    uint16_t map_flags = 0;
};
static_assert(sizeof(GuestFrameVmRecord) == 4);

// "HighMem, inactive_dirty, kmap": the zone, list and mappings of a frame as text ("?" for values
// this build does not know).
std::string describe_guest_frame_vm(const FrameDetail& detail);

// The guest's page kinds (enum page_kind); other values show as Unknown.
enum GuestPageKind : uint8_t {
    kGuestFree = 0,
    kGuestReserved = 1,
    kGuestKernel = 2,
    kGuestPageTable = 3,
    kGuestSlab = 4,
    kGuestUser = 5,  // refcount > 1: shared copy-on-write
    kGuestSwapCache = 6,
};

FrameInfo classify_guest_frame(const GuestFrameRecord& record);

// Decodes `count` descriptors laid out `stride` bytes apart in `table` (which must hold
// count * stride bytes; stride >= 8) into frames and their details.
void decode_guest_frames(const uint8_t* table, size_t stride, uint32_t count, std::vector<FrameInfo>& frames,
                         std::vector<FrameDetail>& details);

}  // namespace pc386
