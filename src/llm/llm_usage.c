/*
 * llm_usage.c — normalises the usage and timings fields servers report
 * (see llm_usage.h and the table in docs/client.md).
 */
#include "llm_usage.h"

#include <string.h>

void llm_usage_init(llm_usage *u)
{
    memset(u, 0, sizeof *u);
    u->prompt_tokens = -1;
    u->cached_prompt_tokens = -1;
    u->completion_tokens = -1;
    u->reasoning_tokens = -1;
    u->total_tokens = -1;
    u->cost = -1.0;
    u->server_prompt_n = -1;
    u->server_prompt_ms = -1.0;
    u->server_predicted_n = -1;
    u->server_predicted_ms = -1.0;
}

/* Sets *dst from obj[key] when it is a non-negative number. */
static void take_int(long long *dst, const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);

    if (json_is_integer(v) && json_integer_value(v) >= 0)
        *dst = (long long)json_integer_value(v);
    else if (json_is_real(v) && json_real_value(v) >= 0 && json_real_value(v) < 9e18)
        *dst = (long long)json_real_value(v);
}

static void take_real(double *dst, const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);

    if (json_is_number(v) && json_number_value(v) >= 0)
        *dst = json_number_value(v);
}

/* The OpenAI-style usage object and its known variants. */
static void merge_usage_object(llm_usage *u, const json_t *us)
{
    const json_t *d;

    if (!json_is_object(us))
        return;
    take_int(&u->prompt_tokens, us, "prompt_tokens");
    take_int(&u->prompt_tokens, us, "input_tokens");
    take_int(&u->completion_tokens, us, "completion_tokens");
    take_int(&u->completion_tokens, us, "output_tokens");
    take_int(&u->total_tokens, us, "total_tokens");
    take_real(&u->cost, us, "cost");
    /* cached prompt tokens: OpenAI/OpenRouter/vLLM, Together (top level),
     * DeepSeek, Anthropic-style gateways, OpenAI responses-style */
    take_int(&u->cached_prompt_tokens, us, "cached_tokens");
    take_int(&u->cached_prompt_tokens, us, "prompt_cache_hit_tokens");
    take_int(&u->cached_prompt_tokens, us, "cache_read_input_tokens");
    take_int(&u->cached_prompt_tokens, us, "cache_read_tokens");
    d = json_object_get(us, "prompt_tokens_details");
    if (json_is_object(d))
        take_int(&u->cached_prompt_tokens, d, "cached_tokens");
    d = json_object_get(us, "input_tokens_details");
    if (json_is_object(d))
        take_int(&u->cached_prompt_tokens, d, "cached_tokens");
    take_int(&u->reasoning_tokens, us, "reasoning_tokens");
    d = json_object_get(us, "completion_tokens_details");
    if (json_is_object(d))
        take_int(&u->reasoning_tokens, d, "reasoning_tokens");
    d = json_object_get(us, "output_tokens_details");
    if (json_is_object(d))
        take_int(&u->reasoning_tokens, d, "reasoning_tokens");
}

void llm_usage_merge_json(llm_usage *u, const json_t *root)
{
    const json_t *t, *xg;
    long long ns = -1;

    if (!json_is_object(root))
        return;
    /* Groq repeats usage inside x_groq; read it first so top-level wins */
    xg = json_object_get(root, "x_groq");
    if (json_is_object(xg))
        merge_usage_object(u, json_object_get(xg, "usage"));
    merge_usage_object(u, json_object_get(root, "usage"));
    /* llama-server */
    t = json_object_get(root, "timings");
    if (json_is_object(t)) {
        long long cache_n = -1;
        take_int(&u->server_prompt_n, t, "prompt_n");
        take_real(&u->server_prompt_ms, t, "prompt_ms");
        take_int(&u->server_predicted_n, t, "predicted_n");
        take_real(&u->server_predicted_ms, t, "predicted_ms");
        take_int(&cache_n, t, "cache_n");
        /* without a usage object, the timings are the token counts: prompt_n
         * counts only the prompt tokens evaluated, cache_n the reused ones */
        if (u->prompt_tokens < 0 && u->server_prompt_n >= 0)
            u->prompt_tokens = u->server_prompt_n + (cache_n > 0 ? cache_n : 0);
        if (u->cached_prompt_tokens < 0 && cache_n >= 0)
            u->cached_prompt_tokens = cache_n;
        if (u->completion_tokens < 0 && u->server_predicted_n >= 0)
            u->completion_tokens = u->server_predicted_n;
    }
    /* Ollama native /api/chat: counts and nanosecond durations at top level */
    if (json_object_get(root, "prompt_eval_count") || json_object_get(root, "eval_count")) {
        take_int(&u->prompt_tokens, root, "prompt_eval_count");
        take_int(&u->completion_tokens, root, "eval_count");
        take_int(&u->server_prompt_n, root, "prompt_eval_count");
        take_int(&u->server_predicted_n, root, "eval_count");
        take_int(&ns, root, "prompt_eval_duration");
        if (ns >= 0)
            u->server_prompt_ms = (double)ns / 1e6;
        ns = -1;
        take_int(&ns, root, "eval_duration");
        if (ns >= 0)
            u->server_predicted_ms = (double)ns / 1e6;
    }
}
