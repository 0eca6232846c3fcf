/* buf.h - a growable byte buffer, always NUL-terminated once anything was added. */
#ifndef OPSDECK_BUF_H
#define OPSDECK_BUF_H

#include <stddef.h>

struct buf {
    char *data;  /* NULL until the first append; then NUL-terminated */
    size_t len;
    size_t cap;
};

void buf_init(struct buf *b);
void buf_done(struct buf *b);         /* frees the data */
void buf_reset(struct buf *b);        /* len = 0, keeps the memory */
void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *buf_str(const struct buf *b); /* "" when empty */
char *buf_steal(struct buf *b);           /* caller frees; the buffer is empty after */

#endif
