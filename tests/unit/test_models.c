/*
 * test_models.c — the model registry and the server presets: the embedded
 * files load and hold what the benchmark promises (the seed models, real
 * prices with dates, the memory formula), bad files are rejected with errors
 * at the right place (mutation cases as data), eligibility and cost follow
 * the documented rule, allocation failures are reported, and the `models`
 * subcommand prints what the registry says.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <cmocka.h>

#include <jansson.h>

#include "bench/models.h"
#include "json/json_util.h"
#include "util/alloc.h"
#include "util/buf.h"

int cli_models_main(int argc, char **argv);

/* ---- a small valid registry that the mutation cases start from ---------- */

static const char base_registry[] =
    "{\"version\": 1, \"prices_as_of\": \"2026-06-30\",\n"
    " \"eligibility\": {\"price_max_usd_per_m\": 0.25, \"price_basis\": \"blended\",\n"
    "   \"blend_input_weight\": 3, \"blend_output_weight\": 1, \"laptop_gb\": 64, \"mem_max_gb\": 56,\n"
    "   \"gb_per_billion_params_4bit\": 0.5625, \"kv_context_tokens\": 32768,\n"
    "   \"kv_rule_of_thumb_gb_per_billion\": 0.2, \"kv_rule_of_thumb_max_gb\": 16, \"rule\": \"test rule\"},\n"
    " \"models\": [\n"
    "  {\"id\": \"open-a\", \"name\": \"Open A\", \"vendor\": \"V\", \"openrouter_id\": \"v/open-a\",\n"
    "   \"price_in_per_m\": 2.0, \"price_out_per_m\": 8.0, \"price_date\": \"2026-06-01\", \"price_source\": \"s\",\n"
    "   \"params_total_b\": 40, \"params_active_b\": 4, \"context\": 131072, \"kv_gb_32k\": 2.0,\n"
    "   \"mem_4bit_gb\": 24.5, \"fits_64gb\": true, \"open_weights\": true, \"frontier\": false,\n"
    "   \"notes\": \"n\", \"estimated\": [\"mem_4bit_gb\"]},\n"
    "  {\"id\": \"closed-b\", \"name\": \"Closed B\", \"vendor\": \"W\", \"openrouter_id\": null,\n"
    "   \"price_in_per_m\": null, \"price_out_per_m\": null, \"price_date\": null, \"price_source\": null,\n"
    "   \"params_total_b\": null, \"params_active_b\": null, \"context\": 8192, \"kv_gb_32k\": null,\n"
    "   \"mem_4bit_gb\": null, \"fits_64gb\": false, \"open_weights\": false, \"frontier\": true,\n"
    "   \"notes\": \"price unknown\", \"estimated\": []}]}\n";

/* Walks "a/0/b" to the parent of the last step; returns the last step. */
static json_t *walk(json_t *root, const char *target, char *last, size_t n)
{
    char buf[200];
    char *tok = buf, *next;
    json_t *cur = root;

    snprintf(buf, sizeof buf, "%s", target);
    next = strchr(tok, '/');
    while (next) {
        *next = '\0';
        cur = json_is_array(cur) ? json_array_get(cur, (size_t)strtoul(tok, NULL, 10)) : json_object_get(cur, tok);
        assert_non_null(cur);
        tok = next + 1;
        next = strchr(tok, '/');
    }
    snprintf(last, n, "%s", tok);
    return cur;
}

/* Applies one mutation: value NULL deletes the member. */
static char *mutate(const char *doc, const char *target, const char *value)
{
    json_error_t err;
    json_t *root = json_loads(doc, 0, &err), *parent, *v = NULL;
    char last[200];
    char *out, *dumped;

    assert_non_null(root);
    parent = walk(root, target, last, sizeof last);
    if (value) {
        v = json_loads(value, JSON_DECODE_ANY, &err);
        assert_non_null(v);
    }
    if (json_is_array(parent)) {
        size_t i = (size_t)strtoul(last, NULL, 10);

        if (v)
            assert_int_equal(json_array_set_new(parent, i, v), 0);
        else
            assert_int_equal(json_array_remove(parent, i), 0);
    } else if (v) {
        assert_int_equal(json_object_set_new(parent, last, v), 0);
    } else {
        assert_int_equal(json_object_del(parent, last), 0);
    }
    dumped = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    assert_non_null(dumped);
    out = strdup(dumped);
    bb_free(dumped);
    assert_non_null(out);
    return out;
}

typedef struct mut_case {
    const char *target;   /* where to change the base registry */
    const char *value;    /* new JSON value, NULL = delete */
    const char *err_path; /* an error must be reported exactly here */
    const char *err_kind;
} mut_case;

static const mut_case bad_registry[] = {
    {"version", "2", "$input.version", "range"},
    {"prices_as_of", "\"30/06/2026\"", "$input.prices_as_of", "format"},
    {"extra", "1", "$input.extra", "additional"},
    {"eligibility/price_basis", "\"input\"", "$input.eligibility.price_basis", "enum"},
    {"eligibility/mem_max_gb", "80", "$input.eligibility.mem_max_gb", "semantic"},
    {"eligibility/kv_context_tokens", "0", "$input.eligibility.kv_context_tokens", "range"},
    {"models", "[]", "$input.models", "length"},
    {"models/0/id", "\"Open A\"", "$input.models[0].id", "pattern"},
    {"models/1/id", "\"open-a\"", "$input.models[1].id", "unique"},
    {"models/0/name", NULL, "$input.models[0].name", "required"},
    {"models/0/context", "\"128k\"", "$input.models[0].context", "type"},
    {"models/0/context", "0", "$input.models[0].context", "range"},
    {"models/0/price_in_per_m", "-1", "$input.models[0].price_in_per_m", "range"},
    {"models/0/price_out_per_m", "null", "$input.models[0].price_out_per_m", "semantic"},
    {"models/0/price_date", "null", "$input.models[0].price_date", "semantic"},
    {"models/0/price_date", "\"2026-13-01\"", "$input.models[0].price_date", "format"},
    {"models/0/params_active_b", "41", "$input.models[0].params_active_b", "semantic"},
    {"models/0/mem_4bit_gb", "30", "$input.models[0].mem_4bit_gb", "semantic"},
    {"models/0/kv_gb_32k", "null", "$input.models[0].mem_4bit_gb", "semantic"},
    {"models/0/fits_64gb", "false", "$input.models[0].fits_64gb", "semantic"},
    {"models/0/fits_64gb", "\"yes\"", "$input.models[0].fits_64gb", "type"},
    {"models/1/fits_64gb", "true", "$input.models[1].fits_64gb", "semantic"},
    {"models/1/mem_4bit_gb", "10", "$input.models[1].mem_4bit_gb", "semantic"},
    {"models/0/estimated/0", "\"speed\"", "$input.models[0].estimated[0]", "enum"},
    {"models/0/notes", "\"\"", "$input.models[0].notes", "length"},
    {"models/0/notes", "\"a\\u0001b\"", "$input.models[0].notes", "pattern"},
    {"models/0/colour", "\"red\"", "$input.models[0].colour", "additional"},
    {"models/1", "7", "$input.models[1]", "type"},
};

static int has_error(const schema_errors *e, const char *path, const char *kind)
{
    size_t i;

    for (i = 0; i < e->n; i++) {
        if (strcmp(e->items[i].path, path) == 0 && strcmp(schema_error_kind_name(e->items[i].kind), kind) == 0)
            return 1;
    }
    return 0;
}

static void dump_errors(const schema_errors *e)
{
    size_t i;

    for (i = 0; i < e->n; i++)
        print_message("  got %s [%s] %s\n", e->items[i].path, schema_error_kind_name(e->items[i].kind),
                      e->items[i].message ? e->items[i].message : "");
}

static void test_base_registry_is_valid(void **state)
{
    schema_errors errs;
    bench_models *reg = NULL;

    (void)state;
    schema_errors_init(&errs, 0);
    assert_int_equal(bench_models_parse(base_registry, strlen(base_registry), &reg, &errs), BB_OK);
    assert_int_equal(errs.n, 0);
    assert_int_equal(reg->n, 2);
    assert_string_equal(reg->models[0].id, "open-a");
    assert_null(reg->models[1].openrouter_id);
    assert_true(reg->models[1].price_in_per_m < 0);
    bench_models_free(reg);
    schema_errors_free(&errs);
}

static void test_bad_registries_are_located(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof bad_registry / sizeof bad_registry[0]; i++) {
        const mut_case *c = &bad_registry[i];
        char *doc = mutate(base_registry, c->target, c->value);
        schema_errors errs;
        bench_models *reg = NULL;
        bb_result rc;

        schema_errors_init(&errs, 0);
        rc = bench_models_parse(doc, strlen(doc), &reg, &errs);
        if (rc != BB_ERR_INVALID || !has_error(&errs, c->err_path, c->err_kind)) {
            print_message("case %zu (%s = %s): rc %s, want %s [%s]\n", i, c->target, c->value ? c->value : "deleted",
                          bb_result_name(rc), c->err_path, c->err_kind);
            dump_errors(&errs);
            fail();
        }
        assert_null(reg);
        schema_errors_free(&errs);
        free(doc);
    }
}

static void test_parse_errors(void **state)
{
    static const char *const texts[] = {"", "{", "[1,2]", "{\"version\": 1,}", "{\"a\":1,\"a\":2}"};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        schema_errors errs;
        bench_models *reg = NULL;
        bb_result rc;

        schema_errors_init(&errs, 0);
        rc = bench_models_parse(texts[i], strlen(texts[i]), &reg, &errs);
        assert_true(rc == BB_ERR_PARSE || rc == BB_ERR_INVALID);
        assert_true(errs.n >= 1);
        assert_string_equal(errs.items[0].path, "$input");
        schema_errors_free(&errs);
    }
}

/* ---- the embedded registry ------------------------------------------------ */

/* The seed benchmark's models: the registry must carry each, priced. */
static const char *const seed_ids[] = {
    "qwen3.6-27b", "qwen3.5-27b", "qwen3.5-35b-a3b", "qwen3.5-122b-a10b", "qwen3.5-397b-a17b",
    "qwen3-coder-next", "deepseek-v4-flash", "deepseek-v4-pro", "glm-5", "kimi-k2.5", "minimax-m2.7",
    "gpt-5.4-nano", "gpt-5.4-mini", "gpt-5.4", "claude-sonnet-4.6",
};

static void test_embedded_registry(void **state)
{
    schema_errors errs;
    bench_models *reg = NULL;
    size_t i, n_frontier = 0, n_local = 0;

    (void)state;
    schema_errors_init(&errs, 0);
    assert_int_equal(bench_models_load(NULL, &reg, &errs), BB_OK);
    assert_true(reg->n >= 20);
    for (i = 0; i < sizeof seed_ids / sizeof seed_ids[0]; i++) {
        const bench_model *m = bench_models_find(reg, seed_ids[i]);

        if (!m)
            print_message("missing seed model %s\n", seed_ids[i]);
        assert_non_null(m);
        assert_non_null(m->openrouter_id);
        assert_true(m->price_in_per_m >= 0 && m->price_out_per_m >= 0);
        assert_non_null(m->price_date);
        assert_non_null(m->price_source);
    }
    for (i = 0; i < reg->n; i++) {
        const bench_model *m = &reg->models[i];

        /* recomputed here from the rule, independently of the loader */
        if (m->params_total_b >= 0) {
            double want = m->params_total_b * reg->rule.gb_per_billion_params + m->kv_gb_32k;

            assert_true(m->open_weights);
            assert_true(m->mem_4bit_gb > want - 0.051 && m->mem_4bit_gb < want + 0.051);
            assert_int_equal(m->fits_64gb, m->mem_4bit_gb <= reg->rule.mem_max_gb);
            n_local += m->fits_64gb;
        } else {
            assert_false(m->fits_64gb);
        }
        n_frontier += m->frontier;
        assert_ptr_equal(bench_models_find(reg, m->id), m);
        if (m->openrouter_id)
            assert_ptr_equal(bench_models_find(reg, m->openrouter_id), m);
    }
    assert_true(n_frontier >= 1);
    assert_true(n_local >= 3);
    assert_null(bench_models_find(reg, "no-such-model"));
    assert_null(bench_models_find(reg, NULL));
    bench_models_free(reg);
    schema_errors_free(&errs);
}

/* ---- eligibility and cost ------------------------------------------------- */

typedef struct elig_case {
    const char *in, *out; /* prices */
    const char *fits;     /* "true"/"false" with matching mem */
    int want;
} elig_case;

static void test_eligibility_rule(void **state)
{
    /* blended = (3 in + out) / 4; the limit 0.25 is strict */
    static const elig_case cases[] = {
        {"0.25", "0.25", "false", 0},
        {"0.2", "0.39", "false", BENCH_ELIGIBLE_PRICE},   /* 0.2475 */
        {"0.2", "0.41", "false", 0},                      /* 0.2525 */
        {"0.0", "0.99", "false", BENCH_ELIGIBLE_PRICE},   /* 0.2475 */
        {"5.0", "10.0", "true", BENCH_ELIGIBLE_FITS},
        {"0.1", "0.1", "true", BENCH_ELIGIBLE_PRICE | BENCH_ELIGIBLE_FITS},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *d1 = mutate(base_registry, "models/0/price_in_per_m", cases[i].in);
        char *d2 = mutate(d1, "models/0/price_out_per_m", cases[i].out);
        int fits = strcmp(cases[i].fits, "true") == 0;
        /* 40 B at 0.5625 + kv 2.0 = 24.5 fits; 100 B + 2.0 = 58.25 does not */
        char *d3 = mutate(d2, "models/0/params_total_b", fits ? "40" : "100");
        char *d4 = mutate(d3, "models/0/mem_4bit_gb", fits ? "24.5" : "58.25");
        char *d5 = mutate(d4, "models/0/fits_64gb", cases[i].fits);
        bench_models *reg = NULL;

        assert_int_equal(bench_models_parse(d5, strlen(d5), &reg, NULL), BB_OK);
        if (bench_model_eligibility(reg, &reg->models[0]) != cases[i].want)
            print_message("case %zu: got %d want %d\n", i, bench_model_eligibility(reg, &reg->models[0]),
                          cases[i].want);
        assert_int_equal(bench_model_eligibility(reg, &reg->models[0]), cases[i].want);
        assert_int_equal(bench_model_eligibility(reg, &reg->models[1]), 0);
        bench_models_free(reg);
        free(d1);
        free(d2);
        free(d3);
        free(d4);
        free(d5);
    }
}

static void test_cost(void **state)
{
    bench_models *reg = NULL;
    const bench_model *a, *b;

    (void)state;
    assert_int_equal(bench_models_parse(base_registry, strlen(base_registry), &reg, NULL), BB_OK);
    a = bench_models_find(reg, "v/open-a");
    b = bench_models_find(reg, "closed-b");
    assert_non_null(a);
    assert_non_null(b);
    /* $2 in, $8 out per million */
    assert_true(bench_model_cost_usd(a, 1000000, 0) > 1.999999 && bench_model_cost_usd(a, 1000000, 0) < 2.000001);
    assert_true(bench_model_cost_usd(a, 1000, 500) > 0.005999 && bench_model_cost_usd(a, 1000, 500) < 0.006001);
    assert_true(bench_model_cost_usd(a, 0, 0) == 0.0);
    assert_true(bench_model_cost_usd(b, 1000, 500) < 0);
    assert_true(bench_model_cost_usd(NULL, 1, 1) < 0);
    assert_true(bench_model_blended_price(reg, a) > 3.499999 && bench_model_blended_price(reg, a) < 3.500001);
    assert_true(bench_model_blended_price(reg, b) < 0);
    bench_models_free(reg);
}

/* Every allocation failure while loading is reported as BB_ERR_NOMEM. */
static void test_out_of_memory(void **state)
{
    long k;
    int ok = 0;

    (void)state;
    for (k = 0; k < 100000 && !ok; k++) {
        bench_models *reg = NULL;
        bench_servers *srv = NULL;
        bb_result rc1, rc2;

        bb_alloc_fail_after(k);
        rc1 = bench_models_load(NULL, &reg, NULL);
        rc2 = rc1 == BB_OK ? bench_servers_load(NULL, &srv, NULL) : BB_ERR_NOMEM;
        bb_alloc_fail_after(-1);
        assert_true(rc1 == BB_OK || rc1 == BB_ERR_NOMEM);
        assert_true(rc2 == BB_OK || rc2 == BB_ERR_NOMEM);
        ok = rc1 == BB_OK && rc2 == BB_OK;
        bench_models_free(reg);
        bench_servers_free(srv);
    }
    assert_true(ok);
}

/* ---- server presets ------------------------------------------------------- */

static void test_embedded_servers(void **state)
{
    static const struct {
        const char *name, *base, *key;
    } want[] = {
        {"llama-server", "http://127.0.0.1:8080/v1", NULL},
        {"ollama", "http://127.0.0.1:11434/v1", NULL},
        {"vllm", "http://127.0.0.1:8000/v1", NULL},
        {"lmstudio", "http://127.0.0.1:1234/v1", NULL},
        {"openrouter", "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY"},
    };
    bench_servers *s = NULL;
    size_t i;

    (void)state;
    assert_int_equal(bench_servers_load(NULL, &s, NULL), BB_OK);
    assert_int_equal(s->n, sizeof want / sizeof want[0]);
    for (i = 0; i < sizeof want / sizeof want[0]; i++) {
        const bench_server_preset *p = bench_server_find(s, want[i].name);
        json_t *eb;

        assert_non_null(p);
        assert_string_equal(p->base_url, want[i].base);
        if (want[i].key)
            assert_string_equal(p->api_key_env, want[i].key);
        else
            assert_null(p->api_key_env);
        assert_true(p->n_sources >= 1);
        eb = json_loads(p->extra_body, 0, NULL);
        assert_true(json_is_object(eb));
        json_decref(eb);
    }
    assert_null(bench_server_find(s, "tgi"));
    bench_servers_free(s);
}

static const char base_servers[] =
    "{\"version\": 1, \"servers\": [{\"name\": \"x\", \"title\": \"X\", \"base_url\": \"http://127.0.0.1:1/v1\",\n"
    " \"api_key_env\": null, \"tool_setup\": \"t\", \"tool_choice_required\": \"yes\", \"tool_choice_note\": \"n\",\n"
    " \"schema_unsupported\": [], \"builds_grammar\": false, \"schema_note\": \"s\", \"stream_quirks\": [],\n"
    " \"extra_body\": {}, \"sources\": [\"u\"]}]}";

static void test_bad_servers_are_located(void **state)
{
    static const mut_case cases[] = {
        {"servers/0/base_url", "\"ftp://x\"", "$input.servers[0].base_url", "format"},
        {"servers/0/tool_choice_required", "\"maybe\"", "$input.servers[0].tool_choice_required", "enum"},
        {"servers/0/extra_body", "[]", "$input.servers[0].extra_body", "type"},
        {"servers/0/sources", "[]", "$input.servers[0].sources", "length"},
        {"servers/0/name", "\"X Y\"", "$input.servers[0].name", "pattern"},
        {"servers/0/builds_grammar", NULL, "$input.servers[0].builds_grammar", "required"},
        {"servers/0/stream_quirks", "[1]", "$input.servers[0].stream_quirks[0]", "type"},
        {"version", "3", "$input.version", "range"},
    };
    bench_servers *s = NULL;
    size_t i;

    (void)state;
    assert_int_equal(bench_servers_parse(base_servers, strlen(base_servers), &s, NULL), BB_OK);
    assert_int_equal(s->items[0].tool_choice_required, BENCH_YES);
    bench_servers_free(s);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *doc = mutate(base_servers, cases[i].target, cases[i].value);
        schema_errors errs;
        bb_result rc;

        s = NULL;
        schema_errors_init(&errs, 0);
        rc = bench_servers_parse(doc, strlen(doc), &s, &errs);
        if (rc != BB_ERR_INVALID || !has_error(&errs, cases[i].err_path, cases[i].err_kind)) {
            print_message("server case %zu: rc %s\n", i, bb_result_name(rc));
            dump_errors(&errs);
            fail();
        }
        assert_null(s);
        schema_errors_free(&errs);
        free(doc);
    }
}

/* ---- the subcommand ------------------------------------------------------- */

/* Runs cli_models_main with stdout captured into *out (caller frees). */
static int run_cli(char **out, int argc, ...)
{
    char *argv[12];
    char path[] = "/tmp/bb-test-models-XXXXXX";
    int fd = mkstemp(path), saved, code, i;
    va_list ap;
    FILE *f;
    long n;

    assert_true(fd >= 0 && argc < 12);
    va_start(ap, argc);
    for (i = 0; i < argc; i++)
        argv[i] = va_arg(ap, char *);
    va_end(ap);
    argv[argc] = NULL;
    fflush(stdout);
    saved = dup(STDOUT_FILENO);
    assert_true(dup2(fd, STDOUT_FILENO) >= 0);
    code = cli_models_main(argc, argv);
    fflush(stdout);
    assert_true(dup2(saved, STDOUT_FILENO) >= 0);
    close(saved);
    close(fd);
    f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    *out = calloc(1, (size_t)n + 1);
    assert_non_null(*out);
    assert_int_equal(fread(*out, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    unlink(path);
    return code;
}

static void test_cli_models(void **state)
{
    bench_models *reg = NULL;
    json_t *j;
    char *text = NULL;
    size_t i, n_elig = 0;
    char line[128];

    (void)state;
    assert_int_equal(bench_models_load(NULL, &reg, NULL), BB_OK);
    for (i = 0; i < reg->n; i++)
        n_elig += bench_model_eligibility(reg, &reg->models[i]) != 0;

    assert_int_equal(run_cli(&text, 1, "models"), 0);
    for (i = 0; i < reg->n; i++) {
        snprintf(line, sizeof line, "\n%-20s ", reg->models[i].id);
        assert_non_null(strstr(text, line));
    }
    free(text);

    assert_int_equal(run_cli(&text, 3, "models", "--eligible", "--json"), 0);
    j = json_loads(text, 0, NULL);
    assert_non_null(j);
    assert_int_equal(json_array_size(json_object_get(j, "models")), n_elig);
    for (i = 0; i < json_array_size(json_object_get(j, "models")); i++)
        assert_true(json_is_true(json_object_get(json_array_get(json_object_get(j, "models"), i), "eligible")));
    json_decref(j);
    free(text);

    assert_int_equal(run_cli(&text, 3, "models", "--servers", "--json"), 0);
    j = json_loads(text, 0, NULL);
    assert_int_equal(json_array_size(j), 5);
    json_decref(j);
    free(text);

    {
        /* another registry file: the base one (open-a fits, closed-b is unpriced) */
        char path[] = "/tmp/bb-test-registry-XXXXXX";
        int fd = mkstemp(path);
        char *bad = mutate(base_registry, "models/0/fits_64gb", "false");

        assert_true(fd >= 0);
        assert_int_equal(write(fd, base_registry, strlen(base_registry)), (ssize_t)strlen(base_registry));
        close(fd);
        assert_int_equal(run_cli(&text, 5, "models", "--registry", path, "--json", "--eligible"), 0);
        j = json_loads(text, 0, NULL);
        assert_int_equal(json_array_size(json_object_get(j, "models")), 1);
        assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(j, "models"), 0), "id")),
                            "open-a");
        json_decref(j);
        free(text);
        fd = open(path, O_WRONLY | O_TRUNC);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, bad, strlen(bad)), (ssize_t)strlen(bad));
        close(fd);
        assert_int_equal(run_cli(&text, 3, "models", "--registry", path), 2);
        assert_string_equal(text, "");
        free(text);
        free(bad);
        unlink(path);
    }
    assert_int_equal(run_cli(&text, 3, "models", "--registry", "/nonexistent/registry.json"), 2);
    free(text);
    assert_int_equal(run_cli(&text, 2, "models", "--bogus"), 2);
    free(text);
    bench_models_free(reg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base_registry_is_valid),
        cmocka_unit_test(test_bad_registries_are_located),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_embedded_registry),
        cmocka_unit_test(test_eligibility_rule),
        cmocka_unit_test(test_cost),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_embedded_servers),
        cmocka_unit_test(test_bad_servers_are_located),
        cmocka_unit_test(test_cli_models),
    };

    bb_json_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
