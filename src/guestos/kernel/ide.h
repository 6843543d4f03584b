/*
 * ide.h: PIO access to the primary IDE channel (master = drive 0, slave = drive 1).
 */
#ifndef GUESTOS_IDE_H
#define GUESTOS_IDE_H

#include <stdint.h>

/* Reads or writes `count` (1..256) sectors at `lba` (28-bit). One request at a time: a caller
 * sleeps until the drive is free and again until its transfer is done (before the scheduler runs,
 * it waits with hlt instead). 0, or -1 on a drive error. */
int ide_read(int drive, uint32_t lba, void* buf, uint32_t count);
int ide_write(int drive, uint32_t lba, const void* buf, uint32_t count);
/* IRQ 14: one sector has been transferred (or the command failed). */
void ide_intr(void);
void ide_init(void);
/* Is `drive` there (it answers IDENTIFY DEVICE)? Polls; call before processes run. */
int ide_present(int drive);

/* partition.c: finds the first swap partition (type 0x82) on drive 0, else on drive 1 (a second
 * disk as swap), and enables swapping on it. */
void partition_scan(void);

#endif
