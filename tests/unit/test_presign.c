/* test_presign.c - how long a presigned URL is valid (act/presign.h): as asked, cut to the
 * credentials' expiry (a URL signed with session credentials dies with them), cut to S3's
 * 7 days, nothing for expired credentials; each with the reason the dialog shows. And the
 * URL itself carries the cut expiry (X-Amz-Expires). */
#include "config.h"
#include "check_tap.h"

#include <stdlib.h>
#include <string.h>

#include "act/presign.h"
#include "aws/s3.h"
#include "core/sigv4.h"

#define NOW 1795000000L

START_TEST(as_asked)
{
    char why[128];

    ck_assert_int_eq(presign_validity(3600, NOW, 0, why, sizeof(why)), 3600);
    ck_assert_str_eq(why, "as asked");
    /* credentials that outlive the ask change nothing */
    ck_assert_int_eq(presign_validity(3600, NOW, NOW + 7200, why, sizeof(why)), 3600);
    ck_assert_str_eq(why, "as asked");
    ck_assert_int_eq(presign_validity(3600, NOW, NOW + 3600, NULL, 0), 3600);
}
END_TEST

START_TEST(cut_to_credentials)
{
    char why[128];

    /* a 12h URL from credentials with 42 minutes left: 42 minutes, and the dialog says why */
    ck_assert_int_eq(presign_validity(12 * 3600, NOW, NOW + 42 * 60, why, sizeof(why)),
                     42 * 60);
    ck_assert_str_eq(why, "cut to when the credentials expire, in 42m00s");
    /* 7 days asked, credentials with 3 days: the credentials are the nearer limit */
    ck_assert_int_eq(presign_validity(PRESIGN_MAX, NOW, NOW + 3 * 86400, why, sizeof(why)),
                     3 * 86400);
    ck_assert_ptr_nonnull(strstr(why, "credentials expire"));
}
END_TEST

START_TEST(cut_to_seven_days)
{
    char why[128];

    ck_assert_int_eq(presign_validity(8 * 86400, NOW, 0, why, sizeof(why)), PRESIGN_MAX);
    ck_assert_str_eq(why, "cut to S3's 7-day limit");
    /* credentials that last longer than 7 days: S3's limit still applies */
    ck_assert_int_eq(presign_validity(30 * 86400, NOW, NOW + 20 * 86400, why, sizeof(why)),
                     PRESIGN_MAX);
    ck_assert_str_eq(why, "cut to S3's 7-day limit");
}
END_TEST

START_TEST(expired)
{
    char why[128];

    ck_assert_int_eq(presign_validity(3600, NOW, NOW, why, sizeof(why)), 0);
    ck_assert_str_eq(why, "the credentials have expired");
    ck_assert_int_eq(presign_validity(3600, NOW, NOW - 10, why, sizeof(why)), 0);
    ck_assert_str_eq(why, "the credentials have expired");
}
END_TEST

/* The URL made for credentials expiring in 20 minutes says 1200 seconds, not the hour asked. */
START_TEST(url_carries_the_cut)
{
    struct s3_endpoint ep = {.url = "http://127.0.0.1:5000", .configured = true,
                             .region = "us-east-1", .style = S3_ADDRESSING_PATH};
    struct sigv4_credentials c = {.access_key_id = "AKIDEXAMPLE",
                                  .secret_access_key = "secret", .session_token = "tok"};
    struct s3_location loc;
    struct aws_error e;
    char *url = NULL;
    long secs = presign_validity(3600, NOW, NOW + 1200, NULL, 0);

    aws_error_clear(&e);
    ck_assert_int_eq(s3_location_init(&loc, "alpha", &ep, &e), 0);
    ck_assert_int_eq(s3_presign_get(&loc, "k", NULL, &c, NOW, secs, 1200, &url, &e), 0);
    ck_assert_ptr_nonnull(strstr(url, "X-Amz-Expires=1200&"));
    ck_assert_ptr_nonnull(strstr(url, "X-Amz-Security-Token=tok"));
    free(url);
    s3_location_done(&loc);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("presign");
    TCase *tc = tcase_create("presign");

    tcase_add_test(tc, as_asked);
    tcase_add_test(tc, cut_to_credentials);
    tcase_add_test(tc, cut_to_seven_days);
    tcase_add_test(tc, expired);
    tcase_add_test(tc, url_carries_the_cut);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
