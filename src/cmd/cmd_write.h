/* cmd_write.h - what the headless commands that write (cmd_sqs.c, cmd_dlq.c) share: one
 * call waited for in the command's own loop, a queue named by URL, name or ARN, the queue's
 * row as the console's poller writes it, and the caller's identity for the gate. */
#ifndef OPSDECK_CMD_WRITE_H
#define OPSDECK_CMD_WRITE_H

#include <stdint.h>

#include "act/action.h"
#include "act/gate.h"
#include "act/headless.h"
#include "core/client.h"
#include "poll/store.h"

struct cmd_call {
    int done;                  /* 1 answered, -1 failed */
    struct aws_response resp;
    struct aws_error err;
};

/* Sends req and waits for its answer: 0 with c->resp (aws_response_done it), -1 with
 * c->err. */
int cmd_call(struct aws_client *client, struct aws_request *req, struct cmd_call *c);
/* Prints err in one line (cause, profile, fix) on stderr; returns 1. */
int cmd_fail_err(const struct aws_error *err, const char *profile);
/* The monotonic clock, as struct act_env's clock. */
int64_t cmd_mono_ms(void *arg);
/* QUEUE's URL: a URL as it is, an ARN through GetQueueUrl, a name through ListQueues. NULL
 * after saying why on stderr, with *rc the exit status. */
char *cmd_queue_url(struct aws_client *client, const char *queue, const char *profile,
                    int *rc);
/* GetQueueAttributes into the "queue" row of store (name, arn, visible, fifo, attributes).
 * 0, or the exit status after saying why. */
int cmd_queue_row(struct aws_client *client, struct store *store, const char *url,
                  const char *profile);
/* GetCallerIdentity into the gate. 0, or the exit status after saying why. */
int cmd_identity(struct aws_client *client, struct gate *gate, const char *profile);

/* Everything a headless write on one queue needs: config, credentials, client, the gate
 * (read-only refused before any request), the queue's URL, row and name, the caller's
 * identity, and the act env (jobs in a private store, so a job's progress can be shown). */
struct cmd_session {
    struct appconfig *app;
    struct aws_config *cfg;
    struct creds_manager *cm;
    struct aws_client *client;
    struct gate *gate;
    struct store *store;
    struct jobs *jobs;
    char *url, *name;
    struct act_env env;
    struct act_target target;
};

/* What cmd_session_open returns when read-only refuses the command before any request (the
 * dlq commands exit with it; sqs send keeps its documented 1). */
#define CMD_EXIT_REFUSED 3

struct global_opts;
/* 0 with s ready, or the exit status after saying why on stderr (s is closed then):
 * CMD_EXIT_REFUSED for read-only, 2 for a QUEUE that cannot be one, else 1. */
int cmd_session_open(struct cmd_session *s, const struct global_opts *g, const char *queue);
void cmd_session_close(struct cmd_session *s);
/* Runs r to its end on s (act_headless_run), clears h's progress line on stderr when it
 * has one, and prints the run's result line on success: the exit status. */
int cmd_session_run(struct cmd_session *s, struct act_run *r, const struct act_headless *h);

#endif
