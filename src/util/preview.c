/* preview.c - an object's first bytes as text, indented JSON, or a hex dump; gzip is
 * inflated first (zlib). */
#include "config.h"
#include "util/preview.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "util/buf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* Up to PREVIEW_MAX bytes of the gzip stream in data, inflated; NULL when it does not
 * start as gzip. A stream cut short (only its first bytes were fetched) gives what
 * inflated so far. */
static unsigned char *gunzip(const unsigned char *data, size_t n, size_t *outlen, bool *cut)
{
    z_stream z;
    unsigned char *out;
    int rc;

    if (n < 10 || data[0] != 0x1f || data[1] != 0x8b)
        return NULL;
    memset(&z, 0, sizeof(z));
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
        return NULL;
    out = xmalloc(PREVIEW_MAX);
    z.next_in = (unsigned char *)data;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = PREVIEW_MAX;
    rc = inflate(&z, Z_SYNC_FLUSH);
    *outlen = PREVIEW_MAX - z.avail_out;
    *cut = rc != Z_STREAM_END;
    inflateEnd(&z);
    if ((rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) || *outlen == 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* Text: no NUL, valid UTF-8 but for a sequence cut at the end, and few control
 * characters besides tab, newline and carriage return. */
static bool is_text(const unsigned char *d, size_t n)
{
    size_t ctl = 0;

    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = utf8_decode((const char *)d + i, n - i, &cp);

        if (len == 0) {
            bool cut = n - i < 4 && d[i] >= 0xc0;  /* a character cut by the range's end */

            for (size_t k = i + 1; cut && k < n; k++)
                cut = (d[k] & 0xc0) == 0x80;
            if (cut)
                break;
            return false;
        }
        if (cp == 0)
            return false;
        if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')
            ctl++;
        i += len;
    }
    return ctl * 32 <= n;
}

/* JSON indented by two spaces per level, its text otherwise kept byte for byte (numbers
 * are not re-read, so 64-bit ids stay exact). false when it does not look like JSON. */
static bool json_indent(const unsigned char *d, size_t n, struct buf *out)
{
    size_t i = 0;
    int depth = 0;
    bool in_str = false, esc = false, line_start = false;

    while (i < n && (d[i] == ' ' || d[i] == '\t' || d[i] == '\n' || d[i] == '\r'))
        i++;
    if (i == n || (d[i] != '{' && d[i] != '['))
        return false;
    for (; i < n; i++) {
        unsigned char c = d[i];

        if (in_str) {
            buf_append(out, (const char *)&c, 1);
            if (esc)
                esc = false;
            else if (c == '\\')
                esc = true;
            else if (c == '"')
                in_str = false;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            continue;
        if (c == '}' || c == ']') {
            depth = depth > 0 ? depth - 1 : 0;
            buf_append(out, "\n", 1);
            for (int k = 0; k < depth; k++)
                buf_append(out, "  ", 2);
        } else if (line_start) {
            for (int k = 0; k < depth; k++)
                buf_append(out, "  ", 2);
        }
        line_start = false;
        buf_append(out, (const char *)&c, 1);
        if (c == '"') {
            in_str = true;
        } else if (c == '{' || c == '[') {
            depth++;
            buf_append(out, "\n", 1);
            line_start = true;
        } else if (c == ',') {
            buf_append(out, "\n", 1);
            line_start = true;
        } else if (c == ':') {
            buf_append(out, " ", 1);
        }
        if (depth > 64)  /* deeper than anyone reads: the rest as it is */
            depth = 64;
    }
    return true;
}

static void hexdump(const unsigned char *d, size_t n, struct buf *out)
{
    char line[96];

    for (size_t off = 0; off < n; off += 16) {
        int len = snprintf(line, sizeof(line), "%08zx ", off);

        for (size_t k = 0; k < 16; k++) {
            if (off + k < n)
                len += snprintf(line + len, sizeof(line) - (size_t)len, " %02x", d[off + k]);
            else
                len += snprintf(line + len, sizeof(line) - (size_t)len, "   ");
        }
        len += snprintf(line + len, sizeof(line) - (size_t)len, "  |");
        for (size_t k = 0; k < 16 && off + k < n; k++)
            line[len++] = d[off + k] >= 0x20 && d[off + k] < 0x7f ? (char)d[off + k] : '.';
        line[len++] = '|';
        line[len++] = '\n';
        buf_append(out, line, (size_t)len);
    }
}

void preview_render(const unsigned char *data, size_t n, long long total, struct preview *out)
{
    struct buf b;
    size_t zn = 0;
    bool zcut = false;
    unsigned char *z = gunzip(data, n, &zn, &zcut);
    const unsigned char *d = z ? z : data;
    size_t dn = z ? zn : n;
    const char *kind;

    memset(out, 0, sizeof(*out));
    buf_init(&b);
    out->cut = (total < 0 || (long long)n < total) || (z && zcut);
    if (dn == 0) {
        kind = "empty";
    } else if (is_text(d, dn)) {
        if (json_indent(d, dn, &b)) {
            kind = z ? "gzip, json" : "json";
        } else {
            buf_append(&b, (const char *)d, dn);
            kind = z ? "gzip, text" : "text";
        }
    } else {
        hexdump(d, dn, &b);
        kind = z ? "gzip, binary" : "binary";
    }
    out->kind = kind;
    out->text = buf_steal(&b);
    free(z);
}

void preview_done(struct preview *p)
{
    free(p->text);
    memset(p, 0, sizeof(*p));
}
