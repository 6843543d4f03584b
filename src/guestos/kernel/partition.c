/*
 * partition.c: reads the MBR partition table of drive 0, and of drive 1 if drive 0 has no swap,
 * and gives the first swap partition (type 0x82) to the memory manager.
 */
#include "console.h"
#include "ide.h"
#include "mm/mm.h"

#define PART_TYPE_SWAP 0x82

struct partition {
    uint8_t status, chs_first[3], type, chs_last[3];
    uint32_t lba_start, sectors;
} __attribute__((packed));

/* Enables swap on drive's first type 0x82 partition; 1 if it did, 0 if the drive has none. */
static int scan_drive(int drive) {
    static uint8_t mbr[512];
    if (ide_read(drive, 0, mbr, 1) < 0) {
        kprintf("disk %d: cannot read the partition table\n", drive);
        return 0;
    }
    if (mbr[510] != 0x55 || mbr[511] != 0xAA) {
        kprintf("disk %d: no MBR signature\n", drive);
        return 0;
    }
    const struct partition* part = (const struct partition*)(mbr + 446);
    for (int i = 0; i < 4; i++) {
        if (part[i].type == 0) continue;
        kprintf("disk %d: partition %d: type 0x%x, LBA %u, %u sectors\n", drive, i + 1, part[i].type,
                part[i].lba_start, part[i].sectors);
    }
    for (int i = 0; i < 4; i++) {
        if (part[i].type != PART_TYPE_SWAP) continue;
        if (swap_init(drive, part[i].lba_start, part[i].sectors) < 0) {
            kprintf("disk %d: swap_init failed\n", drive);
            return 0;
        }
        return 1;
    }
    return 0;
}

void partition_scan(void) {
    if (scan_drive(0)) return;
    if (ide_present(1) && scan_drive(1)) return;
    kprintf("disk: no swap partition\n");
}
