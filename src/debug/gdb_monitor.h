// The `monitor` commands of the gdb stub, in QEMU's style (`monitor info mem` in gdb, `qRcmd` on
// the wire): text in, text out, read through the machine's inspection interfaces.
//
//   help                  the list
//   info registers        general, segment (selector, base, limit) and control registers, the mode
//   info mem              the current address space as runs: linear range, size, physical, flags
//   info tlb              the same page by page (QEMU's `info tlb`)
//   info frames           physical frames as ranges: page directory, page table, user, kernel, unmapped
//   x/Nx ADDR             N dwords at linear ADDR (through the page tables)
//   xp/Nx ADDR            N dwords at physical ADDR
//   events [N]            the last N events of the stream (default 20)
//   break-on FILTER|off   stop at the next event that matches FILTER (base/event_filter.h)
//   savevm NAME, loadvm NAME, delvm NAME, info snapshots
//                         QEMU's machine snapshots, kept in memory while the stub lives
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "machine/stop_reason.h"

namespace pc386 {

class Machine;

class GdbMonitor {
  public:
    explicit GdbMonitor(Machine& machine) : machine_(machine) {}
    std::string run(const std::string& command);
    // Whether an EventBreak stop came from this monitor's break-on (the stub reports it to gdb).
    bool owns_break(StopReason reason) const;
    void clear();  // drops the break-on (detach)

  private:
    static constexpr size_t kMaxSnapshots = 16;  // each holds a copy of RAM
    std::string info_registers() const;
    std::string info_mem() const;
    std::string info_tlb() const;
    std::string info_frames() const;
    std::string examine(const std::string& command, bool physical) const;
    std::string events(const std::string& args) const;
    std::string break_on(const std::string& args);
    std::string snapshot_command(const std::string& verb, const std::string& name);

    Machine& machine_;
    int break_id_ = 0;
    std::map<std::string, std::vector<uint8_t>> snapshots_;  // savevm NAME
};

}  // namespace pc386
