/*
 * test_json_repair.c — unit tests for json_parse (src/json/json_repair.h).
 *
 * The bulk of the cases are data: every file of tests/data/json/ is its own
 * test case. y_*.json must parse strictly, parse leniently to the same value
 * with zero repairs, and agree with jansson where jansson accepts the file;
 * n_*.json must be rejected by the strict parser with a located error;
 * r_*.txt must parse leniently to the value, repair multiset and truncated
 * flag of its sibling r_*.expect.json. The hand-written tests below cover
 * what data files cannot: limits, every repair code, error positions,
 * allocation failure injection and linear time on hostile prose.
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
#include <time.h>

#include "json/json_repair.h"
#include "json/json_util.h"
#include "util/alloc.h"
#include "util/file.h"

#define CORPUS_MAX_FILE ((size_t)4 * 1024 * 1024)
#define CORPUS_MAX_CASES 4096

/* ---------------------------------------------------------------- helpers */

/* $BB_ROOT/tests/data/json; without BB_ROOT, tests/data/json under the
 * current directory, else the current directory itself. */
static char *corpus_dir(void)
{
    const char *root = getenv("BB_ROOT");
    char buf[4096];
    DIR *d;

    if (root && root[0]) {
        snprintf(buf, sizeof buf, "%s/tests/data/json", root);
        return bb_strdup(buf);
    }
    d = opendir("tests/data/json");
    if (d) {
        closedir(d);
        return bb_strdup("tests/data/json");
    }
    return bb_strdup(".");
}

static char *dump(const json_t *v)
{
    return v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
}

/* json_equal, except that object keys may hold NUL bytes (jansson's own
 * json_equal looks keys up as C strings). Integers and reals differ. */
static int json_eq(const json_t *a, const json_t *b)
{
    if (!a || !b || json_typeof(a) != json_typeof(b))
        return 0;
    if (json_is_array(a)) {
        size_t i;

        if (json_array_size(a) != json_array_size(b))
            return 0;
        for (i = 0; i < json_array_size(a); i++) {
            if (!json_eq(json_array_get(a, i), json_array_get(b, i)))
                return 0;
        }
        return 1;
    }
    if (json_is_object(a)) {
        const char *k;
        size_t kl;
        json_t *v;

        if (json_object_size(a) != json_object_size(b))
            return 0;
        json_object_keylen_foreach((json_t *)a, k, kl, v) {
            if (!json_eq(v, json_object_getn(b, k, kl)))
                return 0;
        }
        return 1;
    }
    return json_equal((json_t *)a, (json_t *)b);
}

static void assert_json_equal(const json_t *got, const json_t *want)
{
    if (!json_eq(got, want)) {
        char *g = dump(got), *w = dump(want);

        print_error("value mismatch\n  got:  %s\n  want: %s\n", g ? g : "(null)", w ? w : "(null)");
        free(g);
        free(w);
        fail();
    }
}

static bb_result parse_str(const char *s, int strict, json_parse_result *r)
{
    json_parse_params p = json_parse_default_params();

    p.strict = strict;
    return json_parse(s, strlen(s), &p, r);
}

/* ---------------------------------------------------------------- corpus */

typedef struct corpus_case {
    char path[1024];
    char expect[1024];
    char kind; /* 'y', 'n', 'r' */
} corpus_case;

static void corpus_y(const corpus_case *cc, const char *buf, size_t len)
{
    json_parse_params p = json_parse_default_params();
    json_parse_result rs, rl;
    json_error_t jerr;
    json_t *jv;
    bb_result rc;

    p.strict = 1;
    rc = json_parse(buf, len, &p, &rs);
    if (rc != BB_OK)
        print_error("%s: strict error %s at %u:%u: %s\n", cc->path, bb_result_name(rc), rs.err_line,
                    rs.err_col, rs.err_msg);
    assert_int_equal(rc, BB_OK);
    p.strict = 0;
    rc = json_parse(buf, len, &p, &rl);
    assert_int_equal(rc, BB_OK);
    assert_json_equal(rl.value, rs.value);
    if (rl.repairs.n)
        print_error("%s: first repair %s at %zu\n", cc->path,
                    json_repair_code_name(rl.repairs.items[0].code), rl.repairs.items[0].pos);
    assert_int_equal(rl.repairs.n, 0);
    assert_int_equal(rl.truncated, 0);
    /* where jansson accepts the document, the meaning is jansson's too */
    jv = json_loadb(buf, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    if (jv) {
        assert_json_equal(rs.value, jv);
        json_decref(jv);
    }
    json_parse_result_free(&rs);
    json_parse_result_free(&rl);
}

static void corpus_n(const corpus_case *cc, const char *buf, size_t len)
{
    json_parse_params p = json_parse_default_params();
    json_parse_result r;
    bb_result rc;

    p.strict = 1;
    rc = json_parse(buf, len, &p, &r);
    if (rc == BB_OK) {
        char *g = dump(r.value);

        print_error("%s: strict parser accepted it as %s\n", cc->path, g ? g : "?");
        free(g);
    }
    assert_int_equal(rc, BB_ERR_PARSE);
    assert_null(r.value);
    assert_true(r.err_line >= 1 && r.err_col >= 1);
    assert_true(r.err_pos <= len);
    assert_true(strlen(r.err_msg) > 0);
    json_parse_result_free(&r);
}

static void corpus_r(const corpus_case *cc, const char *buf, size_t len)
{
    json_parse_result r;
    json_error_t jerr;
    json_t *exp, *reps, *item;
    size_t i, want[JSON_REPAIR_CODE_COUNT_] = {0};
    bb_result rc;
    char *re;

    exp = json_load_file(cc->expect, 0, &jerr);
    if (!exp)
        print_error("%s: %s (line %d)\n", cc->expect, jerr.text, jerr.line);
    assert_non_null(exp);
    rc = json_parse(buf, len, NULL, &r);
    if (rc != BB_OK)
        print_error("%s: error %s at %u:%u: %s\n", cc->path, bb_result_name(rc), r.err_line, r.err_col,
                    r.err_msg);
    assert_int_equal(rc, BB_OK);
    assert_json_equal(r.value, json_object_get(exp, "value"));
    reps = json_object_get(exp, "repairs");
    assert_true(json_is_array(reps));
    json_array_foreach(reps, i, item) {
        int code = json_repair_code_from_name(json_string_value(item));

        if (code < 0)
            print_error("%s: unknown repair name %s\n", cc->expect, json_string_value(item));
        assert_true(code >= 0);
        want[code]++;
    }
    for (i = 0; i < JSON_REPAIR_CODE_COUNT_; i++) {
        size_t got = json_repair_list_count(&r.repairs, (json_repair_code)i);

        if (got != want[i]) {
            size_t k;

            print_error("%s: repair %s: got %zu, want %zu; all repairs:\n", cc->path,
                        json_repair_code_name((json_repair_code)i), got, want[i]);
            for (k = 0; k < r.repairs.n; k++)
                print_error("   %s@%zu\n", json_repair_code_name(r.repairs.items[k].code),
                            r.repairs.items[k].pos);
        }
        assert_int_equal(got, want[i]);
    }
    for (i = 0; i < r.repairs.n; i++) {
        assert_true(r.repairs.items[i].pos <= len);
        if (i)
            assert_true(r.repairs.items[i - 1].pos <= r.repairs.items[i].pos);
    }
    assert_int_equal(r.truncated, json_is_true(json_object_get(exp, "truncated")));
    /* the repaired value re-serialised is strict JSON with the same meaning */
    re = dump(r.value);
    assert_non_null(re);
    {
        json_parse_result r2;

        assert_int_equal(parse_str(re, 1, &r2), BB_OK);
        assert_json_equal(r2.value, r.value);
        json_parse_result_free(&r2);
    }
    free(re);
    json_decref(exp);
    json_parse_result_free(&r);
}

static void test_corpus_case(void **state)
{
    const corpus_case *cc = *state;
    char *buf = NULL;
    size_t len = 0;

    assert_int_equal(bb_file_read(cc->path, CORPUS_MAX_FILE, &buf, &len), BB_OK);
    if (cc->kind == 'y')
        corpus_y(cc, buf, len);
    else if (cc->kind == 'n')
        corpus_n(cc, buf, len);
    else
        corpus_r(cc, buf, len);
    bb_free(buf);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Fills cases and names from the corpus directory; returns the count. */
static size_t corpus_collect(corpus_case **cases_out, char ***names_out)
{
    char *dir = corpus_dir();
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = calloc(CORPUS_MAX_CASES, sizeof *names);
    corpus_case *cases = calloc(CORPUS_MAX_CASES, sizeof *cases);
    size_t n = 0, i;

    *cases_out = cases;
    *names_out = names;
    if (!d || !names || !cases) {
        fprintf(stderr, "corpus directory %s not readable\n", dir);
        if (d)
            closedir(d);
        bb_free(dir);
        return 0;
    }
    while (n < CORPUS_MAX_CASES) {
        size_t l;

        e = readdir(d);
        if (!e)
            break;
        l = strlen(e->d_name);
        if ((strncmp(e->d_name, "y_", 2) == 0 || strncmp(e->d_name, "n_", 2) == 0) && l > 5 &&
            strcmp(e->d_name + l - 5, ".json") == 0)
            names[n++] = strdup(e->d_name);
        else if (strncmp(e->d_name, "r_", 2) == 0 && l > 4 && strcmp(e->d_name + l - 4, ".txt") == 0)
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_names);
    for (i = 0; i < n; i++) {
        cases[i].kind = names[i][0];
        snprintf(cases[i].path, sizeof cases[i].path, "%s/%s", dir, names[i]);
        if (cases[i].kind == 'r')
            snprintf(cases[i].expect, sizeof cases[i].expect, "%s/%.*s.expect.json", dir,
                     (int)(strlen(names[i]) - 4), names[i]);
    }
    bb_free(dir);
    return n;
}

/* ---------------------------------------------------------------- limits */

static void test_depth_limit(void **state)
{
    size_t n = 100000, i;
    char *s = malloc(n);
    json_parse_result r;
    int strict;

    (void)state;
    assert_non_null(s);
    for (i = 0; i < n; i++)
        s[i] = '[';
    for (strict = 0; strict <= 1; strict++) {
        json_parse_params p = json_parse_default_params();

        p.strict = strict;
        assert_int_equal(json_parse(s, n, &p, &r), BB_ERR_LIMIT);
        assert_int_equal(r.err_pos, 256);
        assert_non_null(strstr(r.err_msg, "max_depth"));
        json_parse_result_free(&r);
    }
    /* exactly at the limit is fine */
    {
        json_parse_params p = json_parse_default_params();
        char buf[64];

        p.max_depth = 3;
        snprintf(buf, sizeof buf, "[[[1]]]");
        assert_int_equal(json_parse(buf, strlen(buf), &p, &r), BB_OK);
        json_parse_result_free(&r);
        snprintf(buf, sizeof buf, "[[[[1]]]]");
        assert_int_equal(json_parse(buf, strlen(buf), &p, &r), BB_ERR_LIMIT);
        assert_int_equal(r.err_pos, 3);
        json_parse_result_free(&r);
    }
    free(s);
}

static void test_input_limit(void **state)
{
    static const char small[] = "{\"a\": 1}";
    json_parse_result r;

    (void)state;
    /* a claimed 100 MB: refused before a byte is read */
    assert_int_equal(json_parse(small, (size_t)100 * 1024 * 1024, NULL, &r), BB_ERR_LIMIT);
    assert_null(r.value);
    assert_non_null(strstr(r.err_msg, "max_input"));
    json_parse_result_free(&r);
    {
        json_parse_params p = json_parse_default_params();

        p.max_input = 4;
        assert_int_equal(json_parse(small, strlen(small), &p, &r), BB_ERR_LIMIT);
        assert_int_equal(r.err_pos, 4);
        json_parse_result_free(&r);
    }
}

static void test_string_limit(void **state)
{
    size_t n = (size_t)5 * 1024 * 1024, i;
    char *s = malloc(n + 3);
    json_parse_result r;
    json_parse_params p = json_parse_default_params();

    (void)state;
    assert_non_null(s);
    s[0] = '"';
    for (i = 1; i <= n; i++)
        s[i] = 'a';
    s[n + 1] = '"';
    assert_int_equal(json_parse(s, n + 2, NULL, &r), BB_ERR_LIMIT);
    assert_non_null(strstr(r.err_msg, "max_string"));
    json_parse_result_free(&r);
    /* the escape (slow) path enforces it too */
    s[10] = '\\';
    s[11] = 'n';
    assert_int_equal(json_parse(s, n + 2, NULL, &r), BB_ERR_LIMIT);
    json_parse_result_free(&r);
    /* and a smaller configured limit */
    p.max_string = 8;
    assert_int_equal(json_parse("[\"12345678\"]", 12, &p, &r), BB_OK);
    json_parse_result_free(&r);
    assert_int_equal(json_parse("[\"123456789\"]", 13, &p, &r), BB_ERR_LIMIT);
    json_parse_result_free(&r);
    assert_int_equal(json_parse("[\"1234567\\n9\"]", 14, &p, &r), BB_ERR_LIMIT);
    json_parse_result_free(&r);
    /* numbers are bounded by max_string as well */
    p.max_string = 16;
    assert_int_equal(json_parse("1.00000000000000000000000000000001", 34, &p, &r), BB_ERR_LIMIT);
    json_parse_result_free(&r);
    free(s);
}

static void test_values_and_repairs_limits(void **state)
{
    json_parse_params p = json_parse_default_params();
    json_parse_result r;
    char *s;
    size_t i, n = 2000;

    (void)state;
    p.max_values = 4;
    assert_int_equal(json_parse("[1,2,3]", 7, &p, &r), BB_OK);
    json_parse_result_free(&r);
    assert_int_equal(json_parse("[1,2,3,4]", 9, &p, &r), BB_ERR_LIMIT);
    assert_non_null(strstr(r.err_msg, "max_values"));
    json_parse_result_free(&r);
    /* repairs past max_repairs are counted, not stored */
    s = malloc(2 * n + 3);
    assert_non_null(s);
    s[0] = '[';
    for (i = 0; i < n; i++) {
        s[1 + 2 * i] = '1';
        s[2 + 2 * i] = ' ';
    }
    s[2 * n + 1] = ']';
    p = json_parse_default_params();
    p.max_repairs = 10;
    assert_int_equal(json_parse(s, 2 * n + 2, &p, &r), BB_OK);
    assert_int_equal(json_array_size(r.value), n);
    assert_int_equal(r.repairs.n, 10);
    assert_int_equal(r.repairs.dropped, n - 1 - 10);
    json_parse_result_free(&r);
    free(s);
}

/* ---------------------------------------------------------------- repair codes */

typedef struct code_case {
    json_repair_code code;
    const char *input;
    size_t pos;
} code_case;

static const code_case code_cases[] = {
    {JSON_REPAIR_BOM, "\xEF\xBB\xBF[1]", 0},
    {JSON_REPAIR_THINK, "<think>x</think>[1]", 0},
    {JSON_REPAIR_FENCE, "```json\n[1]\n```", 0},
    {JSON_REPAIR_PROSE, "ok: [1]", 0},
    {JSON_REPAIR_COMMENT, "[1 /* c */]", 3},
    {JSON_REPAIR_TRAILING_COMMA, "[1,]", 2},
    {JSON_REPAIR_SINGLE_QUOTE, "['a']", 1},
    {JSON_REPAIR_UNQUOTED_KEY, "{a: 1}", 1},
    {JSON_REPAIR_PYTHON_CONST, "[None]", 1},
    {JSON_REPAIR_CONTROL_CHAR, "[\"a\nb\"]", 3},
    {JSON_REPAIR_MULTIPLE_VALUES, "[1] [2]", 4},
    {JSON_REPAIR_UNCLOSED_STRING, "[\"ab", 1},
    {JSON_REPAIR_UNCLOSED_ARRAY, "[1", 0},
    {JSON_REPAIR_UNCLOSED_OBJECT, "{\"a\":1", 0},
    {JSON_REPAIR_INVALID_UTF8, "[\"\xFF\"]", 2},
    {JSON_REPAIR_MISSING_COMMA, "[1 2]", 3},
    {JSON_REPAIR_MISSING_VALUE, "{\"a\":", 1},
    {JSON_REPAIR_INVALID_ESCAPE, "[\"\\x\"]", 2},
    {JSON_REPAIR_NUMBER_FORMAT, "[01]", 1},
    {JSON_REPAIR_NONFINITE, "[NaN]", 1},
    {JSON_REPAIR_DUPLICATE_KEY, "{\"a\":1,\"a\":2}", 7},
    {JSON_REPAIR_SMART_QUOTE, "[\xE2\x80\x9C" "a\xE2\x80\x9D]", 1},
    {JSON_REPAIR_UNESCAPED_QUOTE, "[\"say \"hi\" now\"]", 6},
    {JSON_REPAIR_MISSING_COLON, "{\"a\" 1}", 5},
};

static void test_every_repair_code(void **state)
{
    size_t i;
    int seen[JSON_REPAIR_CODE_COUNT_] = {0};

    (void)state;
    for (i = 0; i < sizeof code_cases / sizeof code_cases[0]; i++) {
        json_parse_result r;
        size_t k;
        int found = 0;

        assert_int_equal(parse_str(code_cases[i].input, 0, &r), BB_OK);
        for (k = 0; k < r.repairs.n; k++) {
            if (r.repairs.items[k].code == code_cases[i].code && r.repairs.items[k].pos == code_cases[i].pos)
                found = 1;
        }
        if (!found)
            print_error("no %s at %zu for %s\n", json_repair_code_name(code_cases[i].code),
                        code_cases[i].pos, code_cases[i].input);
        assert_true(found);
        seen[code_cases[i].code] = 1;
        json_parse_result_free(&r);
        /* and the strict parser rejects every one of them (RFC 8259 allows
         * duplicate keys: strict keeps the last, without a record) */
        assert_int_equal(parse_str(code_cases[i].input, 1, &r),
                         code_cases[i].code == JSON_REPAIR_DUPLICATE_KEY ? BB_OK : BB_ERR_PARSE);
        json_parse_result_free(&r);
    }
    for (i = 0; i <= JSON_REPAIR_SMART_QUOTE; i++)
        assert_true(seen[i]);
    for (i = JSON_REPAIR_UNESCAPED_QUOTE; i < JSON_REPAIR_CODE_COUNT_; i++)
        assert_true(seen[i]);
}

static void test_code_names(void **state)
{
    int i, j;

    (void)state;
    for (i = 0; i < JSON_REPAIR_CODE_COUNT_; i++) {
        const char *n = json_repair_code_name((json_repair_code)i);

        assert_string_not_equal(n, "unknown");
        assert_int_equal(json_repair_code_from_name(n), i);
        for (j = 0; j < i; j++)
            assert_string_not_equal(n, json_repair_code_name((json_repair_code)j));
    }
    assert_string_equal(json_repair_code_name(JSON_REPAIR_CODE_COUNT_), "unknown");
    assert_int_equal(json_repair_code_from_name("no_such_code"), -1);
    assert_int_equal(json_repair_code_from_name(NULL), -1);
    assert_string_equal(json_repair_code_name(JSON_REPAIR_TRAILING_COMMA), "trailing_comma");
    assert_string_equal(json_repair_code_name(JSON_REPAIR_PROSE), "surrounding_text");
}

static void test_repair_list(void **state)
{
    json_repair_list l;
    size_t i;

    (void)state;
    json_repair_list_init(&l, 3);
    for (i = 0; i < 5; i++)
        assert_int_equal(json_repair_list_add(&l, JSON_REPAIR_COERCE_NUMBER, (size_t)-1, "$input.a[0]"),
                         BB_OK);
    assert_int_equal(l.n, 3);
    assert_int_equal(l.dropped, 2);
    assert_string_equal(l.items[2].path, "$input.a[0]");
    assert_int_equal(json_repair_list_count(&l, JSON_REPAIR_COERCE_NUMBER), 3);
    assert_int_equal(json_repair_list_count(&l, JSON_REPAIR_BOM), 0);
    json_repair_list_free(&l);
    json_repair_list_free(&l);
    json_repair_list_free(NULL);
}

/* ---------------------------------------------------------------- errors */

typedef struct err_case {
    const char *input;
    int strict;
    size_t pos;
    unsigned line, col;
    const char *msg_part;
} err_case;

static const err_case err_cases[] = {
    {"{\"a\": 1,}", 1, 7, 1, 8, "trailing comma"},
    {"[1,\n 2,\n x]", 1, 9, 3, 2, "unexpected"},
    {"{\"a\" 1}", 1, 5, 1, 6, "':'"},
    {"[\"a\nb\"]", 1, 3, 1, 4, "control character"},
    {"[1] 2", 1, 4, 1, 5, "after the JSON value"},
    {"", 1, 0, 1, 1, "end of input"},
    {"{\"a\": [1, 2", 1, 11, 1, 12, "end of input"},
    {"[\"\\ud800\"]", 1, 2, 1, 3, "surrogate"},
    {"[01]", 1, 1, 1, 2, "leading zero"},
    {"\xEF\xBB\xBF[]", 1, 0, 1, 1, "byte order mark"},
    {"[\"\xC3\x28\"]", 1, 2, 1, 3, "UTF-8"},
    {"[1, 2}", 1, 5, 1, 6, "expected ','"},
    {"[1, 2}", 0, 5, 1, 6, "expected ','"},
    {"Hello, no JSON here.", 0, 0, 1, 1, "no JSON"},
    {"  \n  ", 0, 5, 2, 3, "no JSON value"},
    {"{\"a\" x}", 0, 5, 1, 6, "':'"},
};

static void test_error_positions(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof err_cases / sizeof err_cases[0]; i++) {
        const err_case *e = &err_cases[i];
        json_parse_result r;
        bb_result rc = parse_str(e->input, e->strict, &r);

        if (rc != BB_ERR_PARSE || r.err_pos != e->pos || r.err_line != e->line || r.err_col != e->col ||
            !strstr(r.err_msg, e->msg_part))
            print_error("case %zu: rc %d pos %zu %u:%u msg '%s'\n", i, rc, r.err_pos, r.err_line, r.err_col,
                        r.err_msg);
        assert_int_equal(rc, BB_ERR_PARSE);
        assert_null(r.value);
        assert_int_equal(r.err_pos, e->pos);
        assert_int_equal(r.err_line, e->line);
        assert_int_equal(r.err_col, e->col);
        assert_non_null(strstr(r.err_msg, e->msg_part));
        assert_int_equal(r.repairs.n, 0);
        json_parse_result_free(&r);
    }
}

static void test_strict_meaning(void **state)
{
    json_parse_result r;
    const char *k;
    size_t kl;
    json_t *v;

    (void)state;
    assert_int_equal(parse_str("[9223372036854775807, 9223372036854775808, "
                               "-9223372036854775808, 1.0, 1]", 1, &r),
                     BB_OK);
    assert_true(json_is_integer(json_array_get(r.value, 0)));
    assert_true(json_integer_value(json_array_get(r.value, 0)) == INT64_MAX);
    assert_true(json_is_real(json_array_get(r.value, 1)));
    assert_true(json_is_integer(json_array_get(r.value, 2)));
    assert_true(json_integer_value(json_array_get(r.value, 2)) == INT64_MIN);
    assert_true(json_is_real(json_array_get(r.value, 3)));
    assert_true(json_is_integer(json_array_get(r.value, 4)));
    json_parse_result_free(&r);
    assert_int_equal(parse_str("{\"a\\u0000b\": \"x\\u0000y\"}", 1, &r), BB_OK);
    json_object_keylen_foreach(r.value, k, kl, v) {
        assert_int_equal(kl, 3);
        assert_memory_equal(k, "a\0b", 3);
        assert_int_equal(json_string_length(v), 3);
        assert_memory_equal(json_string_value(v), "x\0y", 3);
    }
    json_parse_result_free(&r);
    assert_int_equal(parse_str("\"\\ud83d\\ude00\"", 1, &r), BB_OK);
    assert_string_equal(json_string_value(r.value), "\xF0\x9F\x98\x80");
    json_parse_result_free(&r);
}

/* ---------------------------------------------------------------- allocation failure */

static const char *const nomem_inputs[] = {
    "{\"a\": [1, 2.5, \"x\\ny\", {\"b\": null}], \"c\": true, \"d\": \"long string value here\"}",
    "Sure!\n```json\n{'a': True, b: [1,, 2,], // c\n \"s\": \"x\n\"\n```\nbye",
    "<think>hmm {x}</think> prose {\"k\": \"v\"} {\"l\": 1}",
    "{\"cut\": [1, {\"x\": \"abc",
    "[1e999, 12345678901234567890123, \"\\ud800\", \"\xff\"]",
};

static void test_alloc_failure(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof nomem_inputs / sizeof nomem_inputs[0]; i++) {
        json_parse_result ref;
        long k;
        int strict = 0;
        unsigned long before = bb_alloc_count(), needed;

        assert_int_equal(parse_str(nomem_inputs[i], strict, &ref), BB_OK);
        needed = bb_alloc_count() - before;
        for (k = 0; k <= (long)needed + 2; k++) {
            json_parse_result r;
            bb_result rc;

            bb_alloc_fail_after(k);
            rc = parse_str(nomem_inputs[i], strict, &r);
            bb_alloc_fail_after(-1);
            if (rc != BB_OK && rc != BB_ERR_NOMEM)
                print_error("input %zu, fail after %ld: %s (%s)\n", i, k, bb_result_name(rc), r.err_msg);
            assert_true(rc == BB_OK || rc == BB_ERR_NOMEM);
            if (k == 0)
                assert_int_equal(rc, BB_ERR_NOMEM);
            if (rc == BB_OK) {
                assert_json_equal(r.value, ref.value);
                assert_int_equal(r.repairs.n, ref.repairs.n);
            } else {
                assert_null(r.value);
            }
            json_parse_result_free(&r);
        }
        json_parse_result_free(&ref);
    }
}

/* ---------------------------------------------------------------- linear time */

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_hostile_prose_linear(void **state)
{
    static const char *const pats[] = {"{x ",      "[a ",   "{\"k\" ", "<think>{",
                                       "```json\n{\"a\" x\n```\n", "[[[[{"};
    size_t n = 400000, i, j;
    char *s = malloc(n + 16);

    (void)state;
    assert_non_null(s);
    for (j = 0; j < sizeof pats / sizeof pats[0]; j++) {
        size_t pl = strlen(pats[j]), len = 0;
        json_parse_result r;
        double t0;

        while (len + pl <= n) {
            memcpy(s + len, pats[j], pl);
            len += pl;
        }
        t0 = now_s();
        (void)json_parse(s, len, NULL, &r);
        json_parse_result_free(&r);
        /* quadratic behaviour on 400 KB would take minutes; linear takes milliseconds */
        assert_true(now_s() - t0 < 5.0);
    }
    /* a valid value after a long stretch of prose is still found */
    for (i = 0; i < n; i++)
        s[i] = (i % 7 == 0) ? '{' : 'x';
    memcpy(s + n, "{\"ok\":1}", 8);
    {
        json_parse_result r;

        assert_int_equal(json_parse(s, n + 8, NULL, &r), BB_OK);
        assert_int_equal(json_integer_value(json_object_get(r.value, "ok")), 1);
        json_parse_result_free(&r);
    }
    free(s);
}

/* ---------------------------------------------------------------- real responses */

/* The arguments object inside a call a model wrote into its text:
 * the value itself or its "arguments"/"parameters" (also under "function"). */
static int found_arguments(const json_t *v, const json_t *want)
{
    static const char *const keys[] = {"arguments", "parameters"};
    const json_t *f = json_object_get(v, "function");
    size_t i;

    if (json_eq(v, want))
        return 1;
    for (i = 0; i < 2; i++) {
        if (json_eq(json_object_get(v, keys[i]), want) || json_eq(json_object_get(f, keys[i]), want))
            return 1;
    }
    return 0;
}

/* One recorded, non-streamed response of $BB_SHARED/data/server-responses:
 * the body is strict JSON (same value as jansson); string tool-call arguments
 * and JSON written into the content parse leniently to the expected call. */
static int check_server_response(const char *dir, const char *name, int *checked_calls)
{
    char path[4096], *buf = NULL;
    size_t len = 0;
    json_error_t jerr;
    json_t *exp = NULL, *want, *msg, *tcs, *jv = NULL;
    const char *kind;
    json_parse_result r;
    int ok = 0;

    snprintf(path, sizeof path, "%s/%s.expect.json", dir, name);
    exp = json_load_file(path, 0, &jerr);
    if (!exp)
        return 0;
    if (json_is_true(json_object_get(exp, "streamed"))) {
        ok = 1;
        goto out;
    }
    snprintf(path, sizeof path, "%s/%s.body", dir, name);
    if (bb_file_read(path, CORPUS_MAX_FILE, &buf, &len) != BB_OK)
        goto out;
    if (parse_str(buf, 1, &r) != BB_OK) {
        print_error("%s: strict parse failed at %u:%u: %s\n", name, r.err_line, r.err_col, r.err_msg);
        json_parse_result_free(&r);
        goto out;
    }
    /* jansson rejects integers past json_int_t (one body has one); we read
     * them as reals, so compare only where jansson accepts */
    jv = json_loadb(buf, len, 0, &jerr);
    if (jv && !json_eq(jv, r.value)) {
        print_error("%s: strict value differs from jansson's\n", name);
        json_parse_result_free(&r);
        goto out;
    }
    msg = json_object_get(json_array_get(json_object_get(r.value, "choices"), 0), "message");
    if (!msg)
        msg = json_object_get(r.value, "message");
    want = json_object_get(json_object_get(exp, "expect"), "arguments");
    tcs = json_object_get(msg, "tool_calls");
    kind = json_string_value(json_object_get(json_object_get(exp, "expect"), "kind"));
    if (want && kind && strcmp(kind, "call") == 0) {
        const json_t *fn = json_object_get(json_array_get(tcs, 0), "function");
        const char *args = json_string_value(json_object_get(fn, "arguments"));
        const char *content = json_string_value(json_object_get(msg, "content"));
        const char *text = args;

        if (!text && json_array_size(tcs) == 0 && content && strchr(content, '{'))
            text = content;

        if (text) {
            json_parse_result ra;

            if (parse_str(text, 0, &ra) != BB_OK || !found_arguments(ra.value, want)) {
                char *g = dump(ra.value);

                print_error("%s: lenient parse of the call gave %s (%s)\n", name, g ? g : "error",
                            ra.err_msg);
                free(g);
                json_parse_result_free(&ra);
                json_parse_result_free(&r);
                goto out;
            }
            (*checked_calls)++;
            json_parse_result_free(&ra);
        }
    }
    json_parse_result_free(&r);
    ok = 1;
out:
    json_decref(jv);
    json_decref(exp);
    bb_free(buf);
    return ok;
}

static void test_server_responses(void **state)
{
    const char *shared = getenv("BB_SHARED");
    char dir[1024];
    DIR *d;
    struct dirent *e;
    int n = 0, calls = 0, bad = 0;

    (void)state;
    if (!shared || !shared[0]) {
        print_message("BB_SHARED not set: recorded responses not checked\n");
        skip();
    }
    snprintf(dir, sizeof dir, "%s/data/server-responses", shared);
    d = opendir(dir);
    if (!d) {
        print_message("%s not found: recorded responses not checked\n", dir);
        skip();
    }
    for (;;) {
        size_t l;
        char name[512];

        e = readdir(d);
        if (!e)
            break;
        l = strlen(e->d_name);
        if (l < 6 || l >= sizeof name || strcmp(e->d_name + l - 5, ".body") != 0)
            continue;
        snprintf(name, sizeof name, "%.*s", (int)(l - 5), e->d_name);
        if (!check_server_response(dir, name, &calls))
            bad++;
        n++;
    }
    closedir(d);
    print_message("server responses: %d bodies, %d calls parsed\n", n, calls);
    assert_int_equal(bad, 0);
    assert_true(n >= 10);
    assert_true(calls >= 5);
}

/* ---------------------------------------------------------------- main */

int main(void)
{
    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_input_limit),
        cmocka_unit_test(test_string_limit),
        cmocka_unit_test(test_values_and_repairs_limits),
        cmocka_unit_test(test_every_repair_code),
        cmocka_unit_test(test_code_names),
        cmocka_unit_test(test_repair_list),
        cmocka_unit_test(test_error_positions),
        cmocka_unit_test(test_strict_meaning),
        cmocka_unit_test(test_alloc_failure),
        cmocka_unit_test(test_hostile_prose_linear),
        cmocka_unit_test(test_server_responses),
    };
    size_t nfixed = sizeof fixed / sizeof fixed[0], n, i, total;
    corpus_case *cases = NULL;
    char **names = NULL;
    struct CMUnitTest *tests;
    int rc;

    bb_json_init();
    n = corpus_collect(&cases, &names);
    total = nfixed + n + 1;
    tests = calloc(total, sizeof *tests);
    if (!tests)
        return 1;
    for (i = 0; i < nfixed; i++)
        tests[i] = fixed[i];
    for (i = 0; i < n; i++) {
        tests[nfixed + i].name = names[i];
        tests[nfixed + i].test_func = test_corpus_case;
        tests[nfixed + i].initial_state = &cases[i];
    }
    /* an empty corpus directory is a failure, not a silent pass */
    if (n < 220) {
        fprintf(stderr, "only %zu corpus cases found\n", n);
        rc = 1;
    } else {
        rc = _cmocka_run_group_tests("json_repair", tests, nfixed + n, NULL, NULL);
    }
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(cases);
    free(tests);
    return rc;
}
