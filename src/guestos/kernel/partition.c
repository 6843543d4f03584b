/*
 * partition.c: reads the MBR partition table of drive 0 and gives the swap partition (type
 * 0x82) to the memory manager.
 */
#include "console.h"
#include "ide.h"
#include "mm/mm.h"

#define PART_TYPE_SWAP 0x82

struct partition {
    uint8_t status, chs_first[3], type, chs_last[3];
    uint32_t lba_start, sectors;
} __attribute__((packed));

void partition_scan(void) {
    static uint8_t mbr[512];
    if (ide_read(0, 0, mbr, 1) < 0) {
        kprintf("disk: cannot read the partition table: no swap\n");
        return;
    }
    if (mbr[510] != 0x55 || mbr[511] != 0xAA) {
        kprintf("disk: no MBR signature: no swap\n");
        return;
    }
    const struct partition* part = (const struct partition*)(mbr + 446);
    for (int i = 0; i < 4; i++) {
        kprintf("disk: partition %d: type 0x%x, LBA %u, %u sectors\n", i + 1, part[i].type, part[i].lba_start,
                part[i].sectors);
    }
    for (int i = 0; i < 4; i++) {
        if (part[i].type != PART_TYPE_SWAP) continue;
        if (swap_init(0, part[i].lba_start, part[i].sectors) < 0) kprintf("disk: swap_init failed\n");
        return;
    }
    kprintf("disk: no swap partition\n");
}
