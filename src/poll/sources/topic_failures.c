/* topic_failures.c - why deliveries fail, for the topic whose pane is open in the sns view:
 * the failure records SNS writes when delivery-status logging is on, read from CloudWatch
 * Logs (FilterLogEvents on the sns/<region>/<account>/<topic>/Failure group), newest first
 * and on demand.
 *
 * FilterLogEvents only walks forward in time, so "the newest first, more as you scroll" is
 * read as windows walking back from now: each window [from, to) is read to its last page
 * (nextToken, through the pager guard), its records go below those already loaded, and the
 * next window ends where it began, sized from how many records the last one held. A cycle
 * loads windows until the view's count is reached (topicfail.h), then asks once with
 * limit 1 whether anything older exists at all (and when the oldest is, so an empty
 * stretch is jumped over). Later cycles only read what arrived since the last one (with a
 * minute's overlap for late records, duplicates dropped by event id). A window too dense to
 * read in WINDOW_PAGES pages is read again as its newest quarter; new records too many to
 * read in a cycle start the list again from now. Nothing is read that the pane has not
 * asked for.
 *
 * What is loaded lives in the row (records, and the span covered_from..covered_to that is
 * read completely), so the next cycle goes on where this one stopped. A group that does not
 * exist is not an error: nothing was logged (logging off, or no failure yet); the row says
 * so and the pane tells which. */
#include "config.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/logs.h"
#include "aws/sns.h"
#include "core/pager.h"
#include "poll/sources/common.h"
#include "poll/sources/sources.h"
#include "poll/sources/topicfail.h"
#include "util/jsonnum.h"
#include "util/xalloc.h"

#define FAILURES_INTERVAL_MS 15000
#define PAGE_LIMIT 100                     /* events a page asks for */
#define WINDOW_PAGES 20                    /* pages one window may take */
#define PROBE_PAGES 5                      /* empty "still searching" pages the probe follows */
#define CYCLE_REQUESTS 60                  /* requests one cycle may send */
#define LATE_MS (60 * 1000LL)              /* records may reach CloudWatch this late */
#define FIRST_WINDOW_MS (3600 * 1000LL)
#define MIN_WINDOW_MS 1000LL
#define MAX_WINDOW_MS (7 * 24 * 3600 * 1000LL)
/* A window's end left open: what is newest, whatever the clocks of the writer and ours say
 * (ours counts whole seconds). */
#define OPEN_END INT64_MAX

enum phase { PH_TOPUP, PH_FILL, PH_PROBE };

struct failures_state {
    char *arn;
    char *group;                  /* NULL: the ARN is not an SNS topic's */
    long want;
    int64_t now_ms;
    cJSON *recs;                  /* loaded records, newest first */
    int64_t covered_from, covered_to, window_ms, floor_ms, more;
    enum phase phase;
    int64_t from, to;             /* the window being read: [from, to) */
    cJSON *batch;                 /* its records so far */
    int pages, requests;
    struct aws_pager pager;
    bool no_group, failed;
    struct aws_error *err;
};

char *topicfail_key(const char *arn, long want)
{
    return xasprintf("%s\x1f%ld", arn, want > 0 ? want : TOPICFAIL_STEP);
}

bool topicfail_parse(const char *key, size_t *arn_len, long *want)
{
    const char *us = key ? strchr(key, '\x1f') : NULL;
    char *end;

    if (!key || !*key)
        return false;
    *want = TOPICFAIL_STEP;
    *arn_len = us ? (size_t)(us - key) : strlen(key);
    if (!us)
        return *arn_len > 0;
    if (us[1] < '0' || us[1] > '9')
        return false;   /* no sign, no blank: the count as topicfail_key writes it */
    errno = 0;
    *want = strtol(us + 1, &end, 10);
    return *arn_len > 0 && !*end && errno == 0 && *want > 0;
}

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

static int64_t clamp64(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static void ask(struct source_run *run, struct failures_state *st, const char *token)
{
    struct logs_filter_params p = {
        .log_group = st->group, .next_token = token, .limit = PAGE_LIMIT,
        .start_ms = st->from,
        .end_ms = st->to == OPEN_END ? -1 : st->to - 1,   /* both ends are inclusive */
    };
    struct aws_request r;

    if (st->phase == PH_PROBE) {
        p.start_ms = -1;   /* anything older than what is covered: the oldest comes first */
        p.limit = 1;
    }
    st->requests++;
    logs_filter_log_events_request(&r, &p);
    source_send(run, &r, st->phase, 0);
}

/* A new window or probe: its own listing for the pager. */
static void ask_first(struct source_run *run, struct failures_state *st, enum phase ph,
                      int64_t from, int64_t to)
{
    aws_pager_done(&st->pager);
    cJSON_Delete(st->batch);
    st->batch = cJSON_CreateArray();
    st->pages = 0;
    st->phase = ph;
    st->from = from;
    st->to = to;
    if (st->requests >= CYCLE_REQUESTS)
        return;   /* the next cycle goes on from what is covered */
    ask(run, st, NULL);
}

/* ---- records ----------------------------------------------------------------------------- */

static void add_str(cJSON *o, const char *name, const char *v)
{
    cJSON_AddItemToObject(o, name, v ? cJSON_CreateString(v) : cJSON_CreateNull());
}

static void add_int(cJSON *o, const char *name, bool have, int64_t v)
{
    cJSON_AddItemToObject(o, name, have ? json_int64(v) : cJSON_CreateNull());
}

/* An event as a record: {"id", "time_ms", "endpoint", "status_code", "provider_response",
 * "dwell_ms", "attempts", "message_id"}, or {"id", "time_ms", "unparsed"} with the raw text
 * of an event that is not a delivery record. The id is the event's (or, without one, its
 * stream and time), for dropping what two reads both saw. */
static cJSON *record_of(const struct logs_event *e)
{
    struct sns_delivery_record rec = {0};
    struct aws_error perr;
    cJSON *o = cJSON_CreateObject();

    if (e->event_id) {
        add_str(o, "id", e->event_id);
    } else {
        char *id = xasprintf("%s@%lld", e->stream ? e->stream : "", (long long)e->timestamp_ms);

        add_str(o, "id", id);
        free(id);
    }
    add_int(o, "time_ms", e->timestamp_ms >= 0, e->timestamp_ms);
    aws_error_clear(&perr);
    if (sns_delivery_record_parse(e->message, &rec, &perr) < 0) {
        add_str(o, "unparsed", e->message);
    } else {
        add_str(o, "endpoint", rec.destination);
        add_int(o, "status_code", rec.has_status_code, rec.status_code);
        add_str(o, "provider_response", rec.provider_response);
        add_int(o, "dwell_ms", rec.dwell_ms >= 0, rec.dwell_ms);
        add_int(o, "attempts", rec.attempts >= 0, rec.attempts);
        add_str(o, "message_id", rec.message_id);
    }
    sns_delivery_record_free(&rec);
    return o;
}

static double rec_time(const cJSON *o)
{
    double t;

    /* a record made this cycle holds a raw json_int64; one read back, a number */
    return json_number(cJSON_GetObjectItemCaseSensitive(o, "time_ms"), &t) ? t : -1;
}

static const char *rec_id(const cJSON *o)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id");

    return cJSON_IsString(id) ? id->valuestring : "";
}

/* Newest first; one time's records by id, so the same record twice sits side by side. */
static int by_time_desc(const void *a, const void *b)
{
    const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
    double tx = rec_time(x), ty = rec_time(y);

    if (tx != ty)
        return tx < ty ? 1 : -1;
    return strcmp(rec_id(x), rec_id(y));
}

/* The batch joins the loaded records: sorted, duplicates dropped, at most TOPICFAIL_MAX
 * (the oldest go, and what is covered shrinks to what is kept). */
static void merge_batch(struct failures_state *st)
{
    size_t n = (size_t)cJSON_GetArraySize(st->recs) + (size_t)cJSON_GetArraySize(st->batch);
    cJSON **v, *it, *out, *last = NULL;
    size_t k = 0, kept = 0;

    if (!cJSON_GetArraySize(st->batch))
        return;
    v = xcalloc(n, sizeof(*v));
    while ((it = cJSON_DetachItemFromArray(st->recs, 0)))
        v[k++] = it;
    while ((it = cJSON_DetachItemFromArray(st->batch, 0)))
        v[k++] = it;
    qsort(v, k, sizeof(*v), by_time_desc);
    out = cJSON_CreateArray();
    for (size_t i = 0; i < k; i++) {
        if (last && strcmp(rec_id(v[i]), rec_id(last)) == 0 && rec_time(v[i]) == rec_time(last)) {
            cJSON_Delete(v[i]);   /* read twice (the overlap for late records) */
            continue;
        }
        if (kept >= TOPICFAIL_MAX) {
            st->covered_from = (int64_t)rec_time(last);
            st->more = 1;
            cJSON_Delete(v[i]);
            continue;
        }
        cJSON_AddItemToArray(out, v[i]);
        last = v[i];
        kept++;
    }
    free(v);
    cJSON_Delete(st->recs);
    st->recs = out;
}

/* ---- the walk ---------------------------------------------------------------------------- */

static void start_over(struct failures_state *st)
{
    cJSON_Delete(st->recs);
    st->recs = cJSON_CreateArray();
    st->covered_from = st->covered_to = st->now_ms;
    st->window_ms = FIRST_WINDOW_MS;
    st->floor_ms = -1;
    st->more = -1;
}

static void next_fill(struct source_run *run, struct failures_state *st)
{
    int64_t from = st->covered_from - st->window_ms;

    if (st->floor_ms >= 0 && from < st->floor_ms)
        from = st->floor_ms;   /* the oldest record there is: nothing before it to read */
    ask_first(run, st, PH_FILL, from, st->covered_from);
}

/* Loaded enough, or to find whether (and where) older records are. */
static void after_fill(struct source_run *run, struct failures_state *st, int64_t got)
{
    int64_t need = st->want - cJSON_GetArraySize(st->recs);
    /* the next window sized for what is still wanted, but for half the pages a window may
     * take: one too dense is read again, which costs every page it took */
    int64_t aim = clamp64(need, TOPICFAIL_STEP, PAGE_LIMIT * WINDOW_PAGES / 2);

    /* from the span just read (the oldest record may have cut it short), growing at most
     * fourfold a step: records are rarely spread evenly */
    int64_t span = (st->to == OPEN_END ? st->now_ms : st->to) - st->from;

    span = clamp64(span, MIN_WINDOW_MS, MAX_WINDOW_MS);
    if (got > 0)
        st->window_ms = clamp64(span * aim / got, MIN_WINDOW_MS,
                                clamp64(span * 4, MIN_WINDOW_MS, MAX_WINDOW_MS));
    else
        st->window_ms = clamp64(span * 4, MIN_WINDOW_MS, MAX_WINDOW_MS);
    if (need > 0 && got > 0 && cJSON_GetArraySize(st->recs) < TOPICFAIL_MAX &&
        (st->floor_ms < 0 || st->covered_from > st->floor_ms)) {
        next_fill(run, st);
        return;
    }
    st->floor_ms = -1;
    ask_first(run, st, PH_PROBE, -1, st->covered_from);
}

static void window_done(struct source_run *run, struct failures_state *st)
{
    int64_t got = cJSON_GetArraySize(st->batch);

    merge_batch(st);
    switch (st->phase) {
    case PH_TOPUP:
        st->covered_to = st->now_ms;
        if (cJSON_GetArraySize(st->recs) < st->want && st->more != 0)
            next_fill(run, st);
        return;
    case PH_FILL:
        st->covered_from = st->from;
        after_fill(run, st, got);
        return;
    case PH_PROBE:
        break;
    }
}

/* A window with more pages than it may take. */
static void window_overflow(struct source_run *run, struct failures_state *st)
{
    int64_t end = st->to == OPEN_END ? st->now_ms : st->to;

    if (st->phase == PH_TOPUP) {
        /* more arrived since the last cycle than a cycle reads: begin again from now */
        start_over(st);
        st->window_ms = clamp64((end - st->from) / 4, MIN_WINDOW_MS, MAX_WINDOW_MS);
        ask_first(run, st, PH_FILL, st->now_ms - st->window_ms, OPEN_END);
        return;
    }
    if (end - st->from > MIN_WINDOW_MS) {
        /* too dense: its newest quarter, so the newest records still come first */
        st->window_ms = clamp64((end - st->from) / 4, MIN_WINDOW_MS, MAX_WINDOW_MS);
        ask_first(run, st, PH_FILL, end - st->window_ms, st->to);
        return;
    }
    window_done(run, st);   /* thousands in a second: what was read is what there is */
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
        st->failed = true;
        return;
    }
    st->pages++;
    if (st->phase == PH_PROBE) {
        if (l.n && l.events[0].timestamp_ms >= st->covered_from) {
            st->more = -1;   /* not older than asked for: nothing to go on */
        } else if (l.n) {
            st->more = 1;
            st->floor_ms = l.events[0].timestamp_ms;
            if (cJSON_GetArraySize(st->recs) < st->want &&
                cJSON_GetArraySize(st->recs) < TOPICFAIL_MAX)
                next_fill(run, st);
        } else if (!l.next_token) {
            st->more = 0;
        } else if (st->pages < PROBE_PAGES && st->requests < CYCLE_REQUESTS) {
            ask(run, st, l.next_token);   /* CloudWatch is still searching */
        } else {
            st->more = -1;
        }
        logs_event_list_free(&l);
        return;
    }
    for (size_t i = 0; i < l.n; i++)
        cJSON_AddItemToArray(st->batch, record_of(&l.events[i]));
    if (!l.next_token)
        window_done(run, st);
    else if (st->pages >= WINDOW_PAGES)
        window_overflow(run, st);
    else if (st->requests < CYCLE_REQUESTS)
        ask(run, st, l.next_token);
    /* else the cycle has sent what it may: the window is read again by the next one */
    logs_event_list_free(&l);
}

/* What an earlier cycle loaded for this topic, if its row is of the same group. */
static bool read_row(struct failures_state *st, const struct store_res *r)
{
    const char *group = r ? store_res_str(r, "log_group") : NULL;
    const char *text = r ? store_res_str(r, "records") : NULL;
    int64_t exists = 0;

    if (!r || !group || strcmp(group, st->group) != 0 || !text ||
        !store_res_int(r, "group_exists", &exists) || !exists ||
        !store_res_int(r, "covered_from", &st->covered_from) ||
        !store_res_int(r, "covered_to", &st->covered_to) ||
        !store_res_int(r, "window_ms", &st->window_ms) ||
        !store_res_int(r, "more", &st->more) || !store_res_int(r, "floor_ms", &st->floor_ms))
        return false;
    st->recs = cJSON_Parse(text);
    if (!cJSON_IsArray(st->recs) || st->covered_to > st->now_ms ||
        st->covered_from > st->covered_to) {
        cJSON_Delete(st->recs);
        st->recs = NULL;
        return false;
    }
    st->window_ms = clamp64(st->window_ms, MIN_WINDOW_MS, MAX_WINDOW_MS);
    return true;
}

static void failures_start(struct source_run *run, void *state)
{
    struct failures_state *st = state;
    const char *key = source_detail(run);
    size_t len;

    if (!topicfail_parse(key, &len, &st->want))
        return;
    st->arn = xstrndup(key, len);
    st->group = failure_group(st->arn);
    if (!st->group)
        return;
    st->now_ms = source_wall_s(run) * 1000;
    if (read_row(st, store_find(source_store(run), "topic_failures", st->arn))) {
        ask_first(run, st, PH_TOPUP, st->covered_to - LATE_MS, OPEN_END);
        return;
    }
    start_over(st);
    ask_first(run, st, PH_FILL, st->now_ms - st->window_ms, OPEN_END);
}

static void failures_commit(struct source_run *run, void *state)
{
    struct failures_state *st = state;
    struct store *s = source_store(run);
    struct store_res *r;
    int64_t unparsed = 0;
    const cJSON *it;
    char *json;

    if (!st->group)
        return;
    if (st->failed && !st->no_group) {
        store_update_begin(s, "topic_failures", st->arn);
        store_fail(s, "topic_failures", st->arn, st->err);
        return;
    }
    r = store_update_begin(s, "topic_failures", st->arn);
    store_set_str(r, "log_group", st->group);
    store_set_int(r, "group_exists", !st->no_group);
    if (st->no_group) {
        store_set_str(r, "records", "[]");
        store_set_int(r, "loaded", 0);
        store_set_int(r, "more", 0);
        store_set_int(r, "unparsed", 0);
        store_update_commit(r);
        return;
    }
    cJSON_ArrayForEach(it, st->recs)
        unparsed += cJSON_GetObjectItemCaseSensitive(it, "unparsed") != NULL;
    json = cJSON_PrintUnformatted(st->recs);
    store_set_str(r, "records", json);
    store_set_int(r, "loaded", cJSON_GetArraySize(st->recs));
    store_set_int(r, "unparsed", unparsed);
    store_set_int(r, "more", st->more);
    store_set_int(r, "covered_from", st->covered_from);
    store_set_int(r, "covered_to", st->covered_to);
    store_set_int(r, "window_ms", st->window_ms);
    store_set_int(r, "floor_ms", st->floor_ms);
    store_update_commit(r);
    free(json);
}

static void failures_done(void *state)
{
    struct failures_state *st = state;

    cJSON_Delete(st->recs);
    cJSON_Delete(st->batch);
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
