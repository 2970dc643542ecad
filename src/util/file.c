/*
 * file.c — capped whole-file reads, atomic writes, embedded-file lookup.
 */
#include "file.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"

/* Provided by the generated build/gen/embed.c. */
extern const bb_embedded_file bb_embedded_files[];
extern const size_t bb_embedded_count;

bb_result bb_file_read(const char *path, size_t max, char **out, size_t *len)
{
    FILE *f;
    bb_buf b;
    char chunk[65536];
    size_t n;
    bb_result rc = BB_OK;
    int is_stdin = strcmp(path, "-") == 0;

    *out = NULL;
    *len = 0;
    f = is_stdin ? stdin : fopen(path, "rb");
    if (!f)
        return errno == ENOENT ? BB_ERR_NOT_FOUND : BB_ERR_IO;
    bb_buf_init(&b, max);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        rc = bb_buf_append(&b, chunk, n);
        if (rc != BB_OK)
            goto out;
    }
    if (ferror(f)) {
        rc = BB_ERR_IO;
        goto out;
    }
    *len = b.len;
    *out = bb_buf_take(&b);
    if (!*out)
        rc = BB_ERR_NOMEM;
out:
    bb_buf_free(&b);
    if (!is_stdin)
        fclose(f);
    return rc;
}

bb_result bb_file_write(const char *path, const void *data, size_t len)
{
    bb_buf tmp;
    FILE *f = NULL;
    bb_result rc;

    bb_buf_init(&tmp, 4096);
    rc = bb_buf_printf(&tmp, "%s.tmp", path);
    if (rc != BB_OK)
        goto out;
    f = fopen(tmp.data, "wb");
    if (!f) {
        rc = BB_ERR_IO;
        goto out;
    }
    if (len && fwrite(data, 1, len, f) != len)
        rc = BB_ERR_IO;
    if (fclose(f) != 0)
        rc = BB_ERR_IO;
    f = NULL;
    if (rc == BB_OK && rename(tmp.data, path) != 0)
        rc = BB_ERR_IO;
    if (rc != BB_OK)
        remove(tmp.data);
out:
    bb_buf_free(&tmp);
    return rc;
}

const bb_embedded_file *bb_embed_find(const char *path)
{
    size_t lo = 0, hi = bb_embedded_count;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(path, bb_embedded_files[mid].path);

        if (c == 0)
            return &bb_embedded_files[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

const bb_embedded_file *bb_embed_at(size_t i)
{
    return i < bb_embedded_count ? &bb_embedded_files[i] : NULL;
}

bb_result bb_data_read(const char *path, size_t max, char **out, size_t *len)
{
    const bb_embedded_file *f = bb_embed_find(path);

    if (!f)
        return bb_file_read(path, max, out, len);
    *out = bb_malloc(f->len + 1);
    if (!*out)
        return BB_ERR_NOMEM;
    memcpy(*out, f->data, f->len);
    (*out)[f->len] = 0;
    *len = f->len;
    return BB_OK;
}
