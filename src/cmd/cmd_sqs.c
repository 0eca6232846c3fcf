/* cmd_sqs.c - `opsdeck sqs send QUEUE [--body TEXT | --template NAME] [--delay SECONDS]
 * [--group-id ID] [--dedup-id ID] [--yes]`: the console's send-message action without a
 * screen, through the same gate (act/headless.h): read-only refuses before any request;
 * the confirmation is asked on the terminal, or given with --yes (required when stdin is not
 * a terminal); the write is audited. The body is --body, else the template's, else stdin
 * when it is not a terminal. QUEUE is a queue URL or a queue name (found with ListQueues).
 * Prints the message id on success. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "act/action.h"
#include "act/form.h"
#include "act/gate.h"
#include "act/headless.h"
#include "act/job.h"
#include "aws/sqs.h"
#include "aws/sts.h"
#include "cmd/commands.h"
#include "cmd/cmd_write.h"
#include "conf/appconfig.h"
#include "conf/awsconfig.h"
#include "core/client.h"
#include "creds/creds.h"
#include "creds/mfa_tty.h"
#include "poll/store.h"
#include "util/sanitize.h"
#include "util/xalloc.h"
#include "util/timeutil.h"

static void on_call(const struct aws_response *resp, const struct aws_error *err, void *ud)
{
    struct cmd_call *c = ud;

    if (err) {
        c->err = *err;
        c->done = -1;
        return;
    }
    c->resp.status = resp->status;
    buf_append(&c->resp.body, resp->body.data, resp->body.len);
    c->done = 1;
}

/* One read, sent and waited for (a command's own loop). */
int cmd_call(struct aws_client *client, struct aws_request *req, struct cmd_call *c)
{
    memset(c, 0, sizeof(*c));
    aws_response_init(&c->resp);
    aws_client_send(client, req, on_call, c);
    while (c->done == 0 && aws_client_pending(client) > 0)
        aws_client_run(client, NULL, 0, 1000);
    return c->done == 1 ? 0 : -1;
}

int cmd_fail_err(const struct aws_error *err, const char *profile)
{
    char line[1200];

    aws_error_describe(err, profile, line, sizeof(line));
    fprintf(stderr, "opsdeck: %s\n", line);
    return 1;
}

/* The monotonic clock in the form the act env's clock takes. */
int64_t cmd_mono_ms(void *arg)
{
    (void)arg;
    return timeutil_mono_ms();
}

/* arn:PARTITION:sqs:REGION:ACCOUNT:NAME -> GetQueueUrl(NAME, ACCOUNT). */
static char *arn_url(struct aws_client *client, const char *arn, const char *profile, int *rc)
{
    const char *f[6] = {0}, *p = arn;
    struct aws_request req;
    struct cmd_call c;
    char *name, *account, *url = NULL;
    int n = 0;

    for (f[n++] = p; *p && n < 6; p++)
        if (*p == ':')
            f[n++] = p + 1;
    if (n < 6 || strncmp(f[2], "sqs:", 4) != 0 || !f[5][0] || strchr(f[5], ':') ||
        f[5] - f[4] < 2) {
        char *q = sanitize_text(arn, strlen(arn));
        fprintf(stderr, "opsdeck: '%s' is not a queue ARN (arn:aws:sqs:REGION:ACCOUNT:NAME)\n",
                q);
        free(q);
        *rc = 2;
        return NULL;
    }
    name = xstrdup(f[5]);
    account = xstrndup(f[4], (size_t)(f[5] - f[4] - 1));
    sqs_get_queue_url_request(&req, name, account);
    if (cmd_call(client, &req, &c) < 0)
        *rc = cmd_fail_err(&c.err, profile);
    else if (sqs_get_queue_url_parse(&c.resp, &url, &c.err) < 0)
        *rc = cmd_fail_err(&c.err, profile);
    aws_response_done(&c.resp);
    free(name);
    free(account);
    return url;
}

/* The queue's URL: QUEUE itself when it is one, else the listed queue of that name. */
char *cmd_queue_url(struct aws_client *client, const char *queue, const char *profile,
                       int *rc)
{
    struct sqs_list_queues_params p = {.prefix = queue};
    struct sqs_url_list l;
    struct aws_request req;
    struct cmd_call c;
    char *url = NULL;

    if (strncmp(queue, "https://", 8) == 0 || strncmp(queue, "http://", 7) == 0)
        return xstrdup(queue);
    if (strncmp(queue, "arn:", 4) == 0)
        return arn_url(client, queue, profile, rc);
    sqs_list_queues_request(&req, &p);
    if (cmd_call(client, &req, &c) < 0) {
        *rc = cmd_fail_err(&c.err, profile);
        return NULL;
    }
    if (sqs_list_queues_parse(&c.resp, &l, &c.err) < 0) {
        aws_response_done(&c.resp);
        *rc = cmd_fail_err(&c.err, profile);
        return NULL;
    }
    for (size_t i = 0; i < l.n && !url; i++) {
        char *name = sqs_queue_name_from_url(l.urls[i]);

        if (strcmp(name, queue) == 0)
            url = xstrdup(l.urls[i]);
        free(name);
    }
    sqs_url_list_free(&l);
    aws_response_done(&c.resp);
    if (!url) {
        char *q = sanitize_text(queue, strlen(queue));
        fprintf(stderr, "opsdeck: no queue named '%s' in profile %s (ListQueues): check the "
                        "name, the region and the account, or give the queue's URL\n",
                q, profile);
        free(q);
        *rc = 1;
    }
    return url;
}

/* GetQueueAttributes into a "queue" row, as the console's poller writes it. */
int cmd_queue_row(struct aws_client *client, struct store *store, const char *url,
                     const char *profile)
{
    struct sqs_queue_attrs a;
    struct aws_request req;
    struct store_res *r;
    struct cmd_call c;
    cJSON *o;
    char *json;

    sqs_get_queue_attributes_request(&req, url);
    if (cmd_call(client, &req, &c) < 0)
        return cmd_fail_err(&c.err, profile);
    if (sqs_get_queue_attributes_parse(&c.resp, url, &a, &c.err) < 0) {
        aws_response_done(&c.resp);
        return cmd_fail_err(&c.err, profile);
    }
    aws_response_done(&c.resp);
    o = cJSON_CreateObject();
    for (size_t i = 0; i < a.nattrs; i++)
        cJSON_AddItemToObject(o, a.attrs[i].name, cJSON_CreateString(a.attrs[i].value));
    json = cJSON_PrintUnformatted(o);
    r = store_update_begin(store, "queue", url);
    store_set_str(r, "name", a.name);
    if (a.arn)
        store_set_str(r, "arn", a.arn);
    if (a.visible >= 0)
        store_set_int(r, "visible", a.visible);
    store_set_int(r, "fifo", a.fifo);
    store_set_str(r, "attributes", json);
    store_update_commit(r);
    free(json);
    cJSON_Delete(o);
    sqs_queue_attrs_free(&a);
    return 0;
}

/* Who is writing, for the confirmation and the audit. */
int cmd_identity(struct aws_client *client, struct gate *gate, const char *profile)
{
    struct sts_identity id;
    struct aws_request req;
    struct cmd_call c;

    sts_get_caller_identity_request(&req);
    if (cmd_call(client, &req, &c) < 0)
        return cmd_fail_err(&c.err, profile);
    if (sts_get_caller_identity_parse(&c.resp, &id, &c.err) < 0) {
        aws_response_done(&c.resp);
        return cmd_fail_err(&c.err, profile);
    }
    gate_set_identity(gate, id.arn, id.account);
    sts_identity_free(&id);
    aws_response_done(&c.resp);
    return 0;
}

/* stdin, whole; NULL when it cannot be read or is larger than max. */
static char *read_stdin(size_t max)
{
    struct buf b;
    char chunk[65536];
    size_t n;

    buf_init(&b);
    while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0) {
        buf_append(&b, chunk, n);
        if (b.len > max) {
            buf_done(&b);
            return NULL;
        }
    }
    if (ferror(stdin)) {
        buf_done(&b);
        return NULL;
    }
    buf_putc(&b, '\0');
    return buf_steal(&b);
}

static int usage(void)
{
    fputs("usage: opsdeck sqs send QUEUE [--body TEXT | --template NAME] [--delay SECONDS] "
          "[--group-id ID] [--dedup-id ID] [--yes]\n",
          stderr);
    return 2;
}

/* The form as the console shows it, filled from the options. 0, or 2 after a message. */
static int fill_form(struct act_run *run, const struct global_opts *g,
                     const struct appconfig *app)
{
    struct form *f = act_run_form(run);
    char why[1024];
    size_t bad;

    if (g->template_name) {
        if (!appconfig_template(app, g->template_name)) {
            char *t = sanitize_text(g->template_name, strlen(g->template_name));
            fprintf(stderr, "opsdeck: no [template %s] in %s\n", t,
                    app->path ? app->path : "opsdeck's config");
            free(t);
            return 2;
        }
        form_set(f, "template", g->template_name);
        act_run_changed(run, "template");
    }
    if (g->body) {
        form_set(f, "body", g->body);
    } else if (!g->template_name) {
        char *body;

        if (isatty(STDIN_FILENO)) {
            fputs("opsdeck: no body: give --body TEXT, --template NAME, or the body on "
                  "stdin\n", stderr);
            return 2;
        }
        body = read_stdin(FORM_TEXT_MAX);
        if (!body) {
            fputs("opsdeck: cannot read the body from stdin (or it is larger than 1 MiB)\n",
                  stderr);
            return 2;
        }
        form_set(f, "body", body);
        free(body);
    }
    if (g->delay)
        form_set(f, "delay", g->delay);
    if (g->group_id)
        form_set(f, "group_id", g->group_id);
    if (g->dedup_id)
        form_set(f, "dedup_id", g->dedup_id);
    if (act_run_check(run, why, sizeof(why), &bad) < 0) {
        char *clean = sanitize_text(why, strlen(why));
        fprintf(stderr, "opsdeck: %s\n", clean);
        free(clean);
        return 2;
    }
    return 0;
}

int cmd_session_open(struct cmd_session *s, const struct global_opts *g, const char *queue)
{
    struct aws_config_opts co = {
        .profile = g->profile, .region = g->region, .endpoint_url = g->endpoint_url};
    struct gate_policy pol = {.read_only = g->read_only, .allow_writes = g->allow_writes};
    struct aws_error err;
    char why[1024];
    int rc = 1;

    memset(s, 0, sizeof(*s));
    s->app = appconfig_load(NULL);
    s->store = store_new();
    s->jobs = jobs_new(s->store, cmd_mono_ms, NULL);
    aws_error_clear(&err);
    s->cfg = aws_config_new(&co, &err);
    if (!s->cfg) {
        rc = cmd_fail_err(&err, g->profile ? g->profile : "default");
        goto fail;
    }
    s->cm = creds_manager_new(s->cfg);
    creds_manager_set_mfa(s->cm, creds_mfa_tty_ask, NULL, NULL, g->mfa_code);
    s->client = aws_client_new(s->cfg, creds_manager_source(s->cm), NULL);
    s->gate = gate_new(s->client, s->app, s->cfg->profile, s->cfg->region, &pol, NULL);
    /* read-only: refused before anything at all is sent, reads included */
    if (gate_read_only(s->gate, why, sizeof(why))) {
        fprintf(stderr, "opsdeck: %s\n", why);
        rc = CMD_EXIT_REFUSED;
        goto fail;
    }
    s->url = cmd_queue_url(s->client, queue, s->cfg->profile, &rc);
    if (!s->url)
        goto fail;
    if ((rc = cmd_queue_row(s->client, s->store, s->url, s->cfg->profile)) != 0 ||
        (rc = cmd_identity(s->client, s->gate, s->cfg->profile)) != 0)
        goto fail;
    s->name = sqs_queue_name_from_url(s->url);
    s->env = (struct act_env){.gate = s->gate, .store = s->store, .app = s->app,
                              .jobs = s->jobs, .cfg = s->cfg, .clock = cmd_mono_ms};
    s->target = (struct act_target){.kind = "queue", .key = s->url, .name = s->name};
    return 0;
fail:
    cmd_session_close(s);
    return rc ? rc : 1;
}

void cmd_session_close(struct cmd_session *s)
{
    aws_client_free(s->client);
    gate_free(s->gate);
    creds_manager_free(s->cm);
    aws_config_free(s->cfg);
    jobs_free(s->jobs);
    store_free(s->store);
    appconfig_free(s->app);
    free(s->url);
    free(s->name);
    memset(s, 0, sizeof(*s));
}

int cmd_session_run(struct cmd_session *s, struct act_run *r, const struct act_headless *h)
{
    int rc = act_headless_run(r, s->client, h, stderr);

    if (h->progress)   /* its line on the terminal goes before the result is printed */
        fputs("\r\033[K", stderr);
    if (rc == 0) {
        char *clean = sanitize_text(act_run_result(r), strlen(act_run_result(r)));
        printf("%s\n", clean);
        free(clean);
        if (fflush(stdout) != 0)
            rc = 1;
    }
    return rc;
}

static int send_message(const struct global_opts *g, const char *queue)
{
    struct act_headless h = {.yes = g->yes, .stdin_tty = isatty(STDIN_FILENO)};
    struct cmd_session s;
    struct act_run *run;
    int rc = cmd_session_open(&s, g, queue);

    if (rc != 0)   /* sqs send: every refusal is 1 (doc/opsdeck.1) */
        return rc == CMD_EXIT_REFUSED ? 1 : rc;
    /* a single message is no job: the command prints its id */
    s.env.jobs = NULL;
    run = act_run_new(&send_message_action, &s.env, &s.target);
    if ((rc = fill_form(run, g, s.app)) == 0)
        rc = cmd_session_run(&s, run, &h);
    act_run_free(run);
    cmd_session_close(&s);
    return rc;
}

int cmd_sqs(const struct global_opts *g, int argc, char **argv)
{
    if (argc != 3 || strcmp(argv[1], "send") != 0)
        return usage();
    return send_message(g, argv[2]);
}
