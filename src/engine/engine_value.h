/*
 * engine_value.h — the engine's value type and its JSON edges.
 *
 * The interpreter computes with small tagged values (undefined, null,
 * boolean, number (a double plus an integer flag), string, array, object)
 * allocated in the request's arena; values are immutable once built, so
 * sharing them is safe. `undefined` is what a missing property or an absent
 * optional input reads as (JavaScript's rule): it is dropped from objects
 * when they are serialised and, in database `data` and `where`, means "leave
 * this column alone" / "no condition" (Prisma's rule).
 *
 * JSON appears only at the edges: eng_value_from_json (a request body or a
 * test fixture, via jansson) and eng_value_to_json (the response text).
 */
#ifndef BB_ENGINE_VALUE_H
#define BB_ENGINE_VALUE_H

#include <jansson.h>
#include <stddef.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/result.h"

typedef enum eng_kind {
    ENG_UNDEF = 0,
    ENG_NULL,
    ENG_BOOL,
    ENG_NUM,
    ENG_STR,
    ENG_ARR,
    ENG_OBJ
} eng_kind;

typedef struct eng_value eng_value;

struct eng_value {
    eng_kind kind;
    int b;          /* ENG_BOOL */
    double n;       /* ENG_NUM */
    int is_int;     /* ENG_NUM: integral (printed without fraction) */
    const char *s;  /* ENG_STR: NUL-terminated, len bytes */
    size_t len;     /* ENG_STR bytes; ENG_ARR / ENG_OBJ item count */
    eng_value **items;  /* ENG_ARR elements; ENG_OBJ values */
    const char **keys;  /* ENG_OBJ keys (unique) */
};

/* Shared immutable constants (never NULL). */
const eng_value *eng_undef(void);
const eng_value *eng_null(void);

/* Constructors: NULL when the arena refuses (see bb_arena_failed). */
eng_value *eng_bool(bb_arena *a, int b);
eng_value *eng_num(bb_arena *a, double n);
eng_value *eng_str(bb_arena *a, const char *s, size_t len);
eng_value *eng_strz(bb_arena *a, const char *s);
/* An array or object with room for n entries (filled by the caller; len = n). */
eng_value *eng_arr(bb_arena *a, size_t n);
eng_value *eng_obj(bb_arena *a, size_t n);

/* Property of an object (NULL when absent or v is no object). */
const eng_value *eng_get(const eng_value *v, const char *key);
/* JavaScript truthiness. */
int eng_truthy(const eng_value *v);
/* Strict equality, deep for arrays/objects; null and undefined are equal. */
int eng_equal(const eng_value *a, const eng_value *b);
/* "undefined", "null", "boolean", "number", "string", "array", "object". */
const char *eng_kind_name(eng_kind k);

/* JSON edges. max_depth caps nesting (BB_ERR_LIMIT past it). */
bb_result eng_value_from_json(bb_arena *a, const json_t *j, int max_depth, eng_value **out /* OUT */);
/* Appends compact JSON; undefined members are left out, an undefined root
 * is written as null. */
bb_result eng_value_to_json(const eng_value *v, bb_buf *out);

#endif
