#include "devices/ps2_mouse.h"

#include <algorithm>

namespace pc386 {
namespace {

constexpr uint8_t kAck = 0xFA;
constexpr uint8_t kResend = 0xFE;
constexpr uint8_t kSelfTestPassed = 0xAA;
constexpr uint8_t kMouseId = 0x00;  // a standard PS/2 mouse (no wheel: the IntelliMouse knock is ignored)

}  // namespace

void Ps2Mouse::reset() {
    set_defaults();
    pending_ = 0;
    remote_ = wrap_ = false;
    buttons_ = 0;
    last_ = 0;
}

// Power-on and 0xF6 defaults: 100 samples/s, 4 counts/mm, 1:1 scaling, stream mode, reporting off.
void Ps2Mouse::set_defaults() {
    sample_rate_ = 100;
    resolution_ = 2;
    scaling_2to1_ = false;
    reporting_ = false;
}

std::vector<uint8_t> Ps2Mouse::write(uint8_t value) {
    std::vector<uint8_t> out;
    if (pending_) {  // the argument of 0xE8 or 0xF3
        if (pending_ == 0xE8) resolution_ = value & 3;
        if (pending_ == 0xF3) sample_rate_ = value;
        pending_ = 0;
        out = {kAck};
    } else if (wrap_ && value != 0xEC && value != 0xFF) {
        out = {value};  // wrap mode echoes everything but its reset commands
    } else {
        switch (value) {
            case 0xE6:
                scaling_2to1_ = false;
                out = {kAck};
                break;
            case 0xE7:
                scaling_2to1_ = true;
                out = {kAck};
                break;
            case 0xE8:
            case 0xF3:
                pending_ = value;
                out = {kAck};
                break;
            case 0xE9: {  // status: mode, enable, scaling, buttons; resolution; sample rate
                const uint8_t flags = static_cast<uint8_t>(
                    (remote_ ? 0x40 : 0) | (reporting_ ? 0x20 : 0) | (scaling_2to1_ ? 0x10 : 0) |
                    (buttons_ & 1 ? 4 : 0) | (buttons_ & 2 ? 1 : 0) | (buttons_ & 4 ? 2 : 0));
                out = {kAck, flags, resolution_, sample_rate_};
                break;
            }
            case 0xEA:
                remote_ = false;
                out = {kAck};
                break;
            case 0xEB:  // read data: one packet with no motion
                out = packet(0, 0, buttons_);
                out.insert(out.begin(), kAck);
                break;
            case 0xEC:
                wrap_ = false;
                out = {kAck};
                break;
            case 0xEE:
                wrap_ = true;
                out = {kAck};
                break;
            case 0xF0:
                remote_ = true;
                out = {kAck};
                break;
            case 0xF2: out = {kAck, kMouseId}; break;
            case 0xF4:
                reporting_ = true;
                out = {kAck};
                break;
            case 0xF5:
                reporting_ = false;
                out = {kAck};
                break;
            case 0xF6:
                set_defaults();
                out = {kAck};
                break;
            case 0xFE: out = {last_}; break;
            case 0xFF:
                reset();
                out = {kAck, kSelfTestPassed, kMouseId};
                break;
            default: out = {kResend}; break;  // not a mouse command
        }
    }
    if (!out.empty()) last_ = out.back();
    return out;
}

std::vector<uint8_t> Ps2Mouse::packet(int dx, int dy, uint8_t buttons) const {
    dx = std::clamp(dx, -256, 255);
    dy = std::clamp(dy, -256, 255);
    uint8_t b0 = static_cast<uint8_t>(0x08 | (buttons & 7));
    if (dx < 0) b0 |= 0x10;
    if (dy < 0) b0 |= 0x20;
    return {b0, static_cast<uint8_t>(dx & 0xFF), static_cast<uint8_t>(dy & 0xFF)};
}

std::vector<uint8_t> Ps2Mouse::motion(int dx, int dy, uint8_t buttons) {
    buttons_ = buttons & 7;
    if (!reporting_ || remote_ || wrap_) return {};
    std::vector<uint8_t> out = packet(dx, dy, buttons_);
    last_ = out.back();
    return out;
}

}  // namespace pc386

namespace pc386 {

void Ps2Mouse::transfer_state(StateArchive& ar) {
    for (uint8_t* r : {&pending_, &sample_rate_, &resolution_, &buttons_, &last_}) ar.field(*r);
    for (bool* b : {&scaling_2to1_, &reporting_, &remote_, &wrap_}) ar.field(*b);
}

}  // namespace pc386
