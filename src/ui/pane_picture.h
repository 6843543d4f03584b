// One pane of the debug window as a list of drawing commands (fills, outlines, text, a texture)
// and a fingerprint of them. The renderer records every pane each frame, which is cheap (it formats
// text), and rasterises only the panes whose fingerprint changed since the picture on screen, which
// is what costs. So a pane is never re-rendered when what it shows did not change, and no pane can
// forget to say that it changed: its picture is the data it shows.
#pragma once

#include <SDL.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ui/layout.h"
#include "ui/rgb.h"

namespace pc386 {

class TextAtlas;

class PanePicture {
  public:
    // The text cell the recorded text advances by (TextAtlas's).
    void set_cell(int char_w, int char_h) {
        char_w_ = char_w;
        char_h_ = char_h;
    }
    int char_w() const { return char_w_; }
    int char_h() const { return char_h_; }

    // Starts an empty picture.
    void clear();
    void fill(const Rect& r, Rgb colour);
    void outline(const Rect& r, Rgb colour);
    // As TextAtlas's: one code point at (x, y); ASCII text on one line, returning the x after it.
    void draw_char(char32_t ch, int x, int y, Rgb colour);
    int draw_text(std::string_view text, int x, int y, Rgb colour);
    // Copies `texture` (all of it) to `dst`; `version` says when its pixels changed.
    void texture(SDL_Texture* texture, const Rect& dst, uint64_t version);

    // Equal fingerprints mean the same picture (a 64-bit hash of every command in order).
    uint64_t fingerprint() const { return hash_; }
    // Draws the commands with `renderer` (text through `atlas`) onto its current target.
    void replay(SDL_Renderer* renderer, TextAtlas& atlas) const;

  private:
    enum class Kind : uint8_t { Fill, Outline, Char, Text, Texture };
    struct Command {
        Kind kind;
        Rect rect;  // Char, Text: x and y only
        Rgb colour;
        char32_t ch = 0;                        // Char
        uint32_t text_at = 0, text_size = 0;    // Text: a slice of text_
        SDL_Texture* texture_source = nullptr;  // Texture
    };
    void mix(uint64_t value);
    void add(Kind kind, const Rect& r, Rgb colour, uint64_t extra);

    std::vector<Command> commands_;
    std::string text_;
    uint64_t hash_ = 0;
    int char_w_ = 8, char_h_ = 16;
};

}  // namespace pc386
