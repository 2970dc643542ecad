/*
 * utf8.c — code point counting and decoding (see utf8.h).
 */
#include "utf8.h"

size_t bb_utf8_count(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i, count = 0;

    for (i = 0; i < n; i++)
        count += (p[i] & 0xC0) != 0x80;
    return count;
}

uint32_t bb_utf8_next(const char *s, size_t n, size_t *i)
{
    const unsigned char *p = (const unsigned char *)s + *i;
    size_t left = n - *i;
    uint32_t c = p[0];
    size_t len, k;

    if (c < 0x80) {
        *i += 1;
        return c;
    }
    if ((c & 0xE0) == 0xC0) {
        len = 2;
        c &= 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        c &= 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        c &= 0x07;
    } else {
        *i += 1;
        return 0xFFFD;
    }
    if (len > left) {
        *i += 1;
        return 0xFFFD;
    }
    for (k = 1; k < len; k++) {
        if ((p[k] & 0xC0) != 0x80) {
            *i += 1;
            return 0xFFFD;
        }
        c = (c << 6) | (p[k] & 0x3F);
    }
    *i += len;
    return c;
}
