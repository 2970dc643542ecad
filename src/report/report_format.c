/*
 * report_format.c — escaping and number formatting (see report_format.h).
 */
#include "report/report_format.h"

#include <math.h>
#include <string.h>

bb_result report_fmt_html(bb_buf *b, const char *s)
{
    bb_result rc = BB_OK;
    size_t run;

    if (!s)
        return BB_OK;
    while (rc == BB_OK && *s) {
        run = strcspn(s, "&<>\"'");
        rc = bb_buf_append(b, s, run);
        s += run;
        if (rc != BB_OK || !*s)
            break;
        switch (*s) {
        case '&': rc = bb_buf_puts(b, "&amp;"); break;
        case '<': rc = bb_buf_puts(b, "&lt;"); break;
        case '>': rc = bb_buf_puts(b, "&gt;"); break;
        case '"': rc = bb_buf_puts(b, "&quot;"); break;
        default: rc = bb_buf_puts(b, "&#39;"); break;
        }
        s++;
    }
    return rc;
}

bb_result report_fmt_csv(bb_buf *b, const char *s)
{
    bb_result rc = BB_OK;
    int quote;

    if (!s)
        return BB_OK;
    quote = strpbrk(s, ",\"\r\n") != NULL || strchr("=+-@", s[0]) != NULL;
    if (s[0] == '\0')
        quote = 0;
    if (quote)
        rc = bb_buf_putc(b, '"');
    if (rc == BB_OK && s[0] && strchr("=+-@", s[0]))
        rc = bb_buf_putc(b, '\'');
    for (; rc == BB_OK && *s; s++)
        rc = *s == '"' ? bb_buf_puts(b, "\"\"") : bb_buf_putc(b, *s);
    if (rc == BB_OK && quote)
        rc = bb_buf_putc(b, '"');
    return rc;
}

bb_result report_fmt_md(bb_buf *b, const char *s)
{
    bb_result rc = BB_OK;

    if (!s)
        return BB_OK;
    for (; rc == BB_OK && *s; s++) {
        switch (*s) {
        case '<': rc = bb_buf_puts(b, "&lt;"); break;
        case '>': rc = bb_buf_puts(b, "&gt;"); break;
        case '&': rc = bb_buf_puts(b, "&amp;"); break;
        case '|': case '\\': case '`': case '*': case '_': case '[': case ']': case '#':
            rc = bb_buf_putc(b, '\\');
            if (rc == BB_OK)
                rc = bb_buf_putc(b, *s);
            break;
        default: rc = bb_buf_putc(b, *s); break;
        }
    }
    return rc;
}

bb_result report_fmt_num(bb_buf *b, double v, int decimals, const char *none_text)
{
    if (isnan(v) || isinf(v))
        return bb_buf_puts(b, none_text);
    if (v > -0.5 * pow(10, -decimals) && v < 0)
        v = 0; /* no "-0.0" */
    return bb_buf_printf(b, "%.*f", decimals, v);
}

bb_result report_fmt_interval(bb_buf *b, int present, double mean, double lo, double hi, const char *none_text)
{
    if (!present)
        return bb_buf_puts(b, none_text);
    return bb_buf_printf(b, "%.1f [%.1f, %.1f]", mean, lo, hi);
}
