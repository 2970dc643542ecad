/*
 * utf8.h — small UTF-8 helpers.
 *
 * JSON Schema measures string length in Unicode code points, and jansson
 * hands out strings as UTF-8 bytes; these helpers count and decode without
 * allocating. Input is assumed to be valid UTF-8 (jansson guarantees it for
 * the strings it produces); on a malformed sequence they never read past the
 * given length.
 */
#ifndef BB_UTF8_H
#define BB_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Number of code points in s[0..n): bytes that are not continuation bytes. */
size_t bb_utf8_count(const char *s, size_t n);

/* Decodes one code point at s[*i] (i < n), advances *i past it and returns
 * it; a malformed byte is returned as 0xFFFD and skipped alone. */
uint32_t bb_utf8_next(const char *s, size_t n, size_t *i /* IN/OUT */);

#endif
