/*
 * cli_serve.c — `backbench serve`: run a project's backend (the gold
 * implementation, or an implementation file) over HTTP on loopback until
 * interrupted. The engine runs every operation on an in-memory SQLite
 * database created from the project's gold DB design (src/engine/).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "engine/engine_project.h"
#include "engine/engine_serve.h"
#include "json/json_util.h"

static volatile sig_atomic_t cli_serve_stop;

static void cli_serve_on_signal(int sig)
{
    (void)sig;
    cli_serve_stop = 1;
}

static void cli_serve_usage(FILE *f)
{
    fprintf(f,
            "usage: backbench serve --project NAME [--impl FILE] [--port P] [--seed N]\n"
            "\n"
            "Serves the operations of a reference project over HTTP on 127.0.0.1: routes by the\n"
            "gold API's paths, validates request and response bodies against its DTOs, enforces\n"
            "bearer-token authorization, and runs each operation's Impl AST on an in-memory SQLite\n"
            "database built from the gold DB design. The clock and the uuids are deterministic.\n"
            "\n"
            "  --project NAME  a project under projects/ (todo, bbs, ...)\n"
            "  --impl FILE     implementation file (default projects/NAME/gold/impl.json): a JSON\n"
            "                  array of Impl ASTs, or an object keyed by \"METHOD /path\"\n"
            "  --port P        port (default 8090; 0 picks a free one)\n"
            "  --seed N        seed of uuids, password salts and the token secret (default 1)\n"
            "\n"
            "Prints \"listening on http://127.0.0.1:PORT\" once ready; stops on SIGINT/SIGTERM.\n");
}

static int cli_serve_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);

    if (*s == '\0' || *end != '\0' || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int cli_serve_main(int argc, char **argv)
{
    const char *project = NULL, *impl = NULL;
    long port = 8090, v;
    eng_params params = eng_default_params();
    eng_project *p = NULL;
    eng_server *s = NULL;
    bb_buf msg;
    schema_errors errs;
    bb_result rc;
    int i, ret = CLI_EXIT_OK;

    if (cli_wants_help(argc, argv)) {
        cli_serve_usage(stdout);
        return CLI_EXIT_OK;
    }
    for (i = 1; i < argc; i += 2) {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

        if (!val) {
            fprintf(stderr, "backbench serve: '%s' needs a value\n", a);
            return CLI_EXIT_USAGE;
        }
        if (strcmp(a, "--project") == 0) {
            project = val;
        } else if (strcmp(a, "--impl") == 0) {
            impl = val;
        } else if (strcmp(a, "--port") == 0 && cli_serve_int(val, 0, 65535, &v) == 0) {
            port = v;
        } else if (strcmp(a, "--seed") == 0 && cli_serve_int(val, 0, 0x7fffffffL, &v) == 0) {
            params.seed = (uint64_t)v;
        } else {
            fprintf(stderr, "backbench serve: bad option or value: %s %s\n", a, val);
            cli_serve_usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (!project) {
        cli_serve_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    bb_json_init();
    bb_buf_init(&msg, 4096);
    schema_errors_init(&errs, 50);
    rc = eng_project_open(project, impl, &params, &p, &msg, &errs);
    if (rc != BB_OK) {
        size_t k;

        fprintf(stderr, "backbench serve: %s\n", msg.len ? bb_buf_str(&msg) : bb_strerror(rc));
        for (k = 0; k < errs.n; k++)
            fprintf(stderr, "  %s: %s (expected %s)\n", errs.items[k].path,
                    errs.items[k].message ? errs.items[k].message : "", errs.items[k].expected);
        ret = rc == BB_ERR_INVALID ? CLI_EXIT_FAIL : CLI_EXIT_USAGE;
        goto out;
    }
    rc = eng_server_start(p->engine, (int)port, &s);
    if (rc != BB_OK) {
        fprintf(stderr, "backbench serve: cannot listen on 127.0.0.1:%ld: %s\n", port, bb_strerror(rc));
        ret = CLI_EXIT_USAGE;
        goto out;
    }
    signal(SIGINT, cli_serve_on_signal);
    signal(SIGTERM, cli_serve_on_signal);
    printf("listening on http://127.0.0.1:%d (project %s, %zu operations implemented)\n", eng_server_port(s), project,
           p->impls.n);
    fflush(stdout);
    while (!cli_serve_stop)
        pause();
    printf("served %lu requests\n", eng_server_requests(s));
out:
    eng_server_stop(s);
    eng_project_close(p);
    schema_errors_free(&errs);
    bb_buf_free(&msg);
    return ret;
}
