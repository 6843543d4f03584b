#include "sst_data.h"

#include <zlib.h>

#include <stdexcept>

namespace pc386::sst {
namespace {

std::string read_gzip(const std::string& path) {
    gzFile f = gzopen(path.c_str(), "rb");
    if (!f) throw std::runtime_error("cannot open " + path);
    gzbuffer(f, 1 << 18);
    std::string out;
    size_t used = 0;
    for (;;) {
        if (out.size() - used < (1 << 20)) out.resize(out.size() + (4 << 20));
        const int n = gzread(f, out.data() + used, static_cast<unsigned>(out.size() - used));
        if (n < 0) {
            gzclose(f);
            throw std::runtime_error("bad gzip data in " + path);
        }
        if (n == 0) break;
        used += static_cast<size_t>(n);
    }
    gzclose(f);
    out.resize(used);
    return out;
}

// A cursor over the JSON text. Every parse_* skips leading white space.
class Parser {
  public:
    explicit Parser(const std::string& text) : begin_(text.data()), p_(begin_), end_(begin_ + text.size()) {}

    std::vector<Test> tests() {
        std::vector<Test> out;
        out.reserve(1000);
        expect('[');
        if (!try_consume(']')) {
            do {
                out.emplace_back();
                test(out.back());
            } while (try_consume(','));
            expect(']');
        }
        return out;
    }

  private:
    [[noreturn]] void fail(const char* what) {
        throw std::runtime_error(std::string("JSON: ") + what + " near offset " +
                                 std::to_string(p_ - begin_));
    }
    void ws() {
        while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
    }
    bool try_consume(char c) {
        ws();
        if (p_ < end_ && *p_ == c) {
            ++p_;
            return true;
        }
        return false;
    }
    void expect(char c) {
        if (!try_consume(c)) fail("unexpected character");
    }

    // Strings of this data have no escapes that matter; \x is kept as x.
    std::string string() {
        expect('"');
        std::string s;
        while (p_ < end_ && *p_ != '"') {
            if (*p_ == '\\' && p_ + 1 < end_) ++p_;
            s.push_back(*p_++);
        }
        if (p_ >= end_) fail("unterminated string");
        ++p_;
        return s;
    }

    int64_t integer() {
        ws();
        bool neg = false;
        if (p_ < end_ && *p_ == '-') neg = true, ++p_;
        if (p_ >= end_ || *p_ < '0' || *p_ > '9') fail("expected a number");
        int64_t v = 0;
        while (p_ < end_ && *p_ >= '0' && *p_ <= '9') v = v * 10 + (*p_++ - '0');
        return neg ? -v : v;
    }

    // Any value, discarded (unknown keys).
    void skip() {
        ws();
        if (p_ >= end_) fail("unexpected end");
        if (*p_ == '"') {
            string();
        } else if (*p_ == '{' || *p_ == '[') {
            const char close = *p_ == '{' ? '}' : ']';
            ++p_;
            if (try_consume(close)) return;
            do {
                if (close == '}') {
                    string();
                    expect(':');
                }
                skip();
            } while (try_consume(','));
            expect(close);
        } else {
            while (p_ < end_ && *p_ != ',' && *p_ != '}' && *p_ != ']') ++p_;
        }
    }

    // Calls f(key) for each key of an object; f must consume the value.
    template <typename F>
    void object(F&& f) {
        expect('{');
        if (try_consume('}')) return;
        do {
            const std::string key = string();
            expect(':');
            f(key);
        } while (try_consume(','));
        expect('}');
    }
    template <typename F>
    void array(F&& f) {
        expect('[');
        if (try_consume(']')) return;
        do f();
        while (try_consume(','));
        expect(']');
    }

    void state(MachineState& s) {
        object([&](const std::string& key) {
            if (key == "regs") {
                object([&](const std::string& reg) {
                    for (unsigned i = 0; i < kRegCount; ++i) {
                        if (reg == kRegNames[i]) {
                            s.regs[i] = static_cast<uint16_t>(integer());
                            s.present |= static_cast<uint16_t>(1u << i);
                            return;
                        }
                    }
                    skip();
                });
            } else if (key == "ram") {
                s.ram.reserve(32);
                array([&] {
                    expect('[');
                    const auto addr = static_cast<uint32_t>(integer());
                    expect(',');
                    const auto value = static_cast<uint8_t>(integer());
                    expect(']');
                    s.ram.emplace_back(addr, value);
                });
            } else {
                skip();
            }
        });
    }

    void test(Test& t) {
        object([&](const std::string& key) {
            if (key == "idx")
                t.idx = static_cast<int>(integer());
            else if (key == "name")
                t.name = string();
            else if (key == "bytes")
                array([&] { t.bytes.push_back(static_cast<uint8_t>(integer())); });
            else if (key == "initial")
                state(t.initial);
            else if (key == "final")
                state(t.final);
            else if (key == "exception") {
                t.has_exception = true;
                object([&](const std::string& k) {
                    if (k == "number")
                        t.exception_number = static_cast<unsigned>(integer());
                    else if (k == "flag_address")
                        t.flag_address = integer();
                    else
                        skip();
                });
            } else {
                skip();
            }
        });
    }

    const char* begin_;
    const char* p_;
    const char* end_;
};

}  // namespace

std::vector<Test> load_tests(const std::string& path) {
    const std::string text = read_gzip(path);
    return Parser(text).tests();
}

}  // namespace pc386::sst
