/*
 * string.h: the kernel's few string and memory functions (freestanding: no libc).
 */
#ifndef GUESTOS_STRING_H
#define GUESTOS_STRING_H

#include <stdint.h>

void* memset(void* d, int c, uint32_t n);
void* memcpy(void* d, const void* s, uint32_t n);
int memcmp(const void* a, const void* b, uint32_t n);
uint32_t strlen(const char* s);
int strcmp(const char* a, const char* b);
/* Copies at most n-1 characters and always NUL-terminates (n > 0). */
void strlcpy(char* d, const char* s, uint32_t n);

#endif
