/*
 * llm_response.h — the typed answer of one chat-completion exchange.
 *
 * The HTTP layer (llm_client) fills an llm_response from what the server
 * sent: a non-streamed JSON body (llm_response_parse_body), or streamed
 * chunks, each applied in order (llm_response_apply_chunk; llm_stream_decode
 * turns SSE/NDJSON bytes into those chunks). Both OpenAI-style bodies
 * (`choices[0].message` / `choices[0].delta`) and Ollama's native /api/chat
 * shape (`message`, `done`, `done_reason`) are understood. Streamed tool-call
 * fragments are joined by `index`; a later fragment's empty or absent id or
 * name never overwrites an earlier one.
 *
 * JSON stops here: the rest of the program sees only these structs.
 * Ownership: an llm_response owns every string in it; llm_response_free
 * releases them (and accepts NULL / a zeroed struct).
 */
#ifndef BB_LLM_RESPONSE_H
#define BB_LLM_RESPONSE_H

#include <jansson.h>
#include <stddef.h>

#include "llm/llm_usage.h"
#include "util/result.h"

/* Outcome class of one exchange (after retries). Names are stable: they are
 * stored in results. Append only. */
typedef enum llm_outcome {
    LLM_OUTCOME_OK = 0,               /* "ok": an answer arrived (it may still hold no call) */
    LLM_OUTCOME_HTTP_ERROR_CLIENT,    /* "http_error_client": 4xx other than 408/429; status and body kept */
    LLM_OUTCOME_INFRA_RETRY_EXHAUSTED,/* "infra_retry_exhausted": connection errors, 408, 429, 5xx, retries used up */
    LLM_OUTCOME_TIMEOUT,              /* "timeout": connect, total or stall timeout (after retries) */
    LLM_OUTCOME_TRUNCATED_STREAM,     /* "truncated_stream": the stream ended without a finish reason */
    LLM_OUTCOME_PROTOCOL_ERROR,       /* "protocol_error": the body is not a chat completion */
    LLM_OUTCOME_TOO_LARGE,            /* "too_large": the response passed max_response_bytes */
    LLM_OUTCOME_API_ERROR,            /* "api_error": HTTP 200 with an error object / error event */
    LLM_OUTCOME_INTERNAL,             /* "internal": out of memory or a local failure */
    LLM_OUTCOME_COUNT_
} llm_outcome;

const char *llm_outcome_name(llm_outcome o);
/* 1 for the infrastructure classes, never counted against the model:
 * infra_retry_exhausted, timeout, truncated_stream, too_large, protocol_error. */
int llm_outcome_is_infra(llm_outcome o);

/* Named limits on what one response may hold. */
#define LLM_MAX_TOOL_CALLS 64            /* tool calls kept per response */
#define LLM_MAX_TOOL_INDEX 1024          /* largest streamed tool-call index accepted */
#define LLM_MAX_FIELD_BYTES ((size_t)16 * 1024 * 1024) /* content, reasoning, one arguments text */
#define LLM_MAX_NAME_BYTES 256           /* tool name, id, finish reason */
#define LLM_MAX_ERROR_BODY 4096          /* bytes of an error body kept */

typedef struct llm_tool_call {
    int index;          /* stream index (or position) */
    char *id;           /* "" when the server sent none or an empty one */
    char *name;         /* "" when missing */
    char *arguments;    /* the arguments text as sent ("" when absent); never NULL */
    size_t args_len, args_cap;
    int args_object;    /* arguments arrived as a JSON object (re-serialised compactly) */
    int args_missing;   /* no arguments key at all */
} llm_tool_call;

typedef struct llm_response {
    llm_outcome outcome;
    bb_result rc;              /* the local cause when outcome != OK (e.g. BB_ERR_TIMEOUT) */
    long http_status;          /* last HTTP status; 0 when no response */
    int attempts;              /* HTTP attempts made (1 + retries) */
    char error[256];           /* a short description when outcome != OK; never holds secrets */
    char *error_body;          /* the server's error text (4xx body, error object), capped; or NULL */
    int streamed;              /* the answer was decoded as a stream */

    /* the assistant message (choice 0) */
    char *content;             /* NULL when the server sent none */
    char *reasoning;           /* reasoning_content / reasoning; NULL when none */
    size_t content_len, content_cap, reasoning_len, reasoning_cap;
    char *finish_reason;       /* NULL when none was sent */
    char *model;               /* model the server reported, or NULL */
    llm_tool_call *calls;
    size_t n_calls;
    int saw_done;              /* stream: [DONE] or an NDJSON done:true */
    int saw_error;             /* an error object / event was seen */

    llm_usage usage;

    /* records for the store: the request body as sent (never holds the API
     * key, which only the HTTP layer adds as a header) and the raw body */
    char *request_body;
    char *response_body;
    size_t response_len;
} llm_response;

void llm_response_init(llm_response *r /* OUT */);
void llm_response_free(llm_response *r);
/* For a heap llm_response (as handed out by llm_client): frees it and its content. */
void llm_response_destroy(llm_response *r);

/*
 * Parses a non-streamed body (a whole JSON document) into r. Sets
 * r->outcome: OK, API_ERROR (a top-level "error" object) or PROTOCOL_ERROR
 * (not JSON, or no choices/message). Returns BB_OK unless memory ran out.
 */
bb_result llm_response_parse_body(llm_response *r, const char *body, size_t len);

/*
 * Applies one decoded stream chunk (an OpenAI `chat.completion.chunk`, an
 * error object, or an Ollama native NDJSON object). Returns BB_ERR_PARSE for
 * a chunk that is not an object (the caller classifies), BB_ERR_LIMIT when a
 * named limit is passed, BB_ERR_NOMEM.
 */
bb_result llm_response_apply_chunk(llm_response *r, const json_t *chunk);

/* Records an error object/text into r (saw_error, outcome API_ERROR,
 * error_body). `what` is a short label for r->error. */
bb_result llm_response_set_api_error(llm_response *r, const json_t *err, const char *what);

/* Frees text from json_dumps with jansson's current allocator. */
void llm_json_text_free(char *s);

#endif
