/* ssosignin.c - "sso-sign-in": a new IAM Identity Center token for a profile (Enter on an
 * SSO token's row in the expiry view): the device code in the console's sign-in dialog,
 * the token cache written on approval, the role credentials fetched with it. Nothing is
 * written to AWS (a sign-in), so no confirmation is asked and read-only allows it. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "act/action.h"
#include "util/sanitize.h"

static int sign_in_start(void *priv, struct act_run *run)
{
    const struct act_env *env = act_run_env(run);
    const char *key = act_run_target(run)->key;
    char why[1024] = "", *profile = sanitize_text(key, strlen(key)), *cause;
    int rc = -1;

    (void)priv;
    if (!env->sso_sign_in) {
        act_run_finish(run, ACT_FAILED, "profile %s: signing in here needs the console; run "
                       "`opsdeck login --sso %s`", profile, profile);
    } else if (env->sso_sign_in(env->refresh_arg, key, why, sizeof(why)) < 0) {
        cause = sanitize_text(why, strlen(why));
        act_run_finish(run, ACT_FAILED, "%s", cause);
        free(cause);
    } else {
        act_run_finish(run, ACT_DONE, "profile %s: SSO sign-in: enter the code the dialog "
                       "shows (writes nothing: no confirmation)", profile);
        rc = 0;
    }
    free(profile);
    return rc;
}

const struct action sso_sign_in_action = {
    .name = "sso-sign-in",
    .title = "Sign in to IAM Identity Center",
    .target_kind = "sso_token",
    .mutates = false,
    .confirm = ACT_CONFIRM_NONE,
    .start = sign_in_start,
};
