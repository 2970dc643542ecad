/*
 * models.h — the model registry (prices, sizes, the eligibility rule) and the
 * server presets (how to reach llama-server, Ollama, vLLM, LM Studio and
 * OpenRouter for tool calling).
 *
 * Both are JSON files under models/ embedded into the binary
 * (models/registry.json, models/servers.json); another file can be loaded
 * instead. JSON stays here: the loaders validate every field (type, range,
 * pattern, unknown keys, internal consistency such as mem_4bit_gb against the
 * memory formula) and report located errors ("$input.models[3].context") in a
 * schema_errors list, then hand back typed structs. The report reads prices
 * through bench_models_find and bench_model_cost_usd; the client reads the
 * preset of the server it talks to through bench_server_find.
 *
 * Ownership: a bench_models or bench_servers owns every string it points to
 * (one arena); free it with bench_models_free / bench_servers_free, which
 * accept NULL. Unknown numbers (JSON null) are stored as -1.
 */
#ifndef BB_BENCH_MODELS_H
#define BB_BENCH_MODELS_H

#include <stddef.h>
#include <stdint.h>

#include "schema/schema_error.h"
#include "util/arena.h"
#include "util/result.h"

/* Named limits on untrusted registry/preset files. */
#define BENCH_MODELS_MAX_BYTES ((size_t)1024 * 1024)
#define BENCH_MODELS_MAX_ENTRIES 256
#define BENCH_MODELS_MAX_ID 64
#define BENCH_MODELS_MAX_TEXT 2000
#define BENCH_SERVERS_MAX_ENTRIES 32
#define BENCH_SERVERS_MAX_LIST 32

/* The embedded paths. */
#define BENCH_MODELS_EMBED_PATH "models/registry.json"
#define BENCH_SERVERS_EMBED_PATH "models/servers.json"

/* The eligibility rule and the memory formula, read from the registry. */
typedef struct bench_eligibility {
    double price_max_usd_per_m;   /* eligible when the blended price is below this */
    double blend_input_weight;    /* blended = (wi * in + wo * out) / (wi + wo) */
    double blend_output_weight;
    double laptop_gb;             /* the laptop the rule is about (64) */
    double mem_max_gb;            /* fits when mem_4bit_gb <= this (56: 8 GB left to the OS) */
    double gb_per_billion_params; /* weights at 4-bit (Q4_K_M ~ 4.5 bits/weight: 0.5625) */
    long kv_context_tokens;       /* the working context the KV term is sized for (32768) */
    double kv_rule_gb_per_billion; /* KV rule of thumb when the architecture is unknown */
    double kv_rule_max_gb;        /* ... capped at this */
    const char *rule;             /* the rule in words */
} bench_eligibility;

typedef struct bench_model {
    const char *id;            /* ^[a-z0-9][a-z0-9._-]{0,63}$ */
    const char *name;
    const char *vendor;
    const char *openrouter_id; /* NULL when not served by OpenRouter */
    double price_in_per_m;     /* USD per million prompt tokens, -1 unknown */
    double price_out_per_m;    /* USD per million completion tokens, -1 unknown */
    const char *price_date;    /* YYYY-MM-DD, NULL when no price */
    const char *price_source;
    double params_total_b;     /* billions, -1 unknown (closed weights) */
    double params_active_b;
    long context;              /* tokens */
    double kv_gb_32k;          /* estimated KV cache for kv_context_tokens, -1 unknown */
    double mem_4bit_gb;        /* params_total_b * gb_per_billion + kv_gb_32k, -1 unknown */
    int fits_64gb;
    int open_weights;
    int frontier;              /* a yardstick, not a candidate */
    const char *notes;
    const char **estimated;    /* names of fields that are estimates */
    size_t n_estimated;
} bench_model;

typedef struct bench_models {
    bb_arena *arena;
    int version;
    const char *prices_as_of;
    bench_eligibility rule;
    bench_model *models;
    size_t n;
} bench_models;

/*
 * Loads the registry from path, or the embedded copy when path is NULL. On
 * BB_ERR_INVALID (and BB_ERR_PARSE) the reasons are in errs (may be NULL when
 * the caller does not want them). *out is set only on BB_OK.
 */
bb_result bench_models_load(const char *path, bench_models **out /* OUT */, schema_errors *errs);
/* The same from text in memory. */
bb_result bench_models_parse(const char *text, size_t len, bench_models **out /* OUT */,
                             schema_errors *errs);
void bench_models_free(bench_models *reg);

/* The model with this id (or this openrouter_id), or NULL. */
const bench_model *bench_models_find(const bench_models *reg, const char *id);

/* The blended price per million tokens under the registry's rule, or -1. */
double bench_model_blended_price(const bench_models *reg, const bench_model *m);
/* 1 when the price is under the limit, 1 << 1 when it fits the laptop. */
enum { BENCH_ELIGIBLE_PRICE = 1, BENCH_ELIGIBLE_FITS = 2 };
int bench_model_eligibility(const bench_models *reg, const bench_model *m);

/* USD for a call at the model's list price, or -1 when the price is unknown. */
double bench_model_cost_usd(const bench_model *m, uint64_t prompt_tokens, uint64_t completion_tokens);

/* ---- server presets ------------------------------------------------------ */

typedef enum bench_tristate { BENCH_NO = 0, BENCH_YES = 1, BENCH_PARTLY = 2 } bench_tristate;

typedef struct bench_server_preset {
    const char *name;            /* "llama-server", "ollama", "vllm", "lmstudio", "openrouter" */
    const char *title;
    const char *base_url;        /* OpenAI-compatible base, without /chat/completions */
    const char *api_key_env;     /* NULL: no key needed */
    const char *tool_setup;      /* how tool calling must be enabled on the server */
    bench_tristate tool_choice_required; /* is tool_choice "required" honoured */
    const char *tool_choice_note;
    const char **schema_unsupported; /* keywords refused or ignored in tool parameters */
    size_t n_schema_unsupported;
    int builds_grammar;          /* turns the schema into a decoding constraint */
    const char *schema_note;
    const char **stream_quirks;
    size_t n_stream_quirks;
    const char *extra_body;      /* compact JSON object of fields commonly added to requests */
    const char **sources;
    size_t n_sources;
} bench_server_preset;

typedef struct bench_servers {
    bb_arena *arena;
    bench_server_preset *items;
    size_t n;
} bench_servers;

/* Like bench_models_load, for models/servers.json. */
bb_result bench_servers_load(const char *path, bench_servers **out /* OUT */, schema_errors *errs);
bb_result bench_servers_parse(const char *text, size_t len, bench_servers **out /* OUT */,
                              schema_errors *errs);
void bench_servers_free(bench_servers *s);
/* The preset with this name, or NULL. */
const bench_server_preset *bench_server_find(const bench_servers *s, const char *name);

#endif
