/*
 * schema_format.h — the JSON Schema `format` checks, written by hand.
 *
 * Supported: date-time, date, time (RFC 3339 §5.6, with leap seconds only at
 * 23:59:60 UTC), email (RFC 5321 mailbox: dot-atom or quoted local part,
 * hostname or address-literal domain), uri (RFC 3986 absolute URI), uuid
 * (RFC 4122 8-4-4-4-12 hex), ipv4 (dotted quad, no leading zeros), ipv6
 * (RFC 4291 text forms, with an embedded IPv4 tail), hostname (RFC 1123
 * labels, 253 bytes at most), password (any string). The OpenAPI/typia
 * numeric formats int32, uint32, int64, uint64 (an integer in that range)
 * and float, double (any number) apply to numbers. A format lets values of
 * the other kind pass, as the specification says.
 */
#ifndef BB_SCHEMA_FORMAT_H
#define BB_SCHEMA_FORMAT_H

#include <stddef.h>

typedef enum schema_format {
    SCHEMA_FMT_NONE = 0,
    SCHEMA_FMT_DATE_TIME,
    SCHEMA_FMT_DATE,
    SCHEMA_FMT_TIME,
    SCHEMA_FMT_EMAIL,
    SCHEMA_FMT_URI,
    SCHEMA_FMT_UUID,
    SCHEMA_FMT_IPV4,
    SCHEMA_FMT_IPV6,
    SCHEMA_FMT_HOSTNAME,
    SCHEMA_FMT_PASSWORD,
    SCHEMA_FMT_INT32,   /* numeric formats from here on */
    SCHEMA_FMT_UINT32,
    SCHEMA_FMT_INT64,
    SCHEMA_FMT_UINT64,
    SCHEMA_FMT_FLOAT,
    SCHEMA_FMT_DOUBLE,
    SCHEMA_FMT_COUNT_
} schema_format;

/* The format with this name, or SCHEMA_FMT_NONE when unsupported. */
schema_format schema_format_from_name(const char *name);
const char *schema_format_name(schema_format f);
/* 1 for the formats that constrain numbers (int32 ... double). */
int schema_format_is_numeric(schema_format f);
/* 1 when s[0..n) is a valid instance of f (numeric formats: 1). */
int schema_format_check(schema_format f, const char *s, size_t n);
/* 1 when the number d is a valid instance of f (string formats: 1). */
int schema_format_check_number(schema_format f, double d);

#endif
