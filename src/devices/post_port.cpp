#include "devices/post_port.h"

#include "base/log.h"

namespace pc386 {

void PostPort::port_write(uint16_t, unsigned, uint32_t value) {
    const uint8_t code = static_cast<uint8_t>(value);
    ++writes_;
    if (code != last_) log::get("post").debug("POST code {:#04x}", code);  // delay writes repeat a code
    last_ = code;
}

}  // namespace pc386
