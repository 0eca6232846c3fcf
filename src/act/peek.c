/* peek.c - "peek": reads up to N messages of a queue and puts them back at once.
 *
 * SQS has no read without a receive, and a receive is a write: it hides the message and
 * adds one to its receive count. So the peek receives (held HOLD_S at most, long poll of
 * 1 s), then makes every message it got visible again (ChangeMessageVisibilityBatch 0), and
 * the form says what that costs before anything is received: on a queue with a redrive
 * policy a message received maxReceiveCount - 1 times is moved to the DLQ by the next
 * receive after the peek (SQS moves a message received maxReceiveCount times when it is
 * received again); on a FIFO queue a held message blocks its group until it is released.
 * SQS samples its servers, so it is "up to N".
 *
 * What it read goes to the store for the messages view (kind "message", key
 * "<queue URL>\n<MessageId>"; the queue's earlier peek replaced, or kept when the form
 * says "peek more"):
 *   queue str, queue_name str, id str, body str (as sent), size int (bytes of the body),
 *   md5 str (MD5OfBody, when SQS gave it),
 *   sent int (epoch ms), first_receive int (epoch ms), receive_count int (after this peek),
 *   group str (FIFO), source_arn str (DeadLetterQueueSourceArn, as SQS gave it: the queue a
 *   DLQ's message came from; absent when not given), max_receive_count int (the queue's, when it has a redrive policy),
 *   attributes str (JSON object of the system attributes), message_attributes str (JSON
 *   object name -> {type, value} with Binary values base64), peeked int (store clock ms),
 *   released int (1 when made visible again, 0 when the release failed: it comes back when
 *   its hold ends). */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "act/action.h"
#include "act/exportpayload.h"
#include "aws/sqs.h"
#include "aws/sqs_check.h"
#include "core/proto.h"
#include "util/xalloc.h"

#define COUNT_DEFAULT 10
#define COUNT_MAX 100
#define HOLD_S 30               /* the release comes right after the last receive */
#define EXPORT_HOLD_S 300       /* an export holds everything until it has read the queue */

enum { T_RECEIVE, T_RELEASE, T_PAYLOAD };

struct peek {
    long want;                  /* -1: every message (export) */
    bool exporting;
    bool keep_earlier;          /* peek more: the queue's earlier peek stays in the store */
    char *path;                 /* export: the file written */
    FILE *fp;                   /* export: open while it runs */
    size_t written;             /* export: lines in the file */
    bool inline_payloads;       /* export: a pointer's S3 object goes into its line */
    size_t write_at;            /* inline: the next message to write (after every receive) */
    struct export_payload *fetch;   /* inline: the payload on the way, of msgs[write_at] */
    char *source;               /* inline: its s3://bucket/key */
    size_t inlined, payload_failed;
    long hold;
    bool fifo;
    int64_t max_receives;       /* the queue's redrive maxReceiveCount, -1 none */
    char *dlq_name;
    struct sqs_message *msgs;
    size_t n;
    bool *released;
    size_t release_at;          /* the next message to release */
    bool stopping;
    char *failure;
};

static void read_queue(struct peek *p, const struct act_run *run)
{
    const struct store *s = act_run_env(run)->store;
    const struct store_res *q = s ? store_find(s, "queue", act_run_target(run)->key) : NULL;
    const char *dlq;
    int64_t v;

    p->max_receives = q && store_res_int(q, "max_receive_count", &v) && v > 0 ? v : -1;
    p->fifo = q && store_res_int(q, "fifo", &v) && v;
    dlq = q ? store_res_str(q, "dlq_url") : NULL;
    free(p->dlq_name);
    p->dlq_name = dlq ? sqs_queue_name_from_url(dlq) : NULL;
}

/* What a peek costs, for the form (its hint is wrapped over two rows): said before anything
 * is received. */
static void cost(const struct peek *p, char *out, size_t n)
{
    int k = snprintf(out, n, "up to N (SQS samples); each one's receive count +1");

    if (k >= 0 && (size_t)k < n && p->max_receives > 0)
        k += snprintf(out + k, n - (size_t)k, "; one received %lld times already goes to %s "
                      "at the next receive after the peek", (long long)(p->max_receives - 1),
                      p->dlq_name ? p->dlq_name : "its DLQ");
    if (k >= 0 && (size_t)k < n && p->fifo)
        snprintf(out + k, n - (size_t)k, "; FIFO: a held message blocks its group until "
                 "released");
}

#define KEEP_EARLIER "keep: peek more"
#define REPLACE_EARLIER "replace"

/* The store holds messages of an earlier peek of this queue. */
static bool earlier_peek(const struct act_run *run)
{
    const struct store *s = act_run_env(run)->store;
    const char *url = act_run_target(run)->key;
    size_t n = s ? store_count(s, "message") : 0;

    for (size_t i = 0; i < n; i++) {
        const char *q = store_res_str(store_at(s, "message", i), "queue");

        if (q && strcmp(q, url) == 0)
            return true;
    }
    return false;
}

static void peek_form(void *priv, struct act_run *run, struct form *f)
{
    struct peek *p = priv;
    struct form_field *fl = form_add(f, "count", "Messages", FORM_NUMBER);
    char dflt[16], hint[400];

    read_queue(p, run);
    fl->required = true;
    fl->min = 1;
    fl->max = COUNT_MAX;
    cost(p, hint, sizeof(hint));
    form_set_hint(fl, hint);
    snprintf(dflt, sizeof(dflt), "%d",
             act_run_env(run)->app && act_run_env(run)->app->peek_count > 0
                 ? act_run_env(run)->app->peek_count : COUNT_DEFAULT);
    form_set(f, "count", dflt);
    /* SQS samples: a second peek may bring others, so the earlier ones can be kept */
    if (earlier_peek(run)) {
        static const char *const choices[] = {KEEP_EARLIER, REPLACE_EARLIER};

        fl = form_add(f, "earlier", "Earlier", FORM_CHOICE);
        form_set_choices(fl, choices, 2);
        form_set(f, "earlier", KEEP_EARLIER);
        form_set_hint(fl, "Left/Right: peek more (keep what :messages shows of this queue) or "
                          "replace it");
    }
}

static int peek_check(void *priv, struct act_run *run, const struct form *f, char *why,
                      size_t whylen)
{
    struct peek *p = priv;

    (void)why;
    (void)whylen;
    read_queue(p, run);
    p->want = form_long(f, "count", COUNT_DEFAULT);
    p->keep_earlier = strcmp(form_value(f, "earlier"), KEEP_EARLIER) == 0;
    return 0;
}

static void peek_describe(void *priv, struct act_run *run, char *what, size_t whatlen)
{
    struct peek *p = priv;

    if (act_run_state(run) == ACT_FORM)
        snprintf(what, whatlen, "Peek at messages of %s (received, then released at once)",
                 act_run_target(run)->name);
    else
        snprintf(what, whatlen, "Peek at up to %ld messages of %s: receive count +1 each%s",
                 p->want, act_run_target(run)->name,
                 p->max_receives > 0 ? " (see the form)" : "");
}

static void receive(struct peek *p, struct act_run *run)
{
    long left = p->want < 0 ? SQS_MAX_BATCH : p->want - (long)p->n;
    struct sqs_receive_params rp = {
        .queue_url = act_run_target(run)->key,
        .max_messages = left < SQS_MAX_BATCH ? (int)left : SQS_MAX_BATCH,
        .visibility_timeout = (int)p->hold, .wait_seconds = 1};
    struct aws_request req;
    cJSON *params = cJSON_CreateObject();

    cJSON_AddNumberToObject(params, "max", rp.max_messages);
    cJSON_AddNumberToObject(params, "hold", (double)p->hold);
    cJSON_AddStringToObject(params, "purpose", p->exporting ? "export" : "peek");
    sqs_receive_message_request(&req, &rp);
    act_send(run, &req, T_RECEIVE, params);
    cJSON_Delete(params);
}

static void release(struct peek *p, struct act_run *run)
{
    struct sqs_batch_entry e[SQS_MAX_BATCH];
    char ids[SQS_MAX_BATCH][24];
    struct aws_request req;
    size_t n = 0;

    while (p->release_at + n < p->n && n < SQS_MAX_BATCH) {
        snprintf(ids[n], sizeof(ids[n]), "m%zu", p->release_at + n);
        e[n] = (struct sqs_batch_entry){.id = ids[n],
                                        .receipt_handle = p->msgs[p->release_at + n].receipt_handle,
                                        .visibility_timeout = 0};
        n++;
    }
    sqs_change_message_visibility_batch_request(&req, act_run_target(run)->key, e, n);
    act_send(run, &req, T_RELEASE, NULL);
}

static cJSON *attrs_json(const struct sqs_message *m)
{
    cJSON *o = cJSON_CreateObject();

    for (size_t i = 0; i < m->nattrs; i++)
        cJSON_AddStringToObject(o, m->attrs[i].name, m->attrs[i].value);
    return o;
}

static cJSON *mattrs_json(const struct sqs_message *m)
{
    cJSON *o = cJSON_CreateObject();

    for (size_t i = 0; i < m->nmattrs; i++) {
        const struct sqs_msg_attr *a = &m->mattrs[i];
        cJSON *v = cJSON_CreateObject();

        cJSON_AddStringToObject(v, "type", a->data_type);
        if (a->binary) {
            char *s = proto_base64_encode(a->binary, a->binary_len);
            cJSON_AddStringToObject(v, "value", s);
            free(s);
        } else {
            cJSON_AddStringToObject(v, "value", a->string_value ? a->string_value : "");
        }
        cJSON_AddItemToObject(o, a->name, v);
    }
    return o;
}

static void set_json(struct store_res *r, const char *field, cJSON *o)
{
    char *s = cJSON_PrintUnformatted(o);

    store_set_str(r, field, s);
    cJSON_free(s);
    cJSON_Delete(o);
}

/* The queue's previous peek is replaced by this one. */
static void publish(struct peek *p, struct act_run *run)
{
    struct store *s = act_run_env(run)->results;
    const struct act_target *t = act_run_target(run);
    char *prefix;

    if (!s)
        return;
    prefix = xasprintf("%s\n", t->key);
    if (!p->keep_earlier)
        store_list_begin_prefix(s, "message", prefix);
    for (size_t i = 0; i < p->n; i++) {
        const struct sqs_message *m = &p->msgs[i];
        char *key = xasprintf("%s%s", prefix, m->message_id);
        struct store_res *r = store_update_begin(s, "message", key);

        store_set_str(r, "queue", t->key);
        store_set_str(r, "queue_name", t->name);
        store_set_str(r, "id", m->message_id);
        store_set_str(r, "body", m->body);
        store_set_int(r, "size", (int64_t)strlen(m->body));
        if (m->md5_of_body)   /* export-peeked writes it as the export does */
            store_set_str(r, "md5", m->md5_of_body);
        if (m->sent_ms >= 0)
            store_set_int(r, "sent", m->sent_ms);
        if (m->first_receive_ms >= 0)
            store_set_int(r, "first_receive", m->first_receive_ms);
        if (m->receive_count >= 0)
            store_set_int(r, "receive_count", m->receive_count);
        if (m->group_id)
            store_set_str(r, "group", m->group_id);
        if (m->dlq_source_arn)
            store_set_str(r, "source_arn", m->dlq_source_arn);
        if (p->max_receives > 0)
            store_set_int(r, "max_receive_count", p->max_receives);
        set_json(r, "attributes", attrs_json(m));
        set_json(r, "message_attributes", mattrs_json(m));
        store_set_int(r, "peeked", store_now(s));
        store_set_int(r, "released", p->released[i]);
        store_update_commit(r);
        free(key);
    }
    if (!p->keep_earlier)
        store_list_end(s, "message");
    free(prefix);
}

static void finish_export(struct peek *p, struct act_run *run)
{
    const char *name = act_run_target(run)->name;
    char payloads[160] = "";

    if (p->fp) {
        if ((fflush(p->fp) == EOF || fsync(fileno(p->fp)) < 0 || fclose(p->fp) == EOF) &&
            !p->failure)
            p->failure = xasprintf("cannot write %s: %s", p->path, strerror(errno));
        p->fp = NULL;
    }
    if (p->inline_payloads && p->payload_failed)
        snprintf(payloads, sizeof(payloads), "; %zu S3 payloads inlined, %zu could not be "
                 "(PayloadError in their lines)", p->inlined, p->payload_failed);
    else if (p->inline_payloads)
        snprintf(payloads, sizeof(payloads), "; %zu S3 payloads inlined", p->inlined);
    if (p->failure)
        act_run_finish(run, ACT_FAILED, "export of %s: %zu messages written to %s, then: %s",
                       name, p->written, p->path, p->failure);
    else if (p->stopping)
        act_run_finish(run, ACT_CANCELLED, "export of %s cancelled: %zu messages in %s%s; all "
                       "stay in the queue", name, p->written, p->path, payloads);
    else
        act_run_finish(run, ACT_DONE, "exported %zu messages of %s to %s (0600)%s; they stay "
                       "in the queue", p->written, name, p->path, payloads);
}

static void finish(struct peek *p, struct act_run *run)
{
    const char *name = act_run_target(run)->name;
    size_t held = 0;

    if (p->exporting) {
        finish_export(p, run);
        return;
    }
    for (size_t i = 0; i < p->n; i++)
        held += !p->released[i];
    publish(p, run);
    if (p->failure)
        act_run_finish(run, ACT_FAILED, "peek of %s: %zu read, then: %s%s", name, p->n,
                       p->failure, held ? " (the unreleased come back when their 30 s hold "
                                          "ends)" : "");
    else if (p->n == 0)
        act_run_finish(run, ACT_DONE, "peek of %s: no message came back (the queue is empty, "
                       "or its messages are in flight)", name);
    else
        act_run_finish(run, ACT_DONE, "peeked at %zu messages of %s and released them "
                       "(:messages; m for more)", p->n, name);
}

static ssize_t find_id(const struct peek *p, const char *id)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->msgs[i].message_id, id) == 0)
            return (ssize_t)i;
    return -1;
}

/* Takes l's messages; one already held (its hold ran out and it came again) keeps its
 * newest receipt handle, the one a release must use. Returns how many are new. */
static size_t add_messages(struct peek *p, struct sqs_message_list *l)
{
    size_t added = 0;

    p->msgs = xrealloc(p->msgs, (p->n + l->n) * sizeof(*p->msgs));
    p->released = xrealloc(p->released, (p->n + l->n) * sizeof(*p->released));
    for (size_t i = 0; i < l->n; i++) {
        ssize_t at = find_id(p, l->msgs[i].message_id);

        if (at >= 0) {
            char *rh = p->msgs[at].receipt_handle;

            p->msgs[at].receipt_handle = l->msgs[i].receipt_handle;
            l->msgs[i].receipt_handle = rh;   /* freed with l */
            continue;
        }
        p->msgs[p->n] = l->msgs[i];
        memset(&l->msgs[i], 0, sizeof(l->msgs[i]));
        p->released[p->n++] = false;
        added++;
    }
    return added;
}

/* One line of an export: the message as boto3's receive_message gives it (Binary values
 * base64), so the file reads back with `opsdeck dlq send` or any SDK. */
static cJSON *export_json(const struct sqs_message *m)
{
    cJSON *o = cJSON_CreateObject(), *ma = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "MessageId", m->message_id);
    cJSON_AddStringToObject(o, "Body", m->body);
    if (m->md5_of_body)
        cJSON_AddStringToObject(o, "MD5OfBody", m->md5_of_body);
    cJSON_AddItemToObject(o, "Attributes", attrs_json(m));
    for (size_t i = 0; i < m->nmattrs; i++) {
        const struct sqs_msg_attr *a = &m->mattrs[i];
        cJSON *v = cJSON_CreateObject();

        cJSON_AddStringToObject(v, "DataType", a->data_type);
        if (a->binary) {
            char *b = proto_base64_encode(a->binary, a->binary_len);
            cJSON_AddStringToObject(v, "BinaryValue", b);
            free(b);
        } else {
            cJSON_AddStringToObject(v, "StringValue", a->string_value ? a->string_value : "");
        }
        cJSON_AddItemToObject(ma, a->name, v);
    }
    cJSON_AddItemToObject(o, "MessageAttributes", ma);
    return o;
}

/* Appends m's line. An inlined payload (source set) adds PayloadSource and either the
 * payload (data, written straight from the fetched bytes before the closing brace) or
 * PayloadError; the Body stays the pointer, so the line sends back as it came. */
static void export_put(struct peek *p, const struct sqs_message *m, const char *source,
                       const char *data, size_t len, const char *payload_error)
{
    cJSON *o = export_json(m);
    char *s;
    size_t n;
    bool ok;

    if (p->failure)
        return;
    if (source)
        cJSON_AddStringToObject(o, "PayloadSource", source);
    if (payload_error)
        cJSON_AddStringToObject(o, "PayloadError", payload_error);
    s = cJSON_PrintUnformatted(o);
    n = strlen(s);
    if (data)   /* s ends with the object's '}' */
        ok = fwrite(s, 1, n - 1, p->fp) == n - 1 && fputc(',', p->fp) != EOF &&
             export_payload_write_fields(p->fp, data, len) == 0 && fputs("}\n", p->fp) != EOF;
    else
        ok = fputs(s, p->fp) != EOF && fputc('\n', p->fp) != EOF;
    cJSON_free(s);
    cJSON_Delete(o);
    if (!ok) {
        p->failure = xasprintf("cannot write %s: %s", p->path, strerror(errno));
        p->stopping = true;
        return;
    }
    p->written++;
}

/* Appends messages [from, p->n) to the export file. */
static void export_write(struct peek *p, size_t from)
{
    for (size_t i = from; i < p->n && !p->failure; i++)
        export_put(p, &p->msgs[i], NULL, NULL, 0, NULL);
}

/* The line of msgs[write_at], whose payload fetch has ended (err: how it failed). */
static void put_payload(struct peek *p, struct act_run *run, const struct aws_error *err)
{
    const struct sqs_message *m = &p->msgs[p->write_at];
    const char *data;
    size_t len;
    char why[1200];

    if (export_payload_result(p->fetch, run, err, &data, &len, why, sizeof(why)) == 0) {
        export_put(p, m, p->source, data, len, NULL);
        p->inlined++;
    } else {
        export_put(p, m, p->source, NULL, 0, why);
        p->payload_failed++;
    }
    export_payload_free(p->fetch);
    p->fetch = NULL;
    p->write_at++;
    act_run_progress(run, (int64_t)p->write_at, (int64_t)p->n);
}

/* Inline: once every message is received (all still held), the lines are written in order,
 * each pointer's payload fetched first. True while a fetch is on the way (its answer goes
 * on from here) or the run ended. */
static bool write_payloads(struct peek *p, struct act_run *run)
{
    while (p->write_at < p->n && !p->stopping) {
        const struct sqs_message *m = &p->msgs[p->write_at];
        char *bucket, *key;
        bool sent;

        if (!sqs_s3_pointer(m->body, &bucket, &key)) {
            export_put(p, m, NULL, NULL, 0, NULL);
            p->write_at++;
            continue;
        }
        free(p->source);
        p->source = xasprintf("s3://%s/%s", bucket, key);
        p->fetch = export_payload_fetch(run, bucket, key, T_PAYLOAD, &sent);
        free(bucket);
        free(key);
        if (sent || act_run_ended(run))
            return true;
        put_payload(p, run, NULL);   /* the request could not be made: its cause */
    }
    return false;
}

static void fail(struct peek *p, struct act_run *run, const char *what,
                 const struct aws_error *err)
{
    char line[1200];

    act_run_describe_error(run, err, line, sizeof(line));
    if (!p->failure)
        p->failure = xasprintf("%s: %s", what, line);
    p->stopping = true;
}

static void next(struct peek *p, struct act_run *run)
{
    if (act_run_ended(run))
        return;
    if (p->exporting && p->inline_payloads && write_payloads(p, run))
        return;
    if (p->release_at < p->n) {
        release(p, run);
        return;
    }
    finish(p, run);
}

static void peek_answer(void *priv, struct act_run *run, int tag,
                        const struct aws_response *resp, const struct aws_error *err)
{
    struct peek *p = priv;
    struct aws_error perr;

    aws_error_clear(&perr);
    if (tag == T_PAYLOAD) {
        put_payload(p, run, err);
        next(p, run);
        return;
    }
    if (tag == T_RECEIVE) {
        struct sqs_message_list l;
        size_t before = p->n;

        if (!resp || sqs_receive_message_parse(resp, &l, &perr) < 0) {
            fail(p, run, "ReceiveMessage", resp ? &perr : err);
        } else {
            add_messages(p, &l);
            sqs_message_list_free(&l);
            if (p->exporting) {
                if (!p->inline_payloads)
                    export_write(p, before);
                act_run_progress(run, (int64_t)p->n, -1);
            }
        }
        if (!p->stopping && p->n > before && (p->want < 0 || (long)p->n < p->want)) {
            receive(p, run);
            return;
        }
        next(p, run);
        return;
    }
    /* T_RELEASE: the slice starting at release_at */
    size_t n = p->n - p->release_at < SQS_MAX_BATCH ? p->n - p->release_at : SQS_MAX_BATCH;
    struct sqs_batch_result res;

    if (!resp || sqs_batch_parse(resp, "ChangeMessageVisibilityBatch", &res, &perr) < 0) {
        fail(p, run, "ChangeMessageVisibilityBatch", resp ? &perr : err);
    } else {
        for (size_t i = 0; i < res.nok; i++) {
            const char *id = res.ok_ids[i];
            char *end;
            unsigned long k = id && id[0] == 'm' ? strtoul(id + 1, &end, 10) : (unsigned long)-1;

            if (id && id[0] == 'm' && *end == '\0' && k >= p->release_at &&
                k < p->release_at + n)
                p->released[k] = true;
        }
        /* a message whose hold ran out (a long export fetching payloads) is visible
         * already: that is what the release wanted */
        size_t stuck = 0;
        const char *code = NULL;

        for (size_t i = 0; i < res.nfailed; i++) {
            const char *c = res.failed[i].code ? res.failed[i].code : "?";
            const char *id = res.failed[i].id;
            char *end;
            unsigned long k = id && id[0] == 'm' ? strtoul(id + 1, &end, 10) : (unsigned long)-1;

            if (strstr(c, "MessageNotInflight") && id && id[0] == 'm' && *end == '\0' &&
                k >= p->release_at && k < p->release_at + n) {
                p->released[k] = true;
                continue;
            }
            stuck++;
            code = code ? code : c;
        }
        if (stuck > 0 && !p->failure)
            p->failure = xasprintf("%zu messages could not be released (%.80s)", stuck, code);
        sqs_batch_result_free(&res);
    }
    p->release_at += n;
    next(p, run);
}

static int peek_start(void *priv, struct act_run *run)
{
    struct peek *p = priv;

    if (p->want <= 0)
        p->want = COUNT_DEFAULT;
    p->hold = HOLD_S;
    receive(p, run);
    return act_run_failed(run) ? -1 : 0;
}

static void peek_cancel(void *priv, struct act_run *run)
{
    struct peek *p = priv;

    (void)run;
    p->stopping = true;   /* what was received is still released */
    export_payload_stop(p->fetch);
}

static void peek_done(void *priv)
{
    struct peek *p = priv;
    struct sqs_message_list l = {.msgs = p->msgs, .n = p->n};

    sqs_message_list_free(&l);
    if (p->fp)
        fclose(p->fp);
    export_payload_free(p->fetch);
    free(p->source);
    free(p->path);
    free(p->released);
    free(p->dlq_name);
    free(p->failure);
}

const struct action peek_action = {
    .name = "peek",
    .title = "Peek",
    .ok_label = "Peek",
    .target_kind = "queue",
    .mutates = true,
    /* the form states the cost (receive count +1, the DLQ at the next receive, a held FIFO
     * group) before anything is received; in a production profile act_run_confirm still
     * asks for the queue's name typed, as for any write */
    .confirm = ACT_CONFIRM_NONE,
    .private_size = sizeof(struct peek),
    .form = peek_form,
    .check = peek_check,
    .describe = peek_describe,
    .start = peek_start,
    .answer = peek_answer,
    .cancel = peek_cancel,
    .done = peek_done,
};

/* ---- export: every message into a JSONL file, none deleted -------------------------------- */

#define INLINE_NO "not inlined"
#define INLINE_YES "inlined"

static void export_form(void *priv, struct act_run *run, struct form *f)
{
    static const char *const inline_choices[] = {INLINE_NO, INLINE_YES};
    struct form_field *fl = form_add(f, "file", "File", FORM_LINE);

    read_queue(priv, run);
    fl->required = true;
    form_set_hint(fl, "a new file (0600), one message a line; an existing file is not "
                      "overwritten. Every message is received, written, then released");
    /* the label fits the form's label column */
    fl = form_add(f, "inline", "S3 payloads", FORM_CHOICE);
    form_set_choices(fl, inline_choices, 2);
    form_set(f, "inline", INLINE_NO);
    form_set_hint(fl, "Left/Right: inlined puts the S3 object an extended-client pointer "
                      "names into its line (Payload, or PayloadBase64 when not text; up to "
                      "64 MiB each); the Body stays the pointer");
}

static int export_check(void *priv, struct act_run *run, const struct form *f, char *why,
                        size_t whylen)
{
    struct peek *p = priv;
    const char *file = form_value(f, "file");
    struct stat sb;

    read_queue(p, run);
    if (lstat(file, &sb) == 0) {
        snprintf(why, whylen, "File: %s exists: choose a new name (nothing is overwritten)",
                 file);
        return -1;
    }
    free(p->path);
    p->path = xstrdup(file);
    p->exporting = true;
    p->inline_payloads = strcmp(form_value(f, "inline"), INLINE_YES) == 0;
    p->want = -1;
    return 0;
}

static void export_describe(void *priv, struct act_run *run, char *what, size_t whatlen)
{
    struct peek *p = priv;

    snprintf(what, whatlen, "Export every message of %s%s to %s (receive count +1 each, none "
             "deleted)", act_run_target(run)->name,
             p->inline_payloads ? " with S3 payloads inlined" : "", p->path ? p->path : "a file");
}

static int export_start(void *priv, struct act_run *run)
{
    struct peek *p = priv;
    int fd = open(p->path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

    /* held long enough that one pass reads each message once; what comes again after its
     * hold keeps one line */
    p->hold = EXPORT_HOLD_S;
    p->fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!p->fp) {
        if (fd >= 0)
            close(fd);
        act_run_finish(run, ACT_FAILED, "cannot create %s: %s — choose another file",
                       p->path, strerror(errno));
        return -1;
    }
    act_run_job(run, -1);
    receive(p, run);
    return act_run_failed(run) ? -1 : 0;
}

const struct action export_action = {
    .name = "export",
    .title = "Export",
    .ok_label = "Export",
    .target_kind = "queue",
    .mutates = true,
    .confirm = ACT_CONFIRM_YESNO,
    .private_size = sizeof(struct peek),
    .form = export_form,
    .check = export_check,
    .describe = export_describe,
    .start = export_start,
    .answer = peek_answer,
    .cancel = peek_cancel,
    .done = peek_done,
};

/* ---- export-peeked: the peeked messages of one queue, as the store holds them -------------- */

/* E in :messages. No request at all: the lines are made from the store's "message" rows
 * of the queue the cursor is on, in the export's format (export_json), so the file reads
 * back with `opsdeck dlq send`. Nothing is received again, so nothing is gated or
 * confirmed; an existing file is never overwritten. */
struct export_peeked {
    char *path;
    char *queue, *queue_name;   /* of the message the view named */
    size_t n;                   /* its peeked messages */
};

/* The row's line: export_json's fields, from what publish() stored. */
static cJSON *peeked_json(const struct store_res *r)
{
    const char *id = store_res_str(r, "id"), *body = store_res_str(r, "body");
    const char *md5 = store_res_str(r, "md5"), *a = store_res_str(r, "attributes");
    const char *m = store_res_str(r, "message_attributes");
    cJSON *o = cJSON_CreateObject(), *ma = cJSON_CreateObject();
    cJSON *attrs = a ? cJSON_Parse(a) : NULL, *mattrs = m ? cJSON_Parse(m) : NULL;
    const cJSON *it;

    cJSON_AddStringToObject(o, "MessageId", id ? id : "");
    cJSON_AddStringToObject(o, "Body", body ? body : "");
    if (md5)
        cJSON_AddStringToObject(o, "MD5OfBody", md5);
    if (!cJSON_IsObject(attrs)) {
        cJSON_Delete(attrs);
        attrs = cJSON_CreateObject();
    }
    cJSON_AddItemToObject(o, "Attributes", attrs);
    cJSON_ArrayForEach(it, mattrs) {
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(it, "type");
        const cJSON *value = cJSON_GetObjectItemCaseSensitive(it, "value");
        cJSON *v;

        if (!it->string || !cJSON_IsString(type) || !cJSON_IsString(value))
            continue;
        v = cJSON_CreateObject();
        cJSON_AddStringToObject(v, "DataType", type->valuestring);
        /* publish() stored Binary values (Binary and Binary.*) base64, as the export has them */
        cJSON_AddStringToObject(v, strncmp(type->valuestring, "Binary", 6) == 0 ? "BinaryValue"
                                                                                : "StringValue",
                                value->valuestring);
        cJSON_AddItemToObject(ma, it->string, v);
    }
    cJSON_Delete(mattrs);
    cJSON_AddItemToObject(o, "MessageAttributes", ma);
    return o;
}

static const char *peeked_queue_of(const struct store_res *r)
{
    return r ? store_res_str(r, "queue") : NULL;
}

static void peeked_read(struct export_peeked *e, const struct act_run *run)
{
    const struct store *s = act_run_env(run)->store;
    const struct store_res *r = s ? store_find(s, "message", act_run_target(run)->key) : NULL;
    const char *q = peeked_queue_of(r), *name = r ? store_res_str(r, "queue_name") : NULL;

    free(e->queue);
    free(e->queue_name);
    e->queue = q ? xstrdup(q) : NULL;
    e->queue_name = xstrdup(name ? name : q ? q : "?");
    e->n = 0;
    for (size_t i = 0; q && i < store_count(s, "message"); i++) {
        const char *qi = peeked_queue_of(store_at(s, "message", i));

        e->n += qi && strcmp(qi, q) == 0;
    }
}

static void peeked_form(void *priv, struct act_run *run, struct form *f)
{
    struct form_field *fl = form_add(f, "file", "File", FORM_LINE);

    peeked_read(priv, run);
    fl->required = true;
    form_set_hint(fl, "a new file (0600), one message a line as E in the dlq view writes it; "
                      "an existing file is not overwritten. Nothing is received again");
}

static int peeked_check(void *priv, struct act_run *run, const struct form *f, char *why,
                        size_t whylen)
{
    struct export_peeked *e = priv;
    const char *file = form_value(f, "file");
    struct stat sb;

    peeked_read(e, run);
    if (e->n == 0) {
        snprintf(why, whylen, "no peeked message of %s is left: m on the queue peeks again",
                 e->queue_name);
        return -1;
    }
    if (lstat(file, &sb) == 0) {
        snprintf(why, whylen, "File: %s exists: choose a new name (nothing is overwritten)",
                 file);
        return -1;
    }
    free(e->path);
    e->path = xstrdup(file);
    return 0;
}

static void peeked_describe(void *priv, struct act_run *run, char *what, size_t whatlen)
{
    struct export_peeked *e = priv;

    if (!e->queue_name)
        peeked_read(e, run);
    snprintf(what, whatlen, "Export the %zu peeked messages of %s to a file (as they were "
             "peeked; no request)", e->n, e->queue_name);
}

static int peeked_start(void *priv, struct act_run *run)
{
    struct export_peeked *e = priv;
    const struct store *s = act_run_env(run)->store;
    int fd = open(e->path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    size_t written = 0;
    bool ok = fp != NULL;

    if (!fp) {
        int saved = errno;

        if (fd >= 0)
            close(fd);
        act_run_finish(run, ACT_FAILED, "cannot create %s: %s — choose another file",
                       e->path, strerror(saved));
        return -1;
    }
    for (size_t i = 0; ok && i < store_count(s, "message"); i++) {
        const struct store_res *r = store_at(s, "message", i);
        const char *q = peeked_queue_of(r);
        cJSON *o;
        char *line;

        if (!q || strcmp(q, e->queue) != 0)
            continue;
        o = peeked_json(r);
        line = cJSON_PrintUnformatted(o);
        ok = fputs(line, fp) != EOF && fputc('\n', fp) != EOF;
        written += ok;
        cJSON_free(line);
        cJSON_Delete(o);
    }
    ok = ok && fflush(fp) != EOF && fsync(fileno(fp)) == 0;
    if (fclose(fp) == EOF)
        ok = false;
    if (!ok) {
        act_run_finish(run, ACT_FAILED, "cannot write %s: %s (%zu messages written)", e->path,
                       strerror(errno), written);
        return -1;
    }
    act_run_finish(run, ACT_DONE, "wrote the %zu peeked messages of %s to %s (0600); nothing "
                   "was asked of SQS", written, e->queue_name, e->path);
    return 0;
}

static void peeked_done(void *priv)
{
    struct export_peeked *e = priv;

    free(e->path);
    free(e->queue);
    free(e->queue_name);
}

const struct action export_peeked_action = {
    .name = "export-peeked",
    .title = "Export peeked",
    .ok_label = "Write",
    .target_kind = "message",
    .mutates = false,
    .confirm = ACT_CONFIRM_NONE,
    .private_size = sizeof(struct export_peeked),
    .form = peeked_form,
    .check = peeked_check,
    .describe = peeked_describe,
    .start = peeked_start,
    .done = peeked_done,
};
