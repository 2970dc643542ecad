/*
 * cli_run.c — `backbench run`: the benchmark against one model server.
 *
 * Parses the options into a bench_run_params (run.h), builds the tasks
 * (task.h), opens the store and runs; progress goes to stderr as a bar on a
 * terminal, plain lines elsewhere, or JSON event lines with --json (then on
 * stdout). --plan lists the units and prompt sizes without sending anything.
 * Resumable: the same command again skips the units already in the store.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bench/models.h"
#include "bench/progress.h"
#include "bench/project.h"
#include "bench/run.h"
#include "bench/task.h"
#include "cli/cli.h"
#include "json/json_util.h"
#include "store/store.h"
#include "util/buf.h"

#ifndef BB_GIT_REV
#define BB_GIT_REV "unknown"
#endif

#define CLI_RUN_DEFAULT_STORE "backbench.db"
#define CLI_RUN_SIM_PORT "8089" /* backbench sim's default port */

#define CLI_RUN_DEFAULT_PHASES "db,api,impl,test"

static volatile sig_atomic_t cli_run_stop;

/* The first SIGINT/SIGTERM stops starting units (the ones in flight finish
 * and are stored); a second one ends the process at once. */
static void cli_run_on_signal(int sig)
{
    if (cli_run_stop) {
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    cli_run_stop = 1;
}

static void cli_run_usage(FILE *f)
{
    fprintf(f,
            "usage: backbench run --endpoint URL --model ID [options]\n"
            "\n"
            "Runs the benchmark's tasks (projects x phases x trials) against one model through an\n"
            "OpenAI-compatible server and stores every finished unit (outcome, rounds, tokens, cost,\n"
            "accepted design) in the results store. Resumable: the same command again skips the\n"
            "units already finished. `backbench report` turns the store into the dashboard.\n"
            "\n"
            "options:\n"
            "  --endpoint URL        server base URL (default: the --server preset's)\n"
            "  --model ID            model name the server expects (also looked up for prices)\n"
            "  --server KIND         preset from models/servers.json: llama-server, ollama, vllm,\n"
            "                        lmstudio, openrouter (base URL, key variable; recorded); or sim\n"
            "                        for `backbench sim` (results marked simulated)\n"
            "  --api-key-env NAME    environment variable holding the API key (default: the preset's,\n"
            "                        else OPENROUTER_API_KEY for openrouter.ai, else OPENAI_API_KEY)\n"
            "  --projects a,b        projects (default: all)\n"
            "  --phases a,b          phases: db, api, impl, test (default: all four; impl and test\n"
            "                        tasks exist for the operations and scenarios with hidden tests)\n"
            "  --trials N            trials per task, each with its own fixed seed (default 1)\n"
            "  --concurrency N       conversations in flight (default 4)\n"
            "  --mode isolated       how earlier phases reach later ones (chained: not yet)\n"
            "  --harness MODE        raw | repair | full (default full)\n"
            "  --rounds R            maximum rounds per task in full mode (default 8)\n"
            "  --budget-usd X        stop starting units once X dollars are spent\n"
            "  --max-tokens N        stop starting units once N tokens (prompt + completion) are spent\n"
            "  --price IN,OUT        USD per million prompt/completion tokens (default: the registry's)\n"
            "  --call-max-tokens N   completion limit of one request (default 32768; 0: not sent)\n"
            "  --temperature X       (default 0)\n"
            "  --extra JSON          object merged into every request body\n"
            "  --stream              stream the answers (SSE)\n"
            "  --store FILE          results store (default " CLI_RUN_DEFAULT_STORE ")\n"
            "  --shard I/N           run only shard I of N (0-based); also from SLURM_ARRAY_TASK_ID/\n"
            "                        SLURM_ARRAY_TASK_COUNT, or JOB_COMPLETION_INDEX with --shards N\n"
            "                        or BACKBENCH_SHARDS\n"
            "  --shards N            the shard count for JOB_COMPLETION_INDEX\n"
            "  --plan                list the units and prompt sizes; send nothing\n"
            "  --quiet               only the final summary\n"
            "  --json                JSON event lines on stdout (plan, unit, stop, end)\n"
            "\n"
            "exit status: 0 finished or stopped on the budget, 1 interrupted, the server unreachable\n"
            "(units failing in a row) or a store/client failure (finished units are kept), 2 usage error.\n");
}

static int cli_run_long(const char *s, long lo, long hi, long *out)
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

static int cli_run_double(const char *s, double lo, double hi, double *out)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(s, &end);
    if (*s == '\0' || *end != '\0' || errno || !(v >= lo && v <= hi))
        return -1;
    *out = v;
    return 0;
}

static int cli_run_price(const char *s, double *in, double *out)
{
    char buf[64];
    const char *comma = strchr(s, ',');
    size_t len = comma ? (size_t)(comma - s) : 0;

    if (!comma || len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return cli_run_double(buf, 0, 1e6, in) == 0 && cli_run_double(comma + 1, 0, 1e6, out) == 0 ? 0 : -1;
}

static void cli_run_plan(const bench_tasks *ts, const bench_run_params *p)
{
    size_t i;
    int trial;
    long n = 0;

    printf("%-24s %10s %10s %10s\n", "task", "system B", "prompt B", "schema B");
    for (i = 0; i < ts->n; i++) {
        const bench_task *t = &ts->items[i];

        printf("%-24s %10zu %10zu %10zu\n", t->id, strlen(t->system_prompt), strlen(t->user_prompt),
               strlen(t->harness.tool_schema_json));
    }
    for (trial = 1; trial <= p->trials; trial++) {
        for (i = 0; i < ts->n; i++)
            n += bench_shard_has(ts->items[i].id, trial, p->shard_index, p->shard_count);
    }
    printf("%ld units in shard %d/%d (%zu tasks x %d trials in all)\n", n, p->shard_index, p->shard_count, ts->n,
           p->trials);
}

int cli_run_main(int argc, char **argv)
{
    bench_run_params p = bench_run_default_params();
    const char *store_path = CLI_RUN_DEFAULT_STORE, *server = NULL, *shard = NULL, *shards = NULL;
    const char *endpoint = NULL, *key_env = NULL;
    bench_servers *servers = NULL;
    bench_projects *projects = NULL;
    bench_tasks *tasks = NULL;
    bench_progress prog;
    bench_run_totals totals;
    store *s = NULL;
    bb_buf msg;
    schema_errors errs;
    int json = 0, quiet = 0, plan = 0, status = CLI_EXIT_USAGE, i;
    long v;
    bb_result rc;

    if (cli_wants_help(argc, argv)) {
        cli_run_usage(stdout);
        return CLI_EXIT_OK;
    }
    bb_buf_init(&msg, 4096);
    schema_errors_init(&errs, 20);
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
        } else if (strcmp(a, "--plan") == 0) {
            plan = 1;
            takes = 0;
        } else if (!val) {
            fprintf(stderr, "backbench run: '%s' needs a value\n", a);
            goto out;
        } else if (strcmp(a, "--endpoint") == 0) {
            endpoint = val;
        } else if (strcmp(a, "--model") == 0) {
            p.model = val;
        } else if (strcmp(a, "--server") == 0) {
            server = val;
        } else if (strcmp(a, "--api-key-env") == 0) {
            key_env = val;
        } else if (strcmp(a, "--projects") == 0) {
            p.projects = val;
        } else if (strcmp(a, "--phases") == 0) {
            p.phases = val;
        } else if (strcmp(a, "--trials") == 0 && cli_run_long(val, 1, BENCH_RUN_MAX_TRIALS, &v) == 0) {
            p.trials = (int)v;
        } else if (strcmp(a, "--concurrency") == 0 && cli_run_long(val, 1, BENCH_RUN_MAX_CONCURRENCY, &v) == 0) {
            p.concurrency = (int)v;
        } else if (strcmp(a, "--mode") == 0 && bench_run_mode_parse(val) >= 0) {
            p.mode = (bench_run_mode)bench_run_mode_parse(val);
        } else if (strcmp(a, "--harness") == 0 && harness_mode_parse(val) >= 0) {
            p.harness.mode = (harness_mode)harness_mode_parse(val);
        } else if (strcmp(a, "--rounds") == 0 && cli_run_long(val, 1, HARNESS_MAX_ROUNDS, &v) == 0) {
            p.harness.max_rounds = (int)v;
        } else if (strcmp(a, "--budget-usd") == 0 && cli_run_double(val, 0, 1e9, &p.budget_usd) == 0) {
            /* parsed */
        } else if (strcmp(a, "--max-tokens") == 0 && cli_run_long(val, 1, 0x7fffffffffffL, &v) == 0) {
            p.max_tokens = v;
        } else if (strcmp(a, "--price") == 0 && cli_run_price(val, &p.price_in_per_m, &p.price_out_per_m) == 0) {
            /* parsed */
        } else if (strcmp(a, "--call-max-tokens") == 0 && cli_run_long(val, 0, 10000000, &v) == 0) {
            p.harness.max_tokens = v;
        } else if (strcmp(a, "--temperature") == 0 && cli_run_double(val, 0, 2, &p.harness.temperature) == 0) {
            /* parsed */
        } else if (strcmp(a, "--extra") == 0) {
            p.harness.extra_json = val;
        } else if (strcmp(a, "--store") == 0) {
            store_path = val;
        } else if (strcmp(a, "--shard") == 0) {
            shard = val;
        } else if (strcmp(a, "--shards") == 0) {
            shards = val;
        } else {
            fprintf(stderr, "backbench run: bad option or value: %s %s\n", a, val);
            cli_run_usage(stderr);
            goto out;
        }
        i += takes;
    }
    bb_json_init();
    if (p.harness.extra_json) {
        json_error_t jerr;
        json_t *extra = json_loads(p.harness.extra_json, 0, &jerr);
        int is_object = json_is_object(extra);

        json_decref(extra);
        if (!is_object) {
            fprintf(stderr, "backbench run: --extra must be a JSON object, e.g. '{\"provider\":{\"sort\":\"price\"}}'\n");
            goto out;
        }
    }
    if (p.mode == BENCH_MODE_CHAINED) {
        fprintf(stderr, "backbench run: --mode chained is not implemented yet; only isolated runs exist\n");
        goto out;
    }
    if (server && strcmp(server, "sim") == 0) {
        /* the built-in simulator (backbench sim): recorded as simulated */
        if (!endpoint)
            endpoint = "http://127.0.0.1:" CLI_RUN_SIM_PORT "/v1";
        p.server_kind = "sim";
    } else if (server) {
        const bench_server_preset *sp;

        rc = bench_servers_load(NULL, &servers, NULL);
        sp = rc == BB_OK ? bench_server_find(servers, server) : NULL;
        if (!sp) {
            fprintf(stderr, "backbench run: unknown --server '%s' (see backbench models --servers)\n", server);
            goto out;
        }
        if (!endpoint)
            endpoint = sp->base_url;
        if (!key_env)
            key_env = sp->api_key_env;
        p.server_kind = sp->name;
    }
    if (!key_env)
        key_env = endpoint && strstr(endpoint, "openrouter.ai") ? "OPENROUTER_API_KEY" : "OPENAI_API_KEY";
    p.endpoint = endpoint;
    p.api_key_env = key_env;
    if (!p.model || (!p.endpoint && !plan)) {
        fprintf(stderr, "backbench run: --endpoint (or --server) and --model are required\n");
        cli_run_usage(stderr);
        goto out;
    }
    rc = bench_shard_resolve(shard, shards, &p.shard_index, &p.shard_count, &msg);
    if (rc != BB_OK) {
        fprintf(stderr, "backbench run: %s\n", bb_buf_str(&msg));
        goto out;
    }
    rc = bench_projects_list(&projects, &errs);
    if (rc != BB_OK) {
        fprintf(stderr, "backbench run: embedded projects: %s\n", bb_strerror(rc));
        goto out;
    }
    rc = bench_tasks_build(projects, p.projects, p.phases ? p.phases : CLI_RUN_DEFAULT_PHASES, p.mode, &tasks, &msg);
    if (rc != BB_OK) {
        fprintf(stderr, "backbench run: %s%s%s\n",
                rc == BB_ERR_NOT_FOUND ? "unknown project: " : rc == BB_ERR_USAGE ? "bad phase or list: " : "",
                bb_buf_str(&msg), rc == BB_ERR_NOT_FOUND || rc == BB_ERR_USAGE ? "" : bb_strerror(rc));
        goto out;
    }
    if (plan) {
        cli_run_plan(tasks, &p);
        status = CLI_EXIT_OK;
        goto out;
    }
    if (p.budget_usd > 0 && p.price_in_per_m < 0) {
        bench_models *reg = NULL;
        const bench_model *m = NULL;

        if (bench_models_load(NULL, &reg, NULL) == BB_OK)
            m = bench_models_find(reg, p.model);
        if (!m || m->price_in_per_m < 0 || m->price_out_per_m < 0)
            fprintf(stderr,
                    "backbench run: warning: no price for '%s' in the registry; --budget-usd counts only costs the "
                    "server reports (OpenRouter does). Give --price IN,OUT or use --max-tokens.\n",
                    p.model);
        bench_models_free(reg);
    }
    rc = store_open(store_path, &s);
    if (rc != BB_OK) {
        fprintf(stderr, "backbench run: cannot open store %s: %s\n", store_path, bb_strerror(rc));
        goto out;
    }
    bench_progress_init(&prog, json ? stdout : stderr, json, quiet);
    p.on_event = bench_progress_event;
    p.event_ctx = &prog;
    p.stop = &cli_run_stop;
    p.backbench_version = BB_VERSION;
    p.git_rev = BB_GIT_REV;
    p.benchmark_version = BB_BENCHMARK_VERSION;
    signal(SIGINT, cli_run_on_signal);
    signal(SIGTERM, cli_run_on_signal);
    rc = bench_run(s, tasks, &p, &totals);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    if (rc != BB_OK) {
        fprintf(stderr, "backbench run: %s%s%s\n", bb_strerror(rc), rc == BB_ERR_DB ? ": " : "",
                rc == BB_ERR_DB ? store_errmsg(s) : "");
        status = rc == BB_ERR_USAGE ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
        goto out;
    }
    if (!json && !quiet)
        fprintf(stderr, "results in %s (backbench report --store %s)\n", store_path, store_path);
    if (totals.stopped && strcmp(totals.stopped, "infrastructure") == 0)
        fprintf(stderr, "backbench run: stopped after %ld units in a row failed to reach the server; check it and "
                        "rerun the same command\n", totals.units_infra);
    status = totals.stopped && strcmp(totals.stopped, "budget") != 0 ? CLI_EXIT_FAIL : CLI_EXIT_OK;
out:
    store_close(s);
    bench_tasks_free(tasks);
    bench_projects_free(projects);
    bench_servers_free(servers);
    schema_errors_free(&errs);
    bb_buf_free(&msg);
    return status;
}
