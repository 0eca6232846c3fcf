/* headless.h - the same gate for commands without a screen (`opsdeck sqs send`, and later
 * `opsdeck dlq redrive`, `opsdeck toggle set`, `opsdeck s3 get`): read-only refuses before
 * anything is sent, the confirmation the run needs is asked on the terminal (/dev/tty, so
 * that a body piped on stdin does not answer it), or given with --yes, which is required
 * when stdin is not a terminal; the audit is the gate's, as in the console. */
#ifndef OPSDECK_HEADLESS_H
#define OPSDECK_HEADLESS_H

#include <stdbool.h>
#include <stdio.h>

#include "act/action.h"
#include "core/client.h"

struct act_headless {
    bool yes;            /* --yes: the confirmation is given */
    bool stdin_tty;      /* isatty(STDIN_FILENO) */
    const char *tty;     /* where to ask; NULL: /dev/tty */
    /* Called after each wake-up while the run goes on (a progress line); may be NULL. */
    void (*progress)(struct act_run *r, void *arg);
    void *progress_arg;
};

/* Runs r (its form already filled and checked) to its end: refusal, confirmation, then the
 * client's loop (the command's own; the console never calls this). Says what happens on
 * err. Returns 0 when the run is done, 1 when it was refused, not confirmed, or failed. */
int act_headless_run(struct act_run *r, struct aws_client *c, const struct act_headless *h,
                     FILE *err);

/* The confirmation alone, for tests and for commands that run no act_run: asks on tty for
 * kind; 0 confirmed (*how "yes", "typed" or "--yes"), -1 not (why in why). */
int act_headless_confirm(enum act_confirm kind, const char *what, const char *where,
                         bool production, const char *kind_name, const char *expect,
                         const struct act_headless *h, const char **how, char *why,
                         size_t whylen);

#endif
