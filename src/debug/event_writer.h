// --events FILE: the machine's event stream written as it happens, in one of two forms:
//   jsonl   one JSON object per line (schema in the README, "Events"): for jq, scripts, diffs;
//   chrome  the Chrome trace-event JSON array: opens in ui.perfetto.dev or chrome://tracing as a
//           timeline with one process per guest pid and one track per kind of event.
// Writes through stdio's buffer; a write error (a full disk) is kept and reported once by the
// caller (failed()), never thrown from the middle of an instruction.
#pragma once

#include <cstdint>
#include <cstdio>
#include <set>
#include <string>

#include "base/event_filter.h"
#include "base/event_log.h"

namespace pc386 {

enum class EventFormat { JsonLines, Chrome };

// One event as a JSON object (the jsonl form's line, without the newline). `ns_per_instruction`
// turns the instruction count into virtual time.
std::string event_to_json(const Event& e, const EventLog& log, uint32_t ns_per_instruction);
// One line for people: "#1234567 pid 7 (cowtest) cow-copy addr=0x40001000 old_frame=0x3a2 new_frame=0x3f1",
// "#1234 pid 3 (sh) #PF write to 0xbfffef40 (protection, user) at eip 0x400128". With a log,
// processes are named.
std::string event_to_text(const Event& e, const EventLog* log = nullptr);
// Where a run stopped at an event (a --break-on): the event's text with the EIP it happened at,
// "#812 pid 2 (sh) fork parent=2 child=3 at eip 0xc0104a2f".
std::string event_stop_text(const Event& e, const EventLog* log = nullptr);

class EventWriter {
  public:
    // Opens `path` (never blocking on a FIFO) and subscribes to `log`; throws ConfigError if the
    // file cannot be opened.
    EventWriter(const std::string& path, EventFormat format, EventFilter filter, EventLog& log,
                uint32_t ns_per_instruction);
    ~EventWriter();  // unsubscribes, closes the JSON array, flushes
    EventWriter(const EventWriter&) = delete;
    EventWriter& operator=(const EventWriter&) = delete;

    // Flushes and closes the file now; false if anything could not be written (see error()).
    bool close();
    bool failed() const { return failed_; }
    const std::string& error() const { return error_; }
    uint64_t written() const { return written_; }

  private:
    void write(const Event& e);
    void write_chrome(const Event& e);
    void put(const std::string& text);

    std::string path_;
    EventFormat format_;
    EventFilter filter_;
    EventLog& log_;
    uint32_t ns_per_instruction_;
    std::FILE* file_ = nullptr;
    int subscription_ = 0;
    bool failed_ = false;
    std::string error_;
    uint64_t written_ = 0;
    std::set<uint32_t> named_pids_;  // chrome: processes whose name/track metadata is written
};

}  // namespace pc386
