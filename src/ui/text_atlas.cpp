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
    cell_w_ = 2 * char_w_;  // wide glyphs (box drawing, some symbols) overhang their advance
    cell_h_ = std::max(char_h_, TTF_FontHeight(font_));
    atlas_pixels_ = SDL_CreateRGBSurfaceWithFormat(0, kAtlasColumns * cell_w_, kAtlasRows * cell_h_, 32,
                                                   SDL_PIXELFORMAT_ARGB8888);
    if (atlas_pixels_)
        atlas_ = SDL_CreateTexture(renderer_, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STATIC,
                                   atlas_pixels_->w, atlas_pixels_->h);
    if (!atlas_) {
        const std::string error = SDL_GetError();
        if (atlas_pixels_) SDL_FreeSurface(atlas_pixels_);
        TTF_CloseFont(font_);
        throw std::runtime_error("cannot make the glyph atlas: " + error);
    }
    SDL_FillRect(atlas_pixels_, nullptr, 0);  // transparent
    SDL_SetTextureBlendMode(atlas_, SDL_BLENDMODE_BLEND);
}

TextAtlas::~TextAtlas() {
    if (atlas_) SDL_DestroyTexture(atlas_);
    if (atlas_pixels_) SDL_FreeSurface(atlas_pixels_);
    if (font_) TTF_CloseFont(font_);
}

// Renders a glyph into the next free cell the first time it is asked for; a glyph the font lacks,
// or one past the atlas's kAtlasColumns x kAtlasRows cells, is cached as empty.
const TextAtlas::Glyph& TextAtlas::glyph(char32_t ch) {
    auto it = glyphs_.find(ch);
    if (it != glyphs_.end()) return it->second;
    Glyph g;
    if (ch > ' ' && glyphs_placed_ < kAtlasColumns * kAtlasRows && TTF_GlyphIsProvided32(font_, ch)) {
        if (SDL_Surface* surface = TTF_RenderGlyph32_Blended(font_, ch, SDL_Color{255, 255, 255, 255})) {
            const int cell = glyphs_placed_++;
            SDL_Rect dst{(cell % kAtlasColumns) * cell_w_, (cell / kAtlasColumns) * cell_h_,
                         std::min(surface->w, cell_w_), std::min(surface->h, cell_h_)};
            SDL_SetSurfaceBlendMode(surface, SDL_BLENDMODE_NONE);  // copy its alpha, do not blend it
            SDL_Rect src{0, 0, dst.w, dst.h};
            if (SDL_BlitSurface(surface, &src, atlas_pixels_, &dst) == 0) {
                g.source = dst;
                atlas_stale_ = true;
            }
            SDL_FreeSurface(surface);
        }
    }
    return glyphs_.emplace(ch, g).first->second;
}

void TextAtlas::draw_char(char32_t ch, int x, int y, Rgb colour) {
    const Glyph& g = glyph(ch);
    if (g.source.w == 0) return;
    if (atlas_stale_) {  // new glyphs since the last upload (a few times at start-up)
        SDL_UpdateTexture(atlas_, nullptr, atlas_pixels_->pixels, atlas_pixels_->pitch);
        atlas_stale_ = false;
    }
    SDL_SetTextureColorMod(atlas_, colour.r, colour.g, colour.b);
    SDL_Rect dst{x, y, g.source.w, g.source.h};
    SDL_RenderCopy(renderer_, atlas_, &g.source, &dst);
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
