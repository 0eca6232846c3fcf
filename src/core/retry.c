/* retry.c - the standard retry mode: classification, backoff, quota, clock skew.
 * The code lists are the SDKs' (botocore retries/standard.py, the AWS SDKs reference guide
 * "Retry behavior"). */
#include "config.h"
#include "core/retry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/timeutil.h"

static const char *const throttle_codes[] = {
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
    "TooManyRequestsException", "ProvisionedThroughputExceededException",
    "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
    "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
    "EC2ThrottledException", NULL,
};

static const char *const transient_codes[] = {
    "RequestTimeout", "RequestTimeoutException", "InternalError", "ServiceUnavailable", NULL,
};

static const char *const skew_codes[] = {
    "RequestTimeTooSkewed", "RequestExpired", "InvalidSignatureException",
    "SignatureDoesNotMatch", "AuthFailure", "RequestInTheFuture", NULL,
};

/* Network failures that another attempt cannot fix (set by errparse_curl). */
static const char *const fatal_network_codes[] = {
    "TLSVerifyFailed", "UnsupportedProtocol", "BadURL", NULL,
};

static bool in_list(const char *const *list, const char *code)
{
    if (!code || !*code)
        return false;
    for (size_t i = 0; list[i]; i++)
        if (strcmp(list[i], code) == 0)
            return true;
    return false;
}

bool retry_is_throttle_code(const char *code) { return in_list(throttle_codes, code); }
bool retry_is_transient_code(const char *code) { return in_list(transient_codes, code); }
bool retry_is_skew_code(const char *code) { return in_list(skew_codes, code); }

bool retry_is_expired_token_code(const char *code)
{
    return code && (strcmp(code, "ExpiredToken") == 0 ||
                    strcmp(code, "ExpiredTokenException") == 0);
}

enum retry_class retry_classify(const struct aws_error *e)
{
    switch (e->kind) {
    case AWS_ERR_NETWORK:
        return in_list(fatal_network_codes, e->code) ? RETRY_NONE : RETRY_TRANSIENT;
    case AWS_ERR_TIMEOUT:
        return RETRY_TIMEOUT;
    case AWS_ERR_HTTP:
        if (retry_is_throttle_code(e->code))
            return RETRY_THROTTLE;
        if (retry_is_transient_code(e->code))
            return RETRY_TRANSIENT;
        if (e->http_status == 500 || e->http_status == 502 || e->http_status == 503 ||
            e->http_status == 504)
            return RETRY_TRANSIENT;
        return RETRY_NONE;
    default:
        return RETRY_NONE;
    }
}

long retry_delay_ms(int attempts, double r01)
{
    long cap_s = RETRY_MAX_BACKOFF_S;

    if (attempts < 1)
        attempts = 1;
    /* 2^(n-1) reaches 20 s at n = 6; avoid shifting past it */
    if (attempts <= 5)
        cap_s = 1L << (attempts - 1);
    if (cap_s > RETRY_MAX_BACKOFF_S)
        cap_s = RETRY_MAX_BACKOFF_S;
    if (!(r01 >= 0.0))      /* also NaN */
        r01 = 0.0;
    if (r01 >= 1.0)
        r01 = 0.999999;
    return (long)(r01 * (double)cap_s * 1000.0);
}

void retry_quota_init(struct retry_quota *q)
{
    q->available = RETRY_QUOTA_INITIAL;
    q->max = RETRY_QUOTA_INITIAL;
}

bool retry_quota_acquire(struct retry_quota *q, enum retry_class c, int *cost)
{
    int need = c == RETRY_TIMEOUT ? RETRY_TIMEOUT_COST : RETRY_COST;

    *cost = 0;
    if (c == RETRY_NONE || q->available < need)
        return false;
    q->available -= need;
    *cost = need;
    return true;
}

void retry_quota_success(struct retry_quota *q, int last_cost)
{
    q->available += last_cost > 0 ? last_cost : RETRY_NO_RETRY_INCREMENT;
    if (q->available > q->max)
        q->available = q->max;
}

bool retry_clock_skew(const struct aws_error *e, const char *date_header, time_t now,
                      long *offset)
{
    int64_t server;

    if (e->kind != AWS_ERR_HTTP || !retry_is_skew_code(e->code))
        return false;
    if (timeutil_parse_http_date(date_header, &server) != 0)
        return false;
    long diff = (long)(server - (now + *offset));
    if (labs(diff) <= RETRY_SKEW_THRESHOLD_S)
        return false;
    *offset = (long)(server - now);
    return true;
}
