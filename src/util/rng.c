/*
 * rng.c — splitmix64 and FNV-1a (see rng.h).
 */
#include "rng.h"

#include <string.h>

void bb_rng_seed(bb_rng *r, uint64_t seed)
{
    r->state = seed;
}

uint64_t bb_rng_next(bb_rng *r)
{
    uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

double bb_rng_double(bb_rng *r)
{
    return (double)(bb_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

uint64_t bb_rng_below(bb_rng *r, uint64_t n)
{
    uint64_t limit, x;

    if (n <= 1)
        return 0;
    limit = UINT64_MAX - UINT64_MAX % n;
    do {
        x = bb_rng_next(r);
    } while (x >= limit);
    return x % n;
}

uint64_t bb_hash64(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = 0xcbf29ce484222325ULL;
    size_t i;

    for (i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

uint64_t bb_hash64_str(const char *s)
{
    return bb_hash64(s, strlen(s));
}

uint64_t bb_hash_mix(uint64_t a, uint64_t b)
{
    bb_rng r;

    bb_rng_seed(&r, a ^ (b * 0x9e3779b97f4a7c15ULL));
    return bb_rng_next(&r);
}
