/*
 * names.c — name normalisation: word splitting, singular forms, design
 * prefixes and API path normalisation (see names.h).
 */
#include "bench/names.h"

#include <string.h>

/* ---- singular forms ------------------------------------------------------ */

/* Plurals no suffix rule gets right. */
static const char *const names_irregular[][2] = {
    {"people", "person"},   {"children", "child"},  {"men", "man"},         {"women", "woman"},
    {"statuses", "status"}, {"indices", "index"},   {"matrices", "matrix"}, {"criteria", "criterion"},
    {"analyses", "analysis"}, {"aliases", "alias"}, {"buses", "bus"},       {"bonuses", "bonus"},
    {"campuses", "campus"}, {"viruses", "virus"},   {"quizzes", "quiz"},    {"leaves", "leaf"},
    {"lives", "life"},      {"knives", "knife"},    {"wives", "wife"},      {"halves", "half"},
    {"shelves", "shelf"},   {"mice", "mouse"},      {"geese", "goose"},     {"feet", "foot"},
    {"teeth", "tooth"},     {"series", "series"},   {"species", "species"}, {"news", "news"},
};

/* Words ending in 's' that are already singular. */
static const char *const names_keep[] = {
    "status", "address", "access", "business", "process", "class", "bus", "bonus", "campus", "virus",
    "analysis", "basis", "axis", "thesis", "canvas", "alias", "atlas", "gas", "plus", "minus", "corpus",
    "progress", "success", "express", "congress", "glass", "pass", "less", "this", "his", "yes", "is",
    "was", "has", "its", "us", "as", "os", "ios", "sms", "dns", "gps", "cors", "https", "aws", "kudos",
    "lens", "cactus", "census", "consensus", "chaos", "ethos", "focus", "genus", "nexus", "radius",
    "apparatus", "prospectus", "syllabus", "terminus", "stimulus", "bias", "iris", "tennis", "chassis",
};

static int names_ends(const char *w, size_t len, const char *suffix)
{
    size_t k = strlen(suffix);

    return len >= k && memcmp(w + len - k, suffix, k) == 0;
}

void bench_name_singular(char *w)
{
    size_t i, len = strlen(w);

    for (i = 0; i < sizeof names_irregular / sizeof names_irregular[0]; i++) {
        if (strcmp(w, names_irregular[i][0]) == 0) {
            size_t n = strlen(names_irregular[i][1]);

            memcpy(w, names_irregular[i][1], n + 1); /* never longer than the plural */
            return;
        }
    }
    for (i = 0; i < sizeof names_keep / sizeof names_keep[0]; i++)
        if (strcmp(w, names_keep[i]) == 0)
            return;
    if (len <= 3 || w[len - 1] != 's')
        return;
    if (names_ends(w, len, "ss") || names_ends(w, len, "us") || names_ends(w, len, "is"))
        return;
    if (names_ends(w, len, "ies") && len > 4) {
        w[len - 3] = 'y';
        w[len - 2] = '\0';
        return;
    }
    if (names_ends(w, len, "sses") || names_ends(w, len, "xes") || names_ends(w, len, "ches") ||
        names_ends(w, len, "shes") || names_ends(w, len, "zzes")) {
        w[len - 2] = '\0';
        return;
    }
    w[len - 1] = '\0';
}

/* ---- splitting ----------------------------------------------------------- */

static int names_is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static int names_is_lower(char c) { return c >= 'a' && c <= 'z'; }
static int names_is_digit(char c) { return c >= '0' && c <= '9'; }
static int names_is_alnum(char c) { return names_is_upper(c) || names_is_lower(c) || names_is_digit(c); }

/* Appends word w (lower-case) to out after singularising it. */
static bb_result names_push(bench_name *out, char *w)
{
    size_t pos = out->n_words ? out->start[out->n_words] : 0;
    size_t k;

    bench_name_singular(w);
    k = strlen(w);
    if (k == 0)
        return BB_OK;
    if (out->n_words >= BENCH_NAME_MAX_WORDS || pos + k > BENCH_NAME_MAX_LEN)
        return BB_ERR_LIMIT;
    memcpy(out->joined + pos, w, k);
    out->joined[pos + k] = '\0';
    out->start[out->n_words] = pos;
    out->n_words++;
    out->start[out->n_words] = pos + k;
    return BB_OK;
}

bb_result bench_name_parse(const char *s, bench_name *out)
{
    char word[BENCH_NAME_MAX_LEN + 1];
    size_t wl = 0, i;
    bb_result rc = BB_OK;

    memset(out, 0, sizeof *out);
    if (!s)
        return BB_ERR_INVALID;
    for (i = 0; s[i] != '\0'; i++) {
        char c = s[i];
        int boundary = 0;

        if (!names_is_alnum(c)) {
            boundary = 1; /* separator: '_', '-', '.', ' ', anything else */
        } else if (names_is_upper(c) && i > 0) {
            char p = s[i - 1], n = s[i + 1];

            /* aB -> a|B ; 1B -> 1|B ; ABc -> A|Bc */
            if (names_is_lower(p) || names_is_digit(p) || (names_is_upper(p) && names_is_lower(n)))
                boundary = 1;
        }
        if (boundary && wl > 0) {
            word[wl] = '\0';
            rc = names_push(out, word);
            if (rc != BB_OK)
                return rc;
            wl = 0;
        }
        if (!names_is_alnum(c))
            continue;
        if (wl >= BENCH_NAME_MAX_LEN)
            return BB_ERR_LIMIT;
        word[wl++] = names_is_upper(c) ? (char)(c - 'A' + 'a') : c;
    }
    if (wl > 0) {
        word[wl] = '\0';
        rc = names_push(out, word);
        if (rc != BB_OK)
            return rc;
    }
    return out->n_words ? BB_OK : BB_ERR_INVALID;
}

const char *bench_name_tail(const bench_name *n, size_t from)
{
    if (from >= n->n_words)
        return "";
    return n->joined + n->start[from];
}

int bench_name_equal(const bench_name *a, size_t a_from, const bench_name *b, size_t b_from)
{
    if (a_from >= a->n_words || b_from >= b->n_words)
        return 0;
    return strcmp(bench_name_tail(a, a_from), bench_name_tail(b, b_from)) == 0;
}

int bench_name_word_is(const bench_name *n, size_t i, const char *w)
{
    size_t k;

    if (i >= n->n_words)
        return 0;
    k = n->start[i + 1] - n->start[i];
    return strlen(w) == k && memcmp(n->joined + n->start[i], w, k) == 0;
}

/* ---- design prefix ------------------------------------------------------- */

/* 1 when the first k words of a and b are the same words. */
static int names_same_lead(const bench_name *a, const bench_name *b, size_t k)
{
    if (a->n_words < k || b->n_words < k)
        return 0;
    return a->start[k] == b->start[k] && memcmp(a->joined, b->joined, a->start[k]) == 0;
}

void bench_names_prefix(const bench_name *names, size_t n, size_t *n_words, size_t *which)
{
    size_t need, k, best_k = 0, best_w = 0;

    *n_words = 0;
    *which = 0;
    if (n == 0)
        return;
    if (n == 1) {
        *n_words = names[0].n_words > 0 ? names[0].n_words - 1 : 0;
        return;
    }
    need = (6 * n + 9) / 10;
    if (need < 2)
        need = 2;
    for (k = 1; k < BENCH_NAME_MAX_WORDS; k++) {
        size_t i, j, found = 0, found_w = 0;

        /* the k-word lead of names[i] with the most holders (quadratic: designs are small) */
        for (i = 0; i < n && !found; i++) {
            size_t holders = 0;

            if (names[i].n_words <= k)
                continue;
            for (j = 0; j < n; j++)
                if (names[j].n_words > k && names_same_lead(&names[i], &names[j], k))
                    holders++;
            if (holders >= need) {
                found = 1;
                found_w = i;
            }
        }
        if (!found)
            break;
        best_k = k;
        best_w = found_w;
    }
    *n_words = best_k;
    *which = best_w;
}

size_t bench_name_prefix_drop(const bench_name *n, const bench_name *prefix_owner, size_t prefix_words)
{
    if (prefix_words == 0 || n->n_words <= prefix_words)
        return 0;
    return names_same_lead(n, prefix_owner, prefix_words) ? prefix_words : 0;
}

/* ---- API paths ----------------------------------------------------------- */

bb_result bench_path_normalise(const char *path, bench_path *out)
{
    size_t i = 1, len = 0;

    memset(out, 0, sizeof *out);
    if (!path || path[0] != '/')
        return BB_ERR_INVALID;
    while (path[i] != '\0') {
        size_t j = i, k;
        char seg[BENCH_NAME_MAX_LEN + 1];
        const char *piece;

        while (path[j] != '\0' && path[j] != '/')
            j++;
        if (j == i) {
            if (path[j] == '\0')
                break; /* trailing slash */
            return BB_ERR_INVALID;
        }
        if (j - i > BENCH_NAME_MAX_LEN)
            return BB_ERR_LIMIT;
        if (path[i] == '{' || path[i] == ':') {
            if (path[i] == '{' && path[j - 1] != '}')
                return BB_ERR_INVALID;
            piece = "{}";
        } else {
            bench_name nm;
            bb_result rc;

            memcpy(seg, path + i, j - i);
            seg[j - i] = '\0';
            rc = bench_name_parse(seg, &nm);
            if (rc != BB_OK)
                return rc;
            memcpy(seg, nm.joined, strlen(nm.joined) + 1);
            piece = seg;
        }
        k = strlen(piece);
        if (out->n_segs >= BENCH_PATH_MAX_SEGS || len + k + 1 > BENCH_PATH_MAX_LEN)
            return BB_ERR_LIMIT;
        if (out->n_segs > 0)
            out->text[len++] = '/';
        out->seg[out->n_segs++] = len;
        memcpy(out->text + len, piece, k);
        len += k;
        out->text[len] = '\0';
        i = path[j] == '/' ? j + 1 : j;
    }
    out->seg[out->n_segs] = len + 1;
    return BB_OK;
}

const char *bench_path_segment(const bench_path *p, size_t i, char *buf, size_t cap)
{
    size_t k;

    if (cap == 0)
        return "";
    buf[0] = '\0';
    if (i >= p->n_segs)
        return buf;
    k = p->seg[i + 1] - 1 - p->seg[i];
    if (k >= cap)
        k = cap - 1;
    memcpy(buf, p->text + p->seg[i], k);
    buf[k] = '\0';
    return buf;
}

const char *bench_path_tail(const bench_path *p, size_t from)
{
    if (from >= p->n_segs)
        return "";
    return p->text + p->seg[from];
}
