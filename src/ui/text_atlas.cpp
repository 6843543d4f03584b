#include "ui/text_atlas.h"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace pc386 {
namespace {

constexpr const char* kDefaultFont = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";

}  // namespace

TextAtlas::TextAtlas(SDL_Renderer* renderer, int pixel_size) : renderer_(renderer) {
    if (!TTF_WasInit() && TTF_Init() != 0)
        throw std::runtime_error(std::string("TTF_Init: ") + TTF_GetError());
    const char* path = std::getenv("PC386_FONT");
    if (!path || !*path) path = kDefaultFont;
    font_ = TTF_OpenFont(path, pixel_size);
    if (!font_) throw std::runtime_error(std::string("cannot open font '") + path + "': " + TTF_GetError());
    TTF_SetFontHinting(font_, TTF_HINTING_MONO);
    int advance = 0;
    if (TTF_GlyphMetrics32(font_, 'M', nullptr, nullptr, nullptr, nullptr, &advance) == 0 && advance > 0)
        char_w_ = advance;
    char_h_ = std::max(TTF_FontLineSkip(font_), 1);
}

TextAtlas::~TextAtlas() {
    for (auto& [ch, g] : glyphs_)
        if (g.texture) SDL_DestroyTexture(g.texture);
    if (font_) TTF_CloseFont(font_);
}

// Renders a glyph the first time it is asked for; a glyph the font lacks is cached as empty.
const TextAtlas::Glyph& TextAtlas::glyph(char32_t ch) {
    auto it = glyphs_.find(ch);
    if (it != glyphs_.end()) return it->second;
    Glyph g;
    if (ch > ' ' && TTF_GlyphIsProvided32(font_, ch)) {
        SDL_Surface* surface = TTF_RenderGlyph32_Blended(font_, ch, SDL_Color{255, 255, 255, 255});
        if (surface) {
            g.texture = SDL_CreateTextureFromSurface(renderer_, surface);
            g.w = surface->w;
            g.h = surface->h;
            SDL_FreeSurface(surface);
            if (g.texture) SDL_SetTextureBlendMode(g.texture, SDL_BLENDMODE_BLEND);
        }
    }
    return glyphs_.emplace(ch, g).first->second;
}

void TextAtlas::draw_char(char32_t ch, int x, int y, Rgb colour) {
    const Glyph& g = glyph(ch);
    if (!g.texture) return;
    SDL_SetTextureColorMod(g.texture, colour.r, colour.g, colour.b);
    SDL_Rect dst{x, y, g.w, g.h};
    SDL_RenderCopy(renderer_, g.texture, nullptr, &dst);
}

int TextAtlas::draw_text(std::string_view text, int x, int y, Rgb colour) {
    for (char c : text) {
        unsigned char byte = static_cast<unsigned char>(c);
        draw_char(byte >= 0x20 && byte < 0x7F ? char32_t(byte) : U'?', x, y, colour);
        x += char_w_;
    }
    return x;
}

}  // namespace pc386
