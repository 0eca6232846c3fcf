/* test_retry.c - the standard retry mode: classification table, backoff bounds with an
 * injected random value, the quota, HTTP dates and clock skew. */
#include "config.h"
#include "check_tap.h"

#include <stdio.h>
#include <string.h>

#include "core/retry.h"

static struct aws_error http_error(long status, const char *code)
{
    struct aws_error e;
    aws_error_clear(&e);
    e.kind = AWS_ERR_HTTP;
    e.http_status = status;
    snprintf(e.code, sizeof(e.code), "%s", code);
    return e;
}

START_TEST(classification_table)
{
    static const struct { long status; const char *code; enum retry_class want; } cases[] = {
        { 400, "Throttling", RETRY_THROTTLE },
        { 400, "ThrottlingException", RETRY_THROTTLE },
        { 400, "ThrottledException", RETRY_THROTTLE },
        { 400, "RequestThrottledException", RETRY_THROTTLE },
        { 429, "TooManyRequestsException", RETRY_THROTTLE },
        { 400, "ProvisionedThroughputExceededException", RETRY_THROTTLE },
        { 400, "TransactionInProgressException", RETRY_THROTTLE },
        { 503, "RequestLimitExceeded", RETRY_THROTTLE },
        { 509, "BandwidthLimitExceeded", RETRY_THROTTLE },
        { 400, "LimitExceededException", RETRY_THROTTLE },
        { 403, "RequestThrottled", RETRY_THROTTLE },
        { 503, "SlowDown", RETRY_THROTTLE },
        { 400, "PriorRequestNotComplete", RETRY_THROTTLE },
        { 400, "EC2ThrottledException", RETRY_THROTTLE },
        { 400, "RequestTimeout", RETRY_TRANSIENT },
        { 400, "RequestTimeoutException", RETRY_TRANSIENT },
        { 500, "InternalError", RETRY_TRANSIENT },
        { 503, "ServiceUnavailable", RETRY_TRANSIENT },
        { 500, "HTTP 500", RETRY_TRANSIENT },
        { 502, "HTTP 502", RETRY_TRANSIENT },
        { 503, "HTTP 503", RETRY_TRANSIENT },
        { 504, "HTTP 504", RETRY_TRANSIENT },
        { 501, "NotImplemented", RETRY_NONE },
        { 400, "ValidationError", RETRY_NONE },
        { 403, "AccessDenied", RETRY_NONE },
        { 404, "NoSuchKey", RETRY_NONE },
        { 400, "AWS.SimpleQueueService.NonExistentQueue", RETRY_NONE },
        { 429, "HTTP 429", RETRY_NONE },
        { 400, "throttling", RETRY_NONE },            /* codes are case-sensitive */
        { 403, "SignatureDoesNotMatch", RETRY_NONE }, /* only with skew, see below */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct aws_error e = http_error(cases[i].status, cases[i].code);
        ck_assert_msg(retry_classify(&e) == cases[i].want, "%ld %s: got %d want %d",
                      cases[i].status, cases[i].code, retry_classify(&e), cases[i].want);
    }
}
END_TEST

START_TEST(classification_kinds)
{
    struct aws_error e;
    aws_error_clear(&e);
    e.kind = AWS_ERR_NETWORK;
    snprintf(e.code, sizeof(e.code), "ConnectFailed");
    ck_assert_int_eq(retry_classify(&e), RETRY_TRANSIENT);
    snprintf(e.code, sizeof(e.code), "ConnectionReset");
    ck_assert_int_eq(retry_classify(&e), RETRY_TRANSIENT);
    snprintf(e.code, sizeof(e.code), "TLSVerifyFailed");
    ck_assert_int_eq(retry_classify(&e), RETRY_NONE);
    e.kind = AWS_ERR_TIMEOUT;
    ck_assert_int_eq(retry_classify(&e), RETRY_TIMEOUT);
    e.kind = AWS_ERR_CREDENTIALS;
    ck_assert_int_eq(retry_classify(&e), RETRY_NONE);
    e.kind = AWS_ERR_CONFIG;
    ck_assert_int_eq(retry_classify(&e), RETRY_NONE);
    e.kind = AWS_ERR_PARSE;
    ck_assert_int_eq(retry_classify(&e), RETRY_NONE);
    ck_assert(retry_is_expired_token_code("ExpiredToken"));
    ck_assert(retry_is_expired_token_code("ExpiredTokenException"));
    ck_assert(!retry_is_expired_token_code("Expired"));
    ck_assert(!retry_is_throttle_code(NULL));
}
END_TEST

START_TEST(backoff_bounds)
{
    /* attempts made -> cap in seconds: 1, 2, 4, 8, 16, then 20 for ever */
    static const long caps[] = { 1, 2, 4, 8, 16, 20, 20, 20 };
    for (int n = 1; n <= 8; n++) {
        ck_assert_int_eq(retry_delay_ms(n, 0.0), 0);
        ck_assert_int_eq(retry_delay_ms(n, 0.5), caps[n - 1] * 500);
        long top = retry_delay_ms(n, 0.9999999);
        ck_assert_int_le(top, caps[n - 1] * 1000);
        ck_assert_int_ge(top, caps[n - 1] * 1000 - 1);
    }
    ck_assert_int_eq(retry_delay_ms(1000000, 0.5), 10000);   /* no overflow */
    ck_assert_int_eq(retry_delay_ms(0, 0.5), 500);
    ck_assert_int_le(retry_delay_ms(3, 1.0), 4000);           /* out-of-range inputs clamp */
    ck_assert_int_eq(retry_delay_ms(3, -3.0), 0);
    ck_assert_int_eq(retry_delay_ms(3, 0.0 / 0.0), 0);
}
END_TEST

START_TEST(quota_exhaustion)
{
    struct retry_quota q;
    int cost, n = 0;

    retry_quota_init(&q);
    ck_assert_int_eq(q.available, 500);
    while (retry_quota_acquire(&q, RETRY_THROTTLE, &cost)) {
        ck_assert_int_eq(cost, 5);
        n++;
    }
    ck_assert_int_eq(n, 100);            /* 500 / 5 */
    ck_assert_int_eq(cost, 0);
    ck_assert_int_eq(q.available, 0);
    /* a success refunds 1 without a retry, the retry's cost after one */
    retry_quota_success(&q, 0);
    ck_assert_int_eq(q.available, 1);
    ck_assert(!retry_quota_acquire(&q, RETRY_TRANSIENT, &cost));
    retry_quota_success(&q, 5);
    ck_assert_int_eq(q.available, 6);
    ck_assert(retry_quota_acquire(&q, RETRY_TRANSIENT, &cost));
    ck_assert_int_eq(q.available, 1);
}
END_TEST

START_TEST(quota_timeouts_cost_more)
{
    struct retry_quota q;
    int cost, n = 0;

    retry_quota_init(&q);
    while (retry_quota_acquire(&q, RETRY_TIMEOUT, &cost))
        n++;
    ck_assert_int_eq(n, 50);
    ck_assert(!retry_quota_acquire(&q, RETRY_NONE, &cost));
    for (int i = 0; i < 1000; i++)
        retry_quota_success(&q, 10);
    ck_assert_int_eq(q.available, 500);   /* never above the initial capacity */
}
END_TEST

START_TEST(clock_skew)
{
    struct aws_error e = http_error(403, "RequestTimeTooSkewed");
    time_t now = 1795602804;            /* Wed, 25 Nov 2026 10:33:24 GMT */
    long off = 0;

    /* server one hour ahead */
    ck_assert(retry_clock_skew(&e, "Wed, 25 Nov 2026 11:33:24 GMT", now, &off));
    ck_assert_int_eq(off, 3600);
    /* already corrected: not skewed again */
    ck_assert(!retry_clock_skew(&e, "Wed, 25 Nov 2026 11:33:30 GMT", now, &off));
    ck_assert_int_eq(off, 3600);
    /* within 4 minutes: not a skew */
    off = 0;
    e = http_error(403, "SignatureDoesNotMatch");
    ck_assert(!retry_clock_skew(&e, "Wed, 25 Nov 2026 10:36:24 GMT", now, &off));
    ck_assert_int_eq(off, 0);
    /* server behind, other codes */
    e = http_error(400, "InvalidSignatureException");
    ck_assert(retry_clock_skew(&e, "Wed, 25 Nov 2026 10:13:24 GMT", now, &off));
    ck_assert_int_eq(off, -1200);
    off = 0;
    e = http_error(401, "AuthFailure");
    ck_assert(retry_clock_skew(&e, "Wed, 25 Nov 2026 10:43:24 GMT", now, &off));
    e = http_error(400, "RequestExpired");
    off = 0;
    ck_assert(retry_clock_skew(&e, "Wed, 25 Nov 2026 10:43:24 GMT", now, &off));
    /* not a skew code, or no usable date */
    off = 0;
    e = http_error(403, "AccessDenied");
    ck_assert(!retry_clock_skew(&e, "Wed, 25 Nov 2026 12:00:00 GMT", now, &off));
    e = http_error(403, "RequestTimeTooSkewed");
    ck_assert(!retry_clock_skew(&e, NULL, now, &off));
    ck_assert(!retry_clock_skew(&e, "yesterday", now, &off));
    ck_assert_int_eq(off, 0);
    /* the obsolete forms a recipient must still read (the parser is timeutil's) */
    ck_assert(retry_clock_skew(&e, "Wednesday, 25-Nov-26 11:33:24 GMT", now, &off));
    ck_assert_int_eq(off, 3600);
    off = 0;
    ck_assert(retry_clock_skew(&e, "Wed Nov 25 09:33:24 2026", now, &off));
    ck_assert_int_eq(off, -3600);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("retry");
    TCase *tc = tcase_create("retry");
    tcase_add_test(tc, classification_table);
    tcase_add_test(tc, classification_kinds);
    tcase_add_test(tc, backoff_bounds);
    tcase_add_test(tc, quota_exhaustion);
    tcase_add_test(tc, quota_timeouts_cost_more);
    tcase_add_test(tc, clock_skew);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
