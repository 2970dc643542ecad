/*
 * phase.c — phase descriptions and their semantic hooks (see phase.h).
 */
#include "phase.h"

#include <string.h>

#include "ast/ast_api.h"
#include "ast/ast_api_check.h"
#include "ast/ast_db_check.h"
#include "ast/ast_dbview.h"
#include "ast/ast_impl_check.h"
#include "ast/ast_test.h"
#include "util/file.h"

static const struct {
    const char *name;
    const char *schema;
    const char *tool;
    const char *description;
} bench_phases[BENCH_PHASE_COUNT_] = {
    [BENCH_PHASE_DB] = {"db", "schemas/db.schema.json", "design_database",
                        "Submit the complete database design (every table, column, relation and index)."},
    [BENCH_PHASE_API] = {"api", "schemas/api.schema.json", "design_api",
                         "Submit the complete API design (every operation and every DTO schema)."},
    [BENCH_PHASE_IMPL] = {"impl", "schemas/impl.schema.json", "implement_operation",
                          "Submit the implementation of the operation as an Impl AST."},
    [BENCH_PHASE_TEST] = {"test", "schemas/test.schema.json", "write_test",
                          "Submit the end-to-end test of the scenario as a Test AST."},
};

const char *bench_phase_name(bench_phase_kind k)
{
    return (unsigned)k < BENCH_PHASE_COUNT_ ? bench_phases[k].name : "unknown";
}

int bench_phase_parse(const char *s)
{
    int i;

    for (i = 0; i < BENCH_PHASE_COUNT_; i++) {
        if (strcmp(s, bench_phases[i].name) == 0)
            return i;
    }
    return -1;
}

const char *bench_phase_schema_path(bench_phase_kind k)
{
    return (unsigned)k < BENCH_PHASE_COUNT_ ? bench_phases[k].schema : NULL;
}

const char *bench_phase_tool_name(bench_phase_kind k)
{
    return (unsigned)k < BENCH_PHASE_COUNT_ ? bench_phases[k].tool : NULL;
}

const char *bench_phase_tool_description(bench_phase_kind k)
{
    return (unsigned)k < BENCH_PHASE_COUNT_ ? bench_phases[k].description : NULL;
}

bb_result bench_phase_schema(bench_phase_kind k, schema **out)
{
    const bb_embedded_file *f;
    json_error_t jerr;
    json_t *doc;
    bb_result rc;

    *out = NULL;
    if ((unsigned)k >= BENCH_PHASE_COUNT_)
        return BB_ERR_USAGE;
    f = bb_embed_find(bench_phases[k].schema);
    if (!f)
        return BB_ERR_NOT_FOUND;
    doc = json_loadb((const char *)f->data, f->len, 0, &jerr);
    if (!doc)
        return BB_ERR_SCHEMA;
    rc = schema_compile(doc, NULL, out, NULL);
    json_decref(doc);
    return rc;
}

static bb_result bench_phase_check_api(const bench_phase_checker *c, const json_t *args, schema_errors *errs)
{
    ast_api_doc *doc = NULL;
    ast_api_db_view view;
    bb_result rc;

    rc = ast_api_load(args, &doc, errs, NULL);
    if (rc == BB_ERR_INVALID)
        return BB_OK; /* structural errors are in errs */
    if (rc != BB_OK)
        return rc;
    view = ast_dbview(c->db);
    rc = ast_api_check(doc, c->db ? &view : NULL, errs);
    ast_api_free(doc);
    return rc == BB_ERR_INVALID ? BB_OK : rc;
}

bb_result bench_phase_semantic(void *ctx, const json_t *args, schema_errors *errs)
{
    const bench_phase_checker *c = ctx;
    bb_result rc;

    switch (c->kind) {
    case BENCH_PHASE_DB:
        rc = ast_db_check_json(args, NULL, NULL, errs, NULL);
        return rc == BB_ERR_INVALID ? BB_OK : rc;
    case BENCH_PHASE_API:
        return bench_phase_check_api(c, args, errs);
    case BENCH_PHASE_IMPL:
        if (!c->db || !c->api)
            return BB_ERR_USAGE;
        rc = ast_impl_check_json(args, c->db, c->api, NULL, errs);
        return rc == BB_ERR_INVALID ? BB_OK : rc;
    case BENCH_PHASE_TEST:
        if (!c->api)
            return BB_ERR_USAGE;
        rc = ast_test_check_json(args, c->api, NULL, errs);
        return rc == BB_ERR_INVALID ? BB_OK : rc;
    default:
        return BB_ERR_USAGE;
    }
}
