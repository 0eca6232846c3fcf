/* credentials.c - the credential manager's report as "credential" rows: one per profile
 * whose credentials it holds or is fetching, with their source, expiry and refresh state.
 * No network: it reads what the manager already knows, every second, so the header's
 * countdown, the overview, the expiry view and a replay all read credentials from the
 * store, in one place. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "creds/creds.h"
#include "poll/sources/sources.h"
#include "util/xalloc.h"

/* Providers the manager asks again before their credentials expire; the others' come from
 * outside opsdeck (environment variables, files) and are not renewed. */
static bool refreshable(const struct creds_report *c)
{
    static const char *const fixed[] = {"env", "shared-credentials-file", "config-file"};

    if (!c->expiration)
        return false;
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
        if (strcmp(c->method, fixed[i]) == 0)
            return false;
    return true;
}

/* A profile can be held twice (as the active profile and as another's source_profile):
 * its row is the active one's, else the first. */
static bool shadowed(const struct creds_report *rep, size_t n, size_t i)
{
    for (size_t j = 0; j < n; j++) {
        if (j == i || strcmp(rep[j].profile, rep[i].profile) != 0)
            continue;
        if (rep[j].active && !rep[i].active)
            return true;
        if (rep[j].active == rep[i].active && j < i)
            return true;
    }
    return false;
}

static void credentials_start(struct source_run *run, void *state)
{
    (void)run;
    (void)state;
}

static void credentials_commit(struct source_run *run, void *state)
{
    struct creds_manager *cm = source_creds(run);
    struct store *s = source_store(run);
    struct creds_report few[4], *rep = few;
    size_t n;

    (void)state;
    if (!cm)
        return;
    n = creds_manager_report(cm, few, 4);
    if (n > 4) {   /* it says how many it holds: ask again with room for all */
        rep = xcalloc(n, sizeof(*rep));
        n = creds_manager_report(cm, rep, n);
    }
    store_list_begin(s, "credential");
    for (size_t i = 0; i < n; i++) {
        struct store_res *r;

        if (shadowed(rep, n, i))
            continue;
        r = store_update_begin(s, "credential", rep[i].profile);
        store_set_str(r, "method", rep[i].method);
        store_set_str(r, "source", rep[i].source);
        if (rep[i].expiration)
            store_set_int(r, "expiry", (int64_t)rep[i].expiration);
        else
            store_set_unknown(r, "expiry");
        store_set_int(r, "refreshable", refreshable(&rep[i]));
        store_set_int(r, "active", rep[i].active);
        store_set_str(r, "refresh_error", rep[i].refresh_error);
        store_set_int(r, "refreshing", rep[i].refreshing);
        store_set_int(r, "usable", rep[i].usable);
        store_update_commit(r);
    }
    store_list_end(s, "credential");
    if (rep != few)
        free(rep);
}

int64_t credentials_nearest(const struct store *s, int64_t now_s, const struct store_res **row)
{
    size_t n = store_count(s, "credential");
    const struct store_res *best = NULL, *active = NULL;
    int64_t left = INT64_MAX, expiry, is_active;

    for (size_t i = 0; i < n; i++) {
        const struct store_res *r = store_at(s, "credential", i);

        if (store_res_int(r, "active", &is_active) && is_active && !active)
            active = r;
        if (store_res_int(r, "expiry", &expiry) && (!best || expiry - now_s < left)) {
            best = r;
            left = expiry - now_s;
        }
    }
    if (row)
        *row = best ? best : active;
    return best ? left : INT64_MAX;
}

static const char *const credentials_kinds[] = {"credential", NULL};

const struct source credentials_source = {
    .name = "credentials",
    .kinds = credentials_kinds,
    .interval_ms = 1000,
    .start = credentials_start,
    .commit = credentials_commit,
};
