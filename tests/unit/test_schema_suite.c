/*
 * test_schema_suite.c — runs the official JSON-Schema-Test-Suite (draft 7,
 * Debian package json-schema-test-suite) against the validator.
 *
 * Every file → group → test whose schema compiles (i.e. uses only supported
 * keywords) is run through both schema_validate and schema_is_valid, which
 * must agree with each other and with the expected verdict. Groups whose
 * schema does not compile are skipped and listed with the reasons the
 * compiler gave (unsupported keywords, remote refs). The optional/ folder is
 * skipped except optional/format/ files of the supported formats. At least
 * 99% of the run tests must pass. BB_JSTS_DIR overrides the suite location.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <cmocka.h>

#include "json/json_util.h"
#include "schema/schema.h"

#define SUITE_DEFAULT "/usr/share/json-schema-test-suite/tests/draft7"

static const char *const suite_formats[] = {
    "date-time.json", "date.json", "time.json", "email.json", "uri.json",
    "ipv4.json", "ipv6.json", "hostname.json", NULL,
};

typedef struct suite_stats {
    size_t run, passed, skipped_groups, skipped_tests, files;
} suite_stats;

static int suite_name_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void suite_run_file(const char *dir, const char *name, suite_stats *st, int may_fail_to_load)
{
    char path[4096];
    json_error_t jerr;
    json_t *doc;
    size_t g, t;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    doc = json_load_file(path, JSON_DECODE_ANY, &jerr);
    if (!doc && may_fail_to_load) {
        printf("# skip %s: jansson cannot load it (%s)\n", name, jerr.text);
        return;
    }
    assert_non_null(doc);
    st->files++;
    for (g = 0; g < json_array_size(doc); g++) {
        const json_t *group = json_array_get(doc, g);
        const json_t *tests = json_object_get(group, "tests");
        const char *gdesc = json_string_value(json_object_get(group, "description"));
        schema *s = NULL;
        schema_errors issues;
        bb_result rc;

        schema_errors_init(&issues, 10);
        rc = schema_compile(json_object_get(group, "schema"), NULL, &s, &issues);
        if (rc != BB_OK) {
            size_t i;

            st->skipped_groups++;
            st->skipped_tests += json_array_size(tests);
            printf("# skip %s / %s:", name, gdesc);
            for (i = 0; i < issues.n; i++)
                printf(" [%s %s]", issues.items[i].path,
                       issues.items[i].message ? issues.items[i].message : issues.items[i].expected);
            printf("\n");
            assert_int_equal(rc, BB_ERR_SCHEMA);
            assert_true(issues.n > 0);
            schema_errors_free(&issues);
            continue;
        }
        schema_errors_free(&issues);
        for (t = 0; t < json_array_size(tests); t++) {
            const json_t *test = json_array_get(tests, t);
            int want = json_is_true(json_object_get(test, "valid"));
            const json_t *data = json_object_get(test, "data");
            schema_errors errs;
            int fast = schema_is_valid(s, data), full;

            schema_errors_init(&errs, 50);
            rc = schema_validate(s, data, &errs);
            assert_true(rc == BB_OK || rc == BB_ERR_INVALID);
            full = rc == BB_OK;
            /* the two entry points must agree; an invalid verdict has errors */
            assert_int_equal(fast, full);
            assert_int_equal(full, errs.n == 0);
            st->run++;
            if (full == want)
                st->passed++;
            else
                printf("# FAIL %s / %s / %s: expected %s\n", name, gdesc,
                       json_string_value(json_object_get(test, "description")), want ? "valid" : "invalid");
            schema_errors_free(&errs);
        }
        schema_free(s);
    }
    json_decref(doc);
}

static void test_suite_draft7(void **state)
{
    const char *dir = getenv("BB_JSTS_DIR") ? getenv("BB_JSTS_DIR") : SUITE_DEFAULT;
    char fmtdir[4096];
    DIR *d;
    struct dirent *e;
    char *names[256];
    size_t n = 0, i;
    suite_stats st;

    (void)state;
    memset(&st, 0, sizeof st);
    d = opendir(dir);
    if (!d) {
        printf("# %s missing: install json-schema-test-suite\n", dir);
        skip();
    }
    for (e = readdir(d); e && n < 256; e = readdir(d)) {
        size_t len = strlen(e->d_name);

        if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0)
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof names[0], suite_name_cmp);
    for (i = 0; i < n; i++) {
        suite_run_file(dir, names[i], &st, 0);
        free(names[i]);
    }
    snprintf(fmtdir, sizeof fmtdir, "%s/optional/format", dir);
    for (i = 0; suite_formats[i]; i++)
        suite_run_file(fmtdir, suite_formats[i], &st, 0);
    printf("# draft7 suite: %zu files, %zu/%zu tests passed (%.2f%%), %zu groups (%zu tests) skipped\n", st.files,
           st.passed, st.run, st.run ? 100.0 * (double)st.passed / (double)st.run : 0.0, st.skipped_groups,
           st.skipped_tests);
    {
        /* informational: other optional files, not counted in the 99% */
        static const char *const extra[] = {"ecmascript-regex.json", "bignum.json", "zeroTerminatedFloats.json",
                                            NULL};
        suite_stats ex;
        char optdir[4096];

        memset(&ex, 0, sizeof ex);
        snprintf(optdir, sizeof optdir, "%s/optional", dir);
        for (i = 0; extra[i]; i++)
            suite_run_file(optdir, extra[i], &ex, 1);
        printf("# informational, optional/ (ecmascript-regex, bignum, zeroTerminatedFloats): %zu/%zu "
               "passed, %zu groups skipped\n",
               ex.passed, ex.run, ex.skipped_groups);
    }
    assert_true(st.run > 400);
    assert_true(st.passed * 100 >= st.run * 99);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_suite_draft7),
    };

    bb_json_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
