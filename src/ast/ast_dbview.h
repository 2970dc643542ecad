/*
 * ast_dbview.h — a DB AST seen through the API checks' database view.
 *
 * The API checks (ast_api_check) ask "does this table exist?" and "does this
 * table have this column?" through the ast_api_db_view callbacks, so they do
 * not depend on the DB AST's types. This adapter answers those questions from
 * a loaded ast_db. The view borrows db: keep db alive while the view is used.
 */
#ifndef BB_AST_DBVIEW_H
#define BB_AST_DBVIEW_H

#include "ast/ast_api_check.h"
#include "ast/ast_db.h"

/* The view of db (db may be NULL: then every table is unknown). */
ast_api_db_view ast_dbview(const ast_db *db);

/* The model named `table`, or NULL. */
const ast_db_model *ast_dbview_model(const ast_db *db, const char *table);

/* 1 when the model has a column (primary, foreign or plain) named `column`. */
int ast_dbview_model_has_column(const ast_db_model *m, const char *column);

#endif
