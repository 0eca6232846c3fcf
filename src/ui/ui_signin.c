/* ui_signin.c - the console's SSO sign-in: IAM Identity Center's device code in a dialog,
 * so an expired SSO session is renewed without leaving the console or freezing it.
 *
 * It opens by itself once when the active profile's credentials cannot be had because its
 * SSO token is missing or has expired, and on Enter in the expiry view (an SSO token's row,
 * or the credentials of a profile whose token has expired). The flow (creds/sso_signin.h)
 * runs on the session's client: its answers only mark the console dirty; the loop's turn
 * (ui_signin_tick) shows them, and on approval asks the credential manager for the role
 * credentials with the new token and polls what failed meanwhile again. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "creds/creds.h"
#include "creds/sso_signin.h"
#include "poll/feed.h"
#include "ui/ui_internal.h"
#include "util/sanitize.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

/* An answer came: the loop's next turn shows it (callbacks only mark things). */
static void signin_changed(void *ud)
{
    struct ui *ui = ud;

    ui->signin_changed = true;
    ui->dirty = true;
}

/* The dialog's status line for the sign-in's state; the ellipsis from the glyph table
 * ("~" under --ascii). */
void ui_signin_status(const struct ui *ui, const struct sso_signin_info *in, char *status,
                      size_t n)
{
    const char *ellipsis = ui->glyphs->g[GLYPH_ELLIPSIS];

    switch (in->state) {
    case SSO_SIGNIN_REGISTERING:
        snprintf(status, n, "registering opsdeck with IAM Identity Center%s", ellipsis);
        break;
    case SSO_SIGNIN_STARTING:
        snprintf(status, n, "asking for a code%s", ellipsis);
        break;
    case SSO_SIGNIN_WAITING:
        snprintf(status, n, "waiting for approval: asked %u time%s, every %llds", in->pending,
                 in->pending == 1 ? "" : "s", (long long)in->interval);
        break;
    case SSO_SIGNIN_DONE:
        snprintf(status, n, "signed in");
        break;
    case SSO_SIGNIN_FAILED:
        snprintf(status, n, "not signed in");
        break;
    }
}

/* The dialog's text from the sign-in's state. */
static void signin_show(struct ui *ui)
{
    struct sso_signin_info in;
    struct dialog_signin ds = {0};
    char status[160];

    if (!ui->signin || !ui->dialog_on || ui->dialog.kind != DIALOG_SIGNIN)
        return;
    sso_signin_info(ui->signin, &in);
    ui_signin_status(ui, &in, status, sizeof(status));
    ds.uri = in.verification_uri;
    ds.uri_complete = in.verification_uri_complete;
    ds.code = in.user_code;
    ds.status = status;
    ds.error = in.error;
    ds.expires_ms = in.expires_ms;
    ds.now_ms = timeutil_mono_ms();
    ds.ended = in.state == SSO_SIGNIN_DONE || in.state == SSO_SIGNIN_FAILED;
    dialog_signin_set(&ui->dialog, &ds);
}

static void signin_stop(struct ui *ui)
{
    sso_signin_free(ui->signin);
    ui->signin = NULL;
    ui->signin_changed = false;
}

int ui_signin_open(struct ui *ui, const char *profile, char *why, size_t whylen)
{
    struct aws_error err;
    char what[300], where[600];

    if (ui->signin && strcmp(ui->signin_profile, profile) == 0 && ui->dialog_on &&
        ui->dialog.kind == DIALOG_SIGNIN)
        return 0;   /* already on screen */
    aws_error_clear(&err);
    signin_stop(ui);
    if (!ui->client) {
        snprintf(why, whylen, "profile %s: no session to sign in with", profile);
        return -1;
    }
    ui->signin = sso_signin_start(ui->cfg, profile, ui->client, "press Enter to try again",
                                  signin_changed, ui, &err);
    if (!ui->signin) {
        aws_error_describe(&err, profile, why, whylen);
        return -1;
    }
    snprintf(ui->signin_profile, sizeof(ui->signin_profile), "%s", profile);
    {
        struct sso_signin_info in;

        sso_signin_info(ui->signin, &in);
        snprintf(what, sizeof(what), "Sign in to IAM Identity Center for profile %s",
                 profile);
        snprintf(where, sizeof(where), "start URL %s", in.start_url);
    }
    if (ui->dialog_on)
        dialog_done(&ui->dialog);
    dialog_signin(&ui->dialog, "SSO sign-in", what, where);
    ui_act_open_dialog(ui, UI_DLG_SIGNIN);
    signin_show(ui);
    return 0;
}

static void signin_close(struct ui *ui)
{
    signin_stop(ui);
    if (ui->dialog_on && ui->dialog.kind == DIALOG_SIGNIN) {
        dialog_done(&ui->dialog);
        ui->dialog_on = false;
    }
    ui->dirty = true;
}

/* Approved: the token is cached; the role credentials are fetched with it now, and the
 * sources that failed for want of them are due at once. */
static void signin_done(struct ui *ui, const struct sso_signin_info *in)
{
    struct aws_error err;
    char when[64], *path = sanitize_text(in->cache_path, strlen(in->cache_path));
    char *profile = xstrdup(ui->signin_profile);
    struct tm tm;
    time_t t = in->token_expires_at;

    aws_error_clear(&err);
    if (!(ui->utc ? gmtime_r(&t, &tm) : localtime_r(&t, &tm)) ||
        !strftime(when, sizeof(when), ui->utc ? "%Y-%m-%d %H:%MZ" : "%Y-%m-%d %H:%M", &tm))
        snprintf(when, sizeof(when), "?");
    signin_close(ui);
    creds_manager_retry_now(ui->cm);
    if (creds_manager_refresh_now(ui->cm, ui->client, profile, &err) == CREDS_ERROR)
        aws_error_clear(&err);   /* nothing held yet: the next request fetches them */
    feed_refresh(ui->feed);
    ui_message(ui, false, "profile %s: signed in; the SSO token is cached in %s until %s; "
               "fetching the role credentials", profile, path, when);
    free(path);
    free(profile);
}

/* Whether the active profile's credentials failed for want of an SSO sign-in: asked once
 * each time they go bad (a file read), offered once until they work again. */
static void signin_offer(struct ui *ui)
{
    struct creds_report rep[8];
    size_t n = creds_manager_report(ui->cm, rep, 8);
    const struct creds_report *act = NULL;
    char why[1024];

    for (size_t i = 0; i < n && i < 8; i++)
        if (rep[i].active)
            act = &rep[i];
    if (act && act->refreshing)
        return;
    if (act && act->usable && !act->refresh_error[0]) {
        ui->signin_offered = false;
        return;
    }
    /* failed, or nothing held at all (the first fetch failed at start) */
    if (ui->signin_offered || ui->dialog_on || ui->prompt != UI_PROMPT_NONE)
        return;
    ui->signin_offered = true;
    switch (sso_signin_needed(ui->cfg, ui->cfg->profile, time(NULL))) {
    case SSO_TOKEN_MISSING:
    case SSO_TOKEN_EXPIRED:
        if (ui_signin_open(ui, ui->cfg->profile, why, sizeof(why)) < 0)
            ui_message(ui, true, "%s", why);
        break;
    case SSO_TOKEN_NOT_SSO:
    case SSO_TOKEN_OK:
        break;
    }
}

void ui_signin_tick(struct ui *ui)
{
    struct sso_signin_info in;

    if (!ui->cm)
        return;
    if (!ui->signin) {
        signin_offer(ui);
        return;
    }
    if (ui->dialog_on && ui->dialog.kind == DIALOG_SIGNIN)
        ui->dialog.signin_now_ms = timeutil_mono_ms();   /* the countdown */
    if (!ui->signin_changed)
        return;
    ui->signin_changed = false;
    sso_signin_info(ui->signin, &in);
    if (in.state == SSO_SIGNIN_DONE) {
        signin_done(ui, &in);
        return;
    }
    if (in.state == SSO_SIGNIN_FAILED)
        ui_message(ui, true, "%s", in.error);
    signin_show(ui);
}

void ui_signin_key(struct ui *ui, enum dialog_result res)
{
    struct sso_signin_info in;
    char why[1024], *copy;

    switch (res) {
    case DIALOG_CANCEL:
        if (ui->signin) {
            sso_signin_info(ui->signin, &in);
            if (in.state != SSO_SIGNIN_DONE && in.state != SSO_SIGNIN_FAILED)
                ui_message(ui, false, "profile %s: SSO sign-in cancelled, no token written "
                           "(Enter on its row in the expiry view signs in)",
                           ui->signin_profile);
        }
        signin_close(ui);
        break;
    case DIALOG_COPY:
        if (!ui->signin)
            break;
        sso_signin_info(ui->signin, &in);
        if (!in.verification_uri)
            break;
        copy = in.verification_uri_complete
                   ? sanitize_text(in.verification_uri_complete,
                                   strlen(in.verification_uri_complete))
                   : sanitize_text(in.verification_uri, strlen(in.verification_uri));
        ui_copy(ui, copy, in.verification_uri_complete ? "the sign-in URL with its code"
                                                       : "the sign-in URL");
        free(copy);
        break;
    case DIALOG_OK:   /* Enter after a failure: a new code */
        if (ui->signin_profile[0]) {
            char *profile = xstrdup(ui->signin_profile);

            signin_stop(ui);
            if (ui_signin_open(ui, profile, why, sizeof(why)) < 0) {
                signin_close(ui);
                ui_message(ui, true, "%s", why);
            }
            free(profile);
        }
        break;
    default:
        break;
    }
}

void ui_signin_end(struct ui *ui)
{
    signin_stop(ui);
}
