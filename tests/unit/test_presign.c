/* test_presign.c - how long a presigned URL is valid (act/presign.h): as asked, cut to the
 * credentials' expiry (a URL signed with session credentials dies with them), cut to S3's
 * 7 days, nothing for expired credentials; each with the reason the dialog shows. And the
 * URL itself carries the cut expiry (X-Amz-Expires). And the clock it is signed with is the
 * client's, corrected by an answer that said the local clock is wrong (as every request is),
 * or AWS refuses the URL of a machine whose clock is off. */
#include "config.h"
#include "check_tap.h"

#include <stdlib.h>
#include <string.h>

#include "act/presign.h"
#include "aws/s3.h"
#include "conf/awsconfig.h"
#include "core/client.h"
#include "core/sigv4.h"
#include "creds/creds.h"
#include "http_stub.h"
#include "tmp_home.h"

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

static void on_answer(const struct aws_response *resp, const struct aws_error *err, void *ud)
{
    (void)resp;
    if (err)
        *(struct aws_error *)ud = *err;
}

START_TEST(clock_corrected_by_a_skew_answer)
{
    static const char body[] =
        "<ErrorResponse><Error><Type>Sender</Type><Code>RequestTimeTooSkewed</Code>"
        "<Message>The difference between the request time and the current time is too "
        "large.</Message></Error><RequestId>r-skew</RequestId></ErrorResponse>";
    char date[64], response[1024];
    time_t ahead = time(NULL) + 7200;
    struct http_stub srv;
    struct aws_config *cfg;
    struct creds_manager *cm;
    struct aws_client *c;
    struct aws_request req;
    struct aws_error err;
    struct tm tm;
    long off;

    /* the server's clock is two hours ahead of ours, and it says so in its Date header */
    gmtime_r(&ahead, &tm);
    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    snprintf(response, sizeof(response),
             "HTTP/1.1 403 Forbidden\r\nDate: %s\r\nx-amzn-RequestId: r-skew\r\n"
             "Content-Type: text/xml\r\nContent-Length: %zu\r\n\r\n%s",
             date, strlen(body), body);
    tmp_home_setup();
    http_stub_start(&srv, response, NULL);
    c = http_stub_client(&srv, &cfg, &cm);
    off = (long)(aws_client_now(c) - time(NULL));
    ck_assert_msg(off >= -1 && off <= 1, "before any answer the client's clock is ours (%ld)",
                  off);
    aws_request_init(&req, "sts", "GetCallerIdentity", "POST");
    aws_request_set_header(&req, "Content-Type", "application/x-www-form-urlencoded");
    buf_puts(&req.body, "Action=GetCallerIdentity&Version=2011-06-15");
    aws_error_clear(&err);
    aws_client_send(c, &req, on_answer, &err);
    while (aws_client_pending(c) > 0)
        aws_client_run(c, NULL, 0, 1000);
    ck_assert_str_eq(err.code, "RequestTimeTooSkewed");
    /* what a presigned URL is signed with now: the server's time, within the test's run */
    off = (long)(aws_client_now(c) - time(NULL));
    ck_assert_msg(off >= 7200 - 60 && off <= 7200 + 1, "the clock is 2 h ahead (%ld s)", off);
    aws_request_done(&req);
    aws_client_free(c);
    creds_manager_free(cm);
    aws_config_free(cfg);
    http_stub_stop(&srv);
    tmp_home_teardown();
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
    tcase_add_test(tc, clock_corrected_by_a_skew_answer);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
