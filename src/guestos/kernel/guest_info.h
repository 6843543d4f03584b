/*
 * guest_info.h (kernel side): publishing abi/guest_info.h's descriptor to the emulator.
 */
#ifndef GUESTOS_KERNEL_GUEST_INFO_H
#define GUESTOS_KERNEL_GUEST_INFO_H

/* After mm_init: fills the descriptor and writes its physical address to port 0xEA. */
void guest_info_publish(void);
/* Refreshes the process slots and counters (context switch; interrupts off). */
void guest_info_update(void);
/* Timer tick: refreshes them every few ticks. */
void guest_info_tick(void);

#endif
