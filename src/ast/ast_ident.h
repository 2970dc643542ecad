/*
 * ast_ident.h — identifier patterns and reserved words for the DB AST.
 *
 * Every name in a DB design ends up in SQL, in a Prisma schema, in a Mermaid
 * diagram and possibly in a file name, so names are checked against strict
 * patterns (ASCII only, no quoting ever needed) before any emitter sees them:
 *   snake_case  ^[a-z][a-z0-9_]*$   tables and columns
 *   camelCase   ^[a-z][a-zA-Z0-9]*$ relation names (Prisma relation fields)
 *   PascalCase  ^[A-Z][A-Za-z0-9]*$ file namespaces
 *   file name   ^[a-z0-9][a-z0-9_-]*\.prisma$
 * The pattern functions take the byte length as well, so a string with an
 * embedded NUL (JSON "\u0000") never passes. Lengths are separate limits:
 * AST_IDENT_MAX_SQL is PostgreSQL's identifier limit (NAMEDATALEN - 1).
 * Reserved words: the words that cannot be used unquoted as a table or column
 * name in SQLite 3 (measured on 3.40) or PostgreSQL 15 (pg_get_keywords()
 * categories R and T), and the model names Prisma refuses (JavaScript
 * reserved words and PrismaClient; measured with prisma-schema-wasm: "static"
 * and "Prisma" are accepted). Tests confirm each list against the
 * real tools.
 */
#ifndef BB_AST_IDENT_H
#define BB_AST_IDENT_H

#include <stddef.h>

#define AST_IDENT_MAX_SQL 63       /* bytes: PostgreSQL truncates longer identifiers */
#define AST_IDENT_MAX_FILENAME 100 /* bytes of a file name */

int ast_ident_is_snake(const char *s, size_t len);
int ast_ident_is_camel(const char *s, size_t len);
int ast_ident_is_pascal(const char *s, size_t len);
int ast_ident_is_filename(const char *s, size_t len);

/* Where a word is reserved (bit set). */
enum {
    AST_RESERVED_SQLITE = 1u,
    AST_RESERVED_POSTGRES = 2u,
    AST_RESERVED_PRISMA_MODEL = 4u
};

/* Bit set of AST_RESERVED_* for s (SQL words compare case-insensitively,
 * Prisma names exactly); 0 when s is free. */
unsigned ast_ident_reserved(const char *s);
/* "SQLite", "PostgreSQL", "SQLite and PostgreSQL", "Prisma", ... for a mask. */
const char *ast_ident_reserved_where(unsigned mask);

/* The lists, for tests and docs: the i-th word, or NULL past the end. */
const char *ast_ident_reserved_at(unsigned which, size_t i);

/* Renders s for a one-line message into out (cap bytes, at least 16):
 * printable ASCII is kept; control characters, non-ASCII letters (so a
 * Cyrillic lookalike shows as \u043E) and invalid UTF-8 (\xNN) are escaped;
 * more than max_src input bytes are cut with "...". Returns out. */
const char *ast_ident_show(const char *s, size_t max_src, char *out, size_t cap);

#endif
