/* test_view_dlq.c - the dlq view drawn headless from a hand-filled store on a fixed clock:
 * DLQs holding messages first and by depth, change since the console opened, sources by
 * name, the critical style, the filter, the detail pane, select, and hostile names and
 * sources. */
#include "config.h"
#include "check_tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen_test.h"
#include "poll/store.h"
#include "view.h"

#define BASE "https://sqs.us-east-1.amazonaws.com/123456789012/"

static int64_t fake_now;

static int64_t fake_clock(void *arg)
{
    (void)arg;
    return fake_now;
}

/* One test's world: a store, a config, a curses screen, the view's state and its ctx. */
struct world {
    struct store *store;
    struct appconfig *cfg;
    struct screen_test *scr;
    struct view_ctx ctx;
    void *priv;
};

static void put_queue(struct store *s, const char *name, int64_t visible, int64_t maxrc)
{
    char url[256];
    struct store_res *r;

    snprintf(url, sizeof(url), BASE "%s", name);
    r = store_update_begin(s, "queue", url);
    store_set_str(r, "name", name);
    store_set_int(r, "visible", visible);
    store_set_int(r, "max_receive_count", maxrc);
    store_update_commit(r);
}

/* A DLQ row as the poller writes it; sources is the raw JSON text (may be malformed). */
static void put_dlq(struct store *s, const char *name, int64_t visible, double age,
                    const char *sources)
{
    char url[256];
    struct store_res *r;

    snprintf(url, sizeof(url), BASE "%s", name);
    r = store_update_begin(s, "dlq", url);
    store_set_str(r, "name", name);
    store_set_int(r, "visible", visible);
    store_set_int(r, "in_flight", 1);
    store_set_int(r, "delayed", 0);
    if (age >= 0)
        store_set_double(r, "age_oldest", age);
    else
        store_set_unknown(r, "age_oldest");
    if (sources)
        store_set_str(r, "sources", sources);
    store_update_commit(r);
}

/* The estate: two DLQs holding messages (billing 40, orders 5), two empty ones whose
 * names sort before them, orders fed by two sources (one not in the queue list). */
static void seed(struct store *s)
{
    store_list_begin(s, "queue");
    put_queue(s, "orders", 7, 3);
    put_queue(s, "billing", 0, 5);
    store_list_end(s, "queue");
    store_list_begin(s, "dlq");
    put_dlq(s, "orders-dlq", 5, 754, "[\"" BASE "orders\",\"" BASE "payments\"]");
    put_dlq(s, "billing-dlq", 40, 3600, "[\"" BASE "billing\"]");
    put_dlq(s, "aaa-dlq", 0, -1, "[]");
    put_dlq(s, "empty-dlq", 0, 0, "[]");
    store_list_end(s, "dlq");
}

static void world_init(struct world *w, int cols, int lines)
{
    fake_now = 1000000;
    w->store = store_new();
    store_set_clock(w->store, fake_clock, NULL);
    seed(w->store);
    w->cfg = appconfig_new();
    w->scr = screen_test_new(cols, lines);
    screen_test_ctx(w->scr, &w->ctx, w->store, w->cfg, false);
    w->priv = calloc(1, dlq_view.private_size);
    ck_assert_ptr_nonnull(w->priv);
    dlq_view.init(w->priv, &w->ctx);
}

static void world_done(struct world *w)
{
    dlq_view.done(w->priv);
    free(w->priv);
    screen_test_free(w->scr);
    appconfig_free(w->cfg);
    store_free(w->store);
}

/* What the framework does once per wake-up: update, then draw. */
static void frame(struct world *w)
{
    w->ctx.now_ms = store_now(w->store);
    dlq_view.update(w->priv, &w->ctx);
    dlq_view.draw(w->priv, &w->ctx, w->scr->win);
}

/* Row y's text; ck_assert on it with the screen dumped when it fails. */
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

static bool row_lacks(struct world *w, int y, const char *needle)
{
    char *row = screen_test_row(w->scr->win, y);
    bool hit = strstr(row, needle) != NULL;

    free(row);
    return !hit;
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

START_TEST(title_and_order)
{
    struct world w;

    world_init(&w, 80, 24);
    frame(&w);
    ck_assert(row_has(&w, 0, "Dead-letter queues  2 holding messages, 4 total"));
    ck_assert(row_has(&w, 1, "DLQ"));
    ck_assert(row_has(&w, 1, "DEPTH"));
    ck_assert(row_has(&w, 1, "SOURCES"));
    /* holding messages first, biggest first, although their names sort last */
    ck_assert(row_has(&w, 2, "billing-dlq"));
    ck_assert(row_has(&w, 2, "40"));
    ck_assert(row_has(&w, 3, "orders-dlq"));
    ck_assert_int_ge(find(&w, "aaa-dlq"), 4);
    ck_assert_int_ge(find(&w, "empty-dlq"), 4);
    /* oldest: 754 s and one hour, as durations; unknown age as "-" */
    ck_assert(row_has(&w, 3, "12m34s"));
    ck_assert(row_has(&w, 2, "1h00m"));

    /* S reverses the depth order, but the ranks hold: both non-empty DLQs stay on top */
    dlq_view.key(w.priv, &w.ctx, 'S');
    frame(&w);
    ck_assert(row_has(&w, 2, "orders-dlq"));
    ck_assert(row_has(&w, 3, "billing-dlq"));
    ck_assert_int_ge(find(&w, "aaa-dlq"), 4);
    world_done(&w);
}
END_TEST

START_TEST(change_since_opened)
{
    struct world w;
    int y, col;
    char *header;

    world_init(&w, 80, 24);
    frame(&w);
    /* a first poll has no change yet */
    y = find(&w, "orders-dlq");
    header = screen_test_row(w.scr->win, 1);
    /* the column says what the change is measured from */
    col = screen_test_col(header, "SINCE OPEN");
    ck_assert_int_gt(col, 0);
    ck_assert_int_gt(screen_test_col(header, "PER MIN"), col);
    free(header);
    ck_assert(row_lacks(&w, y, "+"));
    /* one poll: no rate yet, "-" rather than a made-up 0 */
    {
        char *row = screen_test_row(w.scr->win, y);
        char *hdr = screen_test_row(w.scr->win, 1);
        int pc = screen_test_col(hdr, "PER MIN");

        ck_assert_msg(pc > 0 && (int)strlen(row) > pc + 6 && row[pc + 6] == '-',
                      "'%s'\n'%s'", hdr, row);
        free(row);
        free(hdr);
    }

    fake_now += 10000;
    put_dlq(w.store, "orders-dlq", 9, 760, "[\"" BASE "orders\",\"" BASE "payments\"]");
    put_dlq(w.store, "billing-dlq", 38, 3610, "[\"" BASE "billing\"]");
    frame(&w);
    y = find(&w, "orders-dlq");
    ck_assert_int_eq(y, 3);
    ck_assert(row_has(&w, y, "+4"));
    ck_assert(row_has(&w, 2, "-2"));
    /* two polls 10 s apart: +4 is 24 a minute, -2 is -12 */
    ck_assert(row_has(&w, y, "+24 "));
    ck_assert(row_has(&w, 2, "-12 "));
    /* the change sits under its column title */
    {
        char *row = screen_test_row(w.scr->win, y);
        int c = screen_test_col(row, "+4");

        free(row);
        ck_assert_int_ge(c, col);
        ck_assert_int_le(c, col + 10);
    }
    /* growth is a warning: the mono theme's warn is bold without critical's underline */
    {
        char *row = screen_test_row(w.scr->win, y);
        int c = screen_test_col(row, "+4");

        free(row);
        ck_assert(screen_test_attr(w.scr->win, y, c) & A_BOLD);
        ck_assert(!(screen_test_attr(w.scr->win, y, c) & A_UNDERLINE));
    }
    world_done(&w);
}
END_TEST

START_TEST(sources_by_name)
{
    struct world w;
    int y;

    world_init(&w, 120, 24);
    frame(&w);
    y = find(&w, "orders-dlq");
    ck_assert_int_ge(y, 0);
    /* "payments" is not in the queue list: named from its URL, never shown as a URL */
    ck_assert(row_has(&w, y, "orders, payments"));
    ck_assert(row_lacks(&w, y, "https://"));
    ck_assert(row_has(&w, find(&w, "billing-dlq"), "billing"));
    world_done(&w);
}
END_TEST

START_TEST(critical_style)
{
    struct world w;
    int y;
    char *row;
    attr_t crit, plain;

    world_init(&w, 80, 24);
    frame(&w);
    /* orders-dlq is not under the cursor (billing-dlq is): its own style shows */
    y = find(&w, "orders-dlq");
    row = screen_test_row(w.scr->win, y);
    crit = screen_test_attr(w.scr->win, y, screen_test_col(row, "orders-dlq"));
    free(row);
    ck_assert(crit & A_UNDERLINE);
    ck_assert(crit & A_BOLD);
    y = find(&w, "empty-dlq");
    row = screen_test_row(w.scr->win, y);
    plain = screen_test_attr(w.scr->win, y, screen_test_col(row, "empty-dlq"));
    free(row);
    ck_assert(!(plain & A_UNDERLINE));
    ck_assert(!(plain & A_BOLD));

    /* a failed poll of an empty DLQ draws it stale (dim) */
    {
        struct aws_error e;

        aws_error_clear(&e);
        e.kind = AWS_ERR_HTTP;
        e.http_status = 500;
        store_fail(w.store, "dlq", BASE "empty-dlq", &e);
    }
    frame(&w);
    y = find(&w, "empty-dlq");
    row = screen_test_row(w.scr->win, y);
    ck_assert(screen_test_attr(w.scr->win, y, screen_test_col(row, "empty-dlq")) & A_DIM);
    free(row);
    world_done(&w);
}
END_TEST

/* With colours: the critical rows carry the theme's critical colour pair, the empty ones
 * not; the cell's pair is what the terminal paints. */
static short cell_pair(WINDOW *win, int y, int x)
{
    cchar_t c;
    wchar_t wc[CCHARW_MAX + 1];
    attr_t a = 0;
    short pair = 0;

    ck_assert_int_ne(mvwin_wch(win, y, x, &c), ERR);
    getcchar(&c, wc, &a, &pair, NULL);
    return pair;
}

START_TEST(critical_colour)
{
    struct world w;
    short want;
    int y;
    char *row;

    world_init(&w, 80, 24);
    screen_test_ctx(w.scr, &w.ctx, w.store, w.cfg, true);
    ck_assert(w.ctx.colour);  /* xterm-256color has colours: no silent pass without them */
    want = (short)PAIR_NUMBER(view_attr(&w.ctx, THEME_CRITICAL));
    ck_assert_int_ne(want, 0);
    frame(&w);
    y = find(&w, "orders-dlq");
    row = screen_test_row(w.scr->win, y);
    ck_assert_int_eq(cell_pair(w.scr->win, y, screen_test_col(row, "orders-dlq")), want);
    ck_assert_int_eq(cell_pair(w.scr->win, y, screen_test_col(row, "orders,")), want);
    free(row);
    y = find(&w, "empty-dlq");
    row = screen_test_row(w.scr->win, y);
    ck_assert_int_ne(cell_pair(w.scr->win, y, screen_test_col(row, "empty-dlq")), want);
    free(row);
    world_done(&w);
}
END_TEST

START_TEST(filter_rows)
{
    struct world w;

    world_init(&w, 80, 24);
    w.ctx.filter = "ORDERS";
    frame(&w);
    ck_assert(row_has(&w, 2, "orders-dlq"));
    ck_assert_int_eq(screen_test_find(w.scr->win, "billing-dlq"), -1);
    ck_assert_int_eq(screen_test_find(w.scr->win, "empty-dlq"), -1);

    /* the filter is in the title */
    ck_assert(row_has(&w, 0, "2 holding messages, 4 total  1 shown  /ORDERS"));

    /* the name column by default: a source queue's name does not match... */
    w.ctx.filter = "payments";
    frame(&w);
    ck_assert_int_ge(find(&w, "no match for /payments"), 1);
    /* ...unless asked for: "sources:" looks in that column, "*:" in all of them */
    w.ctx.filter = "sources:payments";
    frame(&w);
    ck_assert(row_has(&w, 2, "orders-dlq"));
    ck_assert_int_eq(screen_test_find(w.scr->win, "billing-dlq"), -1);
    w.ctx.filter = "*:payments";
    frame(&w);
    ck_assert(row_has(&w, 2, "orders-dlq"));

    w.ctx.filter = "!orders";
    frame(&w);
    ck_assert_int_eq(screen_test_find(w.scr->win, "orders-dlq"), -1);
    ck_assert_int_ge(find(&w, "billing-dlq"), 2);

    w.ctx.filter = "nothing-like-this";
    frame(&w);
    ck_assert_int_ge(find(&w, "no match for /nothing-like-this"), 1);

    w.ctx.filter = "";
    frame(&w);
    ck_assert_int_ge(find(&w, "empty-dlq"), 2);
    world_done(&w);
}
END_TEST

START_TEST(detail_pane)
{
    struct world w;
    int bits, y;

    world_init(&w, 80, 24);
    frame(&w);
    ck_assert_ptr_null(dlq_view.detail(w.priv));
    bits = dlq_view.key(w.priv, &w.ctx, 'j');  /* billing-dlq -> orders-dlq */
    ck_assert(bits & VIEW_HANDLED);
    bits = dlq_view.key(w.priv, &w.ctx, '\n');
    ck_assert(bits & VIEW_DETAIL);
    ck_assert_ptr_nonnull(dlq_view.detail(w.priv));
    ck_assert_str_eq(dlq_view.detail(w.priv), BASE "orders-dlq");
    frame(&w);
    ck_assert_int_ge(find(&w, "orders-dlq"), 0);
    ck_assert_int_ge(find(&w, BASE "orders-dlq"), 0);
    ck_assert_int_ge(find(&w, "5 visible, 1 in flight, 0 delayed"), 0);
    ck_assert_int_ge(find(&w, "12m34s"), 0);
    ck_assert_int_ge(find(&w, "Source queues (2)"), 0);
    /* each source with its own depth and maxReceiveCount from the queue kind */
    y = find(&w, "  orders ");
    ck_assert_int_ge(y, 0);
    ck_assert(row_has(&w, y, "7"));
    ck_assert(row_has(&w, y, "3"));
    y = find(&w, "payments");
    ck_assert_int_ge(y, 0);
    ck_assert(row_has(&w, y, "-"));
    ck_assert_int_eq(screen_test_find(w.scr->win, "billing-dlq"), -1);

    /* the pane follows the store: a newer depth shows */
    fake_now += 5000;
    put_dlq(w.store, "orders-dlq", 6, 760, "[\"" BASE "orders\",\"" BASE "payments\"]");
    frame(&w);
    ck_assert_int_ge(find(&w, "6 visible"), 0);
    ck_assert_int_ge(find(&w, "+1 since opened"), 0);

    bits = dlq_view.key(w.priv, &w.ctx, 27);
    ck_assert(bits & VIEW_DETAIL);
    ck_assert(!(bits & VIEW_BACK));
    ck_assert_ptr_null(dlq_view.detail(w.priv));
    frame(&w);
    ck_assert(row_has(&w, 0, "Dead-letter queues"));
    ck_assert_int_ge(find(&w, "billing-dlq"), 2);

    /* q closes too; the pane closes itself when its DLQ leaves the store */
    dlq_view.key(w.priv, &w.ctx, '\n');
    ck_assert_ptr_nonnull(dlq_view.detail(w.priv));
    ck_assert(dlq_view.key(w.priv, &w.ctx, 'q') & VIEW_DETAIL);
    ck_assert_ptr_null(dlq_view.detail(w.priv));
    dlq_view.key(w.priv, &w.ctx, '\n');
    ck_assert_str_eq(dlq_view.detail(w.priv), BASE "orders-dlq");
    store_list_begin(w.store, "dlq");
    put_dlq(w.store, "billing-dlq", 38, 3610, "[]");
    store_list_end(w.store, "dlq");
    ck_assert(dlq_view.update(w.priv, &w.ctx) & VIEW_DETAIL);
    ck_assert_ptr_null(dlq_view.detail(w.priv));
    world_done(&w);
}
END_TEST

/* 40 sources do not fit at 80x24: j scrolls them, k and g scroll back. */
START_TEST(detail_scrolls_sources)
{
    struct world w;
    char json[8192] = "[", name[32];
    size_t len = 1;

    world_init(&w, 80, 24);
    for (int i = 0; i < 40; i++) {
        len += (size_t)snprintf(json + len, sizeof(json) - len, "%s\"" BASE "src-%02d\"",
                                i ? "," : "", i);
    }
    snprintf(json + len, sizeof(json) - len, "]");
    put_dlq(w.store, "wide-dlq", 1000, 10, json);
    ck_assert(dlq_view.select(w.priv, &w.ctx, BASE "wide-dlq"));
    dlq_view.key(w.priv, &w.ctx, '\n');
    frame(&w);
    ck_assert_int_ge(find(&w, "Source queues (40)"), 0);
    ck_assert_int_ge(find(&w, "src-00"), 0);
    ck_assert_int_eq(screen_test_find(w.scr->win, "src-39"), -1);
    ck_assert_int_eq(find(&w, "Esc or q"), 23);
    for (int i = 0; i < 60; i++)  /* more than there are: stops at the last */
        ck_assert(dlq_view.key(w.priv, &w.ctx, 'j') & VIEW_REDRAW);
    frame(&w);
    /* the last page is full: the last source sits just above the hint line */
    ck_assert_int_eq(find(&w, "src-39"), 22);
    ck_assert_int_eq(screen_test_find(w.scr->win, "src-00"), -1);
    ck_assert(screen_test_attr(w.scr->win, 22, 2) & A_REVERSE);  /* the cursor is on it */
    /* the cursor moves up within the page; the page stays */
    dlq_view.key(w.priv, &w.ctx, 'k');
    frame(&w);
    ck_assert_int_eq(find(&w, "src-38"), 21);
    ck_assert_int_eq(find(&w, "src-39"), 22);
    ck_assert(screen_test_attr(w.scr->win, 21, 2) & A_REVERSE);
    ck_assert(!(screen_test_attr(w.scr->win, 22, 2) & A_REVERSE));
    /* Enter opens the source under the cursor in the queue view */
    ck_assert_int_eq(dlq_view.key(w.priv, &w.ctx, '\n'), VIEW_HANDLED | VIEW_JUMP);
    ck_assert_str_eq(w.ctx.jump_view, "sqs");
    ck_assert_str_eq(w.ctx.jump_key, BASE "src-38");
    dlq_view.key(w.priv, &w.ctx, 'g');
    frame(&w);
    snprintf(name, sizeof(name), "src-%02d", 0);
    ck_assert_int_ge(find(&w, name), 0);
    world_done(&w);
}
END_TEST

/* The pane's source table from CloudWatch numbers as the dlq_consumers source writes them
 * (15-minute sums): a consumer receiving without deleting is "consumer failing", messages
 * nobody receives "no consumer", a healthy one no flag, numbers not read yet "?". */
static void put_consumer(struct store *s, const char *name, int64_t visible, double recv,
                         double del)
{
    char url[256];
    struct store_res *r;

    put_queue(s, name, visible, 4);
    snprintf(url, sizeof(url), BASE "%s", name);
    r = store_update_begin(s, "queue", url);
    store_set_int(r, "in_flight", 2);
    if (recv >= 0) {
        store_set_double(r, "received_15m", recv);
        store_set_double(r, "deleted_15m", del);
    }
    store_update_commit(r);
}

START_TEST(source_consumers_flagged)
{
    struct world w;
    int y;
    char *row;

    world_init(&w, 80, 24);
    put_consumer(w.store, "failing", 10, 300, 3);     /* 20 a minute received, 0.2 deleted */
    put_consumer(w.store, "idle", 50, 0, 0);          /* 50 waiting, nothing receives */
    put_consumer(w.store, "healthy", 1, 150, 150);
    put_consumer(w.store, "unread", 3, -1, -1);       /* the pane just opened */
    put_consumer(w.store, "quiet", 0, 0, 0);          /* nothing to consume: no flag */
    put_dlq(w.store, "ops-dlq", 9, 60,
            "[\"" BASE "failing\",\"" BASE "idle\",\"" BASE "healthy\",\"" BASE "unread\","
            "\"" BASE "quiet\"]");
    ck_assert(dlq_view.select(w.priv, &w.ctx, BASE "ops-dlq"));
    dlq_view.key(w.priv, &w.ctx, '\n');
    frame(&w);
    y = find(&w, "QUEUE");
    ck_assert(row_has(&w, y, "VISIBLE IN FLIGHT MAX RCV RECV/MIN DEL/MIN  CONSUMER"));
    y = find(&w, "failing ");
    row = screen_test_row(w.scr->win, y);
    ck_assert_msg(strstr(row, "10         2       4       20     0.2  consumer failing"),
                  "'%s'", row);
    free(row);
    y = find(&w, "idle ");
    ck_assert(row_has(&w, y, "50         2       4        0       0  no consumer"));
    y = find(&w, "healthy ");
    ck_assert(row_has(&w, y, "1         2       4       10      10"));
    ck_assert(row_lacks(&w, y, "consumer"));
    y = find(&w, "unread ");
    ck_assert(row_has(&w, y, "3         2       4        ?       ?"));
    ck_assert(row_lacks(&w, y, "consumer"));
    y = find(&w, "quiet ");
    ck_assert(row_lacks(&w, y, "consumer"));
    ck_assert_int_ge(find(&w, "received/deleted: CloudWatch"), 0);

    /* the flags are coloured: failing critical, no consumer warn (the cursor is elsewhere) */
    dlq_view.key(w.priv, &w.ctx, 'G');
    screen_test_free(w.scr);
    w.scr = screen_test_new(80, 24);
    screen_test_ctx(w.scr, &w.ctx, w.store, w.cfg, true);
    frame(&w);
    y = find(&w, "failing ");
    row = screen_test_row(w.scr->win, y);
    ck_assert_int_eq(screen_test_attr(w.scr->win, y, screen_test_col(row, "consumer failing")),
                     view_attr(&w.ctx, THEME_CRITICAL));
    free(row);
    y = find(&w, "idle ");
    row = screen_test_row(w.scr->win, y);
    ck_assert_int_eq(screen_test_attr(w.scr->win, y, screen_test_col(row, "no consumer")),
                     view_attr(&w.ctx, THEME_WARN));
    free(row);
    world_done(&w);
}
END_TEST

START_TEST(select_by_url)
{
    struct world w;

    world_init(&w, 80, 24);
    /* a jump may come before the first draw */
    ck_assert(dlq_view.select(w.priv, &w.ctx, BASE "empty-dlq"));
    ck_assert(!dlq_view.select(w.priv, &w.ctx, BASE "no-such-dlq"));
    frame(&w);
    dlq_view.key(w.priv, &w.ctx, '\n');
    ck_assert_str_eq(dlq_view.detail(w.priv), BASE "empty-dlq");
    world_done(&w);
}
END_TEST

START_TEST(hostile_names_and_sources)
{
    struct world w;
    int y;

    world_init(&w, 100, 24);
    /* a name with an escape sequence, sources that are not a JSON array of strings */
    put_dlq(w.store, "evil\x1b[2J-dlq", 3, 10, "[1, null, \"" BASE "orders\", {}]");
    put_dlq(w.store, "broken-dlq", 2, 10, "not json [");
    put_dlq(w.store, "object-dlq", 1, 10, "{\"a\":1}");
    put_dlq(w.store, "nosources-dlq", 1, 10, NULL);
    frame(&w);
    ck_assert(row_has(&w, 0, "6 holding messages, 8 total"));
    y = find(&w, "evil\\x1B[2J-dlq");
    ck_assert_int_ge(y, 2);
    ck_assert(row_has(&w, y, "orders"));
    ck_assert_int_ge(find(&w, "broken-dlq"), 2);
    ck_assert_int_ge(find(&w, "object-dlq"), 2);
    /* the pane of a DLQ with malformed sources lists none */
    ck_assert(dlq_view.select(w.priv, &w.ctx, BASE "broken-dlq"));
    dlq_view.key(w.priv, &w.ctx, '\n');
    frame(&w);
    ck_assert_int_ge(find(&w, "Source queues (0)"), 0);
    world_done(&w);
}
END_TEST

START_TEST(empty_store_and_tiny_window)
{
    struct world w;
    struct store *empty = store_new();
    void *priv = calloc(1, dlq_view.private_size);

    world_init(&w, 80, 24);
    w.ctx.store = empty;
    dlq_view.init(priv, &w.ctx);
    dlq_view.update(priv, &w.ctx);
    werase(w.scr->win);
    dlq_view.draw(priv, &w.ctx, w.scr->win);
    /* never read: no count at all, not an all-clear of zero */
    ck_assert(row_has(&w, 0, "Dead-letter queues  not read yet"));
    ck_assert_int_eq(screen_test_find(w.scr->win, "holding"), -1);
    ck_assert_int_eq(screen_test_find(w.scr->win, " 0 "), -1);
    ck_assert_int_eq(dlq_view.key(priv, &w.ctx, '\n') & VIEW_DETAIL, 0);
    /* the first list poll failed: the cause, still no count */
    {
        struct aws_error err;

        aws_error_clear(&err);
        aws_error_set(&err, AWS_ERR_NETWORK, "Could not connect to server");
        snprintf(err.endpoint, sizeof(err.endpoint), "http://127.0.0.1:9");
        store_list_fail(empty, "queue", &err);
        store_list_fail(empty, "dlq", &err);
    }
    dlq_view.update(priv, &w.ctx);
    werase(w.scr->win);
    dlq_view.draw(priv, &w.ctx, w.scr->win);
    ck_assert(row_has(&w, 0, "Dead-letter queues  cannot read: "));
    ck_assert(row_has(&w, 0, "cannot reach http://127.0.0.1:9"));
    ck_assert_int_eq(screen_test_find(w.scr->win, "holding"), -1);
    /* read, and really empty: now zero is the truth */
    store_list_begin(empty, "dlq");
    store_list_end(empty, "dlq");
    dlq_view.update(priv, &w.ctx);
    werase(w.scr->win);
    dlq_view.draw(priv, &w.ctx, w.scr->win);
    ck_assert(row_has(&w, 0, "0 holding messages, 0 total"));
    ck_assert_int_ge(find(&w, "no dead-letter queues"), 1);
    ck_assert_ptr_null(dlq_view.detail(priv));
    dlq_view.done(priv);
    free(priv);
    store_free(empty);

    /* a 1-line and a 10-column window: nothing written outside, nothing crashes */
    w.ctx.store = w.store;
    {
        WINDOW *one = newwin(1, 80, 0, 0), *narrow = newwin(24, 10, 0, 0);

        frame(&w);
        dlq_view.draw(w.priv, &w.ctx, one);
        dlq_view.draw(w.priv, &w.ctx, narrow);
        dlq_view.key(w.priv, &w.ctx, '\n');
        dlq_view.draw(w.priv, &w.ctx, one);
        dlq_view.draw(w.priv, &w.ctx, narrow);
        delwin(one);
        delwin(narrow);
    }
    world_done(&w);
}
END_TEST

START_TEST(big_terminal)
{
    struct world w;

    world_init(&w, 200, 60);
    frame(&w);
    ck_assert(row_has(&w, 2, "billing-dlq"));
    ck_assert(row_has(&w, find(&w, "orders-dlq"), "orders, payments"));
    world_done(&w);
}
END_TEST

/* y copies the DLQ's URL; :cli reads its attributes, and in the pane its sources too. */
START_TEST(copy_and_cli)
{
    struct world w;
    char cmd[1024];

    world_init(&w, 80, 24);
    frame(&w);
    ck_assert_int_eq(dlq_view.key(w.priv, &w.ctx, 'y'), VIEW_HANDLED | VIEW_COPY);
    ck_assert_str_eq(w.ctx.copy, BASE "billing-dlq");
    ck_assert_str_eq(w.ctx.copy_what, "URL of billing-dlq");
    ck_assert(dlq_view.cli(w.priv, &w.ctx, cmd, sizeof(cmd)));
    ck_assert_str_eq(cmd, "aws sqs get-queue-attributes --queue-url " BASE "billing-dlq"
                          " --attribute-names All");
    dlq_view.key(w.priv, &w.ctx, '\n');
    ck_assert(dlq_view.cli(w.priv, &w.ctx, cmd, sizeof(cmd)));
    ck_assert_str_eq(cmd, "aws sqs get-queue-attributes --queue-url " BASE "billing-dlq"
                          " --attribute-names All\n"
                          "aws sqs list-dead-letter-source-queues --queue-url " BASE
                          "billing-dlq");
    world_done(&w);
}
END_TEST

/* The pane: the change says since when, the rate over how long; G and PgDn scroll the
 * sources as j does. */
START_TEST(detail_rate_and_since)
{
    struct world w;

    world_init(&w, 80, 24);
    frame(&w);
    fake_now += 30000;
    put_dlq(w.store, "orders-dlq", 8, 760, "[\"" BASE "orders\",\"" BASE "payments\"]");
    frame(&w);
    ck_assert(dlq_view.select(w.priv, &w.ctx, BASE "orders-dlq"));
    dlq_view.key(w.priv, &w.ctx, '\n');
    frame(&w);
    ck_assert_int_ge(find(&w, "8 visible, 1 in flight, 0 delayed (+3 since opened 30s ago)"), 1);
    ck_assert_int_ge(find(&w, "+6 messages a minute over the last 30s"), 1);
    ck_assert_int_eq(dlq_view.key(w.priv, &w.ctx, 'G'), VIEW_HANDLED | VIEW_REDRAW);
    ck_assert_int_eq(dlq_view.key(w.priv, &w.ctx, VIEW_KEY(KEY_NPAGE)),
                     VIEW_HANDLED | VIEW_REDRAW);
    frame(&w);
    ck_assert_int_ge(find(&w, "Source queues (2)"), 1);
    world_done(&w);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("view_dlq");
    TCase *tc = tcase_create("dlq");

    tcase_add_test(tc, title_and_order);
    tcase_add_test(tc, change_since_opened);
    tcase_add_test(tc, sources_by_name);
    tcase_add_test(tc, critical_style);
    tcase_add_test(tc, critical_colour);
    tcase_add_test(tc, filter_rows);
    tcase_add_test(tc, detail_pane);
    tcase_add_test(tc, detail_scrolls_sources);
    tcase_add_test(tc, source_consumers_flagged);
    tcase_add_test(tc, select_by_url);
    tcase_add_test(tc, hostile_names_and_sources);
    tcase_add_test(tc, empty_store_and_tiny_window);
    tcase_add_test(tc, big_terminal);
    tcase_add_test(tc, copy_and_cli);
    tcase_add_test(tc, detail_rate_and_since);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(suite());
}
