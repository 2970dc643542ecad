/*
 * alloc.h — the one allocation wrapper.
 *
 * All heap memory in backbench (and jansson's, see bb_alloc_install_jansson in
 * json/) goes through these functions. A test build (BB_TESTING defined) can
 * make the N-th allocation from now fail, so tests prove that every caller
 * handles out-of-memory with BB_ERR_NOMEM instead of crashing (the idea of
 * Lua's ltests.c debug_realloc). bb_free(NULL) is a no-op.
 */
#ifndef BB_ALLOC_H
#define BB_ALLOC_H

#include <stddef.h>

void *bb_malloc(size_t n);
void *bb_calloc(size_t count, size_t size);
void *bb_realloc(void *p, size_t n);
void bb_free(void *p);
/* Copies of C strings; the caller frees with bb_free. NULL on failure. */
char *bb_strdup(const char *s);
char *bb_strndup(const char *s, size_t n);

/*
 * Failure injection (meaningful only when built with BB_TESTING; otherwise
 * these do nothing). bb_alloc_fail_after(k): the next k allocations succeed,
 * every one after fails, until bb_alloc_fail_after(-1) switches it off.
 * bb_alloc_count() returns the number of allocations made so far.
 */
void bb_alloc_fail_after(long k);
unsigned long bb_alloc_count(void);

#endif
