/* test_view_errors.c - `:errors` drawn headless from an error log filled by hand: newest
 * first, each error's whole text wrapped at 80 columns (not cut as on the status line),
 * sanitised, repeated failures counted, j/k by entry, y copies an entry, a jump from the
 * overview lands on that call's error, the filter, and the empty log said as such. */
#include "config.h"
#include "check_tap.h"

#include <stdlib.h>
#include <string.h>

#include "screen_test.h"
#include "errlog.h"
#include "view.h"

#define LONG_TEXT "cannot reach http://127.0.0.1:9 (profile ops, endpoint "              \
                  "http://127.0.0.1:9/): Failed to connect to 127.0.0.1 port 9 after 0 ms: " \
                  "Couldn't connect to server; check the endpoint (AWS_ENDPOINT_URL) and the " \
                  "network, then press r"

struct world {
    struct errlog log;
    struct screen_test *scr;
    struct view_ctx ctx;
    void *priv;
};

static void world_init(struct world *w)
{
    errlog_init(&w->log);
    /* 2026-11-18 11:06:40 UTC and after */
    errlog_add(&w->log, 1795000000000, "SQS ListQueues", LONG_TEXT);
    errlog_add(&w->log, 1795000010000, "SQS ListQueues", LONG_TEXT);
    errlog_add(&w->log, 1795000020000, "console",
               "profile 'nosuch' (from :profile) is in neither file \x1b[31m: add it");
    w->scr = screen_test_new(80, 24);
    screen_test_ctx(w->scr, &w->ctx, NULL, NULL, false);
    w->ctx.utc = true;
    w->ctx.errlog = &w->log;
    w->priv = calloc(1, errors_view.private_size);
    ck_assert_ptr_nonnull(w->priv);
}

static void world_done(struct world *w)
{
    errors_view.done(w->priv);
    free(w->priv);
    screen_test_free(w->scr);
    errlog_done(&w->log);
}

static void frame(struct world *w)
{
    errors_view.update(w->priv, &w->ctx);
    werase(w->scr->win);
    errors_view.draw(w->priv, &w->ctx, w->scr->win);
}

static void row_is(struct world *w, int y, const char *want)
{
    char *row = screen_test_row(w->scr->win, y);

    if (strcmp(row, want) != 0)
        screen_test_dump(w->scr->win, stderr);
    ck_assert_msg(strcmp(row, want) == 0, "row %d:\n got '%s'\nwant '%s'", y, row, want);
    free(row);
}

START_TEST(whole_text_newest_first)
{
    struct world w;

    world_init(&w);
    frame(&w);
    row_is(&w, 0, "Recent errors  2, newest first");
    row_is(&w, 1, "2026-11-18 11:07:00 UTC  console");
    row_is(&w, 2, "    profile 'nosuch' (from :profile) is in neither file \\x1B[31m: add it");
    row_is(&w, 3, "2026-11-18 11:06:50 UTC  SQS ListQueues  x2 since 11:06:40");
    /* the whole message, wrapped to 76 columns under its heading */
    row_is(&w, 4, "    cannot reach http://127.0.0.1:9 (profile ops, endpoint "
                  "http://127.0.0.1:9/):");
    row_is(&w, 5, "    Failed to connect to 127.0.0.1 port 9 after 0 ms: Couldn't connect to");
    row_is(&w, 6, "    server; check the endpoint (AWS_ENDPOINT_URL) and the network, then press r");
    row_is(&w, 7, "");
    /* the cursor's heading in the selection style */
    ck_assert(screen_test_attr(w.scr->win, 1, 0) & A_REVERSE);
    ck_assert(!(screen_test_attr(w.scr->win, 3, 0) & A_REVERSE));
    world_done(&w);
}
END_TEST

START_TEST(keys_copy_select_filter)
{
    struct world w;

    world_init(&w);
    frame(&w);
    ck_assert_int_eq(errors_view.key(w.priv, &w.ctx, 'j'), VIEW_HANDLED | VIEW_REDRAW);
    frame(&w);
    ck_assert(screen_test_attr(w.scr->win, 3, 0) & A_REVERSE);
    ck_assert_int_eq(errors_view.key(w.priv, &w.ctx, 'y'), VIEW_HANDLED | VIEW_COPY);
    ck_assert_str_eq(w.ctx.copy, "SQS ListQueues: " LONG_TEXT);
    ck_assert_str_eq(w.ctx.copy_what, "the SQS ListQueues error");
    /* a new failure arrives on top: the cursor stays on its entry */
    errlog_add(&w.log, 1795000030000, "STS GetCallerIdentity", "ExpiredToken");
    frame(&w);
    row_is(&w, 0, "Recent errors  3, newest first");
    ck_assert_int_eq(errors_view.key(w.priv, &w.ctx, 'y'), VIEW_HANDLED | VIEW_COPY);
    ck_assert_str_eq(w.ctx.copy_what, "the SQS ListQueues error");
    /* a jump from the overview's error line */
    ck_assert(errors_view.select(w.priv, &w.ctx, "console"));
    errors_view.key(w.priv, &w.ctx, 'y');
    ck_assert_str_eq(w.ctx.copy_what, "the console error");
    ck_assert(!errors_view.select(w.priv, &w.ctx, "SNS Publish"));
    ck_assert_int_eq(errors_view.key(w.priv, &w.ctx, 'x'), VIEW_UNHANDLED);
    /* the filter, in the title */
    w.ctx.filter = "expired";
    frame(&w);
    row_is(&w, 0, "Recent errors  1 shown of 3, newest first  /expired");
    row_is(&w, 1, "2026-11-18 11:07:10 UTC  STS GetCallerIdentity");
    w.ctx.filter = "nothing-like-this";
    frame(&w);
    row_is(&w, 1, " no error matches the filter");
    ck_assert_int_eq(errors_view.key(w.priv, &w.ctx, 'y'), VIEW_HANDLED);
    world_done(&w);
}
END_TEST

START_TEST(empty_log)
{
    struct world w;
    struct errlog empty;

    world_init(&w);
    errlog_init(&empty);
    w.ctx.errlog = &empty;
    frame(&w);
    row_is(&w, 0, "Recent errors  0, newest first");
    row_is(&w, 1, " no error since the console started");
    ck_assert_int_eq(errors_view.key(w.priv, &w.ctx, 'G'), VIEW_HANDLED | VIEW_REDRAW);
    world_done(&w);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("view_errors");
    TCase *tc = tcase_create("view_errors");

    tcase_add_test(tc, whole_text_newest_first);
    tcase_add_test(tc, keys_copy_select_filter);
    tcase_add_test(tc, empty_log);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
