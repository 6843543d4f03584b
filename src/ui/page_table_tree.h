// The page-table tree of any address space: its page directory's present entries, each expandable
// to the page table it points to, with every entry's flags decoded. Read from guest RAM at a CR3
// (not only the current one) through PhysicalMemoryView, so it works for any guest; the built-in
// guest's software bits (PTE_COW, PTE_SWAP with its slot) are decoded when `guest_bits` is set.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ui/pane_line.h"
#include "ui/physical_memory_view.h"

namespace pc386 {

// One line of the tree; `pde` is set on a directory entry's line (a click expands or folds it).
struct TreeLine {
    PaneLine line;
    std::optional<uint32_t> pde;
    friend bool operator==(const TreeLine&, const TreeLine&) = default;
};

// The flags of a directory (`directory`) or table entry as the CPU reads them, e.g. "P W U A D".
// The 386 has no PWT/PCD (the 486 added them), no 4 MiB pages (PS) and no global pages (G): those
// bits are named only when `is486` makes them mean something, else shown as set-but-ignored.
std::string decode_entry_flags(uint32_t entry, bool directory, bool is486);

// The tree at `cr3`: a legend, then one line per present directory entry, and under each one in
// `expanded` its non-zero table entries (runs of present entries onto consecutive frames with the
// same flags folded into one line).
std::vector<TreeLine> page_table_tree(const PhysicalMemoryView& memory, uint32_t cr3,
                                      const std::set<uint32_t>& expanded, bool guest_bits, bool is486);

}  // namespace pc386
