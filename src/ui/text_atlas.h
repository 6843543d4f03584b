// Monospaced text for the window: DejaVu Sans Mono through SDL2_ttf, each glyph rendered once in
// white into its own texture and tinted per draw, so a redraw of the whole window is a few thousand
// texture copies and no font rasterising.
#pragma once

#include <SDL.h>
#include <SDL_ttf.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "ui/rgb.h"

namespace pc386 {

class TextAtlas {
  public:
    // Opens the font (PC386_FONT if set, else DejaVu Sans Mono from fonts-dejavu-core) at
    // `pixel_size`. Throws std::runtime_error with SDL_ttf's message if no font can be opened.
    TextAtlas(SDL_Renderer* renderer, int pixel_size);
    ~TextAtlas();
    TextAtlas(const TextAtlas&) = delete;
    TextAtlas& operator=(const TextAtlas&) = delete;

    // The text cell: every character advances by char_w; lines are char_h apart.
    int char_w() const { return char_w_; }
    int char_h() const { return char_h_; }

    // Draws one code point with its cell's top-left corner at (x, y).
    void draw_char(char32_t ch, int x, int y, Rgb colour);
    // Draws ASCII text (other bytes show as '?') on one line; returns the x after the last cell.
    int draw_text(std::string_view text, int x, int y, Rgb colour);

  private:
    struct Glyph {
        SDL_Texture* texture = nullptr;
        int w = 0, h = 0;
    };
    const Glyph& glyph(char32_t ch);

    SDL_Renderer* renderer_;
    TTF_Font* font_ = nullptr;
    int char_w_ = 8, char_h_ = 16;
    std::unordered_map<char32_t, Glyph> glyphs_;
};

}  // namespace pc386
