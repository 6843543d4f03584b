// Errors in what the user asked for (a missing image, a bad size, an unreadable ROM): one line that
// the command line prints as it is. Guest behaviour never produces these.
#pragma once

#include <stdexcept>
#include <string>

namespace pc386 {

class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace pc386
