#include "base/event_log.h"

#include <algorithm>

namespace pc386 {

int EventLog::subscribe(Listener listener) {
    on_ = true;
    listeners_.emplace_back(next_id_, std::move(listener));
    return next_id_++;
}

void EventLog::unsubscribe(int id) {
    std::erase_if(listeners_, [id](const auto& entry) { return entry.first == id; });
}

void EventLog::dispatch(EventKind kind, uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint8_t flags,
                        uint16_t pid) {
    if (kind == EventKind::ProcSwitch) pid_ = pid = static_cast<uint16_t>(a);
    if (kind == EventKind::Fork && !names_.count(b)) names_[b] = process_name(a);
    Event& e = ring_[total_ % kHistory];
    e.kind = kind;
    e.a = a, e.b = b, e.c = c, e.d = d;
    e.flags = flags;
    e.pid = pid;
    if (context_) {
        e.icount = context_->event_icount();
        e.eip = context_->event_eip();
        e.cr3 = context_->event_cr3();
        e.cpl = context_->event_cpl();
    }
    ++total_;
    ++counts_[static_cast<unsigned>(kind) % kEventKindCount];
    // A copy: a listener may record (it must not), and the slot may be reused.
    const Event copy = e;
    for (auto& [id, listener] : listeners_) listener(copy);
}

const std::string& EventLog::process_name(uint32_t pid) const {
    static const std::string kNone;
    auto it = names_.find(pid);
    return it == names_.end() ? kNone : it->second;
}

std::vector<Event> EventLog::since(uint64_t seq) const {
    std::vector<Event> out;
    const uint64_t first = std::max<uint64_t>(seq, total_ - history_size());
    for (uint64_t s = first; s < total_; ++s) out.push_back(ring_[s % kHistory]);
    return out;
}

}  // namespace pc386
