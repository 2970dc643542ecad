/*
 * llm_client.c — the libcurl multi engine behind llm_client.h: endpoints,
 * the FIFO queue with global and per-endpoint limits, one easy handle per
 * attempt, streaming decode as bytes arrive, classification of every failure,
 * and retries with backoff, jitter and Retry-After.
 *
 * Life of a request: submit renders the body and queues an xfer; run starts
 * queued xfers whose retry time has come while slots are free; the write
 * callback keeps the raw body (capped) and feeds the stream decoder; at the
 * end of an attempt `attempt_done` classifies it and either re-queues the
 * xfer with a delay or finishes it (callback, xfer freed).
 */
#include "llm_client.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "llm/llm_stream.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/log.h"

typedef struct llm_endpoint {
    char *url;
    char *api_key_env;
    int max_concurrent;
    int active;
} llm_endpoint;

typedef enum xfer_mode { MODE_UNDECIDED = 0, MODE_BODY, MODE_STREAM } xfer_mode;

typedef struct llm_xfer {
    struct llm_client *client;
    struct llm_xfer *next;      /* queue link */
    struct llm_xfer *run_prev;  /* in-flight list links */
    struct llm_xfer *run_next;
    int endpoint;
    char *body;
    size_t body_len;
    char **headers;
    size_t n_headers;
    int stream_req;
    llm_done_fn done;
    void *user;

    int attempts;
    double not_before;          /* ms, monotonic: earliest start of the next attempt */
    double first_start;         /* ms: start of the first attempt */
    double attempt_start;
    double first_byte;          /* ms since attempt start; < 0 until a byte arrives */
    double last_activity;
    long long bytes;

    CURL *easy;
    struct curl_slist *hdrs;
    char errbuf[CURL_ERROR_SIZE];
    llm_response *resp;         /* of the current attempt */
    bb_buf raw;
    llm_stream stream;
    xfer_mode mode;
    int too_large;
    int stalled;
    int nomem;
} llm_xfer;

struct llm_client {
    llm_client_params p;
    CURLM *multi;
    llm_endpoint endpoints[LLM_MAX_ENDPOINTS];
    int n_endpoints;
    llm_xfer *queue;            /* waiting (new or retry), FIFO */
    llm_xfer *queue_tail;
    llm_xfer *running;          /* in flight (have an easy handle in the multi) */
    size_t active;
    size_t pending;
    unsigned rng;
};

/* ---- time and parameters ---------------------------------------------------------- */

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

llm_client_params llm_client_default_params(void)
{
    llm_client_params p;

    memset(&p, 0, sizeof p);
    p.max_concurrent = 16;
    p.max_concurrent_per_endpoint = 4;
    p.connect_timeout_ms = 10000;
    p.total_timeout_ms = 600000;
    p.stall_timeout_ms = 120000;
    p.max_retries = 4;
    p.backoff_base_ms = 1000;
    p.backoff_max_ms = 60000;
    p.retry_broken = 1;
    p.max_response_bytes = (size_t)8 * 1024 * 1024;
    p.rng_seed = 0;
    return p;
}

static unsigned rng_next(unsigned *s)
{
    /* xorshift32; jitter only, not security */
    unsigned x = *s ? *s : 2463534242u;

    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *s = x;
    return x;
}

long llm_client_backoff_ms(const llm_client_params *p, int attempt, long retry_after_ms,
                           unsigned *rng)
{
    long d = p->backoff_base_ms > 0 ? p->backoff_base_ms : 1;
    long half;
    int i;

    if (retry_after_ms > p->backoff_max_ms)
        return -1;
    for (i = 1; i < attempt && d < p->backoff_max_ms; i++)
        d *= 2;
    if (d > p->backoff_max_ms)
        d = p->backoff_max_ms;
    half = d / 2;
    d = half + (long)(rng_next(rng) % (unsigned)(d - half + 1));
    if (d < retry_after_ms)
        d = retry_after_ms;
    return d;
}

/* ---- client and endpoints ---------------------------------------------------------- */

bb_result llm_client_new(const llm_client_params *params, llm_client **out)
{
    llm_client *c;

    *out = NULL;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return BB_ERR_INTERNAL;
    c = bb_calloc(1, sizeof *c);
    if (!c) {
        curl_global_cleanup();
        return BB_ERR_NOMEM;
    }
    c->p = params ? *params : llm_client_default_params();
    if (c->p.max_concurrent < 1)
        c->p.max_concurrent = 1;
    if (c->p.max_concurrent_per_endpoint < 1)
        c->p.max_concurrent_per_endpoint = 1;
    if (c->p.max_retries < 0)
        c->p.max_retries = 0;
    c->rng = c->p.rng_seed ? c->p.rng_seed : (unsigned)now_ms() ^ 0x9e3779b9u;
    c->multi = curl_multi_init();
    if (!c->multi) {
        bb_free(c);
        curl_global_cleanup();
        return BB_ERR_NOMEM;
    }
    *out = c;
    return BB_OK;
}

/* Builds the full URL from a base (see the rule in llm_client.h). */
static bb_result endpoint_url(const char *base, char **out /* OUT */)
{
    bb_buf b;
    const char *scheme = strstr(base, "://"), *path;
    size_t n = strlen(base);
    bb_result rc;

    *out = NULL;
    if (!scheme || n == 0 || n > LLM_MAX_URL_BYTES - 32 || strpbrk(base, " \r\n\t"))
        return BB_ERR_USAGE;
    while (n > 0 && base[n - 1] == '/')
        n--;
    path = strchr(scheme + 3, '/');
    bb_buf_init(&b, LLM_MAX_URL_BYTES);
    rc = bb_buf_append(&b, base, n);
    if (rc == BB_OK) {
        if (!path || (size_t)(path - base) >= n)
            rc = bb_buf_puts(&b, "/v1/chat/completions");
        else if (!(n >= 17 && memcmp(base + n - 17, "/chat/completions", 17) == 0) &&
                 !(n >= 9 && memcmp(base + n - 9, "/api/chat", 9) == 0))
            rc = bb_buf_puts(&b, "/chat/completions");
    }
    if (rc == BB_OK) {
        *out = bb_buf_take(&b);
        if (!*out)
            rc = BB_ERR_NOMEM;
    }
    bb_buf_free(&b);
    return rc;
}

bb_result llm_client_add_endpoint(llm_client *c, const char *base_url, const char *api_key_env,
                                  int max_concurrent, int *endpoint)
{
    llm_endpoint *ep;
    bb_result rc;

    *endpoint = -1;
    if (!base_url)
        return BB_ERR_USAGE;
    if (c->n_endpoints >= LLM_MAX_ENDPOINTS)
        return BB_ERR_LIMIT;
    ep = &c->endpoints[c->n_endpoints];
    memset(ep, 0, sizeof *ep);
    rc = endpoint_url(base_url, &ep->url);
    if (rc != BB_OK)
        return rc;
    if (api_key_env && *api_key_env) {
        ep->api_key_env = bb_strdup(api_key_env);
        if (!ep->api_key_env) {
            bb_free(ep->url);
            ep->url = NULL;
            return BB_ERR_NOMEM;
        }
    }
    ep->max_concurrent = max_concurrent > 0 ? max_concurrent : c->p.max_concurrent_per_endpoint;
    *endpoint = c->n_endpoints++;
    return BB_OK;
}

const char *llm_client_endpoint_url(const llm_client *c, int endpoint)
{
    if (endpoint < 0 || endpoint >= c->n_endpoints)
        return NULL;
    return c->endpoints[endpoint].url;
}

size_t llm_client_pending(const llm_client *c)
{
    return c->pending;
}

/* ---- transfers ------------------------------------------------------------------------ */

static void running_unlink(llm_client *c, llm_xfer *x)
{
    if (x->run_prev)
        x->run_prev->run_next = x->run_next;
    else if (c->running == x)
        c->running = x->run_next;
    if (x->run_next)
        x->run_next->run_prev = x->run_prev;
    x->run_prev = x->run_next = NULL;
}

static void attempt_cleanup(llm_xfer *x)
{
    running_unlink(x->client, x);
    if (x->easy) {
        curl_multi_remove_handle(x->client->multi, x->easy);
        curl_easy_cleanup(x->easy);
        x->easy = NULL;
    }
    curl_slist_free_all(x->hdrs);
    x->hdrs = NULL;
    llm_stream_free(&x->stream);
    memset(&x->stream, 0, sizeof x->stream);
    bb_buf_free(&x->raw);
}

static void xfer_free(llm_xfer *x)
{
    size_t i;

    if (!x)
        return;
    attempt_cleanup(x);
    llm_response_destroy(x->resp);
    for (i = 0; i < x->n_headers; i++)
        bb_free(x->headers[i]);
    bb_free(x->headers);
    bb_free(x->body);
    bb_free(x);
}

void llm_client_free(llm_client *c)
{
    llm_xfer *x, *next;
    int i;

    if (!c)
        return;
    for (x = c->queue; x; x = next) {
        next = x->next;
        xfer_free(x);
    }
    for (x = c->running; x; x = next) {
        next = x->run_next;
        xfer_free(x);
    }
    if (c->multi)
        curl_multi_cleanup(c->multi);
    for (i = 0; i < c->n_endpoints; i++) {
        bb_free(c->endpoints[i].url);
        bb_free(c->endpoints[i].api_key_env);
    }
    bb_free(c);
    curl_global_cleanup();
}

static void queue_push(llm_client *c, llm_xfer *x)
{
    x->next = NULL;
    if (c->queue_tail)
        c->queue_tail->next = x;
    else
        c->queue = x;
    c->queue_tail = x;
}

bb_result llm_client_submit(llm_client *c, int endpoint, const llm_request *req,
                            llm_done_fn done, void *user)
{
    llm_xfer *x;
    bb_buf body;
    bb_result rc;
    size_t i;
    char why[200];

    if (endpoint < 0 || endpoint >= c->n_endpoints || !done)
        return BB_ERR_USAGE;
    x = bb_calloc(1, sizeof *x);
    if (!x)
        return BB_ERR_NOMEM;
    x->client = c;
    x->endpoint = endpoint;
    x->done = done;
    x->user = user;
    x->stream_req = req->stream;
    bb_buf_init(&body, LLM_MAX_REQUEST_BYTES);
    why[0] = '\0';
    rc = llm_request_to_json(req, &body, why, sizeof why);
    if (rc != BB_OK) {
        BB_WARN("llm: request refused: %s", why);
        goto out;
    }
    x->body_len = body.len;
    x->body = bb_buf_take(&body);
    rc = BB_ERR_NOMEM;
    if (!x->body)
        goto out;
    if (req->n_headers > 0) {
        x->headers = bb_calloc(req->n_headers, sizeof *x->headers);
        if (!x->headers)
            goto out;
        for (i = 0; i < req->n_headers; i++) {
            x->headers[i] = bb_strdup(req->headers[i]);
            if (!x->headers[i])
                goto out;
            x->n_headers++;
        }
    }
    x->not_before = 0;
    queue_push(c, x);
    c->pending++;
    x = NULL;
    rc = BB_OK;
out:
    bb_buf_free(&body);
    xfer_free(x);
    return rc;
}

/* ---- curl callbacks ------------------------------------------------------------------ */

static void decide_mode(llm_xfer *x)
{
    char *ct = NULL;
    long status = 0;

    curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ct);
    x->mode = MODE_BODY;
    if (status < 200 || status > 299)
        return;
    if (ct && (strstr(ct, "event-stream") || strstr(ct, "ndjson")))
        x->mode = MODE_STREAM;
    else if (!ct || !strstr(ct, "json"))
        x->mode = x->stream_req ? MODE_STREAM : MODE_BODY;
    if (x->mode == MODE_STREAM)
        llm_stream_init(&x->stream, x->resp, x->client->p.max_response_bytes);
}

/* Any response byte (status line, header or body) ends the wait for the
 * server and restarts the stall timer. */
static void saw_bytes(llm_xfer *x)
{
    double t = now_ms();

    if (x->first_byte < 0)
        x->first_byte = t - x->attempt_start;
    x->last_activity = t;
}

static size_t on_header(char *ptr, size_t size, size_t nmemb, void *ud)
{
    (void)ptr;
    saw_bytes(ud);
    return size * nmemb;
}

static size_t on_write(char *ptr, size_t size, size_t nmemb, void *ud)
{
    llm_xfer *x = ud;
    size_t n = size * nmemb;
    bb_result rc;

    saw_bytes(x);
    if (x->mode == MODE_UNDECIDED)
        decide_mode(x);
    x->bytes += (long long)n;
    if ((unsigned long long)x->bytes > (unsigned long long)x->client->p.max_response_bytes) {
        x->too_large = 1;
        return 0;
    }
    rc = bb_buf_append(&x->raw, ptr, n);
    if (rc == BB_OK && x->mode == MODE_STREAM)
        rc = llm_stream_feed(&x->stream, ptr, n);
    if (rc != BB_OK) {
        x->nomem = rc == BB_ERR_NOMEM;
        x->too_large = rc == BB_ERR_LIMIT;
        return 0;
    }
    return n;
}

static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    llm_xfer *x = ud;
    double t = now_ms();

    (void)dltotal;
    (void)ultotal;
    (void)ulnow;
    (void)dlnow;
    /* before the first byte the server may be busy with a long prompt: only
     * connect_timeout_ms and total_timeout_ms apply there */
    if (x->first_byte >= 0 && x->client->p.stall_timeout_ms > 0 &&
        t - x->last_activity > (double)x->client->p.stall_timeout_ms) {
        x->stalled = 1;
        return 1;
    }
    return 0;
}

/* ---- starting an attempt ------------------------------------------------------------------ */

/* Adds "Authorization: Bearer <key>" from the endpoint's variable; the local
 * copy is wiped at once (curl keeps its own until the handle is freed). */
static bb_result add_auth_header(llm_xfer *x, const llm_endpoint *ep)
{
    const char *key;
    char *line;
    size_t n;
    struct curl_slist *l;

    if (!ep->api_key_env)
        return BB_OK;
    key = getenv(ep->api_key_env);
    if (!key || !*key)
        return BB_OK;
    n = strlen(key);
    if (n > 4096 || strpbrk(key, "\r\n"))
        return BB_ERR_USAGE;
    line = bb_malloc(n + 32);
    if (!line)
        return BB_ERR_NOMEM;
    memcpy(line, "Authorization: Bearer ", 22);
    memcpy(line + 22, key, n + 1);
    l = curl_slist_append(x->hdrs, line);
    memset(line, 0, n + 22);
    bb_free(line);
    if (!l)
        return BB_ERR_NOMEM;
    x->hdrs = l;
    return BB_OK;
}

static bb_result append_header(llm_xfer *x, const char *h)
{
    struct curl_slist *l = curl_slist_append(x->hdrs, h);

    if (!l)
        return BB_ERR_NOMEM;
    x->hdrs = l;
    return BB_OK;
}

static bb_result attempt_start(llm_client *c, llm_xfer *x)
{
    llm_endpoint *ep = &c->endpoints[x->endpoint];
    const llm_client_params *p = &c->p;
    bb_result rc = BB_ERR_NOMEM;
    size_t i;

    x->resp = bb_calloc(1, sizeof *x->resp);
    if (!x->resp)
        return BB_ERR_NOMEM;
    llm_response_init(x->resp);
    bb_buf_init(&x->raw, p->max_response_bytes);
    x->mode = MODE_UNDECIDED;
    x->too_large = x->stalled = x->nomem = 0;
    x->bytes = 0;
    x->first_byte = -1;
    x->errbuf[0] = '\0';
    x->attempt_start = now_ms();
    x->last_activity = x->attempt_start;
    if (x->attempts == 0)
        x->first_start = x->attempt_start;
    x->attempts++;
    x->easy = curl_easy_init();
    if (!x->easy)
        return BB_ERR_NOMEM;
    rc = append_header(x, "Content-Type: application/json");
    if (rc == BB_OK)
        rc = append_header(x, "Expect:");
    if (rc == BB_OK)
        rc = append_header(x, x->stream_req ? "Accept: text/event-stream, application/json"
                                            : "Accept: application/json");
    for (i = 0; rc == BB_OK && i < x->n_headers; i++)
        rc = append_header(x, x->headers[i]);
    if (rc == BB_OK)
        rc = add_auth_header(x, ep);
    if (rc != BB_OK)
        return rc;
    curl_easy_setopt(x->easy, CURLOPT_URL, ep->url);
    curl_easy_setopt(x->easy, CURLOPT_POST, 1L);
    curl_easy_setopt(x->easy, CURLOPT_POSTFIELDS, x->body);
    curl_easy_setopt(x->easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)x->body_len);
    curl_easy_setopt(x->easy, CURLOPT_HTTPHEADER, x->hdrs);
    curl_easy_setopt(x->easy, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(x->easy, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(x->easy, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(x->easy, CURLOPT_HEADERDATA, x);
    curl_easy_setopt(x->easy, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(x->easy, CURLOPT_XFERINFODATA, x);
    curl_easy_setopt(x->easy, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(x->easy, CURLOPT_PRIVATE, (char *)x);
    curl_easy_setopt(x->easy, CURLOPT_ERRORBUFFER, x->errbuf);
    curl_easy_setopt(x->easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(x->easy, CURLOPT_CONNECTTIMEOUT_MS, p->connect_timeout_ms);
    curl_easy_setopt(x->easy, CURLOPT_TIMEOUT_MS, p->total_timeout_ms);
    curl_easy_setopt(x->easy, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(x->easy, CURLOPT_USERAGENT, "backbench/" BB_GIT_REV);
    if (curl_multi_add_handle(c->multi, x->easy) != CURLM_OK)
        return BB_ERR_INTERNAL;
    x->run_next = c->running;
    if (c->running)
        c->running->run_prev = x;
    c->running = x;
    ep->active++;
    c->active++;
    return BB_OK;
}

/* ---- finishing an attempt -------------------------------------------------------------- */

/* Final: hand the response to the callback and free the xfer. */
static void xfer_finish(llm_client *c, llm_xfer *x)
{
    llm_response *r = x->resp;
    double t = now_ms();

    r->attempts = x->attempts;
    r->usage.ttfb_ms = x->first_byte >= 0 ? x->first_byte : -1.0;
    r->usage.total_ms = x->first_start > 0 ? t - x->first_start : 0;
    r->usage.bytes_received = x->bytes;
    r->request_body = x->body;
    x->body = NULL;
    r->response_len = x->raw.len;
    r->response_body = bb_buf_take(&x->raw);
    x->resp = NULL;
    c->pending--;
    x->done(x->user, r);
    xfer_free(x);
}

static void set_outcome(llm_response *r, llm_outcome o, bb_result rc, const char *what,
                        const char *detail)
{
    r->outcome = o;
    r->rc = rc;
    snprintf(r->error, sizeof r->error, "%.60s%.190s", what, detail ? detail : "");
}

static void keep_error_body(llm_xfer *x)
{
    size_t n = x->raw.len < LLM_MAX_ERROR_BODY ? x->raw.len : LLM_MAX_ERROR_BODY;

    bb_free(x->resp->error_body);
    x->resp->error_body = bb_strndup(bb_buf_str(&x->raw), n);
}

/* RETRY_INFRA: always retried; RETRY_BROKEN (timeouts, truncated, oversized or
 * undecodable answers): retried when params.retry_broken is set. */
typedef enum retry_kind { RETRY_NO = 0, RETRY_INFRA, RETRY_BROKEN } retry_kind;

/* Classifies a finished attempt; returns what kind of retry it deserves. */
static retry_kind classify(llm_xfer *x, CURLcode cc, long status)
{
    llm_response *r = x->resp;
    bb_result rc;
    char msg[64];

    r->http_status = status;
    if (x->nomem) {
        set_outcome(r, LLM_OUTCOME_INTERNAL, BB_ERR_NOMEM, "out of memory receiving the response", NULL);
        return RETRY_NO;
    }
    if (x->too_large) {
        set_outcome(r, LLM_OUTCOME_TOO_LARGE, BB_ERR_LIMIT, "response exceeds max_response_bytes",
                    NULL);
        return RETRY_BROKEN;
    }
    if (x->stalled) {
        set_outcome(r, LLM_OUTCOME_TIMEOUT, BB_ERR_TIMEOUT,
                    "stall timeout: no byte received within stall_timeout_ms", NULL);
        return RETRY_BROKEN;
    }
    if (cc == CURLE_OPERATION_TIMEDOUT) {
        set_outcome(r, LLM_OUTCOME_TIMEOUT, BB_ERR_TIMEOUT, "timeout: ",
                    x->errbuf[0] ? x->errbuf : curl_easy_strerror(cc));
        return RETRY_BROKEN;
    }
    if (cc != CURLE_OK && status >= 200 && status <= 299 &&
        (cc == CURLE_PARTIAL_FILE || cc == CURLE_RECV_ERROR)) {
        /* the answer began and was cut: keep what a stream delivered */
        if (x->mode == MODE_STREAM)
            llm_stream_finish(&x->stream);
        if (r->outcome == LLM_OUTCOME_OK || r->outcome == LLM_OUTCOME_TRUNCATED_STREAM) {
            set_outcome(r, LLM_OUTCOME_TRUNCATED_STREAM, BB_ERR_TRUNCATED,
                        "response cut by the connection: ", curl_easy_strerror(cc));
            return RETRY_BROKEN;
        }
        return RETRY_NO;
    }
    if (cc != CURLE_OK) {
        set_outcome(r, LLM_OUTCOME_INFRA_RETRY_EXHAUSTED, BB_ERR_IO, "connection failed: ",
                    x->errbuf[0] ? x->errbuf : curl_easy_strerror(cc));
        return RETRY_INFRA;
    }
    if (status == 408 || status == 429 || (status >= 500 && status <= 599)) {
        snprintf(msg, sizeof msg, "HTTP %ld", status);
        set_outcome(r, LLM_OUTCOME_INFRA_RETRY_EXHAUSTED, BB_ERR_HTTP, msg, NULL);
        keep_error_body(x);
        return RETRY_INFRA;
    }
    if (status < 200 || status > 299) {
        snprintf(msg, sizeof msg, "HTTP %ld", status);
        set_outcome(r, status >= 400 && status <= 499 ? LLM_OUTCOME_HTTP_ERROR_CLIENT
                                                     : LLM_OUTCOME_PROTOCOL_ERROR,
                    BB_ERR_HTTP, msg, NULL);
        keep_error_body(x);
        return RETRY_NO;
    }
    if (x->mode == MODE_UNDECIDED)
        decide_mode(x); /* empty body */
    if (x->mode == MODE_STREAM)
        rc = llm_stream_finish(&x->stream);
    else
        rc = llm_response_parse_body(r, bb_buf_str(&x->raw), x->raw.len);
    if (rc != BB_OK) {
        set_outcome(r, LLM_OUTCOME_INTERNAL, rc, "decoding the response: ", bb_strerror(rc));
        return RETRY_NO;
    }
    if (r->outcome == LLM_OUTCOME_TRUNCATED_STREAM || r->outcome == LLM_OUTCOME_PROTOCOL_ERROR ||
        r->outcome == LLM_OUTCOME_TOO_LARGE)
        return RETRY_BROKEN;
    return RETRY_NO;
}

static void attempt_done(llm_client *c, llm_xfer *x, CURLcode cc)
{
    long status = 0;
    curl_off_t retry_after = 0;
    retry_kind kind;
    long delay;
    int may_retry;

    curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(x->easy, CURLINFO_RETRY_AFTER, &retry_after);
    kind = classify(x, cc, status);
    c->endpoints[x->endpoint].active--;
    c->active--;
    may_retry = kind == RETRY_INFRA || (c->p.retry_broken && kind == RETRY_BROKEN);
    if (may_retry && x->attempts <= c->p.max_retries) {
        if (retry_after > (curl_off_t)(c->p.backoff_max_ms / 1000 + 1))
            delay = -1;
        else
            delay = llm_client_backoff_ms(&c->p, x->attempts, (long)retry_after * 1000, &c->rng);
        if (delay >= 0) {
            attempt_cleanup(x);
            llm_response_destroy(x->resp);
            x->resp = NULL;
            x->not_before = now_ms() + (double)delay;
            queue_push(c, x);
            return;
        }
        snprintf(x->resp->error, sizeof x->resp->error, "%s; Retry-After %lds exceeds backoff_max_ms",
                 "server asked to wait too long", (long)retry_after);
    }
    if (x->mode == MODE_STREAM)
        x->resp->streamed = 1;
    xfer_finish(c, x); /* takes the raw body, then frees the handle */
}

/* Fails an xfer that could not even start an attempt. */
static void start_failed(llm_client *c, llm_xfer *x, bb_result rc)
{
    if (!x->resp) {
        x->resp = bb_calloc(1, sizeof *x->resp);
        if (!x->resp) {
            /* nothing to report with: drop it (out of memory) */
            c->pending--;
            xfer_free(x);
            return;
        }
        llm_response_init(x->resp);
    }
    set_outcome(x->resp, rc == BB_ERR_USAGE ? LLM_OUTCOME_PROTOCOL_ERROR : LLM_OUTCOME_INTERNAL, rc,
                "could not start the request: ", bb_strerror(rc));
    if (x->easy) {
        curl_easy_cleanup(x->easy);
        x->easy = NULL;
    }
    xfer_finish(c, x);
}

/* Starts queued xfers whose time has come while slots are free; returns the
 * earliest not_before among those still waiting for time (or -1). */
static double start_ready(llm_client *c)
{
    llm_xfer *x, *prev = NULL, *next;
    double t = now_ms(), earliest = -1;
    bb_result rc;

    for (x = c->queue; x; x = next) {
        llm_endpoint *ep = &c->endpoints[x->endpoint];
        next = x->next;
        if ((int)c->active >= c->p.max_concurrent)
            break;
        if (x->not_before > t) {
            if (earliest < 0 || x->not_before < earliest)
                earliest = x->not_before;
            prev = x;
            continue;
        }
        if (ep->active >= ep->max_concurrent) {
            prev = x;
            continue;
        }
        /* unlink */
        if (prev)
            prev->next = next;
        else
            c->queue = next;
        if (c->queue_tail == x)
            c->queue_tail = prev;
        x->next = NULL;
        rc = attempt_start(c, x);
        if (rc != BB_OK)
            start_failed(c, x, rc);
    }
    return earliest;
}

static void collect_done(llm_client *c)
{
    CURLMsg *m;
    int left;
    llm_xfer *x;

    for (;;) {
        m = curl_multi_info_read(c->multi, &left);
        if (!m)
            break;
        if (m->msg != CURLMSG_DONE)
            continue;
        x = NULL;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
        if (x)
            attempt_done(c, x, m->data.result);
    }
}

bb_result llm_client_run(llm_client *c, long timeout_ms)
{
    double start = now_ms(), t, earliest;
    long wait, curl_wait;
    int running = 0;

    while (c->pending > 0) {
        start_ready(c);
        if (curl_multi_perform(c->multi, &running) != CURLM_OK)
            return BB_ERR_INTERNAL;
        collect_done(c);
        if (c->pending == 0)
            break;
        t = now_ms();
        if (timeout_ms >= 0 && t - start >= (double)timeout_ms)
            break;
        /* how long to sleep: until curl wants us, a retry is due, or the deadline */
        wait = 1000;
        /* wake often enough for the stall check (curl calls the progress
         * callback of every transfer on each perform) */
        if (c->active > 0 && c->p.stall_timeout_ms > 0 && c->p.stall_timeout_ms / 4 < wait)
            wait = c->p.stall_timeout_ms / 4 > 10 ? c->p.stall_timeout_ms / 4 : 10;
        if (curl_multi_timeout(c->multi, &curl_wait) == CURLM_OK && curl_wait >= 0 && curl_wait < wait)
            wait = curl_wait;
        earliest = start_ready(c); /* slots freed by finished transfers */
        if (earliest >= 0 && earliest - t < (double)wait)
            wait = earliest - t > 0 ? (long)(earliest - t) + 1 : 0;
        if (timeout_ms >= 0 && (double)timeout_ms - (t - start) < (double)wait)
            wait = (long)((double)timeout_ms - (t - start)) + 1;
        if (c->active > 0 || wait > 0) {
            if (curl_multi_poll(c->multi, NULL, 0, (int)wait, NULL) != CURLM_OK)
                return BB_ERR_INTERNAL;
        }
    }
    return BB_OK;
}

/* ---- blocking convenience ----------------------------------------------------------------- */

static void store_response(void *user, llm_response *resp)
{
    llm_response **slot = user;

    *slot = resp;
}

bb_result llm_chat_send(const char *base_url, const char *api_key_env, const llm_request *req,
                        const llm_client_params *params, llm_response **out)
{
    llm_client *c = NULL;
    int ep;
    bb_result rc;

    *out = NULL;
    rc = llm_client_new(params, &c);
    if (rc != BB_OK)
        return rc;
    rc = llm_client_add_endpoint(c, base_url, api_key_env, 1, &ep);
    if (rc == BB_OK)
        rc = llm_client_submit(c, ep, req, store_response, out);
    if (rc == BB_OK)
        rc = llm_client_run(c, -1);
    if (rc == BB_OK && !*out)
        rc = BB_ERR_NOMEM;
    llm_client_free(c);
    return rc;
}
