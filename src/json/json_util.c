/*
 * json_util.c — jansson helpers (see json_util.h).
 */
#include "json_util.h"

#include <math.h>
#include <string.h>

#include "util/alloc.h"

void bb_json_init(void)
{
    json_set_alloc_funcs(bb_malloc, bb_free);
}

bb_result bb_json_append_compact(bb_buf *out, const json_t *v, size_t max_bytes)
{
    char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    size_t n;
    bb_result rc;

    if (!s)
        return BB_ERR_NOMEM;
    n = strlen(s);
    if (max_bytes && n > max_bytes) {
        /* do not cut inside a UTF-8 sequence */
        n = max_bytes;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        rc = bb_buf_append(out, s, n);
        if (rc == BB_OK)
            rc = bb_buf_puts(out, "...");
    } else {
        rc = bb_buf_append(out, s, n);
    }
    bb_free(s);
    return rc;
}

int bb_json_equal(const json_t *a, const json_t *b)
{
    if (json_is_number(a) && json_is_number(b))
        return json_number_value(a) == json_number_value(b) &&
               (!json_is_integer(a) || !json_is_integer(b) ||
                json_integer_value(a) == json_integer_value(b));
    if (json_typeof(a) != json_typeof(b))
        return 0;
    if (json_is_array(a)) {
        size_t i, n = json_array_size(a);

        if (n != json_array_size(b))
            return 0;
        for (i = 0; i < n; i++) {
            if (!bb_json_equal(json_array_get(a, i), json_array_get(b, i)))
                return 0;
        }
        return 1;
    }
    if (json_is_object(a)) {
        const char *k;
        json_t *va;

        if (json_object_size(a) != json_object_size(b))
            return 0;
        json_object_foreach((json_t *)a, k, va) {
            json_t *vb = json_object_get(b, k);

            if (!vb || !bb_json_equal(va, vb))
                return 0;
        }
        return 1;
    }
    return json_equal((json_t *)a, (json_t *)b);
}
