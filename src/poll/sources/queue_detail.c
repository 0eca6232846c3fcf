/* queue_detail.c - the queue whose detail pane is open (sqs or dlq view): its attributes
 * and its tags (ListQueueTags, fetched for no other queue), every 2 seconds. */
#include "config.h"

#include <stdlib.h>

#include "aws/sqs.h"
#include "poll/sources/common.h"
#include "poll/sources/sources.h"
#include "util/xalloc.h"

#define DETAIL_INTERVAL_MS 2000

enum { R_ATTRS, R_TAGS };

struct detail_state {
    char *url;
    struct sqs_queue_attrs attrs;
    struct sqs_tag_list tags;
    bool have_attrs, have_tags, gone;
    struct aws_error *attrs_err, *tags_err;
};

static void detail_start(struct source_run *run, void *state)
{
    struct detail_state *st = state;
    struct aws_request r;

    st->url = xstrdup(source_detail(run));
    sqs_get_queue_attributes_request(&r, st->url);
    source_send(run, &r, R_ATTRS, 0);
    sqs_list_queue_tags_request(&r, st->url);
    source_send(run, &r, R_TAGS, 0);
}

static void detail_answer(struct source_run *run, void *state, unsigned tag, size_t index,
                          const struct aws_response *resp, const struct aws_error *err)
{
    struct detail_state *st = state;
    struct aws_error perr;

    (void)index;
    aws_error_clear(&perr);
    if (!err) {
        int rc = tag == R_ATTRS ? sqs_get_queue_attributes_parse(resp, st->url, &st->attrs, &perr)
                                : sqs_list_queue_tags_parse(resp, &st->tags, &perr);
        if (rc < 0) {
            err = &perr;
            source_error(run, err);
        } else if (rc > 0) {
            source_error(run, &perr);   /* tags skipped: the call's error, the others kept */
        }
    }
    if (err && sources_gone(err)) {
        st->gone = true;
        source_gone(run);
    } else if (err) {
        sources_error_keep(tag == R_ATTRS ? &st->attrs_err : &st->tags_err, err);
    } else if (tag == R_ATTRS) {
        st->have_attrs = true;
    } else {
        st->have_tags = true;
    }
}

static void detail_commit(struct source_run *run, void *state)
{
    struct detail_state *st = state;
    struct store *s = source_store(run);

    if (st->gone)
        return;
    if (st->have_attrs || st->have_tags) {
        /* the depth counters are left to the list: written every 2 s here they would
         * squeeze the sparkline's history into the time the pane was open */
        struct store_res *r = store_update_begin(s, "queue", st->url);

        if (st->have_attrs)
            sources_write_queue_attrs(r, &st->attrs);
        if (st->have_tags) {
            char *json = sources_kv_json(st->tags.tags, st->tags.n);

            store_set_str(r, "tags", json);
            free(json);
        }
        store_update_commit(r);
    }
    if (st->attrs_err || st->tags_err)
        store_fail(s, "queue", st->url, st->attrs_err ? st->attrs_err : st->tags_err);
}

static void detail_done(void *state)
{
    struct detail_state *st = state;

    free(st->url);
    free(st->attrs_err);
    free(st->tags_err);
    sqs_queue_attrs_free(&st->attrs);
    sqs_tag_list_free(&st->tags);
}

static const char *const detail_kinds[] = {"queue", NULL};

const struct source queue_detail_source = {
    .name = "queue_detail",
    .kinds = detail_kinds,
    .views = SOURCE_VIEW(APPCONFIG_VIEW_SQS) | SOURCE_VIEW(APPCONFIG_VIEW_DLQ),
    .interval_ms = DETAIL_INTERVAL_MS,
    .detail = true,
    .state_size = sizeof(struct detail_state),
    .start = detail_start,
    .answer = detail_answer,
    .commit = detail_commit,
    .done = detail_done,
};
