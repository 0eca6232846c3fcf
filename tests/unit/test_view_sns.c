/* test_view_sns.c - the sns view drawn headless from a hand-filled store: topics with a
 * failing delivery first, the problem column and `p`, unknown numbers as "-" (never 0), the
 * topic's pane (subscriptions with their queue's and DLQ's depths, filter policy
 * pretty-printed, what turns logging on), jumps to the sqs and dlq views, the publish
 * target, "not read yet", 80x24, 120x40, ASCII glyphs and hostile text. */
#include "config.h"
#include "check_tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/action.h"
#include "poll/sources/topicfail.h"
#include "screen_test.h"
#include "poll/store.h"
#include "view.h"

#define ARN "arn:aws:sns:us-east-1:123456789012:"
#define QARN "arn:aws:sqs:us-east-1:123456789012:"
#define QURL "https://sqs.us-east-1.amazonaws.com/123456789012/"

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

static void put_queue(struct store *s, const char *name, int64_t visible)
{
    char url[256], arn[256];
    struct store_res *r;

    snprintf(url, sizeof url, QURL "%s", name);
    snprintf(arn, sizeof arn, QARN "%s", name);
    r = store_update_begin(s, "queue", url);
    store_set_str(r, "name", name);
    store_set_str(r, "arn", arn);
    store_set_int(r, "visible", visible);
    store_update_commit(r);
}

/* A topic row as the topics source writes it; failed < 0: CloudWatch did not answer. */
static void put_topic(struct store *s, const char *name, const char *subs, int64_t pending,
                      int64_t no_dlq, const char *logging_off, double failed, double published)
{
    char arn[256];
    struct store_res *r;

    snprintf(arn, sizeof arn, ARN "%s", name);
    r = store_update_begin(s, "topic", arn);
    store_set_str(r, "name", name);
    store_set_int(r, "fifo", strstr(name, ".fifo") != NULL);
    store_set_int(r, "content_dedup", 0);
    store_set_str(r, "kms_key", "");
    store_set_str(r, "subscriptions", subs);
    store_set_int(r, "pending_in_list", pending);
    if (no_dlq >= 0)
        store_set_int(r, "no_dlq", no_dlq);
    else
        store_set_unknown(r, "no_dlq");
    store_set_str(r, "logging_off", logging_off);
    store_set_int(r, "failure_logging", strcmp(logging_off, "[]") == 0);
    if (failed >= 0)
        store_set_double(r, "failed_notifications", failed);
    else
        store_set_unknown(r, "failed_notifications");
    if (published >= 0)
        store_set_double(r, "published", published);
    else
        store_set_unknown(r, "published");
    store_set_double(r, "delivered", published > 0 ? published - 1 : 0);
    store_update_commit(r);
}

#define SUB_ORDERS                                                                          \
    "{\"arn\":\"" ARN "order-events:1\",\"pending\":false,\"protocol\":\"sqs\","           \
    "\"endpoint\":\"" QARN "orders-intake\",\"raw_delivery\":true,"                         \
    "\"filter_policy\":\"{\\\"eventType\\\":[\\\"created\\\"]}\","                          \
    "\"filter_policy_scope\":\"MessageBody\",\"dlq_arn\":\"" QARN "orders-dlq\"}"
#define SUB_MAIL                                                                            \
    "{\"arn\":\"PendingConfirmation\",\"pending\":true,\"protocol\":\"email\","             \
    "\"endpoint\":\"oncall@example.invalid\",\"raw_delivery\":null,\"filter_policy\":null," \
    "\"filter_policy_scope\":null,\"dlq_arn\":null}"
#define SUB_HTTP                                                                            \
    "{\"arn\":\"" ARN "order-events:3\",\"pending\":false,\"protocol\":\"https\","         \
    "\"endpoint\":\"https://hooks.example.invalid/x\",\"raw_delivery\":false,"              \
    "\"filter_policy\":null,\"filter_policy_scope\":null,\"dlq_arn\":null}"

/* order-events: failing, a pending e-mail, an https subscriber without DLQ, HTTP failures not
 * logged; audit-trail: healthy; zz-quiet: CloudWatch did not answer. */
static void seed(struct store *s)
{
    store_list_begin(s, "queue");
    put_queue(s, "orders-intake", 42);
    put_queue(s, "orders-dlq", 7);
    store_list_end(s, "queue");
    store_list_begin(s, "topic");
    put_topic(s, "order-events", "[" SUB_ORDERS "," SUB_MAIL "," SUB_HTTP "]", 1, 1,
              "[\"HTTP\"]", 19, 240);
    put_topic(s, "audit-trail", "[" SUB_ORDERS "]", 0, 0, "[]", 0, 12);
    put_topic(s, "zz-quiet", "[]", 0, 0, "[]", -1, -1);
    store_list_end(s, "topic");
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
    w->priv = calloc(1, sns_view.private_size);
    ck_assert_ptr_nonnull(w->priv);
    sns_view.init(w->priv, &w->ctx);
}

static void world_done(struct world *w)
{
    sns_view.done(w->priv);
    free(w->priv);
    screen_test_free(w->scr);
    appconfig_free(w->cfg);
    store_free(w->store);
}

static void frame(struct world *w)
{
    w->ctx.now_ms = store_now(w->store);
    sns_view.update(w->priv, &w->ctx);
    sns_view.draw(w->priv, &w->ctx, w->scr->win);
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

/* The text under a column's title on row y, blanks trimmed (the caller frees). Numbers
 * are right-aligned, so the cell is the column's width ending where the title ends. */
static char *cell_under(struct world *w, int y, const char *title, int width)
{
    char *hdr = screen_test_row(w->scr->win, 4), *row = screen_test_row(w->scr->win, y);
    int end = screen_test_col(hdr, title) + (int)strlen(title) + 1, start = end - width;
    char *out;

    ck_assert_int_ge(start, 0);
    if ((int)strlen(row) < end)
        end = (int)strlen(row);
    out = strndup(row + (start < end ? start : end), (size_t)(end > start ? end - start : 0));
    free(hdr);
    free(row);
    while (*out && out[strlen(out) - 1] == ' ')
        out[strlen(out) - 1] = '\0';
    memmove(out, out + strspn(out, " "), strlen(out + strspn(out, " ")) + 1);
    return out;
}

START_TEST(list_at_80x24)
{
    struct world w;
    char *c;

    world_init(&w, 80, 24);
    frame(&w);
    ck_assert(row_has(&w, 0, "SNS topics  1 with problems (1 failing), 3 total, last hour"));
    ck_assert(row_has(&w, 4, "TOPIC"));
    ck_assert(row_has(&w, 4, "NO DLQ"));
    ck_assert(row_has(&w, 4, "LOG OFF"));
    ck_assert(row_has(&w, 4, "PROBLEM"));
    /* the failing topic first although it sorts after audit-trail by name */
    ck_assert(row_has(&w, 5, "order-events"));
    ck_assert(row_has(&w, 5, "failing, pe"));  /* the rest is cut at 80 columns */
    ck_assert(row_has(&w, 5, "HTTP"));
    c = cell_under(&w, 5, "FAILED", 7);
    ck_assert_str_eq(c, "19");
    free(c);
    c = cell_under(&w, 5, "SUBS", 5);
    ck_assert_str_eq(c, "3");
    free(c);
    ck_assert(row_has(&w, 6, "audit-trail"));
    /* CloudWatch did not answer: "-", not a reassuring 0 */
    ck_assert(row_has(&w, 7, "zz-quiet"));
    c = cell_under(&w, 7, "FAILED", 7);
    ck_assert_str_eq(c, "-");
    free(c);
    /* the failing row is drawn critical (the mono theme: underlined) once the cursor is off */
    sns_view.key(w.priv, &w.ctx, 'j');
    frame(&w);
    ck_assert(screen_test_attr(w.scr->win, 5, 0) & A_UNDERLINE);
    world_done(&w);
}
END_TEST

START_TEST(problems_only)
{
    struct world w;

    world_init(&w, 80, 24);
    frame(&w);
    ck_assert_int_eq(sns_view.key(w.priv, &w.ctx, 'p') & VIEW_REDRAW, VIEW_REDRAW);
    frame(&w);
    ck_assert(row_has(&w, 0, "[p: problems only]"));
    ck_assert(row_has(&w, 5, "order-events"));
    ck_assert_int_lt(screen_test_find(w.scr->win, "audit-trail"), 0);
    /* the last problem fixed: the list says so instead of showing nothing */
    put_topic(w.store, "order-events", "[]", 0, 0, "[]", 0, 5);
    frame(&w);
    ck_assert_int_ge(find(&w, "no topic has a problem (p: show all)"), 1);
    sns_view.key(w.priv, &w.ctx, 'p');
    frame(&w);
    ck_assert_int_ge(find(&w, "audit-trail"), 5);
    world_done(&w);
}
END_TEST

/* One text field of a topic row, e.g. its protocols object ({"sqs": 2, "email": 1}) as the
 * topics source writes it. */
static void set_field(struct store *s, const char *name, const char *field, const char *text)
{
    char arn[256];
    struct store_res *r;

    snprintf(arn, sizeof arn, ARN "%s", name);
    r = store_update_begin(s, "topic", arn);
    store_set_str(r, field, text);
    store_update_commit(r);
}

START_TEST(pane_subscriptions)
{
    struct world w;
    int y;

    world_init(&w, 120, 40);
    frame(&w);
    ck_assert(row_has(&w, 5, "failing, pending, no DLQ, no log"));
    ck_assert(sns_view.select(w.priv, &w.ctx, ARN "order-events"));
    ck_assert_int_eq(sns_view.key(w.priv, &w.ctx, '\n') & VIEW_DETAIL, VIEW_DETAIL);
    /* the detail key: the topic and the failure records its pane wants (topicfail.h) */
    ck_assert_str_eq(sns_view.detail(w.priv), ARN "order-events\x1f" "50");
    frame(&w);
    ck_assert(row_has(&w, 0, "Topic order-events"));
    ck_assert_int_ge(find(&w, "240 published, 239 delivered, 19 failed"), 1);
    ck_assert_int_ge(find(&w, "NOT logged for HTTP: set HTTPFailureFeedbackRoleArn"), 1);
    /* no protocols field (not read): the count alone */
    ck_assert_int_ge(find(&w, "Subscriptions  3"), 1);
    ck_assert_int_lt(screen_test_find(w.scr->win, "Subscriptions  3:"), 0);
    /* by protocol: most used first, ties by name, whatever order the source wrote */
    set_field(w.store, "order-events", "protocols", "{\"https\":1,\"email\":1,\"sqs\":2}");
    frame(&w);
    ck_assert_int_ge(find(&w, "Subscriptions  3: sqs 2, email 1, https 1"), 1);
    /* the SQS endpoint by queue name with its depth, its DLQ with its depth */
    y = find(&w, "orders-intake (42 msgs)");
    ck_assert_int_gt(y, 0);
    ck_assert(row_has(&w, y, "orders-dlq (7 msgs)"));
    ck_assert(row_has(&w, y, "confirmed"));
    ck_assert(row_has(&w, y, "yes"));
    y = find(&w, "oncall@example.invalid");
    ck_assert(row_has(&w, y, "pending"));
    y = find(&w, "https://hooks.example.invalid/x");
    ck_assert(row_has(&w, y, "none"));
    /* the selected subscription's filter policy, pretty-printed, with its scope */
    ck_assert_int_ge(find(&w, "Filter policy (on the message body):"), 1);
    ck_assert_int_ge(find(&w, "\"eventType\": [\"created\"]"), 1);
    /* the next subscription: pending, so no policy to read */
    sns_view.key(w.priv, &w.ctx, 'j');
    frame(&w);
    ck_assert_int_ge(find(&w, "Filter policy: none"), 1);
    /* Esc closes the pane, which stops its fast poll */
    ck_assert_int_eq(sns_view.key(w.priv, &w.ctx, 27) & VIEW_DETAIL, VIEW_DETAIL);
    ck_assert_ptr_null(sns_view.detail(w.priv));
    world_done(&w);
}
END_TEST

#define ROLE "arn:aws:iam::123456789012:role/"

/* Delivery-status logging per protocol in use: the role failures are logged with, whether
 * successes are and at what sample rate; next to what turns failure logging on where it is
 * off; role names escaped. */
START_TEST(pane_logging)
{
    struct world w;
    int y;

    world_init(&w, 120, 40);
    set_field(w.store, "order-events", "logging",
              "{\"SQS\":{\"failure_role\":\"" ROLE "sns-logs\",\"success_role\":\"" ROLE
              "sns-logs\",\"sample_rate\":10},\"HTTP\":{\"failure_role\":null,"
              "\"success_role\":null,\"sample_rate\":null}}");
    frame(&w);
    ck_assert(sns_view.select(w.priv, &w.ctx, ARN "order-events"));
    sns_view.key(w.priv, &w.ctx, '\n');
    frame(&w);
    y = find(&w, "Logging");
    ck_assert_int_gt(y, 0);
    ck_assert(row_has(&w, y, "SQS: failures logged, 10 % of successes; role sns-logs"));
    ck_assert(row_has(&w, y + 1, "failures NOT logged for HTTP: set HTTPFailureFeedbackRoleArn"));
    sns_view.key(w.priv, &w.ctx, 27);
    /* every protocol in use logs its failures: one line each, successes said either way */
    set_field(w.store, "audit-trail", "logging_off", "[]");
    set_field(w.store, "audit-trail", "logging",
              "{\"SQS\":{\"failure_role\":\"" ROLE "path/fail\",\"success_role\":null,"
              "\"sample_rate\":null},\"HTTP\":{\"failure_role\":\"" ROLE "f\\u001b[2J\","
              "\"success_role\":\"" ROLE "ok\",\"sample_rate\":null}}");
    frame(&w);
    ck_assert(sns_view.select(w.priv, &w.ctx, ARN "audit-trail"));
    sns_view.key(w.priv, &w.ctx, '\n');
    frame(&w);
    y = find(&w, "Logging");
    ck_assert_int_gt(y, 0);
    ck_assert(row_has(&w, y, "SQS: failures logged, successes not; role fail"));
    ck_assert(row_has(&w, y + 1, "HTTP: failures logged, successes without a sample rate; "
                                 "roles f\\x1B[2J (failures), ok (successes)"));
    ck_assert_int_lt(screen_test_find(w.scr->win, "for every protocol in use"), 0);
    world_done(&w);
}
END_TEST

START_TEST(jumps_and_target)
{
    struct world w;
    struct act_target t;
    int bits;

    world_init(&w, 80, 24);
    frame(&w);
    /* P acts on the topic under the cursor */
    ck_assert(sns_view.target(w.priv, &w.ctx, "publish", &t));
    ck_assert_str_eq(t.kind, "topic");
    ck_assert_str_eq(t.key, ARN "order-events");
    ck_assert_str_eq(t.name, "order-events");
    sns_view.key(w.priv, &w.ctx, '\n');
    frame(&w);
    bits = sns_view.key(w.priv, &w.ctx, '\n');
    ck_assert_int_eq(bits & VIEW_JUMP, VIEW_JUMP);
    ck_assert_str_eq(w.ctx.jump_view, "sqs");
    ck_assert_str_eq(w.ctx.jump_key, QURL "orders-intake");
    bits = sns_view.key(w.priv, &w.ctx, 'D');
    ck_assert_int_eq(bits & VIEW_JUMP, VIEW_JUMP);
    ck_assert_str_eq(w.ctx.jump_view, "dlq");
    ck_assert_str_eq(w.ctx.jump_key, QURL "orders-dlq");
    /* an e-mail subscription has no queue to jump to */
    sns_view.key(w.priv, &w.ctx, 'j');
    ck_assert_int_eq(sns_view.key(w.priv, &w.ctx, '\n') & VIEW_JUMP, 0);
    /* in the pane, P still targets the pane's topic */
    ck_assert(sns_view.target(w.priv, &w.ctx, "publish", &t));
    ck_assert_str_eq(t.key, ARN "order-events");
    world_done(&w);
}
END_TEST

START_TEST(hostile_text)
{
    struct world w;
    struct store_res *r;
    int y;

    world_init(&w, 120, 40);
    put_topic(w.store, "evil\x1b[2J", "[{\"arn\":\"x\",\"pending\":false,\"protocol\":\"https\","
              "\"endpoint\":\"https://e.invalid/\\u202e\\u001b]52;c;aGk=\\u0007\","
              "\"raw_delivery\":false,\"filter_policy\":\"{\\\"k\\\":[\\\"\\u001b[31m\\\"]}\","
              "\"filter_policy_scope\":null,\"dlq_arn\":null}]", 0, 1, "[\"HTTP\"]", 0, 0);
    r = store_update_begin(w.store, "topic", ARN "evil\x1b[2J");
    store_set_str(r, "display_name", "\u202eALERTS\x1b[31m");
    store_set_str(r, "kms_key", "alias/\x1b]0;k\x07");
    store_set_str(r, "protocols", "{\"h\\u001b[2J\":1,\"bad\":\"x\"}");
    store_update_commit(r);
    /* malformed JSON fields: unknown, never a crash or an all-clear */
    put_topic(w.store, "broken", "not json [", 0, -1, "{\"a\":1}", 0, 0);
    frame(&w);
    y = find(&w, "evil\\x1B[2J");
    ck_assert_int_ge(y, 5);
    y = find(&w, "broken");
    ck_assert(row_has(&w, y, "?"));
    ck_assert(sns_view.select(w.priv, &w.ctx, ARN "evil\x1b[2J"));
    sns_view.key(w.priv, &w.ctx, '\n');
    frame(&w);
    ck_assert_int_ge(find(&w, "\\u{202E}ALERTS\\x1B[31m"), 1);
    ck_assert_int_ge(find(&w, "Subscriptions  1: h\\x1B[2J 1"), 1);
    ck_assert_int_lt(screen_test_find(w.scr->win, "bad"), 0);   /* not a count: left out */
    ck_assert_int_ge(find(&w, "standard, encrypted with alias/\\x1B]0;k\\x07"), 1);
    ck_assert_int_ge(find(&w, "\\u{202E}\\x1B]52;c;aGk=\\x07"), 1);
    ck_assert_int_ge(find(&w, "\\x1B[31m"), 1);
    sns_view.key(w.priv, &w.ctx, 27);
    ck_assert(sns_view.select(w.priv, &w.ctx, ARN "broken"));
    sns_view.key(w.priv, &w.ctx, '\n');
    frame(&w);
    ck_assert_int_ge(find(&w, "unknown (not read)"), 1);
    world_done(&w);
}
END_TEST

START_TEST(unread_and_ascii)
{
    struct world w;
    struct store *empty = store_new();
    void *priv = calloc(1, sns_view.private_size);
    char *row;

    world_init(&w, 80, 24);
    w.ctx.store = empty;
    sns_view.init(priv, &w.ctx);
    sns_view.update(priv, &w.ctx);
    werase(w.scr->win);
    sns_view.draw(priv, &w.ctx, w.scr->win);
    ck_assert(row_has(&w, 0, "SNS topics  not read yet"));
    ck_assert_int_lt(screen_test_find(w.scr->win, "0 total"), 0);
    sns_view.done(priv);
    free(priv);
    store_free(empty);
    /* ASCII glyphs: no byte of the table is outside ASCII */
    w.ctx.store = w.store;
    w.ctx.glyphs = &glyphs_ascii;
    put_topic(w.store, "order-events", "[" SUB_ORDERS "]", 1, 1, "[\"HTTP\"]", 25, 240);
    frame(&w);
    for (int y = 0; y < 6; y++) {
        row = screen_test_row(w.scr->win, y);
        for (const char *c = row; *c; c++)
            ck_assert_msg((unsigned char)*c < 0x80, "row %d: %s", y, row);
        free(row);
    }
    world_done(&w);
}
END_TEST

START_TEST(cli_and_copy)
{
    struct world w;
    char out[1024];

    world_init(&w, 80, 24);
    frame(&w);
    ck_assert(sns_view.cli(w.priv, &w.ctx, out, sizeof out));
    ck_assert(strstr(out, "aws sns get-topic-attributes --topic-arn " ARN "order-events"));
    ck_assert_int_eq(sns_view.key(w.priv, &w.ctx, 'y') & VIEW_COPY, VIEW_COPY);
    ck_assert_str_eq(w.ctx.copy, ARN "order-events");
    world_done(&w);
}
END_TEST

static void put_failures(struct store *s, const char *topic, int exists, const char *records,
                         int64_t loaded, int more)
{
    char arn[256];
    struct store_res *r;

    snprintf(arn, sizeof arn, ARN "%s", topic);
    r = store_update_begin(s, "topic_failures", arn);
    store_set_str(r, "log_group", "sns/us-east-1/123456789012/order-events/Failure");
    store_set_int(r, "group_exists", exists);
    store_set_str(r, "records", records);
    store_set_int(r, "loaded", loaded);
    store_set_int(r, "more", more);
    store_set_int(r, "covered_from", 1796291721465);
    store_update_commit(r);
}

static const char three_records[] =
    "[{\"id\":\"e3\",\"time_ms\":1796291901465,\"endpoint\":\"https://hooks.example.invalid/x\","
    "\"status_code\":-1,\"provider_response\":\"\\u001b[2Jconnect timeout\","
    "\"dwell_ms\":2000,\"attempts\":3,\"message_id\":\"m-1\"},"
    "{\"id\":\"e2\",\"time_ms\":1796291841465,\"endpoint\":\"arn:aws:sqs:x:1:gone\","
    "\"status_code\":403,\"provider_response\":\"HTTP 403\",\"dwell_ms\":null,"
    "\"attempts\":null,\"message_id\":null},"
    "{\"id\":\"e1\",\"time_ms\":1796291781465,\"unparsed\":\"\\u202enot json\"}]";

/* Why deliveries fail: not read yet, no log group (logging off), the records newest first
 * with code, tries, dwell, endpoint and the provider's response, escaped, and how many are
 * loaded with whether older ones exist. */
START_TEST(pane_failures)
{
    struct world w;
    int y;

    world_init(&w, 120, 40);
    w.ctx.utc = true;
    frame(&w);
    ck_assert(sns_view.select(w.priv, &w.ctx, ARN "order-events"));
    sns_view.key(w.priv, &w.ctx, '\n');
    frame(&w);
    y = find(&w, "Failed deliveries (CloudWatch Logs)");
    ck_assert_int_gt(y, 0);
    ck_assert(row_has(&w, y + 1, "not read yet"));
    /* order-events does not log its HTTP failures: no group is no all-clear */
    put_failures(w.store, "order-events", 0, "[]", 0, 0);
    frame(&w);
    ck_assert(row_has(&w, y + 1, "not logged: see Logging above"));
    ck_assert(row_has(&w, y + 2, "(no log group sns/us-east-1/123456789012/order-events/Failure)"));
    /* a group with nothing in it yet, and older records still being looked for */
    put_failures(w.store, "order-events", 1, "[]", 0, 0);
    frame(&w);
    ck_assert(row_has(&w, y + 1, "none in the log group"));
    put_failures(w.store, "order-events", 1, "[]", 0, -1);
    frame(&w);
    ck_assert(row_has(&w, y + 1, "none read yet (older ones are being read)"));
    put_failures(w.store, "order-events", 1, three_records, 3, 1);
    frame(&w);
    ck_assert(row_has(&w, y + 1, "TIME"));
    ck_assert(row_has(&w, y + 1, "ENDPOINT / PROVIDER RESPONSE"));
    ck_assert(row_has(&w, y + 2, "2026-12-03 09:58:21    -1     3      2s   "
                                 "https://hooks.example.invalid/x  \\x1B[2Jconnect timeout"));
    ck_assert(row_has(&w, y + 3, "2026-12-03 09:57:21   403     -       -   "
                                 "arn:aws:sqs:x:1:gone  HTTP 403"));
    ck_assert(row_has(&w, y + 4, "(not a delivery record) \\u{202E}not json"));
    /* the pane wants 50 and older ones exist: they are on their way */
    ck_assert(row_has(&w, y + 5, "3 loaded, newest first; more before 2026-12-03 09:55:21 UTC"
                                 " (loading older…)  f: all of them"));
    /* every record there is */
    put_failures(w.store, "order-events", 1, three_records, 3, 0);
    frame(&w);
    ck_assert(row_has(&w, y + 5, "all 3 loaded  f: all of them"));
    world_done(&w);
}
END_TEST

/* n records, a minute apart, newest first, ids "e<n-1>" .. "e0" and message ids "m-<i>". */
static char *records_json(int n)
{
    size_t cap = (size_t)n * 200 + 8, len = 0;
    char *out = malloc(cap);

    len += (size_t)snprintf(out + len, cap - len, "[");
    for (int i = n - 1; i >= 0; i--)
        len += (size_t)snprintf(out + len, cap - len,
                                "%s{\"id\":\"e%d\",\"time_ms\":%lld,\"endpoint\":\"https://h/%d\","
                                "\"status_code\":500,\"provider_response\":\"HTTP 500\","
                                "\"dwell_ms\":1000,\"attempts\":3,\"message_id\":\"m-%d\"}",
                                i == n - 1 ? "" : ",", i, 1796291901465LL - (n - 1 - i) * 60000LL,
                                i, i);
    snprintf(out + len, cap - len, "]");
    return out;
}

/* f: every loaded record, a cursor on one with its full text below; as the cursor nears the
 * end of what is loaded and older records exist, the detail key asks for 50 more (once),
 * and not when there are none; y copies the record's message id. */
START_TEST(failures_paged)
{
    struct world w;
    char *json;
    int y;

    world_init(&w, 80, 24);
    w.ctx.utc = true;
    frame(&w);
    ck_assert(sns_view.select(w.priv, &w.ctx, ARN "order-events"));
    sns_view.key(w.priv, &w.ctx, '\n');
    json = records_json(50);
    put_failures(w.store, "order-events", 1, json, 50, 1);
    free(json);
    sns_view.update(w.priv, &w.ctx);
    /* the cursor is far from the end: nothing more is asked for */
    ck_assert_int_eq(sns_view.key(w.priv, &w.ctx, 'f') & VIEW_DETAIL, 0);
    ck_assert_str_eq(sns_view.detail(w.priv), ARN "order-events\x1f" "50");
    frame(&w);
    ck_assert(row_has(&w, 0, "Failed deliveries of order-events (CloudWatch Logs)"));
    ck_assert(row_has(&w, 1, "50 loaded, newest first; more before 2026-12-03 09:55:21 UTC"));
    ck_assert(row_has(&w, 2, "TIME"));
    ck_assert(row_has(&w, 3, "2026-12-03 09:58:21   500     3      1s   https://h/49  HTTP 500"));
    ck_assert(row_has(&w, 4, "2026-12-03 09:57:21   500"));
    ck_assert(row_has(&w, 19, "2026-12-03 09:58:21 UTC  message id m-49"));
    ck_assert(row_has(&w, 20, "Endpoint  https://h/49"));
    ck_assert(row_has(&w, 21, "Response  HTTP 500"));
    ck_assert(row_has(&w, 23, "y: message id"));
    /* PgDn, PgDn: within 20 of the end, so 50 more are asked for, once */
    ck_assert_int_eq(sns_view.key(w.priv, &w.ctx, VIEW_KEY(KEY_NPAGE)) & VIEW_DETAIL, 0);
    ck_assert_int_eq(sns_view.key(w.priv, &w.ctx, VIEW_KEY(KEY_NPAGE)) & VIEW_DETAIL,
                     0);   /* cursor 20: 20 + 20 < 50 */
    ck_assert_int_eq(sns_view.key(w.priv, &w.ctx, VIEW_KEY(KEY_NPAGE)) & VIEW_DETAIL,
                     VIEW_DETAIL);   /* cursor 30 */
    ck_assert_str_eq(sns_view.detail(w.priv), ARN "order-events\x1f" "100");
    ck_assert_int_eq(sns_view.key(w.priv, &w.ctx, 'j') & VIEW_DETAIL, 0);
    frame(&w);
    ck_assert(row_has(&w, 1, "50 loaded, newest first; more before 2026-12-03 09:55:21 UTC "
                             "(loading older…)"));
    /* --ascii: the ellipsis comes from the glyph table, not a literal "…" */
    w.ctx.glyphs = &glyphs_ascii;
    frame(&w);
    ck_assert(row_has(&w, 1, "50 loaded, newest first; more before 2026-12-03 09:55:21 UTC "
                             "(loading older~)"));
    w.ctx.glyphs = &glyphs_utf8;
    y = find(&w, "https://h/18  HTTP 500");   /* cursor 31: record e18 */
    ck_assert_int_gt(y, 3);
    ck_assert(row_has(&w, 19, "message id m-18"));
    ck_assert_int_eq(sns_view.key(w.priv, &w.ctx, 'y') & VIEW_COPY, VIEW_COPY);
    ck_assert_str_eq(w.ctx.copy, "m-18");
    /* they came, and none is older: G goes to the last, nothing more is asked for */
    json = records_json(100);
    put_failures(w.store, "order-events", 1, json, 100, 0);
    free(json);
    sns_view.update(w.priv, &w.ctx);
    ck_assert_int_eq(sns_view.key(w.priv, &w.ctx, 'G') & VIEW_DETAIL, 0);
    frame(&w);
    ck_assert(row_has(&w, 1, "all 100 loaded"));
    ck_assert(row_has(&w, 19, "message id m-0"));
    ck_assert(row_has(&w, 17, "https://h/0  HTTP 500"));
    /* Esc: back to the topic's pane; Esc again: the list */
    sns_view.key(w.priv, &w.ctx, 27);
    frame(&w);
    ck_assert(row_has(&w, 0, "Topic order-events"));
    ck_assert_int_eq(sns_view.key(w.priv, &w.ctx, 27) & VIEW_DETAIL, VIEW_DETAIL);
    ck_assert_ptr_null(sns_view.detail(w.priv));
    world_done(&w);
}
END_TEST

/* After P: the topic's pane keeps the message id (and a FIFO topic's sequence number) the
 * publish action put in the "published" row; y copies the id, not the ARN. */
START_TEST(published_message)
{
    struct world w;
    struct store_res *r;
    int y;

    world_init(&w, 80, 24);
    w.ctx.utc = true;
    frame(&w);
    ck_assert(sns_view.select(w.priv, &w.ctx, ARN "order-events"));
    sns_view.key(w.priv, &w.ctx, '\n');
    frame(&w);
    ck_assert_int_lt(find(&w, "Test msg"), 0);
    ck_assert_int_eq(sns_view.key(w.priv, &w.ctx, 'y') & VIEW_COPY, VIEW_COPY);
    ck_assert_str_eq(w.ctx.copy, ARN "order-events");
    r = store_update_begin(w.store, "published", ARN "order-events");
    store_set_str(r, "message_id", "5f1e2d3c-\x1b[2J");
    store_set_str(r, "sequence_number", "10000000000000000042");
    store_set_int(r, "published", 1796291901000LL);   /* ms, as publish.c writes it */
    store_update_commit(r);
    frame(&w);
    y = find(&w, "Test msg");
    ck_assert_int_gt(y, 0);
    ck_assert(row_has(&w, y, "Test msg   message id 5f1e2d3c-\\x1B[2J  (y copies it)"));
    /* at 80 columns the time is what gets cut, never the numbers */
    ck_assert(row_has(&w, y + 1, "sequence number 10000000000000000042, published "
                                 "2026-12-03 09:58"));
    ck_assert_int_eq(sns_view.key(w.priv, &w.ctx, 'y') & VIEW_COPY, VIEW_COPY);
    ck_assert_str_eq(w.ctx.copy, "5f1e2d3c-\x1b[2J");   /* the UI sanitises what it copies */
    world_done(&w);
}
END_TEST

/* The overview's SNS section: the topic with problems, its numbers under the legend, the
 * healthy ones left out; Enter opens the sns view on it. */
START_TEST(overview_section)
{
    struct world w;
    void *ov;
    int y;

    world_init(&w, 100, 30);
    ov = calloc(1, overview_view.private_size);
    if (overview_view.init)
        overview_view.init(ov, &w.ctx);
    overview_view.update(ov, &w.ctx);
    overview_view.draw(ov, &w.ctx, w.scr->win);
    y = find(&w, "SNS topics with problems");
    ck_assert_int_ge(y, 0);
    ck_assert(row_has(&w, y, "FAILED PENDING    NO DLQ"));
    ck_assert(row_has(&w, y + 1, "order-events"));
    ck_assert(row_has(&w, y + 1, "failing, pending, no DLQ, no log"));
    ck_assert(row_has(&w, y + 1, "19       1         1"));
    ck_assert_int_lt(screen_test_find(w.scr->win, "audit-trail"), 0);
    ck_assert_int_lt(screen_test_find(w.scr->win, "zz-quiet"), 0);
    if (overview_view.done)
        overview_view.done(ov);
    free(ov);
    world_done(&w);
}
END_TEST

static void put_reach(struct store *s, const char *key, const char *endpoint, int ok,
                      double last_ok, const char *error, double error_at)
{
    struct store_res *r = store_update_begin(s, "reach", key);

    store_set_str(r, "endpoint", endpoint);
    store_set_int(r, "ok", ok);
    store_set_int(r, "latency_ms", 34);
    if (last_ok >= 0)
        store_set_double(r, "last_ok", last_ok);
    if (error) {
        store_set_str(r, "error", error);
        store_set_double(r, "error_at", error_at);
    }
    store_update_commit(r);
}

/* The reachability lines: the endpoints in use, what kind they are, their health and the
 * latest failure with its time; the VPC endpoints; the overview's alarm only while one
 * fails, first thing on the overview. */
START_TEST(reachability)
{
    struct world w;
    struct store_res *r;
    void *ov;
    int y;

    world_init(&w, 120, 30);
    w.ctx.utc = true;
    frame(&w);
    ck_assert(row_has(&w, 1, "SNS not probed yet"));
    ck_assert(row_has(&w, 2, "SQS not probed yet"));
    ck_assert(row_has(&w, 3, "VPC endpoints: not read yet"));
    put_reach(w.store, "sns", "https://sns.us-east-1.amazonaws.com", 1, 1796291901, NULL, 0);
    put_reach(w.store, "sqs", "https://vpce-0a1-ab.sqs.us-east-1.vpce.amazonaws.com", 0,
              1796291841, "Failed to connect: connect timeout", 1796291901);
    r = store_update_begin(w.store, "reach", "vpce");
    store_set_str(r, "list", "[{\"service\":\"sqs\",\"id\":\"vpce-0a1\",\"vpc\":\"vpc-9\","
                             "\"type\":\"Interface\",\"state\":\"available\",\"private_dns\":false}]");
    store_set_str(r, "error", "");
    store_update_commit(r);
    frame(&w);
    ck_assert(row_has(&w, 1, "SNS public ok 34ms  https://sns.us-east-1.amazonaws.com"));
    ck_assert(row_has(&w, 2, "SQS VPC endpoint FAILING, last ok 2026-12-03 09:57:21 UTC: Failed "
                             "to connect: connect timeout  https://vpce-0a1-ab.sqs."));
    /* failing is drawn critical (the mono theme: underlined) */
    ck_assert(screen_test_attr(w.scr->win, 2, 0) & A_UNDERLINE);
    ck_assert(row_has(&w, 3, "VPC endpoints: sns none; sqs vpce-0a1 (vpc-9, available, private "
                             "DNS off); s3 none"));
    /* the overview: the alarm comes first, with the time it last answered */
    ov = calloc(1, overview_view.private_size);
    if (overview_view.init)
        overview_view.init(ov, &w.ctx);
    overview_view.update(ov, &w.ctx);
    overview_view.draw(ov, &w.ctx, w.scr->win);
    ck_assert(row_has(&w, 0, "Endpoints not answering"));
    ck_assert(row_has(&w, 1, "SQS"));
    ck_assert(row_has(&w, 1, "not answering since 2026-12-03 09:57:21 UTC from here (VPC endpoint"));
    /* answering again: the alarm goes, the failure stays on the sns view's line */
    put_reach(w.store, "sqs", "http://127.0.0.1:4566", 1, 1796291961, NULL, 0);
    overview_view.update(ov, &w.ctx);
    werase(w.scr->win);
    overview_view.draw(ov, &w.ctx, w.scr->win);
    ck_assert_int_lt(screen_test_find(w.scr->win, "Endpoints not answering"), 0);
    if (overview_view.done)
        overview_view.done(ov);
    free(ov);
    frame(&w);
    y = 2;
    ck_assert(row_has(&w, y, "SQS local emulator ok 34ms (last failure 2026-12-03 09:58:21 UTC)"
                             "  http://127.0.0.1:4566"));
    world_done(&w);
}
END_TEST

/* The detail key the pane hands the topic_failures source: made and read back, a bare ARN
 * taken as the first page, and keys that are not one refused. */
START_TEST(detail_key)
{
    char *k = topicfail_key(ARN "alerts", 150);
    size_t len;
    long want;

    ck_assert(topicfail_parse(k, &len, &want));
    ck_assert_int_eq(len, strlen(ARN "alerts"));
    ck_assert_int_eq(want, 150);
    free(k);
    k = topicfail_key(ARN "alerts", 0);   /* no count: the first page's */
    ck_assert(topicfail_parse(k, &len, &want));
    ck_assert_int_eq(want, TOPICFAIL_STEP);
    free(k);
    ck_assert(topicfail_parse(ARN "alerts", &len, &want));
    ck_assert_int_eq(len, strlen(ARN "alerts"));
    ck_assert_int_eq(want, TOPICFAIL_STEP);
    ck_assert(!topicfail_parse(NULL, &len, &want));
    ck_assert(!topicfail_parse("", &len, &want));
    ck_assert(!topicfail_parse("\x1f" "50", &len, &want));
    ck_assert(!topicfail_parse(ARN "alerts\x1f", &len, &want));
    ck_assert(!topicfail_parse(ARN "alerts\x1f" "0", &len, &want));
    ck_assert(!topicfail_parse(ARN "alerts\x1f" "-5", &len, &want));
    ck_assert(!topicfail_parse(ARN "alerts\x1f" "12x", &len, &want));
    ck_assert(!topicfail_parse(ARN "alerts\x1f" "+5", &len, &want));
    ck_assert(!topicfail_parse(ARN "alerts\x1f" " 5", &len, &want));
    ck_assert(!topicfail_parse(ARN "alerts\x1f" "99999999999999999999999", &len, &want));
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("view_sns");
    TCase *tc = tcase_create("sns");

    tcase_add_test(tc, list_at_80x24);
    tcase_add_test(tc, problems_only);
    tcase_add_test(tc, pane_subscriptions);
    tcase_add_test(tc, jumps_and_target);
    tcase_add_test(tc, hostile_text);
    tcase_add_test(tc, pane_logging);
    tcase_add_test(tc, unread_and_ascii);
    tcase_add_test(tc, cli_and_copy);
    tcase_add_test(tc, overview_section);
    tcase_add_test(tc, pane_failures);
    tcase_add_test(tc, failures_paged);
    tcase_add_test(tc, published_message);
    tcase_add_test(tc, detail_key);
    tcase_add_test(tc, reachability);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(suite());
}
