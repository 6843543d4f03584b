#include "debug/junit_report.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>

#include "base/quote.h"
#include "debug/tracer.h"

namespace pc386 {
namespace {

std::string xml_escape(const std::string& text) {
    std::string out;
    for (unsigned char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default:
                if (c < 0x20 && c != '\n' && c != '\t')
                    out += fmt::format("&#x{:x};", c == 0 ? 0xFFFD : c);
                else
                    out += static_cast<char>(c);
        }
    }
    return out;
}

struct TestCase {
    std::string name;
    double seconds = 0;
    std::string failure;  // empty: passed (unless skipped)
    bool failed = false, skipped = true;
};

}  // namespace

std::string junit_xml(const std::string& suite, const std::vector<Script::Check>& checks) {
    // Checks in a `case` make one test case; the others one each. A case passes when every check
    // in it passed, fails when one failed, and is skipped when none ran.
    std::vector<TestCase> cases;
    std::map<std::string, size_t> by_name;
    for (const Script::Check& c : checks) {
        size_t i;
        if (!c.test_case.empty() && by_name.count(c.test_case)) {
            i = by_name[c.test_case];
        } else {
            i = cases.size();
            TestCase fresh;
            fresh.name = c.test_case.empty() ? c.what : c.test_case;
            cases.push_back(std::move(fresh));
            if (!c.test_case.empty()) by_name[c.test_case] = i;
        }
        TestCase& t = cases[i];
        t.seconds += c.seconds;
        if (c.outcome == Script::Check::Outcome::Failed) {
            t.failed = true;
            t.failure = c.message;
        }
        if (c.outcome != Script::Check::Outcome::Skipped) t.skipped = false;
    }
    size_t failures = 0, skipped = 0;
    double total = 0;
    for (const TestCase& t : cases) {
        failures += t.failed;
        skipped += t.skipped && !t.failed;
        total += t.seconds;
    }
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += fmt::format("<testsuites tests=\"{}\" failures=\"{}\" skipped=\"{}\" time=\"{:.6f}\">\n",
                       cases.size(), failures, skipped, total);
    out += fmt::format(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" "
        "time=\"{:.6f}\">\n",
        xml_escape(suite), cases.size(), failures, skipped, total);
    for (const TestCase& t : cases) {
        out += fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{:.6f}\"", xml_escape(suite),
                           xml_escape(t.name), t.seconds);
        if (t.failed) {
            out += fmt::format(">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
                               xml_escape(printable(t.failure, 300)), xml_escape(t.failure));
        } else if (t.skipped) {
            out +=
                ">\n      <skipped message=\"not reached: an earlier check failed or the run stopped\"/>\n   "
                " </testcase>\n";
        } else {
            out += "/>\n";
        }
    }
    out += "  </testsuite>\n</testsuites>\n";
    return out;
}

bool write_junit(const std::string& path, const std::string& suite, const std::vector<Script::Check>& checks,
                 std::string& error) {
    std::FILE* f = open_output_file(path);
    if (!f) {
        error = fmt::format("--junit: cannot open {} for writing: {}", quote(path), std::strerror(errno));
        return false;
    }
    const std::string xml = junit_xml(suite, checks);
    const bool written = std::fwrite(xml.data(), 1, xml.size(), f) == xml.size();
    const int saved = errno;
    if (std::fclose(f) != 0 || !written) {
        error =
            fmt::format("--junit: cannot write {}: {}", quote(path), std::strerror(written ? errno : saved));
        return false;
    }
    return true;
}

}  // namespace pc386
