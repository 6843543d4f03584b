#include "debug/event_writer.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <iterator>
#include <string_view>

#include "base/event_family.h"
#include "debug/tracer.h"
#include "machine/machine_error.h"

namespace pc386 {
namespace {

// Tracks of the chrome form inside each process: one per family of events (base/event_family.h),
// numbered from 1.
constexpr unsigned kTracks = kEventFamilyCount;

unsigned track_of(EventKind kind) {
    return static_cast<unsigned>(event_family(kind)) + 1;
}

const char* track_name(unsigned track) {
    return to_string(static_cast<EventFamily>(track - 1));
}

std::string json_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20 || u > 0x7E) {
            out += fmt::format("\\u{:04x}", u);
        } else {
            out += c;
        }
    }
    return out;
}

// The kind's own fields as `"name":value` pairs.
std::string field_pairs(const Event& e) {
    const EventKindInfo& info = event_info(e.kind);
    const uint32_t values[4] = {e.a, e.b, e.c, e.d};
    std::string out;
    for (unsigned i = 0; i < 4; ++i) {
        if (!info.fields[i]) continue;
        if (e.kind == EventKind::Exception && i == 1 && !(e.flags & Event::kHasError)) continue;
        if (e.kind == EventKind::Exception && i == 2 && e.a != 14) continue;
        out += fmt::format(",\"{}\":{}", info.fields[i], values[i]);
    }
    return out;
}

}  // namespace

std::string event_to_json(const Event& e, const EventLog& log, uint32_t ns_per_instruction) {
    std::string out = fmt::format(R"J({{"i":{},"t_ns":{},"kind":"{}","pid":{})J", e.icount,
                                  e.icount * ns_per_instruction, to_string(e.kind), e.pid);
    if (e.kind == EventKind::Exec || e.kind == EventKind::Fork) {
        const uint32_t named = e.kind == EventKind::Exec ? e.a : e.b;
        out += fmt::format(R"J(,"name":"{}")J", json_escape(log.process_name(named)));
    }
    out += fmt::format(R"J(,"eip":{},"cr3":{},"cpl":{})J", e.eip, e.cr3, e.cpl);
    out += field_pairs(e);
    out += '}';
    return out;
}

std::string event_to_text(const Event& e, const EventLog* log) {
    std::string who = fmt::format("pid {}", e.pid);
    if (log && !log->process_name(e.pid).empty()) who += fmt::format(" ({})", log->process_name(e.pid));
    std::string out = fmt::format("#{} {} ", e.icount, who);
    if (e.kind == EventKind::Exception) {
        static const char* kNames[] = {"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF",
                                       "#09", "#TS", "#NP", "#SS", "#GP", "#PF", "#15", "#MF", "#AC"};
        out += e.a < std::size(kNames) ? kNames[e.a] : fmt::format("exception {}", e.a);
        if (e.a == 14) {
            // The error code's bits, in words: why the page fault happened.
            out += fmt::format(" {} {:#x} ({}, {})", (e.b & 2) ? "write to" : "read of", e.c,
                               (e.b & 1) ? "protection" : "not present", (e.b & 4) ? "user" : "kernel");
        } else if (e.flags & Event::kHasError) {
            out += fmt::format(" error={:#x}", e.b);
        }
        return out + fmt::format(" at eip {:#x}", e.eip);
    }
    if (e.kind == EventKind::Interrupt) return out + fmt::format("irq {} (vector {:#x})", e.b, e.a);
    out += to_string(e.kind);
    const EventKindInfo& info = event_info(e.kind);
    const uint32_t values[4] = {e.a, e.b, e.c, e.d};
    // Process ids in decimal, as the process list shows them ("child=12", not "child=0xc").
    auto is_pid = [](std::string_view field) {
        return field == "parent" || field == "child" || field == "target" || field == "victim" ||
               field == "owner" || field == "to_pid";
    };
    for (unsigned i = 0; i < 4; ++i) {
        if (!info.fields[i]) continue;
        out += is_pid(info.fields[i]) ? fmt::format(" {}={}", info.fields[i], values[i])
                                      : fmt::format(" {}={:#x}", info.fields[i], values[i]);
    }
    if (e.kind == EventKind::Exec && log) out += fmt::format(" \"{}\"", log->process_name(e.a));
    return out;
}

std::string event_stop_text(const Event& e, const EventLog* log) {
    std::string text = event_to_text(e, log);
    if (e.kind != EventKind::Exception) text += fmt::format(" at eip {:#x}", e.eip);  // exceptions say it
    return text;
}

EventWriter::EventWriter(const std::string& path, EventFormat format, EventFilter filter, EventLog& log,
                         uint32_t ns_per_instruction)
    : path_(path),
      format_(format),
      filter_(std::move(filter)),
      log_(log),
      ns_per_instruction_(ns_per_instruction) {
    file_ = open_output_file(path);
    if (!file_) throw ConfigError(fmt::format("--events: cannot open '{}' for writing", path));
    std::setvbuf(file_, nullptr, _IOFBF, 1 << 16);
    if (format_ == EventFormat::Chrome) put("[\n");
    subscription_ = log_.subscribe([this](const Event& e) {
        if (filter_.matches(e)) write(e);
    });
}

EventWriter::~EventWriter() {
    close();
}

bool EventWriter::close() {
    if (subscription_) log_.unsubscribe(subscription_);
    subscription_ = 0;
    if (!file_) return !failed_;
    if (format_ == EventFormat::Chrome) {
        // The array's end, after a last metadata record (so that no event line needs a comma rule).
        put(R"J({"name":"process_name","ph":"M","pid":0,"tid":0,"args":{"name":"machine (no process)"}})J"
            "\n]\n");
    }
    if (std::fflush(file_) != 0 && !failed_) {
        failed_ = true;
        error_ = fmt::format("--events: cannot write '{}': {}", path_, std::strerror(errno));
    }
    std::fclose(file_);
    file_ = nullptr;
    return !failed_;
}

void EventWriter::put(const std::string& text) {
    if (failed_) return;
    if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) {
        failed_ = true;
        error_ = fmt::format("--events: cannot write '{}': {}", path_, std::strerror(errno));
    }
}

void EventWriter::write(const Event& e) {
    ++written_;
    if (format_ == EventFormat::JsonLines) {
        put(event_to_json(e, log_, ns_per_instruction_) + '\n');
        return;
    }
    write_chrome(e);
}

// An instant event ("ph":"i") at its virtual time in microseconds, in the process of its pid, on
// its family's track. Process and track names are metadata records written before first use.
void EventWriter::write_chrome(const Event& e) {
    const unsigned track = track_of(e.kind);
    const bool renamed = e.kind == EventKind::Exec;
    if (named_pids_.insert(e.pid).second || renamed) {
        const std::string& name = log_.process_name(e.pid);
        const std::string label = e.pid == 0     ? std::string("machine (no process)")
                                  : name.empty() ? fmt::format("pid {}", e.pid)
                                                 : fmt::format("{} (pid {})", name, e.pid);
        put(fmt::format(R"J({{"name":"process_name","ph":"M","pid":{},"tid":0,"args":{{"name":"{}"}}}},)J"
                        "\n",
                        e.pid, json_escape(label)));
        for (unsigned t = 1; t <= kTracks; ++t) {
            put(fmt::format(R"J({{"name":"thread_name","ph":"M","pid":{},"tid":{},"args":{{"name":"{}"}}}},)J"
                            "\n",
                            e.pid, t, track_name(t)));
        }
    }
    const double us = double(e.icount) * ns_per_instruction_ / 1000.0;
    std::string args = event_to_json(e, log_, ns_per_instruction_);
    std::string name = to_string(e.kind);
    if (e.kind == EventKind::Exception) name = fmt::format("exception {}", e.a);
    if (e.kind == EventKind::Interrupt) name = fmt::format("irq {}", e.b);
    put(fmt::format(
        R"J({{"name":"{}","cat":"{}","ph":"i","s":"t","ts":{:.3f},"pid":{},"tid":{},"args":{}}},)J"
        "\n",
        name, track_name(track), us, e.pid, track, args));
}

}  // namespace pc386
