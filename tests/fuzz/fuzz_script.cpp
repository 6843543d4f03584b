// libFuzzer target: the --script parser (Script::parse). A bad script is a ConfigError with one
// printable line; anything else (a crash, another exception) is a bug.
#include <cstdint>
#include <string>

#include "base/log.h"
#include "debug/script.h"
#include "machine/machine_error.h"

using namespace pc386;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        Script::parse(text, "fuzz.script");
    } catch (const ConfigError& e) {
        for (const char c : std::string(e.what()))
            if (c == '\n') __builtin_trap();  // an error is one line
    }
    return 0;
}
