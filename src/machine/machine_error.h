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

// A bad option or combination of options (not a bad file): the command line's usage status.
class UsageError : public ConfigError {
  public:
    using ConfigError::ConfigError;
};

// An output file (trace, serial or debug console file) could not be written: a full disk or an
// I/O error, the host's condition rather than a bug.
class OutputError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

}  // namespace pc386
