// The swap map tab: every slot as a cell (free, used, shared by several PTEs, in the swap cache)
// with a legend, then the used slots with their holders as scrolling lines.
#include <fmt/format.h>

#include <algorithm>

#include "ui/swap_map.h"
#include "ui/window_colours.h"
#include "ui/window_renderer.h"

namespace pc386 {
namespace {

using namespace window_colours;

}  // namespace

void WindowRenderer::draw_swap(const UiModel& model, const Rect& area) {
    PanePicture& t = picture_;
    const int ch = t.char_h(), cw = t.char_w();
    const SwapView& swap = model.memory.swap;
    int y = area.y;
    const uint32_t slots = uint32_t(swap.refs.size());
    if (slots >= 2 && area.h > 8 * ch) {
        // The biggest square cells (up to 6 pixels) that fit the slots in at most a third of the pane.
        const int max_h = std::max(ch, area.h / 3);
        const int width = area.w - 6;
        int cell = 6;
        while (cell > 1 && (int64_t(slots) + width / cell - 1) / std::max(1, width / cell) * cell > max_h)
            --cell;
        const uint32_t columns = uint32_t(std::max(1, width / cell));
        std::vector<bool> cached(slots, false);
        for (const SwapView::CacheLink& link : swap.cached)
            if (link.slot < slots) cached[link.slot] = true;
        for (uint32_t s = 1; s < slots; ++s) {
            const int x0 = area.x + int(s % columns) * cell, y0 = y + int(s / columns) * cell;
            if (y0 + cell > area.bottom()) break;
            fill({x0, y0, std::max(1, cell - (cell >= 4 ? 1 : 0)), std::max(1, cell - (cell >= 4 ? 1 : 0))},
                 slot_colour(slot_state(swap, s, cached)));
        }
        y += int((slots + columns - 1) / columns) * cell + 4;
        int x = area.x;
        for (auto [state, label] : {std::pair{SlotState::Free, "free"}, std::pair{SlotState::Used, "used"},
                                    std::pair{SlotState::Shared, "shared (forked while out)"},
                                    std::pair{SlotState::Cached, "in the swap cache"}}) {
            fill({x, y + 3, ch - 6, ch - 6}, slot_colour(state));
            x += ch;
            x = t.draw_text(label, x, y, kText) + 2 * cw;
        }
        y += ch + 2;
    }
    aux_scroll_limit_ =
        draw_lines(model.swap_lines, {area.x, y, area.w, area.bottom() - y}, model.aux_scroll);
}

}  // namespace pc386
