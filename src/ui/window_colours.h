// The debug window's text and background colours, shared by the files that draw its panes.
#pragma once

#include "ui/rgb.h"

namespace pc386::window_colours {

inline constexpr Rgb kBackground{22, 22, 28};
inline constexpr Rgb kTitle{230, 230, 160};
inline constexpr Rgb kText{200, 200, 200};
inline constexpr Rgb kDim{120, 120, 130};
inline constexpr Rgb kHighlight{255, 210, 60};
inline constexpr Rgb kWarning{255, 120, 100};
inline constexpr Rgb kSelectedRow{40, 60, 110};  // the selected process, page or event
inline constexpr Rgb kButton{50, 50, 70};
inline constexpr Rgb kButtonOn{90, 70, 30};  // a switch that is on (break on events)

}  // namespace pc386::window_colours
