/*
 * string.h: memory and string functions (the C library's, same contracts), and number parsing.
 */
#ifndef USER_STRING_H
#define USER_STRING_H

#include <stddef.h>

void* memset(void* dst, int c, size_t n);
void* memcpy(void* dst, const void* src, size_t n);
void* memmove(void* dst, const void* src, size_t n);
int memcmp(const void* a, const void* b, size_t n);
size_t strlen(const char* s);
int strcmp(const char* a, const char* b);
int strncmp(const char* a, const char* b, size_t n);
char* strcpy(char* dst, const char* src);
/* Copies at most size-1 characters and always terminates (size > 0); returns strlen(src). */
size_t strlcpy(char* dst, const char* src, size_t size);
char* strchr(const char* s, int c);

/*
 * Parses an unsigned number in base 10, or base 16 with a 0x prefix. Stores in *end the first
 * character not used (if end is not NULL). No overflow check.
 */
unsigned long strtoul(const char* s, char** end);
/* strtoul with an optional leading '-'; 0 if the string has no digits. */
int atoi(const char* s);

#endif
