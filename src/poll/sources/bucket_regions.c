/* bucket_regions.c - each listed bucket's region, from the x-amz-bucket-region header of
 * HeadBucket (S3 sends it on the 301 and 403 answers too), so the s3 view shows it and a
 * bucket's requests go to its own region's endpoint. A bucket's region never changes: only
 * buckets without one are asked, WINDOW at a time. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "poll/sources/common.h"
#include "poll/sources/s3detail.h"
#include "poll/sources/sources.h"
#include "util/xalloc.h"

#define WINDOW 16

struct regions_state {
    char **names;                /* the buckets asked about */
    char (*region)[32];          /* their answers, "" when none said */
    size_t n, next;
};

static void send_next(struct source_run *run, struct regions_state *st)
{
    while (st->next < st->n && source_pending(run) < WINDOW) {
        struct s3_location loc;
        struct aws_error err;
        struct aws_request r;
        size_t i = st->next++;

        aws_error_clear(&err);
        if (s3_detail_locate(source_aws_config(run), st->names[i], NULL, &loc, &err) < 0)
            continue;
        s3_head_bucket_request(&r, &loc);
        s3_location_done(&loc);
        source_send(run, &r, 0, i);
    }
}

static void regions_start(struct source_run *run, void *state)
{
    struct regions_state *st = state;
    struct store *s = source_store(run);
    size_t n = store_count(s, "bucket");

    st->names = xcalloc(n ? n : 1, sizeof(*st->names));
    st->region = xcalloc(n ? n : 1, sizeof(*st->region));
    for (size_t i = 0; i < n; i++) {
        const struct store_res *r = store_at(s, "bucket", i);

        if (!store_res_str(r, "region"))
            st->names[st->n++] = xstrdup(store_res_key(r));
    }
    send_next(run, st);
}

static void regions_answer(struct source_run *run, void *state, unsigned tag, size_t index,
                           const struct aws_response *resp, const struct aws_error *err)
{
    struct regions_state *st = state;

    (void)tag;
    /* the answer names the region whether or not we may HEAD the bucket */
    if (s3_bucket_region(resp, err, st->region[index]) == 0 && err)
        source_gone(run);
    send_next(run, st);
}

static void regions_commit(struct source_run *run, void *state)
{
    struct regions_state *st = state;
    struct store *s = source_store(run);

    for (size_t i = 0; i < st->n; i++) {
        struct store_res *r;

        if (!st->region[i][0] || !store_find(s, "bucket", st->names[i]))
            continue;
        r = store_update_begin(s, "bucket", st->names[i]);
        store_set_str(r, "region", st->region[i]);
        store_update_commit(r);
    }
}

static void regions_done(void *state)
{
    struct regions_state *st = state;

    sources_strv_free(st->names, st->n);
    free(st->region);
}

static const char *const regions_kinds[] = {"bucket", NULL};

const struct source bucket_regions_source = {
    .name = "bucket_regions",
    .kinds = regions_kinds,
    .views = SOURCE_VIEW(APPCONFIG_VIEW_S3),
    .input = "bucket",
    .state_size = sizeof(struct regions_state),
    .start = regions_start,
    .answer = regions_answer,
    .commit = regions_commit,
    .done = regions_done,
};
