/* ui_act.c - the console's side of writes: action keys, the dialogs that come before and
 * after an action (form, confirmation, progress), the editor, `:writes`, the runs that go
 * on while the user does other things, and quitting while jobs run.
 *
 * A key a view declares (view.h actions) makes a run of the action (act/action.h) on what
 * the view's target hook names. Read-only refuses it at once, before any form. Then the
 * form (when the action has one), the confirmation the run asks for, and the start: every
 * request goes through the session's gate. A job shows its progress dialog, which hides
 * with Esc while the job goes on (`:jobs` lists it); one-request actions report on the
 * status line when they end. Nothing here blocks but the editor (editor.h). */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "act/action.h"
#include "act/gate.h"
#include "act/job.h"
#include "creds/creds.h"
#include "creds/sso_signin.h"
#include "poll/feed.h"
#include "ui/dialog.h"
#include "ui/editor.h"
#include "ui/loop.h"
#include "look/theme_curses.h"
#include "ui/ui_internal.h"
#include "util/xalloc.h"
#include "util/timeutil.h"

static int64_t loop_clock(void *arg)
{
    (void)arg;
    return timeutil_mono_ms();
}

/* "Refresh now" (act_env.refresh_creds): the manager renews on the session's client, so
 * the loop's one wait point carries it; the credential rows show how it goes. */
static int refresh_creds(void *arg, const char *profile, char *why, size_t whylen)
{
    struct ui *ui = arg;
    struct aws_error err = {0};

    /* an SSO profile whose token is gone: no refresh can work, a sign-in can */
    switch (sso_signin_needed(ui->cfg, profile, time(NULL))) {
    case SSO_TOKEN_MISSING:
    case SSO_TOKEN_EXPIRED:
        return ui_signin_open(ui, profile, why, whylen) < 0 ? -1 : 2;
    case SSO_TOKEN_NOT_SSO:
    case SSO_TOKEN_OK:
        break;
    }
    switch (creds_manager_refresh_now(ui->cm, ui->client, profile, &err)) {
    case CREDS_PENDING:
        return 1;
    case CREDS_OK:
        return 0;
    case CREDS_ERROR:
        break;
    }
    aws_error_describe(&err, profile, why, whylen);
    aws_error_clear(&err);
    return -1;
}

/* "Sign in" (act_env.sso_sign_in): the device code in a dialog (ui_signin.c). */
static int sso_sign_in(void *arg, const char *profile, char *why, size_t whylen)
{
    return ui_signin_open(arg, profile, why, whylen);
}

/* ---- the session ------------------------------------------------------------------------- */

void ui_act_session_start(struct ui *ui)
{
    struct gate_policy pol = {.read_only = ui->g->read_only,
                              .allow_writes = ui->g->allow_writes};

    ui->gate = gate_new(ui->client, ui->app, ui->cfg->profile, ui->cfg->region, &pol, NULL);
    /* `:writes off` holds for the session; `:writes on` for the profile it was typed for */
    if (ui->writes == GATE_WRITES_OFF ||
        (ui->writes == GATE_WRITES_ON && strcmp(ui->writes_profile, ui->cfg->profile) == 0))
        gate_set_writes(ui->gate, ui->writes);
    ui->jobs = jobs_new(ui->store, loop_clock, NULL);
}

static void close_dialog(struct ui *ui)
{
    if (ui->dialog_on)
        dialog_done(&ui->dialog);
    ui->dialog_on = false;
    ui->dirty = true;
}

void ui_act_session_end(struct ui *ui)
{
    ui_signin_end(ui);
    close_dialog(ui);
    act_run_free(ui->asking);
    ui->asking = NULL;
    for (size_t i = 0; i < ui->nruns; i++)
        act_run_free(ui->runs[i]);
    free(ui->runs);
    ui->runs = NULL;
    ui->nruns = 0;
}

void ui_act_session_free(struct ui *ui)
{
    gate_free(ui->gate);
    jobs_free(ui->jobs);
    ui->gate = NULL;
    ui->jobs = NULL;
}

bool ui_act_read_only(const struct ui *ui)
{
    return ui->gate && gate_read_only(ui->gate, NULL, 0);
}

bool ui_act_can_switch(struct ui *ui)
{
    size_t n = jobs_running(ui->jobs);

    if (n == 0 && ui->nruns == 0)
        return true;
    ui_message(ui, true, "a write is still running (%zu job%s): let it end or cancel it "
                         "(:jobs, then c) before switching profile or region",
               n, n == 1 ? "" : "s");
    return false;
}

/* ---- dialogs --------------------------------------------------------------------------------- */

static void dialog_styles(const struct ui *ui, struct dialog_style *st)
{
    st->glyphs = ui->glyphs;
    st->normal = ui_attr(ui, THEME_HELP);
    st->border = ui_attr(ui, THEME_BORDER) | ui_attr(ui, THEME_HELP);
    st->title = ui_attr(ui, THEME_HELP) | A_BOLD;
    st->focus = ui_attr(ui, THEME_SELECTION);
    st->field = ui_attr(ui, THEME_HELP) | A_UNDERLINE;
    st->error = ui_attr(ui, THEME_ERROR) | A_BOLD;
    st->dim = ui_attr(ui, THEME_HELP) | A_DIM;
    st->production = ui_attr(ui, THEME_PROD_BANNER) | A_BOLD;
}

void ui_act_draw(struct ui *ui)
{
    struct dialog_style st;

    if (!ui->dialog_on)
        return;
    dialog_styles(ui, &st);
    dialog_draw(&ui->dialog, &st, ui->store);
}

void ui_act_open_dialog(struct ui *ui, int purpose)
{
    ui->dialog_on = true;
    ui->dialog_for = purpose;
    ui->dirty = true;
}

/* The identity the header shows is who the audit and the confirmations name. */
static void gate_identity(struct ui *ui)
{
    const struct store_res *r = store_find(ui->store, "identity", "caller");

    gate_set_identity(ui->gate, r ? store_res_str(r, "arn") : NULL,
                      r ? store_res_str(r, "account") : NULL);
}

static void add_run(struct ui *ui, struct act_run *r)
{
    ui->runs = xrealloc(ui->runs, (ui->nruns + 1) * sizeof(*ui->runs));
    ui->runs[ui->nruns++] = r;
}

/* A run that ended with an output (a presigned URL): shown in a box, wrapped and
 * sanitised, and copied exactly as made. */
static void show_output(struct ui *ui, const struct act_run *r)
{
    const char *what, *out = act_run_failed(r) ? NULL : act_run_output(r, &what);

    if (!out)
        return;
    ui_popup_close(ui);
    popup_init(&ui->popup, act_run_action(r)->title, "y copies it again, any other key closes");
    popup_text(&ui->popup, act_run_result(r));
    popup_blank(&ui->popup);
    popup_text(&ui->popup, out);
    ui->popup_copy = xstrdup(out);
    ui->popup_kind = UI_POPUP_OUTPUT;
    ui_copy(ui, out, what);
    ui->dirty = true;
}

/* "Peek: orders…" on the status line, with the glyph table's ellipsis ("~" under --ascii). */
void ui_act_say_started(struct ui *ui, const char *what)
{
    ui_message(ui, false, "%s%s", what, ui->glyphs->g[GLYPH_ELLIPSIS]);
}

/* The user confirmed: the run starts; a job shows its progress. */
static void start(struct ui *ui, const char *how)
{
    struct act_run *r = ui->asking;
    struct job *j;
    char what[512], where[512];

    ui->asking = NULL;
    close_dialog(ui);
    gate_identity(ui);
    if (act_run_start(r, how) < 0) {
        ui_message(ui, true, "%s", act_run_result(r));
        act_run_free(r);
        return;
    }
    if (act_run_ended(r)) {
        ui_message(ui, act_run_failed(r), "%s", act_run_result(r));
        show_output(ui, r);
        act_run_free(r);
        return;
    }
    add_run(ui, r);
    j = act_run_job_of(r);
    act_run_describe(r, what, sizeof(what), where, sizeof(where));
    if (j) {
        dialog_progress(&ui->dialog, act_run_action(r)->title, what, job_key(j));
        ui_act_open_dialog(ui, UI_DLG_PROGRESS);
    } else {
        ui_act_say_started(ui, what);
    }
}

/* After the form: the confirmation the run asks for, or none. */
static void confirm(struct ui *ui)
{
    struct act_run *r = ui->asking;
    const struct action *a = act_run_action(r);
    char what[512], where[512], prompt[128];
    bool prod = gate_production(ui->gate);

    close_dialog(ui);
    gate_identity(ui);
    act_run_describe(r, what, sizeof(what), where, sizeof(where));
    switch (act_run_confirm(r)) {
    case ACT_CONFIRM_NONE:
        start(ui, "none");
        return;
    case ACT_CONFIRM_YESNO:
        dialog_confirm(&ui->dialog, a->title, what, where, prod, "Yes");
        break;
    case ACT_CONFIRM_TYPED:
        snprintf(prompt, sizeof(prompt), "Type the %s's name to confirm",
                 act_run_target(r)->kind[0] ? act_run_target(r)->kind : "resource");
        dialog_typed(&ui->dialog, a->title, what, where, prod, prompt, act_run_target(r)->name);
        break;
    }
    ui_act_open_dialog(ui, UI_DLG_CONFIRM);
}

bool ui_act_key_action(struct ui *ui, size_t vi, int key)
{
    const struct view *v = view_registry[vi];
    const struct view_action *va = NULL;
    const struct action *a;
    struct act_target t = {0};
    struct view_ctx ctx;
    struct act_env env;
    struct act_run *r;
    char why[1024], what[512], where[512];

    bool found = false;

    /* a key may start one of several actions, by the row under the cursor (Enter in the
     * expiry view: refresh credentials, or sign in on an SSO token's row): the first whose
     * target the view names */
    ui_ctx(ui, vi, &ctx);
    for (size_t i = 0; v->actions && v->actions[i].action && !found; i++) {
        if (v->actions[i].key != key)
            continue;
        va = &v->actions[i];   /* none fits: the last one's message */
        found = action_find(va->action) && v->target &&
                v->target(ui->priv[vi], &ctx, va->action, &t);
    }
    if (!va)
        return false;
    a = action_find(va->action);
    if (!found) {
        if (a)
            ui_message(ui, true, "%s: nothing selected (move the cursor to a %s)", a->title,
                       a->target_kind ? a->target_kind : "row");
        else
            ui_message(ui, true, "no action named %s (src/act/registry.c)", va->action);
        return true;
    }
    env = (struct act_env){.gate = ui->gate, .store = ui->store, .app = ui->app,
                           .jobs = ui->jobs, .results = ui->store, .cfg = ui->cfg,
                           .clock = loop_clock, .refresh_creds = refresh_creds,
                           .refresh_arg = ui, .sso_sign_in = sso_sign_in};
    gate_identity(ui);
    r = act_run_new(a, &env, &t);
    /* read-only: refused before anything is asked, let alone signed */
    if (act_run_refused(r, why, sizeof(why))) {
        ui_message(ui, true, "%s", why);
        act_run_free(r);
        return true;
    }
    ui->asking = r;
    if (act_run_form(r)) {
        act_run_describe(r, what, sizeof(what), where, sizeof(where));
        dialog_form(&ui->dialog, act_run_form(r), what, where, gate_production(ui->gate),
                    a->ok_label ? a->ok_label : "OK");
        ui_act_open_dialog(ui, UI_DLG_FORM);
    } else {
        confirm(ui);
    }
    return true;
}

/* Ctrl-E in a multi-line field: curses steps aside for the editor, then a full redraw. */
static void run_editor(struct ui *ui)
{
    char *out = NULL, why[512];
    bool suspend = !ui->headless;
    int rc;

    if (suspend) {
        def_prog_mode();
        endwin();
    }
    rc = editor_edit(dialog_field_text(&ui->dialog), FORM_TEXT_MAX, &out, why, sizeof(why));
    if (suspend) {
        struct winsize ws;

        reset_prog_mode();
        /* the terminal may have been resized while the editor had it */
        if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
            resizeterm(ws.ws_row, ws.ws_col);
        clearok(curscr, TRUE);
        ui->relayout = true;
    }
    if (rc == 0) {
        dialog_set_field_text(&ui->dialog, out);
        act_run_changed(ui->asking, ui->dialog.form->fields[ui->dialog.focus].name);
        dialog_reload(&ui->dialog);
        ui->dialog.error[0] = '\0';
    } else {
        dialog_set_error(&ui->dialog, why, (size_t)-1);
    }
    free(out);
    ui->dirty = true;
}

static void cancel_asking(struct ui *ui)
{
    close_dialog(ui);
    if (ui->asking) {
        ui_message(ui, false, "%s: cancelled, nothing was sent", act_run_action(ui->asking)->title);
        act_run_free(ui->asking);
        ui->asking = NULL;
    }
}

static void quit_now(struct ui *ui)
{
    for (size_t i = 0; i < ui->nruns; i++)
        act_run_cancel(ui->runs[i]);
    ui->quit_confirmed = true;
    ui->quit = true;
}

void ui_act_key(struct ui *ui, int key)
{
    enum dialog_result res = dialog_key(&ui->dialog, key);
    char why[1024];
    size_t bad;

    ui->dirty = true;
    switch (ui->dialog_for) {
    case UI_DLG_FORM:
        if (res == DIALOG_CANCEL) {
            cancel_asking(ui);
        } else if (res == DIALOG_CHANGED) {
            act_run_changed(ui->asking, dialog_changed(&ui->dialog));
            dialog_reload(&ui->dialog);
        } else if (res == DIALOG_EDITOR) {
            run_editor(ui);
        } else if (res == DIALOG_OK) {
            if (act_run_check(ui->asking, why, sizeof(why), &bad) < 0)
                dialog_set_error(&ui->dialog, why, bad);
            else
                confirm(ui);
        }
        break;
    case UI_DLG_CONFIRM:
        if (res == DIALOG_OK)
            start(ui, ui->dialog.kind == DIALOG_TYPED ? "typed" : "yes");
        else if (res == DIALOG_CANCEL)
            cancel_asking(ui);
        break;
    case UI_DLG_PROGRESS:
        if (res == DIALOG_STOP) {
            if (jobs_cancel(ui->jobs, ui->dialog.job_key) < 0)
                ui_message(ui, true, "job %s is not running", ui->dialog.job_key);
        } else if (res == DIALOG_HIDE) {
            close_dialog(ui);
        }
        break;
    case UI_DLG_WRITES_ON:
        if (res == DIALOG_OK) {
            close_dialog(ui);
            ui->writes = GATE_WRITES_ON;
            snprintf(ui->writes_profile, sizeof(ui->writes_profile), "%s", ui->cfg->profile);
            gate_set_writes(ui->gate, GATE_WRITES_ON);
            ui_message(ui, false, "writes on for profile %s in this session (:writes off "
                                  "turns them off)", ui->cfg->profile);
        } else if (res == DIALOG_CANCEL) {
            close_dialog(ui);
            ui_message(ui, false, "writes stay off for profile %s", ui->cfg->profile);
        }
        break;
    case UI_DLG_QUIT:
        if (res == DIALOG_OK)
            quit_now(ui);
        else if (res == DIALOG_CANCEL)
            close_dialog(ui);
        break;
    case UI_DLG_SIGNIN:
        ui_signin_key(ui, res);
        break;
    }
}

/* ---- runs that go on --------------------------------------------------------------------------- */

int ui_act_tick(struct ui *ui, int64_t now)
{
    int next = -1;
    size_t k = 0;

    for (size_t i = 0; i < ui->nruns; i++) {
        struct act_run *r = ui->runs[i];
        int ms = act_run_tick(r, now);

        if (act_run_ended(r)) {
            /* a job's progress dialog shows the end itself; the status line says it too */
            ui_message(ui, act_run_failed(r), "%s", act_run_result(r));
            show_output(ui, r);
            /* what the write changed is read again now, not an interval later */
            if (act_run_action(r)->mutates)
                feed_refresh(ui->feed);
            act_run_free(r);
            continue;
        }
        if (ms >= 0 && (next < 0 || ms < next))
            next = ms;
        ui->runs[k++] = r;
    }
    ui->nruns = k;
    return next;
}

/* ---- :writes, quitting ------------------------------------------------------------------------ */

void ui_act_writes(struct ui *ui, const char *arg)
{
    char why[1024], where[512];

    if (!arg || !*arg) {
        if (gate_read_only(ui->gate, why, sizeof(why)))
            ui_message(ui, false, "writes are off: %s", why);
        else
            ui_message(ui, false, "writes are on for profile %s (:writes off turns them off)",
                       ui->cfg->profile);
        return;
    }
    if (strcmp(arg, "off") == 0) {
        ui->writes = GATE_WRITES_OFF;
        gate_set_writes(ui->gate, GATE_WRITES_OFF);
        ui_message(ui, false, "writes off: every write is refused until :writes on");
        return;
    }
    if (!gate_can_turn_on(ui->gate, why, sizeof(why))) {
        ui_message(ui, true, "writes stay off: %s", why);
        return;
    }
    if (gate_production(ui->gate) && !ui->g->allow_writes &&
        gate_writes(ui->gate) != GATE_WRITES_ON) {
        const char *account;

        gate_identity(ui);
        account = gate_account(ui->gate);
        snprintf(where, sizeof(where), "profile %s · account %s · region %s", ui->cfg->profile,
                 account ? account : "not known yet", ui->cfg->region);
        dialog_typed(&ui->dialog, "Turn writes on", "Allow writes to a production profile "
                     "for this session", where, true, "Type the profile's name to confirm",
                     ui->cfg->profile);
        ui_act_open_dialog(ui, UI_DLG_WRITES_ON);
        return;
    }
    ui->writes = GATE_WRITES_DEFAULT;
    gate_set_writes(ui->gate, GATE_WRITES_DEFAULT);
    ui_message(ui, false, "writes on for profile %s (:writes off turns them off)",
               ui->cfg->profile);
}

void ui_request_quit(struct ui *ui)
{
    size_t n = jobs_running(ui->jobs);
    char what[128];

    if (n == 0 || ui->quit_confirmed) {
        quit_now(ui);
        return;
    }
    if (ui->dialog_on && ui->dialog_for == UI_DLG_SIGNIN) {
        ui_signin_end(ui);   /* Ctrl-C over the sign-in: it stops, the question replaces it */
        close_dialog(ui);
    }
    snprintf(what, sizeof(what), "%zu job%s still running: quit anyway?", n, n == 1 ? " is" : "s are");
    dialog_confirm(&ui->dialog, "Quit", what, "they are cancelled; what was already sent stays "
                   "sent (see :jobs and the audit log)", false, "Quit");
    ui->dialog.button = 1;   /* the safe answer is the default */
    ui_act_open_dialog(ui, UI_DLG_QUIT);
}
