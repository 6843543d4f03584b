#include "base/event_filter.h"

#include <fmt/format.h>

#include <sstream>
#include <vector>

#include "base/parse_number.h"

namespace pc386 {
namespace {


std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> parts;
    size_t start = 0;
    for (;;) {
        const size_t at = s.find(sep, start);
        parts.push_back(s.substr(start, at == std::string::npos ? std::string::npos : at - start));
        if (at == std::string::npos) return parts;
        start = at + 1;
    }
}

void set_range(EventFilter& f, EventKind first, EventKind last) {
    for (unsigned k = static_cast<unsigned>(first); k <= static_cast<unsigned>(last); ++k) f.kinds.set(k);
}

// Adds a kind or an alias to `f`; false if unknown.
bool add_kind(EventFilter& f, const std::string& name) {
    struct Vector {
        const char* alias;
        uint32_t vector;
    };
    static constexpr Vector kVectors[] = {{"pf", 14}, {"gp", 13}, {"ud", 6},  {"de", 0},
                                          {"np", 11}, {"ss", 12}, {"ts", 10}, {"df", 8},
                                          {"db", 1},  {"bp", 3},  {"nm", 7},  {"ac", 17}};
    for (const Vector& v : kVectors) {
        if (name != v.alias) continue;
        f.kinds.set(static_cast<unsigned>(EventKind::Exception));
        f.vector = v.vector;
        return true;
    }
    auto set = [&](EventKind k) { f.kinds.set(static_cast<unsigned>(k)); };
    if (name == "all") {
        f.kinds.set();
    } else if (name == "cow") {
        set(EventKind::CowCopy);
    } else if (name == "swap") {
        set(EventKind::SwapOut), set(EventKind::SwapIn);
    } else if (name == "fault") {
        set(EventKind::Exception);
    } else if (name == "irq") {
        set(EventKind::Interrupt);
    } else if (name == "disk") {
        set(EventKind::DiskRead), set(EventKind::DiskWrite);
    } else if (name == "proc") {
        set(EventKind::Fork), set(EventKind::Exec), set(EventKind::ProcExit), set(EventKind::Kill),
            set(EventKind::OomKill);
    } else if (name == "vm") {
        set_range(f, EventKind::ZeroFill, EventKind::Vfree);
    } else if (name == "machine") {
        set_range(f, EventKind::Exception, EventKind::GuestExit);
    } else if (name == "guest") {
        set_range(f, EventKind::ProcSwitch, EventKind::Vfree);
    } else if (auto k = parse_event_kind(name)) {
        set(*k);
    } else {
        return false;
    }
    return true;
}

}  // namespace

EventFilter EventFilter::all() {
    EventFilter f;
    f.kinds.set();
    return f;
}

std::optional<EventFilter> EventFilter::parse(const std::string& text, std::string& why) {
    EventFilter f;
    std::istringstream in(text);
    std::string word;
    bool have_kinds = false;
    while (in >> word) {
        const size_t eq = word.find('=');
        if (eq == std::string::npos) {
            for (const std::string& name : split(word, ',')) {
                if (name.empty()) continue;
                if (!add_kind(f, name)) {
                    why = fmt::format(
                        "unknown event kind '{}' (try exception, pf, cow-copy, swap-out, swap, all)",
                        name.substr(0, 40));
                    return std::nullopt;
                }
                have_kinds = true;
            }
            continue;
        }
        const std::string key = word.substr(0, eq), value = word.substr(eq + 1);
        if (key == "addr") {
            const size_t dash = value.find('-');
            auto lo = parse_number(value.substr(0, dash));
            auto hi = dash == std::string::npos ? (lo ? std::optional<uint64_t>(*lo + 1) : std::nullopt)
                                                : parse_number(value.substr(dash + 1));
            if (!lo || !hi || *lo > 0xFFFFFFFFu || *hi > 0x100000000ull || *hi <= *lo) {
                why = fmt::format("addr needs ADDR or LO-HI with LO < HI, got '{}'", value.substr(0, 40));
                return std::nullopt;
            }
            f.addr_lo = static_cast<uint32_t>(*lo);
            f.addr_hi = static_cast<uint32_t>(*hi - 1);  // kept inclusive so that HI may be 2^32
            continue;
        }
        auto v = parse_number(value);
        if (!v || *v > 0xFFFFFFFFu) {
            why = fmt::format("{} needs a number, got '{}'", key.substr(0, 20), value.substr(0, 40));
            return std::nullopt;
        }
        if (key == "pid") {
            f.pid = static_cast<uint32_t>(*v);
        } else if (key == "frame") {
            f.frame = static_cast<uint32_t>(*v);
        } else if (key == "vector") {
            f.vector = static_cast<uint32_t>(*v);
        } else {
            why = fmt::format("unknown filter '{}' (pid=, addr=, frame=, vector=)", key.substr(0, 20));
            return std::nullopt;
        }
    }
    if (!have_kinds) {
        why = "needs an event kind (e.g. pf, cow-copy, swap-out, all)";
        return std::nullopt;
    }
    return f;
}

bool EventFilter::matches_details(const Event& e) const {
    if (pid && e.pid != *pid) return false;
    if (vector) {
        if (e.kind != EventKind::Exception && e.kind != EventKind::Interrupt) return false;
        if (e.a != *vector) return false;
    }
    if (addr_lo) {
        auto at = event_address(e);
        if (!at || *at < *addr_lo || *at > *addr_hi) return false;
    }
    if (frame && !event_names_frame(e, *frame)) return false;
    return true;
}

std::string EventFilter::describe() const {
    std::string out;
    if (kinds.all()) {
        out = "all";
    } else {
        for (unsigned k = 0; k < kEventKindCount; ++k) {
            if (!kinds.test(k)) continue;
            if (!out.empty()) out += ',';
            out += to_string(static_cast<EventKind>(k));
        }
    }
    if (vector) out += fmt::format(" vector={}", *vector);
    if (pid) out += fmt::format(" pid={}", *pid);
    if (addr_lo) out += fmt::format(" addr={:#x}-{:#x}", *addr_lo, uint64_t{*addr_hi} + 1);
    if (frame) out += fmt::format(" frame={:#x}", *frame);
    return out;
}

std::optional<uint32_t> event_address(const Event& e) {
    switch (e.kind) {
        case EventKind::Exception: return e.a == 14 ? e.c : e.eip;
        case EventKind::Invlpg:
        case EventKind::ZeroFill:
        case EventKind::CowCopy:
        case EventKind::CowReuse:
        case EventKind::StackGrow:
        case EventKind::SwapOut:
        case EventKind::SwapIn: return e.a;
        default: return std::nullopt;
    }
}

bool event_names_frame(const Event& e, uint32_t frame) {
    switch (e.kind) {
        case EventKind::CowCopy: return e.b == frame || e.c == frame;
        case EventKind::ZeroFill:
        case EventKind::CowReuse:
        case EventKind::StackGrow:
        case EventKind::SwapOut:
        case EventKind::SlabGrow:
        case EventKind::SlabShrink: return e.b == frame;
        case EventKind::SwapIn: return e.c == frame;
        case EventKind::BuddySplit:
        case EventKind::BuddyMerge:
        case EventKind::Kmap:
        case EventKind::Kunmap:
        case EventKind::LruMove: return e.a == frame;
        default: return false;
    }
}

}  // namespace pc386
