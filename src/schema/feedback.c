/*
 * feedback.c — renders validation errors as the model's own JSON with inline
 * `// ❌` comments (see feedback.h and docs/feedback.md).
 *
 * The errors are sorted by path once; the renderer walks the document,
 * building each node's path with the same helpers the validator uses
 * (schema_path_root/key/index), and finds the errors of a node, or of a whole
 * subtree, by binary search over the sorted paths. A missing property (value
 * "undefined") whose parent object exists is printed as an extra member of
 * that object. Every error that found no line is listed after the document.
 * The text is assembled from four parts (header with summary, document,
 * unplaced list, footer), each rendered into its own capped buffer; when the
 * whole does not fit the byte budget, the document is rendered again with
 * error-free members elided, and if that still does not fit the text is cut
 * at a line boundary and ends with a "feedback cut" line.
 */
#include "feedback.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/arena.h"

/* Named limits. */
#define FEEDBACK_INDENT_MAX 8              /* spaces per level, at most */
#define FEEDBACK_DEPTH_MAX 128             /* deeper containers print as { … nested too deep … } */
#define FEEDBACK_STRING_MAX 300            /* longer strings and keys are shortened */
#define FEEDBACK_STRING_HEAD 160           /* bytes kept at the start of a shortened string */
#define FEEDBACK_STRING_TAIL 80            /* bytes kept at its end */
#define FEEDBACK_SMALL_LINES 12            /* in elided mode, a container with an error on
                                            * itself is printed in full up to this many lines */
#define FEEDBACK_SUMMARY_GROUPS 15         /* groups listed in the summary */
#define FEEDBACK_MAX_BYTES_DEFAULT ((size_t)256 * 1024)
#define FEEDBACK_SUMMARY_DEFAULT 6
#define FEEDBACK_ELIDE_LINES_DEFAULT 400
#define FEEDBACK_PATH_MAX ((size_t)1024 * 1024) /* cap on one node's path */

#define FB_MARK "\xE2\x9D\x8C"     /* ❌ */
#define FB_ELLIPSIS "\xE2\x80\xA6" /* … */
#define FB_NO_PARENT SIZE_MAX

feedback_params feedback_default_params(void)
{
    feedback_params p;

    p.indent = 2;
    p.summary_threshold = FEEDBACK_SUMMARY_DEFAULT;
    p.max_bytes = FEEDBACK_MAX_BYTES_DEFAULT;
    p.elide_lines = FEEDBACK_ELIDE_LINES_DEFAULT;
    return p;
}

/* ---- context ---------------------------------------------------------------- */

typedef struct fb_entry {
    const char *path;
    size_t idx; /* index in errs->items */
} fb_entry;

typedef struct fb_ctx {
    const schema_errors *errs;
    size_t n;
    int indent;
    fb_entry *sorted;       /* errors by path, ties by index */
    size_t *parent_len;     /* per error: length of the parent path when the last
                             * segment is a key, else FB_NO_PARENT */
    unsigned char *placed;  /* per error: printed in the document */
    bb_buf path;            /* path of the node being rendered */
    bb_buf *out;            /* the document part */
    int elide;              /* elide members without errors */
} fb_ctx;

static int fb_entry_cmp(const void *a, const void *b)
{
    const fb_entry *x = a;
    const fb_entry *y = b;
    int c = strcmp(x->path, y->path);

    if (c)
        return c;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

static int fb_is_ident_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_' || ch == '$';
}

/* Length of the parent path when the last segment of s is a key segment
 * (".name" or ["a-b"]), else FB_NO_PARENT. */
static size_t fb_parent_len(const char *s)
{
    size_t len = strlen(s);
    size_t i;

    if (len == 0)
        return FB_NO_PARENT;
    if (s[len - 1] == ']') {
        if (len < 4 || s[len - 2] != '"')
            return FB_NO_PARENT;
        i = len - 2;
        while (i > 0) {
            size_t bs = 0;
            size_t j;

            i--;
            if (s[i] != '"')
                continue;
            for (j = i; j > 0 && s[j - 1] == '\\'; j--)
                bs++;
            if (bs % 2 == 0)
                break;
        }
        if (i == 0 || s[i] != '"' || s[i - 1] != '[')
            return FB_NO_PARENT;
        return i - 1;
    }
    i = len;
    while (i > 0 && fb_is_ident_char(s[i - 1]))
        i--;
    if (i == len || i == 0 || s[i - 1] != '.')
        return FB_NO_PARENT;
    return i - 1;
}

/* Compares a sorted path with the (p, plen) string. */
static int fb_path_cmp(const char *path, const char *p, size_t plen)
{
    int c = strncmp(path, p, plen);

    if (c)
        return c;
    return path[plen] != '\0';
}

static size_t fb_lower_bound(const fb_ctx *c, const char *p, size_t plen)
{
    size_t lo = 0;
    size_t hi = c->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (fb_path_cmp(c->sorted[mid].path, p, plen) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The sorted range [*lo, *hi) of errors whose path is exactly the current path. */
static void fb_errors_here(const fb_ctx *c, size_t *lo /* OUT */, size_t *hi /* OUT */)
{
    size_t i = fb_lower_bound(c, c->path.data, c->path.len);

    *lo = i;
    while (i < c->n && fb_path_cmp(c->sorted[i].path, c->path.data, c->path.len) == 0)
        i++;
    *hi = i;
}

/* Whether an error lies below the current path (or at it, with self). */
static int fb_subtree_has_error(const fb_ctx *c, int self)
{
    size_t plen = c->path.len;
    size_t i = fb_lower_bound(c, c->path.data, plen);

    for (; i < c->n && strncmp(c->sorted[i].path, c->path.data, plen) == 0; i++) {
        char ch = c->sorted[i].path[plen];

        if ((ch == '\0' && self) || ch == '.' || ch == '[')
            return 1;
    }
    return 0;
}

/* ---- small writers ------------------------------------------------------------ */

static bb_result fb_spaces(bb_buf *b, size_t n)
{
    static const char sp[] = "                                ";
    bb_result rc = BB_OK;

    while (rc == BB_OK && n > 0) {
        size_t k = n < sizeof sp - 1 ? n : sizeof sp - 1;

        rc = bb_buf_append(b, sp, k);
        n -= k;
    }
    return rc;
}

static bb_result fb_indent(fb_ctx *c, size_t depth)
{
    return fb_spaces(c->out, depth * (size_t)c->indent);
}

static int fb_is_cont(char ch)
{
    return ((unsigned char)ch & 0xC0) == 0x80;
}

/* A JSON string literal; strings over FEEDBACK_STRING_MAX bytes keep their
 * head and tail around a marked cut (*cut set). */
static bb_result fb_put_string(bb_buf *b, const char *s, size_t n, int *cut /* OUT, may be NULL */)
{
    char tmp[FEEDBACK_STRING_HEAD + FEEDBACK_STRING_TAIL + 64];
    size_t head = FEEDBACK_STRING_HEAD;
    size_t tail = n - FEEDBACK_STRING_TAIL;
    int k;

    if (n <= FEEDBACK_STRING_MAX)
        return bb_buf_put_json_string(b, s, n);
    while (head > 0 && fb_is_cont(s[head]))
        head--;
    while (tail < n && fb_is_cont(s[tail]))
        tail++;
    memcpy(tmp, s, head);
    k = snprintf(tmp + head, sizeof tmp - head, FB_ELLIPSIS "(%zu bytes cut)" FB_ELLIPSIS, tail - head);
    if (k < 0 || (size_t)k >= sizeof tmp - head - FEEDBACK_STRING_TAIL - 4)
        return BB_ERR_INTERNAL;
    memcpy(tmp + head + (size_t)k, s + tail, n - tail);
    if (cut)
        *cut = 1;
    return bb_buf_put_json_string(b, tmp, head + (size_t)k + (n - tail));
}

static bb_result fb_put_field(bb_buf *b, const char *name, const char *s)
{
    bb_result rc = bb_buf_printf(b, ",\"%s\":", name);

    if (rc == BB_OK)
        rc = bb_buf_put_json_string(b, s, strlen(s));
    return rc;
}

/* {"path":…,"expected":…[,"value":…][,"message":…]} */
static bb_result fb_error_json(bb_buf *b, const schema_error *e, int with_value)
{
    bb_result rc = bb_buf_puts(b, "{\"path\":");

    if (rc == BB_OK)
        rc = bb_buf_put_json_string(b, e->path, strlen(e->path));
    if (rc == BB_OK)
        rc = fb_put_field(b, "expected", e->expected);
    if (rc == BB_OK && with_value)
        rc = fb_put_field(b, "value", e->value);
    if (rc == BB_OK && e->message)
        rc = fb_put_field(b, "message", e->message);
    if (rc == BB_OK)
        rc = bb_buf_putc(b, '}');
    return rc;
}

/* " // ❌ [...]" for the sorted range [lo, hi); marks them placed. */
static bb_result fb_comment(fb_ctx *c, size_t lo, size_t hi, int with_value)
{
    size_t i;
    bb_result rc;

    if (lo == hi)
        return BB_OK;
    rc = bb_buf_puts(c->out, " // " FB_MARK " [");
    for (i = lo; rc == BB_OK && i < hi; i++) {
        size_t idx = c->sorted[i].idx;

        if (i > lo)
            rc = bb_buf_putc(c->out, ',');
        if (rc == BB_OK)
            rc = fb_error_json(c->out, &c->errs->items[idx], with_value);
        c->placed[idx] = 1;
    }
    if (rc == BB_OK)
        rc = bb_buf_putc(c->out, ']');
    return rc;
}

/* ---- missing properties ------------------------------------------------------ */

/* Whether the key named by the path segment seg (".name" or ["a-b"]) is a
 * member of obj. */
static bb_result fb_key_exists(const json_t *obj, const char *seg, int *exists /* OUT */)
{
    size_t len = strlen(seg);
    json_error_t err;
    json_t *k;

    *exists = 0;
    if (seg[0] == '.') {
        *exists = json_object_get(obj, seg + 1) != NULL;
        return BB_OK;
    }
    if (len < 4)
        return BB_OK;
    k = json_loadb(seg + 1, len - 2, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
    if (!k)
        return json_error_code(&err) == json_error_out_of_memory ? BB_ERR_NOMEM : BB_OK;
    if (json_is_string(k))
        *exists = json_object_get(obj, json_string_value(k)) != NULL;
    json_decref(k);
    return BB_OK;
}

typedef struct fb_slot {
    size_t first; /* smallest error index of the group: the print order */
    size_t lo, hi; /* the group's sorted range */
} fb_slot;

static int fb_slot_cmp(const void *a, const void *b)
{
    const fb_slot *x = a;
    const fb_slot *y = b;

    return (x->first > y->first) - (x->first < y->first);
}

/* Finds the missing members of obj (whose path is the current one): groups of
 * errors with one path, a key segment under this object, at least one value
 * "undefined", and no such key in obj. Counts them; with slots non-NULL (room
 * for max), also records them. */
static bb_result fb_missing_scan(fb_ctx *c, const json_t *obj, fb_slot *slots, size_t max,
                                 size_t *count /* OUT */)
{
    size_t plen = c->path.len;
    size_t i = fb_lower_bound(c, c->path.data, plen);
    bb_result rc = BB_OK;

    *count = 0;
    while (rc == BB_OK && i < c->n && strncmp(c->sorted[i].path, c->path.data, plen) == 0) {
        const char *path = c->sorted[i].path;
        size_t j = i + 1;
        size_t k;
        int undef = 0;
        int exists = 0;

        while (j < c->n && strcmp(c->sorted[j].path, path) == 0)
            j++;
        for (k = i; k < j; k++)
            undef |= strcmp(c->errs->items[c->sorted[k].idx].value, "undefined") == 0;
        if (undef && c->parent_len[c->sorted[i].idx] == plen)
            rc = fb_key_exists(obj, path + plen, &exists);
        if (rc == BB_OK && undef && !exists && c->parent_len[c->sorted[i].idx] == plen) {
            if (slots && *count < max) {
                slots[*count].first = c->sorted[i].idx; /* ties are sorted by index */
                slots[*count].lo = i;
                slots[*count].hi = j;
            }
            (*count)++;
        }
        i = j;
    }
    return rc;
}

/* Prints the nmissing missing members of obj as `"key": undefined // ❌ …`
 * lines, in the order of their first error. */
static bb_result fb_missing_print(fb_ctx *c, const json_t *obj, size_t depth, size_t nmissing)
{
    fb_slot *slots = bb_calloc(nmissing, sizeof *slots);
    size_t n = 0;
    size_t i;
    bb_result rc;

    if (!slots)
        return BB_ERR_NOMEM;
    rc = fb_missing_scan(c, obj, slots, nmissing, &n);
    if (rc == BB_OK && n != nmissing)
        rc = BB_ERR_INTERNAL;
    if (rc == BB_OK)
        qsort(slots, n, sizeof *slots, fb_slot_cmp);
    for (i = 0; rc == BB_OK && i < n; i++) {
        const char *seg = c->sorted[slots[i].lo].path + c->path.len;

        rc = fb_indent(c, depth + 1);
        if (rc == BB_OK && seg[0] == '.')
            rc = bb_buf_put_json_string(c->out, seg + 1, strlen(seg + 1));
        else if (rc == BB_OK)
            rc = bb_buf_append(c->out, seg + 1, strlen(seg) - 2);
        if (rc == BB_OK)
            rc = bb_buf_puts(c->out, i + 1 < n ? ": undefined," : ": undefined");
        if (rc == BB_OK)
            rc = fb_comment(c, slots[i].lo, slots[i].hi, 0);
        if (rc == BB_OK)
            rc = bb_buf_putc(c->out, '\n');
    }
    bb_free(slots);
    return rc;
}

/* ---- the document --------------------------------------------------------------- */

static int fb_nonempty_container(const json_t *v)
{
    return (json_is_object(v) && json_object_size(v) > 0) || (json_is_array(v) && json_array_size(v) > 0);
}

static bb_result fb_run_marker(fb_ctx *c, size_t depth, size_t run, int is_obj)
{
    bb_result rc = fb_indent(c, depth);

    if (rc == BB_OK)
        rc = bb_buf_printf(c->out, FB_ELLIPSIS " %zu %s without errors " FB_ELLIPSIS "\n", run,
                           is_obj ? (run == 1 ? "property" : "properties") : (run == 1 ? "item" : "items"));
    return rc;
}

static bb_result fb_node(fb_ctx *c, const json_t *v, const char *key, size_t depth, int comma);
static size_t fb_count_lines(const json_t *v, size_t limit, size_t depth);

static bb_result fb_members(fb_ctx *c, const json_t *v, size_t depth, size_t nmissing)
{
    size_t plen = c->path.len;
    size_t size = json_is_object(v) ? json_object_size(v) : json_array_size(v);
    size_t i = 0;
    size_t run = 0;
    bb_result rc = BB_OK;

    if (json_is_object(v)) {
        const char *k;
        json_t *cv;

        json_object_foreach((json_t *)v, k, cv) {
            bb_buf_truncate(&c->path, plen);
            rc = schema_path_key(&c->path, k);
            if (rc != BB_OK)
                break;
            if (c->elide && fb_nonempty_container(cv) && !fb_subtree_has_error(c, 1)) {
                run++;
            } else {
                if (run)
                    rc = fb_run_marker(c, depth + 1, run, 1);
                run = 0;
                if (rc == BB_OK)
                    rc = fb_node(c, cv, k, depth + 1, i + 1 < size || nmissing > 0);
            }
            if (rc != BB_OK)
                break;
            i++;
        }
    } else {
        for (i = 0; rc == BB_OK && i < size; i++) {
            bb_buf_truncate(&c->path, plen);
            rc = schema_path_index(&c->path, i);
            if (rc != BB_OK)
                break;
            if (c->elide && !fb_subtree_has_error(c, 1)) {
                run++;
                continue;
            }
            if (run)
                rc = fb_run_marker(c, depth + 1, run, 0);
            run = 0;
            if (rc == BB_OK)
                rc = fb_node(c, json_array_get(v, i), NULL, depth + 1, i + 1 < size);
        }
    }
    bb_buf_truncate(&c->path, plen);
    if (rc == BB_OK && run)
        rc = fb_run_marker(c, depth + 1, run, json_is_object(v));
    return rc;
}

static bb_result fb_container(fb_ctx *c, const json_t *v, size_t depth, int comma, size_t lo, size_t hi)
{
    int is_obj = json_is_object(v);
    size_t size = is_obj ? json_object_size(v) : json_array_size(v);
    size_t nmissing = 0;
    int whole = 0; /* elide the whole container on its own line */
    int full = 0;  /* print the whole container, eliding nothing */
    bb_result rc = BB_OK;

    if (is_obj && depth < FEEDBACK_DEPTH_MAX)
        rc = fb_missing_scan(c, v, NULL, 0, &nmissing);
    if (rc != BB_OK)
        return rc;
    if (size == 0 && nmissing == 0) {
        rc = bb_buf_puts(c->out, is_obj ? "{}" : "[]");
        if (rc == BB_OK && comma)
            rc = bb_buf_putc(c->out, ',');
        if (rc == BB_OK)
            rc = fb_comment(c, lo, hi, 0);
        return rc == BB_OK ? bb_buf_putc(c->out, '\n') : rc;
    }
    if (c->elide && nmissing == 0 && depth < FEEDBACK_DEPTH_MAX && !fb_subtree_has_error(c, 0)) {
        if (fb_count_lines(v, FEEDBACK_SMALL_LINES, depth) > FEEDBACK_SMALL_LINES)
            whole = 1;
        else
            full = 1; /* small: print it all, nothing below it is elided */
    }
    if (depth >= FEEDBACK_DEPTH_MAX || whole) {
        if (depth >= FEEDBACK_DEPTH_MAX)
            rc = bb_buf_puts(c->out, is_obj ? "{ " FB_ELLIPSIS " nested too deep " FB_ELLIPSIS " }"
                                            : "[ " FB_ELLIPSIS " nested too deep " FB_ELLIPSIS " ]");
        else
            rc = bb_buf_printf(c->out, "%s " FB_ELLIPSIS " %zu %s without errors " FB_ELLIPSIS " %s",
                               is_obj ? "{" : "[", size,
                               is_obj ? (size == 1 ? "property" : "properties") : (size == 1 ? "item" : "items"),
                               is_obj ? "}" : "]");
        if (rc == BB_OK && comma)
            rc = bb_buf_putc(c->out, ',');
        if (rc == BB_OK)
            rc = fb_comment(c, lo, hi, 1);
        return rc == BB_OK ? bb_buf_putc(c->out, '\n') : rc;
    }
    rc = bb_buf_putc(c->out, is_obj ? '{' : '[');
    if (rc == BB_OK)
        rc = fb_comment(c, lo, hi, 0);
    if (rc == BB_OK)
        rc = bb_buf_putc(c->out, '\n');
    if (rc == BB_OK) {
        int elide = c->elide;

        if (full)
            c->elide = 0;
        rc = fb_members(c, v, depth, nmissing);
        c->elide = elide;
    }
    if (rc == BB_OK && nmissing)
        rc = fb_missing_print(c, v, depth, nmissing);
    if (rc == BB_OK)
        rc = fb_indent(c, depth);
    if (rc == BB_OK)
        rc = bb_buf_putc(c->out, is_obj ? '}' : ']');
    if (rc == BB_OK && comma)
        rc = bb_buf_putc(c->out, ',');
    if (rc == BB_OK)
        rc = bb_buf_putc(c->out, '\n');
    return rc;
}

static bb_result fb_scalar(fb_ctx *c, const json_t *v, int *cut /* OUT */)
{
    char *s = NULL;
    int prec;
    bb_result rc;

    switch (json_typeof(v)) {
    case JSON_STRING:
        return fb_put_string(c->out, json_string_value(v), json_string_length(v), cut);
    case JSON_TRUE:
        return bb_buf_puts(c->out, "true");
    case JSON_FALSE:
        return bb_buf_puts(c->out, "false");
    case JSON_NULL:
        return bb_buf_puts(c->out, "null");
    default:
        break;
    }
    if (json_is_integer(v))
        return bb_buf_printf(c->out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    /* a real: jansson's format, with the fewest digits that read back exactly */
    for (prec = 15; prec <= 17; prec++) {
        s = json_dumps(v, JSON_ENCODE_ANY | JSON_REAL_PRECISION(prec));
        if (!s)
            return BB_ERR_NOMEM;
        if (prec == 17 || strtod(s, NULL) == json_real_value(v))
            break;
        bb_free(s);
    }
    rc = bb_buf_puts(c->out, s);
    bb_free(s);
    return rc;
}

/* One node: its line (or lines), the path already set to the node's. */
static bb_result fb_node(fb_ctx *c, const json_t *v, const char *key, size_t depth, int comma)
{
    size_t lo;
    size_t hi;
    int cut = 0;
    bb_result rc;

    fb_errors_here(c, &lo, &hi);
    rc = fb_indent(c, depth);
    if (rc == BB_OK && key) {
        rc = fb_put_string(c->out, key, strlen(key), NULL);
        if (rc == BB_OK)
            rc = bb_buf_puts(c->out, ": ");
    }
    if (rc != BB_OK)
        return rc;
    if (json_is_object(v) || json_is_array(v))
        return fb_container(c, v, depth, comma, lo, hi);
    rc = fb_scalar(c, v, &cut);
    if (rc == BB_OK && comma)
        rc = bb_buf_putc(c->out, ',');
    if (rc == BB_OK)
        rc = fb_comment(c, lo, hi, cut);
    if (rc == BB_OK)
        rc = bb_buf_putc(c->out, '\n');
    return rc;
}

/* Lines of the full pretty document, counted up to just past limit. */
static size_t fb_count_lines(const json_t *v, size_t limit, size_t depth)
{
    size_t n = 2;

    if (!fb_nonempty_container(v) || depth >= FEEDBACK_DEPTH_MAX)
        return 1;
    if (json_is_object(v)) {
        const char *k;
        json_t *cv;

        json_object_foreach((json_t *)v, k, cv) {
            n += fb_count_lines(cv, limit, depth + 1);
            if (n > limit)
                break;
        }
    } else {
        size_t i;

        for (i = 0; i < json_array_size(v) && n <= limit; i++)
            n += fb_count_lines(json_array_get(v, i), limit, depth + 1);
    }
    return n;
}

static bb_result fb_document(fb_ctx *c, const json_t *doc)
{
    bb_result rc;

    memset(c->placed, 0, c->n ? c->n : 1);
    bb_buf_reset(c->out);
    bb_buf_reset(&c->path);
    rc = schema_path_root(&c->path);
    if (rc == BB_OK)
        rc = fb_node(c, doc, NULL, 0, 0);
    return rc;
}

/* ---- summary ---------------------------------------------------------------------- */

typedef struct fb_group {
    const char *pattern;
    const char *expected;
    size_t count;
} fb_group;

static int fb_group_cmp_key(const void *a, const void *b)
{
    const fb_group *x = a;
    const fb_group *y = b;
    int r = strcmp(x->pattern, y->pattern);

    return r ? r : strcmp(x->expected, y->expected);
}

static int fb_group_cmp_count(const void *a, const void *b)
{
    const fb_group *x = a;
    const fb_group *y = b;

    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return fb_group_cmp_key(a, b);
}

/* The path with every array index replaced by [*] (never longer than path). */
static char *fb_pattern(bb_arena *a, const char *s)
{
    char *p = bb_arena_alloc(a, strlen(s) + 1);
    size_t i = 0;
    size_t o = 0;

    if (!p)
        return NULL;
    while (s[i]) {
        if (s[i] == '[' && s[i + 1] == '"') {
            p[o++] = s[i++];
            p[o++] = s[i++];
            while (s[i] && s[i] != '"') {
                if (s[i] == '\\' && s[i + 1])
                    p[o++] = s[i++];
                p[o++] = s[i++];
            }
            if (s[i])
                p[o++] = s[i++];
        } else if (s[i] == '[' && s[i + 1] >= '0' && s[i + 1] <= '9') {
            size_t j = i + 1;

            while (s[j] >= '0' && s[j] <= '9')
                j++;
            if (s[j] == ']') {
                memcpy(p + o, "[*]", 3);
                o += 3;
                i = j + 1;
            } else {
                p[o++] = s[i++];
            }
        } else {
            p[o++] = s[i++];
        }
    }
    p[o] = '\0';
    return p;
}

/* s as is, or as a JSON string literal when it is empty or holds control
 * characters (a summary line stays one line). */
static bb_result fb_put_plain(bb_buf *b, const char *s)
{
    const unsigned char *p;

    for (p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            break;
    }
    if (*s && !*p)
        return bb_buf_puts(b, s);
    return bb_buf_put_json_string(b, s, strlen(s));
}

static bb_result fb_summary(const schema_errors *errs, bb_buf *b)
{
    bb_arena *a = bb_arena_new(0);
    fb_group *g = NULL;
    size_t i;
    size_t ng = 0;
    bb_result rc = BB_OK;

    if (!a)
        return BB_ERR_NOMEM;
    g = bb_calloc(errs->n ? errs->n : 1, sizeof *g);
    if (!g) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    for (i = 0; i < errs->n; i++) {
        g[i].pattern = fb_pattern(a, errs->items[i].path);
        g[i].expected = errs->items[i].expected;
        g[i].count = 1;
        if (!g[i].pattern) {
            rc = BB_ERR_NOMEM;
            goto out;
        }
    }
    if (errs->n)
        qsort(g, errs->n, sizeof *g, fb_group_cmp_key);
    for (i = 0; i < errs->n; i++) {
        if (ng > 0 && fb_group_cmp_key(&g[ng - 1], &g[i]) == 0)
            g[ng - 1].count++;
        else
            g[ng++] = g[i];
    }
    if (ng)
        qsort(g, ng, sizeof *g, fb_group_cmp_count);
    rc = bb_buf_printf(b, "Summary: %zu error%s in %zu group%s (path pattern: expected).\n", errs->n,
                       errs->n == 1 ? "" : "s", ng, ng == 1 ? "" : "s");
    for (i = 0; rc == BB_OK && i < ng && i < FEEDBACK_SUMMARY_GROUPS; i++) {
        rc = bb_buf_printf(b, "  %zu \xC3\x97 ", g[i].count);
        if (rc == BB_OK)
            rc = fb_put_plain(b, g[i].pattern);
        if (rc == BB_OK)
            rc = bb_buf_puts(b, ": ");
        if (rc == BB_OK)
            rc = fb_put_plain(b, g[i].expected);
        if (rc == BB_OK)
            rc = bb_buf_putc(b, '\n');
    }
    if (rc == BB_OK && ng > FEEDBACK_SUMMARY_GROUPS)
        rc = bb_buf_printf(b, "  " FB_ELLIPSIS " and %zu more group%s\n", ng - FEEDBACK_SUMMARY_GROUPS,
                           ng - FEEDBACK_SUMMARY_GROUPS == 1 ? "" : "s");
out:
    bb_free(g);
    bb_arena_free(a);
    return rc;
}

/* ---- header, error list, footer ------------------------------------------------------ */

static bb_result fb_head(const json_t *doc, const schema_errors *errs, const feedback_params *p, bb_buf *b)
{
    size_t total = schema_errors_total(errs);
    bb_result rc;

    if (doc)
        rc = bb_buf_printf(b,
                           "Your function call had %zu error%s. Your arguments are printed below with each "
                           "error as a `// " FB_MARK "` comment on the offending line.\n",
                           total, total == 1 ? "" : "s");
    else
        rc = bb_buf_printf(b,
                           "Your function call had %zu error%s, and no arguments could be read from it. "
                           "The errors are listed below.\n",
                           total, total == 1 ? "" : "s");
    if (rc == BB_OK && errs->dropped)
        rc = bb_buf_printf(b, "Only the first %zu errors are shown; %zu more were not recorded.\n", errs->n,
                           errs->dropped);
    if (rc == BB_OK && total >= p->summary_threshold && errs->n > 0) {
        rc = bb_buf_putc(b, '\n');
        if (rc == BB_OK)
            rc = fb_summary(errs, b);
    }
    return rc;
}

/* Every error not placed in the document (all of them when placed is NULL). */
static bb_result fb_unplaced(const schema_errors *errs, const unsigned char *placed, int have_doc, bb_buf *b)
{
    size_t i;
    int first = 1;
    bb_result rc = BB_OK;

    for (i = 0; rc == BB_OK && i < errs->n; i++) {
        if (placed && placed[i])
            continue;
        if (first)
            rc = bb_buf_puts(b, have_doc ? "Errors that could not be placed on a line above:\n" : "Errors:\n");
        first = 0;
        if (rc == BB_OK)
            rc = bb_buf_puts(b, "// " FB_MARK " ");
        if (rc == BB_OK)
            rc = fb_error_json(b, &errs->items[i], 1);
        if (rc == BB_OK)
            rc = bb_buf_putc(b, '\n');
    }
    return rc;
}

static const char fb_footer[] =
    "Fix every error and call the function again with the complete corrected arguments.\n";

/* ---- assembly ----------------------------------------------------------------------- */

typedef struct fb_part {
    const bb_buf *b;
    int over; /* rendering stopped at the cap */
} fb_part;

/* A rendering that stopped at the part's cap is not an error: the text is cut later. */
static int fb_absorb_limit(bb_result *rc)
{
    if (*rc != BB_ERR_LIMIT)
        return 0;
    *rc = BB_OK;
    return 1;
}

static bb_result fb_assemble(const fb_part *parts, size_t nparts, size_t budget, bb_buf *all)
{
    char cutline[80];
    size_t total = 0;
    size_t keep;
    size_t foot_len = strlen(fb_footer) + 1;
    size_t i;
    int over = 0;
    int with_foot = 1;
    int k;
    bb_result rc = BB_OK;

    for (i = 0; i < nparts; i++) {
        total += parts[i].b->len + (parts[i].b->len ? 1 : 0);
        over |= parts[i].over;
    }
    if (!over && total + foot_len - 1 <= budget) {
        for (i = 0; rc == BB_OK && i < nparts; i++) {
            if (parts[i].b->len)
                rc = bb_buf_append(all, parts[i].b->data, parts[i].b->len);
            if (rc == BB_OK && parts[i].b->len)
                rc = bb_buf_putc(all, '\n');
        }
        if (rc == BB_OK)
            rc = bb_buf_puts(all, fb_footer);
        return rc;
    }
    k = snprintf(cutline, sizeof cutline, FB_ELLIPSIS " (feedback cut at %zu bytes)\n", budget);
    if (k < 0 || (size_t)k >= sizeof cutline)
        return BB_ERR_INTERNAL;
    if ((size_t)k + foot_len > budget)
        with_foot = 0;
    if ((size_t)k > budget)
        return BB_ERR_LIMIT;
    keep = budget - (size_t)k - (with_foot ? foot_len : 0);
    if (with_foot && nparts > 0) {
        /* the header's first line matters more than the footer */
        const char *nl = parts[0].b->len ? memchr(parts[0].b->data, '\n', parts[0].b->len) : NULL;
        size_t first = nl ? (size_t)(nl - parts[0].b->data) + 1 : 0;

        if (first > keep && first <= budget - (size_t)k) {
            with_foot = 0;
            keep = budget - (size_t)k;
        }
    }
    for (i = 0; rc == BB_OK && i < nparts && all->len < keep; i++) {
        size_t n = parts[i].b->len;

        if (n > keep - all->len)
            n = keep - all->len;
        if (n)
            rc = bb_buf_append(all, parts[i].b->data, n);
        if (rc == BB_OK && parts[i].over)
            break;
        if (rc == BB_OK && parts[i].b->len && all->len < keep)
            rc = bb_buf_putc(all, '\n');
    }
    while (rc == BB_OK && all->len > 0 && all->data[all->len - 1] != '\n')
        bb_buf_truncate(all, all->len - 1);
    if (rc == BB_OK)
        rc = bb_buf_append(all, cutline, (size_t)k);
    if (rc == BB_OK && with_foot) {
        rc = bb_buf_putc(all, '\n');
        if (rc == BB_OK)
            rc = bb_buf_puts(all, fb_footer);
    }
    return rc;
}

bb_result feedback_render(const json_t *doc, const schema_errors *errs, const feedback_params *params,
                          bb_buf *out)
{
    feedback_params p = params ? *params : feedback_default_params();
    fb_ctx c;
    bb_buf head, body, tail, all;
    fb_part parts[3];
    size_t budget;
    size_t i;
    int head_over, body_over = 0, tail_over;
    bb_result rc;

    if (!errs || !out || out->len > out->max)
        return BB_ERR_USAGE;
    memset(&c, 0, sizeof c);
    c.errs = errs;
    c.n = errs->n;
    c.indent = p.indent < 0 ? 0 : p.indent > FEEDBACK_INDENT_MAX ? FEEDBACK_INDENT_MAX : p.indent;
    budget = p.max_bytes ? p.max_bytes : FEEDBACK_MAX_BYTES_DEFAULT;
    if (budget > out->max - out->len)
        budget = out->max - out->len;
    bb_buf_init(&head, budget);
    bb_buf_init(&body, budget);
    bb_buf_init(&tail, budget);
    bb_buf_init(&all, budget);
    bb_buf_init(&c.path, FEEDBACK_PATH_MAX);
    c.out = &body;
    c.sorted = bb_calloc(c.n ? c.n : 1, sizeof *c.sorted);
    c.parent_len = bb_calloc(c.n ? c.n : 1, sizeof *c.parent_len);
    c.placed = bb_calloc(c.n ? c.n : 1, 1);
    if (!c.sorted || !c.parent_len || !c.placed) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    for (i = 0; i < c.n; i++) {
        c.sorted[i].path = errs->items[i].path;
        c.sorted[i].idx = i;
        c.parent_len[i] = fb_parent_len(errs->items[i].path);
    }
    if (c.n)
        qsort(c.sorted, c.n, sizeof *c.sorted, fb_entry_cmp);

    rc = fb_head(doc, errs, &p, &head);
    head_over = fb_absorb_limit(&rc);
    if (rc != BB_OK)
        goto out;
    if (doc) {
        c.elide = fb_count_lines(doc, p.elide_lines, 0) > p.elide_lines;
        rc = fb_document(&c, doc);
        if (rc == BB_ERR_LIMIT && !c.elide) {
            c.elide = 1;
            rc = fb_document(&c, doc);
        }
        body_over = fb_absorb_limit(&rc);
        if (rc != BB_OK)
            goto out;
    }
    rc = fb_unplaced(errs, doc ? c.placed : NULL, doc != NULL, &tail);
    tail_over = fb_absorb_limit(&rc);
    if (rc != BB_OK)
        goto out;
    if (doc && !c.elide && !body_over &&
        head.len + body.len + tail.len + 3 + sizeof fb_footer > budget) {
        /* fits alone but not with the rest: try the elided form */
        c.elide = 1;
        rc = fb_document(&c, doc);
        body_over = fb_absorb_limit(&rc);
        if (rc != BB_OK)
            goto out;
        bb_buf_reset(&tail);
        rc = fb_unplaced(errs, c.placed, 1, &tail);
        tail_over = fb_absorb_limit(&rc);
        if (rc != BB_OK)
            goto out;
    }
    parts[0].b = &head;
    parts[0].over = head_over;
    parts[1].b = &body;
    parts[1].over = body_over;
    parts[2].b = &tail;
    parts[2].over = tail_over;
    rc = fb_assemble(parts, 3, budget, &all);
    if (rc == BB_OK)
        rc = bb_buf_append(out, all.data ? all.data : "", all.len);
out:
    bb_free(c.sorted);
    bb_free(c.parent_len);
    bb_free(c.placed);
    bb_buf_free(&c.path);
    bb_buf_free(&head);
    bb_buf_free(&body);
    bb_buf_free(&tail);
    bb_buf_free(&all);
    return rc;
}
