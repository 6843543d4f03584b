#include "ui/counter_tracker.h"

namespace pc386 {

bool CounterTracker::update(const std::vector<CounterValue>& values, uint64_t now_ms) {
    bool changed = values.size() != order_.size();
    order_.clear();
    for (const CounterValue& counter : values) {
        order_.push_back(counter.name);
        auto [it, inserted] = states_.try_emplace(counter.name);
        State& state = it->second;
        if (inserted) {
            state.value = counter.value;
            changed = true;
            continue;
        }
        if (state.value != counter.value) {
            // Counters only grow, but a machine reset may zero them: show no bogus huge delta.
            state.delta = counter.value > state.value ? counter.value - state.value : 0;
            state.value = counter.value;
            state.changed_ms = now_ms;
            state.ever_changed = true;
            changed = true;
        }
    }
    return changed;
}

std::vector<CounterTracker::Row> CounterTracker::rows(uint64_t now_ms) const {
    std::vector<Row> rows;
    rows.reserve(order_.size());
    for (const std::string& name : order_) {
        const State& state = states_.at(name);
        bool recent = state.ever_changed && now_ms - state.changed_ms < kHighlightMs;
        rows.push_back({name, state.value, state.delta, recent});
    }
    return rows;
}

bool CounterTracker::highlight_pending(uint64_t now_ms) const {
    for (const auto& [name, state] : states_)
        if (state.ever_changed && now_ms - state.changed_ms < kHighlightMs) return true;
    return false;
}

bool RateMeter::sample(uint64_t value, uint64_t now_ms) {
    if (!started_ || value < start_value_ || now_ms < start_ms_) {
        restart(value, now_ms);
        return false;
    }
    uint64_t elapsed = now_ms - start_ms_;
    if (elapsed < window_ms_) return false;
    rate_ = double(value - start_value_) * 1000.0 / double(elapsed);
    start_value_ = value;
    start_ms_ = now_ms;
    return true;
}

void RateMeter::restart(uint64_t value, uint64_t now_ms) {
    start_value_ = value;
    start_ms_ = now_ms;
    started_ = true;
}

}  // namespace pc386
