/* s3_listing.c - the prefix the s3 view shows: ListObjectsV2 with delimiter '/', one page
 * per cycle and only while the view wants more loaded (the cursor nears the end of what is
 * loaded), so a prefix of 100 000 keys costs one page to open, never all its pages up front.
 *
 * The rows held are a window: the detail key says the key they start after and how many
 * the view wants from there. When the view moves that start on (the cursor went far down),
 * the rows before it are let go; when it moves it back (the cursor came back up), the page
 * after the new start is read again (StartAfter) and the window's end is cut to size, so
 * memory stays bounded however far the user scrolls. Paging on after a cut end starts after
 * the last key held (the continuation token was for the old end).
 *
 * The first page replaces the whole "s3obj" kind (one listing at a time); later pages add
 * to it. Once what the view wants is loaded, the page the cursor is in (the detail key
 * names the key it starts after) is listed again every view interval, and at once when `r`
 * asks or the cursor moves into another page: one request, whatever was loaded, and only
 * the rows in the range that answer covers are replaced, so an object a batch job just
 * dropped appears and one deleted goes without leaving the prefix or re-reading every page.
 * Before the first page of a bucket whose region is not known (a bucket the
 * ListBuckets answer did not hold, typed as `:s3 BUCKET`), HeadBucket asks for it, so the
 * listing goes to the bucket's own regional endpoint. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/pager.h"
#include "poll/sources/common.h"
#include "poll/sources/s3detail.h"
#include "poll/sources/sources.h"
#include "util/xalloc.h"

#define LISTING_INTERVAL_MS 1000
#define LISTING_PAGE 1000

enum { R_HEAD, R_LIST };

struct listing_state {
    struct s3_detail d;
    struct s3_location loc;
    char region[32];
    bool first;                  /* the first page: it replaces the kind */
    bool relist;                 /* the shown page again: replaces the range it covers */
    bool back;                   /* the page before the window: added, the window's end cut */
    bool trim_front;             /* the window moved on: rows up to d.from are let go */
    char *prev_token;            /* the token this page was asked with */
    char *start_after;           /* the key this page was asked to start after */
    char *held_from;             /* where the rows held started before this cycle */
    int64_t loaded, pages;       /* before this page */
    int64_t skipped, truncated;  /* entries before the window, more after it: before */
    struct s3_object_list list;
    /* this page's guard: for a next page of the listing, the tokens its earlier pages
     * handed out (kept in the store between cycles), so A -> B -> A stops at the third */
    struct aws_pager pager;
    bool have_list;
    struct aws_error *err;
};

static void send_list(struct source_run *run, struct listing_state *st)
{
    struct aws_error err;
    struct aws_request r;
    struct s3_list_objects_params p = {
        .prefix = st->d.path[0] ? st->d.path : NULL,
        .delimiter = "/",
        .continuation_token = st->prev_token,
        .start_after = st->start_after,
        .max_keys = LISTING_PAGE,
    };

    aws_error_clear(&err);
    if (s3_detail_locate(source_aws_config(run), st->d.bucket, st->region, &st->loc, &err) < 0) {
        sources_error_keep(&st->err, &err);
        return;
    }
    p.loc = &st->loc;
    s3_list_objects_v2_request(&r, &p);
    source_send(run, &r, R_LIST, 0);
}

/* The region of a bucket ListBuckets listed, from its "bucket" row. */
static bool known_region(struct store *s, const char *bucket, char region[32])
{
    const struct store_res *b = store_find(s, "bucket", bucket);
    const char *r = b ? store_res_str(b, "region") : NULL;

    if (!r || !*r || strlen(r) >= 32)
        return false;
    strcpy(region, r);
    return true;
}

/* What the view wants is loaded: is the shown page due to be listed again? */
static bool relist_due(struct source_run *run, const struct store_res *cur)
{
    int64_t every = (int64_t)appconfig_interval(source_config(run), APPCONFIG_VIEW_S3) * 1000;

    return source_forced(run) || store_res_age(cur) >= every;
}

static void listing_start(struct source_run *run, void *state)
{
    struct listing_state *st = state;
    struct store *s = source_store(run);
    const struct store_res *cur = store_find(s, "s3list", "current");
    const char *b = cur ? store_res_str(cur, "bucket") : NULL;
    const char *p = cur ? store_res_str(cur, "prefix") : NULL;
    const char *token = cur ? store_res_str(cur, "next_token") : NULL;
    const char *region = cur ? store_res_str(cur, "region") : NULL;
    const char *from = cur ? store_res_str(cur, "from") : NULL;
    int64_t loaded = -1, held;
    struct aws_request r;
    int moved;

    if (!s3_detail_parse(source_detail(run), &st->d) || st->d.what != S3_DETAIL_LIST)
        return;
    if (cur && b && p && strcmp(b, st->d.bucket) == 0 && strcmp(p, st->d.path) == 0 &&
        store_res_int(cur, "loaded", &loaded) && !store_res_stale(cur)) {
        store_res_int(cur, "truncated", &st->truncated);
        store_res_int(cur, "pages", &st->pages);
        store_res_int(cur, "skipped", &st->skipped);
        st->held_from = xstrdup(from ? from : "");
        if (region && strlen(region) < sizeof(st->region))
            strcpy(st->region, region);
        moved = strcmp(st->d.from, st->held_from);
        held = loaded;
        if (moved < 0) {
            /* back: the page after the window's new start, before what is held */
            st->back = true;
            st->start_after = st->d.from[0] ? xstrdup(st->d.from) : NULL;
            send_list(run, st);
            return;
        }
        if (moved > 0) {
            bool found;

            st->trim_front = true;
            held = loaded - (int64_t)store_seek(s, "s3obj", st->d.from, &found) - found;
        }
        if (st->truncated && held < st->d.want) {
            size_t n = store_count(s, "s3obj");

            /* the next page: by the paging's token, or after the last key held when a page
             * back cut the window's end (the token was for the old end) */
            st->loaded = loaded;
            aws_pager_restore(&st->pager, store_res_str(cur, "seen_tokens"), (unsigned)st->pages);
            if (token)
                st->prev_token = xstrdup(token);
            else
                st->start_after = xstrdup(n ? store_res_key(store_at(s, "s3obj", n - 1))
                                            : st->d.from);
            send_list(run, st);
        } else if (!st->trim_front && relist_due(run, cur)) {
            st->relist = true;
            if (st->d.after[0] || st->d.from[0])
                st->start_after = xstrdup(st->d.after[0] ? st->d.after : st->d.from);
            send_list(run, st);
        }
        return;
    }
    st->first = true;
    if (st->d.from[0])
        st->start_after = xstrdup(st->d.from);
    if (known_region(s, st->d.bucket, st->region) || strncmp(st->d.bucket, "arn:", 4) == 0) {
        send_list(run, st);
        return;
    }
    {
        struct aws_error err;

        aws_error_clear(&err);
        if (s3_detail_locate(source_aws_config(run), st->d.bucket, NULL, &st->loc, &err) < 0) {
            sources_error_keep(&st->err, &err);
            return;
        }
        s3_head_bucket_request(&r, &st->loc);
        s3_location_done(&st->loc);
        source_send(run, &r, R_HEAD, 0);
    }
}

static void listing_answer(struct source_run *run, void *state, unsigned tag, size_t index,
                           const struct aws_response *resp, const struct aws_error *err)
{
    struct listing_state *st = state;
    struct aws_error perr;

    (void)index;
    aws_error_clear(&perr);
    if (tag == R_HEAD) {
        /* S3 names the region on the 301 and 403 answers too: a bucket we may not HEAD
         * may still be listable (s3:ListBucket without HeadBucket's rights) */
        if (s3_bucket_region(resp, err, st->region) == 0) {
            if (err)
                source_gone(run);
        } else if (err) {
            sources_error_keep(&st->err, err);
            return;
        }
        send_list(run, st);
        return;
    }
    if (!err) {
        int rc;

        /* the token this page was asked with is among those restored; a listing row of an
         * older opsdeck has none, so it is at least this one */
        if ((rc = s3_list_objects_v2_parse(resp, &st->list, &perr)) < 0 ||
            (st->prev_token && st->pager.nseen == 0 &&
             aws_pager_next(&st->pager, st->prev_token, resp, &perr) < 0) ||
            aws_pager_next(&st->pager, st->list.next_token, resp, &perr) < 0 ||
            (!st->relist && st->pages + 1 > AWS_PAGER_MAX_PAGES)) {
            if (!perr.message[0])
                aws_error_set(&perr, AWS_ERR_PARSE, "the listing passed %d pages",
                              AWS_PAGER_MAX_PAGES);
            err = &perr;
            source_error(run, err);
        } else if (rc > 0) {
            source_error(run, &perr);   /* keys skipped: the call's error, the others listed */
        }
    }
    if (err) {
        sources_error_keep(&st->err, err);
        source_backoff(run);
        return;
    }
    st->have_list = true;
}

static void add_rows(struct store *s, const struct s3_object_list *l)
{
    for (size_t i = 0; i < l->nprefixes; i++) {
        struct store_res *r = store_update_begin(s, "s3obj", l->prefixes[i]);

        store_set_str(r, "type", "prefix");
        store_update_commit(r);
    }
    for (size_t i = 0; i < l->nobjects; i++) {
        const struct s3_object *o = &l->objects[i];
        struct store_res *r;

        /* "a/" listed under prefix "a/" is the folder's own marker object, not an entry */
        if (l->prefix && strcmp(o->key, l->prefix) == 0 && o->size == 0)
            continue;
        r = store_update_begin(s, "s3obj", o->key);
        store_set_str(r, "type", "object");
        sources_set_count(r, "size", o->size);
        if (o->mtime >= 0)
            store_set_int(r, "mtime", o->mtime);
        else
            store_set_unknown(r, "mtime");
        store_set(r, "storage_class", store_value_str(o->storage_class));
        store_set(r, "etag", store_value_str(o->etag));
        store_update_commit(r);
    }
}

/* The last key or common prefix a page holds (S3's order is the store's: byte order). */
static const char *page_last(const struct s3_object_list *l)
{
    const char *last = l->nobjects ? l->objects[l->nobjects - 1].key : NULL;
    const char *p = l->nprefixes ? l->prefixes[l->nprefixes - 1] : NULL;

    return !last || (p && strcmp(p, last) > 0) ? p : last;
}

/* The shown page listed again: its answer covers the keys after d.after up to its last
 * one (to the end when S3 said no more); rows in that range it did not hold are gone from
 * S3, rows outside it stay as they were read. */
static void relist_rows(struct store *s, const struct listing_state *st)
{
    const char *after = st->start_after ? st->start_after : "";
    const char *last = st->list.is_truncated ? page_last(&st->list) : NULL;
    size_t n = store_count(s, "s3obj");

    store_list_begin(s, "s3obj");
    for (size_t i = 0; i < n; i++) {
        const char *key = store_res_key(store_at(s, "s3obj", i));

        if ((after[0] && strcmp(key, after) <= 0) || (last && strcmp(key, last) > 0) ||
            (st->list.is_truncated && !last))
            store_list_keep(s, "s3obj", key);
    }
    add_rows(s, &st->list);
    store_list_end(s, "s3obj");
}

/* Lets go of the rows up to from (the window moved on); how many. */
static int64_t trim_front(struct store *s, const char *from)
{
    size_t n = store_count(s, "s3obj");
    bool found;
    size_t cut = store_seek(s, "s3obj", from, &found) + found;

    store_list_begin(s, "s3obj");
    for (size_t i = cut; i < n; i++)
        store_list_keep(s, "s3obj", store_res_key(store_at(s, "s3obj", i)));
    store_list_end(s, "s3obj");
    return (int64_t)cut;
}

/* Keeps the first want rows (a page back was added before them); whether any were cut. */
static bool trim_end(struct store *s, size_t want)
{
    size_t n = store_count(s, "s3obj");

    if (n <= want)
        return false;
    store_list_begin(s, "s3obj");
    for (size_t i = 0; i < want; i++)
        store_list_keep(s, "s3obj", store_res_key(store_at(s, "s3obj", i)));
    store_list_end(s, "s3obj");
    return true;
}

static void listing_commit(struct source_run *run, void *state)
{
    struct listing_state *st = state;
    struct store *s = source_store(run);
    struct store_res *r;
    bool back_trimmed = false;

    if (!st->d.bucket || (!st->have_list && !st->err && !st->trim_front))
        return;
    if (st->trim_front)
        st->skipped += trim_front(s, st->d.from);
    if (st->have_list && st->relist) {
        relist_rows(s, st);
    } else if (st->have_list && st->back) {
        size_t before = store_count(s, "s3obj");

        add_rows(s, &st->list);
        st->skipped -= (int64_t)(store_count(s, "s3obj") - before);
        if (st->skipped < 0 || !st->d.from[0])
            st->skipped = 0;
        back_trimmed = trim_end(s, (size_t)st->d.want);
    } else if (st->have_list) {
        if (st->first)
            store_list_begin(s, "s3obj");
        add_rows(s, &st->list);
        if (st->first)
            store_list_end(s, "s3obj");
    }
    r = store_update_begin(s, "s3list", "current");
    store_set_str(r, "bucket", st->d.bucket);
    store_set_str(r, "prefix", st->d.path);
    store_set(r, "region", store_value_str(st->region[0] ? st->region : NULL));
    if (st->have_list || st->trim_front) {
        store_set_str(r, "from", st->d.from);
        store_set_int(r, "skipped", st->first && !st->d.from[0] ? 0 : st->skipped);
    }
    if (st->have_list && st->back) {
        store_set_int(r, "loaded", store_count(s, "s3obj"));
        /* a page that ran to the end holds all there is, unless the window's end was cut */
        store_set_int(r, "truncated", back_trimmed || (st->list.is_truncated && st->truncated));
        if (back_trimmed) {
            /* the paging starts again after the last key held: a new walk, whose tokens
             * may be ones the old one saw */
            store_set_unknown(r, "next_token");
            store_set_unknown(r, "seen_tokens");
        }
    } else if (!st->have_list && st->trim_front) {
        store_set_int(r, "loaded", store_count(s, "s3obj"));
    } else if (st->have_list && st->relist) {
        /* the page again: the paging's token still says where the next page starts,
         * unless this answer ran to the end of the prefix */
        store_set_int(r, "loaded", store_count(s, "s3obj"));
        if (!st->list.is_truncated) {
            store_set_int(r, "truncated", 0);
            store_set_unknown(r, "next_token");
        }
    } else if (st->have_list) {
        store_set_int(r, "loaded", store_count(s, "s3obj"));
        store_set_int(r, "truncated", st->list.is_truncated && st->list.next_token);
        store_set(r, "next_token", store_value_str(st->list.next_token));
        store_set_int(r, "pages", st->pages + 1);
        {
            char *seen = aws_pager_save(&st->pager);

            store_set_str(r, "seen_tokens", seen);
            free(seen);
        }
    } else if (st->first) {
        store_set_unknown(r, "loaded");
        store_set_unknown(r, "truncated");
        store_set_unknown(r, "next_token");
    }
    store_update_commit(r);
    if (st->err)
        store_fail(s, "s3list", "current", st->err);
}

static void listing_done(void *state)
{
    struct listing_state *st = state;

    s3_detail_done(&st->d);
    s3_location_done(&st->loc);
    s3_object_list_free(&st->list);
    free(st->prev_token);
    free(st->start_after);
    free(st->held_from);
    free(st->err);
    aws_pager_done(&st->pager);
}

static const char *const listing_kinds[] = {"s3obj", "s3list", NULL};

const struct source s3_listing_source = {
    .name = "s3_listing",
    .kinds = listing_kinds,
    .views = SOURCE_VIEW(APPCONFIG_VIEW_S3),
    .interval_ms = LISTING_INTERVAL_MS,
    .detail = true,
    .state_size = sizeof(struct listing_state),
    .start = listing_start,
    .answer = listing_answer,
    .commit = listing_commit,
    .done = listing_done,
};
