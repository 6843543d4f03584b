/*
 * boot.h: what the loader (boot/loader.asm) hands the kernel: EAX = BOOT_MAGIC, EBX = the
 * physical address of a struct boot_info in low memory, paging on with the first 4 MiB mapped
 * at 0 and at 0xC0000000.
 */
#ifndef GUESTOS_BOOT_H
#define GUESTOS_BOOT_H

#include <stdint.h>

#define BOOT_MAGIC 0x36384221u /* "!B86" */

struct boot_info {
    uint32_t e820_count; /* entries of 20 bytes (base, length, type), packed */
    uint32_t e820_addr;  /* physical */
    uint32_t boot_drive; /* BIOS drive number (0x80) */
    uint32_t kernel_sectors;
};

#endif
