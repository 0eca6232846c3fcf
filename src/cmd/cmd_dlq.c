/* cmd_dlq.c - `opsdeck dlq redrive QUEUE [--to URL [--hold SECONDS]] [--rate N] [--yes]`: the console's
 * redrive (act/redrive.c) without a screen, through the same gate (act/headless.h):
 * read-only refuses before any request; the typed confirmation is asked on the terminal, or
 * given with --yes (required when stdin is not a terminal); every write is audited.
 * Without --to, SQS moves each message back to the queue it came from
 * (StartMessageMoveTask); with --to, opsdeck moves them to that queue itself, and a move
 * that was stopped (killed, a failure) is resumed by running the same command again.
 * QUEUE is a queue URL, an ARN or a name. On a terminal, stderr shows a progress line.
 * Exit status (doc/opsdeck.1), so a script can tell what happened without reading stderr:
 * DLQ_EXIT_* below. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "act/action.h"
#include "act/headless.h"
#include "act/job.h"
#include "cmd/cmd_write.h"
#include "cmd/commands.h"
#include "poll/store.h"
#include "util/sanitize.h"

/* 3 and 4 say that nothing was sent, and that part of the work was done: a script retries
 * neither the same way as a plain failure. */
enum {
    DLQ_EXIT_DONE = 0,      /* every message moved, exported or sent */
    DLQ_EXIT_FAILED = 1,    /* AWS, network, credentials, the audit log, the file: none done */
    DLQ_EXIT_USAGE = 2,     /* arguments, a QUEUE that is no queue ARN, the form (file exists) */
    DLQ_EXIT_REFUSED = CMD_EXIT_REFUSED, /* read-only or not confirmed: nothing was sent */
    DLQ_EXIT_PARTLY = 4,    /* stopped part way (failed after some, cancelled) */
};

static int usage(void)
{
    fputs("usage: opsdeck dlq redrive QUEUE [--to URL [--hold SECONDS]] [--rate N] [--yes]\n"
          "       opsdeck dlq export QUEUE FILE [--inline-payloads] [--yes]\n"
          "       opsdeck dlq send FILE QUEUE [--yes]\n", stderr);
    return 2;
}

struct progress {
    const struct store *store;
    const char *verb;          /* "moved", "exported", "sent" */
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
    if (g->inline_payloads && form_field(f, "inline"))
        form_set(f, "inline", "inlined");
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

/* The exit status of a run that act_headless_run ended with rc (cmd_session_run's). */
static int run_status(const struct act_run *run, const struct store *store, int rc)
{
    const struct job *j = act_run_job_of(run);
    const struct store_res *row = j ? store_find(store, "job", job_key(j)) : NULL;
    int64_t done = 0;

    if (rc == 0)
        return DLQ_EXIT_DONE;
    if (row)
        store_res_int(row, "done", &done);
    switch (act_run_state(run)) {
    case ACT_FORM:
    case ACT_CONFIRM:   /* refused or not confirmed: the run never started */
        return DLQ_EXIT_REFUSED;
    case ACT_CANCELLED:
        return DLQ_EXIT_PARTLY;
    case ACT_FAILED:
        return done > 0 ? DLQ_EXIT_PARTLY : DLQ_EXIT_FAILED;
    default:            /* done, but its line could not be written */
        return rc;
    }
}

/* Runs action a on QUEUE (file: the form's "file", or NULL). */
static int run_on_queue(const struct global_opts *g, const char *queue,
                        const struct action *a, const char *verb, const char *file)
{
    struct cmd_session s;
    struct progress prog = {.verb = verb};
    struct act_headless h = {.yes = g->yes, .stdin_tty = isatty(STDIN_FILENO),
                             .progress = isatty(STDERR_FILENO) ? show_progress : NULL,
                             .progress_arg = &prog};
    struct act_run *run;
    int rc = cmd_session_open(&s, g, queue);

    if (rc != 0)
        return rc;
    prog.store = s.store;
    run = act_run_new(a, &s.env, &s.target);
    if ((rc = fill_form(run, g, file)) == 0)
        rc = run_status(run, s.store, cmd_session_run(&s, run, &h));
    act_run_free(run);
    cmd_session_close(&s);
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
