/* errlog.c - the recent errors, whole (errlog.h). */
#include "config.h"
#include "errlog.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void errlog_init(struct errlog *l)
{
    memset(l, 0, sizeof(*l));
}

static void entry_free(struct errlog_entry *e)
{
    free(e->source);
    free(e->text);
}

void errlog_done(struct errlog *l)
{
    for (size_t i = 0; i < l->n; i++)
        entry_free(&l->v[i]);
    free(l->v);
    memset(l, 0, sizeof(*l));
}

/* A copy of at most ERRLOG_TEXT_MAX bytes ("" for NULL). */
static char *bounded_copy(const char *s)
{
    size_t n = s ? strnlen(s, ERRLOG_TEXT_MAX) : 0;

    return xstrndup(s ? s : "", n);
}

void errlog_add(struct errlog *l, int64_t now_ms, const char *source, const char *text)
{
    char *src = bounded_copy(source);
    char *txt = bounded_copy(text);
    struct errlog_entry e = { now_ms, now_ms, 1, src, txt };

    l->generation++;
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->v[i].source, src) == 0 && strcmp(l->v[i].text, txt) == 0) {
            /* the same failure again: one entry, counted, moved to the front */
            e.first_ms = l->v[i].first_ms;
            e.count = l->v[i].count + 1;
            entry_free(&l->v[i]);
            memmove(&l->v[i], &l->v[i + 1], (l->n - i - 1) * sizeof(*l->v));
            l->n--;
            break;
        }
    }
    if (l->n == ERRLOG_MAX) {
        entry_free(&l->v[0]);
        memmove(&l->v[0], &l->v[1], (l->n - 1) * sizeof(*l->v));
        l->n--;
    }
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
    }
    l->v[l->n++] = e;
}

size_t errlog_count(const struct errlog *l)
{
    return l ? l->n : 0;
}

const struct errlog_entry *errlog_at(const struct errlog *l, size_t i)
{
    if (!l || i >= l->n)
        return NULL;
    return &l->v[l->n - 1 - i];
}
