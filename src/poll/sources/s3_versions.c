/* s3_versions.c - the versions of the object the s3 view asks about (`v`):
 * ListObjectVersions with the key as prefix, every page (through the pager guard), keeping
 * only that exact key's versions and delete markers, newest first as S3 lists them. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/pager.h"
#include "poll/sources/common.h"
#include "poll/sources/s3detail.h"
#include "poll/sources/sources.h"
#include "util/xalloc.h"

#define VERSIONS_INTERVAL_MS 30000

struct versions_state {
    struct s3_detail d;
    struct s3_location loc;
    struct aws_pager pg;
    struct s3_version *v;        /* the key's own versions, in S3's order */
    size_t n, cap;
    bool complete;
    struct aws_error *err;
};

static void send_page(struct source_run *run, struct versions_state *st, const char *key_marker,
                      const char *version_marker)
{
    struct aws_request r;
    struct s3_list_versions_params p = {
        .loc = &st->loc,
        .prefix = st->d.path,
        .key_marker = key_marker,
        .version_id_marker = version_marker,
    };

    s3_list_object_versions_request(&r, &p);
    source_send(run, &r, 0, 0);
}

static void versions_start(struct source_run *run, void *state)
{
    struct versions_state *st = state;
    struct store *s = source_store(run);
    const struct store_res *b;
    struct aws_error err;

    if (!s3_detail_parse(source_detail(run), &st->d) || st->d.what != S3_DETAIL_VERSIONS)
        return;
    b = store_find(s, "bucket", st->d.bucket);
    aws_error_clear(&err);
    if (s3_detail_locate(source_aws_config(run), st->d.bucket, b ? store_res_str(b, "region") : NULL,
                         &st->loc, &err) < 0) {
        sources_error_keep(&st->err, &err);
        return;
    }
    send_page(run, st, NULL, NULL);
}

static void versions_answer(struct source_run *run, void *state, unsigned tag, size_t index,
                            const struct aws_response *resp, const struct aws_error *err)
{
    struct versions_state *st = state;
    struct s3_version_list l = {0};
    struct aws_error perr;
    int more = 0, rc = 0;
    bool past = false;

    (void)tag;
    (void)index;
    aws_error_clear(&perr);
    if (!err && ((rc = s3_list_object_versions_parse(resp, &l, &perr)) < 0 ||
                 (more = aws_pager_next(&st->pg, l.is_truncated ? l.next_key_marker : NULL,
                                        resp, &perr)) < 0)) {
        err = &perr;
        source_error(run, err);
    } else if (rc > 0) {
        source_error(run, &perr);   /* versions skipped: the call's error, the others kept */
    }
    if (err) {
        sources_error_keep(&st->err, err);
        s3_version_list_free(&l);
        return;
    }
    for (size_t i = 0; i < l.n; i++) {
        int c = strcmp(l.versions[i].key, st->d.path);

        if (c > 0)
            past = true;  /* keys come in order: the rest only share the prefix */
        if (c != 0)
            continue;
        if (st->n == st->cap) {
            st->cap = st->cap ? st->cap * 2 : 16;
            st->v = xrealloc(st->v, st->cap * sizeof(*st->v));
        }
        st->v[st->n++] = l.versions[i];
        memset(&l.versions[i], 0, sizeof(l.versions[i]));
    }
    if (more > 0 && !past)
        send_page(run, st, l.next_key_marker, l.next_version_id_marker);
    else
        st->complete = true;
    s3_version_list_free(&l);
}

static void versions_commit(struct source_run *run, void *state)
{
    struct versions_state *st = state;
    struct store *s = source_store(run);
    struct store_res *r;
    char key[24];

    if (!st->d.bucket || (!st->complete && !st->err))
        return;
    if (st->complete) {
        store_list_begin(s, "s3ver");
        for (size_t i = 0; i < st->n; i++) {
            const struct s3_version *v = &st->v[i];

            snprintf(key, sizeof(key), "%06zu", i);
            r = store_update_begin(s, "s3ver", key);
            store_set(r, "version_id", store_value_str(v->version_id));
            store_set_int(r, "latest", v->is_latest);
            store_set_int(r, "delete_marker", v->delete_marker);
            sources_set_count(r, "size", v->size);
            if (v->mtime >= 0)
                store_set_int(r, "mtime", v->mtime);
            else
                store_set_unknown(r, "mtime");
            store_set(r, "etag", store_value_str(v->etag));
            store_set(r, "storage_class", store_value_str(v->storage_class));
            store_update_commit(r);
        }
        store_list_end(s, "s3ver");
    }
    r = store_update_begin(s, "s3verlist", "current");
    store_set_str(r, "bucket", st->d.bucket);
    store_set_str(r, "key", st->d.path);
    if (st->complete)
        store_set_int(r, "count", (int64_t)st->n);
    else
        store_set_unknown(r, "count");
    store_update_commit(r);
    if (st->err)
        store_fail(s, "s3verlist", "current", st->err);
}

static void versions_done(void *state)
{
    struct versions_state *st = state;
    struct s3_version_list l = {.versions = st->v, .n = st->n};

    s3_version_list_free(&l);
    s3_detail_done(&st->d);
    s3_location_done(&st->loc);
    aws_pager_done(&st->pg);
    free(st->err);
}

static const char *const versions_kinds[] = {"s3ver", "s3verlist", NULL};

const struct source s3_versions_source = {
    .name = "s3_versions",
    .kinds = versions_kinds,
    .views = SOURCE_VIEW(APPCONFIG_VIEW_S3),
    .interval_ms = VERSIONS_INTERVAL_MS,
    .detail = true,
    .state_size = sizeof(struct versions_state),
    .start = versions_start,
    .answer = versions_answer,
    .commit = versions_commit,
    .done = versions_done,
};
