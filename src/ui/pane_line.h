// One line of text in a scrolling pane (address space, frame inspector, CPU), with how it is drawn.
#pragma once

#include <string>

namespace pc386 {

struct PaneLine {
    enum class Style : unsigned char {
        Text,
        Title,
        Dim,
        Highlight,
        Warning,
        Selected
    };  // Selected: on a bar
    std::string text;
    Style style = Style::Text;
    friend bool operator==(const PaneLine&, const PaneLine&) = default;
};

}  // namespace pc386
