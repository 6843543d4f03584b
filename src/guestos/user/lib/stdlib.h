/*
 * stdlib.h: the heap (malloc.c) and a pseudo-random generator (rand.c).
 */
#ifndef USER_STDLIB_H
#define USER_STDLIB_H

#include <stddef.h>

/*
 * Heap blocks from the break (sbrk), 8-byte aligned. malloc returns NULL when the kernel refuses
 * to move the break; free(NULL) does nothing. Freed neighbours coalesce, and a large free block at
 * the top of the heap is given back to the kernel.
 */
void* malloc(size_t size);
void* calloc(size_t count, size_t size);
void free(void* ptr);
/* Bytes of heap (free and used blocks) currently taken from the kernel. */
size_t heap_size(void);
/* Walks the heap checking every block header; returns 0 if consistent, -1 if not. */
int heap_check(void);

/* xorshift32: a deterministic sequence for a given seed (seed 0 is replaced by 1). */
#define RAND_MAX 0x7FFFFFFF
void srand(unsigned seed);
int rand(void);

#endif
