/* s3.c - the S3 browser: buckets, then a bucket's prefixes as folders and its objects, then
 * one object's detail (head, tags, a preview of its first 64 KiB).
 *
 * A level is listed one page at a time: the view asks its sources (through the detail key,
 * poll/sources/s3detail.h) for as many entries as the cursor is near, so a prefix of
 * 100 000 keys opens with one request and grows a page at a time while the user scrolls
 * towards its end. The listing's rows are the store's "s3obj" kind, in S3's own key order.
 * Keys are untrusted bytes: every name goes through the table's or view_text's sanitiser.
 *
 * The page the cursor is in is listed again every interval (the detail key names the key
 * it starts after), so an object dropped by a batch job appears where the user is looking.
 * `/` filters what is loaded as you type; Enter on it asks S3 for the keys that start with
 * the text (a server-side prefix: the way through 100 000 keys), until the filter changes
 * or Esc clears it. The rows held are a window of at most S3_HELD entries (about 1.5 KiB
 * each with the table's row, doc/benchmarks.md): past that, the view moves the window's
 * start on a page (the source lets those rows go) and remembers where each page started,
 * so coming back up reads the page again; memory stays bounded however far the user
 * scrolls.
 *
 * Enter (or l, Right) goes into a bucket or a folder or opens an object; Backspace (or h,
 * Left) goes up; Esc clears the filter, closes the object, then goes up too.
 * `:s3 BUCKET/PREFIX` (or an access point ARN) opens a listing directly. */
#include "config.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/action.h"
#include "aws/s3.h"
#include "core/client.h"
#include "poll/sources/s3detail.h"
#include "table.h"
#include "util/buf.h"
#include "util/fmt.h"
#include "util/sanitize.h"
#include "util/xalloc.h"
#include "view.h"

/* Entries a page brings, and how close to the end of what is loaded the cursor gets before
 * the next page is asked for: about a screenful ahead, so scrolling never waits. */
#define S3_PAGE 1000
#define S3_AHEAD 200
/* The most entries of one listing held at once: five pages, under 10 MB. */
#define S3_HELD 5000

enum level { LVL_BUCKETS, LVL_LIST, LVL_OBJECT, LVL_VERSIONS };

enum { BCOL_NAME, BCOL_REGION, BCOL_CREATED, NBCOLS };
enum { OCOL_NAME, OCOL_SIZE, OCOL_MODIFIED, OCOL_CLASS, NOCOLS };
enum { VCOL_VERSION, VCOL_LATEST, VCOL_SIZE, VCOL_MODIFIED, NVCOLS };

/* 80 columns: 40 + 14 + 20 and 2 gaps. */
static const struct table_col bucket_cols[NBCOLS] = {
    [BCOL_NAME] = {.title = "BUCKET", .width = 20, .flex = 3, .sort_key = 'N'},
    [BCOL_REGION] = {.title = "REGION", .width = 14, .sort_key = 'R'},
    [BCOL_CREATED] = {.title = "CREATED", .width = 20, .sort_key = 'C', .desc_first = true},
};

/* 80 columns: 33 + 9 + 23 + 12 and 3 gaps (a sortable column has room for the mark). */
static const struct table_col object_cols[NOCOLS] = {
    [OCOL_NAME] = {.title = "KEY", .width = 20, .flex = 3, .sort_key = 'N'},
    [OCOL_SIZE] = {.title = "SIZE", .width = 9, .right = true, .desc_first = true,
                   .sort_key = 'Z'},
    [OCOL_MODIFIED] = {.title = "MODIFIED", .width = 23, .desc_first = true, .sort_key = 'M'},
    [OCOL_CLASS] = {.title = "CLASS", .width = 12, .sort_key = 'C'},
};

/* 80 columns: 32 + 6 + 9 + 23 and 3 gaps. */
static const struct table_col version_cols[NVCOLS] = {
    [VCOL_VERSION] = {.title = "VERSION", .width = 20, .flex = 3, .no_sort = true},
    [VCOL_LATEST] = {.title = "LATEST", .width = 6, .no_sort = true},
    [VCOL_SIZE] = {.title = "SIZE", .width = 9, .right = true, .no_sort = true},
    [VCOL_MODIFIED] = {.title = "MODIFIED", .width = 23, .no_sort = true},
};

struct s3_state {
    enum level level;
    struct table *buckets, *objects, *versions;
    char *version;           /* LVL_OBJECT: the version shown, NULL the current one */
    uint64_t gen_versions;
    char *bucket;            /* LVL_LIST, LVL_OBJECT */
    char *prefix;            /* LVL_LIST: "" the bucket's top */
    char *search;            /* LVL_LIST: the server-side prefix after it (`/` Enter), or NULL */
    char *listed;            /* prefix + search: what S3 is asked to list */
    char *after;             /* the page the cursor is in starts after this key ("" first) */
    char *from;              /* the rows held start after this key ("" the listing's start) */
    char **trail;            /* where the window started before each move on: the way back */
    size_t ntrail, captrail;
    char *object;            /* LVL_OBJECT: the key */
    long want;               /* entries the listing should have loaded */
    char *detail;            /* the detail key last handed out */
    int scroll;              /* LVL_OBJECT: the pane's first line */
    /* what the tables were built from */
    uint64_t gen_buckets, gen_objects, gen_list;
    char *filter_b, *filter_o;
    bool built_b, built_o;
    char *target_key, *target_name;   /* what the last target hook handed out */
};

static void set_str(char **slot, const char *v)
{
    char *copy = v ? xstrdup(v) : NULL;

    free(*slot);
    *slot = copy;
}

/* ---- the listing this view wants ------------------------------------------------------ */

/* The "s3list" row, when it is about the listing prefix (the folder, or the folder and the
 * server-side prefix). */
static const struct store_res *listing_of(const struct s3_state *st, const struct store *s,
                                          const char *prefix)
{
    const struct store_res *r = store_find(s, "s3list", "current");
    const char *b = r ? store_res_str(r, "bucket") : NULL, *p = r ? store_res_str(r, "prefix") : NULL;

    if (!r || !b || !p || !st->bucket || !prefix || strcmp(b, st->bucket) != 0 ||
        strcmp(p, prefix) != 0)
        return NULL;
    return r;
}

static const struct store_res *listing_row(const struct s3_state *st, const struct store *s)
{
    return listing_of(st, s, st->listed);
}

/* While S3 has not answered a server-side prefix yet: the folder's own listing, which the
 * `/` filter (the same text) narrows meanwhile. */
static const struct store_res *interim_row(const struct s3_state *st, const struct store *s)
{
    return st->search ? listing_of(st, s, st->prefix) : NULL;
}

static const struct store_res *head_row(const struct s3_state *st, const struct store *s)
{
    const struct store_res *r = store_find(s, "s3head", "current");
    const char *b = r ? store_res_str(r, "bucket") : NULL, *k = r ? store_res_str(r, "key") : NULL;

    const char *v = r ? store_res_str(r, "version") : NULL;

    if (!r || !b || !k || !v || !st->object || strcmp(b, st->bucket) != 0 ||
        strcmp(k, st->object) != 0 || strcmp(v, st->version ? st->version : "") != 0)
        return NULL;
    return r;
}

static const struct store_res *versions_row(const struct s3_state *st, const struct store *s)
{
    const struct store_res *r = store_find(s, "s3verlist", "current");
    const char *b = r ? store_res_str(r, "bucket") : NULL, *k = r ? store_res_str(r, "key") : NULL;

    if (!r || !b || !k || !st->object || strcmp(b, st->bucket) != 0 || strcmp(k, st->object) != 0)
        return NULL;
    return r;
}

static const char *s3_detail_hook(void *priv)
{
    struct s3_state *st = priv;
    struct s3_detail d = {0};

    if (st->level == LVL_BUCKETS || !st->bucket) {
        set_str(&st->detail, NULL);
        return NULL;
    }
    d.bucket = st->bucket;
    if (st->level == LVL_LIST) {
        d.what = S3_DETAIL_LIST;
        d.want = st->want;
        d.path = st->listed;
        d.after = st->after;
        d.from = st->from;
    } else if (st->level == LVL_VERSIONS) {
        d.what = S3_DETAIL_VERSIONS;
        d.path = st->object;
    } else {
        d.what = S3_DETAIL_OBJECT;
        d.path = st->object;
        d.version = st->version;
    }
    free(st->detail);
    st->detail = s3_detail_key(&d);
    return st->detail;
}

static void trail_clear(struct s3_state *st)
{
    for (size_t i = 0; i < st->ntrail; i++)
        free(st->trail[i]);
    st->ntrail = 0;
}

/* The listing of the folder (and the server-side prefix) from its first page. */
static void listing_reset(struct s3_state *st, const char *search)
{
    set_str(&st->search, search);
    free(st->listed);
    st->listed = xasprintf("%s%s", st->prefix ? st->prefix : "", search ? search : "");
    set_str(&st->after, "");
    set_str(&st->from, "");
    trail_clear(st);
    st->want = S3_PAGE;
    st->built_o = false;
}

/* The window moves on a page: the first page held is let go, its start remembered. */
static void window_on(struct s3_state *st, const char *new_from)
{
    if (st->ntrail == st->captrail) {
        st->captrail = st->captrail ? st->captrail * 2 : 16;
        st->trail = xrealloc(st->trail, st->captrail * sizeof(*st->trail));
    }
    st->trail[st->ntrail++] = st->from;
    st->from = xstrdup(new_from);
}

/* And back a page. */
static void window_back(struct s3_state *st)
{
    free(st->from);
    st->from = st->trail[--st->ntrail];
}

/* A folder: its filter was for the folder before, so it goes. */
static int open_list(struct s3_state *st, const char *bucket, const char *prefix)
{
    if (bucket != st->bucket)
        set_str(&st->bucket, bucket);
    set_str(&st->prefix, prefix ? prefix : "");
    set_str(&st->object, NULL);
    st->level = LVL_LIST;
    listing_reset(st, NULL);
    return VIEW_HANDLED | VIEW_REDRAW | VIEW_DETAIL | VIEW_CLEAR_FILTER;
}

/* What the listing should hold now. The cursor is within S3_AHEAD entries of the end of
 * what is held, and S3 has more: ask for the next page (once: until it is in, want stays
 * ahead of loaded); with S3_HELD held, move the window on a page instead. The cursor is
 * within S3_AHEAD of the start of the window and the window moved on before: move it back
 * a page. The cursor moved into another page (of S3_PAGE entries in S3's order, whatever
 * the sort): that page is the one listed again. */
static int listing_wants(struct s3_state *st, const struct view_ctx *ctx)
{
    const struct store_res *l = st->level == LVL_LIST ? listing_row(st, ctx->store) : NULL;
    int64_t loaded = 0, truncated = 0;
    const char *sel, *after = "", *held_from;
    size_t at = 0, start;
    bool found = false;
    int bits = 0;

    if (!l || !store_res_int(l, "loaded", &loaded))
        return 0;
    held_from = store_res_str(l, "from");
    if (strcmp(held_from ? held_from : "", st->from ? st->from : "") != 0)
        return 0;   /* the window is moving: the rows are not where it goes yet */
    sel = table_selected_key(st->objects);
    if (sel)
        at = store_seek(ctx->store, "s3obj", sel, &found);
    start = found ? at - at % S3_PAGE : 0;
    if (start > 0 && start <= store_count(ctx->store, "s3obj"))
        after = store_res_key(store_at(ctx->store, "s3obj", start - 1));
    if (strcmp(after, st->after ? st->after : "") != 0) {
        set_str(&st->after, after);
        bits = VIEW_DETAIL;
    }
    if (found && at < S3_AHEAD && st->ntrail > 0) {
        window_back(st);
        return VIEW_DETAIL;
    }
    if (!store_res_int(l, "truncated", &truncated) || !truncated || st->want > loaded)
        return bits;
    /* a filter that hides every row loaded does not page through the prefix looking for
     * a match: Enter asks S3 for it */
    if (!sel && table_total(st->objects) > 0)
        return bits;
    if (sel && (int64_t)at + S3_AHEAD < loaded)
        return bits;
    if (loaded + S3_PAGE > S3_HELD && loaded > S3_PAGE) {
        window_on(st, store_res_key(store_at(ctx->store, "s3obj", S3_PAGE - 1)));
        st->want = S3_HELD;
    } else {
        st->want = (long)loaded + S3_PAGE;
    }
    return VIEW_DETAIL;
}

/* ---- rows --------------------------------------------------------------------------- */

static void build_buckets(struct s3_state *st, const struct view_ctx *ctx, const char *filter)
{
    size_t n = store_count(ctx->store, "bucket");

    table_begin(st->buckets);
    for (size_t i = 0; i < n; i++) {
        const struct store_res *r = store_at(ctx->store, "bucket", i);
        struct table_row *row = table_add(st->buckets, store_res_key(r));
        const char *region = store_res_str(r, "region"), *created = store_res_str(r, "created");

        table_cell(row, BCOL_NAME, store_res_key(r), NAN);
        table_cell(row, BCOL_REGION, region ? region : "?", NAN);
        table_cell(row, BCOL_CREATED, created ? created : "-", NAN);
    }
    table_end(st->buckets, filter);
}

static void build_objects(struct s3_state *st, const struct view_ctx *ctx, const char *filter)
{
    size_t n = store_count(ctx->store, "s3obj"), plen = strlen(st->prefix);
    char size[32], when[64];

    table_begin(st->objects);
    for (size_t i = 0; i < n; i++) {
        const struct store_res *r = store_at(ctx->store, "s3obj", i);
        const char *key = store_res_key(r), *type = store_res_str(r, "type");
        const char *cls = store_res_str(r, "storage_class");
        struct table_row *row;
        int64_t bytes = -1, mtime = -1;
        bool folder = type && strcmp(type, "prefix") == 0;

        if (strncmp(key, st->prefix, plen) != 0)
            continue;  /* rows of another listing, until this one's first page replaces them */
        row = table_add(st->objects, key);
        table_cell(row, OCOL_NAME, key[plen] ? key + plen : key, NAN);
        if (folder) {
            table_cell(row, OCOL_SIZE, "folder", NAN);
            table_cell(row, OCOL_MODIFIED, "", NAN);
            table_cell(row, OCOL_CLASS, "", NAN);
            table_row_rank(row, -1);  /* folders first, as every file browser does */
            table_row_style(row, THEME_TITLE);
            continue;
        }
        store_res_int(r, "size", &bytes);
        table_cell(row, OCOL_SIZE, fmt_bytes(size, sizeof(size), bytes), (double)bytes);
        if (store_res_int(r, "mtime", &mtime) && mtime >= 0)
            table_cell(row, OCOL_MODIFIED, view_time(ctx, (double)mtime, when, sizeof(when)),
                       (double)mtime);
        else
            table_cell(row, OCOL_MODIFIED, "-", NAN);
        table_cell(row, OCOL_CLASS, cls ? cls : "-", NAN);
    }
    table_end(st->objects, filter);
}

static void build_versions(struct s3_state *st, const struct view_ctx *ctx)
{
    size_t n = versions_row(st, ctx->store) ? store_count(ctx->store, "s3ver") : 0;
    char size[32], when[64];

    table_begin(st->versions);
    for (size_t i = 0; i < n; i++) {
        const struct store_res *r = store_at(ctx->store, "s3ver", i);
        struct table_row *row = table_add(st->versions, store_res_key(r));
        const char *id = store_res_str(r, "version_id");
        int64_t latest = 0, marker = 0, bytes = -1, mtime = -1;

        store_res_int(r, "latest", &latest);
        store_res_int(r, "delete_marker", &marker);
        store_res_int(r, "size", &bytes);
        table_cell(row, VCOL_VERSION, id ? id : "?", (double)i);  /* S3's order: newest first */
        table_cell(row, VCOL_LATEST, latest ? "latest" : "", NAN);
        table_cell(row, VCOL_SIZE, marker ? "deleted" : fmt_bytes(size, sizeof(size), bytes), NAN);
        table_cell(row, VCOL_MODIFIED, store_res_int(r, "mtime", &mtime) && mtime >= 0
                                           ? view_time(ctx, (double)mtime, when, sizeof(when))
                                           : "-", NAN);
        if (marker)
            table_row_style(row, THEME_DIM);
    }
    table_end(st->versions, "");
}

static void s3_init(void *priv, struct view_ctx *ctx)
{
    struct s3_state *st = priv;

    (void)ctx;
    st->buckets = table_new(bucket_cols, NBCOLS);
    st->objects = table_new(object_cols, NOCOLS);
    st->versions = table_new(version_cols, NVCOLS);
    table_sort(st->buckets, BCOL_NAME, false);
    table_sort(st->objects, OCOL_NAME, false);
    st->want = S3_PAGE;
}

static void s3_done(void *priv)
{
    struct s3_state *st = priv;

    table_free(st->buckets);
    table_free(st->objects);
    table_free(st->versions);
    free(st->version);
    free(st->bucket);
    free(st->prefix);
    free(st->search);
    free(st->listed);
    free(st->after);
    free(st->from);
    trail_clear(st);
    free(st->trail);
    free(st->object);
    free(st->detail);
    free(st->filter_b);
    free(st->filter_o);
    free(st->target_key);
    free(st->target_name);
    memset(st, 0, sizeof(*st));
}

static int s3_update(void *priv, struct view_ctx *ctx)
{
    struct s3_state *st = priv;
    const char *filter = ctx->filter ? ctx->filter : "";
    struct store_kind_info info, list;
    int bits = 0;

    if (!st->buckets)
        s3_init(st, ctx);
    store_kind_info(ctx->store, "bucket", &info);
    if (!st->built_b || info.generation != st->gen_buckets ||
        (st->level == LVL_BUCKETS && (!st->filter_b || strcmp(st->filter_b, filter) != 0))) {
        const char *f = st->level == LVL_BUCKETS ? filter : (st->filter_b ? st->filter_b : "");
        char *keep = xstrdup(f);

        build_buckets(st, ctx, keep);
        set_str(&st->filter_b, keep);
        free(keep);
        st->gen_buckets = info.generation;
        st->built_b = true;
        bits |= VIEW_REDRAW;
    }
    if (st->level == LVL_BUCKETS)
        return bits;
    if (st->level == LVL_VERSIONS) {
        store_kind_info(ctx->store, "s3ver", &info);
        store_kind_info(ctx->store, "s3verlist", &list);
        if (info.generation + list.generation != st->gen_versions) {
            build_versions(st, ctx);
            st->gen_versions = info.generation + list.generation;
            bits |= VIEW_REDRAW;
        }
        return bits;
    }
    if (st->level == LVL_LIST && st->search && strcmp(st->search, filter) != 0) {
        /* the filter changed or was cleared: the folder's own listing again */
        listing_reset(st, NULL);
        bits |= VIEW_REDRAW | VIEW_DETAIL;
    }
    store_kind_info(ctx->store, "s3obj", &info);
    store_kind_info(ctx->store, "s3list", &list);
    if (!st->built_o || info.generation != st->gen_objects || list.generation != st->gen_list ||
        (st->level == LVL_LIST && (!st->filter_o || strcmp(st->filter_o, filter) != 0))) {
        const char *f = st->level == LVL_LIST ? filter : (st->filter_o ? st->filter_o : "");
        char *keep = xstrdup(f);

        if (listing_row(st, ctx->store) || interim_row(st, ctx->store))
            build_objects(st, ctx, keep);
        else {
            table_begin(st->objects);
            table_end(st->objects, keep);
        }
        set_str(&st->filter_o, keep);
        free(keep);
        st->gen_objects = info.generation;
        st->gen_list = list.generation;
        st->built_o = true;
        bits |= VIEW_REDRAW | listing_wants(st, ctx);
    }
    return bits;
}

/* ---- drawing ------------------------------------------------------------------------ */

static void draw_buckets(struct s3_state *st, struct view_ctx *ctx, WINDOW *win)
{
    struct store_kind_info info;
    int h = getmaxy(win), w = getmaxx(win);
    char title[160], empty[160];

    store_kind_info(ctx->store, "bucket", &info);
    if (!info.updated && table_total(st->buckets) == 0) {
        view_draw_unread(ctx, win, "S3 buckets", &info, "ListBuckets is running");
        return;
    }
    snprintf(title, sizeof(title), "S3 buckets  %zu%s", table_total(st->buckets),
             info.stale ? "  (stale)" : "");
    if (ctx->filter && *ctx->filter)
        snprintf(title + strlen(title), sizeof(title) - strlen(title), "  %zu shown",
                 table_shown(st->buckets));
    view_text(win, 0, 0, w, title, view_attr(ctx, THEME_TITLE));
    if (ctx->filter && *ctx->filter && table_total(st->buckets))
        snprintf(empty, sizeof(empty), "no match for /%s", ctx->filter);
    else
        snprintf(empty, sizeof(empty), "no buckets in this account");
    if (h > 1)
        table_draw(st->buckets, ctx, win, 1, h - 1, empty);
}

/* "s3://bucket/prefix" as the breadcrumb (with "search*  server-side prefix" while S3 is
 * asked for a prefix), and what is loaded of it. */
static void draw_crumb(struct s3_state *st, struct view_ctx *ctx, WINDOW *win,
                       const struct store_res *l, bool interim)
{
    int64_t loaded = -1, truncated = 0, skipped = 0;
    char count[32], first[32], last[32], tail[300];
    const char *region = l ? store_res_str(l, "region") : NULL;
    char *crumb = xasprintf("s3://%s/%s%s", st->bucket, st->prefix, st->search ? st->search : "");
    int used, w = getmaxx(win);

    used = view_text(win, 0, 0, w, crumb, view_attr(ctx, THEME_TITLE));
    free(crumb);
    if (st->search && used < w) {
        used += view_text(win, 0, used, w - used,
                          interim ? "*  server-side prefix: asking S3, the loaded keys filtered"
                                  : "*  server-side prefix (Esc: the whole folder)",
                          view_attr(ctx, THEME_HEADER));
    }
    if (!interim && l && store_res_int(l, "loaded", &loaded) && used < w) {
        store_res_int(l, "truncated", &truncated);
        snprintf(tail, sizeof(tail), "  %s loaded%s", fmt_count(count, sizeof(count), loaded),
                 !truncated ? ", all" : ", more on S3");
        /* a window further down: which entries of the prefix these are */
        if (store_res_int(l, "skipped", &skipped) && skipped > 0)
            snprintf(tail + strlen(tail), sizeof(tail) - strlen(tail), " (entries %s-%s)",
                     fmt_count(first, sizeof(first), skipped + 1),
                     fmt_count(last, sizeof(last), skipped + loaded));
        snprintf(tail + strlen(tail), sizeof(tail) - strlen(tail), "%s%s%s", region ? "  " : "",
                 region ? region : "", store_res_stale(l) ? "  (stale)" : "");
        if (ctx->filter && *ctx->filter)
            snprintf(tail + strlen(tail), sizeof(tail) - strlen(tail), "  %zu shown",
                     table_shown(st->objects));
        view_text(win, 0, used, w - used, tail, view_attr(ctx, THEME_DIM));
    }
}

static void draw_list(struct s3_state *st, struct view_ctx *ctx, WINDOW *win)
{
    const struct store_res *l = listing_row(st, ctx->store), *interim = NULL;
    int h = getmaxy(win), w = getmaxx(win);
    int64_t loaded = -1;
    char empty[160], why[1200];
    const struct aws_error *e;

    if (!l && (interim = interim_row(st, ctx->store)) && store_res_int(interim, "loaded", &loaded))
        l = interim;
    else
        interim = NULL;
    draw_crumb(st, ctx, win, l, interim != NULL);
    if (!l || !store_res_int(l, "loaded", &loaded)) {
        /* never read: not an empty folder */
        e = l ? store_res_error(l, NULL) : NULL;
        if (l && store_res_stale(l) && e) {
            aws_error_describe(e, ctx->profile ? ctx->profile : "default", why, sizeof(why));
            view_text(win, 2, 1, w - 1, "cannot read:", view_attr(ctx, THEME_ERROR));
            view_text(win, 3, 1, w - 1, why, view_attr(ctx, THEME_ERROR));
        } else {
            view_text(win, 2, 1, w - 1, "not read yet: ListObjectsV2 is running",
                      view_attr(ctx, THEME_DIM));
        }
        return;
    }
    if (st->search && !interim)
        snprintf(empty, sizeof(empty), "no key here starts with %s", st->search);
    else if (ctx->filter && *ctx->filter && table_total(st->objects))
        snprintf(empty, sizeof(empty), "no match for /%s among the %lld loaded%s", ctx->filter,
                 (long long)loaded, table_filter_plain(st->objects, ctx->filter) && !st->search
                                        ? " (/ Enter asks S3 for keys starting with it)" : "");
    else
        snprintf(empty, sizeof(empty), "%s", st->prefix[0] ? "nothing under this prefix"
                                                           : "the bucket is empty");
    if (h > 1)
        table_draw(st->objects, ctx, win, 1, h - 1, empty);
}

/* One "label  value" line of the pane; value is untrusted. */
static void pane_line(WINDOW *win, int *y, int top, struct s3_state *st,
                      const struct view_ctx *ctx, const char *label, const char *value)
{
    int w = getmaxx(win), row = *y - st->scroll + top;

    if (row >= top && row < getmaxy(win)) {
        view_text(win, row, 1, 14, label, view_attr(ctx, THEME_HEADER));
        view_text(win, row, 16, w - 16, value ? value : "-", A_NORMAL);
    }
    (*y)++;
}

static void json_pairs(WINDOW *win, int *y, int top, struct s3_state *st,
                       const struct view_ctx *ctx, const char *label, const char *json)
{
    cJSON *o = json ? cJSON_Parse(json) : NULL;
    const cJSON *it;
    bool any = false;

    cJSON_ArrayForEach(it, o) {
        char *line = xasprintf("%s = %s", it->string ? it->string : "",
                               cJSON_IsString(it) ? it->valuestring : "");

        pane_line(win, y, top, st, ctx, any ? "" : label, line);
        free(line);
        any = true;
    }
    if (!any)
        pane_line(win, y, top, st, ctx, label, json ? "none" : "not read");
    cJSON_Delete(o);
}

static void draw_object(struct s3_state *st, struct view_ctx *ctx, WINDOW *win)
{
    const struct store_res *r = head_row(st, ctx->store);
    int h = getmaxy(win), w = getmaxx(win), y = 0, top = 1;
    char a[64], b[64], why[1200];
    int64_t v;
    const char *s, *kind, *pv;
    char *title = xasprintf("s3://%s/%s%s%s", st->bucket, st->object,
                            st->version ? "  version " : "", st->version ? st->version : "");

    view_text(win, 0, 0, w, title, view_attr(ctx, THEME_TITLE));
    free(title);
    if (!r || (!store_res_int(r, "size", &v) && store_res_stale(r))) {
        const struct aws_error *e = r ? store_res_error(r, NULL) : NULL;

        if (r && e) {
            aws_error_describe(e, ctx->profile ? ctx->profile : "default", why, sizeof(why));
            view_text(win, 2, 1, w - 1, "cannot read:", view_attr(ctx, THEME_ERROR));
            view_text(win, 3, 1, w - 1, why, view_attr(ctx, THEME_ERROR));
        } else {
            view_text(win, 2, 1, w - 1, "not read yet: HeadObject is running",
                      view_attr(ctx, THEME_DIM));
        }
        return;
    }
    if (store_res_int(r, "size", &v)) {
        snprintf(b, sizeof(b), "%s (%s bytes)", fmt_bytes(a, sizeof(a), v),
                 fmt_count(why, sizeof(why), v));
        pane_line(win, &y, top, st, ctx, "Size", b);
    } else {
        pane_line(win, &y, top, st, ctx, "Size", "not read");
    }
    pane_line(win, &y, top, st, ctx, "Content type", store_res_str(r, "content_type"));
    pane_line(win, &y, top, st, ctx, "Modified",
              store_res_int(r, "mtime", &v) ? view_time(ctx, (double)v, a, sizeof(a)) : "-");
    pane_line(win, &y, top, st, ctx, "ETag", store_res_str(r, "etag"));
    pane_line(win, &y, top, st, ctx, "Storage class", store_res_str(r, "storage_class"));
    s = store_res_str(r, "sse");
    pane_line(win, &y, top, st, ctx, "Encryption", s ? s : "none said");
    if ((s = store_res_str(r, "kms_key_id")))
        pane_line(win, &y, top, st, ctx, "KMS key", s);
    s = store_res_str(r, "version_id");
    pane_line(win, &y, top, st, ctx, "Version", s ? s : "unversioned");
    if ((s = store_res_str(r, "restore")) && *s) {
        if (store_res_int(r, "restore_expiry", &v))
            snprintf(why, sizeof(why), "%s until %s", s, view_time(ctx, (double)v, a, sizeof(a)));
        else
            snprintf(why, sizeof(why), "%s", s);
        pane_line(win, &y, top, st, ctx, "Restore", why);
    }
    json_pairs(win, &y, top, st, ctx, "Metadata", store_res_str(r, "metadata"));
    s = store_res_str(r, "tags_error");
    if (s && *s)
        pane_line(win, &y, top, st, ctx, "Tags", s);
    else
        json_pairs(win, &y, top, st, ctx, "Tags", store_res_str(r, "tags"));
    y++;
    kind = store_res_str(r, "preview_kind");
    pv = store_res_str(r, "preview");
    s = store_res_str(r, "preview_error");
    if (kind && pv) {
        int64_t cut = 0;

        store_res_int(r, "preview_cut", &cut);
        snprintf(why, sizeof(why), "Preview (%s%s)", kind, cut ? ", the first 64 KiB" : "");
        pane_line(win, &y, top, st, ctx, why, "");
        for (const char *line = pv; *line;) {
            size_t len = strcspn(line, "\n");
            char *one = xstrndup(line, len);
            int row = y - st->scroll + top;

            if (row >= top && row < h)
                view_text(win, row, 1, w - 1, one, A_NORMAL);
            free(one);
            y++;
            line += len;
            if (*line == '\n')
                line++;
            if (row >= h)
                break;
        }
    } else {
        pane_line(win, &y, top, st, ctx, "Preview", s && *s ? s : "not read yet");
    }
}

static void draw_versions(struct s3_state *st, struct view_ctx *ctx, WINDOW *win)
{
    const struct store_res *l = versions_row(st, ctx->store);
    int64_t count = -1;
    char *title = xasprintf("versions of s3://%s/%s", st->bucket, st->object);
    char why[1200];
    const struct aws_error *e;

    view_text(win, 0, 0, getmaxx(win), title, view_attr(ctx, THEME_TITLE));
    free(title);
    if (!l || !store_res_int(l, "count", &count)) {
        e = l ? store_res_error(l, NULL) : NULL;
        if (l && e) {
            aws_error_describe(e, ctx->profile ? ctx->profile : "default", why, sizeof(why));
            view_text(win, 2, 1, getmaxx(win) - 1, "cannot read:", view_attr(ctx, THEME_ERROR));
            view_text(win, 3, 1, getmaxx(win) - 1, why, view_attr(ctx, THEME_ERROR));
        } else {
            view_text(win, 2, 1, getmaxx(win) - 1, "not read yet: ListObjectVersions is running",
                      view_attr(ctx, THEME_DIM));
        }
        return;
    }
    if (getmaxy(win) > 1)
        table_draw(st->versions, ctx, win, 1, getmaxy(win) - 1,
                   "no versions: the bucket is not versioned, or the key was never written");
}

static void s3_draw(void *priv, struct view_ctx *ctx, WINDOW *win)
{
    struct s3_state *st = priv;

    werase(win);
    s3_update(st, ctx);
    switch (st->level) {
    case LVL_BUCKETS:
        draw_buckets(st, ctx, win);
        break;
    case LVL_LIST:
        draw_list(st, ctx, win);
        break;
    case LVL_OBJECT:
        draw_object(st, ctx, win);
        break;
    case LVL_VERSIONS:
        draw_versions(st, ctx, win);
        break;
    }
}

/* ---- keys ----------------------------------------------------------------------------- */

static bool is_enter(int key)
{
    return key == '\n' || key == '\r' || key == VIEW_KEY(KEY_ENTER) || key == 'l' ||
           key == VIEW_KEY(KEY_RIGHT);
}

static bool is_up(int key)
{
    return key == 'h' || key == VIEW_KEY(KEY_BACKSPACE) || key == 127 || key == '\b' ||
           key == VIEW_KEY(KEY_LEFT);
}

/* One level up; the cursor lands on where we came from. */
static int go_up(struct s3_state *st, struct view_ctx *ctx)
{
    char *from;
    size_t len;

    if (st->level == LVL_VERSIONS) {
        st->level = LVL_OBJECT;
        return VIEW_HANDLED | VIEW_REDRAW | VIEW_DETAIL;
    }
    if (st->level == LVL_OBJECT) {
        set_str(&st->version, NULL);
        from = xstrdup(st->object);
        st->level = LVL_LIST;
        set_str(&st->object, NULL);
        st->built_o = false;
        s3_update(st, ctx);
        table_select(st->objects, from);
        free(from);
        return VIEW_HANDLED | VIEW_REDRAW | VIEW_DETAIL;
    }
    if (st->level == LVL_LIST && st->prefix[0]) {
        /* "a/b/" -> "a/", the cursor on "a/b/" */
        from = xstrdup(st->prefix);
        len = strlen(st->prefix) - 1;
        while (len > 0 && st->prefix[len - 1] != '/')
            len--;
        st->prefix[len] = '\0';
        open_list(st, st->bucket, st->prefix);
        s3_update(st, ctx);
        table_select(st->objects, from);  /* once the parent's rows are in, update keeps it */
        free(from);
        return VIEW_HANDLED | VIEW_REDRAW | VIEW_DETAIL;
    }
    if (st->level == LVL_LIST) {
        from = xstrdup(st->bucket);
        st->level = LVL_BUCKETS;
        set_str(&st->bucket, NULL);
        set_str(&st->prefix, NULL);
        listing_reset(st, NULL);
        st->built_b = false;
        s3_update(st, ctx);
        table_select(st->buckets, from);
        free(from);
        return VIEW_HANDLED | VIEW_REDRAW | VIEW_DETAIL | VIEW_CLEAR_FILTER;
    }
    return VIEW_UNHANDLED;
}

static int enter(struct s3_state *st, struct view_ctx *ctx)
{
    const char *sel;
    const struct store_res *r;
    const char *type;

    if (st->level == LVL_BUCKETS) {
        sel = table_selected_key(st->buckets);
        if (!sel)
            return VIEW_HANDLED;
        return open_list(st, sel, "");
    }
    if (st->level != LVL_LIST || !(sel = table_selected_key(st->objects)))
        return VIEW_HANDLED;
    r = store_find(ctx->store, "s3obj", sel);
    type = r ? store_res_str(r, "type") : NULL;
    if (type && strcmp(type, "prefix") == 0) {
        char *p = xstrdup(sel);
        int bits = open_list(st, st->bucket, p);

        free(p);
        return bits;
    }
    set_str(&st->object, sel);
    set_str(&st->version, NULL);
    st->level = LVL_OBJECT;
    st->scroll = 0;
    return VIEW_HANDLED | VIEW_REDRAW | VIEW_DETAIL;
}

static int object_key(struct s3_state *st, int key)
{
    switch (key) {
    case 'j':
    case VIEW_KEY(KEY_DOWN):
        st->scroll++;
        return VIEW_HANDLED | VIEW_REDRAW;
    case 'k':
    case VIEW_KEY(KEY_UP):
        if (st->scroll > 0)
            st->scroll--;
        return VIEW_HANDLED | VIEW_REDRAW;
    case VIEW_KEY(KEY_NPAGE):
    case VIEW_KEY_CTRL('f'):
    case ' ':
        st->scroll += 20;
        return VIEW_HANDLED | VIEW_REDRAW;
    case VIEW_KEY(KEY_PPAGE):
    case VIEW_KEY_CTRL('b'):
        st->scroll = st->scroll > 20 ? st->scroll - 20 : 0;
        return VIEW_HANDLED | VIEW_REDRAW;
    case 'g':
    case VIEW_KEY(KEY_HOME):
        st->scroll = 0;
        return VIEW_HANDLED | VIEW_REDRAW;
    default:
        return VIEW_UNHANDLED;
    }
}

/* `y`: the s3:// URL of what the cursor is on (or the open object). */
static int copy_url(struct s3_state *st, struct view_ctx *ctx)
{
    const char *sel = st->level == LVL_OBJECT ? st->object
                      : st->level == LVL_LIST ? table_selected_key(st->objects)
                                              : NULL;

    if (st->level == LVL_BUCKETS) {
        sel = table_selected_key(st->buckets);
        if (!sel)
            return VIEW_HANDLED;
        snprintf(ctx->copy, sizeof(ctx->copy), "s3://%s/", sel);
    } else if (sel) {
        snprintf(ctx->copy, sizeof(ctx->copy), "s3://%s/%s", st->bucket, sel);
    } else {
        return VIEW_HANDLED;
    }
    snprintf(ctx->copy_what, sizeof(ctx->copy_what), "S3 URL");
    return VIEW_HANDLED | VIEW_COPY;
}

static int s3_key(void *priv, struct view_ctx *ctx, int key)
{
    struct s3_state *st = priv;
    int bits;

    s3_update(st, ctx);
    if (key == 'y')
        return copy_url(st, ctx);
    /* Esc clears the filter first (the framework does), which ends a server-side prefix */
    if (key == 27 && st->level == LVL_LIST && ctx->filter && *ctx->filter)
        return VIEW_UNHANDLED;
    if (is_up(key) || ((key == 27 || key == 'q') && st->level != LVL_BUCKETS))
        return go_up(st, ctx);
    if (st->level == LVL_OBJECT && key == 'v') {
        st->level = LVL_VERSIONS;
        st->gen_versions = 0;
        return VIEW_HANDLED | VIEW_REDRAW | VIEW_DETAIL;
    }
    if (st->level == LVL_OBJECT)
        return object_key(st, key);
    if (st->level == LVL_VERSIONS) {
        const struct store_res *r;
        const char *sel = table_selected_key(st->versions);
        const char *id;

        if (!is_enter(key))
            return table_key(st->versions, key) & ~VIEW_DETAIL;
        r = sel ? store_find(ctx->store, "s3ver", sel) : NULL;
        id = r ? store_res_str(r, "version_id") : NULL;
        if (!id)
            return VIEW_HANDLED;
        set_str(&st->version, id);
        st->level = LVL_OBJECT;
        st->scroll = 0;
        return VIEW_HANDLED | VIEW_REDRAW | VIEW_DETAIL;
    }
    if (is_enter(key))
        return enter(st, ctx);
    /* the cursor moving changes no detail key: only the listing's end does (maybe_more) */
    if (st->level == LVL_BUCKETS)
        return table_key(st->buckets, key) & ~VIEW_DETAIL;
    bits = table_key(st->objects, key) & ~VIEW_DETAIL;
    return bits | listing_wants(st, ctx);
}

/* `:s3 BUCKET/PREFIX`, `:s3 s3://BUCKET/PREFIX`, `:s3 arn:...:accesspoint/NAME[/PREFIX]`. */
static int s3_open(void *priv, struct view_ctx *ctx, const char *arg)
{
    struct s3_state *st = priv;
    const char *p = arg, *prefix;
    char *bucket;
    int bits;

    if (!st->buckets)
        s3_init(st, ctx);
    if (strncmp(p, "s3://", 5) == 0)
        p += 5;
    /* where the bucket (or access point ARN) ends, as `opsdeck s3 get|presign` read it */
    bucket = xstrndup(p, s3_location_split(p, &prefix));
    if (!*bucket) {
        free(bucket);
        st->level = LVL_BUCKETS;
        return VIEW_HANDLED | VIEW_REDRAW | VIEW_DETAIL;
    }
    bits = open_list(st, bucket, prefix ? prefix : "");
    free(bucket);
    return bits;
}

/* `/` then Enter in a folder: S3 lists the keys that start with the text (what a filter of
 * what is loaded cannot do for 100 000 keys); "!", "COLUMN:" filters stay local. */
static int s3_filter_enter(void *priv, struct view_ctx *ctx, const char *filter)
{
    struct s3_state *st = priv;

    (void)ctx;
    if (st->level != LVL_LIST || !table_filter_plain(st->objects, filter) ||
        (st->search && strcmp(st->search, filter) == 0))
        return VIEW_HANDLED;
    listing_reset(st, filter);
    return VIEW_HANDLED | VIEW_REDRAW | VIEW_DETAIL;
}

static bool s3_select(void *priv, struct view_ctx *ctx, const char *key)
{
    struct s3_state *st = priv;

    s3_update(st, ctx);
    if (st->level == LVL_BUCKETS)
        return key && table_select(st->buckets, key);
    return key && table_select(st->objects, key);
}

static bool s3_cli(void *priv, const struct view_ctx *ctx, char *out, size_t n)
{
    struct s3_state *st = priv;
    char *b, *k;

    (void)ctx;
    if (st->level == LVL_BUCKETS) {
        snprintf(out, n, "aws s3api list-buckets");
        return true;
    }
    b = view_shell_quote(st->bucket);
    if (st->level == LVL_VERSIONS) {
        k = view_shell_quote(st->object);
        snprintf(out, n, "aws s3api list-object-versions --bucket %s --prefix %s", b, k);
    } else if (st->level == LVL_OBJECT) {
        k = view_shell_quote(st->object);
        snprintf(out, n, "aws s3api head-object --bucket %s --key %s\n"
                         "aws s3api get-object-tagging --bucket %s --key %s", b, k, b, k);
    } else {
        k = view_shell_quote(st->listed ? st->listed : st->prefix);
        snprintf(out, n, "aws s3api list-objects-v2 --bucket %s --prefix %s --delimiter /", b, k);
    }
    free(b);
    free(k);
    return true;
}

/* `u` (presign) and `d` (download): the object under the cursor, the open object, or the version under the
 * cursor; the target's key is the object's detail key (s3detail.h), which holds all three. */
static bool s3_target(void *priv, struct view_ctx *ctx, const char *action,
                      struct act_target *out)
{
    struct s3_state *st = priv;
    struct s3_detail d = {.what = S3_DETAIL_OBJECT};
    const struct store_res *r;
    const char *sel = NULL, *type;

    (void)action;
    s3_update(st, ctx);
    d.bucket = st->bucket;
    if (st->level == LVL_LIST && (sel = table_selected_key(st->objects))) {
        r = store_find(ctx->store, "s3obj", sel);
        type = r ? store_res_str(r, "type") : NULL;
        if (type && strcmp(type, "prefix") == 0)
            return false;  /* a folder is no object */
        d.path = (char *)sel;
    } else if (st->level == LVL_OBJECT) {
        d.path = st->object;
        d.version = st->version;
    } else if (st->level == LVL_VERSIONS && (sel = table_selected_key(st->versions))) {
        int64_t marker = 0;

        r = store_find(ctx->store, "s3ver", sel);
        if (!r || (store_res_int(r, "delete_marker", &marker) && marker))
            return false;  /* a delete marker has nothing to fetch */
        d.path = st->object;
        d.version = (char *)store_res_str(r, "version_id");
    }
    if (!d.bucket || !d.path)
        return false;
    free(st->target_key);
    free(st->target_name);
    st->target_key = s3_detail_key(&d);
    st->target_name = xasprintf("s3://%s/%s%s%s", d.bucket, d.path, d.version ? " version " : "",
                     d.version ? d.version : "");
    out->kind = "s3obj";
    out->key = st->target_key;
    out->name = st->target_name;
    return true;
}

static const struct view_action s3_actions[] = {
    {'u', "presign"},
    {'d', "download"},
    {0, NULL},
};

static const struct view_keyhelp s3_keys[] = {
    {"Enter/l", "open: a bucket, a folder, an object's detail and preview"},
    {"Bksp/h", "up: the parent folder, the buckets"},
    {"/ Enter", "server-side prefix: S3 lists the keys starting with the filter; Esc: all"},
    {"v", "an object's versions and delete markers; Enter opens one"},
    {"y", "copy the row's S3 URL"},
    {"u", "presigned GET URL of an object or version: shown and copied (OSC 52)"},
    {"d", "download an object or version to a file, as a job (verified, resumable)"},
    {"j/k", "down / up (the next page loads as the cursor nears the end)"},
    {"N/Z/M/C", "sort by name, size, modified, class (again: reverse); buckets: N/R/C"},
    {"Esc/q", "clear the filter, close the object, then up"},
    {NULL, NULL},
};

const struct view s3_view = {
    .name = "s3",
    .title = "S3",
    .number = 5,
    .interval = APPCONFIG_VIEW_S3,
    .private_size = sizeof(struct s3_state),
    .init = s3_init,
    .done = s3_done,
    .update = s3_update,
    .draw = s3_draw,
    .key = s3_key,
    .detail = s3_detail_hook,
    .select = s3_select,
    .open = s3_open,
    .filter_enter = s3_filter_enter,
    .keys = s3_keys,
    .cli = s3_cli,
    .actions = s3_actions,
    .target = s3_target,
};
