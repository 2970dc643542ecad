/*
 * sim_server.h — the built-in OpenAI-compatible simulator (a test double).
 *
 * An HTTP server on loopback (libmicrohttpd, one thread per connection)
 * that speaks enough of the OpenAI chat-completions protocol for backbench's
 * client: POST /v1/chat/completions (streamed as SSE or not), GET /v1/models,
 * GET /health. It answers each task from an answer key (task id → the
 * correct tool arguments) through a profile (sim_profile.h).
 *
 * How a request names its task and profile:
 *   task     the X-Backbench-Task header; else the body's "user" field
 *   profile  the body's "model" when it names one ("sim-weak" or "weak");
 *            else the server's default profile
 *   quirks   "+no-required" after the model name makes the server refuse
 *            tool_choice "required" with 400; "+no-tool-role" refuses
 *            messages with role "tool" (tests of the harness's fallbacks)
 *   fault    the X-Backbench-Fault header forces one fault (tests)
 *   round    1 + the number of assistant messages in the conversation
 *   seed     the body's sampling "seed" is mixed into every random choice,
 *            so trials (which send different seeds) get different answers
 * Token usage is reported at about one token per four bytes. It goes through
 * the same client code a real server does; its results are never benchmark
 * results of a model.
 */
#ifndef BB_SIM_SERVER_H
#define BB_SIM_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "sim/sim_profile.h"
#include "util/result.h"

typedef struct sim_server sim_server;

typedef struct sim_params {
    int port;                   /* 0: any free port (see sim_server_port) */
    sim_profile_kind profile;   /* default when the model names none */
    uint64_t seed;
    int latency_ms;             /* delay before every answer (default 0) */
    int stall_ms;               /* how long a stall fault stays silent (default 3000) */
    size_t max_body;            /* request body cap (default 32 MiB) */
    size_t garbage_bytes;       /* size of the garbage fault (default 10 MB) */
} sim_params;

sim_params sim_default_params(void);

/* Starts the server on 127.0.0.1. Free with sim_server_stop. */
bb_result sim_server_start(const sim_params *params, sim_server **out /* OUT */);
void sim_server_stop(sim_server *s);
int sim_server_port(const sim_server *s);

/* Adds or replaces the answer for a task (arguments as JSON text). Safe while
 * the server runs. */
bb_result sim_server_answer(sim_server *s, const char *task, const char *arguments_json);
/* Loads answers from a JSON file {"task id": {arguments...}, ...}. */
bb_result sim_server_answers_load(sim_server *s, const char *path);

/* Requests served so far (all routes). */
unsigned long sim_server_requests(const sim_server *s);

#endif
