/*
 * rules.h — design-quality rules for the db and api phases.
 *
 * The rules part of a design score (docs/scoring.md): checks any good
 * reviewer applies whatever the product, such as foreign keys indexed, no
 * duplicated tables, consistent naming, hashed passwords, unique login
 * names, DTOs consistent with the database, list operations paginated, and
 * size discipline (a design far bigger than the gold loses points).
 *
 * Every rule counts defects, and each defect costs 1/G of the rule's points,
 * where G is the gold design's size (tables for db rules, operations or
 * schemas for api rules; the design's own size when the gold size is
 * unknown). So adding tables or operations can never raise a rule's score:
 * defects do not go away when more items are added, and the size rule only
 * falls. Rules are reported with their defect count and a short detail
 * naming the first offenders.
 */
#ifndef BB_BENCH_RULES_H
#define BB_BENCH_RULES_H

#include <stddef.h>

#include "ast/ast_api.h"
#include "ast/ast_api_check.h"
#include "ast/ast_db.h"
#include "bench/checklist.h"
#include "util/arena.h"
#include "util/result.h"

#define BENCH_RULES_MAX 16 /* rules of one phase */

typedef struct bench_rule_result {
    const char *id;     /* stable: "db.fk_indexed", ... */
    const char *title;  /* one line for reports */
    double weight;      /* relative weight; the scorer scales weights to the rules part */
    double fraction;    /* 0..1 of the weight earned */
    size_t defects;
    const char *detail; /* "3 unindexed: todo_items.todo_list_id, ..." or "" (arena) */
} bench_rule_result;

/* Evaluates the DB rules on a checked design. out has room for
 * BENCH_RULES_MAX results; *n receives how many. Strings live in arena. */
bb_result bench_rules_db(const ast_db *db, const bench_checklist *cl, bb_arena *arena, bench_rule_result *out,
                         size_t *n /* OUT */);

/* Evaluates the API rules. db (may be NULL: the DTO-database rule is then
 * left out) is the database the DTOs must agree with. */
bb_result bench_rules_api(const ast_api_doc *doc, const ast_api_db_view *db, const bench_checklist *cl,
                          bb_arena *arena, bench_rule_result *out, size_t *n /* OUT */);

/* Where every foreign key of a DB design points: target[first[i] + k] is
 * the position in db->models of the target of foreign key k of model i, or
 * -1 when no table has that name. Built in O(F log T) so that scoring never
 * turns quadratic on a large design. Free with bench_db_targets_free. */
typedef struct bench_db_targets {
    long *target;
    size_t *first; /* db->n_models + 1 entries */
} bench_db_targets;

bb_result bench_db_targets_build(const ast_db *db, bench_db_targets *out /* OUT */);
void bench_db_targets_free(bench_db_targets *t);

/* The fraction left after `defects` defects at a cost of 1/basis each. */
double bench_rules_fraction(size_t defects, size_t basis);

#endif
