/*
 * harness_loop.h — one task = one function-calling conversation.
 *
 * The loop of DESIGN.md section 4. Each round sends the conversation with one
 * tool (the AST schema as parameters), tool_choice "required" (falling back
 * to "auto" when the server refuses it), and explicit sampling; gets the call
 * back however the server wrote it (llm_extract); checks it (harness_check:
 * repair, coercion, schema, the phase's semantic hook); and, in full mode,
 * answers a failed call with a tool message carrying the feedback (falling
 * back to a user message when the server refuses tool messages), or a prose
 * answer with a consent nudge. It ends with a valid call, after max_rounds,
 * or on an infrastructure failure (never charged to the model).
 *
 * Conversations are asynchronous state machines on an llm_client: start any
 * number with harness_start, then drive them all with llm_client_run; each
 * calls its done callback exactly once. harness_run_one is the blocking form.
 *
 * Outcomes (stable names, stored):
 *   first_try_valid   valid on round 1 as written (structured tool call,
 *                     strict JSON, no repair, no coercion)
 *   repaired_valid    valid on round 1 only after lenient repair, coercion,
 *                     or reading the call out of the text
 *   feedback_valid    valid on a later round, after feedback
 *   failed_invalid    a call was made but never became valid
 *   failed_no_call    the model never called the function
 *   failed_infra      the server or network failed (after the client's retries)
 * Modes: raw (one round, strict JSON, structured calls only), repair (one
 * round, lenient), full (repair + up to max_rounds with feedback).
 */
#ifndef BB_HARNESS_LOOP_H
#define BB_HARNESS_LOOP_H

#include <stddef.h>

#include "harness/harness_check.h"
#include "llm/llm_client.h"
#include "schema/schema.h"
#include "util/result.h"

#define HARNESS_MAX_ROUNDS 32

typedef struct harness_params {
    int max_rounds;            /* default 8 (1 in raw and repair modes) */
    harness_mode mode;         /* default full */
    double temperature;        /* default 0; < 0: not sent */
    double top_p;              /* default -1: not sent */
    long long seed;
    int has_seed;
    long max_tokens;           /* default 32768; <= 0: not sent */
    int stream;                /* default 0 */
    const char *extra_json;    /* object merged into every request body, or NULL */
} harness_params;

harness_params harness_default_params(void);

typedef struct harness_task {
    const char *id;               /* task id, sent as the X-Backbench-Task header */
    const char *model;
    const char *system_prompt;    /* may be NULL */
    const char *user_prompt;
    const char *tool_name;
    const char *tool_description; /* may be NULL */
    const char *tool_schema_json; /* the tool's parameters as sent */
    const schema *schema;         /* the full schema validation uses */
    harness_hook hook;            /* the phase's semantic checks (check may be NULL) */
} harness_task;

typedef enum harness_outcome {
    HARNESS_FIRST_TRY_VALID = 0,
    HARNESS_REPAIRED_VALID,
    HARNESS_FEEDBACK_VALID,
    HARNESS_FAILED_INVALID,
    HARNESS_FAILED_NO_CALL,
    HARNESS_FAILED_INFRA,
    HARNESS_OUTCOME_COUNT_
} harness_outcome;

const char *harness_outcome_name(harness_outcome o);
/* 1 for the three valid outcomes. */
int harness_outcome_is_valid(harness_outcome o);

/* One request/response exchange. Strings are owned by the result. */
typedef struct harness_round {
    int round;                 /* 1-based model round; 0 for a request the server rejected
                                  (then resent after a fallback: not a model round) */
    const char *verdict;       /* valid, valid_repaired, invalid, unparseable, no_call,
                                  api_error, rejected, infra */
    long http_status;
    const char *infra_class;   /* llm_outcome name when not ok, else NULL */
    long request_bytes, response_bytes;
    long long prompt_tokens, cached_tokens, completion_tokens, reasoning_tokens;
    double ttfb_ms, total_ms, server_prompt_ms, server_predicted_ms;
    double cost;               /* server-reported, < 0 when absent */
    const char *call_source;   /* llm_call_source name, or NULL */
    int nudged;                /* answered with a consent nudge */
    int truncated;             /* finish_reason length / arguments cut */
    char *repairs;             /* JSON array of repair codes */
    char *errors;              /* JSON array of {kind, path, expected} */
    int n_errors;
} harness_round;

typedef struct harness_result {
    harness_outcome outcome;
    int rounds_used;           /* model rounds */
    harness_round rounds[HARNESS_MAX_ROUNDS * 2];
    size_t n_rounds;
    char *accepted;            /* compact JSON of the valid arguments, else NULL */
    json_t *accepted_value;    /* the same, parsed (a reference owned by the result), else NULL */
    long long prompt_tokens, cached_tokens, completion_tokens, reasoning_tokens;
    double cost;               /* sum of server-reported costs, < 0 when none */
    int fell_back_auto;        /* tool_choice "required" was refused; "auto" used */
    int fell_back_user;        /* tool messages were refused; feedback as user messages */
    char *last_request;        /* the last request body sent (never holds the API key) */
    char *last_error;          /* a short description of the final failure, or NULL */
} harness_result;

void harness_result_destroy(harness_result *r);

/* Called once per conversation; owns r (free with harness_result_destroy). */
typedef void (*harness_done_fn)(void *user, harness_result *r);

/* Starts a conversation. task and the strings it points to must stay valid
 * until done is called. params may be NULL (defaults). */
bb_result harness_start(llm_client *c, int endpoint, const harness_task *task, const harness_params *params,
                        harness_done_fn done, void *user);

/* Blocking: one conversation against base_url. *out set on BB_OK. */
bb_result harness_run_one(const char *base_url, const char *api_key_env, const harness_task *task,
                          const harness_params *params, const llm_client_params *client_params,
                          harness_result **out /* OUT */);

#endif
