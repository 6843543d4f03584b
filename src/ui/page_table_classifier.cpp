#include "ui/page_table_classifier.h"

#include <algorithm>
#include <array>

namespace pc386 {
namespace {

constexpr uint32_t kPageShift = 12;
constexpr uint32_t kPresent = 1;

// Higher wins when a frame is mapped more than once.
int rank(FrameKind kind) {
    switch (kind) {
        case FrameKind::Unmapped: return 0;
        case FrameKind::SupervisorOnly: return 1;
        case FrameKind::UserReadOnly: return 2;
        case FrameKind::UserWritable: return 3;
        case FrameKind::PageTable: return 4;
        default: return -1;
    }
}

}  // namespace

std::vector<uint32_t> page_table_frames(const PhysicalMemoryView& memory, uint32_t cr3) {
    std::vector<uint32_t> frames;
    const uint32_t ram_frames = memory.ram_size() >> kPageShift;
    const uint32_t directory = cr3 >> kPageShift;
    std::array<uint32_t, 1024> entries;
    if (directory >= ram_frames || !memory.peek(directory << kPageShift, entries.data(), sizeof entries))
        return frames;
    frames.push_back(directory);
    for (uint32_t entry : entries) {
        if (!(entry & kPresent)) continue;
        uint32_t table = entry >> kPageShift;
        if (table < ram_frames) frames.push_back(table);
    }
    std::sort(frames.begin(), frames.end());
    frames.erase(std::unique(frames.begin(), frames.end()), frames.end());
    return frames;
}

std::vector<FrameInfo> classify_from_page_tables(uint32_t frame_count, const std::vector<PageRun>& runs,
                                                 const std::vector<uint32_t>& table_frames) {
    std::vector<FrameInfo> frames(frame_count, FrameInfo{FrameKind::Unmapped, 0});
    for (const PageRun& run : runs) {
        FrameKind kind = !run.user      ? FrameKind::SupervisorOnly
                         : run.writable ? FrameKind::UserWritable
                                        : FrameKind::UserReadOnly;
        // 64-bit arithmetic: a run may end past 4 GiB in a hostile or buggy walk.
        uint64_t first = run.physical >> kPageShift;
        uint64_t end = std::min<uint64_t>(first + run.pages, frame_count);
        for (uint64_t frame = first; frame < end; ++frame) {
            FrameInfo& info = frames[frame];
            if (rank(kind) > rank(info.kind)) info.kind = kind;
        }
    }
    for (uint32_t table : table_frames)
        if (table < frame_count) frames[table] = FrameInfo{FrameKind::PageTable, 0};
    return frames;
}

}  // namespace pc386
