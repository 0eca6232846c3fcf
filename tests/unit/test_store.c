/* test_store.c - the store: rows by key, list replacement, generations, history rings,
 * baselines, staleness with an injected clock, observers, listing scoped to a prefix,
 * whether a kind was ever read, and 10000 rows. */
#include "config.h"
#include "check_tap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "poll/store.h"

/* The injected clock: tests move time by assignment, never by sleeping. */
static int64_t fake_now;

static int64_t fake_clock(void *arg)
{
    (void)arg;
    return fake_now;
}

static struct store *new_store(void)
{
    struct store *s = store_new();

    fake_now = 1000;
    store_set_clock(s, fake_clock, NULL);
    return s;
}

static struct aws_error make_error(const char *code, const char *msg)
{
    struct aws_error e;

    aws_error_clear(&e);
    e.kind = AWS_ERR_HTTP;
    e.http_status = 400;
    snprintf(e.code, sizeof(e.code), "%s", code);
    snprintf(e.message, sizeof(e.message), "%s", msg);
    return e;
}

/* One poll result for a queue: the three numbers the sqs view shows. */
static void put_queue(struct store *s, const char *key, int64_t visible)
{
    struct store_res *r = store_update_begin(s, "queue", key);

    store_set_int(r, "visible", visible);
    store_set_int(r, "in_flight", 0);
    store_set_str(r, "name", key);
    store_update_commit(r);
}

static void list_queues(struct store *s, const char *const *keys, size_t n)
{
    store_list_begin(s, "queue");
    for (size_t i = 0; i < n; i++)
        put_queue(s, keys[i], 1);
    store_list_end(s, "queue");
}

START_TEST(insert_update_lookup)
{
    struct store *s = new_store();
    struct store_res *w = store_update_begin(s, "queue", "https://q/orders");
    const struct store_res *r;
    int64_t i;
    double d;

    store_set_int(w, "visible", 12);
    store_set_double(w, "age_oldest", 4.5);
    store_set_str(w, "arn", "arn:aws:sqs:us-east-1:1:orders");
    store_set_unknown(w, "delayed");
    store_update_commit(w);

    r = store_find(s, "queue", "https://q/orders");
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(store_res_key(r), "https://q/orders");
    ck_assert_str_eq(store_res_kind(r), "queue");
    ck_assert(store_res_int(r, "visible", &i));
    ck_assert_int_eq(i, 12);
    ck_assert(store_res_num(r, "age_oldest", &d));
    ck_assert_double_eq(d, 4.5);
    ck_assert(!store_res_int(r, "age_oldest", &i));  /* a double is not an int */
    ck_assert_str_eq(store_res_str(r, "arn"), "arn:aws:sqs:us-east-1:1:orders");
    ck_assert_ptr_null(store_res_str(r, "visible"));
    ck_assert_int_eq(store_res_get(r, "delayed")->type, STORE_UNKNOWN);
    ck_assert_int_eq(store_res_get(r, "never_set")->type, STORE_UNKNOWN);
    ck_assert(!store_res_num(r, "delayed", &d));
    ck_assert_int_eq(store_res_fetched(r), 1000);
    ck_assert_int_eq(store_res_field_time(r, "visible"), 1000);
    ck_assert_int_eq(store_res_field_time(r, "never_set"), 0);
    ck_assert(!store_res_stale(r));
    ck_assert_ptr_null(store_res_error(r, NULL));

    /* A later poll that returns only some fields leaves the others as they were. */
    fake_now = 2000;
    w = store_update_begin(s, "queue", "https://q/orders");
    store_set_int(w, "visible", 3);
    store_set_str(w, "arn", "arn:aws:sqs:us-east-1:1:orders-v2");
    store_update_commit(w);
    r = store_find(s, "queue", "https://q/orders");
    ck_assert(store_res_int(r, "visible", &i));
    ck_assert_int_eq(i, 3);
    ck_assert(store_res_num(r, "age_oldest", &d));
    ck_assert_double_eq(d, 4.5);
    ck_assert_int_eq(store_res_field_time(r, "age_oldest"), 1000);
    ck_assert_int_eq(store_res_field_time(r, "visible"), 2000);
    ck_assert_str_eq(store_res_str(r, "arn"), "arn:aws:sqs:us-east-1:1:orders-v2");
    ck_assert_int_eq(store_res_fetched(r), 2000);

    /* A field can change type (a metric that lost its datapoints). */
    w = store_update_begin(s, "queue", "https://q/orders");
    store_set_unknown(w, "age_oldest");
    store_set_str(w, "visible", "n/a");
    store_update_commit(w);
    ck_assert_int_eq(store_res_get(r, "age_oldest")->type, STORE_UNKNOWN);
    ck_assert_str_eq(store_res_str(r, "visible"), "n/a");

    /* Other kinds and keys are separate. */
    ck_assert_ptr_null(store_find(s, "queue", "https://q/other"));
    ck_assert_ptr_null(store_find(s, "dlq", "https://q/orders"));
    ck_assert_ptr_null(store_find(s, "nokind", "x"));
    ck_assert_uint_eq(store_count(s, "queue"), 1);
    ck_assert_uint_eq(store_count(s, "dlq"), 0);
    ck_assert_ptr_null(store_at(s, "queue", 1));
    store_free(s);
}
END_TEST

START_TEST(string_value_replaced_by_its_own_text)
{
    struct store *s = new_store();
    struct store_res *w = store_update_begin(s, "bucket", "b");

    store_set_str(w, "policy", "{\"Version\":\"2012-10-17\"}");
    /* Writing a value read from the store back into the same field: the old string must not
     * be freed before it is copied (ASan would catch a use after free here). */
    store_set_str(w, "policy", store_res_str(w, "policy") + 1);
    store_set_str(w, "policy", store_res_str(w, "policy"));
    store_set(w, "owner", store_value_str(NULL));
    store_update_commit(w);
    ck_assert_str_eq(store_res_str(w, "policy"), "\"Version\":\"2012-10-17\"}");
    ck_assert_int_eq(store_res_get(w, "owner")->type, STORE_UNKNOWN);
    store_free(s);
}
END_TEST

START_TEST(order_and_seek)
{
    struct store *s = new_store();
    const char *keys[] = { "q-m", "q-a", "q-z", "q-c", "q-b" };
    const char *sorted[] = { "q-a", "q-b", "q-c", "q-m", "q-z" };
    bool found;

    for (size_t i = 0; i < 5; i++)
        put_queue(s, keys[i], (int64_t)i);
    ck_assert_uint_eq(store_count(s, "queue"), 5);
    for (size_t i = 0; i < 5; i++)
        ck_assert_str_eq(store_res_key(store_at(s, "queue", i)), sorted[i]);

    ck_assert_uint_eq(store_seek(s, "queue", "q-c", &found), 2);
    ck_assert(found);
    /* A gone key: the cursor moves to the row that follows it. */
    ck_assert_uint_eq(store_seek(s, "queue", "q-d", &found), 3);
    ck_assert(!found);
    ck_assert_uint_eq(store_seek(s, "queue", "a", &found), 0);
    ck_assert(!found);
    ck_assert_uint_eq(store_seek(s, "queue", "zzz", &found), 5);
    ck_assert(!found);
    ck_assert_uint_eq(store_seek(s, "nokind", "x", &found), 0);
    ck_assert(!found);
    ck_assert_uint_eq(store_seek(s, "queue", "q-a", NULL), 0);
    store_free(s);
}
END_TEST

START_TEST(list_replacement)
{
    struct store *s = new_store();
    const char *first[] = { "a", "b", "c" };
    const char *second[] = { "b", "c", "d" };
    struct store_res *w;
    int64_t v;

    list_queues(s, first, 3);
    ck_assert_uint_eq(store_count(s, "queue"), 3);
    /* A detail poll adds tags to b only: they must survive the next list poll. */
    w = store_update_begin(s, "queue", "b");
    store_set_str(w, "tag:team", "payments");
    store_update_commit(w);

    fake_now = 2000;
    list_queues(s, second, 3);
    ck_assert_uint_eq(store_count(s, "queue"), 3);
    ck_assert_ptr_null(store_find(s, "queue", "a"));
    ck_assert_str_eq(store_res_key(store_at(s, "queue", 0)), "b");
    ck_assert_str_eq(store_res_key(store_at(s, "queue", 2)), "d");
    ck_assert_str_eq(store_res_str(store_find(s, "queue", "b"), "tag:team"), "payments");
    ck_assert(store_res_int(store_find(s, "queue", "d"), "visible", &v));
    ck_assert_int_eq(v, 1);
    ck_assert_int_eq(store_res_fetched(store_find(s, "queue", "c")), 2000);

    /* An empty list removes everything. */
    list_queues(s, NULL, 0);
    ck_assert_uint_eq(store_count(s, "queue"), 0);
    ck_assert_ptr_null(store_at(s, "queue", 0));

    /* Lists of one kind do not touch another kind. */
    w = store_update_begin(s, "topic", "arn:t");
    store_update_commit(w);
    list_queues(s, first, 3);
    ck_assert_ptr_nonnull(store_find(s, "topic", "arn:t"));
    store_free(s);
}
END_TEST

START_TEST(list_end_without_begin_removes_nothing)
{
    struct store *s = new_store();
    const char *keys[] = { "a", "b" };

    list_queues(s, keys, 2);
    store_list_end(s, "queue");  /* a poller's mistake: no list_begin */
    ck_assert_uint_eq(store_count(s, "queue"), 2);
    store_list_end(s, "nokind");
    ck_assert_uint_eq(store_count(s, "nokind"), 0);
    store_free(s);
}
END_TEST

START_TEST(generation_counters)
{
    struct store *s = new_store();
    const char *ab[] = { "a", "b" };
    const char *a[] = { "a" };
    struct store_kind_info before, after;
    struct store_res *w;
    struct aws_error err = make_error("Throttling", "Rate exceeded");

    store_kind_info(s, "queue", &before);
    ck_assert_uint_eq(before.generation, 0);
    ck_assert_uint_eq(before.count, 0);

    list_queues(s, ab, 2);
    store_kind_info(s, "queue", &after);
    ck_assert_uint_gt(after.generation, before.generation);
    ck_assert_uint_gt(after.rows_generation, before.rows_generation);
    ck_assert_uint_eq(after.count, 2);
    ck_assert_int_eq(after.fetched, 1000);

    /* The same list with the same values: a view has nothing to re-read. */
    before = after;
    fake_now = 2000;
    list_queues(s, ab, 2);
    store_kind_info(s, "queue", &after);
    ck_assert_uint_eq(after.generation, before.generation);
    ck_assert_uint_eq(after.rows_generation, before.rows_generation);
    ck_assert_int_eq(after.fetched, 2000);

    /* A value changes: generation moves, rows do not. */
    before = after;
    w = store_update_begin(s, "queue", "a");
    store_set_int(w, "visible", 99);
    store_update_commit(w);
    store_kind_info(s, "queue", &after);
    ck_assert_uint_gt(after.generation, before.generation);
    ck_assert_uint_eq(after.rows_generation, before.rows_generation);

    /* A row goes: both move. */
    before = after;
    store_list_begin(s, "queue");
    put_queue(s, "a", 99);
    store_list_end(s, "queue");
    store_kind_info(s, "queue", &after);
    ck_assert_uint_gt(after.generation, before.generation);
    ck_assert_uint_gt(after.rows_generation, before.rows_generation);
    ck_assert_uint_eq(after.count, 1);

    /* An error is a change the status line must show. */
    before = after;
    store_fail(s, "queue", "a", &err);
    store_kind_info(s, "queue", &after);
    ck_assert_uint_gt(after.generation, before.generation);
    ck_assert_uint_eq(after.rows_generation, before.rows_generation);

    /* Recovering is a change too (stale goes away). */
    before = after;
    list_queues(s, a, 1);
    store_kind_info(s, "queue", &after);
    ck_assert_uint_gt(after.generation, before.generation);

    /* Another kind's counters are its own. */
    store_kind_info(s, "topic", &after);
    ck_assert_uint_eq(after.generation, 0);
    ck_assert_uint_eq(after.rows_generation, 0);
    store_free(s);
}
END_TEST

START_TEST(history_ring_wraps)
{
    struct store *s = new_store();
    struct store_point pts[STORE_HISTORY_LEN + 10];
    const struct store_res *r;
    double min, max;
    size_t n;

    /* 150 polls: visible = i for poll i, at time 1000 + 10000 i. */
    for (int i = 0; i < 150; i++) {
        fake_now = 1000 + 10000 * (int64_t)i;
        put_queue(s, "q", i);
    }
    r = store_find(s, "queue", "q");
    n = store_res_history(r, "visible", STORE_HISTORY_LEN + 10, pts);
    ck_assert_uint_eq(n, STORE_HISTORY_LEN);
    for (size_t k = 0; k < n; k++) {
        int64_t poll = 150 - STORE_HISTORY_LEN + (int64_t)k;
        ck_assert_double_eq(pts[k].value, (double)poll);
        ck_assert_int_eq(pts[k].time, 1000 + 10000 * poll);
    }
    n = store_res_history(r, "visible", 10, pts);
    ck_assert_uint_eq(n, 10);
    ck_assert_double_eq(pts[0].value, 140);
    ck_assert_double_eq(pts[9].value, 149);

    ck_assert(store_res_history_range(r, "visible", STORE_HISTORY_LEN, &min, &max));
    ck_assert_double_eq(min, 90);
    ck_assert_double_eq(max, 149);
    ck_assert(store_res_history_range(r, "visible", 5, &min, &max));
    ck_assert_double_eq(min, 145);
    ck_assert_double_eq(max, 149);
    ck_assert(store_res_history_range(r, "visible", 1000, &min, &max));
    ck_assert_double_eq(min, 90);

    /* in_flight was 0 on every poll: a flat line still has points. */
    ck_assert_uint_eq(store_res_history(r, "in_flight", 3, pts), 3);
    ck_assert(store_res_history_range(r, "in_flight", 60, &min, &max));
    ck_assert_double_eq(min, 0);
    ck_assert_double_eq(max, 0);
    /* Strings and unknown fields have none. */
    ck_assert_uint_eq(store_res_history(r, "name", 10, pts), 0);
    ck_assert_uint_eq(store_res_history(r, "nothing", 10, pts), 0);
    ck_assert(!store_res_history_range(r, "name", 10, &min, &max));
    ck_assert_uint_eq(store_res_history(r, "visible", 0, pts), 0);
    store_free(s);
}
END_TEST

START_TEST(history_before_wrap_and_gaps)
{
    struct store *s = new_store();
    struct store_point pts[STORE_HISTORY_LEN];
    struct store_res *w;
    double min, max;
    const double values[] = { 7, -2.5, 30, 4, 4 };

    for (size_t i = 0; i < 5; i++) {
        fake_now = 1000 * (int64_t)(i + 1);
        w = store_update_begin(s, "dlq", "d");
        store_set_double(w, "depth", values[i]);
        store_update_commit(w);
    }
    /* Unknown and NaN values leave no point (a gap, not a fake zero). */
    w = store_update_begin(s, "dlq", "d");
    store_set_unknown(w, "depth");
    store_set_double(w, "depth", NAN);
    store_update_commit(w);
    ck_assert_uint_eq(store_res_history(w, "depth", STORE_HISTORY_LEN, pts), 5);
    for (size_t i = 0; i < 5; i++) {
        ck_assert_double_eq(pts[i].value, values[i]);
        ck_assert_int_eq(pts[i].time, 1000 * (int64_t)(i + 1));
    }
    ck_assert(store_res_history_range(w, "depth", 60, &min, &max));
    ck_assert_double_eq(min, -2.5);
    ck_assert_double_eq(max, 30);
    store_free(s);
}
END_TEST

START_TEST(baseline_change)
{
    struct store *s = new_store();
    const struct store_res *r;
    struct store_res *w;
    struct store_point base;
    double delta;

    w = store_update_begin(s, "dlq", "dlq-1");
    store_set_unknown(w, "depth");  /* the first poll did not know: no baseline yet */
    store_update_commit(w);
    r = store_find(s, "dlq", "dlq-1");
    ck_assert(!store_res_change(r, "depth", &delta));
    ck_assert(!store_res_baseline(r, "depth", &base));

    fake_now = 5000;
    w = store_update_begin(s, "dlq", "dlq-1");
    store_set_int(w, "depth", 5);
    store_update_commit(w);
    ck_assert(store_res_change(r, "depth", &delta));
    ck_assert_double_eq(delta, 0);

    fake_now = 9000;
    w = store_update_begin(s, "dlq", "dlq-1");
    store_set_int(w, "depth", 12);
    store_update_commit(w);
    ck_assert(store_res_change(r, "depth", &delta));
    ck_assert_double_eq(delta, 7);
    ck_assert(store_res_baseline(r, "depth", &base));
    ck_assert_double_eq(base.value, 5);
    ck_assert_int_eq(base.time, 5000);

    w = store_update_begin(s, "dlq", "dlq-1");
    store_set_int(w, "depth", 1);
    store_update_commit(w);
    ck_assert(store_res_change(r, "depth", &delta));
    ck_assert_double_eq(delta, -4);

    /* The current value unknown: no change to show, the baseline stays. */
    w = store_update_begin(s, "dlq", "dlq-1");
    store_set_unknown(w, "depth");
    store_update_commit(w);
    ck_assert(!store_res_change(r, "depth", &delta));
    w = store_update_begin(s, "dlq", "dlq-1");
    store_set_int(w, "depth", 20);
    store_update_commit(w);
    ck_assert(store_res_change(r, "depth", &delta));
    ck_assert_double_eq(delta, 15);
    ck_assert(!store_res_change(r, "nothing", &delta));
    store_free(s);
}
END_TEST

START_TEST(stale_keeps_last_good_values)
{
    struct store *s = new_store();
    struct aws_error err = make_error("AWS.SimpleQueueService.NonExistentQueue", "gone?");
    const struct store_res *r;
    const struct aws_error *got;
    int64_t v, when;

    fake_now = 10000;
    put_queue(s, "q", 42);
    r = store_find(s, "queue", "q");
    fake_now = 15000;
    ck_assert_int_eq(store_res_age(r), 5000);
    ck_assert(!store_res_stale(r));

    fake_now = 20000;
    store_fail(s, "queue", "q", &err);
    fake_now = 130000;
    r = store_find(s, "queue", "q");
    ck_assert(store_res_stale(r));
    ck_assert(store_res_int(r, "visible", &v));
    ck_assert_int_eq(v, 42);
    ck_assert_int_eq(store_res_fetched(r), 10000);
    ck_assert_int_eq(store_res_age(r), 120000);  /* "stale 2m" */
    got = store_res_error(r, &when);
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got->code, "AWS.SimpleQueueService.NonExistentQueue");
    ck_assert_str_eq(got->message, "gone?");
    ck_assert_int_eq(got->http_status, 400);
    ck_assert_int_eq(when, 20000);

    /* The caller's error may go away: the store kept a copy. */
    memset(&err, 'x', sizeof(err));
    ck_assert_str_eq(store_res_error(r, NULL)->code, "AWS.SimpleQueueService.NonExistentQueue");

    /* Recovery: fresh again, the last error still readable for the log. */
    fake_now = 140000;
    put_queue(s, "q", 43);
    ck_assert(!store_res_stale(r));
    ck_assert_int_eq(store_res_age(r), 0);
    ck_assert_ptr_nonnull(store_res_error(r, &when));
    ck_assert_int_eq(when, 20000);

    /* A clock that steps back never gives a negative age. */
    fake_now = 100000;
    ck_assert_int_eq(store_res_age(r), 0);
    store_free(s);
}
END_TEST

START_TEST(fail_before_first_fetch)
{
    struct store *s = new_store();
    struct aws_error err = make_error("AccessDenied", "no");
    const struct store_res *r;

    store_fail(s, "bucket", "secret-bucket", &err);
    r = store_find(s, "bucket", "secret-bucket");
    ck_assert_ptr_nonnull(r);
    ck_assert(store_res_stale(r));
    ck_assert_int_eq(store_res_fetched(r), 0);
    ck_assert_int_eq(store_res_age(r), -1);
    ck_assert_str_eq(store_res_error(r, NULL)->code, "AccessDenied");
    ck_assert_int_eq(store_res_get(r, "size")->type, STORE_UNKNOWN);
    /* A NULL error is recorded as an empty one, not a crash. */
    store_fail(s, "bucket", "secret-bucket", NULL);
    ck_assert_int_eq(store_res_error(r, NULL)->kind, AWS_ERR_NONE);
    store_free(s);
}
END_TEST

START_TEST(list_failure_marks_kind_stale)
{
    struct store *s = new_store();
    const char *keys[] = { "a", "b", "c" };
    struct aws_error err = make_error("ConnectFailed", "connection refused");
    struct store_kind_info info;
    int64_t v, when;

    list_queues(s, keys, 3);
    fake_now = 5000;
    /* The list poll starts, one row arrives, then the connection drops. */
    store_list_begin(s, "queue");
    put_queue(s, "a", 7);
    store_list_fail(s, "queue", &err);

    ck_assert_uint_eq(store_count(s, "queue"), 3);  /* nothing removed */
    store_kind_info(s, "queue", &info);
    ck_assert(info.stale);
    ck_assert_str_eq(info.error->code, "ConnectFailed");
    ck_assert_int_eq(info.error_time, 5000);
    ck_assert_int_eq(info.fetched, 1000);
    for (size_t i = 0; i < 3; i++) {
        const struct store_res *r = store_at(s, "queue", i);
        ck_assert_msg(store_res_stale(r), "%s", store_res_key(r));
        ck_assert_str_eq(store_res_error(r, &when)->code, "ConnectFailed");
        ck_assert_int_eq(when, 5000);
    }
    ck_assert(store_res_int(store_find(s, "queue", "b"), "visible", &v));
    ck_assert_int_eq(v, 1);
    ck_assert(store_res_int(store_find(s, "queue", "a"), "visible", &v));
    ck_assert_int_eq(v, 7);

    /* A list_end after the failure (the list was abandoned) must not remove b and c. */
    store_list_end(s, "queue");
    ck_assert_uint_eq(store_count(s, "queue"), 3);

    /* A detail poll of b succeeds in the same millisecond: b is fresh, the others stale. */
    put_queue(s, "b", 2);
    ck_assert(!store_res_stale(store_find(s, "queue", "b")));
    ck_assert(store_res_stale(store_find(s, "queue", "c")));

    /* The next good list clears the kind. */
    fake_now = 9000;
    list_queues(s, keys, 3);
    store_kind_info(s, "queue", &info);
    ck_assert(!info.stale);
    ck_assert_int_eq(info.fetched, 9000);
    ck_assert_ptr_nonnull(info.error);  /* the last error stays readable */
    for (size_t i = 0; i < 3; i++)
        ck_assert(!store_res_stale(store_at(s, "queue", i)));
    store_free(s);
}
END_TEST

/* The observer records every event as a line of text, the way a recorder would. */
struct recorder {
    char lines[64][160];
    size_t n;
};

static void record(const struct store_event *ev, void *arg)
{
    struct recorder *rec = arg;
    char value[64] = "";

    if (rec->n >= 64)
        return;
    if (ev->type == STORE_EV_FIELD) {
        switch (ev->value->type) {
        case STORE_UNKNOWN: snprintf(value, sizeof(value), "?"); break;
        case STORE_STR: snprintf(value, sizeof(value), "'%s'", ev->value->u.s); break;
        case STORE_INT: snprintf(value, sizeof(value), "%lld", (long long)ev->value->u.i); break;
        case STORE_DOUBLE: snprintf(value, sizeof(value), "%g", ev->value->u.d); break;
        }
    }
    switch (ev->type) {
    case STORE_EV_FIELD:
        snprintf(rec->lines[rec->n++], 160, "field %s %s %s=%s%s @%lld", ev->kind, ev->key,
                 ev->field, value, ev->changed ? " changed" : "", (long long)ev->time);
        break;
    case STORE_EV_FETCHED:
        snprintf(rec->lines[rec->n++], 160, "fetched %s %s @%lld", ev->kind, ev->key,
                 (long long)ev->time);
        break;
    case STORE_EV_ERROR:
        snprintf(rec->lines[rec->n++], 160, "error %s %s %s @%lld", ev->kind,
                 ev->key ? ev->key : "*", ev->error->code, (long long)ev->time);
        break;
    case STORE_EV_REMOVED:
        snprintf(rec->lines[rec->n++], 160, "removed %s %s @%lld", ev->kind, ev->key,
                 (long long)ev->time);
        break;
    case STORE_EV_LISTED:
        snprintf(rec->lines[rec->n++], 160, "listed %s %s @%lld", ev->kind,
                 ev->key ? ev->key : "*", (long long)ev->time);
        break;
    }
}

START_TEST(observer_sees_every_change)
{
    struct store *s = new_store();
    struct recorder rec = { .n = 0 };
    struct aws_error err = make_error("Throttling", "slow down");
    struct store_res *w;
    static const char *const want[] = {
        "field queue a visible=1 changed @1000",
        "field queue a name='x' changed @1000",
        "fetched queue a @1000",
        "field queue b visible=2.5 changed @1000",
        "field queue b gone=? @1000",
        "fetched queue b @1000",
        "listed queue * @1000",
        "field queue a visible=1 @2000",
        "field queue a name='y' changed @2000",
        "fetched queue a @2000",
        "removed queue b @2000",
        "listed queue * @2000",
        "error queue a Throttling @3000",
        "error queue * Throttling @4000",
    };

    store_add_observer(s, record, &rec);
    store_list_begin(s, "queue");
    w = store_update_begin(s, "queue", "a");
    store_set_int(w, "visible", 1);
    store_set_str(w, "name", "x");
    store_update_commit(w);
    w = store_update_begin(s, "queue", "b");
    store_set_double(w, "visible", 2.5);
    store_set_unknown(w, "gone");
    store_update_commit(w);
    store_list_end(s, "queue");

    fake_now = 2000;
    store_list_begin(s, "queue");
    w = store_update_begin(s, "queue", "a");
    store_set_int(w, "visible", 1);
    store_set_str(w, "name", "y");
    store_update_commit(w);
    store_list_end(s, "queue");

    fake_now = 3000;
    store_fail(s, "queue", "a", &err);
    fake_now = 4000;
    store_list_fail(s, "queue", &err);

    ck_assert_uint_eq(rec.n, sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < rec.n; i++)
        ck_assert_str_eq(rec.lines[i], want[i]);

    /* Once removed, nothing is called. */
    store_remove_observer(s, record, &rec);
    put_queue(s, "c", 1);
    ck_assert_uint_eq(rec.n, sizeof(want) / sizeof(want[0]));
    store_free(s);
}
END_TEST

/* The UI marks its screen dirty and a recorder writes a file: both hear every event, in
 * the order they were added, and removing one leaves the other listening. */
START_TEST(several_observers)
{
    struct store *s = new_store();
    struct recorder a = { .n = 0 }, b = { .n = 0 };

    store_add_observer(s, record, &a);
    store_add_observer(s, record, &b);
    put_queue(s, "q", 1);
    ck_assert_uint_eq(a.n, 4);   /* visible, in_flight, name, fetched */
    ck_assert_uint_eq(b.n, 4);
    for (size_t i = 0; i < a.n; i++)
        ck_assert_str_eq(a.lines[i], b.lines[i]);

    store_remove_observer(s, record, &a);
    store_remove_observer(s, record, &a);   /* not there any more: nothing happens */
    store_remove_observer(s, NULL, NULL);
    fake_now = 2000;
    put_queue(s, "q", 2);
    ck_assert_uint_eq(a.n, 4);
    ck_assert_uint_eq(b.n, 8);
    ck_assert_str_eq(b.lines[4], "field queue q visible=2 changed @2000");
    store_free(s);
}
END_TEST

static void put_object(struct store *s, const char *key)
{
    struct store_res *r = store_update_begin(s, "object", key);

    store_set_int(r, "size", (int64_t)strlen(key));
    store_update_commit(r);
}

static bool has_row(const struct store *s, const char *kind, const char *key)
{
    return store_find(s, kind, key) != NULL;
}

/* S3 lists one prefix at a time: a listing of logs/ replaces what is under logs/ and
 * leaves images/ (listed earlier) alone, and a failed listing marks only its own rows. */
START_TEST(prefix_listing_keeps_other_prefixes)
{
    struct store *s = new_store();
    struct aws_error err = make_error("AccessDenied", "no ListBucket on logs/");
    struct recorder rec = { .n = 0 };
    struct store_kind_info info;
    uint64_t rows_gen;

    store_list_begin_prefix(s, "object", "images/");
    put_object(s, "images/a.png");
    put_object(s, "images/b.png");
    store_list_end(s, "object");
    store_list_begin_prefix(s, "object", "logs/");
    put_object(s, "logs/1.gz");
    put_object(s, "logs/2.gz");
    put_object(s, "logs/3.gz");
    store_list_end(s, "object");
    ck_assert_uint_eq(store_count(s, "object"), 5);
    store_kind_info(s, "object", &info);
    /* a prefix is not the whole list: the kind was read, but never listed whole */
    ck_assert_int_eq(info.updated, 1000);
    ck_assert_int_eq(info.fetched, 0);

    /* logs/2.gz was deleted: only it goes */
    fake_now = 2000;
    store_add_observer(s, record, &rec);
    store_list_begin_prefix(s, "object", "logs/");
    put_object(s, "logs/1.gz");
    put_object(s, "logs/3.gz");
    store_list_end(s, "object");
    ck_assert_uint_eq(store_count(s, "object"), 4);
    ck_assert(has_row(s, "object", "images/a.png") && has_row(s, "object", "images/b.png"));
    ck_assert(!has_row(s, "object", "logs/2.gz"));
    ck_assert_str_eq(rec.lines[rec.n - 2], "removed object logs/2.gz @2000");
    ck_assert_str_eq(rec.lines[rec.n - 1], "listed object logs/ @2000");

    /* a prefix that sorts inside another's range, and an empty listing of it */
    store_list_begin_prefix(s, "object", "images/b");
    store_list_end(s, "object");
    ck_assert(has_row(s, "object", "images/a.png") && !has_row(s, "object", "images/b.png"));

    /* the logs/ listing fails: its rows stay with their values, stale; images/ is fresh */
    fake_now = 3000;
    store_kind_info(s, "object", &info);
    rows_gen = info.rows_generation;
    store_list_begin_prefix(s, "object", "logs/");
    store_list_fail_prefix(s, "object", "logs/", &err);
    ck_assert(store_res_stale(store_find(s, "object", "logs/1.gz")));
    ck_assert(store_res_stale(store_find(s, "object", "logs/3.gz")));
    ck_assert_str_eq(store_res_error(store_find(s, "object", "logs/3.gz"), NULL)->code,
                     "AccessDenied");
    ck_assert(!store_res_stale(store_find(s, "object", "images/a.png")));
    store_kind_info(s, "object", &info);
    ck_assert(!info.stale);               /* the kind as a whole is not */
    ck_assert_ptr_null(info.error);
    ck_assert_uint_eq(info.rows_generation, rows_gen);
    ck_assert_ptr_nonnull(info.last_error);
    ck_assert_str_eq(info.last_error->code, "AccessDenied");
    ck_assert_int_eq(info.last_error_time, 3000);
    /* the failed listing is closed: a list_end now removes nothing */
    store_list_end(s, "object");
    ck_assert_uint_eq(store_count(s, "object"), 3);

    /* an empty prefix is the whole kind: everything unseen goes, fetched is set */
    fake_now = 4000;
    store_list_begin_prefix(s, "object", "");
    put_object(s, "logs/1.gz");
    store_list_end(s, "object");
    ck_assert_uint_eq(store_count(s, "object"), 1);
    store_kind_info(s, "object", &info);
    ck_assert_int_eq(info.fetched, 4000);
    store_free(s);
}
END_TEST

/* What a view needs to say "not read yet" or "cannot read: cause" instead of an empty
 * list: whether the kind was ever read, and its latest failure of any sort. */
START_TEST(kind_ever_read_and_last_error)
{
    struct store *s = new_store();
    struct aws_error denied = make_error("AccessDenied", "no sqs:ListQueues");
    struct aws_error gone = make_error("NotFound", "no such topic");
    struct store_kind_info info;
    uint64_t g0 = store_generation(s);
    struct store_res *r;

    store_kind_info(s, "queue", &info);
    ck_assert_int_eq(info.updated, 0);
    ck_assert_ptr_null(info.last_error);
    store_list_fail(s, "queue", &denied);
    store_kind_info(s, "queue", &info);
    ck_assert_int_eq(info.updated, 0);            /* still never read: "cannot read" */
    ck_assert_str_eq(info.last_error->code, "AccessDenied");
    ck_assert_uint_gt(store_generation(s), g0);

    /* a kind written row by row (the caller identity, credentials) is read by a commit */
    fake_now = 1500;
    r = store_update_begin(s, "identity", "caller");
    store_set_str(r, "account", "123456789012");
    store_update_commit(r);
    store_kind_info(s, "identity", &info);
    ck_assert_int_eq(info.updated, 1500);
    ck_assert_int_eq(info.fetched, 0);

    /* a row's failure is the kind's latest too */
    fake_now = 2000;
    store_fail(s, "identity", "caller", &gone);
    store_kind_info(s, "identity", &info);
    ck_assert_str_eq(info.last_error->code, "NotFound");
    ck_assert_int_eq(info.last_error_time, 2000);
    ck_assert_int_eq(info.updated, 1500);

    /* the store's generation moves with any kind's, and only then */
    {
        uint64_t g = store_generation(s);

        store_kind_info(s, "queue", &info);
        ck_assert_int_eq(store_count(s, "queue"), 0);
        ck_assert_uint_eq(store_generation(s), g);
        r = store_update_begin(s, "topic", "t");
        store_set_int(r, "subs", 1);
        store_update_commit(r);
        ck_assert_uint_gt(store_generation(s), g);
        g = store_generation(s);
        r = store_update_begin(s, "topic", "t");
        store_set_int(r, "subs", 1);          /* the same value: nothing changed */
        store_update_commit(r);
        ck_assert_uint_eq(store_generation(s), g);
    }
    store_free(s);
}
END_TEST

START_TEST(ten_thousand_rows)
{
    enum { N = 10000 };
    struct store *s = new_store();
    char key[64], prev[64] = "";
    unsigned x = 12345;
    size_t n;

    /* Insert in a scrambled order (a permutation: 7919 is prime and coprime with N). */
    store_list_begin(s, "queue");
    for (unsigned i = 0; i < N; i++) {
        unsigned k = (i * 7919u + x) % N;
        struct store_res *w;
        snprintf(key, sizeof(key), "https://sqs/000000000000/q-%05u", k);
        w = store_update_begin(s, "queue", key);
        store_set_int(w, "visible", k);
        store_set_str(w, "name", key + 27);
        store_update_commit(w);
    }
    store_list_end(s, "queue");
    ck_assert_uint_eq(store_count(s, "queue"), N);
    for (unsigned k = 0; k < N; k++) {
        const struct store_res *r;
        int64_t v;
        snprintf(key, sizeof(key), "https://sqs/000000000000/q-%05u", k);
        r = store_find(s, "queue", key);
        ck_assert_ptr_nonnull(r);
        ck_assert(store_res_int(r, "visible", &v));
        ck_assert_int_eq(v, k);
        ck_assert_ptr_eq(store_at(s, "queue", k), r);
    }
    for (size_t i = 0; i < N; i++) {
        const char *k = store_res_key(store_at(s, "queue", i));
        ck_assert_int_lt(strcmp(prev, k), 0);
        snprintf(prev, sizeof(prev), "%s", k);
    }

    /* The next list keeps only the even queues. */
    store_list_begin(s, "queue");
    for (unsigned k = 0; k < N; k += 2) {
        snprintf(key, sizeof(key), "https://sqs/000000000000/q-%05u", k);
        put_queue(s, key, k);
    }
    store_list_end(s, "queue");
    n = store_count(s, "queue");
    ck_assert_uint_eq(n, N / 2);
    for (unsigned k = 0; k < N; k++) {
        snprintf(key, sizeof(key), "https://sqs/000000000000/q-%05u", k);
        if (k % 2)
            ck_assert_ptr_null(store_find(s, "queue", key));
        else
            ck_assert_ptr_nonnull(store_find(s, "queue", key));
    }
    store_free(s);
}
END_TEST

START_TEST(many_field_names_and_kinds)
{
    /* Tag keys become field names: hundreds of distinct names must all stay reachable
     * (the intern table grows). */
    struct store *s = new_store();
    struct store_res *w = store_update_begin(s, "queue", "q");
    char name[32], kind[32];

    for (int i = 0; i < 500; i++) {
        snprintf(name, sizeof(name), "tag:k%d", i);
        store_set_int(w, name, i);
    }
    store_update_commit(w);
    for (int i = 0; i < 500; i++) {
        int64_t v;
        snprintf(name, sizeof(name), "tag:k%d", i);
        ck_assert(store_res_int(w, name, &v));
        ck_assert_int_eq(v, i);
    }
    for (int i = 0; i < 20; i++) {
        snprintf(kind, sizeof(kind), "kind%d", i);
        w = store_update_begin(s, kind, "k");
        store_set_str(w, "kind", kind);
        store_update_commit(w);
    }
    for (int i = 0; i < 20; i++) {
        snprintf(kind, sizeof(kind), "kind%d", i);
        ck_assert_str_eq(store_res_str(store_find(s, kind, "k"), "kind"), kind);
        ck_assert_str_eq(store_res_kind(store_find(s, kind, "k")), kind);
    }
    store_free(s);
}
END_TEST

START_TEST(default_clock_and_free_null)
{
    struct store *s = store_new();
    int64_t t = store_now(s);

    ck_assert_int_gt(t, (int64_t)1600000000 * 1000);  /* wall clock in ms, after 2020 */
    store_set_clock(s, fake_clock, NULL);
    fake_now = 77;
    ck_assert_int_eq(store_now(s), 77);
    store_set_clock(s, NULL, NULL);  /* back to the wall clock */
    ck_assert_int_gt(store_now(s), (int64_t)1600000000 * 1000);
    store_free(s);
    store_free(NULL);
}
END_TEST

/* A kind is stale as soon as its poll is overdue by the interval plus the request timeout,
 * with the call that should have answered as the error; the age is since the last good read;
 * a fresh read ends it. */
/* Off-screen queues are read every few cycles (adaptive.h): a list that keeps them leaves
 * their values and age alone, and they read stale only past their own, longer turn. */
START_TEST(kept_rows_keep_their_age)
{
    struct store *s = new_store();
    struct store_kind_info info;
    int64_t v = 0;

    store_kind_expect(s, "queue", 30000, NULL);
    store_kind_expect_rows(s, "queue", 480000);
    ck_assert(!store_list_keep(s, "queue", "q1"));   /* no listing open */
    store_list_begin(s, "queue");
    put_queue(s, "q1", 5);
    put_queue(s, "q2", 7);
    store_list_end(s, "queue");

    fake_now += 10000;
    store_list_begin(s, "queue");
    put_queue(s, "q1", 6);                             /* read */
    ck_assert(store_list_keep(s, "queue", "q2"));      /* kept, not read */
    ck_assert(!store_list_keep(s, "queue", "q3"));     /* never listed: nothing to keep */
    store_list_end(s, "queue");
    ck_assert_uint_eq(store_count(s, "queue"), 2);
    ck_assert_ptr_null(store_find(s, "queue", "q3"));
    ck_assert(store_res_int(store_find(s, "queue", "q2"), "visible", &v));
    ck_assert_int_eq(v, 7);
    ck_assert_int_eq(store_res_age(store_find(s, "queue", "q2")), 10000);
    ck_assert_int_eq(store_res_age(store_find(s, "queue", "q1")), 0);

    /* past the list's 30 s but within the rows' 480 s: the list is fresh, q2 not stale */
    fake_now += 60000;
    store_list_begin(s, "queue");
    put_queue(s, "q1", 6);
    store_list_keep(s, "queue", "q2");
    store_list_end(s, "queue");
    store_kind_info(s, "queue", &info);
    ck_assert(!info.stale);
    ck_assert(!store_res_stale(store_find(s, "queue", "q2")));

    /* not read for longer than its own turn allows: stale, the others are not */
    fake_now += 480000;
    store_list_begin(s, "queue");
    put_queue(s, "q1", 6);
    store_list_keep(s, "queue", "q2");
    store_list_end(s, "queue");
    ck_assert(store_res_stale(store_find(s, "queue", "q2")));
    ck_assert(!store_res_stale(store_find(s, "queue", "q1")));

    /* a kept row that is not listed at all any more is removed */
    store_list_begin(s, "queue");
    put_queue(s, "q1", 6);
    store_list_end(s, "queue");
    ck_assert_ptr_null(store_find(s, "queue", "q2"));
    store_free(s);
}
END_TEST

START_TEST(overdue_kind_is_stale)
{
    struct store *s = new_store();
    struct store_kind_info info;
    struct aws_error late;

    aws_error_clear(&late);
    aws_error_set(&late, AWS_ERR_TIMEOUT, "no answer");
    aws_error_context(&late, "sqs", "ListQueues", "http://127.0.0.1:1");
    store_kind_expect(s, "queue", 30000, &late);      /* 10 s interval + 20 s timeout */
    store_list_begin(s, "queue");
    put_queue(s, "q1", 5);
    store_list_end(s, "queue");
    ck_assert_int_eq(store_find(s, "queue", "q1") != NULL, 1);

    fake_now += 30000;                                 /* exactly on the limit: fresh */
    store_kind_info(s, "queue", &info);
    ck_assert(!info.stale);
    ck_assert(!store_res_stale(store_find(s, "queue", "q1")));

    fake_now += 1;                                     /* past it: stale, with the call */
    store_kind_info(s, "queue", &info);
    ck_assert(info.stale && info.overdue);
    ck_assert_ptr_nonnull(info.error);
    ck_assert_str_eq(info.error->action, "ListQueues");
    ck_assert_int_eq(info.fetched, 1000);              /* the age counts from the last read */
    ck_assert(store_res_stale(store_find(s, "queue", "q1")));
    ck_assert_int_eq(store_res_age(store_find(s, "queue", "q1")), 30001);

    /* a real error that comes later wins over the expectation's */
    struct aws_error e = make_error("Throttling", "slow down");
    store_list_fail(s, "queue", &e);
    store_kind_info(s, "queue", &info);
    ck_assert(info.stale);
    ck_assert_str_eq(info.error->code, "Throttling");

    /* a good read ends it */
    store_list_begin(s, "queue");
    put_queue(s, "q1", 6);
    store_list_end(s, "queue");
    store_kind_info(s, "queue", &info);
    ck_assert(!info.stale && !info.overdue);
    ck_assert(!store_res_stale(store_find(s, "queue", "q1")));

    /* never read at all: overdue from the first expectation, "no data" */
    store_kind_expect(s, "dlq", 5000, &late);
    fake_now += 5001;
    store_kind_info(s, "dlq", &info);
    ck_assert(info.stale && info.overdue && info.fetched == 0);
    /* 0 turns it off */
    store_kind_expect(s, "dlq", 0, NULL);
    store_kind_info(s, "dlq", &info);
    ck_assert(!info.stale);
    store_free(s);
}
END_TEST

/* A list cycle whose every row failed read nothing: the kind keeps its last good time and
 * reads stale with the rows' error; one good row makes it a read. */
START_TEST(list_of_failed_rows_is_not_a_read)
{
    struct store *s = new_store();
    struct store_kind_info info;
    struct aws_error e = make_error("RequestTimeout", "no answer");

    store_list_begin(s, "queue");
    put_queue(s, "q1", 1);
    put_queue(s, "q2", 2);
    store_list_end(s, "queue");
    fake_now = 60000;
    store_list_begin(s, "queue");
    store_update_begin(s, "queue", "q1");
    store_fail(s, "queue", "q1", &e);
    store_update_begin(s, "queue", "q2");
    store_fail(s, "queue", "q2", &e);
    store_list_end(s, "queue");
    store_kind_info(s, "queue", &info);
    ck_assert_int_eq(info.fetched, 1000);
    ck_assert(info.stale);
    ck_assert_str_eq(info.error->code, "RequestTimeout");
    ck_assert_uint_eq(info.count, 2);                  /* the rows stay, stale */

    fake_now = 70000;
    store_list_begin(s, "queue");
    store_update_begin(s, "queue", "q1");
    store_fail(s, "queue", "q1", &e);
    put_queue(s, "q2", 3);
    store_list_end(s, "queue");
    store_kind_info(s, "queue", &info);
    ck_assert_int_eq(info.fetched, 70000);
    ck_assert(!info.stale);
    ck_assert(store_res_stale(store_find(s, "queue", "q1")));
    store_free(s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("store");
    TCase *tc = tcase_create("store");

    tcase_add_test(tc, insert_update_lookup);
    tcase_add_test(tc, string_value_replaced_by_its_own_text);
    tcase_add_test(tc, order_and_seek);
    tcase_add_test(tc, list_replacement);
    tcase_add_test(tc, list_end_without_begin_removes_nothing);
    tcase_add_test(tc, generation_counters);
    tcase_add_test(tc, history_ring_wraps);
    tcase_add_test(tc, history_before_wrap_and_gaps);
    tcase_add_test(tc, baseline_change);
    tcase_add_test(tc, stale_keeps_last_good_values);
    tcase_add_test(tc, fail_before_first_fetch);
    tcase_add_test(tc, list_failure_marks_kind_stale);
    tcase_add_test(tc, observer_sees_every_change);
    tcase_add_test(tc, several_observers);
    tcase_add_test(tc, prefix_listing_keeps_other_prefixes);
    tcase_add_test(tc, kind_ever_read_and_last_error);
    tcase_add_test(tc, ten_thousand_rows);
    tcase_add_test(tc, many_field_names_and_kinds);
    tcase_add_test(tc, default_clock_and_free_null);
    tcase_add_test(tc, overdue_kind_is_stale);
    tcase_add_test(tc, kept_rows_keep_their_age);
    tcase_add_test(tc, list_of_failed_rows_is_not_a_read);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
