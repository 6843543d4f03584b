// A test double for the PIC: records each IRQ line's level and counts its rising edges.
#pragma once

#include <array>

#include "base/interrupt_line.h"

namespace pc386::test {

class IrqRecorder : public IrqSink {
  public:
    void set_irq(unsigned line, bool level) override {
        if (level && !levels[line]) ++rising_edges[line];
        levels[line] = level;
    }
    std::array<bool, 16> levels{};
    std::array<unsigned, 16> rising_edges{};
};

}  // namespace pc386::test
