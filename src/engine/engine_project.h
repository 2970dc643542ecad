/*
 * engine_project.h — a reference project ready to run: its gold DB and API
 * designs, an implementation file, and an engine with every implementation
 * installed. Used by `backbench serve`, the tests and (later) the impl phase's
 * acceptance runs.
 *
 * Project files are read from the embedded data (projects/NAME/gold/ files,
 * compiled into the binary) or, when not embedded, from the working
 * directory. The implementation file defaults to projects/NAME/gold/impl.json;
 * a file whose name ends in .txt is read in the text form (ast_impl_text.h);
 * it is loaded (ast_impl_set_load) and every operation checked
 * (ast_impl_check) against the designs: any error (or an endpoint implemented
 * twice) refuses the project, with the located errors in `errs`.
 */
#ifndef BB_ENGINE_PROJECT_H
#define BB_ENGINE_PROJECT_H

#include "ast/ast_api.h"
#include "ast/ast_db.h"
#include "ast/ast_impl.h"
#include "engine/engine.h"
#include "schema/schema_error.h"
#include "util/buf.h"
#include "util/result.h"

#define ENG_PROJECT_FILE_MAX ((size_t)32 * 1024 * 1024) /* bytes of one project file */

typedef struct eng_project {
    ast_db *db;
    ast_api_doc *api;
    ast_impl_set impls;
    eng_engine *engine;
} eng_project;

/* impl_path NULL: the gold implementation. errmsg gets a one-line reason,
 * errs (may be NULL) the located errors. Free with eng_project_close. */
bb_result eng_project_open(const char *name, const char *impl_path, const eng_params *params,
                           eng_project **out /* OUT */, bb_buf *errmsg, schema_errors *errs);
void eng_project_close(eng_project *p);

/* Reads an embedded file, else the file on disk; *out is a jansson document
 * (caller decrefs). */
bb_result eng_project_read_json(const char *path, json_t **out /* OUT */, bb_buf *errmsg);

#endif
