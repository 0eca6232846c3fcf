/* expiries.c - the store's countdowns as one timeline (expiries.h). */
#include "config.h"
#include "poll/expiries.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/fmt.h"
#include "util/xalloc.h"

static const char *const state_names[] = {
    [EXPIRY_OK] = "ok", [EXPIRY_WARN] = "warn", [EXPIRY_CRITICAL] = "critical",
    [EXPIRY_EXPIRED] = "expired", [EXPIRY_OVERDUE] = "overdue", [EXPIRY_UNKNOWN] = "unknown",
};

const char *expiry_state_name(enum expiry_state st)
{
    return (unsigned)st <= EXPIRY_UNKNOWN ? state_names[st] : "?";
}

static struct expiry_item *item_add(struct expiry_list *l, const char *kind, const char *what,
                                    const char *key, const char *whose)
{
    struct expiry_item *it;

    l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
    it = &l->v[l->n++];
    memset(it, 0, sizeof(*it));
    it->id = xasprintf("%s/%s", kind, key ? key : "");
    it->kind = kind;
    it->what = what;
    it->whose = xstrdup(whose ? whose : "");
    it->store_key = key ? xstrdup(key) : NULL;
    it->note = xstrdup("");
    it->state = EXPIRY_UNKNOWN;
    it->rotated = -1;
    it->report = -1;
    return it;
}

/* The note: pre, arg (may be NULL) and post, one after the other. */
static void set_note(struct expiry_item *it, const char *pre, const char *arg, const char *post)
{
    free(it->note);
    it->note = xasprintf("%s%s%s", pre, arg ? arg : "", post);
}

/* The state of a time left against two thresholds (0: that threshold is off); past is
 * `past` (expired for what stops working, overdue for a renewal that did not happen). */
static enum expiry_state grade(int64_t left, long warn, long critical, enum expiry_state past)
{
    if (left < 0)
        return past;
    if (critical > 0 && left < critical)
        return EXPIRY_CRITICAL;
    if (warn > 0 && left < warn)
        return EXPIRY_WARN;
    return EXPIRY_OK;
}

static void set_at(struct expiry_item *it, int64_t at, int64_t now_s, long warn, long critical,
                   enum expiry_state past)
{
    it->at = at;
    it->known = true;
    it->state = at == EXPIRY_NEVER ? EXPIRY_OK : grade(at - now_s, warn, critical, past);
}

static bool str_set(const char *s)
{
    return s && *s;
}

/* A kind without rows to show: never read, or its list failed before any row was read. */
static bool kind_unread(struct expiry_list *l, const struct store *s, const char *kind,
                        const char *what)
{
    struct store_kind_info info;
    struct expiry_item *it;

    store_kind_info(s, kind, &info);
    if (info.updated)
        return false;
    it = item_add(l, kind, what, NULL, "");
    if (info.last_error)
        set_note(it, "cannot read (", info.last_error->message, ")");
    else
        set_note(it, "not read yet", NULL, "");
    return true;
}

static void add_credentials(struct expiry_list *l, const struct store *s,
                            const struct appconfig_thresholds *th, int64_t now_s)
{
    size_t n = store_count(s, "credential");

    if (kind_unread(l, s, "credential", "credentials"))
        return;
    for (size_t i = 0; i < n; i++) {
        const struct store_res *r = store_at(s, "credential", i);
        const char *method = store_res_str(r, "method");
        const char *failed = store_res_str(r, "refresh_error");
        struct expiry_item *it = item_add(l, "credential", "credentials", store_res_key(r),
                                          store_res_key(r));
        int64_t at, refreshable = 0, usable = 1, refreshing = 0;

        store_res_int(r, "refreshable", &refreshable);
        store_res_int(r, "usable", &usable);
        store_res_int(r, "refreshing", &refreshing);
        if (!usable && !store_res_int(r, "expiry", &at)) {
            /* nothing held yet: not "never expires"; being fetched, or it failed */
            if (!refreshing && str_set(failed))
                set_note(it, "refresh failed: ", failed, "");
            else
                set_note(it, "being fetched: none held yet", NULL, "");
            continue;
        }
        if (store_res_int(r, "expiry", &at))
            set_at(it, at, now_s, th->expiry_warn, th->expiry_critical, EXPIRY_EXPIRED);
        else
            set_at(it, EXPIRY_NEVER, now_s, 0, 0, EXPIRY_EXPIRED);
        if (refreshing)
            set_note(it, "refreshing", NULL, "");
        else if (str_set(failed))
            set_note(it, "refresh failed: ", failed, "");
        else if (it->at != EXPIRY_NEVER && !refreshable)
            set_note(it, "", method, ": not renewed by opsdeck");
        else
            set_note(it, method ? method : "?", NULL, "");
    }
}

/* The SSO tokens behind SSO profiles, and the client registrations that refresh them: a
 * token that can no longer be refreshed needs a sign-in (Enter on its row). */
static void add_sso_tokens(struct expiry_list *l, const struct store *s,
                           const struct appconfig_thresholds *th, int64_t now_s)
{
    size_t n = store_count(s, "sso_token");

    for (size_t i = 0; i < n; i++) {
        const struct store_res *r = store_at(s, "sso_token", i);
        const char *failed = store_res_str(r, "error");
        struct expiry_item *it = item_add(l, "sso_token", "SSO token", store_res_key(r),
                                          store_res_key(r));
        int64_t at, reg, refreshable = 0;
        bool has_reg = store_res_int(r, "registration_expires_at", &reg);

        store_res_int(r, "refreshable", &refreshable);
        if (!store_res_int(r, "expires_at", &at)) {
            set_note(it, "no token: ", str_set(failed) ? failed : "?", "; Enter signs in");
            continue;
        }
        set_at(it, at, now_s, th->expiry_warn, th->expiry_critical, EXPIRY_EXPIRED);
        if (at <= now_s)
            set_note(it, "expired: Enter signs in", NULL, "");
        else if (refreshable && has_reg && reg > now_s)
            set_note(it, "renewed with its refresh token; Enter signs in anew", NULL, "");
        else
            set_note(it, "only a sign-in renews it (Enter)", NULL, "");
        if (!has_reg)
            continue;
        it = item_add(l, "sso_registration", "SSO client", store_res_key(r), store_res_key(r));
        set_at(it, reg, now_s, th->expiry_warn, th->expiry_critical, EXPIRY_EXPIRED);
        set_note(it, reg <= now_s ? "registration expired: the token is no longer refreshed; "
                                    "Enter signs in"
                                  : "registration (clientSecret): the token is refreshed until "
                                    "then; Enter signs in",
                 NULL, "");
    }
}

static void add_passwords(struct expiry_list *l, const struct store *s,
                          const struct appconfig_thresholds *th, int64_t now_s)
{
    size_t n = store_count(s, "password");

    if (kind_unread(l, s, "password", "password"))
        return;
    for (size_t i = 0; i < n; i++) {
        const struct store_res *r = store_at(s, "password", i);
        const char *cause = store_res_str(r, "unreadable");
        struct expiry_item *it = item_add(l, "password", "password", store_res_key(r),
                                          store_res_str(r, "user"));
        int64_t at, hard = 0, expire = -1, reset = 0;

        store_res_int(r, "hard_expiry", &hard);
        store_res_int(r, "reset_required", &reset);
        store_res_int(r, "report_generated", &it->report);
        if (store_res_int(r, "expires", &at)) {
            set_at(it, at, now_s, th->password_warn, th->password_critical, EXPIRY_EXPIRED);
            /* HardExpiry blocks the console only: an access key can still change it */
            set_note(it, hard ? "hard expiry: the console locks; an access key can "
                                      "still change it (iam:ChangePassword)"
                                    : "at expiry the console asks for a new password", NULL, "");
        } else if (store_res_int(r, "expire_passwords", &expire) && expire == 0) {
            set_at(it, EXPIRY_NEVER, now_s, 0, 0, EXPIRY_EXPIRED);
            set_note(it, "the account's policy does not expire passwords", NULL, "");
        } else {
            set_note(it, "cannot read (", str_set(cause) ? cause : "no last change known",
                     ")");
        }
        if (reset == 1) {
            char *note = it->note;

            it->note = xasprintf("reset required at next sign-in; %s", note);
            free(note);
            if (it->state < EXPIRY_CRITICAL)
                it->state = EXPIRY_CRITICAL;
        }
    }
}

static void add_keys(struct expiry_list *l, const struct store *s,
                     const struct appconfig_thresholds *th, int64_t now_s)
{
    size_t n = store_count(s, "access_key");

    if (kind_unread(l, s, "access_key", "access key"))
        return;
    for (size_t i = 0; i < n; i++) {
        const struct store_res *r = store_at(s, "access_key", i);
        const char *user = store_res_str(r, "user");
        char whose[512], used[64], ago[32];
        struct expiry_item *it;
        int64_t created, active = 0, last = -1;

        /* "alice AKIA...": whose key it is and which */
        if (strncmp(store_res_key(r), "AKIA", 4) == 0)
            snprintf(whose, sizeof(whose), "%s %s", user ? user : "?", store_res_key(r));
        else
            snprintf(whose, sizeof(whose), "%s", store_res_key(r));
        it = item_add(l, "access_key", "access key", store_res_key(r), whose);
        store_res_int(r, "active", &active);
        store_res_int(r, "report_generated", &it->report);
        store_res_int(r, "created", &it->rotated);
        if (!store_res_int(r, "created", &created)) {
            set_note(it, "cannot read (no creation date)", NULL, "");
            continue;
        }
        /* an inactive key signs nothing: its age is not a risk to chase at night */
        set_at(it, created + th->access_key_age, now_s, active ? th->access_key_warn : 0, 0,
               active ? EXPIRY_OVERDUE : EXPIRY_OK);
        if (store_res_int(r, "last_used", &last))
            snprintf(used, sizeof(used), "last used %s ago",
                     fmt_duration(ago, sizeof(ago), now_s - last));
        else
            snprintf(used, sizeof(used), "never used");
        set_note(it, active ? "rotate at its age limit; " : "inactive; ", used, "");
    }
}

static void add_secrets(struct expiry_list *l, const struct store *s,
                        const struct appconfig_thresholds *th, int64_t now_s)
{
    size_t n = store_count(s, "secret_rotation");

    if (kind_unread(l, s, "secret_rotation", "secret rotation"))
        return;
    for (size_t i = 0; i < n; i++) {
        const struct store_res *r = store_at(s, "secret_rotation", i);
        struct expiry_item *it = item_add(l, "secret_rotation", "secret rotation",
                                          store_res_key(r), store_res_str(r, "name"));
        int64_t next, enabled = 0;

        it->arn = xstrdup(store_res_key(r));
        store_res_int(r, "rotation_enabled", &enabled);
        store_res_int(r, "last_rotated", &it->rotated);
        if (!store_res_int(r, "next_rotation", &next)) {
            set_note(it, "rotation enabled, no next rotation date", NULL, "");
            continue;
        }
        set_at(it, next, now_s, th->rotation_warn, 0, EXPIRY_OVERDUE);
        if (it->state == EXPIRY_OVERDUE)
            set_note(it, "the rotation did not happen: check its rotation function", NULL, "");
        else if (!enabled)
            set_note(it, "rotation is turned off: it will not rotate", NULL, "");
        else
            set_note(it, "rotates automatically", NULL, "");
    }
}

static void add_apps(struct expiry_list *l, const struct store *s, int64_t now_s)
{
    size_t n = store_count(s, "app_password");

    if (kind_unread(l, s, "app_password", "app password"))
        return;
    for (size_t i = 0; i < n; i++) {
        const struct store_res *r = store_at(s, "app_password", i);
        const char *cause = store_res_str(r, "unreadable");
        struct expiry_item *it = item_add(l, "app_password", "app password", store_res_key(r),
                                          store_res_key(r));
        int64_t at, warn = 0, critical = 0;

        store_res_int(r, "warn", &warn);
        store_res_int(r, "critical", &critical);
        if (!store_res_int(r, "expires", &at)) {
            set_note(it, "cannot read (", str_set(cause) ? cause : "?", ")");
            continue;
        }
        set_at(it, at, now_s, (long)warn, (long)critical, EXPIRY_OVERDUE);
        if (it->state == EXPIRY_OVERDUE)
            set_note(it, "late: ", store_res_str(r, "anchor"),
                     " did not change in time (its refresh failed?)");
        else
            set_note(it, "next change of ", store_res_str(r, "anchor"), "");
    }
}

/* Soonest first: known times ascending, then never, then unknown; ties by id. */
static int item_cmp(const void *a, const void *b)
{
    const struct expiry_item *x = a, *y = b;
    int rx = !x->known ? 2 : x->at == EXPIRY_NEVER ? 1 : 0;
    int ry = !y->known ? 2 : y->at == EXPIRY_NEVER ? 1 : 0;

    if (rx != ry)
        return rx - ry;
    if (rx == 0 && x->at != y->at)
        return x->at < y->at ? -1 : 1;
    return strcmp(x->id, y->id);
}

void expiry_list_build(struct expiry_list *l, const struct store *s,
                       const struct appconfig *cfg, int64_t now_s)
{
    const struct appconfig_thresholds *th = appconfig_thresholds(cfg);

    expiry_list_free(l);
    add_credentials(l, s, th, now_s);
    add_sso_tokens(l, s, th, now_s);
    add_passwords(l, s, th, now_s);
    add_keys(l, s, th, now_s);
    add_secrets(l, s, th, now_s);
    add_apps(l, s, now_s);
    if (l->n)
        qsort(l->v, l->n, sizeof(*l->v), item_cmp);
}

void expiry_list_free(struct expiry_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].id);
        free(l->v[i].whose);
        free(l->v[i].store_key);
        free(l->v[i].arn);
        free(l->v[i].note);
    }
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

const struct expiry_item *expiry_list_nearest(const struct expiry_list *l)
{
    /* sorted: the first known, finite time */
    if (l->n && l->v[0].known && l->v[0].at != EXPIRY_NEVER)
        return &l->v[0];
    return NULL;
}

char *expiry_left_text(const struct expiry_item *it, int64_t now_s, char *buf, size_t n)
{
    char d[48];

    if (!it->known)
        snprintf(buf, n, "?");
    else if (it->at == EXPIRY_NEVER)
        snprintf(buf, n, "never");
    else if (it->at - now_s >= 0)
        fmt_countdown(buf, n, it->at - now_s);
    else if (it->state == EXPIRY_OVERDUE)
        snprintf(buf, n, "%s %s", strcmp(it->kind, "app_password") == 0 ? "late" : "overdue",
                 fmt_duration(d, sizeof(d), now_s - it->at));
    else
        fmt_countdown(buf, n, it->at - now_s);
    return buf;
}

/* ---- the bell ----------------------------------------------------------------------- */

static bool worse(enum expiry_state now, enum expiry_state before)
{
    /* unknown is not an alarm (a denied call is said once, in words) */
    static const int rank[] = {
        [EXPIRY_OK] = 0, [EXPIRY_WARN] = 1, [EXPIRY_CRITICAL] = 2, [EXPIRY_EXPIRED] = 3,
        [EXPIRY_OVERDUE] = 3, [EXPIRY_UNKNOWN] = 0,
    };

    return rank[now] > rank[before];
}

bool expiry_alert_update(struct expiry_alert *a, const struct expiry_list *l)
{
    bool ring = false;
    char **ids = xcalloc(l->n ? l->n : 1, sizeof(*ids));
    enum expiry_state *states = xcalloc(l->n ? l->n : 1, sizeof(*states));

    for (size_t i = 0; i < l->n; i++) {
        ids[i] = xstrdup(l->v[i].id);
        states[i] = l->v[i].state;
        for (size_t j = 0; a->primed && j < a->n; j++) {
            if (strcmp(a->ids[j], l->v[i].id) == 0) {
                ring |= worse(l->v[i].state, a->states[j]);
                break;
            }
        }
    }
    expiry_alert_done(a);
    a->ids = ids;
    a->states = states;
    a->n = l->n;
    a->primed = true;
    return ring;
}

void expiry_alert_done(struct expiry_alert *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->ids[i]);
    free(a->ids);
    free(a->states);
    memset(a, 0, sizeof(*a));
}
