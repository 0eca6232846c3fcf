/* adaptive.c - which rows of a long list a poll cycle refreshes (adaptive.h). */
#include "config.h"
#include "poll/adaptive.h"

#include <stdlib.h>

#include "util/xalloc.h"

/* A row read at the end of the last cycle is a little younger than an interval when the
 * next one starts: half an interval of slack keeps it in step instead of every other cycle. */
static bool due(const struct adaptive_row *r, int64_t interval_ms)
{
    return r->age_ms < 0 || r->age_ms + interval_ms / 2 >= interval_ms;
}

static int cmp_age_desc(const void *a, const void *b)
{
    const struct adaptive_row *x = *(const struct adaptive_row *const *)a;
    const struct adaptive_row *y = *(const struct adaptive_row *const *)b;

    return (x->age_ms < y->age_ms) - (x->age_ms > y->age_ms);
}

size_t adaptive_select(struct adaptive_row *rows, size_t n, int64_t interval_ms, bool forced)
{
    struct adaptive_row **rest = xcalloc(n + 1, sizeof(*rest));
    size_t nrest = 0, count = 0;

    for (size_t i = 0; i < n; i++) {
        struct adaptive_row *r = &rows[i];

        r->refresh = r->age_ms < 0 ||
                     ((r->on_screen || r->problem) && (forced || due(r, interval_ms)));
        if (r->refresh)
            count++;
        else if (!r->on_screen && !r->problem && due(r, interval_ms))
            rest[nrest++] = r;
    }
    /* the longest unread first; qsort is not stable, but equal ages are equally due */
    qsort(rest, nrest, sizeof(*rest), cmp_age_desc);
    for (size_t i = 0; i < nrest && i < ADAPTIVE_OFFSCREEN_PER_CYCLE; i++) {
        rest[i]->refresh = true;
        count++;
    }
    free(rest);
    return count;
}

int64_t adaptive_offscreen_period(size_t n, size_t on_screen, int64_t interval_ms)
{
    size_t off = n > on_screen ? n - on_screen : 0;
    size_t cycles = (off + ADAPTIVE_OFFSCREEN_PER_CYCLE - 1) / ADAPTIVE_OFFSCREEN_PER_CYCLE;

    return (int64_t)(cycles > 1 ? cycles : 1) * interval_ms;
}

bool adaptive_growing(const double *history, size_t n)
{
    return n >= 2 && history[n - 1] > history[n - 2];
}
