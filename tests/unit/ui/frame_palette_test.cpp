#include "ui/frame_palette.h"

#include <gtest/gtest.h>

namespace pc386 {
namespace {

TEST(FramePalette, GivenDifferentBuddyOrders_ThenEachOrderHasItsOwnShadeOfOneHue) {
    Rgb order0 = frame_colour({FrameKind::Free, 0});
    Rgb order9 = frame_colour({FrameKind::Free, 9});
    EXPECT_NE(order0, order9);
    EXPECT_NE(frame_colour({FrameKind::Free, 3}), frame_colour({FrameKind::Free, 4}));
    // Green dominates in every shade.
    for (uint32_t order = 0; order <= 9; ++order) {
        Rgb c = frame_colour({FrameKind::Free, order});
        EXPECT_GT(c.g, c.r) << order;
        EXPECT_GT(c.g, c.b) << order;
    }
}

TEST(FramePalette, GivenHugeDetailValues_ThenColoursStayInTheirRamp) {
    EXPECT_EQ(frame_colour({FrameKind::Free, 0xFFFFFFFF}), frame_colour({FrameKind::Free, 10}));
    EXPECT_EQ(frame_colour({FrameKind::Slab, 0xFFFFFFFF}), frame_colour({FrameKind::Slab, 4096}));
    EXPECT_EQ(frame_colour({FrameKind::UserShared, 1000}), frame_colour({FrameKind::UserShared, 5}));
    EXPECT_EQ(frame_colour({FrameKind::UserShared, 0}), frame_colour({FrameKind::UserShared, 2}));
}

TEST(FramePalette, GivenTheMainKinds_ThenTheyAreAllDistinguishable) {
    std::vector<FrameInfo> kinds = {
        {FrameKind::Reserved, 0},   {FrameKind::Free, 0},      {FrameKind::Kernel, 0},
        {FrameKind::PageTable, 0},  {FrameKind::Slab, 32},     {FrameKind::UserAnon, 0},
        {FrameKind::UserShared, 2}, {FrameKind::SwapCache, 0}, {FrameKind::PageCache, 0},
        {FrameKind::Unknown, 0}};
    for (size_t i = 0; i < kinds.size(); ++i)
        for (size_t j = i + 1; j < kinds.size(); ++j)
            EXPECT_NE(frame_colour(kinds[i]), frame_colour(kinds[j]))
                << frame_label(kinds[i]) << " vs " << frame_label(kinds[j]);
}

TEST(FramePalette, GivenFrames_WhenBuildingTheLegend_ThenOneEntryPerColourWithCountsInKindOrder) {
    std::vector<FrameInfo> frames = {
        {FrameKind::UserAnon, 0},   {FrameKind::Free, 2},       {FrameKind::Free, 2},
        {FrameKind::Free, 0},       {FrameKind::Slab, 64},      {FrameKind::Kernel, 0},
        {FrameKind::UserShared, 3}, {FrameKind::UserShared, 9}, {FrameKind::UserShared, 7}};
    std::vector<LegendEntry> legend = build_legend(frames);
    ASSERT_EQ(legend.size(), 7u);
    EXPECT_EQ(legend[0].label, "free, order 0");
    EXPECT_EQ(legend[0].frames, 1u);
    EXPECT_EQ(legend[1].label, "free, order 2");
    EXPECT_EQ(legend[1].frames, 2u);
    EXPECT_EQ(legend[2].label, "kernel");
    EXPECT_EQ(legend[3].label, "kmalloc-64");
    EXPECT_EQ(legend[4].label, "user");
    EXPECT_EQ(legend[5].label, "CoW shared x3");
    EXPECT_EQ(legend[6].label, "CoW shared x5+");
    EXPECT_EQ(legend[6].frames, 2u);
    EXPECT_EQ(legend[6].colour, frame_colour({FrameKind::UserShared, 9}));
}

TEST(FramePalette, GivenNoFrames_ThenTheLegendIsEmpty) {
    EXPECT_TRUE(build_legend({}).empty());
}

}  // namespace
}  // namespace pc386

namespace pc386 {
namespace {

TEST(ChangeGlow, GivenAFrameThatJustChanged_ThenItGlowsTowardsWhiteAndFadesBackToItsColour) {
    Rgb base{50, 100, 200};
    Rgb fresh = change_glow(base, 0);
    Rgb half = change_glow(base, kChangeGlowMs / 2);
    EXPECT_GT(fresh.r, half.r);
    EXPECT_GT(half.r, base.r);
    EXPECT_GE(fresh.b, base.b);
    EXPECT_EQ(change_glow(base, kChangeGlowMs), base);
    EXPECT_EQ(change_glow(base, ~0ull), base);
}

}  // namespace
}  // namespace pc386
