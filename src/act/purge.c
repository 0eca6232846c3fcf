/* purge.c - "purge": every message of a queue goes (SQS PurgeQueue), in-flight ones too.
 *
 * SQS takes up to 60 seconds to delete them and refuses another purge of the queue in that
 * time (PurgeQueueInProgress). The purge runs as a one-step job, so its row (action
 * "Purge", resource the queue's name, ended) is what says when the queue was purged: the
 * dlq view shows the cooldown from it (purge_cooldown_ms), and a second purge inside the
 * minute is refused here before anything is sent. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/action.h"
#include "aws/sqs.h"

#define PURGE_TITLE "Purge"
#define COOLDOWN_MS 60000

struct purge {
    int64_t depth;             /* visible when the form was made, -1 unknown */
};

int64_t purge_cooldown_ms(const struct store *s, const char *name)
{
    int64_t now = store_now(s), left = 0;

    for (size_t i = 0; i < store_count(s, "job"); i++) {
        const struct store_res *r = store_at(s, "job", i);
        const char *action = store_res_str(r, "action"), *res = store_res_str(r, "resource");
        const char *state = store_res_str(r, "state");
        int64_t ended;

        if (!action || !res || !state || strcmp(action, PURGE_TITLE) != 0 ||
            strcmp(res, name) != 0 || strcmp(state, "done") != 0 ||
            !store_res_int(r, "ended", &ended))
            continue;
        if (ended + COOLDOWN_MS - now > left)
            left = ended + COOLDOWN_MS - now;
    }
    return left;
}

static int purge_check(void *priv, struct act_run *run, char *why, size_t whylen)
{
    struct purge *p = priv;
    const struct store *s = act_run_env(run)->store;
    const char *name = act_run_target(run)->name;
    const struct store_res *r = s ? store_find(s, act_run_target(run)->kind,
                                               act_run_target(run)->key) : NULL;
    int64_t left = s ? purge_cooldown_ms(s, name) : 0;

    p->depth = -1;
    if (r && !store_res_int(r, "visible", &p->depth))
        p->depth = -1;
    if (left > 0) {
        snprintf(why, whylen, "%s was purged less than a minute ago: SQS allows one purge a "
                              "minute; try again in %lld s",
                 name, (long long)((left + 999) / 1000));
        return -1;
    }
    return 0;
}

/* No form: the check runs when the run is made (act_run_check) and again just before. */
static void purge_describe(void *priv, struct act_run *run, char *what, size_t whatlen)
{
    struct purge *p = priv;
    char why[512];

    if (purge_check(p, run, why, sizeof(why)) < 0) {
        snprintf(what, whatlen, "%s", why);
        return;
    }
    if (p->depth >= 0)
        snprintf(what, whatlen, "Purge %s: all of its about %lld messages go, in-flight ones "
                                "too",
                 act_run_target(run)->name, (long long)p->depth);
    else
        snprintf(what, whatlen, "Purge %s: all of its messages go, in-flight ones too",
                 act_run_target(run)->name);
}

static int purge_start(void *priv, struct act_run *run)
{
    struct aws_request req;
    char why[512];

    if (purge_check(priv, run, why, sizeof(why)) < 0) {
        act_run_finish(run, ACT_FAILED, "%s", why);
        return -1;
    }
    act_run_job(run, 1);
    sqs_purge_queue_request(&req, act_run_target(run)->key);
    return act_send(run, &req, 0, NULL);
}

static void purge_answer(void *priv, struct act_run *run, int tag,
                         const struct aws_response *resp, const struct aws_error *err)
{
    const char *name = act_run_target(run)->name;
    char line[1200];

    (void)priv;
    (void)tag;
    if (resp) {
        act_run_progress(run, 1, 1);
        act_run_finish(run, ACT_DONE, "purged %s: SQS deletes its messages within 60 s; no "
                       "other purge for a minute", name);
        return;
    }
    if (strstr(err->code, "PurgeQueueInProgress")) {
        act_run_finish(run, ACT_FAILED, "a purge of %s is already running (SQS allows one a "
                       "minute): nothing more to do", name);
        return;
    }
    act_run_describe_error(run, err, line, sizeof(line));
    act_run_finish(run, ACT_FAILED, "%s", line);
}

const struct action purge_action = {
    .name = "purge",
    .title = PURGE_TITLE,
    .target_kind = "dlq",
    .mutates = true,
    .confirm = ACT_CONFIRM_TYPED,
    .private_size = sizeof(struct purge),
    .describe = purge_describe,
    .start = purge_start,
    .answer = purge_answer,
};
