/*
 * buf.c — capped growable buffer (see buf.h).
 */
#include "buf.h"

#include <stdio.h>
#include <string.h>

#include "alloc.h"

void bb_buf_init(bb_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void bb_buf_free(bb_buf *b)
{
    if (!b)
        return;
    bb_free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void bb_buf_reset(bb_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void bb_buf_truncate(bb_buf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->data[len] = '\0';
    }
}

static bb_result bb_buf_reserve(bb_buf *b, size_t extra)
{
    size_t need, ncap;
    char *nd;

    if (extra > b->max || b->len > b->max - extra)
        return BB_ERR_LIMIT;
    need = b->len + extra + 1;
    if (need <= b->cap)
        return BB_OK;
    ncap = b->cap ? b->cap : 64;
    while (ncap < need) {
        if (ncap > ((size_t)-1) / 2) {
            ncap = need;
            break;
        }
        ncap *= 2;
    }
    if (ncap > b->max + 1)
        ncap = b->max + 1;
    if (ncap < need)
        ncap = need;
    nd = bb_realloc(b->data, ncap);
    if (!nd)
        return BB_ERR_NOMEM;
    b->data = nd;
    b->cap = ncap;
    return BB_OK;
}

bb_result bb_buf_append(bb_buf *b, const void *p, size_t n)
{
    bb_result rc = bb_buf_reserve(b, n);

    if (rc != BB_OK)
        return rc;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return BB_OK;
}

bb_result bb_buf_puts(bb_buf *b, const char *s)
{
    return bb_buf_append(b, s, strlen(s));
}

bb_result bb_buf_putc(bb_buf *b, char c)
{
    return bb_buf_append(b, &c, 1);
}

bb_result bb_buf_vprintf(bb_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    int n;
    bb_result rc;

    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return BB_ERR_INTERNAL;
    rc = bb_buf_reserve(b, (size_t)n);
    if (rc != BB_OK)
        return rc;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return BB_OK;
}

bb_result bb_buf_printf(bb_buf *b, const char *fmt, ...)
{
    va_list ap;
    bb_result rc;

    va_start(ap, fmt);
    rc = bb_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

bb_result bb_buf_put_json_string(bb_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t i, start = b->len;
    bb_result rc = bb_buf_putc(b, '"');

    for (i = 0; rc == BB_OK && i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[7];

        switch (c) {
        case '"': rc = bb_buf_append(b, "\\\"", 2); break;
        case '\\': rc = bb_buf_append(b, "\\\\", 2); break;
        case '\n': rc = bb_buf_append(b, "\\n", 2); break;
        case '\r': rc = bb_buf_append(b, "\\r", 2); break;
        case '\t': rc = bb_buf_append(b, "\\t", 2); break;
        case '\b': rc = bb_buf_append(b, "\\b", 2); break;
        case '\f': rc = bb_buf_append(b, "\\f", 2); break;
        default:
            if (c < 0x20) {
                esc[0] = '\\';
                esc[1] = 'u';
                esc[2] = '0';
                esc[3] = '0';
                esc[4] = hex[c >> 4];
                esc[5] = hex[c & 15];
                rc = bb_buf_append(b, esc, 6);
            } else {
                rc = bb_buf_putc(b, (char)c);
            }
        }
    }
    if (rc == BB_OK)
        rc = bb_buf_putc(b, '"');
    if (rc != BB_OK)
        bb_buf_truncate(b, start);
    return rc;
}

char *bb_buf_take(bb_buf *b)
{
    char *d = b->data;

    if (!d) {
        d = bb_malloc(1);
        if (!d)
            return NULL;
        d[0] = '\0';
    }
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    return d;
}

const char *bb_buf_str(const bb_buf *b)
{
    return b->data ? b->data : "";
}
