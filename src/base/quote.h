// Quoting user-supplied text (a path, a script word, an option value) for an error message: an
// error line repeats what the user gave, but must stay one short, printable line whatever it was
// (a 10 MiB word, a binary file's control bytes).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace pc386 {

inline constexpr size_t kQuoteMaxBytes = 200;  // enough for a long path, short enough for a line

// The text in single quotes, with control bytes, quotes, backslashes and invalid UTF-8 as escapes
// (\n, \t, \', \\, \xHH; valid UTF-8 is kept), cut after `max_bytes` bytes of the text with
// "..." and the full size appended.
std::string quote(std::string_view text, size_t max_bytes = kQuoteMaxBytes);
// The same without the quotes (and quotes and backslashes kept as they are), for text that starts
// a message ("FILE:LINE: ...") or is a message already.
std::string printable(std::string_view text, size_t max_bytes = kQuoteMaxBytes);

}  // namespace pc386
