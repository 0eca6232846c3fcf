/* retry.h - the SDKs' "standard" retry mode, as pure functions so it can be unit-tested.
 *
 * What is retried (throttling, transient errors, 5xx, network), how long to wait (full
 * jitter: rand(0,1) x min(2^(n-1), 20) s), the retry quota (a token bucket shared by the
 * whole client, so an outage does not multiply the load by max_attempts), and clock-skew
 * detection from the server's Date header. No clock, no randomness of its own: callers pass
 * them in. */
#ifndef OPSDECK_RETRY_H
#define OPSDECK_RETRY_H

#include <stdbool.h>
#include <time.h>

#include "core/awserr.h"

#define RETRY_MAX_ATTEMPTS 3
#define RETRY_MAX_BACKOFF_S 20
#define RETRY_QUOTA_INITIAL 500
#define RETRY_COST 5
#define RETRY_TIMEOUT_COST 10
#define RETRY_NO_RETRY_INCREMENT 1
/* Beyond this the request is considered signed with a wrong clock (SDKs use 4-5 min). */
#define RETRY_SKEW_THRESHOLD_S 240

enum retry_class {
    RETRY_NONE = 0,      /* not retryable: client errors, config, credentials */
    RETRY_THROTTLE,      /* throttling codes */
    RETRY_TRANSIENT,     /* transient codes, 500/502/503/504, connection errors */
    RETRY_TIMEOUT,       /* timeouts: cost more quota */
};

/* Throttling codes of the standard retry mode ("Throttling", "SlowDown", ...). */
bool retry_is_throttle_code(const char *code);
/* Transient codes ("RequestTimeout", "InternalError", "ServiceUnavailable", ...). */
bool retry_is_transient_code(const char *code);
/* Codes that may mean our clock is wrong (RequestTimeTooSkewed, SignatureDoesNotMatch...). */
bool retry_is_skew_code(const char *code);
/* ExpiredToken / ExpiredTokenException: refresh credentials and try once more. */
bool retry_is_expired_token_code(const char *code);

/* How a final-looking error should be treated. */
enum retry_class retry_classify(const struct aws_error *e);

/* The backoff before the next attempt, after `attempts` attempts were made (1-based):
 * r01 (in [0,1)) x min(2^(attempts-1), 20) s, in milliseconds. */
long retry_delay_ms(int attempts, double r01);

/* The token bucket. */
struct retry_quota {
    int available;
    int max;
};

void retry_quota_init(struct retry_quota *q);
/* Takes the cost of one retry of class c; false (and nothing taken) when the bucket is too
 * low: the error is then final. *cost receives what was taken. */
bool retry_quota_acquire(struct retry_quota *q, enum retry_class c, int *cost);
/* After a success: gives back last_cost (the cost of the retry that led to it, 0 when the
 * first attempt succeeded, which refunds RETRY_NO_RETRY_INCREMENT). Never above max. */
void retry_quota_success(struct retry_quota *q, int last_cost);

/* Clock skew: when e is a skew code and the server's Date (read by timeutil_parse_http_date,
 * in any of HTTP's three forms) is more than RETRY_SKEW_THRESHOLD_S away from now + *offset,
 * sets *offset = server - now and returns true (sign again with time(NULL) + *offset).
 * AuthFailure (EC2) counts only with skew too. */
bool retry_clock_skew(const struct aws_error *e, const char *date_header, time_t now,
                      long *offset);

#endif
