/*
 * llm_client.h — the asynchronous OpenAI-compatible HTTP client.
 *
 * One llm_client drives many chat-completion exchanges at once in one thread
 * over libcurl's multi interface. The caller registers endpoints (a base URL,
 * the name of the environment variable holding its API key, a concurrency
 * limit), submits requests with a completion callback, and calls
 * llm_client_run, which performs all transfers, starts queued ones as slots
 * free up (a global and a per-endpoint limit), waits out retry delays, and
 * calls each callback exactly once when its exchange is final. Callbacks may
 * submit follow-up requests (the harness runs conversations as state
 * machines this way). llm_chat_send is a blocking convenience for one request.
 *
 * Failures are classified (llm_outcome): 4xx other than 408/429 are the
 * caller's (status and body kept, e.g. to fall back from tool_choice
 * "required"); connection errors, 408, 429 and 5xx are infrastructure
 * failures, retried with exponential backoff, jitter and Retry-After
 * (seconds or HTTP date) up to max_retries; broken answers (timeouts:
 * connect, total, stall; truncated responses; responses larger than
 * max_response_bytes; 2xx bodies that are not a chat completion) are retried
 * the same way when retry_broken is set (the default), and keep their own
 * class when retries run out.
 *
 * URL rule: a base with no path gets `/v1/chat/completions`; a path ending in
 * `/chat/completions` or `/api/chat` is used as is; any other path
 * (`/v1`, `/api/v1`, `/openai/v1`, `/v1beta/openai`) gets `/chat/completions`.
 *
 * Secrets: the API key is read from the named environment variable by this
 * layer only, at each attempt, and sent only as the Authorization header; it
 * never appears in a request body, a recorded text, a log line or an error
 * string.
 */
#ifndef BB_LLM_CLIENT_H
#define BB_LLM_CLIENT_H

#include <stddef.h>

#include "llm/llm_request.h"
#include "llm/llm_response.h"
#include "util/result.h"

#define LLM_MAX_ENDPOINTS 64
#define LLM_MAX_URL_BYTES 2048

typedef struct llm_client_params {
    int max_concurrent;              /* transfers in flight, all endpoints (default 16) */
    int max_concurrent_per_endpoint; /* default for endpoints added with 0 (default 4) */
    long connect_timeout_ms;         /* default 10 000 */
    long total_timeout_ms;           /* one attempt, default 600 000 (10 min) */
    long stall_timeout_ms;           /* no byte for this long once the response began (default 120 000) */
    int max_retries;                 /* retries after the first attempt (default 4) */
    long backoff_base_ms;            /* first retry delay before jitter (default 1 000) */
    long backoff_max_ms;             /* cap on one delay; a longer Retry-After gives up (default 60 000) */
    int retry_broken;                /* retry timeouts, truncated/oversized/undecodable answers (default 1) */
    size_t max_response_bytes;       /* one response body (default 8 MiB) */
    unsigned rng_seed;               /* jitter seed; 0: from the clock */
} llm_client_params;

llm_client_params llm_client_default_params(void);

typedef struct llm_client llm_client;

/*
 * Called once per submitted request when its exchange is final. `resp` is
 * heap-allocated and owned by the callee: release it with
 * llm_response_destroy. The callback may call llm_client_submit.
 */
typedef void (*llm_done_fn)(void *user, llm_response *resp);

/* NULL params: defaults. Free with llm_client_free. */
bb_result llm_client_new(const llm_client_params *params, llm_client **out /* OUT */);
/* Drops unfinished exchanges without calling their callbacks. Accepts NULL. */
void llm_client_free(llm_client *c);

/*
 * Registers an endpoint. api_key_env may be NULL (no Authorization header);
 * max_concurrent 0 takes the params default. Both strings are copied.
 */
bb_result llm_client_add_endpoint(llm_client *c, const char *base_url, const char *api_key_env,
                                  int max_concurrent, int *endpoint /* OUT */);

/* The full URL requests to this endpoint go to (for logs and tests). */
const char *llm_client_endpoint_url(const llm_client *c, int endpoint);

/*
 * Queues a request. The request is rendered to JSON now (it may be freed
 * when this returns). Errors in the request (BB_ERR_USAGE, BB_ERR_LIMIT) are
 * returned here and the callback is not called.
 */
bb_result llm_client_submit(llm_client *c, int endpoint, const llm_request *req,
                            llm_done_fn done, void *user);

/*
 * Drives transfers for up to timeout_ms (negative: until nothing is left).
 * Returns BB_OK; llm_client_pending tells what is still queued or running.
 */
bb_result llm_client_run(llm_client *c, long timeout_ms);

/* Requests queued, waiting for a retry, or in flight. */
size_t llm_client_pending(const llm_client *c);

/*
 * The delay before retry number `attempt` (1-based) with exponential backoff
 * and jitter in [d/2, d], raised to retry_after_ms when the server asked for
 * longer. Returns -1 when retry_after_ms exceeds backoff_max_ms (give up).
 * `rng` is the jitter state.
 */
long llm_client_backoff_ms(const llm_client_params *p, int attempt, long retry_after_ms,
                           unsigned *rng);

/*
 * Blocking: one request to base_url, waits until it is final. *out is
 * heap-allocated (llm_response_destroy); it is set whenever BB_OK is
 * returned, whatever the outcome class.
 */
bb_result llm_chat_send(const char *base_url, const char *api_key_env, const llm_request *req,
                        const llm_client_params *params, llm_response **out /* OUT */);

#endif
