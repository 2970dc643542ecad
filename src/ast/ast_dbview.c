/*
 * ast_dbview.c — answers the API checks' table/column questions from a DB AST.
 */
#include "ast_dbview.h"

#include <string.h>

const ast_db_model *ast_dbview_model(const ast_db *db, const char *table)
{
    size_t i;

    if (!db || !table)
        return NULL;
    for (i = 0; i < db->n_models; i++) {
        if (strcmp(db->models[i]->name, table) == 0)
            return db->models[i];
    }
    return NULL;
}

int ast_dbview_model_has_column(const ast_db_model *m, const char *column)
{
    size_t i;

    if (!m || !column)
        return 0;
    if (m->primary.name && strcmp(m->primary.name, column) == 0)
        return 1;
    for (i = 0; i < m->n_foreigns; i++) {
        if (strcmp(m->foreigns[i].name, column) == 0)
            return 1;
    }
    for (i = 0; i < m->n_plains; i++) {
        if (strcmp(m->plains[i].name, column) == 0)
            return 1;
    }
    return 0;
}

static int ast_dbview_has_table(void *ctx, const char *table)
{
    return ast_dbview_model(ctx, table) != NULL;
}

static int ast_dbview_has_column(void *ctx, const char *table, const char *column)
{
    return ast_dbview_model_has_column(ast_dbview_model(ctx, table), column);
}

ast_api_db_view ast_dbview(const ast_db *db)
{
    ast_api_db_view v;

    v.has_table = ast_dbview_has_table;
    v.has_column = ast_dbview_has_column;
    v.ctx = (void *)db;
    return v;
}
