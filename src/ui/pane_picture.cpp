#include "ui/pane_picture.h"

#include "ui/text_atlas.h"

namespace pc386 {
namespace {

constexpr uint64_t kFnvOffset = 14695981039346656037ull, kFnvPrime = 1099511628211ull;

}  // namespace

void PanePicture::clear() {
    commands_.clear();
    text_.clear();
    hash_ = kFnvOffset;
}

// FNV-1a over 64-bit words: one multiply per value, enough to tell two pictures apart.
void PanePicture::mix(uint64_t value) {
    hash_ = (hash_ ^ value) * kFnvPrime;
}

void PanePicture::add(Kind kind, const Rect& r, Rgb colour, uint64_t extra) {
    mix(uint64_t(kind) << 56 | uint64_t(colour.r) << 16 | uint64_t(colour.g) << 8 | colour.b);
    mix(uint64_t(uint32_t(r.x)) << 32 | uint32_t(r.y));
    mix(uint64_t(uint32_t(r.w)) << 32 | uint32_t(r.h));
    mix(extra);
}

void PanePicture::fill(const Rect& r, Rgb colour) {
    commands_.push_back({Kind::Fill, r, colour});
    add(Kind::Fill, r, colour, 0);
}

void PanePicture::outline(const Rect& r, Rgb colour) {
    commands_.push_back({Kind::Outline, r, colour});
    add(Kind::Outline, r, colour, 0);
}

void PanePicture::draw_char(char32_t ch, int x, int y, Rgb colour) {
    if (ch == U' ' || ch == 0) return;  // blank on any background: nothing to draw
    commands_.push_back({Kind::Char, {x, y, 0, 0}, colour, ch});
    add(Kind::Char, {x, y, 0, 0}, colour, ch);
}

int PanePicture::draw_text(std::string_view text, int x, int y, Rgb colour) {
    Command c{Kind::Text, {x, y, 0, 0}, colour};
    c.text_at = uint32_t(text_.size());
    c.text_size = uint32_t(text.size());
    text_.append(text);
    commands_.push_back(c);
    add(Kind::Text, c.rect, colour, text.size());
    for (unsigned char byte : text) hash_ = (hash_ ^ byte) * kFnvPrime;
    return x + int(text.size()) * char_w_;
}

void PanePicture::texture(SDL_Texture* texture, const Rect& dst, uint64_t version) {
    Command c{Kind::Texture, dst, {}};
    c.texture_source = texture;
    commands_.push_back(c);
    add(Kind::Texture, dst, {}, version);
    mix(uint64_t(reinterpret_cast<uintptr_t>(texture)));
}

void PanePicture::replay(SDL_Renderer* renderer, TextAtlas& atlas) const {
    for (const Command& c : commands_) {
        const SDL_Rect r{c.rect.x, c.rect.y, c.rect.w, c.rect.h};
        switch (c.kind) {
            case Kind::Fill:
            case Kind::Outline:
                SDL_SetRenderDrawColor(renderer, c.colour.r, c.colour.g, c.colour.b, 255);
                if (c.kind == Kind::Fill)
                    SDL_RenderFillRect(renderer, &r);
                else
                    SDL_RenderDrawRect(renderer, &r);
                break;
            case Kind::Char: atlas.draw_char(c.ch, c.rect.x, c.rect.y, c.colour); break;
            case Kind::Text:
                atlas.draw_text(std::string_view(text_).substr(c.text_at, c.text_size), c.rect.x, c.rect.y,
                                c.colour);
                break;
            case Kind::Texture: SDL_RenderCopy(renderer, c.texture_source, nullptr, &r); break;
        }
    }
}

}  // namespace pc386
