/* canceljob.c - "cancel-job": stops a running job (`c` in :jobs). Cancelling writes nothing
 * itself; the job's own action stops as soon as it safely can (answers on the way are still
 * audited) and says so in its row. */
#include "config.h"

#include "act/action.h"

static int cancel_start(void *priv, struct act_run *run)
{
    const struct act_env *env = act_run_env(run);
    const char *key = act_run_target(run)->key;

    (void)priv;
    if (!env->jobs || jobs_cancel(env->jobs, key) < 0) {
        act_run_finish(run, ACT_FAILED, "job %s is not running: nothing to cancel", key);
        return -1;
    }
    act_run_finish(run, ACT_DONE, "job %s: cancelling; what was sent stays sent", key);
    return 0;
}

const struct action cancel_job_action = {
    .name = "cancel-job",
    .title = "Cancel the job",
    .target_kind = "job",
    .mutates = false,
    .confirm = ACT_CONFIRM_YESNO,
    .start = cancel_start,
};
