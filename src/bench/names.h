/*
 * names.h — name normalisation for the design scorer (and anyone who needs
 * to compare names the way a reviewer would).
 *
 * A name (table, column, DTO property, path segment, actor) becomes a list of
 * words: lower-cased, split on '_', '-', '.', ' ' and camelCase boundaries
 * ("todoItems" -> todo, item; "HTMLPage" -> html, page), each word made
 * singular by a small rule set ("categories" -> category, "statuses" ->
 * status, "addresses" -> address, "people" -> person). Two names are equal
 * when the concatenations of their words are equal, so "registereduser",
 * "registered_users" and "RegisteredUser" all agree.
 *
 * Designs usually prefix every table with the project ("todo_list_users",
 * "discussion_board_topics"); bench_names_prefix finds that prefix (the
 * longest run of leading words shared by most tables) so it can be dropped.
 * API paths are normalised segment by segment ({anything} -> {}), see
 * bench_path_normalise.
 *
 * Everything here works in fixed-size structs (no allocation); inputs longer
 * than the named limits give BB_ERR_LIMIT, never a silent cut.
 */
#ifndef BB_BENCH_NAMES_H
#define BB_BENCH_NAMES_H

#include <stddef.h>

#include "util/result.h"

#define BENCH_NAME_MAX_WORDS 16   /* words of one name */
#define BENCH_NAME_MAX_LEN   127  /* bytes of the concatenated words */
#define BENCH_PATH_MAX_SEGS  16   /* segments of one API path */
#define BENCH_PATH_MAX_LEN   511  /* bytes of a normalised path */

/* A normalised name: words concatenated in `joined`, word i starting at
 * joined + start[i] and ending at start[i + 1] (start[n_words] = length). */
typedef struct bench_name {
    size_t n_words;
    size_t start[BENCH_NAME_MAX_WORDS + 1];
    char joined[BENCH_NAME_MAX_LEN + 1];
} bench_name;

/* Splits and singularises s into *out. BB_ERR_LIMIT when s has too many
 * words or is too long; BB_ERR_INVALID when s has no word at all. */
bb_result bench_name_parse(const char *s, bench_name *out /* OUT */);

/* Singular form of one lower-case word, in place (never longer). */
void bench_name_singular(char *word);

/* The words of n from word `from` on, concatenated ("" past the end). */
const char *bench_name_tail(const bench_name *n, size_t from);

/* 1 when the words of a from a_from on equal the words of b from b_from on
 * (compared as concatenations). */
int bench_name_equal(const bench_name *a, size_t a_from, const bench_name *b, size_t b_from);

/* 1 when word i of n is exactly w (w lower-case, singular). */
int bench_name_word_is(const bench_name *n, size_t i, const char *w);

/*
 * The design prefix of a set of names: the longest sequence of leading words
 * that at least max(2, ceil(0.6 n)) of the names share while still having a
 * word after it (with one name: all its words but the last). *n_words
 * receives its length (0: none) and *which the index of one name carrying it.
 */
void bench_names_prefix(const bench_name *names, size_t n, size_t *n_words /* OUT */, size_t *which /* OUT */);

/* How many leading words of n to drop for the prefix (prefix_words of
 * names[which]): prefix length when n starts with it and has more words,
 * else 0. */
size_t bench_name_prefix_drop(const bench_name *n, const bench_name *prefix_owner, size_t prefix_words);

/* A normalised API path: segments joined by '/', no leading '/', each static
 * segment the concatenated singular words of the segment, each parameter
 * segment "{}". n_segs segments; seg[i] the offset of segment i in text. */
typedef struct bench_path {
    size_t n_segs;
    size_t seg[BENCH_PATH_MAX_SEGS + 1];
    char text[BENCH_PATH_MAX_LEN + 1];
} bench_path;

/* "/todoList/user/todo-items/{todoItemId}" -> "todolist/user/todoitem/{}".
 * BB_ERR_INVALID when path does not start with '/' or has an empty or
 * malformed segment; BB_ERR_LIMIT past the limits. "/" has no segment. */
bb_result bench_path_normalise(const char *path, bench_path *out /* OUT */);

/* Segment i of p (NUL-terminated copy in buf of cap bytes); "" past the end. */
const char *bench_path_segment(const bench_path *p, size_t i, char *buf, size_t cap);

/* The text of p from segment `from` on ("" past the end). */
const char *bench_path_tail(const bench_path *p, size_t from);

#endif
