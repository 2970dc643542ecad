/*
 * test_ast_api.c — the API AST loader and checks, driven by data.
 *
 * tests/data/api/check_cases.json holds the cases: each one edits the base
 * design (y_todo.json) with JSON-pointer `set`/`delete` operations and lists
 * the exact errors (path + rule) the loader ("stage": "load") or the checks
 * (default) must report, optionally with the database view of y_todo.db.json
 * and the exact loader warnings. A value {"$repeat": [s, n]} is s repeated n
 * times (10,000-character names without a 10,000-character data file); the
 * text {repeat} in a pointer is replaced by the case's "repeat". The C tests
 * below cover what data cannot: the typed result of a load, nesting and count
 * limits, non-object roots and allocation failure at every step.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>

#include "ast/ast_api.h"
#include "ast/ast_api_check.h"
#include "emit/emit_openapi.h"
#include "json/json_util.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/file.h"

#define DATA_DIR "tests/data/api/"

static json_t *g_cases; /* check_cases.json */
static json_t *g_base;  /* y_todo.json */
static json_t *g_db;    /* y_todo.db.json */

static const struct {
    const char *id;
    const char *rule;
} rule_ids[] = {
    {"unique_endpoint", AST_API_RULE_UNIQUE_ENDPOINT},
    {"path_format", AST_API_RULE_PATH_FORMAT},
    {"path_param_declared", AST_API_RULE_PATH_PARAM_DECLARED},
    {"param_in_path", AST_API_RULE_PARAM_IN_PATH},
    {"param_unique", AST_API_RULE_PARAM_UNIQUE},
    {"param_name", AST_API_RULE_PARAM_NAME},
    {"param_scalar", AST_API_RULE_PARAM_SCALAR},
    {"op_name", AST_API_RULE_OP_NAME},
    {"op_name_unique", AST_API_RULE_OP_NAME_UNIQUE},
    {"type_exists", AST_API_RULE_TYPE_EXISTS},
    {"ref_exists", AST_API_RULE_REF_EXISTS},
    {"type_name", AST_API_RULE_TYPE_NAME},
    {"required_listed", AST_API_RULE_REQUIRED_LISTED},
    {"required_exists", AST_API_RULE_REQUIRED_EXISTS},
    {"required_unique", AST_API_RULE_REQUIRED_UNIQUE},
    {"no_inline_object", AST_API_RULE_NO_INLINE_OBJECT},
    {"property_name", AST_API_RULE_PROPERTY_NAME},
    {"actor_exists", AST_API_RULE_ACTOR_EXISTS},
    {"actor_name", AST_API_RULE_ACTOR_NAME},
    {"actor_unique", AST_API_RULE_ACTOR_UNIQUE},
    {"prerequisite", AST_API_RULE_PREREQUISITE},
    {"table_exists", AST_API_RULE_TABLE_EXISTS},
    {"column_exists", AST_API_RULE_COLUMN_EXISTS},
};

static const char *rule_text(const char *id)
{
    size_t i;

    for (i = 0; i < sizeof rule_ids / sizeof rule_ids[0]; i++) {
        if (strcmp(rule_ids[i].id, id) == 0)
            return rule_ids[i].rule;
    }
    fail_msg("unknown rule id %s in check_cases.json", id);
    return NULL;
}

/* ---- the database view over y_todo.db.json: {"table": ["column", ...]} ---- */

static int db_has_table(void *ctx, const char *table)
{
    return json_object_get((json_t *)ctx, table) != NULL;
}

static int db_has_column(void *ctx, const char *table, const char *column)
{
    json_t *cols = json_object_get((json_t *)ctx, table);
    size_t i;

    for (i = 0; i < json_array_size(cols); i++) {
        if (strcmp(json_string_value(json_array_get(cols, i)), column) == 0)
            return 1;
    }
    return 0;
}

/* ---- JSON pointer edits ------------------------------------------------------ */

static json_t *expand_value(json_t *v)
{
    json_t *rep = json_object_get(v, "$repeat");

    if (json_is_array(rep)) {
        const char *s = json_string_value(json_array_get(rep, 0));
        size_t n = (size_t)json_integer_value(json_array_get(rep, 1)), i;
        bb_buf b;
        json_t *out;

        bb_buf_init(&b, 1 << 20);
        for (i = 0; i < n; i++)
            assert_int_equal(bb_buf_puts(&b, s), BB_OK);
        out = json_stringn(bb_buf_str(&b), b.len);
        bb_buf_free(&b);
        return out;
    }
    return json_deep_copy(v);
}

/* Unescapes one pointer token (~1 -> /, ~0 -> ~) into tok. */
static void pointer_token(const char *p, size_t n, bb_buf *tok)
{
    size_t i;

    bb_buf_reset(tok);
    for (i = 0; i < n; i++) {
        char c = p[i];

        if (c == '~' && i + 1 < n) {
            c = p[i + 1] == '1' ? '/' : '~';
            i++;
        }
        assert_int_equal(bb_buf_putc(tok, c), BB_OK);
    }
}

/* Applies set (value != NULL, stolen) or delete (value == NULL) at ptr. */
static void pointer_apply(json_t *root, const char *ptr, json_t *value)
{
    json_t *cur = root;
    bb_buf tok;
    const char *p = ptr;

    bb_buf_init(&tok, 1 << 20);
    assert_true(*p == '/');
    for (;;) {
        const char *next = strchr(p + 1, '/');
        size_t n = next ? (size_t)(next - p - 1) : strlen(p + 1);

        pointer_token(p + 1, n, &tok);
        if (!next) {
            if (json_is_object(cur)) {
                if (value)
                    assert_int_equal(json_object_setn(cur, tok.data, tok.len, value), 0);
                else
                    assert_int_equal(json_object_del(cur, bb_buf_str(&tok)), 0);
            } else {
                assert_true(json_is_array(cur));
                if (value && strcmp(bb_buf_str(&tok), "-") == 0)
                    assert_int_equal(json_array_append(cur, value), 0);
                else if (value)
                    assert_int_equal(json_array_set(cur, strtoul(bb_buf_str(&tok), NULL, 10), value), 0);
                else
                    assert_int_equal(json_array_remove(cur, strtoul(bb_buf_str(&tok), NULL, 10)), 0);
            }
            break;
        }
        if (json_is_object(cur))
            cur = json_object_get(cur, bb_buf_str(&tok));
        else
            cur = json_array_get(cur, strtoul(bb_buf_str(&tok), NULL, 10));
        assert_non_null(cur);
        p = next;
    }
    json_decref(value);
    bb_buf_free(&tok);
}

static json_t *case_document(const json_t *c)
{
    json_t *doc = json_deep_copy(g_base);
    json_t *sets = json_object_get(c, "set"), *dels = json_object_get(c, "delete");
    json_t *rep = json_object_get(c, "repeat");
    size_t i;

    assert_non_null(doc);
    for (i = 0; i < json_array_size(dels); i++)
        pointer_apply(doc, json_string_value(json_array_get(dels, i)), NULL);
    for (i = 0; i < json_array_size(sets); i++) {
        json_t *op = json_array_get(sets, i);
        const char *ptr = json_string_value(json_array_get(op, 0));
        char *hole = strstr(ptr, "{repeat}");
        bb_buf p;

        bb_buf_init(&p, 1 << 20);
        if (hole && rep) {
            size_t k, n = (size_t)json_integer_value(json_array_get(rep, 1));

            assert_int_equal(bb_buf_append(&p, ptr, (size_t)(hole - ptr)), BB_OK);
            for (k = 0; k < n; k++)
                assert_int_equal(bb_buf_puts(&p, json_string_value(json_array_get(rep, 0))), BB_OK);
            assert_int_equal(bb_buf_puts(&p, hole + strlen("{repeat}")), BB_OK);
        } else {
            assert_int_equal(bb_buf_puts(&p, ptr), BB_OK);
        }
        pointer_apply(doc, bb_buf_str(&p), expand_value(json_array_get(op, 1)));
        bb_buf_free(&p);
    }
    return doc;
}

/* ---- matching errors ------------------------------------------------------------ */

static void print_errors(const char *what, const schema_errors *e)
{
    size_t i;

    for (i = 0; i < e->n; i++)
        print_message("#   %s %.160s [%s] %.100s: %.160s\n", what, e->items[i].path,
                      schema_error_kind_name(e->items[i].kind), e->items[i].expected,
                      e->items[i].message ? e->items[i].message : "");
}

/* by_kind: match the rule against the kind name (loader) or the expected text. */
static void expect_errors(const json_t *want, const schema_errors *got, int by_kind, const char *what)
{
    size_t i, j;
    char used[4096];

    assert_true(got->n < sizeof used);
    memset(used, 0, sizeof used);
    for (i = 0; i < json_array_size(want); i++) {
        const json_t *w = json_array_get(want, i);
        const char *path = json_string_value(json_object_get(w, "path"));
        const char *prefix = json_string_value(json_object_get(w, "path_prefix"));
        const char *rule = json_string_value(json_object_get(w, "rule"));
        const char *text = by_kind ? rule : rule_text(rule);
        int found = 0;

        for (j = 0; j < got->n && !found; j++) {
            const schema_error *e = &got->items[j];
            const char *have = by_kind ? schema_error_kind_name(e->kind) : e->expected;

            if (used[j] || strcmp(have, text) != 0)
                continue;
            if (path ? strcmp(e->path, path) == 0 : strncmp(e->path, prefix, strlen(prefix)) == 0) {
                used[j] = 1;
                found = 1;
            }
        }
        if (!found) {
            print_errors(what, got);
            fail_msg("%s: expected %s at %s", what, rule, path ? path : prefix);
        }
    }
    if (got->n != json_array_size(want)) {
        print_errors(what, got);
        fail_msg("%s: %zu reported, %zu expected", what, got->n, json_array_size(want));
    }
}

static void test_case(void **state)
{
    const json_t *c = *state;
    const char *stage = json_string_value(json_object_get(c, "stage"));
    int load_stage = stage && strcmp(stage, "load") == 0;
    json_t *doc_json = case_document(c);
    json_t *warnings = json_object_get(c, "warnings");
    schema_errors errs, warns;
    ast_api_doc *doc = NULL;
    ast_api_db_view view = {db_has_table, db_has_column, g_db};
    bb_result rc;
    bb_buf out;
    char *text;
    json_t *reparsed;

    schema_errors_init(&errs, 1000);
    schema_errors_init(&warns, 1000);
    /* through text and back, as a model's answer arrives (NUL bytes allowed) */
    text = json_dumps(doc_json, JSON_COMPACT);
    assert_non_null(text);
    json_decref(doc_json);
    doc_json = json_loads(text, JSON_ALLOW_NUL, NULL);
    bb_free(text);
    assert_non_null(doc_json);

    rc = ast_api_load(doc_json, &doc, &errs, &warns);
    if (load_stage) {
        assert_int_equal(rc, BB_ERR_INVALID);
        assert_null(doc);
        expect_errors(json_object_get(c, "errors"), &errs, 1, "load error");
    } else {
        if (rc != BB_OK)
            print_errors("load error", &errs);
        assert_int_equal(rc, BB_OK);
        rc = ast_api_check(doc, json_is_true(json_object_get(c, "db")) ? &view : NULL, &errs);
        expect_errors(json_object_get(c, "errors"), &errs, 0, "check error");
        assert_int_equal(rc, errs.n ? BB_ERR_INVALID : BB_OK);
        /* whatever the checks say, the emitter is total */
        bb_buf_init(&out, BB_BUF_MAX_DEFAULT);
        assert_int_equal(emit_openapi(doc, NULL, &out), BB_OK);
        reparsed = json_loads(bb_buf_str(&out), 0, NULL);
        assert_non_null(reparsed);
        json_decref(reparsed);
        bb_buf_free(&out);
    }
    if (warnings)
        expect_errors(warnings, &warns, 1, "warning");
    ast_api_free(doc);
    json_decref(doc_json);
    schema_errors_free(&errs);
    schema_errors_free(&warns);
}

/* ---- C tests ------------------------------------------------------------------- */

static ast_api_doc *load_ok(const json_t *root)
{
    schema_errors errs;
    ast_api_doc *doc = NULL;

    schema_errors_init(&errs, 100);
    if (ast_api_load(root, &doc, &errs, NULL) != BB_OK)
        print_errors("load error", &errs);
    assert_non_null(doc);
    schema_errors_free(&errs);
    return doc;
}

static void test_typed_result(void **state)
{
    ast_api_doc *doc = load_ok(g_base);
    const ast_api_dto *todo, *req, *tok, *page, *d;
    const ast_api_operation *at;

    (void)state;
    assert_int_equal(doc->n_operations, 7);
    assert_int_equal(doc->n_schemas, 11);
    assert_int_equal(doc->n_authorizations, 1);
    assert_string_equal(doc->authorizations[0].name, "user");
    assert_string_equal(doc->authorizations[0].kind, "member");
    assert_int_equal(doc->operations[0].authorization_type, AST_API_AUTH_JOIN);
    assert_int_equal(doc->operations[2].method, AST_API_METHOD_PATCH);
    assert_int_equal(doc->operations[6].method, AST_API_METHOD_DELETE);
    assert_null(doc->operations[6].request_body);
    assert_null(doc->operations[6].response_body);
    assert_null(doc->operations[1].summary);
    assert_string_equal(doc->operations[0].summary, "Join as a user");
    at = &doc->operations[4];
    assert_string_equal(at->path, "/todos/{todoId}");
    assert_string_equal(at->name, "at");
    assert_int_equal(at->n_parameters, 1);
    assert_int_equal(at->parameters[0].schema->kind, AST_API_DTO_STRING);
    assert_string_equal(at->parameters[0].schema->u.string.format, "uuid");
    assert_string_equal(at->response_body->type_name, "ITodo");
    assert_string_equal(at->authorization_actor, "user");
    assert_int_equal(at->n_prerequisites, 1);
    assert_int_equal(at->prerequisites[0].method, AST_API_METHOD_POST);

    todo = ast_api_find_schema(doc, "ITodo");
    assert_non_null(todo);
    assert_int_equal(todo->kind, AST_API_DTO_OBJECT);
    assert_string_equal(todo->u.object.database_schema, "todo_todos");
    assert_int_equal(todo->u.object.n_properties, 7);
    assert_int_equal(todo->u.object.n_required, 7);
    d = todo->u.object.properties[3].schema; /* priority */
    assert_string_equal(todo->u.object.properties[3].name, "priority");
    assert_int_equal(d->kind, AST_API_DTO_ONEOF);
    assert_int_equal(d->u.one_of.n_members, 3);
    assert_int_equal(d->u.one_of.members[2]->kind, AST_API_DTO_CONSTANT);
    assert_string_equal(d->u.one_of.members[2]->u.constant.s, "high");
    d = todo->u.object.properties[1].schema; /* title */
    assert_int_equal(d->u.string.min_length.value.i, 1);
    assert_int_equal(d->u.string.max_length.value.i, 200);
    assert_string_equal(d->description, "What to do.");
    d = todo->u.object.properties[6].schema; /* completed_at: nullable */
    assert_int_equal(d->u.one_of.members[1]->kind, AST_API_DTO_NULL);

    req = ast_api_find_schema(doc, "ITodo.IRequest");
    assert_int_equal(req->u.object.n_required, 0);
    assert_true(req->u.object.has_required);
    assert_null(req->u.object.database_schema);
    d = req->u.object.properties[1].schema; /* limit */
    assert_int_equal(d->kind, AST_API_DTO_INTEGER);
    assert_int_equal(d->default_value.kind, AST_API_LIT_INT);
    assert_int_equal(d->default_value.i, 20);
    assert_int_equal(d->u.number.maximum.value.i, 100);
    assert_false(d->u.number.exclusive_maximum.present);
    d = req->u.object.properties[4].schema; /* sort */
    assert_int_equal(d->kind, AST_API_DTO_ARRAY);
    assert_int_equal(d->u.array.unique_items, 1);
    assert_int_equal(d->u.array.items->kind, AST_API_DTO_STRING);

    tok = ast_api_find_schema(doc, "IAuthorizationToken");
    assert_int_equal(tok->u.object.additional, AST_API_ADDITIONAL_FALSE);
    page = ast_api_find_schema(doc, "IPageITodo.ISummary");
    assert_int_equal(page->u.object.properties[0].schema->kind, AST_API_DTO_REFERENCE);
    assert_string_equal(page->u.object.properties[0].schema->u.reference.name, "IPage.IPagination");
    assert_null(ast_api_find_schema(doc, "INope"));
    assert_null(ast_api_find_authorization(doc, "admin"));
    ast_api_free(doc);
    ast_api_free(NULL);
}

/* A root that is not an object, or holds nothing usable, is one located error. */
static void test_non_object_roots(void **state)
{
    static const char *const inputs[] = {
        "[]", "null", "\"x\"", "42", "true", "{}", "{\"operations\": [1, \"x\", null], \"components\": []}"};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        json_t *v = json_loads(inputs[i], JSON_DECODE_ANY, NULL);
        schema_errors errs;
        ast_api_doc *doc = (ast_api_doc *)&errs; /* must be reset to NULL */

        assert_non_null(v);
        schema_errors_init(&errs, 100);
        assert_int_equal(ast_api_load(v, &doc, &errs, NULL), BB_ERR_INVALID);
        assert_null(doc);
        assert_true(errs.n >= 1);
        assert_memory_equal(errs.items[0].path, "$input", 6);
        schema_errors_free(&errs);
        json_decref(v);
    }
}

/* Nests arrays `depth` deep under ITodo.properties.deep. */
static json_t *with_deep_schema(int depth)
{
    json_t *doc = json_deep_copy(g_base);
    json_t *s = json_pack("{s:s}", "type", "string");
    int i;

    for (i = 0; i < depth; i++)
        s = json_pack("{s:s, s:o}", "type", "array", "items", s);
    json_object_set_new(
        json_object_get(
            json_object_get(json_object_get(json_object_get(doc, "components"), "schemas"), "ITodo"),
            "properties"),
        "deep", s);
    return doc;
}

static void test_depth_limit(void **state)
{
    json_t *ok = with_deep_schema(AST_API_MAX_DTO_DEPTH - 2);
    json_t *bad = with_deep_schema(AST_API_MAX_DTO_DEPTH + 5);
    schema_errors errs;
    ast_api_doc *doc = NULL;

    (void)state;
    schema_errors_init(&errs, 100);
    assert_int_equal(ast_api_load(ok, &doc, &errs, NULL), BB_OK);
    ast_api_free(doc);
    assert_int_equal(ast_api_load(bad, &doc, &errs, NULL), BB_ERR_INVALID);
    assert_int_equal(errs.n, 1);
    assert_int_equal(errs.items[0].kind, SCHEMA_ERR_LIMIT);
    assert_non_null(
        strstr(errs.items[0].path, "$input.components.schemas.ITodo.properties.deep.items.items"));
    schema_errors_free(&errs);
    json_decref(ok);
    json_decref(bad);
}

static void test_count_limits(void **state)
{
    json_t *doc_json = json_deep_copy(g_base);
    json_t *ops = json_object_get(doc_json, "operations");
    json_t *params = json_array();
    schema_errors errs;
    ast_api_doc *doc = NULL;
    size_t i;

    (void)state;
    while (json_array_size(ops) <= AST_API_MAX_OPERATIONS)
        json_array_append(ops, json_array_get(ops, 0));
    for (i = 0; i <= AST_API_MAX_PARAMETERS; i++)
        json_array_append_new(params, json_pack("{s:s, s:s, s:{s:s}}", "name", "p", "description", "",
                                                "schema", "type", "string"));
    json_object_set_new(json_array_get(ops, 1), "parameters", params);
    schema_errors_init(&errs, 100);
    assert_int_equal(ast_api_load(doc_json, &doc, &errs, NULL), BB_ERR_INVALID);
    assert_int_equal(errs.n, 1);
    assert_string_equal(errs.items[0].path, "$input.operations");
    assert_int_equal(errs.items[0].kind, SCHEMA_ERR_LIMIT);
    json_array_remove(ops, AST_API_MAX_OPERATIONS); /* now at the limit: parameters count */
    schema_errors_clear(&errs);
    assert_int_equal(ast_api_load(doc_json, &doc, &errs, NULL), BB_ERR_INVALID);
    assert_int_equal(errs.n, 1);
    assert_string_equal(errs.items[0].path, "$input.operations[1].parameters");
    schema_errors_free(&errs);
    json_decref(doc_json);
}

/* Every allocation of load + check + emit may fail: NOMEM or success,
 * never a crash or a leak (the sanitizer build checks the leaks). */
static void test_allocation_failures(void **state)
{
    long k;
    int succeeded = 0;

    (void)state;
    for (k = 0; !succeeded && k < 100000; k++) {
        schema_errors errs;
        ast_api_doc *doc = NULL;
        bb_buf out;
        bb_result rc;

        schema_errors_init(&errs, 100);
        bb_buf_init(&out, BB_BUF_MAX_DEFAULT);
        bb_alloc_fail_after(k);
        rc = ast_api_load(g_base, &doc, &errs, NULL);
        if (rc == BB_OK)
            rc = ast_api_check(doc, NULL, &errs);
        if (rc == BB_OK)
            rc = emit_openapi(doc, NULL, &out);
        bb_alloc_fail_after(-1);
        assert_true(rc == BB_OK || rc == BB_ERR_NOMEM);
        if (rc == BB_OK) {
            assert_int_equal(errs.n, 0);
            assert_true(out.len > 100);
            succeeded = 1;
        }
        ast_api_free(doc);
        bb_buf_free(&out);
        schema_errors_free(&errs);
    }
    assert_true(succeeded);
    assert_true(k > 10); /* failures were really injected */
}

/* Follows a JSON pointer made of plain keys ("a/b/c") from v. */
static json_t *dig(json_t *v, const char *path)
{
    char key[128];
    const char *p = path;

    while (v && *p) {
        size_t n = strcspn(p, "/");

        assert_true(n < sizeof key);
        memcpy(key, p, n);
        key[n] = '\0';
        v = json_object_get(v, key);
        p += n + (p[n] == '/');
    }
    return v;
}

/* The embedded schema and the C types agree: the ten DTO members in
 * ast_api_dto_kind order, and every limit the schema states is the loader's. */
static void test_schema_matches_c(void **state)
{
    const bb_embedded_file *f = bb_embed_find("schemas/api.schema.json");
    static const struct {
        const char *path;
        const char *key;
        long long value;
    } limits[] = {
        {"properties/operations", "maxItems", AST_API_MAX_OPERATIONS},
        {"$defs/Operation/properties/parameters", "maxItems", AST_API_MAX_PARAMETERS},
        {"$defs/Operation/properties/prerequisites", "maxItems", AST_API_MAX_PREREQUISITES},
        {"$defs/Operation/properties/path", "maxLength", AST_API_MAX_PATH_LEN},
        {"$defs/Operation/properties/name", "maxLength", AST_API_MAX_NAME_LEN},
        {"$defs/Operation/properties/specification", "maxLength", AST_API_MAX_TEXT_LEN},
        {"$defs/Parameter/properties/name", "maxLength", AST_API_MAX_NAME_LEN},
        {"$defs/Body/properties/typeName", "maxLength", AST_API_MAX_NAME_LEN},
        {"$defs/Components/properties/schemas", "maxProperties", AST_API_MAX_SCHEMAS},
        {"$defs/Components/properties/authorizations", "maxItems", AST_API_MAX_AUTHORIZATIONS},
        {"$defs/Authorization/properties/name", "maxLength", AST_API_MAX_NAME_LEN},
        {"$defs/DtoObject/properties/properties", "maxProperties", AST_API_MAX_PROPERTIES},
        {"$defs/DtoOneOf/properties/oneOf", "maxItems", AST_API_MAX_UNION},
    };
    json_t *schema, *members;
    size_t i;

    (void)state;
    assert_non_null(f);
    schema = json_loadb((const char *)f->data, f->len, 0, NULL);
    assert_non_null(schema);
    members = dig(schema, "$defs/Dto/oneOf");
    assert_int_equal(json_array_size(members), AST_API_DTO_KIND_COUNT_);
    for (i = 0; i < AST_API_DTO_KIND_COUNT_; i++) {
        const char *ref = json_string_value(json_object_get(json_array_get(members, i), "$ref"));
        const char *title;
        json_t *def;

        assert_non_null(ref);
        assert_memory_equal(ref, "#/$defs/", 8);
        def = json_object_get(json_object_get(schema, "$defs"), ref + 8);
        assert_non_null(def);
        title = json_string_value(json_object_get(def, "title"));
        assert_non_null(title);
        assert_true(strcasecmp(title, ast_api_dto_kind_name((ast_api_dto_kind)i)) == 0);
    }
    for (i = 0; i < sizeof limits / sizeof limits[0]; i++) {
        json_t *v = json_object_get(dig(schema, limits[i].path), limits[i].key);

        if (!json_is_integer(v) || json_integer_value(v) != limits[i].value)
            fail_msg("%s.%s is not %lld", limits[i].path, limits[i].key, limits[i].value);
    }
    json_decref(schema);
}

static json_t *read_data(const char *name)
{
    char path[512];
    json_error_t err;
    json_t *v;

    snprintf(path, sizeof path, "%s/" DATA_DIR "%s", getenv("BB_ROOT") ? getenv("BB_ROOT") : ".", name);
    v = json_load_file(path, JSON_ALLOW_NUL, &err);
    if (!v)
        fprintf(stderr, "%s: %s (line %d)\n", path, err.text, err.line);
    return v;
}

int main(void)
{
    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test(test_typed_result),        cmocka_unit_test(test_non_object_roots),
        cmocka_unit_test(test_depth_limit),         cmocka_unit_test(test_count_limits),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_schema_matches_c),
    };
    struct CMUnitTest *tests;
    json_t *cases;
    size_t i, n, nf = sizeof fixed / sizeof fixed[0];
    int failed;

    bb_json_init();
    g_cases = read_data("check_cases.json");
    g_base = read_data("y_todo.json");
    g_db = read_data("y_todo.db.json");
    if (!g_cases || !g_base || !g_db) {
        printf("not ok 1 - test data under " DATA_DIR " is missing (run from the repository root)\n");
        return 1;
    }
    cases = json_object_get(g_cases, "cases");
    n = json_array_size(cases);
    tests = calloc(n + nf, sizeof *tests);
    if (!tests)
        return 1;
    for (i = 0; i < nf; i++)
        tests[i] = fixed[i];
    for (i = 0; i < n; i++) {
        tests[nf + i].name = json_string_value(json_object_get(json_array_get(cases, i), "name"));
        tests[nf + i].test_func = test_case;
        tests[nf + i].initial_state = json_array_get(cases, i);
    }
    failed = _cmocka_run_group_tests("ast_api", tests, n + nf, NULL, NULL);
    free(tests);
    json_decref(g_cases);
    json_decref(g_base);
    json_decref(g_db);
    return failed;
}
