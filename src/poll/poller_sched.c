/* poller_sched.c - when each poll source is due (see poller_sched.h). */
#include "config.h"
#include "poll/poller_sched.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void poller_sched_init(struct poller_sched *s, const struct appconfig *cfg,
                       const struct source *const *sources, bool once)
{
    memset(s, 0, sizeof(*s));
    s->cfg = cfg;
    s->src = sources;
    while (sources[s->n])
        s->n++;
    s->t = xcalloc(s->n ? s->n : 1, sizeof(*s->t));
    for (size_t i = 0; i < s->n; i++)
        s->t[i].ready = true;
    s->view = APPCONFIG_VIEW_OVERVIEW;
    s->once = once;
}

void poller_sched_done(struct poller_sched *s)
{
    free(s->t);
    memset(s, 0, sizeof(*s));
}

size_t poller_sched_find(const struct poller_sched *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->src[i]->name, name) == 0)
            return i;
    return s->n;
}

void poller_sched_set_view(struct poller_sched *s, enum appconfig_view view)
{
    if ((int)view >= 0 && view < APPCONFIG_VIEW_COUNT)
        s->view = view;
}

bool poller_sched_visible(const struct poller_sched *s, size_t i)
{
    return (s->src[i]->views & SOURCE_VIEW(s->view)) != 0;
}

bool poller_sched_active(const struct poller_sched *s, size_t i)
{
    const struct source *src = s->src[i];

    if (src->detail)
        return !s->once && s->detail && poller_sched_visible(s, i);
    if (s->once)
        return !src->live_only;
    return src->views || src->interval_ms > 0;
}

/* The [intervals] value of the view on screen, ms; never 0 (a broken config must not make
 * us poll in a tight loop). */
static int64_t view_interval(const struct poller_sched *s)
{
    int64_t ms = (int64_t)(s->cfg ? appconfig_interval(s->cfg, s->view)
                                  : APPCONFIG_INTERVAL_DEFAULT) * 1000;

    return ms > 0 ? ms : (int64_t)APPCONFIG_INTERVAL_DEFAULT * 1000;
}

int64_t poller_sched_interval(const struct poller_sched *s, size_t i)
{
    const struct source *src = s->src[i];
    int64_t view_ms = view_interval(s);

    if (src->interval_ms > 0) {
        /* the identity hardly changes, but while it fails the header says "account ?":
         * then it comes back with the view's data, not in five minutes */
        if (s->t[i].failures && view_ms < src->interval_ms)
            return view_ms;
        return src->interval_ms;
    }
    return poller_sched_visible(s, i) ? view_ms : view_ms * POLLER_HIDDEN_FACTOR;
}

int64_t poller_sched_effective(const struct poller_sched *s, size_t i)
{
    int64_t factor = 1;

    for (unsigned k = 0; k < s->t[i].failures && factor < POLLER_BACKOFF_MAX; k++)
        factor *= 2;
    if (factor > POLLER_BACKOFF_MAX)
        factor = POLLER_BACKOFF_MAX;
    return poller_sched_interval(s, i) * factor;
}

int64_t poller_sched_due(const struct poller_sched *s, size_t i)
{
    const struct poller_timer *t = &s->t[i];

    if (s->once)
        return t->ran ? INT64_MAX : INT64_MIN;
    if (!t->ran || t->forced)
        return INT64_MIN;
    return t->anchor + poller_sched_effective(s, i);
}

bool poller_sched_should_start(struct poller_sched *s, size_t i, int64_t now)
{
    struct poller_timer *t = &s->t[i];

    if (!poller_sched_active(s, i) || now < poller_sched_due(s, i))
        return false;
    if (t->running) {
        /* not doubled: this start is dropped and the next one is a whole interval on.
         * A forced start stays pending and runs when the cycle ends. */
        if (!t->forced && !s->once) {
            t->anchor = now;
            t->skipped++;
        }
        return false;
    }
    return t->ready;
}

void poller_sched_start(struct poller_sched *s, size_t i, int64_t now)
{
    struct poller_timer *t = &s->t[i];

    t->ran = true;
    t->running = true;
    t->forced = false;
    t->anchor = now;
    t->started++;
}

void poller_sched_finish(struct poller_sched *s, size_t i, bool failed)
{
    struct poller_timer *t = &s->t[i];

    t->running = false;
    if (!failed)
        t->failures = 0;
    else if (t->failures < 32)
        t->failures++;
}

void poller_sched_refresh(struct poller_sched *s)
{
    if (s->once)
        return;
    for (size_t i = 0; i < s->n; i++)
        if (poller_sched_active(s, i) && (poller_sched_visible(s, i) || s->t[i].failures))
            s->t[i].forced = true;
}

bool poller_sched_pending(const struct poller_sched *s, size_t i)
{
    if (!poller_sched_active(s, i))
        return false;
    return s->t[i].running || (s->t[i].ready && poller_sched_due(s, i) == INT64_MIN);
}

int poller_sched_delay(const struct poller_sched *s, int64_t now, int max_ms)
{
    int64_t best = max_ms;

    for (size_t i = 0; i < s->n; i++) {
        int64_t due;

        if (!poller_sched_active(s, i) || s->t[i].running || !s->t[i].ready)
            continue;
        due = poller_sched_due(s, i);
        if (due <= now)
            return 0;
        if (due - now < best)
            best = due - now;
    }
    return best < 0 ? 0 : (int)best;
}
