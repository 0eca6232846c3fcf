/* sendmsg.c - "send-message": a test message to a queue (SQS SendMessage), to prove a
 * path works end to end: body, message attributes, DelaySeconds, and for FIFO queues the
 * group and deduplication ids, prefilled from a [template NAME] of opsdeck's config. The
 * size is checked against the queue's own MaximumMessageSize before anything is sent.
 * Several copies (Count) make a job, paced by Rate, that stops at the first failure.
 *
 * What it knows of the queue comes from the store's "queue" row (the poller's
 * GetQueueAttributes): FifoQueue, ContentBasedDeduplication, MaximumMessageSize. A queue
 * whose attributes are not read yet is not guessed at: the check says so. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/action.h"
#include "act/template.h"
#include "aws/sqs.h"
#include "aws/sqs_check.h"
#include "util/xalloc.h"

#define WINDOW 4               /* messages on the way at once when not paced */
#define COUNT_MAX 1000
#define RATE_MAX 100           /* messages per second */
#define DELAY_MAX 900          /* SQS's DelaySeconds limit */
#define ID_MAX 128             /* SQS's limit for group and deduplication ids */

struct sendmsg {
    /* the queue, from the store */
    bool known;                /* its attributes were read */
    bool fifo, content_dedup;
    long max_size;
    /* what is sent, from the form */
    char *body, *group, *dedup, *template_name;
    struct tmpl_attrs attrs;
    int delay;                 /* -1: the queue's own */
    long count, rate;
    /* progress */
    long sent, ok, failed;
    int inflight;
    int64_t next_ms;           /* when the next paced message may go */
    char *bodies[WINDOW];      /* what each message on the way carried, for its MD5 */
    char *last_id;
    bool stopping;             /* cancelled, or a failure: send no more */
};

/* ---- what the store says about the queue ----------------------------------------------------- */

static void read_queue(struct sendmsg *s, const struct act_run *run)
{
    const struct act_env *env = act_run_env(run);
    const struct store_res *q = env->store ? store_find(env->store, "queue",
                                                        act_run_target(run)->key)
                                           : NULL;
    const char *attrs = q ? store_res_str(q, "attributes") : NULL;
    cJSON *o = attrs ? cJSON_Parse(attrs) : NULL;
    const cJSON *v;

    s->known = false;
    s->max_size = -1;
    if (!o)
        return;
    v = cJSON_GetObjectItemCaseSensitive(o, "MaximumMessageSize");
    if (cJSON_IsString(v) && v->valuestring)
        s->max_size = strtol(v->valuestring, NULL, 10);
    v = cJSON_GetObjectItemCaseSensitive(o, "FifoQueue");
    s->fifo = cJSON_IsString(v) && strcmp(v->valuestring, "true") == 0;
    v = cJSON_GetObjectItemCaseSensitive(o, "ContentBasedDeduplication");
    s->content_dedup = cJSON_IsString(v) && strcmp(v->valuestring, "true") == 0;
    s->known = s->max_size > 0;
    cJSON_Delete(o);
}

/* ---- the form ------------------------------------------------------------------------------- */

static void send_form(void *priv, struct act_run *run, struct form *f)
{
    struct sendmsg *s = priv;
    const struct appconfig *app = act_run_env(run)->app;
    struct form_field *fl;

    read_queue(s, run);
    template_form_choice(f, app, "the body and attributes");
    fl = form_add(f, "body", "Body", FORM_TEXT);
    fl->required = true;
    fl->rows = 5;
    form_set_hint(fl, "the message; {{uuid}} and {{now}} are filled in per message; "
                      "Ctrl-E opens $VISUAL/$EDITOR");
    fl = form_add(f, "attributes", "Attributes", FORM_TEXT);
    fl->rows = 3;
    form_set_hint(fl, "one NAME=[TYPE:]VALUE per line; TYPE String (default), Number or "
                      "Binary (base64)");
    fl = form_add(f, "delay", "Delay (s)", FORM_NUMBER);
    fl->min = 0;
    fl->max = DELAY_MAX;
    fl->hidden = s->fifo;
    form_set_hint(fl, "seconds before the message is visible; empty: the queue's own");
    fl = form_add(f, "group_id", "Group id", FORM_LINE);
    fl->required = true;
    fl->max_len = ID_MAX;
    fl->hidden = !s->fifo;
    form_set_hint(fl, "MessageGroupId: messages of one group are delivered in order");
    form_set(f, "group_id", "opsdeck-test");
    fl = form_add(f, "dedup_id", "Dedup id", FORM_LINE);
    fl->required = !s->content_dedup;
    fl->max_len = ID_MAX;
    fl->hidden = !s->fifo;
    form_set_hint(fl, s->content_dedup ? "MessageDeduplicationId; empty: the queue derives "
                                         "one from the body"
                                       : "MessageDeduplicationId: the same id within 5 "
                                         "minutes is sent once");
    form_set(f, "dedup_id", s->content_dedup ? "" : "{{uuid}}");
    fl = form_add(f, "count", "Count", FORM_NUMBER);
    fl->required = true;
    fl->min = 1;
    fl->max = COUNT_MAX;
    form_set_hint(fl, "how many copies; more than 1 runs as a job (:jobs)");
    form_set(f, "count", "1");
    fl = form_add(f, "rate", "Rate (/s)", FORM_NUMBER);
    fl->min = 0;
    fl->max = RATE_MAX;
    fl->hidden = true;
    form_set_hint(fl, "messages per second; 0 or empty: as fast as the queue takes them");
    form_set(f, "rate", "0");
}

static void send_changed(void *priv, struct act_run *run, struct form *f, const char *field)
{
    (void)priv;
    if (strcmp(field, "template") == 0 && template_form_chosen(f))
        template_form_fill(f, act_run_env(run)->app, template_form_chosen(f));
    if (strcmp(field, "count") == 0) {
        struct form_field *rate = form_field(f, "rate");

        if (rate)
            rate->hidden = form_long(f, "count", 1) <= 1;
    }
}

/* Everything a message is made of, read from the form into s (placeholders unexpanded). */
static int take_form(struct sendmsg *s, const struct form *f, char *why, size_t whylen)
{
    const char *tname = template_form_chosen(f);

    tmpl_attrs_free(&s->attrs);
    if (tmpl_attrs_parse(form_value(f, "attributes"), &s->attrs, why, whylen) < 0)
        return -1;
    free(s->body);
    free(s->group);
    free(s->dedup);
    free(s->template_name);
    s->body = xstrdup(form_value(f, "body"));
    s->group = s->fifo ? xstrdup(form_value(f, "group_id")) : NULL;
    s->dedup = s->fifo && form_value(f, "dedup_id")[0] ? xstrdup(form_value(f, "dedup_id"))
                                                       : NULL;
    s->template_name = tname ? xstrdup(tname) : NULL;
    s->delay = s->fifo ? -1 : (int)form_long(f, "delay", -1);
    s->count = form_long(f, "count", 1);
    s->rate = s->count > 1 ? form_long(f, "rate", 0) : 0;
    return 0;
}

static void human_size(long bytes, char *out, size_t n)
{
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
        snprintf(out, n, "%ld MiB", bytes / (1024 * 1024));
    else if (bytes >= 1024)
        snprintf(out, n, "%.1f KiB", (double)bytes / 1024.0);
    else
        snprintf(out, n, "%ld bytes", bytes);
}

/* One message as it is sent: placeholders filled in, attribute values decoded. */
struct message {
    char *body, *group, *dedup;
    struct sqs_msg_attr_in *attrs;
    char **values;             /* what attrs point at */
    size_t nattrs;
};

static void message_free(struct message *m)
{
    for (size_t i = 0; i < m->nattrs; i++)
        free(m->values[i]);
    free(m->values);
    free(m->attrs);
    free(m->body);
    free(m->group);
    free(m->dedup);
    memset(m, 0, sizeof(*m));
}

/* Makes the next message from s at now_ms; -1 with why when a placeholder or a value does
 * not make sense. */
static int message_make(const struct sendmsg *s, int64_t now_ms, struct message *m, char *why,
                        size_t whylen)
{
    char reason[512];

    memset(m, 0, sizeof(*m));
    m->attrs = xcalloc(s->attrs.n ? s->attrs.n : 1, sizeof(*m->attrs));
    m->values = xcalloc(s->attrs.n ? s->attrs.n : 1, sizeof(*m->values));
    if (!(m->body = template_expand(s->body, now_ms, reason, sizeof(reason)))) {
        snprintf(why, whylen, "Body: %s", reason);
        goto fail;
    }
    if (s->group && !(m->group = template_expand(s->group, now_ms, reason, sizeof(reason)))) {
        snprintf(why, whylen, "Group id: %s", reason);
        goto fail;
    }
    if (s->dedup && !(m->dedup = template_expand(s->dedup, now_ms, reason, sizeof(reason)))) {
        snprintf(why, whylen, "Dedup id: %s", reason);
        goto fail;
    }
    for (size_t i = 0; i < s->attrs.n; i++) {
        const struct tmpl_attr *a = &s->attrs.v[i];
        struct sqs_msg_attr_in *in = &m->attrs[i];
        size_t len;

        if (!(m->values[i] = tmpl_attr_value(a, now_ms, &len, why, whylen)))
            goto fail;
        m->nattrs = i + 1;
        in->name = a->name;
        in->data_type = a->type;
        if (strncmp(a->type, "Binary", 6) == 0) {
            in->binary = (const unsigned char *)m->values[i];
            in->binary_len = len;
        } else {
            in->string_value = m->values[i];
        }
    }
    return 0;
fail:
    message_free(m);
    return -1;
}

static int send_check(void *priv, struct act_run *run, const struct form *f, char *why,
                      size_t whylen)
{
    struct sendmsg *s = priv;
    struct message m;
    char have[32], max[32];
    long size, bad;

    read_queue(s, run);
    if (!s->known) {
        snprintf(why, whylen, "the attributes of %s are not read yet (MaximumMessageSize, "
                              "FifoQueue): press r, wait for the queue's row, then P again",
                 act_run_target(run)->name);
        return -1;
    }
    if (take_form(s, f, why, whylen) < 0)
        return -1;
    /* a sample of the message as it will be sent: placeholders have fixed lengths, so
     * its size is every message's */
    if (message_make(s, template_now_ms(), &m, why, whylen) < 0)
        return -1;
    /* the text as typed, so the byte named is the one the user sees (placeholders fill in
     * plain ASCII) */
    bad = sqs_text_invalid(s->body, strlen(s->body));
    if (bad >= 0) {
        snprintf(why, whylen, "Body: byte %ld is a character SQS refuses (control "
                              "characters other than tab and newline, or invalid UTF-8)",
                 bad + 1);
        goto fail;
    }
    for (size_t i = 0; i < m.nattrs; i++) {
        if (m.attrs[i].string_value &&
            sqs_text_invalid(m.attrs[i].string_value, strlen(m.attrs[i].string_value)) >= 0) {
            snprintf(why, whylen, "attribute %.64s holds a character SQS refuses",
                     m.attrs[i].name);
            goto fail;
        }
    }
    for (int i = 0; i < 2; i++) {
        const char *id = i == 0 ? m.group : m.dedup;

        if (id && strlen(id) > ID_MAX) {
            snprintf(why, whylen, "%s: %zu characters once filled in; SQS takes %d",
                     i == 0 ? "Group id" : "Dedup id", strlen(id), ID_MAX);
            goto fail;
        }
    }
    size = (long)sqs_message_size(m.body, m.attrs, m.nattrs);
    if (size > s->max_size) {
        human_size(size, have, sizeof(have));
        human_size(s->max_size, max, sizeof(max));
        snprintf(why, whylen, "the message is %s (%ld bytes, body and attributes); %s takes "
                              "at most %s (MaximumMessageSize %ld): shorten it",
                 have, size, act_run_target(run)->name, max, s->max_size);
        goto fail;
    }
    message_free(&m);
    return 0;
fail:
    message_free(&m);
    return -1;
}

/* ---- sending -------------------------------------------------------------------------------- */

/* What the audit records of one message: sizes, names, ids; never the body nor values. */
static cJSON *audit_params(const struct sendmsg *s, const char *body, const char *group,
                           const char *dedup)
{
    cJSON *p = cJSON_CreateObject(), *names = cJSON_AddArrayToObject(p, "attributes");

    cJSON_AddNumberToObject(p, "body_bytes", (double)strlen(body));
    for (size_t i = 0; i < s->attrs.n; i++) {
        char *nt = xasprintf("%s (%s)", s->attrs.v[i].name, s->attrs.v[i].type);
        cJSON_AddItemToArray(names, cJSON_CreateString(nt));
        free(nt);
    }
    if (s->delay >= 0)
        cJSON_AddNumberToObject(p, "delay_seconds", s->delay);
    if (group)
        cJSON_AddStringToObject(p, "message_group_id", group);
    if (dedup)
        cJSON_AddStringToObject(p, "message_deduplication_id", dedup);
    if (s->template_name)
        cJSON_AddStringToObject(p, "template", s->template_name);
    cJSON_AddNumberToObject(p, "message", (double)s->sent + 1);
    cJSON_AddNumberToObject(p, "of", (double)s->count);
    return p;
}

/* Sends message number s->sent; -1 when it could not be made or the gate refused it. */
static int send_one(struct sendmsg *s, struct act_run *run)
{
    int slot = (int)(s->sent % WINDOW), rc;
    struct aws_request req;
    struct message m;
    cJSON *params;
    char why[512];

    if (message_make(s, template_now_ms(), &m, why, sizeof(why)) < 0) {
        act_run_finish(run, ACT_FAILED, "%s", why);
        return -1;
    }
    struct sqs_send_params p = {
        .queue_url = act_run_target(run)->key, .body = m.body, .delay_seconds = s->delay,
        .attrs = m.attrs, .nattrs = m.nattrs, .group_id = m.group, .dedup_id = m.dedup,
    };
    sqs_send_message_request(&req, &p);
    params = audit_params(s, m.body, m.group, m.dedup);
    free(s->bodies[slot]);
    s->bodies[slot] = m.body;   /* kept for the answer's MD5 */
    m.body = NULL;
    rc = act_send(run, &req, (int)s->sent, params);
    cJSON_Delete(params);
    message_free(&m);
    if (rc == 0) {
        s->sent++;
        s->inflight++;
    }
    return rc;
}

/* Sends what may go now; returns the ms until the next paced message, -1 none due. */
static int pump(struct sendmsg *s, struct act_run *run, int64_t now)
{
    int window = s->rate > 0 ? 1 : WINDOW;

    while (!s->stopping && s->sent < s->count && s->inflight < window) {
        if (s->rate > 0 && now < s->next_ms)
            return (int)(s->next_ms - now);
        if (send_one(s, run) < 0) {
            s->stopping = true;
            return -1;
        }
        if (s->rate > 0)
            s->next_ms = (s->next_ms > now ? s->next_ms : now) + 1000 / s->rate;
    }
    return -1;
}

static int send_start(void *priv, struct act_run *run)
{
    struct sendmsg *s = priv;

    if (s->count > 1)
        act_run_job(run, s->count);
    s->next_ms = act_run_now(run);
    pump(s, run, act_run_now(run));
    return act_run_failed(run) ? -1 : 0;
}

static void stop_and_finish(struct sendmsg *s, struct act_run *run)
{
    const char *name = act_run_target(run)->name;

    if (s->inflight > 0 || act_run_ended(run))
        return;
    if (s->stopping && s->ok < s->count)
        act_run_finish(run, ACT_CANCELLED, "cancelled: %ld of %ld test messages sent to %s",
                       s->ok, s->count, name);
    else if (s->count == 1)
        act_run_finish(run, ACT_DONE, "sent to %s: message id %s", name,
                       s->last_id ? s->last_id : "?");
    else
        act_run_finish(run, ACT_DONE, "sent %ld test messages to %s (last message id %s)",
                       s->ok, name, s->last_id ? s->last_id : "?");
}

/* The answer to the message in slot: true when it is a message sent (its id kept), false
 * with err set when it is not. */
static bool answer_ok(struct sendmsg *s, int slot, const struct aws_response *resp,
                      struct aws_error *err)
{
    struct sqs_sent res;
    bool ok;

    if (sqs_send_message_parse(resp, &res, err) < 0)
        return false;
    /* as the SDKs do: a body changed on the way is a failure, not a message sent */
    ok = sqs_md5_matches(s->bodies[slot], strlen(s->bodies[slot]), res.md5_of_body);
    if (!ok) {
        aws_error_set(err, AWS_ERR_PARSE, "SQS SendMessage: MD5OfMessageBody %.40s is not the "
                      "MD5 of the body sent: the message may have been changed on the way",
                      res.md5_of_body ? res.md5_of_body : "(none)");
    } else {
        free(s->last_id);
        s->last_id = xstrdup(res.message_id);
    }
    sqs_sent_free(&res);
    return ok;
}

static void send_answer(void *priv, struct act_run *run, int tag,
                        const struct aws_response *resp, const struct aws_error *err)
{
    struct sendmsg *s = priv;
    int slot = tag % WINDOW;
    struct aws_error perr;
    char line[1200];

    s->inflight--;
    aws_error_clear(&perr);
    if (!resp || !answer_ok(s, slot, resp, &perr)) {
        s->failed++;
        s->stopping = true;
        act_run_describe_error(run, resp ? &perr : err, line, sizeof(line));
        if (s->count > 1)
            act_run_finish(run, ACT_FAILED, "%ld of %ld test messages sent to %s, then: %s",
                           s->ok, s->count, act_run_target(run)->name, line);
        else
            act_run_finish(run, ACT_FAILED, "%s", line);
        return;
    }
    s->ok++;
    free(s->bodies[slot]);
    s->bodies[slot] = NULL;
    act_run_progress(run, s->ok, s->count);
    if (s->ok == s->count || s->stopping) {
        stop_and_finish(s, run);
        return;
    }
    pump(s, run, act_run_now(run));
}

static int send_tick(void *priv, struct act_run *run, int64_t now_ms)
{
    struct sendmsg *s = priv;

    return pump(s, run, now_ms);
}

static void send_cancel(void *priv, struct act_run *run)
{
    struct sendmsg *s = priv;

    s->stopping = true;
    stop_and_finish(s, run);   /* at once when nothing is on the way, else at the last answer */
}

/* The outcome line keeps SQS's ids, so the message can be followed in the consumer's
 * logs. */
static void send_audit_result(const struct aws_response *resp, cJSON *result)
{
    struct sqs_sent res = {0};
    struct aws_error err;

    aws_error_clear(&err);
    if (sqs_send_message_parse(resp, &res, &err) == 0) {
        if (res.message_id)
            cJSON_AddStringToObject(result, "message_id", res.message_id);
        if (res.sequence_number)
            cJSON_AddStringToObject(result, "sequence_number", res.sequence_number);
    }
    sqs_sent_free(&res);
}

static void send_done(void *priv)
{
    struct sendmsg *s = priv;

    free(s->body);
    free(s->group);
    free(s->dedup);
    free(s->template_name);
    free(s->last_id);
    for (int i = 0; i < WINDOW; i++)
        free(s->bodies[i]);
    tmpl_attrs_free(&s->attrs);
}

const struct action send_message_action = {
    .name = "send-message",
    .title = "Send a test message",
    .ok_label = "Send",
    .target_kind = "queue",
    .mutates = true,
    .confirm = ACT_CONFIRM_YESNO,
    .private_size = sizeof(struct sendmsg),
    .form = send_form,
    .changed = send_changed,
    .check = send_check,
    .start = send_start,
    .answer = send_answer,
    .tick = send_tick,
    .cancel = send_cancel,
    .done = send_done,
    .audit_result = send_audit_result,
};
