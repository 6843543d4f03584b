// Which events a listener wants: a set of kinds, optionally narrowed to one process, an address
// range, a frame, or an exception vector. The same filter serves --events-filter, break-on-event
// in the machine, the script's wait-event and the window.
//
// Text form (parse): KIND[,KIND...] [pid=N] [addr=LO[-HI]] [frame=N] [vector=N]
//   kinds by name (exception, cow-copy, swap-out, ...), or aliases: pf (#PF: exception vector=14),
//   gp, ud, de (likewise), cow (cow-copy), swap (swap-out,swap-in), fault (exception), irq
//   (interrupt), disk (disk-read,disk-write), proc (fork,exec,exit,kill,oom-kill), vm (every guest
//   memory event), machine (every machine kind), guest (every guest kind), all.
//   addr: the event's address (CR2 for a #PF, EIP for other exceptions, the virtual address of a
//   guest memory event, INVLPG's operand); HI is exclusive. Numbers are decimal or 0x hex.
#pragma once

#include <bitset>
#include <cstdint>
#include <optional>
#include <string>

#include "base/event.h"

namespace pc386 {

struct EventFilter {
    std::bitset<kEventKindCount> kinds;
    std::optional<uint32_t> pid;
    std::optional<uint32_t> addr_lo, addr_hi;  // [lo, hi)
    std::optional<uint32_t> frame;
    std::optional<uint32_t> vector;  // exceptions and interrupts

    static EventFilter all();
    // Parses the text form; nullopt with `why` set for a bad one.
    static std::optional<EventFilter> parse(const std::string& text, std::string& why);

    bool matches(const Event& e) const {
        if (!kinds.test(static_cast<unsigned>(e.kind))) return false;
        if (!pid && !addr_lo && !frame && !vector) return true;
        return matches_details(e);
    }
    std::string describe() const;

  private:
    bool matches_details(const Event& e) const;
};

// The address an event is about (see the text form above), if it has one.
std::optional<uint32_t> event_address(const Event& e);
// Whether the event names physical frame `frame` (a CoW copy names two).
bool event_names_frame(const Event& e, uint32_t frame);

}  // namespace pc386
