/* publish.c - "publish": a test message to an SNS topic (Publish), to prove that what is
 * published reaches the subscribers again: body, subject, message attributes, and for FIFO
 * topics the group and deduplication ids, prefilled from a [template NAME] of opsdeck's
 * config. The size is checked against SNS's limit (256 KiB, body and attributes) before
 * anything is sent.
 *
 * What it knows of the topic comes from the store's "topic" row (the poller's
 * GetTopicAttributes): fifo and content_dedup. A topic whose attributes are not read yet is
 * not guessed at: the check says so.
 *
 * What SNS answers (the message id, and a FIFO topic's sequence number) outlives the status
 * line: it is the run's output (shown in a box and copied) and a "published" row of the
 * results store keyed by the topic's ARN, which the topic's pane shows until the next one. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/action.h"
#include "act/template.h"
#include "aws/sns.h"
#include "util/xalloc.h"

#define SNS_MAX_SIZE (256 * 1024)   /* Publish's limit: the message and its attributes */
#define SUBJECT_MAX 100             /* SNS's limit for Subject */
#define ID_MAX 128                  /* SNS's limit for group and deduplication ids */

struct publish {
    bool known, fifo, content_dedup;
    char *body, *subject, *group, *dedup, *template_name;
    struct tmpl_attrs attrs;
};

static void read_topic(struct publish *p, const struct act_run *run)
{
    const struct act_env *env = act_run_env(run);
    const struct store_res *t = env->store ? store_find(env->store, "topic",
                                                        act_run_target(run)->key)
                                           : NULL;
    int64_t v;

    p->known = t && store_res_int(t, "fifo", &v);
    p->fifo = p->known && v;
    p->content_dedup = t && store_res_int(t, "content_dedup", &v) && v;
}

static void publish_form(void *priv, struct act_run *run, struct form *f)
{
    struct publish *p = priv;
    const struct appconfig *app = act_run_env(run)->app;
    struct form_field *fl;

    read_topic(p, run);
    template_form_choice(f, app, "the message, subject and attributes");
    fl = form_add(f, "body", "Message", FORM_TEXT);
    fl->required = true;
    fl->rows = 5;
    form_set_hint(fl, "what subscribers receive; {{uuid}} and {{now}} are filled in; "
                      "Ctrl-E opens $VISUAL/$EDITOR");
    fl = form_add(f, "subject", "Subject", FORM_LINE);
    fl->max_len = SUBJECT_MAX;
    form_set_hint(fl, "e-mail subscribers' subject line; empty: SNS's default");
    fl = form_add(f, "attributes", "Attributes", FORM_TEXT);
    fl->rows = 3;
    form_set_hint(fl, "one NAME=[TYPE:]VALUE per line; TYPE String (default), Number or "
                      "Binary (base64); filter policies match on these");
    fl = form_add(f, "group_id", "Group id", FORM_LINE);
    fl->required = true;
    fl->max_len = ID_MAX;
    fl->hidden = !p->fifo;
    form_set_hint(fl, "MessageGroupId: messages of one group are delivered in order");
    form_set(f, "group_id", "opsdeck-test");
    fl = form_add(f, "dedup_id", "Dedup id", FORM_LINE);
    fl->required = !p->content_dedup;
    fl->max_len = ID_MAX;
    fl->hidden = !p->fifo;
    form_set_hint(fl, p->content_dedup ? "MessageDeduplicationId; empty: the topic derives "
                                         "one from the message"
                                       : "MessageDeduplicationId: the same id within 5 "
                                         "minutes is published once");
    form_set(f, "dedup_id", p->content_dedup ? "" : "{{uuid}}");
}

static void publish_changed(void *priv, struct act_run *run, struct form *f, const char *field)
{
    (void)priv;
    if (strcmp(field, "template") == 0 && template_form_chosen(f))
        template_form_fill(f, act_run_env(run)->app, template_form_chosen(f));
}

static void replace(char **slot, const char *v)
{
    free(*slot);
    *slot = v ? xstrdup(v) : NULL;
}

/* One message as it is published: placeholders filled in, attribute values decoded. */
struct message {
    char *body, *subject, *group, *dedup;
    struct sns_msg_attr_in *attrs;
    char **values;
    size_t nattrs;
    size_t size;               /* the body and every attribute's name, type and value */
};

static void message_free(struct message *m)
{
    for (size_t i = 0; i < m->nattrs; i++)
        free(m->values[i]);
    free(m->values);
    free(m->attrs);
    free(m->body);
    free(m->subject);
    free(m->group);
    free(m->dedup);
    memset(m, 0, sizeof(*m));
}

static int expand(const char *what, const char *text, int64_t now_ms, char **out, char *why,
                  size_t whylen)
{
    char reason[512];

    if (!text)
        return 0;
    if (!(*out = template_expand(text, now_ms, reason, sizeof reason))) {
        snprintf(why, whylen, "%s: %s", what, reason);
        return -1;
    }
    return 0;
}

static int message_make(const struct publish *p, int64_t now_ms, struct message *m, char *why,
                        size_t whylen)
{
    memset(m, 0, sizeof(*m));
    m->attrs = xcalloc(p->attrs.n ? p->attrs.n : 1, sizeof(*m->attrs));
    m->values = xcalloc(p->attrs.n ? p->attrs.n : 1, sizeof(*m->values));
    if (expand("Message", p->body, now_ms, &m->body, why, whylen) < 0 ||
        expand("Subject", p->subject, now_ms, &m->subject, why, whylen) < 0 ||
        expand("Group id", p->group, now_ms, &m->group, why, whylen) < 0 ||
        expand("Dedup id", p->dedup, now_ms, &m->dedup, why, whylen) < 0)
        goto fail;
    m->size = strlen(m->body);
    for (size_t i = 0; i < p->attrs.n; i++) {
        const struct tmpl_attr *a = &p->attrs.v[i];
        struct sns_msg_attr_in *in = &m->attrs[i];
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
        m->size += strlen(a->name) + strlen(a->type) + len;
    }
    return 0;
fail:
    message_free(m);
    return -1;
}

static int publish_check(void *priv, struct act_run *run, const struct form *f, char *why,
                         size_t whylen)
{
    struct publish *p = priv;
    const char *tname = template_form_chosen(f);
    struct message m;

    read_topic(p, run);
    if (!p->known) {
        snprintf(why, whylen, "the attributes of topic %s are not read yet (FifoTopic): "
                              "press r, wait for the topic's row, then P again",
                 act_run_target(run)->name);
        return -1;
    }
    tmpl_attrs_free(&p->attrs);
    if (tmpl_attrs_parse(form_value(f, "attributes"), &p->attrs, why, whylen) < 0)
        return -1;
    replace(&p->body, form_value(f, "body"));
    replace(&p->subject, form_value(f, "subject")[0] ? form_value(f, "subject") : NULL);
    replace(&p->group, p->fifo ? form_value(f, "group_id") : NULL);
    replace(&p->dedup, p->fifo && form_value(f, "dedup_id")[0] ? form_value(f, "dedup_id")
                                                               : NULL);
    replace(&p->template_name, tname);
    if (message_make(p, template_now_ms(), &m, why, whylen) < 0)
        return -1;
    if (m.subject) {
        for (const char *c = m.subject; *c; c++) {
            /* SNS: ASCII text, no line breaks, starting with a letter, number or punctuation */
            if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f) {
                snprintf(why, whylen, "Subject: character %ld is not printable ASCII (SNS "
                                      "takes only that in a subject)", (long)(c - m.subject) + 1);
                goto fail;
            }
        }
        if (strlen(m.subject) > SUBJECT_MAX) {
            snprintf(why, whylen, "Subject: %zu characters; SNS takes %d", strlen(m.subject),
                     SUBJECT_MAX);
            goto fail;
        }
    }
    for (int i = 0; i < 2; i++) {
        const char *id = i == 0 ? m.group : m.dedup;

        if (id && strlen(id) > ID_MAX) {
            snprintf(why, whylen, "%s: %zu characters once filled in; SNS takes %d",
                     i == 0 ? "Group id" : "Dedup id", strlen(id), ID_MAX);
            goto fail;
        }
    }
    if (m.size > SNS_MAX_SIZE) {
        snprintf(why, whylen, "the message is %.1f KiB (%zu bytes, message and attributes); "
                              "SNS publishes at most 256 KiB (262144 bytes): shorten it",
                 (double)m.size / 1024.0, m.size);
        goto fail;
    }
    message_free(&m);
    return 0;
fail:
    message_free(&m);
    return -1;
}

/* What the audit records: sizes, names, ids; never the message nor attribute values. */
static cJSON *audit_params(const struct publish *p, const struct message *m)
{
    cJSON *o = cJSON_CreateObject(), *names = cJSON_AddArrayToObject(o, "attributes");

    cJSON_AddNumberToObject(o, "message_bytes", (double)strlen(m->body));
    cJSON_AddBoolToObject(o, "subject", m->subject != NULL);
    for (size_t i = 0; i < p->attrs.n; i++) {
        char *nt = xasprintf("%s (%s)", p->attrs.v[i].name, p->attrs.v[i].type);
        cJSON_AddItemToArray(names, cJSON_CreateString(nt));
        free(nt);
    }
    if (m->group)
        cJSON_AddStringToObject(o, "message_group_id", m->group);
    if (m->dedup)
        cJSON_AddStringToObject(o, "message_deduplication_id", m->dedup);
    if (p->template_name)
        cJSON_AddStringToObject(o, "template", p->template_name);
    return o;
}

static int publish_start(void *priv, struct act_run *run)
{
    struct publish *p = priv;
    struct aws_request req;
    struct message m;
    cJSON *params;
    char why[512];
    int rc;

    if (message_make(p, template_now_ms(), &m, why, sizeof why) < 0) {
        act_run_finish(run, ACT_FAILED, "%s", why);
        return -1;
    }
    struct sns_publish_params pp = {
        .topic_arn = act_run_target(run)->key, .message = m.body, .subject = m.subject,
        .attrs = m.attrs, .nattrs = m.nattrs, .group_id = m.group, .dedup_id = m.dedup,
    };
    sns_publish_request(&req, &pp);
    params = audit_params(p, &m);
    rc = act_send(run, &req, 0, params);
    cJSON_Delete(params);
    message_free(&m);
    return rc;
}

/* The topic's latest test message, for its pane (views/sns.c): message_id, sequence_number
 * (FIFO only), published (the store's clock), by (the template's name, if one was used). */
static void remember(struct act_run *run, const struct sns_published *out)
{
    struct store *s = act_run_env(run)->results;
    struct store_res *r;

    if (!s || !out->message_id)
        return;
    r = store_update_begin(s, "published", act_run_target(run)->key);
    store_set_str(r, "message_id", out->message_id);
    store_set_str(r, "sequence_number", out->sequence_number);
    store_set_int(r, "published", store_now(s));
    store_update_commit(r);
}

static void publish_answer(void *priv, struct act_run *run, int tag,
                           const struct aws_response *resp, const struct aws_error *err)
{
    struct sns_published out = {0};
    struct aws_error perr;
    char line[1200];

    (void)priv;
    (void)tag;
    aws_error_clear(&perr);
    if (!resp || sns_publish_parse(resp, &out, &perr) < 0) {
        act_run_describe_error(run, resp ? &perr : err, line, sizeof line);
        act_run_finish(run, ACT_FAILED, "%s", line);
        sns_published_free(&out);
        return;
    }
    remember(run, &out);
    if (out.message_id)
        act_run_set_output(run, out.message_id, "the message id");
    act_run_finish(run, ACT_DONE, "published to %s: message id %s%s%s",
                   act_run_target(run)->name, out.message_id ? out.message_id : "?",
                   out.sequence_number ? ", sequence number " : "",
                   out.sequence_number ? out.sequence_number : "");
    sns_published_free(&out);
}

/* The outcome line keeps SNS's ids, so the message can be followed in the subscribers'
 * logs. */
static void publish_audit_result(const struct aws_response *resp, cJSON *result)
{
    struct sns_published out = {0};
    struct aws_error err;

    aws_error_clear(&err);
    if (sns_publish_parse(resp, &out, &err) == 0) {
        if (out.message_id)
            cJSON_AddStringToObject(result, "message_id", out.message_id);
        if (out.sequence_number)
            cJSON_AddStringToObject(result, "sequence_number", out.sequence_number);
    }
    sns_published_free(&out);
}

static void publish_done(void *priv)
{
    struct publish *p = priv;

    free(p->body);
    free(p->subject);
    free(p->group);
    free(p->dedup);
    free(p->template_name);
    tmpl_attrs_free(&p->attrs);
}

const struct action publish_action = {
    .name = "publish",
    .title = "Publish a test message",
    .ok_label = "Publish",
    .target_kind = "topic",
    .mutates = true,
    .confirm = ACT_CONFIRM_YESNO,
    .private_size = sizeof(struct publish),
    .form = publish_form,
    .changed = publish_changed,
    .check = publish_check,
    .start = publish_start,
    .answer = publish_answer,
    .done = publish_done,
    .audit_result = publish_audit_result,
};
