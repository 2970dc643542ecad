/*
 * test_schema.c — unit tests of the schema validator: golden error lists
 * (tests/data/schema/golden.json: schema, document, expected errors as
 * [kind, path, expected, value]), compile issues for unsupported keywords
 * (tests/data/schema/compile_issues.json), the depth limit and `$ref` cycles,
 * allocation-failure injection over compile and validate, real AutoBe DTO
 * schemas, and one compiled schema shared by threads.
 * Set BB_GOLDEN_PRINT=1 to print the actual errors of every golden case.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <glob.h>
#include <pthread.h>

#include "json/json_util.h"
#include "schema/schema.h"
#include "util/alloc.h"

#define DATA_DIR "tests/data/schema/"

static json_t *load(const char *name)
{
    char path[512];
    json_error_t jerr;
    json_t *j;

    snprintf(path, sizeof path, "%s%s", DATA_DIR, name);
    j = json_load_file(path, JSON_DECODE_ANY, &jerr);
    if (!j)
        printf("# %s:%d: %s\n", path, jerr.line, jerr.text);
    assert_non_null(j);
    return j;
}

static schema *compile_ok(const json_t *sdoc)
{
    schema *s = NULL;
    schema_errors issues;
    size_t i;
    bb_result rc;

    schema_errors_init(&issues, 20);
    rc = schema_compile(sdoc, NULL, &s, &issues);
    for (i = 0; i < issues.n; i++)
        printf("# issue %s: %s\n", issues.items[i].path, issues.items[i].message);
    assert_int_equal(rc, BB_OK);
    schema_errors_free(&issues);
    return s;
}

static void print_errors(const char *name, const schema_errors *e)
{
    size_t i;
    bb_buf b;

    bb_buf_init(&b, 1 << 20);
    assert_int_equal(schema_errors_to_json(e, &b), BB_OK);
    printf("# %s: %s\n", name, bb_buf_str(&b));
    for (i = 0; i < e->n; i++)
        printf("#   [\"%s\", \"%s\", \"%s\", %s]\n", schema_error_kind_name(e->items[i].kind), e->items[i].path,
               e->items[i].expected, e->items[i].value);
    bb_buf_free(&b);
}

static void test_golden(void **state)
{
    json_t *cases = load("golden.json");
    json_t *expr = load("expr.schema.json");
    schema *sexpr = compile_ok(expr);
    int print = getenv("BB_GOLDEN_PRINT") != NULL;
    size_t ci, missing = 0;

    (void)state;
    for (ci = 0; ci < json_array_size(cases); ci++) {
        const json_t *c = json_array_get(cases, ci);
        const char *name = json_string_value(json_object_get(c, "name"));
        const json_t *sj = json_object_get(c, "schema");
        const json_t *want = json_object_get(c, "errors");
        schema *s = json_is_string(sj) ? sexpr : compile_ok(sj);
        schema_errors errs;
        bb_result rc;
        size_t i;

        schema_errors_init(&errs, 50);
        rc = schema_validate(s, json_object_get(c, "doc"), &errs);
        if (print || !json_is_array(want)) {
            print_errors(name, &errs);
            missing += !json_is_array(want);
            schema_errors_free(&errs);
            if (s != sexpr)
                schema_free(s);
            continue;
        }
        assert_int_equal(rc, json_array_size(want) ? BB_ERR_INVALID : BB_OK);
        assert_int_equal(schema_is_valid(s, json_object_get(c, "doc")), rc == BB_OK);
        if (errs.n != json_array_size(want))
            print_errors(name, &errs);
        assert_int_equal(errs.n, json_array_size(want));
        for (i = 0; i < errs.n; i++) {
            const json_t *w = json_array_get(want, i);

            assert_string_equal(schema_error_kind_name(errs.items[i].kind), json_string_value(json_array_get(w, 0)));
            assert_string_equal(errs.items[i].path, json_string_value(json_array_get(w, 1)));
            assert_string_equal(errs.items[i].expected, json_string_value(json_array_get(w, 2)));
            assert_string_equal(errs.items[i].value, json_string_value(json_array_get(w, 3)));
        }
        schema_errors_free(&errs);
        if (s != sexpr)
            schema_free(s);
    }
    schema_free(sexpr);
    json_decref(expr);
    json_decref(cases);
    assert_int_equal(missing, 0); /* every case states its errors */
}

static void test_compile_issues(void **state)
{
    json_t *cases = load("compile_issues.json");
    size_t ci;

    (void)state;
    for (ci = 0; ci < json_array_size(cases); ci++) {
        const json_t *c = json_array_get(cases, ci);
        const json_t *want = json_object_get(c, "issues");
        schema *s = NULL;
        schema_errors issues;
        schema_params lenient = schema_default_params();
        bb_result rc;
        size_t i;

        printf("# compile case: %s\n", json_string_value(json_object_get(c, "name")));
        schema_errors_init(&issues, 20);
        rc = schema_compile(json_object_get(c, "schema"), NULL, &s, &issues);
        for (i = 0; i < issues.n; i++)
            printf("#   issue %s: %s\n", issues.items[i].path, issues.items[i].message);
        assert_int_equal(rc, json_array_size(want) ? BB_ERR_SCHEMA : BB_OK);
        assert_int_equal(issues.n, json_array_size(want));
        assert_true((s == NULL) == (rc != BB_OK));
        for (i = 0; i < issues.n; i++) {
            const json_t *w = json_array_get(want, i);

            assert_string_equal(issues.items[i].path, json_string_value(json_array_get(w, 0)));
            assert_non_null(strstr(issues.items[i].message, json_string_value(json_array_get(w, 1))));
        }
        schema_free(s);
        schema_errors_free(&issues);
        /* lenient: the same schema compiles (cycles excepted), issues still listed */
        lenient.strict_keywords = 0;
        schema_errors_init(&issues, 20);
        s = NULL;
        rc = schema_compile(json_object_get(c, "schema"), &lenient, &s, &issues);
        assert_int_equal(issues.n, json_array_size(want));
        if (strstr(json_string_value(json_object_get(c, "name")), "cycle"))
            assert_int_equal(rc, BB_ERR_SCHEMA);
        else
            assert_int_equal(rc, BB_OK);
        schema_free(s);
        schema_errors_free(&issues);
    }
    json_decref(cases);
}

/* Nested arrays [[[...]]] of the given depth. */
static json_t *deep_array(int depth)
{
    json_t *v = json_array();
    int i;

    for (i = 1; i < depth; i++) {
        json_t *outer = json_array();

        json_array_append_new(outer, v);
        v = outer;
    }
    return v;
}

static void test_depth_limit(void **state)
{
    json_t *sdoc = json_pack("{s:s, s:{s:s}}", "type", "array", "items", "$ref", "#");
    json_t *loop = json_pack("{s:[{s:s}]}", "allOf", "$ref", "#");
    json_t *deep = deep_array(5000), *shallow = deep_array(40), *one = json_integer(1);
    schema_params p = schema_default_params();
    schema *s = NULL, *sl = NULL;
    schema_errors errs;

    (void)state;
    p.max_depth = 64;
    assert_int_equal(schema_compile(sdoc, &p, &s, NULL), BB_OK);
    assert_true(schema_is_valid(s, shallow));
    assert_false(schema_is_valid(s, deep));
    schema_errors_init(&errs, 10);
    assert_int_equal(schema_validate(s, deep, &errs), BB_ERR_INVALID);
    assert_int_equal(errs.n, 1);
    assert_int_equal(errs.items[0].kind, SCHEMA_ERR_LIMIT);
    assert_int_equal(strncmp(errs.items[0].path, "$input[0][0][0]", 15), 0);
    schema_errors_free(&errs);
    schema_free(s);
    /* default limit, and the largest one honoured, on a much deeper document:
     * an error, no stack overflow */
    assert_int_equal(schema_compile(sdoc, NULL, &s, NULL), BB_OK);
    assert_false(schema_is_valid(s, deep));
    schema_free(s);
    p.max_depth = 1000000;
    assert_int_equal(schema_compile(sdoc, &p, &s, NULL), BB_OK);
    schema_errors_init(&errs, 10);
    assert_int_equal(schema_validate(s, deep, &errs), BB_ERR_INVALID);
    assert_int_equal(errs.items[0].kind, SCHEMA_ERR_LIMIT);
    schema_errors_free(&errs);
    schema_free(s);
    /* allOf -> $ref # never consumes the instance: stopped by the limit */
    assert_int_equal(schema_compile(loop, NULL, &sl, NULL), BB_OK);
    schema_errors_init(&errs, 10);
    assert_int_equal(schema_validate(sl, one, &errs), BB_ERR_INVALID);
    assert_int_equal(errs.items[0].kind, SCHEMA_ERR_LIMIT);
    assert_false(schema_is_valid(sl, one));
    schema_errors_free(&errs);
    schema_free(sl);
    json_decref(sdoc);
    json_decref(loop);
    json_decref(deep);
    json_decref(shallow);
    json_decref(one);
}

/* The deepest recursion per level: object -> tagged union -> member ->
 * property, with the largest depth limit, on a 5000-level unary chain. */
static void test_depth_limit_expr(void **state)
{
    json_t *sdoc = load("expr.schema.json");
    json_t *doc = json_pack("{s:s, s:s}", "type", "identifier", "name", "x");
    schema_params p = schema_default_params();
    schema *s = NULL;
    schema_errors errs;
    int i;

    (void)state;
    for (i = 0; i < 5000; i++)
        doc = json_pack("{s:s, s:s, s:o}", "type", "unary", "operator", "-", "operand", doc);
    assert_non_null(doc);
    p.max_depth = 1 << 20; /* capped */
    assert_int_equal(schema_compile(sdoc, &p, &s, NULL), BB_OK);
    schema_errors_init(&errs, 10);
    assert_int_equal(schema_validate(s, doc, &errs), BB_ERR_INVALID);
    if (errs.n != 1)
        print_errors("deep unary chain", &errs);
    assert_int_equal(errs.n, 1);
    assert_int_equal(errs.items[0].kind, SCHEMA_ERR_LIMIT);
    assert_false(schema_is_valid(s, doc));
    schema_errors_free(&errs);
    schema_free(s);
    json_decref(doc);
    json_decref(sdoc);
}

/* Every allocation of compile and validate may fail: the result is then
 * BB_ERR_NOMEM, never a crash or leak, and past the last allocation the
 * full result comes back. */
static void test_alloc_failures(void **state)
{
    json_t *sdoc = load("expr.schema.json");
    json_t *bad = json_loads("{\"type\":\"binary\",\"operator\":\"**\",\"left\":{\"type\":\"x\"},"
                             "\"right\":{\"type\":\"uuid\",\"value\":\"1\"},\"more\":1}",
                             0, NULL);
    long k;
    int done = 0;
    unsigned long nomem = 0;

    (void)state;
    assert_non_null(bad);
    for (k = 0; !done && k < 100000; k++) {
        schema *s = NULL;
        schema_errors errs;
        bb_result rc;

        schema_errors_init(&errs, 50);
        bb_alloc_fail_after(k);
        rc = schema_compile(sdoc, NULL, &s, NULL);
        if (rc == BB_OK) {
            rc = schema_validate(s, bad, &errs);
            if (rc == BB_ERR_INVALID) {
                done = 1;
                assert_int_equal(errs.n, 4);
            }
        }
        bb_alloc_fail_after(-1);
        if (!done) {
            assert_int_equal(rc, BB_ERR_NOMEM);
            nomem++;
        }
        schema_errors_free(&errs);
        schema_free(s);
    }
    printf("# allocation failure injection: %lu failing runs, then success\n", nomem);
    assert_true(done);
    assert_true(nomem > 50);
    json_decref(bad);
    json_decref(sdoc);
}

/* Real DTO schemas written by models (AutoBe OpenAPI ASTs in
 * $BB_SHARED/data/autobe-oct2025): every one compiles, refs into
 * #/components/schemas resolve, and validating a few probe values gives
 * consistent verdicts. Unsupported keywords met are printed. */
static void test_real_dto_schemas(void **state)
{
    const char *shared = getenv("BB_SHARED") ? getenv("BB_SHARED") : "../shared";
    char pattern[4096];
    glob_t g;
    size_t fi, nschemas = 0, nissues = 0;
    json_t *probes = json_loads("[{}, {\"id\": \"x\"}, [], \"s\", 1, null]", 0, NULL);

    (void)state;
    snprintf(pattern, sizeof pattern, "%s/data/autobe-oct2025/*/*/*/autobe/document.json", shared);
    if (glob(pattern, 0, NULL, &g) != 0) {
        printf("# no AutoBe data under %s\n", shared);
        json_decref(probes);
        return;
    }
    for (fi = 0; fi < g.gl_pathc; fi++) {
        json_error_t jerr;
        json_t *doc = json_load_file(g.gl_pathv[fi], 0, &jerr);
        json_t *comps = json_object_get(json_object_get(doc, "components"), "schemas");
        const char *name;
        json_t *sub;

        assert_non_null(doc);
        json_object_foreach(comps, name, sub) {
            json_t *wrap = json_pack("{s:s+, s:{s:O}}", "$ref", "#/components/schemas/", name, "components",
                                     "schemas", comps);
            schema_params lenient = schema_default_params();
            schema_errors issues;
            schema *s = NULL;
            size_t i;

            assert_non_null(wrap);
            lenient.strict_keywords = 0;
            schema_errors_init(&issues, 50);
            assert_int_equal(schema_compile(wrap, &lenient, &s, &issues), BB_OK);
            for (i = 0; i < issues.n; i++) {
                if (strcmp(issues.items[i].path, "#/components") == 0)
                    continue; /* the wrapper's own container */
                nissues++;
                printf("# %s %s: %s %s\n", g.gl_pathv[fi] + strlen(shared), name, issues.items[i].path,
                       issues.items[i].message);
            }
            for (i = 0; i < json_array_size(probes); i++) {
                schema_errors errs;
                bb_result rc;

                schema_errors_init(&errs, 20);
                rc = schema_validate(s, json_array_get(probes, i), &errs);
                assert_true(rc == BB_OK || rc == BB_ERR_INVALID);
                assert_int_equal(rc == BB_OK, schema_is_valid(s, json_array_get(probes, i)));
                assert_int_equal(rc == BB_OK, errs.n == 0);
                schema_errors_free(&errs);
            }
            nschemas++;
            schema_free(s);
            schema_errors_free(&issues);
            json_decref(wrap);
        }
        json_decref(doc);
    }
    printf("# %zu real DTO schemas from %zu AutoBe documents compiled; %zu issues\n", nschemas, g.gl_pathc,
           nissues);
    assert_true(nschemas > 100);
    globfree(&g);
    json_decref(probes);
}

/* An error's value is the compact JSON of the value cut at 200 bytes: the
 * validator's own renderer (which stops early on big values) must give
 * exactly what bb_json_append_compact gives, for every checked-in document
 * and some crafted values. */
static void test_value_rendering(void **state)
{
    json_t *sdoc = json_pack("{s:s}", "type", "null");
    schema *s = compile_ok(sdoc);
    json_t *values = json_array();
    FILE *f = fopen(DATA_DIR "expr_ajv_cases.jsonl", "r");
    char *line = NULL;
    size_t cap = 0, i;
    json_t *deep = deep_array(300);
    json_t *big = json_array();
    static const char *const crafted[] = {
        "\"\\u0001\\u001f\\t\\n\\\"\\\\/ é 漢字 😀\"",
        "{\"a-b\":[1,2.5,-0.0,1e300,true,false,null],\"\":{}}",
        "[[],{},\"\",0]",
        "\"ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé\"",
        NULL,
    };

    (void)state;
    assert_non_null(f);
    for (;;) {
        ssize_t len = getline(&line, &cap, f);
        json_t *c;

        if (len <= 0)
            break;
        c = json_loadb(line, (size_t)len, 0, NULL);
        assert_non_null(c);
        json_array_append(values, json_object_get(c, "doc"));
        json_decref(c);
    }
    free(line);
    fclose(f);
    for (i = 0; crafted[i]; i++)
        json_array_append_new(values, json_loads(crafted[i], JSON_DECODE_ANY, NULL));
    for (i = 195; i < 215; i++) {
        /* strings just over the cut (fuzz_validate found an over-read here) */
        char *str = calloc(i + 1, 1);

        assert_non_null(str);
        memset(str, 'x', i);
        json_array_append_new(values, json_string(str));
        free(str);
    }
    for (i = 0; i < 5000; i++)
        json_array_append_new(big, json_integer((json_int_t)i));
    json_array_append_new(values, big);
    json_array_append_new(values, deep);
    for (i = 0; i < json_array_size(values); i++) {
        const json_t *x = json_array_get(values, i);
        schema_errors errs;
        bb_buf want;

        assert_non_null(x);
        bb_buf_init(&want, 1 << 24);
        assert_int_equal(bb_json_append_compact(&want, x, 200), BB_OK);
        schema_errors_init(&errs, 5);
        assert_int_equal(schema_validate(s, x, &errs), BB_ERR_INVALID);
        assert_string_equal(errs.items[0].value, bb_buf_str(&want));
        schema_errors_free(&errs);
        bb_buf_free(&want);
    }
    json_decref(values);
    schema_free(s);
    json_decref(sdoc);
}

/* Past the list's cap errors are only counted. */
static void test_error_cap(void **state)
{
    json_t *sdoc = json_pack("{s:s, s:{s:s}}", "type", "array", "items", "type", "string");
    json_t *doc = json_array();
    schema *s = compile_ok(sdoc);
    schema_errors errs;
    schema_params p = schema_default_params();
    int i;

    (void)state;
    for (i = 0; i < 1000; i++)
        json_array_append_new(doc, json_integer(i));
    schema_errors_init(&errs, 3);
    assert_int_equal(schema_validate(s, doc, &errs), BB_ERR_INVALID);
    assert_int_equal(errs.n, 3);
    assert_int_equal(errs.dropped, 997);
    assert_string_equal(errs.items[2].path, "$input[2]");
    assert_string_equal(errs.items[2].expected, "string");
    schema_errors_free(&errs);
    schema_free(s);
    /* params.max_errors caps one validation's share of a larger list */
    p.max_errors = 5;
    assert_int_equal(schema_compile(sdoc, &p, &s, NULL), BB_OK);
    schema_errors_init(&errs, 100);
    assert_int_equal(schema_validate(s, doc, &errs), BB_ERR_INVALID);
    assert_int_equal(errs.n, 5);
    assert_int_equal(schema_errors_total(&errs), 1000);
    schema_errors_free(&errs);
    schema_free(s);
    json_decref(doc);
    json_decref(sdoc);
}

/* One compiled schema shared by threads: every thread gets the verdicts and
 * error counts of a single-threaded pass over the same documents. */
#define THREADS 4

typedef struct thread_job {
    const schema *s;
    json_t *docs;
    size_t *want_errors; /* per document, from the single-threaded pass */
    size_t mismatches;
} thread_job;

static void *thread_run(void *arg)
{
    thread_job *job = arg;
    size_t round, i;

    for (round = 0; round < 3; round++) {
        for (i = 0; i < json_array_size(job->docs); i++) {
            schema_errors errs;

            schema_errors_init(&errs, 50);
            (void)schema_validate(job->s, json_array_get(job->docs, i), &errs);
            if (schema_errors_total(&errs) != job->want_errors[i] ||
                schema_is_valid(job->s, json_array_get(job->docs, i)) != (job->want_errors[i] == 0))
                job->mismatches++;
            schema_errors_free(&errs);
        }
    }
    return NULL;
}

static void test_shared_between_threads(void **state)
{
    json_t *sdoc = load("expr.schema.json"), *docs = json_array();
    schema *s = compile_ok(sdoc);
    FILE *f = fopen(DATA_DIR "expr_ajv_cases.jsonl", "r");
    char *line = NULL;
    size_t cap = 0, i, ninvalid = 0;
    size_t *want;
    thread_job jobs[THREADS];
    pthread_t tids[THREADS];

    (void)state;
    assert_non_null(f);
    for (;;) {
        ssize_t len = getline(&line, &cap, f);
        json_t *c;

        if (len <= 0)
            break;
        c = json_loadb(line, (size_t)len, 0, NULL);
        assert_non_null(c);
        json_array_append(docs, json_object_get(c, "doc"));
        json_decref(c);
    }
    free(line);
    fclose(f);
    want = calloc(json_array_size(docs), sizeof *want);
    assert_non_null(want);
    for (i = 0; i < json_array_size(docs); i++) {
        schema_errors errs;

        schema_errors_init(&errs, 50);
        (void)schema_validate(s, json_array_get(docs, i), &errs);
        want[i] = schema_errors_total(&errs);
        ninvalid += want[i] > 0;
        schema_errors_free(&errs);
    }
    assert_true(ninvalid > 100);
    for (i = 0; i < THREADS; i++) {
        jobs[i].s = s;
        jobs[i].docs = docs;
        jobs[i].want_errors = want;
        jobs[i].mismatches = 0;
        assert_int_equal(pthread_create(&tids[i], NULL, thread_run, &jobs[i]), 0);
    }
    for (i = 0; i < THREADS; i++) {
        assert_int_equal(pthread_join(tids[i], NULL), 0);
        assert_int_equal(jobs[i].mismatches, 0);
    }
    free(want);
    json_decref(docs);
    schema_free(s);
    json_decref(sdoc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden),
        cmocka_unit_test(test_compile_issues),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_depth_limit_expr),
        cmocka_unit_test(test_alloc_failures),
        cmocka_unit_test(test_real_dto_schemas),
        cmocka_unit_test(test_shared_between_threads),
        cmocka_unit_test(test_value_rendering),
        cmocka_unit_test(test_error_cap),
    };

    bb_json_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
