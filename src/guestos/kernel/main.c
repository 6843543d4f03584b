/*
 * main.c: kmain, the kernel's boot sequence, from the loader's hand-over to the scheduler.
 */
#include "boot.h"
#include "console.h"
#include "gdt.h"
#include "guest_info.h"
#include "ide.h"
#include "mm/mm.h"
#include "proc.h"
#include "string.h"
#include "trap.h"
#include "x86.h"

extern char _end[];

#define E820_MAX 32
static uint8_t e820_map[E820_MAX * 20]; /* the loader's entries, copied before mm_init */

/* Kernel thread: keeps the debug window's view fresh even when nothing else runs. */
static void kinfo_thread(void* arg) {
    (void)arg;
    for (;;) {
        sleep_ticks(HZ / 10);
        uint32_t flags = irq_save();
        guest_info_update();
        irq_restore(flags);
    }
}

void kmain(uint32_t magic, uint32_t boot_info_phys) {
    console_init();
    kprintf("pc386 guest kernel\n");
    if (magic != BOOT_MAGIC) panic("not started by the pc386 loader (magic 0x%x)", magic);
    const struct boot_info* bi = (const struct boot_info*)__va(boot_info_phys);
    uint32_t n = bi->e820_count < E820_MAX ? bi->e820_count : E820_MAX;
    memcpy(e820_map, __va(bi->e820_addr), n * 20);
    for (uint32_t i = 0; i < n; i++) {
        const uint32_t* e = (const uint32_t*)(e820_map + i * 20);
        kprintf("e820: %p-%p type %u\n", e[0], e[0] + e[2] - 1, e[4]);
    }
    gdt_init();
    idt_init();
    mm_init((const struct e820_entry*)e820_map, (int)n, __pa(_end));
    guest_info_publish();
    pic_init();
    /* Input that arrived before the PIC was programmed raised its (edge-triggered) line already:
     * drain it now, or that line would never rise again. */
    uart_intr();
    kbd_intr();
    timer_init();
    ide_init();
    partition_scan();
    userinit();
    kthread_create("kinfo", kinfo_thread, 0);
    kprintf("kernel: starting init\n");
    scheduler();
}
