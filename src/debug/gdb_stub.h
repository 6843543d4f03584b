// The GDB remote serial protocol, so that `gdb guestos.elf -ex 'target remote :1234'` debugs the
// guest as QEMU's -s does: i386 registers (the standard target description), memory by linear
// address through the page tables (an unmapped byte is an error reply, never a fault in the guest),
// breakpoints that never write guest memory (Z0/Z1), watchpoints by TLB protection (Z2-Z4), single
// step, continue, Ctrl-C, detach and kill, and QEMU-style `monitor` commands (gdb_monitor.h).
//
// The stub drives the machine through its run control only: it is a slice hook
// (Machine::add_slice_hook). While gdb has the machine stopped, the hook blocks serving packets;
// `continue` returns from it and the machine runs; `step` limits the next slice to one
// instruction; a breakpoint, a watchpoint, a monitor break-on event or Ctrl-C stop it again.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "debug/gdb_monitor.h"
#include "machine/stop_reason.h"

namespace pc386 {

class Machine;

class GdbStub {
  public:
    // Listens on HOST:PORT (HOST defaults to 127.0.0.1: the stub is a debugger into the guest, not
    // a network service). Throws ConfigError when the address is bad or taken.
    GdbStub(Machine& machine, const std::string& address);
    ~GdbStub();
    GdbStub(const GdbStub&) = delete;
    GdbStub& operator=(const GdbStub&) = delete;

    // Parses "[HOST:]PORT" (1..65535); nullopt with `why` for a bad one.
    static std::optional<std::pair<std::string, uint16_t>> parse_address(const std::string& text,
                                                                         std::string& why);

    // --wait-gdb: blocks until gdb attaches and lets the machine go (before the first instruction).
    void wait_for_attach();
    uint16_t port() const { return port_; }

  private:
    StopReason on_slice(StopReason reason);
    bool try_accept(bool block);
    void close_client();
    // Serves packets with the machine stopped until gdb resumes it; returns the StopReason to hand
    // to the run loop (None to keep running, HostRequest after `kill`).
    StopReason serve(const std::string& stop_reply);
    std::optional<std::string> read_packet(bool block);  // "\x03" for an interrupt
    void send_packet(const std::string& data);
    std::string handle(const std::string& packet, bool& resume, bool& kill);
    std::string stop_reply_for(StopReason reason);
    std::string read_registers() const;
    std::string read_memory(const std::string& args);
    std::string write_memory(const std::string& args);
    std::string breakpoint(const std::string& args, bool insert);
    std::string query(const std::string& packet);

    Machine& machine_;
    GdbMonitor monitor_;
    int listen_fd_ = -1;
    int client_fd_ = -1;
    uint16_t port_ = 0;
    std::string inbuf_;
    bool no_ack_ = false;
    bool stepping_ = false;
    bool replied_ = false;  // handle() sent its reply itself (QStartNoAckMode, D)
};

}  // namespace pc386
