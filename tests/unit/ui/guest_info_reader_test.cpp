// The guest's descriptor is guest memory: these tests build a valid one in a fake RAM, then break
// it the ways a buggy kernel could, and expect a clean rejection every time.
#include "ui/guest_info_reader.h"

#include <gtest/gtest.h>

#include <cstring>

#include "ui/guest_frame_table.h"

namespace pc386 {
namespace {

constexpr uint32_t kRam = 1 << 20;  // 256 frames
constexpr uint32_t kInfo = 0x1000, kTable = 0x2000, kProcs = 0x8000, kCounters = 0x9000, kLayout = 0xA000,
                   kKmapSlots = 0xA100, kVmAreas = 0xA200;
constexpr uint32_t kFrameSize = 40;

struct Fixture {
    std::vector<uint8_t> ram = std::vector<uint8_t>(kRam);
    VectorMemoryView memory{ram};

    void put32(uint32_t at, uint32_t v) { std::memcpy(&ram[at], &v, 4); }
    // The descriptor's fields, in order (see guest_info_reader.cpp).
    enum Field {
        Magic,
        Version,
        FrameTable,
        FrameCount,
        FrameSize,
        Procs,
        ProcCount,
        ProcSize,
        CurrentPid,
        Counters,
        CounterCount,
        Layout,
        SwapMap,
        SwapSlotCount,
        FrameSwapSlot
    };
    void field(Field f, uint32_t v) { put32(kInfo + 4 * f, v); }

    Fixture() {
        field(Magic, 0x36383350);
        field(Version, 1);
        field(FrameTable, kTable);
        field(FrameCount, kRam >> 12);
        field(FrameSize, kFrameSize);
        field(Procs, kProcs);
        field(ProcCount, 3);
        field(ProcSize, 36);
        field(CurrentPid, 7);
        field(Counters, kCounters);
        field(CounterCount, 2);
        for (uint32_t f = 0; f < (kRam >> 12); ++f) {
            GuestFrameRecord r{kGuestFree, 0, 0, 0, 0};
            if (f < 16) r = {kGuestReserved, 0, 0, 0, 0};
            if (f == 20) r = {kGuestSlab, 0, 1, 64, 0};
            if (f == 21) r = {kGuestUser, 0, 2, 0, 7};
            std::memcpy(&ram[kTable + f * kFrameSize], &r, sizeof r);
        }
        proc(0, 1, 3, 0x5000, "init");
        proc(2, 7, 1, 0x6000, "cowtest");  // slot 1 is free
        counter(0, "cow copies", 12);
        counter(1, "swap outs", 3);
    }
    void proc(uint32_t slot, uint32_t pid, uint32_t state, uint32_t cr3, const char* name) {
        uint32_t at = kProcs + slot * 36;
        put32(at, pid);
        put32(at + 4, state);
        put32(at + 8, cr3);
        put32(at + 12, 10 * pid);
        put32(at + 16, pid);
        std::strncpy(reinterpret_cast<char*>(&ram[at + 20]), name, 16);
    }
    void counter(uint32_t i, const char* name, uint32_t value) {
        uint32_t at = kCounters + i * 28;
        std::strncpy(reinterpret_cast<char*>(&ram[at]), name, 24);
        put32(at + 24, value);
    }
    GuestInfoReadResult read() const { return read_guest_info(memory, kInfo); }
};

TEST(GuestInfoReader, GivenAValidDescriptor_ThenFramesProcessesAndCountersAreRead) {
    Fixture f;
    GuestInfoReadResult r = f.read();
    ASSERT_TRUE(r.ok) << r.error;
    ASSERT_EQ(r.frames.size(), 256u);
    EXPECT_EQ(r.frames[0].kind, FrameKind::Reserved);
    EXPECT_EQ(r.frames[20], (FrameInfo{FrameKind::Slab, 64}));
    EXPECT_EQ(r.frames[21], (FrameInfo{FrameKind::UserShared, 2}));
    EXPECT_EQ(r.details[21].owner_pid, 7);
    EXPECT_EQ(r.frames[255].kind, FrameKind::Free);
    ASSERT_EQ(r.processes.size(), 2u);
    EXPECT_EQ(r.processes[0].name, "init");
    EXPECT_EQ(r.processes[0].state, "sleep");
    EXPECT_FALSE(r.processes[0].current);
    EXPECT_EQ(r.processes[1].pid, 7u);
    EXPECT_EQ(r.processes[1].cr3, 0x6000u);
    EXPECT_EQ(r.processes[1].rss_pages, 70u);
    EXPECT_TRUE(r.processes[1].current);
    ASSERT_EQ(r.counters.size(), 2u);
    EXPECT_EQ(r.counters[0].name, "cow copies");
    EXPECT_EQ(r.counters[0].value, 12u);
}

// A kernel with HighMem from frame 200: two persistent kmap slots (one in use), one atomic slot,
// two vmalloc areas and an unused third entry that ends the table.
void publish_layout(Fixture& f) {
    f.field(Fixture::Layout, kLayout);
    const uint32_t layout[12] = {0xC0000000, 0xC00C8000, 200, 0xF8800000, 0xFF800000, 0xFFC00000,
                                 2,          0xFFFFE000, 1,   kKmapSlots, kVmAreas,   3};
    for (uint32_t i = 0; i < 12; ++i) f.put32(kLayout + 4 * i, layout[i]);
    const uint32_t slots[6] = {210, 1, 220, 0, 230, 1};
    for (uint32_t i = 0; i < 6; ++i) f.put32(kKmapSlots + 4 * i, slots[i]);
    const uint32_t areas[6] = {0xF8800000, 0x2000, 0xF8803000, 0x5000, 0, 0};
    for (uint32_t i = 0; i < 6; ++i) f.put32(kVmAreas + 4 * i, areas[i]);
}

TEST(GuestInfoReader, GivenAPublishedLayout_ThenTheKmapSlotsAndVmallocAreasAreRead) {
    Fixture f;
    EXPECT_FALSE(f.read().layout.present);  // an older kernel: no layout, no complaint
    publish_layout(f);
    GuestInfoReadResult r = f.read();
    ASSERT_TRUE(r.ok) << r.error;
    const GuestKernelLayout& l = r.layout;
    ASSERT_TRUE(l.present);
    EXPECT_EQ(l.lowmem_end, 0xC00C8000u);
    EXPECT_EQ(l.highmem_start_pfn, 200u);
    EXPECT_EQ(l.vmalloc_start, 0xF8800000u);
    ASSERT_EQ(l.kmap_slots.size(), 3u);
    EXPECT_EQ(l.kmap_slots[0].address, 0xFFC00000u);
    EXPECT_EQ(l.kmap_slots[0].pfn, 210u);
    EXPECT_EQ(l.kmap_slots[1].address, 0xFFC01000u);
    EXPECT_EQ(l.kmap_slots[1].users, 0u);
    EXPECT_TRUE(l.kmap_slots[2].atomic);
    EXPECT_EQ(l.kmap_slots[2].address, 0xFFFFE000u);
    ASSERT_EQ(l.vm_areas.size(), 2u);
    EXPECT_EQ(l.vm_areas[1].start, 0xF8803000u);
    EXPECT_EQ(l.vm_areas[1].size, 0x5000u);
}

TEST(GuestInfoReader, GivenAHostileLayout_ThenItIsRejected) {
    Fixture f;
    publish_layout(f);
    f.put32(kLayout + 4 * 6, 0xFFFFFFFF);  // pkmap_count: would wrap the slot count
    EXPECT_FALSE(f.read().ok);
    publish_layout(f);
    f.put32(kLayout + 4 * 9, kRam - 8);  // kmap slots running past RAM
    EXPECT_FALSE(f.read().ok);
    publish_layout(f);
    f.put32(kLayout + 4 * 11, 1u << 20);  // a million vmalloc areas
    EXPECT_FALSE(f.read().ok);
    f.field(Fixture::Layout, kRam);
    EXPECT_FALSE(f.read().ok);
}

// The swap map: per-slot reference counts, and the swap cache's links read from the frame table's
// swap-cache frames at the offset the guest gives.
constexpr uint32_t kSwapMap = 0xA800;  // clear of the layout's tables at 0xA000-0xA2FF

void with_swap(Fixture& f) {
    f.field(Fixture::SwapMap, kSwapMap);
    f.field(Fixture::SwapSlotCount, 64);
    f.field(Fixture::FrameSwapSlot, 36);
    const uint16_t refs[] = {0, 1, 2, 0, 1};
    std::memcpy(&f.ram[kSwapMap], refs, sizeof refs);
    GuestFrameRecord cached{kGuestSwapCache, 0, 2, 0, 7};
    std::memcpy(&f.ram[kTable + 30 * kFrameSize], &cached, sizeof cached);
    f.put32(kTable + 30 * kFrameSize + 36, 4);  // frame 30 caches slot 4
}

TEST(GuestInfoReader, GivenASwapMap_ThenSlotCountsAndCacheLinksAreRead) {
    Fixture f;
    with_swap(f);
    GuestInfoReadResult r = f.read();
    ASSERT_TRUE(r.ok) << r.error;
    ASSERT_EQ(r.swap.refs.size(), 64u);
    EXPECT_EQ(r.swap.refs[1], 1);
    EXPECT_EQ(r.swap.refs[2], 2);
    EXPECT_EQ(r.swap.refs[63], 0);
    ASSERT_EQ(r.swap.cached.size(), 1u);
    EXPECT_EQ(r.swap.cached[0], (SwapView::CacheLink{4, 30}));
}

TEST(GuestInfoReader, GivenNoSwapArea_ThenTheSwapMapIsEmpty) {
    Fixture f;
    GuestInfoReadResult r = f.read();
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_TRUE(r.swap.refs.empty());
}

TEST(GuestInfoReader, GivenABrokenSwapMap_ThenTheDescriptorIsRejectedWithTheReason) {
    Fixture f;
    with_swap(f);
    f.field(Fixture::SwapMap, kRam - 64);  // 128 bytes of counts past the end of RAM
    EXPECT_NE(f.read().error.find("swap map"), std::string::npos);
    with_swap(f);
    f.field(Fixture::SwapSlotCount, 0xFFFFFFFF);
    EXPECT_NE(f.read().error.find("swap slot count"), std::string::npos);
    with_swap(f);
    f.field(Fixture::FrameSwapSlot, kFrameSize - 2);  // a slot that straddles the next descriptor
    EXPECT_NE(f.read().error.find("frame swap slot offset"), std::string::npos);
}

TEST(GuestInfoReader, GivenADescriptorAddressOutsideRam_ThenItIsRejected) {
    Fixture f;
    EXPECT_FALSE(read_guest_info(f.memory, 0xFFFFFFF0).ok);
    EXPECT_FALSE(read_guest_info(f.memory, kRam - 8).ok);
}

TEST(GuestInfoReader, GivenABadMagicOrVersion_ThenItIsRejectedWithTheReason) {
    Fixture f;
    f.field(Fixture::Magic, 0xDEADBEEF);
    GuestInfoReadResult r = f.read();
    EXPECT_FALSE(r.ok);
    EXPECT_NE(r.error.find("magic"), std::string::npos);
    Fixture g;
    g.field(Fixture::Version, 99);
    EXPECT_FALSE(g.read().ok);
}

TEST(GuestInfoReader, GivenAFrameCountLargerThanRam_ThenItIsRejectedNotAllocated) {
    Fixture f;
    f.field(Fixture::FrameCount, 0xFFFFFFFF);
    EXPECT_FALSE(f.read().ok);
    f.field(Fixture::FrameCount, 257);
    EXPECT_FALSE(f.read().ok);
    f.field(Fixture::FrameCount, 0);
    EXPECT_FALSE(f.read().ok);
}

TEST(GuestInfoReader, GivenAFrameTableThatRunsPastRamOrWraps_ThenItIsRejected) {
    Fixture f;
    f.field(Fixture::FrameTable, kRam - 100);
    EXPECT_FALSE(f.read().ok);
    f.field(Fixture::FrameTable, 0xFFFFF000);  // would wrap around 4 GiB in 32-bit arithmetic
    EXPECT_FALSE(f.read().ok);
    Fixture g;
    g.field(Fixture::FrameSize, 0x10000000);  // count * size overflows 32 bits
    EXPECT_FALSE(g.read().ok);
    g.field(Fixture::FrameSize, 4);  // smaller than the ABI record
    EXPECT_FALSE(g.read().ok);
}

TEST(GuestInfoReader, GivenAHostileProcessTable_ThenItIsRejected) {
    Fixture f;
    f.field(Fixture::ProcCount, 0xFFFFFFFF);
    EXPECT_FALSE(f.read().ok);
    Fixture g;
    g.field(Fixture::Procs, kRam - 36);
    EXPECT_FALSE(g.read().ok);
    Fixture h;
    h.field(Fixture::ProcSize, 8);
    EXPECT_FALSE(h.read().ok);
}

TEST(GuestInfoReader, GivenNamesWithoutTerminatorOrWithControlBytes_ThenTheyAreCutAndSanitised) {
    Fixture f;
    uint32_t name_at = kProcs + 20;
    std::memset(&f.ram[name_at], 'x', 16);  // no NUL
    f.ram[name_at] = 0x1B;                  // ESC
    GuestInfoReadResult r = f.read();
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.processes[0].name, "?" + std::string(15, 'x'));
}

TEST(GuestInfoReader, GivenTooManyOrMisplacedCounters_ThenItIsRejected) {
    Fixture f;
    f.field(Fixture::CounterCount, 100000);
    EXPECT_FALSE(f.read().ok);
    Fixture g;
    g.field(Fixture::Counters, 0xFFFFFFF0);
    EXPECT_FALSE(g.read().ok);
}

TEST(GuestInfoReader, GivenNoProcessesAndNoCounters_ThenTheFrameTableAloneIsEnough) {
    Fixture f;
    f.field(Fixture::ProcCount, 0);
    f.field(Fixture::CounterCount, 0);
    f.field(Fixture::Procs, 0xFFFFFFFF);  // ignored when the count is 0
    GuestInfoReadResult r = f.read();
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_TRUE(r.processes.empty());
    EXPECT_TRUE(r.counters.empty());
}

}  // namespace
}  // namespace pc386
