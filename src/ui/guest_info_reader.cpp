#include "ui/guest_info_reader.h"

#include <fmt/format.h>

#include <cstring>

#include "ui/guest_frame_table.h"

// The descriptor's layout is the guest kernel's (plain C, fixed-size fields).
#include "guestos/abi/guest_info.h"

namespace pc386 {
namespace {

// Bounds a misbehaving guest cannot push the host past.
constexpr uint32_t kMaxFrameSize = 4096;
constexpr uint32_t kMaxProcs = 4096;
constexpr uint32_t kMaxProcSize = 4096;
constexpr uint32_t kMaxCounters = 256;
constexpr uint32_t kMaxKmapSlots = 1024;
constexpr uint32_t kMaxVmAreas = 4096;
constexpr uint32_t kMaxSwapSlots = 1u << 20;  // 4 GiB of swap

// True when [address, address + size) lies inside RAM (64-bit: no wrap-around at 4 GiB).
bool inside_ram(const PhysicalMemoryView& memory, uint64_t address, uint64_t size) {
    return address <= memory.ram_size() && size <= memory.ram_size() - address;
}

template <class T>
bool read_struct(const PhysicalMemoryView& memory, uint64_t address, T& out) {
    return inside_ram(memory, address, sizeof(T)) && memory.peek(uint32_t(address), &out, sizeof(T));
}

// A fixed-size guest string: up to the first NUL, anything unprintable shown as '?'.
template <size_t N>
std::string guest_string(const char (&text)[N]) {
    std::string out;
    for (size_t i = 0; i < N && text[i]; ++i) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        out += (c >= 0x20 && c < 0x7F) ? char(c) : '?';
    }
    return out;
}

const char* process_state(uint32_t state) {
    switch (state) {
        case GUEST_PROC_RUN: return "run";
        case GUEST_PROC_READY: return "ready";
        case GUEST_PROC_SLEEP: return "sleep";
        case GUEST_PROC_ZOMBIE: return "zombie";
        default: return "?";
    }
}

// The layout and its two tables; an empty string when all is well, else why not.
std::string read_layout(const PhysicalMemoryView& memory, uint32_t address, GuestKernelLayout& out) {
    guest_layout l;
    if (!read_struct(memory, address, l)) return fmt::format("layout at {:08x} is not inside RAM", address);
    if (l.pkmap_count + uint64_t(l.fixmap_count) > kMaxKmapSlots || l.vm_area_max > kMaxVmAreas)
        return fmt::format("layout: {} + {} kmap slots, {} vmalloc areas", l.pkmap_count, l.fixmap_count,
                           l.vm_area_max);
    out = GuestKernelLayout{};
    out.present = true;
    out.page_offset = l.page_offset;
    out.lowmem_end = l.lowmem_end;
    out.highmem_start_pfn = l.highmem_start_pfn;
    out.vmalloc_start = l.vmalloc_start;
    out.vmalloc_end = l.vmalloc_end;
    out.pkmap_base = l.pkmap_base;
    out.fixmap_start = l.fixmap_start;
    const uint32_t slots = l.pkmap_count + l.fixmap_count;
    for (uint32_t i = 0; i < slots; ++i) {
        guest_kmap_slot s;
        if (!read_struct(memory, uint64_t(l.kmap_slots) + uint64_t(i) * sizeof s, s))
            return fmt::format("kmap slots at {:08x} are not inside RAM", l.kmap_slots);
        const bool atomic = i >= l.pkmap_count;
        const uint32_t address = atomic ? l.fixmap_start + (slots - 1 - i) * 4096u : l.pkmap_base + i * 4096u;
        out.kmap_slots.push_back({address, s.pfn, s.users, atomic});
    }
    for (uint32_t i = 0; i < l.vm_area_max; ++i) {
        guest_vm_area a;
        if (!read_struct(memory, uint64_t(l.vm_areas) + uint64_t(i) * sizeof a, a))
            return fmt::format("vmalloc areas at {:08x} are not inside RAM", l.vm_areas);
        if (a.size == 0) break;
        out.vm_areas.push_back({a.start, a.size});
    }
    return {};
}

GuestInfoReadResult reject(std::string why) {
    GuestInfoReadResult result;
    result.error = std::move(why);
    return result;
}

}  // namespace

GuestInfoReadResult read_guest_info(const PhysicalMemoryView& memory, uint32_t address) {
    guest_info info;
    if (!read_struct(memory, address, info)) return reject("not inside RAM");
    if (info.magic != GUEST_INFO_MAGIC) return reject(fmt::format("bad magic {:08x}", info.magic));
    if (info.version != GUEST_INFO_VERSION) return reject(fmt::format("unknown version {}", info.version));

    // The frame table: at most one descriptor per frame of RAM, all of it inside RAM.
    const uint32_t ram_frames = memory.ram_size() >> 12;
    if (info.frame_count == 0 || info.frame_count > ram_frames)
        return reject(fmt::format("frame count {} (RAM has {} frames)", info.frame_count, ram_frames));
    if (info.frame_size < sizeof(GuestFrameRecord) || info.frame_size > kMaxFrameSize)
        return reject(fmt::format("frame descriptor size {}", info.frame_size));
    const uint64_t table_bytes = uint64_t(info.frame_count) * info.frame_size;
    if (!inside_ram(memory, info.frame_table, table_bytes))
        return reject(
            fmt::format("frame table {:08x}+{:x} is not inside RAM", info.frame_table, table_bytes));
    std::vector<uint8_t> table(table_bytes);
    if (!memory.peek(info.frame_table, table.data(), table.size())) return reject("frame table unreadable");

    GuestInfoReadResult result;
    decode_guest_frames(table.data(), info.frame_size, info.frame_count, result.frames, result.details);

    // Processes: optional (count 0); free slots (pid 0) are skipped.
    if (info.proc_count) {
        if (info.proc_count > kMaxProcs) return reject(fmt::format("process count {}", info.proc_count));
        if (info.proc_size < sizeof(guest_info_proc) || info.proc_size > kMaxProcSize)
            return reject(fmt::format("process slot size {}", info.proc_size));
        if (!inside_ram(memory, info.procs, uint64_t(info.proc_count) * info.proc_size))
            return reject(fmt::format("process table {:08x} is not inside RAM", info.procs));
        for (uint32_t i = 0; i < info.proc_count; ++i) {
            guest_info_proc proc;
            if (!read_struct(memory, uint64_t(info.procs) + uint64_t(i) * info.proc_size, proc))
                return reject("process table unreadable");
            if (proc.pid == 0) continue;
            result.processes.push_back({.pid = proc.pid,
                                        .name = guest_string(proc.name),
                                        .state = process_state(proc.state),
                                        .cr3 = proc.cr3,
                                        .rss_pages = proc.rss_pages,
                                        .swap_pages = proc.swap_pages,
                                        .current = proc.pid == info.current_pid});
        }
    }

    // Counters: named by the guest, so the window needs no change when the kernel adds one.
    if (info.counter_count) {
        if (info.counter_count > kMaxCounters)
            return reject(fmt::format("counter count {}", info.counter_count));
        for (uint32_t i = 0; i < info.counter_count; ++i) {
            guest_info_counter counter;
            if (!read_struct(memory, uint64_t(info.counters) + uint64_t(i) * sizeof counter, counter))
                return reject(fmt::format("counters at {:08x} are not inside RAM", info.counters));
            result.counters.push_back({guest_string(counter.name), counter.value});
        }
    }
    if (info.layout) {
        std::string why = read_layout(memory, info.layout, result.layout);
        if (!why.empty()) return reject(why);
    }
    // The swap map: optional (0 slots); the cache's links from the frame table's kind-6 frames.
    if (info.swap_slot_count) {
        if (info.swap_slot_count > kMaxSwapSlots)
            return reject(fmt::format("swap slot count {}", info.swap_slot_count));
        const uint64_t bytes = uint64_t(info.swap_slot_count) * sizeof(uint16_t);
        if (!inside_ram(memory, info.swap_map, bytes))
            return reject(fmt::format("swap map {:08x}+{:x} is not inside RAM", info.swap_map, bytes));
        result.swap.refs.resize(info.swap_slot_count);
        if (!memory.peek(info.swap_map, result.swap.refs.data(), bytes)) return reject("swap map unreadable");
        if (uint64_t(info.frame_swap_slot) + sizeof(uint32_t) > info.frame_size)
            return reject(fmt::format("frame swap slot offset {}", info.frame_swap_slot));
        for (uint32_t f = 0; f < info.frame_count; ++f) {
            if (result.frames[f].kind != FrameKind::SwapCache) continue;
            uint32_t slot = 0;
            std::memcpy(&slot, table.data() + size_t(f) * info.frame_size + info.frame_swap_slot,
                        sizeof slot);
            if (slot != 0 && slot < info.swap_slot_count) result.swap.cached.push_back({slot, f});
        }
    }
    result.ok = true;
    return result;
}

}  // namespace pc386
