// --junit FILE: a scripted run's checks as JUnit XML, the format CI systems (GitLab, Jenkins,
// GitHub's test reporters) show per test: one <testcase> per `case` block of the script, or per
// check line outside any case; a failed one carries the script's failure message, lines never
// reached are <skipped/>.
#pragma once

#include <string>
#include <vector>

#include "debug/script.h"

namespace pc386 {

// The XML text of the report ("suite" names the script).
std::string junit_xml(const std::string& suite, const std::vector<Script::Check>& checks);
// Writes it to `path`; false with `error` set when the file cannot be written.
bool write_junit(const std::string& path, const std::string& suite, const std::vector<Script::Check>& checks,
                 std::string& error);

}  // namespace pc386
