/*
 * arena.c — region allocator (see arena.h).
 *
 * Memory comes in chunks of at least 64 KiB taken through bb_malloc; a
 * request larger than half a chunk gets a chunk of its own so big objects do
 * not waste the rest of the current one.
 */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"

#define BB_ARENA_CHUNK ((size_t)64 * 1024)
#define BB_ARENA_ALIGN ((size_t)16)

typedef struct bb_arena_chunk {
    struct bb_arena_chunk *next;
    size_t size;
    size_t used;
    _Alignas(16) unsigned char mem[];
} bb_arena_chunk;

struct bb_arena {
    bb_arena_chunk *head;
    size_t max;
    size_t used;
    bb_result failed;
};

bb_arena *bb_arena_new(size_t max_bytes)
{
    bb_arena *a = bb_calloc(1, sizeof *a);

    if (!a)
        return NULL;
    a->max = max_bytes;
    return a;
}

void bb_arena_free(bb_arena *a)
{
    bb_arena_chunk *c, *next;

    if (!a)
        return;
    for (c = a->head; c; c = next) {
        next = c->next;
        bb_free(c);
    }
    bb_free(a);
}

void *bb_arena_alloc(bb_arena *a, size_t n)
{
    bb_arena_chunk *c;
    size_t size;
    void *p;

    if (n == 0)
        n = 1;
    if (n > SIZE_MAX - BB_ARENA_ALIGN) {
        a->failed = BB_ERR_LIMIT;
        return NULL;
    }
    n = (n + BB_ARENA_ALIGN - 1) & ~(BB_ARENA_ALIGN - 1);
    if (a->max && (n > a->max || a->used > a->max - n)) {
        a->failed = BB_ERR_LIMIT;
        return NULL;
    }
    c = a->head;
    if (!c || c->size - c->used < n) {
        size = n > BB_ARENA_CHUNK / 2 ? n : BB_ARENA_CHUNK;
        c = bb_malloc(sizeof *c + size);
        if (!c) {
            a->failed = BB_ERR_NOMEM;
            return NULL;
        }
        c->size = size;
        c->used = 0;
        if (size == n && a->head) {
            /* A private chunk: keep the current chunk in front. */
            c->next = a->head->next;
            a->head->next = c;
        } else {
            c->next = a->head;
            a->head = c;
        }
    }
    p = c->mem + c->used;
    c->used += n;
    a->used += n;
    memset(p, 0, n);
    return p;
}

void *bb_arena_calloc(bb_arena *a, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size) {
        a->failed = BB_ERR_LIMIT;
        return NULL;
    }
    return bb_arena_alloc(a, count * size);
}

char *bb_arena_strndup(bb_arena *a, const char *s, size_t n)
{
    char *d;

    if (n == SIZE_MAX) {
        a->failed = BB_ERR_LIMIT;
        return NULL;
    }
    d = bb_arena_alloc(a, n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *bb_arena_strdup(bb_arena *a, const char *s)
{
    return bb_arena_strndup(a, s, strlen(s));
}

char *bb_arena_printf(bb_arena *a, const char *fmt, ...)
{
    va_list ap;
    int n;
    char *d;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        a->failed = BB_ERR_INTERNAL;
        return NULL;
    }
    d = bb_arena_alloc(a, (size_t)n + 1);
    if (!d)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(d, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return d;
}

bb_result bb_arena_failed(const bb_arena *a)
{
    return a->failed;
}

size_t bb_arena_used(const bb_arena *a)
{
    return a->used;
}
