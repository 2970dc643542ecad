/*
 * engine_mutate.h — mutation operators on Impl ASTs, producing named
 * mutants for scoring tests (the gold acceptance tests and the models'
 * tests in the `test` phase).
 *
 * Mutants are made on the operation's JSON document (the form every Impl
 * AST is loaded from, so a mutant is an ordinary Impl AST that goes through
 * the same loader and checks): the operator walks the document, each site
 * where it applies is one mutant, named "METHOD PATH: operator #k (site)".
 * Operators:
 *   drop_where      remove one condition of an and/or where clause
 *   flip_compare    eq<->ne, lt<->gte, lte<->gt (where and binary
 *                   comparisons); isNull -> is not null
 *   drop_check      remove an `if` whose then-branch throws (ownership,
 *                   role, existence and business-rule checks)
 *   change_status   change the status of a return (201<->200, 204->200) or
 *                   a throw (404->403, 403->404, 409->400, 401->403, ...)
 *   skip_write      remove an expression statement doing create/update/delete
 *   drop_field      remove one property of an object literal returned
 *   off_by_one      skip + 1 or take + 1 of a findMany
 *   reverse_sort    asc<->desc in an orderBy direction (or add desc)
 *   negate_if       negate the condition of an `if`
 */
#ifndef BB_ENGINE_MUTATE_H
#define BB_ENGINE_MUTATE_H

#include <jansson.h>
#include <stddef.h>

#include "util/result.h"

typedef enum eng_mut_operator {
    ENG_MUT_DROP_WHERE = 0,
    ENG_MUT_FLIP_COMPARE,
    ENG_MUT_DROP_CHECK,
    ENG_MUT_CHANGE_STATUS,
    ENG_MUT_SKIP_WRITE,
    ENG_MUT_DROP_FIELD,
    ENG_MUT_OFF_BY_ONE,
    ENG_MUT_REVERSE_SORT,
    ENG_MUT_NEGATE_IF,
    ENG_MUT_OPERATOR_COUNT_
} eng_mut_operator;

#define ENG_MUT_MAX_PER_OP 2000 /* mutants of one operation */
#define ENG_MUT_NAME_MAX 200

typedef struct eng_mutant {
    eng_mut_operator op;
    size_t index;                 /* k-th site of the whole document walk */
    char name[ENG_MUT_NAME_MAX];  /* "post /user/lists: drop_where #2 ($input.statements[3]...)" */
    char site[ENG_MUT_NAME_MAX];  /* path of the mutated node */
} eng_mutant;

typedef struct eng_mutant_list {
    eng_mutant *items;
    size_t n;
} eng_mutant_list;

/* Enumerates the mutants of one operation document (an Impl AST JSON
 * object). label prefixes the names ("post /user/lists"). Free with
 * eng_mutant_list_free. */
bb_result eng_mutate_list(const json_t *op_doc, const char *label, eng_mutant_list *out /* OUT */);
void eng_mutant_list_free(eng_mutant_list *l);

/* The mutated document of mutant m (a deep copy of op_doc with the change;
 * caller decrefs). */
bb_result eng_mutate_apply(const json_t *op_doc, const eng_mutant *m, json_t **out /* OUT */);

const char *eng_mut_operator_name(eng_mut_operator op);

#endif
