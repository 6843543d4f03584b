// Lines of text too long for their pane are wrapped, never cut: a learner must be able to read
// every word of an event at 1280x720.
#pragma once

#include <string>
#include <vector>

namespace pc386 {

// `text` as lines of at most `columns` characters, broken at spaces; the lines after the first
// are indented by `indent` spaces (so a continuation reads as one). A word longer than a line is
// split. Never empty: an empty text is one empty line.
std::vector<std::string> wrap_text(const std::string& text, size_t columns, size_t indent = 2);

}  // namespace pc386
