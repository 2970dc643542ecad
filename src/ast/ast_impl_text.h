/*
 * ast_impl_text.h — a compact text form of the Impl AST, for people: gold
 * implementations are written and reviewed in it, and reports can show a
 * model's implementation as readable code.
 *
 * The form maps one to one onto the JSON AST (docs/ast-impl.md has the
 * grammar): ast_impl_text_parse turns text into the JSON document that
 * ast_impl_load accepts (so one loader and one set of checks serve both),
 * ast_impl_text_print turns a loaded AST back into text. print(parse(t)) is
 * stable, and parse(print(op)) gives back the JSON the op was loaded from.
 *
 *   endpoint get /user/lists/{listId}
 *   plan "Load the caller's live list or 404."
 *   const list = findFirst(todo_lists, where: and(id eq param.listId, deleted_at isNull))
 *   if list == null {
 *     throw 404 "list not found"
 *   }
 *   return 200 list
 *
 * Statements: const/let NAME = E, NAME = E, if E { } else { }, for NAME of E { },
 * return STATUS [E], throw STATUS E, do E. Expressions are JavaScript-like
 * (?:, ??, ||, &&, == !=, < <= > >=, + -, * / %, ! -, .name, calls, lambdas
 * x => E and (x, i) => E, [..], {name: E}); inputs are param.NAME, query.NAME,
 * body, principal; database operations are calls with named clauses
 * (where:, orderBy:, skip:, take:, select:, data:), where conditions are
 * and(..), or(..), not(..) and COLUMN OP E. The words body, principal, param,
 * query, true, false, null, undefined and the operation names are reserved.
 */
#ifndef BB_AST_IMPL_TEXT_H
#define BB_AST_IMPL_TEXT_H

#include <jansson.h>
#include <stddef.h>

#include "ast/ast_impl.h"
#include "util/buf.h"
#include "util/result.h"

#define AST_IMPL_TEXT_MAX ((size_t)8 * 1024 * 1024) /* bytes of a text file */

/*
 * Parses one or more operations (each starting with an `endpoint` line).
 * On BB_OK *out is a JSON array of operation documents (caller decrefs).
 * On BB_ERR_PARSE err (may be NULL) receives "line L, column C: message".
 */
bb_result ast_impl_text_parse(const char *text, size_t len, json_t **out /* OUT */, bb_buf *err);

/* Appends the text form of op. BB_ERR_UNSUPPORTED when a name cannot be
 * written (a reserved word or not an identifier). */
bb_result ast_impl_text_print(const ast_impl_op *op, bb_buf *out);

#endif
