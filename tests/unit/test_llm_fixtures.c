/*
 * test_llm_fixtures.c — replays real server response bodies through the
 * whole client and checks what it extracts.
 *
 * Cases are data: every `NN-name.body` + `NN-name.expect.json` pair in
 * $BB_SHARED/data/server-responses/ (35 bodies real servers sent) and in
 * tests/data/llm/ (shapes those lack). The loopback replay server serves each
 * body as its server did (streamed ones as chunked text/event-stream, or
 * NDJSON for Ollama's native stream), split into writes at seeded-random
 * byte boundaries; all cases of a round are in flight at once through one
 * llm_client. Two rounds use different split sizes (1..5 bytes and
 * 1..512 bytes). Each case is one TAP line: the extraction kind must match
 * `expect.kind`; for call/calls the names and the arguments (parsed, compared
 * as JSON values) must match. Our own fixtures may also script earlier
 * replies (`replies`: 429 with Retry-After, 500) and check the attempts,
 * the outcome class and the flags of the first call.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>

#include "helper_replay.h"
#include "json/json_repair.h"
#include "json/json_util.h"
#include "llm/llm_client.h"
#include "llm/llm_extract.h"
#include "util/alloc.h"
#include "util/file.h"

#define MAX_CASES 128
#define MAX_REPLIES 4
#define ROUNDS 2

typedef struct fx_case {
    char name[128];
    char *body;
    size_t body_len;
    json_t *meta;                /* the expect.json document */
    int streamed;
    const char *content_type;
    int n_replies;
    int reply_status[MAX_REPLIES];
    char reply_headers[MAX_REPLIES][128];
    const char *reply_body[MAX_REPLIES];
    int attempts_seen;           /* server side, per round */
    llm_response *resp[ROUNDS];
} fx_case;

static fx_case cases[MAX_CASES];
static int n_cases;
static int round_no;
static const size_t round_split[ROUNDS] = {5, 512};

static int by_name(const void *a, const void *b)
{
    return strcmp(((const fx_case *)a)->name, ((const fx_case *)b)->name);
}

static void load_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[1024], base[128];
    size_t n, len;
    json_error_t err;
    fx_case *c;
    char *text;
    const json_t *replies, *r;
    int i;

    if (!d) {
        print_message("# cannot open %s\n", dir);
        return;
    }
    for (e = readdir(d); e != NULL; e = readdir(d)) {
        n = strlen(e->d_name);
        if (n < 12 || strcmp(e->d_name + n - 12, ".expect.json") != 0 || n - 12 >= sizeof base)
            continue;
        assert_true(n_cases < MAX_CASES);
        c = &cases[n_cases++];
        memset(c, 0, sizeof *c);
        memcpy(base, e->d_name, n - 12);
        base[n - 12] = '\0';
        snprintf(c->name, sizeof c->name, "%s", base);
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        assert_int_equal(bb_file_read(path, 1 << 20, &text, &len), BB_OK);
        c->meta = json_loadb(text, len, 0, &err);
        bb_free(text);
        assert_non_null(c->meta);
        snprintf(path, sizeof path, "%s/%s.body", dir, base);
        assert_int_equal(bb_file_read(path, 16 << 20, &c->body, &c->body_len), BB_OK);
        c->streamed = json_is_true(json_object_get(c->meta, "streamed"));
        c->content_type = c->streamed ? "text/event-stream" : "application/json";
        if (c->streamed && c->body_len > 0 && c->body[0] == '{')
            c->content_type = "application/x-ndjson";
        if (json_is_string(json_object_get(c->meta, "content_type")))
            c->content_type = json_string_value(json_object_get(c->meta, "content_type"));
        replies = json_object_get(c->meta, "replies");
        for (i = 0; json_is_array(replies) && i < (int)json_array_size(replies) && i < MAX_REPLIES; i++) {
            r = json_array_get(replies, (size_t)i);
            c->reply_status[i] = (int)json_integer_value(json_object_get(r, "status"));
            if (json_is_string(json_object_get(r, "headers")))
                snprintf(c->reply_headers[i], sizeof c->reply_headers[i], "%s\r\n",
                         json_string_value(json_object_get(r, "headers")));
            c->reply_body[i] = json_string_value(json_object_get(r, "body"));
            c->n_replies++;
        }
    }
    closedir(d);
}

static void handler(void *user, const replay_request *rq, replay_reply *rp)
{
    const char *h = rq->headers, *v = NULL;
    fx_case *c = NULL;
    int i, k;

    (void)user;
    while (h && *h) {
        if (strncasecmp(h, LLM_TASK_HEADER ":", strlen(LLM_TASK_HEADER) + 1) == 0) {
            v = h + strlen(LLM_TASK_HEADER) + 1;
            break;
        }
        h = strstr(h, "\r\n");
        if (h)
            h += 2;
    }
    if (v)
        i = (int)strtol(v + strspn(v, " "), NULL, 10);
    else
        i = -1;
    if (i < 0 || i >= n_cases) {
        rp->status = 404;
        rp->body = "no such case";
        rp->body_len = 12;
        return;
    }
    c = &cases[i];
    k = c->attempts_seen++;
    if (k < c->n_replies) {
        rp->status = c->reply_status[k];
        rp->extra_headers = c->reply_headers[k][0] ? c->reply_headers[k] : NULL;
        rp->body = c->reply_body[k] ? c->reply_body[k] : "";
        rp->body_len = strlen(rp->body);
        return;
    }
    rp->body = c->body;
    rp->body_len = c->body_len;
    rp->content_type = c->content_type;
    rp->chunked = c->streamed;
    rp->split = round_split[round_no];
    rp->seed = (unsigned)(i + 1) * 2654435761u + (unsigned)round_no;
}

static void store(void *user, llm_response *resp)
{
    llm_response **slot = user;

    *slot = resp;
}

static void run_round(replay_server *srv)
{
    static const llm_message msgs[] = {{LLM_ROLE_USER, "call the tool", NULL, 0, NULL}};
    static const llm_tool tools[] = {{"t", "a tool", NULL, "{\"type\":\"object\"}"}};
    static char hdr[MAX_CASES][64];
    static const char *hdrs[MAX_CASES][1];
    llm_client_params p = llm_client_default_params();
    llm_client *c = NULL;
    llm_request req;
    int ep, i;

    p.max_concurrent = 16;
    p.max_concurrent_per_endpoint = 16;
    p.backoff_base_ms = 10;
    p.rng_seed = 3;
    p.total_timeout_ms = 30000;
    assert_int_equal(llm_client_new(&p, &c), BB_OK);
    assert_int_equal(llm_client_add_endpoint(c, replay_base_url(srv), NULL, 0, &ep), BB_OK);
    for (i = 0; i < n_cases; i++) {
        cases[i].attempts_seen = 0;
        llm_request_init(&req);
        req.model = "fixture";
        req.messages = msgs;
        req.n_messages = 1;
        req.tools = tools;
        req.n_tools = 1;
        req.tool_choice = LLM_TOOL_CHOICE_REQUIRED;
        req.stream = cases[i].streamed;
        snprintf(hdr[i], sizeof hdr[i], "%s: %d", LLM_TASK_HEADER, i);
        hdrs[i][0] = hdr[i];
        req.headers = hdrs[i];
        req.n_headers = 1;
        assert_int_equal(llm_client_submit(c, ep, &req, store, &cases[i].resp[round_no]), BB_OK);
    }
    assert_int_equal(llm_client_run(c, 120000), BB_OK);
    assert_int_equal(llm_client_pending(c), 0);
    llm_client_free(c);
}

static int setup_all(void **state)
{
    replay_server *srv = replay_start(handler, NULL);

    (void)state;
    if (!srv)
        return -1;
    for (round_no = 0; round_no < ROUNDS; round_no++)
        run_round(srv);
    replay_stop(srv);
    return 0;
}

static int teardown_all(void **state)
{
    int i, r;

    (void)state;
    for (i = 0; i < n_cases; i++) {
        for (r = 0; r < ROUNDS; r++)
            llm_response_destroy(cases[i].resp[r]);
        json_decref(cases[i].meta);
        bb_free(cases[i].body);
    }
    return 0;
}

/* Arguments text parsed leniently (as the harness will) equals the expected value. */
static void check_call(const fx_case *c, const llm_extracted_call *got, const json_t *want)
{
    json_parse_result pr;
    const char *name = json_string_value(json_object_get(want, "name"));
    const json_t *args = json_object_get(want, "arguments");

    if (strcmp(got->name, name) != 0)
        fail_msg("%s: name %s, want %s", c->name, got->name, name);
    memset(&pr, 0, sizeof pr);
    if (json_parse(got->arguments, strlen(got->arguments), NULL, &pr) != BB_OK)
        fail_msg("%s: arguments do not parse: %s", c->name, got->arguments);
    if (!bb_json_equal(pr.value, args)) {
        char *w = json_dumps(args, JSON_COMPACT);
        print_message("# %s: arguments %s, want %s\n", c->name, got->arguments, w ? w : "?");
        llm_json_text_free(w);
        json_parse_result_free(&pr);
        fail_msg("%s: arguments differ", c->name);
    }
    json_parse_result_free(&pr);
}

static void check_flags(const fx_case *c, const llm_extraction *x, const json_t *flags)
{
    const char *src = json_string_value(json_object_get(flags, "source"));
    const json_t *v;

    assert_true(x->n_calls > 0);
    if (src && strcmp(llm_call_source_name(x->calls[0].source), src) != 0)
        fail_msg("%s: source %s, want %s", c->name, llm_call_source_name(x->calls[0].source), src);
    v = json_object_get(flags, "args_missing");
    if (v)
        assert_int_equal(x->calls[0].args_missing, json_is_true(v));
    v = json_object_get(flags, "args_double_encoded");
    if (v)
        assert_int_equal(x->calls[0].args_double_encoded, json_is_true(v));
    v = json_object_get(flags, "reasoning_contains");
    if (v) {
        assert_non_null(x->reasoning);
        assert_non_null(strstr(x->reasoning, json_string_value(v)));
    }
}

static void check_case(void **state)
{
    const fx_case *c = *state;
    const json_t *exp = json_object_get(c->meta, "expect"), *calls, *v;
    const char *kind = json_string_value(json_object_get(exp, "kind"));
    const char *want_kind = strcmp(kind, "calls") == 0 ? "call" : kind;
    llm_extraction x;
    size_t i, n_want;
    int r;

    for (r = 0; r < ROUNDS; r++) {
        const llm_response *resp = c->resp[r];
        assert_non_null(resp);
        assert_int_equal(llm_extract(resp, &x), BB_OK);
        if (strcmp(llm_extract_kind_name(x.kind), want_kind) != 0) {
            print_message("# %s round %d: outcome %s (%s), finish %s, %zu calls, content %.80s\n",
                          c->name, r, llm_outcome_name(resp->outcome), resp->error,
                          resp->finish_reason ? resp->finish_reason : "(none)", resp->n_calls,
                          resp->content ? resp->content : "(null)");
            llm_extraction_free(&x);
            fail_msg("%s: kind %s, want %s", c->name, llm_extract_kind_name(x.kind), want_kind);
        }
        if (x.kind == LLM_EXTRACT_CALL) {
            calls = json_object_get(exp, "calls");
            n_want = calls ? json_array_size(calls) : 1;
            if (x.n_calls != n_want)
                fail_msg("%s: %zu calls, want %zu", c->name, x.n_calls, n_want);
            for (i = 0; i < n_want; i++)
                check_call(c, &x.calls[i], calls ? json_array_get(calls, i) : exp);
        }
        v = json_object_get(c->meta, "expect_flags");
        if (v)
            check_flags(c, &x, v);
        v = json_object_get(c->meta, "expect_attempts");
        if (v)
            assert_int_equal(resp->attempts, json_integer_value(v));
        v = json_object_get(c->meta, "expect_outcome");
        if (v)
            assert_string_equal(llm_outcome_name(resp->outcome), json_string_value(v));
        llm_extraction_free(&x);
    }
}

int main(void)
{
    static struct CMUnitTest tests[MAX_CASES];
    const char *shared = getenv("BB_SHARED"), *root = getenv("BB_ROOT");
    char dir[1024];
    int i;

    bb_json_init();
    snprintf(dir, sizeof dir, "%s/data/server-responses", shared ? shared : "../shared");
    load_dir(dir);
    snprintf(dir, sizeof dir, "%s/tests/data/llm", root ? root : ".");
    load_dir(dir);
    qsort(cases, (size_t)n_cases, sizeof cases[0], by_name);
    if (n_cases < 36) {
        printf("not ok 1 - fixtures found: %d (want the 35 shared ones and our own)\n", n_cases);
        return 1;
    }
    for (i = 0; i < n_cases; i++) {
        tests[i].name = cases[i].name;
        tests[i].test_func = check_case;
        tests[i].setup_func = NULL;
        tests[i].teardown_func = NULL;
        tests[i].initial_state = &cases[i];
    }
    return _cmocka_run_group_tests("llm_fixtures", tests, (size_t)n_cases, setup_all, teardown_all);
}
