/*
 * gdt.c: the global descriptor table and the task-state segment.
 */
#include "gdt.h"

struct tss {
    uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
    uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint32_t es, cs, ss, ds, fs, gs, ldt;
    uint16_t trap, iomap_base;
};

static struct tss tss;
static uint64_t gdt[6];

/* A segment descriptor: base, limit (in 4 KiB units when `gran`), access byte. */
static uint64_t segment(uint32_t base, uint32_t limit, uint8_t access, int gran) {
    uint64_t flags = gran ? 0xC : 0x4; /* G and D/B (32-bit), or just D/B */
    return (uint64_t)(limit & 0xFFFF) | ((uint64_t)(base & 0xFFFFFF) << 16) | ((uint64_t)access << 40) |
           ((uint64_t)((limit >> 16) & 0xF) << 48) | (flags << 52) | ((uint64_t)(base >> 24) << 56);
}

void gdt_init(void) {
    gdt[0] = 0;
    gdt[1] = segment(0, 0xFFFFF, 0x9A, 1); /* kernel code */
    gdt[2] = segment(0, 0xFFFFF, 0x92, 1); /* kernel data */
    gdt[3] = segment(0, 0xFFFFF, 0xFA, 1); /* user code, DPL 3 */
    gdt[4] = segment(0, 0xFFFFF, 0xF2, 1); /* user data, DPL 3 */
    tss.ss0 = 0x10;
    tss.iomap_base = sizeof tss; /* no I/O bitmap: ring 3 has no port access */
    gdt[5] = segment((uint32_t)&tss, sizeof tss - 1, 0x89, 0) & ~(0x4ull << 52); /* 32-bit TSS */
    struct {
        uint16_t limit;
        uint32_t base;
    } __attribute__((packed)) desc = {sizeof gdt - 1, (uint32_t)gdt};
    __asm__ volatile(
        "lgdt %0\n"
        "ljmp $0x08, $1f\n"
        "1: movw $0x10, %%ax\n"
        "movw %%ax, %%ds\n movw %%ax, %%es\n movw %%ax, %%ss\n movw %%ax, %%fs\n movw %%ax, %%gs\n"
        "movw $0x28, %%ax\n ltr %%ax" ::"m"(desc)
        : "eax", "memory");
}

void tss_set_kernel_stack(uint32_t esp0) {
    tss.esp0 = esp0;
}
