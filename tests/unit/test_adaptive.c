/* test_adaptive.c - which rows a poll cycle reads (src/poll/adaptive.h): on-screen rows and
 * problems every cycle, never-read rows at once, the rest a few per cycle, longest unread
 * first, and every one of them within its turn. */
#include "config.h"

#include <stdlib.h>

#include "check_tap.h"
#include "poll/adaptive.h"

#define IVL 10000   /* the default 10 s interval */

static size_t count_refresh(const struct adaptive_row *r, size_t n)
{
    size_t k = 0;

    for (size_t i = 0; i < n; i++)
        k += r[i].refresh;
    return k;
}

/* The next cycle's start, an interval later: what was read (300 ms into the last cycle) is a
 * little younger than an interval, the rest an interval older. */
static void next_cycle(struct adaptive_row *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        r[i].age_ms = r[i].refresh ? IVL - 300 : r[i].age_ms + IVL;
}

START_TEST(first_cycle_reads_everything)
{
    struct adaptive_row r[1000] = {{0}};

    for (size_t i = 0; i < 1000; i++)
        r[i].age_ms = -1;
    ck_assert_uint_eq(adaptive_select(r, 1000, IVL, false), 1000);
    ck_assert_uint_eq(count_refresh(r, 1000), 1000);
}
END_TEST

START_TEST(screen_and_problems_always_the_rest_capped_oldest_first)
{
    struct adaptive_row r[1000] = {{0}};

    for (size_t i = 0; i < 1000; i++) {
        r[i].age_ms = IVL + (int64_t)i;        /* higher index: longer unread */
        r[i].on_screen = i >= 100 && i < 140;  /* 40 rows on screen */
    }
    r[5].problem = r[7].problem = true;
    ck_assert_uint_eq(adaptive_select(r, 1000, IVL, false), 40 + 2 + ADAPTIVE_OFFSCREEN_PER_CYCLE);
    for (size_t i = 100; i < 140; i++)
        ck_assert_msg(r[i].refresh, "on-screen row %zu not read", i);
    ck_assert(r[5].refresh && r[7].refresh);
    /* the off-screen rows read are the longest unread: the top indices */
    for (size_t i = 1000 - ADAPTIVE_OFFSCREEN_PER_CYCLE; i < 1000; i++)
        ck_assert_msg(r[i].refresh, "old row %zu not read", i);
    ck_assert(!r[0].refresh && !r[500].refresh && !r[1000 - ADAPTIVE_OFFSCREEN_PER_CYCLE - 1].refresh);
}
END_TEST

START_TEST(every_row_gets_its_turn)
{
    enum { N = 1000, SCREEN = 40, CYCLES = 60 };
    struct adaptive_row *r = calloc(N, sizeof(*r));
    int64_t *last = calloc(N, sizeof(*last));
    size_t per_cycle_max = 0;
    /* off-screen rows: 960 at 40 a cycle, 24 cycles for a full turn */
    int64_t turn = (N - SCREEN + ADAPTIVE_OFFSCREEN_PER_CYCLE - 1) / ADAPTIVE_OFFSCREEN_PER_CYCLE;

    for (size_t i = 0; i < N; i++) {
        r[i].age_ms = -1;
        r[i].on_screen = i < SCREEN;
    }
    for (int64_t c = 0; c < CYCLES; c++) {
        size_t k = adaptive_select(r, N, IVL, false);

        if (c > 0 && k > per_cycle_max)
            per_cycle_max = k;
        for (size_t i = 0; i < N; i++) {
            if (i < SCREEN)
                ck_assert_msg(r[i].refresh, "on-screen row %zu skipped in cycle %lld", i,
                              (long long)c);
            if (r[i].refresh) {
                if (c > 0)
                    ck_assert_msg(c - last[i] <= turn, "row %zu waited %lld cycles", i,
                                  (long long)(c - last[i]));
                last[i] = c;
            }
        }
        next_cycle(r, N);
    }
    /* after the first cycle the cost no longer depends on the fleet */
    ck_assert_uint_eq(per_cycle_max, SCREEN + ADAPTIVE_OFFSCREEN_PER_CYCLE);
    for (size_t i = 0; i < N; i++)
        ck_assert_msg(CYCLES - 1 - last[i] < turn, "row %zu last read in cycle %lld", i,
                      (long long)last[i]);
    ck_assert_int_eq(adaptive_offscreen_period(N, SCREEN, IVL), turn * IVL);
    free(r);
    free(last);
}
END_TEST

START_TEST(small_fleet_is_read_every_cycle)
{
    struct adaptive_row r[26] = {{0}};

    for (size_t i = 0; i < 26; i++)
        r[i].age_ms = IVL - 300;   /* read near the end of the last cycle */
    ck_assert_uint_eq(adaptive_select(r, 26, IVL, false), 26);
    ck_assert_int_eq(adaptive_offscreen_period(26, 0, IVL), IVL);
}
END_TEST

START_TEST(just_read_is_not_read_again)
{
    /* `r` or a new detail key starts a cycle early: rows read a second ago wait */
    struct adaptive_row r[3] = {
        { .on_screen = true, .age_ms = 1000 },
        { .problem = true, .age_ms = 1000 },
        { .age_ms = 1000 },
    };

    ck_assert_uint_eq(adaptive_select(r, 3, IVL, false), 0);
    r[0].age_ms = IVL / 2;          /* half an interval of slack: the next cycle reads it */
    ck_assert_uint_eq(adaptive_select(r, 3, IVL, false), 1);
    ck_assert(r[0].refresh);
    /* `r`: what is on screen and what is in trouble, now; the rest waits its turn */
    r[0].age_ms = 1000;
    ck_assert_uint_eq(adaptive_select(r, 3, IVL, true), 2);
    ck_assert(r[0].refresh && r[1].refresh && !r[2].refresh);
}
END_TEST

START_TEST(growing)
{
    const double up[] = { 3, 5 }, down[] = { 5, 3 }, flat[] = { 5, 5 }, one[] = { 9 };

    ck_assert(adaptive_growing(up, 2));
    ck_assert(!adaptive_growing(down, 2));
    ck_assert(!adaptive_growing(flat, 2));
    ck_assert(!adaptive_growing(one, 1));
    ck_assert(!adaptive_growing(NULL, 0));
}
END_TEST

static Suite *adaptive_suite(void)
{
    Suite *s = suite_create("adaptive");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, first_cycle_reads_everything);
    tcase_add_test(tc, screen_and_problems_always_the_rest_capped_oldest_first);
    tcase_add_test(tc, every_row_gets_its_turn);
    tcase_add_test(tc, small_fleet_is_read_every_cycle);
    tcase_add_test(tc, just_read_is_not_read_again);
    tcase_add_test(tc, growing);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(adaptive_suite());
}
