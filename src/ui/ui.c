/* ui.c - the console (ui.h): start-up, the loop, views, keys and the headless script.
 *
 * One pass of the loop: the feed (the poller) starts what is due, pending keys and signals are
 * handled (they only change state and set dirty bits), the view updates from the store
 * and the screen is drawn once, then everything waits in loop_wait() (curl's poll on the
 * requests, the terminal and the signal pipe) for the next timer. Poll results arrive
 * inside that wait; the store's observer only marks the screen dirty. */
#include "config.h"
#include "ui/ui.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <term.h>
#include <time.h>
#include <unistd.h>

#include "act/download.h"
#include "conf/appconfig.h"
#include "core/client.h"
#include "ui/cmdline.h"
#include "creds/creds.h"
#include "util/fmt.h"
#include "ui/frame.h"
#include "look/glyph.h"
#include "ui/keys.h"
#include "ui/loop.h"
#include "creds/mfa_tty.h"
#include "creds/sso_signin.h"
#include "poll/error_rows.h"
#include "poll/feed.h"
#include "poll/poller.h"
#include "poll/sources/sources.h"
#include "util/sanitize.h"
#include "util/utf8.h"
#include "ui/script.h"
#include "poll/store.h"
#include "util/textwidth.h"
#include "look/theme.h"
#include "look/theme_curses.h"
#include "ui/ui_internal.h"
#include "view.h"
#include "util/xalloc.h"
#include "util/timeutil.h"

#ifndef OPSDECK_SRC_THEMEDIR
#define OPSDECK_SRC_THEMEDIR NULL
#endif

#define UI_MIN_COLS 40         /* below this the frame cannot say anything useful */
#define UI_MIN_ROWS 10

/* ---- terminal restore on every path ---------------------------------------------------- */

static volatile sig_atomic_t curses_active;

/* Safe enough in a crash handler (htop does the same): endwin() writes the reset sequences
 * and puts the tty modes back. */
static void restore_terminal(void)
{
    if (curses_active) {
        curses_active = 0;
        endwin();
    }
}

/* ---- clock ----------------------------------------------------------------------------- */

static int64_t fixed_clock(void *arg)
{
    return *(const int64_t *)arg;
}

/* The clock the store and the error log use: the test clock, else the wall clock. */
int64_t ui_now_ms(const struct ui *ui)
{
    struct timespec ts;

    if (ui->test_clock)
        return ui->test_now_ms;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- messages -------------------------------------------------------------------------- */

/* Messages carry names from AWS (a queue, a topic, an action's result) that most callers
 * sanitised already and some did not: any control character, C1 control or bidi override
 * left in msg is escaped here, before it can reach the status line. sanitize_text lengthens
 * a text only by doubling its backslashes unless it escapes something, so a text that comes
 * out longer than that is run through it whole (an already clean one is kept as it is, its
 * backslashes not doubled again). */
static void ui_message_clean(char *msg, size_t size)
{
    size_t len = strlen(msg), backslashes = 0;
    char *clean = sanitize_text(msg, len);

    for (size_t i = 0; i < len; i++)
        backslashes += msg[i] == '\\';
    if (strlen(clean) != len + backslashes) {
        snprintf(msg, size, "%s", clean);
        /* what the escapes lengthened may be cut in a character: drop its first bytes */
        len = strlen(msg);
        if (strlen(clean) > len) {
            size_t at = len;
            uint32_t cp;

            while (at > 0 && len - at < 4 && ((unsigned char)msg[at - 1] & 0xc0) == 0x80)
                at--;
            if (at > 0 && (unsigned char)msg[at - 1] >= 0xc0 &&
                utf8_decode(msg + at - 1, len - at + 1, &cp) == 0)
                msg[at - 1] = '\0';
        }
    }
    free(clean);
}

void ui_message(struct ui *ui, bool error, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(ui->message, sizeof(ui->message), fmt, ap);
    va_end(ap);
    ui_message_clean(ui->message, sizeof(ui->message));
    ui->message_error = error;
    ui->dirty = true;
    /* the status line may cut it; :errors keeps it whole */
    if (error)
        errlog_add(&ui->errlog, ui_now_ms(ui), "console", ui->message);
}

/* ---- views ----------------------------------------------------------------------------- */

static const struct view *view_at(const struct ui *ui, size_t vi)
{
    return view_registry[vi];
}

size_t ui_current(const struct ui *ui)
{
    return ui->stack[ui->depth - 1];
}

void ui_ctx(struct ui *ui, size_t vi, struct view_ctx *ctx)
{
    memset(ctx, 0, sizeof(*ctx));
    ctx->store = ui->store;
    ctx->cfg = ui->app;
    ctx->glyphs = ui->glyphs;
    ctx->styles = ui->styles;
    ctx->colour = ui->colour;
    ctx->now_ms = store_now(ui->store);
    ctx->filter = ui->filter[vi];
    ctx->profile = ui->cfg->profile;
    ctx->region = ui->cfg->region;
    ctx->utc = ui->utc;
    ctx->errlog = &ui->errlog;
}

static void view_ensure(struct ui *ui, size_t vi)
{
    const struct view *v = view_at(ui, vi);
    struct view_ctx ctx;

    if (ui->inited[vi])
        return;
    if (!ui->priv[vi])
        ui->priv[vi] = xcalloc(1, v->private_size ? v->private_size : 1);
    ui_ctx(ui, vi, &ctx);
    if (v->init)
        v->init(ui->priv[vi], &ctx);
    ui->inited[vi] = true;
}

static void view_done_all(struct ui *ui, bool reset)
{
    for (size_t i = 0; i < ui->nviews; i++) {
        const struct view *v = view_at(ui, i);

        if (!ui->inited[i])
            continue;
        if (v->done)
            v->done(ui->priv[i]);
        ui->inited[i] = false;
        if (reset)
            memset(ui->priv[i], 0, v->private_size ? v->private_size : 1);
    }
}

/* Rows a screen can show: more than any terminal has lines. */
#define UI_ON_SCREEN_MAX 512

/* The feed hears which rows the view just drew (none for a view without rows). */
static void feed_on_screen(struct ui *ui, const struct view *v, size_t vi)
{
    const char *keys[UI_ON_SCREEN_MAX];
    size_t n = v->on_screen ? v->on_screen(ui->priv[vi], keys, UI_ON_SCREEN_MAX) : 0;

    feed_set_on_screen(ui->feed, keys, n);
}

/* The feed follows the view on screen and its detail pane. */
static void feed_follow(struct ui *ui)
{
    size_t vi = ui_current(ui);
    const struct view *v = view_at(ui, vi);

    feed_set_view(ui->feed, v->interval);
    feed_set_detail(ui->feed, v->detail ? v->detail(ui->priv[vi]) : NULL);
}

void ui_open_view(struct ui *ui, size_t vi)
{
    if (ui_current(ui) == vi)
        return;
    view_ensure(ui, vi);
    /* A view already on the stack is gone back to, not pushed again: 1 2 3 2 then q must
     * not walk through every view visited (a key history is not a drill-down path). */
    for (size_t d = 0; d + 1 < ui->depth; d++) {
        if (ui->stack[d] == vi) {
            ui->depth = d + 1;
            feed_follow(ui);
            ui->dirty = true;
            return;
        }
    }
    if (ui->depth == UI_STACK_MAX) {
        /* the oldest step back is dropped, never the first view */
        memmove(ui->stack + 1, ui->stack + 2, (UI_STACK_MAX - 2) * sizeof(ui->stack[0]));
        ui->depth--;
    }
    ui->stack[ui->depth++] = vi;
    feed_follow(ui);
    ui->dirty = true;
}

static void go_back(struct ui *ui)
{
    if (ui->depth <= 1)
        return;
    ui->depth--;
    feed_follow(ui);
    ui->dirty = true;
}

size_t ui_view_index(const char *name)
{
    for (size_t i = 0; view_registry[i]; i++)
        if (strcmp(view_registry[i]->name, name) == 0)
            return i;
    return (size_t)-1;
}

/* Does what a hook's VIEW_* bits ask for. */
void ui_apply(struct ui *ui, size_t vi, int bits, struct view_ctx *ctx)
{
    if (bits & (VIEW_REDRAW | VIEW_HANDLED))
        ui->dirty = true;
    if (bits & VIEW_REFRESH)
        feed_refresh(ui->feed);
    if ((bits & VIEW_CLEAR_FILTER) && ui->filter[vi][0]) {
        ui->filter[vi][0] = '\0';
        ui->dirty = true;
    }
    if ((bits & VIEW_COPY) && (ctx->copy_ref ? ctx->copy_ref_len > 0 : ctx->copy[0] != '\0')) {
        /* the clipboard gets what the screen would show: no control character from AWS
         * reaches a shell it is pasted into */
        char *clean = ctx->copy_ref
                          ? sanitize_text(ctx->copy_ref, ctx->copy_ref_len < VIEW_COPY_LONG_MAX
                                                             ? ctx->copy_ref_len
                                                             : VIEW_COPY_LONG_MAX)
                          : sanitize_text(ctx->copy, strlen(ctx->copy));
        char *what = sanitize_text(ctx->copy_what, strlen(ctx->copy_what));

        ui_copy(ui, clean, what[0] ? what : "the selection");
        free(clean);
        free(what);
    }
    if ((bits & VIEW_MESSAGE) && ctx->message[0])
        ui_message(ui, false, "%s", ctx->message);
    if ((bits & VIEW_DETAIL) && vi == ui_current(ui)) {
        const struct view *v = view_at(ui, vi);
        feed_set_detail(ui->feed, v->detail ? v->detail(ui->priv[vi]) : NULL);
    }
    if (bits & VIEW_JUMP) {
        char key[VIEW_JUMP_KEY_MAX];
        size_t to = ui_view_index(ctx->jump_view);

        snprintf(key, sizeof(key), "%s", ctx->jump_key);
        if (to == (size_t)-1) {
            ui_message(ui, true, "no view named '%.*s'", 32, ctx->jump_view);
        } else {
            const struct view *tv = view_at(ui, to);
            struct view_ctx tctx;

            ui_open_view(ui, to);
            ui_ctx(ui, to, &tctx);
            if (tv->update)
                tv->update(ui->priv[to], &tctx);
            if (key[0] && tv->select)
                tv->select(ui->priv[to], &tctx, key);
            feed_follow(ui);
        }
    } else if (bits & VIEW_BACK) {
        go_back(ui);
    }
}

void ui_update_view(struct ui *ui)
{
    size_t vi = ui_current(ui);
    const struct view *v = view_at(ui, vi);
    struct view_ctx ctx;
    int bits;

    if (!v->update)
        return;
    ui_ctx(ui, vi, &ctx);
    bits = v->update(ui->priv[vi], &ctx);
    /* update runs before every draw: its REDRAW must not loop, the draw is coming */
    ui_apply(ui, vi, bits & ~(VIEW_REDRAW | VIEW_HANDLED), &ctx);
}

/* ---- the session: config, credentials, client, store, feed ----------------------------- */

static void on_store_event(const struct store_event *ev, void *arg)
{
    struct ui *ui = arg;

    ui->store_dirty = true;
    /* A failing call writes its "error" row's message: :errors keeps every such failure
     * whole, also after the call recovers and the row is cleared. */
    if (ev->type == STORE_EV_FIELD && ev->kind && strcmp(ev->kind, "error") == 0 &&
        ev->field && strcmp(ev->field, "message") == 0 && ev->value &&
        ev->value->type == STORE_STR && ev->value->u.s && ev->value->u.s[0])
        errlog_add(&ui->errlog, ev->time, ev->key, ev->value->u.s);
}

/* An MFA code for the credential manager (creds_mfa_fn). Before curses starts, the plain
 * terminal's prompt answers at once; while the console runs, the question waits for the
 * status line's prompt (ui_mfa_next) and the refresh that asked goes on when it is
 * answered: nothing waits for the person's typing but that refresh. */
static int ui_mfa_ask(void *ud, unsigned long id, const char *profile, const char *serial,
                      char *code, size_t len)
{
    struct ui *ui = ud;
    struct ui_mfa_question *q;
    char *sserial, *sprofile;

    if (!curses_active)
        return creds_mfa_tty_ask(NULL, id, profile, serial, code, len);
    if (ui->nmfa == UI_MFA_MAX)
        return -1;
    q = &ui->mfa[ui->nmfa++];
    q->id = id;
    /* serial and profile come from the config file: shown escaped, like AWS text */
    sserial = sanitize_text(serial, strlen(serial));
    sprofile = sanitize_text(profile, strlen(profile));
    snprintf(q->text, sizeof(q->text), "MFA code for %s (profile %s): ", sserial, sprofile);
    free(sserial);
    free(sprofile);
    ui->dirty = true;
    return 0;
}

/* Question id is void (its refresh stopped): forgotten, and its prompt closed. */
static void ui_mfa_withdraw(void *ud, unsigned long id)
{
    struct ui *ui = ud;

    for (size_t i = 0; i < ui->nmfa; i++) {
        if (ui->mfa[i].id != id)
            continue;
        if (i == 0 && ui->prompt == UI_PROMPT_MFA) {
            explicit_bzero(&ui->le, sizeof(ui->le));
            ui->prompt = UI_PROMPT_NONE;
        }
        memmove(&ui->mfa[i], &ui->mfa[i + 1], (ui->nmfa - i - 1) * sizeof(ui->mfa[0]));
        ui->nmfa--;
        ui->dirty = true;
        return;
    }
}

void ui_mfa_next(struct ui *ui)
{
    /* a dialog or help takes every key: the question waits until they close */
    if (!ui->nmfa || ui->prompt != UI_PROMPT_NONE || ui->popup_kind != UI_POPUP_NONE ||
        ui->dialog_on)
        return;
    ui->prompt = UI_PROMPT_MFA;
    lineedit_init(&ui->le, "");
    ui->message[0] = '\0';
    ui->dirty = true;
}

void ui_mfa_answer(struct ui *ui, const char *code)
{
    unsigned long id;

    if (!ui->nmfa)
        return;
    id = ui->mfa[0].id;
    memmove(&ui->mfa[0], &ui->mfa[1], (ui->nmfa - 1) * sizeof(ui->mfa[0]));
    ui->nmfa--;
    ui->prompt = UI_PROMPT_NONE;
    ui->dirty = true;
    /* may send AssumeRole now; its answer comes from the loop */
    creds_manager_mfa_answer(ui->cm, id, code);
}

static struct aws_config *config_for(struct ui *ui, const char *profile, const char *region,
                                     struct aws_error *err, char *why, size_t whylen)
{
    struct aws_config_opts co = {
        .profile = profile, .region = region, .endpoint_url = ui->g->endpoint_url,
        /* a profile named at run time came from the : prompt, not the command line */
        .profile_origin = profile && profile != ui->g->profile ? ":profile" : NULL};
    struct aws_config *cfg = aws_config_new(&co, err);

    if (!cfg) {
        aws_error_describe(err, profile ? profile : "default", why, whylen);
        return NULL;
    }
    /* opsdeck's own config may name a region for the profile when nothing explicit did */
    if (!region && !getenv("AWS_REGION") && !getenv("AWS_DEFAULT_REGION")) {
        struct appconfig_profile ap = appconfig_profile(ui->app, cfg->profile);
        if (ap.region) {
            char *p = xstrdup(cfg->profile);
            aws_config_free(cfg);
            co.profile = p;
            co.region = ap.region;
            cfg = aws_config_new(&co, err);
            free(p);
            if (!cfg) {
                aws_error_describe(err, profile ? profile : "default", why, whylen);
                return NULL;
            }
        }
    }
    if (!cfg->region) {
        snprintf(why, whylen,
                 "no region for profile '%s': pass --region, set AWS_REGION, or add "
                 "`region = ...` to the profile in %s",
                 cfg->profile, cfg->config_file);
        aws_config_free(cfg);
        return NULL;
    }
    return cfg;
}

static struct aws_client *client_new(struct ui *ui, const struct aws_config *cfg)
{
    struct aws_client_opts copts = {.max_in_flight = ui->app->max_in_flight};

    return aws_client_new(cfg, creds_manager_source(ui->cm), &copts);
}

/* The session around ui->client (made here when there is none yet). */
static void session_start(struct ui *ui)
{
    if (!ui->client)
        ui->client = client_new(ui, ui->cfg);
    ui->store = store_new();
    if (ui->test_clock)
        store_set_clock(ui->store, fixed_clock, &ui->test_now_ms);
    store_add_observer(ui->store, on_store_event, ui);
    {
        struct poller_opts po = {
            .client = ui->client, .store = ui->store, .app = ui->app, .creds = ui->cm,
            .profile = ui->cfg->profile,   /* error lines name the profile */
            .sources = source_registry,
        };

        ui->feed = poller_feed(poller_new(&po));
    }
    ui_act_session_start(ui);
}

static void session_stop(struct ui *ui)
{
    ui_act_session_end(ui);
    /* the client first: it cancels what is in flight without calling back */
    aws_client_free(ui->client);
    ui_act_session_free(ui);
    feed_free(ui->feed);
    store_free(ui->store);
    expiry_alert_done(&ui->expiry_alert);
    ui->client = NULL;
    ui->feed = NULL;
    ui->store = NULL;
}

/* :profile / :region. A failure keeps the running session and says why. */
/* Credentials that fail at once because the profile's SSO token is missing or expired:
 * the console starts (or switches) anyway and offers the sign-in (ui_signin.c). */
static bool sso_sign_in_helps(const struct aws_config *cfg)
{
    enum sso_token_need need = sso_signin_needed(cfg, cfg->profile, time(NULL));

    return need == SSO_TOKEN_MISSING || need == SSO_TOKEN_EXPIRED;
}

void ui_switch(struct ui *ui, const char *profile, const char *region)
{
    char why[1200];
    struct aws_error err;
    struct aws_config *ncfg, *old = ui->cfg;
    struct aws_client *nclient;
    const struct aws_credentials *cr;

    if (!ui_act_can_switch(ui))
        return;
    aws_error_clear(&err);
    ncfg = config_for(ui, profile, region, &err, why, sizeof(why));
    if (!ncfg) {
        /* the cause and its fix first: they are what a narrow status line must keep */
        ui_message(ui, true, "%s (still on profile %s)", why, old->profile);
        return;
    }
    creds_manager_switch(ui->cm, ncfg);
    /* the new session's client first: a refresh the new profile needs (STS, a
     * credential_process) starts on it and goes on in the background; only what fails at
     * once (no such provider, a broken setting) keeps the old session */
    nclient = client_new(ui, ncfg);
    if (creds_manager_get(ui->cm, nclient, NULL, &cr, &err) == CREDS_ERROR &&
        !sso_sign_in_helps(ncfg)) {
        aws_error_describe(&err, ncfg->profile, why, sizeof(why));
        aws_client_free(nclient);
        creds_manager_switch(ui->cm, old);
        aws_config_free(ncfg);
        /* the cause and its fix first: they are what a narrow status line must keep */
        ui_message(ui, true, "%s (still on profile %s)", why, old->profile);
        return;
    }
    /* a new account must never show the old one's rows: everything cached goes */
    session_stop(ui);
    ui->client = nclient;
    ui->cfg = ncfg;
    aws_config_free(old);
    session_start(ui);
    view_done_all(ui, true);
    for (size_t d = 0; d < ui->depth; d++)
        view_ensure(ui, ui->stack[d]);
    feed_follow(ui);
    ui_message(ui, false, "profile %s, region %s", ui->cfg->profile, ui->cfg->region);
    ui->dirty = true;
}

/* ---- theme ----------------------------------------------------------------------------- */

/* Loads theme name (NULL: the built-in monochrome one) and applies it. */
int ui_theme_load(struct ui *ui, const char *name, bool report_missing)
{
    struct theme t;
    char *path = NULL;

    if (name && ui->colour) {
        path = theme_find(name, OPSDECK_THEMEDIR);
        if (!path && OPSDECK_SRC_THEMEDIR)
            path = theme_find(name, OPSDECK_SRC_THEMEDIR);
        if (!path) {
            if (report_missing)
                ui_message(ui, true, "theme '%s' not found (themes: %s, %s)", name,
                           OPSDECK_THEMEDIR, "~/.config/opsdeck/themes");
            return -1;
        }
    }
    if (!path) {
        theme_init_builtin_mono(&t);
    } else {
        theme_init(&t);
        if (theme_load_file(&t, path) < 0) {
            ui_message(ui, true, "%s", t.n_issues ? t.issues[0].text : path);
            theme_done(&t);
            free(path);
            return -1;
        }
        if (t.n_issues)
            ui_message(ui, true, "%s%s", t.issues[0].text,
                       t.n_issues > 1 ? " (and more: see the theme file)" : "");
    }
    free(path);
    theme_done(&ui->theme);
    ui->theme = t;
    theme_resolve(&ui->theme, curses_active && ui->colour ? COLORS : 0, ui->styles);
    if (curses_active && ui->colour)
        theme_curses_apply(ui->styles);
    ui->dirty = true;
    ui->relayout = true;
    return 0;
}

/* ---- drawing --------------------------------------------------------------------------- */

attr_t ui_attr(const struct ui *ui, enum theme_element e)
{
    return theme_curses_attr(ui->styles, e, ui->colour);
}

static void delwins(struct ui *ui)
{
    WINDOW **w[] = {&ui->whead, &ui->wview, &ui->wfoot, &ui->wstatus};

    for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
        if (*w[i])
            delwin(*w[i]);
        *w[i] = NULL;
    }
}

static void layout(struct ui *ui)
{
    delwins(ui);
    /* stdscr is only the input window (and the too-small notice): refreshed once here so
     * that wget_wch() on it never repaints it over the frame */
    werase(stdscr);
    wnoutrefresh(stdscr);
    ui->too_small = COLS < UI_MIN_COLS || LINES < UI_MIN_ROWS;
    if (!ui->too_small) {
        ui->whead = newwin(1, COLS, 0, 0);
        ui->wview = newwin(LINES - 3, COLS, 1, 0);
        ui->wfoot = newwin(1, COLS, LINES - 2, 0);
        ui->wstatus = newwin(1, COLS, LINES - 1, 0);
        if (!ui->whead || !ui->wview || !ui->wfoot || !ui->wstatus) {
            delwins(ui);
            ui->too_small = true;
        }
    }
    clearok(curscr, TRUE);
    ui->relayout = false;
}

static char *store_text(const struct store *s, const char *kind, const char *key,
                        const char *field)
{
    const struct store_res *r = store_find(s, kind, key);
    const char *v = r ? store_res_str(r, field) : NULL;

    return v ? sanitize_text(v, strlen(v)) : NULL;
}

/* The header's countdown: the nearest expiry of all (poll/expiries.h), named when it is not
 * the console's own credentials ("key alice 2d00h"), else the credentials' ("creds no
 * expiry"); NULL (shown as "?") until the credential manager's report was first read. Also
 * rings the bell (or flashes) once when an expiry crosses its warn or critical threshold:
 * the header is drawn every second, so a crossing is heard within one. *what is freed by
 * the caller. */
static const char *header_countdown(struct ui *ui, char *buf, size_t n, char **what)
{
    static const char *const shorts[][2] = {
        {"password", "pw"}, {"access_key", "key"}, {"secret_rotation", "secret"},
        {"app_password", "app"},
    };
    struct store_kind_info info;
    struct expiry_list l = {0};
    const struct expiry_item *near;
    int64_t now_s = store_now(ui->store) / 1000;

    *what = NULL;
    expiry_list_build(&l, ui->store, ui->app, now_s);
    if (expiry_alert_update(&ui->expiry_alert, &l) && ui->colour &&
        ui->app->alert != APPCONFIG_ALERT_OFF) {
        if (ui->app->alert == APPCONFIG_ALERT_FLASH)
            flash();
        else
            beep();
    }
    near = expiry_list_nearest(&l);
    if (near && strcmp(near->kind, "credential") != 0) {
        char *clean = sanitize_text(near->whose, strlen(near->whose));
        char *cut = textwidth_truncate(clean, 14, ui->glyphs->g[GLYPH_ELLIPSIS]);

        for (size_t i = 0; i < sizeof(shorts) / sizeof(shorts[0]); i++)
            if (strcmp(near->kind, shorts[i][0]) == 0)
                *what = xasprintf("%s %s", shorts[i][1], cut);
        free(clean);
        free(cut);
        expiry_left_text(near, now_s, buf, n);
        expiry_list_free(&l);
        return buf;
    }
    expiry_list_free(&l);
    store_kind_info(ui->store, "credential", &info);
    if (!info.updated)
        return NULL;
    return fmt_countdown(buf, n, credentials_nearest(ui->store, now_s, NULL));
}

void ui_header_line(struct ui *ui, int cols, struct frame_header_line *line)
{
    struct frame_header h = {0};
    char countdown[64], *countdown_what = NULL;
    char *account = store_text(ui->store, "identity", "caller", "account");
    char *arn = store_text(ui->store, "identity", "caller", "arn");
    char *ident = frame_identity_from_arn(arn);
    bool waiting;

    h.production = appconfig_is_production(ui->app, ui->cfg->profile);
    h.account = account;
    h.identity = ident;
    h.profile = ui->cfg->profile;
    h.region = ui->cfg->region;
    /* from the "credential" rows, as the overview and the expiry view read them */
    h.refreshing = credentials_refreshing(ui->store, &waiting);
    /* while the active profile has none, a source profile's expiry would mislead */
    h.countdown = waiting ? NULL : header_countdown(ui, countdown, sizeof(countdown),
                                                    &countdown_what);
    h.countdown_what = countdown_what;

    /* every write is refused in this session: say so before anyone tries one */
    h.read_only = ui_act_read_only(ui);
    frame_header_layout(line, &h, cols, ui->glyphs->g[GLYPH_ELLIPSIS]);
    free(account);
    free(arn);
    free(ident);
    free(countdown_what);
}

static void draw_header(struct ui *ui)
{
    struct frame_header_line line;
    int banner = 0;

    ui_header_line(ui, COLS, &line);
    werase(ui->whead);
    if (line.prod) {
        wattrset(ui->whead, ui_attr(ui, THEME_PROD_BANNER) | A_BOLD);
        mvwaddstr(ui->whead, 0, 0, line.prod);
        banner = textwidth(line.prod);
    }
    if (line.ro) {
        wattrset(ui->whead, ui_attr(ui, THEME_WARN) | A_REVERSE | A_BOLD);
        mvwaddstr(ui->whead, 0, banner, line.ro);
        banner += textwidth(line.ro);
    }
    if (banner < COLS) {
        WINDOW *rest = derwin(ui->whead, 1, COLS - banner, 0, banner);
        if (rest) {
            frame_draw_line(rest, line.text, ui_attr(ui, THEME_HEADER));
            delwin(rest);
        }
    }
    wnoutrefresh(ui->whead);
    frame_header_done(&line);
}

static void draw_footer(struct ui *ui)
{
    size_t vi = ui_current(ui);
    const struct view *v = view_at(ui, vi);
    char *text, *filter = NULL;

    /* a view whose title does not show its filter: the footer does, first */
    if (!v->filter_in_title && ui->filter[vi][0])
        filter = sanitize_text(ui->filter[vi], strlen(ui->filter[vi]));
    /* while the prompt holds the status line, Tab's matches show just above it */
    if (ui->prompt != UI_PROMPT_NONE && ui->message[0])
        text = textwidth_truncate(ui->message, COLS, ui->glyphs->g[GLYPH_ELLIPSIS]);
    else
        text = frame_footer_text(v->keys, filter, COLS, ui->glyphs->g[GLYPH_ELLIPSIS]);
    free(filter);

    werase(ui->wfoot);
    frame_draw_line(ui->wfoot, text, ui_attr(ui, THEME_FOOTER));
    wnoutrefresh(ui->wfoot);
    free(text);
}

/* The kind whose age and staleness the status line reports for a view. */
static const char *view_kind(const struct view *v)
{
    return v->interval == APPCONFIG_VIEW_DLQ ? "dlq" : "queue";
}

/* The latest live error among the "error" rows, sanitised, or NULL; its row's key in key
 * (when not NULL). */
static char *latest_error(const struct ui *ui, char *key, size_t keylen)
{
    size_t n = store_count(ui->store, "error");
    const char *best = NULL, *best_key = NULL;
    int64_t best_t = -1;

    for (size_t i = 0; i < n; i++) {
        const struct store_res *r = store_at(ui->store, "error", i);
        const char *m = store_res_str(r, "message");
        int64_t count = 0;

        if (!m || !*m || !store_res_int(r, "count", &count) || count <= 0)
            continue;
        if (store_res_fetched(r) > best_t) {
            best_t = store_res_fetched(r);
            best = m;
            best_key = store_res_key(r);
        }
    }
    if (key && keylen)
        snprintf(key, keylen, "%s", best_key ? best_key : "");
    return best ? sanitize_text(best, strlen(best)) : NULL;
}

bool ui_status_error_key(struct ui *ui, char *key, size_t n)
{
    const struct view *v = view_at(ui, ui_current(ui));
    struct store_kind_info info;
    bool waiting;
    char *e;

    if (ui->message[0]) {
        snprintf(key, n, "console");
        return ui->message_error;
    }
    if (credentials_refreshing(ui->store, &waiting) && waiting)
        return false;
    store_kind_info(ui->store, view_kind(v), &info);
    if (info.stale && info.error) {
        if (!info.error->service[0] || !info.error->action[0])
            return false;
        error_rows_key(info.error->service, info.error->action, key, n);
        return true;
    }
    e = latest_error(ui, key, n);
    free(e);
    return e != NULL;
}

void ui_status_text(struct ui *ui, char *out, size_t n, enum theme_element *style)
{
    const struct view *v = view_at(ui, ui_current(ui));
    struct store_kind_info info;
    int64_t now = store_now(ui->store);
    char age[32], *e;
    bool waiting;

    *style = THEME_STATUS;
    if (ui->message[0]) {
        snprintf(out, n, "%s", ui->message);
        *style = ui->message_error ? THEME_ERROR : THEME_STATUS;
        return;
    }
    store_kind_info(ui->store, view_kind(v), &info);
    if (credentials_refreshing(ui->store, &waiting) && waiting) {
        char *p = sanitize_text(ui->cfg->profile, strlen(ui->cfg->profile));

        /* nothing new can come until the refresh ends: what is shown is getting old */
        if (info.fetched)
            snprintf(out, n, "stale %s: waiting for the credentials of profile %s (refreshing)",
                     fmt_age(age, sizeof(age), now - info.fetched), p);
        else
            snprintf(out, n, "no data yet: waiting for the credentials of profile %s "
                     "(refreshing)", p);
        free(p);
        *style = THEME_STALE;
        return;
    }
    if (info.stale && info.error) {
        char line[1024], *clean;

        aws_error_describe(info.error, ui->cfg->profile, line, sizeof(line));
        clean = sanitize_text(line, strlen(line));
        if (info.fetched)
            snprintf(out, n, "stale %s: %s", fmt_age(age, sizeof(age), now - info.fetched),
                     clean);
        else
            snprintf(out, n, "no data: %s", clean);
        free(clean);
        /* old values are still on screen: the stale style says so, not the error one */
        *style = info.fetched ? THEME_STALE : THEME_ERROR;
        return;
    }
    e = latest_error(ui, NULL, 0);
    if (e) {
        snprintf(out, n, "%s", e);
        free(e);
        *style = THEME_ERROR;
        return;
    }
    if (info.fetched)
        snprintf(out, n, "updated %s ago", fmt_age(age, sizeof(age), now - info.fetched));
    else
        snprintf(out, n, "loading%s", ui->glyphs->g[GLYPH_ELLIPSIS]);
}

static void draw_status(struct ui *ui)
{
    char text[1400];
    enum theme_element style;
    char *fit;
    int cursor = -1;

    werase(ui->wstatus);
    if (ui->prompt != UI_PROMPT_NONE) {
        const char *lead = ui->prompt == UI_PROMPT_CMD ? ":" : "/";
        char *clean = sanitize_text(ui->le.buf, ui->le.len);
        int cc = lineedit_cursor_col(&ui->le) + 1;

        if (ui->prompt == UI_PROMPT_MFA && ui->nmfa) {
            /* the code is not echoed: a star per character typed */
            size_t nstars = ui->le.len < 64 ? ui->le.len : 64;
            char stars[65];

            memset(stars, '*', nstars);
            stars[nstars] = '\0';
            lead = ui->mfa[0].text;
            cc = textwidth(lead) + lineedit_cursor_col(&ui->le);
            explicit_bzero(clean, strlen(clean));
            snprintf(text, sizeof(text), "%s%s", lead, stars);
        } else {
            snprintf(text, sizeof(text), "%s%s", lead, clean);
        }
        free(clean);
        /* a long line scrolls so the cursor stays visible */
        const char *shown = text;
        while (cc >= COLS - 1 && *shown) {
            int w = textwidth((char[]){*shown, 0});
            shown++;
            cc -= w > 0 ? w : 1;
            while ((*shown & 0xc0) == 0x80)
                shown++;
        }
        fit = textwidth_truncate(shown, COLS, ui->glyphs->g[GLYPH_ELLIPSIS]);
        frame_draw_line(ui->wstatus, fit, ui_attr(ui, THEME_STATUS));
        free(fit);
        cursor = cc;
    } else {
        static const char more[] = " (:errors)";

        ui_status_text(ui, text, sizeof(text), &style);
        /* an error cut to the width says where the whole of it is */
        if ((style == THEME_ERROR || style == THEME_STALE) && textwidth(text) > COLS &&
            COLS > 2 * (int)sizeof(more)) {
            char *cut = textwidth_truncate(text, COLS - (int)strlen(more),
                                           ui->glyphs->g[GLYPH_ELLIPSIS]);

            fit = xasprintf("%s%s", cut, more);
            free(cut);
        } else {
            fit = textwidth_truncate(text, COLS, ui->glyphs->g[GLYPH_ELLIPSIS]);
        }
        frame_draw_line(ui->wstatus, fit, ui_attr(ui, style));
        free(fit);
    }
    if (cursor >= 0) {
        wmove(ui->wstatus, 0, cursor < COLS ? cursor : COLS - 1);
        curs_set(1);
    } else {
        curs_set(0);
    }
    wnoutrefresh(ui->wstatus);
}

void ui_render(struct ui *ui)
{
    if (ui->relayout)
        layout(ui);
    if (ui->too_small) {
        werase(stdscr);
        if (COLS >= 33) {
            mvwaddnstr(stdscr, LINES / 2, 0, "terminal too small (80x24 needed)", COLS);
        } else {
            mvwaddnstr(stdscr, LINES / 2, 0, "terminal too small", COLS);
            mvwaddnstr(stdscr, LINES / 2 + 1, 0, "(80x24 needed)", COLS);
        }
        curs_set(0);
        wnoutrefresh(stdscr);
        doupdate();
        ui->dirty = ui->store_dirty = false;
        ui->last_render = timeutil_mono_ms();
        return;
    }
    ui_update_view(ui);
    {
        size_t vi = ui_current(ui);
        const struct view *v = view_at(ui, vi);
        struct view_ctx ctx;

        draw_header(ui);
        werase(ui->wview);
        ui_ctx(ui, vi, &ctx);
        if (v->draw)
            v->draw(ui->priv[vi], &ctx, ui->wview);
        feed_on_screen(ui, v, vi);
        wnoutrefresh(ui->wview);
        draw_footer(ui);
        if (ui->popup_kind != UI_POPUP_NONE)
            popup_draw(&ui->popup, ui->glyphs, COLS, LINES - 1, ui_attr(ui, THEME_HELP),
                       ui_attr(ui, THEME_HELP) | A_BOLD, ui_attr(ui, THEME_HELP) | A_BOLD);
        /* the status line last: the terminal's cursor is where it leaves it */
        draw_status(ui);
        /* ... unless a dialog is open: it is over everything, and holds the cursor */
        ui_act_draw(ui);
    }
    doupdate();
    ui_clip_flush(ui);
    ui->dirty = ui->store_dirty = false;
    ui->last_render = timeutil_mono_ms();
}

/* ---- start and stop -------------------------------------------------------------------- */

static int curses_start(struct ui *ui)
{
    if (ui->headless) {
        const char *term = getenv("TERM");
        const char *c = getenv("COLUMNS"), *l = getenv("LINES");
        int cols = c ? atoi(c) : 0, rows = l ? atoi(l) : 0;

        ui->out = fopen("/dev/null", "w");
        ui->in = fopen("/dev/null", "r");
        if (!ui->out || !ui->in) {
            fprintf(stderr, "opsdeck: /dev/null: %s\n", strerror(errno));
            return -1;
        }
        ui->screen = newterm(term && *term ? term : "xterm-256color", ui->out, ui->in);
        if (!ui->screen)
            ui->screen = newterm("xterm-256color", ui->out, ui->in);
        if (!ui->screen) {
            fputs("opsdeck: cannot start curses for the script (TERM xterm-256color)\n",
                  stderr);
            return -1;
        }
        set_term(ui->screen);
        curses_active = 1;
        resizeterm(rows > 0 ? rows : 24, cols > 0 ? cols : 80);
    } else {
        if (!initscr()) {
            fputs("opsdeck: cannot start curses on this terminal (check TERM)\n", stderr);
            return -1;
        }
        curses_active = 1;
    }
    cbreak();
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25);   /* Esc answers at once, not after a second */
    curs_set(0);
    if (has_colors()) {
        start_color();
        use_default_colors();
    }
    return 0;
}

static void curses_stop(struct ui *ui)
{
    delwins(ui);
    restore_terminal();
    if (ui->screen) {
        delscreen(ui->screen);
        ui->screen = NULL;
    }
    if (ui->out)
        fclose(ui->out);
    if (ui->in)
        fclose(ui->in);
    ui->out = ui->in = NULL;
}

/* Starts the session: appconfig, AWS config, credentials (before curses, so an MFA prompt
 * happens on the plain terminal). 0, or the exit status after one line on stderr. */
static int startup(struct ui *ui)
{
    char why[1200];
    struct aws_error err;
    const struct aws_credentials *cr;

    ui->app = appconfig_load(NULL);
    aws_error_clear(&err);
    ui->cfg = config_for(ui, ui->g->profile, ui->g->region, &err, why, sizeof(why));
    if (!ui->cfg) {
        fprintf(stderr, "opsdeck: %s\n", why);
        return 1;
    }
    ui->cm = creds_manager_new(ui->cfg);
    creds_manager_set_mfa(ui->cm, ui_mfa_ask, ui_mfa_withdraw, ui, ui->g->mfa_code);
    /* what fails at once is said on the plain terminal; a refresh that needs the network
     * or a child process carries on on the console's loop ("refreshing credentials") */
    ui->client = client_new(ui, ui->cfg);
    if (creds_manager_get(ui->cm, ui->client, NULL, &cr, &err) == CREDS_ERROR &&
        !sso_sign_in_helps(ui->cfg)) {
        aws_error_describe(&err, ui->cfg->profile, why, sizeof(why));
        fprintf(stderr, "opsdeck: %s\n", why);
        return 1;
    }
    return 0;
}

static void teardown(struct ui *ui)
{
    if (ui->nviews) {
        view_done_all(ui, false);
        for (size_t i = 0; i < ui->nviews; i++)
            free(ui->priv[i]);
    }
    free(ui->priv);
    free(ui->inited);
    free(ui->filter);
    ui_popup_close(ui);
    free(ui->clip);
    errlog_done(&ui->errlog);
    curses_stop(ui);
    if (ui->client)
        session_stop(ui);
    creds_manager_free(ui->cm);
    aws_config_free(ui->cfg);
    appconfig_free(ui->app);
    theme_done(&ui->theme);
    script_done(&ui->script);
    if (ui->loop) {
        loop_free(ui->loop);         /* first: it puts back the crash handlers it replaced */
        loop_set_crash_hook(NULL);
    }
    xalloc_set_fatal_hook(NULL);
}

/* The console draws by moving the cursor: a terminal type that cannot (TERM=dumb, emacs'
 * shell buffer, a hard-copy or generic type) or that this machine has no description of
 * would give one unusable line, or make initscr() exit with its own message. Refused like
 * the no-terminal case, pointing at the command that works everywhere. */
static int terminal_usable(void)
{
    const char *term = getenv("TERM");
    char *shown = sanitize_text(term ? term : "", term ? strlen(term) : 0);
    int err = 0, ok = 0;
    const char *why = "has no description on this machine (terminfo)";

    if (term && *term && setupterm(term, STDOUT_FILENO, &err) == OK) {
        const char *cup = tigetstr("cup");
        int hc = tigetflag("hc"), gn = tigetflag("gn");

        ok = cup && cup != (char *)-1 && hc <= 0 && gn <= 0;
        why = "cannot move the cursor";
        del_curterm(cur_term);
        cur_term = NULL;
    } else if (!term || !*term) {
        why = "is not set";
    }
    if (!ok)
        fprintf(stderr, "opsdeck: the terminal type (TERM=%s) %s, which the console needs; "
                        "use `opsdeck snapshot` (or `snapshot --json`) instead, or set TERM to "
                        "your terminal's type (xterm-256color, screen, tmux-256color)\n",
                shown, why);
    free(shown);
    return ok;
}

static void first_message(struct ui *ui)
{
    if (ui->app->nerrors)
        ui_message(ui, true, "%s%s", ui->app->errors[0],
                   ui->app->nerrors > 1 ? " (more: opsdeck config check)" : "");
}

int ui_run(const struct global_opts *g, const struct ui_opts *o)
{
    struct ui ui;
    const char *script = getenv("OPSDECK_SCRIPT");
    const char *first = o && o->view ? o->view : "overview";
    size_t vfirst;
    int rc;

    memset(&ui, 0, sizeof(ui));
    errlog_init(&ui.errlog);
    ui.g = g;
    ui.rc = 0;
    setlocale(LC_ALL, "");
    theme_init(&ui.theme);

    vfirst = ui_view_index(first);
    if (vfirst == (size_t)-1) {
        fprintf(stderr, "opsdeck: no view named '%s' (views:", first);
        for (size_t i = 0; view_registry[i]; i++)
            fprintf(stderr, " %s", view_registry[i]->name);
        fputs(")\n", stderr);
        theme_done(&ui.theme);
        return 2;
    }
    if (script && *script) {
        char why[1024];

        ui.headless = true;
        if (script_load(&ui.script, script, why, sizeof(why)) < 0) {
            fprintf(stderr, "opsdeck: %s\n", why);
            theme_done(&ui.theme);
            return 2;
        }
        const char *now = getenv("OPSDECK_TEST_NOW");
        if (now && *now) {
            char *end;
            long long v = strtoll(now, &end, 10);
            if (*end || v < 0) {
                fprintf(stderr, "opsdeck: OPSDECK_TEST_NOW must be seconds since the epoch, "
                                "got '%s'\n", now);
                script_done(&ui.script);
                theme_done(&ui.theme);
                return 2;
            }
            ui.test_clock = true;
            ui.test_now_ms = (int64_t)v * 1000;
        }
        const char *step = getenv("OPSDECK_TEST_CHECK_STEP");
        if (step && *step) {
            char *end;
            long long v = strtoll(step, &end, 10);
            if (*end || v <= 0) {
                fprintf(stderr, "opsdeck: OPSDECK_TEST_CHECK_STEP must be a number of bytes, "
                                "got '%s'\n", step);
                script_done(&ui.script);
                theme_done(&ui.theme);
                return 2;
            }
            download_set_check_step((size_t)v);
        }
    } else if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fputs("opsdeck: the console needs a terminal; for scripts use "
              "`opsdeck snapshot --json`\n", stderr);
        theme_done(&ui.theme);
        return 1;
    } else if (!terminal_usable()) {
        theme_done(&ui.theme);
        return 1;
    }

    rc = startup(&ui);
    if (rc) {
        teardown(&ui);
        return rc;
    }
    ui.glyphs = glyphs_select((o && o->ascii) || ui.app->ascii);
    /* untrusted text follows the glyphs: no UTF-8 on a terminal that cannot show it */
    sanitize_set_utf8(ui.glyphs->utf8);
    session_start(&ui);

    ui.loop = loop_new();
    if (!ui.loop) {
        fprintf(stderr, "opsdeck: cannot make the signal pipe: %s\n", strerror(errno));
        teardown(&ui);
        return 1;
    }
    xalloc_set_fatal_hook(restore_terminal);
    loop_set_crash_hook(restore_terminal);
    atexit(restore_terminal);
    if (curses_start(&ui) < 0) {
        teardown(&ui);
        return 1;
    }
    /* after curses: ours replace the handlers ncurses installs for these */
    loop_catch(ui.loop, SIGINT);
    loop_catch(ui.loop, SIGTERM);
    loop_catch(ui.loop, SIGHUP);
    loop_catch(ui.loop, SIGWINCH);
    loop_catch(ui.loop, SIGCONT);

    ui.colour = theme_use_colour(getenv("NO_COLOR"), (o && o->no_color) || ui.app->no_color,
                                 has_colors(), COLORS);
    {
        const char *tname = o && o->theme ? o->theme
                                          : appconfig_profile(ui.app, ui.cfg->profile).theme;
        if (!tname || !*tname)
            tname = ui.app->theme;
        if (ui_theme_load(&ui, ui.colour ? tname : NULL, true) < 0)
            ui_theme_load(&ui, NULL, false);
    }
    first_message(&ui);

    for (ui.nviews = 0; view_registry[ui.nviews]; ui.nviews++)
        ;
    ui.priv = xcalloc(ui.nviews, sizeof(*ui.priv));
    ui.inited = xcalloc(ui.nviews, sizeof(*ui.inited));
    ui.filter = xcalloc(ui.nviews, sizeof(*ui.filter));
    view_ensure(&ui, vfirst);
    ui.stack[0] = vfirst;
    ui.depth = 1;
    feed_follow(&ui);
    ui.relayout = true;
    ui.dirty = true;

    ui_loop(&ui);

    rc = ui.rc;
    teardown(&ui);
    if (ui.exit_message[0])
        fprintf(stderr, "opsdeck: %s\n", ui.exit_message);
    return rc;
}
