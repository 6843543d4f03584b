/*
 * events.h: telling the emulator what the kernel just did (abi/guest_events.h). Each call fills
 * one record and writes its physical address to port 0xEB with one OUT; pc386 adds it to its
 * event stream (`pc386 run --events FILE`). QEMU and Bochs ignore the port, so a call costs a
 * few stores and an OUT there. The memory manager reaches this file only through mm_event()
 * (mm/mm_deps.h, mm_glue.c), so that the mm still builds on the host for its tests.
 *
 * The allocator events (GEV_BUDDY_SPLIT .. GEV_SLAB_SHRINK) come thousands a second: they are
 * dropped unless the detail switch is on (SYS_EVDETAIL, the `evdetail on|off` program).
 */
#ifndef GUESTOS_EVENTS_H
#define GUESTOS_EVENTS_H

#include <stdint.h>

#include "../abi/guest_events.h"

/* Reports event `kind` (GEV_*) about process `pid` with the fields of the ABI's table. Any
 * context, interrupts on or off. */
void event_emit(uint32_t kind, int pid, uint32_t a, uint32_t b, uint32_t c, uint32_t d);
/* GEV_EXEC: process `pid` now runs the program `name` (cut to GUEST_EVENT_NAME_LEN bytes). */
void event_exec(int pid, const char* name);
/* The detail switch (allocator events): set on or off; read it. Off at boot. */
void event_set_detail(int on);
int event_detail(void);

#endif
