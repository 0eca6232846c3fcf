/* test_ui_header.c - the header's line as the console builds it (ui_header_line) from the
 * store: the credential refresh state comes from the "credential" rows the credentials
 * source writes, so a replay of the store shows what the live console showed. A row being
 * refreshed makes the header say "refreshing credentials" after the countdown; the active
 * profile's row being refreshed with nothing usable makes it say so without a countdown;
 * no row refreshing, no such words. */
#include "config.h"
#include "check_tap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf/appconfig.h"
#include "conf/awsconfig.h"
#include "look/glyph.h"
#include "poll/store.h"
#include "ui/frame.h"
#include "ui/ui_internal.h"

static int64_t fake_now = 1800000000000LL;

static int64_t fake_clock(void *arg)
{
    (void)arg;
    return fake_now;
}

struct world {
    struct ui *ui;
    struct aws_config cfg;
};

static void world_init(struct world *w)
{
    memset(w, 0, sizeof(*w));
    w->ui = calloc(1, sizeof(*w->ui));
    ck_assert_ptr_nonnull(w->ui);
    w->ui->store = store_new();
    store_set_clock(w->ui->store, fake_clock, NULL);
    w->ui->app = appconfig_new();
    w->cfg.profile = "ops";
    w->cfg.region = "eu-west-1";
    w->ui->cfg = &w->cfg;
    w->ui->glyphs = &glyphs_utf8;
}

static void world_done(struct world *w)
{
    /* what the header's countdown keeps between frames (ui_free does the same) */
    expiry_alert_done(&w->ui->expiry_alert);
    appconfig_free(w->ui->app);
    store_free(w->ui->store);
    free(w->ui);
}

/* One "credential" row as the credentials source writes it. */
static void put_credential(struct store *s, const char *profile, bool active, bool usable,
                           bool refreshing)
{
    struct store_res *r;

    store_list_begin(s, "credential");
    r = store_update_begin(s, "credential", profile);
    store_set_str(r, "method", "assume-role");
    store_set_str(r, "source", "test");
    store_set_int(r, "expiry", store_now(s) / 1000 + 3 * 3600);
    store_set_int(r, "active", active);
    store_set_int(r, "refreshable", 1);
    store_set_str(r, "refresh_error", "");
    store_set_int(r, "refreshing", refreshing);
    store_set_int(r, "usable", usable);
    store_update_commit(r);
    store_list_end(s, "credential");
}

static char *header(struct world *w)
{
    struct frame_header_line line;
    char *text;

    ui_header_line(w->ui, 120, &line);
    text = strdup(line.text);
    frame_header_done(&line);
    return text;
}

START_TEST(refreshing_from_store_rows)
{
    struct world w;
    char *text;

    world_init(&w);
    /* held and not being refreshed: the countdown, no word of a refresh */
    put_credential(w.ui->store, "ops", true, true, false);
    text = header(&w);
    ck_assert_msg(strstr(text, "3h00m") != NULL, "no countdown: \"%s\"", text);
    ck_assert_msg(strstr(text, "refreshing") == NULL, "refreshing: \"%s\"", text);
    free(text);

    /* the row says a refresh runs (still usable): said after the countdown */
    put_credential(w.ui->store, "ops", true, true, true);
    text = header(&w);
    ck_assert_msg(strstr(text, "3h00m") != NULL, "no countdown: \"%s\"", text);
    ck_assert_msg(strstr(text, "refreshing credentials") != NULL, "not said: \"%s\"", text);
    free(text);

    /* nothing usable while it runs: the words stand for the countdown */
    put_credential(w.ui->store, "ops", true, false, true);
    text = header(&w);
    ck_assert_msg(strstr(text, "refreshing") != NULL, "not said: \"%s\"", text);
    ck_assert_msg(strstr(text, "3h00m") == NULL, "countdown while waiting: \"%s\"", text);
    free(text);

    /* done: the words go */
    put_credential(w.ui->store, "ops", true, true, false);
    text = header(&w);
    ck_assert_msg(strstr(text, "refreshing") == NULL, "still said: \"%s\"", text);
    free(text);
    world_done(&w);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ui_header");
    TCase *tc = tcase_create("header");

    tcase_add_test(tc, refreshing_from_store_rows);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
