/*
 * sim_profile.h — what the simulated model answers, as a pure function.
 *
 * Given the parsed request (which task, which round, what feedback the
 * conversation carried), the correct arguments for the task (the answer key)
 * and a profile, sim_decide says what to send back: a tool call (arguments
 * as text, or as a JSON object), text content, or an infrastructure fault.
 * It is deterministic: the same seed, task, round and conversation give the
 * same reply. Profiles:
 *   perfect  the right call, first time
 *   sloppy   the right content in broken form (fences, prose, trailing
 *            commas, Python constants, comments, double-encoded objects,
 *            scalars as strings, the call written as text); about one reply
 *            in five is clean
 *   weak     one to three schema/semantic mistakes (a missing property, a
 *            wrong enum value, a property at the wrong depth, an invalid
 *            name, a wrong type); a mistake whose path the feedback named is
 *            corrected in that round with probability SIM_WEAK_FIX_P
 *   broken   never valid: prose questions or arguments that are not JSON
 *   faulty   infrastructure faults (429 with Retry-After, 500, connection
 *            reset, stall, truncated stream, 10 MB of garbage) on some
 *            attempts, otherwise the right call
 */
#ifndef BB_SIM_PROFILE_H
#define BB_SIM_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "util/result.h"

typedef enum sim_profile_kind {
    SIM_PROFILE_PERFECT = 0,
    SIM_PROFILE_SLOPPY,
    SIM_PROFILE_WEAK,
    SIM_PROFILE_BROKEN,
    SIM_PROFILE_FAULTY,
    SIM_PROFILE_COUNT_
} sim_profile_kind;

const char *sim_profile_name(sim_profile_kind k);
/* Accepts "weak", "sim-weak" and "sim-weak+quirk..."; -1 when unknown. */
int sim_profile_parse(const char *s);

typedef enum sim_fault {
    SIM_FAULT_NONE = 0,
    SIM_FAULT_429,      /* 429 with Retry-After: 1 */
    SIM_FAULT_500,
    SIM_FAULT_RESET,    /* the connection is closed without a response */
    SIM_FAULT_STALL,    /* headers and a first chunk, then silence for stall_ms */
    SIM_FAULT_TRUNCATE, /* the body stops in the middle, no finish reason */
    SIM_FAULT_GARBAGE,  /* 10 MB of random bytes with status 200 */
    SIM_FAULT_COUNT_
} sim_fault;

const char *sim_fault_name(sim_fault f);
int sim_fault_parse(const char *s);

#define SIM_WEAK_FIX_P 0.6
#define SIM_SLOPPY_CLEAN_P 0.2
#define SIM_FAULTY_FAULT_P 0.6
#define SIM_FEEDBACK_MAX 64

typedef struct sim_request {
    const char *task;      /* task id (X-Backbench-Task header, else body "user") */
    int round;             /* 1 + number of assistant messages in the request */
    int attempt;           /* 1 for the first request of this task/round, 2 on a retry... */
    uint64_t sample_seed;  /* the request's sampling "seed" (0 when absent): trials differ */
    const char *tool_name; /* first tool's function name, NULL when no tools */
    const char *feedback[SIM_FEEDBACK_MAX]; /* feedback[i]: text sent after round i+1 */
    size_t n_feedback;
} sim_request;

typedef struct sim_reply {
    sim_fault fault;
    char *content;         /* assistant text, or NULL */
    char *tool_name;       /* NULL: no tool call */
    char *arguments;       /* the arguments text */
    int arguments_object;  /* 1: send arguments as a JSON object, not a string */
    const char *finish_reason;
} sim_reply;

/* answer: the correct arguments as JSON text, or NULL when the task is not in
 * the answer key (the simulated model then says it cannot help). */
bb_result sim_decide(const sim_request *req, const char *answer, sim_profile_kind profile, uint64_t seed,
                     sim_reply *out /* OUT */);
void sim_reply_free(sim_reply *r);

#endif
