/* expiry.c - the expiry view (6, `:expiry`): every countdown that can wake someone at night
 * on one timeline, soonest first (poll/expiries.h builds it from the store): the console's
 * own credentials, IAM console passwords, access keys against their rotation age, secrets'
 * next rotation, and the config's app passwords. Each row says what, whose, when (local
 * time or UTC, `:utc`), the time left ticking every second without a request, and its state
 * under the config's thresholds; the line under the list gives the selected row's time in
 * both local time and UTC, the next where that time comes from (a key's creation, a secret's
 * last rotation, the credential report's age) and why it is in that state. Enter on one of
 * the console's own credentials renews it now (the refresh-credentials action: the framework asks the
 * credential manager; the row shows "refreshing", then the new expiry or why it failed).
 * `y` copies a secret's ARN, `Y` its name (never its value: the console never reads one). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "act/action.h"
#include "poll/expiries.h"
#include "table.h"
#include "util/buf.h"
#include "util/fmt.h"
#include "util/xalloc.h"
#include "view.h"

enum { COL_WHAT, COL_WHOSE, COL_AT, COL_LEFT, COL_STATE, COL_NOTE, NCOLS };

/* At 80 columns: 15+13+12+14+8+13 and 5 gaps make 80. */
static const struct table_col expiry_cols[NCOLS] = {
    [COL_WHAT] = {.title = "WHAT", .width = 15},
    [COL_WHOSE] = {.title = "WHOSE", .width = 13, .flex = 2},
    [COL_AT] = {.title = "EXPIRES", .width = 12},
    [COL_LEFT] = {.title = "LEFT", .width = 14, .right = true, .sort_key = 'L'},
    [COL_STATE] = {.title = "STATE", .width = 8},
    [COL_NOTE] = {.title = "WHY", .width = 13, .flex = 3, .no_sort = true},
};

struct expiry_view_state {
    struct table *table;
    struct expiry_list list;
    bool built;
    uint64_t gen;
    char *filter;
    int64_t now_s;      /* the second the rows were built in: countdowns move on */
    bool utc;
};

static const enum theme_element state_style[] = {
    [EXPIRY_OK] = THEME_OK, [EXPIRY_WARN] = THEME_WARN, [EXPIRY_CRITICAL] = THEME_CRITICAL,
    [EXPIRY_EXPIRED] = THEME_CRITICAL, [EXPIRY_OVERDUE] = THEME_CRITICAL,
    [EXPIRY_UNKNOWN] = THEME_N_ELEMENTS,
};

/* "12-03 14:17" in local time, "12-03 13:17Z" in UTC; "-" when unknown or never. */
static void short_time(const struct view_ctx *ctx, const struct expiry_item *it, char *buf,
                       size_t n)
{
    time_t t = (time_t)it->at;
    struct tm tm;

    if (!it->known || it->at == EXPIRY_NEVER ||
        !(ctx->utc ? gmtime_r(&t, &tm) : localtime_r(&t, &tm))) {
        snprintf(buf, n, "-");
        return;
    }
    strftime(buf, n, ctx->utc ? "%m-%d %H:%MZ" : "%m-%d %H:%M", &tm);
}

static int sync(struct expiry_view_state *st, const struct view_ctx *ctx)
{
    const char *filter = ctx->filter ? ctx->filter : "";
    int64_t now_s = ctx->now_ms / 1000;

    if (st->built && store_generation(ctx->store) == st->gen && st->filter &&
        strcmp(st->filter, filter) == 0 && st->now_s == now_s && st->utc == ctx->utc)
        return 0;
    expiry_list_build(&st->list, ctx->store, ctx->cfg, now_s);
    table_begin(st->table);
    for (size_t i = 0; i < st->list.n; i++) {
        const struct expiry_item *it = &st->list.v[i];
        struct table_row *row = table_add(st->table, it->id);
        char at[32], left[48];

        short_time(ctx, it, at, sizeof(at));
        expiry_left_text(it, now_s, left, sizeof(left));
        table_cell_raw(row, COL_WHAT, it->what, NAN);
        table_cell(row, COL_WHOSE, it->whose, NAN);
        /* timeline order: past first, never after every time, unknown last */
        table_cell_raw(row, COL_AT, at, (double)i);
        table_cell_raw(row, COL_LEFT, left, (double)i);
        table_cell_raw(row, COL_STATE, expiry_state_name(it->state), (double)it->state);
        table_cell(row, COL_NOTE, it->note, NAN);
        if (state_style[it->state] != THEME_N_ELEMENTS) {
            table_cell_style(row, COL_LEFT, state_style[it->state]);
            table_cell_style(row, COL_STATE, state_style[it->state]);
        }
        if (it->state >= EXPIRY_CRITICAL && it->state != EXPIRY_UNKNOWN)
            table_row_style(row, THEME_CRITICAL);
    }
    table_end(st->table, filter);
    st->built = true;
    st->gen = store_generation(ctx->store);
    st->now_s = now_s;
    st->utc = ctx->utc;
    free(st->filter);
    st->filter = xstrdup(filter);
    return VIEW_REDRAW;
}

static void expiry_init(void *priv, struct view_ctx *ctx)
{
    struct expiry_view_state *st = priv;

    (void)ctx;
    st->table = table_new(expiry_cols, NCOLS);
    table_sort(st->table, COL_LEFT, false);
}

static void expiry_done(void *priv)
{
    struct expiry_view_state *st = priv;

    table_free(st->table);
    expiry_list_free(&st->list);
    free(st->filter);
    memset(st, 0, sizeof(*st));
}

static int expiry_update(void *priv, struct view_ctx *ctx)
{
    struct expiry_view_state *st = priv;

    if (!st->table)
        expiry_init(st, ctx);
    return sync(st, ctx);
}

static const struct expiry_item *selected(const struct expiry_view_state *st)
{
    const char *id = table_selected_key(st->table);

    for (size_t i = 0; id && i < st->list.n; i++)
        if (strcmp(st->list.v[i].id, id) == 0)
            return &st->list.v[i];
    return NULL;
}

/* The line under the list: the selected row's time in both local time and UTC. */
static void draw_when(const struct expiry_view_state *st, struct view_ctx *ctx, WINDOW *win, int y)
{
    const struct expiry_item *it = selected(st);
    struct view_ctx local = *ctx, utc = *ctx;
    char a[64], b[64], line[256];

    if (!it)
        return;
    if (strcmp(it->kind, "credential") == 0 && strncmp(it->note, "refresh", 7) == 0) {
        /* "refreshing", or why the last refresh failed (profile, call, fix): too long for
         * the WHY column, and what the person who pressed Enter is waiting for */
        snprintf(line, sizeof(line), "%s %s: %s", it->what, it->whose, it->note);
    } else if (!it->known || it->at == EXPIRY_NEVER) {
        snprintf(line, sizeof(line), "%s: %s", it->what, it->known ? "never expires"
                                                                   : "time not known");
    } else {
        local.utc = false;
        utc.utc = true;
        snprintf(line, sizeof(line), "%s at %s = %s", it->what,
                 view_time(&local, (double)it->at, a, sizeof(a)),
                 view_time(&utc, (double)it->at, b, sizeof(b)));
    }
    view_text(win, y, 0, getmaxx(win), line, view_attr(ctx, THEME_DIM));
}

/* "2026-11-01 (33d ago)": a past date in the view's zone and how long ago, one unit. */
static void date_ago(const struct view_ctx *ctx, int64_t t, int64_t now_s, struct buf *b)
{
    time_t tt = (time_t)t;
    struct tm tm;
    char day[16], ago[32];

    if (!(ctx->utc ? gmtime_r(&tt, &tm) : localtime_r(&tt, &tm)) ||
        !strftime(day, sizeof(day), "%Y-%m-%d", &tm))
        snprintf(day, sizeof(day), "?");
    buf_printf(b, "%s (%s ago)", day, fmt_age(ago, sizeof(ago), (now_s - t) * 1000));
}

/* The second line under the list: where the selected row's date comes from and how old
 * that is (an access key's creation, a secret's last rotation, the credential report's
 * age: AWS makes a new one at most every 4 hours), then its WHY in full, which the column
 * cuts at 80. */
static void draw_source(const struct expiry_view_state *st, struct view_ctx *ctx, WINDOW *win,
                        int y)
{
    const struct expiry_item *it = selected(st);
    char ago[32];
    struct buf b;

    if (!it)
        return;
    buf_init(&b);
    if (strcmp(it->kind, "access_key") == 0 && it->rotated >= 0) {
        buf_puts(&b, "created ");
        date_ago(ctx, it->rotated, st->now_s, &b);
    } else if (strcmp(it->kind, "secret_rotation") == 0) {
        if (it->rotated >= 0) {
            buf_puts(&b, "last rotated ");
            date_ago(ctx, it->rotated, st->now_s, &b);
        } else {
            buf_puts(&b, "no rotation recorded");
        }
    }
    if (it->report > 0)
        buf_printf(&b, "%sfrom the credential report of %s ago", b.len ? ", " : "",
                   fmt_age(ago, sizeof(ago), (st->now_s - it->report) * 1000));
    else if (it->report == 0)
        buf_printf(&b, "%sfrom a credential report of unknown age", b.len ? ", " : "");
    /* a credential's refresh note is on the line above already */
    if (*it->note && strcmp(it->kind, "credential") != 0)
        buf_printf(&b, "%s%s", b.len ? "; " : "", it->note);
    view_text(win, y, 0, getmaxx(win), buf_str(&b), view_attr(ctx, THEME_DIM));
    buf_done(&b);
}

static void expiry_draw(void *priv, struct view_ctx *ctx, WINDOW *win)
{
    struct expiry_view_state *st = priv;
    size_t bad = 0;
    const struct expiry_item *near;
    char title[256], left[48];
    int h = getmaxy(win);

    expiry_update(st, ctx);
    for (size_t i = 0; i < st->list.n; i++)
        bad += st->list.v[i].state != EXPIRY_OK && st->list.v[i].state != EXPIRY_UNKNOWN;
    near = expiry_list_nearest(&st->list);
    if (near)
        snprintf(title, sizeof(title), "Expiries  %zu need attention; next: %s %s, %s",
                 bad, near->what, near->whose, expiry_left_text(near, st->now_s, left,
                                                                sizeof(left)));
    else
        snprintf(title, sizeof(title), "Expiries  %zu need attention", bad);
    view_text(win, 0, 0, getmaxx(win), title, view_attr(ctx, THEME_TITLE));
    if (h > 3) {
        table_draw(st->table, ctx, win, 1, h - 3,
                   st->list.n ? "no match for the filter" : "nothing that expires");
        draw_when(st, ctx, win, h - 2);
        draw_source(st, ctx, win, h - 1);
    } else if (h > 2) {
        table_draw(st->table, ctx, win, 1, h - 2,
                   st->list.n ? "no match for the filter" : "nothing that expires");
        draw_when(st, ctx, win, h - 1);
    }
}

/* `y`: a secret's ARN; `Y`: its name. Never a value: the console never reads one. */
static int copy_secret(struct expiry_view_state *st, struct view_ctx *ctx, bool arn)
{
    const struct expiry_item *it = selected(st);

    if (!it || !it->arn)
        return VIEW_HANDLED;
    snprintf(ctx->copy, sizeof(ctx->copy), "%s", arn ? it->arn : it->whose);
    snprintf(ctx->copy_what, sizeof(ctx->copy_what), "%s of secret %.80s", arn ? "ARN" : "name",
             it->whose);
    return VIEW_HANDLED | VIEW_COPY;
}

static int expiry_key(void *priv, struct view_ctx *ctx, int key)
{
    struct expiry_view_state *st = priv;

    expiry_update(st, ctx);
    if (key == 'y' || key == 'Y')
        return copy_secret(st, ctx, key == 'y');
    if (key == 27 || key == 'q')
        return VIEW_UNHANDLED;
    return table_key(st->table, key);
}

static bool expiry_select(void *priv, struct view_ctx *ctx, const char *key)
{
    struct expiry_view_state *st = priv;

    expiry_update(st, ctx);
    return key && table_select(st->table, key);
}

static bool is_sso_row(const struct expiry_item *it)
{
    return strcmp(it->kind, "sso_token") == 0 || strcmp(it->kind, "sso_registration") == 0;
}

/* Enter on a credential row: what the refresh-credentials action renews; on an SSO token's
 * (or its registration's) row: whom the sso-sign-in action signs in. Both take the profile,
 * the row's store key. Other rows have nothing to renew from here. */
static bool expiry_target(void *priv, struct view_ctx *ctx, const char *action,
                          struct act_target *out)
{
    struct expiry_view_state *st = priv;
    const struct expiry_item *it;
    bool sso;

    expiry_update(st, ctx);
    it = selected(st);
    if (!it || !it->store_key)
        return false;
    sso = is_sso_row(it);
    if (strcmp(action, "sso-sign-in") == 0) {
        if (!sso)
            return false;
        out->kind = "sso_token";
        out->key = it->store_key;
        out->name = it->store_key;
        return true;
    }
    if (strcmp(it->kind, "credential") != 0)
        return false;
    out->kind = "credential";
    out->key = it->store_key;
    out->name = it->store_key;
    return true;
}

static const struct view_action expiry_actions[] = {
    {'\n', "sso-sign-in"},
    {'\r', "sso-sign-in"},
    {VIEW_KEY(KEY_ENTER), "sso-sign-in"},
    {'\n', "refresh-credentials"},
    {'\r', "refresh-credentials"},
    {VIEW_KEY(KEY_ENTER), "refresh-credentials"},
    {0, NULL},
};

static const struct view_keyhelp expiry_keys[] = {
    /* the footer shows each text up to its first ':' and must fit Enter at 80 columns */
    {"Enter", "refresh now: the console's credentials on the row; on an SSO token, sign in"},
    {"y/Y", "copy: a secret's ARN / name (never its value)"},
    {"j/k", "down / up"},
    {"L", "sort by time left (the timeline)"},
    {"s/S", "sort by next column / reverse"},
    {":utc", "times in UTC or local time (the line below shows both)"},
    {"Esc/q", "back"},
    {NULL, NULL},
};

const struct view expiry_view = {
    .name = "expiry",
    .title = "Expiries",
    .number = 6,
    .interval = APPCONFIG_VIEW_EXPIRY,
    .private_size = sizeof(struct expiry_view_state),
    .init = expiry_init,
    .done = expiry_done,
    .update = expiry_update,
    .draw = expiry_draw,
    .key = expiry_key,
    .select = expiry_select,
    .keys = expiry_keys,
    .actions = expiry_actions,
    .target = expiry_target,
};

/* ---- the overview's section ----------------------------------------------------------
 * The console's own credentials have their section (credentials.c); this one has the rest:
 * what comes due first, everything past a threshold, and what could not be read (said, so
 * an unread kind is never taken for an all-clear). */

static void overview_build(struct overview_lines *l, const struct view_ctx *ctx, char *none,
                           size_t nonelen)
{
    struct expiry_list list = {0};
    int64_t now_s = ctx->now_ms / 1000;
    bool first = true;

    expiry_list_build(&list, ctx->store, ctx->cfg, now_s);
    snprintf(none, nonelen, "nothing expires: no password, key, rotating secret or app "
             "password");
    for (size_t i = 0; i < list.n; i++) {
        const struct expiry_item *it = &list.v[i];
        bool nearest = first && it->known && it->at != EXPIRY_NEVER;
        char name[512], right[48];

        if (strcmp(it->kind, "credential") == 0)
            continue;
        if (it->known && it->at != EXPIRY_NEVER)
            first = false;
        if (!nearest && it->state == EXPIRY_OK)
            continue;
        snprintf(name, sizeof(name), "%s %s", it->what, it->whose);
        expiry_left_text(it, now_s, right, sizeof(right));
        overview_add(l, &(struct overview_item){
            .key = it->id, .name = name, .right = right,
            .style = state_style[it->state], .msg = it->state == EXPIRY_OK ? NULL : it->note,
            /* soonest first, as in the view */
            .order = -(double)i});
    }
    expiry_list_free(&list);
}

const struct overview_section expiry_overview = {
    .id = "expiry",
    .title = "Expiries",
    .legend = "LEFT",
    /* IAM is read first and most often denied: until it is, "not read yet" or "cannot
     * read: iam:..." stands for the section; kinds read later show as items saying so */
    .kind = "password",
    .jump = "expiry",
    .build = overview_build,
};
