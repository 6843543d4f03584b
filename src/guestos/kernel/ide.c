/*
 * ide.c: the IDE driver. A command moves `count` sectors; the drive interrupts once per sector:
 * for a read when the sector is ready in its buffer (we copy it out), for a write when it has
 * taken the sector (we send the next one; the first is sent after the command, on DRQ). The
 * last interrupt completes the request and wakes its owner.
 */
#include "ide.h"

#include "console.h"
#include "proc.h"
#include "x86.h"

#define IDE_DATA 0x1F0
#define IDE_COUNT 0x1F2
#define IDE_LBA0 0x1F3
#define IDE_LBA1 0x1F4
#define IDE_LBA2 0x1F5
#define IDE_DRIVE 0x1F6
#define IDE_CMD 0x1F7 /* status when read */
#define IDE_CTRL 0x3F6
#define ST_ERR 0x01
#define ST_DRQ 0x08
#define ST_DF 0x20
#define ST_BSY 0x80
#define CMD_READ 0x20
#define CMD_WRITE 0x30
#define CMD_IDENTIFY 0xEC

static struct {
    volatile int busy; /* a request owns the channel */
    volatile int done;
    int error;
    int write;
    uint8_t* buf;   /* next sector's data */
    uint32_t left;  /* sectors still to move */
} req;

uint32_t ide_sectors_read, ide_sectors_written; /* guest_info counters */

/* Polls until BSY clears (and DRQ is set if asked). 0, or -1 on error or timeout. */
static int ide_poll(int want_drq) {
    for (uint32_t i = 0; i < 1000000; i++) {
        uint8_t s = inb(IDE_CMD);
        if (s & ST_BSY) continue;
        if (s & (ST_ERR | ST_DF)) return -1;
        if (!want_drq || (s & ST_DRQ)) return 0;
    }
    return -1;
}

void ide_init(void) {
    outb(IDE_CTRL, 0x00); /* nIEN = 0: the drive raises IRQ 14 */
}

/* Waits (irqs off on entry and exit) until *flag == value: sleeping on chan, or halting until
 * the next interrupt before there are processes. */
static void wait_until(volatile int* flag, int value, void* chan) {
    while (*flag != value) {
        if (current)
            sleep(chan);
        else
            sti_hlt(), cli();
    }
}

int ide_present(int drive) {
    uint32_t flags = irq_save();
    outb(IDE_DRIVE, (uint8_t)(0xA0 | (drive & 1) << 4));
    for (int i = 0; i < 4; i++) (void)inb(IDE_CTRL); /* the 400 ns a drive needs to answer */
    uint8_t s = inb(IDE_CMD);
    int present = 0;
    /* An absent device reads 0 (its partner answers for it) or 0xFF (a floating bus). */
    if (s != 0x00 && s != 0xFF && ide_poll(0) == 0) {
        outb(IDE_CTRL, 0x02); /* nIEN: polled, so no interrupt is left pending for the next request */
        outb(IDE_CMD, CMD_IDENTIFY);
        if (ide_poll(1) == 0) {
            static uint16_t id[256];
            insw(IDE_DATA, id, 256);
            present = 1;
        }
        (void)inb(IDE_CMD);
        outb(IDE_CTRL, 0x00);
    }
    irq_restore(flags);
    return present;
}

static int ide_rw(int drive, uint32_t lba, uint8_t* buf, uint32_t count, int write) {
    if (count == 0 || count > 256) return -1;
    uint32_t flags = irq_save();
    wait_until(&req.busy, 0, (void*)&req.busy);
    req.busy = 1;
    req.done = 0;
    req.error = 0;
    req.write = write;
    req.buf = buf;
    req.left = count;
    int r = ide_poll(0);
    if (r == 0) {
        outb(IDE_DRIVE, (uint8_t)(0xE0 | (drive & 1) << 4 | ((lba >> 24) & 0x0F)));
        outb(IDE_COUNT, (uint8_t)count); /* 256 is written as 0 */
        outb(IDE_LBA0, (uint8_t)lba);
        outb(IDE_LBA1, (uint8_t)(lba >> 8));
        outb(IDE_LBA2, (uint8_t)(lba >> 16));
        outb(IDE_CMD, write ? CMD_WRITE : CMD_READ);
        if (write) {
            r = ide_poll(1);
            if (r == 0) {
                outsw(IDE_DATA, req.buf, 256);
                req.buf += 512;
                req.left--;
            }
        }
    }
    if (r == 0) {
        wait_until(&req.done, 1, &req);
        r = req.error ? -1 : 0;
    }
    if (write)
        ide_sectors_written += count;
    else
        ide_sectors_read += count;
    req.busy = 0;
    wakeup((void*)&req.busy);
    irq_restore(flags);
    if (r < 0) kprintf("ide: %s error, drive %d, LBA %u\n", write ? "write" : "read", drive, lba);
    return r;
}

int ide_read(int drive, uint32_t lba, void* buf, uint32_t count) {
    return ide_rw(drive, lba, buf, count, 0);
}

int ide_write(int drive, uint32_t lba, const void* buf, uint32_t count) {
    return ide_rw(drive, lba, (uint8_t*)buf, count, 1);
}

void ide_intr(void) {
    uint8_t status = inb(IDE_CMD); /* reading the status acknowledges the interrupt */
    if (!req.busy || req.done) return;
    if (status & (ST_ERR | ST_DF)) {
        req.error = 1;
    } else if (!req.write) {
        if (!(status & ST_DRQ)) return; /* not a sector: a stray interrupt */
        insw(IDE_DATA, req.buf, 256);
        req.buf += 512;
        req.left--;
    } else if (req.left) {
        outsw(IDE_DATA, req.buf, 256);
        req.buf += 512;
        req.left--;
        return; /* one more interrupt when the drive has taken it */
    }
    if (req.error || req.left == 0) {
        req.done = 1;
        wakeup(&req);
    }
}
