/*
 * ast_test_text.h — a compact text form of the Test AST, for people: the
 * hidden acceptance tests are written and reviewed in it, and reports can
 * show a model's test as readable code.
 *
 * ast_test_text_parse turns text into the JSON array of test functions that
 * ast_test_suite_load reads (one loader and one set of checks serve both
 * forms); ast_test_text_print writes a loaded function back as text, and
 * parse(print(fn)) gives back the JSON fn was loaded from.
 *
 *   test "a list can be read back by its owner"
 *   plan "join, create a list, read it"
 *   call auth = post /auth/user/join {email: randomEmail(), password: "secret123", display_name: "Ann"}
 *   call list = post /user/lists {title: "Groceries"}
 *   call got = get /user/lists/{listId} (listId: list.id)
 *   equal "the title is kept" got.title, "Groceries"
 *   httpError 404 "an unknown list" {
 *     call get /user/lists/{listId} (listId: randomUuid())
 *   }
 *
 * Statements: test/plan/draft headers, const N = E, call [N =] METHOD PATH
 * [(param: E, ..)] [BODY], equal/notEqual "title" E, E, assert "title" E,
 * error "title" { .. }, httpError STATUS "title" { .. }, if E { } else { },
 * return E, do E. Expressions are JavaScript-like (?:, ??, ||, &&, == !=,
 * < <= > >=, + -, * / %, ! -, .name, [E], .map/.filter/.some/.every/.find
 * with an arrow, arrows x => E, (a, b) => { .. }), literals [..] and
 * {k: E}, and the generators randomString(N), randomInt(A, B),
 * randomUuid(), randomEmail(), repeat(N, i => ..).
 */
#ifndef BB_AST_TEST_TEXT_H
#define BB_AST_TEST_TEXT_H

#include <jansson.h>
#include <stddef.h>

#include "ast/ast_test.h"
#include "util/buf.h"
#include "util/result.h"

#define AST_TEST_TEXT_MAX ((size_t)8 * 1024 * 1024) /* bytes of a text file */
#define AST_TEST_TEXT_MAX_NEST 128                  /* bracket / block nesting */

/* Parses one or more functions (each starting with a `test` line). On BB_OK
 * *out is a JSON array (caller decrefs); on BB_ERR_PARSE err (may be NULL)
 * receives "line L, column C: message". */
bb_result ast_test_text_parse(const char *text, size_t len, json_t **out /* OUT */, bb_buf *err);

/* Appends the text form of fn. */
bb_result ast_test_text_print(const ast_test_fn *fn, bb_buf *out);

#endif
