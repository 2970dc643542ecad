/*
 * cli_models.c — `backbench models`: the model registry (prices, sizes,
 * memory at 4-bit, the eligibility rule) and, with --servers, the server
 * presets. Reads the embedded models/registry.json and models/servers.json unless --registry or
 * --servers-file names another file; a bad file is reported with located
 * errors and exit code 2.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "bench/models.h"
#include "cli/cli.h"
#include "json/json_util.h"
#include "util/alloc.h"

typedef struct cli_models_opts {
    int eligible_only;
    int json;
    int servers;
    const char *registry;
    const char *servers_file;
} cli_models_opts;

static void cli_models_usage(FILE *f)
{
    fprintf(f,
            "usage: backbench models [--eligible] [--json] [--registry FILE]\n"
            "       backbench models --servers [--json] [--servers-file FILE]\n"
            "\n"
            "Lists the model registry: parameters (total and active, billions), context,\n"
            "OpenRouter list price in USD per million input/output tokens, estimated memory\n"
            "at 4-bit with a 32k-token KV cache, whether that fits a 64 GB laptop, and\n"
            "eligibility: blended price (3 x input + output) / 4 under $0.25 per million\n"
            "tokens, or fits the laptop (see docs/models.md).\n"
            "\n"
            "  --eligible          only eligible models\n"
            "  --json              JSON instead of a table\n"
            "  --registry FILE     read FILE instead of the embedded models/registry.json\n"
            "  --servers           the server presets (llama-server, Ollama, vLLM, LM Studio,\n"
            "                      OpenRouter) instead of the models\n"
            "  --servers-file FILE read FILE instead of the embedded models/servers.json\n");
}

static void cli_models_print_errors(const char *what, bb_result rc, const schema_errors *errs)
{
    fprintf(stderr, "backbench models: cannot load %s: %s\n", what, bb_strerror(rc));
    cli_print_errors(stderr, "  ", errs);
    if (errs->dropped)
        fprintf(stderr, "  ... and %zu more\n", errs->dropped);
}

static const char *cli_models_elig_word(int e)
{
    if (e == (BENCH_ELIGIBLE_PRICE | BENCH_ELIGIBLE_FITS))
        return "price+fits";
    if (e == BENCH_ELIGIBLE_PRICE)
        return "price";
    if (e == BENCH_ELIGIBLE_FITS)
        return "fits";
    return "no";
}

/* v with the given decimals, or "-" when unknown (negative). */
static void cli_models_num(char *buf, size_t n, double v, int decimals)
{
    if (v < 0)
        snprintf(buf, n, "-");
    else
        snprintf(buf, n, "%.*f", decimals, v);
}

static int cli_models_table(const bench_models *reg, const cli_models_opts *o)
{
    size_t i, shown = 0;

    printf("%-20s %7s %7s %9s %8s %8s %8s %-4s %s\n", "id", "params", "active", "context", "$/M in",
           "$/M out", "mem GB", "fits", "eligible");
    for (i = 0; i < reg->n; i++) {
        const bench_model *m = &reg->models[i];
        int e = bench_model_eligibility(reg, m);
        char pt[16], pa[16], pi[16], po[16], mem[16];

        if (o->eligible_only && !e)
            continue;
        cli_models_num(pt, sizeof pt, m->params_total_b, 1);
        cli_models_num(pa, sizeof pa, m->params_active_b, 1);
        cli_models_num(pi, sizeof pi, m->price_in_per_m, 3);
        cli_models_num(po, sizeof po, m->price_out_per_m, 3);
        cli_models_num(mem, sizeof mem, m->mem_4bit_gb, 1);
        printf("%-20s %7s %7s %9ld %8s %8s %8s %-4s %s%s\n", m->id, pt, pa, m->context, pi, po, mem,
               m->fits_64gb ? "yes" : "no", cli_models_elig_word(e), m->frontier ? " (yardstick)" : "");
        shown++;
    }
    printf("\n%zu of %zu models. Prices: OpenRouter list prices as of %s.\nEligible: %s.\n", shown, reg->n,
           reg->prices_as_of, reg->rule.rule);
    return CLI_EXIT_OK;
}

/* Adds key: number, or null when v < 0. */
static int cli_models_set_num(json_t *o, const char *key, double v)
{
    return json_object_set_new(o, key, v < 0 ? json_null() : json_real(v));
}

static int cli_models_set_str(json_t *o, const char *key, const char *s)
{
    return json_object_set_new(o, key, s ? json_string(s) : json_null());
}

static int cli_models_print_json(json_t *root)
{
    char *s;

    if (!root) {
        fprintf(stderr, "backbench models: out of memory\n");
        return CLI_EXIT_USAGE;
    }
    s = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
    json_decref(root);
    if (!s) {
        fprintf(stderr, "backbench models: out of memory\n");
        return CLI_EXIT_USAGE;
    }
    printf("%s\n", s);
    bb_free(s);
    return CLI_EXIT_OK;
}

static json_t *cli_models_to_json(const bench_models *reg, const cli_models_opts *o)
{
    json_t *root = json_object(), *arr = json_array();
    size_t i, j;
    int bad = !root || !arr;

    for (i = 0; i < reg->n && !bad; i++) {
        const bench_model *m = &reg->models[i];
        int e = bench_model_eligibility(reg, m);
        json_t *jm, *est, *by;

        if (o->eligible_only && !e)
            continue;
        jm = json_object();
        est = json_array();
        by = json_array();
        bad |= !jm || !est || !by;
        if (bad) {
            json_decref(jm);
            json_decref(est);
            json_decref(by);
            break;
        }
        bad |= cli_models_set_str(jm, "id", m->id) | cli_models_set_str(jm, "name", m->name) |
               cli_models_set_str(jm, "vendor", m->vendor) |
               cli_models_set_str(jm, "openrouter_id", m->openrouter_id) |
               cli_models_set_num(jm, "price_in_per_m", m->price_in_per_m) |
               cli_models_set_num(jm, "price_out_per_m", m->price_out_per_m) |
               cli_models_set_num(jm, "blended_price_per_m", bench_model_blended_price(reg, m)) |
               cli_models_set_str(jm, "price_date", m->price_date) |
               cli_models_set_str(jm, "price_source", m->price_source) |
               cli_models_set_num(jm, "params_total_b", m->params_total_b) |
               cli_models_set_num(jm, "params_active_b", m->params_active_b) |
               json_object_set_new(jm, "context", json_integer(m->context)) |
               cli_models_set_num(jm, "kv_gb_32k", m->kv_gb_32k) |
               cli_models_set_num(jm, "mem_4bit_gb", m->mem_4bit_gb) |
               json_object_set_new(jm, "fits_64gb", json_boolean(m->fits_64gb)) |
               json_object_set_new(jm, "open_weights", json_boolean(m->open_weights)) |
               json_object_set_new(jm, "frontier", json_boolean(m->frontier)) |
               json_object_set_new(jm, "eligible", json_boolean(e != 0)) |
               cli_models_set_str(jm, "notes", m->notes);
        for (j = 0; j < m->n_estimated; j++)
            bad |= json_array_append_new(est, json_string(m->estimated[j]));
        if (e & BENCH_ELIGIBLE_PRICE)
            bad |= json_array_append_new(by, json_string("price"));
        if (e & BENCH_ELIGIBLE_FITS)
            bad |= json_array_append_new(by, json_string("fits"));
        bad |= json_object_set_new(jm, "estimated", est) | json_object_set_new(jm, "eligible_by", by) |
               json_array_append_new(arr, jm);
    }
    if (!bad)
        bad |= cli_models_set_str(root, "prices_as_of", reg->prices_as_of) |
               cli_models_set_str(root, "eligibility_rule", reg->rule.rule) |
               json_object_set_new(root, "models", arr);
    else
        json_decref(arr);
    if (bad) {
        json_decref(root);
        return NULL;
    }
    return root;
}

static const char *cli_models_tri(bench_tristate t)
{
    return t == BENCH_YES ? "yes" : t == BENCH_PARTLY ? "partly" : "no";
}

static json_t *cli_models_strlist(const char **list, size_t n)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; a && i < n; i++) {
        if (json_array_append_new(a, json_string(list[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static int cli_models_servers(const cli_models_opts *o)
{
    schema_errors errs;
    bench_servers *s = NULL;
    size_t i, j;
    bb_result rc;
    int code = CLI_EXIT_OK;

    schema_errors_init(&errs, 0);
    rc = bench_servers_load(o->servers_file, &s, &errs);
    if (rc != BB_OK) {
        cli_models_print_errors(o->servers_file ? o->servers_file : BENCH_SERVERS_EMBED_PATH, rc, &errs);
        schema_errors_free(&errs);
        return CLI_EXIT_USAGE;
    }
    if (o->json) {
        json_t *arr = json_array();
        int bad = !arr;

        for (i = 0; i < s->n && !bad; i++) {
            const bench_server_preset *p = &s->items[i];
            json_t *jp = json_object(), *eb = json_loads(p->extra_body ? p->extra_body : "{}", 0, NULL);

            bad |= !jp || !eb;
            if (bad) {
                json_decref(jp);
                json_decref(eb);
                break;
            }
            bad |= cli_models_set_str(jp, "name", p->name) | cli_models_set_str(jp, "title", p->title) |
                   cli_models_set_str(jp, "base_url", p->base_url) |
                   cli_models_set_str(jp, "api_key_env", p->api_key_env) |
                   cli_models_set_str(jp, "tool_setup", p->tool_setup) |
                   cli_models_set_str(jp, "tool_choice_required", cli_models_tri(p->tool_choice_required)) |
                   cli_models_set_str(jp, "tool_choice_note", p->tool_choice_note) |
                   json_object_set_new(jp, "schema_unsupported",
                                       cli_models_strlist(p->schema_unsupported, p->n_schema_unsupported)) |
                   json_object_set_new(jp, "builds_grammar", json_boolean(p->builds_grammar)) |
                   cli_models_set_str(jp, "schema_note", p->schema_note) |
                   json_object_set_new(jp, "stream_quirks", cli_models_strlist(p->stream_quirks, p->n_stream_quirks)) |
                   json_object_set_new(jp, "extra_body", eb) |
                   json_object_set_new(jp, "sources", cli_models_strlist(p->sources, p->n_sources)) |
                   json_array_append_new(arr, jp);
        }
        if (bad) {
            json_decref(arr);
            arr = NULL;
        }
        code = cli_models_print_json(arr);
    } else {
        for (i = 0; i < s->n; i++) {
            const bench_server_preset *p = &s->items[i];

            printf("%s — %s\n", p->name, p->title);
            printf("  base URL         %s\n", p->base_url);
            printf("  API key env      %s\n", p->api_key_env ? p->api_key_env : "(none needed)");
            printf("  tool setup       %s\n", p->tool_setup);
            printf("  tool_choice      required: %s. %s\n", cli_models_tri(p->tool_choice_required),
                   p->tool_choice_note);
            printf("  schema           %s%s\n", p->builds_grammar ? "builds a grammar. " : "", p->schema_note);
            for (j = 0; j < p->n_schema_unsupported; j++)
                printf("    unsupported:   %s\n", p->schema_unsupported[j]);
            for (j = 0; j < p->n_stream_quirks; j++)
                printf("  quirk            %s\n", p->stream_quirks[j]);
            printf("  extra body       %s\n", p->extra_body ? p->extra_body : "{}");
            printf("\n");
        }
    }
    bench_servers_free(s);
    schema_errors_free(&errs);
    return code;
}

int cli_models_main(int argc, char **argv)
{
    cli_models_opts o;
    schema_errors errs;
    bench_models *reg = NULL;
    bb_result rc;
    int i, code;

    memset(&o, 0, sizeof o);
    if (cli_wants_help(argc, argv)) {
        cli_models_usage(stdout);
        return CLI_EXIT_OK;
    }
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];

        if (strcmp(a, "--eligible") == 0) {
            o.eligible_only = 1;
        } else if (strcmp(a, "--json") == 0) {
            o.json = 1;
        } else if (strcmp(a, "--servers") == 0) {
            o.servers = 1;
        } else if ((strcmp(a, "--registry") == 0 || strcmp(a, "--servers-file") == 0) && i + 1 < argc) {
            if (a[2] == 'r')
                o.registry = argv[++i];
            else
                o.servers_file = argv[++i];
        } else {
            fprintf(stderr, "backbench models: bad option '%s'\n", a);
            cli_models_usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    bb_json_init();
    if (o.servers)
        return cli_models_servers(&o);
    schema_errors_init(&errs, 0);
    rc = bench_models_load(o.registry, &reg, &errs);
    if (rc != BB_OK) {
        cli_models_print_errors(o.registry ? o.registry : BENCH_MODELS_EMBED_PATH, rc, &errs);
        schema_errors_free(&errs);
        return CLI_EXIT_USAGE;
    }
    code = o.json ? cli_models_print_json(cli_models_to_json(reg, &o)) : cli_models_table(reg, &o);
    bench_models_free(reg);
    schema_errors_free(&errs);
    return code;
}
