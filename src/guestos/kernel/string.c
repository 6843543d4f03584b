/*
 * string.c: memory and string helpers. memcpy/memset use the string instructions: the kernel
 * copies whole pages with them (CoW, swap), so they are worth the one line of assembly.
 */
#include "string.h"

void* memset(void* d, int c, uint32_t n) {
    void* p = d;
    __asm__ volatile("cld; rep stosb" : "+D"(p), "+c"(n) : "a"(c) : "memory");
    return d;
}

void* memcpy(void* d, const void* s, uint32_t n) {
    void* p = d;
    if (((uint32_t)d | (uint32_t)s | n) % 4 == 0) {
        n /= 4;
        __asm__ volatile("cld; rep movsl" : "+D"(p), "+S"(s), "+c"(n)::"memory");
    } else {
        __asm__ volatile("cld; rep movsb" : "+D"(p), "+S"(s), "+c"(n)::"memory");
    }
    return d;
}

int memcmp(const void* a, const void* b, uint32_t n) {
    const uint8_t *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y) return *x - *y;
    return 0;
}

uint32_t strlen(const char* s) {
    uint32_t n = 0;
    while (s[n]) n++;
    return n;
}

int strcmp(const char* a, const char* b) {
    while (*a && *a == *b) a++, b++;
    return (uint8_t)*a - (uint8_t)*b;
}

void strlcpy(char* d, const char* s, uint32_t n) {
    uint32_t i = 0;
    for (; i + 1 < n && s[i]; i++) d[i] = s[i];
    d[i] = 0;
}
