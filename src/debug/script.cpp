#include "debug/script.h"

#include <fmt/format.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <string_view>

#include "base/log.h"
#include "base/quote.h"
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
                size_t used = 0;
                try {
                    sl.number = std::stoull(arg, &used, 0);
                } catch (const std::exception&) {
                    used = 0;
                }
                if (arg[0] == '-' || arg[0] == '+') used = 0;  // stoull would wrap "-1" to 2^64-1
                if (used != arg.size())
                    throw fail(fmt::format("{} needs a number, got {}", word, quote(arg)));
                sl.has_number = true;
            } else if (word == "timeout") {
                throw fail("timeout needs an instruction count");
            }
        } else {
            throw fail(
                fmt::format("unknown command {} (expect, send, type, timeout, wait-exit)", quote(word)));
        }
        lines.push_back(sl);
    }
    return lines;
}

Script::Script(std::vector<ScriptLine> lines, Machine& machine) : lines_(std::move(lines)), machine_(machine) {
    machine_.add_serial_listener([this](uint8_t b) { on_output(b); });
    machine_.add_debugcon_listener([this](uint8_t b) { on_output(b); });
}

void Script::on_output(uint8_t byte) {
    output_ += static_cast<char>(byte);
    // Bound memory on chatty guests: keep enough tail for any expect string.
    if (output_.size() > (1u << 20)) output_.erase(0, output_.size() - (1u << 16));
}

std::optional<StopReason> Script::step() {
    while (pc_ < lines_.size()) {
        const ScriptLine& line = lines_[pc_];
        switch (line.op) {
            case ScriptLine::Op::Expect: {
                size_t at = output_.find(line.text);
                if (at != std::string::npos) {
                    output_.erase(0, at + line.text.size());
                    expect_armed_ = false;
                    ++pc_;
                    continue;
                }
                if (!expect_armed_) {
                    expect_armed_ = true;
                    expect_started_ = machine_.instructions();
                }
                if (machine_.instructions() - expect_started_ > budget_) {
                    failure_ = fmt::format("line {}: expected {} within {} instructions", line.line_no,
                                           quote(line.text), budget_);
                    return StopReason::HostRequest;
                }
                return std::nullopt;
            }
            case ScriptLine::Op::Send: machine_.serial_input(line.text); break;
            case ScriptLine::Op::Type: machine_.keyboard_type(line.text); break;
            case ScriptLine::Op::Timeout: budget_ = line.number; break;
            case ScriptLine::Op::WaitExit: return std::nullopt;  // satisfied by machine_stopped()
        }
        ++pc_;
    }
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
    failure_ = fmt::format("line {}: the machine stopped ({}) before this line completed", line.line_no,
                           to_string(reason));
}

}  // namespace pc386
