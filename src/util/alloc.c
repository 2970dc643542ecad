/*
 * alloc.c — allocation wrapper with test-time failure injection.
 *
 * The failure counter is the one piece of process-wide mutable state in the
 * project: it exists only to test out-of-memory paths and is compiled in only
 * with BB_TESTING. It is thread-local so parallel test threads do not disturb
 * each other.
 */
#include "alloc.h"

#include <stdlib.h>
#include <string.h>

#ifdef BB_TESTING
static _Thread_local long bb_fail_left = -1;
static _Thread_local unsigned long bb_alloc_n;

static int bb_alloc_should_fail(void)
{
    bb_alloc_n++;
    if (bb_fail_left < 0)
        return 0;
    if (bb_fail_left == 0)
        return 1;
    bb_fail_left--;
    return 0;
}

void bb_alloc_fail_after(long k)
{
    bb_fail_left = k;
}

unsigned long bb_alloc_count(void)
{
    return bb_alloc_n;
}
#else
static int bb_alloc_should_fail(void)
{
    return 0;
}

void bb_alloc_fail_after(long k)
{
    (void)k;
}

unsigned long bb_alloc_count(void)
{
    return 0;
}
#endif

void *bb_malloc(size_t n)
{
    if (bb_alloc_should_fail())
        return NULL;
    return malloc(n ? n : 1);
}

void *bb_calloc(size_t count, size_t size)
{
    if (bb_alloc_should_fail())
        return NULL;
    if (count == 0 || size == 0)
        return calloc(1, 1);
    return calloc(count, size);
}

void *bb_realloc(void *p, size_t n)
{
    if (bb_alloc_should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
}

void bb_free(void *p)
{
    free(p);
}

char *bb_strndup(const char *s, size_t n)
{
    char *d;

    if (!s)
        return NULL;
    d = bb_malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *bb_strdup(const char *s)
{
    if (!s)
        return NULL;
    return bb_strndup(s, strlen(s));
}
