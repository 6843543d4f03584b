/*
 * guest_info.h: the descriptor the guest kernel publishes for the emulator's debug window.
 *
 * At boot the kernel writes the physical address of its struct guest_info with one 32-bit OUT to
 * port GUEST_INFO_PORT (0xEA; on QEMU the write is lost). The emulator reads the descriptor and
 * everything it points to from guest RAM, validating every count, size and address: the guest
 * may be buggy. All addresses are physical, all fields little-endian fixed-size integers, so the
 * header is the same layout for the i386 kernel (C) and the 64-bit host (C++).
 *
 * The frame table is the kernel's struct page array (mm/mm.h): frame_count descriptors of
 * frame_size bytes, whose first 8 bytes are
 *   uint8 kind (0 free, 1 reserved, 2 kernel, 3 page table, 4 slab, 5 user, 6 swap cache),
 *   uint8 buddy order, uint16 refcount, uint16 slab object size, uint16 owner pid,
 * and, when frame_size >= 12, the next 4
 *   uint8 zone (0 DMA, 1 Normal, 2 HighMem), uint8 LRU list (0 none, 1 active,
 *   2 inactive_dirty, 3 inactive_clean), uint16 mapping flags (GUEST_FRAME_KMAP ...).
 * `layout` (when nonzero) points at a struct guest_layout: the kernel's virtual layout, its
 * kmap slots and its vmalloc areas.
 * The process slots and the counters are kept up to date by the kernel (every timer tick and
 * every context switch).
 */
#ifndef GUESTOS_ABI_GUEST_INFO_H
#define GUESTOS_ABI_GUEST_INFO_H

#include <stdint.h>

#define GUEST_INFO_PORT 0xEA
#define GUEST_INFO_MAGIC 0x36383350u /* "P386" in memory order */
#define GUEST_INFO_VERSION 1u

/* Process states in struct guest_info_proc.state */
#define GUEST_PROC_RUN 1
#define GUEST_PROC_READY 2
#define GUEST_PROC_SLEEP 3
#define GUEST_PROC_ZOMBIE 4

#define GUEST_PROC_NAME_LEN 16
#define GUEST_COUNTER_NAME_LEN 24

struct guest_info {
    uint32_t magic;       /* GUEST_INFO_MAGIC */
    uint32_t version;     /* GUEST_INFO_VERSION */
    uint32_t frame_table; /* physical address of the frame descriptors */
    uint32_t frame_count;
    uint32_t frame_size; /* bytes per descriptor (>= 8) */
    uint32_t procs;      /* physical address of proc_count slots of proc_size bytes */
    uint32_t proc_count;
    uint32_t proc_size;
    uint32_t current_pid; /* 0: the kernel's idle loop */
    uint32_t counters;    /* physical address of counter_count struct guest_info_counter */
    uint32_t counter_count;
    uint32_t layout; /* physical address of a struct guest_layout, 0: none */
    /* The swap area (all 0 while there is none). swap_map: physical address of swap_slot_count
     * uint16 reference counts, one per slot (PTEs holding the slot, +1 while the swap cache keeps a
     * frame for it; slot 0 is never used). frame_swap_slot: byte offset in a frame descriptor of
     * its uint32 swap slot, valid for kind 6 (swap cache) frames: the cache's slot -> frame links. */
    uint32_t swap_map;
    uint32_t swap_slot_count;
    uint32_t frame_swap_slot;
};

/* Frame descriptor bytes 10..11: how the kernel maps the frame besides the direct map. */
#define GUEST_FRAME_KMAP 0x01        /* has a persistent kmap slot */
#define GUEST_FRAME_KMAP_ATOMIC 0x02 /* mapped by a kmap_atomic slot right now */
#define GUEST_FRAME_VMALLOC 0x04     /* backs a vmalloc page */

/*
 * The kernel's half of the address space (virtual addresses) and the temporary mappings in it:
 * [page_offset, lowmem_end) maps physical 0 .. lowmem_end - page_offset (zones DMA and Normal);
 * frames from highmem_start_pfn up (zone HighMem) are only reachable through the kmap slots.
 */
struct guest_layout {
    uint32_t page_offset, lowmem_end;
    uint32_t highmem_start_pfn; /* == frame_count when there is no HighMem */
    uint32_t vmalloc_start, vmalloc_end;
    uint32_t pkmap_base, pkmap_count;    /* persistent kmap slots: pkmap_base + i * 4096 */
    uint32_t fixmap_start, fixmap_count; /* kmap_atomic slots, growing down from the top: slot i
                                            at fixmap_start + (fixmap_count - 1 - i) * 4096 */
    uint32_t kmap_slots;  /* physical address of pkmap_count + fixmap_count struct guest_kmap_slot
                             (the persistent ones first, then atomic slot 0, 1, ...) */
    uint32_t vm_areas;    /* physical address of vm_area_max struct guest_vm_area */
    uint32_t vm_area_max; /* the used ones come first, sorted by start; size 0 ends them */
};

struct guest_kmap_slot {
    uint32_t pfn;   /* 0: empty */
    uint32_t users; /* 0: kept mapped for reuse (persistent) */
};

struct guest_vm_area {
    uint32_t start; /* virtual */
    uint32_t size;  /* bytes mapped; an unmapped guard page follows */
};

struct guest_info_proc {
    uint32_t pid; /* 0: free slot */
    uint32_t state; /* GUEST_PROC_* */
    uint32_t cr3;   /* page directory (physical); the kernel's own for kernel threads */
    uint32_t rss_pages;
    uint32_t swap_pages;
    char name[GUEST_PROC_NAME_LEN]; /* NUL-terminated unless all 16 bytes are used */
};

struct guest_info_counter {
    char name[GUEST_COUNTER_NAME_LEN]; /* e.g. "cow copies" */
    uint32_t value;
};

#ifdef __cplusplus
static_assert(sizeof(struct guest_info) == 60, "guest_info layout");
static_assert(sizeof(struct guest_layout) == 48, "guest_layout layout");
static_assert(sizeof(struct guest_kmap_slot) == 8 && sizeof(struct guest_vm_area) == 8,
              "kmap/vm area layout");
static_assert(sizeof(struct guest_info_proc) == 36, "guest_info_proc layout");
static_assert(sizeof(struct guest_info_counter) == 28, "guest_info_counter layout");
#else
_Static_assert(sizeof(struct guest_info) == 60, "guest_info layout");
_Static_assert(sizeof(struct guest_layout) == 48, "guest_layout layout");
_Static_assert(sizeof(struct guest_kmap_slot) == 8 && sizeof(struct guest_vm_area) == 8,
               "kmap/vm area layout");
_Static_assert(sizeof(struct guest_info_proc) == 36, "guest_info_proc layout");
_Static_assert(sizeof(struct guest_info_counter) == 28, "guest_info_counter layout");
#endif

#endif
