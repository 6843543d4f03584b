#include "debug/gdb_stub.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

#include "base/log.h"
#include "cpu/cpu.h"
#include "debug/event_writer.h"
#include "machine/machine.h"
#include "machine/machine_error.h"
#include "mmu/mmu.h"

namespace pc386 {
namespace {

spdlog::logger& logger() {
    return log::get("debug");
}

// The registers gdb's i386 target has, in its order: the core feature (general, EIP, EFLAGS, the
// six selectors, then the x87 registers, which this 387-less CPU reports as zero).
constexpr const char* kTargetXml = R"XML(<?xml version="1.0"?>
<!DOCTYPE target SYSTEM "gdb-target.dtd">
<target version="1.0">
  <architecture>i386</architecture>
  <feature name="org.gnu.gdb.i386.core">
    <flags id="i386_eflags" size="4">
      <field name="CF" start="0" end="0"/><field name="" start="1" end="1"/>
      <field name="PF" start="2" end="2"/><field name="AF" start="4" end="4"/>
      <field name="ZF" start="6" end="6"/><field name="SF" start="7" end="7"/>
      <field name="TF" start="8" end="8"/><field name="IF" start="9" end="9"/>
      <field name="DF" start="10" end="10"/><field name="OF" start="11" end="11"/>
      <field name="NT" start="14" end="14"/><field name="RF" start="16" end="16"/>
      <field name="VM" start="17" end="17"/><field name="AC" start="18" end="18"/>
      <field name="ID" start="21" end="21"/>
    </flags>
    <reg name="eax" bitsize="32" type="int32" regnum="0"/>
    <reg name="ecx" bitsize="32" type="int32"/>
    <reg name="edx" bitsize="32" type="int32"/>
    <reg name="ebx" bitsize="32" type="int32"/>
    <reg name="esp" bitsize="32" type="data_ptr"/>
    <reg name="ebp" bitsize="32" type="data_ptr"/>
    <reg name="esi" bitsize="32" type="int32"/>
    <reg name="edi" bitsize="32" type="int32"/>
    <reg name="eip" bitsize="32" type="code_ptr"/>
    <reg name="eflags" bitsize="32" type="i386_eflags"/>
    <reg name="cs" bitsize="32" type="int32"/>
    <reg name="ss" bitsize="32" type="int32"/>
    <reg name="ds" bitsize="32" type="int32"/>
    <reg name="es" bitsize="32" type="int32"/>
    <reg name="fs" bitsize="32" type="int32"/>
    <reg name="gs" bitsize="32" type="int32"/>
    <reg name="st0" bitsize="80" type="i387_ext"/>
    <reg name="st1" bitsize="80" type="i387_ext"/>
    <reg name="st2" bitsize="80" type="i387_ext"/>
    <reg name="st3" bitsize="80" type="i387_ext"/>
    <reg name="st4" bitsize="80" type="i387_ext"/>
    <reg name="st5" bitsize="80" type="i387_ext"/>
    <reg name="st6" bitsize="80" type="i387_ext"/>
    <reg name="st7" bitsize="80" type="i387_ext"/>
    <reg name="fctrl" bitsize="32" type="int" group="float"/>
    <reg name="fstat" bitsize="32" type="int" group="float"/>
    <reg name="ftag" bitsize="32" type="int" group="float"/>
    <reg name="fiseg" bitsize="32" type="int" group="float"/>
    <reg name="fioff" bitsize="32" type="int" group="float"/>
    <reg name="foseg" bitsize="32" type="int" group="float"/>
    <reg name="fooff" bitsize="32" type="int" group="float"/>
    <reg name="fop" bitsize="32" type="int" group="float"/>
  </feature>
</target>
)XML";

constexpr unsigned kGeneralRegs = 16;  // eax..edi, eip, eflags, cs ss ds es fs gs (then x87)
constexpr int kSigTrap = 5, kSigInt = 2;

std::string hex32(uint32_t v) {  // little-endian bytes, as the protocol sends registers
    return fmt::format("{:02x}{:02x}{:02x}{:02x}", v & 0xFF, (v >> 8) & 0xFF, (v >> 16) & 0xFF, v >> 24);
}

int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::optional<uint32_t> parse_hex(const std::string& s) {
    if (s.empty() || s.size() > 8) return std::nullopt;
    uint32_t v = 0;
    for (char c : s) {
        const int d = hexval(c);
        if (d < 0) return std::nullopt;
        v = v << 4 | static_cast<uint32_t>(d);
    }
    return v;
}

std::string to_hex(const std::string& text) {
    std::string out;
    for (unsigned char c : text) out += fmt::format("{:02x}", c);
    return out;
}

std::optional<std::string> from_hex(const std::string& hex) {
    if (hex.size() % 2) return std::nullopt;
    std::string out;
    for (size_t i = 0; i < hex.size(); i += 2) {
        const int hi = hexval(hex[i]), lo = hexval(hex[i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out += static_cast<char>(hi << 4 | lo);
    }
    return out;
}

}  // namespace

std::optional<std::pair<std::string, uint16_t>> GdbStub::parse_address(const std::string& text,
                                                                       std::string& why) {
    std::string host = "127.0.0.1", port_text = text;
    const size_t colon = text.rfind(':');
    if (colon != std::string::npos) {
        host = text.substr(0, colon);
        port_text = text.substr(colon + 1);
        if (host.empty()) host = "127.0.0.1";
        if (host.rfind("tcp", 0) == 0 && host.size() == 3) host = "127.0.0.1";  // QEMU's tcp::1234
    }
    unsigned long port = 0;
    size_t used = 0;
    try {
        if (!port_text.empty() && std::isdigit(static_cast<unsigned char>(port_text[0])))
            port = std::stoul(port_text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != port_text.size() || port == 0 || port > 65535) {
        why = fmt::format("expected [HOST:]PORT with PORT 1..65535, got '{}'", text.substr(0, 60));
        return std::nullopt;
    }
    return std::make_pair(host, static_cast<uint16_t>(port));
}

GdbStub::GdbStub(Machine& machine, const std::string& address) : machine_(machine), monitor_(machine) {
    std::string why;
    auto parsed = parse_address(address, why);
    if (!parsed) throw ConfigError("--gdb: " + why);
    addrinfo hints{}, *found = nullptr;
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(parsed->first.c_str(), nullptr, &hints, &found) != 0 || !found)
        throw ConfigError(fmt::format("--gdb: unknown host '{}'", parsed->first.substr(0, 60)));
    sockaddr_in sa{};
    std::memcpy(&sa, found->ai_addr, sizeof sa);
    freeaddrinfo(found);
    sa.sin_port = htons(parsed->second);
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    const int one = 1;
    if (listen_fd_ < 0 || ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 ||
        ::listen(listen_fd_, 1) != 0) {
        const std::string error = std::strerror(errno);
        if (listen_fd_ >= 0) ::close(listen_fd_);
        listen_fd_ = -1;
        throw ConfigError(
            fmt::format("--gdb: cannot listen on {}:{}: {}", parsed->first, parsed->second, error));
    }
    port_ = parsed->second;
    machine_.events().keep_history();  // `monitor events` shows what led to a stop
    machine_.add_slice_hook([this](StopReason reason) { return on_slice(reason); });
    logger().info("gdb stub listening on {}:{}", parsed->first, port_);
}

GdbStub::~GdbStub() {
    close_client();
    if (listen_fd_ >= 0) ::close(listen_fd_);
}

bool GdbStub::try_accept(bool block) {
    if (client_fd_ >= 0) return true;
    pollfd pfd{listen_fd_, POLLIN, 0};
    if (::poll(&pfd, 1, block ? -1 : 0) <= 0) return false;
    client_fd_ = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client_fd_ < 0) return false;
    const int one = 1;
    ::setsockopt(client_fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    inbuf_.clear();
    no_ack_ = false;
    stepping_ = false;
    logger().info("gdb attached");
    return true;
}

void GdbStub::close_client() {
    if (client_fd_ >= 0) ::close(client_fd_);
    client_fd_ = -1;
    stepping_ = false;
}

void GdbStub::wait_for_attach() {
    std::fprintf(stderr, "pc386: waiting for gdb on port %u (target remote :%u)\n", port_, port_);
    if (!try_accept(true)) return;
    const StopReason r = serve("");  // gdb asks '?' first; the reply is built there
    if (r == StopReason::HostRequest) machine_.request_stop();
}

// Between slices: attach a waiting gdb (it finds the machine stopped), notice Ctrl-C, and turn the
// machine's stops into gdb's stop replies.
StopReason GdbStub::on_slice(StopReason reason) {
    if (client_fd_ < 0) {
        if (!try_accept(false)) return reason;
        const StopReason r = serve("");
        return r == StopReason::None ? reason : r;
    }
    if (reason == StopReason::GuestExit) {
        send_packet(fmt::format("W{:02x}", machine_.exit_status() & 0xFF));
        close_client();
        return reason;
    }
    const bool ours = reason == StopReason::Breakpoint || monitor_.owns_break(reason);
    if (ours || stepping_) {
        stepping_ = false;
        return serve(stop_reply_for(reason));
    }
    if (reason != StopReason::None) {  // something else stopped the machine: gdb sees it stopped
        const StopReason r = serve(fmt::format("S{:02x}", kSigTrap));
        return r == StopReason::None ? reason : r;
    }
    auto packet = read_packet(false);
    if (packet && *packet == "\x03") return serve(fmt::format("S{:02x}", kSigInt));
    if (client_fd_ < 0) return reason;  // gdb went away: the machine runs on
    return reason;
}

std::string GdbStub::stop_reply_for(StopReason reason) {
    if (reason == StopReason::Breakpoint) {
        if (const auto& hit = machine_.watch_hit()) {
            const char* what = hit->watchpoint.kind == Watchpoint::Kind::Write  ? "watch"
                               : hit->watchpoint.kind == Watchpoint::Kind::Read ? "rwatch"
                                                                                : "awatch";
            return fmt::format("T{:02x}{}:{:x};", kSigTrap, what, hit->watchpoint.addr);
        }
        return fmt::format("T{:02x}swbreak:;", kSigTrap);
    }
    if (monitor_.owns_break(reason) && machine_.break_event()) {
        // Say why in gdb's console before the stop: the event the machine stopped at.
        send_packet(
            "O" + to_hex("stopped at " + event_to_text(*machine_.break_event(), &machine_.events()) + "\n"));
    }
    return fmt::format("S{:02x}", kSigTrap);
}

StopReason GdbStub::serve(const std::string& stop_reply) {
    if (!stop_reply.empty()) send_packet(stop_reply);
    for (;;) {
        auto packet = read_packet(true);
        if (!packet) {  // gdb went away
            logger().info("gdb detached (connection closed)");
            machine_.clear_debug_points();
            monitor_.clear();
            close_client();
            return StopReason::None;
        }
        if (*packet == "\x03") continue;  // already stopped
        bool resume = false, kill = false;
        replied_ = false;
        const std::string reply = handle(*packet, resume, kill);
        if (kill) {
            close_client();
            return StopReason::HostRequest;
        }
        if (!replied_ && (!resume || !reply.empty())) send_packet(reply);
        if (resume) return StopReason::None;
        if (client_fd_ < 0) return StopReason::None;  // detached
    }
}

std::optional<std::string> GdbStub::read_packet(bool block) {
    for (;;) {
        // Acks and noise before a packet; an interrupt byte stands alone.
        while (!inbuf_.empty() && inbuf_[0] != '$' && inbuf_[0] != '\x03') inbuf_.erase(0, 1);
        if (!inbuf_.empty() && inbuf_[0] == '\x03') {
            inbuf_.erase(0, 1);
            return std::string("\x03");
        }
        const size_t hash = inbuf_.find('#');
        if (!inbuf_.empty() && hash != std::string::npos && inbuf_.size() >= hash + 3) {
            const std::string body = inbuf_.substr(1, hash - 1);
            const auto sum = parse_hex(inbuf_.substr(hash + 1, 2));
            inbuf_.erase(0, hash + 3);
            uint8_t mine = 0;
            for (unsigned char c : body) mine = static_cast<uint8_t>(mine + c);
            if (!no_ack_) {
                const char ack = sum && *sum == mine ? '+' : '-';
                if (::send(client_fd_, &ack, 1, MSG_NOSIGNAL) < 0) return std::nullopt;
                if (ack == '-') continue;
            }
            // Binary data (X packets) escapes with '}'; nothing we accept needs more.
            std::string unescaped;
            for (size_t i = 0; i < body.size(); ++i)
                unescaped +=
                    body[i] == '}' && i + 1 < body.size() ? static_cast<char>(body[++i] ^ 0x20) : body[i];
            return unescaped;
        }
        if (inbuf_.size() > (1u << 20)) inbuf_.clear();  // a peer that never ends a packet
        pollfd pfd{client_fd_, POLLIN, 0};
        const int ready = ::poll(&pfd, 1, block ? -1 : 0);
        if (ready == 0) return block ? read_packet(block) : std::optional<std::string>(std::string());
        if (ready < 0 && errno == EINTR) {
            if (!block) return std::string();
            continue;
        }
        char buf[4096];
        const ssize_t n = ready > 0 ? ::recv(client_fd_, buf, sizeof buf, 0) : -1;
        if (n <= 0) {
            close_client();
            return std::nullopt;
        }
        inbuf_.append(buf, static_cast<size_t>(n));
    }
}

void GdbStub::send_packet(const std::string& data) {
    if (client_fd_ < 0) return;
    uint8_t sum = 0;
    std::string out = "$";
    for (unsigned char c : data) {
        if (c == '$' || c == '#' || c == '}' || c == '*') {  // escape, so a reply never ends early
            out += '}';
            out += static_cast<char>(c ^ 0x20);
            sum = static_cast<uint8_t>(sum + '}' + (c ^ 0x20));
        } else {
            out += static_cast<char>(c);
            sum = static_cast<uint8_t>(sum + c);
        }
    }
    out += fmt::format("#{:02x}", sum);
    size_t sent = 0;
    while (sent < out.size()) {
        const ssize_t n = ::send(client_fd_, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) {
            close_client();
            return;
        }
        sent += static_cast<size_t>(n);
    }
}

std::string GdbStub::read_registers() const {
    const Cpu& cpu = machine_.cpu();
    const CpuState& s = cpu.state();
    std::string out;
    for (unsigned r = 0; r < 8; ++r) out += hex32(s.regs[r]);
    out += hex32(s.eip);
    out += hex32(cpu.eflags());
    for (SegReg seg : {CS, SS, DS, ES, FS, GS}) out += hex32(s.seg[seg].selector);
    out += std::string(8 * 20 + 8 * 8, '0');  // st0-st7, then fctrl..fop: no FPU
    return out;
}

std::string GdbStub::read_memory(const std::string& args) {
    const size_t comma = args.find(',');
    auto addr = parse_hex(args.substr(0, comma));
    auto len = comma == std::string::npos ? std::nullopt : parse_hex(args.substr(comma + 1));
    if (!addr || !len || *len > 0x10000) return "E01";
    std::string out;
    for (uint32_t i = 0; i < *len; ++i) {
        uint8_t b = 0;
        if (!machine_.mmu().read_linear(*addr + i, &b, 1)) return out.empty() ? "E14" : out;  // unmapped
        out += fmt::format("{:02x}", b);
    }
    return out;
}

std::string GdbStub::write_memory(const std::string& args) {
    const size_t comma = args.find(','), colon = args.find(':');
    if (comma == std::string::npos || colon == std::string::npos) return "E01";
    auto addr = parse_hex(args.substr(0, comma));
    auto len = parse_hex(args.substr(comma + 1, colon - comma - 1));
    auto bytes = from_hex(args.substr(colon + 1));
    if (!addr || !len || !bytes || bytes->size() != *len) return "E01";
    return machine_.mmu().write_linear(*addr, bytes->data(), bytes->size()) ? "OK" : "E14";
}

// Z/z TYPE,ADDR,KIND: 0/1 code breakpoints, 2/3/4 write/read/access watchpoints of KIND bytes.
std::string GdbStub::breakpoint(const std::string& args, bool insert) {
    if (args.size() < 4 || args[1] != ',') return "";
    const char type = args[0];
    const size_t comma = args.find(',', 2);
    auto addr = parse_hex(args.substr(2, comma == std::string::npos ? std::string::npos : comma - 2));
    auto kind = comma == std::string::npos ? std::optional<uint32_t>(1) : parse_hex(args.substr(comma + 1));
    if (!addr || !kind) return "E01";
    if (type == '0' || type == '1') {
        if (insert)
            machine_.add_code_breakpoint(*addr);
        else
            machine_.remove_code_breakpoint(*addr);
        return "OK";
    }
    if (type < '2' || type > '4') return "";
    if (*kind == 0 || *kind > 4096) return "E01";
    const Watchpoint w{*addr, *kind,
                       type == '2'   ? Watchpoint::Kind::Write
                       : type == '3' ? Watchpoint::Kind::Read
                                     : Watchpoint::Kind::Access};
    if (insert)
        machine_.add_watchpoint(w);
    else
        machine_.remove_watchpoint(w);
    return "OK";
}

std::string GdbStub::query(const std::string& p) {
    if (p.rfind("qSupported", 0) == 0)
        return "PacketSize=4000;qXfer:features:read+;swbreak+;hwbreak+;vContSupported+;QStartNoAckMode+";
    if (p == "qAttached") return "1";
    if (p == "qC") return "QC1";
    if (p == "qfThreadInfo") return "m1";
    if (p == "qsThreadInfo") return "l";
    if (p == "qOffsets") return "Text=0;Data=0;Bss=0";
    if (p == "qSymbol::") return "OK";
    if (p.rfind("qXfer:features:read:target.xml:", 0) == 0) {
        const std::string range = p.substr(std::strlen("qXfer:features:read:target.xml:"));
        const size_t comma = range.find(',');
        auto off = parse_hex(range.substr(0, comma));
        auto len = comma == std::string::npos ? std::nullopt : parse_hex(range.substr(comma + 1));
        if (!off || !len) return "E01";
        const std::string xml = kTargetXml;
        if (*off >= xml.size()) return "l";
        const std::string part = xml.substr(*off, *len);
        return (*off + part.size() >= xml.size() ? "l" : "m") + part;
    }
    if (p.rfind("qRcmd,", 0) == 0) {
        auto command = from_hex(p.substr(6));
        if (!command) return "E01";
        return to_hex(monitor_.run(*command));
    }
    return "";
}

std::string GdbStub::handle(const std::string& p, bool& resume, bool& kill) {
    if (p.empty()) return "";
    switch (p[0]) {
        case '?': return fmt::format("S{:02x}", kSigTrap);
        case 'g': return read_registers();
        case 'G': {
            // The general registers and EIP/EFLAGS; selectors cannot be set this way (a descriptor
            // load would be needed), so they must be unchanged.
            if (p.size() < 1 + kGeneralRegs * 8) return "E01";
            CpuState& s = machine_.cpu().state();
            for (unsigned r = 0; r < 10; ++r) {
                auto v = parse_hex(p.substr(1 + r * 8, 8));
                if (!v) return "E01";
                const uint32_t le = __builtin_bswap32(*v);
                if (r < 8)
                    s.regs[r] = le;
                else if (r == 8)
                    s.eip = le;
                else
                    machine_.cpu().set_eflags(le);
            }
            return "OK";
        }
        case 'p': {
            auto n = parse_hex(p.substr(1));
            if (!n) return "E01";
            const std::string all = read_registers();
            if (*n < kGeneralRegs) return all.substr(*n * 8, 8);
            if (*n < kGeneralRegs + 8) return std::string(20, '0');
            if (*n < kGeneralRegs + 16) return std::string(8, '0');
            return "E01";
        }
        case 'P': {
            const size_t eq = p.find('=');
            auto n = parse_hex(p.substr(1, eq - 1));
            auto v = eq == std::string::npos ? std::nullopt : parse_hex(p.substr(eq + 1, 8));
            if (!n || !v) return "E01";
            const uint32_t le = __builtin_bswap32(*v);
            CpuState& s = machine_.cpu().state();
            if (*n < 8)
                s.regs[*n] = le;
            else if (*n == 8)
                s.eip = le;
            else if (*n == 9)
                machine_.cpu().set_eflags(le);
            else
                return "E01";
            return "OK";
        }
        case 'm': return read_memory(p.substr(1));
        case 'M': return write_memory(p.substr(1));
        case 'c':
        case 's':
            if (p.size() > 1) {  // c ADDR / s ADDR: resume at ADDR
                auto addr = parse_hex(p.substr(1));
                if (!addr) return "E01";
                machine_.cpu().state().eip = *addr;
            }
            resume = true;
            if (p[0] == 's') {
                stepping_ = true;
                machine_.limit_next_slice(1);
            }
            return "";
        case 'v':
            if (p == "vCont?") return "vCont;c;C;s;S";
            if (p.rfind("vCont;", 0) == 0) {
                const char action = p.size() > 6 ? p[6] : 'c';
                resume = true;
                if (action == 's' || action == 'S') {
                    stepping_ = true;
                    machine_.limit_next_slice(1);
                }
                return "";
            }
            if (p.rfind("vKill", 0) == 0) {
                kill = true;
                return "OK";
            }
            return "";  // vMustReplyEmpty and the rest
        case 'Z': return breakpoint(p.substr(1), true);
        case 'z': return breakpoint(p.substr(1), false);
        case 'H': return "OK";  // one thread
        case 'T': return "OK";
        case 'k': kill = true; return "";
        case 'D':
            send_packet("OK");
            replied_ = true;
            machine_.clear_debug_points();
            monitor_.clear();
            close_client();
            logger().info("gdb detached");
            resume = true;
            return "";
        case 'q': return query(p);
        case 'Q':
            if (p == "QStartNoAckMode") {
                send_packet("OK");
                replied_ = true;
                no_ack_ = true;
                return "";
            }
            return "";
        default: return "";
    }
}

}  // namespace pc386
