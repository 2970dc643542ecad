/*
 * test_util.c — unit tests for src/util: result names, the capped buffer, the
 * arena and the allocation wrapper's failure injection.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/file.h"
#include "util/result.h"

static void test_strerror_covers_all(void **state)
{
    int i;

    (void)state;
    for (i = 0; i < BB_RESULT_COUNT_; i++) {
        assert_non_null(bb_strerror((bb_result)i));
        assert_string_not_equal(bb_result_name((bb_result)i), "unknown");
    }
    assert_string_equal(bb_strerror((bb_result)9999), "unknown error");
}

static void test_buf_cap_is_hard(void **state)
{
    bb_buf b;

    (void)state;
    bb_buf_init(&b, 10);
    assert_int_equal(bb_buf_puts(&b, "0123456789"), BB_OK);
    assert_int_equal(b.len, 10);
    assert_int_equal(bb_buf_putc(&b, 'x'), BB_ERR_LIMIT);
    assert_int_equal(b.len, 10);
    assert_string_equal(b.data, "0123456789");
    bb_buf_reset(&b);
    assert_int_equal(bb_buf_printf(&b, "%d-%s", 42, "ab"), BB_OK);
    assert_string_equal(bb_buf_str(&b), "42-ab");
    assert_int_equal(bb_buf_printf(&b, "%s", "too long for it"), BB_ERR_LIMIT);
    assert_string_equal(bb_buf_str(&b), "42-ab");
    bb_buf_free(&b);
    bb_buf_free(&b);
}

static void test_buf_json_string(void **state)
{
    bb_buf b;

    (void)state;
    bb_buf_init(&b, 100);
    assert_int_equal(bb_buf_put_json_string(&b, "a\"b\\\n\x01", 6), BB_OK);
    assert_string_equal(bb_buf_str(&b), "\"a\\\"b\\\\\\n\\u0001\"");
    bb_buf_free(&b);
}

static void test_buf_take(void **state)
{
    bb_buf b;
    char *s;

    (void)state;
    bb_buf_init(&b, 100);
    s = bb_buf_take(&b);
    assert_string_equal(s, "");
    bb_free(s);
    assert_int_equal(bb_buf_puts(&b, "hello"), BB_OK);
    s = bb_buf_take(&b);
    assert_string_equal(s, "hello");
    assert_null(b.data);
    bb_free(s);
}

static void test_arena(void **state)
{
    bb_arena *a = bb_arena_new(200000);
    char *s;
    int i;

    (void)state;
    assert_non_null(a);
    for (i = 0; i < 1000; i++) {
        s = bb_arena_printf(a, "item-%d", i);
        assert_non_null(s);
        assert_int_equal((uintptr_t)s % 16, 0);
    }
    assert_string_equal(bb_arena_strndup(a, "abcdef", 3), "abc");
    /* a big object gets its own chunk */
    assert_non_null(bb_arena_alloc(a, 100000));
    assert_non_null(bb_arena_strdup(a, "still fine"));
    assert_int_equal(bb_arena_failed(a), BB_OK);
    /* the cap */
    assert_null(bb_arena_alloc(a, 150000));
    assert_int_equal(bb_arena_failed(a), BB_ERR_LIMIT);
    assert_null(bb_arena_calloc(a, SIZE_MAX / 2, 4));
    bb_arena_free(a);
    bb_arena_free(NULL);
}

static void test_alloc_failure_injection(void **state)
{
    bb_buf b;
    void *p;

    (void)state;
    bb_alloc_fail_after(1);
    p = bb_malloc(10);
    assert_non_null(p);
    assert_null(bb_malloc(10));
    assert_null(bb_strdup("x"));
    bb_buf_init(&b, 100);
    assert_int_equal(bb_buf_puts(&b, "x"), BB_ERR_NOMEM);
    assert_null(bb_arena_new(0));
    bb_alloc_fail_after(-1);
    bb_free(p);
    assert_int_equal(bb_buf_puts(&b, "x"), BB_OK);
    bb_buf_free(&b);
}

static void test_file_read_cap(void **state)
{
    char *data = NULL;
    size_t len = 0;

    (void)state;
    assert_int_equal(bb_file_read("Makefile", 10, &data, &len), BB_ERR_LIMIT);
    assert_null(data);
    assert_int_equal(bb_file_read("Makefile", 1 << 20, &data, &len), BB_OK);
    assert_true(len > 100);
    assert_int_equal(strlen(data), len);
    bb_free(data);
    assert_int_equal(bb_file_read("no/such/file", 10, &data, &len), BB_ERR_NOT_FOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strerror_covers_all),
        cmocka_unit_test(test_buf_cap_is_hard),
        cmocka_unit_test(test_buf_json_string),
        cmocka_unit_test(test_buf_take),
        cmocka_unit_test(test_arena),
        cmocka_unit_test(test_alloc_failure_injection),
        cmocka_unit_test(test_file_read_cap),
    };
    return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
