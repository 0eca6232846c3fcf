/* refreshcreds.c - "refresh-credentials": renews one of the console's own credentials now
 * (Enter on a credential row of the expiry view), before it comes due. It writes nothing
 * to AWS (an STS or SSO call that only reads), so the gate asks no confirmation and
 * read-only does not refuse it; the status line says so. The row shows the refresh: the
 * credential source's store rows carry refreshing, the new expiry or refresh_error. An MFA
 * code the refresh needs is asked by the console's usual prompt. */
#include "config.h"

#include "act/action.h"

static int refresh_start(void *priv, struct act_run *run)
{
    const struct act_env *env = act_run_env(run);
    const char *profile = act_run_target(run)->key;
    char why[1024];

    (void)priv;
    if (!env->refresh_creds) {
        act_run_finish(run, ACT_FAILED, "profile %s: credentials are refreshed only in the "
                       "console (expiry view, Enter)", profile);
        return -1;
    }
    switch (env->refresh_creds(env->refresh_arg, profile, why, sizeof(why))) {
    case 1:
        act_run_finish(run, ACT_DONE, "profile %s: refreshing credentials now (reads only, "
                       "writes nothing: no confirmation)", profile);
        return 0;
    case 0:
        act_run_finish(run, ACT_DONE, "profile %s: credentials renewed (reads only, writes "
                       "nothing: no confirmation)", profile);
        return 0;
    default:
        act_run_finish(run, ACT_FAILED, "%s", why);
        return -1;
    }
}

const struct action refresh_creds_action = {
    .name = "refresh-credentials",
    .title = "Refresh credentials now",
    .target_kind = "credential",
    .mutates = false,
    .confirm = ACT_CONFIRM_NONE,
    .start = refresh_start,
};
