/*
 * llm_request.h — a typed chat-completion request and its JSON body.
 *
 * The harness fills an llm_request (messages, one or more tools, sampling);
 * llm_request_to_json renders the OpenAI-compatible body of
 * `POST /v1/chat/completions`. JSON exists only here, at the edge. The
 * request borrows every pointer (nothing is copied or freed by this module);
 * they must stay valid until llm_request_to_json / llm_client_submit returns.
 *
 * `extra` / `extra_json` is an object merged (recursively) into the body
 * last, for server-specific knobs: OpenRouter `provider` routing, llama.cpp
 * `chat_template_kwargs`, vLLM `guided_*`, ... `headers` are extra request
 * headers ("Name: value"), e.g. `X-Backbench-Task: <task id>`, which the
 * built-in simulator reads. The API key is never part of a request: the HTTP
 * layer adds the Authorization header from the endpoint's environment
 * variable.
 */
#ifndef BB_LLM_REQUEST_H
#define BB_LLM_REQUEST_H

#include <jansson.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/result.h"

/* Named limits on a request. */
#define LLM_MAX_MESSAGES 4096
#define LLM_MAX_TOOLS 128
#define LLM_MAX_HEADERS 16
#define LLM_MAX_HEADER_BYTES 1024
#define LLM_MAX_REQUEST_BYTES ((size_t)32 * 1024 * 1024)

/* The header the simulator reads the task id from. */
#define LLM_TASK_HEADER "X-Backbench-Task"

typedef enum llm_role {
    LLM_ROLE_SYSTEM = 0,
    LLM_ROLE_USER,
    LLM_ROLE_ASSISTANT,
    LLM_ROLE_TOOL
} llm_role;

/* A tool call the assistant made earlier in the conversation. */
typedef struct llm_msg_call {
    const char *id;
    const char *name;
    const char *arguments;   /* JSON text, sent as a string */
} llm_msg_call;

typedef struct llm_message {
    llm_role role;
    const char *content;          /* NULL: null content (assistant with calls) */
    const llm_msg_call *calls;    /* assistant only */
    size_t n_calls;
    const char *tool_call_id;     /* tool only */
} llm_message;

typedef struct llm_tool {
    const char *name;
    const char *description;      /* may be NULL */
    const json_t *parameters;     /* the JSON schema, or NULL and ... */
    const char *parameters_json;  /* ... the schema as JSON text */
} llm_tool;

typedef enum llm_tool_choice {
    LLM_TOOL_CHOICE_UNSET = 0,    /* not sent */
    LLM_TOOL_CHOICE_AUTO,
    LLM_TOOL_CHOICE_REQUIRED,
    LLM_TOOL_CHOICE_NONE,
    LLM_TOOL_CHOICE_NAMED         /* {"type":"function","function":{"name":tool_choice_name}} */
} llm_tool_choice;

typedef struct llm_request {
    const char *model;
    const llm_message *messages;
    size_t n_messages;
    const llm_tool *tools;
    size_t n_tools;
    llm_tool_choice tool_choice;
    const char *tool_choice_name;
    double temperature;           /* < 0: not sent */
    double top_p;                 /* < 0: not sent */
    long long seed;
    int has_seed;
    long max_tokens;              /* <= 0: not sent */
    int stream;                   /* 1: stream, with stream_options.include_usage */
    const json_t *extra;          /* object merged into the body, or NULL */
    const char *extra_json;       /* the same as text, or NULL */
    const char *const *headers;   /* "Name: value" */
    size_t n_headers;
} llm_request;

/* Everything unset (temperature/top_p -1, no seed, no max_tokens). */
void llm_request_init(llm_request *req /* OUT */);

/*
 * Appends the JSON body to out. BB_ERR_USAGE for a request that cannot be
 * sent (no model, no messages, a tool without parameters, bad JSON text in
 * parameters_json/extra_json, a header with CR/LF or no colon), BB_ERR_LIMIT
 * past a named limit, BB_ERR_NOMEM. `why` (may be NULL) gets a description.
 */
bb_result llm_request_to_json(const llm_request *req, bb_buf *out, char *why, size_t why_size);

/* Checks the extra headers (count, size, "Name: value", no CR/LF). */
bb_result llm_request_check_headers(const llm_request *req, char *why, size_t why_size);

const char *llm_role_name(llm_role role);

#endif
