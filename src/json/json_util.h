/*
 * json_util.h — small helpers over jansson shared by the edges of the program.
 *
 * bb_json_init routes jansson's allocations through the project's allocation
 * wrapper (so failure injection reaches them); call it once at start-up and in
 * every test program before creating JSON values.
 */
#ifndef BB_JSON_UTIL_H
#define BB_JSON_UTIL_H

#include <jansson.h>

#include "util/buf.h"
#include "util/result.h"

void bb_json_init(void);

/* Appends a compact rendering of v (JSON_COMPACT | JSON_ENCODE_ANY), cut at
 * max_bytes with "..." when longer (max_bytes 0: no cut). */
bb_result bb_json_append_compact(bb_buf *out, const json_t *v, size_t max_bytes);

/* Deep equality where 1 and 1.0 are equal (JSON Schema's notion). */
int bb_json_equal(const json_t *a, const json_t *b);

#endif
