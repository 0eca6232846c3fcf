/* buckets.c - S3 ListBuckets, as the "bucket" kind: the s3 view's first level, and
 * `opsdeck snapshot`'s. */
#include "config.h"

#include <stdlib.h>

#include "aws/s3.h"
#include "poll/sources/common.h"
#include "poll/sources/sources.h"

struct buckets_state {
    struct s3_bucket_list list;
    struct aws_error *err;
};

static void buckets_start(struct source_run *run, void *state)
{
    struct aws_request r;

    (void)state;
    s3_list_buckets_request(&r);
    source_send(run, &r, 0, 0);
}

static void buckets_answer(struct source_run *run, void *state, unsigned tag, size_t index,
                           const struct aws_response *resp, const struct aws_error *err)
{
    struct buckets_state *st = state;
    struct aws_error perr;
    int rc = 0;

    (void)tag;
    (void)index;
    aws_error_clear(&perr);
    if (!err && (rc = s3_list_buckets_parse(resp, &st->list, &perr)) < 0) {
        err = &perr;
        source_error(run, err);
    } else if (rc > 0) {
        source_error(run, &perr);   /* items skipped: the call's error, the others listed */
    }
    if (err) {
        sources_error_keep(&st->err, err);
        source_backoff(run);
    }
}

static void buckets_commit(struct source_run *run, void *state)
{
    struct buckets_state *st = state;
    struct store *s = source_store(run);

    if (st->err) {
        store_list_fail(s, "bucket", st->err);
        return;
    }
    store_list_begin(s, "bucket");
    for (size_t i = 0; i < st->list.n; i++) {
        struct store_res *r = store_update_begin(s, "bucket", st->list.buckets[i].name);

        store_set(r, "created", store_value_str(st->list.buckets[i].creation_date));
        store_update_commit(r);
    }
    store_list_end(s, "bucket");
}

static void buckets_done(void *state)
{
    struct buckets_state *st = state;

    s3_bucket_list_free(&st->list);
    free(st->err);
}

static const char *const buckets_kinds[] = {"bucket", NULL};

const struct source buckets_source = {
    .name = "buckets",
    .kinds = buckets_kinds,
    .views = SOURCE_VIEW(APPCONFIG_VIEW_S3),
    .state_size = sizeof(struct buckets_state),
    .start = buckets_start,
    .answer = buckets_answer,
    .commit = buckets_commit,
    .done = buckets_done,
};
