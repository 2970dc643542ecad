/*
 * engine_auth.c — deterministic clock formatting, uuids, password hashes and
 * tokens (see engine_auth.h).
 */
#include "engine_auth.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EA_HASH_ROUNDS 64 /* iterations of the password digest */

void eng_auth_init(eng_auth *a, uint64_t seed)
{
    bb_rng r;

    bb_rng_seed(&r, bb_hash_mix(seed, 0x656e67696e65ULL));
    a->secret = bb_rng_next(&r);
    bb_rng_seed(&a->rng, bb_rng_next(&r));
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t ea_days_from_civil(int64_t y, int64_t m, int64_t d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void eng_time_format(int64_t ms, char out[32])
{
    int64_t days = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
    int64_t rem = ms - days * 86400000;
    int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp + (mp < 10 ? 3 : -9);

    y += m <= 2;
    snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", (int)(y % 10000), (int)m, (int)d,
             (int)(rem / 3600000), (int)(rem / 60000 % 60), (int)(rem / 1000 % 60), (int)(rem % 1000));
}

static int ea_digits(const char *s, size_t n, int *out)
{
    size_t i;
    int v = 0;

    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int eng_time_parse(const char *s, size_t len, int64_t *ms)
{
    int y, mo, d, h, mi, sec, frac = 0, fd = 0, oh = 0, om = 0, sign = 0;
    size_t i = 19;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (len < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
        s[13] != ':' || s[16] != ':')
        return -1;
    if (ea_digits(s, 4, &y) || ea_digits(s + 5, 2, &mo) || ea_digits(s + 8, 2, &d) ||
        ea_digits(s + 11, 2, &h) || ea_digits(s + 14, 2, &mi) || ea_digits(s + 17, 2, &sec))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 || sec > 60)
        return -1;
    if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return -1;
    if (s[i] == '.') {
        i++;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            if (fd < 3) {
                frac = frac * 10 + (s[i] - '0');
                fd++;
            }
            i++;
        }
        if (fd == 0)
            return -1;
        while (fd < 3) {
            frac *= 10;
            fd++;
        }
    }
    if (i < len && (s[i] == 'Z' || s[i] == 'z') && i + 1 == len) {
        sign = 0;
    } else if (i + 6 == len && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
        sign = s[i] == '+' ? 1 : -1;
        if (ea_digits(s + i + 1, 2, &oh) || ea_digits(s + i + 4, 2, &om) || oh > 23 || om > 59)
            return -1;
    } else {
        return -1;
    }
    if (sec == 60)
        sec = 59;
    *ms = (ea_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec) * 1000 + frac -
          (int64_t)sign * (oh * 3600 + om * 60) * 1000;
    return 0;
}

void eng_auth_uuid(eng_auth *a, char out[40])
{
    uint64_t hi = bb_rng_next(&a->rng), lo = bb_rng_next(&a->rng);

    hi = (hi & ~0xf000ULL) | 0x4000ULL;                           /* version 4 */
    lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;    /* variant 10 */
    snprintf(out, 40, "%08" PRIx64 "-%04" PRIx64 "-%04" PRIx64 "-%04" PRIx64 "-%012" PRIx64, hi >> 32,
             (hi >> 16) & 0xffff, hi & 0xffff, lo >> 48, (uint64_t)(lo & 0xffffffffffffULL));
}

static uint64_t ea_digest(uint64_t key, const char *s, size_t len)
{
    uint64_t h = bb_hash_mix(key, bb_hash64(s, len));
    int i;

    for (i = 0; i < EA_HASH_ROUNDS; i++)
        h = bb_hash_mix(h, key ^ (uint64_t)i);
    return h;
}

bb_result eng_auth_hash_password(eng_auth *a, const char *pw, size_t len, bb_buf *out)
{
    uint64_t salt = bb_rng_next(&a->rng);

    return bb_buf_printf(out, "bbh1$%016" PRIx64 "$%016" PRIx64, salt, ea_digest(salt, pw, len));
}

int eng_auth_verify_password(const eng_auth *a, const char *pw, size_t len, const char *hash, size_t hash_len)
{
    char want[64];
    uint64_t salt = 0;
    size_t i;

    (void)a;
    if (hash_len != 38 || memcmp(hash, "bbh1$", 5) != 0 || hash[21] != '$')
        return 0;
    for (i = 5; i < 21; i++) {
        char ch = hash[i];
        int v = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;

        if (v < 0)
            return 0;
        salt = salt * 16 + (uint64_t)v;
    }
    snprintf(want, sizeof want, "bbh1$%016" PRIx64 "$%016" PRIx64, salt, ea_digest(salt, pw, len));
    return strlen(want) == hash_len && memcmp(want, hash, hash_len) == 0;
}

static const char *ea_kind_name(eng_token_kind k)
{
    return k == ENG_TOKEN_ACCESS ? "access" : "refresh";
}

bb_result eng_auth_token(const eng_auth *a, eng_token_kind kind, const char *actor, const char *id,
                         int64_t expiry_ms, bb_buf *out)
{
    bb_buf body;
    bb_result rc;

    if (strchr(actor, '.') || strchr(id, '.') || !*actor || !*id || strlen(actor) >= 64 || strlen(id) >= 128)
        return BB_ERR_INVALID;
    bb_buf_init(&body, ENG_TOKEN_MAX);
    rc = bb_buf_printf(&body, "bb1.%s.%s.%s.%" PRId64, ea_kind_name(kind), actor, id, expiry_ms);
    if (rc == BB_OK)
        rc = bb_buf_printf(out, "%s.%016" PRIx64, bb_buf_str(&body),
                           ea_digest(a->secret, body.data, body.len));
    bb_buf_free(&body);
    return rc;
}

eng_token_verdict eng_auth_verify_token(const eng_auth *a, const char *tok, size_t len, eng_token_kind kind,
                                        int64_t now_ms, eng_principal *p)
{
    char buf[ENG_TOKEN_MAX + 1], mac[20];
    char *parts[6];
    size_t i, n = 0;
    const char *last_dot;
    long long exp;
    char *end;

    if (len == 0 || len > ENG_TOKEN_MAX || memchr(tok, '\0', len))
        return ENG_TOKEN_MALFORMED;
    last_dot = NULL;
    for (i = 0; i < len; i++) {
        if (tok[i] == '.')
            last_dot = tok + i;
    }
    if (!last_dot)
        return ENG_TOKEN_MALFORMED;
    snprintf(mac, sizeof mac, "%016" PRIx64, ea_digest(a->secret, tok, (size_t)(last_dot - tok)));
    if ((size_t)(tok + len - last_dot - 1) != 16 || memcmp(mac, last_dot + 1, 16) != 0)
        return ENG_TOKEN_MALFORMED;
    memcpy(buf, tok, len);
    buf[len] = '\0';
    parts[n++] = buf;
    for (i = 0; i < len && n < 6; i++) {
        if (buf[i] == '.') {
            buf[i] = '\0';
            parts[n++] = buf + i + 1;
        }
    }
    if (n != 6 || strcmp(parts[0], "bb1") != 0)
        return ENG_TOKEN_MALFORMED;
    exp = strtoll(parts[4], &end, 10);
    if (*end != '\0' || strlen(parts[2]) >= sizeof p->actor || strlen(parts[3]) >= sizeof p->id)
        return ENG_TOKEN_MALFORMED;
    if (strcmp(parts[1], ea_kind_name(kind)) != 0)
        return ENG_TOKEN_WRONG_KIND;
    if (now_ms >= exp)
        return ENG_TOKEN_EXPIRED;
    snprintf(p->actor, sizeof p->actor, "%s", parts[2]);
    snprintf(p->id, sizeof p->id, "%s", parts[3]);
    return ENG_TOKEN_OK;
}
