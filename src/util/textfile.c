/* textfile.c - bounded line reading for local files. */
#include "config.h"
#include "util/textfile.h"

#include <errno.h>
#include <string.h>

void textfile_init(struct textfile *tf, FILE *fp, size_t max_line, size_t max_bytes)
{
    memset(tf, 0, sizeof(*tf));
    tf->fp = fp;
    tf->max_line = max_line;
    tf->max_bytes = max_bytes;
    buf_init(&tf->line);
}

static int too_big(struct textfile *tf)
{
    snprintf(tf->why, sizeof(tf->why), "the file is larger than %zu KiB; is it the right file?",
             tf->max_bytes >> 10);
    return TEXTFILE_ERROR;
}

void textfile_done(struct textfile *tf)
{
    if (tf->line.data)
        explicit_bzero(tf->line.data, tf->line.cap);
    buf_done(&tf->line);
}

/* The rest of a bad line is skipped (still counted against max_bytes), so a reader that
 * goes on after a bad line starts on the next one; ended: its '\n' was the byte that made
 * it bad (one byte too long), and the next line is not to be skipped. */
static int bad_line(struct textfile *tf, const char *why, int ended)
{
    int c;

    snprintf(tf->why, sizeof(tf->why), "%s", why);
    if (ended)
        return TEXTFILE_BAD_LINE;
    while ((c = getc(tf->fp)) != EOF && c != '\n')
        if (++tf->bytes > tf->max_bytes)
            return TEXTFILE_ERROR;   /* why stays: the first thing wrong (/dev/zero: a NUL) */
    return TEXTFILE_BAD_LINE;
}

int textfile_next(struct textfile *tf)
{
    char chunk[256];
    size_t n = 0;
    int c;

    buf_reset(&tf->line);
    buf_append(&tf->line, "", 0);
    tf->lineno++;
    errno = 0;
    while ((c = getc(tf->fp)) != EOF) {
        if (++tf->bytes > tf->max_bytes)
            return too_big(tf);
        if (c == '\0') {
            explicit_bzero(chunk, sizeof(chunk));
            return bad_line(tf, "a NUL byte: this is not a text file", 0);
        }
        chunk[n++] = (char)c;
        if (n == sizeof(chunk)) {
            buf_append(&tf->line, chunk, n);
            n = 0;
        }
        if (tf->line.len + n > tf->max_line) {
            char why[64];
            snprintf(why, sizeof(why), "line longer than %zu bytes", tf->max_line);
            explicit_bzero(chunk, sizeof(chunk));
            return bad_line(tf, why, c == '\n');
        }
        if (c == '\n')
            break;
    }
    buf_append(&tf->line, chunk, n);
    explicit_bzero(chunk, sizeof(chunk));
    if (c == EOF && ferror(tf->fp)) {
        snprintf(tf->why, sizeof(tf->why), "cannot read: %s", strerror(errno ? errno : EIO));
        return TEXTFILE_ERROR;
    }
    if (c == EOF && tf->line.len == 0) {
        tf->lineno--;
        return 0;
    }
    return 1;
}
