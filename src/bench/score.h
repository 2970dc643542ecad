/*
 * score.h — the task score (0-100) of the db and api design phases.
 *
 * A design scores 0 when it is not valid (no valid call; for db: the design
 * has not passed ast_db_check; for api: ast_api_check finds errors).
 * Otherwise score = checklist part + rules part (default 70 + 30):
 *   db  checklist: entities 30, key attributes 20, relations 20
 *   api checklist: endpoints 40 (path+method 70 %, actor allowed 30 %),
 *                  key DTO fields 20, actors 10
 *   rules: bench/rules.h, their weights scaled to the rules part.
 * Matching follows docs/scoring.md (names.h normalisation, design prefixes
 * dropped, paths compared after actor and project segments). The result
 * carries an itemised breakdown: every checklist item with the points it
 * could earn, the points earned and what matched it, and every rule with
 * its defects.
 *
 * Ownership: *out and everything in it live in its arena; release with
 * bench_score_free (NULL ok). Strings in items point into that arena or into
 * the checklist (which must outlive the score).
 */
#ifndef BB_BENCH_SCORE_H
#define BB_BENCH_SCORE_H

#include <stddef.h>

#include "ast/ast_api.h"
#include "ast/ast_db.h"
#include "bench/checklist.h"
#include "bench/rules.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/result.h"

typedef struct bench_score_params {
    double checklist_points; /* default 70 */
    double rules_points;     /* default 30 */
} bench_score_params;

bench_score_params bench_score_default_params(void);

typedef enum bench_item_kind {
    BENCH_ITEM_ENTITY = 0,
    BENCH_ITEM_ATTRIBUTE,
    BENCH_ITEM_RELATION,
    BENCH_ITEM_ACTOR,
    BENCH_ITEM_ENDPOINT,
    BENCH_ITEM_FIELD,
    BENCH_ITEM_KIND_COUNT_
} bench_item_kind;

typedef struct bench_score_item {
    bench_item_kind kind;
    const char *id;      /* "item", "item.title", "item->list", "user.join", "user.join.request[0]" */
    double points;       /* what it can earn */
    double got;          /* what it earned */
    const char *matched; /* "todo_items", "todo_items.title", "post /user/lists", NULL when missed */
    const char *note;    /* why partial or missed, may be NULL */
} bench_score_item;

typedef struct bench_score {
    int valid;           /* 0: no valid design, total 0 */
    double total;        /* checklist + rules, 0-100 */
    double checklist;
    double rules;
    double checklist_max, rules_max;
    bench_score_item *items;
    size_t n_items;
    bench_rule_result rule_results[BENCH_RULES_MAX];
    size_t n_rules;
    bb_arena *arena;
} bench_score;

/* Scores a DB design (design may be NULL: invalid). */
bb_result bench_score_db(const bench_checklist *cl, const ast_db *design, const bench_score_params *params,
                         bench_score **out /* OUT */);

/* Scores an API design. db is the database the DTOs must agree with: the
 * gold DB in isolated mode, the model's own in chained mode (NULL: the
 * DTO-database rule is left out). */
bb_result bench_score_api(const bench_checklist *cl, const ast_api_doc *design, const ast_db *db,
                          const bench_score_params *params, bench_score **out /* OUT */);

void bench_score_free(bench_score *s);

/* "entity", "attribute", ... */
const char *bench_item_kind_name(bench_item_kind k);

/* Appends the score as JSON {valid, total, checklist, rules, items: [...],
 * rule_results: [...]} to out. */
bb_result bench_score_to_json(const bench_score *s, bb_buf *out);

#endif
