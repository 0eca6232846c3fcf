/* ui_loop.c - the console's loop, its keys and `:` commands, and the headless script
 * (ui.h). Keys and signals change state and set dirty bits; ui_render draws once. */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wchar.h>

#include "conf/awsconfig.h"
#include "core/client.h"
#include "creds/creds.h"
#include "ui/keys.h"
#include "ui/loop.h"
#include "poll/feed.h"
#include "util/sanitize.h"
#include "look/theme.h"
#include "ui/ui_internal.h"
#include "util/xalloc.h"
#include "util/timeutil.h"
#include "util/utf8.h"

#ifndef OPSDECK_SRC_THEMEDIR
#define OPSDECK_SRC_THEMEDIR NULL
#endif

#define UI_KEYS_PER_WAKE 256
#define UI_TICK_MS 1000

/* ---- `:` commands ---------------------------------------------------------------------- */

static const char *const *view_names(void)
{
    static const char *names[64];

    if (!names[0]) {
        size_t n = 0;
        for (; view_registry[n] && n < 63; n++)
            names[n] = view_registry[n]->name;
        names[n] = NULL;
    }
    return names;
}

/* Candidates for one completion, freed right after it. */
static char **cand;
static size_t ncand;

static void candidates_free(void)
{
    for (size_t i = 0; i < ncand; i++)
        free(cand[i]);
    free(cand);
    cand = NULL;
    ncand = 0;
}

static void candidates_add(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        bool dup = false;

        for (size_t j = 0; j < ncand && !dup; j++)
            dup = strcmp(cand[j], names[i]) == 0;
        if (dup) {
            free(names[i]);
            continue;
        }
        cand = xrealloc(cand, (ncand + 2) * sizeof(*cand));
        cand[ncand++] = names[i];
        cand[ncand] = NULL;
    }
    free(names);
}

static const char *const *candidates(enum cmdline_arg kind, void *ud)
{
    static const char *const none[] = {NULL};
    struct ui *ui = ud;
    char **names = NULL;
    size_t n;

    candidates_free();
    switch (kind) {
    case CMDLINE_ARG_REGION:
        return cmdline_regions;
    case CMDLINE_ARG_PROFILE:
        n = aws_config_profile_names(ui->cfg, &names);
        candidates_add(names, n);
        break;
    case CMDLINE_ARG_THEME:
        n = theme_names(OPSDECK_THEMEDIR, &names);
        candidates_add(names, n);
        if (OPSDECK_SRC_THEMEDIR) {
            n = theme_names(OPSDECK_SRC_THEMEDIR, &names);
            candidates_add(names, n);
        }
        break;
    default:
        break;
    }
    return cand ? (const char *const *)cand : none;
}

/* `r`, `:refresh` and the script's `refresh`: what the view shows is due now, and a
 * credential refresh that failed is tried again too. */
static void ui_refresh_now(struct ui *ui)
{
    creds_manager_retry_now(ui->cm);
    feed_refresh(ui->feed);
}

/* `:VIEW ARG` for a view that opens at an argument (`:s3 BUCKET/PREFIX`): the rest of the
 * line, spaces and all (S3 keys may hold them), goes to its open hook. false: not such a
 * line. */
static bool open_with_arg(struct ui *ui, const char *line)
{
    size_t len, vi;
    char name[32];
    const struct view *v;
    struct view_ctx ctx;

    while (*line == ' ' || *line == ':')
        line++;
    len = strcspn(line, " \t");
    if (len == 0 || len >= sizeof(name) || !line[len])
        return false;
    memcpy(name, line, len);
    name[len] = '\0';
    vi = ui_view_index(name);
    if (vi == (size_t)-1 || !(v = view_registry[vi])->open)
        return false;
    line += len;
    while (*line == ' ' || *line == '\t')
        line++;
    if (!*line)
        return false;
    ui_open_view(ui, vi);
    ui_ctx(ui, vi, &ctx);
    ui_apply(ui, vi, v->open(ui->priv[vi], &ctx, line), &ctx);
    ui->dirty = true;
    return true;
}

static void run_command(struct ui *ui, const char *line)
{
    struct cmdline_parsed p;
    char why[512];

    if (open_with_arg(ui, line))
        return;
    if (cmdline_parse(line, view_names(), &p, why, sizeof(why)) < 0) {
        ui_message(ui, true, "%s", why);
        return;
    }
    if (!p.cmd) {
        size_t vi = ui_view_index(p.view);
        char key[128];
        /* `:errors` after the status line cut an error opens on that error, whole */
        bool cut = ui_status_error_key(ui, key, sizeof(key));

        if (vi == (size_t)-1) {
            ui_message(ui, true, "no view named '%s'", p.view);
        } else {
            const struct view *v = view_registry[vi];
            struct view_ctx ctx;

            ui_open_view(ui, vi);
            if (cut && v->select && strcmp(v->name, "errors") == 0) {
                ui_ctx(ui, vi, &ctx);
                if (v->update)
                    v->update(ui->priv[vi], &ctx);
                v->select(ui->priv[vi], &ctx, key);
            }
        }
        return;
    }
    if (strcmp(p.cmd->name, "quit") == 0) {
        ui_request_quit(ui);
    } else if (strcmp(p.cmd->name, "writes") == 0) {
        ui_act_writes(ui, p.arg);
    } else if (strcmp(p.cmd->name, "profile") == 0) {
        /* a new profile brings its own region, unless --region pinned one */
        ui_switch(ui, p.arg, ui->g->region);
    } else if (strcmp(p.cmd->name, "region") == 0) {
        if (!cmdline_region_valid(p.arg)) {
            ui_message(ui, true, "'%s' is not a region name (like eu-west-1)", p.arg);
            return;
        }
        /* The profile as it was chosen: named (by --profile or :profile) it is named again;
         * otherwise (AWS_PROFILE, or the default with credentials from the environment)
         * it is left to the same rules, which need no [default] section to exist. */
        const char *chosen = NULL;
        char *copy = NULL;

        if (ui->cfg->profile_explicit)
            chosen = ui->g->profile && strcmp(ui->g->profile, ui->cfg->profile) == 0
                         ? ui->g->profile : (copy = xstrdup(ui->cfg->profile));
        ui_switch(ui, chosen, p.arg);
        free(copy);
    } else if (strcmp(p.cmd->name, "theme") == 0) {
        if (!theme_name_valid(p.arg)) {
            ui_message(ui, true, "'%s' is not a theme name", p.arg);
        } else if (!ui->colour) {
            ui_message(ui, true, "colours are off (--no-color, NO_COLOR or no_color): "
                                 "the screen stays monochrome");
        } else if (ui_theme_load(ui, p.arg, true) == 0 && !ui->message[0]) {
            ui_message(ui, false, "theme %s", p.arg);
        }
    } else if (strcmp(p.cmd->name, "refresh") == 0) {
        ui_refresh_now(ui);
    } else if (strcmp(p.cmd->name, "utc") == 0) {
        ui->utc = !ui->utc;
        ui_message(ui, false, "%s", ui->utc ? "times in UTC (:utc again for local time)"
                                            : "times in local time (:utc for UTC)");
    } else if (strcmp(p.cmd->name, "stats") == 0) {
        char rate[256];

        ui_request_rate(ui, rate, sizeof(rate));
        ui_message(ui, false, "%s", rate);
    } else if (strcmp(p.cmd->name, "help") == 0) {
        ui_help_open(ui);
    } else if (strcmp(p.cmd->name, "cli") == 0) {
        ui_cli_open(ui);
    } else {
        ui_message(ui, true, "':%s' is not available here", p.cmd->name);
    }
    ui->dirty = true;
}

static void show_matches(struct ui *ui, const struct cmdline_completion *c)
{
    size_t len = 0;

    ui->message[0] = '\0';
    for (size_t i = 0; i < c->n && len + 2 < sizeof(ui->message); i++) {
        /* profile names come from files: shown sanitised */
        char *clean = sanitize_text(c->matches[i], strlen(c->matches[i]));
        int w = snprintf(ui->message + len, sizeof(ui->message) - len, "%s%s",
                         i ? "  " : "", clean);
        free(clean);
        if (w < 0 || (size_t)w >= sizeof(ui->message) - len)
            break;
        len += (size_t)w;
    }
    ui->message_error = false;
}

/* The MFA prompt: Enter answers with 6 digits (anything else is refused here, so a typo
 * does not cost a failed AssumeRole), Esc declines; the code is wiped from the line. */
static void mfa_key(struct ui *ui, enum lineedit_result r)
{
    size_t n = 0;

    if (r == LINEEDIT_CANCEL) {
        explicit_bzero(&ui->le, sizeof(ui->le));
        ui_mfa_answer(ui, NULL);
        return;
    }
    if (r != LINEEDIT_ACCEPT)
        return;
    while (n < ui->le.len && ui->le.buf[n] >= '0' && ui->le.buf[n] <= '9')
        n++;
    if (n != 6 || ui->le.len != 6) {
        explicit_bzero(&ui->le, sizeof(ui->le));
        lineedit_init(&ui->le, "");
        ui_message(ui, true, "the MFA code is the 6 digits your device shows; Esc gives up");
        return;
    }
    ui->message[0] = '\0';
    ui_mfa_answer(ui, ui->le.buf);
    explicit_bzero(&ui->le, sizeof(ui->le));
}

static void prompt_key(struct ui *ui, int key)
{
    size_t vi = ui_current(ui);
    enum lineedit_result r = lineedit_key(&ui->le, key);

    ui->dirty = true;
    if (ui->prompt == UI_PROMPT_MFA) {
        mfa_key(ui, r);
        return;
    }
    if (ui->prompt == UI_PROMPT_FILTER) {
        switch (r) {
        case LINEEDIT_CHANGED:
            /* applies as you type: the next render's update sees the new filter */
            snprintf(ui->filter[vi], sizeof(ui->filter[vi]), "%s", ui->le.buf);
            break;
        case LINEEDIT_ACCEPT: {
            const struct view *v = view_registry[vi];

            snprintf(ui->filter[vi], sizeof(ui->filter[vi]), "%s", ui->le.buf);
            ui->prompt = UI_PROMPT_NONE;
            if (v->filter_enter) {
                struct view_ctx ctx;

                ui_ctx(ui, vi, &ctx);
                if (v->update)
                    ui_apply(ui, vi, v->update(ui->priv[vi], &ctx), &ctx);
                ui_apply(ui, vi, v->filter_enter(ui->priv[vi], &ctx, ui->filter[vi]), &ctx);
            }
            break;
        }
        case LINEEDIT_CANCEL:
            ui->filter[vi][0] = '\0';
            ui->prompt = UI_PROMPT_NONE;
            break;
        default:
            break;
        }
        return;
    }
    switch (r) {
    case LINEEDIT_ACCEPT: {
        char line[LINEEDIT_MAX + 1];

        snprintf(line, sizeof(line), "%s", ui->le.buf);
        ui->prompt = UI_PROMPT_NONE;
        ui->message[0] = '\0';
        run_command(ui, line);
        break;
    }
    case LINEEDIT_CANCEL:
        ui->prompt = UI_PROMPT_NONE;
        ui->message[0] = '\0';
        break;
    case LINEEDIT_COMPLETE: {
        struct cmdline_completion c = {0};

        cmdline_complete(&ui->le, view_names(), candidates, ui, &c);
        candidates_free();
        if (c.n > 1)
            show_matches(ui, &c);
        else
            ui->message[0] = '\0';
        cmdline_completion_done(&c);
        break;
    }
    case LINEEDIT_CHANGED:
        ui->message[0] = '\0';   /* the matches were for the text before */
        break;
    default:
        break;
    }
}

/* The number key n opens the view numbered n; -1 when no view has it. */
static size_t view_by_number(int n)
{
    for (size_t i = 0; view_registry[i]; i++)
        if (view_registry[i]->number == n)
            return i;
    return (size_t)-1;
}

void ui_key(struct ui *ui, int key)
{
    size_t vi = ui_current(ui);
    const struct view *v = view_registry[vi];

    if (key == VIEW_KEY(KEY_RESIZE)) {
        ui->relayout = true;
        ui->dirty = true;
        return;
    }
    if (ui->dialog_on) {   /* a dialog takes every key until it closes */
        ui_act_key(ui, key);
        return;
    }
    if (ui->popup_kind != UI_POPUP_NONE) {
        /* scroll keys scroll it; y copies the :cli command or the action's output; any other
         * key closes it */
        ui->dirty = true;
        if (ui->popup_kind != UI_POPUP_HELP && key == 'y' && ui->popup_copy) {
            ui_copy(ui, ui->popup_copy, ui->popup_kind == UI_POPUP_CLI ? "the aws CLI command"
                                                                       : "it again");
            ui_popup_close(ui);
            return;
        }
        if (!popup_key(&ui->popup, key))
            ui_popup_close(ui);
        return;
    }
    if (ui->prompt != UI_PROMPT_NONE) {
        prompt_key(ui, key);
        return;
    }
    if (ui->message[0]) {   /* a message stays until the next key */
        ui->message[0] = '\0';
        ui->dirty = true;
    }
    if (key == VIEW_KEY_CTRL('c')) {
        ui_request_quit(ui);
        return;
    }
    if (key == VIEW_KEY_CTRL('l')) {
        clearok(curscr, TRUE);
        ui->dirty = true;
        return;
    }
    if (key == ':' || key == '/') {
        ui->prompt = key == ':' ? UI_PROMPT_CMD : UI_PROMPT_FILTER;
        lineedit_init(&ui->le, key == ':' ? "" : ui->filter[vi]);
        ui->dirty = true;
        return;
    }
    if (key == '?') {
        ui_help_open(ui);
        return;
    }
    if (key == 'r') {
        ui_refresh_now(ui);
        ui->dirty = true;
        return;
    }
    if (key >= '1' && key <= '9' && view_by_number(key - '0') != (size_t)-1) {
        ui_open_view(ui, view_by_number(key - '0'));
        return;
    }
    {
        struct view_ctx ctx;
        int bits = VIEW_UNHANDLED;

        ui_ctx(ui, vi, &ctx);
        /* Keys typed ahead (/x Enter Enter) act on the rows the view shows after the
         * filter and the latest poll, not on those of the last frame drawn. */
        if (v->update)
            ui_apply(ui, vi, v->update(ui->priv[vi], &ctx), &ctx);
        if (ui_act_key_action(ui, vi, key))
            return;
        if (v->key)
            bits = v->key(ui->priv[vi], &ctx, key);
        /* Esc clears the view's filter before it goes back: the filter hides rows, and
         * the way out of it must be the key the title and the footer name */
        if (bits == VIEW_UNHANDLED && key == 27 && ui->filter[vi][0]) {
            ui->filter[vi][0] = '\0';
            ui->dirty = true;
            return;
        }
        if (bits == VIEW_UNHANDLED && key == 'y')
            ui_message(ui, false, "y: nothing here to copy (a queue's URL: in :sqs or :dlq)");
        if (bits == VIEW_UNHANDLED && (key == 'q' || key == 27)) {
            if (ui->depth > 1)
                bits = VIEW_BACK;
            else if (key == 'q')
                ui_request_quit(ui);
        }
        ui_apply(ui, vi, bits, &ctx);
    }
}

/* What the alternate character set's line-drawing letters stand for (VT100 ACS), so a
 * box drawn with box() dumps as the lines a person sees, not as "lqqk". */
static wchar_t acs_unicode(wchar_t c)
{
    switch (c) {
    case 'q': return 0x2500;
    case 'x': return 0x2502;
    case 'l': return 0x250c;
    case 'k': return 0x2510;
    case 'm': return 0x2514;
    case 'j': return 0x2518;
    case 't': return 0x251c;
    case 'u': return 0x2524;
    case 'w': return 0x252c;
    case 'v': return 0x2534;
    case 'n': return 0x253c;
    case 'a': return 0x2592;
    case '`': return 0x25c6;
    case '~': return 0x00b7;
    case '0': return 0x2588;
    case '+': return 0x2192;
    case ',': return 0x2190;
    case '-': return 0x2191;
    case '.': return 0x2193;
    default: return c;
    }
}

/* ---- the screen as text ---------------------------------------------------------------- */

int ui_dump(const char *path)
{
    /* 0600 from the start, and again if the file existed: a screen may show account
     * names an engineer would not leave world-readable */
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    size_t cap = (size_t)(COLS > 0 ? COLS : 1) * 4 * (CCHARW_MAX + 1) + 2;
    char *line;
    FILE *f;
    int err = 0;

    if (fd < 0)
        return -1;
    if (fchmod(fd, 0600) < 0 || !(f = fdopen(fd, "w"))) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    line = xmalloc(cap);
    for (int y = 0; y < LINES; y++) {
        size_t len = 0, keep = 0;

        for (int x = 0; x < COLS; x++) {
            cchar_t cc;
            wchar_t wch[CCHARW_MAX + 1];
            attr_t a;
            short pair;
            int w;

            if (mvwin_wch(curscr, y, x, &cc) == ERR)
                break;
            memset(wch, 0, sizeof(wch));
            getcchar(&cc, wch, &a, &pair, NULL);
            if (!wch[0])
                wch[0] = L' ';
            if (a & A_ALTCHARSET)
                wch[0] = acs_unicode(wch[0]);
            for (int i = 0; i < CCHARW_MAX && wch[i]; i++)
                len += utf8_encode((uint32_t)wch[i], line + len);
            if (wch[0] != L' ')
                keep = len;
            w = wcwidth(wch[0]);
            if (w > 1)
                x += w - 1;   /* the next cell is the wide character's second half */
        }
        if (fwrite(line, 1, keep, f) != keep || fputc('\n', f) == EOF)
            err = errno ? errno : EIO;
    }
    free(line);
    if (fclose(f) != 0 && !err)
        err = errno;
    if (err) {
        errno = err;
        return -1;
    }
    return 0;
}

/* ---- the headless script --------------------------------------------------------------- */

/* A line runs only when nothing is being polled and the screen shows the latest state. */
static bool script_ready(struct ui *ui)
{
    if (ui->dirty || ui->relayout || ui->store_dirty)
        return false;
    /* an MFA prompt holds up the refresh that asked, and with it the polls: only the
     * script's keys can go on */
    if (ui->prompt == UI_PROMPT_MFA)
        return true;
    if (feed_busy(ui->feed) || aws_client_pending(ui->client) > 0)
        return false;
    if (ui->sleep_until) {
        if (timeutil_mono_ms() < ui->sleep_until)
            return false;
        ui->sleep_until = 0;
    }
    if (ui->waiting) {
        if (feed_rounds(ui->feed) <= ui->wait_rounds)
            return false;
        ui->waiting = false;
    }
    return true;
}

static void script_step(struct ui *ui)
{
    const struct script_cmd *c = &ui->script.cmds[ui->script_next++];

    switch (c->op) {
    case SCRIPT_KEYS:
        for (size_t i = 0; i < c->nkeys && !ui->quit; i++)
            ui_key(ui, c->keys[i]);
        break;
    case SCRIPT_DUMP:
        if (ui_dump(c->path) < 0) {
            snprintf(ui->exit_message, sizeof(ui->exit_message), "%s:%d: dump %s: %s",
                     ui->script.origin, c->line, c->path, strerror(errno));
            ui->rc = 1;
            ui->quit = true;
        }
        break;
    case SCRIPT_RESIZE:
        resizeterm(c->rows, c->cols);
        ui->relayout = true;
        ui->dirty = true;
        break;
    case SCRIPT_SLEEP:
        ui->sleep_until = timeutil_mono_ms() + c->ms;
        break;
    case SCRIPT_REFRESH:
        /* what `r` does, then a wait: the round that ends is the one it made due now, as
         * the line only runs when nothing was running or due (script_ready) */
        ui_refresh_now(ui);
        /* fall through */
    case SCRIPT_WAIT:
        ui->waiting = true;
        ui->wait_rounds = feed_rounds(ui->feed);
        break;
    }
}

/* ---- the loop -------------------------------------------------------------------------- */

static void on_signals(struct ui *ui, uint64_t sigs)
{
#define HAS(s) (sigs & ((uint64_t)1 << (s)))
    if (HAS(SIGTERM) || HAS(SIGHUP)) {
        ui->quit = true;
        /* being terminated is reported as the shell does */
        ui->rc = HAS(SIGTERM) ? 128 + SIGTERM : 128 + SIGHUP;
    } else if (HAS(SIGINT)) {
        /* Ctrl-C is an ordinary way out: it asks first while a job runs, as q does */
        ui->rc = 0;
        ui_request_quit(ui);
    }
    if (HAS(SIGWINCH) && !ui->headless) {
        struct winsize ws;

        if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
            resizeterm(ws.ws_row, ws.ws_col);
        ui->relayout = true;
        ui->dirty = true;
    }
    if (HAS(SIGCONT)) {
        /* back from a suspend: whatever the shell drew is on the screen now */
        clearok(curscr, TRUE);
        ui->relayout = true;
        ui->dirty = true;
    }
#undef HAS
}

/* Credentials that sign again after a failed or waited-for refresh: every source that
 * failed meanwhile (its requests were refused for want of credentials) is due again at once,
 * as with `r`, rather than after its backoff; the hidden views' sources would otherwise keep
 * their credential errors on the status line for minutes after the credentials came back. */
static void ui_creds_watch(struct ui *ui)
{
    struct creds_report rep[8];
    size_t n = creds_manager_report(ui->cm, rep, 8);
    bool bad = false;

    for (size_t i = 0; i < n && i < 8; i++)
        if (rep[i].active)
            bad = !rep[i].usable || rep[i].refresh_error[0];
    if (ui->creds_bad && !bad)
        feed_refresh(ui->feed);
    ui->creds_bad = bad;
}

void ui_loop(struct ui *ui)
{
    int keys[UI_KEYS_PER_WAKE];
    int64_t last_tick = timeutil_mono_ms() / UI_TICK_MS;

    while (!ui->quit) {
        int64_t now = timeutil_mono_ms();
        int timeout;
        struct aws_client_stats stats;
        int act;

        ui_creds_watch(ui);
        ui_signin_tick(ui);
        timeout = feed_tick(ui->feed, now);
        act = ui_act_tick(ui, now);   /* paced jobs; ended runs say how they ended */

        ui_mfa_next(ui);
        int tty = STDIN_FILENO;
        struct loop_wake wake;
        int64_t until_tick = UI_TICK_MS - now % UI_TICK_MS;

        if (act >= 0 && act < timeout)
            timeout = act;
        if (ui->client) {
            aws_client_get_stats(ui->client, &stats);
            reqrate_sample(&ui->reqrate, now, &stats);
        }

        if (ui->dirty || ui->relayout ||
            (ui->store_dirty && now - ui->last_render >= UI_STORE_FRAME_MS))
            ui_render(ui);
        if (ui->headless && script_ready(ui)) {
            if (ui->script_next == ui->script.n)
                break;   /* the end of the script quits */
            script_step(ui);
            continue;
        }
        if (timeout > until_tick)
            timeout = (int)until_tick;
        if (ui->store_dirty) {
            int64_t frame = ui->last_render + UI_STORE_FRAME_MS - now;
            if (frame < timeout)
                timeout = frame > 0 ? (int)frame : 0;
        }
        if (ui->headless && ui->sleep_until && ui->sleep_until - now < timeout)
            timeout = (int)(ui->sleep_until > now ? ui->sleep_until - now : 0);

        loop_wait(ui->loop, ui->client, &tty, ui->headless ? 0 : 1, timeout, &wake);
        if (wake.signals)
            on_signals(ui, wake.signals);
        if (!ui->headless && (wake.ready & 1)) {
            /* every key that is buffered, in one wake-up: a held j does not lag behind */
            int n;
            do {
                n = keys_read_all(stdscr, keys, UI_KEYS_PER_WAKE);
                for (int i = 0; i < n && !ui->quit; i++)
                    ui_key(ui, keys[i]);
            } while (n == UI_KEYS_PER_WAKE && !ui->quit);
        }
        now = timeutil_mono_ms();
        if (now / UI_TICK_MS != last_tick) {
            /* ages and countdowns moved on */
            last_tick = now / UI_TICK_MS;
            ui->dirty = true;
        }
    }
}
