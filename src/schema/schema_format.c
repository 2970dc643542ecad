/*
 * schema_format.c — hand-written format checks (see schema_format.h).
 *
 * Each check is a small recursive-descent scanner over the bytes of the
 * string; none allocates. Grammar references: RFC 3339 §5.6 (date-time),
 * RFC 4291 §2.2 (IPv6 text), RFC 3986 §3 (URI), RFC 1123 §2.1 (hostname),
 * RFC 5321 §4.1.2 (mailbox), RFC 4122 §3 (UUID).
 */
#include "schema_format.h"

#include <math.h>
#include <string.h>

static const char *const schema_format_names[SCHEMA_FMT_COUNT_] = {
    "",      "date-time", "date",  "time",   "email",  "uri",   "uuid",   "ipv4",
    "ipv6",  "hostname",  "password", "int32", "uint32", "int64", "uint64", "float", "double",
};

schema_format schema_format_from_name(const char *name)
{
    int i;

    for (i = 1; i < SCHEMA_FMT_COUNT_; i++) {
        if (strcmp(name, schema_format_names[i]) == 0)
            return (schema_format)i;
    }
    return SCHEMA_FMT_NONE;
}

const char *schema_format_name(schema_format f)
{
    if ((unsigned)f >= SCHEMA_FMT_COUNT_)
        return "";
    return schema_format_names[f];
}

/* ---- small scanners ---------------------------------------------------- */

static int fmt_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int fmt_is_hex(char c)
{
    return fmt_is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int fmt_is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Reads exactly k digits at s[*i]; returns the value or -1. */
static int fmt_digits(const char *s, size_t n, size_t *i, int k)
{
    int v = 0, j;

    if (n - *i < (size_t)k)
        return -1;
    for (j = 0; j < k; j++) {
        char c = s[*i + (size_t)j];

        if (!fmt_is_digit(c))
            return -1;
        v = v * 10 + (c - '0');
    }
    *i += (size_t)k;
    return v;
}

static int fmt_expect(const char *s, size_t n, size_t *i, char c)
{
    if (*i < n && s[*i] == c) {
        (*i)++;
        return 1;
    }
    return 0;
}

/* ---- RFC 3339 ------------------------------------------------------------ */

static int fmt_days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

static int fmt_scan_date(const char *s, size_t n, size_t *i)
{
    int y = fmt_digits(s, n, i, 4), m, d;

    if (y < 0 || !fmt_expect(s, n, i, '-'))
        return 0;
    m = fmt_digits(s, n, i, 2);
    if (m < 1 || m > 12 || !fmt_expect(s, n, i, '-'))
        return 0;
    d = fmt_digits(s, n, i, 2);
    return d >= 1 && d <= fmt_days_in_month(y, m);
}

static int fmt_scan_time(const char *s, size_t n, size_t *i)
{
    int h = fmt_digits(s, n, i, 2), mi, sec, oh = 0, om = 0, sign = 0, um, uh;

    if (h < 0 || h > 23 || !fmt_expect(s, n, i, ':'))
        return 0;
    mi = fmt_digits(s, n, i, 2);
    if (mi < 0 || mi > 59 || !fmt_expect(s, n, i, ':'))
        return 0;
    sec = fmt_digits(s, n, i, 2);
    if (sec < 0 || sec > 60)
        return 0;
    if (fmt_expect(s, n, i, '.')) {
        size_t start = *i;

        while (*i < n && fmt_is_digit(s[*i]))
            (*i)++;
        if (*i == start)
            return 0;
    }
    if (*i < n && (s[*i] == 'Z' || s[*i] == 'z')) {
        (*i)++;
    } else if (*i < n && (s[*i] == '+' || s[*i] == '-')) {
        sign = s[*i] == '+' ? 1 : -1;
        (*i)++;
        oh = fmt_digits(s, n, i, 2);
        if (oh < 0 || oh > 23 || !fmt_expect(s, n, i, ':'))
            return 0;
        om = fmt_digits(s, n, i, 2);
        if (om < 0 || om > 59)
            return 0;
    } else {
        return 0;
    }
    if (sec == 60) {
        /* a leap second is only valid at 23:59:60 UTC */
        um = h * 60 + mi - sign * (oh * 60 + om);
        um = ((um % 1440) + 1440) % 1440;
        uh = um / 60;
        if (uh != 23 || um % 60 != 59)
            return 0;
    }
    return 1;
}

static int fmt_date_time(const char *s, size_t n)
{
    size_t i = 0;

    if (!fmt_scan_date(s, n, &i))
        return 0;
    if (i >= n || (s[i] != 'T' && s[i] != 't'))
        return 0;
    i++;
    return fmt_scan_time(s, n, &i) && i == n;
}

static int fmt_date(const char *s, size_t n)
{
    size_t i = 0;

    return fmt_scan_date(s, n, &i) && i == n;
}

static int fmt_time(const char *s, size_t n)
{
    size_t i = 0;

    return fmt_scan_time(s, n, &i) && i == n;
}

/* ---- IP addresses ------------------------------------------------------- */

/* Dotted quad at s[*i]; no leading zeros. */
static int fmt_scan_ipv4(const char *s, size_t n, size_t *i)
{
    int part;

    for (part = 0; part < 4; part++) {
        size_t start = *i;
        int v = 0;

        if (part > 0 && !fmt_expect(s, n, i, '.'))
            return 0;
        start = *i;
        while (*i < n && fmt_is_digit(s[*i]) && *i - start < 3) {
            v = v * 10 + (s[*i] - '0');
            (*i)++;
        }
        if (*i == start || v > 255 || (*i - start > 1 && s[start] == '0'))
            return 0;
    }
    return 1;
}

static int fmt_ipv4(const char *s, size_t n)
{
    size_t i = 0;

    return fmt_scan_ipv4(s, n, &i) && i == n;
}

static int fmt_ipv6(const char *s, size_t n)
{
    size_t i = 0;
    int groups = 0, gap = 0;

    if (n < 2)
        return 0;
    if (s[0] == ':') {
        if (s[1] != ':')
            return 0;
        gap = 1;
        i = 2;
        if (i == n)
            return 1;
    }
    while (i < n) {
        size_t start = i, k;

        while (i < n && fmt_is_hex(s[i]) && i - start < 5)
            i++;
        if (i < n && s[i] == '.') {
            /* embedded IPv4: the last 32 bits */
            k = start;
            if (!fmt_scan_ipv4(s, n, &k) || k != n)
                return 0;
            groups += 2;
            i = n;
            break;
        }
        if (i == start || i - start > 4)
            return 0;
        groups++;
        if (i == n)
            break;
        if (s[i] != ':')
            return 0;
        i++;
        if (i < n && s[i] == ':') {
            if (gap)
                return 0;
            gap = 1;
            i++;
            if (i == n)
                break;
        } else if (i == n) {
            return 0; /* trailing single colon */
        }
    }
    return gap ? groups <= 7 : groups == 8;
}

/* ---- hostname, email -------------------------------------------------- */

static int fmt_hostname(const char *s, size_t n)
{
    size_t i = 0;

    if (n == 0 || n > 253)
        return 0;
    while (i < n) {
        size_t start = i;

        while (i < n && (fmt_is_alpha(s[i]) || fmt_is_digit(s[i]) || s[i] == '-'))
            i++;
        if (i == start || i - start > 63 || s[start] == '-' || s[i - 1] == '-')
            return 0;
        if (i < n) {
            if (s[i] != '.')
                return 0;
            i++;
        }
    }
    return s[n - 1] != '.';
}

static int fmt_is_atext(char c)
{
    return fmt_is_alpha(c) || fmt_is_digit(c) || (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

static int fmt_email(const char *s, size_t n)
{
    size_t i = 0, at;

    if (n == 0)
        return 0;
    if (s[0] == '"') {
        i = 1;
        while (i < n && s[i] != '"') {
            unsigned char c = (unsigned char)s[i];

            if (c == '\\') {
                if (i + 1 >= n || (unsigned char)s[i + 1] < 32 || (unsigned char)s[i + 1] > 126)
                    return 0;
                i += 2;
                continue;
            }
            if (c < 32 || c > 126)
                return 0;
            i++;
        }
        if (i >= n)
            return 0;
        i++;
    } else {
        size_t start = 0;

        while (i < n && s[i] != '@') {
            if (s[i] == '.') {
                if (i == start)
                    return 0; /* leading or double dot */
                start = i + 1;
            } else if (!fmt_is_atext(s[i])) {
                return 0;
            }
            i++;
        }
        if (i == start)
            return 0; /* empty, or a trailing dot */
    }
    if (i >= n || s[i] != '@')
        return 0;
    at = i + 1;
    if (at < n && s[at] == '[') {
        size_t k;

        if (s[n - 1] != ']')
            return 0;
        if (n - at > 6 && strncmp(s + at + 1, "IPv6:", 5) == 0)
            return fmt_ipv6(s + at + 6, n - at - 7);
        k = at + 1;
        return fmt_scan_ipv4(s, n - 1, &k) && k == n - 1;
    }
    return fmt_hostname(s + at, n - at);
}

/* ---- uuid, uri ------------------------------------------------------------ */

static int fmt_uuid(const char *s, size_t n)
{
    size_t i;

    if (n != 36)
        return 0;
    for (i = 0; i < n; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return 0;
        } else if (!fmt_is_hex(s[i])) {
            return 0;
        }
    }
    return 1;
}

static int fmt_is_unreserved(char c)
{
    return fmt_is_alpha(c) || fmt_is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

static int fmt_is_subdelim(char c)
{
    return c != '\0' && strchr("!$&'()*+,;=", c) != NULL;
}

/* Scans pchar-like characters (plus `extra`) with percent-encodings; stops at
 * the first other byte. Returns 0 on a bad percent-encoding. */
static int fmt_scan_uri_chars(const char *s, size_t n, size_t *i, const char *extra)
{
    while (*i < n) {
        char c = s[*i];

        if (c == '%') {
            if (n - *i < 3 || !fmt_is_hex(s[*i + 1]) || !fmt_is_hex(s[*i + 2]))
                return 0;
            *i += 3;
        } else if (fmt_is_unreserved(c) || fmt_is_subdelim(c) || (c != '\0' && strchr(extra, c))) {
            (*i)++;
        } else {
            break;
        }
    }
    return 1;
}

static int fmt_uri(const char *s, size_t n)
{
    size_t i = 0;

    /* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
    if (n == 0 || !fmt_is_alpha(s[0]))
        return 0;
    while (i < n && (fmt_is_alpha(s[i]) || fmt_is_digit(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.'))
        i++;
    if (i >= n || s[i] != ':')
        return 0;
    i++;
    if (n - i >= 2 && s[i] == '/' && s[i + 1] == '/') {
        /* authority = [ userinfo "@" ] host [ ":" port ] */
        size_t start = i + 2, end, at = (size_t)-1, k;

        i = start;
        end = start;
        while (end < n && s[end] != '/' && s[end] != '?' && s[end] != '#')
            end++;
        for (k = start; k < end; k++) {
            if (s[k] == '@')
                at = k;
        }
        if (at != (size_t)-1) {
            k = start;
            if (!fmt_scan_uri_chars(s, at, &k, ":") || k != at)
                return 0;
            i = at + 1;
        }
        if (i < end && s[i] == '[') {
            size_t close = i;

            while (close < end && s[close] != ']')
                close++;
            if (close >= end || !fmt_ipv6(s + i + 1, close - i - 1))
                return 0;
            i = close + 1;
        } else {
            if (!fmt_scan_uri_chars(s, end, &i, ""))
                return 0;
        }
        if (i < end && s[i] == ':') {
            i++;
            while (i < end && fmt_is_digit(s[i]))
                i++;
        }
        if (i != end)
            return 0;
    }
    if (!fmt_scan_uri_chars(s, n, &i, ":@/"))
        return 0;
    if (i < n && s[i] == '?') {
        i++;
        if (!fmt_scan_uri_chars(s, n, &i, ":@/?"))
            return 0;
    }
    if (i < n && s[i] == '#') {
        i++;
        if (!fmt_scan_uri_chars(s, n, &i, ":@/?"))
            return 0;
    }
    return i == n;
}

int schema_format_is_numeric(schema_format f)
{
    return f >= SCHEMA_FMT_INT32 && f < SCHEMA_FMT_COUNT_;
}

int schema_format_check_number(schema_format f, double d)
{
    int integral = d == floor(d);

    switch (f) {
    case SCHEMA_FMT_INT32:
        return integral && d >= -2147483648.0 && d <= 2147483647.0;
    case SCHEMA_FMT_UINT32:
        return integral && d >= 0 && d <= 4294967295.0;
    case SCHEMA_FMT_INT64:
        return integral && d >= -9223372036854775808.0 && d < 9223372036854775808.0;
    case SCHEMA_FMT_UINT64:
        return integral && d >= 0 && d < 18446744073709551616.0;
    default:
        break;
    }
    return 1;
}

int schema_format_check(schema_format f, const char *s, size_t n)
{
    switch (f) {
    case SCHEMA_FMT_DATE_TIME:
        return fmt_date_time(s, n);
    case SCHEMA_FMT_DATE:
        return fmt_date(s, n);
    case SCHEMA_FMT_TIME:
        return fmt_time(s, n);
    case SCHEMA_FMT_EMAIL:
        return fmt_email(s, n);
    case SCHEMA_FMT_URI:
        return fmt_uri(s, n);
    case SCHEMA_FMT_UUID:
        return fmt_uuid(s, n);
    case SCHEMA_FMT_IPV4:
        return fmt_ipv4(s, n);
    case SCHEMA_FMT_IPV6:
        return fmt_ipv6(s, n);
    case SCHEMA_FMT_HOSTNAME:
        return fmt_hostname(s, n);
    default:
        break;
    }
    return 1;
}
