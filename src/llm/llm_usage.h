/*
 * llm_usage.h — token usage and timings, normalised across servers.
 *
 * Servers report usage in different places and names (OpenAI `usage` with
 * `prompt_tokens_details.cached_tokens`, DeepSeek `prompt_cache_hit_tokens`,
 * Anthropic-style `cache_read_input_tokens`, OpenRouter `usage.cost`, Groq
 * `x_groq.usage`, llama-server `timings`, Ollama's native `prompt_eval_count`
 * and nanosecond durations). llm_usage_merge_json reads every variant found in
 * one response object (or one stream chunk) into the typed llm_usage; fields a
 * server did not report stay at -1. docs/client.md has the table. The client
 * also fills the client-side latency fields. No allocation, nothing to free.
 */
#ifndef BB_LLM_USAGE_H
#define BB_LLM_USAGE_H

#include <jansson.h>

typedef struct llm_usage {
    /* tokens; -1 when the server did not say */
    long long prompt_tokens;
    long long cached_prompt_tokens;
    long long completion_tokens;
    long long reasoning_tokens;
    long long total_tokens;
    double cost;               /* OpenRouter usage.cost (credits, USD); < 0 when absent */
    /* server-side timings (llama-server `timings`, Ollama native durations); < 0 when absent */
    long long server_prompt_n;
    double server_prompt_ms;
    long long server_predicted_n;
    double server_predicted_ms;
    /* client side, filled by the HTTP layer */
    double ttfb_ms;            /* request start to the first response byte */
    double total_ms;           /* request start to the end of the last attempt */
    long long bytes_received;  /* response body bytes of the last attempt */
} llm_usage;

/* All fields unknown (-1) and latency zero. */
void llm_usage_init(llm_usage *u /* OUT */);

/*
 * Reads every usage/timings variant present in `root` (a whole response body
 * or one stream chunk) into u. A field present in root overwrites the value
 * in u; absent fields leave u unchanged, so calling this for every stream
 * chunk keeps the last value a server reported. Never fails.
 */
void llm_usage_merge_json(llm_usage *u, const json_t *root);

#endif
