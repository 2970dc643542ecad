/*
 * test_llm_client.c — the async HTTP client against the loopback replay
 * server: concurrency limits, retries with Retry-After (seconds and HTTP
 * date), 5xx then success, 4xx kept for the caller, connection refused,
 * stall timeout, truncated streams, oversized responses, the API key only in
 * the Authorization header, the task-id header, the URL rule and the
 * backoff schedule. Real sockets, real libcurl.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "helper_replay.h"
#include "json/json_util.h"
#include "llm/llm_client.h"
#include "llm/llm_extract.h"
#include "util/alloc.h"

static const char OK_BODY[] =
    "{\"id\":\"x\",\"object\":\"chat.completion\",\"model\":\"m\",\"choices\":[{\"index\":0,"
    "\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\","
    "\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":1}\"}}]},"
    "\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3}}";

static const char SSE_NO_FINISH[] =
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hel\"}}]}\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"}}]}\n\n";

static const char SSE_OK[] =
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hel\"}}]}\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}\n\n"
    "data: [DONE]\n\n";

/* ---- a tiny scripted server state shared by the tests ------------------------- */

typedef struct script {
    int mode;             /* which scenario */
    double t[8];          /* arrival times of the first requests */
    char auth[256];       /* Authorization header value seen */
    char task[128];       /* X-Backbench-Task value seen */
    int auth_seen;
    char date[64];        /* Retry-After date */
    char hdrbuf[128];
} script;

enum {
    MODE_OK_SLOW = 0, MODE_429_THEN_OK, MODE_500_THEN_OK, MODE_400, MODE_500_ALWAYS, MODE_STALL,
    MODE_CUT_STREAM, MODE_NO_FINISH, MODE_GARBAGE, MODE_429_DATE, MODE_RECORD_HEADERS, MODE_BIG_EVENT,
    MODE_SLOW_START
};

static char *big_event;

static void copy_header(const char *headers, const char *name, char *dst, size_t cap)
{
    const char *p = headers;
    size_t n = strlen(name), k;

    dst[0] = '\0';
    while (p && *p) {
        if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
            p += n + 1;
            while (*p == ' ')
                p++;
            k = strcspn(p, "\r\n");
            if (k >= cap)
                k = cap - 1;
            memcpy(dst, p, k);
            dst[k] = '\0';
            return;
        }
        p = strstr(p, "\r\n");
        if (p)
            p += 2;
    }
}

static void handler(void *user, const replay_request *rq, replay_reply *rp)
{
    script *s = user;

    if (rq->seq < 8)
        s->t[rq->seq] = rq->t_ms;
    rp->body = OK_BODY;
    rp->body_len = strlen(OK_BODY);
    switch (s->mode) {
    case MODE_OK_SLOW:
        rp->delay_ms = 20;
        break;
    case MODE_429_THEN_OK:
        if (rq->seq == 0) {
            rp->status = 429;
            rp->extra_headers = "Retry-After: 1\r\n";
            rp->body = "{\"error\":{\"message\":\"rate limited\"}}";
            rp->body_len = strlen(rp->body);
        }
        break;
    case MODE_429_DATE:
        if (rq->seq == 0) {
            time_t later = time(NULL) + 2;
            struct tm tmv;
            gmtime_r(&later, &tmv);
            strftime(s->date, sizeof s->date, "%a, %d %b %Y %H:%M:%S GMT", &tmv);
            snprintf(s->hdrbuf, sizeof s->hdrbuf, "Retry-After: %s\r\n", s->date);
            rp->status = 429;
            rp->extra_headers = s->hdrbuf;
            rp->body = "slow down";
            rp->body_len = 9;
        }
        break;
    case MODE_500_THEN_OK:
        if (rq->seq == 0) {
            rp->status = 500;
            rp->body = "internal";
            rp->body_len = 8;
        }
        break;
    case MODE_500_ALWAYS:
        rp->status = 503;
        rp->body = "unavailable";
        rp->body_len = 11;
        break;
    case MODE_400:
        rp->status = 400;
        rp->body = "{\"error\":{\"message\":\"tool_choice required is not supported\"}}";
        rp->body_len = strlen(rp->body);
        break;
    case MODE_STALL:
        rp->content_type = "text/event-stream";
        rp->body = SSE_OK;
        rp->body_len = strlen(SSE_OK);
        rp->chunked = 1;
        rp->stall_at = 20;
        rp->stall_ms = 4000;
        break;
    case MODE_CUT_STREAM:
        rp->content_type = "text/event-stream";
        rp->body = SSE_OK;
        rp->body_len = strlen(SSE_OK);
        rp->chunked = 1;
        rp->cut_at = 70;
        break;
    case MODE_NO_FINISH:
        rp->content_type = "text/event-stream";
        rp->body = SSE_NO_FINISH;
        rp->body_len = strlen(SSE_NO_FINISH);
        rp->chunked = 1;
        break;
    case MODE_GARBAGE:
        rp->garbage = (size_t)10 * 1024 * 1024;
        break;
    case MODE_BIG_EVENT:
        rp->content_type = "text/event-stream";
        rp->body = big_event;
        rp->body_len = strlen(big_event);
        rp->chunked = 1;
        rp->split = 65536;
        break;
    case MODE_RECORD_HEADERS:
        rp->delay_ms = 20; /* requests overlap long enough for the in-flight count to mean something */
        break;
    case MODE_SLOW_START:
        rp->delay_ms = 1200; /* silent before the status line, like a long prompt */
        break;
    }
    copy_header(rq->headers, "Authorization", s->auth, sizeof s->auth);
    copy_header(rq->headers, "X-Backbench-Task", s->task, sizeof s->task);
    if (s->auth[0])
        s->auth_seen = 1;
}

static llm_request simple_request(int stream)
{
    static const llm_message msgs[] = {{LLM_ROLE_USER, "hi", NULL, 0, NULL}};
    llm_request r;

    llm_request_init(&r);
    r.model = "m";
    r.messages = msgs;
    r.n_messages = 1;
    r.stream = stream;
    return r;
}

static llm_client_params fast_params(void)
{
    llm_client_params p = llm_client_default_params();

    p.backoff_base_ms = 10;
    p.backoff_max_ms = 5000;
    p.max_retries = 2;
    p.connect_timeout_ms = 2000;
    p.total_timeout_ms = 20000;
    p.rng_seed = 7;
    return p;
}

static llm_response *send_one(script *s, const llm_client_params *p, int stream)
{
    replay_server *srv = replay_start(handler, s);
    llm_request req = simple_request(stream);
    llm_response *resp = NULL;

    assert_non_null(srv);
    assert_int_equal(llm_chat_send(replay_base_url(srv), NULL, &req, p, &resp), BB_OK);
    assert_non_null(resp);
    replay_stop(srv);
    return resp;
}

/* ---- concurrency -------------------------------------------------------------- */

#define N_ENDPOINTS 5
#define N_REQUESTS 200

typedef struct done_count {
    int done;
    int ok;
} done_count;

static void count_done(void *user, llm_response *resp)
{
    done_count *d = user;
    llm_extraction x;

    d->done++;
    if (resp->outcome == LLM_OUTCOME_OK) {
        assert_int_equal(llm_extract(resp, &x), BB_OK);
        if (x.kind == LLM_EXTRACT_CALL && x.n_calls == 1 && strcmp(x.calls[0].name, "f") == 0)
            d->ok++;
        llm_extraction_free(&x);
    }
    llm_response_destroy(resp);
}

static void test_concurrency_limits(void **state)
{
    script s[N_ENDPOINTS];
    replay_server *srv[N_ENDPOINTS];
    replay_group g;
    llm_client *c = NULL;
    llm_client_params p = fast_params();
    llm_request req = simple_request(0);
    done_count d = {0, 0};
    int ep[N_ENDPOINTS], i;

    (void)state;
    p.max_concurrent = 16;
    p.max_concurrent_per_endpoint = 4;
    replay_group_init(&g);
    assert_int_equal(llm_client_new(&p, &c), BB_OK);
    for (i = 0; i < N_ENDPOINTS; i++) {
        memset(&s[i], 0, sizeof s[i]);
        s[i].mode = MODE_OK_SLOW;
        srv[i] = replay_start(handler, &s[i]);
        assert_non_null(srv[i]);
        replay_set_group(srv[i], &g);
        assert_int_equal(llm_client_add_endpoint(c, replay_base_url(srv[i]), NULL, 0, &ep[i]), BB_OK);
    }
    for (i = 0; i < N_REQUESTS; i++)
        assert_int_equal(llm_client_submit(c, ep[i % N_ENDPOINTS], &req, count_done, &d), BB_OK);
    assert_int_equal(llm_client_pending(c), N_REQUESTS);
    assert_int_equal(llm_client_run(c, 60000), BB_OK);
    assert_int_equal(llm_client_pending(c), 0);
    assert_int_equal(d.done, N_REQUESTS);
    assert_int_equal(d.ok, N_REQUESTS);
    for (i = 0; i < N_ENDPOINTS; i++) {
        assert_int_equal(replay_request_count(srv[i]), N_REQUESTS / N_ENDPOINTS);
        assert_true(replay_max_in_flight(srv[i]) <= 4);
        assert_true(replay_max_in_flight(srv[i]) >= 2); /* the limit was reached, not serialised */
        replay_stop(srv[i]);
    }
    print_message("# max in flight across servers: %d (limit 16)\n", replay_group_max(&g));
    assert_true(replay_group_max(&g) <= 16);
    assert_true(replay_group_max(&g) >= 8);
    replay_group_free(&g);
    llm_client_free(c);
}

/* Callbacks that submit follow-ups (the harness's state machines). */
typedef struct chain {
    llm_client *c;
    int ep;
    int left;
    int done;
} chain;

static void chain_done(void *user, llm_response *resp)
{
    chain *ch = user;
    llm_request req = simple_request(0);

    assert_int_equal(resp->outcome, LLM_OUTCOME_OK);
    llm_response_destroy(resp);
    ch->done++;
    if (--ch->left > 0)
        assert_int_equal(llm_client_submit(ch->c, ch->ep, &req, chain_done, ch), BB_OK);
}

static void test_submit_from_callback(void **state)
{
    script s = {0};
    replay_server *srv;
    chain ch[3];
    llm_request req = simple_request(0);
    llm_client_params p = fast_params();
    llm_client *c = NULL;
    int ep, i;

    (void)state;
    s.mode = MODE_RECORD_HEADERS;
    srv = replay_start(handler, &s);
    assert_int_equal(llm_client_new(&p, &c), BB_OK);
    assert_int_equal(llm_client_add_endpoint(c, replay_base_url(srv), NULL, 2, &ep), BB_OK);
    for (i = 0; i < 3; i++) {
        ch[i].c = c;
        ch[i].ep = ep;
        ch[i].left = 5;
        ch[i].done = 0;
        assert_int_equal(llm_client_submit(c, ep, &req, chain_done, &ch[i]), BB_OK);
    }
    assert_int_equal(llm_client_run(c, 30000), BB_OK);
    for (i = 0; i < 3; i++)
        assert_int_equal(ch[i].done, 5);
    assert_int_equal(replay_request_count(srv), 15);
    assert_true(replay_max_in_flight(srv) <= 2);
    llm_client_free(c);
    replay_stop(srv);
}

/* ---- retries ---------------------------------------------------------------------- */

static void test_retry_after_seconds(void **state)
{
    script s = {0};
    llm_client_params p = fast_params();
    llm_response *r;

    (void)state;
    s.mode = MODE_429_THEN_OK;
    r = send_one(&s, &p, 0);
    assert_int_equal(r->outcome, LLM_OUTCOME_OK);
    assert_int_equal(r->attempts, 2);
    print_message("# Retry-After: 1 -> retried after %.0f ms\n", s.t[1] - s.t[0]);
    assert_true(s.t[1] - s.t[0] >= 1000.0);
    llm_response_destroy(r);
}

static void test_retry_after_http_date(void **state)
{
    script s = {0};
    llm_client_params p = fast_params();
    llm_response *r;

    (void)state;
    s.mode = MODE_429_DATE;
    r = send_one(&s, &p, 0);
    assert_int_equal(r->outcome, LLM_OUTCOME_OK);
    assert_int_equal(r->attempts, 2);
    print_message("# Retry-After: <date +2s> -> retried after %.0f ms\n", s.t[1] - s.t[0]);
    /* a date has one-second resolution: at least one full second must pass */
    assert_true(s.t[1] - s.t[0] >= 1000.0);
    llm_response_destroy(r);
}

static void test_retry_after_too_long_gives_up(void **state)
{
    script s = {0};
    llm_client_params p = fast_params();
    llm_response *r;

    (void)state;
    s.mode = MODE_429_THEN_OK;
    p.backoff_max_ms = 200; /* Retry-After: 1 is longer than we are willing to wait */
    r = send_one(&s, &p, 0);
    assert_int_equal(r->outcome, LLM_OUTCOME_INFRA_RETRY_EXHAUSTED);
    assert_int_equal(r->http_status, 429);
    assert_int_equal(r->attempts, 1);
    assert_true(llm_outcome_is_infra(r->outcome));
    llm_response_destroy(r);
}

static void test_500_then_success(void **state)
{
    script s = {0};
    llm_client_params p = fast_params();
    llm_response *r;

    (void)state;
    s.mode = MODE_500_THEN_OK;
    r = send_one(&s, &p, 0);
    assert_int_equal(r->outcome, LLM_OUTCOME_OK);
    assert_int_equal(r->attempts, 2);
    assert_int_equal(r->http_status, 200);
    assert_int_equal(r->usage.prompt_tokens, 5);
    llm_response_destroy(r);
}

static void test_5xx_exhausted(void **state)
{
    script s = {0};
    llm_client_params p = fast_params();
    llm_response *r;

    (void)state;
    s.mode = MODE_500_ALWAYS;
    r = send_one(&s, &p, 0);
    assert_int_equal(r->outcome, LLM_OUTCOME_INFRA_RETRY_EXHAUSTED);
    assert_int_equal(r->attempts, 3);
    assert_int_equal(r->http_status, 503);
    assert_string_equal(r->error_body, "unavailable");
    llm_response_destroy(r);
}

static void test_400_kept_for_caller(void **state)
{
    script s = {0};
    llm_client_params p = fast_params();
    llm_response *r;

    (void)state;
    s.mode = MODE_400;
    r = send_one(&s, &p, 0);
    assert_int_equal(r->outcome, LLM_OUTCOME_HTTP_ERROR_CLIENT);
    assert_int_equal(r->attempts, 1);
    assert_int_equal(r->http_status, 400);
    assert_non_null(strstr(r->error_body, "tool_choice required is not supported"));
    assert_false(llm_outcome_is_infra(r->outcome));
    llm_response_destroy(r);
}

static void test_connection_refused(void **state)
{
    llm_client_params p = fast_params();
    llm_request req = simple_request(0);
    llm_response *r = NULL;
    char url[64];

    (void)state;
    snprintf(url, sizeof url, "http://127.0.0.1:%d", replay_free_port());
    assert_int_equal(llm_chat_send(url, NULL, &req, &p, &r), BB_OK);
    assert_int_equal(r->outcome, LLM_OUTCOME_INFRA_RETRY_EXHAUSTED);
    assert_int_equal(r->attempts, 3);
    assert_int_equal(r->http_status, 0);
    assert_true(llm_outcome_is_infra(r->outcome));
    assert_non_null(strstr(r->error, "connection failed"));
    llm_response_destroy(r);
}

/* ---- timeouts, truncation, size ------------------------------------------------------- */

static void test_stall_timeout(void **state)
{
    script s = {0};
    llm_client_params p = fast_params();
    llm_response *r;

    (void)state;
    s.mode = MODE_STALL;
    p.stall_timeout_ms = 500;
    p.max_retries = 0;
    r = send_one(&s, &p, 1);
    assert_int_equal(r->outcome, LLM_OUTCOME_TIMEOUT);
    assert_int_equal(r->rc, BB_ERR_TIMEOUT);
    assert_non_null(strstr(r->error, "stall"));
    print_message("# stall timeout 500 ms fired after %.0f ms\n", r->usage.total_ms);
    assert_true(r->usage.total_ms >= 500.0);
    llm_response_destroy(r);
}

static void test_stall_retried_when_asked(void **state)
{
    script s = {0};
    llm_client_params p = fast_params();
    llm_response *r;

    (void)state;
    s.mode = MODE_STALL;
    p.stall_timeout_ms = 300;
    p.max_retries = 1;
    r = send_one(&s, &p, 1);
    assert_int_equal(r->outcome, LLM_OUTCOME_TIMEOUT);
    assert_int_equal(r->attempts, 2);
    llm_response_destroy(r);
}

/* Silence before the first byte is not a stall; the total timeout bounds it. */
static void test_slow_start_is_not_a_stall(void **state)
{
    script s = {0};
    llm_client_params p = fast_params();
    llm_response *r;

    (void)state;
    s.mode = MODE_SLOW_START;
    p.stall_timeout_ms = 300;
    p.max_retries = 0;
    r = send_one(&s, &p, 0);
    assert_int_equal(r->outcome, LLM_OUTCOME_OK);
    assert_true(r->usage.ttfb_ms >= 1000.0);
    llm_response_destroy(r);
    p.total_timeout_ms = 500;
    r = send_one(&s, &p, 0);
    assert_int_equal(r->outcome, LLM_OUTCOME_TIMEOUT);
    assert_null(strstr(r->error, "stall"));
    llm_response_destroy(r);
}

static void test_cut_stream_is_truncated(void **state)
{
    script s = {0};
    llm_client_params p = fast_params();
    llm_response *r;
    llm_extraction x;

    (void)state;
    s.mode = MODE_CUT_STREAM;
    p.max_retries = 0;
    r = send_one(&s, &p, 1);
    assert_int_equal(r->outcome, LLM_OUTCOME_TRUNCATED_STREAM);
    assert_int_equal(llm_extract(r, &x), BB_OK);
    assert_int_equal(x.kind, LLM_EXTRACT_TRUNCATED);
    llm_extraction_free(&x);
    llm_response_destroy(r);
}

static void test_no_finish_reason_is_truncated(void **state)
{
    script s = {0};
    llm_client_params p = fast_params();
    llm_response *r;

    (void)state;
    s.mode = MODE_NO_FINISH;
    p.max_retries = 1;
    r = send_one(&s, &p, 1);
    assert_int_equal(r->outcome, LLM_OUTCOME_TRUNCATED_STREAM);
    assert_int_equal(r->attempts, 2); /* retried once: infrastructure */
    assert_string_equal(r->content, "hello");
    llm_response_destroy(r);
}

static void test_oversized_garbage(void **state)
{
    script s = {0};
    llm_client_params p = fast_params();
    llm_response *r;

    (void)state;
    s.mode = MODE_GARBAGE;
    p.max_response_bytes = (size_t)1024 * 1024;
    p.retry_broken = 0;
    r = send_one(&s, &p, 0);
    assert_int_equal(r->outcome, LLM_OUTCOME_TOO_LARGE);
    assert_int_equal(r->attempts, 1);
    assert_true(llm_outcome_is_infra(r->outcome));
    assert_true(r->response_len <= p.max_response_bytes);
    llm_response_destroy(r);
}

static void test_oversized_event(void **state)
{
    script s = {0};
    llm_client_params p = fast_params();
    llm_response *r;
    size_t n = (size_t)3 * 1024 * 1024, i;

    (void)state;
    big_event = malloc(n + 16);
    assert_non_null(big_event);
    memcpy(big_event, "data: {\"a\":\"", 12);
    for (i = 12; i < n; i++)
        big_event[i] = 'y';
    big_event[n] = '\0';
    s.mode = MODE_BIG_EVENT;
    p.max_response_bytes = (size_t)2 * 1024 * 1024;
    r = send_one(&s, &p, 1);
    assert_int_equal(r->outcome, LLM_OUTCOME_TOO_LARGE);
    assert_int_equal(r->attempts, 3); /* broken answers are retried by default */
    llm_response_destroy(r);
    free(big_event);
    big_event = NULL;
}

/* ---- secrets and headers ------------------------------------------------------------ */

#define TEST_KEY "sk-bbtest-7f3a9c0e51d24b6a"

static void assert_no_key(const llm_response *r)
{
    if (r->request_body)
        assert_null(strstr(r->request_body, TEST_KEY));
    if (r->response_body)
        assert_null(strstr(r->response_body, TEST_KEY));
    if (r->error_body)
        assert_null(strstr(r->error_body, TEST_KEY));
    assert_null(strstr(r->error, TEST_KEY));
}

static void test_api_key_only_in_header(void **state)
{
    static const int modes[] = {MODE_RECORD_HEADERS, MODE_400, MODE_500_ALWAYS, MODE_NO_FINISH};
    static const char *const headers[] = {"X-Backbench-Task: db/shop/3"};
    script s;
    replay_server *srv;
    llm_client_params p = fast_params();
    llm_request req;
    llm_response *r = NULL;
    char url[64];
    size_t i;

    (void)state;
    setenv("BB_TEST_LLM_KEY", TEST_KEY, 1);
    p.max_retries = 1;
    for (i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        memset(&s, 0, sizeof s);
        s.mode = modes[i];
        srv = replay_start(handler, &s);
        req = simple_request(modes[i] == MODE_NO_FINISH);
        req.headers = headers;
        req.n_headers = 1;
        assert_int_equal(llm_chat_send(replay_base_url(srv), "BB_TEST_LLM_KEY", &req, &p, &r), BB_OK);
        replay_stop(srv);
        assert_string_equal(s.auth, "Bearer " TEST_KEY);
        assert_string_equal(s.task, "db/shop/3");
        assert_non_null(r->request_body);
        assert_non_null(strstr(r->request_body, "\"model\":\"m\""));
        assert_no_key(r);
        llm_response_destroy(r);
    }
    /* connection refused: the error string holds the URL, never the key */
    snprintf(url, sizeof url, "http://127.0.0.1:%d/v1", replay_free_port());
    req = simple_request(0);
    assert_int_equal(llm_chat_send(url, "BB_TEST_LLM_KEY", &req, &p, &r), BB_OK);
    assert_int_equal(r->outcome, LLM_OUTCOME_INFRA_RETRY_EXHAUSTED);
    assert_no_key(r);
    llm_response_destroy(r);
    /* no variable set: no Authorization header at all */
    unsetenv("BB_TEST_LLM_KEY");
    memset(&s, 0, sizeof s);
    s.mode = MODE_RECORD_HEADERS;
    srv = replay_start(handler, &s);
    assert_int_equal(llm_chat_send(replay_base_url(srv), "BB_TEST_LLM_KEY", &req, &p, &r), BB_OK);
    replay_stop(srv);
    assert_int_equal(s.auth_seen, 0);
    llm_response_destroy(r);
}

static void test_bad_header_rejected(void **state)
{
    static const char *const bad[] = {"X-Evil: a\r\nInjected: b"};
    llm_client *c = NULL;
    llm_request req = simple_request(0);
    int ep;

    (void)state;
    req.headers = bad;
    req.n_headers = 1;
    assert_int_equal(llm_client_new(NULL, &c), BB_OK);
    assert_int_equal(llm_client_add_endpoint(c, "http://127.0.0.1:9", NULL, 0, &ep), BB_OK);
    assert_int_equal(llm_client_submit(c, ep, &req, count_done, NULL), BB_ERR_USAGE);
    assert_int_equal(llm_client_pending(c), 0);
    llm_client_free(c);
}

/* ---- URL rule and backoff -------------------------------------------------------------- */

static void test_endpoint_urls(void **state)
{
    static const char *const cases[][2] = {
        {"http://127.0.0.1:8080", "http://127.0.0.1:8080/v1/chat/completions"},
        {"http://127.0.0.1:8080/", "http://127.0.0.1:8080/v1/chat/completions"},
        {"http://127.0.0.1:8080/v1", "http://127.0.0.1:8080/v1/chat/completions"},
        {"http://127.0.0.1:8080/v1/", "http://127.0.0.1:8080/v1/chat/completions"},
        {"https://openrouter.ai/api/v1", "https://openrouter.ai/api/v1/chat/completions"},
        {"https://api.groq.com/openai/v1", "https://api.groq.com/openai/v1/chat/completions"},
        {"https://x.googleapis.com/v1beta/openai", "https://x.googleapis.com/v1beta/openai/chat/completions"},
        {"http://h/v1/chat/completions", "http://h/v1/chat/completions"},
        {"http://localhost:11434/api/chat", "http://localhost:11434/api/chat"},
    };
    llm_client *c = NULL;
    int ep;
    size_t i;

    (void)state;
    assert_int_equal(llm_client_new(NULL, &c), BB_OK);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(llm_client_add_endpoint(c, cases[i][0], NULL, 0, &ep), BB_OK);
        assert_string_equal(llm_client_endpoint_url(c, ep), cases[i][1]);
    }
    assert_int_equal(llm_client_add_endpoint(c, "127.0.0.1:8080", NULL, 0, &ep), BB_ERR_USAGE);
    assert_int_equal(llm_client_add_endpoint(c, "http://a b", NULL, 0, &ep), BB_ERR_USAGE);
    llm_client_free(c);
}

static void test_backoff_schedule(void **state)
{
    llm_client_params p = llm_client_default_params();
    unsigned rng = 12345;
    long d, full;
    int attempt, k;

    (void)state;
    p.backoff_base_ms = 100;
    p.backoff_max_ms = 1000;
    for (attempt = 1; attempt <= 8; attempt++) {
        full = 100L << (attempt - 1);
        if (full > 1000)
            full = 1000;
        for (k = 0; k < 50; k++) {
            d = llm_client_backoff_ms(&p, attempt, 0, &rng);
            assert_in_range(d, full / 2, full);
        }
    }
    assert_true(llm_client_backoff_ms(&p, 1, 700, &rng) >= 700);
    assert_int_equal(llm_client_backoff_ms(&p, 1, 1001, &rng), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_endpoint_urls),
        cmocka_unit_test(test_backoff_schedule),
        cmocka_unit_test(test_bad_header_rejected),
        cmocka_unit_test(test_concurrency_limits),
        cmocka_unit_test(test_submit_from_callback),
        cmocka_unit_test(test_retry_after_seconds),
        cmocka_unit_test(test_retry_after_http_date),
        cmocka_unit_test(test_retry_after_too_long_gives_up),
        cmocka_unit_test(test_500_then_success),
        cmocka_unit_test(test_5xx_exhausted),
        cmocka_unit_test(test_400_kept_for_caller),
        cmocka_unit_test(test_connection_refused),
        cmocka_unit_test(test_stall_timeout),
        cmocka_unit_test(test_stall_retried_when_asked),
        cmocka_unit_test(test_slow_start_is_not_a_stall),
        cmocka_unit_test(test_cut_stream_is_truncated),
        cmocka_unit_test(test_no_finish_reason_is_truncated),
        cmocka_unit_test(test_oversized_garbage),
        cmocka_unit_test(test_oversized_event),
        cmocka_unit_test(test_api_key_only_in_header),
    };

    bb_json_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
