/*
 * mm.h: the memory manager's interface to the rest of the kernel.
 *
 * Physical memory is described by a frame table (one struct page per 4 KiB frame), handed out by a
 * buddy allocator (orders 0..9, zones DMA < 16 MiB, Normal up to LOWMEM_LIMIT, HighMem above),
 * carved into small objects by kmalloc. Each process owns a struct mm: a page directory whose
 * kernel half (>= 0xC0000000: low memory mapped linearly, then vmalloc, kmap and fixmaps; see the
 * picture below) is shared by everybody, and a sorted list of VM areas that says what the user
 * half may contain. Pages arrive on demand (zero-fill), are shared copy-on-write after fork, and
 * are paged out to a swap partition by 2.4's active / inactive_dirty / inactive_clean lists when
 * memory runs low.
 *
 * Concurrency model: one CPU. Allocator and table updates run with interrupts disabled (irq_save /
 * irq_restore); only swap I/O sleeps, and everything that sleeps re-checks its state afterwards.
 */
#ifndef GUESTOS_MM_H
#define GUESTOS_MM_H

#include <stddef.h>
#include <stdint.h>

/* ---- Constants ---------------------------------------------------------------------------- */
#define PAGE_SHIFT 12
#define PAGE_SIZE 4096u
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PAGE_OFFSET 0xC0000000u /* kernel virtual = physical + PAGE_OFFSET (low memory only) */
#define USER_TOP 0xC0000000u    /* user addresses are below this */
#define MAX_ORDER 10            /* buddy orders 0..9: 4 KiB .. 2 MiB */
#define DMA_LIMIT 0x01000000u   /* the ISA DMA zone ends at 16 MiB */

/*
 * The kernel's virtual layout (the top GiB, shared by every page directory):
 *
 *   0xC0000000  +------------------------------+  PAGE_OFFSET
 *               | direct map of low memory     |  physical 0 .. LOWMEM_LIMIT, built at boot:
 *               |  (zones DMA and Normal)      |  __va/__pa are just +/- PAGE_OFFSET
 *   0xF8000000  +------------------------------+  PAGE_OFFSET + LOWMEM_LIMIT (896 MiB)
 *               | 8 MiB hole                   |  a run off the direct map faults
 *   0xF8800000  +------------------------------+  VMALLOC_START
 *               | vmalloc areas, each followed |  virtually contiguous, frames from anywhere
 *               | by an unmapped guard page    |  (HighMem preferred)
 *   0xFF800000  +------------------------------+  VMALLOC_END
 *               | 4 MiB hole                   |
 *   0xFFC00000  +------------------------------+  PKMAP_BASE
 *               | LAST_PKMAP persistent kmap   |  kmap(): may sleep for a slot, held across
 *               | slots                        |  sleeps (swap I/O)
 *               |            ...               |
 *               | NR_KM_TYPES atomic slots     |  kmap_atomic(): one per purpose, irqs off
 *   0xFFFFF000  +------------------------------+  FIXADDR_TOP (the last page stays unmapped)
 *
 * Why all of low memory is mapped (the seed's first question): the kernel must reach any frame it
 * manages (page tables, slabs, a user page it copies) without building a mapping first, and one
 * mapping shared by every directory costs nothing per process. Why only 896 MiB: the top 128 MiB
 * of the kernel's GiB are reserved for the mappings that come and go (vmalloc, kmap, fixmaps), so
 * frames above LOWMEM_LIMIT (the HighMem zone) have no permanent kernel address: user page tables
 * map them freely, the kernel only through kmap/kmap_atomic, for as long as it uses them.
 * (Linux's numbers: our split is the same 3 GiB / 1 GiB.) The MM_DEBUG image is built with a
 * much smaller LOWMEM_LIMIT_MIB so that every scenario at 8 MiB runs with HighMem.
 */
#ifndef LOWMEM_LIMIT_MIB
#define LOWMEM_LIMIT_MIB 896u
#endif
#define LOWMEM_LIMIT ((uint32_t)(LOWMEM_LIMIT_MIB) << 20) /* at most this much is directly mapped */
#define VMALLOC_START 0xF8800000u
#define VMALLOC_END 0xFF800000u
#define PKMAP_BASE 0xFFC00000u
#define LAST_PKMAP 32 /* persistent kmap slots: few, so that their reuse (and its TLB flush) shows */
#define FIXADDR_TOP 0xFFFFF000u
/* kmap_atomic slots, one per purpose, so that nesting (a CoW copy holds two) never collides. */
enum km_type { KM_ZERO, KM_COW_SRC, KM_COW_DST, KM_USER_COPY, NR_KM_TYPES };
#define FIXADDR_START (FIXADDR_TOP - NR_KM_TYPES * PAGE_SIZE)
#define fix_to_virt(type) (FIXADDR_TOP - ((uint32_t)(type) + 1) * PAGE_SIZE)

#define PAGE_ALIGN(x) (((uint32_t)(x) + PAGE_SIZE - 1) & PAGE_MASK)
#define __va(pa) ((void*)(uintptr_t)((uint32_t)(pa) + PAGE_OFFSET))
#define __pa(va) ((uint32_t)(uintptr_t)(va)-PAGE_OFFSET)

/* ---- Frame table -------------------------------------------------------------------------- */
/*
 * Frame kinds, as seen by the debug window through guest_info.h (values are ABI: keep them in
 * sync with the comment there).
 */
enum page_kind {
    PAGE_KIND_FREE = 0,      /* on a buddy free list; `order` is valid on the block's head */
    PAGE_KIND_RESERVED = 1,  /* not RAM, BIOS area, or a hole in the E820 map */
    PAGE_KIND_KERNEL = 2,    /* kernel image, frame table, kernel stacks, big kmalloc blocks */
    PAGE_KIND_PAGETABLE = 3, /* a page directory or a page table */
    PAGE_KIND_SLAB = 4,      /* a kmalloc slab page; `slab_size` is its object size */
    PAGE_KIND_USER = 5,      /* anonymous user page; refcount > 1 means shared copy-on-write */
    PAGE_KIND_SWAPCACHE = 6, /* anonymous user page that also has a copy in a swap slot */
};

/* Page flags (struct page.flags). */
#define PG_LOCKED 0x0001      /* swap I/O in progress: sleep on the page, then retry */
#define PG_SWAPCACHE 0x0002   /* in the swap cache: `swap_slot` is valid, holds one reference */
#define PG_NEEDS_WRITE 0x0004 /* in the swap cache but the slot does not hold the data yet */
#define PG_LRU 0x0008         /* on one of the LRU lists (user pages): `lru` says which */
#define PG_SLAB_FULL 0x0010   /* slab page with no free object (not on its cache's partial list) */

struct mm;
struct anon_family;

/* Zones (struct page.zone; values are ABI, guest_info.h). */
enum { ZONE_DMA = 0, ZONE_NORMAL = 1, ZONE_HIGHMEM = 2, NR_ZONES = 3 };
/* The LRU list a user frame is on (struct page.lru; values are ABI, guest_info.h). */
enum lru_list {
    LRU_NONE = 0,
    LRU_ACTIVE = 1,
    LRU_INACTIVE_DIRTY = 2,
    LRU_INACTIVE_CLEAN = 3,
    NR_LRU_LISTS = 4
};
/* struct page.map_flags: how the kernel maps the frame besides the direct map (ABI). */
#define PM_KMAP 0x01        /* has a persistent kmap slot (in use or kept for reuse) */
#define PM_KMAP_ATOMIC 0x02 /* mapped by a kmap_atomic slot right now */
#define PM_VMALLOC 0x04     /* backs a page of a vmalloc area */

/*
 * One descriptor per physical frame. The first 12 bytes are read by the emulator's debug window
 * (guest_info.h): do not reorder them.
 */
struct page {
    uint8_t kind;       /* enum page_kind */
    uint8_t order;      /* buddy order of the block this frame heads (free or allocated) */
    uint16_t refcount;  /* users: PTEs mapping it (+1 if in swap cache); 1 for kernel blocks */
    uint16_t slab_size; /* PAGE_KIND_SLAB: object size of its kmalloc cache */
    uint16_t owner_pid; /* pid that faulted it in / allocated it (display only) */
    uint8_t zone;       /* ZONE_*: fixed at boot */
    uint8_t lru;        /* enum lru_list */
    uint16_t map_flags; /* PM_* */
    /* ---- private to the mm ---- */
    uint16_t flags;      /* PG_* */
    uint16_t slab_inuse; /* PAGE_KIND_SLAB: objects handed out */
    struct page* next;   /* buddy free list, slab partial list, or LRU list */
    struct page* prev;
    void* slab_free;            /* PAGE_KIND_SLAB: first free object (linked through the objects) */
    struct anon_family* family; /* user pages: the fork family whose mms may map it ... */
    uint32_t vaddr;             /* ... always at this user address (reverse mapping, see rmap.c) */
    uint32_t swap_slot;         /* PG_SWAPCACHE: the slot holding (or about to hold) its contents */
    /*
     * HighMem frames: the kernel address of its persistent kmap slot, 0 when it has none (the
     * seed's page->virtual). Cleared when the slot is taken back and before the frame is freed,
     * so a free high frame never carries a stale address (the invariant checker verifies it).
     */
    uint32_t virtual;
};

/* For guest_info.h: the table is at physical __pa(frame_table), frame_count entries of
 * sizeof(struct page) bytes (44 on i386), of which the debug window reads the first 12. */
extern struct page* frame_table; /* frame_table[pfn] */
extern uint32_t frame_count;     /* frames described: physical memory top / PAGE_SIZE */
extern uint32_t highstart_pfn;   /* first HighMem frame (frame_count when there is none) */

static inline struct page* pfn_to_page(uint32_t pfn) {
    return &frame_table[pfn];
}
static inline uint32_t page_to_pfn(const struct page* p) {
    return (uint32_t)(p - frame_table);
}
static inline uint32_t page_to_phys(const struct page* p) {
    return page_to_pfn(p) << PAGE_SHIFT;
}
static inline int page_is_high(const struct page* p) {
    return page_to_pfn(p) >= highstart_pfn;
}
/* The kernel address of a frame: the direct map for low memory; for HighMem its kmap slot's
 * address or NULL (use kmap/kmap_atomic: a high frame has no permanent address). */
static inline void* page_address(const struct page* p) {
    return page_is_high(p) ? (void*)(uintptr_t)p->virtual : __va(page_to_phys(p));
}
static inline struct page* virt_to_page(const void* kva) {
    return pfn_to_page(__pa(kva) >> PAGE_SHIFT);
}

/* ---- Boot --------------------------------------------------------------------------------- */
/* The BIOS INT 15h/E820 entry as mm_init reads it: 20 bytes, packed (no ACPI 3.0 attribute word;
 * a boot loader that asks for 24-byte entries must compact them). */
struct e820_entry;

/*
 * Builds the frame table from the E820 map (frames outside type-1 ranges, below 1 MiB, or below
 * kernel_end_phys are reserved), frees the rest into the buddy allocator, sets up kmalloc, and
 * builds and loads the kernel page directory that maps all managed physical memory at PAGE_OFFSET.
 * Needs the boot mapping to cover kernel_end_phys + the kernel page tables (at most 226 pages);
 * the frame table (44 bytes per frame: 33 MiB for 3 GiB) goes after them, in low memory.
 * RAM whose frame table would not fit in low memory is left out, with a message.
 * Afterwards only PAGE_OFFSET and up is mapped: the stack, the GDT/IDT/TSS and anything else the
 * kernel uses must be addressed through the high mapping (the identity map is gone).
 * Call once, interrupts off.
 */
void mm_init(const struct e820_entry* map, int n, uint32_t kernel_end_phys);

/* ---- Buddy allocator (buddy.c) ------------------------------------------------------------ */
#define GFP_KERNEL 0x0  /* Normal, then DMA; may reclaim (and sleep) when memory is low */
#define GFP_DMA 0x1     /* only below 16 MiB */
#define GFP_ATOMIC 0x2  /* never reclaims, never sleeps (interrupt context, inside the mm) */
#define GFP_ZERO 0x4    /* zero the block (through kmap_atomic for a high frame) */
#define GFP_HIGHMEM 0x8 /* HighMem, then Normal, then DMA: the caller maps it (kmap, vmalloc) */
#define GFP_USER 0x10   /* leave each zone's pages_min to the kernel */
#define GFP_HIGHUSER (GFP_HIGHMEM | GFP_USER) /* user pages: mapped by user page tables only */

/*
 * Allocates 2^order contiguous frames. The zones are tried in the fallback order of the flags
 * (HighMem -> Normal -> DMA; Normal -> DMA; DMA): first the first zone that stays above its low
 * watermark; when none does, non-ATOMIC callers reclaim user pages (may sleep on swap I/O), then
 * the first zone that can serve the request without going below its floor (pages_min for
 * GFP_USER, nothing for the kernel). Returns the head frame with refcount 1, kind KERNEL, or NULL.
 */
struct page* alloc_pages(unsigned order, unsigned gfp);
/* Returns a block to the buddy lists, coalescing with free buddies. `order` must match. */
void free_pages(struct page* p, unsigned order);
/* Convenience for one frame, as a kernel virtual address (NULL on failure). */
void* alloc_page_va(unsigned gfp);
void free_page_va(void* kva);
/* Reference counting of (order-0, user) frames: put_page frees the frame when the count hits 0. */
void get_page(struct page* p);
void put_page(struct page* p);
/* Free frames in all zones (for watermarks and meminfo). */
uint32_t nr_free_pages(void);

/* ---- HighMem: temporary kernel mappings (highmem.c) --------------------------------------- */
/*
 * kmap: the kernel address of any frame. A low frame answers its direct-map address; a high one
 * gets one of LAST_PKMAP persistent slots (sleeping until one is free), which it keeps after
 * kunmap until the slot is needed for another frame or the frame is freed: the slot's reuse is
 * when the stale TLB entry is flushed (INVLPG on a 486, a CR3 reload on a 386: detected at boot).
 * Must be short-lived: released by the same code path that took it, possibly after sleeping
 * (swap I/O). Every kmap needs its kunmap.
 */
void* kmap(struct page* p);
void kunmap(struct page* p);
/*
 * kmap_atomic: a high frame mapped at its purpose's fixmap slot (enum km_type), irqs off from
 * kmap_atomic to kunmap_atomic, no sleeping in between; a low frame answers its direct map.
 */
void* kmap_atomic(struct page* p, enum km_type type);
void kunmap_atomic(void* kva, enum km_type type);
/* Zeroes a frame of any zone. */
void clear_page_any(struct page* p);

/* Published for the debug window (guest_info.c, abi/guest_info.h's guest_layout). */
/*
 * The kmap slots as published (guest_info.h: struct guest_kmap_slot): LAST_PKMAP persistent ones,
 * then NR_KM_TYPES atomic ones. pfn 0: empty (frame 0 is never HighMem).
 */
struct kmap_slot {
    uint32_t pfn;
    uint32_t users; /* persistent: kmaps not yet kunmapped (0: kept for reuse); atomic: 0 or 1 */
};
#define NR_KMAP_SLOTS (LAST_PKMAP + NR_KM_TYPES)
extern struct kmap_slot kmap_slots[NR_KMAP_SLOTS];
extern uint32_t kmap_count, kmap_flush_count;
/* vmalloc areas as published (guest_info.h: struct guest_vm_area); size 0: unused. */
struct vm_area {
    uint32_t start; /* kernel virtual address */
    uint32_t size;  /* mapped bytes (the guard page after them is not counted) */
};
#define VM_AREAS_MAX 64
extern struct vm_area vm_areas[VM_AREAS_MAX];
extern uint32_t vmalloc_area_count, vmalloc_page_count;

/* ---- vmalloc (vmalloc.c) ------------------------------------------------------------------ */
/*
 * Virtually contiguous kernel memory of size bytes (rounded up to pages) from single frames
 * wherever they are (GFP_HIGHMEM), mapped between VMALLOC_START and VMALLOC_END with an unmapped
 * guard page after each area. May reclaim (sleep). NULL when out of frames or address space.
 */
void* vmalloc(uint32_t size);
/* Unmaps and frees an area from vmalloc (NULL is ignored; anything else panics). */
void vfree(void* addr);
/* Page tables made for vmalloc space so far (never freed: every directory points at them). */
extern uint32_t vmalloc_table_pages;

/* ---- kmalloc (kmalloc.c) ------------------------------------------------------------------ */
/*
 * Small objects from size-class caches (32 B .. 4 KiB, power-of-two, page-sized slabs whose
 * control data lives in the frame descriptor, so objects pack the page exactly); larger requests
 * come whole from the buddy allocator. Never sleeps. Returns NULL when out of memory.
 */
void* kmalloc(size_t size);
void* kzalloc(size_t size);
/* Frees an object from kmalloc (NULL is ignored). */
void kfree(void* ptr);

/* ---- Address spaces (vma.c, pagetable.c) -------------------------------------------------- */
#define VM_READ 0x01
#define VM_WRITE 0x02
#define VM_EXEC 0x04
#define VM_ANON 0x10  /* zero-filled on demand */
#define VM_STACK 0x20 /* grows down by faults, up to STACK_MAX_SIZE below its top */
#define VM_HEAP 0x40  /* the brk area */

#define USER_STACK_TOP 0xBFFFF000u /* one guard page below the kernel */
#define STACK_MAX_SIZE (1024u * 1024u)
#define MMAP_BASE 0x40000000u /* mm_mmap picks addresses from here up */

struct vma {
    uint32_t start, end; /* [start, end), page aligned */
    uint32_t flags;      /* VM_* */
    struct vma* next;    /* sorted by start, non-overlapping */
};

struct mm {
    uint32_t* pgdir;            /* kernel virtual address of the page directory */
    uint32_t pgdir_phys;        /* what goes into CR3 */
    struct vma* vmas;           /* sorted list */
    uint32_t brk_start;         /* heap VMA starts here (set by exec: end of the program image) */
    uint32_t brk;               /* current break */
    uint32_t rss;               /* present user pages mapped */
    uint32_t swap_ptes;         /* PTEs holding a swap slot */
    struct anon_family* family; /* mms sharing pages since a fork (reverse mapping) */
    struct mm* family_next;
    struct mm* all_next; /* every live mm (invariant checker) */
};

/* A fresh address space: kernel half shared, no VMAs, no user pages. NULL if out of memory. */
struct mm* mm_create(void);
/*
 * fork: a copy of `parent` sharing all user pages copy-on-write (writable PTEs become read-only +
 * PTE_COW in both; swapped PTEs duplicate their slot). Reloads CR3 if parent is current.
 */
struct mm* mm_fork(struct mm* parent);
/* Frees every user page, swap slot, page table, VMA and the directory. Not for the current mm. */
void mm_destroy(struct mm* mm);
/* Loads the address space into CR3 (also flushes the 386's TLB). NULL: kernel-only directory. */
void mm_switch(struct mm* mm);
/* The kernel-only page directory (kernel threads run on it). */
extern uint32_t* kernel_pgdir;
extern uint32_t kernel_pgdir_phys;

/*
 * Adds a VMA [addr, addr+len) with VM_* flags (page aligned, must not overlap). Pages come later,
 * by fault. Returns 0 or -1.
 */
int mm_map_anon(struct mm* mm, uint32_t addr, uint32_t len, uint32_t flags);
/*
 * exec: copies len bytes of a program image to uaddr in `mm` (need not be the current mm),
 * faulting pages in; ignores the VMA's write permission (text is read-only). 0 or -1.
 */
int mm_copy_in(struct mm* mm, uint32_t uaddr, const void* src, uint32_t len);
/* Sets up the heap at `start` (exec): an empty VM_HEAP area that mm_brk grows. */
int mm_brk_init(struct mm* mm, uint32_t start);
/* Moves the break; shrinking unmaps the pages. Returns the new break, or the old one on failure. */
uint32_t mm_brk(struct mm* mm, uint32_t newbrk);
/* Anonymous mapping of len bytes at an address the mm chooses (prot = VM_READ|VM_WRITE|..).
 * Returns the address or 0. */
uint32_t mm_mmap(struct mm* mm, uint32_t len, uint32_t prot);
/* Unmaps [addr, addr+len): trims/splits VMAs, frees the pages and swap slots. 0 or -1. */
int mm_munmap(struct mm* mm, uint32_t addr, uint32_t len);

/*
 * Page-fault entry (trap 14). `err` is the CPU error code (bit0 present, bit1 write, bit2 user);
 * `user` is nonzero if the fault came from ring 3. Returns 0 if resolved, -1 if the access is
 * illegal (the caller kills the process, or panics for a kernel-mode fault outside copy_*_user).
 * May sleep on swap I/O. Uses the current process's mm.
 */
int mm_handle_page_fault(uint32_t cr2, uint32_t err, int user);
/* (trap 14: if (mm_handle_page_fault(cr2, err, user) < 0) { user ? kill current : panic }) */

/*
 * Kernel access to user memory of the current process. Checks every page against the VMAs,
 * faults pages in and breaks copy-on-write before writing (the 386 ignores R/W in ring 0).
 * Return 0 or -1 (bad address). strncpy_from_user returns the length or -1 (no NUL within max).
 */
int copy_to_user(uint32_t udst, const void* src, uint32_t len);
int copy_from_user(void* dst, uint32_t usrc, uint32_t len);
int strncpy_from_user(char* dst, uint32_t usrc, uint32_t max);

/* ---- Swap (swap.c, swap_cache.c, reclaim.c) ----------------------------------------------- */
/* Enables swapping to [start_lba, start_lba + nsectors) of IDE drive `drive` (8 sectors a slot). */
int swap_init(int drive, uint32_t start_lba, uint32_t nsectors);
/*
 * Tries to free `want` frames of zones up to max_zone by ageing and evicting user pages (reclaim.c:
 * the active / inactive lists). May sleep on swap I/O. Returns the number of frames freed in those
 * zones. Called from alloc_pages below the low watermarks.
 */
uint32_t reclaim_pages(uint32_t want, int max_zone);

/* ---- Out of memory (oom.c) ---------------------------------------------------------------- */
/* Kills the process with the largest rss + swap (console message). Returns 0 if one was killed. */
int oom_kill(void);

/* The swap map for the debug window (guest_info.h): per-slot reference counts and, in
 * *slot_count, how many slots there are; NULL while there is no swap area. */
const uint16_t* swap_map_view(uint32_t* slot_count);

/* ---- Statistics (meminfo.c) --------------------------------------------------------------- */
#define MEMINFO_CACHES 8 /* kmalloc size classes 32 .. 4096 */
struct meminfo {
    uint32_t total_pages, free_pages;
    uint32_t free_blocks[NR_ZONES][MAX_ORDER]; /* [zone DMA, Normal, HighMem][order]: free blocks */
    uint32_t cache_size[MEMINFO_CACHES], cache_inuse[MEMINFO_CACHES], cache_pages[MEMINFO_CACHES];
    uint32_t large_kmalloc_pages;
    uint32_t swap_total, swap_used; /* slots */
    uint32_t swap_cache_pages;
    uint32_t user_pages; /* frames on the LRU lists */
    uint32_t lru_active, lru_inactive_dirty, lru_inactive_clean;
    uint32_t highmem_pages, highmem_free; /* frames in the HighMem zone */
    uint32_t kmaps, kmap_flushes;         /* persistent kmaps taken; slot reuses that flushed the TLB */
    uint32_t vmalloc_areas, vmalloc_pages;
    /* counters since boot */
    uint32_t faults, faults_zero_fill, faults_cow_copy, faults_cow_reuse, faults_swap_in, faults_stack_grow,
        faults_bad;
    uint32_t swap_ins, swap_outs, swap_cache_hits, pages_dropped_clean, oom_kills;
};
void mm_meminfo(struct meminfo* out);
/* Prints the meminfo report on the console. */
void mm_print_meminfo(void);

/* ---- Debug invariants (invariants.c) ------------------------------------------------------ */
/*
 * Checks: every free frame is on exactly one buddy list with refcount 0 and no mapping; each user
 * frame's refcount equals the PTEs mapping it (+1 in swap cache); each swap slot's count equals
 * its swap PTEs (+1 cached). Silent when all is well, prints and panics when not. In a build
 * without MM_DEBUG the calls compile to nothing.
 */
#ifdef MM_DEBUG
void mm_check_invariants(const char* where);
void mm_check_free_lists(const char* where);
#else
#define mm_check_invariants(where) ((void)0)
#define mm_check_free_lists(where) ((void)0)
#endif

#endif
