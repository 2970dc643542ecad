/*
 * sim_render.h — writes a JSON value the way a sloppy model would.
 *
 * The simulator's `sloppy` profile sends the right content in broken form;
 * this renderer produces that form from the correct value: pretty-printed
 * with trailing commas, Python constants, unquoted identifier keys, `//`
 * comments, numbers and booleans as strings, nested objects double-encoded
 * as JSON strings. Every form it writes is one that backbench's repair and
 * coercion are meant to undo, so a correct harness recovers the exact value.
 */
#ifndef BB_SIM_RENDER_H
#define BB_SIM_RENDER_H

#include <jansson.h>

#include "util/buf.h"
#include "util/result.h"

enum {
    SIM_RENDER_PRETTY = 1 << 0,         /* newlines and two-space indentation */
    SIM_RENDER_TRAILING_COMMA = 1 << 1, /* a comma after the last member/element */
    SIM_RENDER_PYTHON = 1 << 2,         /* True / False / None */
    SIM_RENDER_UNQUOTED_KEYS = 1 << 3,  /* identifier keys without quotes */
    SIM_RENDER_COMMENTS = 1 << 4,       /* a // comment line in objects (needs PRETTY) */
    SIM_RENDER_SCALAR_STRINGS = 1 << 5, /* numbers and booleans as "42" / "true" */
    SIM_RENDER_DOUBLE_ENCODE = 1 << 6   /* objects at depth 2 written as JSON strings */
};

bb_result sim_render(const json_t *v, unsigned flags, bb_buf *out);

#endif
