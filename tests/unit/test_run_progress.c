/*
 * test_run_progress.c — the progress output of a run (bench/progress.h):
 * durations (cases as data), and each style rendering the same event
 * sequence: plain lines, JSON lines (parsed back, totals nested, ticks
 * left out), quiet (summary only) and the terminal bar (in-place redraw,
 * counts, ETA from the rate so far).
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

#include "bench/progress.h"
#include "json/json_util.h"

static const struct {
    double s;
    const char *want;
} dur_cases[] = {
    {0, "0s"}, {12.4, "12s"}, {59.6, "1m00s"}, {187, "3m07s"}, {3600, "1h00m"}, {3725, "1h02m"}, {-1, "?"},
};

static void test_duration(void **state)
{
    size_t i;
    char buf[32];

    (void)state;
    for (i = 0; i < sizeof dur_cases / sizeof dur_cases[0]; i++) {
        bench_progress_duration(dur_cases[i].s, buf, sizeof buf);
        assert_string_equal(buf, dur_cases[i].want);
    }
}

/* Plays plan, unit (scored), tick, unit (failed, unscored), stop, end into a
 * temporary file in the given style; returns the text (free it). */
static char *play(bench_progress_style style)
{
    bench_progress p;
    bench_run_totals t;
    bench_run_event ev;
    FILE *f = tmpfile();
    char *text;
    long len;

    assert_non_null(f);
    bench_progress_init(&p, f, style == BENCH_PROGRESS_JSON, style == BENCH_PROGRESS_QUIET);
    p.style = style;
    memset(&t, 0, sizeof t);
    t.units_total = 10;
    t.units_skipped = 2;
    t.cost_known = 1;
    memset(&ev, 0, sizeof ev);
    ev.model = "m\"x";
    ev.totals = &t;
    ev.kind = BENCH_EV_PLAN;
    bench_progress_event(&p, &ev);

    t.units_done = 1;
    t.units_valid = 1;
    t.rounds = 2;
    t.tokens_in = 1500;
    t.tokens_out = 2500000;
    t.cost_usd = 0.25;
    t.elapsed_s = 10;
    ev.kind = BENCH_EV_UNIT;
    ev.task = "todo/db";
    ev.trial = 1;
    ev.outcome = "feedback_valid";
    ev.rounds = 2;
    ev.score = 97.5;
    ev.tokens_in = 1500;
    ev.tokens_out = 2500000;
    ev.cost_usd = 0.25;
    bench_progress_event(&p, &ev);

    ev.kind = BENCH_EV_TICK;
    bench_progress_event(&p, &ev);

    t.units_done = 2;
    t.rounds = 10;
    t.elapsed_s = 20;
    ev.kind = BENCH_EV_UNIT;
    ev.task = "todo/api";
    ev.outcome = "failed_invalid";
    ev.rounds = 8;
    ev.score = -1;
    ev.cost_usd = -1;
    ev.error = "3 errors remain";
    t.cost_known = 0;
    bench_progress_event(&p, &ev);

    t.stopped = "budget";
    t.units_running = 1;
    ev.kind = BENCH_EV_STOP;
    bench_progress_event(&p, &ev);
    t.units_running = 0;
    ev.kind = BENCH_EV_END;
    bench_progress_event(&p, &ev);

    len = ftell(f);
    assert_true(len >= 0);
    text = calloc(1, (size_t)len + 1);
    assert_non_null(text);
    rewind(f);
    assert_int_equal(fread(text, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    return text;
}

static void test_lines(void **state)
{
    char *s = play(BENCH_PROGRESS_LINES);

    (void)state;
    assert_non_null(strstr(s, "m\"x: 10 units, 2 already in the store, 8 to run\n"));
    assert_non_null(strstr(s, "[1/8] todo/db trial 1: feedback_valid, 2 rounds, score 97.5, 1500 in / 2500000 out\n"));
    assert_non_null(strstr(s, "[2/8] todo/api trial 1: failed_invalid, 8 rounds, score unscored"));
    assert_non_null(strstr(s, "3 errors remain\n"));
    assert_non_null(strstr(s, "stopped: budget; waiting for 1 unit(s) in flight\n"));
    assert_non_null(strstr(s, "2 units done (1 valid, 0 infrastructure failures), 2 already in the store, 6 of 10 left"));
    assert_non_null(strstr(s, ">=$0.2500"));
    assert_non_null(strstr(s, "; stopped: budget\n"));
    assert_null(strstr(s, "\r"));
    free(s);
}

static void test_json(void **state)
{
    char *s = play(BENCH_PROGRESS_JSON);
    const char *kinds[] = {"plan", "unit", "unit", "stop", "end"};
    char *line, *next;
    size_t n = 0;

    (void)state;
    for (line = s; *line; line = next) {
        json_error_t e;
        json_t *o, *tot;

        next = strchr(line, '\n');
        assert_non_null(next);
        *next++ = '\0';
        o = json_loads(line, 0, &e);
        if (!o)
            fail_msg("line %zu is not JSON: %s (%s)", n, e.text, line);
        assert_true(n < 5);
        assert_string_equal(json_string_value(json_object_get(o, "event")), kinds[n]);
        assert_string_equal(json_string_value(json_object_get(o, "model")), "m\"x");
        tot = json_object_get(o, "totals");
        assert_true(json_is_object(tot));
        assert_int_equal(json_integer_value(json_object_get(tot, "units_total")), 10);
        if (n == 1) {
            assert_string_equal(json_string_value(json_object_get(o, "task")), "todo/db");
            assert_true(json_real_value(json_object_get(o, "score")) == 97.5);
            assert_int_equal(json_integer_value(json_object_get(o, "rounds")), 2);
            assert_int_equal(json_integer_value(json_object_get(tot, "rounds")), 2);
        }
        if (n == 2) {
            assert_true(json_is_null(json_object_get(o, "score")));
            assert_true(json_is_null(json_object_get(o, "cost_usd")));
        }
        if (n == 4)
            assert_string_equal(json_string_value(json_object_get(tot, "stopped")), "budget");
        json_decref(o);
        n++;
    }
    assert_int_equal(n, 5);
    free(s);
}

static void test_quiet(void **state)
{
    char *s = play(BENCH_PROGRESS_QUIET);
    char *nl = strchr(s, '\n');

    (void)state;
    assert_non_null(nl);
    assert_string_equal(nl + 1, "");
    assert_non_null(strstr(s, "2 units done"));
    free(s);
}

static void test_bar(void **state)
{
    char *s = play(BENCH_PROGRESS_BAR);

    (void)state;
    assert_non_null(strstr(s, "\r\033[Km\"x [###.....................] 1/8 units  2 rounds  1.5k in / 2.5M out  $0.2500  ETA 1m10s"));
    assert_non_null(strstr(s, "2/8 units  10 rounds"));
    assert_non_null(strstr(s, "ETA 1m00s"));
    assert_non_null(strstr(s, "stopped: budget"));
    assert_non_null(strstr(s, "2 units done"));
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_duration), cmocka_unit_test(test_lines), cmocka_unit_test(test_json),
        cmocka_unit_test(test_quiet), cmocka_unit_test(test_bar),
    };

    bb_json_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
