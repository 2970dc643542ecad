/*
 * ast_ident.c — identifier patterns and reserved-word lists (see ast_ident.h).
 */
#include "ast_ident.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Measured: SQLite 3.40.1 refuses these unquoted as a table name, a column
 * name, or in an index/REFERENCES column list. Sorted. */
static const char *const ast_ident_sqlite_words[] = {
    "add", "all", "alter", "and", "as", "autoincrement", "between", "case", "cast", "check",
    "collate", "commit", "constraint", "create", "current_date", "current_time",
    "current_timestamp", "default", "deferrable", "delete", "distinct", "drop", "else",
    "escape", "except", "exists", "foreign", "from", "group", "having", "if", "in", "index",
    "insert", "intersect", "into", "is", "isnull", "join", "limit", "not", "nothing", "notnull",
    "null", "on", "or", "order", "primary", "raise", "references", "returning", "select", "set",
    "table", "then", "to", "transaction", "union", "unique", "update", "using", "values", "when",
    "where",
};

/* PostgreSQL 15: pg_get_keywords() with catcode R (reserved) or T (reserved,
 * can be function or type name): neither can name a column. Sorted. */
static const char *const ast_ident_postgres_words[] = {
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric",
    "authorization", "binary", "both", "case", "cast", "check", "collate", "collation",
    "column", "concurrently", "constraint", "create", "cross", "current_catalog",
    "current_date", "current_role", "current_schema", "current_time", "current_timestamp",
    "current_user", "default", "deferrable", "desc", "distinct", "do", "else", "end", "except",
    "false", "fetch", "for", "foreign", "freeze", "from", "full", "grant", "group", "having",
    "ilike", "in", "initially", "inner", "intersect", "into", "is", "isnull", "join", "lateral",
    "leading", "left", "like", "limit", "localtime", "localtimestamp", "natural", "not",
    "notnull", "null", "offset", "on", "only", "or", "order", "outer", "overlaps", "placing",
    "primary", "references", "returning", "right", "select", "session_user", "similar", "some",
    "symmetric", "table", "tablesample", "then", "to", "trailing", "true",
    "union", "unique", "user", "using", "variadic", "verbose", "when", "where", "window", "with",
};

/* Model names Prisma refuses ("It is a reserved name"): JavaScript reserved
 * words and the generated client's own names. Sorted. */
static const char *const ast_ident_prisma_words[] = {
    "PrismaClient", "async", "await", "break", "case", "catch", "class", "const",
    "continue", "debugger", "default", "delete", "do", "else", "enum", "export", "extends",
    "false", "finally", "for", "function", "if", "implements", "import", "in", "instanceof",
    "interface", "let", "new", "null", "package", "private", "protected", "public", "return",
    "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void",
    "while", "with", "yield",
};

#define AST_IDENT_COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int ast_ident_lower(unsigned char c)
{
    return c >= 'a' && c <= 'z';
}

static int ast_ident_upper(unsigned char c)
{
    return c >= 'A' && c <= 'Z';
}

static int ast_ident_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

int ast_ident_is_snake(const char *s, size_t len)
{
    size_t i;

    if (!s || len == 0 || strlen(s) != len || !ast_ident_lower((unsigned char)s[0]))
        return 0;
    for (i = 1; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        if (!ast_ident_lower(c) && !ast_ident_digit(c) && c != '_')
            return 0;
    }
    return 1;
}

static int ast_ident_alnum_tail(const char *s, size_t len)
{
    size_t i;

    for (i = 1; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        if (!ast_ident_lower(c) && !ast_ident_upper(c) && !ast_ident_digit(c))
            return 0;
    }
    return 1;
}

int ast_ident_is_camel(const char *s, size_t len)
{
    if (!s || len == 0 || strlen(s) != len || !ast_ident_lower((unsigned char)s[0]))
        return 0;
    return ast_ident_alnum_tail(s, len);
}

int ast_ident_is_pascal(const char *s, size_t len)
{
    if (!s || len == 0 || strlen(s) != len || !ast_ident_upper((unsigned char)s[0]))
        return 0;
    return ast_ident_alnum_tail(s, len);
}

int ast_ident_is_filename(const char *s, size_t len)
{
    static const char suffix[] = ".prisma";
    size_t slen = sizeof suffix - 1, i;

    if (!s || len <= slen || len > AST_IDENT_MAX_FILENAME || strlen(s) != len)
        return 0;
    if (memcmp(s + len - slen, suffix, slen) != 0)
        return 0;
    if (!ast_ident_lower((unsigned char)s[0]) && !ast_ident_digit((unsigned char)s[0]))
        return 0;
    for (i = 1; i < len - slen; i++) {
        unsigned char c = (unsigned char)s[i];

        if (!ast_ident_lower(c) && !ast_ident_digit(c) && c != '_' && c != '-')
            return 0;
    }
    return 1;
}

static int ast_ident_in(const char *const *words, size_t n, const char *s, int nocase)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (nocase ? strcasecmp(words[i], s) == 0 : strcmp(words[i], s) == 0)
            return 1;
    }
    return 0;
}

unsigned ast_ident_reserved(const char *s)
{
    unsigned m = 0;

    if (!s)
        return 0;
    if (ast_ident_in(ast_ident_sqlite_words, AST_IDENT_COUNT(ast_ident_sqlite_words), s, 1))
        m |= AST_RESERVED_SQLITE;
    if (ast_ident_in(ast_ident_postgres_words, AST_IDENT_COUNT(ast_ident_postgres_words), s, 1))
        m |= AST_RESERVED_POSTGRES;
    if (ast_ident_in(ast_ident_prisma_words, AST_IDENT_COUNT(ast_ident_prisma_words), s, 0))
        m |= AST_RESERVED_PRISMA_MODEL;
    return m;
}

const char *ast_ident_reserved_where(unsigned mask)
{
    static const char *const names[8] = {
        "nowhere", "SQLite", "PostgreSQL", "SQLite and PostgreSQL", "Prisma",
        "SQLite and Prisma", "PostgreSQL and Prisma", "SQLite, PostgreSQL and Prisma",
    };

    return names[mask & 7u];
}

const char *ast_ident_reserved_at(unsigned which, size_t i)
{
    switch (which) {
    case AST_RESERVED_SQLITE:
        return i < AST_IDENT_COUNT(ast_ident_sqlite_words) ? ast_ident_sqlite_words[i] : NULL;
    case AST_RESERVED_POSTGRES:
        return i < AST_IDENT_COUNT(ast_ident_postgres_words) ? ast_ident_postgres_words[i] : NULL;
    case AST_RESERVED_PRISMA_MODEL:
        return i < AST_IDENT_COUNT(ast_ident_prisma_words) ? ast_ident_prisma_words[i] : NULL;
    default:
        return NULL;
    }
}

const char *ast_ident_show(const char *s, size_t max_src, char *out, size_t cap)
{
    size_t o = 0, i = 0;
    const unsigned char *u = (const unsigned char *)s;

    if (cap < 16)
        return "";
    while (u[i] && i < max_src && o + 12 < cap) {
        unsigned cp = u[i], need = 0, k;

        if (cp >= 0x20 && cp < 0x7F) {
            out[o++] = (char)cp;
            i++;
            continue;
        }
        if (cp >= 0xC2 && cp <= 0xDF) {
            need = 1;
            cp &= 0x1F;
        } else if (cp >= 0xE0 && cp <= 0xEF) {
            need = 2;
            cp &= 0x0F;
        } else if (cp >= 0xF0 && cp <= 0xF4) {
            need = 3;
            cp &= 0x07;
        }
        for (k = 1; k <= need; k++) {
            if ((u[i + k] & 0xC0) != 0x80)
                break;
            cp = (cp << 6) | (u[i + k] & 0x3F);
        }
        if ((need == 0 && cp < 0x80) || (need > 0 && k == need + 1)) {
            o += (size_t)snprintf(out + o, cap - o, cp > 0xFFFF ? "\\u{%X}" : "\\u%04X", cp);
            i += need + 1;
        } else {
            o += (size_t)snprintf(out + o, cap - o, "\\x%02X", u[i]);
            i++;
        }
    }
    if (u[i] && o + 4 < cap) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
    return out;
}
