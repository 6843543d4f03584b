/*
 * mm_internal.h: what the mm's own files share and nobody else needs: page-table entry bits,
 * zones, the intrusive page lists, interrupt masking, the counters, and the cross-file helpers.
 */
#ifndef GUESTOS_MM_INTERNAL_H
#define GUESTOS_MM_INTERNAL_H

#include "../../abi/guest_events.h" /* GEV_* for mm_event() */
#include "mm.h"
#include "mm_deps.h"

/* ---- Page-table entries (see pagetable.c for the picture) -------------------------------- */
#define PTE_P 0x001    /* present */
#define PTE_W 0x002    /* writable (checked for ring 3 only on the 386) */
#define PTE_U 0x004    /* user accessible */
#define PTE_A 0x020    /* accessed: set by the CPU, cleared when reclaim ages the page */
#define PTE_D 0x040    /* dirty: set by the CPU on a write */
#define PTE_COW 0x200  /* software: write-protected because the frame is shared copy-on-write */
#define PTE_SWAP 0x400 /* software, only when not present: bits 31..12 hold a swap slot */
#define PTE_FRAME 0xFFFFF000u

#define PDX(va) ((uint32_t)(va) >> 22)
#define PTX(va) (((uint32_t)(va) >> 12) & 0x3FF)
#define KERNEL_PDX PDX(PAGE_OFFSET) /* 768: first directory entry of the kernel half */

static inline int pte_is_swap(uint32_t e) {
    return !(e & PTE_P) && (e & PTE_SWAP);
}
static inline uint32_t pte_swap_slot(uint32_t e) {
    return e >> PAGE_SHIFT;
}
static inline uint32_t pte_make_swap(uint32_t slot) {
    return (slot << PAGE_SHIFT) | PTE_SWAP;
}
static inline struct page* pte_page(uint32_t e) {
    return pfn_to_page(e >> PAGE_SHIFT);
}

/* Extra page flags used inside the mm (mm.h has the others). */
#define PG_BUDDY 0x0100 /* head of a free buddy block of `order` */
#define PG_MARK 0x8000  /* scratch bit for the invariant checker */

/* ---- Interrupt masking: the mm's only lock (one CPU) -------------------------------------- */
#ifndef MM_HOSTTEST
static inline uint32_t irq_save(void) {
    uint32_t flags;
    __asm__ volatile("pushfl; popl %0; cli" : "=r"(flags)::"memory");
    return flags;
}
static inline void irq_restore(uint32_t flags) {
    if (flags & 0x200) __asm__ volatile("sti" ::: "memory");
}
static inline uint32_t read_cr3(void) {
    uint32_t v;
    __asm__ volatile("movl %%cr3, %0" : "=r"(v));
    return v;
}
static inline void write_cr3(uint32_t v) {
    __asm__ volatile("movl %0, %%cr3" ::"r"(v) : "memory");
}
#else /* host-side unit test (hosttest/): no privileged instructions */
extern uint32_t hosttest_cr3;
static inline uint32_t irq_save(void) {
    return 0;
}
static inline void irq_restore(uint32_t flags) {
    (void)flags;
}
static inline uint32_t read_cr3(void) {
    return hosttest_cr3;
}
static inline void write_cr3(uint32_t v) {
    hosttest_cr3 = v;
}
#endif

/* ---- Intrusive doubly linked rings of struct page (sentinel heads) ------------------------ */
static inline void plist_init(struct page* head) {
    head->next = head->prev = head;
}
static inline int plist_empty(const struct page* head) {
    return head->next == head;
}
static inline void plist_add_tail(struct page* head, struct page* p) {
    p->prev = head->prev;
    p->next = head;
    head->prev->next = p;
    head->prev = p;
}
static inline void plist_del(struct page* p) {
    p->prev->next = p->next;
    p->next->prev = p->prev;
    p->next = p->prev = 0;
}

/* ---- Zones (buddy.c) ---------------------------------------------------------------------- */
/*
 * Watermarks, per zone (Linux 2.4's pages_min / pages_low, from the zone's size: 1/128 of it,
 * at least 16 and at most 255 frames; low = 3 x min). Below `low` in every zone a request may use,
 * the allocator reclaims first; user pages (GFP_USER) never take a zone below `min`, which keeps
 * frames for the page tables, stacks and slabs the kernel needs to finish what it is doing.
 */
struct zone {
    const char* name;
    uint32_t start_pfn, end_pfn;      /* [start, end) */
    struct page free_list[MAX_ORDER]; /* sentinels */
    uint32_t nr_free[MAX_ORDER];      /* blocks per order */
    uint32_t free_pages;
    uint32_t pages_min, pages_low;
};
extern struct zone zones[NR_ZONES];
#define RECLAIM_BATCH 48                  /* frames a page fault's own reclaim pass tries to free */
void zones_init(uint32_t lowmem_end_pfn); /* boot: the zones' bounds */
void buddy_add_range(uint32_t start_pfn, uint32_t end_pfn); /* boot: free a run of frames */

/* ---- kmalloc (kmalloc.c) ------------------------------------------------------------------ */
void kmalloc_init(void);
struct kcache_info {
    uint32_t size, inuse, pages;
};
void kmalloc_stats(struct kcache_info out[MEMINFO_CACHES], uint32_t* large_pages);

/* ---- Page tables (pagetable.c) ------------------------------------------------------------ */
/* Boot: the kernel directory mapping low memory at PAGE_OFFSET, plus the page table of the top
 * 4 MiB (kmap and fixmap slots); returns that table. */
uint32_t* pagetable_init_kernel(uint32_t lowmem_frames, uint32_t* (*boot_alloc)(void));
/* The kernel PTE for va >= VMALLOC_START; creates its page table (in every directory) if
 * `create`. NULL when absent (or out of memory). */
uint32_t* kernel_pte(uint32_t va, int create);
void flush_tlb_one(uint32_t va);                               /* INVLPG on a 486, a CR3 reload on a 386 */
uint32_t* pte_lookup(struct mm* mm, uint32_t va);              /* NULL if no page table */
uint32_t* pte_alloc(struct mm* mm, uint32_t va, unsigned gfp); /* NULL if out of memory */
void flush_tlb_mm(struct mm* mm); /* reload CR3 if mm is the loaded address space */
void unmap_range(struct mm* mm, uint32_t start, uint32_t end);
void free_user_pagetables(struct mm* mm);

/* ---- Address spaces (vma.c, fork.c) ------------------------------------------------------- */
struct vma* find_vma(struct mm* mm, uint32_t addr);       /* the VMA containing addr, or NULL */
struct vma* find_vma_after(struct mm* mm, uint32_t addr); /* first VMA with start > addr */
int vma_copy_list(struct mm* dst, const struct mm* src);
void vma_free_list(struct mm* mm);
extern struct mm* mm_all; /* every live address space, linked by mm->all_next */

/* ---- Reverse mapping: fork families (rmap.c) ---------------------------------------------- */
struct anon_family {
    struct mm* members; /* linked by mm->family_next */
    uint32_t count;
};
int family_new(struct mm* mm);
void family_join(struct mm* mm, struct mm* parent);
void family_leave(struct mm* mm);
/* How many PTEs map the page: its refcount minus the swap cache's reference. */
static inline uint32_t page_mapcount(const struct page* p) {
    return p->refcount - ((p->flags & PG_SWAPCACHE) ? 1u : 0u);
}
/* Calls fn for every PTE that maps `page` (in its family's mms, at page->vaddr). */
typedef void (*rmap_fn)(struct mm* mm, uint32_t* pte, struct page* page, void* arg);
void rmap_walk(struct page* page, rmap_fn fn, void* arg);
/* Marks a freshly mapped user page: kind, reverse mapping, the reclaim clock. */
void page_set_mapped(struct page* p, struct mm* mm, uint32_t vaddr);

/* ---- User frames (fault.c) ---------------------------------------------------------------- */
struct page* alloc_user_page(void); /* zeroed, kind KERNEL until mapped; may sleep; NULL = OOM */
/* Drops one PTE's reference to a user page (frees it, or its orphaned swap-cache copy). */
void page_unref_mapping(struct page* p);
int handle_mm_fault(struct mm* mm, uint32_t addr, int write, int force);
struct vma* vma_for_access(struct mm* mm, uint32_t addr, int write); /* NULL: illegal access */

/* ---- Swap (swap.c, swap_cache.c, reclaim.c) ----------------------------------------------- */
uint32_t swap_alloc(void);     /* a free slot with count 1, or 0 if swap is full/absent */
void swap_dup(uint32_t slot);  /* one more reference (fork, a PTE taking the slot) */
void swap_free(uint32_t slot); /* one reference less; frees the slot (and an orphaned cache page) */
uint32_t swap_count(uint32_t slot);
int swap_read(uint32_t slot, struct page* p);  /* sleeps; 0 or -1 */
int swap_write(uint32_t slot, struct page* p); /* sleeps; 0 or -1 */
extern uint32_t swap_nslots;                   /* 0: no swap */
extern uint16_t* swap_map;                     /* per-slot reference counts */
extern uint32_t swap_used;

struct page* swap_cache_lookup(uint32_t slot);
void swap_cache_add(struct page* p, uint32_t slot); /* takes a page ref and a slot ref */
void swap_cache_delete(struct page* p);             /* drops both */
extern struct page** swap_cache;                    /* [slot] -> frame, or NULL */
extern uint32_t swap_cache_pages;

/* The LRU lists (reclaim.c). */
void lru_add(struct page* p, enum lru_list list); /* p must be on none */
void lru_move(struct page* p, enum lru_list list);
void lru_del(struct page* p);
extern uint32_t lru_pages;                  /* on any list */
extern uint32_t lru_count[NR_LRU_LISTS];    /* per list */
extern struct page lru_heads[NR_LRU_LISTS]; /* sentinels (index 0 unused) */
void wait_on_page(struct page* p); /* sleeps until !PG_LOCKED (irqs off on entry and exit) */
void unlock_page(struct page* p);

/* ---- HighMem and vmalloc (highmem.c, vmalloc.c) ------------------------------------------- */
void highmem_init(uint32_t* top_table); /* boot: the table of PKMAP_BASE..4 GiB; detects INVLPG */
void kmap_forget(struct page* p);       /* before a high frame is freed: drop its cached slot */

/* ---- Counters (meminfo.c) ----------------------------------------------------------------- */
struct mm_counters {
    uint32_t faults, zero_fill, cow_copy, cow_reuse, swap_in_faults, stack_grow, bad;
    uint32_t swap_ins, swap_outs, swap_cache_hits, dropped_clean, oom_kills;
};
extern struct mm_counters mm_stat;

#endif
