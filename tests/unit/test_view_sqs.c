/* test_view_sqs.c - the sqs view drawn headless from a store filled by hand: the rows a
 * user reads at 80x24 and 200x60, filter and sort, the detail pane (attributes, redrive
 * policy, tags, "loading…", escaped hostile tags, a queue deleted while open), stale rows
 * in monochrome, the cursor kept on its queue across polls. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_tap.h"
#include "screen_test.h"
#include "poll/store.h"
#include "table.h"
#include "view.h"

#define URL(n) "https://sqs.us-east-1.amazonaws.com/123456789012/" n
#define ARN(n) "arn:aws:sqs:us-east-1:123456789012:" n
#define CJK "注文キュー"

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

static const double intake_history[] = { 1000, 1100, 1234 };

static void put_queue(struct store *s, const char *name, int64_t vis, int64_t infl,
                      int64_t delayed, int fifo, const char *dlq, double age)
{
    char url[256], arn[256], dlq_url[256], dlq_arn[256], attrs[2048], policy[512];
    struct store_res *r;

    snprintf(url, sizeof url, URL("%s"), name);
    snprintf(arn, sizeof arn, ARN("%s"), name);
    r = store_update_begin(s, "queue", url);
    store_set_str(r, "name", name);
    store_set_str(r, "arn", arn);
    store_set_int(r, "visible", vis);
    store_set_int(r, "in_flight", infl);
    store_set_int(r, "delayed", delayed);
    store_set_int(r, "fifo", fifo);
    if (isnan(age))
        store_set_unknown(r, "age_oldest");
    else
        store_set_double(r, "age_oldest", age);
    policy[0] = '\0';
    if (dlq) {
        snprintf(dlq_url, sizeof dlq_url, URL("%s"), dlq);
        snprintf(dlq_arn, sizeof dlq_arn, ARN("%s"), dlq);
        store_set_str(r, "dlq_url", dlq_url);
        store_set_str(r, "dlq_arn", dlq_arn);
        store_set_int(r, "max_receive_count", 5);
        snprintf(policy, sizeof policy,
                 "{\"deadLetterTargetArn\":\"%s\",\"maxReceiveCount\":5}", dlq_arn);
        store_set_str(r, "redrive_policy", policy);
    }
    snprintf(attrs, sizeof attrs,
             "{\"QueueArn\":\"%s\",\"ApproximateNumberOfMessages\":\"%lld\","
             "\"ApproximateNumberOfMessagesNotVisible\":\"%lld\","
             "\"CreatedTimestamp\":\"1700000000\",\"VisibilityTimeout\":\"30\","
             "\"LastModifiedTimestamp\":\"1700000061.75\",\"DelaySecondsTimestamp\":\"soon\","
             "\"MessageRetentionPeriod\":\"345600\",\"MaximumMessageSize\":\"1048576\","
             "\"ReceiveMessageWaitTimeSeconds\":\"0\",\"DelaySeconds\":\"-5\"%s%s%s}",
             arn, (long long)vis, (long long)infl, dlq ? ",\"RedrivePolicy\":\"" : "",
             dlq ? "{\\\"deadLetterTargetArn\\\":\\\"x\\\"}" : "", dlq ? "\"" : "");
    store_set_str(r, "attributes", attrs);
    store_update_commit(r);
}

/* Four queues: a source with a DLQ and a warn-old message, its DLQ (critical age, a redrive
 * allow policy), a FIFO queue with no CloudWatch data, a CJK-named one. */
static void seed(struct store *s)
{
    struct store_res *r;

    store_list_begin(s, "queue");
    for (size_t i = 0; i < 3; i++) {
        fake_now += 10000;
        put_queue(s, "orders-intake", (int64_t)intake_history[i], 12, 0, 0, "orders-dlq", 600);
    }
    put_queue(s, "orders-dlq", 7, 0, 0, 0, NULL, 1200);
    r = store_update_begin(s, "queue", URL("orders-dlq"));
    store_set_str(r, "attributes",
                  "{\"QueueArn\":\"" ARN("orders-dlq") "\",\"RedriveAllowPolicy\":"
                  "\"{\\\"redrivePermission\\\":\\\"byQueue\\\",\\\"sourceQueueArns\\\":"
                  "[\\\"" ARN("orders-intake") "\\\"]}\"}");
    store_update_commit(r);
    put_queue(s, "payments.fifo", 0, 0, 0, 1, NULL, NAN);
    put_queue(s, CJK, 3, 1, 2, 0, NULL, 30);
    store_list_end(s, "queue");
}

static void world_init(struct world *w, int cols, int lines, bool colour)
{
    fake_now = 1764000000000;
    w->store = store_new();
    store_set_clock(w->store, fake_clock, NULL);
    seed(w->store);
    w->cfg = appconfig_new();
    w->scr = screen_test_new(cols, lines);
    screen_test_ctx(w->scr, &w->ctx, w->store, w->cfg, colour);
    w->priv = calloc(1, sqs_view.private_size);
    ck_assert_ptr_nonnull(w->priv);
    sqs_view.init(w->priv, &w->ctx);
}

static void world_done(struct world *w)
{
    sqs_view.done(w->priv);
    free(w->priv);
    screen_test_free(w->scr);
    appconfig_free(w->cfg);
    store_free(w->store);
}

/* What the framework does once per wake-up. */
static int frame(struct world *w)
{
    int bits;

    w->ctx.now_ms = store_now(w->store);
    bits = sqs_view.update(w->priv, &w->ctx);
    werase(w->scr->win);
    sqs_view.draw(w->priv, &w->ctx, w->scr->win);
    return bits;
}

static int key(struct world *w, int k)
{
    return sqs_view.key(w->priv, &w->ctx, k);
}

static void row_is(struct world *w, int y, const char *want)
{
    char *row = screen_test_row(w->scr->win, y);

    if (strcmp(row, want) != 0)
        screen_test_dump(w->scr->win, stderr);
    ck_assert_msg(strcmp(row, want) == 0, "row %d:\n got '%s'\nwant '%s'", y, row, want);
    free(row);
}

static int line_with(struct world *w, const char *needle)
{
    int y = screen_test_find(w->scr->win, needle);

    if (y < 0)
        screen_test_dump(w->scr->win, stderr);
    ck_assert_msg(y >= 0, "no line with '%s'", needle);
    return y;
}

/* A row as the user should read it: the columns of the view (name and DLQ widths depend
 * on the terminal), values from the data, the sparkline from the history, blanks cut. */
static char *expect_row(int namew, int dlqw, const char *name, const char *vis,
                        const char *infl, const char *del, const char *oldest, bool fifo,
                        const char *dlq, const double *hist, size_t nhist)
{
    /* one scale for every row: 0 to the deepest queue's 1234 */
    char *spark = glyph_sparkline_scaled(&glyphs_utf8, hist, nhist, 10, 0, 1234);
    char *namefit = textwidth_fit(name, namew, "…", false);
    char *dlqfit = textwidth_fit(dlq, dlqw, "…", false);
    char *out;
    size_t n;

    /* "%-4s" would count the bytes of the 3-byte mark, not its one column. */
    /* each sortable column has room for its title and the sort mark */
    if (asprintf(&out, "%s %8s %10s %8s %7s %s %s %s", namefit, vis, infl, del, oldest,
                 fifo ? "✓    " : "     ", dlqfit, spark) < 0)
        abort();
    n = strlen(out);
    while (n > 0 && out[n - 1] == ' ')
        out[--n] = '\0';
    free(spark);
    free(namefit);
    free(dlqfit);
    return out;
}

#define LONG_NAME "x-a-very-long-queue-name-used-by-the-legacy-order-pipeline-v2"

/* namew, dlqw: the widths the name and DLQ columns must get at this size. */
static void rows_at(int cols, int lines, int namew, int dlqw)
{
    struct world w;
    const double seven[] = { 7 }, zero[] = { 0 }, three[] = { 3 }, nine[] = { 9 };
    char *want, header[512];
    char *got;

    world_init(&w, cols, lines, false);
    put_queue(w.store, LONG_NAME, 9, 0, 0, 0, "orders-dlq", NAN);
    ck_assert_int_eq(frame(&w) & VIEW_REDRAW, VIEW_REDRAW);
    row_is(&w, 0, "SQS queues  5 shown of 5  sorted by QUEUE ascending  DEPTH 0-1234");

    got = screen_test_row(w.scr->win, 1);
    {
        char *q = textwidth_fit("QUEUE▴", namew, "…", false);

        snprintf(header, sizeof header, "%s %8s %10s %8s %7s %-5s %-*s %s", q, "VISIBLE",
                 "IN FLIGHT", "DELAYED", "OLDEST", "FIFO", dlqw, "DLQ", "DEPTH");
        free(q);
    }
    ck_assert_str_eq(got, header);
    free(got);

    want = expect_row(namew, dlqw, "orders-dlq", "7", "0", "0", "20m00s", false, "", seven, 1);
    row_is(&w, 2, want);
    free(want);
    want = expect_row(namew, dlqw, "orders-intake", "1234", "12", "0", "10m00s", false,
                      "orders-dlq", intake_history, 3);
    row_is(&w, 3, want);
    free(want);
    want = expect_row(namew, dlqw, "payments.fifo", "0", "0", "0", "?", true, "", zero, 1);
    row_is(&w, 4, want);
    free(want);
    want = expect_row(namew, dlqw, LONG_NAME, "9", "0", "0", "?", false, "orders-dlq", nine, 1);
    row_is(&w, 5, want);
    free(want);
    want = expect_row(namew, dlqw, CJK, "3", "1", "2", "30s", false, "", three, 1);
    row_is(&w, 6, want);
    free(want);
    row_is(&w, 7, "");
    world_done(&w);
}

START_TEST(rows_80x24)
{
    /* 80 columns: the spare five split 3:1 between QUEUE (16) and DLQ (8), DLQ taking the
     * rounding: the long name is cut, "orders-dlq" just fits. */
    /* 79 columns of minimums: the one spare, a share that rounds to nothing for both flex
     * columns, goes to the last one with room, DLQ */
    rows_at(80, 24, 16, 8 + 1);
}
END_TEST

START_TEST(rows_200x60)
{
    /* 200 columns: each flex column only as wide as its widest cell, the rest blank. */
    rows_at(200, 60, (int)strlen(LONG_NAME), (int)strlen("orders-dlq"));
}
END_TEST

START_TEST(oldest_coloured_by_threshold)
{
    struct world w;
    int x, y;
    char *row;

    world_init(&w, 80, 24, true);
    frame(&w);
    key(&w, 'G');  /* the cursor off the rows checked (its selection style would cover) */
    frame(&w);
    y = line_with(&w, "orders-intake");
    row = screen_test_row(w.scr->win, y);
    x = screen_test_col(row, "10m00s");
    ck_assert_int_ge(x, 0);
    ck_assert_int_eq(screen_test_attr(w.scr->win, y, x), view_attr(&w.ctx, THEME_WARN));
    ck_assert_int_ne(view_attr(&w.ctx, THEME_WARN), view_attr(&w.ctx, THEME_CRITICAL));
    free(row);
    y = line_with(&w, "orders-dlq ");
    row = screen_test_row(w.scr->win, y);
    x = screen_test_col(row, "20m00s");
    ck_assert_int_eq(screen_test_attr(w.scr->win, y, x), view_attr(&w.ctx, THEME_CRITICAL));
    free(row);
    world_done(&w);
}
END_TEST

/* OLDEST is CloudWatch's, minutes late: the age as of its data point, "?" without one, a
 * late point marked and dimmed, and an empty queue never drawn as holding old messages. */
static void put_aged(struct world *w, const char *name, int64_t visible, double age,
                     int64_t point_ago_s)
{
    struct store_res *r;

    put_queue(w->store, name, visible, 0, 0, 0, NULL, age);
    r = store_update_begin(w->store, "queue", name[0] == 'h' ? URL("hot") : name[0] == 'l'
                           ? URL("late") : URL("drained"));
    store_set_int(r, "age_oldest_at", fake_now / 1000 - point_ago_s);
    store_update_commit(r);
}

START_TEST(oldest_as_of_its_point)
{
    struct world w;
    int x, y;
    char *row;

    world_init(&w, 120, 40, true);
    put_aged(&w, "hot", 5, 3000, 90);        /* a fresh point: critical */
    put_aged(&w, "late", 5, 3000, 20 * 60);  /* no point for 20 minutes */
    put_aged(&w, "drained", 0, 3000, 90);    /* fresh, but nothing is visible now */
    w.ctx.utc = true;
    frame(&w);
    key(&w, 'g');  /* the cursor on the first row, away from the rows checked */
    frame(&w);

    y = line_with(&w, "hot ");
    row = screen_test_row(w.scr->win, y);
    x = screen_test_col(row, "50m00s");
    ck_assert_msg(x >= 0 && !strstr(row, "50m00s?"), "'%s'", row);
    ck_assert_int_eq(screen_test_attr(w.scr->win, y, x), view_attr(&w.ctx, THEME_CRITICAL));
    free(row);

    y = line_with(&w, "late ");
    row = screen_test_row(w.scr->win, y);
    x = screen_test_col(row, "50m00s?");
    ck_assert_msg(x >= 0, "a late point is marked: '%s'", row);
    ck_assert_int_eq(screen_test_attr(w.scr->win, y, x), view_attr(&w.ctx, THEME_DIM));
    ck_assert_int_ne(view_attr(&w.ctx, THEME_DIM), view_attr(&w.ctx, THEME_CRITICAL));
    free(row);

    y = line_with(&w, "drained ");
    row = screen_test_row(w.scr->win, y);
    x = screen_test_col(row, "50m00s");
    ck_assert_int_ge(x, 0);
    ck_assert_int_ne(screen_test_attr(w.scr->win, y, x), view_attr(&w.ctx, THEME_CRITICAL));
    ck_assert_int_ne(screen_test_attr(w.scr->win, y, x), view_attr(&w.ctx, THEME_WARN));
    free(row);

    /* no point at all: "?", dim */
    y = line_with(&w, "payments.fifo");
    row = screen_test_row(w.scr->win, y);
    x = screen_test_col(row, "?");
    ck_assert_int_ge(x, 0);
    ck_assert_int_eq(screen_test_attr(w.scr->win, y, x), view_attr(&w.ctx, THEME_DIM));
    free(row);

    /* the pane says as of when (the seed's polls moved the clock 30 s past 16:00:00 UTC) */
    ck_assert_int_eq(fake_now, 1764000030000);
    ck_assert(sqs_view.select(w.priv, &w.ctx, URL("hot")));
    key(&w, '\n');
    frame(&w);
    y = line_with(&w, "Oldest");
    row = screen_test_row(w.scr->win, y);
    ck_assert_msg(strstr(row, "50m00s as of 15:59:00 UTC (1m ago)") != NULL, "'%s'", row);
    free(row);
    key(&w, 27);
    ck_assert(sqs_view.select(w.priv, &w.ctx, URL("late")));
    key(&w, '\n');
    frame(&w);
    y = line_with(&w, "Oldest");
    row = screen_test_row(w.scr->win, y);
    ck_assert_msg(strstr(row, "50m00s as of 15:40:30 UTC (20m ago: no newer point)") != NULL,
                  "'%s'", row);
    free(row);
    key(&w, 27);
    ck_assert(sqs_view.select(w.priv, &w.ctx, URL("payments.fifo")));
    key(&w, '\n');
    frame(&w);
    y = line_with(&w, "Oldest");
    row = screen_test_row(w.scr->win, y);
    ck_assert_msg(strstr(row, "no data point in CloudWatch's last 15 minutes") != NULL, "'%s'",
                  row);
    free(row);
    world_done(&w);
}
END_TEST

START_TEST(filter_and_sort)
{
    struct world w;
    char *row;

    world_init(&w, 80, 24, false);
    w.ctx.filter = "ORDERS";
    ck_assert_int_eq(frame(&w) & VIEW_REDRAW, VIEW_REDRAW);
    row_is(&w, 0, "SQS queues  2 shown of 4  /ORDERS  sorted by QUEUE ascending  DEPTH 0-1234");
    ck_assert_int_eq(screen_test_find(w.scr->win, "payments"), -1);
    w.ctx.filter = "!orders";
    frame(&w);
    row_is(&w, 0, "SQS queues  2 shown of 4  /!orders  sorted by QUEUE ascending  DEPTH 0-1234");
    ck_assert_int_eq(screen_test_find(w.scr->win, "orders-intake"), -1);
    w.ctx.filter = "zzz";
    frame(&w);
    row_is(&w, 2, " no match for /zzz");
    w.ctx.filter = "";
    frame(&w);
    ck_assert_int_eq(key(&w, 's') & VIEW_HANDLED, VIEW_HANDLED);
    frame(&w);
    row_is(&w, 0, "SQS queues  4 shown of 4  sorted by VISIBLE descending  DEPTH 0-1234");
    row = screen_test_row(w.scr->win, 2);
    ck_assert_msg(strncmp(row, "orders-intake", 13) == 0, "first row '%s'", row);
    free(row);
    row = screen_test_row(w.scr->win, 5);
    ck_assert_msg(strncmp(row, "payments.fifo", 13) == 0, "last row '%s'", row);
    free(row);
    key(&w, 'S');
    frame(&w);
    row_is(&w, 0, "SQS queues  4 shown of 4  sorted by VISIBLE ascending  DEPTH 0-1234");
    row = screen_test_row(w.scr->win, 2);
    ck_assert_msg(strncmp(row, "payments.fifo", 13) == 0, "first row '%s'", row);
    free(row);
    /* OLDEST: the FIFO queue without CloudWatch data stays last in both orders. */
    key(&w, 's');
    key(&w, 's');
    key(&w, 's');
    frame(&w);
    row_is(&w, 0, "SQS queues  4 shown of 4  sorted by OLDEST descending  DEPTH 0-1234");
    row = screen_test_row(w.scr->win, 5);
    ck_assert_msg(strncmp(row, "payments.fifo", 13) == 0, "last row '%s'", row);
    free(row);
    key(&w, 'S');
    frame(&w);
    row = screen_test_row(w.scr->win, 5);
    ck_assert_msg(strncmp(row, "payments.fifo", 13) == 0, "last row '%s'", row);
    free(row);
    row = screen_test_row(w.scr->win, 2);
    ck_assert_msg(strncmp(row, CJK, strlen(CJK)) == 0, "first row '%s'", row);
    free(row);
    /* Shift+letter: the column of that letter, again the other way; DLQ is L (D is
     * DELAYED); lower case is not a sort key */
    ck_assert_int_eq(key(&w, 'L'), VIEW_HANDLED | VIEW_REDRAW);
    frame(&w);
    row_is(&w, 0, "SQS queues  4 shown of 4  sorted by DLQ ascending  DEPTH 0-1234");
    key(&w, 'D');
    frame(&w);
    row_is(&w, 0, "SQS queues  4 shown of 4  sorted by DELAYED descending  DEPTH 0-1234");
    key(&w, 'D');
    frame(&w);
    row_is(&w, 0, "SQS queues  4 shown of 4  sorted by DELAYED ascending  DEPTH 0-1234");
    key(&w, 'Q');
    frame(&w);
    row_is(&w, 0, "SQS queues  4 shown of 4  sorted by QUEUE ascending  DEPTH 0-1234");
    row = screen_test_row(w.scr->win, 1);
    ck_assert_msg(strncmp(row, "QUEUE▴", strlen("QUEUE▴")) == 0, "header '%s'", row);
    free(row);
    world_done(&w);
}
END_TEST

static void add_tags(struct world *w, const char *url, const char *tags)
{
    struct store_res *r = store_update_begin(w->store, "queue", url);

    store_set_str(r, "tags", tags);
    store_update_commit(r);
}

START_TEST(detail_pane)
{
    struct world w;
    int y;
    char *row;

    world_init(&w, 200, 60, false);
    frame(&w);
    ck_assert(sqs_view.select(w.priv, &w.ctx, URL("orders-intake")));
    ck_assert(!sqs_view.select(w.priv, &w.ctx, URL("no-such-queue")));
    ck_assert_ptr_null(sqs_view.detail(w.priv));
    ck_assert_int_eq(key(&w, '\n'), VIEW_HANDLED | VIEW_REDRAW | VIEW_DETAIL);
    ck_assert_str_eq(sqs_view.detail(w.priv), URL("orders-intake"));
    frame(&w);
    row_is(&w, 0, "Queue orders-intake");
    y = line_with(&w, "URL");
    row = screen_test_row(w.scr->win, y);
    ck_assert_msg(strstr(row, URL("orders-intake")) != NULL, "'%s'", row);
    free(row);
    line_with(&w, ARN("orders-intake"));
    /* Attributes by name, numbers as they are, timestamps as UTC dates. */
    {
        int a = line_with(&w, "ApproximateNumberOfMessages ");
        int b = line_with(&w, "ApproximateNumberOfMessagesNotVisible");
        int c = line_with(&w, "CreatedTimestamp");
        int d = line_with(&w, "VisibilityTimeout");

        ck_assert(a < b && b < c && c < d);
        row = screen_test_row(w.scr->win, a);
        ck_assert_msg(strstr(row, " 1234") != NULL, "'%s'", row);
        free(row);
        row = screen_test_row(w.scr->win, c);
        ck_assert_msg(strstr(row, "2023-11-14 22:13:20 UTC") != NULL, "'%s'", row);
        free(row);
        /* moto's fractional seconds are a date too; a "Timestamp" that is no number is
         * shown as it came. */
        row = screen_test_row(w.scr->win, line_with(&w, "LastModifiedTimestamp"));
        ck_assert_msg(strstr(row, "2023-11-14 22:14:21 UTC") != NULL, "'%s'", row);
        free(row);
        row = screen_test_row(w.scr->win, line_with(&w, "DelaySecondsTimestamp"));
        ck_assert_msg(strstr(row, " soon") != NULL, "'%s'", row);
        free(row);
    }
    /* Settings in units (the raw numbers stay in the snapshot JSON); a value that is not a
     * whole number is shown as it came. */
    {
        static const char *const want[][2] = {
            { "VisibilityTimeout ", "  30s" }, { "MessageRetentionPeriod", "  4d" },
            { "MaximumMessageSize", "  1 MiB" }, { "ReceiveMessageWaitTimeSeconds", "  0s" },
            { "DelaySeconds ", "  -5" },
        };

        for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
            row = screen_test_row(w.scr->win, line_with(&w, want[i][0]));
            ck_assert_msg(strlen(row) > strlen(want[i][1]) &&
                          strcmp(row + strlen(row) - strlen(want[i][1]), want[i][1]) == 0,
                          "%s: '%s'", want[i][0], row);
            free(row);
        }
    }
    y = line_with(&w, "Redrive policy");
    row = screen_test_row(w.scr->win, y + 1);
    ck_assert_msg(strncmp(row, "  DLQ ", 6) == 0 && strstr(row, "orders-dlq"), "'%s'", row);
    free(row);
    y = line_with(&w, "maxReceiveCount");
    row = screen_test_row(w.scr->win, y);
    ck_assert_msg(strstr(row, " 5") != NULL, "'%s'", row);
    free(row);
    row_is(&w, line_with(&w, "Redrive allow policy"),
           "Redrive allow policy  none (any queue may use this one as its DLQ)");
    row_is(&w, line_with(&w, "Tags"), "Tags  loading…");
    /* What an engineer looks for first comes first; every attribute after. */
    ck_assert_int_lt(line_with(&w, "Tags"), line_with(&w, "Redrive policy"));
    ck_assert_int_lt(line_with(&w, "Redrive allow policy"), line_with(&w, "Attributes"));

    /* The poller brings the tags. */
    add_tags(&w, URL("orders-intake"), "{\"team\":\"core\",\"env\":\"prod\"}");
    frame(&w);
    y = line_with(&w, "Tags");
    row = screen_test_row(w.scr->win, y + 1);
    ck_assert_msg(strstr(row, "env") && strstr(row, "prod"), "'%s'", row);
    free(row);
    row = screen_test_row(w.scr->win, y + 2);
    ck_assert_msg(strstr(row, "team") && strstr(row, "core"), "'%s'", row);
    free(row);

    /* Esc closes the pane; at the table Esc and q are the framework's. */
    ck_assert_int_eq(key(&w, 27), VIEW_HANDLED | VIEW_REDRAW | VIEW_DETAIL);
    ck_assert_ptr_null(sqs_view.detail(w.priv));
    frame(&w);
    line_with(&w, "SQS queues");
    ck_assert_int_eq(key(&w, 27), VIEW_UNHANDLED);
    ck_assert_int_eq(key(&w, 'q'), VIEW_UNHANDLED);
    /* The cursor is still on the queue opened. */
    key(&w, '\r');
    ck_assert_str_eq(sqs_view.detail(w.priv), URL("orders-intake"));
    ck_assert_int_eq(key(&w, 'q'), VIEW_HANDLED | VIEW_REDRAW | VIEW_DETAIL);
    world_done(&w);
}
END_TEST

/* Timestamps in local time by default, in UTC after `:utc` (ctx->utc). */
START_TEST(detail_times_local_or_utc)
{
    struct world w;
    char *row;

    setenv("TZ", "Europe/Paris", 1);
    tzset();
    world_init(&w, 120, 40, false);
    frame(&w);
    ck_assert(sqs_view.select(w.priv, &w.ctx, URL("orders-intake")));
    key(&w, '\n');
    frame(&w);
    row = screen_test_row(w.scr->win, line_with(&w, "CreatedTimestamp"));
    ck_assert_msg(strstr(row, "  2023-11-14 23:13:20 CET") != NULL, "local: '%s'", row);
    free(row);
    w.ctx.utc = true;
    frame(&w);
    row = screen_test_row(w.scr->win, line_with(&w, "CreatedTimestamp"));
    ck_assert_msg(strstr(row, "  2023-11-14 22:13:20 UTC") != NULL, "utc: '%s'", row);
    free(row);
    world_done(&w);
    setenv("TZ", "UTC", 1);
    tzset();
}
END_TEST

START_TEST(detail_redrive_allow_and_empty_tags)
{
    struct world w;
    int y;
    char *row;

    world_init(&w, 200, 60, false);
    frame(&w);
    ck_assert(sqs_view.select(w.priv, &w.ctx, URL("orders-dlq")));
    key(&w, VIEW_KEY(KEY_ENTER));
    add_tags(&w, URL("orders-dlq"), "{}");
    frame(&w);
    y = line_with(&w, "Redrive allow policy");
    row = screen_test_row(w.scr->win, y + 1);
    ck_assert_msg(strstr(row, "permission") && strstr(row, "byQueue"), "'%s'", row);
    free(row);
    row = screen_test_row(w.scr->win, y + 2);
    ck_assert_msg(strstr(row, "source") && strstr(row, ARN("orders-intake")), "'%s'", row);
    free(row);
    row_is(&w, line_with(&w, "Redrive policy"), "Redrive policy  none (no dead-letter queue)");
    row_is(&w, line_with(&w, "Tags"), "Tags  none");
    world_done(&w);
}
END_TEST

START_TEST(hostile_tags_escaped)
{
    struct world w;
    int y;
    char *row;

    world_init(&w, 200, 60, true);
    frame(&w);
    ck_assert(sqs_view.select(w.priv, &w.ctx, URL("orders-intake")));
    key(&w, '\n');
    add_tags(&w, URL("orders-intake"),
             "{\"evil\":\"a\\u001b[2Jb\\u001b]52;c;ZXZpbA==\\u0007c\\u202ed\","
             "\"k\\u001b[31m\":\"v\"}");
    frame(&w);
    for (y = 0; y < 60; y++) {
        row = screen_test_row(w.scr->win, y);
        ck_assert_msg(!strchr(row, 0x1b) && !strchr(row, 0x07), "raw control on row %d", y);
        ck_assert_msg(!strstr(row, "\xe2\x80\xae"), "raw U+202E on row %d", y);
        free(row);
    }
    y = line_with(&w, "evil");
    row = screen_test_row(w.scr->win, y);
    ck_assert_msg(strstr(row, "a\\x1B[2Jb\\x1B]52;c;ZXZpbA==\\x07c\\u{202E}d") != NULL,
                  "'%s'", row);
    free(row);
    line_with(&w, "k\\x1B[31m");
    world_done(&w);
}
END_TEST

START_TEST(detail_scrolls_at_80x24)
{
    struct world w;
    char *row;

    world_init(&w, 80, 24, false);
    frame(&w);
    ck_assert(sqs_view.select(w.priv, &w.ctx, URL("orders-intake")));
    key(&w, '\n');
    add_tags(&w, URL("orders-intake"),
             "{\"t00\":\"v\",\"t01\":\"v\",\"t02\":\"v\",\"t03\":\"v\",\"t04\":\"v\","
             "\"t05\":\"v\",\"t06\":\"v\",\"t07\":\"v\",\"t08\":\"v\",\"t09\":\"last\"}");
    frame(&w);
    row_is(&w, 0, "Queue orders-intake");
    line_with(&w, "t09");  /* the tags come first, on the first screen */
    ck_assert_int_eq(screen_test_find(w.scr->win, "VisibilityTimeout"), -1);  /* below */
    ck_assert_int_eq(key(&w, 'G'), VIEW_HANDLED | VIEW_REDRAW);
    frame(&w);
    row = screen_test_row(w.scr->win, 23);
    ck_assert_msg(strncmp(row, "  VisibilityTimeout ", 20) == 0 && strstr(row, " 30"),
                  "last line '%s'", row);
    free(row);
    key(&w, 'g');
    frame(&w);
    row_is(&w, 0, "Queue orders-intake");
    key(&w, 'j');
    frame(&w);
    line_with(&w, "  Name");
    row = screen_test_row(w.scr->win, 0);
    ck_assert_msg(strncmp(row, "  Name", 6) == 0, "'%s'", row);
    free(row);
    key(&w, 'k');
    key(&w, 'k');  /* not above the top */
    frame(&w);
    row_is(&w, 0, "Queue orders-intake");
    key(&w, VIEW_KEY(KEY_NPAGE));
    frame(&w);
    ck_assert_int_eq(screen_test_find(w.scr->win, "Queue orders-intake"), -1);
    key(&w, VIEW_KEY(KEY_PPAGE));
    frame(&w);
    row_is(&w, 0, "Queue orders-intake");
    world_done(&w);
}
END_TEST

START_TEST(long_values_wrap_at_80)
{
    struct world w;
    int y, valcol, pieces = 1;
    char *row, *next, joined[512];
    const char *desc = "Orders accepted by the storefront, before payment; consumers: "
                       "fulfilment-service, fraud-scoring, analytics (owner: team-orders)";

    world_init(&w, 80, 24, false);
    frame(&w);
    ck_assert(sqs_view.select(w.priv, &w.ctx, URL("orders-intake")));
    key(&w, '\n');
    snprintf(joined, sizeof joined, "{\"description\":\"%s\",\"team\":\"orders\"}", desc);
    add_tags(&w, URL("orders-intake"), joined);
    frame(&w);
    y = line_with(&w, "description");
    row = screen_test_row(w.scr->win, y);
    valcol = screen_test_col(row, "Orders accepted");
    ck_assert_int_gt(valcol, 0);
    ck_assert_ptr_null(strstr(row, "…"));
    ck_assert_int_le(textwidth(row), 80);
    snprintf(joined, sizeof joined, "%s", row + valcol);
    free(row);
    /* Continuations start in the value column with nothing under the label, and the
     * lines read together are the whole value. */
    for (;;) {
        next = screen_test_row(w.scr->win, y + pieces);
        if ((int)strspn(next, " ") != valcol || (int)strlen(next) <= valcol) {
            ck_assert_msg(strncmp(next, "  team ", 7) == 0, "after the value: '%s'", next);
            free(next);
            break;
        }
        ck_assert_ptr_null(strstr(next, "…"));
        strncat(joined, next + valcol, sizeof joined - strlen(joined) - 1);
        free(next);
        pieces++;
    }
    ck_assert_int_ge(pieces, 2);
    ck_assert_str_eq(joined, desc);
    /* One label column for the whole pane: the widest label is an attribute name. */
    ck_assert_int_eq(valcol, 2 + (int)strlen("ApproximateNumberOfMessagesNotVisible") + 2);
    world_done(&w);
}
END_TEST

START_TEST(typeahead_enter_after_filter)
{
    struct world w;

    world_init(&w, 80, 24, false);
    frame(&w);
    /* `/payments<Enter>` then Enter, read before the framework's next update. */
    w.ctx.filter = "payments";
    ck_assert_int_eq(key(&w, '\n') & VIEW_DETAIL, VIEW_DETAIL);
    ck_assert_str_eq(sqs_view.detail(w.priv), URL("payments.fifo"));
    world_done(&w);
}
END_TEST

START_TEST(queue_deleted_while_open)
{
    struct world w;
    int bits;

    world_init(&w, 80, 24, false);
    frame(&w);
    ck_assert(sqs_view.select(w.priv, &w.ctx, URL("payments.fifo")));
    key(&w, '\n');
    frame(&w);
    /* The next list no longer has it. */
    store_list_begin(w.store, "queue");
    put_queue(w.store, "orders-dlq", 7, 0, 0, 0, NULL, 1200);
    put_queue(w.store, "orders-intake", 1234, 12, 0, 0, "orders-dlq", 600);
    store_list_end(w.store, "queue");
    bits = frame(&w);
    ck_assert_int_eq(bits & VIEW_DETAIL, VIEW_DETAIL);
    ck_assert_ptr_null(sqs_view.detail(w.priv));  /* the poller stops asking for it */
    row_is(&w, 0, "Queue payments.fifo");
    line_with(&w, "queue deleted");
    ck_assert_int_eq(key(&w, 'j'), VIEW_HANDLED | VIEW_REDRAW);
    ck_assert_int_eq(key(&w, 27), VIEW_HANDLED | VIEW_REDRAW | VIEW_DETAIL);
    frame(&w);
    row_is(&w, 0, "SQS queues  2 shown of 2  sorted by QUEUE ascending  DEPTH 0-1234");
    world_done(&w);
}
END_TEST

START_TEST(stale_rows_monochrome)
{
    struct world w;
    struct aws_error err;
    int y;

    world_init(&w, 80, 24, false);
    frame(&w);
    aws_error_clear(&err);
    aws_error_set(&err, AWS_ERR_NETWORK, "connection refused");
    store_fail(w.store, "queue", URL("payments.fifo"), &err);
    frame(&w);
    y = line_with(&w, "payments.fifo");
    ck_assert(screen_test_attr(w.scr->win, y, 0) & A_DIM);
    ck_assert(!(screen_test_attr(w.scr->win, y - 1, 0) & A_DIM));
    line_with(&w, "0");  /* the last good numbers stay */
    store_list_fail(w.store, "queue", &err);
    frame(&w);
    row_is(&w, 0, "SQS queues  4 shown of 4  sorted by QUEUE ascending  (stale)  DEPTH 0-1234");
    y = line_with(&w, "orders-intake");
    ck_assert(screen_test_attr(w.scr->win, y, 0) & A_DIM);
    world_done(&w);
}
END_TEST

START_TEST(cursor_follows_queue_across_polls)
{
    struct world w;

    world_init(&w, 80, 24, false);
    frame(&w);
    key(&w, 'j');
    ck_assert_int_eq(key(&w, '\n') & VIEW_DETAIL, VIEW_DETAIL);
    ck_assert_str_eq(sqs_view.detail(w.priv), URL("orders-intake"));
    key(&w, 27);
    /* Queues appear before it in the order. */
    store_list_begin(w.store, "queue");
    put_queue(w.store, "a-first", 1, 0, 0, 0, NULL, NAN);
    put_queue(w.store, "b-second", 1, 0, 0, 0, NULL, NAN);
    put_queue(w.store, "orders-dlq", 7, 0, 0, 0, NULL, 1200);
    put_queue(w.store, "orders-intake", 1234, 12, 0, 0, "orders-dlq", 600);
    store_list_end(w.store, "queue");
    frame(&w);
    row_is(&w, 0, "SQS queues  4 shown of 4  sorted by QUEUE ascending  DEPTH 0-1234");
    key(&w, '\n');
    ck_assert_str_eq(sqs_view.detail(w.priv), URL("orders-intake"));
    world_done(&w);
}
END_TEST

/* Every queue polled again with the values it has. */
static void poll_quiet(struct store *s)
{
    fake_now += 10000;
    store_list_begin(s, "queue");
    put_queue(s, "orders-intake", 1234, 12, 0, 0, "orders-dlq", 600);
    put_queue(s, "orders-dlq", 7, 0, 0, 0, NULL, 1200);
    put_queue(s, "payments.fifo", 0, 0, 0, 1, NULL, NAN);
    put_queue(s, CJK, 3, 1, 2, 0, NULL, 30);
    store_list_end(s, "queue");
}

static void spark_ends_row(struct world *w, const char *name, const double *hist, size_t n)
{
    char *spark = glyph_sparkline_scaled(&glyphs_utf8, hist, n, 10, 0, 1234);
    char *row = screen_test_row(w->scr->win, line_with(w, name));
    size_t rl = strlen(row), sl = strlen(spark);

    ck_assert_msg(rl >= sl && strcmp(row + rl - sl, spark) == 0,
                  "%s: want the DEPTH sparkline of %zu points '%s' in\n'%s'", name, n, spark,
                  row);
    free(spark);
    free(row);
}

/* A poll that finds the same numbers changes no value, so the kind's generation stays, but
 * each queue's depth history gains a point: the sparkline must advance that cycle, not stand
 * still until something somewhere changes. */
START_TEST(sparkline_advances_on_quiet_poll)
{
    const double h4[] = { 1000, 1100, 1234, 1234 }, h5[] = { 1000, 1100, 1234, 1234, 1234 };
    struct store_kind_info before, after;
    struct world w;

    world_init(&w, 120, 24, false);
    poll_quiet(w.store);   /* the first one changes orders-dlq's attributes */
    ck_assert_int_eq(frame(&w) & VIEW_REDRAW, VIEW_REDRAW);
    spark_ends_row(&w, "orders-intake", h4, 4);

    store_kind_info(w.store, "queue", &before);
    poll_quiet(w.store);
    store_kind_info(w.store, "queue", &after);
    /* the case this test is about: nothing changed but the time of the list */
    ck_assert_uint_eq(after.generation, before.generation);
    ck_assert_int_gt(after.fetched, before.fetched);
    ck_assert_int_eq(frame(&w) & VIEW_REDRAW, VIEW_REDRAW);
    spark_ends_row(&w, "orders-intake", h5, 5);
    /* and with no poll in between, nothing to rebuild */
    ck_assert_int_eq(frame(&w) & VIEW_REDRAW, 0);
    world_done(&w);
}
END_TEST

START_TEST(unknown_numbers_and_keys_listed)
{
    struct world w;
    struct store_res *r;
    int y;
    char *row;
    bool enter = false, sort = false, esc = false, letters = false;

    world_init(&w, 80, 24, false);
    r = store_update_begin(w.store, "queue", URL("bare"));  /* listed, attributes pending */
    store_update_commit(r);
    frame(&w);
    y = line_with(&w, "bare");
    row = screen_test_row(w.scr->win, y);
    ck_assert_msg(strncmp(row, "bare ", 5) == 0 && strstr(row, "-          -        -       ?"),
                  "'%s'", row);
    free(row);
    for (const struct view_keyhelp *k = sqs_view.keys; k->keys; k++) {
        enter |= strcmp(k->keys, "Enter") == 0;
        sort |= strcmp(k->keys, "s/S") == 0;
        letters |= strcmp(k->keys, "Q V I D O F L") == 0 && strstr(k->what, "DLQ");
        esc |= strstr(k->keys, "Esc") != NULL;
    }
    ck_assert(enter && sort && esc && letters);
    /* The ASCII glyph table (--ascii, or a non-UTF-8 locale) redraws marks and sparklines
     * with it, even when no poll changed the store. */
    w.ctx.glyphs = &glyphs_ascii;
    frame(&w);
    y = line_with(&w, "payments.fifo");
    row = screen_test_row(w.scr->win, y);
    ck_assert_msg(strstr(row, "     ? +    ") != NULL, "'%s'", row);
    for (const char *c = row; *c; c++)
        ck_assert_msg((unsigned char)*c < 0x80, "non-ASCII in '%s'", row);
    free(row);
    ck_assert_str_eq(sqs_view.name, "sqs");
    world_done(&w);
}
END_TEST

/* y copies the URL of the queue under the cursor (or whose pane is open); :cli gives the
 * aws CLI command that reads the same queue, its words quoted for a shell and sanitised. */
static void put_mapping(struct store *s, const char *uuid, const char *fn, const char *queue,
                        const char *aws_state, const char *reason)
{
    char arn[256];
    struct store_res *r = store_update_begin(s, "mapping", uuid);

    snprintf(arn, sizeof arn, ARN("%s"), queue);
    store_set_str(r, "function", fn);
    store_set_str(r, "queue", queue);
    store_set_str(r, "queue_arn", arn);
    store_set_str(r, "aws_state", aws_state);
    store_set_str(r, "state_reason", reason);
    store_set_int(r, "last_modified", fake_now / 1000 - 300);
    store_update_commit(r);
}

/* A queue whose every Lambda trigger is paused carries the mark at 80 columns, after its
 * name however long (the name gives way), the title says what the mark means, the pane
 * lists the triggers, and c opens the paused one in the toggles view. A queue with one
 * trigger still on is not marked; one with none neither. */
START_TEST(consumer_paused_mark_and_jump)
{
    struct world w;
    char *row;
    int y;

    world_init(&w, 80, 24, false);
    put_queue(w.store, LONG_NAME, 9, 0, 0, 0, "orders-dlq", NAN);
    store_list_begin(w.store, "mapping");
    put_mapping(w.store, "u-1", "orders-worker", "orders-intake", "Disabled", "USER_INITIATED");
    put_mapping(w.store, "u-2", "legacy-worker", LONG_NAME, "Disabling", "USER_INITIATED");
    put_mapping(w.store, "u-3", "fraud-check", "payments.fifo", "Disabled", "USER_INITIATED");
    put_mapping(w.store, "u-4", "payments-worker", "payments.fifo", "Enabled", "User action");
    store_list_end(w.store, "mapping");
    frame(&w);
    /* at 80 columns the legend is short, so the DEPTH scale keeps its place */
    row_is(&w, 0, "SQS queues  5 shown of 5  ⏸ 2 paused  sorted by QUEUE ascending  DEPTH 0-1234");
    row = screen_test_row(w.scr->win, line_with(&w, "orders-intake"));
    ck_assert_msg(strncmp(row, "orders-intake ⏸ ", strlen("orders-intake ⏸ ")) == 0, "'%s'", row);
    ck_assert_msg(strstr(row, " 1234 ") != NULL, "the numbers stay in their columns: '%s'", row);
    free(row);
    /* the long name is cut before the mark, which stays in the QUEUE column */
    row = screen_test_row(w.scr->win, line_with(&w, "x-a-very-long"));
    ck_assert_msg(strncmp(row, "x-a-very-long… ⏸ ", strlen("x-a-very-long… ⏸ ")) == 0,
                  "'%s'", row);
    free(row);
    row = screen_test_row(w.scr->win, line_with(&w, "payments.fifo"));
    ck_assert_msg(strstr(row, "⏸") == NULL, "one trigger still on: no mark: '%s'", row);
    free(row);
    row = screen_test_row(w.scr->win, line_with(&w, "orders-dlq"));
    ck_assert_msg(strstr(row, "⏸") == NULL, "no trigger: no mark: '%s'", row);
    free(row);
    /* the mark is not text: /⏸ finds no queue, the name filter is as before */
    w.ctx.filter = "⏸";
    frame(&w);
    line_with(&w, "no match for /⏸");
    w.ctx.filter = "orders-intake";
    frame(&w);
    ck_assert_int_eq(line_with(&w, "orders-intake ⏸"), 2);
    ck_assert_int_eq(screen_test_find(w.scr->win, "payments"), -1);
    w.ctx.filter = "";
    frame(&w);

    /* c: the paused trigger, in the toggles view */
    ck_assert(sqs_view.select(w.priv, &w.ctx, URL("orders-intake")));
    ck_assert_int_eq(key(&w, 'c'), VIEW_HANDLED | VIEW_JUMP);
    ck_assert_str_eq(w.ctx.jump_view, "toggles");
    ck_assert_str_eq(w.ctx.jump_key, "mapping:u-1");
    ck_assert(sqs_view.select(w.priv, &w.ctx, URL("payments.fifo")));
    ck_assert_int_eq(key(&w, 'c'), VIEW_HANDLED | VIEW_JUMP);
    ck_assert_str_eq(w.ctx.jump_key, "mapping:u-3");
    /* no trigger reads it: said, and the view stays (no jump to other queues' triggers) */
    ck_assert(sqs_view.select(w.priv, &w.ctx, URL("orders-dlq")));
    w.ctx.jump_view[0] = '\0';
    ck_assert_int_eq(key(&w, 'c'), VIEW_HANDLED | VIEW_MESSAGE);
    ck_assert_str_eq(w.ctx.message, "no Lambda trigger reads orders-dlq");
    ck_assert_str_eq(w.ctx.jump_view, "");

    /* the pane: each trigger, its state, since when and why; c from there too */
    ck_assert(sqs_view.select(w.priv, &w.ctx, URL("payments.fifo")));
    key(&w, '\n');
    frame(&w);
    y = line_with(&w, "Consumers (Lambda triggers)");
    row = screen_test_row(w.scr->win, line_with(&w, "fraud-check"));
    ck_assert_msg(strstr(row, "  PAUSED Disabled, changed 5m00s ago, rea"), "'%s'", row);
    free(row);
    row = screen_test_row(w.scr->win, line_with(&w, "fraud-check") + 1);
    ck_assert_msg(strstr(row, "son: USER_INITIATED"), "the value wraps at 80: '%s'", row);
    free(row);
    row = screen_test_row(w.scr->win, line_with(&w, "payments-worker"));
    ck_assert_msg(strstr(row, "  Enabled, changed 5m00s ago") && !strstr(row, "PAUSED"), "'%s'",
                  row);
    free(row);
    ck_assert_int_gt(line_with(&w, "fraud-check"), y);
    ck_assert_int_eq(key(&w, 'c'), VIEW_HANDLED | VIEW_JUMP);
    ck_assert_str_eq(w.ctx.jump_key, "mapping:u-3");
    key(&w, 27);
    ck_assert(sqs_view.select(w.priv, &w.ctx, URL("orders-dlq")));
    key(&w, '\n');
    frame(&w);
    row_is(&w, line_with(&w, "Consumers"),
           "Consumers (Lambda triggers)  none: no trigger reads this queue");
    key(&w, 27);

    /* wider, in words */
    screen_test_free(w.scr);
    w.scr = screen_test_new(120, 40);
    screen_test_ctx(w.scr, &w.ctx, w.store, w.cfg, false);
    frame(&w);
    row_is(&w, 0, "SQS queues  5 shown of 5  ⏸ 2 consumers paused  sorted by QUEUE ascending  "
                  "DEPTH 0-1234");

    /* resumed: the mark and the legend go with the next poll of the triggers */
    store_list_begin(w.store, "mapping");
    put_mapping(w.store, "u-1", "orders-worker", "orders-intake", "Enabled", "USER_INITIATED");
    store_list_end(w.store, "mapping");
    frame(&w);
    row_is(&w, 0, "SQS queues  5 shown of 5  sorted by QUEUE ascending  DEPTH 0-1234");
    ck_assert_int_eq(screen_test_find(w.scr->win, "⏸"), -1);
    world_done(&w);
}
END_TEST

/* Before the triggers were read the pane says so, not "none". */
START_TEST(consumers_not_read_yet)
{
    struct world w;

    world_init(&w, 80, 24, false);
    frame(&w);
    ck_assert(sqs_view.select(w.priv, &w.ctx, URL("orders-intake")));
    key(&w, '\n');
    frame(&w);
    row_is(&w, line_with(&w, "Consumers"), "Consumers (Lambda triggers)  loading…");
    /* c cannot say there is none: it says the triggers are not read yet, and stays */
    key(&w, 27);
    ck_assert_int_eq(key(&w, 'c'), VIEW_HANDLED | VIEW_MESSAGE);
    ck_assert_str_eq(w.ctx.message, "the Lambda triggers are not read yet: c again when they are");
    ck_assert_str_eq(w.ctx.jump_view, "");
    world_done(&w);
}
END_TEST

START_TEST(copy_and_cli)
{
    struct world w;
    char cmd[1024];
    struct store_res *r;

    world_init(&w, 80, 24, false);
    frame(&w);
    ck_assert(sqs_view.cli(w.priv, &w.ctx, cmd, sizeof cmd));
    ck_assert_str_eq(cmd, "aws sqs get-queue-attributes --queue-url " URL("orders-dlq")
                          " --attribute-names All");
    key(&w, 'j');
    ck_assert_int_eq(key(&w, 'y'), VIEW_HANDLED | VIEW_COPY);
    ck_assert_str_eq(w.ctx.copy, URL("orders-intake"));
    ck_assert_str_eq(w.ctx.copy_what, "URL of orders-intake");
    /* in the pane: the pane's queue */
    key(&w, '\n');
    frame(&w);
    memset(w.ctx.copy, 0, sizeof w.ctx.copy);
    ck_assert_int_eq(key(&w, 'y'), VIEW_HANDLED | VIEW_COPY);
    ck_assert_str_eq(w.ctx.copy, URL("orders-intake"));
    key(&w, 27);
    /* a URL no shell should see bare: quoted, its escape made visible, no backslash added
     * by the quoting (what the box shows is what y copies) */
    store_list_begin(w.store, "queue");
    r = store_update_begin(w.store, "queue", "https://q.example/1/it's\x1b[2J");
    store_set_str(r, "name", "aaa-hostile");
    store_update_commit(r);
    store_list_end(w.store, "queue");
    frame(&w);
    key(&w, 'g');
    ck_assert(sqs_view.cli(w.priv, &w.ctx, cmd, sizeof cmd));
    ck_assert_str_eq(cmd, "aws sqs get-queue-attributes --queue-url "
                          "'https://q.example/1/it'\"'\"'s\\x1B[2J' --attribute-names All");
    /* nothing listed: the list itself */
    store_list_begin(w.store, "queue");
    store_list_end(w.store, "queue");
    frame(&w);
    ck_assert(sqs_view.cli(w.priv, &w.ctx, cmd, sizeof cmd));
    ck_assert_str_eq(cmd, "aws sqs list-queues");
    ck_assert_int_eq(key(&w, 'y'), VIEW_HANDLED);
    world_done(&w);
}
END_TEST

/* Before the queue list was read there is no count to show: "not read yet", then "cannot
 * read: why" when the first list failed; once read and empty, the truth: none. */
START_TEST(not_read_yet_then_cannot_read)
{
    struct world w;
    struct store *empty = store_new();
    void *priv = calloc(1, sqs_view.private_size);
    struct aws_error err;
    char *row;

    world_init(&w, 80, 24, false);
    w.ctx.store = empty;
    sqs_view.init(priv, &w.ctx);
    sqs_view.update(priv, &w.ctx);
    werase(w.scr->win);
    sqs_view.draw(priv, &w.ctx, w.scr->win);
    row_is(&w, 0, "SQS queues  not read yet");
    ck_assert_int_eq(screen_test_find(w.scr->win, "shown of"), -1);
    aws_error_clear(&err);
    aws_error_set(&err, AWS_ERR_HTTP, "not authorized to perform sqs:ListQueues");
    snprintf(err.code, sizeof err.code, "AccessDenied");
    err.http_status = 403;
    store_list_fail(empty, "queue", &err);
    sqs_view.update(priv, &w.ctx);
    werase(w.scr->win);
    sqs_view.draw(priv, &w.ctx, w.scr->win);
    row = screen_test_row(w.scr->win, 0);
    ck_assert_msg(strncmp(row, "SQS queues  cannot read: ", 25) == 0 &&
                  strstr(row, "access denied"), "'%s'", row);
    free(row);
    store_list_begin(empty, "queue");
    store_list_end(empty, "queue");
    sqs_view.update(priv, &w.ctx);
    werase(w.scr->win);
    sqs_view.draw(priv, &w.ctx, w.scr->win);
    row_is(&w, 0, "SQS queues  0 shown of 0  sorted by QUEUE ascending");
    row_is(&w, 2, " no queues in this region");
    sqs_view.done(priv);
    free(priv);
    store_free(empty);
    w.ctx.store = w.store;
    world_done(&w);
}
END_TEST

/* Under --ascii (or a non-UTF-8 locale) the view's own words take the ellipsis from the
 * glyph table too: no "…" is sent to a terminal that cannot show it. */
START_TEST(ascii_ellipsis_in_notes)
{
    struct world w;
    struct store *empty = store_new();
    void *priv = calloc(1, sqs_view.private_size);

    world_init(&w, 80, 24, false);
    w.ctx.glyphs = &glyphs_ascii;
    frame(&w);
    ck_assert(sqs_view.select(w.priv, &w.ctx, URL("orders-intake")));
    key(&w, '\r');
    frame(&w);
    row_is(&w, line_with(&w, "Tags"), "Tags  loading~");
    for (int y = 0; y < 24; y++) {
        char *row = screen_test_row(w.scr->win, y);

        for (const char *c = row; *c; c++)
            ck_assert_msg((unsigned char)*c < 0x80, "non-ASCII in '%s'", row);
        free(row);
    }

    /* a region not listed yet */
    ck_assert_ptr_nonnull(priv);
    w.ctx.store = empty;
    sqs_view.init(priv, &w.ctx);
    sqs_view.update(priv, &w.ctx);
    werase(w.scr->win);
    sqs_view.draw(priv, &w.ctx, w.scr->win);
    ck_assert_int_lt(screen_test_find(w.scr->win, "\xe2\x80\xa6"), 0);
    sqs_view.done(priv);
    free(priv);
    w.ctx.store = w.store;
    store_free(empty);
    world_done(&w);
}
END_TEST

static Suite *sqs_suite(void)
{
    Suite *s = suite_create("view_sqs");
    TCase *tc = tcase_create("sqs");

    tcase_add_test(tc, rows_80x24);
    tcase_add_test(tc, rows_200x60);
    tcase_add_test(tc, oldest_coloured_by_threshold);
    tcase_add_test(tc, filter_and_sort);
    tcase_add_test(tc, detail_pane);
    tcase_add_test(tc, detail_times_local_or_utc);
    tcase_add_test(tc, detail_redrive_allow_and_empty_tags);
    tcase_add_test(tc, hostile_tags_escaped);
    tcase_add_test(tc, detail_scrolls_at_80x24);
    tcase_add_test(tc, long_values_wrap_at_80);
    tcase_add_test(tc, typeahead_enter_after_filter);
    tcase_add_test(tc, queue_deleted_while_open);
    tcase_add_test(tc, stale_rows_monochrome);
    tcase_add_test(tc, cursor_follows_queue_across_polls);
    tcase_add_test(tc, unknown_numbers_and_keys_listed);
    tcase_add_test(tc, oldest_as_of_its_point);
    tcase_add_test(tc, ascii_ellipsis_in_notes);
    tcase_add_test(tc, copy_and_cli);
    tcase_add_test(tc, consumer_paused_mark_and_jump);
    tcase_add_test(tc, consumers_not_read_yet);
    tcase_add_test(tc, not_read_yet_then_cannot_read);
    tcase_add_test(tc, sparkline_advances_on_quiet_poll);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    return check_tap_run(sqs_suite());
}
