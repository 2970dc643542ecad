/*
 * harness_check.h — one tool call's arguments: parse, repair, coerce,
 * validate, run the phase's semantic checks.
 *
 * This is the verdict step of every round of the function-calling loop and of
 * `backbench validate`: the raw arguments text goes in; out come the value,
 * the repairs applied (text repairs with byte positions, then schema-guided
 * coercions with paths), the located errors (schema errors first, then the
 * semantic hook's) and a verdict. The harness mode decides how lenient it is:
 *   raw     strict RFC 8259 parse, no coercion (what the model wrote, exactly)
 *   repair  lenient parse + coercion
 *   full    the same as repair here; "full" also sends feedback (harness loop)
 * The semantic hook runs only on a schema-valid value, because the typed AST
 * loaders it calls expect the schema's shape.
 */
#ifndef BB_HARNESS_CHECK_H
#define BB_HARNESS_CHECK_H

#include <jansson.h>
#include <stddef.h>

#include "json/json_repair.h"
#include "schema/schema.h"
#include "schema/schema_error.h"
#include "util/result.h"

typedef enum harness_mode {
    HARNESS_MODE_RAW = 0,
    HARNESS_MODE_REPAIR,
    HARNESS_MODE_FULL
} harness_mode;

/* "raw", "repair", "full"; harness_mode_parse returns -1 for other text. */
const char *harness_mode_name(harness_mode m);
int harness_mode_parse(const char *s);

/* A phase's semantic checks: append located errors (SCHEMA_ERR_SEMANTIC) for
 * args to errs; return BB_OK whether or not errors were found (an error code
 * only when the check itself failed, e.g. out of memory). */
typedef bb_result (*harness_semantic_fn)(void *ctx, const json_t *args, schema_errors *errs);

typedef struct harness_hook {
    harness_semantic_fn check; /* may be NULL */
    void *ctx;
} harness_hook;

typedef enum harness_verdict {
    HARNESS_VALID = 0,       /* valid as written: no repair, no coercion */
    HARNESS_VALID_REPAIRED,  /* valid only after lenient repair and/or coercion */
    HARNESS_INVALID,         /* parsed, but schema or semantic errors remain */
    HARNESS_UNPARSEABLE      /* no JSON value could be recovered */
} harness_verdict;

const char *harness_verdict_name(harness_verdict v);

typedef struct harness_check_result {
    harness_verdict verdict;
    json_parse_result parse;  /* parse.value: the (repaired, coerced) value, owned */
    schema_errors errors;     /* schema errors, then semantic errors */
    size_t n_schema_errors;
    size_t n_semantic_errors;
} harness_check_result;

/* Runs the check. Returns BB_OK when a verdict was reached (whatever it is);
 * other codes when checking itself failed (out of memory). Always call
 * harness_check_result_free(out) afterwards. hook may be NULL. */
bb_result harness_check(const char *text, size_t len, const schema *s, harness_mode mode,
                        const harness_hook *hook, harness_check_result *out /* OUT */);
void harness_check_result_free(harness_check_result *r);

#endif
