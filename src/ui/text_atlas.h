// Monospaced text for the window: DejaVu Sans Mono through SDL2_ttf, each glyph rendered once in
// white into a cell of one atlas texture and tinted per draw, so a redraw of the whole window is a
// few thousand copies from one texture and no font rasterising.
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
    // Every glyph lives in one texture (a grid of cells, filled as glyphs are first asked for), so a
    // pane's text is copies from a single texture, which the renderer batches into few draw calls
    // (a texture per glyph cost a draw call per character: ~15 ms a frame on Mesa's llvmpipe).
    struct Glyph {
        SDL_Rect source{};  // in the atlas; w == 0: nothing to draw (a space, a missing glyph)
    };
    const Glyph& glyph(char32_t ch);

    static constexpr int kAtlasColumns = 32, kAtlasRows = 32;
    SDL_Renderer* renderer_;
    TTF_Font* font_ = nullptr;
    int char_w_ = 8, char_h_ = 16;
    int cell_w_ = 16, cell_h_ = 16;  // an atlas cell: room for any glyph's surface
    SDL_Surface* atlas_pixels_ = nullptr;
    SDL_Texture* atlas_ = nullptr;
    bool atlas_stale_ = false;  // glyphs were added to atlas_pixels_ since the last upload
    int glyphs_placed_ = 0;
    std::unordered_map<char32_t, Glyph> glyphs_;
};

}  // namespace pc386
