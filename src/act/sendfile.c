/* sendfile.c - "send-file": sends the messages of an export (peek.c's JSONL, one message a
 * line as boto3's receive_message gives it) to a queue, so poison messages can be pulled,
 * fixed and put back: body and message attributes (an inlined S3 payload, exportpayload.h,
 * is not sent: the Body is still its pointer); to a FIFO queue the line's
 * MessageGroupId (else "opsdeck-send") and its MessageId as the deduplication id, so a file
 * sent twice within SQS's 5 minutes arrives once.
 *
 * The whole file is read and checked before anything is sent: a line that is not a message
 * (not JSON, no Body, an attribute without DataType, Binary that is not base64) stops it
 * with the line's number. Then SendMessageBatch, 10 at a time, as a job; a message the
 * queue refuses stops the job, saying how many were sent. */
#include "config.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/action.h"
#include "act/exportpayload.h"
#include "aws/sqs.h"
#include "core/proto.h"
#include "util/textfile.h"
#include "util/xalloc.h"

/* a 1 MiB body, escaped, and an inlined S3 payload (not sent: the Body is its pointer) of up
 * to EXPORT_PAYLOAD_MAX bytes, escaped at worst 6 bytes to 1 */
#define LINE_MAX_BYTES (2 * 1024 * 1024 + 6 * (size_t)EXPORT_PAYLOAD_MAX)
#define FILE_MAX_BYTES (1024L * 1024 * 1024)
#define GROUP_DEFAULT "opsdeck-send"

struct fmsg {
    char *id, *body, *group;
    struct sqs_msg_attr_in *attrs;
    unsigned char **bins;       /* decoded Binary values, owned */
    size_t nattrs;
};

struct sendfile {
    char *path;
    struct fmsg *m;
    size_t n, at, slice_end;
    int64_t sent;
    bool stopping;
};

static void fmsg_free(struct fmsg *m)
{
    for (size_t i = 0; i < m->nattrs; i++) {
        free((char *)m->attrs[i].name);
        free((char *)m->attrs[i].data_type);
        free((char *)m->attrs[i].string_value);
        free(m->bins[i]);
    }
    free(m->attrs);
    free(m->bins);
    free(m->id);
    free(m->body);
    free(m->group);
}

static const char *str_of(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* One line into m: 0, or -1 with why. */
static int parse_line(const char *line, struct fmsg *m, char *why, size_t whylen)
{
    cJSON *o = cJSON_Parse(line);
    const cJSON *ma, *it;
    const char *body = str_of(o, "Body");
    size_t k = 0;

    memset(m, 0, sizeof(*m));
    if (!cJSON_IsObject(o) || !body) {
        snprintf(why, whylen, "not a message: a JSON object with a \"Body\" string");
        cJSON_Delete(o);
        return -1;
    }
    m->body = xstrdup(body);
    m->id = str_of(o, "MessageId") ? xstrdup(str_of(o, "MessageId")) : NULL;
    if (str_of(cJSON_GetObjectItemCaseSensitive(o, "Attributes"), "MessageGroupId"))
        m->group = xstrdup(str_of(cJSON_GetObjectItemCaseSensitive(o, "Attributes"),
                                  "MessageGroupId"));
    ma = cJSON_GetObjectItemCaseSensitive(o, "MessageAttributes");
    if (ma && !cJSON_IsObject(ma)) {
        snprintf(why, whylen, "\"MessageAttributes\" is not an object");
        goto bad;
    }
    m->nattrs = (size_t)cJSON_GetArraySize(ma);
    if (m->nattrs > 10) {
        snprintf(why, whylen, "%zu message attributes: SQS takes at most 10", m->nattrs);
        m->nattrs = 0;
        goto bad;
    }
    m->attrs = xcalloc(m->nattrs ? m->nattrs : 1, sizeof(*m->attrs));
    m->bins = xcalloc(m->nattrs ? m->nattrs : 1, sizeof(*m->bins));
    cJSON_ArrayForEach(it, ma) {
        const char *type = str_of(it, "DataType"), *sv = str_of(it, "StringValue");
        const char *bv = str_of(it, "BinaryValue");
        struct sqs_msg_attr_in *a = &m->attrs[k];

        if (!type || (!sv && !bv)) {
            snprintf(why, whylen, "message attribute %.100s: needs DataType and StringValue "
                                  "or BinaryValue", it->string);
            m->nattrs = k;
            goto bad;
        }
        a->name = xstrdup(it->string);
        a->data_type = xstrdup(type);
        if (strncmp(type, "Binary", 6) == 0) {
            if (!bv || proto_base64_decode(bv, &m->bins[k], &a->binary_len) < 0) {
                free((char *)a->name);
                free((char *)a->data_type);
                m->nattrs = k;
                snprintf(why, whylen, "message attribute %.100s: BinaryValue is not base64",
                         it->string);
                goto bad;
            }
            a->binary = m->bins[k];
        } else {
            a->string_value = xstrdup(sv ? sv : "");
        }
        k++;
    }
    cJSON_Delete(o);
    return 0;
bad:
    cJSON_Delete(o);
    fmsg_free(m);
    memset(m, 0, sizeof(*m));
    return -1;
}

/* The whole file: 0, or -1 with why (the line at fault). */
static int load(struct sendfile *s, char *why, size_t whylen)
{
    FILE *fp = fopen(s->path, "re");
    struct textfile tf;
    int rc = 0, r;

    if (!fp) {
        snprintf(why, whylen, "cannot read %s: %s", s->path, strerror(errno));
        return -1;
    }
    textfile_init(&tf, fp, LINE_MAX_BYTES, (size_t)FILE_MAX_BYTES);
    while ((r = textfile_next(&tf)) > 0) {
        char line_why[256], *text = tf.line.data ? tf.line.data : (char *)"";
        size_t len = strlen(text);

        while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
            text[--len] = '\0';
        if (len == 0)
            continue;
        s->m = xrealloc(s->m, (s->n + 1) * sizeof(*s->m));
        if (parse_line(text, &s->m[s->n], line_why, sizeof(line_why)) < 0) {
            snprintf(why, whylen, "%s line %d: %s; nothing was sent", s->path, tf.lineno,
                     line_why);
            rc = -1;
            break;
        }
        s->n++;
    }
    if (rc == 0 && r < 0) {
        snprintf(why, whylen, "%s line %d: %s; nothing was sent", s->path, tf.lineno,
                 tf.why[0] ? tf.why : "cannot be read");
        rc = -1;
    }
    if (rc == 0 && s->n == 0) {
        snprintf(why, whylen, "%s holds no message", s->path);
        rc = -1;
    }
    textfile_done(&tf);
    fclose(fp);
    return rc;
}

static void sendfile_form(void *priv, struct act_run *run, struct form *f)
{
    struct form_field *fl = form_add(f, "file", "File", FORM_LINE);

    (void)priv;
    (void)run;
    fl->required = true;
    form_set_hint(fl, "an export (one message a line, as `opsdeck dlq export` writes it)");
}

static int sendfile_check(void *priv, struct act_run *run, const struct form *f, char *why,
                          size_t whylen)
{
    struct sendfile *s = priv;

    (void)run;
    for (size_t i = 0; i < s->n; i++)
        fmsg_free(&s->m[i]);
    free(s->m);
    s->m = NULL;
    s->n = 0;
    free(s->path);
    s->path = xstrdup(form_value(f, "file"));
    return load(s, why, whylen);
}

static void sendfile_describe(void *priv, struct act_run *run, char *what, size_t whatlen)
{
    struct sendfile *s = priv;

    snprintf(what, whatlen, "Send the %zu messages of %s to %s", s->n,
             s->path ? s->path : "a file", act_run_target(run)->name);
}

static bool fifo_url(const char *url)
{
    size_t n = strlen(url);

    return n > 5 && strcmp(url + n - 5, ".fifo") == 0;
}

static void send_next(struct sendfile *s, struct act_run *run)
{
    struct sqs_send_params e[SQS_MAX_BATCH] = {{0}};
    char ids[SQS_MAX_BATCH][24];
    const char *url = act_run_target(run)->key;
    bool fifo = fifo_url(url);
    struct aws_request req;
    size_t n = 0, bytes = 0;
    cJSON *params;

    while (s->at + n < s->n && n < SQS_MAX_BATCH) {
        const struct fmsg *m = &s->m[s->at + n];
        size_t sz = strlen(m->body);

        if (n > 0 && bytes + sz > 256 * 1024)
            break;
        bytes += sz;
        snprintf(ids[n], sizeof(ids[n]), "m%zu", s->at + n);
        e[n] = (struct sqs_send_params){
            .id = ids[n], .body = m->body, .delay_seconds = -1, .attrs = m->attrs,
            .nattrs = m->nattrs, .group_id = fifo ? (m->group ? m->group : GROUP_DEFAULT) : NULL,
            .dedup_id = fifo ? m->id : NULL};
        n++;
    }
    s->slice_end = s->at + n;
    sqs_send_message_batch_request(&req, url, e, n);
    params = cJSON_CreateObject();
    cJSON_AddStringToObject(params, "file", s->path);
    cJSON_AddNumberToObject(params, "messages", (double)n);
    act_send(run, &req, 0, params);
    cJSON_Delete(params);
}

static int sendfile_start(void *priv, struct act_run *run)
{
    struct sendfile *s = priv;

    act_run_job(run, (int64_t)s->n);
    send_next(s, run);
    return act_run_failed(run) ? -1 : 0;
}

static void sendfile_answer(void *priv, struct act_run *run, int tag,
                            const struct aws_response *resp, const struct aws_error *err)
{
    struct sendfile *s = priv;
    struct sqs_send_batch_result res;
    struct aws_error perr;
    const char *name = act_run_target(run)->name;
    char line[1200];

    (void)tag;
    aws_error_clear(&perr);
    if (!resp || sqs_send_message_batch_parse(resp, &res, &perr) < 0) {
        act_run_describe_error(run, resp ? &perr : err, line, sizeof(line));
        act_run_finish(run, ACT_FAILED, "%lld of %zu messages sent to %s, then: %s",
                       (long long)s->sent, s->n, name, line);
        return;
    }
    s->sent += (int64_t)res.nok;
    act_run_progress(run, s->sent, (int64_t)s->n);
    if (res.nfailed > 0) {
        act_run_finish(run, ACT_FAILED, "%lld of %zu messages sent to %s, then it refused one: "
                       "%.80s %.300s", (long long)s->sent, s->n, name,
                       res.failed[0].code ? res.failed[0].code : "?",
                       res.failed[0].message ? res.failed[0].message : "");
        sqs_send_batch_result_free(&res);
        return;
    }
    sqs_send_batch_result_free(&res);
    s->at = s->slice_end;
    if (s->at < s->n && !s->stopping) {
        send_next(s, run);
        return;
    }
    if (s->at < s->n)
        act_run_finish(run, ACT_CANCELLED, "cancelled: %lld of %zu messages sent to %s",
                       (long long)s->sent, s->n, name);
    else
        act_run_finish(run, ACT_DONE, "sent %lld messages of %s to %s", (long long)s->sent,
                       s->path, name);
}

static void sendfile_cancel(void *priv, struct act_run *run)
{
    struct sendfile *s = priv;

    (void)run;
    s->stopping = true;   /* the batch on the way is answered first */
}

static void sendfile_done(void *priv)
{
    struct sendfile *s = priv;

    for (size_t i = 0; i < s->n; i++)
        fmsg_free(&s->m[i]);
    free(s->m);
    free(s->path);
}

const struct action send_file_action = {
    .name = "send-file",
    .title = "Send from a file",
    .ok_label = "Send",
    .target_kind = "queue",
    .mutates = true,
    .confirm = ACT_CONFIRM_YESNO,
    .private_size = sizeof(struct sendfile),
    .form = sendfile_form,
    .check = sendfile_check,
    .describe = sendfile_describe,
    .start = sendfile_start,
    .answer = sendfile_answer,
    .cancel = sendfile_cancel,
    .done = sendfile_done,
};
