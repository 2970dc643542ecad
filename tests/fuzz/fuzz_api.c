/*
 * fuzz_api.c — libFuzzer target for the API AST: bytes -> jansson parse
 * (NUL bytes allowed, any top-level value) -> ast_api_load -> ast_api_check
 * (with a small fake database view) -> emit_openapi. Nothing may crash, leak
 * or trip a sanitizer; every outcome other than BB_OK, BB_ERR_INVALID and
 * BB_ERR_NOMEM/BB_ERR_LIMIT is a bug. The emitter runs even on documents the
 * checks reject, since it must be total over every loaded AST.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ast/ast_api.h"
#include "ast/ast_api_check.h"
#include "emit/emit_openapi.h"
#include "json/json_util.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_INPUT ((size_t)1 << 20)

/* A database with tables t_* whose columns are the names ending in "_id" or
 * "_at": enough to reach both outcomes of the column check. */
static int fz_has_table(void *ctx, const char *table)
{
    (void)ctx;
    return strncmp(table, "t_", 2) == 0;
}

static int fz_has_column(void *ctx, const char *table, const char *column)
{
    size_t n = strlen(column);

    (void)ctx;
    (void)table;
    return n >= 3 && (strcmp(column + n - 3, "_id") == 0 || strcmp(column + n - 3, "_at") == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int initialised;
    json_t *root;
    ast_api_doc *doc = NULL;
    schema_errors errs, warns;
    ast_api_db_view view = {fz_has_table, fz_has_column, NULL};
    bb_buf out;
    bb_result rc;

    if (!initialised) {
        bb_json_init();
        initialised = 1;
    }
    if (size > FUZZ_MAX_INPUT)
        return 0;
    root = json_loadb((const char *)data, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    if (!root)
        return 0;
    schema_errors_init(&errs, 50);
    schema_errors_init(&warns, 50);
    bb_buf_init(&out, (size_t)16 << 20);
    rc = ast_api_load(root, &doc, &errs, &warns);
    if (rc != BB_OK && rc != BB_ERR_INVALID && rc != BB_ERR_NOMEM)
        abort();
    if (rc == BB_OK) {
        rc = ast_api_check(doc, &view, &errs);
        if (rc != BB_OK && rc != BB_ERR_INVALID && rc != BB_ERR_NOMEM)
            abort();
        rc = emit_openapi(doc, NULL, &out);
        if (rc != BB_OK && rc != BB_ERR_NOMEM && rc != BB_ERR_LIMIT)
            abort();
        if (rc == BB_OK) {
            json_t *back = json_loadb(out.data, out.len, JSON_ALLOW_NUL, NULL);

            if (!back) /* the emitter must write valid JSON */
                abort();
            json_decref(back);
        }
    }
    ast_api_free(doc);
    bb_buf_free(&out);
    schema_errors_free(&errs);
    schema_errors_free(&warns);
    json_decref(root);
    return 0;
}
