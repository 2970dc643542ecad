/*
 * test_report.c — the report: aggregation arithmetic on a small hand-computed
 * store (equal project weighting, failures as 0, infrastructure failures left
 * out, validity shares, rounds, pass^k, cost from the server and from the
 * registry, the Pareto front, the order), the bootstrap (contains the point,
 * reproducible, one unit gives the point), pass^k and Pareto on hand-made
 * sets, escaping of hostile model names in every output, the contents of
 * summary.json, leaderboard.csv and leaderboard.md, byte-identical output for
 * the same store, and out-of-memory handling.
 *
 * Two extra modes for tests/e2e/report_chromium.sh (not used by the runner):
 *   BB_REPORT_DEMO_STORE=path  writes a realistic synthetic store (6 models,
 *                              one imported, 4 projects, phases db and api,
 *                              3 trials) and exits; with BB_REPORT_DEMO_HOSTILE=1
 *                              a model named <script>alert(1)</script> is added
 *   BB_REPORT_CLI=1            runs `backbench report` (cli_report_main) with
 *                              this program's arguments, for use before the
 *                              subcommand is registered
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>

#include "json/json_util.h"
#include "report/report.h"
#include "report/report_data.h"
#include "report/report_format.h"
#include "report/report_output.h"
#include "report/report_stats.h"
#include "store/store.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/file.h"
#include "util/rng.h"

int cli_report_main(int argc, char **argv);

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/bb-test-report-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[300];

    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void path_in_tmp(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", tmpdir, name);
}

/* ---- building stores ------------------------------------------------------------ */

typedef struct unit_spec {
    const char *project, *phase, *task;
    int trial;
    const char *outcome;
    double score; /* negative: NULL */
    int rounds;
    long tin, tout;
    double cost;  /* negative: NULL */
    const char *errors, *repairs;
} unit_spec;

static int64_t add_run(store *s, const char *model, const char *server_kind, int imported, const char *harness)
{
    store_run_info ri;
    int64_t id = 0;

    memset(&ri, 0, sizeof ri);
    ri.backbench_version = "0.1.0";
    ri.git_rev = "test";
    ri.benchmark_version = "2026.11-test";
    ri.model = model;
    ri.endpoint = "http://127.0.0.1:8080/v1";
    ri.server_kind = server_kind;
    ri.sampling = "{\"temperature\":0}";
    ri.harness_mode = harness;
    ri.run_mode = "isolated";
    ri.imported = imported;
    assert_int_equal(store_run_begin(s, &ri, &id), BB_OK);
    return id;
}

static void add_units(store *s, int64_t run, const unit_spec *specs, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        store_round r;
        store_unit u;
        int inserted = 0;

        memset(&r, 0, sizeof r);
        r.round = 1;
        r.verdict = "invalid";
        r.http_status = 200;
        r.repairs = specs[i].repairs;
        r.errors = specs[i].errors;
        memset(&u, 0, sizeof u);
        u.key.project = specs[i].project;
        u.key.phase = specs[i].phase;
        u.key.task = specs[i].task;
        u.key.trial = specs[i].trial;
        u.outcome = specs[i].outcome;
        u.rounds_used = specs[i].rounds;
        u.score = specs[i].score;
        u.prompt_tokens = specs[i].tin;
        u.completion_tokens = specs[i].tout;
        u.cost_usd = specs[i].cost;
        u.rounds = &r;
        u.n_rounds = 1;
        assert_int_equal(store_unit_finish(s, run, &u, &inserted), BB_OK);
        assert_int_equal(inserted, 1);
    }
}

static const char *const test_registry =
    "{\"version\":1,\"models\":[{\"id\":\"delta\",\"price_in_per_m\":0.3,\"price_out_per_m\":1.2},"
    "{\"id\":\"alpha\",\"price_in_per_m\":100,\"price_out_per_m\":100}]}";

/* The hand-computed store (figures in the comments and in test_aggregation). */
static void build_small_store(const char *path, const char *alpha_name)
{
    static const unit_spec alpha[] = {
        /* DB: p1 mean (80 + 60) / 2 = 70, p2 mean 100 (the infra unit is left out): axis 85 */
        {"p1", "db", "t1", 1, "first_try_valid", 80, 1, 100, 50, 0.01,
         "[{\"kind\":\"type\",\"path\":\"$input.a\",\"expected\":\"string\"},"
         "{\"kind\":\"type\",\"path\":\"$input.b\",\"expected\":\"string\"}]", "[\"trailing_comma\"]"},
        {"p1", "db", "t2", 1, "repaired_valid", 60, 1, 100, 50, 0.01,
         "[{\"kind\":\"required\",\"path\":\"$input\",\"expected\":\"files\"}]", "[\"trailing_comma\",\"comment\"]"},
        {"p2", "db", "t1", 1, "feedback_valid", 100, 3, 100, 50, 0.01, "not json", "{}"},
        {"p2", "db", "t1", 2, "failed_infra", -1, 2, 100, 50, 0.01, NULL, NULL},
        /* API: p1 only, (0 + 90) / 2 = 45 */
        {"p1", "api", "t1", 1, "failed_invalid", -1, 4, 100, 50, 0.01,
         "[{\"kind\":\"semantic\",\"path\":\"$input.operations[0]\",\"expected\":\"\"}]", NULL},
        {"p1", "api", "t1", 2, "first_try_valid", 90, 1, 100, 50, 0.01, NULL, NULL},
    };
    static const unit_spec beta[] = {{"p1", "db", "t1", 1, "first_try_valid", 50, 1, 10, 10, -1, NULL, NULL}};
    static const unit_spec gamma[] = {
        {"p1", "db", "t1", 1, "first_try_valid", 70, 1, 0, 0, -1, NULL, NULL},
        {"p1", "impl", "x", 1, "first_try_valid", 10, 1, 0, 0, -1, NULL, NULL}, /* imported: ignored */
    };
    static const unit_spec delta[] = {{"p1", "db", "t1", 1, "first_try_valid", 95, 1, 1000, 500, -1, NULL, NULL}};
    store *s = NULL;

    unlink(path);
    assert_int_equal(store_open(path, &s), BB_OK);
    add_units(s, add_run(s, alpha_name, "llama-server", 0, "full"), alpha, sizeof alpha / sizeof *alpha);
    add_units(s, add_run(s, "beta", "sim", 0, "full"), beta, 1);
    add_units(s, add_run(s, "gamma", "imported", 1, NULL), gamma, 2);
    add_units(s, add_run(s, "delta", "openrouter", 0, "full"), delta, 1);
    store_close(s);
}

static report_data *load_small(const char *path, int b)
{
    report_params p = report_default_params();
    report_data *d = NULL;
    store *s = NULL;

    p.bootstrap_b = b;
    p.registry_json = test_registry;
    assert_int_equal(store_open(path, &s), BB_OK);
    assert_int_equal(report_data_load(s, &p, &d), BB_OK);
    store_close(s);
    assert_int_equal(report_stats_compute(d), BB_OK);
    return d;
}

static const report_entry *find_entry(const report_data *d, const char *model)
{
    size_t i;

    for (i = 0; i < d->n_entries; i++) {
        if (strcmp(d->entries[i].model, model) == 0)
            return &d->entries[i];
    }
    fail_msg("no entry %s", model);
    return NULL;
}

#define assert_near(a, b) assert_true(fabs((double)(a) - (double)(b)) < 1e-9)

/* ---- tests ----------------------------------------------------------------------- */

static void test_aggregation(void **state)
{
    char path[300];
    report_data *d;
    const report_entry *a, *b, *g, *dl;

    (void)state;
    path_in_tmp(path, sizeof path, "small.db");
    build_small_store(path, "alpha");
    d = load_small(path, 500);
    assert_int_equal(d->n_entries, 4);
    assert_int_equal(d->n_projects, 2);
    assert_string_equal(d->projects[0], "p1");
    a = find_entry(d, "alpha");
    assert_true(a->axis[REPORT_AXIS_DB].present);
    assert_near(a->axis[REPORT_AXIS_DB].mean, 85.0); /* not 80: projects weigh the same */
    assert_int_equal(a->axis[REPORT_AXIS_DB].n, 3);
    assert_near(a->axis[REPORT_AXIS_API].mean, 45.0);
    assert_false(a->axis[REPORT_AXIS_LOGIC].present);
    assert_near(a->total.mean, 65.0);
    assert_near(a->project_axis[0 * REPORT_AXIS_COUNT + REPORT_AXIS_DB], 70.0);
    assert_near(a->project_axis[1 * REPORT_AXIS_COUNT + REPORT_AXIS_DB], 100.0);
    assert_true(isnan(a->project_axis[1 * REPORT_AXIS_COUNT + REPORT_AXIS_API]));
    assert_near(a->project_total[0], 57.5);
    assert_near(a->project_total[1], 100.0);
    /* validity: 5 units without the infra failure */
    assert_int_equal(a->n_valid_denominator, 5);
    assert_int_equal(a->n_outcome[REPORT_OUT_INFRA], 1);
    assert_near(a->share_first_try, 0.4);
    assert_near(a->share_after_repair, 0.6);
    assert_near(a->share_final, 0.8);
    assert_near(a->rounds_mean, 2.0);
    assert_int_equal(a->tokens_in_phase[REPORT_PHASE_DB], 400);
    assert_int_equal(a->tokens_out_phase[REPORT_PHASE_API], 100);
    /* pass^k at 80: tasks p1/db/t1 1, p1/db/t2 0, p2/db/t1 1, p1/api/t1 c=1 of n=2 */
    assert_int_equal(d->max_trials, 2);
    assert_int_equal(d->passk_max, 2);
    assert_near(a->passk[1], (1 + 0 + 1 + 0.5) / 4);
    assert_int_equal(a->passk_tasks[1], 4);
    assert_near(a->passk[2], 0.0);
    assert_int_equal(a->passk_tasks[2], 1);
    /* cost: reported by the server (the registry's price for alpha is not used) */
    assert_int_equal(a->cost_state, REPORT_COST_KNOWN);
    assert_near(a->cost_usd, 0.06);
    assert_int_equal(a->cost_priced, 0);

    b = find_entry(d, "beta");
    assert_near(b->total.mean, 50.0);
    assert_near(b->total.lo, 50.0); /* one unit: the interval is the point */
    assert_near(b->total.hi, 50.0);
    assert_int_equal(b->cost_state, REPORT_COST_SIM);
    assert_true(b->simulated);

    g = find_entry(d, "gamma");
    assert_true(g->imported);
    assert_false(g->axis[REPORT_AXIS_LOGIC].present); /* design axes only */
    assert_near(g->total.mean, 70.0);
    assert_true(isnan(g->share_first_try));
    assert_int_equal(g->cost_state, REPORT_COST_NA);
    assert_true(isnan(g->passk[1]));

    dl = find_entry(d, "delta");
    assert_int_equal(dl->cost_state, REPORT_COST_KNOWN);
    assert_int_equal(dl->cost_priced, 1);
    assert_near(dl->cost_usd, (1000 * 0.3 + 500 * 1.2) / 1e6);

    /* Pareto: beta (cost 0) and delta (cheaper and better than alpha) */
    assert_int_equal(b->pareto, 1);
    assert_int_equal(dl->pareto, 1);
    assert_int_equal(a->pareto, 0);
    assert_int_equal(g->pareto, 0);

    /* order: total desc */
    assert_string_equal(d->entries[d->order[0]].model, "delta");
    assert_string_equal(d->entries[d->order[1]].model, "gamma");
    assert_string_equal(d->entries[d->order[2]].model, "alpha");
    assert_string_equal(d->entries[d->order[3]].model, "beta");

    /* error classes and repairs of phase db (the unparseable errors column is ignored) */
    assert_int_equal(d->errors_total[REPORT_PHASE_DB], 3);
    assert_string_equal(d->errors[REPORT_PHASE_DB][0].name, "type: string");
    assert_int_equal(d->errors[REPORT_PHASE_DB][0].n, 2);
    assert_string_equal(d->errors[REPORT_PHASE_DB][1].name, "required: files");
    assert_string_equal(d->errors[REPORT_PHASE_API][0].name, "semantic");
    assert_string_equal(d->repairs[REPORT_PHASE_DB][0].name, "trailing_comma");
    assert_int_equal(d->repairs[REPORT_PHASE_DB][0].n, 2);
    assert_int_equal(d->repairs_total[REPORT_PHASE_DB], 3);

    /* every interval contains its point */
    assert_true(a->total.lo <= a->total.mean && a->total.mean <= a->total.hi);
    assert_true(a->total.lo < a->total.hi);
    report_data_free(d);
}

static void test_bootstrap(void **state)
{
    static const double values[] = {10, 20, 90, 100, 50, 55, 60, 65, 70, 0};
    static const size_t start[] = {0, 4, 9, 10};
    double r1[2000], r2[2000], r3[2000], point = 0, point2 = 0, sorted[2000], lo, hi;
    double one = 42, one_r[50];
    static const size_t one_start[] = {0, 1};
    int i, differ = 0;

    (void)state;
    assert_int_equal(report_stats_bootstrap(values, start, 3, 2000, 7, &point, r1), BB_OK);
    assert_near(point, ((10 + 20 + 90 + 100) / 4.0 + (50 + 55 + 60 + 65 + 70) / 5.0 + 0) / 3);
    assert_int_equal(report_stats_bootstrap(values, start, 3, 2000, 7, &point2, r2), BB_OK);
    assert_memory_equal(r1, r2, sizeof r1);
    assert_int_equal(report_stats_bootstrap(values, start, 3, 2000, 8, &point2, r3), BB_OK);
    for (i = 0; i < 2000; i++)
        differ += r1[i] != r3[i];
    assert_true(differ > 1000);
    memcpy(sorted, r1, sizeof sorted);
    for (i = 1; i < 2000; i++) { /* insertion sort keeps the test independent of the module's sort */
        double v = sorted[i];
        int j = i;

        while (j > 0 && sorted[j - 1] > v) {
            sorted[j] = sorted[j - 1];
            j--;
        }
        sorted[j] = v;
    }
    lo = report_stats_quantile(sorted, 2000, 0.025);
    hi = report_stats_quantile(sorted, 2000, 0.975);
    assert_true(lo < point && point < hi);
    assert_true(hi - lo > 5 && hi - lo < 60);
    /* the third stratum has one unit: it never varies, so resamples stay within the
     * range the other two allow */
    assert_true(sorted[0] >= (10 + 50) / 3.0 - 1e-9 && sorted[1999] <= (100 + 70) / 3.0 + 1e-9);
    assert_int_equal(report_stats_bootstrap(&one, one_start, 1, 50, 1, &point, one_r), BB_OK);
    for (i = 0; i < 50; i++)
        assert_near(one_r[i], 42);
    /* misuse */
    assert_int_equal(report_stats_bootstrap(values, start, 0, 10, 1, &point, r1), BB_ERR_USAGE);
}

static void test_quantile_passk(void **state)
{
    static const double s[] = {1, 2, 3, 4, 5};

    (void)state;
    assert_near(report_stats_quantile(s, 5, 0), 1);
    assert_near(report_stats_quantile(s, 5, 1), 5);
    assert_near(report_stats_quantile(s, 5, 0.5), 3);
    assert_near(report_stats_quantile(s, 5, 0.125), 1.5);
    assert_near(report_stats_pass_hat_k(3, 3, 3), 1);
    assert_near(report_stats_pass_hat_k(3, 2, 1), 2.0 / 3);
    assert_near(report_stats_pass_hat_k(3, 2, 2), 1.0 / 3); /* C(2,2)/C(3,2) */
    assert_near(report_stats_pass_hat_k(3, 2, 3), 0);
    assert_near(report_stats_pass_hat_k(5, 4, 2), 6.0 / 10);
    assert_true(isnan(report_stats_pass_hat_k(2, 2, 3)));
    assert_true(isnan(report_stats_pass_hat_k(2, 2, 0)));
}

static void test_pareto(void **state)
{
    /* A (1, 50) B (2, 70) C (2, 60) dominated by B, D (3, 70) dominated by B,
     * E (5, 90), F (NAN, 99), G (0.5, 10), H (1, 50) equal to A: both stay */
    static const double cost[] = {1, 2, 2, 3, 5, NAN, 0.5, 1};
    static const double score[] = {50, 70, 60, 70, 90, 99, 10, 50};
    static const int expect[] = {1, 1, 0, 0, 1, 0, 1, 1};
    int front[8], i;

    (void)state;
    report_stats_pareto(cost, score, 8, front);
    for (i = 0; i < 8; i++) {
        if (front[i] != expect[i])
            fail_msg("point %d: front %d, expected %d", i, front[i], expect[i]);
    }
}

static void test_escape(void **state)
{
    bb_buf b;

    (void)state;
    bb_buf_init(&b, 4096);
    assert_int_equal(report_fmt_html(&b, "<a href=\"x\">&'</a>"), BB_OK);
    assert_string_equal(bb_buf_str(&b), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
    bb_buf_reset(&b);
    assert_int_equal(report_fmt_csv(&b, "a,\"b\""), BB_OK);
    assert_string_equal(bb_buf_str(&b), "\"a,\"\"b\"\"\"");
    bb_buf_reset(&b);
    assert_int_equal(report_fmt_csv(&b, "=cmd()"), BB_OK);
    assert_string_equal(bb_buf_str(&b), "\"'=cmd()\"");
    bb_buf_reset(&b);
    assert_int_equal(report_fmt_csv(&b, "plain"), BB_OK);
    assert_string_equal(bb_buf_str(&b), "plain");
    bb_buf_reset(&b);
    assert_int_equal(report_fmt_md(&b, "a|b_<c>"), BB_OK);
    assert_string_equal(bb_buf_str(&b), "a\\|b\\_&lt;c&gt;");
    bb_buf_reset(&b);
    assert_int_equal(report_fmt_num(&b, NAN, 1, "n/a"), BB_OK);
    assert_int_equal(report_fmt_num(&b, -0.01, 1, "n/a"), BB_OK);
    assert_string_equal(bb_buf_str(&b), "n/a0.0");
    bb_buf_free(&b);
}

static char *read_out(const char *dir, const char *name)
{
    char path[400];
    char *data = NULL;
    size_t len = 0;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_int_equal(bb_file_read(path, 64 << 20, &data, &len), BB_OK);
    return data;
}

static void write_report(const char *store_path, const char *out, int b)
{
    report_params p = report_default_params();
    store *s = NULL;
    report_summary sum;

    p.bootstrap_b = b;
    p.registry_json = test_registry;
    assert_int_equal(store_open(store_path, &s), BB_OK);
    assert_int_equal(report_write(s, out, &p, &sum), BB_OK);
    store_close(s);
    assert_int_equal(sum.n_entries, 4);
}

static void test_hostile_names(void **state)
{
    static const char *const hostile = "<script>alert(1)</script>";
    static const char *const files[] = {"index.html", "leaderboard.md"};
    char path[300], out[300];
    char *text;
    json_t *root;
    json_error_t err;
    size_t i;
    int found = 0;

    (void)state;
    path_in_tmp(path, sizeof path, "hostile.db");
    path_in_tmp(out, sizeof out, "hostile-out");
    build_small_store(path, hostile);
    write_report(path, out, 100);
    for (i = 0; i < sizeof files / sizeof *files; i++) {
        text = read_out(out, files[i]);
        assert_null(strstr(text, "<script"));
        assert_null(strstr(text, "alert(1)</"));
        assert_non_null(strstr(text, "&lt;script&gt;alert(1)&lt;/script&gt;"));
        bb_free(text);
    }
    /* JSON keeps the name as data, and is valid */
    text = read_out(out, "summary.json");
    root = json_loads(text, 0, &err);
    assert_non_null(root);
    for (i = 0; i < json_array_size(json_object_get(root, "entries")); i++) {
        json_t *e = json_array_get(json_object_get(root, "entries"), i);

        found += strcmp(json_string_value(json_object_get(e, "model")), hostile) == 0;
    }
    assert_int_equal(found, 1);
    json_decref(root);
    bb_free(text);
    /* CSV: a field that a spreadsheet would not execute, the name intact */
    text = read_out(out, "leaderboard.csv");
    assert_non_null(strstr(text, ",<script>alert(1)</script>,"));
    bb_free(text);
}

static void test_outputs(void **state)
{
    char path[300], out[300];
    char *text;
    json_t *root, *e, *ax;
    json_error_t err;

    (void)state;
    path_in_tmp(path, sizeof path, "out.db");
    path_in_tmp(out, sizeof out, "out");
    build_small_store(path, "alpha");
    write_report(path, out, 300);

    text = read_out(out, "summary.json");
    root = json_loads(text, 0, &err);
    if (!root)
        fail_msg("summary.json: %s at %d", err.text, err.line);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(root, "method"), "bootstrap_resamples")), 300);
    assert_int_equal(json_array_size(json_object_get(root, "entries")), 4);
    e = json_array_get(json_object_get(root, "entries"), 2);
    assert_string_equal(json_string_value(json_object_get(e, "model")), "alpha");
    assert_int_equal(json_integer_value(json_object_get(e, "rank")), 3);
    ax = json_object_get(json_object_get(e, "axes"), "db");
    assert_near(json_number_value(json_object_get(ax, "mean")), 85.0);
    assert_true(json_is_null(json_object_get(json_object_get(e, "axes"), "logic")));
    assert_near(json_number_value(json_object_get(json_object_get(e, "harness"), "first_try")), 0.4);
    assert_near(json_number_value(json_object_get(json_object_get(e, "harness"), "final")), 0.8);
    assert_near(json_number_value(json_object_get(json_array_get(json_object_get(e, "projects"), 0), "total")), 57.5);
    assert_string_equal(json_string_value(json_object_get(json_object_get(e, "cost"), "state")), "known");
    e = json_array_get(json_object_get(root, "entries"), 1);
    assert_string_equal(json_string_value(json_object_get(e, "model")), "gamma");
    assert_true(json_is_true(json_object_get(e, "imported")));
    assert_true(json_is_null(json_object_get(e, "harness")));
    assert_near(json_number_value(json_object_get(json_object_get(json_object_get(root, "method"), "weights"), "logic")),
                0.5);
    json_decref(root);
    bb_free(text);

    text = read_out(out, "leaderboard.csv");
    assert_non_null(strstr(text, "rank,model,label,server_kind,harness_mode,run_mode,imported,simulated,total,"));
    assert_non_null(strstr(text, "\n3,alpha,alpha,llama-server,full,isolated,0,0,65.0000,"));
    assert_non_null(strstr(text, ",5,1,0.4000,0.6000,0.8000,2.0000,0.6250,0.0000,known,0.060000,0\n"));
    assert_non_null(strstr(text, "\n2,gamma,gamma,imported,,isolated,1,0,70.0000,70.0000,70.0000,"));
    bb_free(text);

    text = read_out(out, "leaderboard.md");
    assert_non_null(strstr(text, "| # | Model | Total | DB design | API design | First-try valid |"));
    assert_non_null(strstr(text, "| 3 | alpha | 65.0 ["));
    assert_non_null(strstr(text, "| 85.0 ["));
    assert_non_null(strstr(text, "| 40.0% | 80.0% | 2.00 | 0.0600 |"));
    assert_non_null(strstr(text, "| 2 | gamma (imported) | 70.0 [70.0, 70.0] |"));
    assert_non_null(strstr(text, "0 (simulated)"));
    bb_free(text);

    text = read_out(out, "index.html");
    assert_non_null(strstr(text, "<!DOCTYPE html>"));
    assert_null(strstr(text, "http://cdn")); /* self-contained */
    assert_null(strstr(text, "<script"));
    assert_null(strstr(text, "<link"));
    assert_non_null(strstr(text, "<svg"));
    assert_non_null(strstr(text, "badge b-imp\">imported"));
    assert_non_null(strstr(text, "<b>65.0</b><span class=\"ci\">["));
    assert_non_null(strstr(text, "<code>type: string</code></td><td>2</td>"));
    bb_free(text);
}

static void test_deterministic(void **state)
{
    static const char *const files[] = {"index.html", "summary.json", "leaderboard.md", "leaderboard.csv"};
    char path[300], out1[300], out2[300];
    size_t i;

    (void)state;
    path_in_tmp(path, sizeof path, "det.db");
    path_in_tmp(out1, sizeof out1, "det1");
    path_in_tmp(out2, sizeof out2, "det2");
    build_small_store(path, "alpha");
    write_report(path, out1, 400);
    write_report(path, out2, 400);
    for (i = 0; i < sizeof files / sizeof *files; i++) {
        char *a = read_out(out1, files[i]), *b = read_out(out2, files[i]);

        assert_string_equal(a, b);
        bb_free(a);
        bb_free(b);
    }
}

static void test_clean_names(void **state)
{
    static const unit_spec u[] = {{"pr\x01oj\xff", "db", "t", 1, "first_try_valid", 50, 1, 1, 1, -1, NULL, NULL},
                                  {"p", "weird-phase", "t", 1, "first_try_valid", 50, 1, 1, 1, -1, NULL, NULL},
                                  {"p", "db", "t", 1, "made_up_outcome", -1, 1, 1, 1, -1, NULL, NULL}};
    char path[300];
    report_data *d;
    store *s = NULL;
    const report_entry *en;

    (void)state;
    path_in_tmp(path, sizeof path, "clean.db");
    assert_int_equal(store_open(path, &s), BB_OK);
    add_units(s, add_run(s, "bad\xc3\x28name\n\xe2\x82\xac", "llama-server", 0, "raw"), u, 3);
    store_close(s);
    d = load_small(path, 10);
    assert_int_equal(d->n_entries, 1);
    en = &d->entries[0];
    assert_string_equal(en->model, "bad?(name?\xe2\x82\xac");
    assert_string_equal(en->label, "bad?(name?\xe2\x82\xac [harness raw]");
    assert_int_equal(d->n_units, 2); /* the unknown phase is skipped */
    assert_string_equal(d->projects[1], "pr?oj?");
    /* an unknown outcome without a score is a failure: 0 */
    assert_near(en->project_axis[0 * REPORT_AXIS_COUNT + REPORT_AXIS_DB], 0);
    assert_near(en->axis[REPORT_AXIS_DB].mean, 25);
    assert_int_equal(en->n_outcome[REPORT_OUT_OTHER], 1);
    report_data_free(d);
}

static void test_empty_store(void **state)
{
    char path[300], out[300];
    store *s = NULL;
    report_summary sum;
    char *text;

    (void)state;
    path_in_tmp(path, sizeof path, "empty.db");
    path_in_tmp(out, sizeof out, "empty-out");
    assert_int_equal(store_open(path, &s), BB_OK);
    assert_int_equal(report_write(s, out, NULL, &sum), BB_OK);
    store_close(s);
    assert_int_equal(sum.n_entries, 0);
    text = read_out(out, "summary.json");
    assert_non_null(strstr(text, "\"entries\":[\n]"));
    bb_free(text);
}

static void test_alloc_failures(void **state)
{
    char path[300], out[300];
    report_params p = report_default_params();
    store *s = NULL;
    long k;
    int ok = 0;

    (void)state;
    path_in_tmp(path, sizeof path, "oom.db");
    path_in_tmp(out, sizeof out, "oom-out");
    build_small_store(path, "alpha");
    p.bootstrap_b = 20;
    p.registry_json = test_registry;
    assert_int_equal(store_open(path, &s), BB_OK);
    for (k = 0; k < 400 && !ok; k++) {
        bb_result rc;

        bb_alloc_fail_after(k);
        rc = report_write(s, out, &p, NULL);
        bb_alloc_fail_after(-1);
        if (rc == BB_OK)
            ok = 1;
        /* jansson reports some allocation failures inside its lexer as syntax
         * errors, so the registry can fail as BB_ERR_PARSE */
        else if (rc != BB_ERR_NOMEM && rc != BB_ERR_LIMIT && rc != BB_ERR_PARSE)
            fail_msg("after %ld allocations: %s", k, bb_strerror(rc));
    }
    store_close(s);
    assert_true(ok);
}

static void test_registry_cases(void **state)
{
    static const struct {
        const char *registry;
        bb_result rc;
        int delta_state;
    } cases[] = {
        {"{\"version\":1,\"models\":[{\"id\":\"delta\",\"price_in_per_m\":-1,\"price_out_per_m\":1}]}", BB_OK,
         REPORT_COST_NA},
        {"{\"version\":1,\"models\":[{\"id\":\"delta\",\"price_in_per_m\":\"0.3\",\"price_out_per_m\":1}]}",
         BB_OK, REPORT_COST_NA},
        {"{\"version\":1,\"models\":[]}", BB_OK, REPORT_COST_NA},
        {"{\"version\":1,\"models\":[{\"id\":\"delta\",\"price_in_per_m\":0,\"price_out_per_m\":2}]}", BB_OK,
         REPORT_COST_KNOWN},
        {"{", BB_ERR_PARSE, 0},
        {"{\"version\":1}", BB_ERR_PARSE, 0},
    };
    char path[300];
    size_t i;

    (void)state;
    path_in_tmp(path, sizeof path, "registry.db");
    build_small_store(path, "alpha");
    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        report_params p = report_default_params();
        report_data *d = NULL;
        store *s = NULL;
        bb_result rc;

        p.bootstrap_b = 10;
        p.registry_json = cases[i].registry;
        assert_int_equal(store_open(path, &s), BB_OK);
        rc = report_data_load(s, &p, &d);
        store_close(s);
        if (rc != cases[i].rc)
            fail_msg("case %zu: %s, expected %s", i, bb_strerror(rc), bb_strerror(cases[i].rc));
        if (rc == BB_OK) {
            assert_int_equal(report_stats_compute(d), BB_OK);
            assert_int_equal(find_entry(d, "delta")->cost_state, cases[i].delta_state);
            if (cases[i].delta_state == REPORT_COST_KNOWN)
                assert_near(find_entry(d, "delta")->cost_usd, 500 * 2 / 1e6);
        }
        report_data_free(d);
    }
}

static int run_cli(const char *const *args)
{
    char *argv[16];
    int argc = 0;

    while (args[argc] && argc < 15) {
        argv[argc] = (char *)(uintptr_t)args[argc];
        argc++;
    }
    argv[argc] = NULL;
    return cli_report_main(argc, argv);
}

static void test_cli(void **state)
{
    char path[300], out[300], missing[300];
    char *text;

    (void)state;
    path_in_tmp(path, sizeof path, "cli.db");
    path_in_tmp(out, sizeof out, "cli-out");
    path_in_tmp(missing, sizeof missing, "missing.db");
    build_small_store(path, "alpha");
    {
        const char *const bad_opt[] = {"report", "--bogus", "x", NULL};
        const char *const no_value[] = {"report", "--store", NULL};
        const char *const no_store[] = {"report", "--store", missing, "--out", out, NULL};
        const char *const bad_b[] = {"report", "--store", path, "--out", out, "--resamples", "0", NULL};
        const char *const bad_seed[] = {"report", "--store", path, "--out", out, "--seed", "-3", NULL};
        const char *const help[] = {"report", "--help", NULL};
        const char *const good[] = {"report", "--store", path, "--out", out, "--resamples", "50", "--seed", "9", NULL};

        assert_int_equal(run_cli(bad_opt), 2);
        assert_int_equal(run_cli(no_value), 2);
        assert_int_equal(run_cli(no_store), 2);
        assert_int_equal(access(missing, F_OK), -1); /* no empty store was created */
        assert_int_equal(run_cli(bad_b), 2);
        assert_int_equal(run_cli(bad_seed), 2);
        assert_int_equal(run_cli(help), 0);
        assert_int_equal(run_cli(good), 0);
    }
    text = read_out(out, "summary.json");
    assert_non_null(strstr(text, "\"bootstrap_resamples\":50,\"seed\":9,"));
    bb_free(text);
}

/* ---- the demo store for the end-to-end test --------------------------------------------- */

typedef struct demo_model {
    const char *name, *server_kind;
    int imported;
    double skill;      /* mean score of a valid unit */
    double reliability; /* chance of a valid first call */
    double price;      /* USD per unit; negative: not reported */
} demo_model;

static void demo_store(const char *path, int hostile)
{
    static const demo_model models[] = {
        {"qwen3.5-27b", "llama-server", 0, 84, 0.80, 0.0021},
        {"gpt-oss-20b", "vllm", 0, 78, 0.70, 0.0009},
        {"mistral-small-3.2-24b", "ollama", 0, 71, 0.60, 0.0012},
        {"llama-3.3-70b", "openrouter", 0, 80, 0.75, 0.0045},
        {"sim-sloppy", "sim", 0, 66, 0.35, -1},
        {"autobe-claude-sonnet (Oct 2025)", "imported", 1, 86, 1, -1},
        {"<script>alert(1)</script>", "llama-server", 0, 50, 0.5, 0.001},
    };
    static const char *const projects[] = {"bbs", "reddit", "shopping", "todo"};
    static const char *const phases[] = {"db", "api"};
    static const char *const kinds[] = {
        "{\"kind\":\"type\",\"path\":\"$input.files[0].models[2].plainFields[1].type\",\"expected\":\"\\\"boolean\\\" | \\\"int\\\" | \\\"double\\\" | \\\"string\\\" | \\\"uri\\\" | \\\"uuid\\\" | \\\"datetime\\\"\"}",
        "{\"kind\":\"required\",\"path\":\"$input.operations[3]\",\"expected\":\"responseBody\"}",
        "{\"kind\":\"semantic\",\"path\":\"$input.files[0].models[1]\",\"expected\":\"string & snake_case\"}",
        "{\"kind\":\"discriminator\",\"path\":\"$input.components.schemas.IPost\",\"expected\":\"type\"}",
        "{\"kind\":\"pattern\",\"path\":\"$input.operations[0].path\",\"expected\":\"string & Pattern<\\\"^/\\\">\"}",
    };
    static const char *const repairs[] = {"[\"markdown_fence\"]", "[\"trailing_comma\"]", "[\"coerce_number\"]",
                                          "[\"unclosed_object\",\"unclosed_array\"]", "[]"};
    size_t n_models = sizeof models / sizeof *models - (hostile ? 0 : 1);
    store *s = NULL;
    size_t m, p, ph;
    int task, trial;

    unlink(path);
    assert_int_equal(store_open(path, &s), BB_OK);
    for (m = 0; m < n_models; m++) {
        const demo_model *dm = &models[m];
        int64_t run = add_run(s, dm->name, dm->server_kind, dm->imported, dm->imported ? NULL : "full");
        bb_rng rng;

        bb_rng_seed(&rng, bb_hash_mix(2026, m));
        for (p = 0; p < 4; p++) {
            double proj_bias = (double)((p * 7 + m * 3) % 9) - 4;

            for (ph = 0; ph < 2; ph++) {
                int n_tasks = ph == 0 ? 2 : 4, n_trials = dm->imported ? 1 : 3;

                for (task = 0; task < n_tasks; task++) {
                    for (trial = 1; trial <= n_trials; trial++) {
                        store_round rounds[4];
                        store_unit u;
                        char tname[32], errs[1200];
                        double r = bb_rng_double(&rng);
                        int n_rounds = 1, i, failed = 0, infra = 0;

                        memset(&u, 0, sizeof u);
                        memset(rounds, 0, sizeof rounds);
                        snprintf(tname, sizeof tname, "%s-%d", phases[ph], task + 1);
                        u.key.project = projects[p];
                        u.key.phase = phases[ph];
                        u.key.task = tname;
                        u.key.trial = trial;
                        if (!dm->imported && bb_rng_double(&rng) < 0.03) {
                            u.outcome = "failed_infra";
                            infra = 1;
                        } else if (r < dm->reliability) {
                            u.outcome = "first_try_valid";
                        } else if (r < dm->reliability + (1 - dm->reliability) * 0.3) {
                            u.outcome = "repaired_valid";
                        } else if (r < dm->reliability + (1 - dm->reliability) * 0.85) {
                            u.outcome = "feedback_valid";
                            n_rounds = 2 + (int)bb_rng_below(&rng, 3);
                        } else {
                            u.outcome = bb_rng_double(&rng) < 0.8 ? "failed_invalid" : "failed_no_call";
                            n_rounds = 4;
                            failed = 1;
                        }
                        u.rounds_used = n_rounds;
                        if (infra || failed) {
                            u.score = -1;
                        } else {
                            double sc = dm->skill + proj_bias + (bb_rng_double(&rng) - 0.5) * 24;

                            u.score = sc < 0 ? 0 : sc > 100 ? 100 : sc;
                        }
                        for (i = 0; i < n_rounds; i++) {
                            int k = (int)bb_rng_below(&rng, 5);

                            rounds[i].round = i + 1;
                            rounds[i].verdict = i + 1 < n_rounds || failed ? "invalid" : "valid";
                            rounds[i].http_status = infra ? 503 : 200;
                            rounds[i].infra_class = infra ? "http_5xx" : NULL;
                            rounds[i].prompt_tokens = 1800 + (long)bb_rng_below(&rng, 1500) + 400 * ph;
                            rounds[i].completion_tokens = 600 + (long)bb_rng_below(&rng, 900);
                            rounds[i].total_ms = 1000 + 10 * (double)bb_rng_below(&rng, 300);
                            rounds[i].repairs = strcmp(u.outcome, "repaired_valid") == 0 ? repairs[k] : "[]";
                            if (rounds[i].verdict[0] == 'i') {
                                snprintf(errs, sizeof errs, "[%s,%s]", kinds[k], kinds[(k + ph + 1) % 5]);
                                rounds[i].errors = errs;
                                rounds[i].n_errors = 2;
                            } else {
                                rounds[i].errors = "[]";
                            }
                            u.prompt_tokens += rounds[i].prompt_tokens;
                            u.completion_tokens += rounds[i].completion_tokens;
                        }
                        if (dm->imported) {
                            u.prompt_tokens = u.completion_tokens = 0;
                            u.rounds_used = 1;
                            n_rounds = 0;
                        }
                        u.cost_usd = dm->price >= 0 ? dm->price * (double)n_rounds : -1;
                        u.rounds = rounds;
                        u.n_rounds = (size_t)n_rounds;
                        assert_int_equal(store_unit_finish(s, run, &u, NULL), BB_OK);
                    }
                }
            }
        }
    }
    store_close(s);
}

static void test_demo_store(void **state)
{
    char path[300], out[300];
    store *s = NULL;
    report_summary sum;

    (void)state;
    path_in_tmp(path, sizeof path, "demo.db");
    path_in_tmp(out, sizeof out, "demo-out");
    demo_store(path, 0);
    assert_int_equal(store_open(path, &s), BB_OK);
    assert_int_equal(report_write(s, out, NULL, &sum), BB_OK);
    store_close(s);
    assert_int_equal(sum.n_entries, 6);
    assert_int_equal(sum.n_projects, 4);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aggregation),    cmocka_unit_test(test_bootstrap),
        cmocka_unit_test(test_quantile_passk), cmocka_unit_test(test_pareto),
        cmocka_unit_test(test_escape),         cmocka_unit_test(test_hostile_names),
        cmocka_unit_test(test_outputs),        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_clean_names),    cmocka_unit_test(test_empty_store),
        cmocka_unit_test(test_alloc_failures), cmocka_unit_test(test_demo_store),
        cmocka_unit_test(test_registry_cases),     cmocka_unit_test(test_cli),
    };
    const char *demo = getenv("BB_REPORT_DEMO_STORE");

    bb_json_init();
    if (demo && *demo) {
        const char *h = getenv("BB_REPORT_DEMO_HOSTILE");

        demo_store(demo, h && strcmp(h, "1") == 0);
        return 0;
    }
    if (getenv("BB_REPORT_CLI") && argc > 1)
        return cli_report_main(argc - 1, argv + 1);
    return cmocka_run_group_tests(tests, setup, teardown);
}
