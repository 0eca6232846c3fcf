/* poller_sched.c - when each poll group is due (see poller_sched.h). */
#include "config.h"
#include "poll/poller_sched.h"

#include <limits.h>
#include <string.h>

#include "poll/poller.h"

void poller_sched_init(struct poller_sched *s, const struct appconfig *cfg)
{
    memset(s, 0, sizeof(*s));
    s->cfg = cfg;
    s->view = APPCONFIG_VIEW_OVERVIEW;
}

void poller_sched_set_view(struct poller_sched *s, enum appconfig_view view)
{
    if ((int)view >= 0 && view < APPCONFIG_VIEW_COUNT)
        s->view = view;
}

bool poller_sched_visible(const struct poller_sched *s, enum poller_group g)
{
    switch (g) {
    case POLLER_G_QUEUES:
        return s->view == APPCONFIG_VIEW_OVERVIEW || s->view == APPCONFIG_VIEW_SQS ||
               s->view == APPCONFIG_VIEW_DLQ;
    case POLLER_G_METRICS:
        return s->view == APPCONFIG_VIEW_OVERVIEW || s->view == APPCONFIG_VIEW_SQS;
    case POLLER_G_DLQ_SOURCES:
        return s->view == APPCONFIG_VIEW_OVERVIEW || s->view == APPCONFIG_VIEW_DLQ;
    case POLLER_G_DETAIL:
        return s->detail;
    case POLLER_G_IDENTITY:   /* the header: always on screen, on its own slow timer */
        return true;
    case POLLER_G_COUNT:
        break;
    }
    return false;
}

int64_t poller_sched_interval(const struct poller_sched *s, enum poller_group g)
{
    int64_t view_ms;

    /* The identity hardly changes, but while it is failing the header says "account ?":
     * then it is retried with the view's data (and its backoff), not in five minutes. */
    if (g == POLLER_G_IDENTITY && s->t[g].failures == 0)
        return POLLER_IDENTITY_INTERVAL_MS;
    if (g == POLLER_G_DETAIL)
        return POLLER_DETAIL_INTERVAL_MS;
    view_ms = (int64_t)(s->cfg ? appconfig_interval(s->cfg, s->view)
                               : APPCONFIG_INTERVAL_DEFAULT) * 1000;
    if (view_ms <= 0)   /* a broken config must not make us poll in a tight loop */
        view_ms = (int64_t)APPCONFIG_INTERVAL_DEFAULT * 1000;
    return poller_sched_visible(s, g) ? view_ms : view_ms * POLLER_HIDDEN_FACTOR;
}

int64_t poller_sched_effective(const struct poller_sched *s, enum poller_group g)
{
    int64_t factor = 1;

    for (unsigned i = 0; i < s->t[g].failures && factor < POLLER_BACKOFF_MAX; i++)
        factor *= 2;
    if (factor > POLLER_BACKOFF_MAX)
        factor = POLLER_BACKOFF_MAX;
    return poller_sched_interval(s, g) * factor;
}

int64_t poller_sched_due(const struct poller_sched *s, enum poller_group g)
{
    const struct poller_timer *t = &s->t[g];

    if (!t->ran || t->forced)
        return INT64_MIN;
    return t->anchor + poller_sched_effective(s, g);
}

static bool active(const struct poller_sched *s, enum poller_group g)
{
    return g != POLLER_G_DETAIL || s->detail;
}

bool poller_sched_should_start(struct poller_sched *s, enum poller_group g, int64_t now,
                               bool ready)
{
    struct poller_timer *t = &s->t[g];

    if (!active(s, g) || now < poller_sched_due(s, g))
        return false;
    if (t->running) {
        /* not doubled: this start is dropped and the next one is a whole interval on.
         * A forced start stays pending and runs when the cycle ends. */
        if (!t->forced) {
            t->anchor = now;
            t->skipped++;
        }
        return false;
    }
    return ready;
}

void poller_sched_start(struct poller_sched *s, enum poller_group g, int64_t now)
{
    struct poller_timer *t = &s->t[g];

    t->ran = true;
    t->running = true;
    t->forced = false;
    t->anchor = now;
    t->started++;
}

void poller_sched_finish(struct poller_sched *s, enum poller_group g, bool failed)
{
    struct poller_timer *t = &s->t[g];

    t->running = false;
    if (!failed)
        t->failures = 0;
    else if (t->failures < 32)
        t->failures++;
}

void poller_sched_refresh(struct poller_sched *s)
{
    for (int g = 0; g < POLLER_G_COUNT; g++) {
        if (!active(s, g))
            continue;
        if (g == POLLER_G_IDENTITY) {
            /* the header's identity only when it is missing or failing */
            if (s->t[g].failures)
                s->t[g].forced = true;
        } else if (poller_sched_visible(s, g)) {
            s->t[g].forced = true;
        }
    }
}

int poller_sched_delay(const struct poller_sched *s, int64_t now, int max_ms,
                       unsigned not_ready)
{
    int64_t best = max_ms;

    for (int g = 0; g < POLLER_G_COUNT; g++) {
        int64_t due;
        if (!active(s, g) || s->t[g].running || (not_ready & (1u << g)))
            continue;
        due = poller_sched_due(s, g);
        if (due <= now)
            return 0;
        if (due - now < best)
            best = due - now;
    }
    return best < 0 ? 0 : (int)best;
}

const char *poller_group_name(enum poller_group g)
{
    static const char *const names[POLLER_G_COUNT] = {
        [POLLER_G_IDENTITY] = "identity", [POLLER_G_QUEUES] = "queues",
        [POLLER_G_METRICS] = "metrics", [POLLER_G_DLQ_SOURCES] = "dlq_sources",
        [POLLER_G_DETAIL] = "detail"};

    return (int)g >= 0 && g < POLLER_G_COUNT ? names[g] : "?";
}
