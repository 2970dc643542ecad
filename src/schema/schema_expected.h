/*
 * schema_expected.h — readable type expressions for `expected` in errors.
 *
 * The grammar (docs/schema.md): a term is a JSON type name (`string`,
 * `number`, `integer`, `boolean`, `null`, `object`, `any`, `never`), a named
 * schema (`$defs` key or title: `Literal`), `Array<T>`, a tuple `[A, B]`, or
 * a JSON literal (`"post"`, `42`); constraints are intersections
 * `string & MinLength<1> & Format<"uuid">`; alternatives are joined with
 * ` | `. Long expressions are cut with `…`.
 */
#ifndef BB_SCHEMA_EXPECTED_H
#define BB_SCHEMA_EXPECTED_H

#include "schema/schema_node.h"
#include "util/arena.h"
#include "util/buf.h"

/* Longest expression kept (bytes), before the "…" mark. */
#define SCHEMA_EXPECTED_MAX 240

/* Computes n->expr and the members_expr of its unions (idempotent). */
bb_result schema_expected_compute(bb_arena *a, schema_node *n);

/* Appends the term of n for an instance of type bit `tbit` (SN_T_*), without
 * constraints: "string", "integer", "Array<Expr>", "Literal", "object". */
bb_result schema_expected_base(bb_buf *b, const schema_node *n, unsigned tbit);

/* Appends a number the way expressions print it (1, 0.5, 1e+300). */
bb_result schema_expected_number(bb_buf *b, double d);

#endif
