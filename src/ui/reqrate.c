/* reqrate.c - the console's own request rate (reqrate.h). */
#include "config.h"
#include "ui/reqrate.h"

#include <stdio.h>
#include <string.h>

void reqrate_init(struct reqrate *r)
{
    memset(r, 0, sizeof(*r));
}

static size_t slot(const struct reqrate *r, size_t k)   /* k: 0 the oldest */
{
    return (r->head + REQRATE_SAMPLES - r->n + k) % REQRATE_SAMPLES;
}

void reqrate_sample(struct reqrate *r, int64_t now_ms, const struct aws_client_stats *s)
{
    if (r->n) {
        const struct aws_client_stats *last = &r->ring[slot(r, r->n - 1)].s;

        if (s->requests < last->requests)
            r->n = 0;
        else if (now_ms - r->ring[slot(r, r->n - 1)].t < REQRATE_EVERY_MS)
            return;
    }
    r->ring[r->head].t = now_ms;
    r->ring[r->head].s = *s;
    r->head = (r->head + 1) % REQRATE_SAMPLES;
    if (r->n < REQRATE_SAMPLES)
        r->n++;
}

static unsigned long service_count(const struct aws_client_stats *s, const char *service)
{
    for (size_t i = 0; i < s->nservices; i++)
        if (strcmp(s->by_service[i].service, service) == 0)
            return s->by_service[i].requests;
    return 0;
}

void reqrate_format(const struct reqrate *r, int64_t now_ms, const struct aws_client_stats *s,
                    char *out, size_t outlen)
{
    const struct aws_client_stats *base = NULL;
    int64_t span = 0;
    size_t len;
    const char *sep = ": ";

    /* the oldest sample within the window: a rate over close to a whole minute */
    for (size_t k = 0; k < r->n; k++) {
        size_t i = slot(r, k);

        if (now_ms - r->ring[i].t <= REQRATE_WINDOW_MS && s->requests >= r->ring[i].s.requests) {
            base = &r->ring[i].s;
            span = now_ms - r->ring[i].t;
            break;
        }
    }
    if (!base || span < REQRATE_MIN_SPAN_MS) {
        snprintf(out, outlen, "requests/min: not measured yet");
        return;
    }
    snprintf(out, outlen, "%.0f requests/min over the last %lld s",
             (double)(s->requests - base->requests) * 60000.0 / (double)span,
             (long long)(span / 1000));
    for (size_t i = 0; i < s->nservices; i++) {
        unsigned long d = s->by_service[i].requests - service_count(base, s->by_service[i].service);

        if (!d)
            continue;
        len = strlen(out);
        if (len + 1 >= outlen)
            break;
        snprintf(out + len, outlen - len, "%s%s %.0f", sep, s->by_service[i].service,
                 (double)d * 60000.0 / (double)span);
        sep = ", ";
    }
}
