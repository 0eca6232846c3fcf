/* cmd_dlq.c - `opsdeck dlq redrive QUEUE [--to URL [--hold SECONDS]] [--rate N] [--yes]`: the console's
 * redrive (act/redrive.c) without a screen, through the same gate (act/headless.h):
 * read-only refuses before any request; the typed confirmation is asked on the terminal, or
 * given with --yes (required when stdin is not a terminal); every write is audited.
 * Without --to, SQS moves each message back to the queue it came from
 * (StartMessageMoveTask); with --to, opsdeck moves them to that queue itself, and a move
 * that was stopped (killed, a failure) is resumed by running the same command again.
 * QUEUE is a queue URL, an ARN or a name. On a terminal, stderr shows a progress line.
 * Exit status: 0 every message moved, 1 refused, not confirmed or failed (the line says how
 * many were moved), 2 usage. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "act/action.h"
#include "act/headless.h"
#include "act/job.h"
#include "aws/sqs.h"
#include "cmd/cmd_write.h"
#include "cmd/commands.h"
#include "conf/appconfig.h"
#include "conf/awsconfig.h"
#include "core/client.h"
#include "creds/creds.h"
#include "creds/mfa_tty.h"
#include "poll/store.h"
#include "util/sanitize.h"

static int usage(void)
{
    fputs("usage: opsdeck dlq redrive QUEUE [--to URL [--hold SECONDS]] [--rate N] [--yes]\n"
          "       opsdeck dlq export QUEUE FILE [--yes]\n"
          "       opsdeck dlq send FILE QUEUE [--yes]\n", stderr);
    return 2;
}

struct progress {
    const struct store *store;
    const char *verb;          /* "moved", "exported", "sent" */
    bool shown;
};

/* "moved 120 of about 500" on stderr, rewritten in place, when stderr is a terminal. */
static void show_progress(struct act_run *r, void *arg)
{
    struct progress *p = arg;
    struct job *j = act_run_job_of(r);
    const struct store_res *row = j ? store_find(p->store, "job", job_key(j)) : NULL;
    int64_t done = 0, total = -1;

    if (!row)
        return;
    store_res_int(row, "done", &done);
    if (!store_res_int(row, "total", &total))
        total = -1;
    if (total >= 0)
        fprintf(stderr, "\r%s %lld of about %lld\033[K", p->verb, (long long)done,
                (long long)total);
    else
        fprintf(stderr, "\r%s %lld\033[K", p->verb, (long long)done);
    p->shown = true;
}

static int fill_form(struct act_run *run, const struct global_opts *g, const char *file)
{
    struct form *f = act_run_form(run);
    char why[1024];
    size_t bad;

    if (file)
        form_set(f, "file", file);
    if (g->to)
        form_set(f, "to", g->to);
    if (g->rate)
        form_set(f, "rate", g->rate);
    if (g->hold)
        form_set(f, "hold", g->hold);
    if (form_field(f, "to"))
        act_run_changed(run, "to");
    if (act_run_check(run, why, sizeof(why), &bad) < 0) {
        char *clean = sanitize_text(why, strlen(why));
        fprintf(stderr, "opsdeck: %s\n", clean);
        free(clean);
        return 2;
    }
    return 0;
}

/* Runs action a on QUEUE (file: the form's "file", or NULL). */
static int run_on_queue(const struct global_opts *g, const char *queue,
                        const struct action *a, const char *verb, const char *file)
{
    struct aws_config_opts co = {
        .profile = g->profile, .region = g->region, .endpoint_url = g->endpoint_url};
    struct gate_policy pol = {.read_only = g->read_only, .allow_writes = g->allow_writes};
    struct store *store = store_new();
    struct progress prog = {.store = store, .verb = verb};
    struct act_headless h = {.yes = g->yes, .stdin_tty = isatty(STDIN_FILENO),
                             .progress = isatty(STDERR_FILENO) ? show_progress : NULL,
                             .progress_arg = &prog};
    struct appconfig *app = appconfig_load(NULL);
    struct aws_config *cfg;
    struct creds_manager *cm = NULL;
    struct aws_client *client = NULL;
    struct gate *gate = NULL;
    struct jobs *jobs = jobs_new(store, cmd_mono_ms, NULL);
    struct act_run *run = NULL;
    struct aws_error err;
    char why[1024], *url = NULL, *name = NULL;
    int rc = 1;

    aws_error_clear(&err);
    cfg = aws_config_new(&co, &err);
    if (!cfg) {
        rc = cmd_fail_err(&err, g->profile ? g->profile : "default");
        goto out;
    }
    cm = creds_manager_new(cfg);
    creds_manager_set_mfa(cm, creds_mfa_tty_prompt, NULL, g->mfa_code);
    client = aws_client_new(cfg, cm, NULL);
    gate = gate_new(client, app, cfg->profile, cfg->region, &pol, NULL);
    /* read-only: refused before anything at all is sent, reads included */
    if (gate_read_only(gate, why, sizeof(why))) {
        fprintf(stderr, "opsdeck: %s\n", why);
        goto out;
    }
    url = cmd_queue_url(client, queue, cfg->profile, &rc);
    if (!url)
        goto out;
    if ((rc = cmd_queue_row(client, store, url, cfg->profile)) != 0 ||
        (rc = cmd_identity(client, gate, cfg->profile)) != 0)
        goto out;
    name = sqs_queue_name_from_url(url);
    struct act_env env = {.gate = gate, .store = store, .app = app, .jobs = jobs,
                          .clock = cmd_mono_ms};
    struct act_target t = {.kind = "queue", .key = url, .name = name};
    run = act_run_new(a, &env, &t);
    if ((rc = fill_form(run, g, file)) != 0)
        goto out;
    rc = act_headless_run(run, client, &h, stderr);
    if (prog.shown)
        fputs("\r\033[K", stderr);
    if (rc == 0) {
        char *clean = sanitize_text(act_run_result(run), strlen(act_run_result(run)));
        printf("%s\n", clean);
        free(clean);
        if (fflush(stdout) != 0)
            rc = 1;
    }
out:
    act_run_free(run);
    aws_client_free(client);
    gate_free(gate);
    creds_manager_free(cm);
    aws_config_free(cfg);
    jobs_free(jobs);
    store_free(store);
    appconfig_free(app);
    free(url);
    free(name);
    return rc;
}

int cmd_dlq(const struct global_opts *g, int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "redrive") == 0)
        return run_on_queue(g, argv[2], &redrive_action, "moved", NULL);
    if (argc == 4 && strcmp(argv[1], "export") == 0)
        return run_on_queue(g, argv[2], &export_action, "exported", argv[3]);
    if (argc == 4 && strcmp(argv[1], "send") == 0)
        return run_on_queue(g, argv[3], &send_file_action, "sent", argv[2]);
    return usage();
}
