/* preview.h - what the first bytes of an object look like to a person: text as it is,
 * JSON indented, gzip inflated first, anything else as a hex dump.
 *
 * Pure: bytes in, text out. The text is still untrusted (an object's own characters): it
 * goes through sanitize_text() when drawn, line by line. */
#ifndef OPSDECK_PREVIEW_H
#define OPSDECK_PREVIEW_H

#include <stdbool.h>
#include <stddef.h>

/* At most this many bytes are read from the object, and at most this many inflated. */
#define PREVIEW_MAX (64 * 1024)

struct preview {
    char *text;          /* lines separated by '\n'; NUL-terminated */
    const char *kind;    /* "text", "json", "binary", "empty"; "gzip, " before them when
                          * the bytes were inflated ("gzip, json") */
    bool cut;            /* the preview holds less than the object (the first bytes) */
};

/* Renders data (n bytes, the first of an object of total bytes; total < 0: unknown).
 * Never fails: bytes that do not inflate or decode are shown as a hex dump. */
void preview_render(const unsigned char *data, size_t n, long long total, struct preview *out);
void preview_done(struct preview *p);

#endif
