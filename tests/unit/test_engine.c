/*
 * test_engine.c — the engine: interpreter, database operations, request
 * pipeline (routing, authorization, DTO validation), budgets and the todo
 * gold implementation end to end, in process.
 *
 * tests/data/impl/engine/cases.json is data: each case is one
 * implementation of POST /eval (a test API, tests/data/impl/engine/api.json,
 * over the todo gold database), a request, and the expected status with the
 * exact response body or a substring of it, and for database cases the exact
 * text of the last SQL statement (names quoted, every value a ?); cases run on a fresh engine
 * unless they say "keep" (to observe what the previous one left behind).
 * The C tests below cover what is not one request: tokens across requests,
 * the clock, 401/403, 400 on parameters and bodies, response DTO mismatches,
 * identifiers refused before any SQL, allocation failures, and a whole user
 * story on the todo gold implementation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast/ast_api.h"
#include "ast/ast_db.h"
#include "ast/ast_db_check.h"
#include "ast/ast_impl.h"
#include "engine/engine.h"
#include "engine/engine_internal.h" /* the connection, to read a pragma */
#include "engine/engine_auth.h"
#include "engine/engine_dto.h"
#include "engine/engine_project.h"
#include "engine/engine_value.h"
#include "json/json_util.h"
#include "util/alloc.h"
#include "util/file.h"

static ast_db *g_db;
static ast_api_doc *g_api;

static const char *root_dir(void)
{
    const char *r = getenv("BB_ROOT");

    return r && *r ? r : ".";
}

static json_t *file_json(const char *rel)
{
    char path[1024];
    json_error_t je;
    json_t *doc;

    snprintf(path, sizeof path, "%s/%s", root_dir(), rel);
    doc = json_load_file(path, 0, &je);
    if (!doc)
        fail_msg("%s:%d: %s", path, je.line, je.text);
    return doc;
}

static int setup(void **state)
{
    json_t *j;
    schema_errors errs;
    const bb_embedded_file *f = bb_embed_find("projects/todo/gold/db.json");

    (void)state;
    bb_json_init();
    schema_errors_init(&errs, SCHEMA_ERRORS_MAX_DEFAULT);
    if (!f)
        return -1;
    j = json_loadb((const char *)f->data, f->len, 0, NULL);
    if (ast_db_load(j, NULL, &g_db, &errs, NULL) != BB_OK || ast_db_check(g_db, &errs) != BB_OK)
        return -1;
    json_decref(j);
    j = file_json("tests/data/impl/engine/api.json");
    if (ast_api_load(j, &g_api, &errs, NULL) != BB_OK)
        return -1;
    json_decref(j);
    schema_errors_free(&errs);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ast_db_free(g_db);
    ast_api_free(g_api);
    return 0;
}

static eng_engine *open_engine(const eng_params *p)
{
    eng_engine *e = NULL;

    assert_int_equal(eng_open(g_db, g_api, p, &e, NULL), BB_OK);
    return e;
}

static ast_impl_op *load_op(const char *text)
{
    json_t *j = json_loads(text, 0, NULL);
    ast_impl_op *op = NULL;
    schema_errors errs;

    assert_non_null(j);
    schema_errors_init(&errs, SCHEMA_ERRORS_MAX_DEFAULT);
    assert_int_equal(ast_impl_load(j, "$input", &op, &errs), BB_OK);
    schema_errors_free(&errs);
    json_decref(j);
    return op;
}

/* One request; returns the status; body in resp (caller frees). */
static int request(eng_engine *e, const char *method, const char *path, const char *body, const char *token,
                   eng_response *resp)
{
    eng_request req;
    char auth[1024];

    memset(&req, 0, sizeof req);
    req.method = method;
    req.path = path;
    req.body = body;
    req.body_len = body ? strlen(body) : 0;
    if (token) {
        snprintf(auth, sizeof auth, "Bearer %s", token);
        req.authorization = auth;
    }
    eng_response_init(resp);
    assert_int_equal(eng_handle(e, &req, resp), BB_OK);
    return resp->status;
}

static void test_cases(void **state)
{
    json_t *cases = file_json("tests/data/impl/engine/cases.json");
    size_t i;
    int bad = 0;
    eng_engine *e = NULL;
    ast_impl_op *ops[256] = {0};

    (void)state;
    assert_true(json_array_size(cases) > 60 && json_array_size(cases) < 256);
    for (i = 0; i < json_array_size(cases); i++) {
        const json_t *c = json_array_get(cases, i);
        const char *name = json_string_value(json_object_get(c, "name"));
        const json_t *rq = json_object_get(c, "request");
        const json_t *want = json_object_get(c, "body");
        const char *contains = json_string_value(json_object_get(c, "contains"));
        eng_params p = eng_default_params();
        char *impl_text = json_dumps(json_object_get(c, "impl"), 0);
        char *body_text = json_dumps(json_object_get(rq, "body"), JSON_ENCODE_ANY);
        eng_response resp;
        int status, ok = 1;

        if (json_object_get(c, "max_steps"))
            p.max_steps = (size_t)json_integer_value(json_object_get(c, "max_steps"));
        if (json_object_get(c, "max_arena"))
            p.max_arena = (size_t)json_integer_value(json_object_get(c, "max_arena"));
        if (!json_is_true(json_object_get(c, "keep"))) {
            eng_close(e);
            e = open_engine(&p);
        }
        ops[i] = load_op(impl_text);
        assert_int_equal(eng_set_impl(e, ops[i]), BB_OK);
        status = request(e, json_string_value(json_object_get(rq, "method")), json_string_value(json_object_get(rq, "path")),
                         body_text, NULL, &resp);
        if (status != json_integer_value(json_object_get(c, "status")))
            ok = 0;
        if (json_is_true(json_object_get(c, "engine_error")) != (resp.engine_error != 0))
            ok = 0;
        if (contains && !strstr(bb_buf_str(&resp.body), contains))
            ok = 0;
        if (json_object_get(c, "sql") && strcmp(eng_last_sql(e), json_string_value(json_object_get(c, "sql"))) != 0) {
            print_message("#   sql %s\n", eng_last_sql(e));
            ok = 0;
        }
        if (want) {
            json_t *got = json_loads(bb_buf_str(&resp.body), JSON_DECODE_ANY, NULL);

            if (!got || !bb_json_equal(got, want))
                ok = 0;
            json_decref(got);
        }
        if (!ok) {
            print_message("# case %s: status %d, engine_error %d, body %s\n", name, status, resp.engine_error,
                          bb_buf_str(&resp.body));
            bad++;
        }
        eng_response_free(&resp);
        free(impl_text);
        free(body_text);
    }
    print_message("# %zu engine cases\n", json_array_size(cases));
    eng_close(e);
    for (i = 0; i < 256; i++)
        ast_impl_free(ops[i]);
    json_decref(cases);
    assert_int_equal(bad, 0);
}

#define ME_IMPL                                                                                                       \
    "{\"endpoint\": {\"path\": \"/me\", \"method\": \"get\"}, \"plan\": \"\", \"statements\": ["                     \
    "{\"type\": \"return\", \"status\": 200, \"body\": {\"type\": \"principal\"}}]}"
#define JOIN_IMPL(path)                                                                                               \
    "{\"endpoint\": {\"path\": \"" path "\", \"method\": \"post\"}, \"plan\": \"\", \"statements\": ["               \
    "{\"type\": \"return\", \"status\": 201, \"body\": {\"type\": \"call\", \"function\": \"issueToken\", "            \
    "\"arguments\": [{\"type\": \"propertyAccess\", \"object\": {\"type\": \"body\"}, \"name\": \"id\"}]}}]}"
#define REFRESH_IMPL                                                                                                  \
    "{\"endpoint\": {\"path\": \"/user/refresh\", \"method\": \"post\"}, \"plan\": \"\", \"statements\": ["          \
    "{\"type\": \"const\", \"name\": \"c\", \"value\": {\"type\": \"call\", \"function\": \"verifyRefreshToken\", "   \
    "\"arguments\": [{\"type\": \"propertyAccess\", \"object\": {\"type\": \"body\"}, \"name\": \"t\"}]}},"          \
    "{\"type\": \"if\", \"condition\": {\"type\": \"binary\", \"operator\": \"==\", \"left\": {\"type\": "          \
    "\"identifier\", \"name\": \"c\"}, \"right\": {\"type\": \"nullLiteral\"}}, \"then\": [{\"type\": \"throw\", "   \
    "\"status\": 401, \"message\": {\"type\": \"stringLiteral\", \"value\": \"bad\"}}]},"                           \
    "{\"type\": \"return\", \"status\": 200, \"body\": {\"type\": \"identifier\", \"name\": \"c\"}}]}"

/* The "name" string of a JSON body. */
static char *json_field(const eng_response *r, const char *name)
{
    json_t *j = json_loads(bb_buf_str(&r->body), 0, NULL);
    const char *s = json_string_value(json_object_get(j, name));
    char *out = s ? bb_strdup(s) : NULL;

    json_decref(j);
    return out;
}

static void test_auth(void **state)
{
    eng_engine *e = open_engine(NULL);
    ast_impl_op *me = load_op(ME_IMPL), *uj = load_op(JOIN_IMPL("/user/join")), *aj = load_op(JOIN_IMPL("/admin/join"));
    ast_impl_op *rf = load_op(REFRESH_IMPL);
    eng_response r;
    char *user_access, *user_refresh, *admin_access, forged[600], body[700];

    (void)state;
    assert_int_equal(eng_set_impl(e, me), BB_OK);
    assert_int_equal(eng_set_impl(e, uj), BB_OK);
    assert_int_equal(eng_set_impl(e, aj), BB_OK);
    assert_int_equal(eng_set_impl(e, rf), BB_OK);
    assert_int_equal(request(e, "POST", "/user/join", "{\"id\": \"u-1\"}", NULL, &r), 201);
    user_access = json_field(&r, "access");
    user_refresh = json_field(&r, "refresh");
    assert_non_null(strstr(bb_buf_str(&r.body), "\"expired_at\":\"2026-01-01T01:00:01.000Z\""));
    eng_response_free(&r);
    assert_int_equal(request(e, "POST", "/admin/join", "{\"id\": \"a-1\"}", NULL, &r), 201);
    admin_access = json_field(&r, "access");
    eng_response_free(&r);
    assert_non_null(user_access);
    assert_non_null(admin_access);

    assert_int_equal(request(e, "GET", "/me", NULL, NULL, &r), 401);
    eng_response_free(&r);
    assert_int_equal(request(e, "GET", "/me", NULL, user_access, &r), 200);
    assert_string_equal(bb_buf_str(&r.body), "{\"id\":\"u-1\",\"actor\":\"user\"}");
    eng_response_free(&r);
    assert_int_equal(request(e, "GET", "/me", NULL, admin_access, &r), 403);
    eng_response_free(&r);
    assert_int_equal(request(e, "GET", "/me", NULL, user_refresh, &r), 401); /* a refresh token is no access token */
    eng_response_free(&r);
    snprintf(forged, sizeof forged, "%s", user_access); /* change the id, keep the mac */
    forged[strlen("bb1.access.user.")] = 'x';
    assert_int_equal(request(e, "GET", "/me", NULL, forged, &r), 401);
    eng_response_free(&r);
    assert_int_equal(request(e, "GET", "/me", NULL, "garbage", &r), 401);
    eng_response_free(&r);

    /* refresh: a valid refresh token gives the claim; an access token does not */
    snprintf(body, sizeof body, "{\"t\": \"%s\"}", user_refresh);
    assert_int_equal(request(e, "POST", "/user/refresh", body, NULL, &r), 200);
    assert_string_equal(bb_buf_str(&r.body), "{\"id\":\"u-1\",\"actor\":\"user\"}");
    eng_response_free(&r);
    snprintf(body, sizeof body, "{\"t\": \"%s\"}", user_access);
    assert_int_equal(request(e, "POST", "/user/refresh", body, NULL, &r), 401);
    eng_response_free(&r);

    /* one hour later the access token has expired; the refresh token still works for 14 days */
    eng_clock_advance(e, ENG_ACCESS_TTL_MS);
    assert_int_equal(request(e, "GET", "/me", NULL, user_access, &r), 401);
    assert_non_null(strstr(bb_buf_str(&r.body), "expired"));
    eng_response_free(&r);
    snprintf(body, sizeof body, "{\"t\": \"%s\"}", user_refresh);
    assert_int_equal(request(e, "POST", "/user/refresh", body, NULL, &r), 200);
    eng_response_free(&r);
    eng_clock_advance(e, ENG_REFRESH_TTL_MS);
    assert_int_equal(request(e, "POST", "/user/refresh", body, NULL, &r), 401);
    eng_response_free(&r);

    bb_free(user_access);
    bb_free(user_refresh);
    bb_free(admin_access);
    eng_close(e);
    ast_impl_free(me);
    ast_impl_free(uj);
    ast_impl_free(aj);
    ast_impl_free(rf);
}

#define TYPED_IMPL(body)                                                                                              \
    "{\"endpoint\": {\"path\": \"/typed/{n}\", \"method\": \"put\"}, \"plan\": \"\", \"statements\": ["              \
    "{\"type\": \"return\", \"status\": 200, \"body\": " body "}]}"

static void test_dto(void **state)
{
    eng_engine *e = open_engine(NULL);
    ast_impl_op *echo = load_op(TYPED_IMPL("{\"type\": \"body\"}"));
    ast_impl_op *wrong;
    eng_response r;
    static const struct {
        const char *path, *body;
        int status;
        const char *needle;
    } rows[] = {
        {"/typed/3", "{\"name\": \"ab\", \"n\": 3}", 200, "{\"name\":\"ab\",\"n\":3}"},
        {"/typed/3", "{\"name\": \"ab\", \"n\": 3, \"extra\": 1}", 200, "{\"name\":\"ab\",\"n\":3}"}, /* pruned */
        {"/typed/3", "{\"n\": 3}", 400, "\"path\":\"$input.body.name\",\"kind\":\"required\""},
        {"/typed/3", "{\"name\": \"\", \"n\": 3}", 400, "MinLength<1>"},
        {"/typed/3", "{\"name\": \"abcdef\", \"n\": 3}", 400, "MaxLength<5>"},
        {"/typed/3", "{\"name\": \"\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\", \"n\": 3}", 200, "\"n\":3"}, /* 5 code points */
        {"/typed/3", "{\"name\": \"ab\", \"n\": 3.5}", 400, "\"expected\":\"integer\""},
        {"/typed/3", "{\"name\": \"ab\", \"n\": 11}", 400, "Maximum<10>"},
        {"/typed/3", "{\"name\": \"ab\", \"n\": 1, \"kind\": \"c\"}", 400, "\\\"a\\\" | \\\"b\\\""},
        {"/typed/3", "{\"name\": \"ab\", \"n\": 1, \"kind\": \"b\", \"at\": null}", 200, "\"kind\":\"b\",\"at\":null"},
        {"/typed/3", "{\"name\": \"ab\", \"n\": 1, \"at\": \"2026-13-01T00:00:00Z\"}", 400, "date-time"},
        {"/typed/3", "[1]", 400, "\"expected\":\"object\""},
        {"/typed/3", "{\"name\": ", 400, "not valid JSON"},
        {"/typed/3", NULL, 400, "body is required"},
        {"/typed/0", "{\"name\": \"ab\", \"n\": 3}", 400, "\"path\":\"$input.path.n\""},
        {"/typed/x", "{\"name\": \"ab\", \"n\": 3}", 400, "\"path\":\"$input.path.n\""},
        {"/typed/3/", "{\"name\": \"ab\", \"n\": 3}", 200, "\"n\":3"},
        {"/typed", "{}", 404, "no such route"},
        {"/things/00000000-0000-4000-8000-000000000000", NULL, 501, "no implementation"},
        {"/things/not-a-uuid", NULL, 400, "Format<\\\"uuid\\\">"},
        {"/things/search", NULL, 501, "no implementation"}, /* the literal template wins over {id} (a 400 there) */
    };
    size_t i;

    (void)state;
    assert_int_equal(eng_set_impl(e, echo), BB_OK);
    for (i = 0; i < sizeof rows / sizeof *rows; i++) {
        const char *m = strncmp(rows[i].path, "/things", 7) == 0 ? "DELETE" : "PUT";
        int st = request(e, m, rows[i].path, rows[i].body, NULL, &r);

        if (st != rows[i].status || !strstr(bb_buf_str(&r.body), rows[i].needle))
            fail_msg("row %zu %s: status %d body %s", i, rows[i].path, st, bb_buf_str(&r.body));
        eng_response_free(&r);
    }
    assert_int_equal(request(e, "GET", "/typed/3", NULL, NULL, &r), 405);
    eng_response_free(&r);
    /* a response that breaks the response DTO is an engine failure, not a 200 */
    wrong = load_op(TYPED_IMPL("{\"type\": \"objectLiteral\", \"properties\": {\"name\": "
                               "{\"type\": \"numberLiteral\", \"value\": 1}}}"));
    assert_int_equal(eng_set_impl(e, wrong), BB_OK);
    assert_int_equal(request(e, "PUT", "/typed/3", "{\"name\": \"ab\", \"n\": 3}", NULL, &r), 500);
    assert_int_equal(r.engine_error, 1);
    assert_non_null(strstr(bb_buf_str(&r.body), "\"path\":\"$response.name\""));
    assert_non_null(strstr(bb_buf_str(&r.body), "\"path\":\"$response.n\",\"kind\":\"required\""));
    eng_response_free(&r);
    eng_close(e);
    ast_impl_free(echo);
    ast_impl_free(wrong);
}

/* Identifiers that are not in the DB AST never reach SQL: the statement
 * counter does not move. */
static void test_injection(void **state)
{
    static const char *const impls[] = {
        "{\"type\": \"findMany\", \"table\": \"todo_users\\\" WHERE 1=1; DROP TABLE todo_users; --\"}",
        "{\"type\": \"count\", \"table\": \"todo_users\", \"where\": {\"type\": \"compare\", \"column\": "
        "\"email\\\" OR 1=1 --\", \"op\": \"eq\", \"value\": {\"type\": \"stringLiteral\", \"value\": \"x\"}}}",
        "{\"type\": \"create\", \"table\": \"todo_users\", \"data\": {\"email) VALUES ('x'); --\": "
        "{\"type\": \"stringLiteral\", \"value\": \"x\"}}}",
        "{\"type\": \"findFirst\", \"table\": \"todo_users\", \"select\": [\"email\", \"sqlite_master.sql\"]}",
        "{\"type\": \"update\", \"table\": \"sqlite_master\", \"where\": {\"type\": \"and\", \"conditions\": []}, "
        "\"data\": {}}",
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof impls / sizeof *impls; i++) {
        eng_engine *e = open_engine(NULL);
        char text[2048];
        ast_impl_op *op;
        eng_response r;
        size_t before;

        snprintf(text, sizeof text,
                 "{\"endpoint\": {\"path\": \"/eval\", \"method\": \"post\"}, \"plan\": \"\", \"statements\": ["
                 "{\"type\": \"return\", \"status\": 200, \"body\": {\"type\": \"objectLiteral\", \"properties\": "
                 "{\"v\": %s}}}]}",
                 impls[i]);
        op = load_op(text);
        assert_int_equal(eng_set_impl(e, op), BB_OK);
        before = eng_sql_statements(e);
        assert_int_equal(request(e, "POST", "/eval", "{}", NULL, &r), 500);
        assert_int_equal(r.engine_error, 1);
        assert_true(strstr(bb_buf_str(&r.body), "unknown table") || strstr(bb_buf_str(&r.body), "unknown column"));
        assert_int_equal(eng_sql_statements(e), before);
        eng_response_free(&r);
        eng_close(e);
        ast_impl_free(op);
    }
}

static void test_values_and_time(void **state)
{
    static const struct {
        const char *in, *out;
    } times[] = {
        {"2026-01-01T00:00:00Z", "2026-01-01T00:00:00.000Z"},
        {"2026-03-01T01:30:00.5+02:00", "2026-02-28T23:30:00.500Z"},
        {"2024-02-29T23:59:59.999-00:30", "2024-03-01T00:29:59.999Z"},
        {"1969-12-31T23:59:59Z", "1969-12-31T23:59:59.000Z"},
    };
    static const char *const not_times[] = {"2026-02-29T00:00:00Z", "2026-01-01", "2026-01-01T24:00:00Z",
                                            "2026-01-01T00:00:00", "2026-01-01T00:00:00+0200", "x"};
    bb_arena *a = bb_arena_new(1 << 20);
    json_t *j = json_loads("{\"a\": [1, 2.5, \"x\", null, true], \"b\": {\"c\": -0}}", 0, NULL);
    eng_value *v;
    bb_buf out;
    size_t i;
    int64_t ms;
    char t[32];

    (void)state;
    for (i = 0; i < sizeof times / sizeof *times; i++) {
        assert_int_equal(eng_time_parse(times[i].in, strlen(times[i].in), &ms), 0);
        eng_time_format(ms, t);
        assert_string_equal(t, times[i].out);
    }
    for (i = 0; i < sizeof not_times / sizeof *not_times; i++)
        assert_int_equal(eng_time_parse(not_times[i], strlen(not_times[i]), &ms), -1);
    assert_int_equal(eng_value_from_json(a, j, 64, &v), BB_OK);
    bb_buf_init(&out, 4096);
    assert_int_equal(eng_value_to_json(v, &out), BB_OK);
    assert_string_equal(bb_buf_str(&out), "{\"a\":[1,2.5,\"x\",null,true],\"b\":{\"c\":0}}");
    assert_int_equal(eng_value_from_json(a, j, 2, &v), BB_ERR_LIMIT);
    assert_true(eng_dto_format_ok("email", "a@b.co", 6));
    assert_false(eng_dto_format_ok("email", "a@b", 3));
    assert_true(eng_dto_format_ok("uuid", "00000000-0000-4000-8000-000000000000", 36));
    assert_false(eng_dto_format_ok("uuid", "00000000-0000-4000-8000-00000000000g", 36));
    bb_buf_free(&out);
    json_decref(j);
    bb_arena_free(a);
}

/* The whole todo story on the gold implementation, in process. */
static void test_todo_story(void **state)
{
    eng_project *p = NULL;
    bb_buf msg;
    eng_response r;
    char *tok, *list, *item, path[256], body[512];

    (void)state;
    bb_buf_init(&msg, 4096);
    assert_int_equal(eng_project_open("todo", NULL, NULL, &p, &msg, NULL), BB_OK);
    assert_int_equal(request(p->engine, "POST", "/auth/user/join",
                             "{\"email\": \"a@b.io\", \"password\": \"12345678\", \"display_name\": \"A\"}", NULL, &r),
                     201);
    {
        json_t *j = json_loads(bb_buf_str(&r.body), 0, NULL);

        tok = bb_strdup(json_string_value(json_object_get(json_object_get(j, "token"), "access")));
        json_decref(j);
    }
    eng_response_free(&r);
    assert_int_equal(request(p->engine, "POST", "/user/lists", "{\"title\": \"Work\"}", tok, &r), 201);
    list = json_field(&r, "id");
    eng_response_free(&r);
    snprintf(path, sizeof path, "/user/lists/%s/items", list);
    assert_int_equal(request(p->engine, "POST", path, "{\"title\": \"Report\", \"priority\": \"high\"}", tok, &r), 201);
    item = json_field(&r, "id");
    eng_response_free(&r);
    assert_int_equal(request(p->engine, "PATCH", path, "{\"search\": \"REP\"}", tok, &r), 200);
    assert_non_null(strstr(bb_buf_str(&r.body), "\"records\":1"));
    eng_response_free(&r);
    snprintf(path, sizeof path, "/user/lists/%s/items/%s", list, item);
    assert_int_equal(request(p->engine, "PUT", path, "{\"completed\": true}", tok, &r), 200);
    assert_non_null(strstr(bb_buf_str(&r.body), "\"completed\":true"));
    eng_response_free(&r);
    assert_int_equal(request(p->engine, "PUT", path, "{\"completed\": false}", tok, &r), 200);
    assert_non_null(strstr(bb_buf_str(&r.body), "\"completed_at\":null"));
    eng_response_free(&r);
    snprintf(body, sizeof body, "{\"todo_list_id\": \"%s\"}", "00000000-0000-4000-8000-000000000000");
    assert_int_equal(request(p->engine, "PUT", path, body, tok, &r), 404); /* move to a missing list */
    eng_response_free(&r);
    assert_int_equal(request(p->engine, "DELETE", path, NULL, tok, &r), 204);
    assert_int_equal(r.body.len, 0);
    eng_response_free(&r);
    assert_int_equal(request(p->engine, "GET", path, NULL, tok, &r), 404);
    eng_response_free(&r);
    assert_int_equal(request(p->engine, "GET", path, NULL, NULL, &r), 401);
    eng_response_free(&r);
    assert_true(eng_last_steps(p->engine) == 0); /* refused before the implementation ran */
    bb_free(tok);
    bb_free(list);
    bb_free(item);
    bb_buf_free(&msg);
    eng_project_close(p);
}

/* Engines opened from one image start from the same empty schema, are
 * independent of each other, enforce foreign keys, and behave as an engine
 * that ran the DDL itself (the same answers to the same requests). */
static void test_image(void **state)
{
    eng_project *p = NULL;
    eng_image *img = NULL;
    eng_engine *a = NULL, *b = NULL, *c = NULL;
    eng_response r;
    bb_buf msg;
    size_t k;
    static const char join[] = "{\"email\": \"a@b.io\", \"password\": \"12345678\", \"display_name\": \"A\"}";

    (void)state;
    bb_buf_init(&msg, 4096);
    assert_int_equal(eng_project_open("todo", NULL, NULL, &p, &msg, NULL), BB_OK);
    assert_int_equal(eng_image_build(p->db, &img, &msg), BB_OK);
    assert_int_equal(eng_open_image(img, p->db, p->api, NULL, &a, &msg), BB_OK);
    assert_int_equal(eng_open_image(img, p->db, p->api, NULL, &b, &msg), BB_OK);
    assert_int_equal(eng_open(p->db, p->api, NULL, &c, &msg), BB_OK);
    for (k = 0; k < p->impls.n; k++) {
        assert_int_equal(eng_set_impl(a, p->impls.ops[k]), BB_OK);
        assert_int_equal(eng_set_impl(b, p->impls.ops[k]), BB_OK);
        assert_int_equal(eng_set_impl(c, p->impls.ops[k]), BB_OK);
    }
    /* the same join on a (image) and c (DDL) gives the same answer */
    assert_int_equal(request(a, "POST", "/auth/user/join", join, NULL, &r), 201);
    {
        eng_response r2;
        assert_int_equal(request(c, "POST", "/auth/user/join", join, NULL, &r2), 201);
        assert_string_equal(bb_buf_str(&r.body), bb_buf_str(&r2.body));
        eng_response_free(&r2);
    }
    eng_response_free(&r);
    /* b does not see a's user: a second join of the same email works there, not on a */
    assert_int_equal(request(b, "POST", "/auth/user/join", join, NULL, &r), 201);
    eng_response_free(&r);
    assert_int_equal(request(a, "POST", "/auth/user/join", join, NULL, &r), 409);
    eng_response_free(&r);
    /* foreign keys are on in an engine from an image */
    {
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(a->sql, "PRAGMA foreign_keys", -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), 1);
        sqlite3_finalize(st);
    }
    eng_close(a);
    eng_close(b);
    eng_close(c);
    eng_image_free(img);
    eng_image_free(NULL);
    eng_project_close(p);
    bb_buf_free(&msg);
}

/* eng_reset: an engine that served a story answers the next one exactly as
 * a freshly opened engine does (same ids, tokens and clock; no rows left),
 * and keeps its prepared statements. */
static void test_reset(void **state)
{
    eng_project *p = NULL;
    eng_engine *used = NULL, *fresh = NULL;
    eng_response r, r2;
    bb_buf msg;
    size_t k, cached;
    char *tok;
    static const char join[] = "{\"email\": \"a@b.io\", \"password\": \"12345678\", \"display_name\": \"A\"}";

    (void)state;
    bb_buf_init(&msg, 4096);
    assert_int_equal(eng_project_open("todo", NULL, NULL, &p, &msg, NULL), BB_OK);
    assert_int_equal(eng_open(p->db, p->api, NULL, &used, &msg), BB_OK);
    assert_int_equal(eng_open(p->db, p->api, NULL, &fresh, &msg), BB_OK);
    for (k = 0; k < p->impls.n; k++) {
        assert_int_equal(eng_set_impl(used, p->impls.ops[k]), BB_OK);
        assert_int_equal(eng_set_impl(fresh, p->impls.ops[k]), BB_OK);
    }
    /* a story on `used`: a user, a list and a task */
    assert_int_equal(request(used, "POST", "/auth/user/join", join, NULL, &r), 201);
    {
        json_t *j = json_loads(bb_buf_str(&r.body), 0, NULL);
        tok = bb_strdup(json_string_value(json_object_get(json_object_get(j, "token"), "access")));
        json_decref(j);
    }
    eng_response_free(&r);
    assert_int_equal(request(used, "POST", "/user/lists", "{\"title\": \"Work\"}", tok, &r), 201);
    eng_response_free(&r);
    cached = used->n_stmts;
    assert_true(cached > 0);
    assert_int_equal(eng_reset(used), BB_OK);
    /* no implementation after a reset */
    assert_int_equal(request(used, "POST", "/auth/user/join", join, NULL, &r), 501);
    eng_response_free(&r);
    assert_int_equal(eng_reset(used), BB_OK);
    for (k = 0; k < p->impls.n; k++)
        assert_int_equal(eng_set_impl(used, p->impls.ops[k]), BB_OK);
    assert_true(used->n_stmts >= cached); /* statements kept */
    assert_int_equal(eng_clock(used), eng_clock(fresh));
    /* the same join (the email is free again) gives byte-identical answers: ids, tokens, times */
    assert_int_equal(request(used, "POST", "/auth/user/join", join, NULL, &r), 201);
    assert_int_equal(request(fresh, "POST", "/auth/user/join", join, NULL, &r2), 201);
    assert_string_equal(bb_buf_str(&r.body), bb_buf_str(&r2.body));
    eng_response_free(&r2);
    {
        json_t *j = json_loads(bb_buf_str(&r.body), 0, NULL);
        bb_free(tok);
        tok = bb_strdup(json_string_value(json_object_get(json_object_get(j, "token"), "access")));
        json_decref(j);
    }
    eng_response_free(&r);
    assert_int_equal(request(used, "PATCH", "/user/lists", "{}", tok, &r), 200); /* the old list is gone */
    assert_non_null(strstr(bb_buf_str(&r.body), "\"records\":0"));
    eng_response_free(&r);
    bb_free(tok);
    eng_close(used);
    eng_close(fresh);
    eng_project_close(p);
    bb_buf_free(&msg);
}

/* The statement cache: the same text gives back the same statement once it
 * was returned, a busy one is never handed out twice, statements come back
 * reset and unbound, and more distinct texts than slots evict old ones. */
static void test_stmt_cache(void **state)
{
    eng_engine *e = open_engine(NULL);
    sqlite3_stmt *a = NULL, *b = NULL, *c = NULL;
    char sql[64];
    int i;

    (void)state;
    assert_int_equal(eng_stmt_get(e, "SELECT ?1 + 1", 13, &a), SQLITE_OK);
    assert_int_equal(sqlite3_bind_int(a, 1, 41), SQLITE_OK);
    assert_int_equal(sqlite3_step(a), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(a, 0), 42);
    /* busy: a second request for the same text gets another statement */
    assert_int_equal(eng_stmt_get(e, "SELECT ?1 + 1", 13, &b), SQLITE_OK);
    assert_ptr_not_equal(a, b);
    eng_stmt_put(e, b); /* uncached: finalised */
    eng_stmt_put(e, a);
    assert_int_equal(eng_stmt_get(e, "SELECT ?1 + 1", 13, &c), SQLITE_OK);
    assert_ptr_equal(a, c);
    assert_int_equal(sqlite3_step(c), SQLITE_ROW); /* reset and unbound: NULL + 1 */
    assert_int_equal(sqlite3_column_type(c, 0), SQLITE_NULL);
    eng_stmt_put(e, c);
    for (i = 0; i < ENG_STMT_CACHE + 50; i++) {
        sqlite3_stmt *s = NULL;
        int n = snprintf(sql, sizeof sql, "SELECT %d", i);
        assert_int_equal(eng_stmt_get(e, sql, (size_t)n, &s), SQLITE_OK);
        assert_int_equal(sqlite3_step(s), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(s, 0), i);
        eng_stmt_put(e, s);
    }
    assert_true(e->n_stmts <= ENG_STMT_CACHE);
    assert_int_not_equal(eng_stmt_get(e, "SELEC nothing", 13, &a), SQLITE_OK);
    assert_null(a);
    assert_int_equal(eng_stmt_exec(e, "BEGIN"), SQLITE_OK);
    assert_int_equal(eng_stmt_exec(e, "COMMIT"), SQLITE_OK);
    assert_int_not_equal(eng_stmt_exec(e, "COMMIT"), SQLITE_OK); /* no transaction */
    eng_close(e);
}

/* Every project with a gold implementation opens: designs load, every
 * operation is implemented once and passes the checks. */
static void test_projects_open(void **state)
{
    static const char *const names[] = {"todo", "bbs"};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof names / sizeof *names; i++) {
        eng_project *p = NULL;
        bb_buf msg;
        schema_errors errs;
        size_t k;

        bb_buf_init(&msg, 4096);
        schema_errors_init(&errs, SCHEMA_ERRORS_MAX_DEFAULT);
        if (eng_project_open(names[i], NULL, NULL, &p, &msg, &errs) != BB_OK) {
            for (k = 0; k < errs.n; k++)
                print_message("#   %s %s\n", errs.items[k].path, errs.items[k].message ? errs.items[k].message : "");
            fail_msg("%s: %s", names[i], bb_buf_str(&msg));
        }
        assert_int_equal(p->impls.n, p->api->n_operations);
        for (k = 0; k < p->api->n_operations; k++)
            assert_true(eng_find_operation(p->engine, ast_api_method_name(p->api->operations[k].method),
                                           p->api->operations[k].path) == (long)k);
        eng_project_close(p);
        schema_errors_free(&errs);
        bb_buf_free(&msg);
    }
}

/* An implementation file with one endpoint twice, or with a broken operation,
 * is refused with a reason. */
static void test_project_refusals(void **state)
{
    char path[1024];
    json_t *gold = NULL, *two, *one;
    bb_buf msg;
    schema_errors errs;
    eng_project *p = NULL;
    const bb_embedded_file *f = bb_embed_find("projects/todo/gold/impl.json");

    (void)state;
    snprintf(path, sizeof path, "%s/build/test_engine_refusals.json", root_dir());
    assert_non_null(f);
    gold = json_loadb((const char *)f->data, f->len, 0, NULL);
    two = json_pack("[OO]", json_array_get(gold, 5), json_array_get(gold, 5));
    assert_int_equal(json_dump_file(two, path, 0), 0);
    bb_buf_init(&msg, 4096);
    schema_errors_init(&errs, SCHEMA_ERRORS_MAX_DEFAULT);
    assert_int_equal(eng_project_open("todo", path, NULL, &p, &msg, &errs), BB_ERR_INVALID);
    assert_null(p);
    assert_non_null(strstr(bb_buf_str(&msg), "get /user/lists/{listId} is implemented twice (entries 0 and 1)"));
    bb_buf_reset(&msg);
    json_object_set_new(json_array_get(two, 1), "statements", json_pack("[]"));
    one = json_pack("[O]", json_array_get(two, 1));
    assert_int_equal(json_dump_file(one, path, 0), 0);
    json_decref(one);
    assert_int_equal(eng_project_open("todo", path, NULL, &p, &msg, &errs), BB_ERR_INVALID);
    assert_non_null(strstr(bb_buf_str(&msg), "fails its checks"));
    assert_true(errs.n >= 1);
    assert_int_equal(eng_project_open("no-such-project", NULL, NULL, &p, &msg, NULL), BB_ERR_NOT_FOUND);
    assert_int_equal(eng_project_open("../etc", NULL, NULL, &p, &msg, NULL), BB_ERR_USAGE);
    remove(path);
    schema_errors_free(&errs);
    bb_buf_free(&msg);
    json_decref(two);
    json_decref(gold);
}

static void test_alloc_failure(void **state)
{
    eng_project *p = NULL;
    eng_response r;
    eng_request req;
    long k;
    int done = 0;

    (void)state;
    assert_int_equal(eng_project_open("todo", NULL, NULL, &p, NULL, NULL), BB_OK);
    memset(&req, 0, sizeof req);
    req.method = "POST";
    req.path = "/auth/user/join";
    for (k = 0; !done && k < 10000; k++) {
        char body[256];
        bb_result rc;

        snprintf(body, sizeof body, "{\"email\": \"u%ld@b.io\", \"password\": \"12345678\", \"display_name\": \"A\"}", k);
        req.body = body;
        req.body_len = strlen(body);
        eng_response_init(&r);
        bb_alloc_fail_after(k);
        rc = eng_handle(p->engine, &req, &r);
        bb_alloc_fail_after(-1);
        if (rc != BB_OK && rc != BB_ERR_NOMEM)
            fail_msg("allocation %ld failing gave %s", k, bb_result_name(rc));
        if (rc == BB_OK && r.status != 201 && r.status != 500 && r.status != 400)
            fail_msg("allocation %ld failing gave status %d: %s", k, r.status, bb_buf_str(&r.body));
        done = rc == BB_OK && r.status == 201;
        eng_response_free(&r);
    }
    print_message("# a join survived %ld failing allocations\n", k - 1);
    assert_true(done);
    eng_project_close(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),     cmocka_unit_test(test_auth),
        cmocka_unit_test(test_dto),       cmocka_unit_test(test_injection),
        cmocka_unit_test(test_values_and_time), cmocka_unit_test(test_todo_story),
        cmocka_unit_test(test_alloc_failure), cmocka_unit_test(test_projects_open),
        cmocka_unit_test(test_project_refusals), cmocka_unit_test(test_image),
        cmocka_unit_test(test_stmt_cache), cmocka_unit_test(test_reset),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
