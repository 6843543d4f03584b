// The kernel's virtual layout as text: a hand-built layout shows its direct map, vmalloc areas and
// the kmap slots in use, and the inspector of a kmapped frame names the slot that maps it.
#include "ui/kernel_layout_text.h"

#include <gtest/gtest.h>

#include <string>

#include "ui/frame_inspector.h"

namespace pc386 {
namespace {

GuestKernelLayout hand_built() {
    GuestKernelLayout l;
    l.present = true;
    l.page_offset = 0xC0000000;
    l.lowmem_end = 0xC0600000;
    l.highmem_start_pfn = 0x600;
    l.vmalloc_start = 0xC0E00000;
    l.vmalloc_end = 0xFF000000;
    l.vm_areas = {{0xC0E00000, 0x3000}, {0xC0E04000, 0x100000}};
    l.kmap_slots = {{0xFF400000, 0x7F0, 2, false},
                    {0xFF401000, 0, 0, false},
                    {0xFF402000, 0x612, 0, false},
                    {0xFFBFF000, 0x7F0, 1, true}};
    return l;
}

std::string joined(const std::vector<PaneLine>& lines) {
    std::string text;
    for (const PaneLine& line : lines) text += line.text + "\n";
    return text;
}

TEST(KernelLayoutText, GivenALayout_ThenTheLinesShowDirectMapVmallocAreasAndKmapSlotsInUse) {
    const std::string text = joined(kernel_layout_lines(hand_built()));
    EXPECT_NE(text.find("direct map c0000000-c0600000 = physical 0-00600000"), std::string::npos) << text;
    EXPECT_NE(text.find("HighMem from pfn 00600"), std::string::npos) << text;
    EXPECT_NE(text.find("vmalloc c0e00000-ff000000: 2 areas, 1036 KiB"), std::string::npos) << text;
    EXPECT_NE(text.find("c0e00000  12 KiB"), std::string::npos) << text;
    EXPECT_NE(text.find("c0e04000  1 MiB"), std::string::npos) << text;
    EXPECT_NE(text.find("kmap slots: 3 of 4 in use"), std::string::npos) << text;
    EXPECT_NE(text.find("ff400000 -> pfn 007f0, users 2\n"), std::string::npos) << text;
    EXPECT_NE(text.find("ff402000 -> pfn 00612, users 0 (kept for reuse)"), std::string::npos) << text;
    EXPECT_NE(text.find("ffbff000 -> pfn 007f0, users 1, atomic"), std::string::npos) << text;
    EXPECT_EQ(text.find("ff401000"), std::string::npos) << "an empty slot is not listed";
}

TEST(KernelLayoutText, GivenNoLayout_ThenNothingIsShown) {
    EXPECT_TRUE(kernel_layout_lines({}).empty());
    EXPECT_TRUE(kmap_slots_of(hand_built(), 0).empty()) << "pfn 0 marks empty slots";
}

TEST(KernelLayoutText, GivenAKmappedFrame_ThenTheInspectorNamesItsSlots) {
    std::vector<uint8_t> ram(0x800 * 4096);
    VectorMemoryView memory(ram);
    MemoryView view;
    view.from_guest = true;
    view.frames.assign(0x800, FrameInfo{FrameKind::UserAnon, 0});
    view.details.assign(0x800, FrameDetail{});
    view.layout = hand_built();
    const std::string text = joined(inspect_frame(memory, view, 0x7F0, nullptr));
    EXPECT_NE(text.find("kmap slot ff400000 -> pfn 007f0, users 2"), std::string::npos) << text;
    EXPECT_NE(text.find("kmap slot ffbff000 -> pfn 007f0, users 1, atomic"), std::string::npos) << text;
    EXPECT_NE(text.find("Kernel virtual layout"), std::string::npos) << "the layout follows the frame";
    const std::string other = joined(inspect_frame(memory, view, 0x7F1, nullptr));
    EXPECT_EQ(other.find("kmap slot "), std::string::npos) << other;
}

}  // namespace
}  // namespace pc386
