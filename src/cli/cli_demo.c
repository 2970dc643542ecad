/*
 * cli_demo.c — `backbench demo`: the whole benchmark without a model.
 *
 * Starts the built-in simulator in this process on a free loopback port,
 * fills its answer key from the gold artifacts (task id -> gold arguments:
 * the gold designs, the gold implementation of each operation, the key test
 * of each scenario), runs every project's db, api, impl and test tasks (the
 * impl and test tasks of the projects with hidden acceptance tests; a
 * scenario without a key test is skipped) with the simulator's profiles as
 * separate "models" (sim-perfect, sim-sloppy, sim-weak, sim-broken,
 * sim-faulty) through the same client, harness and store code a real run
 * uses, and writes the report. The demo's settings (rounds, trials, the
 * client's short stall timeout so the faulty profile's stalls cost seconds,
 * not minutes) are documented in docs/running.md. --answers FILE only writes
 * the answer key (for `backbench sim --answers FILE`) and exits.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "bench/progress.h"
#include "bench/project.h"
#include "bench/run.h"
#include "bench/task.h"
#include "cli/cli.h"
#include "json/json_util.h"
#include "report/report.h"
#include "sim/sim_server.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/file.h"

#ifndef BB_GIT_REV
#define BB_GIT_REV "unknown"
#endif

#define CLI_DEMO_DEFAULT_OUT "report"
#define CLI_DEMO_DEFAULT_MODELS "sim-perfect,sim-sloppy,sim-weak,sim-broken,sim-faulty"
#define CLI_DEMO_DEFAULT_PHASES "db,api,impl,test"
#define CLI_DEMO_DEFAULT_TRIALS 3
#define CLI_DEMO_DEFAULT_ROUNDS 3
#define CLI_DEMO_MAX_MODELS 16
#define CLI_DEMO_PATH_MAX 4096
#define CLI_DEMO_ENDPOINT_LABEL "http://127.0.0.1/backbench-demo-sim"

static void cli_demo_usage(FILE *f)
{
    fprintf(f,
            "usage: backbench demo [--out DIR] [--store FILE] [--trials N] [options]\n"
            "\n"
            "Runs the whole benchmark (every project, phases db, api, impl and test) against the built-in\n"
            "simulator, started in this process on a free loopback port, with its profiles as\n"
            "models, then writes the report. No model or network is needed. Simulated scores are\n"
            "a test of the benchmark, never results of a model.\n"
            "\n"
            "options:\n"
            "  --out DIR          report directory (default " CLI_DEMO_DEFAULT_OUT ")\n"
            "  --store FILE       results store (default DIR/demo.db, started afresh each time;\n"
            "                     a named store is resumed instead)\n"
            "  --trials N         trials per task (default %d)\n"
            "  --rounds R         maximum rounds per task (default %d)\n"
            "  --models a,b       simulated models (default " CLI_DEMO_DEFAULT_MODELS ")\n"
            "  --projects a,b     projects (default: all)\n"
            "  --phases a,b       phases (default " CLI_DEMO_DEFAULT_PHASES ")\n"
            "  --concurrency N    conversations in flight (default 8)\n"
            "  --stream           stream the answers (SSE)\n"
            "  --quiet | --json   progress output as in backbench run\n"
            "  --answers FILE     only write the answer key {task id: gold arguments} and exit\n"
            "\n"
            "exit status: 0 report written, 1 the run or report failed, 2 usage error.\n",
            CLI_DEMO_DEFAULT_TRIALS, CLI_DEMO_DEFAULT_ROUNDS);
}

static int cli_demo_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || errno || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int cli_demo_write_answers(const bench_tasks *ts, const char *path)
{
    json_t *key = json_object();
    char *text = NULL;
    size_t i;
    int status = CLI_EXIT_FAIL;

    if (!key)
        return CLI_EXIT_FAIL;
    for (i = 0; i < ts->n; i++) {
        json_error_t jerr;
        json_t *v = json_loads(ts->items[i].answer, 0, &jerr);

        if (!v || json_object_set_new(key, ts->items[i].id, v) != 0) {
            fprintf(stderr, "backbench demo: gold answer of %s: %s\n", ts->items[i].id, v ? "" : jerr.text);
            goto out;
        }
    }
    text = json_dumps(key, JSON_COMPACT | JSON_SORT_KEYS);
    if (!text || bb_file_write(path, text, strlen(text)) != BB_OK) {
        fprintf(stderr, "backbench demo: cannot write %s\n", path);
        goto out;
    }
    printf("answer key for %zu tasks written to %s\n", ts->n, path);
    status = CLI_EXIT_OK;
out:
    free(text);
    json_decref(key);
    return status;
}

int cli_demo_main(int argc, char **argv)
{
    const char *out_dir = CLI_DEMO_DEFAULT_OUT, *store_path = NULL, *models = CLI_DEMO_DEFAULT_MODELS;
    const char *answers = NULL, *projects_list = NULL, *phases = CLI_DEMO_DEFAULT_PHASES;
    char store_buf[CLI_DEMO_PATH_MAX], model_buf[1024], url[64];
    const char *model_names[CLI_DEMO_MAX_MODELS];
    bench_run_params p = bench_run_default_params();
    llm_client_params cp = llm_client_default_params();
    sim_params sp = sim_default_params();
    bench_projects *projects = NULL;
    bench_tasks *tasks = NULL;
    bench_progress prog;
    schema_errors errs;
    report_summary sum;
    sim_server *sim = NULL;
    store *s = NULL;
    bb_buf msg;
    int json = 0, quiet = 0, status = CLI_EXIT_USAGE, n_models = 0, i;
    size_t k;
    long v;
    char *tok;
    bb_result rc;

    if (cli_wants_help(argc, argv)) {
        cli_demo_usage(stdout);
        return CLI_EXIT_OK;
    }
    bb_buf_init(&msg, 4096);
    schema_errors_init(&errs, 20);
    p.trials = CLI_DEMO_DEFAULT_TRIALS;
    p.concurrency = 8;
    p.harness.max_rounds = CLI_DEMO_DEFAULT_ROUNDS;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        int takes = 1;

        if (strcmp(a, "--stream") == 0) {
            p.harness.stream = 1;
            takes = 0;
        } else if (strcmp(a, "--quiet") == 0) {
            quiet = 1;
            takes = 0;
        } else if (strcmp(a, "--json") == 0) {
            json = 1;
            takes = 0;
        } else if (!val) {
            fprintf(stderr, "backbench demo: '%s' needs a value\n", a);
            goto out;
        } else if (strcmp(a, "--out") == 0) {
            out_dir = val;
        } else if (strcmp(a, "--store") == 0) {
            store_path = val;
        } else if (strcmp(a, "--models") == 0) {
            models = val;
        } else if (strcmp(a, "--projects") == 0) {
            projects_list = val;
        } else if (strcmp(a, "--phases") == 0) {
            phases = val;
        } else if (strcmp(a, "--answers") == 0) {
            answers = val;
        } else if (strcmp(a, "--trials") == 0 && cli_demo_long(val, 1, BENCH_RUN_MAX_TRIALS, &v) == 0) {
            p.trials = (int)v;
        } else if (strcmp(a, "--rounds") == 0 && cli_demo_long(val, 1, HARNESS_MAX_ROUNDS, &v) == 0) {
            p.harness.max_rounds = (int)v;
        } else if (strcmp(a, "--concurrency") == 0 && cli_demo_long(val, 1, 256, &v) == 0) {
            p.concurrency = (int)v;
        } else {
            fprintf(stderr, "backbench demo: bad option or value: %s %s\n", a, val);
            cli_demo_usage(stderr);
            goto out;
        }
        i += takes;
    }
    if (strlen(models) >= sizeof model_buf) {
        fprintf(stderr, "backbench demo: --models is too long\n");
        goto out;
    }
    memcpy(model_buf, models, strlen(models) + 1);
    for (tok = model_buf; tok && *tok;) {
        char *comma = strchr(tok, ',');

        if (comma)
            *comma = '\0';
        if (sim_profile_parse(tok) < 0 || strncmp(tok, "sim-", 4) != 0 || n_models == CLI_DEMO_MAX_MODELS) {
            fprintf(stderr, "backbench demo: not a simulated model: '%s' (sim-perfect, sim-sloppy, sim-weak, "
                            "sim-broken, sim-faulty)\n", tok);
            goto out;
        }
        model_names[n_models++] = tok;
        tok = comma ? comma + 1 : NULL;
    }
    if (n_models == 0 && !answers) {
        fprintf(stderr, "backbench demo: --models names no model\n");
        goto out;
    }
    bb_json_init();
    status = CLI_EXIT_FAIL;
    rc = bench_projects_list(&projects, &errs);
    if (rc == BB_OK)
        rc = bench_tasks_build(projects, projects_list, phases, BENCH_MODE_ISOLATED, &tasks, &msg);
    if (rc == BB_OK && bench_tasks_keep_answered(tasks) && tasks->n == 0)
        rc = BB_ERR_USAGE;
    if (rc != BB_OK) {
        fprintf(stderr, "backbench demo: cannot build the tasks: %s %s\n", bb_strerror(rc), bb_buf_str(&msg));
        status = CLI_EXIT_USAGE;
        goto out;
    }
    if (answers) {
        status = cli_demo_write_answers(tasks, answers);
        goto out;
    }
    if (mkdir(out_dir, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "backbench demo: cannot create %s: %s\n", out_dir, strerror(errno));
        goto out;
    }
    if (!store_path) {
        if (snprintf(store_buf, sizeof store_buf, "%s/demo.db", out_dir) >= (int)sizeof store_buf) {
            fprintf(stderr, "backbench demo: --out path too long\n");
            goto out;
        }
        store_path = store_buf;
        for (i = 0; i < 3; i++) {
            const char *suffix[3] = {"", "-wal", "-shm"};
            char path[CLI_DEMO_PATH_MAX + 8];

            snprintf(path, sizeof path, "%s%s", store_buf, suffix[i]);
            if (remove(path) != 0 && errno != ENOENT) {
                fprintf(stderr, "backbench demo: cannot remove the old %s: %s\n", path, strerror(errno));
                goto out;
            }
        }
    }
    sp.port = 0;
    sp.stall_ms = 2000;
    rc = sim_server_start(&sp, &sim);
    if (rc != BB_OK) {
        fprintf(stderr, "backbench demo: cannot start the simulator: %s\n", bb_strerror(rc));
        goto out;
    }
    for (k = 0; k < tasks->n; k++) {
        rc = sim_server_answer(sim, tasks->items[k].id, tasks->items[k].answer);
        if (rc != BB_OK) {
            fprintf(stderr, "backbench demo: answer key for %s: %s\n", tasks->items[k].id, bb_strerror(rc));
            goto out;
        }
    }
    snprintf(url, sizeof url, "http://127.0.0.1:%d/v1", sim_server_port(sim));
    rc = store_open(store_path, &s);
    if (rc != BB_OK) {
        fprintf(stderr, "backbench demo: cannot open store %s: %s\n", store_path, bb_strerror(rc));
        goto out;
    }
    if (!quiet && !json)
        fprintf(stderr, "simulator on %s; %zu tasks x %d trials x %d models; store %s\n", url, tasks->n, p.trials,
                n_models, store_path);
    /* the faulty profile stalls for 2 s: a 500 ms stall timeout and short
     * backoffs keep its retries to seconds */
    cp.stall_timeout_ms = 500;
    cp.backoff_base_ms = 100;
    cp.backoff_max_ms = 5000;
    bench_progress_init(&prog, json ? stdout : stderr, json, quiet);
    p.endpoint = url;
    p.endpoint_label = CLI_DEMO_ENDPOINT_LABEL;
    p.server_kind = "sim";
    p.client = &cp;
    p.on_event = bench_progress_event;
    p.event_ctx = &prog;
    p.backbench_version = BB_VERSION;
    p.git_rev = BB_GIT_REV;
    p.benchmark_version = BB_BENCHMARK_VERSION;
    for (i = 0; i < n_models; i++) {
        bench_run_totals t;

        p.model = model_names[i];
        rc = bench_run(s, tasks, &p, &t);
        if (rc != BB_OK) {
            fprintf(stderr, "backbench demo: run of %s failed: %s\n", p.model, bb_strerror(rc));
            goto out;
        }
    }
    rc = report_write(s, out_dir, NULL, &sum);
    if (rc != BB_OK) {
        fprintf(stderr, "backbench demo: report: %s\n", bb_strerror(rc));
        goto out;
    }
    printf("report: %s/index.html (%zu models, %zu projects, %zu units; also summary.json, leaderboard.md, "
           "leaderboard.csv)\n", out_dir, sum.n_entries, sum.n_projects, sum.n_units);
    status = CLI_EXIT_OK;
out:
    store_close(s);
    sim_server_stop(sim);
    bench_tasks_free(tasks);
    bench_projects_free(projects);
    schema_errors_free(&errs);
    bb_buf_free(&msg);
    return status;
}
