/* test_view_expiry.c - the expiry timeline (poll/expiries.c) and the expiry view drawn
 * headless from a hand-filled store on a fake clock: one timeline soonest first across every
 * kind, states under the config's thresholds (warn, critical, expired, overdue, late,
 * never), "cannot read" said once for a denied kind, the countdown moving with the clock
 * alone, the bell once per crossing and not every second, `y` copying a secret's ARN,
 * Enter on a credential starting "refresh now" (and the row saying "refreshing", then the
 * new expiry or why it failed), hostile names, 80x24; where a date comes from (a key's
 * creation, a secret's last rotation, the credential report's age); the overview's section. */
#include "config.h"
#include "check_tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "act/action.h"
#include "poll/expiries.h"
#include "poll/store.h"
#include "screen_test.h"
#include "ui/frame.h"
#include "view.h"

#define T0 1800000000LL          /* epoch s the world starts at */
#define DAY 86400LL
#define SECRET_DB "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"
#define SECRET_OK "arn:aws:secretsmanager:us-east-1:123456789012:secret:ok-AbCdEf"

static int64_t fake_now;   /* ms */

static int64_t fake_clock(void *arg)
{
    (void)arg;
    return fake_now;
}

struct world {
    struct store *store;
    struct appconfig *cfg;
    struct screen_test *scr;
    struct view_ctx ctx;
    void *priv;
};

static void put_credential(struct store *s, const char *profile, const char *method,
                           int64_t expiry, int refreshable)
{
    struct store_res *r = store_update_begin(s, "credential", profile);

    store_set_str(r, "method", method);
    store_set_str(r, "source", "test");
    if (expiry)
        store_set_int(r, "expiry", expiry);
    else
        store_set_unknown(r, "expiry");
    store_set_int(r, "refreshable", refreshable);
    store_set_int(r, "active", 1);
    store_set_str(r, "refresh_error", "");
    store_update_commit(r);
}

static void put_key(struct store *s, const char *key, const char *user, int64_t created)
{
    struct store_res *r = store_update_begin(s, "access_key", key);

    store_set_str(r, "user", user);
    store_set_int(r, "active", 1);
    store_set_int(r, "created", created);
    store_set_unknown(r, "last_used");
    store_update_commit(r);
}

static void put_secret(struct store *s, const char *arn, const char *name, int64_t next)
{
    struct store_res *r = store_update_begin(s, "secret_rotation", arn);

    store_set_str(r, "name", name);
    store_set_int(r, "rotation_enabled", 1);
    store_set_int(r, "next_rotation", next);
    store_update_commit(r);
}

/* Every kind, as the sources write them (see the timeline's order in seed_order below). */
static void seed(struct store *s, bool password_denied)
{
    struct store_res *r;

    store_list_begin(s, "credential");
    put_credential(s, "prod", "assume-role", T0 + 600, 1);   /* warn: 10m < 15m */
    put_credential(s, "dev", "env", 0, 0);                   /* never */
    store_list_end(s, "credential");

    if (password_denied) {
        struct aws_error e;

        aws_error_clear(&e);
        aws_error_set(&e, AWS_ERR_HTTP, "iam:GetAccountPasswordPolicy denied");
        store_list_fail(s, "password", &e);
    } else {
        store_list_begin(s, "password");
        r = store_update_begin(s, "password", "alice");
        store_set_str(r, "user", "alice");
        store_set_int(r, "expires", T0 + 2 * DAY);             /* critical: 2d < 3d */
        store_set_int(r, "hard_expiry", 1);
        store_set_int(r, "expire_passwords", 1);
        store_set_int(r, "reset_required", 0);
        store_set_str(r, "unreadable", "");
        store_update_commit(r);
        store_list_end(s, "password");
    }

    store_list_begin(s, "access_key");
    put_key(s, "AKIAOLDKEY", "alice", T0 - 100 * DAY);         /* overdue by 10 days */
    put_key(s, "bob key 1", "bob", T0 - 80 * DAY);             /* warn: due in 10 days */
    store_list_end(s, "access_key");

    store_list_begin(s, "secret_rotation");
    put_secret(s, SECRET_DB, "db/password", T0 - 3 * DAY);    /* the rotation failed */
    put_secret(s, SECRET_OK, "ok/password", T0 + 20 * DAY);
    store_list_end(s, "secret_rotation");

    store_list_begin(s, "app_password");
    r = store_update_begin(s, "app_password", "portal");
    store_set_str(r, "anchor", "secret:portal/app");
    store_set_int(r, "lifetime", 900);
    store_set_int(r, "warn", 120);
    store_set_unknown(r, "critical");
    store_set_int(r, "last_changed", T0 - 600);
    store_set_int(r, "expires", T0 + 300);
    store_set_str(r, "unreadable", "");
    store_update_commit(r);
    store_list_end(s, "app_password");
}

static void world_init(struct world *w, int cols, int lines, bool denied)
{
    fake_now = T0 * 1000;
    /* a local zone that is not UTC, so the line below the list shows two different times */
    setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
    tzset();
    w->store = store_new();
    store_set_clock(w->store, fake_clock, NULL);
    seed(w->store, denied);
    w->cfg = appconfig_new();
    w->scr = screen_test_new(cols, lines);
    screen_test_ctx(w->scr, &w->ctx, w->store, w->cfg, false);
    w->ctx.utc = true;
    w->priv = calloc(1, expiry_view.private_size);
    ck_assert_ptr_nonnull(w->priv);
    expiry_view.init(w->priv, &w->ctx);
}

static void world_done(struct world *w)
{
    expiry_view.done(w->priv);
    free(w->priv);
    screen_test_free(w->scr);
    appconfig_free(w->cfg);
    store_free(w->store);
}

static void frame(struct world *w)
{
    w->ctx.now_ms = store_now(w->store);
    expiry_view.update(w->priv, &w->ctx);
    expiry_view.draw(w->priv, &w->ctx, w->scr->win);
}

static bool row_has(struct world *w, int y, const char *needle)
{
    char *row = screen_test_row(w->scr->win, y);
    bool hit = strstr(row, needle) != NULL;

    free(row);
    if (!hit) {
        fprintf(stderr, "# row %d lacks \"%s\":\n", y, needle);
        screen_test_dump(w->scr->win, stderr);
    }
    return hit;
}

static int find(struct world *w, const char *needle)
{
    int y = screen_test_find(w->scr->win, needle);

    if (y < 0) {
        fprintf(stderr, "# \"%s\" not on screen:\n", needle);
        screen_test_dump(w->scr->win, stderr);
    }
    return y;
}

static const struct expiry_item *item(const struct expiry_list *l, const char *id)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].id, id) == 0)
            return &l->v[i];
    return NULL;
}

START_TEST(timeline_order_and_states)
{
    struct world w;
    struct expiry_list l = {0};
    static const char *const order[] = {
        "access_key/AKIAOLDKEY", "secret_rotation/" SECRET_DB, "app_password/portal",
        "credential/prod", "password/alice", "access_key/bob key 1",
        "secret_rotation/" SECRET_OK, "credential/dev",
    };
    static const enum expiry_state states[] = {
        EXPIRY_OVERDUE, EXPIRY_OVERDUE, EXPIRY_OK, EXPIRY_WARN, EXPIRY_CRITICAL, EXPIRY_WARN,
        EXPIRY_OK, EXPIRY_OK,
    };

    world_init(&w, 80, 24, false);
    expiry_list_build(&l, w.store, w.cfg, T0);
    ck_assert_uint_eq(l.n, 8);
    for (size_t i = 0; i < 8; i++) {
        ck_assert_str_eq(l.v[i].id, order[i]);
        ck_assert_msg(l.v[i].state == states[i], "%s is %s", order[i],
                      expiry_state_name(l.v[i].state));
    }
    /* the nearest is the first: an overdue key comes before any countdown */
    ck_assert_str_eq(expiry_list_nearest(&l)->id, "access_key/AKIAOLDKEY");
    ck_assert(strstr(item(&l, "password/alice")->note, "an access key can still change it"));
    ck_assert(strstr(item(&l, "secret_rotation/" SECRET_DB)->note, "did not happen"));
    ck_assert_str_eq(item(&l, "secret_rotation/" SECRET_DB)->arn, SECRET_DB);
    ck_assert(item(&l, "credential/dev")->at == EXPIRY_NEVER);
    ck_assert(item(&l, "credential/dev")->state == EXPIRY_OK);

    /* thresholds come from the config: a 200-day key age makes the old key fine */
    w.cfg->thresholds.access_key_age = 200 * DAY;
    expiry_list_build(&l, w.store, w.cfg, T0);
    ck_assert(item(&l, "access_key/AKIAOLDKEY")->state == EXPIRY_OK);
    expiry_list_free(&l);
    world_done(&w);
}
END_TEST

START_TEST(left_text)
{
    struct world w;
    struct expiry_list l = {0};
    char buf[64];

    world_init(&w, 80, 24, false);
    /* past the app password's due time: "late", not "in -1m" */
    expiry_list_build(&l, w.store, w.cfg, T0 + 360);
    ck_assert(item(&l, "app_password/portal")->state == EXPIRY_OVERDUE);
    ck_assert_str_eq(expiry_left_text(item(&l, "app_password/portal"), T0 + 360, buf,
                                      sizeof(buf)), "late 1m00s");
    ck_assert(strstr(item(&l, "app_password/portal")->note, "late: secret:portal/app"));
    ck_assert(strncmp(expiry_left_text(item(&l, "secret_rotation/" SECRET_DB), T0 + 360, buf,
                                       sizeof(buf)), "overdue ", 8) == 0);
    ck_assert_str_eq(expiry_left_text(item(&l, "credential/dev"), T0, buf, sizeof(buf)),
                     "never");
    /* a credential past its expiry is expired, not overdue */
    expiry_list_build(&l, w.store, w.cfg, T0 + 660);
    ck_assert(item(&l, "credential/prod")->state == EXPIRY_EXPIRED);
    ck_assert_str_eq(expiry_left_text(item(&l, "credential/prod"), T0 + 660, buf, sizeof(buf)),
                     "expired 1m ago");
    expiry_list_free(&l);
    world_done(&w);
}
END_TEST

START_TEST(bell_once_per_crossing)
{
    struct world w;
    struct expiry_list l = {0};
    struct expiry_alert a = {0};
    int rings = 0;

    world_init(&w, 80, 24, false);
    /* first sight: things already bad do not ring (nothing crossed while watched) */
    expiry_list_build(&l, w.store, w.cfg, T0);
    ck_assert(!expiry_alert_update(&a, &l));
    /* every second for ten minutes: the app password crosses warn at T0+181 (119 s left),
     * then is late at T0+301; prod's credentials go critical at T0+301 and expire at
     * T0+601. Three instants, four crossings: three rings, never one per second. */
    for (int64_t t = T0 + 1; t <= T0 + 700; t++) {
        expiry_list_build(&l, w.store, w.cfg, t);
        if (expiry_alert_update(&a, &l)) {
            rings++;
            ck_assert_msg(t == T0 + 181 || t == T0 + 301 || t == T0 + 601,
                          "rang at T0+%lld", (long long)(t - T0));
        }
    }
    ck_assert_int_eq(rings, 3);
    expiry_alert_done(&a);
    expiry_list_free(&l);
    world_done(&w);
}
END_TEST

START_TEST(view_at_80x24)
{
    struct world w;
    int y;

    world_init(&w, 80, 24, false);
    frame(&w);
    ck_assert(row_has(&w, 0, "Expiries  5 need attention; next: access key alice AKIAOLDKEY, "
                             "overdue 10d"));
    ck_assert(row_has(&w, 1, "WHAT"));
    ck_assert(row_has(&w, 1, "LEFT"));
    ck_assert(row_has(&w, 2, "access key"));
    ck_assert(row_has(&w, 2, "overdue 10d"));
    ck_assert(row_has(&w, 3, "db/password"));
    ck_assert(row_has(&w, 4, "portal"));
    ck_assert(row_has(&w, 4, "5m00s"));
    ck_assert(row_has(&w, 5, "prod"));
    ck_assert(row_has(&w, 5, "warn"));
    ck_assert(row_has(&w, 9, "dev"));
    ck_assert(row_has(&w, 9, "never"));
    /* UTC in the column; the line below gives local time and UTC for the cursor's row */
    ck_assert(row_has(&w, 5, "Z"));
    ck_assert(row_has(&w, 2, "01-05 08:00Z"));
    ck_assert(row_has(&w, 22, "access key at 2027-01-05 09:00:00 CET = 2027-01-05 08:00:00 UTC"));

    /* the countdown ticks with the clock alone: no store write in between */
    fake_now += 1000;
    frame(&w);
    ck_assert(row_has(&w, 4, "4m59s"));
    fake_now += 301 * 1000;
    frame(&w);
    y = find(&w, "portal");
    ck_assert_int_ge(y, 2);
    ck_assert(row_has(&w, y, "late"));
    world_done(&w);
}
END_TEST

/* One int field of a row, written as its source writes it. */
static void set_int(struct store *s, const char *kind, const char *key, const char *field,
                    int64_t v)
{
    struct store_res *r = store_update_begin(s, kind, key);

    store_set_int(r, field, v);
    store_update_commit(r);
}

/* The line under the time: an access key's creation, a secret's last rotation (or none),
 * the credential report's age moving with the clock, then the row's WHY in full. */
START_TEST(source_line)
{
    struct world w;

    world_init(&w, 80, 24, false);
    set_int(w.store, "access_key", "bob key 1", "report_generated", T0 - 3 * 3600);
    set_int(w.store, "password", "alice", "report_generated", T0 - 3 * 3600 - 600);
    set_int(w.store, "secret_rotation", SECRET_DB, "last_rotated", T0 - 33 * DAY);
    frame(&w);
    /* the caller's own key (ListAccessKeys): its creation, no report */
    ck_assert(row_has(&w, 23, "created 2026-10-07 (100d ago); rotate at its age limit; "
                              "never used"));
    ck_assert_int_lt(screen_test_find(w.scr->win, "credential report"), 0);
    ck_assert(expiry_view.select(w.priv, &w.ctx, "access_key/bob key 1"));
    frame(&w);
    ck_assert(row_has(&w, 23, "created 2026-10-27 (80d ago), from the credential report of "
                              "3h ago; rotate"));
    ck_assert(expiry_view.select(w.priv, &w.ctx, "password/alice"));
    frame(&w);
    ck_assert(row_has(&w, 23, "from the credential report of 3h ago; hard expiry: the console "
                              "locks"));
    /* the report ages with the clock alone */
    fake_now += 3600 * 1000;
    frame(&w);
    ck_assert(row_has(&w, 23, "from the credential report of 4h ago"));
    ck_assert(expiry_view.select(w.priv, &w.ctx, "secret_rotation/" SECRET_DB));
    frame(&w);
    ck_assert(row_has(&w, 23, "last rotated 2026-12-13 (33d ago); the rotation did not happen"));
    ck_assert(expiry_view.select(w.priv, &w.ctx, "secret_rotation/" SECRET_OK));
    frame(&w);
    ck_assert(row_has(&w, 23, "no rotation recorded; rotates automatically"));
    world_done(&w);
}
END_TEST

/* The overview's Expiries section: the nearest named first, then everything past a
 * threshold with its time left and why; what is fine and not nearest is left out, and the
 * console's own credentials (their own section) too. */
START_TEST(overview_section)
{
    struct world w;
    void *ov = calloc(1, overview_view.private_size);
    int y;

    world_init(&w, 120, 40, false);
    w.ctx.now_ms = store_now(w.store);
    if (overview_view.init)
        overview_view.init(ov, &w.ctx);
    overview_view.update(ov, &w.ctx);
    overview_view.draw(ov, &w.ctx, w.scr->win);
    y = find(&w, "Expiries");
    ck_assert_int_ge(y, 0);
    ck_assert(row_has(&w, y, "LEFT"));
    /* the nearest first (an overdue key), then the rest past a threshold, soonest first */
    ck_assert(row_has(&w, y + 1, "access key alice AKIAOLDKEY  rotate at its age limit"));
    ck_assert(row_has(&w, y + 1, "overdue 10d00h"));
    ck_assert(row_has(&w, y + 2, "secret rotation db/password  the rotation did not happen"));
    ck_assert(row_has(&w, y + 2, "overdue 3d00h"));
    ck_assert(row_has(&w, y + 3, "password alice  hard expiry: the console locks"));
    ck_assert(row_has(&w, y + 3, "2d00h"));
    ck_assert(row_has(&w, y + 4, "access key bob key 1"));
    ck_assert(row_has(&w, y + 4, "10d00h"));
    /* four items: the next section follows; what is fine and not nearest is left out, and
     * the console's own credentials are in their own section */
    ck_assert(row_has(&w, y + 5, "Errors"));
    ck_assert_int_lt(screen_test_find(w.scr->win, "portal"), 0);
    ck_assert_int_lt(screen_test_find(w.scr->win, "ok/password"), 0);
    ck_assert_int_lt(find(&w, "profile prod"), y);
    /* the key rotated and the secret too: the nearest is now a row that is fine (the app
     * password, 5m left, warn at 2m), named all the same, before what is past a threshold */
    put_key(w.store, "AKIAOLDKEY", "alice", T0 - 10 * DAY);
    put_secret(w.store, SECRET_DB, "db/password", T0 + 30 * DAY);
    overview_view.update(ov, &w.ctx);
    werase(w.scr->win);
    overview_view.draw(ov, &w.ctx, w.scr->win);
    y = find(&w, "Expiries");
    ck_assert(row_has(&w, y + 1, "app password portal"));
    ck_assert(row_has(&w, y + 1, "5m00s"));
    ck_assert(row_has(&w, y + 2, "password alice"));
    ck_assert(row_has(&w, y + 3, "access key bob key 1"));
    ck_assert(row_has(&w, y + 4, "Errors"));
    ck_assert_int_lt(screen_test_find(w.scr->win, "AKIAOLDKEY"), 0);
    ck_assert_int_lt(screen_test_find(w.scr->win, "db/password"), 0);
    if (overview_view.done)
        overview_view.done(ov);
    free(ov);
    world_done(&w);
}
END_TEST

START_TEST(denied_said_once)
{
    struct world w;
    size_t hits = 0;

    world_init(&w, 120, 24, true);
    frame(&w);
    for (int y = 0; y < 24; y++) {
        char *row = screen_test_row(w.scr->win, y);

        hits += strstr(row, "cannot read (iam:GetAccountPasswordPolicy denied)") != NULL;
        free(row);
    }
    ck_assert_uint_eq(hits, 1);
    ck_assert_int_ge(find(&w, "unknown"), 2);
    world_done(&w);
}
END_TEST

START_TEST(copy_secret_arn_and_name)
{
    struct world w;
    int bits;

    world_init(&w, 80, 24, false);
    frame(&w);
    /* on a row that is not a secret, y copies nothing */
    ck_assert(expiry_view.select(w.priv, &w.ctx, "credential/prod"));
    bits = expiry_view.key(w.priv, &w.ctx, 'y');
    ck_assert_int_eq(bits & VIEW_COPY, 0);
    ck_assert(expiry_view.select(w.priv, &w.ctx, "secret_rotation/" SECRET_DB));
    bits = expiry_view.key(w.priv, &w.ctx, 'y');
    ck_assert_int_ne(bits & VIEW_COPY, 0);
    ck_assert_str_eq(w.ctx.copy, SECRET_DB);
    bits = expiry_view.key(w.priv, &w.ctx, 'Y');
    ck_assert_int_ne(bits & VIEW_COPY, 0);
    ck_assert_str_eq(w.ctx.copy, "db/password");
    world_done(&w);
}
END_TEST

START_TEST(hostile_names)
{
    struct world w;

    world_init(&w, 80, 24, false);
    store_list_begin(w.store, "secret_rotation");
    put_secret(w.store, SECRET_DB, "evil\x1b[2J\x1b]52;c;aGk=\x07\u202ename", T0 + DAY / 2);
    store_list_end(w.store, "secret_rotation");
    frame(&w);
    for (int y = 0; y < 24; y++) {
        char *row = screen_test_row(w.scr->win, y);

        ck_assert_msg(!strchr(row, '\x1b') && !strchr(row, '\x07') && !strstr(row, "\u202e"),
                      "row %d: %s", y, row);
        free(row);
    }
    ck_assert_int_ge(find(&w, "evil"), 2);
    world_done(&w);
}
END_TEST

/* A credential the manager is still fetching has no expiry yet: unknown, not "never". */
START_TEST(credential_being_fetched)
{
    struct world w;
    struct expiry_list l = {0};
    struct store_res *r;

    world_init(&w, 80, 24, false);
    r = store_update_begin(w.store, "credential", "dev");
    store_set_unknown(r, "expiry");
    store_set_int(r, "usable", 0);
    store_set_int(r, "refreshing", 1);
    store_update_commit(r);
    expiry_list_build(&l, w.store, w.cfg, T0);
    ck_assert(!item(&l, "credential/dev")->known);
    ck_assert(item(&l, "credential/dev")->state == EXPIRY_UNKNOWN);
    ck_assert_str_eq(item(&l, "credential/dev")->note, "being fetched: none held yet");
    expiry_list_free(&l);
    /* the fetch failed: still unknown, and the row says why (not "being fetched") */
    r = store_update_begin(w.store, "credential", "dev");
    store_set_int(r, "refreshing", 0);
    store_set_str(r, "refresh_error", "profile dev: SSO token expired; run opsdeck login");
    store_update_commit(r);
    expiry_list_build(&l, w.store, w.cfg, T0);
    ck_assert(item(&l, "credential/dev")->state == EXPIRY_UNKNOWN);
    ck_assert_str_eq(item(&l, "credential/dev")->note,
                     "refresh failed: profile dev: SSO token expired; run opsdeck login");
    expiry_list_free(&l);
    world_done(&w);
}
END_TEST

START_TEST(nothing_read_is_not_all_clear)
{
    struct expiry_list l = {0};
    struct store *s = store_new();
    struct appconfig *cfg = appconfig_new();

    expiry_list_build(&l, s, cfg, T0);
    /* five kinds, none read: five "not read yet", no time, no state that looks fine */
    ck_assert_uint_eq(l.n, 5);
    for (size_t i = 0; i < l.n; i++) {
        ck_assert(l.v[i].state == EXPIRY_UNKNOWN);
        ck_assert_str_eq(l.v[i].note, "not read yet");
    }
    ck_assert_ptr_null(expiry_list_nearest(&l));
    expiry_list_free(&l);
    appconfig_free(cfg);
    store_free(s);
}
END_TEST

/* What the console's refresh hook was asked, and what it answers. */
struct refresh_call {
    char profile[64];
    int calls;
    int answer;
};

static int refresh_hook(void *arg, const char *profile, char *why, size_t whylen)
{
    struct refresh_call *rc = arg;

    snprintf(rc->profile, sizeof(rc->profile), "%s", profile);
    rc->calls++;
    if (rc->answer < 0)
        snprintf(why, whylen, "profile %s: sts:AssumeRole denied; allow it for the base "
                 "profile", profile);
    return rc->answer;
}

/* The action the view's key names, the way the framework finds it (ui_act.c): the key in
 * the view's action table, NULL when the key starts none. */
static const struct action *key_action(int key)
{
    for (size_t i = 0; expiry_view.actions && expiry_view.actions[i].action; i++)
        if (expiry_view.actions[i].key == key)
            return action_find(expiry_view.actions[i].action);
    return NULL;
}

/* What the console's sign-in hook was asked (the same refresh_call: its profile, calls). */
static int sign_in_hook(void *arg, const char *profile, char *why, size_t whylen)
{
    struct refresh_call *rc = arg;

    (void)why;
    (void)whylen;
    snprintf(rc->profile, sizeof(rc->profile), "sign-in %s", profile);
    rc->calls++;
    return 0;
}

/* Runs what Enter starts on the selected row, as the framework does (ui_act.c): the first
 * of the key's actions whose target the view names, the confirmation the run asks for
 * (none), the start. Returns the run (ended), NULL when no action fits the row. */
static struct act_run *press_enter(struct world *w, struct refresh_call *rc, bool hook)
{
    const struct action *a = NULL;
    struct act_target t = {0};
    struct act_env env = {.store = w->store, .app = w->cfg,
                          .refresh_creds = hook ? refresh_hook : NULL, .refresh_arg = rc,
                          .sso_sign_in = hook ? sign_in_hook : NULL};
    struct act_run *r;
    char why[256];

    for (size_t i = 0; expiry_view.actions[i].action && !a; i++)
        if (expiry_view.actions[i].key == '\r' &&
            expiry_view.target(w->priv, &w->ctx, expiry_view.actions[i].action, &t))
            a = action_find(expiry_view.actions[i].action);
    if (!a)
        return NULL;
    r = act_run_new(a, &env, &t);
    /* it writes nothing: read-only does not refuse it, no confirmation is asked */
    ck_assert(!act_run_refused(r, why, sizeof(why)));
    ck_assert_int_eq(act_run_confirm(r), ACT_CONFIRM_NONE);
    act_run_start(r, "none");
    ck_assert(act_run_ended(r));
    return r;
}

static void set_refreshing(struct store *s, const char *profile, int on, int64_t expiry,
                           const char *failed)
{
    struct store_res *r = store_update_begin(s, "credential", profile);

    store_set_int(r, "expiry", expiry);
    store_set_int(r, "refreshing", on);
    store_set_str(r, "refresh_error", failed);
    store_update_commit(r);
}

START_TEST(enter_refreshes_a_credential)
{
    struct world w;
    struct refresh_call rc = {.answer = 1};
    struct act_run *r;
    int y;

    world_init(&w, 80, 24, false);
    frame(&w);
    /* Enter in all its spellings starts the refresh; other keys do not */
    ck_assert_ptr_nonnull(key_action('\n'));
    ck_assert_ptr_nonnull(key_action(VIEW_KEY(KEY_ENTER)));
    ck_assert_ptr_null(key_action('y'));
    ck_assert(!key_action('\r')->mutates);

    /* on a secret's row there is nothing to refresh: no target, the hook is not asked */
    ck_assert(expiry_view.select(w.priv, &w.ctx, "secret_rotation/" SECRET_DB));
    ck_assert_ptr_null(press_enter(&w, &rc, true));
    ck_assert_int_eq(rc.calls, 0);

    /* on prod's credentials: the hook is asked for prod, the status line says so */
    ck_assert(expiry_view.select(w.priv, &w.ctx, "credential/prod"));
    r = press_enter(&w, &rc, true);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(rc.calls, 1);
    ck_assert_str_eq(rc.profile, "prod");
    ck_assert(!act_run_failed(r));
    ck_assert_msg(strstr(act_run_result(r), "profile prod: refreshing credentials now") &&
                  strstr(act_run_result(r), "no confirmation"), "%s", act_run_result(r));
    act_run_free(r);

    /* the row while it runs, then with the new expiry (12 minutes later: 10m -> 22m) */
    set_refreshing(w.store, "prod", 1, T0 + 600, "");
    frame(&w);
    y = find(&w, "prod");
    ck_assert_int_ge(y, 2);
    ck_assert(row_has(&w, y, "refreshing"));
    ck_assert(row_has(&w, y, "10m00s"));
    ck_assert(row_has(&w, 22, "credentials prod: refreshing"));
    set_refreshing(w.store, "prod", 0, T0 + 1320, "");
    frame(&w);
    y = find(&w, "prod");
    ck_assert(row_has(&w, y, "22m00s"));
    ck_assert(row_has(&w, y, "assume-role"));
    ck_assert_int_lt(screen_test_find(w.scr->win, "refreshing"), 0);

    /* a refresh that failed: the row says why, the old expiry still counts down */
    set_refreshing(w.store, "prod", 0, T0 + 1320, "profile prod: AssumeRole: ExpiredToken");
    frame(&w);
    y = find(&w, "prod");
    ck_assert(row_has(&w, y, "refresh fail"));
    ck_assert(row_has(&w, y, "22m00s"));
    /* the WHY column is short at 80 columns: the line under the list has it whole */
    ck_assert(row_has(&w, 22, "credentials prod: refresh failed: profile prod: AssumeRole: "
                      "ExpiredToken"));
    world_done(&w);
}
END_TEST

/* A refresh that cannot start says why on the status line (the hook's one line); without
 * the console's hook (a headless command) it says where it can be done. */
START_TEST(enter_refresh_fails_with_cause)
{
    struct world w;
    struct refresh_call rc = {.answer = -1};
    struct act_run *r;

    world_init(&w, 80, 24, false);
    frame(&w);
    ck_assert(expiry_view.select(w.priv, &w.ctx, "credential/dev"));
    r = press_enter(&w, &rc, true);
    ck_assert(act_run_failed(r));
    ck_assert_str_eq(act_run_result(r), "profile dev: sts:AssumeRole denied; allow it for "
                     "the base profile");
    act_run_free(r);
    r = press_enter(&w, &rc, false);
    ck_assert(act_run_failed(r));
    ck_assert_int_eq(rc.calls, 1);
    ck_assert_msg(strstr(act_run_result(r), "profile dev") &&
                  strstr(act_run_result(r), "console"), "%s", act_run_result(r));
    act_run_free(r);

    /* a hostile profile name (from a local file) and cause reach the status line escaped */
    store_list_begin(w.store, "credential");
    put_credential(w.store, "evil\x1b]52;c;aGk=\x07", "assume-role", T0 + 600, 1);
    store_list_end(w.store, "credential");
    frame(&w);
    ck_assert(expiry_view.select(w.priv, &w.ctx, "credential/evil\x1b]52;c;aGk=\x07"));
    r = press_enter(&w, &rc, true);
    ck_assert_str_eq(rc.profile, "evil\x1b]52;c;aGk=\x07");   /* the hook gets it as it is */
    ck_assert_msg(!strchr(act_run_result(r), '\x1b') && !strchr(act_run_result(r), '\x07') &&
                  strstr(act_run_result(r), "profile evil\\x1B]52"), "%s",
                  act_run_result(r));
    act_run_free(r);
    world_done(&w);
}
END_TEST

static void put_sso_token(struct store *s, const char *profile, int64_t expires,
                          int64_t registration, int refreshable, const char *error)
{
    struct store_res *r = store_update_begin(s, "sso_token", profile);

    store_set_str(r, "start_url", "https://example.awsapps.com/start");
    if (expires)
        store_set_int(r, "expires_at", expires);
    else
        store_set_unknown(r, "expires_at");
    if (registration)
        store_set_int(r, "registration_expires_at", registration);
    else
        store_set_unknown(r, "registration_expires_at");
    store_set_int(r, "refreshable", refreshable);
    store_set_str(r, "error", error);
    store_update_commit(r);
}

/* The SSO token behind a profile and its registration: rows on the timeline with their own
 * states; Enter on them signs in (the hook is asked for the profile), Enter on the
 * credentials next to them still refreshes. */
START_TEST(sso_token_rows_and_sign_in)
{
    struct world w;
    struct expiry_list l = {0};
    struct refresh_call rc = {.answer = 1};
    struct act_run *r;
    int y;

    world_init(&w, 80, 24, false);
    store_list_begin(w.store, "sso_token");
    put_sso_token(w.store, "sso-dev", T0 + 8 * 3600, T0 + 90 * DAY, 1, "");
    put_sso_token(w.store, "sso-old", T0 - 120, 0, 0, "");
    put_sso_token(w.store, "sso-new", 0, 0, 0, "SSO token cache /h/x.json: no such file "
                  "(not logged in)");
    store_list_end(w.store, "sso_token");
    expiry_list_build(&l, w.store, w.cfg, T0);
    ck_assert(item(&l, "sso_token/sso-dev")->state == EXPIRY_OK);
    ck_assert_int_eq(item(&l, "sso_token/sso-dev")->at, T0 + 8 * 3600);
    ck_assert(strstr(item(&l, "sso_token/sso-dev")->note, "refresh token"));
    ck_assert_int_eq(item(&l, "sso_registration/sso-dev")->at, T0 + 90 * DAY);
    ck_assert(item(&l, "sso_registration/sso-dev")->state == EXPIRY_OK);
    /* expired: past, and no registration row without one */
    ck_assert(item(&l, "sso_token/sso-old")->state == EXPIRY_EXPIRED);
    ck_assert_str_eq(item(&l, "sso_token/sso-old")->note, "expired: Enter signs in");
    ck_assert_ptr_null(item(&l, "sso_registration/sso-old"));
    /* no cache: not "ok", not a time: unknown, with the cause */
    ck_assert(!item(&l, "sso_token/sso-new")->known);
    ck_assert(item(&l, "sso_token/sso-new")->state == EXPIRY_UNKNOWN);
    ck_assert(strstr(item(&l, "sso_token/sso-new")->note, "not logged in"));
    expiry_list_free(&l);

    frame(&w);
    y = find(&w, "sso-old");
    ck_assert(row_has(&w, y, "SSO token"));
    ck_assert(row_has(&w, y, "expired 2m"));
    y = find(&w, "sso-dev");
    ck_assert(row_has(&w, y, "8h"));

    /* Enter on a token's row and on a registration's: the sign-in hook, for the profile */
    ck_assert(expiry_view.select(w.priv, &w.ctx, "sso_token/sso-old"));
    r = press_enter(&w, &rc, true);
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(rc.profile, "sign-in sso-old");
    ck_assert(!act_run_failed(r));
    ck_assert_msg(strstr(act_run_result(r), "profile sso-old: SSO sign-in"), "%s",
                  act_run_result(r));
    act_run_free(r);
    ck_assert(expiry_view.select(w.priv, &w.ctx, "sso_registration/sso-dev"));
    r = press_enter(&w, &rc, true);
    ck_assert_str_eq(rc.profile, "sign-in sso-dev");
    act_run_free(r);
    /* without the console (a headless command) it names the command that signs in */
    r = press_enter(&w, &rc, false);
    ck_assert(act_run_failed(r));
    ck_assert_msg(strstr(act_run_result(r), "opsdeck login --sso sso-dev"), "%s",
                  act_run_result(r));
    act_run_free(r);
    /* the credentials' row still refreshes */
    ck_assert(expiry_view.select(w.priv, &w.ctx, "credential/prod"));
    r = press_enter(&w, &rc, true);
    ck_assert_str_eq(rc.profile, "prod");
    act_run_free(r);
    ck_assert_int_eq(rc.calls, 3);
    world_done(&w);
}
END_TEST

/* The footer at 80 columns lists Enter (what it does, shortly) before the framework's
 * keys: the view's most useful key is never the one left out. */
START_TEST(footer_lists_enter_at_80)
{
    char *t = frame_footer_text(expiry_view.keys, NULL, 80, "…");

    ck_assert_msg(strncmp(t, " Enter refresh now  y/Y copy", 28) == 0, "'%s'", t);
    ck_assert_msg(strstr(t, "? help") != NULL, "'%s'", t);
    free(t);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("view_expiry");
    TCase *tc = tcase_create("expiry");

    tcase_add_test(tc, timeline_order_and_states);
    tcase_add_test(tc, left_text);
    tcase_add_test(tc, bell_once_per_crossing);
    tcase_add_test(tc, view_at_80x24);
    tcase_add_test(tc, source_line);
    tcase_add_test(tc, overview_section);
    tcase_add_test(tc, denied_said_once);
    tcase_add_test(tc, copy_secret_arn_and_name);
    tcase_add_test(tc, hostile_names);
    tcase_add_test(tc, credential_being_fetched);
    tcase_add_test(tc, enter_refreshes_a_credential);
    tcase_add_test(tc, enter_refresh_fails_with_cause);
    tcase_add_test(tc, sso_token_rows_and_sign_in);
    tcase_add_test(tc, nothing_read_is_not_all_clear);
    tcase_add_test(tc, footer_lists_enter_at_80);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(suite());
}
