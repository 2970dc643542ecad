/*
 * cli_load.c — reading AST files for subcommands (see cli_load.h).
 */
#include "cli_load.h"

#include <stdio.h>

#include "ast/ast_api_check.h"
#include "cli/cli.h"
#include "ast/ast_db_check.h"
#include "ast/ast_dbview.h"
#include "json/json_repair.h"
#include "schema/schema_error.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/file.h"

/* The errors of a design file, each led by "backbench: PATH: ". */
static void cli_load_print_errors(const char *path, const schema_errors *errs)
{
    bb_buf lead;

    bb_buf_init(&lead, 8192);
    if (bb_buf_printf(&lead, "backbench: %s: ", path) != BB_OK)
        bb_buf_reset(&lead);
    cli_print_errors(stderr, bb_buf_str(&lead), errs);
    bb_buf_free(&lead);
}

bb_result cli_load_json(const char *path, json_t **out)
{
    char *text = NULL;
    size_t len = 0;
    json_parse_result pr;
    bb_result rc;

    *out = NULL;
    rc = bb_file_read(path, CLI_LOAD_MAX_INPUT, &text, &len);
    if (rc != BB_OK) {
        fprintf(stderr, "backbench: cannot read %s: %s\n", path, bb_strerror(rc));
        return rc;
    }
    rc = json_parse(text, len, NULL, &pr);
    if (rc != BB_OK)
        fprintf(stderr, "backbench: %s:%u:%u: %s\n", path, pr.err_line, pr.err_col, pr.err_msg);
    else
        *out = json_incref(pr.value);
    json_parse_result_free(&pr);
    bb_free(text);
    return rc;
}

bb_result cli_load_db(const char *path, ast_db **out)
{
    json_t *doc = NULL;
    schema_errors errs;
    bb_result rc;

    *out = NULL;
    schema_errors_init(&errs, 50);
    rc = cli_load_json(path, &doc);
    if (rc != BB_OK)
        goto out;
    rc = ast_db_check_json(doc, NULL, out, &errs, NULL);
    cli_load_print_errors(path, &errs);
    if (rc != BB_OK) {
        fprintf(stderr, "backbench: %s: the database design does not pass its checks (%zu errors)\n", path,
                schema_errors_total(&errs));
        ast_db_free(*out);
        *out = NULL;
        if (rc == BB_OK)
            rc = BB_ERR_INVALID;
    }
out:
    schema_errors_free(&errs);
    json_decref(doc);
    return rc;
}

bb_result cli_load_api(const char *path, const ast_db *db, ast_api_doc **out)
{
    json_t *doc = NULL;
    schema_errors errs;
    ast_api_db_view view = ast_dbview(db);
    bb_result rc;

    *out = NULL;
    schema_errors_init(&errs, 50);
    rc = cli_load_json(path, &doc);
    if (rc != BB_OK)
        goto out;
    rc = ast_api_load(doc, out, &errs, NULL);
    if (rc == BB_OK)
        rc = ast_api_check(*out, db ? &view : NULL, &errs);
    cli_load_print_errors(path, &errs);
    if (rc != BB_OK) {
        fprintf(stderr, "backbench: %s: the API design does not pass its checks (%zu errors)\n", path,
                schema_errors_total(&errs));
        ast_api_free(*out);
        *out = NULL;
    }
out:
    schema_errors_free(&errs);
    json_decref(doc);
    return rc;
}
