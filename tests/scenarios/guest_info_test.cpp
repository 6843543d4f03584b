// The guest OS and the emulator agree on guest_info.h and the VGA console: boot the built
// guestos.img on the emulated PC to the shell prompt, read the descriptor the kernel published
// through port 0xEA with the debug window's own reader, and check that it describes what the
// kernel is doing; the screen shows the console.
#include "guestos/abi/guest_info.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "devices/vga_text.h"
#include "machine/machine.h"
#include "mmu/physical_bus.h"
#include "ui/bus_memory_view.h"
#include "ui/guest_info_reader.h"

namespace pc386 {
namespace {

struct BootedGuest {
    Machine machine;
    std::string output;

    static MachineConfig config(uint32_t mem_mb) {
        MachineConfig c;
        c.mem_mb = mem_mb;
        c.bios_path = PC386_BINARY_DIR "/bios.bin";
        c.hda.path = PC386_BINARY_DIR "/guestos.img";
        c.hda.snapshot = true;
        c.serial = CharTarget{CharTarget::Kind::None, {}};
        return c;
    }
    explicit BootedGuest(uint32_t mem_mb = 8) : machine(config(mem_mb)) {
        machine.add_serial_listener([this](uint8_t b) { output += char(b); });
    }
    // Runs until the guest has printed `text` after position `from`; false after ~1e9 instructions.
    bool run_until(const std::string& text, size_t from = 0) {
        for (int i = 0; i < 1000; ++i) {
            if (output.find(text, from) != std::string::npos) return true;
            machine.run_for(1'000'000);
        }
        return false;
    }
    GuestInfoReadResult read() {
        BusMemoryView view(machine.bus());
        return read_guest_info(view, machine.guest_info_address());
    }
};

uint64_t counter(const GuestInfoReadResult& r, const std::string& name) {
    for (const auto& c : r.counters)
        if (c.name == name) return c.value;
    ADD_FAILURE() << "no counter " << name;
    return 0;
}

TEST(BootedGuestOs, GivenTheGuestAtItsShellPrompt_ThenTheWindowReadsItsFramesProcessesAndCounters) {
    BootedGuest guest;
    ASSERT_TRUE(guest.run_until("$ ")) << guest.output;
    // The kernel refreshes what it publishes every 5 timer ticks (50 ms): let a few pass, so that
    // the shell that printed the prompt is in the table whatever the slice boundaries were.
    for (int i = 0; i < 8; ++i) guest.machine.run_for(1'000'000);
    ASSERT_NE(guest.machine.guest_info_address(), 0u) << "the kernel did not publish its descriptor";
    GuestInfoReadResult r = guest.read();
    ASSERT_TRUE(r.ok) << r.error;

    ASSERT_EQ(r.frames.size(), 2048u);  // 8 MiB
    EXPECT_EQ(r.frames[0].kind, FrameKind::Reserved);
    EXPECT_EQ(r.frames[0x100].kind, FrameKind::Kernel);  // the kernel image at 1 MiB
    auto count = [&](FrameKind k) {
        return std::count_if(r.frames.begin(), r.frames.end(), [&](auto& f) { return f.kind == k; });
    };
    EXPECT_GT(count(FrameKind::Free), 1000);
    EXPECT_GT(count(FrameKind::PageTable), 2);
    EXPECT_GT(count(FrameKind::Slab), 0);
    EXPECT_GT(count(FrameKind::UserAnon) + count(FrameKind::UserShared), 0);

    auto process = [&](const std::string& name) {
        return std::find_if(r.processes.begin(), r.processes.end(), [&](auto& p) { return p.name == name; });
    };
    ASSERT_NE(process("init"), r.processes.end());
    EXPECT_EQ(process("init")->pid, 1u);
    ASSERT_NE(process("sh"), r.processes.end());
    EXPECT_GT(process("sh")->rss_pages, 0u);
    EXPECT_NE(process("sh")->cr3, process("init")->cr3);
    EXPECT_GT(counter(r, "free pages"), 1000u);
    EXPECT_GT(counter(r, "ticks"), 0u);
    // The swap map: the 32 MiB swap partition is 8192 slots (slot 0 unused), none used at the prompt.
    ASSERT_EQ(r.swap.refs.size(), 8192u);
    EXPECT_EQ(std::count(r.swap.refs.begin(), r.swap.refs.end(), 0), 8192);
    EXPECT_TRUE(r.swap.cached.empty());
}

TEST(BootedGuestOs, GivenOneGiB_ThenEveryFrameHasItsZoneAndTheKernelLayoutIsPublished) {
    BootedGuest guest(1024);
    ASSERT_TRUE(guest.run_until("$ ")) << guest.output;
    for (int i = 0; i < 8; ++i) guest.machine.run_for(1'000'000);
    GuestInfoReadResult r = guest.read();
    ASSERT_TRUE(r.ok) << r.error;
    ASSERT_EQ(r.frames.size(), 262144u);  // all of it managed, not just the directly mapped part
    ASSERT_TRUE(r.details[0].has_vm);
    EXPECT_EQ(r.details[0x100].zone, 0);    // DMA
    EXPECT_EQ(r.details[0x1000].zone, 1);   // Normal from 16 MiB
    EXPECT_EQ(r.details[0x37FFF].zone, 1);  // up to 896 MiB
    EXPECT_EQ(r.details[0x38000].zone, 2);  // HighMem

    const GuestKernelLayout& l = r.layout;
    ASSERT_TRUE(l.present);
    EXPECT_EQ(l.lowmem_end, 0xF8000000u);
    EXPECT_EQ(l.highmem_start_pfn, 0x38000u);
    EXPECT_LT(l.lowmem_end, l.vmalloc_start);
    EXPECT_LT(l.vmalloc_end, l.pkmap_base);
    EXPECT_LT(l.pkmap_base, l.fixmap_start);
    EXPECT_GE(l.kmap_slots.size(), 8u);
    // Every process's kernel stack is a vmalloc area, its frames marked and taken from HighMem.
    ASSERT_GE(l.vm_areas.size(), 3u);  // init, sh, the kinfo thread
    uint32_t area_pages = 0;
    for (const auto& a : l.vm_areas) {
        EXPECT_GE(a.start, l.vmalloc_start);
        area_pages += a.size / 4096;
    }
    uint32_t vmalloc_frames = 0, high_vmalloc = 0, user_frames = 0, high_user = 0, listed = 0;
    for (size_t f = 0; f < r.details.size(); ++f) {
        const FrameDetail& d = r.details[f];
        const bool user =
            r.frames[f].kind == FrameKind::UserAnon || r.frames[f].kind == FrameKind::UserShared;
        if (d.map_flags & GUEST_FRAME_VMALLOC) vmalloc_frames++, high_vmalloc += d.zone == 2;
        if (user) user_frames++, high_user += d.zone == 2, listed += d.lru != 0;
    }
    EXPECT_EQ(vmalloc_frames, area_pages);
    EXPECT_EQ(high_vmalloc, vmalloc_frames);
    EXPECT_GT(user_frames, 0u);
    EXPECT_EQ(high_user, user_frames);  // GFP_HIGHUSER: user pages live high while HighMem lasts
    EXPECT_EQ(listed, user_frames);     // and each is on an LRU list
}

TEST(BootedGuestOs, GivenTheGuestAtItsShellPrompt_ThenTheVgaScreenShowsTheConsoleToo) {
    BootedGuest guest;
    ASSERT_TRUE(guest.run_until("$ "));
    std::string screen;
    for (unsigned row = 0; row < VgaText::kRows; ++row) {
        for (unsigned col = 0; col < VgaText::kColumns; ++col)
            screen += char(guest.machine.vga().cell(row, col).character);
        screen += '\n';
    }
    EXPECT_NE(screen.find("kernel: starting init"), std::string::npos) << screen;
    EXPECT_NE(screen.find("$ "), std::string::npos) << screen;
}

TEST(BootedGuestOs, GivenCowtestRan_ThenTheCountersShowItsCopies) {
    BootedGuest guest;
    ASSERT_TRUE(guest.run_until("$ "));
    const uint64_t before = counter(guest.read(), "cow copies");
    size_t from = guest.output.size();
    guest.machine.serial_input("cowtest\n");
    ASSERT_TRUE(guest.run_until("PASS cowtest", from)) << guest.output.substr(from);
    ASSERT_TRUE(guest.run_until("$ ", guest.output.find("PASS cowtest", from)));
    for (int i = 0; i < 20; ++i) guest.machine.run_for(1'000'000);  // a few timer ticks: refreshed
    GuestInfoReadResult r = guest.read();
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_GT(counter(r, "cow copies"), before);
    EXPECT_GT(counter(r, "syscalls"), 0u);
}

}  // namespace
}  // namespace pc386
