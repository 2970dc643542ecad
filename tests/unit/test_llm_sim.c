/*
 * test_llm_sim.c — the client against the built-in simulator (src/sim/),
 * over loopback: every fault the simulator can force (429 with Retry-After,
 * 500, connection reset, stall, truncated body, 10 MB of garbage) lands in
 * its outcome class; the perfect profile's calls come back equal to the
 * answer key, streamed and not; and a batch of tasks on the faulty profile
 * all recover through retries.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "json/json_util.h"
#include "llm/llm_client.h"
#include "llm/llm_extract.h"
#include "sim/sim_server.h"
#include "util/alloc.h"

#define ANSWER "{\"files\":[{\"filename\":\"a.prisma\",\"models\":[{\"name\":\"users\"}]}]}"

static sim_server *sim;
static char base[64];

static int setup(void **state)
{
    sim_params p = sim_default_params();
    char task[32];
    int i;

    (void)state;
    p.stall_ms = 1500;
    p.garbage_bytes = (size_t)10 * 1000 * 1000;
    if (sim_server_start(&p, &sim) != BB_OK)
        return -1;
    snprintf(base, sizeof base, "http://127.0.0.1:%d", sim_server_port(sim));
    for (i = 0; i < 40; i++) {
        snprintf(task, sizeof task, "t%d", i);
        if (sim_server_answer(sim, task, ANSWER) != BB_OK)
            return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sim_server_stop(sim);
    return 0;
}

static const llm_message msgs[] = {{LLM_ROLE_USER, "design the database", NULL, 0, NULL}};
static const llm_tool tools[] = {{"submit_db", "Submit the DB AST", NULL, "{\"type\":\"object\"}"}};

static llm_request make_request(const char *model, int stream, const char *const *headers, size_t n)
{
    llm_request r;

    llm_request_init(&r);
    r.model = model;
    r.messages = msgs;
    r.n_messages = 1;
    r.tools = tools;
    r.n_tools = 1;
    r.tool_choice = LLM_TOOL_CHOICE_REQUIRED;
    r.stream = stream;
    r.headers = headers;
    r.n_headers = n;
    r.temperature = 0;
    r.seed = 1;
    r.has_seed = 1;
    return r;
}

static void expect_answer(const llm_response *r)
{
    llm_extraction x;
    json_t *got, *want;
    json_error_t err;

    assert_int_equal(llm_extract(r, &x), BB_OK);
    assert_int_equal(x.kind, LLM_EXTRACT_CALL);
    assert_int_equal(x.n_calls, 1);
    assert_string_equal(x.calls[0].name, "submit_db");
    got = json_loads(x.calls[0].arguments, 0, &err);
    want = json_loads(ANSWER, 0, &err);
    assert_true(bb_json_equal(got, want));
    json_decref(got);
    json_decref(want);
    llm_extraction_free(&x);
}

static void test_perfect(void **state)
{
    static const char *const h[] = {"X-Backbench-Task: t0"};
    llm_client_params p = llm_client_default_params();
    llm_request req;
    llm_response *r = NULL;
    int stream;

    (void)state;
    for (stream = 0; stream <= 1; stream++) {
        req = make_request("sim-perfect", stream, h, 1);
        assert_int_equal(llm_chat_send(base, NULL, &req, &p, &r), BB_OK);
        assert_int_equal(r->outcome, LLM_OUTCOME_OK);
        assert_int_equal(r->streamed, stream);
        assert_true(r->usage.prompt_tokens > 0);
        assert_true(r->usage.completion_tokens > 0);
        assert_true(r->usage.ttfb_ms >= 0);
        assert_true(r->usage.total_ms >= r->usage.ttfb_ms);
        assert_true(r->usage.bytes_received > 0);
        expect_answer(r);
        llm_response_destroy(r);
    }
}

static void test_forced_faults(void **state)
{
    static const struct {
        const char *fault;
        int stream;
        llm_outcome want;
        long status;
    } cases[] = {
        {"429", 0, LLM_OUTCOME_INFRA_RETRY_EXHAUSTED, 429},
        {"500", 0, LLM_OUTCOME_INFRA_RETRY_EXHAUSTED, 500},
        {"reset", 0, LLM_OUTCOME_INFRA_RETRY_EXHAUSTED, 0},
        {"stall", 1, LLM_OUTCOME_TIMEOUT, 200},
        {"stall", 0, LLM_OUTCOME_TIMEOUT, 200},
        {"truncate", 1, LLM_OUTCOME_TRUNCATED_STREAM, 200},
        {"truncate", 0, LLM_OUTCOME_TRUNCATED_STREAM, 200},
        {"garbage", 0, LLM_OUTCOME_TOO_LARGE, 200},
        {"garbage", 1, LLM_OUTCOME_TOO_LARGE, 200},
    };
    llm_client_params p = llm_client_default_params();
    char hdr_fault[64];
    const char *h[2];
    llm_request req;
    llm_response *r = NULL;
    size_t i;

    (void)state;
    p.max_retries = 0;
    p.stall_timeout_ms = 400;
    p.max_response_bytes = (size_t)1024 * 1024;
    h[0] = "X-Backbench-Task: t1";
    h[1] = hdr_fault;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(hdr_fault, sizeof hdr_fault, "X-Backbench-Fault: %s", cases[i].fault);
        req = make_request("sim-perfect", cases[i].stream, h, 2);
        assert_int_equal(llm_chat_send(base, NULL, &req, &p, &r), BB_OK);
        if (r->outcome != cases[i].want || r->http_status != cases[i].status)
            fail_msg("fault %s stream %d: outcome %s status %ld (%s), want %s %ld", cases[i].fault,
                     cases[i].stream, llm_outcome_name(r->outcome), r->http_status, r->error,
                     llm_outcome_name(cases[i].want), cases[i].status);
        assert_int_equal(r->attempts, 1);
        llm_response_destroy(r);
    }
}

typedef struct tally {
    int done;
    int ok;
    int attempts;
    int max_attempts;
} tally;

static void on_done(void *user, llm_response *r)
{
    tally *t = user;

    t->done++;
    t->attempts += r->attempts;
    if (r->attempts > t->max_attempts)
        t->max_attempts = r->attempts;
    if (r->outcome == LLM_OUTCOME_OK) {
        expect_answer(r);
        t->ok++;
    } else {
        print_message("# failed after %d attempts: %s (%s)\n", r->attempts, llm_outcome_name(r->outcome),
                      r->error);
    }
    llm_response_destroy(r);
}

static void test_faulty_profile_recovers(void **state)
{
    static char hdr[40][40];
    static const char *h[40][1];
    llm_client_params p = llm_client_default_params();
    llm_client *c = NULL;
    llm_request req;
    tally t = {0, 0, 0, 0};
    int ep, i;

    (void)state;
    p.max_retries = 3;
    p.backoff_base_ms = 20;
    p.stall_timeout_ms = 400;
    p.max_response_bytes = (size_t)1024 * 1024;
    p.rng_seed = 11;
    assert_int_equal(llm_client_new(&p, &c), BB_OK);
    assert_int_equal(llm_client_add_endpoint(c, base, NULL, 16, &ep), BB_OK);
    for (i = 0; i < 40; i++) {
        snprintf(hdr[i], sizeof hdr[i], "X-Backbench-Task: t%d", i);
        h[i][0] = hdr[i];
        req = make_request("sim-faulty", i % 2, h[i], 1);
        assert_int_equal(llm_client_submit(c, ep, &req, on_done, &t), BB_OK);
    }
    assert_int_equal(llm_client_run(c, 120000), BB_OK);
    llm_client_free(c);
    print_message("# faulty profile: %d/40 recovered, %d attempts in all, at most %d for one\n", t.ok,
                  t.attempts, t.max_attempts);
    assert_int_equal(t.done, 40);
    assert_int_equal(t.ok, 40);
    assert_true(t.attempts > 40); /* faults did happen */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_perfect),
        cmocka_unit_test(test_forced_faults),
        cmocka_unit_test(test_faulty_profile_recovers),
    };

    bb_json_init();
    return cmocka_run_group_tests(tests, setup, teardown);
}
