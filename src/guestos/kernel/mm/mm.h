/*
 * mm.h: the memory manager's interface to the rest of the kernel.
 *
 * Physical memory is described by a frame table (one struct page per 4 KiB frame), handed out by a
 * buddy allocator (orders 0..9, zones DMA < 16 MiB and NORMAL), carved into small objects by
 * kmalloc. Each process owns a struct mm: a page directory whose kernel half (>= 0xC0000000, all
 * physical memory mapped linearly) is shared by everybody, and a sorted list of VM areas that
 * says what the user half may contain. Pages arrive on demand (zero-fill), are shared copy-on-write
 * after fork, and are paged out to a swap partition by a second-chance clock when memory runs low.
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
#define PAGE_OFFSET 0xC0000000u  /* kernel virtual = physical + PAGE_OFFSET */
#define USER_TOP 0xC0000000u     /* user addresses are below this */
#define MAX_ORDER 10             /* buddy orders 0..9: 4 KiB .. 2 MiB */
#define DMA_LIMIT 0x01000000u    /* the ISA DMA zone ends at 16 MiB */
#define LOWMEM_LIMIT 0x38000000u /* at most 896 MiB are mapped (and managed) */

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
#define PG_LRU 0x0008         /* on the reclaim clock (user pages) */
#define PG_SLAB_FULL 0x0010   /* slab page with no free object (not on its cache's partial list) */

struct mm;
struct anon_family;

/*
 * One descriptor per physical frame. The first 8 bytes are read by the emulator's debug window
 * (guest_info.h): do not reorder them.
 */
struct page {
    uint8_t kind;       /* enum page_kind */
    uint8_t order;      /* buddy order of the block this frame heads (free or allocated) */
    uint16_t refcount;  /* users: PTEs mapping it (+1 if in swap cache); 1 for kernel blocks */
    uint16_t slab_size; /* PAGE_KIND_SLAB: object size of its kmalloc cache */
    uint16_t owner_pid; /* pid that faulted it in / allocated it (display only) */
    /* ---- private to the mm ---- */
    uint16_t flags;      /* PG_* */
    uint16_t slab_inuse; /* PAGE_KIND_SLAB: objects handed out */
    struct page* next;   /* buddy free list, slab partial list, or reclaim clock ring */
    struct page* prev;
    void* slab_free;            /* PAGE_KIND_SLAB: first free object (linked through the objects) */
    struct anon_family* family; /* user pages: the fork family whose mms may map it ... */
    uint32_t vaddr;             /* ... always at this user address (reverse mapping, see rmap.c) */
    uint32_t swap_slot;         /* PG_SWAPCACHE: the slot holding (or about to hold) its contents */
};

/* For guest_info.h: the table is at physical __pa(frame_table), frame_count entries of
 * sizeof(struct page) bytes (36 on i386), of which the debug window reads the first 8. */
extern struct page* frame_table; /* frame_table[pfn] */
extern uint32_t frame_count;     /* frames described: physical memory top / PAGE_SIZE */

static inline struct page* pfn_to_page(uint32_t pfn) {
    return &frame_table[pfn];
}
static inline uint32_t page_to_pfn(const struct page* p) {
    return (uint32_t)(p - frame_table);
}
static inline uint32_t page_to_phys(const struct page* p) {
    return page_to_pfn(p) << PAGE_SHIFT;
}
static inline void* page_address(const struct page* p) {
    return __va(page_to_phys(p));
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
 * Needs the boot mapping to cover kernel_end_phys + the frame table + the kernel page tables
 * (36 bytes + 4 bytes per frame: 4 MiB of boot mapping is enough up to ~200 MiB of RAM).
 * Afterwards only PAGE_OFFSET and up is mapped: the stack, the GDT/IDT/TSS and anything else the
 * kernel uses must be addressed through the high mapping (the identity map is gone).
 * Call once, interrupts off.
 */
void mm_init(const struct e820_entry* map, int n, uint32_t kernel_end_phys);

/* ---- Buddy allocator (buddy.c) ------------------------------------------------------------ */
#define GFP_KERNEL 0x0 /* any zone, NORMAL preferred; may reclaim (and sleep) when memory is low */
#define GFP_DMA 0x1    /* only below 16 MiB */
#define GFP_ATOMIC 0x2 /* never reclaims, never sleeps (interrupt context, inside the mm) */
#define GFP_ZERO 0x4   /* zero the block */

/*
 * Allocates 2^order contiguous frames from the preferred zone (falling back to DMA only when
 * NORMAL is empty). Returns the head frame with refcount 1, kind KERNEL, or NULL. Below the low
 * watermark, non-ATOMIC callers first reclaim user pages (which may sleep on swap I/O).
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
 * Tries to free `want` frames by evicting user pages (second-chance clock). May sleep on swap I/O.
 * Returns the number of frames freed. Called from alloc_pages below the low watermark.
 */
uint32_t reclaim_pages(uint32_t want);

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
    uint32_t free_blocks[2][MAX_ORDER]; /* [zone DMA, NORMAL][order]: free blocks */
    uint32_t cache_size[MEMINFO_CACHES], cache_inuse[MEMINFO_CACHES], cache_pages[MEMINFO_CACHES];
    uint32_t large_kmalloc_pages;
    uint32_t swap_total, swap_used; /* slots */
    uint32_t swap_cache_pages;
    uint32_t user_pages; /* frames on the reclaim clock */
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
