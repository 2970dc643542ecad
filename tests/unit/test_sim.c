/*
 * test_sim.c — the simulator over real loopback sockets (libcurl easy):
 * routes, every profile, streamed and not, and every fault.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <cmocka.h>
#include <curl/curl.h>
#include <jansson.h>

#include "json/json_util.h"
#include "schema/schema_error.h"
#include "sim/sim_server.h"
#include "util/alloc.h"
#include "util/buf.h"

static const char *const answer =
    "{\"files\":[{\"filename\":\"a.prisma\",\"namespace\":\"A\",\"models\":[{\"name\":\"todo_users\","
    "\"stance\":\"primary\",\"material\":false,\"fields\":[{\"name\":\"email\",\"nullable\":false}]},"
    "{\"name\":\"todo_items\",\"stance\":\"subsidiary\",\"material\":true,\"fields\":[]}]}],"
    "\"meta\":{\"size\":2}}";

typedef struct http_result {
    long status;
    double last_byte;   /* seconds, monotonic */
    long stall_secs;    /* abort when no byte came for this long (0: never) */
    CURLcode code;
    bb_buf body;
    char retry_after[32];
} http_result;

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A stall detector: libcurl's low-speed limit averages over several seconds
 * and misses a silence that follows a burst, so time the last byte. */
static int on_progress(void *ud, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    http_result *r = ud;

    (void)dt;
    (void)dn;
    (void)ut;
    (void)un;
    return r->stall_secs > 0 && now_s() - r->last_byte > (double)r->stall_secs;
}

static size_t on_body(char *p, size_t sz, size_t n, void *ud)
{
    http_result *r = ud;

    r->last_byte = now_s();
    return bb_buf_append(&r->body, p, sz * n) == BB_OK ? sz * n : 0;
}

static size_t on_header(char *p, size_t sz, size_t n, void *ud)
{
    http_result *r = ud;
    size_t len = sz * n;

    if (len > 13 && strncasecmp(p, "Retry-After: ", 13) == 0)
        snprintf(r->retry_after, sizeof r->retry_after, "%.*s", (int)(len - 13 > 20 ? 20 : len - 15), p + 13);
    return len;
}

static void http(int port, const char *method, const char *path, const char *body, const char *task,
                 const char *fault, long low_speed_secs, http_result *r)
{
    CURL *c = curl_easy_init();
    struct curl_slist *h = NULL;
    char url[256], line[256];

    memset(r, 0, sizeof *r);
    bb_buf_init(&r->body, (size_t)64 * 1024 * 1024);
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (body)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    h = curl_slist_append(h, "Content-Type: application/json");
    if (task) {
        snprintf(line, sizeof line, "X-Backbench-Task: %s", task);
        h = curl_slist_append(h, line);
    }
    if (fault) {
        snprintf(line, sizeof line, "X-Backbench-Fault: %s", fault);
        h = curl_slist_append(h, line);
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    r->stall_secs = low_speed_secs;
    r->last_byte = now_s();
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, r);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    r->code = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
}

/* A chat request body: model, optional stream, and `rounds` earlier
 * assistant turns each followed by the feedback text. */
static char *chat_body(const char *model, int stream, int rounds, const char *feedback)
{
    json_t *msgs = json_pack("[{ss,ss}]", "role", "user", "content", "design it");
    json_t *doc;
    char *s;
    int i;

    for (i = 0; i < rounds; i++) {
        json_array_append_new(msgs, json_pack("{ss,s[{ss,ss,s{ss,ss}}]}", "role", "assistant", "tool_calls", "id",
                                              "c1", "type", "function", "function", "name", "submit",
                                              "arguments", "{}"));
        json_array_append_new(msgs, json_pack("{ss,ss,ss}", "role", "tool", "tool_call_id", "c1", "content",
                                              feedback));
    }
    doc = json_pack("{ss,so,sb,s{sb},s[{ss,s{ss,s{}}}]}", "model", model, "messages", msgs, "stream", stream,
                    "stream_options", "include_usage", 1, "tools", "type", "function", "function", "name",
                    "submit", "parameters");
    s = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    return s;
}

/* The tool call arguments of a non-streamed reply (a copy), or NULL. */
static char *reply_args(const char *body, char **content)
{
    json_error_t e;
    json_t *d = json_loads(body, 0, &e), *msg, *call;
    char *out = NULL;

    if (!d)
        return NULL;
    msg = json_object_get(json_array_get(json_object_get(d, "choices"), 0), "message");
    call = json_array_get(json_object_get(msg, "tool_calls"), 0);
    if (content)
        *content = json_is_string(json_object_get(msg, "content"))
                       ? bb_strdup(json_string_value(json_object_get(msg, "content")))
                       : NULL;
    if (call)
        out = bb_strdup(json_string_value(json_object_get(json_object_get(call, "function"), "arguments")));
    json_decref(d);
    return out;
}

/* Joins the argument fragments of an SSE body; *done says whether [DONE] came. */
static char *stream_args(const char *body, int *done, int *has_usage)
{
    bb_buf b;
    const char *p = body;

    bb_buf_init(&b, (size_t)16 * 1024 * 1024);
    *done = 0;
    *has_usage = 0;
    while ((p = strstr(p, "data: ")) != NULL) {
        const char *end = strstr(p, "\n\n");
        json_error_t e;
        json_t *d;

        p += 6;
        if (!end)
            break;
        if (strncmp(p, "[DONE]", 6) == 0) {
            *done = 1;
            break;
        }
        d = json_loadb(p, (size_t)(end - p), 0, &e);
        if (d) {
            json_t *tc = json_array_get(
                json_object_get(json_object_get(json_array_get(json_object_get(d, "choices"), 0), "delta"),
                                "tool_calls"),
                0);
            const char *frag = json_string_value(json_object_get(json_object_get(tc, "function"), "arguments"));

            if (frag)
                assert_int_equal(bb_buf_puts(&b, frag), BB_OK);
            if (json_object_get(d, "usage"))
                *has_usage = 1;
            json_decref(d);
        }
        p = end;
    }
    return bb_buf_take(&b);
}

static int json_text_equal(const char *a, const char *b)
{
    json_error_t e;
    json_t *x = json_loads(a, JSON_DECODE_ANY, &e), *y = json_loads(b, JSON_DECODE_ANY, &e);
    int eq = x && y && json_equal(x, y);

    json_decref(x);
    json_decref(y);
    return eq;
}

static sim_server *start(sim_profile_kind profile)
{
    sim_params p = sim_default_params();
    sim_server *s = NULL;
    int i;

    p.profile = profile;
    p.stall_ms = 2500;
    p.garbage_bytes = 2 * 1000 * 1000;
    assert_int_equal(sim_server_start(&p, &s), BB_OK);
    for (i = 0; i < 40; i++) {
        char task[16];

        snprintf(task, sizeof task, "t%d", i);
        assert_int_equal(sim_server_answer(s, task, answer), BB_OK);
    }
    return s;
}

static void test_routes(void **state)
{
    sim_server *s = start(SIM_PROFILE_PERFECT);
    int port = sim_server_port(s);
    http_result r;

    (void)state;
    assert_true(port > 0);
    http(port, "GET", "/health", NULL, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(bb_buf_str(&r.body), "\"ok\""));
    bb_buf_free(&r.body);
    http(port, "GET", "/v1/models", NULL, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(bb_buf_str(&r.body), "sim-weak"));
    bb_buf_free(&r.body);
    http(port, "GET", "/nope", NULL, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 404);
    bb_buf_free(&r.body);
    http(port, "GET", "/v1/chat/completions", NULL, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 405);
    bb_buf_free(&r.body);
    http(port, "POST", "/v1/chat/completions", "{not json", "t1", NULL, 0, &r);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(bb_buf_str(&r.body), "\"error\""));
    bb_buf_free(&r.body);
    assert_true(sim_server_requests(s) >= 5);
    sim_server_stop(s);
}

static void test_perfect_plain_and_streamed(void **state)
{
    sim_server *s = start(SIM_PROFILE_BROKEN); /* the model name overrides the default */
    http_result r;
    char *body = chat_body("sim-perfect", 0, 0, NULL), *args, *content = NULL;
    int done, usage;

    (void)state;
    http(sim_server_port(s), "POST", "/v1/chat/completions", body, "t1", NULL, 0, &r);
    assert_int_equal(r.status, 200);
    args = reply_args(bb_buf_str(&r.body), &content);
    assert_non_null(args);
    assert_true(json_text_equal(args, answer));
    assert_null(content);
    assert_non_null(strstr(bb_buf_str(&r.body), "\"prompt_tokens\""));
    bb_free(args);
    bb_buf_free(&r.body);
    free(body);
    body = chat_body("sim-perfect", 1, 0, NULL);
    http(sim_server_port(s), "POST", "/v1/chat/completions", body, "t1", NULL, 0, &r);
    assert_int_equal(r.status, 200);
    args = stream_args(bb_buf_str(&r.body), &done, &usage);
    assert_true(json_text_equal(args, answer));
    assert_true(done);
    assert_true(usage);
    bb_free(args);
    bb_buf_free(&r.body);
    free(body);
    /* an unknown task: the model says it cannot help, no call */
    body = chat_body("sim-perfect", 0, 0, NULL);
    http(sim_server_port(s), "POST", "/v1/chat/completions", body, "no-such-task", NULL, 0, &r);
    args = reply_args(bb_buf_str(&r.body), &content);
    assert_null(args);
    assert_non_null(content);
    bb_free(content);
    bb_buf_free(&r.body);
    free(body);
    sim_server_stop(s);
}

static void test_broken_never_valid(void **state)
{
    sim_server *s = start(SIM_PROFILE_BROKEN);
    int round;

    (void)state;
    for (round = 0; round < 6; round++) {
        char *body = chat_body("sim-broken", 0, round, "\"path\":\"$input.files\"");
        char *args, *content = NULL;
        http_result r;
        json_error_t e;
        json_t *v;

        http(sim_server_port(s), "POST", "/v1/chat/completions", body, "t2", NULL, 0, &r);
        assert_int_equal(r.status, 200);
        args = reply_args(bb_buf_str(&r.body), &content);
        if (args) {
            v = json_loads(args, JSON_DECODE_ANY, &e);
            assert_null(v); /* never JSON */
        } else {
            assert_non_null(content);
            assert_non_null(strchr(content, '?')); /* a question instead of a call */
        }
        bb_free(args);
        bb_free(content);
        bb_buf_free(&r.body);
        free(body);
    }
    sim_server_stop(s);
}

/* Feedback naming every path of the answer: each mistake gets fixed with
 * probability SIM_WEAK_FIX_P per round. */
static void all_paths(json_t *v, const char *path, bb_buf *out)
{
    bb_buf p;
    const char *k;
    json_t *m;
    size_t i;

    bb_buf_printf(out, "{\"path\":");
    bb_buf_put_json_string(out, path, strlen(path));
    bb_buf_puts(out, "}\n");
    bb_buf_init(&p, 4096);
    if (json_is_object(v)) {
        json_object_foreach(v, k, m) {
            bb_buf_reset(&p);
            bb_buf_puts(&p, path);
            schema_path_key(&p, k);
            all_paths(m, p.data, out);
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, m) {
            bb_buf_reset(&p);
            bb_buf_puts(&p, path);
            schema_path_index(&p, i);
            all_paths(m, p.data, out);
        }
    }
    bb_buf_free(&p);
}

static void test_weak_converges_only_with_feedback(void **state)
{
    sim_server *s = start(SIM_PROFILE_PERFECT);
    json_error_t e;
    json_t *ans = json_loads(answer, 0, &e);
    bb_buf fb;
    int t, converged = 0, wrong_first = 0, total_rounds = 0;

    (void)state;
    bb_buf_init(&fb, 1 << 20);
    all_paths(ans, "$input", &fb);
    for (t = 0; t < 20; t++) {
        char task[16];
        int round, ok = 0;

        snprintf(task, sizeof task, "t%d", t);
        for (round = 0; round < 8 && !ok; round++) {
            /* rounds with useful feedback */
            char *body = chat_body("sim-weak", 0, round, fb.data), *args;
            http_result r;

            http(sim_server_port(s), "POST", "/v1/chat/completions", body, task, NULL, 0, &r);
            args = reply_args(bb_buf_str(&r.body), NULL);
            assert_non_null(args);
            ok = json_text_equal(args, answer);
            if (round == 0 && !ok)
                wrong_first++;
            total_rounds++;
            bb_free(args);
            bb_buf_free(&r.body);
            free(body);
        }
        converged += ok;
        {
            /* with feedback that names nothing, the mistakes stay */
            char *body = chat_body("sim-weak", 0, 5, "{\"path\":\"$input.nothing\"}"), *args;
            http_result r;

            http(sim_server_port(s), "POST", "/v1/chat/completions", body, task, NULL, 0, &r);
            args = reply_args(bb_buf_str(&r.body), NULL);
            assert_false(json_text_equal(args, answer));
            bb_free(args);
            bb_buf_free(&r.body);
            free(body);
        }
    }
    print_message("weak: %d/20 wrong at first, %d/20 converged, %.2f rounds on average\n", wrong_first, converged,
                  total_rounds / 20.0);
    assert_int_equal(wrong_first, 20);
    assert_true(converged >= 18);
    assert_true(total_rounds > 20);
    bb_buf_free(&fb);
    json_decref(ans);
    sim_server_stop(s);
}

static void test_sloppy_mostly_broken_form(void **state)
{
    sim_server *s = start(SIM_PROFILE_SLOPPY);
    int t, clean = 0, text = 0;

    (void)state;
    for (t = 0; t < 40; t++) {
        char task[16], *body = chat_body("sim-sloppy", 0, 0, NULL), *args, *content = NULL;
        http_result r;

        snprintf(task, sizeof task, "t%d", t);
        http(sim_server_port(s), "POST", "/v1/chat/completions", body, task, NULL, 0, &r);
        assert_int_equal(r.status, 200);
        args = reply_args(bb_buf_str(&r.body), &content);
        if (args && json_text_equal(args, answer) && strchr(args, '\n') == NULL)
            clean++;
        if (!args) {
            assert_non_null(content);
            text++;
        }
        bb_free(args);
        bb_free(content);
        bb_buf_free(&r.body);
        free(body);
    }
    print_message("sloppy: %d/40 clean, %d/40 calls written as text\n", clean, text);
    assert_true(clean > 0 && clean < 20);
    assert_true(text > 0);
    sim_server_stop(s);
}

static void test_faults(void **state)
{
    sim_server *s = start(SIM_PROFILE_PERFECT);
    int port = sim_server_port(s);
    char *plain = chat_body("sim-perfect", 0, 0, NULL), *streamed = chat_body("sim-perfect", 1, 0, NULL);
    http_result r;

    (void)state;
    http(port, "POST", "/v1/chat/completions", plain, "t1", "429", 0, &r);
    assert_int_equal(r.status, 429);
    assert_string_equal(r.retry_after, "1");
    bb_buf_free(&r.body);
    http(port, "POST", "/v1/chat/completions", plain, "t1", "500", 0, &r);
    assert_int_equal(r.status, 500);
    bb_buf_free(&r.body);
    http(port, "POST", "/v1/chat/completions", plain, "t1", "reset", 0, &r);
    assert_int_not_equal(r.code, CURLE_OK);
    assert_int_equal(r.body.len, 0);
    bb_buf_free(&r.body);
    http(port, "POST", "/v1/chat/completions", plain, "t1", "garbage", 0, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.body.len, 2 * 1000 * 1000);
    bb_buf_free(&r.body);
    http(port, "POST", "/v1/chat/completions", streamed, "t1", "truncate", 0, &r);
    assert_int_not_equal(r.code, CURLE_OK);
    assert_null(strstr(bb_buf_str(&r.body), "[DONE]"));
    assert_true(r.body.len > 0);
    bb_buf_free(&r.body);
    http(port, "POST", "/v1/chat/completions", plain, "t1", "truncate", 0, &r);
    assert_int_not_equal(r.code, CURLE_OK);
    bb_buf_free(&r.body);
    /* stall: the client's stall timeout (1 s) fires before the 2.5 s silence ends */
    http(port, "POST", "/v1/chat/completions", streamed, "t1", "stall", 1, &r);
    print_message("stall: curl code %d, %zu bytes\n", (int)r.code, r.body.len);
    assert_int_equal(r.code, CURLE_ABORTED_BY_CALLBACK);
    bb_buf_free(&r.body);
    /* without a stall timeout the stalled answer completes */
    http(port, "POST", "/v1/chat/completions", streamed, "t1", "stall", 0, &r);
    assert_int_equal(r.code, CURLE_OK);
    assert_non_null(strstr(bb_buf_str(&r.body), "[DONE]"));
    bb_buf_free(&r.body);
    free(plain);
    free(streamed);
    sim_server_stop(s);
}

static void test_faulty_profile_recovers_on_retry(void **state)
{
    sim_server *s = start(SIM_PROFILE_FAULTY);
    int t, faults = 0, recovered = 0;

    (void)state;
    for (t = 0; t < 20; t++) {
        char task[16], *body = chat_body("sim-faulty", 0, 0, NULL);
        int attempt, ok = 0;

        snprintf(task, sizeof task, "t%d", t);
        for (attempt = 0; attempt < 4 && !ok; attempt++) {
            http_result r;
            char *args;

            http(sim_server_port(s), "POST", "/v1/chat/completions", body, task, NULL, 1, &r);
            args = r.code == CURLE_OK && r.status == 200 ? reply_args(bb_buf_str(&r.body), NULL) : NULL;
            ok = args && json_text_equal(args, answer);
            if (!ok)
                faults++;
            bb_free(args);
            bb_buf_free(&r.body);
        }
        recovered += ok;
        free(body);
    }
    print_message("faulty: %d faults in 20 tasks, %d recovered within 4 attempts\n", faults, recovered);
    assert_true(faults > 0);
    assert_int_equal(recovered, 20);
    sim_server_stop(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_routes),
        cmocka_unit_test(test_perfect_plain_and_streamed),
        cmocka_unit_test(test_broken_never_valid),
        cmocka_unit_test(test_weak_converges_only_with_feedback),
        cmocka_unit_test(test_sloppy_mostly_broken_form),
        cmocka_unit_test(test_faults),
        cmocka_unit_test(test_faulty_profile_recovers_on_retry),
    };
    int rc;

    bb_json_init();
    curl_global_init(CURL_GLOBAL_DEFAULT);
    rc = cmocka_run_group_tests_name("sim", tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
