/*
 * test_feedback.c — golden-file tests of the feedback renderer.
 *
 * Every tests/data/feedback/NAME.json holds {"doc": <json> (absent: NULL doc),
 * "errors": [{"kind", "path", "expected", "value"?, "message"?}],
 * "params"?: {"indent", "summary_threshold", "max_bytes", "elide_lines",
 * "max_errors", "out_max"}}; NAME.expect.txt is the exact expected text. Each
 * case is rendered, compared byte for byte (a mismatch prints the first
 * differing line and leaves the output in $BB_BUILD/feedback-NAME.got.txt),
 * rendered again (must be identical), checked against the byte cap, and
 * rendered under allocation failure at every allocation in turn (must fail
 * cleanly with BB_ERR_NOMEM or succeed with the same text). With
 * BB_UPDATE_GOLDEN=1 the expect files are (re)written instead.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json/json_util.h"
#include "schema/feedback.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/file.h"

#define GOLDEN_MAX_FILES 200
#define GOLDEN_FILE_MAX ((size_t)4 * 1024 * 1024)
#define GOLDEN_ALLOC_LOOP_MAX 4000 /* allocation-failure loop only for cases with fewer allocations */

typedef struct golden_case {
    json_t *root;
    const json_t *doc; /* NULL when the case has no "doc" */
    schema_errors errs;
    feedback_params params;
    size_t out_max;
} golden_case;

static const char *golden_dir(char *buf, size_t n)
{
    const char *root = getenv("BB_ROOT");

    snprintf(buf, n, "%s/tests/data/feedback", root ? root : ".");
    return buf;
}

static int kind_from_name(const char *name)
{
    int k;

    for (k = 0; k < SCHEMA_ERR_KIND_COUNT_; k++) {
        if (strcmp(schema_error_kind_name((schema_error_kind)k), name) == 0)
            return k;
    }
    return -1;
}

static size_t param_size(const json_t *params, const char *name, size_t dflt)
{
    json_t *v = json_object_get(params, name);

    return json_is_integer(v) ? (size_t)json_integer_value(v) : dflt;
}

static void golden_load(const char *path, golden_case *gc)
{
    json_error_t jerr;
    json_t *errors, *params, *e;
    size_t i;

    memset(gc, 0, sizeof *gc);
    gc->root = json_load_file(path, 0, &jerr);
    if (!gc->root)
        fail_msg("%s:%d: %s", path, jerr.line, jerr.text);
    gc->doc = json_object_get(gc->root, "doc");
    errors = json_object_get(gc->root, "errors");
    params = json_object_get(gc->root, "params");
    assert_true(json_is_array(errors));
    gc->params = feedback_default_params();
    if (params) {
        gc->params.indent = (int)param_size(params, "indent", (size_t)gc->params.indent);
        gc->params.summary_threshold = param_size(params, "summary_threshold", gc->params.summary_threshold);
        gc->params.max_bytes = param_size(params, "max_bytes", gc->params.max_bytes);
        gc->params.elide_lines = param_size(params, "elide_lines", gc->params.elide_lines);
    }
    gc->out_max = param_size(params, "out_max", BB_BUF_MAX_DEFAULT);
    schema_errors_init(&gc->errs, param_size(params, "max_errors", SCHEMA_ERRORS_MAX_DEFAULT));
    json_array_foreach(errors, i, e) {
        int kind = kind_from_name(json_string_value(json_object_get(e, "kind")));

        if (kind < 0)
            fail_msg("%s: error %zu: unknown kind", path, i);
        assert_int_equal(schema_errors_add(&gc->errs, (schema_error_kind)kind,
                                           json_string_value(json_object_get(e, "path")),
                                           json_string_value(json_object_get(e, "expected")),
                                           json_string_value(json_object_get(e, "value")),
                                           json_string_value(json_object_get(e, "message"))),
                         BB_OK);
    }
}

static void golden_free(golden_case *gc)
{
    schema_errors_free(&gc->errs);
    json_decref(gc->root);
}

static bb_result golden_render(const golden_case *gc, bb_buf *out)
{
    bb_buf_init(out, gc->out_max);
    return feedback_render(gc->doc, &gc->errs, &gc->params, out);
}

/* Prints where got and want first differ, line by line. */
static void report_mismatch(const char *name, const char *got, const char *want)
{
    size_t line = 1;
    const char *g = got;
    const char *w = want;
    char path[1024];
    const char *build = getenv("BB_BUILD");

    while (*g && *g == *w) {
        if (*g == '\n') {
            line++;
            got = g + 1;
            want = w + 1;
        }
        g++;
        w++;
    }
    fprintf(stderr, "# %s: first difference at line %zu\n#  want: %.*s\n#  got:  %.*s\n", name, line,
            (int)strcspn(want, "\n"), want, (int)strcspn(got, "\n"), got);
    snprintf(path, sizeof path, "%s/feedback-%s.got.txt", build ? build : ".", name);
    fprintf(stderr, "# full output in %s (diff it with the .expect.txt)\n", path);
}

static void golden_check_one(const char *dir, const char *name, int update)
{
    char path[1024];
    golden_case gc;
    bb_buf out, again;
    char *want = NULL;
    size_t want_len = 0;
    unsigned long before, allocs;
    long k;

    snprintf(path, sizeof path, "%s/%s.json", dir, name);
    golden_load(path, &gc);
    before = bb_alloc_count();
    assert_int_equal(golden_render(&gc, &out), BB_OK);
    allocs = bb_alloc_count() - before;
    assert_true(out.len <= gc.params.max_bytes);
    snprintf(path, sizeof path, "%s/%s.expect.txt", dir, name);
    if (update) {
        assert_int_equal(bb_file_write(path, bb_buf_str(&out), out.len), BB_OK);
        fprintf(stderr, "# wrote %s\n", path);
    } else {
        assert_int_equal(bb_file_read(path, GOLDEN_FILE_MAX, &want, &want_len), BB_OK);
        if (out.len != want_len || memcmp(bb_buf_str(&out), want, want_len) != 0) {
            char gpath[1024];
            const char *build = getenv("BB_BUILD");

            snprintf(gpath, sizeof gpath, "%s/feedback-%s.got.txt", build ? build : ".", name);
            (void)bb_file_write(gpath, bb_buf_str(&out), out.len);
            report_mismatch(name, bb_buf_str(&out), want);
            fail_msg("%s: output differs from %s", name, path);
        }
    }
    /* every stored error is in a comment or in the list, unless the text was cut */
    if (!strstr(bb_buf_str(&out), "(feedback cut at ")) {
        size_t seen = 0;
        const char *q = bb_buf_str(&out);

        for (q = strstr(q, "{\"path\":"); q; q = strstr(q + 1, "{\"path\":"))
            seen++;
        assert_int_equal(seen, gc.errs.n);
    }
    /* deterministic */
    assert_int_equal(golden_render(&gc, &again), BB_OK);
    assert_int_equal(again.len, out.len);
    assert_memory_equal(bb_buf_str(&again), bb_buf_str(&out), out.len);
    bb_buf_free(&again);
    /* allocation failure at every allocation in turn */
    if (allocs < GOLDEN_ALLOC_LOOP_MAX) {
        for (k = 0;; k++) {
            bb_result rc;

            bb_alloc_fail_after(k);
            rc = golden_render(&gc, &again);
            bb_alloc_fail_after(-1);
            if (rc == BB_OK) {
                assert_int_equal(again.len, out.len);
                assert_memory_equal(bb_buf_str(&again), bb_buf_str(&out), out.len);
                bb_buf_free(&again);
                break;
            }
            assert_int_equal(rc, BB_ERR_NOMEM);
            assert_int_equal(again.len, 0);
            bb_buf_free(&again);
        }
        assert_true(k > 0 && (unsigned long)k <= allocs);
    }
    bb_free(want);
    bb_buf_free(&out);
    golden_free(&gc);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_golden(void **state)
{
    char dir[900];
    char *names[GOLDEN_MAX_FILES];
    size_t n = 0;
    size_t i;
    struct dirent *de;
    DIR *d;
    const char *upd = getenv("BB_UPDATE_GOLDEN");
    int update = upd && strcmp(upd, "1") == 0;

    (void)state;
    d = opendir(golden_dir(dir, sizeof dir));
    assert_non_null(d);
    for (;;) {
        size_t len;

        de = readdir(d);
        if (!de)
            break;
        len = strlen(de->d_name);

        if (len > 5 && strcmp(de->d_name + len - 5, ".json") == 0 && n < GOLDEN_MAX_FILES)
            names[n++] = bb_strndup(de->d_name, len - 5);
    }
    closedir(d);
    qsort(names, n, sizeof *names, name_cmp);
    assert_true(n >= 15);
    for (i = 0; i < n; i++) {
        assert_non_null(names[i]);
        golden_check_one(dir, names[i], update);
        bb_free(names[i]);
    }
}

/* The text never exceeds the room left in out, even when that is below max_bytes. */
static void test_room_in_out(void **state)
{
    json_t *doc = json_pack("{s:s, s:[i,i,i,i,i,i,i,i,i,i]}", "name", "Bad Name", "xs", 1, 2, 3, 4, 5, 6, 7, 8, 9,
                            10);
    schema_errors errs;
    bb_buf out;
    size_t i;

    (void)state;
    schema_errors_init(&errs, 0);
    for (i = 0; i < 10; i++) {
        char path[64];

        snprintf(path, sizeof path, "$input.xs[%zu]", i);
        assert_int_equal(schema_errors_add(&errs, SCHEMA_ERR_TYPE, path, "string", "1", NULL), BB_OK);
    }
    bb_buf_init(&out, 500);
    assert_int_equal(bb_buf_puts(&out, "previous text\n"), BB_OK);
    assert_int_equal(feedback_render(doc, &errs, NULL, &out), BB_OK);
    assert_true(out.len <= 500);
    assert_non_null(strstr(bb_buf_str(&out), "(feedback cut at 486 bytes)"));
    assert_memory_equal(out.data, "previous text\n", 14);
    /* too small even for the cut line: an error, out unchanged */
    bb_buf_truncate(&out, 14);
    out.max = 30;
    assert_int_equal(feedback_render(doc, &errs, NULL, &out), BB_ERR_LIMIT);
    assert_int_equal(out.len, 14);
    assert_int_equal(feedback_render(doc, NULL, NULL, &out), BB_ERR_USAGE);
    bb_buf_free(&out);
    schema_errors_free(&errs);
    json_decref(doc);
}

static void test_default_params(void **state)
{
    feedback_params p = feedback_default_params();

    (void)state;
    assert_int_equal(p.indent, 2);
    assert_int_equal(p.summary_threshold, 6);
    assert_int_equal(p.max_bytes, 256 * 1024);
    assert_int_equal(p.elide_lines, 400);
}

/* Deep documents do not recurse without bound: the deep part is elided and
 * its errors listed after the document. */
static void test_deep_document(void **state)
{
    json_t *doc = json_array();
    json_t *cur = doc;
    schema_errors errs;
    bb_buf out, path;
    size_t i;

    (void)state;
    bb_buf_init(&path, 1 << 20);
    assert_int_equal(schema_path_root(&path), BB_OK);
    for (i = 0; i < 1000; i++) {
        json_t *next = json_array();

        assert_int_equal(json_array_append_new(cur, next), 0);
        cur = next;
        assert_int_equal(schema_path_index(&path, 0), BB_OK);
    }
    schema_errors_init(&errs, 0);
    assert_int_equal(schema_errors_add(&errs, SCHEMA_ERR_LENGTH, bb_buf_str(&path), "minItems 1", "[]", NULL),
                     BB_OK);
    bb_buf_init(&out, BB_BUF_MAX_DEFAULT);
    assert_int_equal(feedback_render(doc, &errs, NULL, &out), BB_OK);
    assert_non_null(strstr(bb_buf_str(&out), "nested too deep"));
    assert_non_null(strstr(bb_buf_str(&out), "Errors that could not be placed on a line above:\n"));
    bb_buf_free(&out);
    bb_buf_free(&path);
    schema_errors_free(&errs);
    json_decref(doc);
}

/* A real 11k-line API AST (AutoBe output) with a few errors: every error is
 * placed, the rest is elided, the text stays under the default cap. */
static void test_real_document(void **state)
{
    const char *shared = getenv("BB_SHARED");
    char path[1024];
    json_t *doc;
    json_error_t jerr;
    schema_errors errs;
    bb_buf out, p;
    const char *first_schema = NULL;
    const char *k;
    json_t *v;

    (void)state;
    snprintf(path, sizeof path, "%s/data/autobe-oct2025/anthropic/claude-sonnet-4.5/bbs/autobe/document.json",
             shared ? shared : "../shared");
    doc = json_load_file(path, 0, &jerr);
    if (!doc) {
        fprintf(stderr, "# %s not readable (%s): skipped\n", path, jerr.text);
        skip();
    }
    json_object_foreach(json_object_get(json_object_get(doc, "components"), "schemas"), k, v) {
        first_schema = k;
        break;
    }
    assert_non_null(first_schema);
    schema_errors_init(&errs, 0);
    assert_int_equal(schema_errors_add(&errs, SCHEMA_ERR_ENUM, "$input.operations[0].method",
                                       "\"get\" | \"put\"", "\"post\"", NULL), BB_OK);
    assert_int_equal(schema_errors_add(&errs, SCHEMA_ERR_REQUIRED, "$input.operations[105].authorizationActor",
                                       "string | null", "undefined", NULL), BB_OK);
    bb_buf_init(&p, 4096);
    assert_int_equal(bb_buf_puts(&p, "$input.components.schemas"), BB_OK);
    assert_int_equal(schema_path_key(&p, first_schema), BB_OK);
    assert_int_equal(bb_buf_puts(&p, ".bogus"), BB_OK);
    assert_int_equal(schema_errors_add(&errs, SCHEMA_ERR_ADDITIONAL, bb_buf_str(&p), "never", "1", NULL), BB_OK);
    bb_buf_init(&out, BB_BUF_MAX_DEFAULT);
    assert_int_equal(feedback_render(doc, &errs, NULL, &out), BB_OK);
    fprintf(stderr, "# real document: %zu bytes of feedback\n", out.len);
    if (getenv("BB_FEEDBACK_SHOW"))
        fputs(bb_buf_str(&out), stderr);
    assert_true(out.len < 8192);
    assert_non_null(strstr(bb_buf_str(&out), "\"method\": \"post\" // "));
    assert_non_null(strstr(bb_buf_str(&out), "\"authorizationActor\": undefined // "));
    assert_non_null(strstr(bb_buf_str(&out), "items without errors"));
    /* the third error names no node: listed after the document */
    assert_non_null(strstr(bb_buf_str(&out), "Errors that could not be placed on a line above:\n// "));
    assert_non_null(strstr(bb_buf_str(&out), ".bogus\",\"expected\":\"never\",\"value\":\"1\"}\n"));
    bb_buf_free(&out);
    bb_buf_free(&p);
    schema_errors_free(&errs);
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden),
        cmocka_unit_test(test_room_in_out),
        cmocka_unit_test(test_default_params),
        cmocka_unit_test(test_deep_document),
        cmocka_unit_test(test_real_document),
    };

    bb_json_init();
    return cmocka_run_group_tests_name("feedback", tests, NULL, NULL);
}
