/*
 * x86.h: the handful of privileged or I/O instructions the kernel uses, as inline functions.
 */
#ifndef GUESTOS_X86_H
#define GUESTOS_X86_H

#include <stdint.h>

static inline uint8_t inb(uint16_t port) {
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline void outb(uint16_t port, uint8_t v) {
    __asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}
static inline void outl(uint16_t port, uint32_t v) {
    __asm__ volatile("outl %0, %1" ::"a"(v), "Nd"(port));
}
/* Moves `words` 16-bit words between an I/O port and memory (IDE data port). */
static inline void insw(uint16_t port, void* dst, uint32_t words) {
    __asm__ volatile("cld; rep insw" : "+D"(dst), "+c"(words) : "d"(port) : "memory");
}
static inline void outsw(uint16_t port, const void* src, uint32_t words) {
    __asm__ volatile("cld; rep outsw" : "+S"(src), "+c"(words) : "d"(port));
}
static inline void cli(void) {
    __asm__ volatile("cli" ::: "memory");
}
static inline void sti(void) {
    __asm__ volatile("sti" ::: "memory");
}
/* Enables interrupts and waits for one (sti's one-instruction delay makes the pair atomic). */
static inline void sti_hlt(void) {
    __asm__ volatile("sti; hlt" ::: "memory");
}
static inline uint32_t read_cr2(void) {
    uint32_t v;
    __asm__ volatile("movl %%cr2, %0" : "=r"(v));
    return v;
}
static inline uint32_t read_cr3(void) {
    uint32_t v;
    __asm__ volatile("movl %%cr3, %0" : "=r"(v));
    return v;
}
static inline uint32_t read_eflags(void) {
    uint32_t v;
    __asm__ volatile("pushfl; popl %0" : "=r"(v));
    return v;
}
#define EFLAGS_IF 0x200

/* The kernel's only lock (one CPU): interrupts off, and back to how they were. */
static inline uint32_t irq_save(void) {
    uint32_t flags = read_eflags();
    cli();
    return flags;
}
static inline void irq_restore(uint32_t flags) {
    if (flags & EFLAGS_IF) sti();
}

#endif
