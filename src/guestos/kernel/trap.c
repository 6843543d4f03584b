/*
 * trap.c: the IDT and the one C entry point of every trap. Exceptions from ring 3 either are
 * resolved (page faults the mm handles) or kill the process with WAIT_KILLED | trap number;
 * exceptions in ring 0 are kernel bugs and panic with a register dump. IRQs go to their drivers;
 * the timer tick preempts user code (and kernel threads) round-robin.
 */
#include "trap.h"

#include "../abi/syscall.h"
#include "console.h"
#include "gdt.h"
#include "guest_info.h"
#include "ide.h"
#include "mm/mm.h"
#include "proc.h"
#include "syscall.h"
#include "x86.h"

struct gate {
    uint16_t off_lo, sel;
    uint8_t zero, type;
    uint16_t off_hi;
} __attribute__((packed));

static struct gate idt[256];
extern const uint32_t trap_vectors[49]; /* vectors.S: 0..47, then 0x80 */

static void set_gate(int n, uint32_t handler, uint8_t type) {
    idt[n] = (struct gate){(uint16_t)handler, SEG_KCODE, 0, type, (uint16_t)(handler >> 16)};
}

void idt_init(void) {
    for (int i = 0; i < 48; i++) set_gate(i, trap_vectors[i], 0x8E); /* interrupt gate, DPL 0 */
    set_gate(T_SYSCALL, trap_vectors[48], 0xEF); /* trap gate, DPL 3: interrupts stay on */
    struct {
        uint16_t limit;
        uint32_t base;
    } __attribute__((packed)) desc = {sizeof idt - 1, (uint32_t)idt};
    __asm__ volatile("lidt %0" ::"m"(desc));
}

static const char* const exception_names[] = {
    "#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow", "#BR bound", "#UD invalid opcode",
    "#NM no coprocessor", "#DF double fault", "coprocessor overrun", "#TS invalid TSS", "#NP segment not present",
    "#SS stack fault", "#GP general protection", "#PF page fault", "reserved", "#MF x87 error", "#AC alignment",
};

static const char* exception_name(uint32_t n) {
    return n < sizeof exception_names / sizeof *exception_names ? exception_names[n] : "exception";
}

/* A fault in ring 0 is a kernel bug: print everything we know and stop. */
static void kernel_fault(struct trapframe* tf, uint32_t cr2) {
    kprintf("\nkernel trap %u (%s), err 0x%x, cr2 0x%x, pid %d (%s)\n", tf->trapno, exception_name(tf->trapno),
            tf->err, cr2, current ? current->pid : 0, current ? current->name : "-");
    kprintf("eip %p cs %x eflags %p\n", tf->eip, tf->cs, tf->eflags);
    kprintf("eax %p ebx %p ecx %p edx %p\n", tf->eax, tf->ebx, tf->ecx, tf->edx);
    kprintf("esi %p edi %p ebp %p esp %p\n", tf->esi, tf->edi, tf->ebp, (uint32_t)&tf->esp);
    panic("kernel fault");
}

/* A CPU exception raised by user code. */
static void user_exception(struct trapframe* tf) {
    uint32_t cr2 = tf->trapno == T_PGFLT ? read_cr2() : 0;
    if (tf->trapno == T_PGFLT) {
        sti(); /* the mm may sleep on swap I/O and guards its own data */
        if (mm_handle_page_fault(cr2, tf->err, 1) == 0) return;
        if (current->killed) return; /* the OOM killer chose us: exit below */
        kprintf("killed pid %d (%s): page fault at 0x%x err 0x%x eip 0x%x\n", current->pid, current->name, cr2,
                tf->err, tf->eip);
    } else {
        kprintf("killed pid %d (%s): trap %u (%s) at eip 0x%x err 0x%x\n", current->pid, current->name, tf->trapno,
                exception_name(tf->trapno), tf->eip, tf->err);
    }
    proc_kill(current, WAIT_KILLED | (int)tf->trapno); /* counted and reported as a kill */
    proc_exit(WAIT_KILLED | (int)tf->trapno);
}

void trap(struct trapframe* tf) {
    int from_user = (tf->cs & 3) == 3;
    uint32_t n = tf->trapno;
    if (n == T_SYSCALL) {
        syscall(tf);
    } else if (n >= T_IRQ0 && n < T_IRQ0 + 16) {
        int irq = (int)n - T_IRQ0;
        pic_eoi(irq);
        switch (irq) {
            case IRQ_TIMER:
                ticks++;
                wakeup((void*)&ticks);
                guest_info_tick();
                break;
            case IRQ_KBD: kbd_intr(); break;
            case IRQ_COM1: uart_intr(); break;
            case IRQ_IDE: ide_intr(); break;
            default: break; /* spurious IRQ 7 / 15 */
        }
        if (irq == IRQ_TIMER && current && current->state == RUNNING && (from_user || !current->mm)) yield();
    } else if (from_user) {
        user_exception(tf);
    } else if (n == T_PGFLT && tf->eip == (uint32_t)probe_fault_insn) {
        tf->eip = (uint32_t)probe_fault_fixup; /* probe_read (probe.S): the page is not mapped */
    } else { /* the kernel touches user memory only through copy_*_user: any fault is a bug */
        kernel_fault(tf, n == T_PGFLT ? read_cr2() : 0);
    }
    if (from_user && current && current->killed) proc_exit(WAIT_KILLED | (current->killed & 0xFF));
}
