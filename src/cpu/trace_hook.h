// A hook the CPU calls before each instruction while tracing or debugging (set with
// Cpu::set_trace_hook). The CPU checks one pointer per instruction; nothing else is paid when off.
#pragma once

namespace pc386 {

class TraceHook {
  public:
    virtual ~TraceHook() = default;
    virtual void before_instruction() = 0;
};

}  // namespace pc386
