#include "ui/cpu_panel.h"

#include <fmt/format.h>

namespace pc386 {

std::string describe_eflags(uint32_t f) {
    static constexpr std::pair<uint32_t, const char*> kNames[] = {
        {flag::ID, "ID"}, {flag::AC, "AC"}, {flag::VM, "VM"}, {flag::RF, "RF"}, {flag::NT, "NT"},
        {flag::OF, "OF"}, {flag::DF, "DF"}, {flag::IF, "IF"}, {flag::TF, "TF"}, {flag::SF, "SF"},
        {flag::ZF, "ZF"}, {flag::AF, "AF"}, {flag::PF, "PF"}, {flag::CF, "CF"}};
    std::string out;
    for (auto [bit, name] : kNames)
        if (f & bit) out += std::string(name) + " ";
    return out + fmt::format("IOPL={}", (f & flag::IOPL) >> 12);
}

std::string describe_cr0(uint32_t cr0) {
    static constexpr std::pair<uint32_t, const char*> kNames[] = {
        {cr0::PG, "PG"}, {cr0::CD, "CD"}, {cr0::NW, "NW"}, {cr0::AM, "AM"}, {cr0::WP, "WP"}, {cr0::NE, "NE"},
        {cr0::ET, "ET"}, {cr0::TS, "TS"}, {cr0::EM, "EM"}, {cr0::MP, "MP"}, {cr0::PE, "PE"}};
    std::string out;
    for (auto [bit, name] : kNames) {
        if (!(cr0 & bit)) continue;
        if (!out.empty()) out += ' ';
        out += name;
    }
    return out.empty() ? "-" : out;
}

std::string describe_mode(uint32_t cr0, uint32_t eflags, unsigned cpl) {
    std::string mode = !(cr0 & cr0::PE)      ? "real mode"
                       : (eflags & flag::VM) ? "virtual-8086 mode"
                                             : fmt::format("protected mode, ring {}{}", cpl,
                                                           cpl == 0   ? " (kernel)"
                                                           : cpl == 3 ? " (user)"
                                                                      : "");
    if (cr0 & cr0::PG) mode += ", paging on";
    return mode;
}

std::vector<PaneLine> register_lines(const CpuState& s, uint32_t eflags, uint32_t cr0, uint32_t cr3) {
    using S = PaneLine::Style;
    const uint32_t* r = s.regs;
    std::vector<PaneLine> lines;
    lines.push_back({describe_mode(cr0, eflags, s.cpl), S::Highlight});
    lines.push_back(
        {fmt::format("EAX {:08x}  EBX {:08x}  ECX {:08x}  EDX {:08x}", r[EAX], r[EBX], r[ECX], r[EDX]),
         S::Text});
    lines.push_back(
        {fmt::format("ESI {:08x}  EDI {:08x}  EBP {:08x}  ESP {:08x}", r[ESI], r[EDI], r[EBP], r[ESP]),
         S::Text});
    lines.push_back(
        {fmt::format("EIP {:08x}  EFLAGS {:08x}  {}", s.eip, eflags, describe_eflags(eflags)), S::Text});
    lines.push_back({fmt::format("CR0 {:08x} ({})  CR2 {:08x} (last #PF)  CR3 {:08x}", cr0, describe_cr0(cr0),
                                 s.cr2, cr3),
                     S::Text});
    static constexpr const char* kSegNames[] = {"ES", "CS", "SS", "DS", "FS", "GS"};
    std::string selectors;
    for (unsigned i = 0; i < kSegCount; ++i)
        selectors += fmt::format("{} {:04x}  ", kSegNames[i], s.seg[i].selector);
    lines.push_back({selectors, S::Text});
    // The hidden caches of CS and SS say what the selectors mean now (base, limit, 16/32-bit, DPL).
    for (unsigned i : {unsigned(CS), unsigned(SS)})
        lines.push_back({fmt::format("  {} cache: base {:08x} limit {:08x} {}-bit DPL {}", kSegNames[i],
                                     s.seg[i].base, s.seg[i].limit, s.seg[i].big ? 32 : 16, s.seg[i].dpl()),
                         S::Dim});
    return lines;
}

}  // namespace pc386
