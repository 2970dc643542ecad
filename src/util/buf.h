/*
 * buf.h — the one growable byte buffer, with a hard cap.
 *
 * A bb_buf grows geometrically up to `max` bytes of content; an append that
 * would pass the cap returns BB_ERR_LIMIT and leaves the buffer unchanged
 * (never a silent truncation; the idea of curl's dynbuf). The content is
 * always NUL-terminated, so `data` can be used as a C string when the content
 * has no NUL of its own. A zero-initialised bb_buf is not usable: call
 * bb_buf_init. The buffer owns `data`; bb_buf_free releases it (and accepts a
 * buffer that never allocated), bb_buf_take hands it to the caller.
 */
#ifndef BB_BUF_H
#define BB_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "result.h"

typedef struct bb_buf {
    char *data;  /* content, NUL-terminated; NULL until the first append */
    size_t len;  /* bytes of content (without the NUL) */
    size_t cap;  /* bytes allocated */
    size_t max;  /* hard cap on len */
} bb_buf;

/* A common cap for buffers that hold one model response or document. */
#define BB_BUF_MAX_DEFAULT ((size_t)64 * 1024 * 1024)

void bb_buf_init(bb_buf *b, size_t max);
void bb_buf_free(bb_buf *b);
/* Empties the content, keeps the allocation. */
void bb_buf_reset(bb_buf *b);
/* Drops content past len (len <= b->len). */
void bb_buf_truncate(bb_buf *b, size_t len);

bb_result bb_buf_append(bb_buf *b, const void *p, size_t n);
bb_result bb_buf_puts(bb_buf *b, const char *s);
bb_result bb_buf_putc(bb_buf *b, char c);
bb_result bb_buf_printf(bb_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
bb_result bb_buf_vprintf(bb_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Appends s as a JSON string literal, quotes included. */
bb_result bb_buf_put_json_string(bb_buf *b, const char *s, size_t n);

/* Returns the content (never NULL: "" when empty) and leaves b empty;
 * the caller frees the result with bb_free. NULL only on out of memory. */
char *bb_buf_take(bb_buf *b);

/* The content as a C string ("" when nothing was appended). */
const char *bb_buf_str(const bb_buf *b);

#endif
