/*
 * json_parse_core.c — one iterative pass that parses (and, leniently,
 * repairs) a single JSON value (see json_parse_core.h).
 *
 * The parser is a small state machine over four states (a value is expected;
 * just after '[' or '{'; an object key is expected; a value was completed)
 * with an explicit stack of open containers. A container is attached to its
 * parent as soon as it opens, so no key has to be remembered across nesting
 * levels and an error only needs to release the root. Strings without
 * escapes or bad bytes are handed to jansson straight from the input; others
 * are unescaped into a scratch buffer capped at max_string.
 *
 * Every lenient branch sits on a path that strict JSON never takes, so the
 * strict and lenient modes cost the same on valid input. In strict mode each
 * of those branches is an error instead.
 */
#include "json_parse_core.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

/* ---------------------------------------------------------------- helpers */

enum { JP_ST_VALUE, JP_ST_OPEN, JP_ST_KEY, JP_ST_AFTER };

/* 1 for bytes that can be copied verbatim inside a "..." string: printable
 * ASCII except '"' and '\\'. */
static const unsigned char jp_plain[256] = {
    ['\x20'] = 1, ['!'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1, ['&'] = 1, ['\''] = 1,
    ['('] = 1, [')'] = 1, ['*'] = 1, ['+'] = 1, [','] = 1, ['-'] = 1, ['.'] = 1, ['/'] = 1,
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
    ['8'] = 1, ['9'] = 1, [':'] = 1, [';'] = 1, ['<'] = 1, ['='] = 1, ['>'] = 1, ['?'] = 1,
    ['@'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1,
    ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1,
    ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1,
    ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['['] = 1, [']'] = 1, ['^'] = 1, ['_'] = 1, ['`'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1,
    ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
    ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
    ['y'] = 1, ['z'] = 1, ['{'] = 1, ['|'] = 1, ['}'] = 1, ['~'] = 1, ['\x7f'] = 1,
};

static int jp_is_digit(unsigned char b)
{
    return b >= '0' && b <= '9';
}

static int jp_is_ident(unsigned char b)
{
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || jp_is_digit(b) || b == '_' ||
           b == '$';
}

static int jp_hex(unsigned char b)
{
    if (b >= '0' && b <= '9')
        return b - '0';
    if (b >= 'a' && b <= 'f')
        return b - 'a' + 10;
    if (b >= 'A' && b <= 'F')
        return b - 'A' + 10;
    return -1;
}

/* Length (2..4) of the valid UTF-8 sequence at s[i] (s[i] >= 0x80), or 0. */
static size_t jp_utf8_len(const char *str, size_t i, size_t end)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned char b = s[i];
    unsigned char lo = 0x80, hi = 0xBF;
    size_t n, k;

    if (b >= 0xC2 && b <= 0xDF)
        n = 2;
    else if (b >= 0xE0 && b <= 0xEF)
        n = 3;
    else if (b >= 0xF0 && b <= 0xF4)
        n = 4;
    else
        return 0;
    if (b == 0xE0)
        lo = 0xA0;
    else if (b == 0xED)
        hi = 0x9F;
    else if (b == 0xF0)
        lo = 0x90;
    else if (b == 0xF4)
        hi = 0x8F;
    if (end - i < n)
        return 0;
    if (s[i + 1] < lo || s[i + 1] > hi)
        return 0;
    for (k = 2; k < n; k++) {
        if ((s[i + k] & 0xC0) != 0x80)
            return 0;
    }
    return n;
}

/* 1 when s[i..] is a typographic double quote (U+201C or U+201D). */
static int jp_is_smart_quote(const char *str, size_t i, size_t end)
{
    const unsigned char *s = (const unsigned char *)str;

    return end - i >= 3 && s[i] == 0xE2 && s[i + 1] == 0x80 && (s[i + 2] == 0x9C || s[i + 2] == 0x9D);
}

static bb_result jp_fail(jp_ctx *c, bb_result rc, size_t pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static bb_result jp_fail(jp_ctx *c, bb_result rc, size_t pos, const char *fmt, ...)
{
    va_list ap;

    c->err = rc;
    c->err_pos = pos;
    va_start(ap, fmt);
    vsnprintf(c->err_msg, sizeof c->err_msg, fmt, ap);
    va_end(ap);
    return rc;
}

static bb_result jp_nomem(jp_ctx *c)
{
    return jp_fail(c, BB_ERR_NOMEM, c->p, "out of memory");
}

/* A printable description of the byte at pos for messages. */
static void jp_describe(const jp_ctx *c, size_t pos, char *out, size_t n)
{
    unsigned char b;

    if (pos >= c->end) {
        snprintf(out, n, "end of input");
        return;
    }
    b = (unsigned char)c->s[pos];
    if (b >= 0x21 && b < 0x7F)
        snprintf(out, n, "'%c'", b);
    else
        snprintf(out, n, "byte 0x%02X", b);
}

bb_result jp_repair(jp_ctx *c, json_repair_code code, size_t pos)
{
    if (json_repair_list_add(c->rep, code, pos, NULL) != BB_OK)
        return jp_nomem(c);
    return BB_OK;
}

void jp_ctx_free(jp_ctx *c)
{
    bb_free(c->stack);
    bb_free(c->kbuf.d);
    bb_free(c->vbuf.d);
    c->stack = NULL;
    c->kbuf.d = NULL;
    c->vbuf.d = NULL;
}

/* ---------------------------------------------------------------- scratch */

static bb_result jp_sb_reserve(jp_ctx *c, jp_scratch *b, size_t extra)
{
    size_t need, ncap;
    char *nd;

    if (extra > c->prm->max_string || b->len > c->prm->max_string - extra)
        return jp_fail(c, BB_ERR_LIMIT, c->p, "string longer than %zu bytes (max_string)",
                       c->prm->max_string);
    need = b->len + extra + 1;
    if (need <= b->cap)
        return BB_OK;
    ncap = b->cap ? b->cap : 256;
    while (ncap < need)
        ncap *= 2;
    nd = bb_realloc(b->d, ncap);
    if (!nd)
        return jp_nomem(c);
    b->d = nd;
    b->cap = ncap;
    return BB_OK;
}

static bb_result jp_sb_put(jp_ctx *c, jp_scratch *b, const char *p, size_t n)
{
    bb_result rc = jp_sb_reserve(c, b, n);

    if (rc != BB_OK)
        return rc;
    memcpy(b->d + b->len, p, n);
    b->len += n;
    return BB_OK;
}

static bb_result jp_sb_cp(jp_ctx *c, jp_scratch *b, unsigned long cp)
{
    char u[4];
    size_t n;

    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return jp_sb_put(c, b, u, n);
}

/* ---------------------------------------------------------------- whitespace */

size_t jp_find(const char *s, size_t from, size_t end, const char *needle, size_t n)
{
    size_t p = from;

    if (n == 0)
        return from;
    while (p < end && end - p >= n) {
        const char *q = memchr(s + p, needle[0], end - p - n + 1);

        if (!q)
            return end;
        p = (size_t)(q - s);
        if (memcmp(s + p, needle, n) == 0)
            return p;
        p++;
    }
    return end;
}

void jp_skip_ws(jp_ctx *c)
{
    const char *s = c->s;
    size_t p = c->p, end = c->end;

    for (;;) {
        while (p < end && (s[p] == ' ' || s[p] == '\n' || s[p] == '\r' || s[p] == '\t'))
            p++;
        if (!c->lenient || p + 1 >= end || s[p] != '/')
            break;
        if (s[p + 1] == '/') {
            if (jp_repair(c, JSON_REPAIR_COMMENT, p) != BB_OK)
                break; /* out of memory: the caller sees the pending error */
            while (p < end && s[p] != '\n')
                p++;
        } else if (s[p + 1] == '*') {
            size_t q;

            if (jp_repair(c, JSON_REPAIR_COMMENT, p) != BB_OK)
                break;
            q = jp_find(s, p + 2, end, "*/", 2);
            p = q < end ? q + 2 : end;
        } else {
            break;
        }
    }
    c->p = p;
}

/* ---------------------------------------------------------------- strings */

/* Parses \uXXXX at s[q] (q at the backslash); returns the code point or -1. */
static long jp_u4(const jp_ctx *c, size_t q)
{
    long v = 0;
    int k, h;

    if (c->end - q < 6 || c->s[q] != '\\' || c->s[q + 1] != 'u')
        return -1;
    for (k = 0; k < 4; k++) {
        h = jp_hex((unsigned char)c->s[q + 2 + k]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* Lenient: is the quote just before p an unescaped quote inside a string
 * value rather than its end? It is when what follows is a word that is
 * neither a literal nor a key (no ':' after it): `"He said "hi" to me"`.
 * A comma, closer, colon, quote, bracket, number or the end means the string
 * really ended (possibly followed by a missing-comma repair). */
static int jp_quote_is_inner(const jp_ctx *c, size_t p)
{
    static const char *const lits[] = {"true", "false", "null", "True", "False", "None", "NaN", "Infinity"};
    const char *s = c->s;
    size_t end = c->end, q, i;

    while (p < end && (s[p] == ' ' || s[p] == '\t'))
        p++;
    if (p >= end || !jp_is_ident((unsigned char)s[p]) || jp_is_digit((unsigned char)s[p]))
        return 0;
    for (q = p; q < end && jp_is_ident((unsigned char)s[q]); q++)
        ;
    for (i = 0; i < sizeof lits / sizeof lits[0]; i++) {
        if (strlen(lits[i]) == q - p && memcmp(s + p, lits[i], q - p) == 0)
            return 0;
    }
    while (q < end && (s[q] == ' ' || s[q] == '\t' || s[q] == '\n' || s[q] == '\r'))
        q++;
    return !(q < end && s[q] == ':');
}

/* The slow path of jp_string: unescapes from q (content start at `from`)
 * into sb. kind: 0 '"', 1 '\'', 2 typographic quotes. inner_ok: a string
 * value in lenient mode, where unescaped inner quotes are repaired; seen_q:
 * that repair was already recorded for this string. */
static bb_result jp_string_slow(jp_ctx *c, jp_scratch *sb, size_t open, size_t from, size_t q,
                                int kind, int inner_ok, int seen_q)
{
    const char *s = c->s;
    size_t end = c->end;
    int seen_ctl = 0, seen_utf8 = 0, seen_esc = 0;
    bb_result rc;

    sb->len = 0;
    rc = jp_sb_put(c, sb, s + from, q - from);
    if (rc != BB_OK)
        return rc;
    for (;;) {
        unsigned char b;
        size_t run = q;

        while (run < end && jp_plain[(unsigned char)s[run]] && s[run] != '\'')
            run++;
        if (run > q) {
            rc = jp_sb_put(c, sb, s + q, run - q);
            if (rc != BB_OK)
                return rc;
            q = run;
        }
        if (q >= end) {
            if (!c->lenient)
                return jp_fail(c, BB_ERR_PARSE, open, "unterminated string (started here)");
            c->truncated = 1;
            c->p = end;
            return jp_repair(c, JSON_REPAIR_UNCLOSED_STRING, open);
        }
        b = (unsigned char)s[q];
        if ((kind == 0 && b == '"') || (kind == 1 && b == '\'')) {
            if (inner_ok && jp_quote_is_inner(c, q + 1)) {
                if (!seen_q) {
                    seen_q = 1;
                    rc = jp_repair(c, JSON_REPAIR_UNESCAPED_QUOTE, q);
                    if (rc != BB_OK)
                        return rc;
                }
                rc = jp_sb_put(c, sb, (const char *)&b, 1);
                if (rc != BB_OK)
                    return rc;
                q++;
                continue;
            }
            c->p = q + 1;
            return BB_OK;
        }
        if (kind == 2 && jp_is_smart_quote(s, q, end)) {
            c->p = q + 3;
            return BB_OK;
        }
        if (b == '\\') {
            unsigned char e;
            long cp, lo;

            if (q + 1 >= end) {
                q++;
                continue; /* EOF right after a backslash: the string is unclosed */
            }
            e = (unsigned char)s[q + 1];
            switch (e) {
            case '"': case '\\': case '/':
                rc = jp_sb_put(c, sb, (const char *)&e, 1);
                q += 2;
                break;
            case 'b': rc = jp_sb_put(c, sb, "\b", 1); q += 2; break;
            case 'f': rc = jp_sb_put(c, sb, "\f", 1); q += 2; break;
            case 'n': rc = jp_sb_put(c, sb, "\n", 1); q += 2; break;
            case 'r': rc = jp_sb_put(c, sb, "\r", 1); q += 2; break;
            case 't': rc = jp_sb_put(c, sb, "\t", 1); q += 2; break;
            case 'u':
                cp = jp_u4(c, q);
                if (cp < 0) {
                    if (!c->lenient)
                        return jp_fail(c, BB_ERR_PARSE, q, "invalid \\u escape (needs 4 hex digits)");
                    if (!seen_esc) {
                        seen_esc = 1;
                        rc = jp_repair(c, JSON_REPAIR_INVALID_ESCAPE, q);
                        if (rc != BB_OK)
                            return rc;
                    }
                    q += 1; /* keep the 'u' and what follows as text */
                    rc = BB_OK;
                    break;
                }
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    lo = jp_u4(c, q + 6);
                    if (lo >= 0xDC00 && lo <= 0xDFFF) {
                        rc = jp_sb_cp(c, sb, 0x10000 + (((unsigned long)cp - 0xD800) << 10) +
                                                 ((unsigned long)lo - 0xDC00));
                        q += 12;
                        break;
                    }
                }
                if (cp >= 0xD800 && cp <= 0xDFFF) {
                    if (!c->lenient)
                        return jp_fail(c, BB_ERR_PARSE, q, "lone surrogate \\u%04lX in string", cp);
                    if (!seen_utf8) {
                        seen_utf8 = 1;
                        rc = jp_repair(c, JSON_REPAIR_INVALID_UTF8, q);
                        if (rc != BB_OK)
                            return rc;
                    }
                    cp = 0xFFFD;
                }
                rc = jp_sb_cp(c, sb, (unsigned long)cp);
                q += 6;
                break;
            case '\'':
                if (kind != 1) {
                    if (!c->lenient)
                        return jp_fail(c, BB_ERR_PARSE, q, "invalid escape \\' in string");
                    if (!seen_esc) {
                        seen_esc = 1;
                        rc = jp_repair(c, JSON_REPAIR_INVALID_ESCAPE, q);
                        if (rc != BB_OK)
                            return rc;
                    }
                }
                rc = jp_sb_put(c, sb, "'", 1);
                q += 2;
                break;
            default:
                if (!c->lenient) {
                    char d[24];

                    jp_describe(c, q + 1, d, sizeof d);
                    return jp_fail(c, BB_ERR_PARSE, q, "invalid escape: backslash before %s", d);
                }
                if (!seen_esc) {
                    seen_esc = 1;
                    rc = jp_repair(c, JSON_REPAIR_INVALID_ESCAPE, q);
                    if (rc != BB_OK)
                        return rc;
                }
                q += 1; /* drop the backslash, keep the character */
                rc = BB_OK;
                break;
            }
            if (rc != BB_OK)
                return rc;
            continue;
        }
        if (b == '\'' || b == '"') {
            rc = jp_sb_put(c, sb, (const char *)&b, 1);
            q++;
        } else if (b < 0x20) {
            if (!c->lenient)
                return jp_fail(c, BB_ERR_PARSE, q, "control character U+%04X in string (must be escaped)",
                               b);
            if (!seen_ctl) {
                seen_ctl = 1;
                rc = jp_repair(c, JSON_REPAIR_CONTROL_CHAR, q);
                if (rc != BB_OK)
                    return rc;
            }
            rc = jp_sb_put(c, sb, (const char *)&b, 1);
            q++;
        } else {
            size_t n = jp_utf8_len(s, q, end);

            if (n) {
                rc = jp_sb_put(c, sb, s + q, n);
                q += n;
            } else {
                if (!c->lenient)
                    return jp_fail(c, BB_ERR_PARSE, q, "invalid UTF-8 byte 0x%02X in string", b);
                if (!seen_utf8) {
                    seen_utf8 = 1;
                    rc = jp_repair(c, JSON_REPAIR_INVALID_UTF8, q);
                    if (rc != BB_OK)
                        return rc;
                }
                rc = jp_sb_put(c, sb, "\xEF\xBF\xBD", 3);
                q++;
            }
        }
        if (rc != BB_OK)
            return rc;
    }
}

/* Parses the string whose opening quote is at c->p. On BB_OK *out and *olen are
 * the unescaped bytes (in the input or in sb) and c->p is past the close.
 * is_value: a value inside a container (not a key), where lenient mode
 * repairs unescaped inner quotes. */
static bb_result jp_string(jp_ctx *c, jp_scratch *sb, int is_value, const char **out, size_t *olen)
{
    const char *s = c->s;
    size_t open = c->p, q = open + 1, end = c->end;
    int kind = 0, seen_q = 0, inner_ok = c->lenient && is_value && c->depth > 0;
    bb_result rc;

    if (s[open] == '\'') {
        kind = 1;
        rc = jp_repair(c, JSON_REPAIR_SINGLE_QUOTE, open);
        if (rc != BB_OK)
            return rc;
    } else if (s[open] != '"') {
        kind = 2;
        q = open + 3;
        rc = jp_repair(c, JSON_REPAIR_SMART_QUOTE, open);
        if (rc != BB_OK)
            return rc;
    }
    if (kind == 0) {
        for (;;) {
            while (q < end && jp_plain[(unsigned char)s[q]])
                q++;
            if (q < end && (unsigned char)s[q] >= 0x80) {
                size_t n = jp_utf8_len(s, q, end);

                if (n) {
                    q += n;
                    continue;
                }
            }
            if (q < end && s[q] == '"' && inner_ok && jp_quote_is_inner(c, q + 1)) {
                if (!seen_q) {
                    seen_q = 1;
                    rc = jp_repair(c, JSON_REPAIR_UNESCAPED_QUOTE, q);
                    if (rc != BB_OK)
                        return rc;
                }
                q++;
                continue;
            }
            break;
        }
        if (q < end && s[q] == '"') {
            if (q - open - 1 > c->prm->max_string)
                return jp_fail(c, BB_ERR_LIMIT, open, "string longer than %zu bytes (max_string)",
                               c->prm->max_string);
            *out = s + open + 1;
            *olen = q - open - 1;
            c->p = q + 1;
            return BB_OK;
        }
    }
    rc = jp_string_slow(c, sb, open, kind == 2 ? open + 3 : open + 1, q, kind, inner_ok, seen_q);
    if (rc != BB_OK)
        return rc;
    *out = sb->d ? sb->d : "";
    *olen = sb->len;
    return BB_OK;
}

/* ---------------------------------------------------------------- numbers */

/* Parses a number at c->p (lenient forms included). *out may be a null for
 * NaN/Infinity. */
static bb_result jp_number(jp_ctx *c, json_t **out)
{
    const char *s = c->s;
    size_t st = c->p, q = st, end = c->end, is, ni, fs = 0, nf = 0, es = 0, ne = 0;
    int neg = 0, fmt = 0, has_frac = 0, has_exp = 0;
    char esign = '+';
    char small[72];
    char *txt = small;
    size_t tl = 0, need;
    json_t *v = NULL;
    bb_result rc;

    if (s[q] == '+' || s[q] == '-') {
        neg = s[q] == '-';
        if (!neg) {
            if (!c->lenient)
                return jp_fail(c, BB_ERR_PARSE, q, "a number cannot start with '+'");
            fmt = 1;
        }
        q++;
    }
    if (c->lenient && q < end && (s[q] == 'I' || s[q] == 'N')) {
        size_t w = q;

        while (w < end && jp_is_ident((unsigned char)s[w]))
            w++;
        if ((w - q == 8 && memcmp(s + q, "Infinity", 8) == 0) ||
            (w - q == 3 && memcmp(s + q, "NaN", 3) == 0)) {
            rc = jp_repair(c, JSON_REPAIR_NONFINITE, st);
            if (rc != BB_OK)
                return rc;
            c->p = w;
            *out = json_null();
            return BB_OK;
        }
        return jp_fail(c, BB_ERR_PARSE, q, "expected a digit after the sign");
    }
    if (c->lenient && q + 2 < end && s[q] == '0' && (s[q + 1] == 'x' || s[q + 1] == 'X') &&
        jp_hex((unsigned char)s[q + 2]) >= 0) {
        unsigned long long hv = 0;
        int over = 0, h;

        q += 2;
        for (; q < end; q++) {
            h = jp_hex((unsigned char)s[q]);
            if (h < 0)
                break;
            if (hv > (ULLONG_MAX >> 4))
                over = 1;
            hv = (hv << 4) | (unsigned)h;
        }
        rc = jp_repair(c, JSON_REPAIR_NUMBER_FORMAT, st);
        if (rc != BB_OK)
            return rc;
        c->p = q;
        if (over || hv > (unsigned long long)LLONG_MAX)
            v = json_real(neg ? -(double)hv : (double)hv);
        else
            v = json_integer(neg ? -(json_int_t)hv : (json_int_t)hv);
        if (!v)
            return jp_nomem(c);
        *out = v;
        return BB_OK;
    }
    is = q;
    while (q < end && jp_is_digit((unsigned char)s[q]))
        q++;
    ni = q - is;
    if (ni == 0) {
        if (!(c->lenient && q + 1 < end && s[q] == '.' && jp_is_digit((unsigned char)s[q + 1]))) {
            if (q >= end && c->lenient && q > st) {
                /* a lone sign cut off by the end of input */
                rc = jp_repair(c, JSON_REPAIR_MISSING_VALUE, st);
                if (rc != BB_OK)
                    return rc;
                c->truncated = 1;
                c->p = q;
                *out = json_null();
                return BB_OK;
            }
            return jp_fail(c, BB_ERR_PARSE, q, "expected a digit in number");
        }
        fmt = 1;
    } else if (ni > 1 && s[is] == '0') {
        if (!c->lenient)
            return jp_fail(c, BB_ERR_PARSE, is, "leading zero in number");
        fmt = 1;
    }
    if (q < end && s[q] == '.') {
        q++;
        fs = q;
        while (q < end && jp_is_digit((unsigned char)s[q]))
            q++;
        nf = q - fs;
        has_frac = 1;
        if (nf == 0) {
            if (!c->lenient)
                return jp_fail(c, BB_ERR_PARSE, q, "expected a digit after the decimal point");
            fmt = 1;
        }
    }
    if (q < end && (s[q] == 'e' || s[q] == 'E')) {
        q++;
        if (q < end && (s[q] == '+' || s[q] == '-')) {
            esign = s[q];
            q++;
        }
        es = q;
        while (q < end && jp_is_digit((unsigned char)s[q]))
            q++;
        ne = q - es;
        if (ne == 0) {
            if (!c->lenient)
                return jp_fail(c, BB_ERR_PARSE, q, "expected a digit in the exponent");
            fmt = 1; /* "1e": the exponent marker is dropped */
        } else {
            has_exp = 1;
        }
    }
    c->p = q;
    if (q - st > c->prm->max_string)
        return jp_fail(c, BB_ERR_LIMIT, st, "number longer than %zu bytes (max_string)",
                       c->prm->max_string);
    if (fmt) {
        rc = jp_repair(c, JSON_REPAIR_NUMBER_FORMAT, st);
        if (rc != BB_OK)
            return rc;
    }
    /* integers: accumulate directly, overflow falls back to a real */
    if (!has_frac && !has_exp) {
        unsigned long long acc = 0, lim = neg ? (unsigned long long)LLONG_MAX + 1 : LLONG_MAX;
        size_t k;
        int over = 0;

        for (k = is; k < is + ni; k++) {
            unsigned d = (unsigned)(s[k] - '0');

            if (acc > (lim - d) / 10) {
                over = 1;
                break;
            }
            acc = acc * 10 + d;
        }
        if (!over) {
            if (neg)
                v = json_integer(acc == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN
                                                                         : -(json_int_t)acc);
            else
                v = json_integer((json_int_t)acc);
            if (!v)
                return jp_nomem(c);
            *out = v;
            return BB_OK;
        }
    }
    /* reals: build a normalised, NUL-terminated text for strtod */
    need = ni + nf + ne + 8;
    if (need > sizeof small) {
        c->vbuf.len = 0;
        rc = jp_sb_reserve(c, &c->vbuf, need);
        if (rc != BB_OK)
            return rc;
        txt = c->vbuf.d;
    }
    if (neg)
        txt[tl++] = '-';
    if (ni) {
        memcpy(txt + tl, s + is, ni);
        tl += ni;
    } else {
        txt[tl++] = '0';
    }
    if (nf) {
        txt[tl++] = '.';
        memcpy(txt + tl, s + fs, nf);
        tl += nf;
    }
    if (has_exp) {
        txt[tl++] = 'e';
        txt[tl++] = esign;
        memcpy(txt + tl, s + es, ne);
        tl += ne;
    }
    txt[tl] = '\0';
    {
        double d = strtod(txt, NULL);

        if (!isfinite(d)) {
            if (!c->lenient)
                return jp_fail(c, BB_ERR_PARSE, st, "number out of range of a double");
            rc = jp_repair(c, JSON_REPAIR_NONFINITE, st);
            if (rc != BB_OK)
                return rc;
            *out = json_null();
            return BB_OK;
        }
        v = json_real(d);
    }
    if (!v)
        return jp_nomem(c);
    *out = v;
    return BB_OK;
}

/* ---------------------------------------------------------------- literals */

static int jp_word_is(const char *w, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(w, lit, n) == 0;
}

/* A proper prefix of a literal, cut off by the end of input. */
static int jp_word_is_prefix(const char *w, size_t n)
{
    static const char *const lits[] = {"true", "false", "null", "True", "False", "None"};
    size_t i;

    for (i = 0; i < sizeof lits / sizeof lits[0]; i++) {
        if (n < strlen(lits[i]) && memcmp(w, lits[i], n) == 0)
            return 1;
    }
    return 0;
}

static bb_result jp_literal(jp_ctx *c, json_t **out)
{
    const char *w = c->s + c->p;
    size_t st = c->p, q = c->p, n;
    bb_result rc;

    while (q < c->end && jp_is_ident((unsigned char)c->s[q]))
        q++;
    n = q - st;
    if (jp_word_is(w, n, "true"))
        *out = json_true();
    else if (jp_word_is(w, n, "false"))
        *out = json_false();
    else if (jp_word_is(w, n, "null"))
        *out = json_null();
    else if (!c->lenient || n == 0)
        return jp_fail(c, BB_ERR_PARSE, st, "unexpected '%.*s' (expected a JSON value)",
                       (int)(n ? (n > 24 ? 24 : n) : 1), w);
    else if (jp_word_is(w, n, "True") || jp_word_is(w, n, "False") || jp_word_is(w, n, "None")) {
        rc = jp_repair(c, JSON_REPAIR_PYTHON_CONST, st);
        if (rc != BB_OK)
            return rc;
        *out = w[0] == 'T' ? json_true() : w[0] == 'F' ? json_false() : json_null();
    } else if (jp_word_is(w, n, "NaN") || jp_word_is(w, n, "Infinity")) {
        rc = jp_repair(c, JSON_REPAIR_NONFINITE, st);
        if (rc != BB_OK)
            return rc;
        *out = json_null();
    } else if (q == c->end && jp_word_is_prefix(w, n)) {
        rc = jp_repair(c, JSON_REPAIR_MISSING_VALUE, st);
        if (rc != BB_OK)
            return rc;
        c->truncated = 1;
        *out = json_null();
    } else {
        return jp_fail(c, BB_ERR_PARSE, st, "unexpected '%.*s' (expected a JSON value)",
                       (int)(n > 24 ? 24 : n), w);
    }
    c->p = q;
    return BB_OK;
}

/* ---------------------------------------------------------------- containers */

/* Attaches v (stolen) to the open container, or makes it the root. */
static bb_result jp_attach(jp_ctx *c, json_t **root, json_t *v, const char *key, size_t klen,
                           size_t kpos)
{
    jp_frame *top;

    if (++c->nvalues > c->prm->max_values) {
        json_decref(v);
        return jp_fail(c, BB_ERR_LIMIT, c->p, "more than %zu values (max_values)", c->prm->max_values);
    }
    if (c->depth == 0) {
        *root = v;
        return BB_OK;
    }
    top = &c->stack[c->depth - 1];
    if (!top->is_obj) {
        if (json_array_append_new(top->c, v) != 0)
            return jp_nomem(c);
        return BB_OK;
    } else {
        size_t before = json_object_size(top->c);

        if (json_object_setn_new_nocheck(top->c, key, klen, v) != 0)
            return jp_nomem(c);
        if (json_object_size(top->c) == before && c->lenient)
            return jp_repair(c, JSON_REPAIR_DUPLICATE_KEY, kpos);
    }
    return BB_OK;
}

static bb_result jp_push(jp_ctx *c, json_t *v, size_t open, int is_obj)
{
    if (c->depth == c->stack_cap) {
        size_t ncap = c->stack_cap ? c->stack_cap * 2 : 32;
        jp_frame *ns = bb_realloc(c->stack, ncap * sizeof *ns);

        if (!ns)
            return jp_nomem(c);
        c->stack = ns;
        c->stack_cap = ncap;
    }
    c->stack[c->depth].c = v;
    c->stack[c->depth].open = open;
    c->stack[c->depth].is_obj = is_obj;
    c->depth++;
    return BB_OK;
}

/* Lenient end of input: record and close every open container. */
static bb_result jp_close_all(jp_ctx *c)
{
    size_t i;
    bb_result rc;

    for (i = 0; i < c->depth; i++) {
        rc = jp_repair(c, c->stack[i].is_obj ? JSON_REPAIR_UNCLOSED_OBJECT : JSON_REPAIR_UNCLOSED_ARRAY,
                       c->stack[i].open);
        if (rc != BB_OK)
            return rc;
    }
    if (c->depth)
        c->truncated = 1;
    c->depth = 0;
    return BB_OK;
}

/* Lenient: a closer that does not match the innermost container but one
 * further out ("{"a": [1, 2}") closes the inner ones first, each recorded as
 * unclosed. Sets *handled when it did; the matching container is popped. */
static bb_result jp_close_outer(jp_ctx *c, unsigned char b, int *handled)
{
    size_t i;
    int want_obj = b == '}';
    bb_result rc;

    *handled = 0;
    if (!c->lenient || (b != '}' && b != ']'))
        return BB_OK;
    for (i = c->depth; i > 0; i--) {
        if (c->stack[i - 1].is_obj == want_obj)
            break;
    }
    if (i == 0)
        return BB_OK;
    while (c->depth > i) {
        jp_frame *f = &c->stack[c->depth - 1];

        rc = jp_repair(c, f->is_obj ? JSON_REPAIR_UNCLOSED_OBJECT : JSON_REPAIR_UNCLOSED_ARRAY, f->open);
        if (rc != BB_OK)
            return rc;
        c->depth--;
    }
    c->depth--;
    c->p++;
    *handled = 1;
    return BB_OK;
}

static bb_result jp_eof(jp_ctx *c, const char *what)
{
    if (c->depth)
        return jp_fail(c, BB_ERR_PARSE, c->end, "unexpected end of input: %s (%s opened at byte %zu)",
                       what, c->stack[c->depth - 1].is_obj ? "object" : "array",
                       c->stack[c->depth - 1].open);
    return jp_fail(c, BB_ERR_PARSE, c->end, "unexpected end of input: %s", what);
}

static int jp_starts_value(const jp_ctx *c, size_t p)
{
    unsigned char b = (unsigned char)c->s[p];

    return b == '"' || b == '\'' || b == '{' || b == '[' || b == '-' || jp_is_ident(b) ||
           jp_is_smart_quote(c->s, p, c->end);
}

/* ---------------------------------------------------------------- driver */

bb_result jp_value(jp_ctx *c, size_t pos, size_t end, json_t **out)
{
    json_t *root = NULL, *v = NULL;
    const char *key = NULL;
    size_t klen = 0, kpos = 0;
    int st = JP_ST_VALUE, handled = 0;
    bb_result rc = BB_OK;
    char d[24];

    *out = NULL;
    c->p = pos;
    c->end = end;
    c->depth = 0;
    c->truncated = 0;
    c->err = BB_OK;
    for (;;) {
        const char *s = c->s;
        unsigned char b;

        if (st == JP_ST_AFTER && c->depth == 0)
            break;
        jp_skip_ws(c);
        if (c->err != BB_OK) {
            rc = c->err;
            goto out;
        }
        if (c->p >= c->end) {
            if (!c->lenient || (c->depth == 0 && st == JP_ST_VALUE)) {
                rc = jp_eof(c, st == JP_ST_VALUE ? "expected a value"
                               : st == JP_ST_KEY ? "expected a key"
                               : c->depth && c->stack[c->depth - 1].is_obj ? "expected ',' or '}'"
                                                                          : "expected ',' or ']'");
                goto out;
            }
            if (st == JP_ST_VALUE && c->stack[c->depth - 1].is_obj) {
                /* "key": then nothing */
                rc = jp_repair(c, JSON_REPAIR_MISSING_VALUE, kpos);
                if (rc == BB_OK)
                    rc = jp_attach(c, &root, json_null(), key, klen, kpos);
                if (rc != BB_OK)
                    goto out;
            }
            rc = jp_close_all(c);
            if (rc != BB_OK)
                goto out;
            break;
        }
        b = (unsigned char)s[c->p];
        switch (st) {
        case JP_ST_VALUE:
            if (b == '{' || b == '[') {
                if (c->depth >= (size_t)c->prm->max_depth) {
                    rc = jp_fail(c, BB_ERR_LIMIT, c->p, "nesting deeper than %d (max_depth)",
                                 c->prm->max_depth);
                    goto out;
                }
                v = b == '{' ? json_object() : json_array();
                if (!v) {
                    rc = jp_nomem(c);
                    goto out;
                }
                rc = jp_attach(c, &root, v, key, klen, kpos);
                if (rc == BB_OK)
                    rc = jp_push(c, v, c->p, b == '{');
                if (rc != BB_OK)
                    goto out;
                c->p++;
                st = JP_ST_OPEN;
                continue;
            }
            if (b == '"' || (c->lenient && (b == '\'' || jp_is_smart_quote(s, c->p, c->end)))) {
                const char *sv;
                size_t sl;

                rc = jp_string(c, &c->vbuf, 1, &sv, &sl);
                if (rc != BB_OK)
                    goto out;
                v = json_stringn_nocheck(sv, sl);
                if (!v) {
                    rc = jp_nomem(c);
                    goto out;
                }
            } else if (b == '-' || jp_is_digit(b) || (c->lenient && (b == '+' || b == '.'))) {
                rc = jp_number(c, &v);
                if (rc != BB_OK)
                    goto out;
            } else if (jp_is_ident(b)) {
                rc = jp_literal(c, &v);
                if (rc != BB_OK)
                    goto out;
            } else {
                jp_describe(c, c->p, d, sizeof d);
                rc = jp_fail(c, BB_ERR_PARSE, c->p, "unexpected %s (expected a JSON value)", d);
                goto out;
            }
            rc = jp_attach(c, &root, v, key, klen, kpos);
            if (rc != BB_OK)
                goto out;
            st = JP_ST_AFTER;
            continue;
        case JP_ST_OPEN:
            if (b == (c->stack[c->depth - 1].is_obj ? '}' : ']')) {
                c->p++;
                c->depth--;
                st = JP_ST_AFTER;
                continue;
            }
            if (b == ',' && c->lenient) {
                rc = jp_repair(c, JSON_REPAIR_TRAILING_COMMA, c->p);
                if (rc != BB_OK)
                    goto out;
                c->p++;
                continue;
            }
            rc = jp_close_outer(c, b, &handled);
            if (rc != BB_OK)
                goto out;
            if (handled) {
                st = JP_ST_AFTER;
                continue;
            }
            st = c->stack[c->depth - 1].is_obj ? JP_ST_KEY : JP_ST_VALUE;
            continue;
        case JP_ST_KEY:
            kpos = c->p;
            if (b == '"' || (c->lenient && (b == '\'' || jp_is_smart_quote(s, c->p, c->end)))) {
                rc = jp_string(c, &c->kbuf, 0, &key, &klen);
                if (rc != BB_OK)
                    goto out;
            } else if (c->lenient && jp_is_ident(b)) {
                size_t q = c->p;

                while (q < c->end && (jp_is_ident((unsigned char)s[q]) || s[q] == '-'))
                    q++;
                key = s + c->p;
                klen = q - c->p;
                rc = jp_repair(c, JSON_REPAIR_UNQUOTED_KEY, c->p);
                if (rc != BB_OK)
                    goto out;
                c->p = q;
            } else {
                jp_describe(c, c->p, d, sizeof d);
                rc = jp_fail(c, BB_ERR_PARSE, c->p, "expected a string key, found %s", d);
                goto out;
            }
            jp_skip_ws(c);
            if (c->err != BB_OK) {
                rc = c->err;
                goto out;
            }
            if (c->p >= c->end && c->lenient) {
                /* "key" then nothing: drop the key */
                rc = jp_repair(c, JSON_REPAIR_MISSING_VALUE, kpos);
                if (rc == BB_OK)
                    rc = jp_close_all(c);
                if (rc != BB_OK)
                    goto out;
                goto done;
            }
            if (c->lenient && c->p < c->end && s[c->p] != ':') {
                unsigned char nb = (unsigned char)s[c->p];

                if (nb == '=' || nb == '"' || nb == '\'' || nb == '-' || jp_is_digit(nb) ||
                    jp_is_smart_quote(s, c->p, c->end)) {
                    /* "key" value, or key = value; not before '{' or '[', so that
                     * prose like "{a {b {c" does not nest as objects */
                    rc = jp_repair(c, JSON_REPAIR_MISSING_COLON, c->p);
                    if (rc != BB_OK)
                        goto out;
                    if (nb == '=')
                        c->p++;
                    st = JP_ST_VALUE;
                    continue;
                }
            }
            if (c->p >= c->end || s[c->p] != ':') {
                jp_describe(c, c->p, d, sizeof d);
                rc = jp_fail(c, BB_ERR_PARSE, c->p, "expected ':' after the object key, found %s", d);
                goto out;
            }
            c->p++;
            st = JP_ST_VALUE;
            continue;
        case JP_ST_AFTER: {
            jp_frame *top = &c->stack[c->depth - 1];
            unsigned char close = top->is_obj ? '}' : ']';

            if (b == close) {
                c->p++;
                c->depth--;
                continue;
            }
            if (b == ',') {
                size_t comma = c->p;

                c->p++;
                jp_skip_ws(c);
                while (c->lenient && c->p < c->end && s[c->p] == ',' && c->err == BB_OK) {
                    rc = jp_repair(c, JSON_REPAIR_TRAILING_COMMA, c->p);
                    if (rc != BB_OK)
                        goto out;
                    c->p++;
                    jp_skip_ws(c);
                }
                if (c->err != BB_OK) {
                    rc = c->err;
                    goto out;
                }
                if (c->p < c->end && (unsigned char)s[c->p] == close) {
                    if (!c->lenient) {
                        rc = jp_fail(c, BB_ERR_PARSE, comma, "trailing comma before '%c'", close);
                        goto out;
                    }
                    rc = jp_repair(c, JSON_REPAIR_TRAILING_COMMA, comma);
                    if (rc != BB_OK)
                        goto out;
                    c->p++;
                    c->depth--;
                    continue;
                }
                if (c->lenient && c->p < c->end && (s[c->p] == '}' || s[c->p] == ']')) {
                    rc = jp_close_outer(c, (unsigned char)s[c->p], &handled);
                    if (rc == BB_OK && handled)
                        rc = jp_repair(c, JSON_REPAIR_TRAILING_COMMA, comma);
                    if (rc != BB_OK)
                        goto out;
                    if (handled)
                        continue;
                }
                if (c->p >= c->end && c->lenient) {
                    rc = jp_repair(c, JSON_REPAIR_TRAILING_COMMA, comma);
                    if (rc != BB_OK)
                        goto out;
                    continue; /* the end-of-input branch closes everything */
                }
                st = top->is_obj ? JP_ST_KEY : JP_ST_VALUE;
                continue;
            }
            rc = jp_close_outer(c, b, &handled);
            if (rc != BB_OK)
                goto out;
            if (handled)
                continue;
            if (c->lenient && jp_starts_value(c, c->p)) {
                rc = jp_repair(c, JSON_REPAIR_MISSING_COMMA, c->p);
                if (rc != BB_OK)
                    goto out;
                st = top->is_obj ? JP_ST_KEY : JP_ST_VALUE;
                continue;
            }
            jp_describe(c, c->p, d, sizeof d);
            rc = jp_fail(c, BB_ERR_PARSE, c->p, "expected ',' or '%c' after %s, found %s", close,
                         top->is_obj ? "an object member" : "an array element", d);
            goto out;
        }
        default:
            rc = jp_fail(c, BB_ERR_INTERNAL, c->p, "parser state %d", st);
            goto out;
        }
    }
done:
    *out = root;
    root = NULL;
    rc = BB_OK;
out:
    json_decref(root);
    return rc;
}
