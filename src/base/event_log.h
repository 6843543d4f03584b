// The event stream: every component that sees something happen (the CPU delivering a fault, the
// MMU flushing its TLB, the IDE controller starting a transfer, the guest reporting a CoW copy)
// calls record(); the log stamps the event with the virtual clock and the CPU context, keeps the
// last kHistory events in a ring, counts every kind, and hands each event to its listeners (the
// JSON writers, the machine's break-on-event check, scripts, the window).
//
// Off by default: components test on() (one predictable branch on paths that are not per
// instruction: exceptions, interrupts, CR writes, disk commands), so a run that nobody watches pays
// nothing else. Anything that subscribes turns it on.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "base/event.h"

namespace pc386 {

// Where the log reads the stamp of each event: the machine implements it (instruction count, and
// the CPU's EIP, CR3 and CPL at that moment).
class EventContext {
  public:
    virtual ~EventContext() = default;
    virtual uint64_t event_icount() const = 0;
    virtual uint32_t event_eip() const = 0;
    virtual uint32_t event_cr3() const = 0;
    virtual uint8_t event_cpl() const = 0;
};

class EventLog {
  public:
    static constexpr size_t kHistory = 1u << 16;  // events kept for the window, gdb and dump-events
    using Listener = std::function<void(const Event&)>;

    void set_context(const EventContext* context) { context_ = context; }
    bool on() const { return on_; }

    // Listeners are called synchronously, in the middle of an instruction: they must not touch the
    // machine (a break asks the CPU to stop after the instruction; that is all). Returns an id.
    int subscribe(Listener listener);
    void unsubscribe(int id);
    // Turns recording on without a listener (history and counts only: the window, scripts).
    void keep_history() { on_ = true; }

    void record(EventKind kind, uint32_t a = 0, uint32_t b = 0, uint32_t c = 0, uint32_t d = 0,
                uint8_t flags = 0) {
        dispatch(kind, a, b, c, d, flags, pid_);
    }
    // An event the guest reported about process `pid` (not necessarily the current one).
    void record_for(uint32_t pid, EventKind kind, uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
        dispatch(kind, a, b, c, d, 0, static_cast<uint16_t>(pid));
    }

    // The guest's current process, from its ProcSwitch events (stamped on every event).
    uint16_t current_pid() const { return pid_; }
    // Process names from the guest's exec events (and inherited at fork).
    const std::string& process_name(uint32_t pid) const;

    // History: the last min(total(), kHistory) events, oldest first by index.
    uint64_t total() const { return total_; }
    uint64_t count(EventKind kind) const { return counts_[static_cast<unsigned>(kind)]; }
    size_t history_size() const { return total_ < kHistory ? static_cast<size_t>(total_) : kHistory; }
    const Event& history(size_t i) const {  // 0 = the oldest kept
        return ring_[(total_ - history_size() + i) % kHistory];
    }
    // The events with sequence numbers >= `seq` still kept (seq = total() before some run).
    std::vector<Event> since(uint64_t seq) const;

    // A guest reported a process name (exec) or a fork (the child starts with the parent's name).
    void set_process_name(uint32_t pid, std::string name) { names_[pid] = std::move(name); }

  private:
    void dispatch(EventKind kind, uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint8_t flags,
                  uint16_t pid);

    const EventContext* context_ = nullptr;
    bool on_ = false;
    uint16_t pid_ = 0;
    uint64_t total_ = 0;
    std::array<uint64_t, kEventKindCount> counts_{};
    std::vector<Event> ring_ = std::vector<Event>(kHistory);
    std::vector<std::pair<int, Listener>> listeners_;
    int next_id_ = 1;
    std::map<uint32_t, std::string> names_;
};

}  // namespace pc386
