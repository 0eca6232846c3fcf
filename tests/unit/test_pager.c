/* test_pager.c - the paging guard: a complete listing, a token that comes back (at once or
 * pages later), tokens that never end, an absurd token, reuse after done; every error names
 * the call and the endpoint. */
#include "config.h"
#include "check_tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/client.h"
#include "core/pager.h"

static struct aws_response resp_for(const char *service, const char *action)
{
    struct aws_response r;

    aws_response_init(&r);
    r.service = service;
    r.action = action;
    r.endpoint = "http://127.0.0.1:4566";
    return r;
}

START_TEST(complete_listing)
{
    struct aws_pager pg = {0};
    struct aws_response r = resp_for("sqs", "ListQueues");
    struct aws_error err;

    aws_error_clear(&err);
    ck_assert_int_eq(aws_pager_next(&pg, "t1", &r, &err), 1);
    ck_assert_int_eq(aws_pager_next(&pg, "t2", &r, &err), 1);
    ck_assert_int_eq(aws_pager_next(&pg, NULL, &r, &err), 0);
    ck_assert_int_eq(pg.pages, 3);
    ck_assert_int_eq(err.kind, AWS_ERR_NONE);
    aws_pager_done(&pg);
    /* an empty token is the last page too (SNS sends <NextToken/>) */
    ck_assert_int_eq(aws_pager_next(&pg, "", &r, &err), 0);
    aws_pager_done(&pg);
}
END_TEST

START_TEST(repeated_token_stops)
{
    struct aws_pager pg = {0};
    struct aws_response r = resp_for("sns", "ListTopics");
    struct aws_error err;
    char line[1024];

    aws_error_clear(&err);
    ck_assert_int_eq(aws_pager_next(&pg, "same", &r, &err), 1);
    ck_assert_int_eq(aws_pager_next(&pg, "same", &r, &err), -1);
    ck_assert_int_eq(err.kind, AWS_ERR_PARSE);
    ck_assert_str_eq(err.code, "PaginationLoop");
    ck_assert_str_eq(err.service, "sns");
    ck_assert_str_eq(err.action, "ListTopics");
    ck_assert_str_eq(err.endpoint, "http://127.0.0.1:4566");
    aws_error_describe(&err, "prod", line, sizeof(line));
    ck_assert_msg(strstr(line, "sns:ListTopics at http://127.0.0.1:4566 (profile prod)") &&
                  strstr(line, "page 2 hands back a next token already seen"), "%s", line);
    aws_pager_done(&pg);

    /* a token from pages back (a cycle a -> b -> c -> a) is caught too */
    ck_assert_int_eq(aws_pager_next(&pg, "a", &r, &err), 1);
    ck_assert_int_eq(aws_pager_next(&pg, "b", &r, &err), 1);
    ck_assert_int_eq(aws_pager_next(&pg, "c", &r, &err), 1);
    ck_assert_int_eq(aws_pager_next(&pg, "a", &r, &err), -1);
    ck_assert_int_eq(pg.pages, 4);
    aws_pager_done(&pg);

    /* done makes it ready for the next listing: the same tokens are new again */
    ck_assert_int_eq(aws_pager_next(&pg, "a", &r, &err), 1);
    aws_pager_done(&pg);
}
END_TEST

START_TEST(endless_tokens_hit_the_cap)
{
    struct aws_pager pg;
    struct aws_response r = resp_for("monitoring", "GetMetricData");
    struct aws_error err;
    char tok[32];
    int rc = 1, pages = 0;

    aws_pager_init(&pg, 50);
    aws_error_clear(&err);
    while (rc == 1 && pages < 1000) {
        snprintf(tok, sizeof(tok), "token-%d", pages++);
        rc = aws_pager_next(&pg, tok, &r, &err);
    }
    ck_assert_int_eq(rc, -1);
    ck_assert_int_eq(pages, 50);
    ck_assert_str_eq(err.code, "PaginationLimit");
    ck_assert_str_eq(err.action, "GetMetricData");
    aws_pager_done(&pg);
    ck_assert_int_eq(pg.max_pages, 50);  /* the cap survives done */

    /* the default cap */
    aws_pager_init(&pg, 0);
    for (pages = 0, rc = 1; rc == 1 && pages < 5000; pages++) {
        snprintf(tok, sizeof(tok), "t%d", pages);
        rc = aws_pager_next(&pg, tok, &r, &err);
    }
    ck_assert_int_eq(rc, -1);
    ck_assert_int_eq(pages, AWS_PAGER_MAX_PAGES);
    aws_pager_done(&pg);
}
END_TEST

START_TEST(huge_token_refused)
{
    struct aws_pager pg = {0};
    struct aws_response r = resp_for("s3", "ListObjectsV2");
    struct aws_error err;
    char *tok = malloc(AWS_PAGER_MAX_TOKEN + 2);

    memset(tok, 'x', AWS_PAGER_MAX_TOKEN + 1);
    tok[AWS_PAGER_MAX_TOKEN + 1] = '\0';
    aws_error_clear(&err);
    ck_assert_int_eq(aws_pager_next(&pg, tok, &r, &err), -1);
    ck_assert_str_eq(err.code, "PaginationLoop");
    tok[AWS_PAGER_MAX_TOKEN] = '\0';      /* exactly the cap is accepted */
    ck_assert_int_eq(aws_pager_next(&pg, tok, &r, &err), 1);
    free(tok);
    aws_pager_done(&pg);
    /* no response context: the error still has a kind and a message */
    ck_assert_int_eq(aws_pager_next(&pg, "x", NULL, &err), 1);
    ck_assert_int_eq(aws_pager_next(&pg, "x", NULL, &err), -1);
    ck_assert_str_eq(err.service, "");
    aws_pager_done(&pg);
}
END_TEST

/* A listing whose pages come one per poll cycle (the s3 view) carries its seen tokens in the
 * store: A -> B -> A is stopped at the third page even though each page had a new pager. */
START_TEST(cycle_across_cycles_stops)
{
    struct aws_pager pg = {0};
    struct aws_response r = resp_for("s3", "ListObjectsV2");
    struct aws_error err;
    char *saved;

    aws_error_clear(&err);
    ck_assert_int_eq(aws_pager_next(&pg, "A", &r, &err), 1);       /* page 1, cycle 1 */
    saved = aws_pager_save(&pg);
    aws_pager_done(&pg);
    ck_assert_uint_eq(strlen(saved), 16);

    aws_pager_restore(&pg, saved, 1);                               /* page 2, cycle 2 */
    free(saved);
    ck_assert_int_eq(aws_pager_next(&pg, "B", &r, &err), 1);
    saved = aws_pager_save(&pg);
    aws_pager_done(&pg);
    ck_assert_uint_eq(strlen(saved), 33);
    ck_assert_int_eq(saved[16], ' ');

    aws_pager_restore(&pg, saved, 2);                               /* page 3, cycle 3 */
    free(saved);
    ck_assert_int_eq(aws_pager_next(&pg, "A", &r, &err), -1);
    ck_assert_str_eq(err.code, "PaginationLoop");
    ck_assert_ptr_nonnull(strstr(err.message, "page 3 hands back a next token already seen"));
    aws_pager_done(&pg);

    /* what save did not write restores nothing, and a listing goes on */
    aws_pager_restore(&pg, "0123456789abcdeg", 0);
    ck_assert_uint_eq(pg.nseen, 0);
    aws_pager_restore(&pg, "0123456789abcdef0123456789abcdef", 0);
    ck_assert_uint_eq(pg.nseen, 0);
    aws_pager_restore(&pg, NULL, 0);
    ck_assert_uint_eq(pg.nseen, 0);
    aws_pager_restore(&pg, "0123456789abcdef 0000000000000001", 0);
    ck_assert_uint_eq(pg.nseen, 2);
    aws_pager_done(&pg);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pager");
    TCase *tc = tcase_create("pager");

    tcase_add_test(tc, complete_listing);
    tcase_add_test(tc, repeated_token_stops);
    tcase_add_test(tc, endless_tokens_hit_the_cap);
    tcase_add_test(tc, huge_token_refused);
    tcase_add_test(tc, cycle_across_cycles_stops);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
