/*
 * test_mutate.c — the mutation operators (engine_mutate.h).
 *
 * A small operation with known sites (tests/data/test_ast/mutate_op.txt)
 * gives an exact count per operator; every mutant applies to a document that
 * differs from the original and loads; names are unique and stable between
 * two enumerations; an index past the last site is refused. The gold
 * implementations of todo and bbs yield mutants of all nine operators.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ast/ast_impl.h"
#include "ast/ast_impl_text.h"
#include "engine/engine_mutate.h"
#include "json/json_util.h"
#include "util/alloc.h"
#include "util/file.h"

static json_t *small_op(void)
{
    char *text = NULL;
    size_t len = 0;
    json_t *arr = NULL, *op;
    bb_buf err;
    assert_int_equal(bb_file_read("tests/data/test_ast/mutate_op.txt", 1 << 20, &text, &len), BB_OK);
    bb_buf_init(&err, 1024);
    if (ast_impl_text_parse(text, len, &arr, &err) != BB_OK)
        fail_msg("%s", bb_buf_str(&err));
    op = json_incref(json_array_get(arr, 0));
    json_decref(arr);
    bb_buf_free(&err);
    bb_free(text);
    return op;
}

static void test_small_op(void **state)
{
    /* expected sites per operator, in enum order */
    static const size_t want[ENG_MUT_OPERATOR_COUNT_] = {
        2, /* drop_where: the two conditions of the and */
        4, /* flip_compare: eq, isNull, the rows.length > 100, the update's id eq */
        1, /* drop_check: the if that throws */
        2, /* change_status: throw 409, return 200 */
        1, /* skip_write: the update */
        6, /* drop_field: pagination, data, current, limit, records, pages */
        2, /* off_by_one: skip, take */
        1, /* reverse_sort: "asc" */
        1, /* negate_if */
    };
    size_t count[ENG_MUT_OPERATOR_COUNT_] = {0};
    json_t *op = small_op();
    eng_mutant_list l1, l2;
    size_t i, k;
    (void)state;
    assert_int_equal(eng_mutate_list(op, "patch /user/lists", &l1), BB_OK);
    assert_int_equal(eng_mutate_list(op, "patch /user/lists", &l2), BB_OK);
    assert_int_equal(l1.n, l2.n);
    for (i = 0; i < l1.n; i++) {
        json_t *m = NULL;
        ast_impl_op *loaded = NULL;
        schema_errors errs;
        count[l1.items[i].op]++;
        assert_string_equal(l1.items[i].name, l2.items[i].name);
        assert_non_null(strstr(l1.items[i].name, eng_mut_operator_name(l1.items[i].op)));
        for (k = 0; k < i; k++)
            assert_string_not_equal(l1.items[i].name, l1.items[k].name);
        assert_int_equal(eng_mutate_apply(op, &l1.items[i], &m), BB_OK);
        assert_false(json_equal(m, op));
        schema_errors_init(&errs, 10);
        assert_int_equal(ast_impl_load(m, "$input", &loaded, &errs), BB_OK);
        ast_impl_free(loaded);
        schema_errors_free(&errs);
        json_decref(m);
    }
    for (k = 0; k < ENG_MUT_OPERATOR_COUNT_; k++)
        if (count[k] != want[k])
            fail_msg("%s: %zu mutants, want %zu", eng_mut_operator_name((eng_mut_operator)k), count[k], want[k]);
    {
        eng_mutant past = l1.items[l1.n - 1];
        json_t *m = NULL;
        past.index = l1.n + 5;
        assert_int_equal(eng_mutate_apply(op, &past, &m), BB_ERR_NOT_FOUND);
        assert_null(m);
    }
    eng_mutant_list_free(&l1);
    eng_mutant_list_free(&l2);
    json_decref(op);
}

/* Specific changes: the flipped operator, the reversed direction, the +1. */
static void test_changes(void **state)
{
    json_t *op = small_op();
    eng_mutant_list l;
    size_t i;
    int seen_flip = 0, seen_sort = 0, seen_off = 0;
    (void)state;
    assert_int_equal(eng_mutate_list(op, "x", &l), BB_OK);
    for (i = 0; i < l.n; i++) {
        json_t *m = NULL;
        char *text;
        assert_int_equal(eng_mutate_apply(op, &l.items[i], &m), BB_OK);
        text = json_dumps(m, JSON_COMPACT);
        assert_non_null(text);
        if (l.items[i].op == ENG_MUT_REVERSE_SORT) {
            assert_non_null(strstr(text, "\"value\":\"desc\""));
            seen_sort = 1;
        }
        if (l.items[i].op == ENG_MUT_OFF_BY_ONE) {
            assert_non_null(strstr(text, "\"operator\":\"+\""));
            seen_off = 1;
        }
        if (l.items[i].op == ENG_MUT_FLIP_COMPARE && strstr(l.items[i].site, "conditions[0]")) {
            assert_non_null(strstr(text, "\"op\":\"ne\""));
            seen_flip = 1;
        }
        free(text);
        json_decref(m);
    }
    assert_true(seen_flip && seen_sort && seen_off);
    eng_mutant_list_free(&l);
    json_decref(op);
}

static void test_gold_operators(void **state)
{
    static const char *const golds[] = {"projects/todo/gold/impl.json", "projects/bbs/gold/impl.json"};
    size_t g, i, k;
    (void)state;
    for (g = 0; g < 2; g++) {
        const bb_embedded_file *f = bb_embed_find(golds[g]);
        json_t *doc;
        size_t count[ENG_MUT_OPERATOR_COUNT_] = {0}, total = 0;
        assert_non_null(f);
        doc = json_loadb((const char *)f->data, f->len, 0, NULL);
        assert_non_null(doc);
        for (i = 0; i < json_array_size(doc); i++) {
            eng_mutant_list l;
            assert_int_equal(eng_mutate_list(json_array_get(doc, i), "op", &l), BB_OK);
            for (k = 0; k < l.n; k++)
                count[l.items[k].op]++;
            total += l.n;
            eng_mutant_list_free(&l);
        }
        print_message("%s: %zu mutants:", golds[g], total);
        for (k = 0; k < ENG_MUT_OPERATOR_COUNT_; k++) {
            print_message(" %s %zu", eng_mut_operator_name((eng_mut_operator)k), count[k]);
            assert_true(count[k] > 0);
        }
        print_message("\n");
        json_decref(doc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_op),
        cmocka_unit_test(test_changes),
        cmocka_unit_test(test_gold_operators),
    };
    bb_json_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
