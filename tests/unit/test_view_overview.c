/* test_view_overview.c - the overview drawn headless from a hand-filled store on a fixed
 * clock: its four sections at 80x24 and 200x60, Enter jumping to the view behind a line,
 * resolved errors hidden, empty sections, sections whose data was never read ("not read
 * yet", "cannot read"), the credential countdown from the "credential" rows, the cursor
 * skipping headings and staying on its item across refreshes, the filter, and the section
 * table itself. */
#include "config.h"
#include "check_tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "poll/sources/sources.h"
#include "poll/store.h"
#include "screen_test.h"
#include "view.h"

#define BASE "https://sqs.us-east-1.amazonaws.com/123456789012/"
#define LONG_MSG "SQS ListQueues failed: AccessDenied (profile test, endpoint " \
    "https://sqs.us-east-1.amazonaws.com): grant sqs:ListQueues to the role, then press r"

static int64_t fake_now;

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

static void put_queue(struct store *s, const char *name, int64_t visible, double age,
                      int is_dlq)
{
    char url[256];
    struct store_res *r;

    snprintf(url, sizeof(url), BASE "%s", name);
    r = store_update_begin(s, "queue", url);
    store_set_str(r, "name", name);
    store_set_int(r, "visible", visible);
    store_set_int(r, "is_dlq", is_dlq);
    if (age >= 0)
        store_set_double(r, "age_oldest", age);
    else
        store_set_unknown(r, "age_oldest");
    store_update_commit(r);
}

static void put_dlq(struct store *s, const char *name, int64_t visible, double age)
{
    char url[256];
    struct store_res *r;

    snprintf(url, sizeof(url), BASE "%s", name);
    r = store_update_begin(s, "dlq", url);
    store_set_str(r, "name", name);
    store_set_int(r, "visible", visible);
    store_set_double(r, "age_oldest", age);
    store_set_str(r, "sources", "[]");
    store_update_commit(r);
}

/* The credential manager's report as the credentials source writes it: one profile whose
 * credentials expire `left` seconds from now (INT64_MAX: they do not). */
static void put_credential(struct store *s, const char *profile, const char *method,
                           int64_t left, const char *refresh_error)
{
    struct store_res *r;

    store_list_begin(s, "credential");
    r = store_update_begin(s, "credential", profile);
    store_set_str(r, "method", method);
    store_set_str(r, "source", "test");
    if (left == INT64_MAX)
        store_set_unknown(r, "expiry");
    else
        store_set_int(r, "expiry", store_now(s) / 1000 + left);
    store_set_int(r, "active", 1);
    store_set_int(r, "refreshable", left != INT64_MAX);
    store_set_str(r, "refresh_error", refresh_error ? refresh_error : "");
    store_update_commit(r);
    store_list_end(s, "credential");
}

static void put_error(struct store *s, const char *key, const char *msg, int64_t count)
{
    struct store_res *r = store_update_begin(s, "error", key);

    store_set_str(r, "message", msg);
    store_set_int(r, "count", count);
    store_update_commit(r);
}

/* Thresholds are the defaults: old from 5m, critical from 15m, expiry warning at 15m. */
static void seed(struct store *s)
{
    store_list_begin(s, "queue");
    put_queue(s, "orders", 12, 1200, 0);     /* 20m: critical */
    put_queue(s, "invoices", 3, 400, 0);     /* 6m40s: warn */
    put_queue(s, "fresh", 9, 30, 0);         /* young: not listed */
    put_queue(s, "nometric", 9, -1, 0);      /* no CloudWatch data: not listed */
    put_queue(s, "orders-dlq", 5, 5000, 1);  /* a DLQ: its own section */
    store_list_end(s, "queue");
    store_list_begin(s, "dlq");
    put_dlq(s, "orders-dlq", 5, 5000);
    put_dlq(s, "billing-dlq", 40, 60);
    put_dlq(s, "empty-dlq", 0, 0);
    store_list_end(s, "dlq");
    put_error(s, "SQS ListQueues", LONG_MSG, 3);
    put_error(s, "SNS ListTopics", "SNS ListTopics failed: throttled", 1);
    put_error(s, "SQS GetQueueAttributes", "resolved long ago", 0);
}

static void world_init_with(struct world *w, int cols, int lines, bool seeded)
{
    fake_now = 1000000;
    w->store = store_new();
    store_set_clock(w->store, fake_clock, NULL);
    if (seeded)
        seed(w->store);
    fake_now += 120000;  /* two minutes later: the errors are 2m old */
    if (seeded)
        put_credential(w->store, "test", "assume-role", 3 * 3600 + 12 * 60, NULL);
    w->cfg = appconfig_new();
    w->scr = screen_test_new(cols, lines);
    screen_test_ctx(w->scr, &w->ctx, w->store, w->cfg, false);
    w->priv = calloc(1, overview_view.private_size);
    ck_assert_ptr_nonnull(w->priv);
    if (overview_view.init)
        overview_view.init(w->priv, &w->ctx);
}

static void world_init(struct world *w, int cols, int lines)
{
    world_init_with(w, cols, lines, true);
}

static void world_done(struct world *w)
{
    overview_view.done(w->priv);
    free(w->priv);
    screen_test_free(w->scr);
    appconfig_free(w->cfg);
    store_free(w->store);
}

static void frame(struct world *w)
{
    w->ctx.now_ms = store_now(w->store);
    overview_view.update(w->priv, &w->ctx);
    overview_view.draw(w->priv, &w->ctx, w->scr->win);
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

static bool absent(struct world *w, const char *needle)
{
    return screen_test_find(w->scr->win, needle) < 0;
}

static int press(struct world *w, int key)
{
    int bits = overview_view.key(w->priv, &w->ctx, key);

    frame(w);
    return bits;
}

/* Every section in order, with the rows a user reads at the given size. */
static void check_sections(int cols, int lines)
{
    struct world w;
    int h_dlq, h_old, h_cred, h_err, y;

    world_init(&w, cols, lines);
    frame(&w);
    h_dlq = find(&w, "Dead-letter queues holding messages");
    h_old = find(&w, "Queues with old messages");
    h_cred = find(&w, "Credentials");
    h_err = find(&w, "Errors");
    ck_assert_int_eq(h_dlq, 0);
    ck_assert_int_gt(h_old, h_dlq);
    ck_assert_int_gt(h_cred, h_old);
    ck_assert_int_gt(h_err, h_cred);

    /* DLQs holding messages, deepest first, with depth, change and oldest */
    ck_assert(row_has(&w, h_dlq, "DEPTH"));
    ck_assert(row_has(&w, h_dlq + 1, "billing-dlq"));
    ck_assert(row_has(&w, h_dlq + 1, "40"));
    ck_assert(row_has(&w, h_dlq + 1, "1m00s"));
    ck_assert(row_has(&w, h_dlq + 2, "orders-dlq"));
    ck_assert(row_has(&w, h_dlq + 2, "1h23m"));
    ck_assert(absent(&w, "empty-dlq"));

    /* old queues, oldest first; young, unknown and DLQ queues are not listed */
    ck_assert(row_has(&w, h_old + 1, "orders"));
    ck_assert(row_has(&w, h_old + 1, "20m00s"));
    ck_assert(row_has(&w, h_old + 1, "12"));
    ck_assert(row_has(&w, h_old + 2, "invoices"));
    ck_assert(row_has(&w, h_old + 2, "6m40s"));
    ck_assert(absent(&w, "fresh"));
    ck_assert(absent(&w, "nometric"));
    ck_assert_int_eq(find(&w, "orders-dlq"), h_dlq + 2);

    ck_assert(row_has(&w, h_cred + 1, "profile test: assume-role"));
    ck_assert(row_has(&w, h_cred + 1, "3h12m"));

    /* live errors (count > 0) with their age; the resolved one is hidden */
    y = find(&w, "SQS ListQueues");
    ck_assert_int_gt(y, h_err);
    ck_assert(row_has(&w, y, "2m ago"));
    ck_assert(row_has(&w, y, "AccessDenied"));
    y = find(&w, "SNS ListTopics");
    ck_assert_int_gt(y, h_err);
    ck_assert(row_has(&w, y, "throttled"));
    ck_assert(absent(&w, "GetQueueAttributes"));
    ck_assert(absent(&w, "resolved long ago"));

    /* the whole message only where it fits; cut with the ellipsis at 80 columns */
    y = find(&w, "SQS ListQueues");
    if (cols >= 200)
        ck_assert(row_has(&w, y, "then press r"));
    else
        ck_assert(row_has(&w, y, "…"));
    world_done(&w);
}

START_TEST(sections_80x24)
{
    check_sections(80, 24);
}
END_TEST

START_TEST(sections_200x60)
{
    check_sections(200, 60);
}
END_TEST

START_TEST(enter_jumps)
{
    struct world w;
    int bits;

    world_init(&w, 80, 24);
    frame(&w);
    /* the cursor starts on the first item, not on the heading */
    bits = press(&w, '\n');
    ck_assert(bits & VIEW_JUMP);
    ck_assert_str_eq(w.ctx.jump_view, "dlq");
    ck_assert_str_eq(w.ctx.jump_key, BASE "billing-dlq");

    press(&w, 'j');
    press(&w, 'j');  /* over the heading "Queues with old messages" */
    bits = press(&w, VIEW_KEY(KEY_ENTER));
    ck_assert(bits & VIEW_JUMP);
    ck_assert_str_eq(w.ctx.jump_view, "sqs");
    ck_assert_str_eq(w.ctx.jump_key, BASE "orders");

    /* G: the last item; errors come in key order, so it is "SQS ListQueues": Enter opens
     * the whole text of that call's errors */
    press(&w, 'G');
    memset(w.ctx.jump_view, 0, sizeof(w.ctx.jump_view));
    bits = press(&w, '\r');
    ck_assert(bits & VIEW_JUMP);
    ck_assert_str_eq(w.ctx.jump_view, "errors");
    ck_assert_str_eq(w.ctx.jump_key, "SQS ListQueues");

    /* any error line: an SNS one too */
    press(&w, 'k');
    bits = press(&w, '\n');
    ck_assert(bits & VIEW_JUMP);
    ck_assert_str_eq(w.ctx.jump_view, "errors");

    /* the credential line (above the toggles' lines): the expiry view, on that
     * credential's row */
    ck_assert(overview_view.select(w.priv, &w.ctx, "test"));
    frame(&w);
    memset(w.ctx.jump_view, 0, sizeof(w.ctx.jump_view));
    bits = press(&w, '\n');
    ck_assert(bits & VIEW_JUMP);
    ck_assert_str_eq(w.ctx.jump_view, "expiry");
    ck_assert_str_eq(w.ctx.jump_key, "credential/test");

    /* g back to the first item; k there stays */
    press(&w, 'g');
    press(&w, 'k');
    bits = press(&w, '\n');
    ck_assert_str_eq(w.ctx.jump_key, BASE "billing-dlq");

    /* q is the framework's (back / quit) */
    ck_assert_int_eq(overview_view.key(w.priv, &w.ctx, 'q'), VIEW_UNHANDLED);
    world_done(&w);
}
END_TEST

START_TEST(cursor_keeps_item)
{
    struct world w;

    world_init(&w, 80, 24);
    frame(&w);
    press(&w, 'j');  /* orders-dlq */
    /* a deeper DLQ appears above it, then orders-dlq's depth changes */
    fake_now += 10000;
    put_dlq(w.store, "zeta-dlq", 500, 10);
    put_dlq(w.store, "orders-dlq", 7, 5010);
    frame(&w);
    ck_assert(row_has(&w, 1, "zeta-dlq"));
    press(&w, '\n');
    ck_assert_str_eq(w.ctx.jump_key, BASE "orders-dlq");
    ck_assert(row_has(&w, find(&w, "orders-dlq"), "+2"));

    /* its line goes (the DLQ emptied): the cursor moves to the item that took its place */
    fake_now += 10000;
    put_dlq(w.store, "orders-dlq", 0, 0);
    frame(&w);
    ck_assert(absent(&w, "orders-dlq"));
    overview_view.key(w.priv, &w.ctx, '\n');
    ck_assert_str_eq(w.ctx.jump_view, "sqs");
    ck_assert_str_eq(w.ctx.jump_key, BASE "orders");
    /* ...and stays there when the gone item comes back */
    fake_now += 10000;
    put_dlq(w.store, "orders-dlq", 2, 10);
    frame(&w);
    ck_assert_int_ge(find(&w, "orders-dlq"), 1);
    overview_view.key(w.priv, &w.ctx, '\n');
    ck_assert_str_eq(w.ctx.jump_key, BASE "orders");

    /* select by a store key, as a jump into the overview */
    ck_assert(overview_view.select(w.priv, &w.ctx, BASE "invoices"));
    ck_assert(!overview_view.select(w.priv, &w.ctx, BASE "fresh"));
    overview_view.key(w.priv, &w.ctx, '\n');
    ck_assert_str_eq(w.ctx.jump_key, BASE "invoices");
    world_done(&w);
}
END_TEST

/* The console opens before the first poll lands: the cursor must not stay stuck on the
 * credential line (the only item then) once the DLQs arrive, unless the user moved it. */
START_TEST(cursor_follows_first_item_until_moved)
{
    struct world w;

    world_init_with(&w, 80, 24, false);
    frame(&w);
    seed(w.store);
    frame(&w);
    ck_assert(overview_view.key(w.priv, &w.ctx, '\n') & VIEW_JUMP);
    ck_assert_str_eq(w.ctx.jump_key, BASE "billing-dlq");

    /* once moved, it stays on its item when a deeper DLQ arrives above */
    press(&w, 'j');
    put_dlq(w.store, "zeta-dlq", 500, 10);
    frame(&w);
    overview_view.key(w.priv, &w.ctx, '\n');
    ck_assert_str_eq(w.ctx.jump_key, BASE "orders-dlq");
    world_done(&w);
}
END_TEST

/* Before the first poll lands nothing may read as an all-clear: each section that has no
 * data yet says so, and a section whose list call failed says why. */
START_TEST(sections_not_read_yet_or_unreadable)
{
    struct world w;
    struct aws_error err;
    int y;

    world_init_with(&w, 80, 24, false);
    frame(&w);
    y = find(&w, "Dead-letter queues holding messages");
    ck_assert(row_has(&w, y + 1, "not read yet"));
    y = find(&w, "Queues with old messages");
    ck_assert(row_has(&w, y + 1, "not read yet"));
    y = find(&w, "Credentials");
    ck_assert(row_has(&w, y + 1, "not read yet"));
    /* errors exist only when something failed: an empty list there is the truth */
    ck_assert(row_has(&w, find(&w, "Errors") + 1, "none — no call is failing"));
    ck_assert(absent(&w, "all DLQs are empty"));
    ck_assert(absent(&w, "no message is older"));
    /* nothing to select, nothing to jump to */
    ck_assert(!(overview_view.key(w.priv, &w.ctx, '\n') & VIEW_JUMP));

    /* the list call fails: the cause, sanitised, not an empty list */
    aws_error_clear(&err);
    err.kind = AWS_ERR_HTTP;
    snprintf(err.code, sizeof(err.code), "AccessDenied");
    snprintf(err.message, sizeof(err.message), "not allowed: sqs:ListQueues\x1b[2J");
    store_list_fail(w.store, "queue", &err);
    store_list_fail(w.store, "dlq", &err);
    frame(&w);
    y = find(&w, "Dead-letter queues holding messages");
    ck_assert(row_has(&w, y + 1, "cannot read: not allowed: sqs:ListQueues\\x1B[2J"));
    y = find(&w, "Queues with old messages");
    ck_assert(row_has(&w, y + 1, "cannot read: not allowed"));
    /* once read, the same section shows its rows (the failure later is staleness) */
    seed(w.store);
    frame(&w);
    ck_assert_int_ge(find(&w, "billing-dlq"), 1);
    ck_assert(absent(&w, "cannot read"));
    world_done(&w);
}
END_TEST

/* A section read once whose latest read failed, or whose rows it cannot vouch for, never
 * gives its all-clear: "none - all DLQs are empty" is a claim about now. */
START_TEST(no_all_clear_it_cannot_back)
{
    struct world w;
    struct aws_error err;
    int y;

    world_init_with(&w, 80, 24, false);
    store_list_begin(w.store, "queue");
    put_queue(w.store, "busy", 4, -1, 0);       /* holds messages, CloudWatch has no age */
    put_queue(w.store, "idle", 0, -1, 0);       /* empty: its age does not matter */
    store_list_end(w.store, "queue");
    store_list_begin(w.store, "dlq");
    put_dlq(w.store, "a-dlq", 0, 0);
    store_list_end(w.store, "dlq");
    put_credential(w.store, "default", "env", INT64_MAX, NULL);
    frame(&w);
    ck_assert_int_ge(find(&w, "none — all DLQs are empty"), 1);
    y = find(&w, "cannot tell: 1 queue with messages has no CloudWatch age newer than 5m00s");
    ck_assert_int_ge(y, 1);
    ck_assert(absent(&w, "no message is older than"));

    /* the DLQ list fails two minutes later: what it shows is the last good read's */
    fake_now += 120000;
    aws_error_clear(&err);
    err.kind = AWS_ERR_HTTP;
    snprintf(err.message, sizeof(err.message), "cannot reach sqs.test");
    store_list_fail(w.store, "dlq", &err);
    frame(&w);
    ck_assert(absent(&w, "none — all DLQs are empty"));
    y = find(&w, "stale, last read 2m ago: cannot reach sqs.test");
    ck_assert_int_ge(y, 1);
    ck_assert_int_ge(find(&w, "none in the last good read — all DLQs are empty"), y + 1);

    /* a DLQ whose own row failed: its depth is the last good one */
    store_list_begin(w.store, "dlq");
    put_dlq(w.store, "a-dlq", 0, 0);
    put_dlq(w.store, "b-dlq", 0, 0);
    store_list_end(w.store, "dlq");
    store_fail(w.store, "dlq", BASE "b-dlq", &err);
    frame(&w);
    ck_assert(absent(&w, "all DLQs are empty"));
    ck_assert_int_ge(find(&w, "cannot tell: 1 DLQ not read in the last poll (stale)"), 1);
    world_done(&w);
}
END_TEST

START_TEST(empty_sections)
{
    struct world w;

    world_init_with(&w, 80, 24, false);
    store_list_begin(w.store, "queue");
    store_list_end(w.store, "queue");
    store_list_begin(w.store, "dlq");
    store_list_end(w.store, "dlq");
    put_credential(w.store, "default", "env", INT64_MAX, NULL);
    frame(&w);
    ck_assert_int_ge(find(&w, "none — no queue has a dead-letter queue"), 1);
    ck_assert_int_ge(find(&w, "none — no message is older than 5m00s"), 1);
    ck_assert_int_ge(find(&w, "none — no call is failing"), 1);
    ck_assert(row_has(&w, find(&w, "profile default: env"), "no expiry"));
    /* the note is dim and not selectable: the only item is the credential line */
    {
        int y = find(&w, "none — no call is failing");

        ck_assert(screen_test_attr(w.scr->win, y, 4) & A_DIM);
    }
    ck_assert(overview_view.key(w.priv, &w.ctx, '\n') & VIEW_JUMP);
    ck_assert_str_eq(w.ctx.jump_view, "expiry");
    ck_assert_str_eq(w.ctx.jump_key, "credential/default");

    /* DLQs listed but all empty; errors all resolved */
    store_list_begin(w.store, "dlq");
    put_dlq(w.store, "a-dlq", 0, 0);
    store_list_end(w.store, "dlq");
    put_error(w.store, "SQS ListQueues", "stale-error-text", 0);
    frame(&w);
    ck_assert_int_ge(find(&w, "none — all DLQs are empty"), 1);
    ck_assert_int_ge(find(&w, "none — no call is failing"), 1);
    ck_assert(absent(&w, "stale-error-text"));

    /* ASCII glyphs (not a UTF-8 locale, or --ascii): no em dash reaches the terminal */
    w.ctx.glyphs = &glyphs_ascii;
    frame(&w);
    ck_assert_int_ge(find(&w, "none - all DLQs are empty"), 1);
    ck_assert(absent(&w, "—"));
    world_done(&w);
}
END_TEST

START_TEST(credential_states)
{
    struct world w;
    int y;
    char *row;

    world_init(&w, 80, 24);
    put_credential(w.store, "test", "assume-role", -180, NULL);
    frame(&w);
    y = find(&w, "profile test: assume-role");
    ck_assert(row_has(&w, y, "expired 3m ago"));
    /* critical (mono: bold underline) while the cursor is elsewhere */
    row = screen_test_row(w.scr->win, y);
    ck_assert(screen_test_attr(w.scr->win, y, screen_test_col(row, "profile")) & A_UNDERLINE);
    free(row);

    /* under expiry_warn: warn (bold, not underlined) */
    put_credential(w.store, "test", "assume-role", 600, NULL);
    frame(&w);
    y = find(&w, "profile test: assume-role");
    ck_assert(row_has(&w, y, "10m00s"));
    row = screen_test_row(w.scr->win, y);
    ck_assert(screen_test_attr(w.scr->win, y, screen_test_col(row, "profile")) & A_BOLD);
    ck_assert(!(screen_test_attr(w.scr->win, y, screen_test_col(row, "profile")) &
                A_UNDERLINE));
    free(row);

    /* a refresh that failed while the old credentials still work says why */
    put_credential(w.store, "test", "assume-role", 600, "STS AssumeRole: AccessDenied");
    frame(&w);
    ck_assert(row_has(&w, find(&w, "profile test: assume-role"), "AccessDenied"));

    /* the DLQ line is critical too */
    y = find(&w, "orders-dlq");
    row = screen_test_row(w.scr->win, y);
    ck_assert(screen_test_attr(w.scr->win, y, screen_test_col(row, "orders-dlq")) & A_UNDERLINE);
    free(row);
    world_done(&w);
}
END_TEST

START_TEST(filter_lines)
{
    struct world w;

    world_init(&w, 80, 24);
    w.ctx.filter = "ORDERS";
    frame(&w);
    ck_assert_int_ge(find(&w, "orders-dlq"), 1);
    ck_assert_int_ge(find(&w, "  orders "), 1);
    ck_assert(absent(&w, "billing-dlq"));
    ck_assert(absent(&w, "invoices"));
    ck_assert(absent(&w, "ListTopics"));
    /* headings stay; a section with nothing matching says so */
    ck_assert_int_ge(find(&w, "Errors"), 1);
    ck_assert_int_ge(find(&w, "no match for /ORDERS"), 1);
    /* the cursor is on a shown line */
    ck_assert(overview_view.key(w.priv, &w.ctx, '\n') & VIEW_JUMP);
    ck_assert_str_eq(w.ctx.jump_key, BASE "orders-dlq");

    /* an error's message matches too; "!" inverts */
    w.ctx.filter = "throttled";
    frame(&w);
    ck_assert_int_ge(find(&w, "SNS ListTopics"), 1);
    ck_assert(absent(&w, "SQS ListQueues"));
    w.ctx.filter = "!dlq";
    frame(&w);
    ck_assert(absent(&w, "billing-dlq"));
    ck_assert_int_ge(find(&w, "invoices"), 1);
    world_done(&w);
}
END_TEST

START_TEST(scrolls_and_hostile_text)
{
    struct world w;
    char name[32];
    int bits;

    world_init(&w, 80, 24);
    /* 40 old queues: more lines than the screen; G must bring the last item into view */
    for (int i = 0; i < 40; i++) {
        snprintf(name, sizeof(name), "old-%02d", i);
        put_queue(w.store, name, 1, 1000 + i, 0);
    }
    put_error(w.store, "SQS Evil", "bad\x1b]52;c;AAAA\x07 text", 1);
    frame(&w);
    ck_assert_int_ge(find(&w, "Dead-letter queues holding messages"), 0);
    press(&w, 'G');
    ck_assert_int_ge(find(&w, "SQS ListQueues"), 0);
    ck_assert_int_ge(find(&w, "bad\\x1B]52;c;AAAA\\x07 text"), 0);
    ck_assert(absent(&w, "Dead-letter queues holding messages"));
    press(&w, VIEW_KEY(KEY_PPAGE));
    press(&w, VIEW_KEY(KEY_PPAGE));
    press(&w, VIEW_KEY(KEY_PPAGE));
    /* back at the top: the first heading shows again */
    ck_assert_int_eq(find(&w, "Dead-letter queues holding messages"), 0);
    /* up from the bottom to the first old queue: its heading scrolls in with it */
    press(&w, 'G');
    for (int i = 0; i < 60; i++) {
        press(&w, 'k');
        overview_view.key(w.priv, &w.ctx, '\n');
        if (strcmp(w.ctx.jump_key, BASE "orders") == 0)
            break;
    }
    ck_assert_str_eq(w.ctx.jump_key, BASE "orders");
    ck_assert_int_eq(find(&w, "Queues with old messages"), 0);
    ck_assert_int_eq(find(&w, "  orders "), 1);
    press(&w, 'g');
    bits = press(&w, VIEW_KEY(KEY_NPAGE));
    ck_assert(bits & VIEW_REDRAW);
    ck_assert(overview_view.key(w.priv, &w.ctx, '\n') & VIEW_JUMP);
    ck_assert_str_eq(w.ctx.jump_view, "sqs");
    ck_assert(strncmp(w.ctx.jump_key, BASE "old-", strlen(BASE "old-")) == 0);

    /* tiny windows draw without writing outside */
    {
        WINDOW *one = newwin(1, 80, 0, 0), *narrow = newwin(24, 6, 0, 0);

        overview_view.draw(w.priv, &w.ctx, one);
        overview_view.draw(w.priv, &w.ctx, narrow);
        delwin(one);
        delwin(narrow);
    }
    world_done(&w);
}
END_TEST

/* The registry the framework walks for number keys and `:` commands. */
START_TEST(registry)
{
    static const char *const names[] = { "overview", "sqs", "dlq", "sns", "s3", "expiry",
                                         "toggles", "jobs", "errors", "messages" };
    static const int numbers[] = { 1, 2, 3, 4, 5, 6, 7, 0, 0, 0 };
    size_t n = 0;

    for (; view_registry[n]; n++) {
        ck_assert_uint_lt(n, sizeof(names) / sizeof(names[0]));
        ck_assert_str_eq(view_registry[n]->name, names[n]);
        /* numbered views first, in order; :jobs, :errors and :messages have no number key */
        ck_assert_int_eq(view_registry[n]->number, numbers[n]);
        ck_assert_ptr_nonnull(view_registry[n]->draw);
        ck_assert_ptr_nonnull(view_registry[n]->title);
        ck_assert_ptr_nonnull(view_registry[n]->keys);
        ck_assert(view_find(names[n]) == view_registry[n]);
    }
    ck_assert_uint_eq(n, sizeof(names) / sizeof(names[0]));
    ck_assert(view_find("dlq") == &dlq_view);
    ck_assert(view_find("sns") == &sns_view);
    ck_assert(view_find("s3") == &s3_view);
    ck_assert(view_find("jobs") == &jobs_view);
    ck_assert(view_find("overview") == &overview_view);
    ck_assert_ptr_null(view_find("DLQ"));
    ck_assert_ptr_null(view_find(""));
    ck_assert_ptr_null(view_find(NULL));
    ck_assert_int_eq(dlq_view.interval, APPCONFIG_VIEW_DLQ);
    ck_assert_int_eq(overview_view.interval, APPCONFIG_VIEW_OVERVIEW);
}
END_TEST

static bool some_source_writes(const char *kind)
{
    for (size_t i = 0; source_registry[i]; i++)
        for (size_t k = 0; source_registry[i]->kinds && source_registry[i]->kinds[k]; k++)
            if (strcmp(source_registry[i]->kinds[k], kind) == 0)
                return true;
    return false;
}

/* The table the overview is built from: the sections in the order they appear, each one
 * complete, reporting on a kind some source writes, jumping to a view that exists. */
START_TEST(section_table)
{
    static const struct overview_section *const want[] = {
        &reach_overview, &dlq_overview, &sqs_overview, &sns_overview, &credentials_overview,
        &toggles_overview, &expiry_overview,
        &errors_overview};
    size_t n = 0;

    for (; overview_sections[n]; n++) {
        const struct overview_section *sec = overview_sections[n];

        ck_assert_uint_lt(n, sizeof(want) / sizeof(want[0]));
        ck_assert(sec == want[n]);
        ck_assert_ptr_nonnull(sec->id);
        ck_assert_ptr_nonnull(sec->title);
        ck_assert_ptr_nonnull(sec->build);
        ck_assert_msg(!sec->kind || some_source_writes(sec->kind), "%s: no source writes %s",
                      sec->id, sec->kind);
        ck_assert_msg(!sec->jump || view_find(sec->jump), "%s: no view %s", sec->id, sec->jump);
        ck_assert_msg(!sec->legend || strlen(sec->legend) <= OVERVIEW_RIGHT_W, "%s", sec->id);
        for (size_t j = 0; j < n; j++)
            ck_assert_str_ne(overview_sections[j]->id, sec->id);
    }
    ck_assert_uint_eq(n, sizeof(want) / sizeof(want[0]));
    ck_assert_str_eq(dlq_overview.jump, "dlq");
    ck_assert_str_eq(sns_overview.jump, "sns");
    ck_assert_str_eq(sqs_overview.jump, "sqs");
    ck_assert_ptr_null(errors_overview.kind);   /* errors exist only when something failed */
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("view_overview");
    TCase *tc = tcase_create("overview");

    tcase_add_test(tc, sections_80x24);
    tcase_add_test(tc, sections_200x60);
    tcase_add_test(tc, enter_jumps);
    tcase_add_test(tc, cursor_keeps_item);
    tcase_add_test(tc, cursor_follows_first_item_until_moved);
    tcase_add_test(tc, sections_not_read_yet_or_unreadable);
    tcase_add_test(tc, empty_sections);
    tcase_add_test(tc, no_all_clear_it_cannot_back);
    tcase_add_test(tc, credential_states);
    tcase_add_test(tc, filter_lines);
    tcase_add_test(tc, scrolls_and_hostile_text);
    tcase_add_test(tc, registry);
    tcase_add_test(tc, section_table);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(suite());
}
