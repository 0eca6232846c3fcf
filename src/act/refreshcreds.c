/* refreshcreds.c - "refresh-credentials": renews one of the console's own credentials now
 * (Enter on a credential row of the expiry view), before it comes due. It writes nothing
 * to AWS (an STS or SSO call that only reads), so the gate asks no confirmation and
 * read-only does not refuse it; the status line says so. The row shows the refresh: the
 * credential source's store rows carry refreshing, the new expiry or refresh_error. An MFA
 * code the refresh needs is asked by the console's usual prompt; an SSO profile whose token
 * has expired gets the sign-in dialog instead (no refresh can renew it). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "act/action.h"
#include "util/sanitize.h"

/* The result goes to the status line as it is: the profile (a name from a local file) and
 * the cause (AWS's words, the config's start URL) are made safe here. */
static int refresh_start(void *priv, struct act_run *run)
{
    const struct act_env *env = act_run_env(run);
    const char *key = act_run_target(run)->key;
    char why[1024] = "", *profile = sanitize_text(key, strlen(key)), *cause;
    int rc = -1;

    (void)priv;
    if (!env->refresh_creds) {
        act_run_finish(run, ACT_FAILED, "profile %s: credentials are refreshed only in the "
                       "console (expiry view, Enter)", profile);
        free(profile);
        return -1;
    }
    switch (env->refresh_creds(env->refresh_arg, key, why, sizeof(why))) {
    case 2:
        act_run_finish(run, ACT_DONE, "profile %s: its SSO token has expired: sign in with the "
                       "code in the dialog (reads only, writes nothing)", profile);
        rc = 0;
        break;
    case 1:
        act_run_finish(run, ACT_DONE, "profile %s: refreshing credentials now (reads only, "
                       "writes nothing: no confirmation)", profile);
        rc = 0;
        break;
    case 0:
        act_run_finish(run, ACT_DONE, "profile %s: credentials renewed (reads only, writes "
                       "nothing: no confirmation)", profile);
        rc = 0;
        break;
    default:
        cause = sanitize_text(why, strlen(why));
        act_run_finish(run, ACT_FAILED, "%s", cause);
        free(cause);
        break;
    }
    free(profile);
    return rc;
}

const struct action refresh_creds_action = {
    .name = "refresh-credentials",
    .title = "Refresh credentials now",
    .target_kind = "credential",
    .mutates = false,
    .confirm = ACT_CONFIRM_NONE,
    .start = refresh_start,
};
