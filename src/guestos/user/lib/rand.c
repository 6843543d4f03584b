/*
 * rand.c: Marsaglia's xorshift32, enough for test patterns and shuffles.
 */
#include "stdlib.h"

static unsigned rand_state = 2463534242u;

void srand(unsigned seed) {
    rand_state = seed ? seed : 1;
}

int rand(void) {
    unsigned x = rand_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    rand_state = x;
    return (int)(x & RAND_MAX);
}
