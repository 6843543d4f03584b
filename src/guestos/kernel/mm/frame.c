/*
 * frame.c: the frame table (one struct page per physical frame) and mm_init, which builds it from
 * the BIOS E820 map, maps low memory at PAGE_OFFSET and hands free RAM to the buddy allocator.
 *
 * Physical layout after mm_init:
 *   0 .. 1 MiB            reserved (BIOS data, real-mode leftovers, VGA, ROMs)
 *   1 MiB .. kernel_end   the kernel image (kind KERNEL)
 *   kernel_end ..         the kernel page directory and page tables (inside the loader's 4 MiB
 *                         boot mapping: at most 226 pages), then the frame table (in low memory,
 *                         which the new directory maps)
 *   .. LOWMEM_LIMIT       free low memory (zones DMA, Normal)
 *   .. top of RAM         free high memory (zone HighMem), never mapped permanently
 */
#include "mm_internal.h"

struct e820_entry {
    uint64_t base;
    uint64_t length;
    uint32_t type;
} __attribute__((packed));
#define E820_RAM 1

/* The debug window reads the first 8 bytes of each descriptor (guest_info.h). */
_Static_assert(offsetof(struct page, order) == 1 && offsetof(struct page, refcount) == 2 &&
                   offsetof(struct page, slab_size) == 4 && offsetof(struct page, owner_pid) == 6,
               "struct page: the first 8 bytes are ABI");
#ifndef MM_HOSTTEST
_Static_assert(sizeof(struct page) == 44, "struct page: the frame table's stride on i386");
_Static_assert(offsetof(struct page, zone) == 8 && offsetof(struct page, lru) == 9 &&
                   offsetof(struct page, map_flags) == 10,
               "struct page: bytes 8..11 are ABI");
#endif

struct page* frame_table;
uint32_t frame_count;
uint32_t highstart_pfn = 0xFFFFFFFFu; /* everything is low until mm_init knows better */

static uint32_t boot_next_phys; /* bump allocator used before the buddy allocator exists */

/* Takes one zeroed frame from the bump allocator (boot only: kernel page tables, still inside the
 * loader's boot mapping; mm_init marks them in the frame table once it exists). */
static uint32_t* boot_alloc_page(void) {
    uint32_t pa = boot_next_phys;
    boot_next_phys += PAGE_SIZE;
    memset(__va(pa), 0, PAGE_SIZE);
    return (uint32_t*)__va(pa);
}

/* Top of usable RAM according to the map (below 4 GiB; pc386 gives at most 3 GiB). */
static uint32_t ram_top(const struct e820_entry* map, int n) {
    uint64_t top = 0;
    for (int i = 0; i < n; i++) {
        if (map[i].type != E820_RAM) continue;
        uint64_t end = map[i].base + map[i].length;
        if (end > top) top = end;
    }
    if (top > 0xFFFFF000u) top = 0xFFFFF000u;
    return (uint32_t)top & PAGE_MASK;
}

/* Marks frames of [base, base+len) as `kind` (only whole frames for RAM, any overlap otherwise). */
static void mark_range(uint64_t base, uint64_t len, uint8_t kind) {
    uint64_t first, last; /* frame numbers, [first, last) */
    if (kind == PAGE_KIND_FREE) {
        first = (base + PAGE_SIZE - 1) >> PAGE_SHIFT;
        last = (base + len) >> PAGE_SHIFT;
    } else {
        first = base >> PAGE_SHIFT;
        last = (base + len + PAGE_SIZE - 1) >> PAGE_SHIFT;
    }
    if (last > frame_count) last = frame_count;
    for (uint64_t f = first; f < last; f++) frame_table[(uint32_t)f].kind = kind;
}

void mm_init(const struct e820_entry* map, int n, uint32_t kernel_end_phys) {
    uint32_t top = ram_top(map, n);
    uint32_t lowmem_frames = (top < LOWMEM_LIMIT ? top : LOWMEM_LIMIT) >> PAGE_SHIFT;

    /* The kernel page tables first (they fit in the boot mapping), then load them: from here on
     * all of low memory is mapped at PAGE_OFFSET. */
    uint32_t tables_phys = PAGE_ALIGN(kernel_end_phys);
    boot_next_phys = tables_phys;
    uint32_t* top_table = pagetable_init_kernel(lowmem_frames, boot_alloc_page);
    uint32_t tables_end = boot_next_phys;

    /* The frame table describes all RAM, high memory too, but must itself live in low memory. */
    frame_count = top >> PAGE_SHIFT;
    uint32_t room = (lowmem_frames << PAGE_SHIFT) - tables_end - 0x40000; /* keep 256 KiB */
    if ((uint64_t)frame_count * sizeof(struct page) > room) {
        frame_count = room / (uint32_t)sizeof(struct page);
        kprintf("mm: using RAM below %u MiB only (the frame table must fit in low memory)\n",
                frame_count >> (20 - PAGE_SHIFT));
        if (lowmem_frames > frame_count) lowmem_frames = frame_count;
    }
    frame_table = (struct page*)__va(tables_end);
    uint32_t table_bytes = frame_count * (uint32_t)sizeof(struct page);
    memset(frame_table, 0, table_bytes);
    boot_next_phys = PAGE_ALIGN(tables_end + table_bytes);
    highstart_pfn = lowmem_frames;

    /* RAM candidates first, then holes and reserved ranges win over overlapping RAM. */
    for (uint32_t f = 0; f < frame_count; f++) frame_table[f].kind = PAGE_KIND_RESERVED;
    for (int i = 0; i < n; i++)
        if (map[i].type == E820_RAM) mark_range(map[i].base, map[i].length, PAGE_KIND_FREE);
    for (int i = 0; i < n; i++)
        if (map[i].type != E820_RAM) mark_range(map[i].base, map[i].length, PAGE_KIND_RESERVED);
    mark_range(0, 0x100000, PAGE_KIND_RESERVED);

    /* Kernel image, page tables and frame table. */
    for (uint32_t f = 0x100000 >> PAGE_SHIFT; f < (boot_next_phys >> PAGE_SHIFT); f++) {
        int table = f >= (tables_phys >> PAGE_SHIFT) && f < (tables_end >> PAGE_SHIFT);
        frame_table[f].kind = table ? PAGE_KIND_PAGETABLE : PAGE_KIND_KERNEL;
        frame_table[f].refcount = 1;
    }
    zones_init(lowmem_frames);
    highmem_init(top_table);

    /* Everything still marked FREE goes to the buddy allocator in maximal runs. */
    uint32_t run = 0;
    int in_run = 0;
    for (uint32_t f = 0; f <= frame_count; f++) {
        int is_free =
            f < frame_count && f >= (boot_next_phys >> PAGE_SHIFT) && frame_table[f].kind == PAGE_KIND_FREE;
        if (f < frame_count && frame_table[f].kind == PAGE_KIND_FREE && !is_free)
            frame_table[f].kind = PAGE_KIND_KERNEL; /* bump-allocated after marking */
        if (is_free && !in_run) {
            run = f;
            in_run = 1;
        } else if (!is_free && in_run) {
            buddy_add_range(run, f);
            in_run = 0;
        }
    }
    kmalloc_init();
    kprintf("mm: %u KiB RAM, %u frames, %u free, frame table %u KiB\n", frame_count * 4, frame_count,
            nr_free_pages(), table_bytes / 1024);
    for (int z = 0; z < NR_ZONES; z++)
        kprintf("mm: zone %s: frames %x..%x (%u KiB), watermarks min %u low %u\n", zones[z].name,
                zones[z].start_pfn, zones[z].end_pfn, (zones[z].end_pfn - zones[z].start_pfn) * 4,
                zones[z].pages_min, zones[z].pages_low);
    mm_check_free_lists("mm_init");
}
