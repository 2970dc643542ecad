/*
 * engine_auth.h — the engine's deterministic clock, uuids, password hashes
 * and bearer tokens.
 *
 * Nothing here reads the wall clock or the system's randomness: a run is a
 * pure function of its seed and its requests.
 *   clock     milliseconds since the Unix epoch; starts at a fixed epoch
 *             (2026-01-01T00:00:00Z by default) and advances by a fixed tick
 *             per request; now() is constant within a request.
 *   uuid      version-4 shaped uuids from a splitmix64 stream seeded by the
 *             run's seed.
 *   password  "bbh1$<salt>$<digest>": a salted, iterated 64-bit FNV/splitmix
 *             digest. Deterministic and NOT a real key derivation function:
 *             it only keeps plain passwords out of the database, which is all
 *             a benchmark needs (documented in docs/engine.md).
 *   tokens    "bb1.<kind>.<actor>.<id>.<expiry ms>.<mac>" where kind is
 *             "access" (1 hour) or "refresh" (14 days) and mac a keyed digest
 *             of the rest under a per-engine secret derived from the seed.
 *             A token with a wrong mac, kind or actor or past its expiry is
 *             refused.
 */
#ifndef BB_ENGINE_AUTH_H
#define BB_ENGINE_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/result.h"
#include "util/rng.h"

#define ENG_EPOCH_MS_DEFAULT 1767225600000LL /* 2026-01-01T00:00:00Z */
#define ENG_ACCESS_TTL_MS (3600LL * 1000)
#define ENG_REFRESH_TTL_MS (14LL * 24 * 3600 * 1000)
#define ENG_TOKEN_MAX 512 /* bytes of a token; longer ones are refused unread */

typedef struct eng_auth {
    uint64_t secret;
    bb_rng rng; /* uuids and salts */
} eng_auth;

void eng_auth_init(eng_auth *a, uint64_t seed);

/* Writes "YYYY-MM-DDTHH:MM:SS.mmmZ" (24 bytes + NUL) for ms since the epoch. */
void eng_time_format(int64_t ms, char out[32]);
/* Parses an RFC 3339 date-time (offsets allowed) into ms since the epoch.
 * 0 on success, -1 when s is not one. */
int eng_time_parse(const char *s, size_t len, int64_t *ms /* OUT */);

/* A new uuid, lower-case, 36 bytes + NUL. */
void eng_auth_uuid(eng_auth *a, char out[40]);

/* "bbh1$<16 hex>$<16 hex>". */
bb_result eng_auth_hash_password(eng_auth *a, const char *pw, size_t len, bb_buf *out);
/* 1 when pw matches the stored hash (0 also for malformed hashes). */
int eng_auth_verify_password(const eng_auth *a, const char *pw, size_t len, const char *hash, size_t hash_len);

typedef enum eng_token_kind { ENG_TOKEN_ACCESS = 0, ENG_TOKEN_REFRESH } eng_token_kind;

/* Appends a token for (kind, actor, id) that expires at expiry_ms. actor and
 * id must not contain '.'; BB_ERR_INVALID otherwise. */
bb_result eng_auth_token(const eng_auth *a, eng_token_kind kind, const char *actor, const char *id,
                         int64_t expiry_ms, bb_buf *out);

typedef struct eng_principal {
    char actor[64];
    char id[128];
} eng_principal;

typedef enum eng_token_verdict {
    ENG_TOKEN_OK = 0,
    ENG_TOKEN_MALFORMED, /* not a token of this engine (or forged) */
    ENG_TOKEN_EXPIRED,
    ENG_TOKEN_WRONG_KIND
} eng_token_verdict;

/* Checks a token of the given kind at time now_ms; fills *p on ENG_TOKEN_OK. */
eng_token_verdict eng_auth_verify_token(const eng_auth *a, const char *tok, size_t len, eng_token_kind kind,
                                        int64_t now_ms, eng_principal *p /* OUT */);

#endif
