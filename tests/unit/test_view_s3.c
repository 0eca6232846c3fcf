/* test_view_s3.c - the s3 view drawn headless from a hand-filled store: "not read yet"
 * before the buckets are, buckets with regions, Enter into a bucket and a folder (the
 * detail key asks the sources for them), Backspace up with the cursor on where it came
 * from, folders first with names relative to the prefix, the next page asked for only as
 * the cursor nears the end, hostile keys escaped, the object pane with its preview, a
 * listing that cannot be read, `:s3 BUCKET/PREFIX` and access point ARNs; 80x24 and
 * 120x40. */
#include "config.h"
#include "check_tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "poll/sources/s3detail.h"
#include "poll/store.h"
#include "screen_test.h"
#include "view.h"

static int64_t fake_now;

static int64_t fake_clock(void *arg)
{
    (void)arg;
    return fake_now;
}

struct world {
    struct store *store;
    struct appconfig *cfg;
    struct screen_test *scr;
    struct view_ctx ctx;
    void *priv;
};

static void put_bucket(struct store *s, const char *name, const char *region)
{
    struct store_res *r = store_update_begin(s, "bucket", name);

    store_set_str(r, "created", "2026-01-02T03:04:05.000Z");
    if (region)
        store_set_str(r, "region", region);
    store_update_commit(r);
}

static void put_obj(struct store *s, const char *key, int64_t size)
{
    struct store_res *r = store_update_begin(s, "s3obj", key);

    store_set_str(r, "type", size < 0 ? "prefix" : "object");
    if (size >= 0) {
        store_set_int(r, "size", size);
        store_set_int(r, "mtime", 1764000000);
        store_set_str(r, "storage_class", "STANDARD");
    }
    store_update_commit(r);
}

static void put_list(struct store *s, const char *bucket, const char *prefix, int64_t loaded,
                     bool truncated)
{
    struct store_res *r = store_update_begin(s, "s3list", "current");

    store_set_str(r, "bucket", bucket);
    store_set_str(r, "prefix", prefix);
    store_set_str(r, "region", "eu-west-1");
    store_set_int(r, "loaded", loaded);
    store_set_int(r, "truncated", truncated);
    store_set_str(r, "next_token", truncated ? "tok" : NULL);
    store_update_commit(r);
}

/* The listing's rows many/k<first> .. many/k<first + n - 1>, replacing every other. */
static void put_many(struct store *s, int first, int n)
{
    char key[32];

    store_list_begin(s, "s3obj");
    for (int i = first; i < first + n; i++) {
        snprintf(key, sizeof(key), "many/k%05d", i);
        put_obj(s, key, i);
    }
    store_list_end(s, "s3obj");
}

static void world_init(struct world *w, int cols, int lines)
{
    fake_now = 1764000000000;
    w->store = store_new();
    store_set_clock(w->store, fake_clock, NULL);
    w->cfg = appconfig_new();
    w->scr = screen_test_new(cols, lines);
    screen_test_ctx(w->scr, &w->ctx, w->store, w->cfg, false);
    w->ctx.utc = true;
    w->priv = calloc(1, s3_view.private_size);
    ck_assert_ptr_nonnull(w->priv);
    s3_view.init(w->priv, &w->ctx);
}

static void world_done(struct world *w)
{
    s3_view.done(w->priv);
    free(w->priv);
    screen_test_free(w->scr);
    appconfig_free(w->cfg);
    store_free(w->store);
}

static int frame(struct world *w)
{
    int bits;

    w->ctx.now_ms = store_now(w->store);
    bits = s3_view.update(w->priv, &w->ctx);
    s3_view.draw(w->priv, &w->ctx, w->scr->win);
    return bits;
}

static bool row_has(struct world *w, int y, const char *needle)
{
    char *row = screen_test_row(w->scr->win, y);
    bool hit = strstr(row, needle) != NULL;

    free(row);
    if (!hit) {
        fprintf(stderr, "# row %d lacks \"%s\":\n", y, needle);
        screen_test_dump(w->scr->win, stderr);
    }
    return hit;
}

static int find(struct world *w, const char *needle)
{
    return screen_test_find(w->scr->win, needle);
}

/* The detail key the view hands the poller, parsed. */
static void detail_is(struct world *w, char what, const char *bucket, const char *path, long want)
{
    const char *key = s3_view.detail(w->priv);
    struct s3_detail d;

    ck_assert_ptr_nonnull(key);
    ck_assert(s3_detail_parse(key, &d));
    ck_assert_int_eq(d.what, what);
    ck_assert_str_eq(d.bucket, bucket);
    ck_assert_str_eq(d.path, path);
    if (want)
        ck_assert_int_eq(d.want, want);
    s3_detail_done(&d);
}

static void seed_alpha(struct store *s)
{
    store_list_begin(s, "s3obj");
    put_obj(s, "a.txt", 1536);
    put_obj(s, "logs/", -1);
    put_obj(s, "zeta/", -1);
    put_obj(s, "\x1b[2Jclear\u202eevil", 5);
    store_list_end(s, "s3obj");
    put_list(s, "alpha", "", 4, false);
}

START_TEST(buckets_then_listing)
{
    struct world w;
    int y;

    world_init(&w, 80, 24);
    frame(&w);
    ck_assert(row_has(&w, 0, "S3 buckets  not read yet"));
    ck_assert_ptr_null(s3_view.detail(w.priv));

    store_list_begin(w.store, "bucket");
    put_bucket(w.store, "alpha", "eu-west-1");
    put_bucket(w.store, "beta.dots", NULL);
    store_list_end(w.store, "bucket");
    frame(&w);
    ck_assert(row_has(&w, 0, "S3 buckets  2"));
    y = find(&w, "alpha");
    ck_assert_int_eq(y, 2);
    ck_assert(row_has(&w, 2, "eu-west-1"));
    ck_assert(row_has(&w, 3, "beta.dots"));
    ck_assert(row_has(&w, 3, "?"));   /* region not read: a question, not a guess */

    /* Enter: the listing is asked for, and until it is in it says so (not "empty") */
    ck_assert(s3_view.key(w.priv, &w.ctx, '\n') & VIEW_DETAIL);
    detail_is(&w, 'L', "alpha", "", 1000);
    frame(&w);
    ck_assert(row_has(&w, 0, "s3://alpha/"));
    ck_assert_int_ge(find(&w, "not read yet"), 1);
    ck_assert_int_lt(find(&w, "empty"), 0);

    seed_alpha(w.store);
    frame(&w);
    ck_assert(row_has(&w, 0, "4 loaded, all"));
    ck_assert(row_has(&w, 0, "eu-west-1"));
    /* folders first, then objects; sizes in binary units */
    ck_assert(row_has(&w, 2, "logs/"));
    ck_assert(row_has(&w, 2, "folder"));
    ck_assert(row_has(&w, 3, "zeta/"));
    y = find(&w, "a.txt");
    ck_assert_int_gt(y, 3);
    ck_assert(row_has(&w, y, "1.5 KiB"));
    ck_assert(row_has(&w, y, "2025-11-24"));
    ck_assert(row_has(&w, y, "STANDARD"));
    /* the hostile key: escaped, never a raw ESC or bidi override on screen */
    y = find(&w, "clear");
    ck_assert_int_gt(y, 1);
    ck_assert(row_has(&w, y, "\\x1B[2Jclear"));
    {
        char *row = screen_test_row(w.scr->win, y);

        ck_assert_ptr_null(strchr(row, 0x1b));
        ck_assert_ptr_null(strstr(row, "\u202e"));
        free(row);
    }
    world_done(&w);
}
END_TEST

START_TEST(into_a_folder_and_back)
{
    struct world w;

    world_init(&w, 80, 24);
    store_list_begin(w.store, "bucket");
    put_bucket(w.store, "alpha", "eu-west-1");
    store_list_end(w.store, "bucket");
    frame(&w);
    s3_view.key(w.priv, &w.ctx, '\n');
    seed_alpha(w.store);
    frame(&w);
    /* the cursor is on logs/ (first row): Enter goes into it */
    ck_assert(s3_view.key(w.priv, &w.ctx, 'l') & VIEW_DETAIL);
    detail_is(&w, 'L', "alpha", "logs/", 1000);
    frame(&w);
    ck_assert(row_has(&w, 0, "s3://alpha/logs/"));
    store_list_begin(w.store, "s3obj");
    put_obj(w.store, "logs/2026/", -1);
    put_obj(w.store, "logs/b.log", 2);
    store_list_end(w.store, "s3obj");
    put_list(w.store, "alpha", "logs/", 2, false);
    frame(&w);
    ck_assert(row_has(&w, 2, "2026/"));   /* relative to the prefix */
    ck_assert_int_lt(find(&w, "logs/b.log"), 0);
    ck_assert_int_gt(find(&w, "b.log"), 2);

    /* Backspace: up to the top, the cursor back on logs/ once its rows are in */
    ck_assert(s3_view.key(w.priv, &w.ctx, VIEW_KEY(KEY_BACKSPACE)) & VIEW_DETAIL);
    detail_is(&w, 'L', "alpha", "", 1000);
    seed_alpha(w.store);
    frame(&w);
    ck_assert_str_eq(s3_view.cli ? "x" : "", "x");
    {
        char cli[512];

        ck_assert(s3_view.cli(w.priv, &w.ctx, cli, sizeof(cli)));
        ck_assert_ptr_nonnull(strstr(cli, "list-objects-v2 --bucket alpha"));
    }
    /* h again: the buckets, the cursor on alpha; Esc/q there is the framework's */
    ck_assert(s3_view.key(w.priv, &w.ctx, 'h') & VIEW_DETAIL);
    ck_assert_ptr_null(s3_view.detail(w.priv));
    frame(&w);
    ck_assert(row_has(&w, 0, "S3 buckets"));
    ck_assert_int_eq(s3_view.key(w.priv, &w.ctx, 'q'), VIEW_UNHANDLED);
    world_done(&w);
}
END_TEST

START_TEST(pages_on_demand)
{
    struct world w;
    int bits = 0;

    world_init(&w, 120, 40);
    s3_view.open(w.priv, &w.ctx, "big/many/");
    detail_is(&w, 'L', "big", "many/", 1000);
    put_many(w.store, 0, 1000);
    put_list(w.store, "big", "many/", 1000, true);
    frame(&w);
    ck_assert(row_has(&w, 0, "s3://big/many/"));
    ck_assert(row_has(&w, 0, "1000 loaded, more on S3"));
    /* near the top: nothing more is asked */
    detail_is(&w, 'L', "big", "many/", 1000);
    for (int i = 0; i < 700; i++)
        bits |= s3_view.key(w.priv, &w.ctx, 'j');
    ck_assert(!(bits & VIEW_DETAIL));
    detail_is(&w, 'L', "big", "many/", 1000);
    /* within a screenful or so of the end: the next page, once */
    for (int i = 0; i < 150; i++)
        bits |= s3_view.key(w.priv, &w.ctx, 'j');
    ck_assert(bits & VIEW_DETAIL);
    detail_is(&w, 'L', "big", "many/", 2000);
    ck_assert(!(s3_view.key(w.priv, &w.ctx, 'j') & VIEW_DETAIL));
    /* G goes to the last loaded row; the title says how many and that more exist */
    s3_view.key(w.priv, &w.ctx, 'G');
    frame(&w);
    ck_assert_int_ge(find(&w, "k00999"), 2);
    ck_assert(row_has(&w, 0, "more on S3"));
    world_done(&w);
}
END_TEST

START_TEST(object_pane)
{
    struct world w;
    struct store_res *r;

    world_init(&w, 80, 24);
    s3_view.open(w.priv, &w.ctx, "s3://alpha/");
    seed_alpha(w.store);
    frame(&w);
    ck_assert(s3_view.select(w.priv, &w.ctx, "a.txt"));
    ck_assert(s3_view.key(w.priv, &w.ctx, '\n') & VIEW_DETAIL);
    detail_is(&w, 'O', "alpha", "a.txt", 0);
    frame(&w);
    ck_assert(row_has(&w, 0, "s3://alpha/a.txt"));
    ck_assert_int_ge(find(&w, "HeadObject is running"), 1);

    r = store_update_begin(w.store, "s3head", "current");
    store_set_str(r, "bucket", "alpha");
    store_set_str(r, "key", "a.txt");
    store_set_str(r, "version", "");
    store_set_int(r, "size", 1536);
    store_set_str(r, "content_type", "application/json");
    store_set_str(r, "etag", "\"abc\"");
    store_set_str(r, "storage_class", "STANDARD");
    store_set_str(r, "sse", "aws:kms");
    store_set_str(r, "kms_key_id", "arn:aws:kms:eu-west-1:1:key/k");
    store_set_str(r, "metadata", "{\"team\":\"pay\\u001b[31mments\"}");
    store_set_str(r, "tags", "{\"env\":\"prod\"}");
    store_set_str(r, "preview", "{\n  \"a\": 1\n}");
    store_set_str(r, "preview_kind", "json");
    store_set_int(r, "preview_cut", 0);
    store_update_commit(r);
    frame(&w);
    ck_assert_int_ge(find(&w, "1.5 KiB (1536 bytes)"), 1);
    ck_assert_int_ge(find(&w, "aws:kms"), 1);
    ck_assert_int_ge(find(&w, "arn:aws:kms:eu-west-1:1:key/k"), 1);
    ck_assert_int_ge(find(&w, "team = pay\\x1B[31mments"), 1);
    ck_assert_int_ge(find(&w, "env = prod"), 1);
    ck_assert_int_ge(find(&w, "Preview (json)"), 1);
    ck_assert_int_ge(find(&w, "\"a\": 1"), 1);
    /* Esc closes the object: back to the listing, the cursor on it */
    ck_assert(s3_view.key(w.priv, &w.ctx, 27) & VIEW_DETAIL);
    detail_is(&w, 'L', "alpha", "", 1000);
    world_done(&w);
}
END_TEST

static void put_version(struct store *s, const char *key, const char *id, bool latest,
                        bool marker, int64_t size)
{
    struct store_res *r = store_update_begin(s, "s3ver", key);

    store_set_str(r, "version_id", id);
    store_set_int(r, "latest", latest);
    store_set_int(r, "delete_marker", marker);
    if (!marker)
        store_set_int(r, "size", size);
    store_set_int(r, "mtime", 1764000000);
    store_update_commit(r);
}

START_TEST(versions)
{
    struct world w;
    struct store_res *r;
    struct s3_detail d;
    int y;

    world_init(&w, 80, 24);
    s3_view.open(w.priv, &w.ctx, "alpha/");
    seed_alpha(w.store);
    frame(&w);
    ck_assert(s3_view.select(w.priv, &w.ctx, "a.txt"));
    s3_view.key(w.priv, &w.ctx, '\n');
    ck_assert(s3_view.key(w.priv, &w.ctx, 'v') & VIEW_DETAIL);
    detail_is(&w, 'V', "alpha", "a.txt", 0);
    frame(&w);
    ck_assert_int_ge(find(&w, "ListObjectVersions is running"), 1);
    store_list_begin(w.store, "s3ver");
    put_version(w.store, "000000", "dm-1", true, true, 0);
    put_version(w.store, "000001", "v-2", false, false, 3);
    put_version(w.store, "000002", "v-1", false, false, 2048);
    store_list_end(w.store, "s3ver");
    r = store_update_begin(w.store, "s3verlist", "current");
    store_set_str(r, "bucket", "alpha");
    store_set_str(r, "key", "a.txt");
    store_set_int(r, "count", 3);
    store_update_commit(r);
    frame(&w);
    ck_assert(row_has(&w, 0, "versions of s3://alpha/a.txt"));
    ck_assert(row_has(&w, 2, "dm-1"));
    ck_assert(row_has(&w, 2, "latest"));
    ck_assert(row_has(&w, 2, "deleted"));
    y = find(&w, "v-1");
    ck_assert_int_eq(y, 4);
    ck_assert(row_has(&w, y, "2 KiB"));
    /* Enter on the oldest: the object pane for that version */
    s3_view.key(w.priv, &w.ctx, 'G');
    ck_assert(s3_view.key(w.priv, &w.ctx, '\n') & VIEW_DETAIL);
    ck_assert(s3_detail_parse(s3_view.detail(w.priv), &d));
    ck_assert_int_eq(d.what, S3_DETAIL_OBJECT);
    ck_assert_str_eq(d.version, "v-1");
    s3_detail_done(&d);
    frame(&w);
    ck_assert(row_has(&w, 0, "version v-1"));
    world_done(&w);
}
END_TEST

START_TEST(cannot_read_and_arns)
{
    struct world w;
    struct aws_error e;

    world_init(&w, 80, 24);
    s3_view.open(w.priv, &w.ctx, "gone-bucket/x/");
    put_list(w.store, "gone-bucket", "x/", 0, false);
    {
        struct store_res *r = store_update_begin(w.store, "s3list", "current");

        store_set_unknown(r, "loaded");
        store_update_commit(r);
    }
    aws_error_clear(&e);
    aws_error_set(&e, AWS_ERR_HTTP, "The specified bucket does not exist");
    snprintf(e.code, sizeof(e.code), "NoSuchBucket");
    store_fail(w.store, "s3list", "current", &e);
    frame(&w);
    ck_assert_int_ge(find(&w, "cannot read:"), 1);
    ck_assert_int_ge(find(&w, "NoSuchBucket"), 1);
    ck_assert_int_lt(find(&w, "nothing under"), 0);

    /* an access point ARN: the bucket is the whole ARN, the prefix after its name */
    s3_view.open(w.priv, &w.ctx, "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap/in/");
    detail_is(&w, 'L', "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap", "in/", 1000);
    s3_view.open(w.priv, &w.ctx, "arn:aws:s3:eu-west-1:123456789012:accesspoint/ap1");
    detail_is(&w, 'L', "arn:aws:s3:eu-west-1:123456789012:accesspoint/ap1", "", 1000);
    world_done(&w);
}
END_TEST

START_TEST(detail_keys_round_trip)
{
    struct s3_detail d = {.what = S3_DETAIL_OBJECT, .bucket = "b", .version = "v1",
                          .path = "k\x1fwith sep\n"};
    struct s3_detail back;
    char *key = s3_detail_key(&d);

    ck_assert(s3_detail_parse(key, &back));
    ck_assert_str_eq(back.path, "k\x1fwith sep\n");
    ck_assert_str_eq(back.version, "v1");
    s3_detail_done(&back);
    free(key);
    /* malformed keys are refused, never half-read */
    ck_assert(!s3_detail_parse("s3 L0\x1f" "b\x1f", &back));
    ck_assert(!s3_detail_parse("s3 Lx\x1f" "b\x1f", &back));
    ck_assert(!s3_detail_parse("s3 O\x1f" "b", &back));
    ck_assert(!s3_detail_parse("s3 O\x1f\x1f\x1fk", &back));
    ck_assert(!s3_detail_parse("https://sqs.example/q", &back));
    ck_assert(!s3_detail_parse("s3 Q\x1f" "b\x1fk", &back));
    ck_assert(!s3_detail_parse(NULL, &back));
}
END_TEST

/* A listing's window and page start may hold any byte, the separator too; their lengths
 * say where each ends and the prefix begins. */
START_TEST(detail_keys_page_start)
{
    struct s3_detail d = {.what = S3_DETAIL_LIST, .want = 3000, .bucket = "b",
                          .from = "in/a\x1f", .after = "in/k\x1f" "9", .path = "in/"};
    struct s3_detail back;
    char *key = s3_detail_key(&d);

    ck_assert(s3_detail_parse(key, &back));
    ck_assert_int_eq(back.want, 3000);
    ck_assert_str_eq(back.bucket, "b");
    ck_assert_str_eq(back.from, "in/a\x1f");
    ck_assert_str_eq(back.after, "in/k\x1f" "9");
    ck_assert_str_eq(back.path, "in/");
    s3_detail_done(&back);
    free(key);
    /* no window, no page start: the key as it always was */
    d.after = "";
    d.from = NULL;
    key = s3_detail_key(&d);
    ck_assert_str_eq(key, "s3 L3000\x1f" "b\x1f" "in/");
    ck_assert(s3_detail_parse(key, &back));
    ck_assert_str_eq(back.after, "");
    ck_assert_str_eq(back.from, "");
    s3_detail_done(&back);
    free(key);
    ck_assert(!s3_detail_parse("s3 L5.\x1f" "b\x1f" "abc", &back));      /* no length */
    ck_assert(!s3_detail_parse("s3 L5.3\x1f" "b\x1f" "abc", &back));     /* one of two */
    ck_assert(!s3_detail_parse("s3 L5.0.0\x1f" "b\x1f" "abc", &back));   /* both empty */
    ck_assert(!s3_detail_parse("s3 L5.2.9\x1f" "b\x1f" "abc", &back));   /* past the end */
    ck_assert(!s3_detail_parse("s3 L5.-2.1\x1f" "b\x1f" "abc", &back));
    ck_assert(!s3_detail_parse("s3 L5.2x.1\x1f" "b\x1f" "abc", &back));
    ck_assert(!s3_detail_parse("s3 L5.99999999999999999999.1\x1f" "b\x1f" "abc", &back));
    ck_assert(s3_detail_parse("s3 L5.1.2\x1f" "b\x1f" "abcd", &back));
    ck_assert_str_eq(back.from, "a");
    ck_assert_str_eq(back.after, "bc");
    ck_assert_str_eq(back.path, "d");
    s3_detail_done(&back);
}
END_TEST

/* Scrolled far down, the view moves its window on a page at a time (the source lets the
 * rows before it go) and back again when the cursor returns to the window's top. The
 * source's part is played here: the store holds what the detail key asks for. */
static void hold(struct world *w, const char *from, int first, int n, int64_t skipped,
                 bool more)
{
    struct store_res *r;

    put_many(w->store, first, n);
    put_list(w->store, "big", "many/", n, more);
    r = store_update_begin(w->store, "s3list", "current");
    store_set_str(r, "from", from);
    store_set_int(r, "skipped", skipped);
    store_update_commit(r);
}

static void want_is(struct world *w, const char *from, long want)
{
    struct s3_detail d;

    ck_assert(s3_detail_parse(s3_view.detail(w->priv), &d));
    ck_assert_str_eq(d.from, from);
    ck_assert_int_eq(d.want, want);
    s3_detail_done(&d);
}

START_TEST(window_moves_on_and_back)
{
    struct world w;

    world_init(&w, 120, 40);
    s3_view.open(w.priv, &w.ctx, "big/many/");
    hold(&w, "", 0, 5000, 0, true);
    frame(&w);
    ck_assert(row_has(&w, 0, "5000 loaded, more on S3"));
    s3_view.key(w.priv, &w.ctx, 'G');
    /* five pages held: the window moves on past the first page, and wants five again */
    want_is(&w, "many/k00999", 5000);
    /* nothing more is asked while the window moves */
    ck_assert(!(s3_view.key(w.priv, &w.ctx, 'G') & VIEW_DETAIL));
    hold(&w, "many/k00999", 1000, 5000, 1000, true);
    frame(&w);
    ck_assert(row_has(&w, 0, "5000 loaded, more on S3 (entries 1001-6000)"));
    ck_assert_int_ge(find(&w, "k04999"), 2);   /* the cursor stayed on its key */
    s3_view.key(w.priv, &w.ctx, 'G');
    want_is(&w, "many/k01999", 5000);
    hold(&w, "many/k01999", 2000, 4500, 2000, false);
    frame(&w);
    ck_assert(row_has(&w, 0, "4500 loaded, all (entries 2001-6500)"));
    s3_view.key(w.priv, &w.ctx, 'G');
    frame(&w);
    ck_assert_int_ge(find(&w, "k06499"), 2);
    want_is(&w, "many/k01999", 5000);          /* the end: nothing more */
    /* back to the window's top: the window goes back a page, then another */
    s3_view.key(w.priv, &w.ctx, 'g');
    want_is(&w, "many/k00999", 5000);
    hold(&w, "many/k00999", 1000, 5000, 1000, true);
    frame(&w);
    ck_assert(row_has(&w, 0, "(entries 1001-6000)"));
    s3_view.key(w.priv, &w.ctx, 'g');
    want_is(&w, "", 5000);
    hold(&w, "", 0, 5000, 0, true);
    frame(&w);
    ck_assert_int_lt(find(&w, "entries"), 0);
    ck_assert_int_ge(find(&w, "k01000"), 2);   /* the cursor on the key it was on */
    /* at the listing's start there is nothing further back */
    s3_view.key(w.priv, &w.ctx, 'g');
    want_is(&w, "", 5000);
    frame(&w);
    ck_assert_int_ge(find(&w, "k00000"), 2);
    world_done(&w);
}
END_TEST

/* The page the cursor is in (1000 entries in S3's order) is the one the source lists again:
 * the detail key names the key it starts after. */
START_TEST(shown_page_in_detail)
{
    struct world w;
    const char *dk;
    struct s3_detail d;
    int bits = 0;

    world_init(&w, 120, 40);
    s3_view.open(w.priv, &w.ctx, "big/many/");
    put_many(w.store, 0, 2500);
    put_list(w.store, "big", "many/", 2500, false);
    frame(&w);
    ck_assert(row_has(&w, 0, "2500 loaded, all"));
    ck_assert(s3_detail_parse(s3_view.detail(w.priv), &d));
    ck_assert_str_eq(d.after, "");
    s3_detail_done(&d);
    for (int i = 0; i < 999; i++)
        bits |= s3_view.key(w.priv, &w.ctx, 'j');
    ck_assert(!(bits & VIEW_DETAIL));   /* still in the first page */
    ck_assert(s3_view.key(w.priv, &w.ctx, 'j') & VIEW_DETAIL);
    dk = s3_view.detail(w.priv);
    ck_assert(s3_detail_parse(dk, &d));
    ck_assert_str_eq(d.after, "many/k00999");
    ck_assert_str_eq(d.path, "many/");
    ck_assert_int_eq(d.want, 1000);     /* nothing more asked: everything is loaded */
    s3_detail_done(&d);
    s3_view.key(w.priv, &w.ctx, 'G');
    ck_assert(s3_detail_parse(s3_view.detail(w.priv), &d));
    ck_assert_str_eq(d.after, "many/k01999");
    s3_detail_done(&d);
    frame(&w);
    ck_assert_int_ge(find(&w, "k02499"), 2);
    world_done(&w);
}
END_TEST

/* `/` then Enter asks S3 for the prefix; until it answers, the loaded keys are filtered;
 * a filter S3 cannot ask for stays local; clearing the filter lists the folder again. */
START_TEST(server_side_prefix)
{
    struct world w;
    int bits;

    world_init(&w, 120, 40);
    s3_view.open(w.priv, &w.ctx, "big/many/");
    put_many(w.store, 0, 1000);
    put_list(w.store, "big", "many/", 1000, true);
    frame(&w);
    /* what S3 cannot ask for: inverted, a column */
    w.ctx.filter = "!k001";
    frame(&w);
    s3_view.filter_enter(w.priv, &w.ctx, "!k001");
    detail_is(&w, 'L', "big", "many/", 1000);
    w.ctx.filter = "size:0 B";
    frame(&w);
    s3_view.filter_enter(w.priv, &w.ctx, "size:0 B");
    detail_is(&w, 'L', "big", "many/", 1000);
    /* plain text: S3 lists many/k0099 */
    w.ctx.filter = "k0099";
    frame(&w);
    bits = s3_view.filter_enter(w.priv, &w.ctx, "k0099");
    ck_assert(bits & VIEW_DETAIL);
    detail_is(&w, 'L', "big", "many/k0099", 1000);
    frame(&w);
    ck_assert(row_has(&w, 0, "s3://big/many/k0099*"));
    ck_assert(row_has(&w, 0, "asking S3"));
    ck_assert_int_ge(find(&w, "k00990"), 2);     /* the loaded ones, filtered meanwhile */
    ck_assert_int_lt(find(&w, "k00989"), 0);
    /* S3's answer */
    put_many(w.store, 990, 10);
    put_list(w.store, "big", "many/k0099", 10, false);
    frame(&w);
    ck_assert(row_has(&w, 0, "server-side prefix"));
    ck_assert(row_has(&w, 0, "10 loaded, all"));
    ck_assert_int_ge(find(&w, "k00999"), 2);
    /* Enter again on the same text asks nothing new */
    ck_assert(!(s3_view.filter_enter(w.priv, &w.ctx, "k0099") & VIEW_DETAIL));
    /* the filter cleared (Esc): the folder's listing again */
    w.ctx.filter = "";
    ck_assert(frame(&w) & VIEW_DETAIL);
    detail_is(&w, 'L', "big", "many/", 1000);
    ck_assert_int_lt(find(&w, "server-side"), 0);
    world_done(&w);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("view_s3");
    TCase *tc = tcase_create("view_s3");

    tcase_add_test(tc, buckets_then_listing);
    tcase_add_test(tc, into_a_folder_and_back);
    tcase_add_test(tc, pages_on_demand);
    tcase_add_test(tc, object_pane);
    tcase_add_test(tc, versions);
    tcase_add_test(tc, cannot_read_and_arns);
    tcase_add_test(tc, detail_keys_round_trip);
    tcase_add_test(tc, detail_keys_page_start);
    tcase_add_test(tc, shown_page_in_detail);
    tcase_add_test(tc, window_moves_on_and_back);
    tcase_add_test(tc, server_side_prefix);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
