/*
 * engine_project.c — loads a project's designs and implementations and opens
 * an engine over them (see engine_project.h).
 */
#include "engine/engine_project.h"

#include <stdio.h>
#include <string.h>

#include "ast/ast_db_check.h"
#include "ast/ast_impl_check.h"
#include "ast/ast_impl_text.h"
#include "util/alloc.h"
#include "util/file.h"

bb_result eng_project_read_json(const char *path, json_t **out, bb_buf *errmsg)
{
    char *data = NULL;
    size_t len = 0;
    json_error_t jerr;
    bb_result rc;

    *out = NULL;
    rc = bb_data_read(path, ENG_PROJECT_FILE_MAX, &data, &len);
    if (rc != BB_OK) {
        if (errmsg)
            (void)bb_buf_printf(errmsg, "%s: %s", path, bb_strerror(rc));
        return rc;
    }
    *out = json_loadb(data, len, 0, &jerr);
    bb_free(data);
    if (!*out) {
        if (errmsg)
            (void)bb_buf_printf(errmsg, "%s:%d: %s", path, jerr.line, jerr.text);
        return BB_ERR_PARSE;
    }
    return BB_OK;
}

/* An implementation in the text form (ast_impl_text.h), as its JSON array. */
static bb_result eng_project_read_text(const char *path, json_t **out, bb_buf *errmsg)
{
    char *data = NULL;
    size_t len = 0;
    bb_buf err;
    bb_result rc;

    *out = NULL;
    rc = bb_file_read(path, AST_IMPL_TEXT_MAX, &data, &len);
    if (rc != BB_OK) {
        if (errmsg)
            (void)bb_buf_printf(errmsg, "%s: %s", path, bb_strerror(rc));
        return rc;
    }
    bb_buf_init(&err, 1024);
    rc = ast_impl_text_parse(data, len, out, &err);
    if (rc != BB_OK && errmsg)
        (void)bb_buf_printf(errmsg, "%s: %s", path, err.len ? bb_buf_str(&err) : bb_strerror(rc));
    bb_buf_free(&err);
    bb_free(data);
    return rc;
}

void eng_project_close(eng_project *p)
{
    if (!p)
        return;
    eng_close(p->engine);
    ast_impl_set_free(&p->impls);
    ast_api_free(p->api);
    ast_db_free(p->db);
    bb_free(p);
}

bb_result eng_project_open(const char *name, const char *impl_path, const eng_params *params, eng_project **out,
                           bb_buf *errmsg, schema_errors *errs)
{
    eng_project *p = NULL;
    json_t *j = NULL;
    char path[512];
    schema_errors local;
    schema_errors *e = errs ? errs : &local;
    bb_result rc;
    size_t i;

    *out = NULL;
    schema_errors_init(&local, 50);
    for (i = 0; name[i]; i++) {
        if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') || name[i] == '_' ||
              name[i] == '-') || i > 64) {
            if (errmsg)
                (void)bb_buf_printf(errmsg, "bad project name");
            rc = BB_ERR_USAGE;
            goto out;
        }
    }
    p = bb_calloc(1, sizeof *p);
    if (!p) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    snprintf(path, sizeof path, "projects/%s/gold/db.json", name);
    rc = eng_project_read_json(path, &j, errmsg);
    if (rc != BB_OK)
        goto out;
    rc = ast_db_load(j, NULL, &p->db, e, NULL);
    if (rc == BB_OK)
        rc = ast_db_check(p->db, e);
    json_decref(j);
    j = NULL;
    if (rc != BB_OK) {
        if (errmsg)
            (void)bb_buf_printf(errmsg, "%s does not load or check: %s", path, bb_strerror(rc));
        goto out;
    }
    snprintf(path, sizeof path, "projects/%s/gold/api.json", name);
    rc = eng_project_read_json(path, &j, errmsg);
    if (rc != BB_OK)
        goto out;
    rc = ast_api_load(j, &p->api, e, NULL);
    json_decref(j);
    j = NULL;
    if (rc != BB_OK) {
        if (errmsg)
            (void)bb_buf_printf(errmsg, "%s does not load: %s", path, bb_strerror(rc));
        goto out;
    }
    if (!impl_path) {
        snprintf(path, sizeof path, "projects/%s/gold/impl.json", name);
        impl_path = path;
    }
    if (strlen(impl_path) > 4 && strcmp(impl_path + strlen(impl_path) - 4, ".txt") == 0)
        rc = eng_project_read_text(impl_path, &j, errmsg);
    else
        rc = eng_project_read_json(impl_path, &j, errmsg);
    if (rc != BB_OK)
        goto out;
    rc = ast_impl_set_load(j, &p->impls, e);
    json_decref(j);
    j = NULL;
    if (rc != BB_OK) {
        if (errmsg)
            (void)bb_buf_printf(errmsg, "%s does not load: %s", impl_path, bb_strerror(rc));
        goto out;
    }
    for (i = 0; i < p->impls.n; i++) {
        bb_result crc = ast_impl_check(p->impls.ops[i], p->db, p->api, e);

        if (crc != BB_OK && rc == BB_OK)
            rc = crc;
    }
    if (rc != BB_OK) {
        if (errmsg)
            (void)bb_buf_printf(errmsg, "%s fails its checks", impl_path);
        goto out;
    }
    rc = eng_open(p->db, p->api, params, &p->engine, errmsg);
    if (rc != BB_OK)
        goto out;
    for (i = 0; i < p->impls.n; i++) {
        size_t k;

        for (k = 0; k < i; k++) {
            if (p->impls.ops[k]->method == p->impls.ops[i]->method &&
                strcmp(p->impls.ops[k]->path, p->impls.ops[i]->path) == 0) {
                if (errmsg)
                    (void)bb_buf_printf(errmsg, "%s: %s %s is implemented twice (entries %zu and %zu)", impl_path,
                                        ast_impl_method_name(p->impls.ops[i]->method), p->impls.ops[i]->path, k, i);
                rc = BB_ERR_INVALID;
                goto out;
            }
        }
        rc = eng_set_impl(p->engine, p->impls.ops[i]);
        if (rc != BB_OK) {
            if (errmsg)
                (void)bb_buf_printf(errmsg, "%s: %s %s is not an operation of the API", impl_path,
                                    ast_impl_method_name(p->impls.ops[i]->method), p->impls.ops[i]->path);
            goto out;
        }
    }
    *out = p;
    p = NULL;
out:
    json_decref(j);
    eng_project_close(p);
    schema_errors_free(&local);
    return rc;
}
