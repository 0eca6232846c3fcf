/* credentials.c - the credential manager's report as "credential" rows: one per profile
 * whose credentials it holds or is fetching, with their source, expiry and refresh state.
 * No network: it reads what the manager already knows, every second, so the header's
 * countdown, the overview, the expiry view and a replay all read credentials from the
 * store, in one place. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "creds/creds.h"
#include "creds/creds_sso.h"
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

/* The SSO token behind profile, when it uses SSO: its expiry and its registration's, read
 * from the cache file the login wrote (a small local file: no network). */
static void sso_token_row(struct store *s, const struct aws_config *cfg, const char *profile)
{
    struct sso_profile p;
    struct sso_token t;
    struct aws_error err;
    struct store_res *r;
    char *path;

    aws_error_clear(&err);
    if (sso_profile_load(cfg, profile, false, &p, &err) < 0)
        return;   /* not an SSO profile (or one whose settings say what is wrong elsewhere) */
    path = sso_token_cache_path(&p);
    r = store_update_begin(s, "sso_token", profile);
    store_set_str(r, "start_url", p.start_url);
    if (sso_token_load(path, &t, &err) < 0) {
        store_set_unknown(r, "expires_at");
        store_set_unknown(r, "registration_expires_at");
        store_set_int(r, "refreshable", 0);
        store_set_str(r, "error", err.message);
    } else {
        store_set_int(r, "expires_at", (int64_t)t.expires_at);
        if (t.registration_expires_at)
            store_set_int(r, "registration_expires_at", (int64_t)t.registration_expires_at);
        else
            store_set_unknown(r, "registration_expires_at");
        /* as the provider: only an sso_session token with its registration is refreshed */
        store_set_int(r, "refreshable", p.session && t.refresh_token && t.client_id &&
                                            t.client_secret && t.registration_expires_at);
        store_set_str(r, "error", "");
        sso_token_done(&t);
    }
    store_update_commit(r);
    free(path);
    sso_profile_done(&p);
}

static void sso_token_rows(struct source_run *run, const struct creds_report *rep, size_t n)
{
    const struct aws_config *cfg = source_aws_config(run);
    struct store *s = source_store(run);
    bool active_seen = false;

    if (!cfg)
        return;
    store_list_begin(s, "sso_token");
    for (size_t i = 0; i < n; i++) {
        bool dup = false;

        for (size_t j = 0; j < i; j++)
            dup = dup || strcmp(rep[j].profile, rep[i].profile) == 0;
        if (dup)
            continue;
        active_seen = active_seen || strcmp(rep[i].profile, cfg->profile) == 0;
        sso_token_row(s, cfg, rep[i].profile);
    }
    /* the active profile even before the manager holds anything for it */
    if (!active_seen)
        sso_token_row(s, cfg, cfg->profile);
    store_list_end(s, "sso_token");
}

/* Whether any credential is being refreshed, and (*waiting) whether the active profile's
 * one is, holding nothing usable: from the rows the commit writes (shadowed ones left out),
 * as the header reads them. */
static bool report_refreshing(const struct creds_report *rep, size_t n, bool *waiting)
{
    bool any = false;

    *waiting = false;
    for (size_t i = 0; i < n; i++) {
        if (shadowed(rep, n, i) || !rep[i].refreshing)
            continue;
        any = true;
        if (rep[i].active && !rep[i].usable)
            *waiting = true;
    }
    return any;
}

bool credentials_refreshing(const struct store *s, bool *waiting)
{
    size_t n = store_count(s, "credential");
    bool any = false;

    *waiting = false;
    for (size_t i = 0; i < n; i++) {
        const struct store_res *r = store_at(s, "credential", i);
        int64_t refreshing = 0, active = 0, usable = 1;

        if (!store_res_int(r, "refreshing", &refreshing) || !refreshing)
            continue;
        any = true;
        store_res_int(r, "active", &active);
        store_res_int(r, "usable", &usable);
        if (active && !usable)
            *waiting = true;
    }
    return any;
}

/* A refresh started or ended since the rows were written: they are written now, not up to
 * a second later (the header and the status line read them). */
static bool credentials_outdated(struct source_run *run)
{
    struct creds_manager *cm = source_creds(run);
    struct creds_report few[4], *rep = few;
    bool held_any, held_waiting, rows_any, rows_waiting;
    size_t n;

    if (!cm)
        return false;
    n = creds_manager_report(cm, few, 4);
    if (n > 4) {
        rep = xcalloc(n, sizeof(*rep));
        n = creds_manager_report(cm, rep, n);
    }
    held_any = report_refreshing(rep, n, &held_waiting);
    if (rep != few)
        free(rep);
    rows_any = credentials_refreshing(source_store(run), &rows_waiting);
    return held_any != rows_any || held_waiting != rows_waiting;
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
    sso_token_rows(run, rep, n);
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

static const char *const credentials_kinds[] = {"credential", "sso_token", NULL};

const struct source credentials_source = {
    .name = "credentials",
    .kinds = credentials_kinds,
    .interval_ms = 1000,
    .start = credentials_start,
    .commit = credentials_commit,
    .outdated = credentials_outdated,
};
