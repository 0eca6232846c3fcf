/* s3_head.c - the object whose pane is open in the s3 view: HeadObject (size, type, ETag,
 * class, encryption, version, metadata, restore status), then its tags and a preview of its
 * first PREVIEW_MAX bytes by a Range GET. The preview and tags are read once per object
 * version (and again when its ETag changes); the head every interval. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/client.h"
#include "poll/sources/common.h"
#include "poll/sources/s3detail.h"
#include "poll/sources/sources.h"
#include "util/preview.h"
#include "util/xalloc.h"

#define HEAD_INTERVAL_MS 30000

enum { R_HEAD, R_TAGS, R_GET };

struct head_state {
    struct s3_detail d;
    struct s3_location loc;
    struct s3_object_head head;
    bool have_head, again;         /* again: tags and preview are already in the row */
    char *seen_etag;               /* the ETag they were read at */
    struct s3_tag_list tags;
    bool have_tags;
    struct preview pv;
    bool have_pv;
    struct aws_error *head_err, *tags_err, *get_err;
};

static const char *region_of(struct store *s, const char *bucket)
{
    const struct store_res *b = store_find(s, "bucket", bucket);
    const struct store_res *l = store_find(s, "s3list", "current");
    const char *r = b ? store_res_str(b, "region") : NULL;
    const char *lb = l ? store_res_str(l, "bucket") : NULL;

    if (!r && lb && strcmp(lb, bucket) == 0)
        r = store_res_str(l, "region");
    return r;
}

/* The row already holds this object's tags and preview (same key, version and ETag). */
static bool already_read(struct store *s, const struct s3_detail *d)
{
    const struct store_res *r = store_find(s, "s3head", "current");
    const char *b = r ? store_res_str(r, "bucket") : NULL, *k = r ? store_res_str(r, "key") : NULL;
    const char *v = r ? store_res_str(r, "version") : NULL;

    return r && b && k && v && strcmp(b, d->bucket) == 0 && strcmp(k, d->path) == 0 &&
           strcmp(v, d->version ? d->version : "") == 0 && store_res_str(r, "preview_kind") &&
           !store_res_stale(r);
}

static void head_start(struct source_run *run, void *state)
{
    struct head_state *st = state;
    struct store *s = source_store(run);
    struct aws_error err;
    struct aws_request r;

    if (!s3_detail_parse(source_detail(run), &st->d) || st->d.what != S3_DETAIL_OBJECT)
        return;
    aws_error_clear(&err);
    if (s3_detail_locate(source_aws_config(run), st->d.bucket, region_of(s, st->d.bucket), &st->loc,
                         &err) < 0) {
        sources_error_keep(&st->head_err, &err);
        return;
    }
    st->again = already_read(s, &st->d);
    if (st->again) {
        const char *etag = store_res_str(store_find(s, "s3head", "current"), "etag");

        st->seen_etag = etag ? xstrdup(etag) : NULL;
    }
    s3_head_object_request(&r, &st->loc, st->d.path, st->d.version);
    source_send(run, &r, R_HEAD, 0);
}

static void head_answer(struct source_run *run, void *state, unsigned tag, size_t index,
                        const struct aws_response *resp, const struct aws_error *err)
{
    struct head_state *st = state;
    struct aws_error perr;
    struct aws_request r;

    (void)index;
    aws_error_clear(&perr);
    switch (tag) {
    case R_HEAD:
        if (!err && s3_head_object_parse(resp, &st->head, &perr) < 0) {
            err = &perr;
            source_error(run, err);
        }
        if (err) {
            sources_error_keep(&st->head_err, err);
            return;
        }
        st->have_head = true;
        if (st->again && (!st->seen_etag || !st->head.etag || strcmp(st->seen_etag, st->head.etag) == 0))
            return;
        st->again = false;  /* new content: read its tags and first bytes again */
        s3_get_object_tagging_request(&r, &st->loc, st->d.path, st->d.version);
        source_send(run, &r, R_TAGS, 0);
        if (st->head.size != 0) {  /* a Range on an empty object is answered 416 */
            s3_get_object_request(&r, &st->loc, st->d.path, st->d.version, 0, PREVIEW_MAX - 1);
            source_send(run, &r, R_GET, 0);
        } else {
            preview_render(NULL, 0, 0, &st->pv);
            st->have_pv = true;
        }
        return;
    case R_TAGS:
        if (!err && s3_get_object_tagging_parse(resp, &st->tags, &perr) < 0) {
            err = &perr;
            source_error(run, err);
        }
        if (err)
            sources_error_keep(&st->tags_err, err);
        else
            st->have_tags = true;
        return;
    case R_GET: {
        struct s3_range range;

        if (!err && s3_get_object_range_parse(resp, &range, &perr) < 0) {
            err = &perr;
            source_error(run, err);
        }
        if (err) {
            sources_error_keep(&st->get_err, err);
            return;
        }
        /* a server that ignores Range sends the whole object: show its first bytes only */
        preview_render((const unsigned char *)resp->body.data,
                       resp->body.len < PREVIEW_MAX ? resp->body.len : PREVIEW_MAX,
                       range.total >= 0 ? range.total : st->head.size, &st->pv);
        st->have_pv = true;
        return;
    }
    }
}

static void message_of(const struct aws_error *e, char *out, size_t n)
{
    aws_error_describe(e, NULL, out, n);
}

static const char *const head_fields[] = {
    "size", "content_type", "etag", "mtime", "storage_class", "sse", "kms_key_id", "version_id",
    "delete_marker", "metadata", "restore", "restore_expiry", "tags", "tags_error", "preview",
    "preview_kind", "preview_cut", "preview_error", NULL};

static void head_commit(struct source_run *run, void *state)
{
    struct head_state *st = state;
    struct store *s = source_store(run);
    struct store_res *r;
    const struct s3_object_head *h = &st->head;
    char msg[1200];

    if (!st->d.bucket || (!st->have_head && !st->head_err))
        return;
    r = store_update_begin(s, "s3head", "current");
    store_set_str(r, "bucket", st->d.bucket);
    store_set_str(r, "key", st->d.path);
    store_set_str(r, "version", st->d.version ? st->d.version : "");
    if (!st->again)  /* another object: nothing of the previous one may show as this one's */
        for (size_t i = 0; head_fields[i]; i++)
            store_set_unknown(r, head_fields[i]);
    if (st->have_head) {
        char *meta = sources_kv_json(h->metadata, h->nmetadata);

        sources_set_count(r, "size", h->size);
        store_set(r, "content_type", store_value_str(h->content_type));
        store_set(r, "etag", store_value_str(h->etag));
        if (h->mtime >= 0)
            store_set_int(r, "mtime", h->mtime);
        else
            store_set_unknown(r, "mtime");
        store_set_str(r, "storage_class", h->storage_class ? h->storage_class : "STANDARD");
        store_set(r, "sse", store_value_str(h->sse));
        store_set(r, "kms_key_id", store_value_str(h->kms_key_id));
        store_set(r, "version_id", store_value_str(h->version_id));
        store_set_int(r, "delete_marker", h->delete_marker);
        store_set_str(r, "metadata", meta);
        free(meta);
        store_set_str(r, "restore", !h->restore_requested ? ""
                                    : h->restore_ongoing ? "in progress" : "restored");
        if (h->restore_expiry >= 0)
            store_set_int(r, "restore_expiry", h->restore_expiry);
        else
            store_set_unknown(r, "restore_expiry");
    }
    if (st->have_tags) {
        char *json = sources_kv_json(st->tags.tags, st->tags.n);

        store_set_str(r, "tags", json);
        store_set_str(r, "tags_error", "");
        free(json);
    } else if (st->tags_err) {
        message_of(st->tags_err, msg, sizeof(msg));
        store_set_unknown(r, "tags");
        store_set_str(r, "tags_error", msg);
    }
    if (st->have_pv) {
        store_set_str(r, "preview", st->pv.text ? st->pv.text : "");
        store_set_str(r, "preview_kind", st->pv.kind);
        store_set_int(r, "preview_cut", st->pv.cut);
        store_set_str(r, "preview_error", "");
    } else if (st->get_err) {
        message_of(st->get_err, msg, sizeof(msg));
        store_set_unknown(r, "preview");
        store_set_unknown(r, "preview_kind");
        store_set_str(r, "preview_error", msg);
    }
    store_update_commit(r);
    if (st->head_err)
        store_fail(s, "s3head", "current", st->head_err);
}

static void head_done(void *state)
{
    struct head_state *st = state;

    s3_detail_done(&st->d);
    s3_location_done(&st->loc);
    s3_object_head_free(&st->head);
    s3_tag_list_free(&st->tags);
    preview_done(&st->pv);
    free(st->seen_etag);
    free(st->head_err);
    free(st->tags_err);
    free(st->get_err);
}

static const char *const head_kinds[] = {"s3head", NULL};

const struct source s3_head_source = {
    .name = "s3_head",
    .kinds = head_kinds,
    .views = SOURCE_VIEW(APPCONFIG_VIEW_S3),
    .interval_ms = HEAD_INTERVAL_MS,
    .detail = true,
    .state_size = sizeof(struct head_state),
    .start = head_start,
    .answer = head_answer,
    .commit = head_commit,
    .done = head_done,
};
