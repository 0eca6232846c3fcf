/* errlog.h - the recent errors, whole, for `:errors`: the status line has one line for the
 * latest and cuts it; an on-call engineer needs the full cause, endpoint and fix, and what
 * failed a minute ago and has since recovered.
 *
 * The console feeds it from two places: its own error messages (a failed :profile, a
 * theme that did not load) and the poller's "error" rows as they are written (the store
 * observer sees each write). The same source failing with the same text again is one entry
 * with a count, moved to the front; the oldest entries go past ERRLOG_MAX. Plain data, no
 * curses, no sanitising: views read it through view_ctx and sanitise what they draw. */
#ifndef OPSDECK_ERRLOG_H
#define OPSDECK_ERRLOG_H

#include <stddef.h>
#include <stdint.h>

#define ERRLOG_MAX 100
#define ERRLOG_TEXT_MAX 8192  /* bytes kept of one message: far more than any error */

/* Text is kept as it came (untrusted: whoever shows or copies it sanitises it once). */
struct errlog_entry {
    int64_t first_ms, last_ms;  /* on the console's clock (the store's, or the test clock) */
    unsigned long count;        /* times in a row this source failed with this text */
    char *source;               /* "SQS ListQueues", "console" */
    char *text;                 /* the whole message */
};

struct errlog {
    struct errlog_entry *v;  /* oldest first */
    size_t n, cap;
    uint64_t generation;     /* bumped on every change, for views to know when to rebuild */
};

void errlog_init(struct errlog *l);
void errlog_done(struct errlog *l);
/* Records a failure (copies of source and text, each cut at ERRLOG_TEXT_MAX bytes). */
void errlog_add(struct errlog *l, int64_t now_ms, const char *source, const char *text);
size_t errlog_count(const struct errlog *l);
/* Entry i, newest first (0 is the latest); NULL past the end. */
const struct errlog_entry *errlog_at(const struct errlog *l, size_t i);

#endif
