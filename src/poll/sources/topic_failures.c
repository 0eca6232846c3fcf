/* topic_failures.c - why deliveries fail, for the topic whose pane is open in the sns view:
 * the failure records SNS writes when delivery-status logging is on, read from CloudWatch
 * Logs (FilterLogEvents on the sns/<region>/<account>/<topic>/Failure group) over the last
 * day, pages followed up to MAX_PAGES, the newest MAX_RECORDS kept, newest first. A group
 * that does not exist is not an error: nothing was logged (logging off, or no failure yet);
 * the row says so and the pane tells which. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/logs.h"
#include "aws/sns.h"
#include "core/pager.h"
#include "poll/sources/common.h"
#include "poll/sources/sources.h"
#include "util/jsonnum.h"
#include "util/xalloc.h"

#define FAILURES_INTERVAL_MS 15000
#define FAILURES_WINDOW_MS (24LL * 3600 * 1000)
#define MAX_PAGES 10
#define MAX_RECORDS 50

struct failures_state {
    char *arn;
    char *group;                  /* NULL: the ARN is not an SNS topic's */
    struct logs_event *events;    /* every event read, oldest first */
    size_t n;
    int pages;
    bool no_group, more;          /* the group does not exist; pages were left unread */
    struct aws_pager pager;
    struct aws_error *err;
};

/* "sns/us-east-1/123456789012/alerts/Failure" from the topic's ARN, or NULL. */
static char *failure_group(const char *arn)
{
    char part[6][256];
    const char *p = arn;
    int n = 0;

    while (n < 6) {
        const char *c = strchr(p, ':');
        size_t len = c ? (size_t)(c - p) : strlen(p);

        if (len >= sizeof(part[0]))
            return NULL;
        memcpy(part[n], p, len);
        part[n++][len] = '\0';
        if (!c)
            break;
        p = c + 1;
    }
    if (n != 6 || strcmp(part[0], "arn") != 0 || strcmp(part[2], "sns") != 0 || !*part[3] ||
        !*part[4] || !*part[5])
        return NULL;
    return xasprintf("sns/%s/%s/%s/Failure", part[3], part[4], part[5]);
}

static void ask_page(struct source_run *run, struct failures_state *st, const char *token)
{
    int64_t now_ms = source_wall_s(run) * 1000;
    struct logs_filter_params p = {
        .log_group = st->group, .start_ms = now_ms - FAILURES_WINDOW_MS, .end_ms = now_ms,
        .next_token = token,
    };
    struct aws_request r;

    logs_filter_log_events_request(&r, &p);
    source_send(run, &r, 0, 0);
}

static void failures_start(struct source_run *run, void *state)
{
    struct failures_state *st = state;

    st->arn = xstrdup(source_detail(run));
    st->group = failure_group(st->arn);
    if (st->group)
        ask_page(run, st, NULL);
}

static void failures_answer(struct source_run *run, void *state, unsigned tag, size_t index,
                            const struct aws_response *resp, const struct aws_error *err)
{
    struct failures_state *st = state;
    struct logs_event_list l = {0};
    struct aws_error perr;

    (void)tag;
    (void)index;
    if (err && strcmp(err->code, "ResourceNotFoundException") == 0) {
        st->no_group = true;
        source_gone(run);
        return;
    }
    aws_error_clear(&perr);
    if (!err && (logs_filter_log_events_parse(resp, &l, &perr) < 0 ||
                 aws_pager_next(&st->pager, l.next_token, resp, &perr) < 0)) {
        err = &perr;
        source_error(run, err);
    }
    if (err) {
        logs_event_list_free(&l);
        sources_error_keep(&st->err, err);
        return;
    }
    if (l.n) {
        st->events = xrealloc(st->events, (st->n + l.n) * sizeof(*st->events));
        memcpy(st->events + st->n, l.events, l.n * sizeof(*l.events));
        st->n += l.n;
        l.n = 0;
    }
    if (l.next_token && ++st->pages < MAX_PAGES)
        ask_page(run, st, l.next_token);
    else if (l.next_token)
        st->more = true;
    logs_event_list_free(&l);
}

static int by_time_desc(const void *a, const void *b)
{
    const struct logs_event *x = a, *y = b;

    return (x->timestamp_ms < y->timestamp_ms) - (x->timestamp_ms > y->timestamp_ms);
}

static void add_str(cJSON *o, const char *name, const char *v)
{
    cJSON_AddItemToObject(o, name, v ? cJSON_CreateString(v) : cJSON_CreateNull());
}

static void add_int(cJSON *o, const char *name, bool have, int64_t v)
{
    cJSON_AddItemToObject(o, name, have ? json_int64(v) : cJSON_CreateNull());
}

/* The newest records as a JSON array: {"time_ms", "endpoint", "status_code",
 * "provider_response", "dwell_ms", "attempts", "message_id"}; an event that is not a
 * delivery record keeps its raw text in "unparsed". */
static char *records_json(struct failures_state *st, int64_t *unparsed)
{
    cJSON *arr = cJSON_CreateArray();
    char *text;

    *unparsed = 0;
    if (st->n)   /* no event: no array at all, and qsort takes none */
        qsort(st->events, st->n, sizeof(*st->events), by_time_desc);
    for (size_t i = 0; i < st->n && i < MAX_RECORDS; i++) {
        const struct logs_event *e = &st->events[i];
        struct sns_delivery_record rec = {0};
        struct aws_error perr;
        cJSON *o = cJSON_CreateObject();

        aws_error_clear(&perr);
        add_int(o, "time_ms", e->timestamp_ms >= 0, e->timestamp_ms);
        if (sns_delivery_record_parse(e->message, &rec, &perr) < 0) {
            add_str(o, "unparsed", e->message);
            (*unparsed)++;
        } else {
            add_str(o, "endpoint", rec.destination);
            add_int(o, "status_code", rec.has_status_code, rec.status_code);
            add_str(o, "provider_response", rec.provider_response);
            add_int(o, "dwell_ms", rec.dwell_ms >= 0, rec.dwell_ms);
            add_int(o, "attempts", rec.attempts >= 0, rec.attempts);
            add_str(o, "message_id", rec.message_id);
        }
        sns_delivery_record_free(&rec);
        cJSON_AddItemToArray(arr, o);
    }
    text = cJSON_PrintUnformatted(arr);
    cJSON_Delete(arr);
    return text;
}

static void failures_commit(struct source_run *run, void *state)
{
    struct failures_state *st = state;
    struct store *s = source_store(run);
    struct store_res *r;
    char *json;
    int64_t unparsed;

    if (!st->group)
        return;
    if (st->err && !st->no_group) {
        store_update_begin(s, "topic_failures", st->arn);
        store_fail(s, "topic_failures", st->arn, st->err);
        return;
    }
    r = store_update_begin(s, "topic_failures", st->arn);
    store_set_str(r, "log_group", st->group);
    store_set_int(r, "group_exists", !st->no_group);
    json = records_json(st, &unparsed);
    store_set_str(r, "records", st->no_group ? "[]" : json);
    store_set_int(r, "total", (int64_t)st->n);
    store_set_int(r, "more", st->more);
    store_set_int(r, "unparsed", unparsed);
    store_update_commit(r);
    free(json);
}

static void failures_done(void *state)
{
    struct failures_state *st = state;
    struct logs_event_list l = {.events = st->events, .n = st->n};

    logs_event_list_free(&l);
    free(st->arn);
    free(st->group);
    free(st->err);
    aws_pager_done(&st->pager);
}

static const char *const failures_kinds[] = {"topic_failures", NULL};

const struct source topic_failures_source = {
    .name = "topic_failures",
    .kinds = failures_kinds,
    .views = SOURCE_VIEW(APPCONFIG_VIEW_SNS),
    .interval_ms = FAILURES_INTERVAL_MS,
    .detail = true,
    .state_size = sizeof(struct failures_state),
    .start = failures_start,
    .answer = failures_answer,
    .commit = failures_commit,
    .done = failures_done,
};
