/*
 * engine_test.h — runs Test AST functions (ast_test.h) against an engine's
 * operations in process, as a generated SDK and test framework would.
 *
 * One call of eng_test_run executes one test function on the engine it is
 * given (the caller gives every function a fresh engine, so a fresh
 * database): apiOperateStatement becomes one eng_handle request (path
 * parameters substituted and percent-encoded, the body serialised to
 * JSON, the current bearer token attached); a 2xx response body is parsed
 * into the statement's variable, and the response of a join/login/refresh
 * operation sets the bearer token (body.token.access) for later calls. A
 * non-2xx response throws, as the SDK does: errorPredicate and
 * httpErrorPredicate catch it (httpError also checks the status); anywhere
 * else it fails the test. A failed predicate fails the test at once and is
 * never caught. Random generators draw from the run's seed.
 *
 * The interpreter has its own step budget and caps (ENG_TEST_MAX_*), so no
 * test, however hostile, runs away; a failure names the predicate, its
 * title and its path in the AST.
 */
#ifndef BB_ENGINE_TEST_H
#define BB_ENGINE_TEST_H

#include <stddef.h>
#include <stdint.h>

#include "ast/ast_api.h"
#include "ast/ast_test.h"
#include "engine/engine.h"
#include "util/result.h"

#define ENG_TEST_MAX_STEPS 200000            /* statements + expressions + array elements visited */
#define ENG_TEST_MAX_CALLS 2000              /* API calls of one test */
#define ENG_TEST_MAX_REPEAT 1000             /* count of one repeat() */
#define ENG_TEST_MAX_VARS 1024               /* live variables */
#define ENG_TEST_MAX_DEPTH 64                /* arrow calls nested */
#define ENG_TEST_ARENA_MAX ((size_t)64 << 20) /* bytes of one test's values */
#define ENG_TEST_MSG_MAX 512

typedef enum eng_test_outcome {
    ENG_TEST_PASS = 0,
    ENG_TEST_FAIL_PREDICATE, /* a predicate was false */
    ENG_TEST_FAIL_HTTP,      /* an API call failed outside an error predicate */
    ENG_TEST_FAIL_RUNTIME,   /* the test itself broke (type error, unknown variable, budget) */
} eng_test_outcome;

typedef struct eng_test_result {
    eng_test_outcome outcome;
    int http_status;      /* FAIL_HTTP: the status */
    int engine_error;     /* an engine failure (500 with "engine": true) was seen */
    size_t calls;         /* API calls made */
    size_t steps;         /* interpreter steps used */
    char message[ENG_TEST_MSG_MAX]; /* "equalPredicate \"title\" at $input...: x was 1, y was 2" */
} eng_test_result;

/* Runs fn on e (whose API is api). expected_status (may be NULL) holds,
 * per API operation, the success status its callers expect (0: any 2xx);
 * another 2xx status then throws like an error, as nestia's SDK does. BB_OK when the test ran to a verdict
 * (pass or fail in *out); BB_ERR_NOMEM when memory ran out. */
bb_result eng_test_run(eng_engine *e, const ast_api_doc *api, const ast_test_fn *fn, uint64_t seed,
                       const int *expected_status, eng_test_result *out /* OUT */);

const char *eng_test_outcome_name(eng_test_outcome o);

#endif
