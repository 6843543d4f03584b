// Building a stack frame on a stack that is not (yet) the current one: interrupt entry with a
// privilege change, call gates, task-switch error codes. Nothing is committed to SS:ESP here: the
// caller switches stacks only once every write succeeded.
#pragma once

#include <initializer_list>

#include "cpu/execution_context.h"

namespace pc386 {

struct StackWriter {
    ExecutionContext& cpu;
    const Segment& ss;
    uint32_t esp;
    uint32_t fault_error;  // error code of the #SS raised when a write falls outside SS's limit

    uint32_t mask() const { return ss.big ? 0xFFFFFFFFu : 0xFFFFu; }

    void push(unsigned size, uint32_t value) {
        const unsigned bytes = size / 8;
        const uint32_t next = (esp - bytes) & mask();
        const bool outside = ss.expand_down() ? (next <= ss.limit || next > mask() - (bytes - 1))
                                              : (next > ss.limit || bytes - 1 > ss.limit - next);
        if (outside) cpu.fault(vec::SS, fault_error);
        const uint32_t lin = ss.base + next;
        const bool user = ss.dpl() == 3;
        if (size == 32)
            cpu.mmu.write32(lin, value, user);
        else
            cpu.mmu.write16(lin, static_cast<uint16_t>(value), user);
        esp = next;
    }
    void push_all(unsigned size, std::initializer_list<uint32_t> values) {
        for (uint32_t v : values) push(size, v);
    }
};

}  // namespace pc386
