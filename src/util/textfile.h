/* textfile.h - reading a local text file a line at a time, with bounds.
 *
 * Every file opsdeck reads that a person or another program wrote (the AWS config and
 * credentials files, opsdeck's config, themes) goes through this, so that no file can make
 * a reader spin or grow without end: /dev/zero, a multi-gigabyte log pointed at by mistake,
 * a binary. A line longer than max_line or with a NUL byte (the file is not text) is
 * refused with a reason, and its rest skipped; more than max_bytes in all, or a read error,
 * ends the reading. The caller reports the reason as file:line. */
#ifndef OPSDECK_TEXTFILE_H
#define OPSDECK_TEXTFILE_H

#include <stdio.h>

#include "util/buf.h"

struct textfile {
    FILE *fp;                 /* borrowed */
    struct buf line;          /* the current line with its '\n' (if any), NUL-terminated */
    int lineno;               /* of the current line (or of the bad one after -1), from 1 */
    size_t bytes;             /* read so far */
    size_t max_line;
    size_t max_bytes;
    char why[128];            /* after -1: what was wrong, as a phrase */
};

void textfile_init(struct textfile *tf, FILE *fp, size_t max_line, size_t max_bytes);
/* Wipes and frees the line buffer (lines of a credentials file hold secrets). */
void textfile_done(struct textfile *tf);
#define TEXTFILE_ERROR (-1)     /* read error or file over max_bytes: stop */
#define TEXTFILE_BAD_LINE (-2)  /* NUL byte or line over max_line: the next call goes on */

/* The next line: 1 (tf->line, tf->lineno), 0 at the end of the file, or TEXTFILE_ERROR /
 * TEXTFILE_BAD_LINE with tf->why. Keeps at most max_line bytes of one line. */
int textfile_next(struct textfile *tf);

#endif
