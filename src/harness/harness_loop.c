/*
 * harness_loop.c — the function-calling conversation (see harness_loop.h).
 *
 * Sections: the conversation state; building and sending a request; reading
 * an answer (round records, verdicts, fallbacks, nudges, feedback); the
 * blocking form.
 */
#include "harness_loop.h"

#include <stdio.h>
#include <string.h>

#include "llm/llm_extract.h"
#include "schema/feedback.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/log.h"

#define HARNESS_MAX_MESSAGES (2 + 3 * HARNESS_MAX_ROUNDS)
#define HARNESS_ERRORS_JSON_MAX 50
#define HARNESS_HISTORY_MAX ((size_t)16 * 1024)

static const char *const harness_outcome_names[HARNESS_OUTCOME_COUNT_] = {
    "first_try_valid", "repaired_valid", "feedback_valid", "failed_invalid", "failed_no_call", "failed_infra",
};

static const char harness_nudge_text[] =
    "Do not ask for confirmation and do not describe the design in prose: call the function `%s` now, "
    "with the complete arguments.";

const char *harness_outcome_name(harness_outcome o)
{
    return (unsigned)o < HARNESS_OUTCOME_COUNT_ ? harness_outcome_names[o] : "unknown";
}

int harness_outcome_is_valid(harness_outcome o)
{
    return o == HARNESS_FIRST_TRY_VALID || o == HARNESS_REPAIRED_VALID || o == HARNESS_FEEDBACK_VALID;
}

harness_params harness_default_params(void)
{
    harness_params p;

    memset(&p, 0, sizeof p);
    p.max_rounds = 8;
    p.mode = HARNESS_MODE_FULL;
    p.temperature = 0;
    p.top_p = -1;
    p.max_tokens = 32768;
    return p;
}

void harness_result_destroy(harness_result *r)
{
    size_t i;

    if (!r)
        return;
    for (i = 0; i < r->n_rounds; i++) {
        bb_free(r->rounds[i].repairs);
        bb_free(r->rounds[i].errors);
    }
    bb_free(r->accepted);
    json_decref(r->accepted_value);
    bb_free(r->last_request);
    bb_free(r->last_error);
    bb_free(r);
}

/* ---- the conversation state ---------------------------------------------------- */

typedef struct harness_msg {
    llm_role role;
    char *content;      /* owned, may be NULL */
    char *call_id;      /* assistant with a call / tool answer */
    char *call_name;
    char *call_args;
} harness_msg;

typedef struct harness_conv {
    llm_client *client;
    int endpoint;
    const harness_task *task;
    harness_params p;
    harness_done_fn done;
    void *user;
    harness_msg msgs[HARNESS_MAX_MESSAGES];
    size_t n_msgs;
    int round;
    int any_call;
    int tool_choice_auto;
    int feedback_as_user;
    char header[LLM_MAX_HEADER_BYTES];
    bb_buf history;     /* one line per earlier failed round */
    harness_result *res;
} harness_conv;

static void harness_conv_free(harness_conv *c)
{
    size_t i;

    if (!c)
        return;
    for (i = 0; i < c->n_msgs; i++) {
        bb_free(c->msgs[i].content);
        bb_free(c->msgs[i].call_id);
        bb_free(c->msgs[i].call_name);
        bb_free(c->msgs[i].call_args);
    }
    bb_buf_free(&c->history);
    harness_result_destroy(c->res);
    bb_free(c);
}

static bb_result harness_push(harness_conv *c, llm_role role, const char *content, const char *call_id,
                              const char *call_name, const char *call_args)
{
    harness_msg *m;

    if (c->n_msgs >= HARNESS_MAX_MESSAGES)
        return BB_ERR_LIMIT;
    m = &c->msgs[c->n_msgs];
    memset(m, 0, sizeof *m);
    m->role = role;
    m->content = content ? bb_strdup(content) : NULL;
    m->call_id = call_id ? bb_strdup(call_id) : NULL;
    m->call_name = call_name ? bb_strdup(call_name) : NULL;
    m->call_args = call_args ? bb_strdup(call_args) : NULL;
    if ((content && !m->content) || (call_id && !m->call_id) || (call_name && !m->call_name) ||
        (call_args && !m->call_args)) {
        bb_free(m->content);
        bb_free(m->call_id);
        bb_free(m->call_name);
        bb_free(m->call_args);
        return BB_ERR_NOMEM;
    }
    c->n_msgs++;
    return BB_OK;
}

/* Finishes the conversation: hands the result to the caller, frees the rest. */
static void harness_finish(harness_conv *c, harness_outcome o, const char *why)
{
    harness_result *r = c->res;

    r->outcome = o;
    if (why && !r->last_error)
        r->last_error = bb_strdup(why);
    c->res = NULL;
    c->done(c->user, r);
    harness_conv_free(c);
}

/* ---- building and sending a request ---------------------------------------------- */

static void harness_done(void *user, llm_response *resp);

static bb_result harness_send(harness_conv *c)
{
    llm_message msgs[HARNESS_MAX_MESSAGES];
    llm_msg_call calls[HARNESS_MAX_MESSAGES];
    const char *headers[1];
    llm_request req;
    llm_tool tool;
    bb_buf as_text[HARNESS_MAX_MESSAGES];
    size_t i, n_text = 0;
    bb_result rc;

    memset(msgs, 0, sizeof msgs);
    memset(&tool, 0, sizeof tool);
    for (i = 0; i < c->n_msgs; i++) {
        const harness_msg *m = &c->msgs[i];

        msgs[i].role = m->role;
        msgs[i].content = m->content;
        if (m->role == LLM_ROLE_ASSISTANT && m->call_id) {
            if (c->feedback_as_user) {
                /* the call as text, for servers that refuse tool messages */
                bb_buf_init(&as_text[n_text], (size_t)64 * 1024 * 1024);
                rc = bb_buf_printf(&as_text[n_text], "%s%sCalled %s with arguments:\n%s",
                                   m->content ? m->content : "", m->content ? "\n\n" : "", m->call_name,
                                   m->call_args);
                if (rc != BB_OK) {
                    bb_buf_free(&as_text[n_text]);
                    goto out;
                }
                msgs[i].content = as_text[n_text++].data;
            } else {
                calls[i].id = m->call_id;
                calls[i].name = m->call_name;
                calls[i].arguments = m->call_args;
                msgs[i].calls = &calls[i];
                msgs[i].n_calls = 1;
            }
        } else if (m->role == LLM_ROLE_TOOL) {
            if (c->feedback_as_user)
                msgs[i].role = LLM_ROLE_USER;
            else
                msgs[i].tool_call_id = m->call_id;
        }
    }
    llm_request_init(&req);
    req.model = c->task->model;
    req.messages = msgs;
    req.n_messages = c->n_msgs;
    tool.name = c->task->tool_name;
    tool.description = c->task->tool_description;
    tool.parameters_json = c->task->tool_schema_json;
    req.tools = &tool;
    req.n_tools = 1;
    req.tool_choice = c->tool_choice_auto ? LLM_TOOL_CHOICE_AUTO : LLM_TOOL_CHOICE_REQUIRED;
    req.temperature = c->p.temperature;
    req.top_p = c->p.top_p;
    req.seed = c->p.seed;
    req.has_seed = c->p.has_seed;
    req.max_tokens = c->p.max_tokens;
    req.stream = c->p.stream;
    req.extra_json = c->p.extra_json;
    if (c->header[0]) {
        headers[0] = c->header;
        req.headers = headers;
        req.n_headers = 1;
    }
    rc = llm_client_submit(c->client, c->endpoint, &req, harness_done, c);
out:
    for (i = 0; i < n_text; i++)
        bb_buf_free(&as_text[i]);
    return rc;
}

/* ---- reading an answer -------------------------------------------------------------- */

static harness_round *harness_round_new(harness_conv *c, const llm_response *resp)
{
    harness_result *r = c->res;
    harness_round *rd;

    if (r->n_rounds >= sizeof r->rounds / sizeof r->rounds[0])
        return NULL;
    rd = &r->rounds[r->n_rounds++];
    memset(rd, 0, sizeof *rd);
    rd->round = c->round;
    rd->http_status = resp->http_status;
    rd->request_bytes = resp->request_body ? (long)strlen(resp->request_body) : 0;
    rd->response_bytes = (long)resp->response_len;
    rd->prompt_tokens = resp->usage.prompt_tokens > 0 ? resp->usage.prompt_tokens : 0;
    rd->cached_tokens = resp->usage.cached_prompt_tokens > 0 ? resp->usage.cached_prompt_tokens : 0;
    rd->completion_tokens = resp->usage.completion_tokens > 0 ? resp->usage.completion_tokens : 0;
    rd->reasoning_tokens = resp->usage.reasoning_tokens > 0 ? resp->usage.reasoning_tokens : 0;
    rd->ttfb_ms = resp->usage.ttfb_ms;
    rd->total_ms = resp->usage.total_ms;
    rd->server_prompt_ms = resp->usage.server_prompt_ms > 0 ? resp->usage.server_prompt_ms : 0;
    rd->server_predicted_ms = resp->usage.server_predicted_ms > 0 ? resp->usage.server_predicted_ms : 0;
    rd->cost = resp->usage.cost;
    r->prompt_tokens += rd->prompt_tokens;
    r->cached_tokens += rd->cached_tokens;
    r->completion_tokens += rd->completion_tokens;
    r->reasoning_tokens += rd->reasoning_tokens;
    if (rd->cost >= 0)
        r->cost = (r->cost < 0 ? 0 : r->cost) + rd->cost;
    if (resp->request_body) {
        bb_free(r->last_request);
        r->last_request = bb_strdup(resp->request_body);
    }
    return rd;
}

static bb_result harness_round_record(harness_round *rd, const harness_check_result *chk,
                                      const llm_extracted_call *call)
{
    bb_buf b;
    size_t i;
    bb_result rc;

    bb_buf_init(&b, (size_t)1024 * 1024);
    rc = bb_buf_putc(&b, '[');
    if (call && rc == BB_OK && call->source != LLM_SRC_TOOL_CALLS && call->source != LLM_SRC_TOOL_CALLS_OBJECT)
        rc = bb_buf_puts(&b, "\"call_in_text\"");
    if (call && rc == BB_OK && call->args_double_encoded)
        rc = bb_buf_printf(&b, "%s\"double_encoded_arguments\"", b.len > 1 ? "," : "");
    for (i = 0; chk && rc == BB_OK && i < chk->parse.repairs.n; i++)
        rc = bb_buf_printf(&b, "%s\"%s\"", b.len > 1 ? "," : "", json_repair_code_name(chk->parse.repairs.items[i].code));
    if (rc == BB_OK)
        rc = bb_buf_putc(&b, ']');
    if (rc == BB_OK) {
        rd->repairs = bb_buf_take(&b);
        if (!rd->repairs)
            rc = BB_ERR_NOMEM;
    }
    bb_buf_free(&b);
    if (rc != BB_OK || !chk)
        return rc;
    bb_buf_init(&b, (size_t)1024 * 1024);
    rc = bb_buf_putc(&b, '[');
    for (i = 0; rc == BB_OK && i < chk->errors.n && i < HARNESS_ERRORS_JSON_MAX; i++) {
        const schema_error *e = &chk->errors.items[i];

        rc = bb_buf_printf(&b, "%s{\"kind\":\"%s\",\"path\":", i ? "," : "", schema_error_kind_name(e->kind));
        if (rc == BB_OK)
            rc = bb_buf_put_json_string(&b, e->path, strlen(e->path));
        if (rc == BB_OK)
            rc = bb_buf_puts(&b, ",\"expected\":");
        if (rc == BB_OK)
            rc = bb_buf_put_json_string(&b, e->expected, strlen(e->expected));
        if (rc == BB_OK)
            rc = bb_buf_putc(&b, '}');
    }
    if (rc == BB_OK)
        rc = bb_buf_putc(&b, ']');
    if (rc == BB_OK) {
        rd->errors = bb_buf_take(&b);
        if (!rd->errors)
            rc = BB_ERR_NOMEM;
    }
    rd->n_errors = (int)schema_errors_total(&chk->errors);
    bb_buf_free(&b);
    return rc;
}

/* The next round, or the end when the rounds are used up. */
static void harness_next(harness_conv *c, harness_outcome if_over, const char *why)
{
    bb_result rc;

    c->res->rounds_used = c->round;
    if (c->round >= c->p.max_rounds) {
        harness_finish(c, if_over, why);
        return;
    }
    c->round++;
    rc = harness_send(c);
    if (rc != BB_OK) {
        BB_WARN("task %s: cannot send round %d: %s", c->task->id ? c->task->id : "?", c->round, bb_strerror(rc));
        harness_finish(c, HARNESS_FAILED_INFRA, bb_strerror(rc));
    }
}

/* The feedback message after a failed call. */
static bb_result harness_feedback_text(harness_conv *c, const harness_check_result *chk, int truncated,
                                       bb_buf *out)
{
    bb_result rc = BB_OK;

    if (truncated)
        rc = bb_buf_puts(out, "Your output was cut off before it ended (the token limit was reached). "
                              "Send the complete arguments again; keep descriptions short.\n\n");
    if (rc == BB_OK)
        rc = feedback_render(chk->parse.value, &chk->errors, NULL, out);
    if (rc == BB_OK && c->history.len > 0) {
        rc = bb_buf_puts(out, "\nErrors of your earlier attempts (do not reintroduce them):\n");
        if (rc == BB_OK)
            rc = bb_buf_append(out, c->history.data, c->history.len);
    }
    return rc;
}

static void harness_history_add(harness_conv *c, const harness_check_result *chk)
{
    size_t i;
    bb_result rc = bb_buf_printf(&c->history, "- round %d: %zu errors", c->round, schema_errors_total(&chk->errors));

    for (i = 0; rc == BB_OK && i < chk->errors.n && i < 3; i++)
        rc = bb_buf_printf(&c->history, "%s %s (%s)", i ? ";" : ":", chk->errors.items[i].path,
                           chk->errors.items[i].expected);
    if (rc == BB_OK && chk->errors.n > 3)
        rc = bb_buf_puts(&c->history, "; ...");
    if (rc == BB_OK)
        bb_buf_putc(&c->history, '\n');
    /* past the cap the history simply stops growing */
}

/*
 * The call to check: the first one naming our function; else, when the
 * model wrote JSON in its text that is not a {name, arguments} call of our
 * function (e.g. the arguments themselves in a fenced block, whose nested
 * objects may look like calls), the text itself as the arguments (the
 * lenient parse finds the JSON in it); else the first call found.
 */
static const llm_extracted_call *harness_pick_call(const harness_conv *c, const llm_extraction *x,
                                                   llm_extracted_call *from_text /* OUT, storage */)
{
    size_t i;

    for (i = 0; i < x->n_calls; i++) {
        if (strcmp(x->calls[i].name, c->task->tool_name) == 0)
            return &x->calls[i];
    }
    if (x->text && strpbrk(x->text, "{[")) {
        memset(from_text, 0, sizeof *from_text);
        from_text->id = (char *)"call_bb_text";
        from_text->name = (char *)c->task->tool_name;
        from_text->arguments = x->text;
        from_text->source = strstr(x->text, "```") ? LLM_SRC_TEXT_FENCED : LLM_SRC_TEXT_BARE;
        return from_text;
    }
    return x->n_calls > 0 ? &x->calls[0] : NULL;
}

static void harness_on_call(harness_conv *c, harness_round *rd, const llm_extraction *x,
                            const llm_extracted_call *call, int truncated)
{
    harness_check_result chk;
    int from_text = call->source != LLM_SRC_TOOL_CALLS && call->source != LLM_SRC_TOOL_CALLS_OBJECT;
    bb_buf fb;
    bb_result rc;

    c->any_call = 1;
    rd->call_source = llm_call_source_name(call->source);
    rc = harness_check(call->arguments, strlen(call->arguments), c->task->schema, c->p.mode, &c->task->hook,
                       &chk);
    if (rc == BB_OK)
        rc = harness_round_record(rd, &chk, call);
    if (rc != BB_OK) {
        harness_check_result_free(&chk);
        harness_finish(c, HARNESS_FAILED_INFRA, bb_strerror(rc));
        return;
    }
    if (chk.verdict == HARNESS_VALID || chk.verdict == HARNESS_VALID_REPAIRED) {
        int repaired = chk.verdict == HARNESS_VALID_REPAIRED || from_text || call->args_double_encoded;

        rd->verdict = repaired ? "valid_repaired" : "valid";
        c->res->accepted = json_dumps(chk.parse.value, JSON_COMPACT | JSON_ENCODE_ANY);
        c->res->accepted_value = json_incref(chk.parse.value);
        c->res->rounds_used = c->round;
        harness_check_result_free(&chk);
        if (!c->res->accepted) {
            harness_finish(c, HARNESS_FAILED_INFRA, "out of memory");
            return;
        }
        harness_finish(c, c->round > 1 ? HARNESS_FEEDBACK_VALID
                          : repaired   ? HARNESS_REPAIRED_VALID
                                       : HARNESS_FIRST_TRY_VALID,
                       NULL);
        return;
    }
    rd->verdict = chk.verdict == HARNESS_UNPARSEABLE ? "unparseable" : "invalid";
    if (c->p.mode != HARNESS_MODE_FULL || c->round >= c->p.max_rounds) {
        c->res->rounds_used = c->round;
        harness_check_result_free(&chk);
        harness_finish(c, HARNESS_FAILED_INVALID, "the call never became valid");
        return;
    }
    bb_buf_init(&fb, (size_t)1024 * 1024);
    rc = harness_feedback_text(c, &chk, truncated, &fb);
    harness_history_add(c, &chk);
    if (rc == BB_OK)
        rc = harness_push(c, LLM_ROLE_ASSISTANT, x->text, call->id, call->name[0] ? call->name : c->task->tool_name,
                          call->arguments);
    if (rc == BB_OK)
        rc = harness_push(c, LLM_ROLE_TOOL, fb.data, call->id, NULL, NULL);
    bb_buf_free(&fb);
    harness_check_result_free(&chk);
    if (rc != BB_OK) {
        harness_finish(c, HARNESS_FAILED_INFRA, bb_strerror(rc));
        return;
    }
    harness_next(c, HARNESS_FAILED_INVALID, "the call never became valid");
}

static void harness_on_no_call(harness_conv *c, harness_round *rd, const llm_extraction *x, const char *verdict,
                               const char *server_error)
{
    bb_buf b;
    bb_result rc;

    rd->verdict = verdict;
    if (!rd->repairs)
        rd->repairs = bb_strdup("[]");
    if (c->p.mode != HARNESS_MODE_FULL || c->round >= c->p.max_rounds) {
        c->res->rounds_used = c->round;
        harness_finish(c, c->any_call ? HARNESS_FAILED_INVALID : HARNESS_FAILED_NO_CALL,
                       server_error ? server_error : "no function call");
        return;
    }
    rd->nudged = 1;
    bb_buf_init(&b, 64 * 1024);
    rc = BB_OK;
    if (server_error)
        rc = bb_buf_printf(&b, "The server could not read your function call (%s). ", server_error);
    if (rc == BB_OK)
        rc = bb_buf_printf(&b, harness_nudge_text, c->task->tool_name);
    if (rc == BB_OK && x && x->text && x->text[0])
        rc = harness_push(c, LLM_ROLE_ASSISTANT, x->text, NULL, NULL, NULL);
    if (rc == BB_OK)
        rc = harness_push(c, LLM_ROLE_USER, b.data, NULL, NULL, NULL);
    bb_buf_free(&b);
    if (rc != BB_OK) {
        harness_finish(c, HARNESS_FAILED_INFRA, bb_strerror(rc));
        return;
    }
    harness_next(c, c->any_call ? HARNESS_FAILED_INVALID : HARNESS_FAILED_NO_CALL, "no function call");
}

/* A 4xx the server sent for our request: fall back where we can. */
static int harness_try_fallback(harness_conv *c, const llm_response *resp)
{
    const char *body = resp->error_body ? resp->error_body : "";
    int has_tool_msgs = 0;
    size_t i;

    for (i = 0; i < c->n_msgs; i++) {
        if (c->msgs[i].role == LLM_ROLE_TOOL)
            has_tool_msgs = 1;
    }
    if (!c->tool_choice_auto && (strstr(body, "tool_choice") || strstr(body, "required") || !has_tool_msgs)) {
        c->tool_choice_auto = 1;
        c->res->fell_back_auto = 1;
        return harness_send(c) == BB_OK;
    }
    if (has_tool_msgs && !c->feedback_as_user) {
        c->feedback_as_user = 1;
        c->res->fell_back_user = 1;
        return harness_send(c) == BB_OK;
    }
    if (!c->tool_choice_auto) {
        c->tool_choice_auto = 1;
        c->res->fell_back_auto = 1;
        return harness_send(c) == BB_OK;
    }
    return 0;
}

static void harness_done(void *user, llm_response *resp)
{
    harness_conv *c = user;
    harness_round *rd = harness_round_new(c, resp);
    llm_extraction x;
    llm_extracted_call text_call;
    const llm_extracted_call *call;
    int truncated;

    memset(&x, 0, sizeof x);
    if (!rd) {
        llm_response_destroy(resp);
        harness_finish(c, HARNESS_FAILED_INFRA, "too many exchanges");
        return;
    }
    if (resp->outcome != LLM_OUTCOME_OK && resp->outcome != LLM_OUTCOME_API_ERROR) {
        rd->infra_class = llm_outcome_name(resp->outcome);
        rd->repairs = bb_strdup("[]");
        if (resp->outcome == LLM_OUTCOME_HTTP_ERROR_CLIENT) {
            rd->verdict = "rejected";
            rd->round = 0;
            if (harness_try_fallback(c, resp)) {
                llm_response_destroy(resp);
                return;
            }
        } else {
            rd->verdict = "infra";
        }
        c->res->rounds_used = c->round - 1;
        harness_finish(c, HARNESS_FAILED_INFRA, resp->error[0] ? resp->error : llm_outcome_name(resp->outcome));
        llm_response_destroy(resp);
        return;
    }
    if (llm_extract(resp, &x) != BB_OK) {
        llm_response_destroy(resp);
        harness_finish(c, HARNESS_FAILED_INFRA, "out of memory");
        return;
    }
    if (resp->outcome == LLM_OUTCOME_API_ERROR) {
        /* an error the server raised about what the model wrote (e.g. a call it could not parse) */
        harness_on_no_call(c, rd, &x, "api_error", resp->error[0] ? resp->error : "server error");
        llm_extraction_free(&x);
        llm_response_destroy(resp);
        return;
    }
    truncated = x.kind == LLM_EXTRACT_TRUNCATED;
    rd->truncated = truncated;
    call = harness_pick_call(c, &x, &text_call);
    if (call && c->p.mode == HARNESS_MODE_RAW && call->source != LLM_SRC_TOOL_CALLS &&
        call->source != LLM_SRC_TOOL_CALLS_OBJECT)
        call = NULL; /* raw mode takes structured calls only */
    if (call)
        harness_on_call(c, rd, &x, call, truncated);
    else
        harness_on_no_call(c, rd, &x, "no_call", NULL);
    llm_extraction_free(&x);
    llm_response_destroy(resp);
}

bb_result harness_start(llm_client *client, int endpoint, const harness_task *task, const harness_params *params,
                        harness_done_fn done, void *user)
{
    harness_conv *c;
    bb_result rc;

    if (!task || !task->model || !task->user_prompt || !task->tool_name || !task->tool_schema_json ||
        !task->schema || !done)
        return BB_ERR_USAGE;
    c = bb_calloc(1, sizeof *c);
    if (!c)
        return BB_ERR_NOMEM;
    c->client = client;
    c->endpoint = endpoint;
    c->task = task;
    c->p = params ? *params : harness_default_params();
    if (c->p.max_rounds < 1)
        c->p.max_rounds = 1;
    if (c->p.max_rounds > HARNESS_MAX_ROUNDS)
        c->p.max_rounds = HARNESS_MAX_ROUNDS;
    if (c->p.mode != HARNESS_MODE_FULL)
        c->p.max_rounds = 1;
    c->done = done;
    c->user = user;
    c->round = 1;
    bb_buf_init(&c->history, HARNESS_HISTORY_MAX);
    c->res = bb_calloc(1, sizeof *c->res);
    if (!c->res) {
        harness_conv_free(c);
        return BB_ERR_NOMEM;
    }
    c->res->cost = -1;
    if (task->id && snprintf(c->header, sizeof c->header, "%s: %s", LLM_TASK_HEADER, task->id) >=
                        (int)sizeof c->header) {
        harness_conv_free(c);
        return BB_ERR_LIMIT;
    }
    rc = BB_OK;
    if (task->system_prompt)
        rc = harness_push(c, LLM_ROLE_SYSTEM, task->system_prompt, NULL, NULL, NULL);
    if (rc == BB_OK)
        rc = harness_push(c, LLM_ROLE_USER, task->user_prompt, NULL, NULL, NULL);
    if (rc == BB_OK)
        rc = harness_send(c);
    if (rc != BB_OK)
        harness_conv_free(c);
    return rc;
}

/* ---- the blocking form ---------------------------------------------------------------- */

static void harness_one_done(void *user, harness_result *r)
{
    *(harness_result **)user = r;
}

bb_result harness_run_one(const char *base_url, const char *api_key_env, const harness_task *task,
                          const harness_params *params, const llm_client_params *client_params,
                          harness_result **out)
{
    llm_client *client = NULL;
    int ep;
    bb_result rc;

    *out = NULL;
    rc = llm_client_new(client_params, &client);
    if (rc != BB_OK)
        return rc;
    rc = llm_client_add_endpoint(client, base_url, api_key_env, 0, &ep);
    if (rc == BB_OK)
        rc = harness_start(client, ep, task, params, harness_one_done, out);
    if (rc == BB_OK)
        rc = llm_client_run(client, -1);
    if (rc == BB_OK && !*out)
        rc = BB_ERR_INTERNAL;
    llm_client_free(client);
    return rc;
}
