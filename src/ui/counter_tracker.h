// Live counters for the window: remembers each counter's previous value and when it last changed,
// so the window can show deltas and highlight what just moved (a page fault, a swap-out) for a
// moment, and measures rates (MIPS) over host time.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace pc386 {

struct CounterValue {
    std::string name;
    uint64_t value = 0;
};

class CounterTracker {
  public:
    static constexpr uint64_t kHighlightMs = 1000;

    struct Row {
        std::string name;
        uint64_t value = 0;
        uint64_t delta = 0;        // how much it grew at its last change (0 if it never changed)
        bool highlighted = false;  // changed within the last kHighlightMs
    };

    // Records the current values at host time `now_ms` (monotonic). The first sighting of a
    // counter is its baseline, not a change. Returns true if any value differs from the last update.
    bool update(const std::vector<CounterValue>& values, uint64_t now_ms);
    // The counters in the order of the last update, with their change state at `now_ms`.
    std::vector<Row> rows(uint64_t now_ms) const;
    // True while some highlight is still fading (the window must redraw when it ends).
    bool highlight_pending(uint64_t now_ms) const;

  private:
    struct State {
        uint64_t value = 0;
        uint64_t delta = 0;
        uint64_t changed_ms = 0;
        bool ever_changed = false;
    };
    std::vector<std::string> order_;
    std::map<std::string, State> states_;
};

// Events per second of a growing counter, measured over windows of at least `window_ms`.
class RateMeter {
  public:
    explicit RateMeter(uint64_t window_ms = 500) : window_ms_(window_ms) {}
    // Feeds the counter's value at host time `now_ms`; returns true when the rate was recomputed.
    bool sample(uint64_t value, uint64_t now_ms);
    double per_second() const { return rate_; }
    // Forget the window (after a pause, so paused time does not dilute the rate).
    void restart(uint64_t value, uint64_t now_ms);

  private:
    uint64_t window_ms_;
    uint64_t start_value_ = 0, start_ms_ = 0;
    bool started_ = false;
    double rate_ = 0;
};

}  // namespace pc386
