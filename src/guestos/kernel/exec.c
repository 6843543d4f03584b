/*
 * exec.c: loading a built-in program (abi/syscall.h) into a fresh address space:
 *
 *   USER_STACK_TOP  +------------------+
 *                   | argv strings     |  VM_STACK area, grows down by faults
 *                   | argv[0..argc], 0 |
 *   esp at entry -> | argc | argv      |
 *                   +------------------+
 *        ...            (mmap areas from MMAP_BASE)
 *   brk_start       +------------------+  heap (brk), starts on the page after the image
 *                   | data, bss        |  read/write
 *   USER_LOAD_ADDR  | text, rodata     |  read/exec (the header says where it ends)
 *                   +------------------+
 */
#include "../abi/syscall.h"
#include "console.h"
#include "events.h"
#include "gdt.h"
#include "guest_info.h"
#include "mm/mm.h"
#include "proc.h"
#include "string.h"

#define MAX_ARGS 16
#define STACK_PAGES 4 /* mapped up front; the VMA grows further on demand */

static const struct builtin_program* find_program(const char* name) {
    for (const struct builtin_program* b = builtin_programs; b->name; b++)
        if (strcmp(b->name, name) == 0) return b;
    return 0;
}

/* Writes argc, argv and the strings below USER_STACK_TOP of mm; returns the entry esp or 0. */
static uint32_t push_args(struct mm* mm, char* const argv[]) {
    uint32_t ptrs[MAX_ARGS + 1];
    uint32_t sp = USER_STACK_TOP;
    int argc = 0;
    for (; argv && argv[argc] && argc < MAX_ARGS; argc++) {
        uint32_t len = strlen(argv[argc]) + 1;
        sp -= len;
        if (mm_copy_in(mm, sp, argv[argc], len) < 0) return 0;
        ptrs[argc] = sp;
    }
    ptrs[argc] = 0;
    sp &= ~3u;
    sp -= (uint32_t)(argc + 1) * 4;
    uint32_t argv_addr = sp;
    if (mm_copy_in(mm, sp, ptrs, (uint32_t)(argc + 1) * 4) < 0) return 0;
    uint32_t head[2] = {(uint32_t)argc, argv_addr};
    sp -= sizeof head;
    if (mm_copy_in(mm, sp, head, sizeof head) < 0) return 0;
    return sp;
}

/*
 * Maps the image of `prog` into mm (text read-only when its header says where the text ends)
 * and copies it in; returns the end of the image (page aligned) or 0.
 */
static uint32_t load_image(struct mm* mm, const struct builtin_program* prog) {
    uint32_t end = USER_LOAD_ADDR + PAGE_ALIGN(prog->size ? prog->size : 1);
    uint32_t text_end = USER_LOAD_ADDR;
    const struct builtin_header* h = (const struct builtin_header*)prog->image;
    if (prog->size >= sizeof *h && h->magic == BUILTIN_HEADER_MAGIC && h->text_end % PAGE_SIZE == 0 &&
        h->text_end >= USER_LOAD_ADDR && h->text_end <= end && h->image_end <= end)
        text_end = h->text_end;
    if (text_end > USER_LOAD_ADDR &&
        mm_map_anon(mm, USER_LOAD_ADDR, text_end - USER_LOAD_ADDR, VM_READ | VM_EXEC) < 0)
        return 0;
    uint32_t rw = text_end == USER_LOAD_ADDR ? VM_READ | VM_WRITE | VM_EXEC : VM_READ | VM_WRITE;
    if (end > text_end && mm_map_anon(mm, text_end, end - text_end, rw) < 0) return 0;
    if (mm_copy_in(mm, USER_LOAD_ADDR, prog->image, prog->size) < 0) return 0;
    return end;
}

int exec(const char* name, char* const argv[]) {
    const struct builtin_program* prog = find_program(name);
    if (!prog) return -1;
    struct mm* mm = mm_create();
    if (!mm) return -1;
    uint32_t image_end = load_image(mm, prog);
    uint32_t sp = 0;
    if (image_end && mm_brk_init(mm, image_end) == 0 &&
        mm_map_anon(mm, USER_STACK_TOP - STACK_PAGES * PAGE_SIZE, STACK_PAGES * PAGE_SIZE,
                    VM_READ | VM_WRITE | VM_STACK) == 0)
        sp = push_args(mm, argv);
    if (!sp) {
        mm_destroy(mm);
        return -1;
    }
    struct mm* old = current->mm;
    current->mm = mm;
    mm_switch(mm);
    if (old) mm_destroy(old);
    strlcpy(current->name, prog->name, sizeof current->name);
    proc_stat.execs++;
    guest_info_update(); /* the new name and address space, listed before the event */
    event_exec(current->pid, prog->name);
    struct trapframe* tf = current->tf;
    memset(tf, 0, sizeof *tf);
    tf->cs = SEG_UCODE;
    tf->ds = tf->es = tf->fs = tf->gs = tf->ss = SEG_UDATA;
    tf->eflags = 0x202; /* interrupts on */
    tf->eip = USER_LOAD_ADDR;
    tf->esp = sp;
    return 0;
}
