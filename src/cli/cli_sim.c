/*
 * cli_sim.c — `backbench sim`: run the built-in OpenAI-compatible simulator
 * in the foreground until interrupted.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "json/json_util.h"
#include "sim/sim_server.h"

static volatile sig_atomic_t cli_sim_stop;

static void cli_sim_on_signal(int sig)
{
    (void)sig;
    cli_sim_stop = 1;
}

static void cli_sim_usage(FILE *f)
{
    fprintf(f,
            "usage: backbench sim [--port P] [--profile perfect|sloppy|weak|broken|faulty]\n"
            "                     [--answers FILE] [--seed N] [--latency-ms N] [--stall-ms N]\n"
            "\n"
            "Runs the built-in simulator: an OpenAI-compatible server on 127.0.0.1 that answers\n"
            "POST /v1/chat/completions (streamed and not), GET /v1/models and GET /health.\n"
            "It is a test double for backbench's client and the engine of the offline demo,\n"
            "never a benchmark result.\n"
            "\n"
            "  --port P        port to listen on (default 8089; 0 picks a free one)\n"
            "  --profile X     profile when the request's model names none (default perfect);\n"
            "                  a request for model \"sim-weak\" gets the weak profile, etc.\n"
            "  --answers FILE  answer key: {\"task id\": {correct tool arguments}, ...}\n"
            "  --seed N        seed of every random choice (default 1)\n"
            "  --latency-ms N  delay before every answer (default 0)\n"
            "  --stall-ms N    silence of the stall fault (default 3000)\n"
            "\n"
            "A request names its task in the X-Backbench-Task header (else the body's \"user\"\n"
            "field); X-Backbench-Fault: 429|500|reset|stall|truncate|garbage forces a fault.\n"
            "Prints \"listening on http://127.0.0.1:PORT\" once ready; stops on SIGINT/SIGTERM.\n");
}

static int cli_sim_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);

    if (*s == '\0' || *end != '\0' || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int cli_sim_main(int argc, char **argv)
{
    sim_params p = sim_default_params();
    const char *answers = NULL;
    sim_server *s = NULL;
    long v;
    int i;
    bb_result rc;

    if (cli_wants_help(argc, argv)) {
        cli_sim_usage(stdout);
        return CLI_EXIT_OK;
    }
    p.port = 8089;
    for (i = 1; i < argc; i += 2) {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

        if (!val) {
            fprintf(stderr, "backbench sim: '%s' needs a value\n", a);
            return CLI_EXIT_USAGE;
        }
        if (strcmp(a, "--port") == 0 && cli_sim_int(val, 0, 65535, &v) == 0) {
            p.port = (int)v;
        } else if (strcmp(a, "--profile") == 0 && sim_profile_parse(val) >= 0) {
            p.profile = (sim_profile_kind)sim_profile_parse(val);
        } else if (strcmp(a, "--answers") == 0) {
            answers = val;
        } else if (strcmp(a, "--seed") == 0 && cli_sim_int(val, 0, 0x7fffffffL, &v) == 0) {
            p.seed = (uint64_t)v;
        } else if (strcmp(a, "--latency-ms") == 0 && cli_sim_int(val, 0, 600000, &v) == 0) {
            p.latency_ms = (int)v;
        } else if (strcmp(a, "--stall-ms") == 0 && cli_sim_int(val, 0, 600000, &v) == 0) {
            p.stall_ms = (int)v;
        } else {
            fprintf(stderr, "backbench sim: bad option or value: %s %s\n", a, val);
            cli_sim_usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    bb_json_init();
    rc = sim_server_start(&p, &s);
    if (rc != BB_OK) {
        fprintf(stderr, "backbench sim: cannot listen on 127.0.0.1:%d: %s\n", p.port, bb_strerror(rc));
        return CLI_EXIT_USAGE;
    }
    if (answers) {
        rc = sim_server_answers_load(s, answers);
        if (rc != BB_OK) {
            fprintf(stderr, "backbench sim: cannot load answers %s: %s\n", answers, bb_strerror(rc));
            sim_server_stop(s);
            return CLI_EXIT_USAGE;
        }
    }
    signal(SIGINT, cli_sim_on_signal);
    signal(SIGTERM, cli_sim_on_signal);
    printf("listening on http://127.0.0.1:%d (default profile %s)\n", sim_server_port(s),
           sim_profile_name(p.profile));
    fflush(stdout);
    while (!cli_sim_stop)
        pause();
    printf("served %lu requests\n", sim_server_requests(s));
    sim_server_stop(s);
    return CLI_EXIT_OK;
}
