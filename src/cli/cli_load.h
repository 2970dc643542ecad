/*
 * cli_load.h — loading AST files for the command line, with messages.
 *
 * Shared by the subcommands that read a design from a file: the file is read
 * with a cap, parsed leniently (as a model's answer would be), and loaded and
 * checked; problems are printed to standard error as located errors.
 */
#ifndef BB_CLI_LOAD_H
#define BB_CLI_LOAD_H

#include <jansson.h>

#include "ast/ast_api.h"
#include "ast/ast_db.h"
#include "util/result.h"

#define CLI_LOAD_MAX_INPUT ((size_t)64 * 1024 * 1024)

/* Reads and parses a JSON file (lenient parse; repairs are not reported).
 * *out: a new reference. Messages go to stderr. */
bb_result cli_load_json(const char *path, json_t **out /* OUT */);

/* Loads and checks a DB design; BB_OK only when it passes every check. */
bb_result cli_load_db(const char *path, ast_db **out /* OUT */);

/* Loads an API design and checks it (against db when not NULL); BB_OK only
 * when it passes every check. */
bb_result cli_load_api(const char *path, const ast_db *db, ast_api_doc **out /* OUT */);

#endif
