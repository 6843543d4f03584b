/*
 * rng.h: Marsaglia's xorshift32 for the in-kernel stress tests (kmtest, vmtest): a deterministic
 * sequence per seed, so that a failing run repeats exactly on every machine.
 */
#pragma once

#include <stdint.h>

struct rng {
    uint32_t state; /* never 0: xorshift32 stays at 0 once there */
};

static inline uint32_t rng_next(struct rng* r) {
    r->state ^= r->state << 13;
    r->state ^= r->state >> 17;
    r->state ^= r->state << 5;
    return r->state;
}
