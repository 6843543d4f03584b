#include "debug/gdb_monitor.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "base/parse_number.h"
#include "base/state_archive.h"
#include "cpu/cpu.h"
#include "debug/event_writer.h"
#include "machine/machine.h"
#include "mmu/mmu.h"
#include "mmu/physical_bus.h"

namespace pc386 {
namespace {

std::string trim(const std::string& s) {
    const size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}


std::string flags_text(const Mapping& m) {
    return fmt::format("{}{}{}{}", m.user ? 'u' : '-', m.writable ? 'w' : 'r', m.accessed ? 'a' : '-',
                       m.dirty ? 'd' : '-');
}

}  // namespace

std::string GdbMonitor::run(const std::string& raw) {
    const std::string command = trim(raw);
    if (command == "help" || command.empty()) {
        return "info registers     registers, segments, control registers, mode\n"
               "info mem           the current address space as runs (linear, size, physical, flags "
               "u/w/a/d)\n"
               "info tlb           the current address space page by page\n"
               "info frames        physical frames: page directory, page tables, user, kernel, unmapped\n"
               "x/Nx ADDR          N dwords at linear ADDR\n"
               "xp/Nx ADDR         N dwords at physical ADDR\n"
               "events [N]         the last N events (default 20)\n"
               "break-on FILTER    stop at the next matching event (e.g. cow-copy, pf "
               "addr=0x400000-0x500000)\n"
               "break-on off       no more\n"
               "savevm NAME        keep the whole machine as NAME (at most 16)\n"
               "loadvm NAME        back to it (then 'flushregs' so gdb reads the registers again)\n"
               "delvm NAME         forget it\n"
               "info snapshots     the names kept\n";
    }
    if (command == "info registers" || command == "info reg") return info_registers();
    if (command == "info mem") return info_mem();
    if (command == "info tlb") return info_tlb();
    if (command == "info frames") return info_frames();
    if (command.rfind("xp/", 0) == 0 || command.rfind("xp ", 0) == 0) return examine(command.substr(2), true);
    if (command.rfind("x/", 0) == 0 || command.rfind("x ", 0) == 0) return examine(command.substr(1), false);
    if (command == "events" || command.rfind("events ", 0) == 0) return events(command.substr(6));
    if (command.rfind("break-on", 0) == 0) return break_on(trim(command.substr(8)));
    if (command == "info snapshots") return snapshot_command("info", "");
    for (const char* verb : {"savevm", "loadvm", "delvm"})
        if (command.rfind(verb, 0) == 0 && (command.size() == 6 || command[6] == ' '))
            return snapshot_command(verb, trim(command.substr(6)));
    return fmt::format("unknown command '{}' (try: monitor help)\n", command.substr(0, 60));
}

std::string GdbMonitor::info_registers() const {
    const Cpu& cpu = machine_.cpu();
    const CpuState& s = cpu.state();
    static const char* kRegs[] = {"EAX", "ECX", "EDX", "EBX", "ESP", "EBP", "ESI", "EDI"};
    std::string out;
    for (unsigned r = 0; r < 8; ++r)
        out += fmt::format("{}={:08x}{}", kRegs[r], s.regs[r], r % 4 == 3 ? "\n" : " ");
    const uint32_t f = cpu.eflags();
    out += fmt::format("EIP={:08x} EFLAGS={:08x} [", s.eip, f);
    static const std::pair<uint32_t, const char*> kFlags[] = {
        {1u << 17, "VM"}, {1u << 16, "RF"}, {1u << 14, "NT"}, {1u << 11, "OF"},
        {1u << 10, "DF"}, {1u << 9, "IF"},  {1u << 8, "TF"},  {1u << 7, "SF"},
        {1u << 6, "ZF"},  {1u << 4, "AF"},  {1u << 2, "PF"},  {1u << 0, "CF"}};
    for (auto [bit, name] : kFlags)
        if (f & bit) out += fmt::format(" {}", name);
    out += fmt::format(" ] IOPL={} CPL={}\n", (f >> 12) & 3, s.cpl);
    static const char* kSegs[] = {"ES", "CS", "SS", "DS", "FS", "GS"};
    for (unsigned i = 0; i < 6; ++i) {
        const Segment& sg = s.seg[i];
        out += fmt::format("{} ={:04x} base {:08x} limit {:08x} {}{}\n", kSegs[i], sg.selector, sg.base,
                           sg.limit, sg.big ? "32-bit" : "16-bit", sg.valid ? "" : " (null)");
    }
    out += fmt::format("GDT base {:08x} limit {:04x}  IDT base {:08x} limit {:04x}\n", s.gdtr.base,
                       s.gdtr.limit, s.idtr.base, s.idtr.limit);
    out += fmt::format("CR0={:08x} CR2={:08x} CR3={:08x}  {} mode{}\n", cpu.cr0(), s.cr2, cpu.cr3(),
                       !cpu.protected_mode() ? "real"
                       : cpu.v86()           ? "virtual-8086"
                                             : "protected",
                       (cpu.cr0() & cr0::PG) && cpu.protected_mode() ? ", paging on" : "");
    return out;
}

std::string GdbMonitor::info_mem() const {
    Machine& m = machine_;
    if (!m.mmu().paging()) return "paging is off: linear = physical\n";
    std::string out;
    for (const Mapping& run : m.mmu().walk(m.cpu().cr3()))
        out += fmt::format("{:08x}-{:08x} {:08x} -> {:08x} {}\n", run.linear, run.linear + run.length,
                           run.length, run.physical, flags_text(run));
    return out.empty() ? "no page is mapped\n" : out;
}

std::string GdbMonitor::info_tlb() const {
    Machine& m = machine_;
    if (!m.mmu().paging()) return "paging is off: linear = physical\n";
    std::string out;
    size_t pages = 0;
    for (const Mapping& run : m.mmu().walk(m.cpu().cr3())) {
        for (uint32_t off = 0; off < run.length; off += 0x1000) {
            if (++pages > 8192) return out + "... (more than 8192 pages; see info mem)\n";
            out += fmt::format("{:08x}: {:08x} {}\n", run.linear + off, run.physical + off, flags_text(run));
        }
    }
    return out.empty() ? "no page is mapped\n" : out;
}

// Each frame of RAM by its role in the current address space, as runs of equal roles.
std::string GdbMonitor::info_frames() const {
    Machine& m = machine_;
    const uint32_t frames = m.bus().ram_size() >> 12;
    enum Role : uint8_t { Unmapped, Kernel, User, PageTable, PageDirectory };
    static const char* kNames[] = {"unmapped", "kernel", "user", "page table", "page directory"};
    std::vector<uint8_t> role(frames, Unmapped);
    auto mark = [&](uint32_t phys, Role r) {
        if ((phys >> 12) < frames) role[phys >> 12] = std::max<uint8_t>(role[phys >> 12], r);
    };
    const uint32_t cr3 = m.cpu().cr3();
    if (m.mmu().paging()) {
        for (const Mapping& run : m.mmu().walk(cr3))
            for (uint32_t off = 0; off < run.length; off += 0x1000)
                mark(run.physical + off, run.user ? User : Kernel);
        std::vector<uint32_t> dir(1024);
        if (m.bus().peek(cr3 & 0xFFFFF000u, dir.data(), 4096))
            for (uint32_t pde : dir)
                if (pde & 1) mark(pde & 0xFFFFF000u, PageTable);
        mark(cr3, PageDirectory);
    }
    std::string out =
        fmt::format("{} frames of 4 KiB; roles in the address space of CR3={:08x}\n", frames, cr3);
    std::map<uint8_t, uint32_t> totals;
    for (uint32_t f = 0; f < frames;) {
        uint32_t end = f;
        while (end < frames && role[end] == role[f]) ++end;
        out += fmt::format("{:08x}-{:08x} {:6} frames  {}\n", f << 12, end << 12, end - f, kNames[role[f]]);
        totals[role[f]] += end - f;
        f = end;
    }
    out += "totals:";
    for (auto [r, n] : totals) out += fmt::format(" {} {}", kNames[r], n);
    return out + "\n";
}

// "/Nx ADDR" (N dwords, default 1), at a linear or physical address.
std::string GdbMonitor::examine(const std::string& args, bool physical) const {
    std::string spec = trim(args), where;
    uint64_t count = 1;
    if (!spec.empty() && spec[0] == '/') {
        const size_t space = spec.find(' ');
        std::string fmtpart = spec.substr(1, space == std::string::npos ? std::string::npos : space - 1);
        if (!fmtpart.empty() && fmtpart.back() == 'x') fmtpart.pop_back();
        if (!fmtpart.empty()) {
            auto n = parse_number(fmtpart);
            if (!n || *n == 0 || *n > 1024) return "x: the count must be 1..1024 (x/16x ADDR)\n";
            count = *n;
        }
        where = space == std::string::npos ? "" : trim(spec.substr(space));
    } else {
        where = spec;
    }
    auto addr = parse_number(where);
    if (!addr || *addr > 0xFFFFFFFFu)
        return fmt::format("x: expected an address, got '{}'\n", where.substr(0, 40));
    std::string out;
    for (uint64_t i = 0; i < count; ++i) {
        const uint32_t at = static_cast<uint32_t>(*addr + i * 4);
        if (i % 4 == 0) out += fmt::format("{}{:08x}:", i ? "\n" : "", at);
        uint32_t v = 0;
        const bool ok = physical ? machine_.bus().peek(at, &v, 4) : machine_.mmu().read_linear(at, &v, 4);
        if (!ok) return out + fmt::format(" (cannot read {} {:08x})\n", physical ? "physical" : "linear", at);
        out += fmt::format(" {:08x}", v);
    }
    return out + "\n";
}

std::string GdbMonitor::events(const std::string& args) const {
    const std::string a = trim(args);
    uint64_t n = 20;
    if (!a.empty()) {
        auto v = parse_number(a);
        if (!v || *v == 0) return "events: expected a count\n";
        n = *v;
    }
    const EventLog& log = machine_.events();
    if (!log.on()) return "the event stream is off (use break-on, or run with --events)\n";
    std::string out;
    const size_t size = log.history_size(), first = size > n ? size - static_cast<size_t>(n) : 0;
    for (size_t i = first; i < size; ++i) out += event_to_text(log.history(i), &log) + "\n";
    return out.empty() ? "no events yet\n" : out;
}

std::string GdbMonitor::break_on(const std::string& args) {
    if (break_id_) machine_.remove_break(break_id_);
    break_id_ = 0;
    if (args == "off" || args.empty()) return "no break on events\n";
    std::string why;
    auto filter = EventFilter::parse(args, why);
    if (!filter) return "break-on: " + why + "\n";
    machine_.events().keep_history();  // `monitor events` shows what led there
    break_id_ = machine_.add_break(*filter);
    return fmt::format("the machine stops at the next event: {}\n", filter->describe());
}

bool GdbMonitor::owns_break(StopReason reason) const {
    return reason == StopReason::EventBreak && break_id_ && machine_.break_id() == break_id_;
}

void GdbMonitor::clear() {
    if (break_id_) machine_.remove_break(break_id_);
    break_id_ = 0;
}

}  // namespace pc386

namespace pc386 {

std::string GdbMonitor::snapshot_command(const std::string& verb, const std::string& name) {
    if (verb == "info") {
        if (snapshots_.empty()) return "no snapshots (savevm NAME keeps one)\n";
        std::string out;
        for (const auto& [n, bytes] : snapshots_) out += fmt::format("{}  {} KiB\n", n, bytes.size() / 1024);
        return out;
    }
    if (name.empty() || name.find_first_of(" \t") != std::string::npos)
        return fmt::format("{} needs one NAME (a word)\n", verb);
    const std::string shown = name.substr(0, 60);
    try {
        if (verb == "savevm") {
            if (!snapshots_.count(name) && snapshots_.size() >= kMaxSnapshots)
                return fmt::format("savevm: {} snapshots kept already (delvm one first)\n", kMaxSnapshots);
            snapshots_[name] = machine_.save_snapshot();
            return fmt::format("saved '{}'\n", shown);
        }
        auto it = snapshots_.find(name);
        if (it == snapshots_.end()) return fmt::format("{}: no snapshot '{}' (info snapshots)\n", verb, shown);
        if (verb == "delvm") {
            snapshots_.erase(it);
            return fmt::format("deleted '{}'\n", shown);
        }
        machine_.load_snapshot(it->second);
        return fmt::format("loaded '{}': the machine is back there (in gdb: flushregs)\n", shown);
    } catch (const SnapshotError& e) {
        return fmt::format("{}: {}\n", verb, e.what());
    }
}

}  // namespace pc386
