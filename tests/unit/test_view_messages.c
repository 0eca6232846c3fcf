/* test_view_messages.c - the messages view (`:messages`) drawn headless from a hand-filled
 * store on a fixed clock: nothing peeked says how to peek, a flat list of plain peeks, DLQ
 * messages grouped by their DeadLetterQueueSourceArn (from the recorded ReceiveMessage
 * answer, and hand-made ones whose attribute is missing, not an SQS ARN or hostile), the
 * cursor never on a heading, the filter keeping only the headings of what it shows, the open
 * message (its source, receive count, body, scrolling, copy, close) and a 1 MiB body cut in
 * the viewer but copied and targeted whole. */
#include "config.h"
#include "check_tap.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/action.h"
#include "aws/sqs.h"
#include "aws/sqs_check.h"
#include "aws_test_util.h"
#include "poll/store.h"
#include "screen_test.h"
#include "util/xalloc.h"
#include "view.h"

static int64_t fake_now;

static int64_t fake_clock(void *arg)
{
    (void)arg;
    return fake_now;
}

#define NOW_MS 1796292081049LL   /* a minute after the recorded message was sent */

struct world {
    struct store *store;
    struct appconfig *cfg;
    struct screen_test *scr;
    struct view_ctx ctx;
    void *priv;
};

struct msg {
    const char *queue_name;
    const char *id;
    const char *body;
    int64_t sent_ago_s;
    int64_t receives;
    const char *source_arn;  /* NULL: SQS gave none */
};

/* A message as the peek stores it (act/peek.c), sent at sent_ms, first received at
 * first_ms (-1: SQS did not say). */
static void put_sent_first(struct store *s, const struct msg *m, int64_t sent_ms,
                           int64_t first_ms)
{
    char *url = xasprintf("https://sqs.us-east-1.amazonaws.com/123456789012/%s", m->queue_name);
    char *key = xasprintf("%s\n%s", url, m->id);
    struct store_res *r = store_update_begin(s, "message", key);

    store_set_str(r, "queue", url);
    store_set_str(r, "queue_name", m->queue_name);
    store_set_str(r, "id", m->id);
    store_set_str(r, "body", m->body);
    store_set_int(r, "size", (int64_t)strlen(m->body));
    store_set_int(r, "sent", sent_ms);
    store_set_int(r, "receive_count", m->receives);
    if (m->source_arn)
        store_set_str(r, "source_arn", m->source_arn);
    if (first_ms >= 0)
        store_set_int(r, "first_receive", first_ms);
    store_set_str(r, "attributes", "{}");
    store_set_str(r, "message_attributes", "{}");
    store_set_int(r, "released", 1);
    store_update_commit(r);
    free(key);
    free(url);
}

static void put_sent(struct store *s, const struct msg *m, int64_t sent_ms)
{
    put_sent_first(s, m, sent_ms, -1);
}

static void put_msg(struct store *s, const struct msg *m)
{
    put_sent(s, m, NOW_MS - m->sent_ago_s * 1000);
}

/* What the peek stores for each message of a ReceiveMessage answer (act/peek.c). */
static void put_recorded(struct store *s, const char *file)
{
    struct aws_response resp;
    struct aws_error err;
    struct sqs_message_list l;

    memset(&err, 0, sizeof(err));
    test_resp_file(&resp, file);
    ck_assert_int_eq(sqs_receive_message_parse(&resp, &l, &err), 0);
    for (size_t i = 0; i < l.n; i++) {
        const struct sqs_message *m = &l.msgs[i];
        struct msg one = {"orders-dlq", m->message_id, m->body, 0, m->receive_count,
                          m->dlq_source_arn};

        put_sent(s, &one, m->sent_ms);
    }
    sqs_message_list_free(&l);
    aws_response_done(&resp);
}

static void world_init(struct world *w, int cols, int lines)
{
    fake_now = NOW_MS;
    w->store = store_new();
    store_set_clock(w->store, fake_clock, NULL);
    w->cfg = appconfig_new();
    w->scr = screen_test_new(cols, lines);
    screen_test_ctx(w->scr, &w->ctx, w->store, w->cfg, false);
    w->priv = calloc(1, messages_view.private_size);
    ck_assert_ptr_nonnull(w->priv);
    messages_view.init(w->priv, &w->ctx);
}

static void world_done(struct world *w)
{
    messages_view.done(w->priv);
    free(w->priv);
    screen_test_free(w->scr);
    appconfig_free(w->cfg);
    store_free(w->store);
}

static void frame(struct world *w)
{
    w->ctx.now_ms = store_now(w->store);
    messages_view.update(w->priv, &w->ctx);
    messages_view.draw(w->priv, &w->ctx, w->scr->win);
}

static int key(struct world *w, int k)
{
    int r = messages_view.key(w->priv, &w->ctx, k);

    frame(w);
    return r;
}

static int find(struct world *w, const char *needle)
{
    return screen_test_find_or_dump(w->scr->win, needle);
}

static bool row_has(struct world *w, int y, const char *needle)
{
    return screen_test_row_has(w->scr->win, y, needle);
}

/* The id of the message the actions would act on (the open one or the cursor's). */
static const char *target_id(struct world *w)
{
    static char id[128];
    struct act_target t;

    memset(&t, 0, sizeof(t));
    if (!messages_view.target(w->priv, &w->ctx, "save-body", &t))
        return "";
    snprintf(id, sizeof(id), "%s", t.name);
    return id;
}

START_TEST(nothing_peeked_says_how)
{
    struct world w;

    world_init(&w, 80, 24);
    frame(&w);
    ck_assert(row_has(&w, 0, "Peeked messages  0"));
    ck_assert_int_gt(find(&w, "no message peeked in this session: m on a queue"), 1);
    ck_assert_str_eq(target_id(&w), "");
    ck_assert_int_eq(key(&w, '\n') & VIEW_REDRAW, 0);   /* Enter on nothing opens nothing */
    world_done(&w);
}
END_TEST

/* Peeks of a queue that is not a DLQ: one flat list, youngest first, no headings. */
START_TEST(plain_peeks_are_a_flat_list)
{
    static const struct msg ms[] = {
        {"orders", "m-old", "{\"order\":\"order-1\"}", 3600, 5, NULL},
        {"orders", "m-new", "line one\nline two", 90, 1, NULL},
    };
    struct world w;
    int y;

    world_init(&w, 80, 24);
    for (size_t i = 0; i < 2; i++)
        put_msg(w.store, &ms[i]);
    frame(&w);
    ck_assert(row_has(&w, 0, "Peeked messages  2"));
    ck_assert_int_lt(screen_test_find(w.scr->win, "by source queue"), 0);
    ck_assert(row_has(&w, 1, "QUEUE"));
    ck_assert(row_has(&w, 1, "AGE"));
    ck_assert(row_has(&w, 1, "RECV"));
    ck_assert(row_has(&w, 1, "BODY"));
    ck_assert(row_has(&w, 2, "1m "));          /* youngest first */
    ck_assert(row_has(&w, 2, "line one"));
    ck_assert(row_has(&w, 3, "1h "));
    ck_assert(row_has(&w, 3, "order-1"));
    ck_assert_int_lt(screen_test_find(w.scr->win, "from "), 0);
    ck_assert_str_eq(target_id(&w), "m-new");
    key(&w, 'j');
    ck_assert_str_eq(target_id(&w), "m-old");
    /* the body's newline is shown escaped on the row, never as a line break */
    y = find(&w, "line one");
    ck_assert(row_has(&w, y, "line two"));
    ck_assert_int_lt(screen_test_find_from(w.scr->win, y + 1, "line two"), 0);
    world_done(&w);
}
END_TEST

static void seed_dlq(struct store *s)
{
    static const struct msg ms[] = {
        {"orders-dlq", "p-1", "payment failed", 600, 3,
         "arn:aws:sqs:us-east-1:123456789012:payments"},
        {"orders-dlq", "p-2", "payment failed again", 300, 3,
         "arn:aws:sqs:us-east-1:123456789012:payments"},
        {"orders-dlq", "n-1", "who sent me", 120, 1, NULL},
        {"orders-dlq", "x-1", "from a topic", 200, 1, "arn:aws:sns:us-east-1:123456789012:t"},
    };

    put_recorded(s, "sqs/receive_message_dlq_handwritten_source_arn.json");
    for (size_t i = 0; i < sizeof(ms) / sizeof(ms[0]); i++)
        put_msg(s, &ms[i]);
}

/* 120 columns: SENT and FIRST RECV join the list, the body keeps room; at 80 they give way
 * and the list still fits with its body. */
START_TEST(wide_list_shows_sent_and_first_receive)
{
    static const struct msg ms[] = {
        {"orders", "m-one", "payload-of-one", 90, 2, NULL},
        {"orders", "m-two", "payload-of-two", 60, 1, NULL},
    };
    struct world w;
    int y1, y2;

    world_init(&w, 120, 24);
    w.ctx.utc = true;
    put_sent_first(w.store, &ms[0], NOW_MS - 90000, NOW_MS - 60000);
    put_msg(w.store, &ms[1]);
    frame(&w);
    ck_assert(row_has(&w, 1, "SENT"));
    ck_assert(row_has(&w, 1, "FIRST RECV"));
    y1 = find(&w, "payload-of-one");
    y2 = find(&w, "payload-of-two");
    ck_assert_int_gt(y1, 1);
    ck_assert_int_gt(y2, 1);
    /* sent 90 s and 60 s before NOW_MS (2026-12-03 10:01:21 UTC); the first one first
     * received 30 s after it was sent, the second's not given */
    ck_assert(row_has(&w, y1, "12-03 09:59:51Z"));
    ck_assert(row_has(&w, y1, "12-03 10:00:21Z"));
    ck_assert(row_has(&w, y2, "12-03 10:00:21Z"));
    ck_assert(row_has(&w, y1, "payload-of-one"));   /* the body keeps its room */
    world_done(&w);

    world_init(&w, 80, 24);
    w.ctx.utc = true;
    put_sent_first(w.store, &ms[0], NOW_MS - 90000, NOW_MS - 60000);
    put_msg(w.store, &ms[1]);
    frame(&w);
    ck_assert_int_lt(screen_test_find(w.scr->win, "SENT"), 0);
    ck_assert_int_lt(screen_test_find(w.scr->win, "FIRST RECV"), 0);
    ck_assert_int_lt(screen_test_find(w.scr->win, "09:59:51"), 0);
    ck_assert(row_has(&w, 1, "BODY"));
    y1 = find(&w, "payload-of-one");
    ck_assert_int_gt(y1, 1);
    ck_assert(row_has(&w, y1, "1m "));
    world_done(&w);
}
END_TEST

START_TEST(dlq_messages_grouped_by_source)
{
    struct world w;
    int hm, hn, hp, hx;

    world_init(&w, 80, 24);
    seed_dlq(w.store);
    frame(&w);
    ck_assert(row_has(&w, 0, "Peeked messages  5"));
    ck_assert(row_has(&w, 0, "by source queue"));
    /* one heading per source, with its count, sorted; the missing source last */
    hm = find(&w, "orders-dlq  1 message from msgs");
    hp = find(&w, "orders-dlq  2 messages from payments");
    hx = find(&w, "orders-dlq  1 message from a source that is not an SQS queue: \"arn:aws:s");
    hn = find(&w, "orders-dlq  1 message with no source (no DeadLetterQueueSourceArn)");
    ck_assert_int_eq(hm, 2);
    ck_assert_int_gt(hp, hm);
    ck_assert_int_gt(hx, hp);
    ck_assert_int_gt(hn, hx);
    /* each message under its own heading (youngest first within it) */
    ck_assert(row_has(&w, hm + 1, "poison"));
    ck_assert(row_has(&w, hm + 1, "2"));
    ck_assert(row_has(&w, hp + 1, "payment failed again"));
    ck_assert(row_has(&w, hp + 2, "payment failed"));
    ck_assert(row_has(&w, hx + 1, "from a topic"));
    ck_assert(row_has(&w, hn + 1, "who sent me"));
    {
        char *after = screen_test_row(w.scr->win, hn + 2);   /* nothing after the last */
        ck_assert_str_eq(after, "");
        free(after);
    }
    /* the cursor is never on a heading: it starts on the first message, j steps over the
     * next heading, k back, g to the top stays on a message, G on the last */
    ck_assert_str_eq(target_id(&w), "2e2d560c-1b25-4250-b432-5f4ce76da241");
    key(&w, 'j');
    ck_assert_str_eq(target_id(&w), "p-2");
    key(&w, 'j');
    ck_assert_str_eq(target_id(&w), "p-1");
    key(&w, 'j');
    ck_assert_str_eq(target_id(&w), "x-1");
    key(&w, 'k');
    ck_assert_str_eq(target_id(&w), "p-1");
    key(&w, 'k');
    key(&w, 'k');
    ck_assert_str_eq(target_id(&w), "2e2d560c-1b25-4250-b432-5f4ce76da241");
    key(&w, 'k');
    ck_assert_str_eq(target_id(&w), "2e2d560c-1b25-4250-b432-5f4ce76da241");
    key(&w, 'G');
    ck_assert_str_eq(target_id(&w), "n-1");
    key(&w, 'g');
    ck_assert_str_eq(target_id(&w), "2e2d560c-1b25-4250-b432-5f4ce76da241");
    /* a sort orders within each group; the headings stay where they are */
    key(&w, 'A');
    ck_assert_int_eq(find(&w, "1 message from msgs"), hm);
    ck_assert_int_eq(find(&w, "2 messages from payments"), hp);
    ck_assert(row_has(&w, hp + 1, "payment failed"));
    ck_assert(row_has(&w, hp + 2, "payment failed again"));
    world_done(&w);
}
END_TEST

/* The filter keeps the headings of the rows it shows, and only those. */
START_TEST(filter_keeps_only_its_headings)
{
    struct world w;

    world_init(&w, 80, 24);
    seed_dlq(w.store);
    w.ctx.filter = "body:again";
    frame(&w);
    ck_assert_int_ge(find(&w, "2 messages from payments"), 2);
    ck_assert_int_ge(find(&w, "payment failed again"), 3);
    ck_assert_int_lt(screen_test_find(w.scr->win, "from msgs"), 0);
    ck_assert_int_lt(screen_test_find(w.scr->win, "with no source"), 0);
    ck_assert_int_lt(screen_test_find(w.scr->win, "poison"), 0);
    ck_assert_str_eq(target_id(&w), "p-2");
    /* a filter no message matches shows no heading, and says so */
    w.ctx.filter = "body:nothing-like-this";
    frame(&w);
    ck_assert_int_ge(find(&w, "no match for the filter"), 2);
    ck_assert_int_lt(screen_test_find(w.scr->win, "from "), 0);
    ck_assert_str_eq(target_id(&w), "");
    world_done(&w);
}
END_TEST

/* Enter opens the message: its source queue (name and ARN), receive count, body; j/k
 * scroll, y copies the body, Esc closes. */
START_TEST(open_message_names_its_source)
{
    struct world w;
    int y;

    world_init(&w, 80, 24);
    seed_dlq(w.store);
    frame(&w);
    key(&w, '\n');
    y = find(&w, "Source queue");
    ck_assert_int_ge(y, 0);
    ck_assert(row_has(&w, y, "msgs (arn:aws:sqs:us-east-1:123456789012:msgs)"));
    ck_assert(row_has(&w, find(&w, "Message"), "2e2d560c-1b25-4250-b432-5f4ce76da241"));
    ck_assert(row_has(&w, find(&w, "Receives"), "2 (1 before this peek)"));
    ck_assert_int_gt(find(&w, "Body (text)"), y);
    ck_assert_int_gt(find(&w, "poison"), y);
    ck_assert_int_ge(find(&w, "Esc back"), 20);
    ck_assert_int_eq(key(&w, 'y') & VIEW_COPY, VIEW_COPY);
    ck_assert_uint_eq(w.ctx.copy_ref_len, strlen("poison"));
    ck_assert(memcmp(w.ctx.copy_ref, "poison", w.ctx.copy_ref_len) == 0);
    ck_assert_str_eq(w.ctx.copy_what, "the message body");
    key(&w, 27);
    ck_assert(row_has(&w, 0, "Peeked messages  5"));
    /* the one from a topic: its attribute is not an SQS queue's ARN, and says so */
    key(&w, 'j');
    key(&w, 'j');
    key(&w, 'j');
    ck_assert_str_eq(target_id(&w), "x-1");
    key(&w, '\n');
    ck_assert(row_has(&w, find(&w, "Source queue"),
                      "not an SQS queue ARN: \"arn:aws:sns:us-east-1:123456789012:t\""));
    key(&w, 27);
    /* the one SQS gave no source for has no source line */
    key(&w, 'G');
    key(&w, '\n');
    ck_assert_int_ge(find(&w, "who sent me"), 0);
    ck_assert_int_lt(screen_test_find(w.scr->win, "Source queue"), 0);
    world_done(&w);
}
END_TEST

/* An attribute made to hurt: escape sequences and a bidi override reach the screen escaped,
 * in the heading and in the open message; an over-long or wrong-shaped ARN is not read as a
 * queue name. */
START_TEST(hostile_source_attribute)
{
    static const struct msg ms[] = {
        {"orders-dlq", "h-1", "a", 10, 1, "arn:aws:sqs:us-east-1:1:\x1b[2J\xe2\x80\xae" "evil"},
        {"orders-dlq", "h-2", "b", 20, 1, "arn:aws:sqs:us-east-1:1:q:extra"},
        {"orders-dlq", "h-3", "c", 30, 1, ""},
        {"orders-dlq", "h-4", "d", 40, 1, "\xff\xfe not utf-8"},
    };
    struct world w;

    world_init(&w, 120, 40);
    for (size_t i = 0; i < sizeof(ms) / sizeof(ms[0]); i++)
        put_msg(w.store, &ms[i]);
    frame(&w);
    for (int y = 0; y < 40; y++) {
        char *row = screen_test_row(w.scr->win, y);

        ck_assert_msg(strchr(row, 0x1b) == NULL, "row %d holds a raw ESC", y);
        ck_assert_msg(strstr(row, "\xe2\x80\xae") == NULL, "row %d holds a raw RLO", y);
        free(row);
    }
    ck_assert_int_ge(find(&w, "not an SQS queue: \"arn:aws:sqs:us-east-1:1:\\x1B[2J\\u{202E}evil\""), 2);
    ck_assert_int_ge(find(&w, "not an SQS queue: \"arn:aws:sqs:us-east-1:1:q:extra\""), 2);
    ck_assert_int_ge(find(&w, "1 message from a source that is not an SQS queue: \"\""), 2);
    ck_assert_int_lt(screen_test_find(w.scr->win, "from evil"), 0);
    world_done(&w);

    /* the parser of the attribute on its own */
    static const char *const bad[] = {
        "", "arn", "arn:aws:sqs:us-east-1:1", "arn:aws:sqs:us-east-1:1:", "arn::sqs:r:1:q",
        "arn:aws:sns:us-east-1:1:q", "arn:aws:sqs::1:q", "arn:aws:sqs:r::q",
        "arn:aws:sqs:r:1:q/x", "arn:aws:sqs:r:1:q:x", "arn:aws:sqs:r:1:q.fifo.x",
        "arn:aws:sqs:r:1:.fifo", "urn:aws:sqs:r:1:q", "arn:aws:sqs:r:1:q\x1b",
        "arn:aws:sqs:r:1:"
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char *n = sqs_arn_queue_name(bad[i]);

        ck_assert_msg(n == NULL, "\"%s\" read as queue \"%s\"", bad[i], n ? n : "");
    }
    ck_assert_ptr_null(sqs_arn_queue_name(NULL));
    char *n = sqs_arn_queue_name("arn:aws-cn:sqs:cn-north-1:123456789012:Orders_DLQ-1.fifo");
    ck_assert_str_eq(n, "Orders_DLQ-1.fifo");
    free(n);
    n = sqs_arn_queue_name("arn:aws:sqs:r:1:"
                           "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    ck_assert_uint_eq(strlen(n), 80);   /* 80 characters: SQS's longest name */
    free(n);
}
END_TEST

/* SQS's largest body, 1 MiB on one line: the row shows a preview, the viewer the first
 * 64 KiB and how much it left out; the save action targets the message (its body is saved
 * whole from the store), and the copy says it is a part. */
START_TEST(one_mib_body)
{
    struct world w;
    size_t len = 1024 * 1024;
    char *body = malloc(len + 1);
    struct msg m = {"big", "big-1", NULL, 5, 1, NULL};
    int y;

    for (size_t i = 0; i < len; i++)
        body[i] = (char)('a' + i % 26);
    /* a three-byte character across the 64 KiB mark: the cut must not split it */
    memcpy(body + 64 * 1024 - 1, "\xe2\x82\xac", 3);
    body[len] = '\0';
    m.body = body;
    world_init(&w, 80, 24);
    put_msg(w.store, &m);
    frame(&w);
    y = find(&w, "big");
    ck_assert(row_has(&w, y, "1 MiB"));
    ck_assert(row_has(&w, y, "abcdefghij"));
    key(&w, '\n');
    ck_assert(row_has(&w, find(&w, "Size"), "1 MiB"));
    ck_assert_int_ge(find(&w, "Body, the first 63.9 KiB of 1 MiB (text)"), 0);
    key(&w, 'G');
    ck_assert_int_ge(find(&w, "... 960.0 KiB more not shown: s saves the whole body"), 0);
    ck_assert_str_eq(target_id(&w), "big-1");
    ck_assert_int_eq(key(&w, 'y') & VIEW_COPY, VIEW_COPY);
    /* the clipboard takes the first 256 KiB of it, not the first 2 KiB */
    ck_assert_uint_eq(w.ctx.copy_ref_len, VIEW_COPY_LONG_MAX);
    ck_assert(memcmp(w.ctx.copy_ref, body, VIEW_COPY_LONG_MAX) == 0);
    ck_assert_str_eq(w.ctx.copy_what, "the first 262144 bytes of the body (of 1048576)");
    world_done(&w);
    free(body);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("view_messages");
    TCase *tc = tcase_create("messages");

    tcase_add_test(tc, nothing_peeked_says_how);
    tcase_add_test(tc, plain_peeks_are_a_flat_list);
    tcase_add_test(tc, wide_list_shows_sent_and_first_receive);
    tcase_add_test(tc, dlq_messages_grouped_by_source);
    tcase_add_test(tc, filter_keeps_only_its_headings);
    tcase_add_test(tc, open_message_names_its_source);
    tcase_add_test(tc, hostile_source_attribute);
    tcase_add_test(tc, one_mib_body);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(suite());
}
