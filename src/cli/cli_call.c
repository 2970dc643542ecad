/*
 * cli_call.c — `backbench call`: one function-calling conversation against
 * any OpenAI-compatible server, shown in full. The first thing to run on a
 * new server: it shows whether tool calls come back, in which form, what the
 * harness repaired, what feedback it sent, and the outcome.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/phase.h"
#include "cli/cli.h"
#include "harness/harness_loop.h"
#include "json/json_util.h"
#include "util/alloc.h"
#include "util/file.h"

#define CLI_CALL_MAX_FILE ((size_t)16 * 1024 * 1024)

static void cli_call_usage(FILE *f)
{
    fprintf(f,
            "usage: backbench call --endpoint URL --model ID (--schema FILE | --ast db|api)\n"
            "                      (--prompt TEXT | --prompt-file FILE) [options]\n"
            "\n"
            "Runs one function-calling conversation: the prompt, one tool whose parameters are\n"
            "the schema, tool_choice \"required\", and the harness loop (repair, validation,\n"
            "feedback rounds). Prints each round (verdict, where the call was found, repairs,\n"
            "errors, tokens, latency), the outcome and the accepted arguments.\n"
            "\n"
            "options:\n"
            "  --endpoint URL      server base URL, e.g. http://127.0.0.1:8080 or .../v1\n"
            "  --model ID          model name the server expects\n"
            "  --schema FILE       JSON Schema of the tool's parameters\n"
            "  --ast db|api        use a built-in AST schema and its semantic checks instead\n"
            "  --tool NAME         function name (default: submit, or the phase's)\n"
            "  --system TEXT       system prompt\n"
            "  --api-key-env NAME  environment variable holding the API key (never printed)\n"
            "  --mode MODE         raw | repair | full (default full)\n"
            "  --rounds N          maximum rounds (default 8)\n"
            "  --max-tokens N      completion token limit (default 32768; 0: not sent)\n"
            "  --temperature X     (default 0)\n"
            "  --seed N            sampling seed sent to the server\n"
            "  --stream            stream the answers (SSE)\n"
            "  --task ID           task id sent as X-Backbench-Task (the simulator's answer key)\n"
            "  --extra JSON        object merged into every request body\n"
            "  --transcript        also print the last request body sent\n"
            "\n"
            "exit status: 0 a valid call was accepted, 1 no valid call, 2 usage or I/O error.\n");
}

static char *cli_call_read(const char *path)
{
    char *text = NULL;
    size_t len = 0;
    bb_result rc = bb_file_read(path, CLI_CALL_MAX_FILE, &text, &len);

    if (rc != BB_OK) {
        fprintf(stderr, "backbench call: cannot read %s: %s\n", path, bb_strerror(rc));
        return NULL;
    }
    return text;
}

int cli_call_main(int argc, char **argv)
{
    const char *endpoint = NULL, *model = NULL, *schema_path = NULL, *ast = NULL, *prompt = NULL;
    const char *prompt_file = NULL, *tool = NULL, *system = NULL, *key_env = NULL, *task_id = NULL;
    harness_params hp = harness_default_params();
    llm_client_params cp = llm_client_default_params();
    bench_phase_checker checker = {BENCH_PHASE_DB, NULL};
    harness_task task;
    harness_result *r = NULL;
    schema *s = NULL;
    char *schema_text = NULL, *prompt_text = NULL;
    int transcript = 0, status = CLI_EXIT_USAGE, i;
    size_t k;
    bb_result rc;

    if (cli_wants_help(argc, argv)) {
        cli_call_usage(stdout);
        return CLI_EXIT_OK;
    }
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int takes = 1;

        if (strcmp(a, "--stream") == 0) {
            hp.stream = 1;
            takes = 0;
        } else if (strcmp(a, "--transcript") == 0) {
            transcript = 1;
            takes = 0;
        } else if (!v) {
            fprintf(stderr, "backbench call: '%s' needs a value\n", a);
            return CLI_EXIT_USAGE;
        } else if (strcmp(a, "--endpoint") == 0) {
            endpoint = v;
        } else if (strcmp(a, "--model") == 0) {
            model = v;
        } else if (strcmp(a, "--schema") == 0) {
            schema_path = v;
        } else if (strcmp(a, "--ast") == 0) {
            ast = v;
        } else if (strcmp(a, "--prompt") == 0) {
            prompt = v;
        } else if (strcmp(a, "--prompt-file") == 0) {
            prompt_file = v;
        } else if (strcmp(a, "--tool") == 0) {
            tool = v;
        } else if (strcmp(a, "--system") == 0) {
            system = v;
        } else if (strcmp(a, "--api-key-env") == 0) {
            key_env = v;
        } else if (strcmp(a, "--task") == 0) {
            task_id = v;
        } else if (strcmp(a, "--extra") == 0) {
            hp.extra_json = v;
        } else if (strcmp(a, "--mode") == 0 && harness_mode_parse(v) >= 0) {
            hp.mode = (harness_mode)harness_mode_parse(v);
        } else if (strcmp(a, "--rounds") == 0 && strtol(v, NULL, 10) >= 1) {
            hp.max_rounds = (int)strtol(v, NULL, 10);
        } else if (strcmp(a, "--max-tokens") == 0) {
            hp.max_tokens = strtol(v, NULL, 10);
        } else if (strcmp(a, "--temperature") == 0) {
            hp.temperature = strtod(v, NULL);
        } else if (strcmp(a, "--seed") == 0) {
            hp.seed = strtoll(v, NULL, 10);
            hp.has_seed = 1;
        } else {
            fprintf(stderr, "backbench call: bad option or value: %s %s\n", a, v);
            cli_call_usage(stderr);
            return CLI_EXIT_USAGE;
        }
        i += takes;
    }
    if (!endpoint || !model || (!schema_path == !ast) || (!prompt == !prompt_file)) {
        cli_call_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    bb_json_init();
    memset(&task, 0, sizeof task);
    if (ast) {
        int kind = bench_phase_parse(ast);
        const bb_embedded_file *f;

        if (kind < 0) {
            fprintf(stderr, "backbench call: --ast must be db or api\n");
            goto out;
        }
        checker.kind = (bench_phase_kind)kind;
        f = bb_embed_find(bench_phase_schema_path(checker.kind));
        rc = f ? bench_phase_schema(checker.kind, &s) : BB_ERR_NOT_FOUND;
        if (rc != BB_OK) {
            fprintf(stderr, "backbench call: built-in schema: %s\n", bb_strerror(rc));
            goto out;
        }
        task.tool_schema_json = (const char *)f->data;
        task.tool_name = tool ? tool : bench_phase_tool_name(checker.kind);
        task.tool_description = bench_phase_tool_description(checker.kind);
        task.hook.check = bench_phase_semantic;
        task.hook.ctx = &checker;
    } else {
        json_error_t jerr;
        json_t *doc;
        schema_errors issues;

        schema_text = cli_call_read(schema_path);
        if (!schema_text)
            goto out;
        doc = json_loads(schema_text, 0, &jerr);
        if (!doc) {
            fprintf(stderr, "backbench call: %s:%d: %s\n", schema_path, jerr.line, jerr.text);
            goto out;
        }
        schema_errors_init(&issues, 20);
        rc = schema_compile(doc, NULL, &s, &issues);
        for (k = 0; k < issues.n; k++)
            fprintf(stderr, "backbench call: %s: %s: %s\n", schema_path, issues.items[k].path,
                    issues.items[k].message ? issues.items[k].message : issues.items[k].expected);
        schema_errors_free(&issues);
        json_decref(doc);
        if (rc != BB_OK)
            goto out;
        task.tool_schema_json = schema_text;
        task.tool_name = tool ? tool : "submit";
    }
    if (prompt_file) {
        prompt_text = cli_call_read(prompt_file);
        if (!prompt_text)
            goto out;
        prompt = prompt_text;
    }
    task.id = task_id;
    task.model = model;
    task.system_prompt = system;
    task.user_prompt = prompt;
    task.schema = s;
    rc = harness_run_one(endpoint, key_env, &task, &hp, &cp, &r);
    if (rc != BB_OK) {
        fprintf(stderr, "backbench call: %s\n", bb_strerror(rc));
        goto out;
    }
    for (k = 0; k < r->n_rounds; k++) {
        const harness_round *rd = &r->rounds[k];

        printf("round %d: %s%s%s  http %ld  source %s  tokens %lld in / %lld out  %.0f ms\n", rd->round,
               rd->verdict ? rd->verdict : "?", rd->infra_class ? " " : "", rd->infra_class ? rd->infra_class : "",
               rd->http_status, rd->call_source ? rd->call_source : "-", rd->prompt_tokens, rd->completion_tokens,
               rd->total_ms);
        printf("  repairs: %s\n", rd->repairs ? rd->repairs : "[]");
        if (rd->n_errors)
            printf("  errors (%d): %s\n", rd->n_errors, rd->errors ? rd->errors : "");
        if (rd->nudged)
            printf("  answered with a consent nudge\n");
    }
    printf("outcome: %s after %d round%s%s%s\n", harness_outcome_name(r->outcome), r->rounds_used,
           r->rounds_used == 1 ? "" : "s", r->last_error ? " — " : "", r->last_error ? r->last_error : "");
    if (r->fell_back_auto)
        printf("note: the server refused tool_choice \"required\"; \"auto\" was used\n");
    if (r->fell_back_user)
        printf("note: the server refused tool messages; feedback went as user messages\n");
    printf("tokens: %lld prompt (%lld cached), %lld completion (%lld reasoning)\n", r->prompt_tokens,
           r->cached_tokens, r->completion_tokens, r->reasoning_tokens);
    if (r->accepted)
        printf("arguments: %s\n", r->accepted);
    if (transcript && r->last_request)
        printf("last request: %s\n", r->last_request);
    status = harness_outcome_is_valid(r->outcome) ? CLI_EXIT_OK : CLI_EXIT_FAIL;
out:
    harness_result_destroy(r);
    schema_free(s);
    bb_free(schema_text);
    bb_free(prompt_text);
    return status;
}
