#include "ui/guest_frame_table.h"

#include <gtest/gtest.h>

#include <cstring>

#include "guestos/abi/guest_info.h"

namespace pc386 {
namespace {

TEST(ClassifyGuestFrame, GivenEachGuestKind_ThenItMapsToTheWindowsKindWithItsDetail) {
    EXPECT_EQ(classify_guest_frame({.kind = kGuestFree, .order = 4}), (FrameInfo{FrameKind::Free, 4}));
    EXPECT_EQ(classify_guest_frame({.kind = kGuestReserved}).kind, FrameKind::Reserved);
    EXPECT_EQ(classify_guest_frame({.kind = kGuestKernel, .refcount = 1}).kind, FrameKind::Kernel);
    EXPECT_EQ(classify_guest_frame({.kind = kGuestPageTable}).kind, FrameKind::PageTable);
    EXPECT_EQ(classify_guest_frame({.kind = kGuestSlab, .slab_size = 128}),
              (FrameInfo{FrameKind::Slab, 128}));
    EXPECT_EQ(classify_guest_frame({.kind = kGuestSwapCache, .refcount = 2}).kind, FrameKind::SwapCache);
}

TEST(ClassifyGuestFrame, GivenAUserFrame_ThenARefcountAboveOneMeansSharedCopyOnWrite) {
    EXPECT_EQ(classify_guest_frame({.kind = kGuestUser, .refcount = 1}), (FrameInfo{FrameKind::UserAnon, 0}));
    EXPECT_EQ(classify_guest_frame({.kind = kGuestUser, .refcount = 3}),
              (FrameInfo{FrameKind::UserShared, 3}));
}

TEST(ClassifyGuestFrame, GivenAnUnknownKindByte_ThenTheFrameIsUnknown) {
    EXPECT_EQ(classify_guest_frame({.kind = 7}).kind, FrameKind::Unknown);
    EXPECT_EQ(classify_guest_frame({.kind = 0xFF}).kind, FrameKind::Unknown);
}

TEST(DecodeGuestFrames, GivenDescriptorsWithAStride_ThenOnlyTheAbiBytesOfEachAreRead) {
    const size_t stride = 44;                      // the guest's struct page on i386
    std::vector<uint8_t> table(3 * stride, 0xEE);  // private fields: garbage
    GuestFrameRecord records[3] = {
        {kGuestKernel, 0, 1, 0, 0}, {kGuestSlab, 0, 1, 64, 0}, {kGuestUser, 0, 2, 0, 9}};
    GuestFrameVmRecord vm[3] = {{0, 0, GUEST_FRAME_VMALLOC}, {1, 0, 0}, {2, 2, GUEST_FRAME_KMAP}};
    for (size_t i = 0; i < 3; ++i) {
        std::memcpy(&table[i * stride], &records[i], sizeof records[i]);
        std::memcpy(&table[i * stride + 8], &vm[i], sizeof vm[i]);
    }
    std::vector<FrameInfo> frames;
    std::vector<FrameDetail> details;
    decode_guest_frames(table.data(), stride, 3, frames, details);
    ASSERT_EQ(frames.size(), 3u);
    EXPECT_EQ(frames[0].kind, FrameKind::Kernel);
    EXPECT_EQ(frames[1], (FrameInfo{FrameKind::Slab, 64}));
    EXPECT_EQ(frames[2], (FrameInfo{FrameKind::UserShared, 2}));
    EXPECT_EQ(details[2], (FrameDetail{2, 9, 2, 2, GUEST_FRAME_KMAP, true}));
    EXPECT_EQ(describe_guest_frame_vm(details[0]), "DMA, on no LRU list, vmalloc");
    EXPECT_EQ(describe_guest_frame_vm(details[2]), "HighMem, inactive_dirty, kmap");
}

TEST(DecodeGuestFrames, GivenEightByteDescriptors_ThenNoZoneOrListIsClaimed) {
    std::vector<uint8_t> table(2 * 8, 0);
    GuestFrameRecord record{kGuestUser, 0, 1, 0, 3};
    std::memcpy(&table[8], &record, sizeof record);
    std::vector<FrameInfo> frames;
    std::vector<FrameDetail> details;
    decode_guest_frames(table.data(), 8, 2, frames, details);
    EXPECT_EQ(details[1], (FrameDetail{1, 3}));
    EXPECT_FALSE(details[1].has_vm);
}

TEST(DescribeGuestFrameVm, GivenValuesThisBuildDoesNotKnow_ThenItSaysSo) {
    EXPECT_EQ(describe_guest_frame_vm(FrameDetail{0, 0, 9, 7, 0, true}), "zone ?, LRU list ?");
    EXPECT_EQ(describe_guest_frame_vm(FrameDetail{0, 0, 1, 3, GUEST_FRAME_KMAP_ATOMIC, true}),
              "Normal, inactive_clean, kmap_atomic");
}

TEST(DecodeGuestFrames, GivenAStrideTooSmallForARecord_ThenEveryFrameIsUnknown) {
    std::vector<uint8_t> table(64, 0);
    std::vector<FrameInfo> frames;
    std::vector<FrameDetail> details;
    decode_guest_frames(table.data(), 4, 16, frames, details);
    ASSERT_EQ(frames.size(), 16u);
    for (const FrameInfo& f : frames) EXPECT_EQ(f.kind, FrameKind::Unknown);
}

}  // namespace
}  // namespace pc386
