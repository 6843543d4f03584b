/*
 * guest_events.h: how the guest kernel tells the emulator what its memory manager just did.
 *
 * The kernel fills one struct guest_event and writes its physical address with one 32-bit OUT to
 * GUEST_EVENT_PORT (0xEB). The emulator reads the record during that OUT, stamps it with the
 * instruction count, the CPU's EIP/CR3/CPL and the current pid, and adds it to its event stream
 * (pc386 run --events FILE, break-on-event, the window's timeline). The record may be reused as
 * soon as the OUT returns. On QEMU and Bochs the port is unclaimed and the write is lost, so the
 * same image runs there unchanged.
 *
 * The emulator validates everything: an unknown kind or an address outside RAM is ignored. Field
 * meanings per kind (a, b, c, d) are in the table below; pid is the process the event concerns.
 * Frames are physical frame numbers (address >> 12). The built-in kernel sends them from
 * kernel/events.c; the memory manager's kinds come beside its meminfo counters (one event per
 * increment). The allocator kinds (14..17) are sent only while `evdetail on` (SYS_EVDETAIL).
 */
#ifndef GUESTOS_ABI_GUEST_EVENTS_H
#define GUESTOS_ABI_GUEST_EVENTS_H

#include <stdint.h>

#define GUEST_EVENT_PORT 0xEB

/*                               a              b            c            d            */
#define GEV_SWITCH 1      /* pid switched to (0: idle)                                  */
#define GEV_FORK 2        /* parent pid     child pid                                   */
#define GEV_EXEC 3        /* pid            (name: the program's name)                  */
#define GEV_EXIT 4        /* pid            status                                      */
#define GEV_KILL 5        /* pid            trap number (0xFF: OOM)                     */
#define GEV_ZERO_FILL 6   /* virtual addr   frame                                       */
#define GEV_COW_COPY 7    /* virtual addr   old frame    new frame                      */
#define GEV_COW_REUSE 8   /* virtual addr   frame                                       */
#define GEV_STACK_GROW 9  /* virtual addr   0 (its frame: in the zero-fill just after)  */
#define GEV_SWAP_OUT 10   /* virtual addr   frame        slot         owner pid         */
#define GEV_SWAP_IN 11    /* virtual addr   slot         frame        1: swap cache hit */
#define GEV_RECLAIM 12    /* pages scanned  pages freed                                 */
#define GEV_OOM_KILL 13   /* victim pid     victim RSS (pages)                          */
#define GEV_BUDDY_SPLIT 14 /* frame         order split from       (evdetail on)        */
#define GEV_BUDDY_MERGE 15 /* frame         order merged into      (evdetail on)        */
#define GEV_SLAB_GROW 16  /* object size    frame                  (evdetail on)        */
#define GEV_SLAB_SHRINK 17 /* object size   frame                  (evdetail on)        */
#define GEV_KMAP 18        /* frame          kernel addr  slot         1: atomic  (evdetail on) */
#define GEV_KUNMAP 19      /* frame          kernel addr  slot         1: atomic  (evdetail on) */
#define GEV_LRU_MOVE 20    /* frame          from list    to list (lists: see below) (evdetail on) */
#define GEV_VMALLOC 21     /* kernel addr    pages                                       */
#define GEV_VFREE 22       /* kernel addr    pages                                       */
#define GEV_KIND_COUNT 23
/* LRU lists in GEV_LRU_MOVE: 0 none, 1 active, 2 inactive_dirty, 3 inactive_clean.
 * The kinds the kernel sends only while `evdetail on` (thousands a second): */
#define GEV_IS_DETAIL(kind) ((kind) >= GEV_BUDDY_SPLIT && (kind) <= GEV_LRU_MOVE)

#define GUEST_EVENT_NAME_LEN 16

struct guest_event {
    uint32_t kind; /* GEV_* */
    uint32_t pid;  /* the process concerned (the current one for fault events) */
    uint32_t a, b, c, d;
    char name[GUEST_EVENT_NAME_LEN]; /* GEV_EXEC: the program name (NUL-terminated unless full) */
};

#ifdef __cplusplus
static_assert(sizeof(struct guest_event) == 40, "guest_event layout");
#else
_Static_assert(sizeof(struct guest_event) == 40, "guest_event layout");
#endif

#endif
