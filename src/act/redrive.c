/* redrive.c - "redrive": moves a dead-letter queue's messages back, as a job.
 *
 * With no destination, SQS moves them itself (StartMessageMoveTask without a destination:
 * each message returns to the queue it came from), at an optional rate; progress is read
 * with ListMessageMoveTasks every few seconds and cancelling sends CancelMessageMoveTask.
 *
 * With a destination queue (an emulator without move tasks, a DLQ fed by SNS or Lambda, a
 * queue the user picks) opsdeck moves them itself, one batch at a time:
 *   receive up to 10 (held for `hold` seconds) -> journal "recv" -> SendMessageBatch to the
 *   destination (body, message attributes; for a FIFO destination the group id and the
 *   original MessageId as the deduplication id, so a resend within SQS's 5 minutes is
 *   dropped) -> journal "sent" for each entry the destination confirmed with the body's
 *   MD5 -> DeleteMessageBatch of exactly those -> journal "done".
 * Entries the destination refused are released (visibility 0) and stop the move. The
 * journal (movejournal.h) lets a mover killed anywhere be resumed: "sent" messages are
 * deleted, "recv" ones released, then the move goes on. A message is deleted only after its
 * send was confirmed: duplicates are possible after a crash, loss is not. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/action.h"
#include "act/movejournal.h"
#include "aws/sqs.h"
#include "aws/sqs_check.h"
#include "util/xalloc.h"

#define RATE_MAX 500            /* StartMessageMoveTask's limit, kept for both ways */
#define HOLD_DEFAULT 60         /* seconds a received batch is hidden from other consumers */
#define HOLD_MAX 43200
#define POLL_MS 2000            /* ListMessageMoveTasks while a server-side move runs */
/* SendMessageBatch takes at most this much in all; a batch is split to stay under it. */
#define BATCH_BYTES_MAX (256 * 1024)
#define FIFO_GROUP_DEFAULT "opsdeck-redrive"

enum tag {
    T_START, T_LIST, T_CANCEL,                  /* server side */
    T_RECEIVE, T_SEND, T_DELETE, T_RELEASE,     /* client side */
};

struct redrive {
    /* from the store and the form */
    char *dlq_url, *dlq_arn, *to;
    long rate, hold;
    int64_t depth;               /* the DLQ's visible messages when it started, -1 unknown */
    bool stopping;               /* cancelled, or a failure: no new batch */
    bool drained;                /* a long poll found the DLQ empty: the move is done */
    char *failure;               /* why it stops, for the result line */
    int64_t moved;

    /* server side */
    char *task;
    bool cancel_sent;
    bool poll_now;               /* the cancel was answered while a list was on the way */
    int64_t next_poll_ms;

    /* client side */
    struct movejournal *journal;
    struct sqs_message_list batch;   /* the messages in hand */
    bool *sent;                      /* per message of batch: the destination confirmed it */
    size_t send_at;                  /* the next message of batch to send */
    size_t slice_end;                /* the end of the slice on the way */
    char **to_release;               /* receipt handles to make visible again */
    size_t nrelease;
    char **to_delete;                /* receipt handles confirmed sent, to delete */
    size_t ndelete;
    bool busy;                       /* a request is on the way */
    int64_t next_ms;                 /* when the next batch may be received (rate) */
    int64_t batch_started_ms;
    int64_t duplicates_possible;     /* sent but not deleted: they stay in the DLQ too */
};

/* ---- the DLQ, from the store -------------------------------------------------------------- */

static char *attr_of(const struct store_res *q, const char *name)
{
    const char *attrs = q ? store_res_str(q, "attributes") : NULL;
    cJSON *o = attrs ? cJSON_Parse(attrs) : NULL;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    char *s = cJSON_IsString(v) && v->valuestring ? xstrdup(v->valuestring) : NULL;

    cJSON_Delete(o);
    return s;
}

static void read_dlq(struct redrive *d, const struct act_run *run)
{
    const struct store *st = act_run_env(run)->store;
    const char *url = act_run_target(run)->key;
    const struct store_res *dl = st ? store_find(st, "dlq", url) : NULL;
    const struct store_res *q = st ? store_find(st, "queue", url) : NULL;
    const char *arn = dl ? store_res_str(dl, "arn") : NULL;
    int64_t depth = -1;

    if (!arn && q)
        arn = store_res_str(q, "arn");
    free(d->dlq_arn);
    d->dlq_arn = arn ? xstrdup(arn) : attr_of(q, "QueueArn");
    if ((dl && store_res_int(dl, "visible", &depth)) || (q && store_res_int(q, "visible", &depth)))
        d->depth = depth;
    else {
        char *v = attr_of(q, "ApproximateNumberOfMessages");

        d->depth = v ? strtoll(v, NULL, 10) : -1;
        free(v);
    }
    free(d->dlq_url);
    d->dlq_url = xstrdup(url);
}

/* ---- the form ------------------------------------------------------------------------------ */

static void redrive_form(void *priv, struct act_run *run, struct form *f)
{
    struct redrive *d = priv;
    struct form_field *fl;

    read_dlq(d, run);
    fl = form_add(f, "to", "To", FORM_LINE);
    form_set_hint(fl, "empty: each message back to the queue it came from (SQS moves them); "
                      "a queue URL: opsdeck moves them there");
    fl = form_add(f, "rate", "Rate (/s)", FORM_NUMBER);
    fl->min = 0;
    fl->max = RATE_MAX;
    form_set_hint(fl, "messages per second, at most 500; 0 or empty: as fast as it goes");
    fl = form_add(f, "hold", "Hold (s)", FORM_NUMBER);
    fl->min = 5;
    fl->max = HOLD_MAX;
    fl->hidden = true;
    form_set_hint(fl, "seconds each batch is hidden from other consumers while it moves");
    char dflt[16];
    snprintf(dflt, sizeof(dflt), "%d", HOLD_DEFAULT);
    form_set(f, "hold", dflt);
}

static void redrive_changed(void *priv, struct act_run *run, struct form *f, const char *field)
{
    struct form_field *hold = form_field(f, "hold");

    (void)priv;
    (void)run;
    if (strcmp(field, "to") == 0 && hold)
        hold->hidden = form_value(f, "to")[0] == '\0';
}

static bool is_url(const char *s)
{
    return strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0;
}

static int redrive_check(void *priv, struct act_run *run, const struct form *f, char *why,
                         size_t whylen)
{
    struct redrive *d = priv;
    const char *to = form_value(f, "to");

    read_dlq(d, run);
    if (to[0] && !is_url(to)) {
        snprintf(why, whylen, "To: give the destination queue's URL (https://...), or leave "
                              "it empty to send each message back where it came from");
        return -1;
    }
    if (to[0] && strcmp(to, d->dlq_url) == 0) {
        snprintf(why, whylen, "To: that is the dead-letter queue itself");
        return -1;
    }
    if (!to[0] && !d->dlq_arn) {
        snprintf(why, whylen, "the queue's ARN is not read yet: wait for the next poll, or "
                              "give a destination queue URL");
        return -1;
    }
    free(d->to);
    d->to = to[0] ? xstrdup(to) : NULL;
    d->rate = form_long(f, "rate", 0);
    d->hold = form_long(f, "hold", HOLD_DEFAULT);
    return 0;
}

static void redrive_describe(void *priv, struct act_run *run, char *what, size_t whatlen)
{
    struct redrive *d = priv;
    char count[48];

    if (d->depth >= 0)
        snprintf(count, sizeof(count), "about %lld messages", (long long)d->depth);
    else
        snprintf(count, sizeof(count), "its messages (how many: not read yet)");
    char *to = d->to ? sqs_queue_name_from_url(d->to) : NULL;

    snprintf(what, whatlen, "Redrive %s from %s to %s", count, act_run_target(run)->name,
             to ? to : "the queues they came from");
    free(to);
}

/* ---- common -------------------------------------------------------------------------------- */

static void set_failure(struct redrive *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void set_failure(struct redrive *d, const char *fmt, ...)
{
    va_list ap;
    char line[1200];

    if (d->failure)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    d->failure = xstrdup(line);
    d->stopping = true;
}

static void fail_with(struct redrive *d, struct act_run *run, const char *what,
                      const struct aws_error *err)
{
    char line[1200];

    act_run_describe_error(run, err, line, sizeof(line));
    set_failure(d, "%s: %s", what, line);
}

static cJSON *params_count(const char *name, long n)
{
    cJSON *p = cJSON_CreateObject();

    cJSON_AddNumberToObject(p, name, (double)n);
    return p;
}

/* ---- server side: StartMessageMoveTask ------------------------------------------------------ */

static int server_start(struct redrive *d, struct act_run *run)
{
    struct sqs_move_params p = {.source_arn = d->dlq_arn, .max_per_second = (int)d->rate};
    struct aws_request req;
    cJSON *params = cJSON_CreateObject();
    int rc;

    cJSON_AddStringToObject(params, "destination", "original sources");
    if (d->rate > 0)
        cJSON_AddNumberToObject(params, "rate", (double)d->rate);
    sqs_start_message_move_task_request(&req, &p);
    rc = act_send(run, &req, T_START, params);
    cJSON_Delete(params);
    return rc;
}

static void server_list(struct redrive *d, struct act_run *run)
{
    struct aws_request req;

    sqs_list_message_move_tasks_request(&req, d->dlq_arn, 1);
    if (act_send(run, &req, T_LIST, NULL) == 0)
        d->busy = true;
}

static void server_cancel(struct redrive *d, struct act_run *run)
{
    struct aws_request req;

    if (d->cancel_sent || !d->task)
        return;
    d->cancel_sent = true;
    sqs_cancel_message_move_task_request(&req, d->task);
    act_send(run, &req, T_CANCEL, NULL);
}

/* A server-side move could not start: say so, and what to do instead when it is not there. */
static void server_unavailable(struct redrive *d, struct act_run *run,
                               const struct aws_error *err)
{
    char line[1200];
    bool missing = err->http_status >= 500 || strstr(err->code, "Unsupported") ||
                   strstr(err->code, "InvalidParameter") || strstr(err->code, "UnknownOperation");

    act_run_describe_error(run, err, line, sizeof(line));
    act_run_finish(run, ACT_FAILED, "StartMessageMoveTask on %s: %s%s",
                   act_run_target(run)->name, line,
                   missing ? " — if this endpoint has no server-side move, give a destination "
                             "queue (To) and opsdeck moves the messages itself"
                           : "");
}

static void server_answer(struct redrive *d, struct act_run *run, int tag,
                          const struct aws_response *resp, const struct aws_error *err)
{
    struct aws_error perr;
    const char *name = act_run_target(run)->name;

    aws_error_clear(&perr);
    d->busy = false;
    if (tag == T_START) {
        if (!resp || sqs_start_message_move_task_parse(resp, &d->task, &perr) < 0) {
            server_unavailable(d, run, resp ? &perr : err);
            return;
        }
        act_run_job(run, -1);
        if (d->stopping)
            server_cancel(d, run);
        server_list(d, run);
        return;
    }
    if (tag == T_CANCEL) {
        if (!resp) {
            char line[1200];

            act_run_describe_error(run, err, line, sizeof(line));
            act_run_finish(run, ACT_FAILED, "could not cancel the move of %s (it may still "
                           "run: see the queue): %s", name, line);
            return;
        }
        /* the list says when it has stopped: read it now rather than at the next tick */
        if (d->busy)
            d->poll_now = true;
        else
            server_list(d, run);
        return;
    }
    struct sqs_move_task_list l;
    bool again;

    if (!resp || sqs_list_message_move_tasks_parse(resp, &l, &perr) < 0) {
        char line[1200];

        act_run_describe_error(run, resp ? &perr : err, line, sizeof(line));
        act_run_finish(run, ACT_FAILED, "the move of %s was started but its progress cannot "
                       "be read (it may still run): %s", name, line);
        return;
    }
    d->next_poll_ms = act_run_now(run) + POLL_MS;
    again = d->poll_now;   /* this answer may predate the cancel: ask once more at once */
    d->poll_now = false;
    if (l.n == 0) {
        sqs_move_task_list_free(&l);
        if (again)
            server_list(d, run);
        return;   /* not listed yet: ask again */
    }
    struct sqs_move_task *t = &l.tasks[0];
    if (t->moved >= 0)
        d->moved = t->moved;
    act_run_progress(run, d->moved, t->to_move);
    if (!t->status || strcmp(t->status, "RUNNING") == 0 || strcmp(t->status, "CANCELLING") == 0) {
        sqs_move_task_list_free(&l);
        if (again)
            server_list(d, run);
        return;
    }
    if (strcmp(t->status, "COMPLETED") == 0)
        act_run_finish(run, ACT_DONE, "moved %lld messages from %s back to their sources",
                       (long long)d->moved, name);
    else if (strcmp(t->status, "CANCELLED") == 0)
        act_run_finish(run, ACT_CANCELLED, "cancelled: %lld messages of %s were moved back, "
                       "the rest stay", (long long)d->moved, name);
    else
        act_run_finish(run, ACT_FAILED, "the move of %s failed after %lld messages: %.300s",
                       name, (long long)d->moved, t->failure_reason ? t->failure_reason
                                                                    : t->status);
    sqs_move_task_list_free(&l);
}

/* ---- client side: receive, send, delete ------------------------------------------------------ */

static bool fifo_url(const char *url)
{
    size_t n = strlen(url);

    return n > 5 && strcmp(url + n - 5, ".fifo") == 0;
}

static void handles_free(char ***v, size_t *n)
{
    for (size_t i = 0; i < *n; i++)
        free((*v)[i]);
    free(*v);
    *v = NULL;
    *n = 0;
}

static void handles_add(char ***v, size_t *n, const char *rh)
{
    *v = xrealloc(*v, (*n + 1) * sizeof(**v));
    (*v)[(*n)++] = xstrdup(rh);
}

static void batch_clear(struct redrive *d)
{
    sqs_message_list_free(&d->batch);
    free(d->sent);
    d->sent = NULL;
    d->send_at = 0;
}

/* Writes a journal line for each handle; on failure the move stops. */
static int journal(struct redrive *d, const char *op, char **rh, const char *const *ids,
                   size_t n)
{
    char why[1024];

    if (n == 0)
        return 0;
    if (movejournal_write(d->journal, op, (const char *const *)rh, ids, n, why,
                          sizeof(why)) < 0) {
        set_failure(d, "%s", why);
        return -1;
    }
    return 0;
}

static void finish_client(struct redrive *d, struct act_run *run)
{
    const char *name = act_run_target(run)->name;
    char dup[160] = "";

    if (d->busy || act_run_ended(run))
        return;
    if (d->duplicates_possible > 0)
        snprintf(dup, sizeof(dup), " (%lld sent but not deleted: they are in both queues)",
                 (long long)d->duplicates_possible);
    /* nothing is in hand at a clean stop: the journal goes; else it stays for a resume */
    movejournal_close(d->journal, movejournal_held(d->journal) == 0);
    d->journal = NULL;
    if (d->failure)
        act_run_finish(run, ACT_FAILED, "%lld messages moved from %s to %s, then: %s%s",
                       (long long)d->moved, name, d->to, d->failure, dup);
    else if (d->stopping && !d->drained)
        act_run_finish(run, ACT_CANCELLED, "cancelled: %lld messages moved from %s to %s, "
                       "the rest stay%s", (long long)d->moved, name, d->to, dup);
    else
        act_run_finish(run, ACT_DONE, "moved %lld messages from %s to %s%s",
                       (long long)d->moved, name, d->to, dup);
}

static void client_step(struct redrive *d, struct act_run *run);

/* DeleteMessageBatch or ChangeMessageVisibilityBatch of up to 10 handles of v. */
static void send_handles(struct redrive *d, struct act_run *run, int tag, char **v, size_t n)
{
    struct sqs_batch_entry e[SQS_MAX_BATCH];
    char ids[SQS_MAX_BATCH][24];
    struct aws_request req;
    cJSON *params;

    if (n > SQS_MAX_BATCH)
        n = SQS_MAX_BATCH;
    for (size_t i = 0; i < n; i++) {
        snprintf(ids[i], sizeof(ids[i]), "m%zu", i);
        e[i] = (struct sqs_batch_entry){.id = ids[i], .receipt_handle = v[i],
                                        .visibility_timeout = 0};
    }
    if (tag == T_DELETE)
        sqs_delete_message_batch_request(&req, d->dlq_url, e, n);
    else
        sqs_change_message_visibility_batch_request(&req, d->dlq_url, e, n);
    params = params_count(tag == T_DELETE ? "messages" : "released", (long)n);
    if (act_send(run, &req, tag, params) == 0)
        d->busy = true;
    cJSON_Delete(params);
}

static void receive(struct redrive *d, struct act_run *run)
{
    struct sqs_receive_params p = {
        .queue_url = d->dlq_url, .max_messages = SQS_MAX_BATCH,
        .visibility_timeout = (int)d->hold, .wait_seconds = 1};
    struct aws_request req;
    cJSON *params = cJSON_CreateObject();

    if (d->rate > 0 && d->rate < SQS_MAX_BATCH)
        p.max_messages = (int)d->rate;
    cJSON_AddNumberToObject(params, "max", p.max_messages);
    cJSON_AddNumberToObject(params, "hold", (double)d->hold);
    d->batch_started_ms = act_run_now(run);
    sqs_receive_message_request(&req, &p);
    if (act_send(run, &req, T_RECEIVE, params) == 0)
        d->busy = true;
    cJSON_Delete(params);
}

/* The next slice of the batch that fits one SendMessageBatch. */
static void send_batch(struct redrive *d, struct act_run *run)
{
    struct sqs_send_params e[SQS_MAX_BATCH] = {{0}};
    struct sqs_msg_attr_in *attrs[SQS_MAX_BATCH] = {0};
    char ids[SQS_MAX_BATCH][24];
    bool fifo = fifo_url(d->to);
    size_t n = 0, bytes = 0;
    struct aws_request req;
    cJSON *params;

    while (d->send_at + n < d->batch.n && n < SQS_MAX_BATCH) {
        const struct sqs_message *m = &d->batch.msgs[d->send_at + n];
        size_t sz = strlen(m->body);

        for (size_t k = 0; k < m->nmattrs; k++)
            sz += strlen(m->mattrs[k].name) + strlen(m->mattrs[k].data_type) +
                  (m->mattrs[k].string_value ? strlen(m->mattrs[k].string_value)
                                             : m->mattrs[k].binary_len);
        if (n > 0 && bytes + sz > BATCH_BYTES_MAX)
            break;
        bytes += sz;
        attrs[n] = xcalloc(m->nmattrs ? m->nmattrs : 1, sizeof(**attrs));
        for (size_t k = 0; k < m->nmattrs; k++)
            attrs[n][k] = (struct sqs_msg_attr_in){
                .name = m->mattrs[k].name, .data_type = m->mattrs[k].data_type,
                .string_value = m->mattrs[k].string_value, .binary = m->mattrs[k].binary,
                .binary_len = m->mattrs[k].binary_len};
        snprintf(ids[n], sizeof(ids[n]), "m%zu", d->send_at + n);
        e[n] = (struct sqs_send_params){
            .id = ids[n], .body = m->body, .delay_seconds = -1, .attrs = attrs[n],
            .nattrs = m->nmattrs,
            .group_id = fifo ? (m->group_id ? m->group_id : FIFO_GROUP_DEFAULT) : NULL,
            .dedup_id = fifo ? m->message_id : NULL};
        n++;
    }
    d->slice_end = d->send_at + n;
    sqs_send_message_batch_request(&req, d->to, e, n);
    for (size_t i = 0; i < n; i++)
        free(attrs[i]);
    params = cJSON_CreateObject();
    cJSON_AddStringToObject(params, "to", d->to);
    cJSON_AddNumberToObject(params, "messages", (double)n);
    if (act_send(run, &req, T_SEND, params) == 0)
        d->busy = true;
    cJSON_Delete(params);
}

/* What to do next, in the order that keeps every message somewhere: finish what is in hand
 * (send, then delete what was confirmed, release what was not), then a new batch. */
static void client_step(struct redrive *d, struct act_run *run)
{
    if (d->busy || act_run_ended(run))
        return;
    if (d->ndelete > 0) {
        send_handles(d, run, T_DELETE, d->to_delete, d->ndelete);
        return;
    }
    if (d->batch.n > 0 && d->send_at < d->batch.n && !d->stopping) {
        send_batch(d, run);
        return;
    }
    if (d->batch.n > 0) {
        /* what was not confirmed sent goes back to the DLQ */
        for (size_t i = 0; i < d->batch.n; i++)
            if (!d->sent[i])
                handles_add(&d->to_release, &d->nrelease, d->batch.msgs[i].receipt_handle);
        batch_clear(d);
    }
    if (d->nrelease > 0) {
        send_handles(d, run, T_RELEASE, d->to_release, d->nrelease);
        return;
    }
    if (d->stopping || d->drained) {
        finish_client(d, run);
        return;
    }
    if (d->rate > 0 && act_run_now(run) < d->next_ms)
        return;   /* the tick comes back */
    receive(d, run);
}

/* Drops the first n handles of v (they were answered). */
static void handles_shift(char ***v, size_t *nv, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free((*v)[i]);
    memmove(*v, *v + n, (*nv - n) * sizeof(**v));
    *nv -= n;
    if (*nv == 0) {
        free(*v);
        *v = NULL;
    }
}

static void on_receive(struct redrive *d, struct act_run *run, const struct aws_response *resp,
                       const struct aws_error *err)
{
    struct aws_error perr;
    const char **ids;
    char **rh;

    aws_error_clear(&perr);
    if (!resp || sqs_receive_message_parse(resp, &d->batch, &perr) < 0) {
        fail_with(d, run, "ReceiveMessage", resp ? &perr : err);
        return;
    }
    if (d->batch.n == 0) {
        d->drained = true;   /* a long poll found nothing: the DLQ is empty */
        return;
    }
    d->sent = xcalloc(d->batch.n, sizeof(*d->sent));
    rh = xcalloc(d->batch.n, sizeof(*rh));
    ids = xcalloc(d->batch.n, sizeof(*ids));
    for (size_t i = 0; i < d->batch.n; i++) {
        rh[i] = d->batch.msgs[i].receipt_handle;
        ids[i] = d->batch.msgs[i].message_id;
    }
    journal(d, "recv", rh, ids, d->batch.n);   /* on failure: stopping, the batch is released */
    free(rh);
    free(ids);
    if (d->rate > 0)
        d->next_ms = d->batch_started_ms + (int64_t)d->batch.n * 1000 / d->rate;
}

static ssize_t batch_index(const struct redrive *d, const char *id)
{
    char *end;
    unsigned long i;

    if (!id || id[0] != 'm')
        return -1;
    i = strtoul(id + 1, &end, 10);
    return *end == '\0' && i < d->batch.n ? (ssize_t)i : -1;
}

static void on_send(struct redrive *d, struct act_run *run, const struct aws_response *resp,
                    const struct aws_error *err)
{
    struct sqs_send_batch_result res;
    struct aws_error perr;
    size_t first = d->send_at, nsent = 0;
    char **ok;

    aws_error_clear(&perr);
    d->send_at = d->slice_end;   /* whatever happened, this slice was tried once */
    if (!resp || sqs_send_message_batch_parse(resp, &res, &perr) < 0) {
        fail_with(d, run, "SendMessageBatch", resp ? &perr : err);
        return;
    }
    ok = xcalloc(res.nok + 1, sizeof(*ok));
    for (size_t i = 0; i < res.nok; i++) {
        ssize_t at = batch_index(d, res.ok[i].id);
        const struct sqs_message *m = at >= 0 ? &d->batch.msgs[at] : NULL;

        /* confirmed means: an entry we sent, answered with the MD5 of its body */
        if (!m || (size_t)at < first || (size_t)at >= d->slice_end || d->sent[at] ||
            !sqs_md5_matches(m->body, strlen(m->body), res.ok[i].md5_of_body))
            continue;
        d->sent[at] = true;
        ok[nsent++] = m->receipt_handle;
    }
    if (res.nfailed > 0)
        set_failure(d, "%s refused a message: %.80s %.300s", d->to,
                    res.failed[0].code ? res.failed[0].code : "?",
                    res.failed[0].message ? res.failed[0].message : "");
    else if (nsent < res.nok || res.nok == 0)
        set_failure(d, "%s answered SendMessageBatch with entries that do not match what was "
                    "sent (MD5 or ids): those messages stay in the DLQ", d->to);
    sqs_send_batch_result_free(&res);
    /* only what is on disk as sent may be deleted */
    if (journal(d, "sent", ok, NULL, nsent) == 0) {
        for (size_t i = 0; i < nsent; i++)
            handles_add(&d->to_delete, &d->ndelete, ok[i]);
    } else {
        /* not on disk: it stays in hand (neither deleted nor released); the journal says
         * "recv", so a resume releases it: a duplicate at worst */
        d->duplicates_possible += (int64_t)nsent;
    }
    free(ok);
}

static void on_handles(struct redrive *d, struct act_run *run, int tag,
                       const struct aws_response *resp, const struct aws_error *err)
{
    bool del = tag == T_DELETE;
    char ***v = del ? &d->to_delete : &d->to_release;
    size_t *nv = del ? &d->ndelete : &d->nrelease;
    size_t n = *nv < SQS_MAX_BATCH ? *nv : SQS_MAX_BATCH;
    struct sqs_batch_result res;
    struct aws_error perr;

    aws_error_clear(&perr);
    if (!resp || sqs_batch_parse(resp, del ? "DeleteMessageBatch" : "ChangeMessageVisibilityBatch",
                                 &res, &perr) < 0) {
        /* kept in hand and in the journal: a resume deletes (or releases) them */
        fail_with(d, run, del ? "DeleteMessageBatch" : "ChangeMessageVisibilityBatch",
                  resp ? &perr : err);
        if (del)
            d->duplicates_possible += (int64_t)*nv;
        handles_free(v, nv);
        return;
    }
    if (del) {
        d->moved += (int64_t)res.nok;
        /* a handle that could not be deleted leaves a copy in the DLQ, and nothing lost */
        d->duplicates_possible += (int64_t)res.nfailed;
        act_run_progress(run, d->moved, d->depth);
    }
    sqs_batch_result_free(&res);
    journal(d, "done", *v, NULL, n);
    handles_shift(v, nv, n);
}

static void client_answer(struct redrive *d, struct act_run *run, int tag,
                          const struct aws_response *resp, const struct aws_error *err)
{
    d->busy = false;
    switch (tag) {
    case T_RECEIVE:
        on_receive(d, run, resp, err);
        break;
    case T_SEND:
        on_send(d, run, resp, err);
        break;
    default:
        on_handles(d, run, tag, resp, err);
        break;
    }
    client_step(d, run);
}

static int client_start(struct redrive *d, struct act_run *run)
{
    struct mj_pending held;
    char why[1024], *path = movejournal_path(d->dlq_url, d->to);

    d->journal = movejournal_open(path, d->dlq_url, d->to, &held, why, sizeof(why));
    free(path);
    if (!d->journal) {
        act_run_finish(run, ACT_FAILED, "%s", why);
        return -1;
    }
    /* a move that was killed: delete what it had sent, release what it had not */
    for (size_t i = 0; i < held.n; i++) {
        if (held.e[i].state == MJ_SENT)
            handles_add(&d->to_delete, &d->ndelete, held.e[i].rh);
        else
            handles_add(&d->to_release, &d->nrelease, held.e[i].rh);
    }
    mj_pending_free(&held);
    act_run_job(run, d->depth);
    d->next_ms = act_run_now(run);
    client_step(d, run);
    return act_run_failed(run) ? -1 : 0;
}

/* ---- the hooks ----------------------------------------------------------------------------- */

static int redrive_start(void *priv, struct act_run *run)
{
    struct redrive *d = priv;

    if (!d->dlq_url)
        read_dlq(d, run);
    return d->to ? client_start(d, run) : server_start(d, run);
}

static void redrive_answer(void *priv, struct act_run *run, int tag,
                           const struct aws_response *resp, const struct aws_error *err)
{
    struct redrive *d = priv;

    if (tag <= T_CANCEL)
        server_answer(d, run, tag, resp, err);
    else
        client_answer(d, run, tag, resp, err);
}

static int redrive_tick(void *priv, struct act_run *run, int64_t now_ms)
{
    struct redrive *d = priv;

    if (!d->to) {
        if (!d->busy && d->task && now_ms >= d->next_poll_ms)
            server_list(d, run);
        return d->task ? (int)(d->next_poll_ms > now_ms ? d->next_poll_ms - now_ms : POLL_MS)
                       : -1;
    }
    client_step(d, run);
    if (d->busy || act_run_ended(run))
        return -1;
    return d->next_ms > now_ms ? (int)(d->next_ms - now_ms) : 0;
}

static void redrive_cancel(void *priv, struct act_run *run)
{
    struct redrive *d = priv;

    d->stopping = true;
    if (!d->to) {
        server_cancel(d, run);   /* before the task is known: sent when Start answers */
        return;
    }
    client_step(d, run);   /* at once when nothing is on the way, else at the next answer */
}

static void redrive_done(void *priv)
{
    struct redrive *d = priv;

    /* a run freed before its end keeps its journal: what is in hand is resumed next time */
    movejournal_close(d->journal, false);
    batch_clear(d);
    handles_free(&d->to_release, &d->nrelease);
    handles_free(&d->to_delete, &d->ndelete);
    free(d->dlq_url);
    free(d->dlq_arn);
    free(d->to);
    free(d->task);
    free(d->failure);
}

const struct action redrive_action = {
    .name = "redrive",
    .title = "Redrive",
    .ok_label = "Redrive",
    .target_kind = "dlq",
    .mutates = true,
    .confirm = ACT_CONFIRM_TYPED,
    .private_size = sizeof(struct redrive),
    .form = redrive_form,
    .changed = redrive_changed,
    .check = redrive_check,
    .describe = redrive_describe,
    .start = redrive_start,
    .answer = redrive_answer,
    .tick = redrive_tick,
    .cancel = redrive_cancel,
    .done = redrive_done,
};
