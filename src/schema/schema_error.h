/*
 * schema_error.h — located validation errors, the unit of model feedback.
 *
 * Both the JSON Schema validator and the AST semantic checks report errors in
 * this one shape, so the feedback renderer and the harness treat them alike:
 *   path      where: "$input.files[0].models[2].name" (typia-style; keys that
 *             are not identifiers are written $input["a-b"])
 *   expected  a short readable type expression: `string & Format<"uuid">`,
 *             `number & Minimum<0>`, `"post" | "get"`, union member names
 *   value     compact JSON of the offending value (cut at ~200 bytes), or
 *             "undefined" when a required property is missing
 *   message   optional prose (semantic checks use it), may be NULL
 * An error list has a cap: errors past it are counted in `dropped`.
 * All strings live in the list's arena; schema_errors_free releases them.
 */
#ifndef BB_SCHEMA_ERROR_H
#define BB_SCHEMA_ERROR_H

#include <stddef.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/result.h"

/* Stable kinds (names stored in results; append only). */
typedef enum schema_error_kind {
    SCHEMA_ERR_TYPE = 0,      /* "type": wrong JSON type */
    SCHEMA_ERR_REQUIRED,      /* "required": a required property is missing */
    SCHEMA_ERR_ADDITIONAL,    /* "additional": a property the schema does not allow */
    SCHEMA_ERR_ENUM,          /* "enum": not one of the allowed values */
    SCHEMA_ERR_CONST,         /* "const" */
    SCHEMA_ERR_FORMAT,        /* "format": date-time, uuid, email, ... */
    SCHEMA_ERR_PATTERN,       /* "pattern" */
    SCHEMA_ERR_RANGE,         /* "range": minimum/maximum/multipleOf */
    SCHEMA_ERR_LENGTH,        /* "length": minLength/maxLength, minItems/maxItems, min/maxProperties */
    SCHEMA_ERR_UNIQUE,        /* "unique": uniqueItems */
    SCHEMA_ERR_UNION,         /* "union": matches no (or, for oneOf, several) members */
    SCHEMA_ERR_DISCRIMINATOR, /* "discriminator": missing or unknown tag of a tagged union */
    SCHEMA_ERR_NOT,           /* "not" */
    SCHEMA_ERR_SEMANTIC,      /* "semantic": an AST check (duplicate table, unknown type, ...) */
    SCHEMA_ERR_LIMIT,         /* "limit": validation depth or size limit reached */
    SCHEMA_ERR_OTHER,         /* "other": any other keyword (contains, dependencies, ...) */
    SCHEMA_ERR_PARSE,         /* "parse": no JSON value could be recovered from the text */
    SCHEMA_ERR_KIND_COUNT_
} schema_error_kind;

typedef struct schema_error {
    schema_error_kind kind;
    const char *path;
    const char *expected;
    const char *value;
    const char *message; /* may be NULL */
} schema_error;

typedef struct schema_errors {
    schema_error *items;
    size_t n;
    size_t cap;
    size_t max;     /* cap on stored errors */
    size_t dropped; /* errors past the cap */
    bb_arena *arena;
} schema_errors;

#define SCHEMA_ERRORS_MAX_DEFAULT 200

void schema_errors_init(schema_errors *e, size_t max);
void schema_errors_free(schema_errors *e);
/* Removes all errors (keeps the cap). */
void schema_errors_clear(schema_errors *e);
/* Total errors seen, stored or dropped. */
size_t schema_errors_total(const schema_errors *e);
/* Copies the strings. message may be NULL. BB_OK also when the error was
 * only counted because the list is full. */
bb_result schema_errors_add(schema_errors *e, schema_error_kind kind, const char *path,
                            const char *expected, const char *value, const char *message);

const char *schema_error_kind_name(schema_error_kind kind);

/* Path building, one rule for validator, checks and renderer. */
bb_result schema_path_root(bb_buf *b);                  /* "$input" */
bb_result schema_path_key(bb_buf *b, const char *key);  /* ".name" or ["a-b"] */
bb_result schema_path_index(bb_buf *b, size_t i);       /* "[3]" */

/* Renders the errors as a JSON array of {path, kind, expected, value,
 * message?} objects (the --json output and the stored form). */
bb_result schema_errors_to_json(const schema_errors *e, bb_buf *out);

#endif
