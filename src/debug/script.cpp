#include "debug/script.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <cstring>
#include <set>
#include <sstream>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "base/log.h"
#include "base/parse_number.h"
#include "base/quote.h"
#include "cpu/cpu.h"
#include "debug/event_writer.h"
#include "debug/gdb_monitor.h"
#include "guestos/abi/guest_info.h"
#include "debug/tracer.h"
#include "machine/machine.h"
#include "machine/machine_error.h"
#include "machine/snapshot_file.h"
#include "mmu/mmu.h"
#include "mmu/physical_bus.h"

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

// A budget: "5s", "250ms", "2.5s" (virtual time, in ns: second = true) or "100M", "20k", "5000"
// (instructions).
std::optional<std::pair<uint64_t, bool>> parse_duration(const std::string& text) {
    auto number_with = [&](size_t suffix_len, double scale, bool seconds) -> std::optional<std::pair<uint64_t, bool>> {
        const std::string digits = text.substr(0, text.size() - suffix_len);
        if (digits.empty() || !std::isdigit(static_cast<unsigned char>(digits[0]))) return std::nullopt;
        size_t used = 0;
        double v = 0;
        try {
            v = std::stod(digits, &used);
        } catch (const std::exception&) {
            return std::nullopt;
        }
        if (used != digits.size() || !(v * scale >= 1) || v * scale > 1e19) return std::nullopt;
        return std::make_pair(static_cast<uint64_t>(v * scale), seconds);
    };
    if (text.size() > 2 && text.compare(text.size() - 2, 2, "ms") == 0) return number_with(2, 1e6, true);
    if (text.size() > 1 && text.back() == 's') return number_with(1, 1e9, true);
    if (text.size() > 1 && (text.back() == 'k' || text.back() == 'K')) return number_with(1, 1e3, false);
    if (text.size() > 1 && text.back() == 'M') return number_with(1, 1e6, false);
    if (text.size() > 1 && text.back() == 'G') return number_with(1, 1e9, false);
    if (auto v = parse_number(text); v && *v > 0) return std::make_pair(*v, false);
    return std::nullopt;
}

// Splits "\"cow copies\" > 0" or "eax == 5" into words, a double-quoted name being one word.
std::vector<std::string> words_quoted(const std::string& s) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
        if (i >= s.size()) break;
        if (s[i] == '"') {
            const size_t end = s.find('"', i + 1);
            if (end == std::string::npos) return {};
            out.push_back(s.substr(i + 1, end - i - 1));
            i = end + 1;
            continue;
        }
        const size_t start = i;
        while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
        out.push_back(s.substr(start, i - start));
    }
    return out;
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
    std::vector<ScriptLine> lines = load(path, 0);
    check_snapshot_names(lines);
    return lines;
}

// A restore needs a save before it (in line order, across includes), and the names are few: each
// snapshot holds a copy of RAM.
void Script::check_snapshot_names(const std::vector<ScriptLine>& lines) {
    std::set<std::string> saved;
    for (const ScriptLine& l : lines) {
        if (l.op != ScriptLine::Op::Snapshot) continue;
        auto fail = [&](const std::string& why) {
            return ConfigError(fmt::format("{}:{}: {}", printable(l.file), l.line_no, why));
        };
        if (l.snapshot == ScriptLine::SnapshotAction::Save) {
            saved.insert(l.text);
            if (saved.size() > kMaxSnapshots)
                throw fail(fmt::format("snapshot save: more than {} names (each holds a copy of RAM)", kMaxSnapshots));
        } else if (l.snapshot == ScriptLine::SnapshotAction::Restore && !saved.count(l.text)) {
            throw fail(fmt::format("snapshot restore {}: no line before it saves that name", quote(l.text)));
        }
    }
}

std::vector<ScriptLine> Script::load(const std::string& path, unsigned depth) {
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
    std::vector<ScriptLine> lines;
    parse_into(text, path, lines, depth);
    return lines;
}

std::vector<ScriptLine> Script::parse(const std::string& text, const std::string& name) {
    std::vector<ScriptLine> lines;
    parse_into(text, name, lines, 0);
    check_snapshot_names(lines);
    return lines;
}

void Script::parse_into(const std::string& text, const std::string& name, std::vector<ScriptLine>& lines,
                        unsigned depth) {
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
        sl.file = name;
        auto duration_of = [&](const std::string& text, ScriptLine& into) {
            auto d = parse_duration(text);
            if (!d) throw fail(fmt::format("{} needs a time (5s, 250ms) or an instruction count (100M, 20k, 5000), got {}",
                                           word, quote(text)));
            into.number = d->first;
            into.in_seconds = d->second;
            into.has_number = true;
        };
        auto comparison = [&](const std::vector<std::string>& parts, size_t at) {
            auto cmp = parse_cmp(parts[at]);
            if (!cmp) throw fail(fmt::format("{}: unknown comparison {} (== != < <= > >=)", word, quote(parts[at])));
            auto v = parse_number(parts[at + 1]);
            if (!v) throw fail(fmt::format("{} needs a number, got {}", word, quote(parts[at + 1])));
            sl.cmp = *cmp;
            sl.value = *v;
        };
        if (word == "include") {
            std::string why;
            auto file = unquote(arg, why);
            if (!file || file->empty()) throw fail("include needs a double-quoted file name");
            if (depth >= 8) throw fail("include: more than 8 levels (a script that includes itself?)");
            const std::filesystem::path path = std::filesystem::path(*file).is_absolute()
                                                   ? std::filesystem::path(*file)
                                                   : std::filesystem::path(name).parent_path() / *file;
            const std::vector<ScriptLine> included = load(path.string(), depth + 1);
            lines.insert(lines.end(), included.begin(), included.end());
            continue;
        }
        if (word == "timeout" || word == "run") {
            sl.op = word == "timeout" ? ScriptLine::Op::Timeout : ScriptLine::Op::Run;
            if (arg.empty()) throw fail(fmt::format("{} needs a time (5s) or an instruction count (100M)", word));
            duration_of(arg, sl);
        } else if (word == "assert-reg" || word == "assert-counter") {
            std::vector<std::string> parts = words_quoted(arg);
            if (parts.size() != 3)
                throw fail(word == "assert-reg" ? "assert-reg needs REG OP VALUE" : "assert-counter needs NAME OP VALUE");
            sl.op = word == "assert-reg" ? ScriptLine::Op::AssertReg : ScriptLine::Op::AssertCounter;
            sl.text = parts[0];
            if (sl.op == ScriptLine::Op::AssertReg) {
                static const char* kRegs[] = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "eip", "eflags",
                                              "cs",  "ss",  "ds",  "es",  "fs",  "gs",  "cr0", "cr2", "cr3", "cpl"};
                std::string lower = sl.text;
                for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                if (std::find(std::begin(kRegs), std::end(kRegs), lower) == std::end(kRegs))
                    throw fail(fmt::format("assert-reg: unknown register {} (eax..edi, eip, eflags, cs..gs, cr0, cr2, cr3, cpl)",
                                           quote(sl.text)));
                sl.text = lower;
            }
            comparison(parts, 1);
        } else if (word == "assert-mem") {
            std::vector<std::string> parts = words(arg);
            if (parts.size() != 4) throw fail("assert-mem needs ADDR SIZE OP VALUE (ADDR linear, or phys:ADDR)");
            std::string addr = parts[0];
            if (addr.rfind("phys:", 0) == 0) sl.physical = true, addr = addr.substr(5);
            auto a = parse_number(addr);
            if (!a || *a > 0xFFFFFFFFu) throw fail(fmt::format("assert-mem needs an address, got {}", quote(parts[0])));
            auto size = parse_number(parts[1]);
            if (!size || (*size != 1 && *size != 2 && *size != 4))
                throw fail(fmt::format("assert-mem: SIZE is 1, 2 or 4 bytes, got {}", quote(parts[1])));
            sl.op = ScriptLine::Op::AssertMem;
            sl.number = *a;
            sl.size = static_cast<uint32_t>(*size);
            comparison(parts, 2);
        } else if (word == "screenshot") {
            std::string why;
            auto s = unquote(arg, why);
            if (!s || s->empty()) throw fail("screenshot needs a double-quoted file name (FILE.png)");
            sl.op = ScriptLine::Op::Screenshot;
            sl.text = *s;
        } else if (word == "window") {
            std::string why;
            auto request = parse_window_command(arg, why);
            if (!request) throw fail(why);
            sl.op = ScriptLine::Op::Window;
            sl.window = *request;
            sl.text = arg;
        } else if (word == "snapshot") {
            std::vector<std::string> parts = words(arg);
            const std::string action = parts.empty() ? "" : parts[0];
            const std::string rest = parts.empty() ? "" : trim(arg.substr(arg.find(action) + action.size()));
            sl.op = ScriptLine::Op::Snapshot;
            if (action == "save" || action == "restore") {
                if (parts.size() != 2) throw fail(fmt::format("snapshot {} needs one NAME (a word)", action));
                sl.snapshot = action == "save" ? ScriptLine::SnapshotAction::Save : ScriptLine::SnapshotAction::Restore;
                sl.text = parts[1];
            } else if (action == "write") {
                std::string why;
                auto file = unquote(rest, why);
                if (!file || file->empty()) throw fail("snapshot write needs a double-quoted file name");
                sl.snapshot = ScriptLine::SnapshotAction::Write;
                sl.text = *file;
            } else {
                throw fail("snapshot: save NAME, restore NAME or write \"FILE\"");
            }
        } else if (word == "dump-map" || word == "case") {
            std::string why;
            auto s = unquote(arg, why);
            if (!s || s->empty()) throw fail(fmt::format("{} needs a double-quoted {}", word, word == "case" ? "name" : "file name"));
            sl.op = word == "case" ? ScriptLine::Op::Case : ScriptLine::Op::DumpMap;
            sl.text = *s;
        } else if (word == "expect" || word == "send" || word == "type") {
            std::string why;
            auto s = unquote(arg, why);
            if (!s) throw fail(fmt::format("{} {}", word, why));
            if (s->empty() && word == "expect") throw fail("expect needs a non-empty string");
            sl.op = word == "expect" ? ScriptLine::Op::Expect : word == "send" ? ScriptLine::Op::Send : ScriptLine::Op::Type;
            sl.text = *s;
        } else if (word == "wait-exit") {
            sl.op = ScriptLine::Op::WaitExit;
            if (!arg.empty()) {
                auto v = parse_number(arg);
                if (!v) throw fail(fmt::format("{} needs a number, got {}", word, quote(arg)));
                sl.number = *v;
                sl.has_number = true;
            }
        } else if (word == "wait-event" || word == "break-on") {
            sl.op = word == "wait-event" ? ScriptLine::Op::WaitEvent : ScriptLine::Op::BreakOn;
            std::vector<std::string> parts = words(arg);
            std::vector<std::string> kept;
            for (const std::string& p : parts) {
                if (p.rfind("timeout=", 0) == 0 && sl.op == ScriptLine::Op::WaitEvent) {
                    duration_of(p.substr(8), sl);
                } else {
                    kept.push_back(p);
                }
            }
            sl.filter = filter_of(join(kept, 0, kept.size()));
            sl.text = sl.filter.describe();
        } else if (word == "assert-event" || word == "assert-event-count") {
            std::vector<std::string> parts = words(arg);
            if (parts.size() < 3 || (word == "assert-event" && parts.size() != 3))
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
            throw fail(
                fmt::format("unknown command {} (expect, send, type, run, timeout, wait-exit, wait-event, "
                            "break-on, assert-*, "
                            "dump-*, screenshot, window, snapshot, case, include)",
                            quote(word)));
        }
        lines.push_back(sl);
    }
}

Script::Script(std::vector<ScriptLine> lines, Machine& machine)
    : lines_(std::move(lines)),
      machine_(machine),
      outcomes_(lines_.size(), Check::Outcome::Skipped),
      seconds_(lines_.size(), 0),
      counts_(lines_.size(), 0) {
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
    while (pc_ < lines_.size() && failure_.empty()) {
        if (lines_[pc_].op == ScriptLine::Op::Case) {  // no effect: the next expect may match too
            ++pc_;
            continue;
        }
        if (lines_[pc_].op != ScriptLine::Op::Expect) return;
        const size_t at = output_.find(lines_[pc_].text);
        if (at == std::string::npos) return;
        output_.erase(0, at + lines_[pc_].text.size());
        passed(pc_);
        ++pc_;
    }
}

// A check line is done: passed, with the virtual time it waited.
void Script::passed(size_t index) {
    outcomes_[index] = Check::Outcome::Passed;
    seconds_[index] = line_armed_ ? double(machine_.now() - line_started_ns_) / 1e9 : 0;
    line_armed_ = false;
}

StopReason Script::on_slice(StopReason reason) {
    if (reason == StopReason::EventBreak) {
        const int id = machine_.break_id();
        if (wait_break_ && id == wait_break_) {
            event_ = machine_.break_event();
            machine_.remove_break(wait_break_);
            wait_break_ = 0;
            passed(pc_);
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
    return fmt::format("at instruction {}, {:.3f} s, EIP {:04x}:{:08x}; last output: {}", machine_.instructions(),
                       double(machine_.now()) / 1e9, s.seg[CS].selector, s.eip, quote(lines, 400));
}

bool Script::fail(const ScriptLine& line, const std::string& why) {
    failure_ = fmt::format("line {}: {}", line.line_no, why);
    if (pc_ < outcomes_.size()) outcomes_[pc_] = Check::Outcome::Failed;
    return false;
}

// A line's budget in virtual nanoseconds: instructions count at the machine's rate.
uint64_t Script::budget_ns(const ScriptLine& line) const {
    if (!line.has_number || (line.op != ScriptLine::Op::WaitEvent && line.op != ScriptLine::Op::Run &&
                             line.op != ScriptLine::Op::Timeout))
        return budget_ns_;
    return line.in_seconds ? line.number : line.number * machine_.config().ns_per_instruction;
}

std::optional<uint64_t> Script::register_value(const std::string& name) const {
    const Cpu& cpu = machine_.cpu();
    const CpuState& s = cpu.state();
    static const char* kGeneral[] = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
    for (unsigned r = 0; r < 8; ++r)
        if (name == kGeneral[r]) return s.regs[r];
    static const char* kSegs[] = {"es", "cs", "ss", "ds", "fs", "gs"};
    for (unsigned r = 0; r < 6; ++r)
        if (name == kSegs[r]) return s.seg[r].selector;
    if (name == "eip") return s.eip;
    if (name == "eflags") return cpu.eflags();
    if (name == "cr0") return cpu.cr0();
    if (name == "cr2") return s.cr2;
    if (name == "cr3") return cpu.cr3();
    if (name == "cpl") return s.cpl;
    return std::nullopt;
}

// The machine's counters by name, then the ones the guest publishes (abi/guest_info.h), read from
// guest RAM with every count and address checked.
std::optional<uint64_t> Script::counter_value(const std::string& name) const {
    const Cpu& cpu = machine_.cpu();
    const MmuStats& mmu = machine_.mmu().stats();
    if (name == "instructions") return machine_.instructions();
    if (name == "exceptions") return cpu.exceptions_delivered();
    if (name == "interrupts") return cpu.interrupts_delivered();
    if (name == "page-faults") return mmu.faults();
    if (name == "tlb-hits") return mmu.tlb_hits;
    if (name == "tlb-misses") return mmu.tlb_misses;
    if (name == "tlb-flushes") return mmu.tlb_flushes;
    if (name == "page-walks") return mmu.page_walks;
    if (name == "resets") return machine_.resets();
    const uint32_t at = machine_.guest_info_address();
    guest_info info{};
    if (!at || !machine_.bus().peek(at, &info, sizeof info) || info.magic != GUEST_INFO_MAGIC) return std::nullopt;
    for (uint32_t i = 0; i < info.counter_count && i < 256; ++i) {
        guest_info_counter c{};
        if (!machine_.bus().peek(info.counters + i * uint32_t{sizeof c}, &c, sizeof c)) return std::nullopt;
        if (name == std::string(c.name, strnlen(c.name, sizeof c.name))) return c.value;
    }
    return std::nullopt;
}

std::optional<StopReason> Script::step() {
    match_expects();
    while (pc_ < lines_.size() && failure_.empty()) {
        const ScriptLine& line = lines_[pc_];
        const size_t index = pc_;
        auto check = [&](bool ok, const std::string& why) {
            if (ok) {
                passed(index);
                return true;
            }
            fail(line, why);
            return false;
        };
        switch (line.op) {
            case ScriptLine::Op::Expect:
            case ScriptLine::Op::WaitEvent:
            case ScriptLine::Op::Run: {
                if (!line_armed_) {
                    line_armed_ = true;
                    line_started_ns_ = machine_.now();
                    if (line.op == ScriptLine::Op::WaitEvent) wait_break_ = machine_.add_break(line.filter);
                }
                const uint64_t budget = budget_ns(line);
                const uint64_t waited = machine_.now() - line_started_ns_;
                if (waited >= budget) {
                    if (line.op == ScriptLine::Op::Run) {
                        passed(index);
                        break;
                    }
                    const std::string limit = fmt::format("{:.3f} s of virtual time", double(budget) / 1e9);
                    if (line.op == ScriptLine::Op::Expect)
                        fail(line, fmt::format("expected {} within {}, {}", quote(line.text), limit, context()));
                    else
                        fail(line, fmt::format("no '{}' event within {}, {}", line.text, limit, context()));
                    if (wait_break_) machine_.remove_break(wait_break_);
                    wait_break_ = 0;
                    return StopReason::HostRequest;
                }
                // The next slice ends where the budget does: `run 1000` runs exactly 1000
                // instructions, and a timeout is noticed on time.
                machine_.limit_next_slice(std::max<uint64_t>(1, (budget - waited) / machine_.config().ns_per_instruction));
                return std::nullopt;
            }
            case ScriptLine::Op::Send: machine_.serial_input(line.text); break;
            case ScriptLine::Op::Type: machine_.keyboard_type(line.text); break;
            case ScriptLine::Op::Timeout: budget_ns_ = budget_ns(line); break;
            case ScriptLine::Op::WaitExit:
                if (!line_armed_) {
                    line_armed_ = true;
                    line_started_ns_ = machine_.now();
                }
                return std::nullopt;  // satisfied by machine_stopped()
            case ScriptLine::Op::BreakOn: break_ons_.push_back(machine_.add_break(line.filter)); break;
            case ScriptLine::Op::Case: break;
            case ScriptLine::Op::Screenshot:
                if (!screenshot_) {
                    fail(line, "screenshot: this build of pc386 has no debug window to draw (built without SDL)");
                    return StopReason::HostRequest;
                }
                if (!screenshot_(line.text)) {
                    fail(line, fmt::format("screenshot: cannot write {}", quote(line.text)));
                    return StopReason::HostRequest;
                }
                break;
            case ScriptLine::Op::Snapshot:
                if (!take_snapshot_action(line)) return StopReason::HostRequest;
                break;
            case ScriptLine::Op::Window: {
                std::string why;
                if (!window_)
                    why = "this build of pc386 has no debug window (built without SDL)";
                else if (line.window.kind == WindowCommand::Kind::SelectEvent && !event_)
                    why = "no event yet (use wait-event first)";
                else if (window_(line.window, event_, why))
                    break;
                fail(line, fmt::format("window {}: {}", line.text, why));
                return StopReason::HostRequest;
            }
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
                if (!check(compare(*value, line.cmp, *other),
                           fmt::format("assert-event {} {} {} failed: {} is {:#x}, {} is {:#x} (event: {})",
                                       line.text, cmp_text(line.cmp),
                                       line.other_field.empty() ? fmt::format("{:#x}", line.number) : line.other_field,
                                       line.text, *value, line.other_field.empty() ? "expected" : line.other_field,
                                       *other, event_to_text(*event_, &machine_.events()))))
                    return StopReason::HostRequest;
                break;
            }
            case ScriptLine::Op::AssertEventCount:
                if (!check(compare(counts_[index], line.cmp, line.number),
                           fmt::format("assert-event-count {} {} {} failed: {} events", line.text, cmp_text(line.cmp),
                                       line.number, counts_[index])))
                    return StopReason::HostRequest;
                break;
            case ScriptLine::Op::AssertReg: {
                const uint64_t v = register_value(line.text).value_or(0);
                if (!check(compare(v, line.cmp, line.value),
                           fmt::format("assert-reg {} {} {:#x} failed: {} is {:#x}, {}", line.text, cmp_text(line.cmp),
                                       line.value, line.text, v, context())))
                    return StopReason::HostRequest;
                break;
            }
            case ScriptLine::Op::AssertMem: {
                uint32_t v = 0;
                const uint32_t at = static_cast<uint32_t>(line.number);
                const bool ok = line.physical ? machine_.bus().peek(at, &v, line.size)
                                              : machine_.mmu().read_linear(at, &v, line.size);
                const std::string where = fmt::format("{}{:#x}", line.physical ? "phys:" : "", at);
                if (!ok) {
                    fail(line, fmt::format("assert-mem: {} cannot be read ({})", where,
                                           line.physical ? "outside RAM" : "not mapped"));
                    return StopReason::HostRequest;
                }
                if (!check(compare(v, line.cmp, line.value),
                           fmt::format("assert-mem {} {} {} {:#x} failed: it holds {:#x}", where, line.size,
                                       cmp_text(line.cmp), line.value, v)))
                    return StopReason::HostRequest;
                break;
            }
            case ScriptLine::Op::AssertCounter: {
                auto v = counter_value(line.text);
                if (!v) {
                    fail(line, fmt::format("assert-counter: no counter {} (the machine's: instructions, exceptions, "
                                           "interrupts, page-faults, tlb-hits, tlb-misses, tlb-flushes, page-walks, "
                                           "resets; or one the guest publishes)",
                                           quote(line.text)));
                    return StopReason::HostRequest;
                }
                if (!check(compare(*v, line.cmp, line.value),
                           fmt::format("assert-counter {} {} {} failed: it is {}", quote(line.text), cmp_text(line.cmp),
                                       line.value, *v)))
                    return StopReason::HostRequest;
                break;
            }
            case ScriptLine::Op::DumpEvents:
            case ScriptLine::Op::DumpMap: {
                std::FILE* f = open_output_file(line.text);
                if (!f) {
                    fail(line, fmt::format("{}: cannot open {} for writing",
                                           line.op == ScriptLine::Op::DumpMap ? "dump-map" : "dump-events", quote(line.text)));
                    return StopReason::HostRequest;
                }
                bool ok = true;
                if (line.op == ScriptLine::Op::DumpMap) {
                    GdbMonitor monitor(machine_);
                    const std::string text = monitor.run("info frames") + "\naddress space\n" + monitor.run("info mem");
                    ok = std::fputs(text.c_str(), f) >= 0;
                } else {
                    const EventLog& log = machine_.events();
                    for (size_t i = 0; i < log.history_size() && ok; ++i)
                        ok = std::fprintf(f, "%s\n",
                                          event_to_json(log.history(i), log, machine_.config().ns_per_instruction)
                                              .c_str()) >= 0;
                }
                ok = std::fclose(f) == 0 && ok;
                if (!ok) {
                    fail(line, fmt::format("cannot write {}", quote(line.text)));
                    return StopReason::HostRequest;
                }
                break;
            }
        }
        ++pc_;
        match_expects();
    }
    return StopReason::HostRequest;  // the script is done (or failed)
}

bool Script::take_snapshot_action(const ScriptLine& line) {
    try {
        switch (line.snapshot) {
            case ScriptLine::SnapshotAction::Save:
                snapshots_[line.text] = machine_.save_snapshot();
                return true;
            case ScriptLine::SnapshotAction::Restore:
                machine_.load_snapshot(snapshots_.at(line.text));
                output_.clear();  // what the guest printed after the save is not its output any more
                return true;
            case ScriptLine::SnapshotAction::Write:
                if (write_snapshot_file(line.text, machine_.save_snapshot())) return true;
                return fail(line, fmt::format("snapshot write: cannot write {}", quote(line.text)));
        }
    } catch (const SnapshotError& e) {
        return fail(line, e.what());
    }
    return true;
}

void Script::machine_stopped(StopReason reason, int exit_status) {
    if (!failure_.empty()) return;
    step();  // lines that need no running machine (asserts, dumps) still run, up to the next wait
    if (!failure_.empty()) return;
    if (pc_ >= lines_.size()) return;
    const ScriptLine& line = lines_[pc_];
    if (line.op == ScriptLine::Op::WaitExit && reason == StopReason::GuestExit) {
        if (line.has_number && static_cast<uint64_t>(exit_status) != line.number) {
            fail(line, fmt::format("the guest wrote {} to port 0xF4, which is exit status {}; expected exit status {} "
                                   "(wait-exit takes the exit status, (V << 1) | 1)",
                                   exit_status >> 1, exit_status, line.number));
            return;
        }
        passed(pc_);
        ++pc_;
        if (pc_ < lines_.size())
            failure_ = fmt::format("line {}: the guest exited before the script's end", lines_[pc_].line_no);
        return;
    }
    fail(line, fmt::format("the machine stopped ({}) before this line completed, {}", to_string(reason), context()));
}

std::vector<Script::Check> Script::checks() const {
    std::vector<Check> out;
    std::string test_case;
    for (size_t i = 0; i < lines_.size(); ++i) {
        const ScriptLine& l = lines_[i];
        if (l.op == ScriptLine::Op::Case) {
            test_case = l.text;
            continue;
        }
        const bool is_check = l.op == ScriptLine::Op::Expect || l.op == ScriptLine::Op::WaitEvent ||
                              l.op == ScriptLine::Op::Run ||
                              l.op == ScriptLine::Op::WaitExit || l.op == ScriptLine::Op::AssertEvent ||
                              l.op == ScriptLine::Op::AssertEventCount || l.op == ScriptLine::Op::AssertReg ||
                              l.op == ScriptLine::Op::AssertMem || l.op == ScriptLine::Op::AssertCounter;
        if (!is_check) continue;
        static const char* kNames[] = {"expect",     "send",           "type",         "timeout",
                                       "wait-exit",  "wait-event",     "assert-event", "assert-event-count",
                                       "break-on",   "dump-events",    "run",          "assert-reg",
                                       "assert-mem", "assert-counter", "dump-map",     "case",
                                       "screenshot", "snapshot",       "window"};
        Check c;
        c.test_case = test_case;
        std::string detail = l.text;
        if (l.op == ScriptLine::Op::WaitExit) detail = l.has_number ? std::to_string(l.number) : "";
        c.what = fmt::format("line {}: {} {}", l.line_no, kNames[static_cast<int>(l.op)],
                             l.op == ScriptLine::Op::Expect ? quote(detail, 60) : printable(detail, 60));
        c.outcome = outcomes_[i];
        c.seconds = seconds_[i];
        if (c.outcome == Check::Outcome::Failed) c.message = failure_;
        out.push_back(std::move(c));
    }
    return out;
}

bool Script::uses_window() const {
    return std::any_of(lines_.begin(), lines_.end(), [](const ScriptLine& l) {
        return l.op == ScriptLine::Op::Screenshot || l.op == ScriptLine::Op::Window;
    });
}

std::string Script::summary() const {
    size_t passed = 0, failed = 0, skipped = 0;
    for (const Check& c : checks()) {
        if (c.outcome == Check::Outcome::Passed) ++passed;
        else if (c.outcome == Check::Outcome::Failed) ++failed;
        else ++skipped;
    }
    return fmt::format("script: {} passed, {} failed, {} skipped", passed, failed, skipped);
}

}  // namespace pc386
