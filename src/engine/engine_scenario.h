/*
 * engine_scenario.h — runs a scripted scenario (a sequence of HTTP requests
 * with expectations) against an engine, in process: the primitive of the impl
 * phase's acceptance tests (run the model's operation among the gold ones,
 * count the steps that still behave) and of the gold implementations' own
 * tests.
 *
 * A scenario is JSON (this module is an edge, like the HTTP front):
 *   {"name": "...", "steps": [
 *     {"name": "join",
 *      "request": {"method": "POST", "path": "/auth/user/join", "auth": "${token}"?, "body": {...}?},
 *      "expect": {"status": 201, "body": {subset}?, "absent": ["password_hash"]?},
 *      "capture": {"token": "token.access", "list": "id"}?}]}
 * "${name}" in a path, auth, body or expected-body string is replaced by a captured value
 * (a whole-string "${name}" in a body keeps the captured JSON type). The
 * expected body is a subset: every key of an expected object must be there
 * with a matching value, arrays match element-wise and in length, scalars by
 * JSON equality. Captures are dot paths into the response body ("data.0.id").
 * Every step runs even after a failure (a step that needs a capture that was
 * never made fails too).
 */
#ifndef BB_ENGINE_SCENARIO_H
#define BB_ENGINE_SCENARIO_H

#include <jansson.h>
#include <stddef.h>

#include "engine/engine.h"
#include "util/buf.h"
#include "util/result.h"

#define ENG_SCENARIO_MAX_STEPS 1000 /* steps of one scenario */
#define ENG_SCENARIO_MAX_VARS 256   /* captured names */

typedef struct eng_scenario_result {
    size_t steps;
    size_t passed;
    size_t engine_errors; /* steps answered by an engine failure (500 with "engine": true) */
    bb_buf log;           /* one line per failed step: "step N (name): why" */
} eng_scenario_result;

void eng_scenario_result_init(eng_scenario_result *r);
void eng_scenario_result_free(eng_scenario_result *r);

/* BB_OK when the scenario ran (whatever passed); BB_ERR_INVALID when it is
 * malformed (the reason in out->log); BB_ERR_NOMEM / BB_ERR_LIMIT otherwise. */
bb_result eng_scenario_run(eng_engine *e, const json_t *scenario, eng_scenario_result *out /* OUT */);

#endif
