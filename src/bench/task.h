/*
 * task.h — building the benchmark's tasks: what one function-calling
 * conversation asks of the model.
 *
 * A task is one (project, phase) pair with a stable id ("todo/db",
 * "shopping/api"): the system prompt (prompts/system.md), the user prompt
 * (prompts/<phase>.md with its {{placeholders}} filled: the project's name,
 * the function name, its requirements and, for api in isolated mode, the gold
 * database rendered as Prisma schema text), the tool (the phase's function
 * name, description and embedded AST schema as parameters), the semantic hook
 * (the phase's checks; for api against the gold DB), the project's checklist
 * (for the scorer), and the gold answer (the simulator's answer key uses the
 * same ids). The logic phases have one task per item: `impl` one per
 * operation of the gold implementation ("todo/impl/post /user/lists": the
 * operation, its DTOs and the tables it touches), `test` one per scenario
 * ("todo/test/todo.auth": the scenario and the API); only projects with a
 * gold implementation and acceptance tests get them (others are skipped),
 * and the list keeps one open logic handle (logic_score.h) per such project
 * for the scorer. Why, and what each prompt holds, is in docs/tasks.md.
 *
 * A bench_tasks owns everything its tasks point to except the project data,
 * which stays in the bench_projects it was built from (embedded bytes); it
 * compiles each phase's schema once. Free with bench_tasks_free (NULL ok).
 */
#ifndef BB_BENCH_TASK_H
#define BB_BENCH_TASK_H

#include <stddef.h>
#include <stdint.h>

#include "ast/ast_db.h"
#include "bench/checklist.h"
#include "bench/phase.h"
#include "bench/project.h"
#include "harness/harness_loop.h"
#include "schema/schema.h"
#include "util/buf.h"
#include "util/result.h"

#define BENCH_TASK_ID_MAX 96
#define BENCH_LOGIC_TASKS_MAX 4096 /* impl + test tasks of one project */
#define BENCH_PROMPT_MAX ((size_t)4 * 1024 * 1024) /* one rendered prompt */
#define BENCH_PROMPT_VAR_MAX 32                    /* bytes of a {{placeholder}} name */

/* How earlier phases' artifacts reach a later phase. Only isolated exists. */
typedef enum bench_run_mode {
    BENCH_MODE_ISOLATED = 0,
    BENCH_MODE_CHAINED
} bench_run_mode;

const char *bench_run_mode_name(bench_run_mode m);
int bench_run_mode_parse(const char *s); /* -1 for other text */

typedef struct bench_task {
    char id[BENCH_TASK_ID_MAX];   /* "<project>/<phase>" */
    const bench_project *project;
    bench_phase_kind phase;
    char *system_prompt;          /* owned */
    char *user_prompt;            /* owned */
    const char *answer;           /* the gold arguments (JSON text, embedded or answer_owned) */
    char *answer_owned;           /* impl/test: the gold operation / reference test (owned) */
    char key[BENCH_TASK_ID_MAX];  /* impl: "post /user/lists"; test: the scenario id */
    struct bench_logic *logic;    /* impl/test: the project's logic handle (owned by the list) */
    ast_db *gold_db;              /* api: the database the API is checked against (owned) */
    bench_phase_checker checker;  /* the hook's context */
    bench_checklist *checklist;   /* the project's checklist, for scoring (owned) */
    harness_task harness;         /* ready for harness_start except .model */
} bench_task;

typedef struct bench_tasks {
    bench_task *items;
    size_t n;
    schema *schemas[BENCH_PHASE_COUNT_]; /* compiled once per phase, NULL when unused */
    struct bench_logic *logic[BENCH_PROJECTS_MAX]; /* open per project with impl/test tasks */
    size_t n_logic;
} bench_tasks;

/*
 * Builds the tasks of the named projects (NULL or empty: all, in name order)
 * and phases (NULL: db then api; "db,api" order is kept) in that order:
 * project-major, phase-minor (impl/test: then operation or scenario order).
 * Errors: BB_ERR_NOT_FOUND for an unknown project (its name in *bad, may be
 * NULL), BB_ERR_USAGE for an unknown phase, for no
 * task at all (only logic phases of projects without acceptance tests) or the
 * chained mode ("not yet"), BB_ERR_INVALID for a prompt template with an
 * unknown placeholder. Comma lists have at most BENCH_PROJECTS_MAX entries.
 */
bb_result bench_tasks_build(const bench_projects *projects, const char *project_list, const char *phase_list,
                            bench_run_mode mode, bench_tasks **out /* OUT */, bb_buf *bad /* may be NULL */);
void bench_tasks_free(bench_tasks *t);
/* Drops the tasks without an answer key (a scenario without a key test) and
 * returns how many; for runs whose model needs the answers (the demo). */
size_t bench_tasks_keep_answered(bench_tasks *ts);

/*
 * Fills a prompt template: each {{name}} is replaced by the value of the
 * variable with that name (names[i] -> values[i]); text outside placeholders
 * is copied. BB_ERR_INVALID for an unknown or unterminated placeholder,
 * BB_ERR_LIMIT past out's cap.
 */
bb_result bench_prompt_fill(const char *tmpl, const char *const *names, const char *const *values, size_t n,
                            bb_buf *out);

/* The request seed of a trial: a hash of (task id, trial), 31 bits, stable
 * across runs, machines and versions of this program. */
long long bench_task_seed(const char *task_id, int trial);

#endif
