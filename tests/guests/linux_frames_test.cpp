// Linux in the window: boot the committed Linux 6.1 test guest (tests/guests/linux) with --kernel
// on a 16 MiB 486, let its /init print /proc/meminfo and power off, then read its frames with the
// window's reader (--guest-symbols System.map) and check them against what Linux itself said:
// the frames in buddy blocks are MemFree, the slab frames fit in Slab, and the init's own pages
// (anonymous, page cache, page tables) and the kernel image (reserved) are there.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "machine/machine.h"
#include "mmu/physical_bus.h"
#include "ui/bus_memory_view.h"
#include "ui/linux_frame_table.h"

namespace pc386 {
namespace {

#define GUEST_DIR PC386_SOURCE_DIR "/tests/guests/linux"

MachineConfig linux_config() {
    MachineConfig c;
    c.mem_mb = 16;
    c.cpu = CpuModel::i486;
    c.bios_path = PC386_BINARY_DIR "/bios.bin";
    c.kernel = GUEST_DIR "/bzImage";
    c.initrd = GUEST_DIR "/initramfs.cpio";
    c.append = "console=ttyS0";
    c.serial = CharTarget{CharTarget::Kind::None, {}};
    c.max_instructions = 2'000'000'000;
    return c;
}

// The last "Key:   N kB" line of /proc/meminfo in the output, in kB; -1 if absent.
long meminfo_kb(const std::string& output, const std::string& key) {
    std::regex line(key + ":\\s+([0-9]+) kB");
    long value = -1;
    for (auto it = std::sregex_iterator(output.begin(), output.end(), line); it != std::sregex_iterator();
         ++it)
        value = std::stol((*it)[1]);
    return value;
}

TEST(LinuxFrames, GivenLinuxAtItsInitsExit_ThenTheWindowsFramesAgreeWithProcMeminfo) {
    Machine machine(linux_config());
    std::string output;
    machine.add_serial_listener([&](uint8_t b) { output += char(b); });
    machine.run();
    ASSERT_EQ(machine.exit_status(), 1) << "the init did not pass (status 0 through port 0xF4):\n" << output;
    ASSERT_NE(output.find("init: all checks passed"), std::string::npos) << output;
    const long mem_free = meminfo_kb(output, "MemFree"), slab = meminfo_kb(output, "Slab");
    ASSERT_GT(mem_free, 0) << output;
    ASSERT_GT(slab, 0) << output;

    BusMemoryView memory(machine.bus());
    LinuxFrameReadResult r = LinuxFrameTable(LinuxSymbols::load(GUEST_DIR "/System.map")).read(memory);
    ASSERT_TRUE(r.ok) << r.error;
    ASSERT_EQ(r.frames.size(), 4096u);
    const LinuxFrameCounts& c = r.counts;
    // Between the meminfo the init printed and its exit, Linux allocates a few pages (ioperm's I/O
    // bitmap, the exit path): a few pages either way.
    EXPECT_NEAR(double(c.buddy) * 4, double(mem_free), 32.0)
        << "buddy frames " << c.buddy << " (" << c.buddy * 4 << " kB), MemFree " << mem_free << " kB";
    // Slab counts SLOB's slab pages and its page-sized kmallocs; the reader sees the former.
    EXPECT_GT(c.slab, 0u);
    EXPECT_LE(c.slab * 4, uint32_t(slab) + 16) << "slab frames " << c.slab << ", Slab " << slab << " kB";
    EXPECT_GT(c.anon, 0u);        // the init's stack, data and bss
    EXPECT_GT(c.page_cache, 0u);  // /init itself: a ramfs file, in the page cache
    EXPECT_GT(c.page_table, 0u);  // the init's page table
    // The kernel image: _text at 2 MiB (PHYSICAL_START 1 MiB rounded up to PHYSICAL_ALIGN).
    EXPECT_EQ(r.frames[0x200].kind, FrameKind::Reserved);
    std::printf(
        "frames: buddy %u (MemFree %ld kB), slab %u (Slab %ld kB), anon %u, page cache %u, "
        "page tables %u, reserved %u, other free %u, kernel %u\n",
        c.buddy, mem_free, c.slab, slab, c.anon, c.page_cache, c.page_table, c.reserved, c.free_other,
        c.kernel);
}

}  // namespace
}  // namespace pc386
