/*
 * test_names.c — name normalisation (bench/names.h), driven by the table
 * tests/data/score/names.json: inputs and the words they must give, pairs
 * that must (not) compare equal, design prefixes of table sets, and API
 * paths with their normalised form (plus paths that must be refused).
 * Limits: a name of too many words or bytes is BB_ERR_LIMIT, never cut.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "bench/names.h"
#include "json/json_util.h"

static json_t *table;

static int setup(void **state)
{
    char path[1024];
    const char *root = getenv("BB_ROOT");
    json_error_t je;

    (void)state;
    snprintf(path, sizeof path, "%s/tests/data/score/names.json", root && *root ? root : ".");
    table = json_load_file(path, 0, &je);
    if (!table)
        print_message("# %s: %s\n", path, je.text);
    return table ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    json_decref(table);
    return 0;
}

static void test_words(void **state)
{
    json_t *cases = json_object_get(table, "words"), *c;
    size_t i, k;

    (void)state;
    json_array_foreach(cases, i, c) {
        const char *in = json_string_value(json_array_get(c, 0));
        json_t *want = json_array_get(c, 1);
        bench_name n;
        char joined[256] = "";

        assert_int_equal(bench_name_parse(in, &n), BB_OK);
        if (n.n_words != json_array_size(want))
            fail_msg("\"%s\": %zu words, expected %zu (got \"%s\")", in, n.n_words, json_array_size(want), n.joined);
        for (k = 0; k < n.n_words; k++) {
            if (!bench_name_word_is(&n, k, json_string_value(json_array_get(want, k))))
                fail_msg("\"%s\": word %zu is not \"%s\" (joined \"%s\")", in, k,
                         json_string_value(json_array_get(want, k)), n.joined);
            snprintf(joined + strlen(joined), sizeof joined - strlen(joined), "%s",
                     json_string_value(json_array_get(want, k)));
        }
        assert_string_equal(n.joined, joined);
        assert_string_equal(bench_name_tail(&n, 0), joined);
        assert_string_equal(bench_name_tail(&n, n.n_words), "");
    }
}

static void test_equal(void **state)
{
    json_t *cases = json_object_get(table, "equal"), *c;
    size_t i;

    (void)state;
    json_array_foreach(cases, i, c) {
        bench_name a, b;

        assert_int_equal(bench_name_parse(json_string_value(json_array_get(c, 0)), &a), BB_OK);
        assert_int_equal(bench_name_parse(json_string_value(json_array_get(c, 1)), &b), BB_OK);
        assert_int_equal(bench_name_equal(&a, 0, &b, 0), json_is_true(json_array_get(c, 2)));
    }
}

static void test_prefix(void **state)
{
    json_t *cases = json_object_get(table, "prefix"), *c;
    size_t i, k;

    (void)state;
    json_array_foreach(cases, i, c) {
        json_t *names = json_array_get(c, 0);
        bench_name n[16];
        size_t words = 99, which = 99;

        for (k = 0; k < json_array_size(names); k++)
            assert_int_equal(bench_name_parse(json_string_value(json_array_get(names, k)), &n[k]), BB_OK);
        bench_names_prefix(n, json_array_size(names), &words, &which);
        if (words != (size_t)json_integer_value(json_array_get(c, 1)))
            fail_msg("case %zu: prefix of %zu words, expected %lld", i, words,
                     json_integer_value(json_array_get(c, 1)));
        /* dropping never leaves a name empty */
        for (k = 0; k < json_array_size(names); k++)
            assert_true(bench_name_prefix_drop(&n[k], &n[which], words) < n[k].n_words);
    }
    {
        size_t words = 9, which = 9;

        bench_names_prefix(NULL, 0, &words, &which);
        assert_int_equal(words, 0);
    }
}

static void test_paths(void **state)
{
    json_t *cases = json_object_get(table, "paths"), *bad = json_object_get(table, "bad_paths"), *c;
    size_t i;
    bench_path p;
    char seg[64];

    (void)state;
    json_array_foreach(cases, i, c) {
        const char *in = json_string_value(json_array_get(c, 0));

        assert_int_equal(bench_path_normalise(in, &p), BB_OK);
        assert_string_equal(p.text, json_string_value(json_array_get(c, 1)));
        assert_string_equal(bench_path_tail(&p, 0), p.text);
    }
    json_array_foreach(bad, i, c) {
        if (bench_path_normalise(json_string_value(c), &p) == BB_OK)
            fail_msg("\"%s\" accepted as a path", json_string_value(c));
    }
    assert_int_equal(bench_path_normalise("/a/{b}/c", &p), BB_OK);
    assert_int_equal(p.n_segs, 3);
    assert_string_equal(bench_path_segment(&p, 1, seg, sizeof seg), "{}");
    assert_string_equal(bench_path_segment(&p, 2, seg, sizeof seg), "c");
    assert_string_equal(bench_path_segment(&p, 3, seg, sizeof seg), "");
    assert_string_equal(bench_path_tail(&p, 1), "{}/c");
}

static void test_limits(void **state)
{
    char many[512], longw[300];
    bench_name n;
    bench_path p;
    size_t i;

    (void)state;
    for (i = 0; i < BENCH_NAME_MAX_WORDS + 1; i++)
        memcpy(many + 3 * i, "ab_", 4);
    assert_int_equal(bench_name_parse(many, &n), BB_ERR_LIMIT);
    memset(longw, 'a', sizeof longw - 1);
    longw[sizeof longw - 1] = '\0';
    assert_int_equal(bench_name_parse(longw, &n), BB_ERR_LIMIT);
    assert_int_equal(bench_name_parse("___", &n), BB_ERR_INVALID);
    assert_int_equal(bench_name_parse(NULL, &n), BB_ERR_INVALID);
    for (i = 0; i < BENCH_PATH_MAX_SEGS + 1; i++)
        memcpy(many + 2 * i, "/x", 3);
    assert_int_equal(bench_path_normalise(many, &p), BB_ERR_LIMIT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_words), cmocka_unit_test(test_equal),  cmocka_unit_test(test_prefix),
        cmocka_unit_test(test_paths), cmocka_unit_test(test_limits),
    };

    bb_json_init();
    return cmocka_run_group_tests(tests, setup, teardown);
}
