// The heat map: fresh TLB-fill counts add to a decaying heat per frame; a hot frame takes the
// colour of the access that dominates, a cold one its own colour dimmed; the legend counts them.
#include "ui/heat_map.h"

#include <gtest/gtest.h>

namespace pc386 {
namespace {

TEST(HeatMap, GivenCountsThenNothing_ThenTheHeatDecaysTowardsCold) {
    std::vector<Heat> heat;
    decay_heat(heat, {{0, 0, 0}, {10, 0, 0}, {0, 5, 1}});
    ASSERT_EQ(heat.size(), 3u);
    EXPECT_FLOAT_EQ(heat[1][0], 10.0f);
    EXPECT_FLOAT_EQ(heat[2][1], 5.0f);
    for (int i = 0; i < 30; ++i) decay_heat(heat, {});
    EXPECT_LT(heat[1][0], 0.02f) << "untouched for 30 takes (6 s): cold";
}

TEST(HeatMap, GivenAHotFrame_ThenItsColourIsItsDominantAccessAndAColdOneIsDimmed) {
    const Rgb user{80, 130, 230};
    EXPECT_EQ(heat_colour(user, {0, 0, 0}), (Rgb{20, 32, 57}));
    const Rgb written = heat_colour(user, {1, 1000, 0});
    EXPECT_GT(written.r, 200);
    EXPECT_LT(written.b, 80);
    const Rgb fetched = heat_colour(user, {0, 0, 1000});
    EXPECT_GT(fetched.b, 200);
    const Rgb warm = heat_colour(user, {0, 1, 0}), hot = heat_colour(user, {0, 1000, 0});
    EXPECT_LT(warm.r, hot.r) << "more fills, brighter";
}

TEST(HeatMap, GivenHeat_ThenTheLegendCountsFramesByDominantAccess) {
    std::vector<LegendEntry> legend = heat_legend({{0, 0, 0}, {3, 1, 0}, {0, 2, 0}, {0, 1, 9}, {0, 0, 0}});
    ASSERT_EQ(legend.size(), 4u);
    EXPECT_EQ(legend[0].frames, 1u);
    EXPECT_EQ(legend[1].frames, 1u);
    EXPECT_EQ(legend[2].frames, 1u);
    EXPECT_EQ(legend[3].frames, 2u);
}

}  // namespace
}  // namespace pc386
