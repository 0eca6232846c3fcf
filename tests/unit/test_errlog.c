/* test_errlog.c - the recent errors kept for :errors: newest first, the same failure again
 * counted on one entry moved to the front, the oldest dropped past ERRLOG_MAX, text kept
 * as it came (the view sanitises) but bounded, a generation that moves on every change. */
#include "config.h"
#include "check_tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errlog.h"

START_TEST(newest_first_and_counted)
{
    struct errlog l;
    const struct errlog_entry *e;
    uint64_t g;

    errlog_init(&l);
    ck_assert_uint_eq(errlog_count(&l), 0);
    ck_assert_ptr_null(errlog_at(&l, 0));
    errlog_add(&l, 1000, "SQS ListQueues", "cannot reach http://127.0.0.1:9");
    errlog_add(&l, 2000, "console", "theme 'x' not found");
    g = l.generation;
    ck_assert_str_eq(errlog_at(&l, 0)->source, "console");
    ck_assert_str_eq(errlog_at(&l, 1)->source, "SQS ListQueues");
    /* the list call fails again the same way: one entry, twice, at the front */
    errlog_add(&l, 3000, "SQS ListQueues", "cannot reach http://127.0.0.1:9");
    ck_assert_uint_gt(l.generation, g);
    ck_assert_uint_eq(errlog_count(&l), 2);
    e = errlog_at(&l, 0);
    ck_assert_str_eq(e->source, "SQS ListQueues");
    ck_assert_uint_eq(e->count, 2);
    ck_assert_int_eq(e->first_ms, 1000);
    ck_assert_int_eq(e->last_ms, 3000);
    /* the same source with another text is another failure */
    errlog_add(&l, 4000, "SQS ListQueues", "AccessDenied: not authorized");
    ck_assert_uint_eq(errlog_count(&l), 3);
    ck_assert_uint_eq(errlog_at(&l, 0)->count, 1);
    ck_assert_ptr_null(errlog_at(&l, 3));
    errlog_done(&l);
    errlog_done(&l);  /* twice is harmless */
}
END_TEST

START_TEST(bounded_and_kept_as_is)
{
    struct errlog l;
    char src[32];

    errlog_init(&l);
    for (int i = 0; i < ERRLOG_MAX + 5; i++) {
        snprintf(src, sizeof(src), "call %d", i);
        errlog_add(&l, i, src, "failed");
    }
    ck_assert_uint_eq(errlog_count(&l), ERRLOG_MAX);
    ck_assert_str_eq(errlog_at(&l, 0)->source, "call 104");
    ck_assert_str_eq(errlog_at(&l, ERRLOG_MAX - 1)->source, "call 5");
    /* an error text from AWS with an escape sequence: kept as it is, for the one sanitiser
     * of whoever shows or copies it (sanitising twice would double its backslashes) */
    errlog_add(&l, 1, "SQS \x1b[2J", "bad \x1b]52;c;AAAA\a text");
    ck_assert_str_eq(errlog_at(&l, 0)->source, "SQS \x1b[2J");
    ck_assert_str_eq(errlog_at(&l, 0)->text, "bad \x1b]52;c;AAAA\a text");
    {
        char *huge = malloc(ERRLOG_TEXT_MAX * 2 + 1);

        ck_assert_ptr_nonnull(huge);
        memset(huge, 'x', ERRLOG_TEXT_MAX * 2);
        huge[ERRLOG_TEXT_MAX * 2] = '\0';
        errlog_add(&l, 3, "big", huge);
        ck_assert_uint_eq(strlen(errlog_at(&l, 0)->text), ERRLOG_TEXT_MAX);
        free(huge);
    }
    errlog_add(&l, 2, NULL, NULL);
    ck_assert_str_eq(errlog_at(&l, 0)->source, "");
    errlog_done(&l);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("errlog");
    TCase *tc = tcase_create("errlog");

    tcase_add_test(tc, newest_first_and_counted);
    tcase_add_test(tc, bounded_and_kept_as_is);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
