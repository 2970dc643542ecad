/*
 * json_repair.c — json_parse: strict parsing, and lenient extraction of the
 * JSON value a model meant from whatever text it wrote (see json_repair.h).
 *
 * The lenient path works in two layers. This file finds the window of the
 * input that holds the value: it drops a byte order mark and <think> blocks,
 * prefers a ```json fence, else takes the text as one value when it starts
 * like one, else scans the prose for the first '{' or '[' that parses. Each
 * candidate is parsed by json_parse_core.c, which repairs the value itself in
 * one pass. A failed candidate resumes the scan at the point where it failed,
 * so extraction stays linear in the input however much prose surrounds it.
 * The repair list type and the code names live here too.
 */
#include "json_repair.h"

#include <stdio.h>
#include <string.h>

#include "json/json_parse_core.h"
#include "util/alloc.h"

/* ---------------------------------------------------------------- repair list */

static const char *const json_repair_names[JSON_REPAIR_CODE_COUNT_] = {
    [JSON_REPAIR_BOM] = "bom",
    [JSON_REPAIR_THINK] = "think_block",
    [JSON_REPAIR_FENCE] = "markdown_fence",
    [JSON_REPAIR_PROSE] = "surrounding_text",
    [JSON_REPAIR_COMMENT] = "comment",
    [JSON_REPAIR_TRAILING_COMMA] = "trailing_comma",
    [JSON_REPAIR_SINGLE_QUOTE] = "single_quote",
    [JSON_REPAIR_UNQUOTED_KEY] = "unquoted_key",
    [JSON_REPAIR_PYTHON_CONST] = "python_constant",
    [JSON_REPAIR_CONTROL_CHAR] = "control_char",
    [JSON_REPAIR_MULTIPLE_VALUES] = "multiple_values",
    [JSON_REPAIR_UNCLOSED_STRING] = "unclosed_string",
    [JSON_REPAIR_UNCLOSED_ARRAY] = "unclosed_array",
    [JSON_REPAIR_UNCLOSED_OBJECT] = "unclosed_object",
    [JSON_REPAIR_INVALID_UTF8] = "invalid_utf8",
    [JSON_REPAIR_MISSING_COMMA] = "missing_comma",
    [JSON_REPAIR_MISSING_VALUE] = "missing_value",
    [JSON_REPAIR_INVALID_ESCAPE] = "invalid_escape",
    [JSON_REPAIR_NUMBER_FORMAT] = "number_format",
    [JSON_REPAIR_NONFINITE] = "nonfinite_number",
    [JSON_REPAIR_DUPLICATE_KEY] = "duplicate_key",
    [JSON_REPAIR_SMART_QUOTE] = "smart_quote",
    [JSON_REPAIR_COERCE_NUMBER] = "coerce_number",
    [JSON_REPAIR_COERCE_BOOLEAN] = "coerce_boolean",
    [JSON_REPAIR_COERCE_NULL] = "coerce_null",
    [JSON_REPAIR_COERCE_PARSED] = "double_encoded",
    [JSON_REPAIR_COERCE_WRAP_ARRAY] = "wrap_array",
    [JSON_REPAIR_UNESCAPED_QUOTE] = "unescaped_quote",
    [JSON_REPAIR_MISSING_COLON] = "missing_colon",
};

void json_repair_list_init(json_repair_list *l, size_t max)
{
    l->items = NULL;
    l->n = 0;
    l->cap = 0;
    l->max = max;
    l->dropped = 0;
}

void json_repair_list_free(json_repair_list *l)
{
    size_t i;

    if (!l)
        return;
    for (i = 0; i < l->n; i++)
        bb_free(l->items[i].path);
    bb_free(l->items);
    l->items = NULL;
    l->n = 0;
    l->cap = 0;
    l->dropped = 0;
}

bb_result json_repair_list_add(json_repair_list *l, json_repair_code code, size_t pos, const char *path)
{
    char *pc = NULL;

    if (l->n >= l->max) {
        l->dropped++;
        return BB_OK;
    }
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 8;
        json_repair *ni;

        if (ncap > l->max)
            ncap = l->max;
        ni = bb_realloc(l->items, ncap * sizeof *ni);
        if (!ni)
            return BB_ERR_NOMEM;
        l->items = ni;
        l->cap = ncap;
    }
    if (path) {
        pc = bb_strdup(path);
        if (!pc)
            return BB_ERR_NOMEM;
    }
    l->items[l->n].code = code;
    l->items[l->n].pos = pos;
    l->items[l->n].path = pc;
    l->n++;
    return BB_OK;
}

size_t json_repair_list_count(const json_repair_list *l, json_repair_code code)
{
    size_t i, k = 0;

    for (i = 0; i < l->n; i++) {
        if (l->items[i].code == code)
            k++;
    }
    return k;
}

const char *json_repair_code_name(json_repair_code code)
{
    if ((int)code < 0 || code >= JSON_REPAIR_CODE_COUNT_ || !json_repair_names[code])
        return "unknown";
    return json_repair_names[code];
}

int json_repair_code_from_name(const char *name)
{
    int i;

    if (!name)
        return -1;
    for (i = 0; i < JSON_REPAIR_CODE_COUNT_; i++) {
        if (json_repair_names[i] && strcmp(json_repair_names[i], name) == 0)
            return i;
    }
    return -1;
}

/* Drops entries past n (a failed extraction candidate). */
static void json_repair_list_rewind(json_repair_list *l, size_t n, size_t dropped)
{
    while (l->n > n) {
        l->n--;
        bb_free(l->items[l->n].path);
    }
    l->dropped = dropped;
}

/* Stable sort by position (the core records closers after their contents). */
static void json_repair_list_sort(json_repair_list *l)
{
    size_t i, j;

    for (i = 1; i < l->n; i++) {
        json_repair t = l->items[i];

        for (j = i; j > 0 && l->items[j - 1].pos > t.pos; j--)
            l->items[j] = l->items[j - 1];
        l->items[j] = t;
    }
}

/* ---------------------------------------------------------------- params */

json_parse_params json_parse_default_params(void)
{
    json_parse_params p;

    p.max_input = (size_t)16 * 1024 * 1024;
    p.max_depth = 256;
    p.max_string = (size_t)4 * 1024 * 1024;
    p.max_values = 2000000;
    p.max_repairs = 1000;
    p.strict = 0;
    return p;
}

/* ---------------------------------------------------------------- text helpers */

static int jx_is_ws(char ch)
{
    return ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t';
}

static size_t jx_skip_ws(const char *s, size_t p, size_t end)
{
    while (p < end && jx_is_ws(s[p]))
        p++;
    return p;
}

/* Offset of needle in s[from..end), or end. */
static size_t jx_find(const char *s, size_t from, size_t end, const char *needle)
{
    return jp_find(s, from, end, needle, strlen(needle));
}

/* Length of a <think>/<thinking> open tag at p (0 if none). */
static size_t jx_think_open(const char *s, size_t p, size_t end)
{
    if (end - p >= 7 && memcmp(s + p, "<think>", 7) == 0)
        return 7;
    if (end - p >= 10 && memcmp(s + p, "<thinking>", 10) == 0)
        return 10;
    return 0;
}

/* First close tag at or after `from`; *tl gets its length. end if none. */
static size_t jx_think_close(const char *s, size_t from, size_t end, size_t *tl)
{
    size_t p = from;

    for (;;) {
        p = jx_find(s, p, end, "</think");
        if (p >= end)
            return end;
        if (end - p >= 8 && s[p + 7] == '>') {
            *tl = 8;
            return p;
        }
        if (end - p >= 11 && memcmp(s + p + 7, "ing>", 4) == 0) {
            *tl = 11;
            return p;
        }
        p += 7;
    }
}

/* First open tag at or after `from`, end if none. */
static size_t jx_think_open_find(const char *s, size_t from, size_t end)
{
    size_t p = from;

    for (;;) {
        p = jx_find(s, p, end, "<think");
        if (p >= end || jx_think_open(s, p, end))
            return p;
        p += 6;
    }
}

/* Drops leading reasoning: a close tag with no open tag before it (the chat
 * template opened the block), then any <think>...</think> blocks. Returns the
 * new start; records think_block. */
static bb_result jx_skip_think(jp_ctx *c, size_t a, size_t end, size_t *out /* OUT */)
{
    const char *s = c->s;
    size_t tl = 0, cl, op, t;
    bb_result rc;

    cl = jx_think_close(s, a, end, &tl);
    if (cl < end) {
        op = jx_think_open_find(s, a, cl);
        if (op >= cl) {
            rc = jp_repair(c, JSON_REPAIR_THINK, jx_skip_ws(s, a, end));
            if (rc != BB_OK)
                return rc;
            a = cl + tl;
        }
    }
    for (;;) {
        size_t ol;

        t = jx_skip_ws(s, a, end);
        ol = t < end ? jx_think_open(s, t, end) : 0;
        if (!ol)
            break;
        rc = jp_repair(c, JSON_REPAIR_THINK, t);
        if (rc != BB_OK)
            return rc;
        cl = jx_think_close(s, t + ol, end, &tl);
        if (cl >= end) {
            /* never closed: drop the tag only and look for JSON in the rest */
            a = t + ol;
            break;
        }
        a = cl + tl;
    }
    *out = a;
    return BB_OK;
}

/* A fenced block: the ``` opener, the content window and the end of the
 * closing fence. */
typedef struct jx_fence {
    size_t open, cstart, cend, after;
} jx_fence;

static int jx_info_is_json(const char *s, size_t p, size_t eol)
{
    return eol - p >= 4 && (s[p] == 'j' || s[p] == 'J') && (s[p + 1] == 's' || s[p + 1] == 'S') &&
           (s[p + 2] == 'o' || s[p + 2] == 'O') && (s[p + 3] == 'n' || s[p + 3] == 'N');
}

/* The newline before a closing fence: "```" preceded on its line only by
 * spaces or tabs, searched from `from`. end if none. */
static size_t jx_fence_close(const char *s, size_t from, size_t end)
{
    size_t p = from;

    for (;;) {
        size_t q;

        p = jx_find(s, p, end, "```");
        if (p >= end)
            return end;
        q = p;
        while (q > from && (s[q - 1] == ' ' || s[q - 1] == '\t'))
            q--;
        if (q > from && s[q - 1] == '\n')
            return q - 1;
        p += 3;
    }
}

/* Finds the fenced block to use: the first ```json one, else the first whose
 * content starts with '{' or '['. Returns 1 when found. */
static int jx_find_fence(const char *s, size_t a, size_t end, jx_fence *f /* OUT */)
{
    size_t p = a;
    int have = 0;

    for (;;) {
        jx_fence g;
        size_t eol, close, t;
        int tagged;

        g.open = jx_find(s, p, end, "```");
        if (g.open >= end)
            break;
        eol = g.open + 3;
        while (eol < end && s[eol] != '\n')
            eol++;
        tagged = jx_info_is_json(s, g.open + 3, eol);
        g.cstart = eol < end ? eol + 1 : end;
        close = jx_fence_close(s, eol, end);
        g.cend = close;
        g.after = close < end ? jx_find(s, close, end, "```") + 3 : end;
        t = jx_skip_ws(s, g.cstart, g.cend);
        if (tagged) {
            *f = g;
            return 1;
        }
        if (!have && t < g.cend && (s[t] == '{' || s[t] == '[') && eol - g.open - 3 < 40) {
            *f = g;
            have = 1;
        }
        if (close >= end)
            break;
        p = g.after;
    }
    return have;
}

/* ---------------------------------------------------------------- extraction */

/* Records what follows a parsed value inside its window. */
static bb_result jx_trailing(jp_ctx *c, size_t wend)
{
    unsigned char b;

    c->end = wend;
    jp_skip_ws(c);
    if (c->err != BB_OK)
        return c->err;
    if (c->p >= wend)
        return BB_OK;
    b = (unsigned char)c->s[c->p];
    if (b == '{' || b == '[' || b == '"' || b == '-' || (b >= '0' && b <= '9'))
        return jp_repair(c, JSON_REPAIR_MULTIPLE_VALUES, c->p);
    return jp_repair(c, JSON_REPAIR_PROSE, c->p);
}

/* One candidate: parse at pos within [pos, wend); on a parse error the repair
 * list is rewound. *fail_at gets where it failed. */
static bb_result jx_attempt(jp_ctx *c, size_t pos, size_t wend, json_t **v, size_t *fail_at)
{
    size_t n0 = c->rep->n, d0 = c->rep->dropped;
    bb_result rc = jp_value(c, pos, wend, v);

    if (rc == BB_ERR_PARSE) {
        json_repair_list_rewind(c->rep, n0, d0);
        *fail_at = c->err_pos;
    }
    return rc;
}

/* Remembers the first candidate's error so it can be reported when nothing
 * parses. */
typedef struct jx_first_err {
    int set;
    size_t pos;
    char msg[160];
} jx_first_err;

static void jx_keep_err(const jp_ctx *c, jx_first_err *fe)
{
    if (fe->set)
        return;
    fe->set = 1;
    fe->pos = c->err_pos;
    snprintf(fe->msg, sizeof fe->msg, "%s", c->err_msg);
}

/* The text from t to the end as one scalar value (nothing but whitespace or
 * comments after it; with allow_more, more values may follow and are
 * recorded). *v stays NULL when it is not. */
static bb_result jx_whole_scalar(jp_ctx *c, size_t t, size_t len, int allow_more, json_t **v /* OUT */)
{
    size_t n0 = c->rep->n, d0 = c->rep->dropped, fail_at = 0;
    bb_result rc = jx_attempt(c, t, len, v, &fail_at);

    if (rc == BB_ERR_PARSE)
        return BB_OK;
    if (rc != BB_OK)
        return rc;
    c->end = len;
    jp_skip_ws(c);
    if (c->err != BB_OK) {
        json_decref(*v);
        *v = NULL;
        return c->err;
    }
    if (c->p < len) {
        unsigned char b = (unsigned char)c->s[c->p];

        if (allow_more && (b == '"' || b == '\'' || b == '{' || b == '[' || b == '-' ||
                           (b >= '0' && b <= '9')))
            return jp_repair(c, JSON_REPAIR_MULTIPLE_VALUES, c->p);
        json_decref(*v);
        *v = NULL;
        json_repair_list_rewind(c->rep, n0, d0);
    }
    return BB_OK;
}

static bb_result jx_extract(jp_ctx *c, size_t len, json_t **out /* OUT */)
{
    const char *s = c->s;
    size_t a = 0, t, t0, fail_at = 0, first_fail = 0, scan, tl = 0, no_close_from = len + 1;
    jx_first_err fe = {0, 0, ""};
    jx_fence f;
    json_t *v = NULL;
    bb_result rc;

    *out = NULL;
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
        rc = jp_repair(c, JSON_REPAIR_BOM, 0);
        if (rc != BB_OK)
            return rc;
        a = 3;
    }
    t0 = jx_skip_ws(s, a, len);
    if (t0 >= len)
        return BB_ERR_PARSE; /* reported by the caller as "no JSON value" */

    /* 1. text that starts like a value is taken as the value, before any
     * other interpretation (so valid JSON never loses a "</think>" inside
     * a string to the reasoning filter) */
    if (s[t0] == '{' || s[t0] == '[') {
        rc = jx_attempt(c, t0, len, &v, &fail_at);
        if (rc == BB_OK)
            goto found;
        if (rc != BB_ERR_PARSE)
            return rc;
        jx_keep_err(c, &fe);
        first_fail = fail_at;
    } else {
        rc = jx_whole_scalar(c, t0, len, 0, &v);
        if (rc != BB_OK)
            return rc;
        if (v) {
            *out = v;
            return BB_OK;
        }
    }
    /* 2. reasoning blocks, then the same again */
    rc = jx_skip_think(c, a, len, &a);
    if (rc != BB_OK)
        return rc;
    t = jx_skip_ws(s, a, len);
    if (t >= len) {
        c->err_pos = len;
        snprintf(c->err_msg, sizeof c->err_msg, "no JSON value after the reasoning block");
        return BB_ERR_PARSE;
    }
    if (t != t0) {
        if (s[t] == '{' || s[t] == '[') {
            rc = jx_attempt(c, t, len, &v, &fail_at);
            if (rc == BB_OK)
                goto found;
            if (rc != BB_ERR_PARSE)
                return rc;
            jx_keep_err(c, &fe);
            first_fail = fail_at;
        } else {
            rc = jx_whole_scalar(c, t, len, 0, &v);
            if (rc != BB_OK)
                return rc;
            if (v) {
                *out = v;
                return BB_OK;
            }
        }
    }
    /* 3. a fenced block */
    if (jx_find_fence(s, t, len, &f)) {
        size_t n0 = c->rep->n, d0 = c->rep->dropped, ft = jx_skip_ws(s, f.cstart, f.cend);

        if (ft < f.cend) {
            rc = jx_attempt(c, ft, f.cend, &v, &fail_at);
            if (rc == BB_OK) {
                rc = jx_trailing(c, f.cend);
                if (rc == BB_OK)
                    rc = jp_repair(c, JSON_REPAIR_FENCE, f.open);
                if (rc == BB_OK && jx_skip_ws(s, t, f.open) < f.open)
                    rc = jp_repair(c, JSON_REPAIR_PROSE, t);
                if (rc == BB_OK && jx_skip_ws(s, f.after, len) < len)
                    rc = jp_repair(c, JSON_REPAIR_PROSE, jx_skip_ws(s, f.after, len));
                if (rc != BB_OK) {
                    json_decref(v);
                    return rc;
                }
                *out = v;
                return BB_OK;
            }
            if (rc != BB_ERR_PARSE)
                return rc;
            jx_keep_err(c, &fe);
            json_repair_list_rewind(c->rep, n0, d0);
        }
    }
    /* 4. scan the prose for the first '{' or '[' that parses */
    scan = s[t] == '{' || s[t] == '[' ? (first_fail > t ? first_fail : t + 1) : t;
    while (scan < len) {
        unsigned char b = (unsigned char)s[scan];
        size_t ol;

        if (b != '{' && b != '[' && b != '<') {
            scan++;
            continue;
        }
        if (b == '<') {
            ol = jx_think_open(s, scan, len);
            if (ol && scan + ol < no_close_from) {
                size_t cl = jx_think_close(s, scan + ol, len, &tl);

                if (cl < len) {
                    rc = jp_repair(c, JSON_REPAIR_THINK, scan);
                    if (rc != BB_OK)
                        return rc;
                    scan = cl + tl;
                    continue;
                }
                no_close_from = scan; /* no close tag anywhere after here */
            }
            scan++;
            continue;
        }
        rc = jx_attempt(c, scan, len, &v, &fail_at);
        if (rc == BB_OK) {
            rc = jp_repair(c, JSON_REPAIR_PROSE, t);
            if (rc != BB_OK) {
                json_decref(v);
                return rc;
            }
            goto found;
        }
        if (rc != BB_ERR_PARSE)
            return rc;
        jx_keep_err(c, &fe);
        scan = fail_at > scan ? fail_at : scan + 1;
    }
    /* 5. no object or array anywhere: a scalar followed by more values */
    if (s[t] != '{' && s[t] != '[') {
        rc = jx_whole_scalar(c, t, len, 1, &v);
        if (rc != BB_OK)
            return rc;
        if (v) {
            *out = v;
            return BB_OK;
        }
    }
    if (fe.set) {
        c->err_pos = fe.pos;
        snprintf(c->err_msg, sizeof c->err_msg, "%s", fe.msg);
    } else {
        c->err_pos = t;
        snprintf(c->err_msg, sizeof c->err_msg, "no JSON object or array found in the text");
    }
    return BB_ERR_PARSE;

found:
    rc = jx_trailing(c, len);
    if (rc != BB_OK) {
        json_decref(v);
        return rc;
    }
    *out = v;
    return BB_OK;
}

/* ---------------------------------------------------------------- json_parse */

static void json_parse_locate(const char *text, size_t len, json_parse_result *r)
{
    size_t i, line_start = 0;
    unsigned line = 1;

    if (r->err_pos > len)
        r->err_pos = len;
    for (i = 0; i < r->err_pos; i++) {
        if (text[i] == '\n') {
            line++;
            line_start = i + 1;
        }
    }
    r->err_line = line;
    r->err_col = (unsigned)(r->err_pos - line_start + 1);
}

bb_result json_parse(const char *text, size_t len, const json_parse_params *params,
                     json_parse_result *out)
{
    json_parse_params prm = params ? *params : json_parse_default_params();
    jp_ctx c;
    json_t *v = NULL;
    bb_result rc;

    memset(out, 0, sizeof *out);
    json_repair_list_init(&out->repairs, prm.max_repairs);
    memset(&c, 0, sizeof c);
    c.s = text;
    c.prm = &prm;
    c.lenient = !prm.strict;
    c.rep = &out->repairs;
    if (!text && len) {
        rc = BB_ERR_USAGE;
        c.err_pos = 0;
        snprintf(c.err_msg, sizeof c.err_msg, "NULL text with a non-zero length");
        goto out;
    }
    if (len > prm.max_input) {
        rc = BB_ERR_LIMIT;
        c.err_pos = prm.max_input;
        snprintf(c.err_msg, sizeof c.err_msg, "input of %zu bytes is over %zu bytes (max_input)", len,
                 prm.max_input);
        goto out;
    }
    if (prm.max_depth < 1) {
        rc = BB_ERR_USAGE;
        c.err_pos = 0;
        snprintf(c.err_msg, sizeof c.err_msg, "max_depth must be at least 1");
        goto out;
    }
    if (prm.strict) {
        if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
            rc = BB_ERR_PARSE;
            c.err_pos = 0;
            snprintf(c.err_msg, sizeof c.err_msg, "byte order mark is not allowed (strict mode)");
            goto out;
        }
        rc = jp_value(&c, 0, len, &v);
        if (rc == BB_OK) {
            c.end = len;
            jp_skip_ws(&c);
            if (c.p < len) {
                unsigned char b = (unsigned char)text[c.p];

                rc = BB_ERR_PARSE;
                c.err_pos = c.p;
                if (b >= 0x21 && b < 0x7F)
                    snprintf(c.err_msg, sizeof c.err_msg, "unexpected '%c' after the JSON value", b);
                else
                    snprintf(c.err_msg, sizeof c.err_msg, "unexpected byte 0x%02X after the JSON value",
                             b);
            }
        }
    } else {
        c.err_pos = 0;
        c.err_msg[0] = '\0';
        rc = jx_extract(&c, len, &v);
        if (rc == BB_ERR_PARSE && !c.err_msg[0]) {
            c.err_pos = len;
            snprintf(c.err_msg, sizeof c.err_msg, "no JSON value in the input (empty or whitespace)");
        }
    }
out:
    if (rc != BB_OK) {
        json_decref(v);
        v = NULL;
        out->err_pos = c.err_pos;
        snprintf(out->err_msg, sizeof out->err_msg, "%s", c.err_msg[0] ? c.err_msg : bb_strerror(rc));
        if (rc == BB_ERR_LIMIT && len > prm.max_input) {
            /* never read the claimed bytes to locate the error */
            out->err_line = 1;
            out->err_col = 1;
        } else {
            json_parse_locate(text, len, out);
        }
        json_repair_list_free(&out->repairs);
        json_repair_list_init(&out->repairs, prm.max_repairs);
    } else {
        out->value = v;
        out->truncated = c.truncated;
        json_repair_list_sort(&out->repairs);
    }
    jp_ctx_free(&c);
    return rc;
}

void json_parse_result_free(json_parse_result *r)
{
    if (!r)
        return;
    json_decref(r->value);
    r->value = NULL;
    json_repair_list_free(&r->repairs);
}
