/*
 * json_parse_core.h — the single-pass JSON value parser behind json_parse
 * (internal to src/json/).
 *
 * jp_value parses exactly one JSON value from a window [pos, end) of the
 * input and stops right after it. It is iterative (an explicit stack of open
 * containers bounded by max_depth), linear in the input, and builds jansson
 * values directly. In strict mode it accepts RFC 8259 only; in lenient mode
 * every deviation it knows how to repair is repaired in the same pass and
 * recorded in the repair list, so strict input costs the same in both modes.
 * Text around the value (prose, fences, think blocks) is json_repair.c's job.
 */
#ifndef BB_JSON_PARSE_CORE_H
#define BB_JSON_PARSE_CORE_H

#include <jansson.h>
#include <stddef.h>

#include "json/json_repair.h"
#include "util/result.h"

typedef struct jp_frame {
    json_t *c;      /* the open container (borrowed: owned by its parent or the root) */
    size_t open;    /* byte offset of its '[' or '{' */
    int is_obj;
} jp_frame;

/* A growable scratch buffer for unescaped strings, capped at max_string. */
typedef struct jp_scratch {
    char *d;
    size_t len, cap;
} jp_scratch;

typedef struct jp_ctx {
    const char *s;              /* the whole input (positions are offsets in it) */
    size_t end;                 /* end of the current window */
    size_t p;                   /* cursor */
    const json_parse_params *prm;
    int lenient;
    json_repair_list *rep;
    int truncated;
    size_t nvalues;
    jp_frame *stack;
    size_t depth, stack_cap;
    jp_scratch kbuf, vbuf;      /* key and value scratch */
    /* error */
    bb_result err;
    size_t err_pos;
    char err_msg[160];
} jp_ctx;

/* ctx must be zeroed, then s, prm, lenient and rep set; call jp_ctx_free after. */
void jp_ctx_free(jp_ctx *c);

/* Parses one value starting at `pos` (after optional whitespace/comments)
 * within [pos, end). On BB_OK *out owns the value and c->p is just after it.
 * On error *out is NULL and c->err_pos/err_msg say why. */
bb_result jp_value(jp_ctx *c, size_t pos, size_t end, json_t **out /* OUT */);

/* Skips whitespace (and, lenient, comments, recording them) from c->p up to c->end. */
void jp_skip_ws(jp_ctx *c);

/* Offset of the n-byte needle in s[from..end), or end when absent. */
size_t jp_find(const char *s, size_t from, size_t end, const char *needle, size_t n);

/* Records a repair unless strict (returns BB_NOMEM on allocation failure). */
bb_result jp_repair(jp_ctx *c, json_repair_code code, size_t pos);

#endif
