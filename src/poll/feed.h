/* feed.h - what keeps the console's store filled: the interface the UI calls.
 *
 * The UI never asks the network (nor a recording) for anything: it tells its feed what is
 * on screen and when time passes, and reads the store. The poller is one feed
 * (poller_feed() in poller.h); a replay of a recording will be another. All calls are on
 * the loop's one thread and return at once. */
#ifndef OPSDECK_FEED_H
#define OPSDECK_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/appconfig.h"

struct feed_ops {
    const char *name;                                   /* "poller" */
    /* Starts whatever is due at now_ms (monotonic); returns the ms until the next thing is
     * due (>= 0), for the loop's timeout. */
    int (*tick)(void *impl, int64_t now_ms);
    /* Data is on its way: a cycle is under way or due at once. The headless script takes
     * its next line only when this is false. */
    bool (*busy)(const void *impl);
    /* Completed rounds: a round ends each time the feed goes from busy to idle after
     * asking for something. The script's `wait` waits for the next one. */
    unsigned long (*rounds)(const void *impl);
    /* `r`: what the view shows, now. (Not "refresh": curses has a macro of that name.) */
    void (*refresh_now)(void *impl);
    void (*set_view)(void *impl, enum appconfig_view view);
    void (*set_detail)(void *impl, const char *key);   /* the open pane's key, NULL none */
    /* The keys of the rows on screen (copied; n 0: none), polled at the view's interval
     * while the rest of a long list is read more slowly (src/poll/adaptive.h). NULL: the
     * feed does not care. */
    void (*set_on_screen)(void *impl, const char *const *keys, size_t n);
    void (*set_profile)(void *impl, const char *profile);  /* named in error lines */
    void (*free)(void *impl);
};

struct feed {
    const struct feed_ops *ops;
    void *impl;
};

static inline int feed_tick(struct feed *f, int64_t now_ms)
{
    return f->ops->tick(f->impl, now_ms);
}

static inline bool feed_busy(const struct feed *f)
{
    return f->ops->busy(f->impl);
}

static inline unsigned long feed_rounds(const struct feed *f)
{
    return f->ops->rounds(f->impl);
}

static inline void feed_refresh(struct feed *f)
{
    f->ops->refresh_now(f->impl);
}

static inline void feed_set_view(struct feed *f, enum appconfig_view view)
{
    f->ops->set_view(f->impl, view);
}

static inline void feed_set_detail(struct feed *f, const char *key)
{
    f->ops->set_detail(f->impl, key);
}

static inline void feed_set_on_screen(struct feed *f, const char *const *keys, size_t n)
{
    if (f->ops->set_on_screen)
        f->ops->set_on_screen(f->impl, keys, n);
}

static inline void feed_set_profile(struct feed *f, const char *profile)
{
    f->ops->set_profile(f->impl, profile);
}

/* Frees the feed and what it owns (the poller); NULL is fine. */
static inline void feed_free(struct feed *f)
{
    if (f)
        f->ops->free(f->impl);
}

#endif
