/* reqrate.h - the console's own request rate, per minute and by service, for `:stats` and
 * `?`: samples of the client's counters (aws_client_get_stats) taken as the loop turns,
 * compared with the one about a minute old. Pure: the caller passes the clock. */
#ifndef OPSDECK_REQRATE_H
#define OPSDECK_REQRATE_H

#include <stddef.h>
#include <stdint.h>

#include "core/client.h"

#define REQRATE_EVERY_MS 5000     /* a sample at most this often */
#define REQRATE_WINDOW_MS 60000   /* the rate is over about the last minute */
/* Below this span there is no rate: the first cycle's burst, times 60, is not a rate. */
#define REQRATE_MIN_SPAN_MS 10000
#define REQRATE_SAMPLES (REQRATE_WINDOW_MS / REQRATE_EVERY_MS + 2)

struct reqrate {
    struct {
        int64_t t;
        struct aws_client_stats s;
    } ring[REQRATE_SAMPLES];
    size_t n, head;   /* head: the next slot to write */
};

void reqrate_init(struct reqrate *r);
/* Keeps a sample of s at now_ms (monotonic) if the last is REQRATE_EVERY_MS old. Counters
 * that went back (a new client after :profile) start the window again. */
void reqrate_sample(struct reqrate *r, int64_t now_ms, const struct aws_client_stats *s);
/* "312 requests/min over the last 60 s: sqs 300, monitoring 12" (services with none in
 * the window left out), or "requests/min: not measured yet" before REQRATE_MIN_SPAN_MS has passed. */
void reqrate_format(const struct reqrate *r, int64_t now_ms, const struct aws_client_stats *s,
                    char *out, size_t outlen);

#endif
