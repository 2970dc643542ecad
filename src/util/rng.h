/*
 * rng.h — deterministic pseudo-random numbers and string hashing.
 *
 * Everything random in backbench (simulator profiles, trial seeds, bootstrap
 * resampling, shard assignment, the engine's random builtins) derives from
 * explicit seeds through these functions, so a run is reproducible. The
 * generator is splitmix64 (small state, good enough for simulation and
 * statistics, not for cryptography); the hash is 64-bit FNV-1a.
 */
#ifndef BB_RNG_H
#define BB_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct bb_rng {
    uint64_t state;
} bb_rng;

void bb_rng_seed(bb_rng *r, uint64_t seed);
uint64_t bb_rng_next(bb_rng *r);
/* Uniform in [0, 1). */
double bb_rng_double(bb_rng *r);
/* Uniform in [0, n) (n > 0). */
uint64_t bb_rng_below(bb_rng *r, uint64_t n);

uint64_t bb_hash64(const void *data, size_t len);
uint64_t bb_hash64_str(const char *s);
/* Mixes two 64-bit values into one (for seeds made of several parts). */
uint64_t bb_hash_mix(uint64_t a, uint64_t b);

#endif
