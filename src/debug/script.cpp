#include "debug/script.h"

#include <fmt/format.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "base/log.h"
#include "base/quote.h"
#include "cpu/cpu.h"
#include "debug/event_writer.h"
#include "debug/tracer.h"
#include "machine/machine.h"
#include "machine/machine_error.h"

namespace pc386 {
namespace {

// Decodes a double-quoted string with C-style escapes; nullopt if malformed, with `why` saying how.
std::optional<std::string> unquote(const std::string& s, std::string& why) {
    if (s.empty() || s.front() != '"') {
        why = "needs a double-quoted string";
        return std::nullopt;
    }
    std::string out;
    for (size_t i = 1; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '"') {
            if (i + 1 == s.size()) return out;
            why = "has text after the closing double quote";
            return std::nullopt;
        }
        if (c != '\\') {
            out += c;
            continue;
        }
        if (++i == s.size()) break;  // a backslash at the very end: the string never closes
        switch (s[i]) {
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case '\\': out += '\\'; break;
            case '"': out += '"'; break;
            case 'x': {
                if (i + 2 >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[i + 1])) ||
                    !std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
                    why = "has a \\x escape without two hex digits";
                    return std::nullopt;
                }
                out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
                i += 2;
                break;
            }
            default:
                why = fmt::format("has an unknown escape '\\{}' (known: \\n \\r \\t \\\\ \\\" \\xHH)",
                                  printable(s.substr(i, 1)));
                return std::nullopt;
        }
    }
    why = "has an unterminated string (no closing double quote)";
    return std::nullopt;
}

std::string trim(const std::string& s) {
    size_t b = s.find_first_not_of(" \t\r");
    size_t e = s.find_last_not_of(" \t\r");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::optional<uint64_t> parse_number(const std::string& arg) {
    if (arg.empty() || arg[0] == '-' || arg[0] == '+') return std::nullopt;  // stoull would wrap "-1"
    size_t used = 0;
    try {
        const uint64_t v = std::stoull(arg, &used, 0);
        if (used == arg.size()) return v;
    } catch (const std::exception&) {
    }
    return std::nullopt;
}

std::optional<ScriptLine::Cmp> parse_cmp(const std::string& op) {
    using Cmp = ScriptLine::Cmp;
    if (op == "==") return Cmp::Eq;
    if (op == "!=") return Cmp::Ne;
    if (op == "<") return Cmp::Lt;
    if (op == "<=") return Cmp::Le;
    if (op == ">") return Cmp::Gt;
    if (op == ">=") return Cmp::Ge;
    return std::nullopt;
}

const char* cmp_text(ScriptLine::Cmp cmp) {
    static const char* kText[] = {"==", "!=", "<", "<=", ">", ">="};
    return kText[static_cast<int>(cmp)];
}

bool compare(uint64_t a, ScriptLine::Cmp cmp, uint64_t b) {
    switch (cmp) {
        case ScriptLine::Cmp::Eq: return a == b;
        case ScriptLine::Cmp::Ne: return a != b;
        case ScriptLine::Cmp::Lt: return a < b;
        case ScriptLine::Cmp::Le: return a <= b;
        case ScriptLine::Cmp::Gt: return a > b;
        case ScriptLine::Cmp::Ge: return a >= b;
    }
    return false;
}

std::vector<std::string> words(const std::string& s) {
    std::istringstream in(s);
    std::vector<std::string> out;
    std::string w;
    while (in >> w) out.push_back(w);
    return out;
}

std::string join(const std::vector<std::string>& parts, size_t from, size_t to) {
    std::string out;
    for (size_t i = from; i < to; ++i) out += (out.empty() ? "" : " ") + parts[i];
    return out;
}

}  // namespace

std::vector<ScriptLine> Script::load(const std::string& path) {
    // Only a regular file: a FIFO would block the open and /dev/zero would never end. Its size is
    // checked before reading, so a huge file costs nothing.
    std::error_code ec;
    if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec))
        throw ConfigError(fmt::format("--script: {} is not a regular file", quote(path)));
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError(fmt::format("--script: cannot read {}", quote(path)));
    const uintmax_t size = std::filesystem::file_size(path, ec);
    if (!ec && size > kMaxFileBytes)
        throw ConfigError(fmt::format("--script: {} has {} bytes; a script may have at most {} MiB",
                                      quote(path), size, kMaxFileBytes >> 20));
    // Read one byte past the limit: the file may have grown since the size was taken.
    std::string text(kMaxFileBytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad()) throw ConfigError(fmt::format("--script: read error on {}", quote(path)));
    text.resize(static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxFileBytes)
        throw ConfigError(fmt::format("--script: {} has more than {} MiB; that is too large for a script",
                                      quote(path), kMaxFileBytes >> 20));
    return parse(text, path);
}

std::vector<ScriptLine> Script::parse(const std::string& text, const std::string& name) {
    std::vector<ScriptLine> lines;
    // A UTF-8 byte order mark, as some editors write, is not part of the first command.
    std::string_view rest(text);
    if (rest.substr(0, 3) == "\xEF\xBB\xBF") rest.remove_prefix(3);
    unsigned line_no = 0;
    while (!rest.empty()) {
        const size_t eol = rest.find('\n');
        const std::string_view raw = rest.substr(0, eol);
        rest.remove_prefix(eol == std::string_view::npos ? rest.size() : eol + 1);
        ++line_no;
        auto fail = [&](const std::string& why) {
            return ConfigError(fmt::format("{}:{}: {}", printable(name), line_no, why));
        };
        if (raw.size() > kMaxLineBytes)
            throw fail(
                fmt::format("the line has {} bytes; a line may have at most {}", raw.size(), kMaxLineBytes));
        std::string line = trim(std::string(raw));
        if (line.empty() || line[0] == '#') continue;
        size_t space = line.find_first_of(" \t");
        std::string word = line.substr(0, space);
        std::string arg = space == std::string::npos ? std::string() : trim(line.substr(space));
        auto filter_of = [&](const std::string& text) {
            std::string why;
            auto f = EventFilter::parse(text, why);
            if (!f) throw fail(fmt::format("{}: {}", word, why));
            return *f;
        };
        ScriptLine sl{};
        sl.line_no = line_no;
        if (word == "expect" || word == "send" || word == "type") {
            std::string why;
            auto s = unquote(arg, why);
            if (!s) throw fail(fmt::format("{} {}", word, why));
            if (s->empty() && word == "expect") throw fail("expect needs a non-empty string");
            sl.op = word == "expect" ? ScriptLine::Op::Expect : word == "send" ? ScriptLine::Op::Send : ScriptLine::Op::Type;
            sl.text = *s;
        } else if (word == "timeout" || word == "wait-exit") {
            sl.op = word == "timeout" ? ScriptLine::Op::Timeout : ScriptLine::Op::WaitExit;
            if (!arg.empty()) {
                auto v = parse_number(arg);
                if (!v) throw fail(fmt::format("{} needs a number, got {}", word, quote(arg)));
                sl.number = *v;
                sl.has_number = true;
            } else if (word == "timeout") {
                throw fail("timeout needs an instruction count");
            }
        } else if (word == "wait-event" || word == "break-on") {
            sl.op = word == "wait-event" ? ScriptLine::Op::WaitEvent : ScriptLine::Op::BreakOn;
            std::vector<std::string> parts = words(arg);
            std::vector<std::string> kept;
            for (const std::string& p : parts) {
                if (p.rfind("timeout=", 0) == 0 && sl.op == ScriptLine::Op::WaitEvent) {
                    auto v = parse_number(p.substr(8));
                    if (!v || *v == 0) throw fail(fmt::format("{}: timeout= needs an instruction count", word));
                    sl.number = *v;
                    sl.has_number = true;
                } else {
                    kept.push_back(p);
                }
            }
            sl.filter = filter_of(join(kept, 0, kept.size()));
            sl.text = sl.filter.describe();
        } else if (word == "assert-event" || word == "assert-event-count") {
            std::vector<std::string> parts = words(arg);
            const size_t need = word == "assert-event" ? 3 : 3;
            if (parts.size() < need || (word == "assert-event" && parts.size() != 3))
                throw fail(word == "assert-event" ? "assert-event needs FIELD OP VALUE (or FIELD OP FIELD)"
                                                  : "assert-event-count needs FILTER OP COUNT");
            auto cmp = parse_cmp(parts[parts.size() - 2]);
            if (!cmp) throw fail(fmt::format("{}: unknown comparison '{}' (== != < <= > >=)", word, parts[parts.size() - 2]));
            sl.cmp = *cmp;
            const std::string& value = parts.back();
            if (word == "assert-event") {
                sl.op = ScriptLine::Op::AssertEvent;
                sl.text = parts[0];
                if (auto v = parse_number(value)) {
                    sl.number = *v;
                    sl.has_number = true;
                } else {
                    sl.other_field = value;
                }
            } else {
                sl.op = ScriptLine::Op::AssertEventCount;
                auto v = parse_number(value);
                if (!v) throw fail(fmt::format("assert-event-count needs a number, got '{}'", value));
                sl.number = *v;
                sl.filter = filter_of(join(parts, 0, parts.size() - 2));
                sl.text = sl.filter.describe();
            }
        } else if (word == "dump-events") {
            std::string why;
            auto s = unquote(arg, why);
            if (!s || s->empty()) throw fail("dump-events needs a double-quoted file name");
            sl.op = ScriptLine::Op::DumpEvents;
            sl.text = *s;
        } else {
            throw fail(fmt::format(
                "unknown command {} (expect, send, type, timeout, wait-exit, wait-event, assert-event, "
                "assert-event-count, break-on, dump-events)",
                quote(word)));
        }
        lines.push_back(sl);
    }
    return lines;
}

Script::Script(std::vector<ScriptLine> lines, Machine& machine)
    : lines_(std::move(lines)), machine_(machine), counts_(lines_.size(), 0) {
    machine_.add_serial_listener([this](uint8_t b) { on_output(b); });
    machine_.add_debugcon_listener([this](uint8_t b) { on_output(b); });
    machine_.add_slice_hook([this](StopReason reason) { return on_slice(reason); });
    // Counters for the assert-event-count lines, from the start of the run; the history for
    // dump-events.
    bool counting = false, dumping = false;
    for (const ScriptLine& l : lines_) {
        counting |= l.op == ScriptLine::Op::AssertEventCount;
        dumping |= l.op == ScriptLine::Op::DumpEvents;
    }
    if (dumping) machine_.events().keep_history();
    if (counting) {
        machine_.events().subscribe([this](const Event& e) {
            for (size_t i = 0; i < lines_.size(); ++i)
                if (lines_[i].op == ScriptLine::Op::AssertEventCount && lines_[i].filter.matches(e)) ++counts_[i];
        });
    }
    // The lines before the first wait run now, before the machine does: a wait-event at the top
    // arms its break before the first instruction, a send is queued for the guest's first read.
    step();
}

void Script::on_output(uint8_t byte) {
    output_ += static_cast<char>(byte);
    // Bound memory on chatty guests: keep enough tail for any expect string.
    if (output_.size() > (1u << 20)) output_.erase(0, output_.size() - (1u << 16));
    if (byte == '\n' || recent_lines_.empty()) recent_lines_.emplace_back();
    if (byte != '\n' && byte != '\r') recent_lines_.back() += static_cast<char>(byte);
    if (recent_lines_.size() > 6) recent_lines_.pop_front();
    if (recent_lines_.back().size() > 200) recent_lines_.back().erase(0, 100);
    match_expects();
}

// Expects are met the moment the text arrives (not at the end of the slice), so a guest that
// prints and exits within one slice still satisfies `expect` then `wait-exit`.
void Script::match_expects() {
    while (pc_ < lines_.size() && lines_[pc_].op == ScriptLine::Op::Expect && failure_.empty()) {
        const size_t at = output_.find(lines_[pc_].text);
        if (at == std::string::npos) return;
        output_.erase(0, at + lines_[pc_].text.size());
        line_armed_ = false;
        ++pc_;
    }
}

StopReason Script::on_slice(StopReason reason) {
    if (reason == StopReason::EventBreak) {
        const int id = machine_.break_id();
        if (wait_break_ && id == wait_break_) {
            event_ = machine_.break_event();
            machine_.remove_break(wait_break_);
            wait_break_ = 0;
            line_armed_ = false;
            ++pc_;
            reason = StopReason::None;  // our own stop: keep going with the next line
        } else if (std::find(break_ons_.begin(), break_ons_.end(), id) != break_ons_.end()) {
            stopped_at_break_ = true;
            return reason;
        }
    }
    if (reason != StopReason::None) return reason;
    auto stop = step();
    return stop ? *stop : StopReason::None;
}

std::string Script::context() const {
    std::string lines;
    for (const std::string& l : recent_lines_) {
        if (l.empty()) continue;
        lines += (lines.empty() ? "" : " | ") + l;
    }
    const CpuState& s = machine_.cpu().state();
    return fmt::format("at instruction {}, EIP {:04x}:{:08x}; last output: \"{}\"", machine_.instructions(),
                       s.seg[CS].selector, s.eip, lines);
}

bool Script::fail(const ScriptLine& line, const std::string& why) {
    failure_ = fmt::format("line {}: {}", line.line_no, why);
    return false;
}

std::optional<StopReason> Script::step() {
    match_expects();
    while (pc_ < lines_.size() && failure_.empty()) {
        const ScriptLine& line = lines_[pc_];
        const size_t index = pc_;
        switch (line.op) {
            case ScriptLine::Op::Expect:
            case ScriptLine::Op::WaitEvent: {
                if (!line_armed_) {
                    line_armed_ = true;
                    line_started_ = machine_.instructions();
                    if (line.op == ScriptLine::Op::WaitEvent) wait_break_ = machine_.add_break(line.filter);
                }
                const uint64_t budget = line.has_number && line.op == ScriptLine::Op::WaitEvent ? line.number : budget_;
                if (machine_.instructions() - line_started_ > budget) {
                    if (line.op == ScriptLine::Op::Expect)
                        fail(line, fmt::format("expected {} within {} instructions, {}", quote(line.text), budget, context()));
                    else
                        fail(line, fmt::format("no '{}' event within {} instructions, {}", line.text, budget, context()));
                    if (wait_break_) machine_.remove_break(wait_break_);
                    wait_break_ = 0;
                    return StopReason::HostRequest;
                }
                return std::nullopt;
            }
            case ScriptLine::Op::Send: machine_.serial_input(line.text); break;
            case ScriptLine::Op::Type: machine_.keyboard_type(line.text); break;
            case ScriptLine::Op::Timeout: budget_ = line.number; break;
            case ScriptLine::Op::WaitExit: return std::nullopt;  // satisfied by machine_stopped()
            case ScriptLine::Op::BreakOn: break_ons_.push_back(machine_.add_break(line.filter)); break;
            case ScriptLine::Op::AssertEvent: {
                if (!event_) {
                    fail(line, "assert-event: no event yet (use wait-event first)");
                    return StopReason::HostRequest;
                }
                auto value = event_field(*event_, line.text);
                auto other = line.other_field.empty() ? std::optional<uint64_t>(line.number)
                                                      : event_field(*event_, line.other_field);
                if (!value || !other) {
                    fail(line, fmt::format("assert-event: a {} event has no field '{}'", to_string(event_->kind),
                                           !value ? line.text : line.other_field));
                    return StopReason::HostRequest;
                }
                if (!compare(*value, line.cmp, *other)) {
                    fail(line, fmt::format("assert-event {} {} {} failed: {} is {:#x}, {} is {:#x} (event: {})",
                                           line.text, cmp_text(line.cmp),
                                           line.other_field.empty() ? fmt::format("{:#x}", line.number) : line.other_field,
                                           line.text, *value,
                                           line.other_field.empty() ? "expected" : line.other_field, *other,
                                           event_to_text(*event_, &machine_.events())));
                    return StopReason::HostRequest;
                }
                break;
            }
            case ScriptLine::Op::AssertEventCount:
                if (!compare(counts_[index], line.cmp, line.number)) {
                    fail(line, fmt::format("assert-event-count {} {} {} failed: {} events", line.text,
                                           cmp_text(line.cmp), line.number, counts_[index]));
                    return StopReason::HostRequest;
                }
                break;
            case ScriptLine::Op::DumpEvents: {
                std::FILE* f = open_output_file(line.text);
                if (!f) {
                    fail(line, fmt::format("dump-events: cannot open '{}' for writing", line.text));
                    return StopReason::HostRequest;
                }
                const EventLog& log = machine_.events();
                bool ok = true;
                for (size_t i = 0; i < log.history_size() && ok; ++i)
                    ok = std::fprintf(f, "%s\n", event_to_json(log.history(i), log, machine_.config().ns_per_instruction).c_str()) >= 0;
                ok = std::fclose(f) == 0 && ok;
                if (!ok) {
                    fail(line, fmt::format("dump-events: cannot write '{}'", line.text));
                    return StopReason::HostRequest;
                }
                break;
            }
        }
        ++pc_;
        match_expects();
    }
    if (!failure_.empty()) return StopReason::HostRequest;
    return StopReason::HostRequest;  // script done
}

void Script::machine_stopped(StopReason reason, int exit_status) {
    if (!failure_.empty()) return;
    if (pc_ >= lines_.size()) return;
    const ScriptLine& line = lines_[pc_];
    if (line.op == ScriptLine::Op::WaitExit && reason == StopReason::GuestExit) {
        if (line.has_number && static_cast<uint64_t>(exit_status) != line.number) {
            failure_ = fmt::format("line {}: guest exited with status {}, expected {}", line.line_no, exit_status,
                                   line.number);
            return;
        }
        ++pc_;
        if (pc_ < lines_.size())
            failure_ = fmt::format("line {}: the guest exited before the script's end", lines_[pc_].line_no);
        return;
    }
    failure_ = fmt::format("line {}: the machine stopped ({}) before this line completed, {}", line.line_no,
                           to_string(reason), context());
}

}  // namespace pc386
