/*
 * arena.h — region allocator for trees (ASTs, compiled schemas, errors).
 *
 * Everything allocated from an arena is released by one bb_arena_free call;
 * individual objects are never freed. An arena has a byte cap so a hostile
 * input cannot make a tree grow without bound: past the cap, allocation
 * returns NULL and bb_arena_failed() tells whether it was the cap
 * (BB_ERR_LIMIT) or the system (BB_ERR_NOMEM). bb_arena_free(NULL) is a no-op.
 */
#ifndef BB_ARENA_H
#define BB_ARENA_H

#include <stddef.h>

#include "result.h"

typedef struct bb_arena bb_arena;

/* max_bytes: cap on the total of all allocations (0 means no cap).
 * Returns NULL on out of memory; free with bb_arena_free. */
bb_arena *bb_arena_new(size_t max_bytes);
void bb_arena_free(bb_arena *a);

/* Zeroed memory aligned for any type, or NULL (see bb_arena_failed). */
void *bb_arena_alloc(bb_arena *a, size_t n);
/* Zeroed array of count elements of size bytes, with overflow check. */
void *bb_arena_calloc(bb_arena *a, size_t count, size_t size);
char *bb_arena_strdup(bb_arena *a, const char *s);
char *bb_arena_strndup(bb_arena *a, const char *s, size_t n);
char *bb_arena_printf(bb_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* BB_OK, or why the last failed allocation failed. */
bb_result bb_arena_failed(const bb_arena *a);
/* Bytes handed out so far. */
size_t bb_arena_used(const bb_arena *a);

#endif
