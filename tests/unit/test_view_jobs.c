/* test_view_jobs.c - the jobs view drawn headless from hand-filled "job" rows (the schema
 * act/job.c writes) on a fixed clock: a running download's row keeps its bytes, its bar
 * and its percent whole at 80 columns, the bar grows with the terminal, and a failed job
 * shows why; an empty list says there are no jobs. */
#include "config.h"
#include "check_tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "poll/store.h"
#include "screen_test.h"
#include "util/textwidth.h"
#include "view.h"

static int64_t fake_now;

static int64_t fake_clock(void *arg)
{
    (void)arg;
    return fake_now;
}

#define NOW_MS 1800000000000LL
#define MIB (1024LL * 1024)

struct world {
    struct store *store;
    struct screen_test *scr;
    struct view_ctx ctx;
    void *priv;
};

static void put_job(struct store *s, const char *key, const char *action, const char *on,
                    const char *state, int64_t done, int64_t total, const char *unit,
                    double rate, const char *error)
{
    struct store_res *r = store_update_begin(s, "job", key);

    store_set_str(r, "action", action);
    store_set_str(r, "resource", on);
    store_set_str(r, "state", state);
    store_set_int(r, "done", done);
    store_set_int(r, "total", total);
    if (unit)
        store_set_str(r, "unit", unit);
    store_set_double(r, "rate", rate);
    store_set_int(r, "started", NOW_MS - 3000);
    if (strcmp(state, "running"))
        store_set_int(r, "ended", NOW_MS - 1000);
    if (error)
        store_set_str(r, "error", error);
    store_update_commit(r);
}

static void world_init(struct world *w, int cols, int lines)
{
    fake_now = NOW_MS;
    w->store = store_new();
    store_set_clock(w->store, fake_clock, NULL);
    w->scr = screen_test_new(cols, lines);
    screen_test_ctx(w->scr, &w->ctx, w->store, NULL, false);
    w->priv = calloc(1, jobs_view.private_size);
    ck_assert_ptr_nonnull(w->priv);
    jobs_view.init(w->priv, &w->ctx);
}

static void world_done(struct world *w)
{
    jobs_view.done(w->priv);
    free(w->priv);
    screen_test_free(w->scr);
    store_free(w->store);
}

static void frame(struct world *w)
{
    w->ctx.now_ms = store_now(w->store);
    jobs_view.update(w->priv, &w->ctx);
    werase(w->scr->win);
    jobs_view.draw(w->priv, &w->ctx, w->scr->win);
}

/* The row holding needle, as text; the test fails (with the screen) when none does. */
static char *row_with(struct world *w, const char *needle)
{
    int y = screen_test_find_or_dump(w->scr->win, needle);

    ck_assert_msg(y >= 0, "no row with '%s'", needle);
    return screen_test_row(w->scr->win, y);
}

static void seed(struct store *s)
{
    /* 6 MiB of 24: a quarter, at 2 MiB/s, 9 s left */
    put_job(s, "0002", "Download", "s3://dumps/data.bin", "running", 6 * MIB, 24 * MIB,
            "bytes", 2.0 * MIB, NULL);
    put_job(s, "0001", "Send a test message", "orders", "failed", 3, 10, NULL, 1.5,
            "AccessDenied: sqs:SendMessage on orders");
}

/* At 80x24 the download's row ends in its bar and percent, whole, after bytes, rate and
 * time left: nothing is pushed past the edge. */
START_TEST(download_row_fits_80)
{
    struct world w;
    char *row, *hdr;

    world_init(&w, 80, 24);
    seed(w.store);
    frame(&w);
    hdr = screen_test_row(w.scr->win, 1);
    ck_assert_msg(strstr(hdr, "JOB") && strstr(hdr, "DONE") && strstr(hdr, "ERROR"),
                  "the column titles at 80: '%s'", hdr);
    free(hdr);
    row = row_with(&w, "Download");
    ck_assert_msg(textwidth(row) <= 80, "'%s'", row);
    ck_assert_msg(strstr(row, "running") != NULL, "'%s'", row);
    ck_assert_msg(strstr(row, "6.0M/24M") != NULL, "bytes kept: '%s'", row);
    ck_assert_msg(strstr(row, "2.0M/s") != NULL, "rate kept: '%s'", row);
    ck_assert_msg(strstr(row, "9s left") != NULL, "time left kept: '%s'", row);
    /* three cells at 80 columns, a quarter of them full (to the nearest cell) */
    ck_assert_msg(strstr(row, "[#--] 25%") != NULL, "bar and percent whole: '%s'", row);
    ck_assert_msg(strstr(row, "25%") + 3 == row + strlen(row), "the row ends there: '%s'",
                  row);
    free(row);
    row = row_with(&w, "failed");
    ck_assert_msg(strstr(row, "Send a test…") != NULL, "the action's words: '%s'", row);
    ck_assert_msg(strstr(row, "3/10") != NULL, "'%s'", row);
    ck_assert_msg(strstr(row, "AccessD") != NULL, "the cause starts in the last column: '%s'",
                  row);
    free(row);
    world_done(&w);
}
END_TEST

/* Wider terminals give the bar more cells (half the columns past 80), up to twenty, the
 * percent always after it. */
START_TEST(bar_grows_with_width)
{
    static const struct {
        int cols;
        const char *bar;
    } cases[] = {
        {100, "[###----------] 25%"},    /* 3 + (100 - 80) / 2 cells */
        {120, "[#####---------------] 25%"},
        {200, "[#####---------------] 25%"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct world w;
        char *row;

        world_init(&w, cases[i].cols, 24);
        seed(w.store);
        frame(&w);
        row = row_with(&w, "Download");
        ck_assert_msg(strstr(row, cases[i].bar) != NULL, "%d columns: '%s' in '%s'",
                      cases[i].cols, cases[i].bar, row);
        free(row);
        world_done(&w);
    }
}
END_TEST

/* Drawn at 80, then at 120 on the same view (a resize): the bar follows the width. */
START_TEST(bar_follows_resize)
{
    struct world w;
    char *row;

    world_init(&w, 80, 24);
    seed(w.store);
    frame(&w);
    row = row_with(&w, "Download");
    ck_assert_msg(strstr(row, "[#--] 25%") != NULL, "'%s'", row);
    free(row);
    wresize(w.scr->win, 24, 120);
    frame(&w);
    row = row_with(&w, "Download");
    ck_assert_msg(strstr(row, "[#--] 25%") == NULL && strstr(row, "--] 25%") != NULL,
                  "a wider bar after the resize: '%s'", row);
    free(row);
    world_done(&w);
}
END_TEST

START_TEST(no_jobs_said)
{
    struct world w;

    world_init(&w, 80, 24);
    frame(&w);
    ck_assert_int_ge(screen_test_find_or_dump(w.scr->win, "no jobs in this session"), 0);
    ck_assert_int_ge(screen_test_find_or_dump(w.scr->win, "0 running, 0 in this session"), 0);
    world_done(&w);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("view_jobs");
    TCase *tc = tcase_create("jobs");

    tcase_add_test(tc, download_row_fits_80);
    tcase_add_test(tc, bar_grows_with_width);
    tcase_add_test(tc, bar_follows_resize);
    tcase_add_test(tc, no_jobs_said);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(suite());
}
