/*
 * events.c: the one place that writes to port 0xEB (events.h, abi/guest_events.h).
 *
 * The record is one static struct (its physical address is __pa(&rec)). Sharing it is safe: one
 * CPU, and the fill and the OUT happen with interrupts off, so no interrupt handler or other
 * process can start refilling it before the emulator has read it during the OUT; the ABI lets it
 * be reused as soon as the OUT returns.
 */
#include "events.h"

#include "mm/mm.h"
#include "x86.h"

/* Copies s into d[0..n) and pads with NULs (no terminator when s fills d: the ABI allows it). */
static void strncpy_pad(char* d, const char* s, int n) {
    int i = 0;
    for (; s[i] && i < n; i++) d[i] = s[i];
    for (; i < n; i++) d[i] = 0;
}

static struct guest_event rec;
static int detail; /* allocator events wanted */

/* Fills rec and hands it to the emulator, interrupts off around both. Only GEV_EXEC carries a
 * name; the others get an empty one. */
static void send(uint32_t kind, int pid, uint32_t a, uint32_t b, uint32_t c, uint32_t d, const char* name) {
    uint32_t flags = irq_save();
    rec.kind = kind;
    rec.pid = (uint32_t)pid;
    rec.a = a;
    rec.b = b;
    rec.c = c;
    rec.d = d;
    if (name)
        strncpy_pad(rec.name, name, GUEST_EVENT_NAME_LEN);
    else
        rec.name[0] = 0;
    __asm__ volatile("" ::: "memory"); /* the stores above before the OUT (outl has no clobber) */
    outl(GUEST_EVENT_PORT, __pa(&rec));
    irq_restore(flags);
}

void event_emit(uint32_t kind, int pid, uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
    if (GEV_IS_DETAIL(kind) && !detail) return;
    send(kind, pid, a, b, c, d, 0);
}

void event_exec(int pid, const char* name) {
    send(GEV_EXEC, pid, (uint32_t)pid, 0, 0, 0, name);
}

void event_set_detail(int on) {
    detail = on != 0;
}

int event_detail(void) {
    return detail;
}
