/* identity.c - who the console is talking as: STS GetCallerIdentity, for the header.
 * Every five minutes (it hardly changes); while it fails, with the view's data. */
#include "config.h"

#include <stdlib.h>

#include "aws/sts.h"
#include "poll/sources/common.h"
#include "poll/sources/sources.h"

struct identity_state {
    struct sts_identity id;
    struct aws_error *err;
};

static void identity_start(struct source_run *run, void *state)
{
    struct aws_request r;

    (void)state;
    sts_get_caller_identity_request(&r);
    source_send(run, &r, 0, 0);
}

static void identity_answer(struct source_run *run, void *state, unsigned tag, size_t index,
                            const struct aws_response *resp, const struct aws_error *err)
{
    struct identity_state *st = state;
    struct aws_error perr;

    (void)tag;
    (void)index;
    aws_error_clear(&perr);
    if (!err && sts_get_caller_identity_parse(resp, &st->id, &perr) < 0) {
        err = &perr;
        source_error(run, err);
    }
    if (err) {
        sources_error_keep(&st->err, err);
        /* the header says "account ?": back off like a failed list */
        source_backoff(run);
    }
}

static void identity_commit(struct source_run *run, void *state)
{
    struct identity_state *st = state;
    struct store *s = source_store(run);
    struct store_res *r;

    if (st->err) {
        store_fail(s, "identity", "caller", st->err);
        return;
    }
    r = store_update_begin(s, "identity", "caller");
    store_set_str(r, "account", st->id.account);
    store_set_str(r, "arn", st->id.arn);
    store_set(r, "user_id", store_value_str(st->id.user_id));
    store_update_commit(r);
}

static void identity_done(void *state)
{
    struct identity_state *st = state;

    sts_identity_free(&st->id);
    free(st->err);
}

static const char *const identity_kinds[] = {"identity", NULL};

const struct source identity_source = {
    .name = "identity",
    .kinds = identity_kinds,
    .interval_ms = 5 * 60 * 1000,
    .state_size = sizeof(struct identity_state),
    .start = identity_start,
    .answer = identity_answer,
    .commit = identity_commit,
    .done = identity_done,
};
