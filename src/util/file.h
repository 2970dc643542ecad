/*
 * file.h — reading whole files with a size cap, and embedded data files.
 *
 * bb_file_read reads a file (or standard input for "-") into a NUL-terminated
 * heap buffer, refusing anything over `max` bytes with BB_ERR_LIMIT.
 * Embedded files are the data under schemas/, prompts/, projects/ and models/
 * compiled into the binary by tools/embed.c at build time.
 */
#ifndef BB_FILE_H
#define BB_FILE_H

#include <stddef.h>

#include "result.h"

/* On BB_OK, *out holds the content (caller frees with bb_free), *len its size. */
bb_result bb_file_read(const char *path, size_t max, char **out /* OUT */, size_t *len /* OUT */);
/* Writes len bytes to path through a temporary file and rename. */
bb_result bb_file_write(const char *path, const void *data, size_t len);

typedef struct bb_embedded_file {
    const char *path;          /* relative to the repository root, e.g. "schemas/db.schema.json" */
    const unsigned char *data; /* NUL-terminated */
    size_t len;
} bb_embedded_file;

/* The embedded file with this path, or NULL. */
const bb_embedded_file *bb_embed_find(const char *path);
/* The i-th embedded file (sorted by path), or NULL past the end. */
const bb_embedded_file *bb_embed_at(size_t i);
/* A data file: its embedded copy when the binary has one, else the file at
 * path (relative to the working directory) through bb_file_read with max.
 * *out is NUL-terminated either way; the caller frees it with bb_free. */
bb_result bb_data_read(const char *path, size_t max, char **out /* OUT */, size_t *len /* OUT */);

#endif
