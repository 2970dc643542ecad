/*
 * phase.h — what each benchmark phase asks of the model, and how its answer
 * is checked beyond the schema.
 *
 * A phase names its AST schema (embedded in the binary), the function the
 * model must call, and its semantic checks, which the harness runs through
 * its hook after the schema validation passed: the DB checks (ast_db_check)
 * for `db`; for `api`, the API checks (ast_api_check) against the database
 * design the model was given (the gold DB in isolated mode), so DTOs that
 * name missing tables or columns are reported to the model; for `impl`, the
 * Impl AST checks against the gold DB and API (unknown tables, columns,
 * operations, DTO properties, type mismatches, paths that never return); for
 * `test`, the Test AST checks against the gold API (unknown operations, DTO
 * properties, misplaced arrows and returns, tests without a predicate).
 */
#ifndef BB_BENCH_PHASE_H
#define BB_BENCH_PHASE_H

#include <jansson.h>

#include "ast/ast_db.h"
#include "schema/schema.h"
#include "schema/schema_error.h"
#include "util/result.h"

typedef enum bench_phase_kind {
    BENCH_PHASE_DB = 0,
    BENCH_PHASE_API,
    BENCH_PHASE_IMPL,
    BENCH_PHASE_TEST,
    BENCH_PHASE_COUNT_
} bench_phase_kind;

/* "db", "api", "impl", "test"; bench_phase_parse returns -1 for other text. */
const char *bench_phase_name(bench_phase_kind k);
int bench_phase_parse(const char *s);

/* The embedded schema path ("schemas/db.schema.json"), the function name the
 * model calls, and that function's one-line description. */
const char *bench_phase_schema_path(bench_phase_kind k);
const char *bench_phase_tool_name(bench_phase_kind k);
const char *bench_phase_tool_description(bench_phase_kind k);

/* Compiles the phase's embedded schema. Free with schema_free. */
bb_result bench_phase_schema(bench_phase_kind k, schema **out /* OUT */);

/* The context of the semantic hook: the phase; for api, the database design
 * DTOs are checked against (may be NULL: no DB-aware checks); for impl, the
 * database and API designs the implementation must use (both required);
 * for test, the API the test calls (required; db unused). */
typedef struct bench_phase_checker {
    bench_phase_kind kind;
    const ast_db *db;
    const struct ast_api_doc *api;
} bench_phase_checker;

/* A harness_semantic_fn: ctx is a bench_phase_checker. Appends located
 * errors (structural and semantic) to errs. */
bb_result bench_phase_semantic(void *ctx, const json_t *args, schema_errors *errs);

#endif
