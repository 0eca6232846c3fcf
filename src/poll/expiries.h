/* expiries.h - every countdown the store knows, on one timeline: the console's own
 * credentials ("credential"), the SSO tokens behind them and their client registrations
 * ("sso_token", "sso_registration"), IAM console passwords ("password"), access keys against
 * their rotation age ("access_key"), secrets' next rotation ("secret_rotation") and the
 * config's app passwords ("app_password"), each with its state under the thresholds of
 * opsdeck's config, soonest first.
 *
 * The expiry view, the overview's section, the header's countdown and bell, and the
 * snapshot all read it, so they agree. Plain data from the store and the config: no
 * terminal, no network; the time is given, so tests move it by hand. */
#ifndef OPSDECK_EXPIRIES_H
#define OPSDECK_EXPIRIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/appconfig.h"
#include "poll/store.h"

enum expiry_state {
    EXPIRY_OK,         /* far off, or it never expires */
    EXPIRY_WARN,       /* inside its warn threshold */
    EXPIRY_CRITICAL,   /* inside its critical threshold */
    EXPIRY_EXPIRED,    /* past: a credential or password no longer works */
    EXPIRY_OVERDUE,    /* past a renewal that should have happened (rotation, refresh, age) */
    EXPIRY_UNKNOWN,    /* cannot be read, or not read yet */
};

/* No expiry at all (a static key, a password policy without MaxPasswordAge). */
#define EXPIRY_NEVER INT64_MAX

struct expiry_item {
    char *id;            /* "<kind>/<store key>": unique across the timeline */
    const char *kind;    /* the store kind ("credential", "password", ...), static */
    const char *what;    /* "credentials", "password", "access key", "secret rotation",
                          * "app password": static text */
    char *whose;         /* profile, user, secret name, app name (untrusted) */
    char *store_key;     /* the row's key in its kind; NULL for a kind that was not read */
    char *arn;           /* a secret's ARN (what `y` copies), else NULL */
    int64_t at;          /* epoch s it expires or is due; EXPIRY_NEVER; unknown: 0 */
    bool known;          /* at is known (or EXPIRY_NEVER) */
    enum expiry_state state;
    char *note;          /* why: "cannot read (iam:GetAccountPasswordPolicy denied)",
                          * "hard expiry: ...", "rotation did not happen"; "" if none */
    int64_t rotated;     /* epoch s an access key was created (rotating one makes a new key;
                          * the report's access_key_N_last_rotated) or a secret last rotated
                          * (LastRotatedDate); -1 unknown or another kind */
    int64_t report;      /* epoch s the credential report the row comes from was generated
                          * (AWS refreshes it at most every 4 hours); -1 not from a report */
};

struct expiry_list {
    struct expiry_item *v;
    size_t n;
};

/* Rebuilds l from the store at now_s (epoch s) with cfg's thresholds, soonest first:
 * known times ascending (past ones first), then what never expires, then the unknown. A
 * kind that was never read is one item: "not read yet", or "cannot read (cause)". */
void expiry_list_build(struct expiry_list *l, const struct store *s,
                       const struct appconfig *cfg, int64_t now_s);
void expiry_list_free(struct expiry_list *l);

/* The item that comes due first (past ones included), NULL when nothing has a known time. */
const struct expiry_item *expiry_list_nearest(const struct expiry_list *l);

/* "ok", "warn", "critical", "expired", "overdue", "unknown". */
const char *expiry_state_name(enum expiry_state st);
/* Time left as the timeline shows it: "12m03s", "29d 3h", "expired 3m ago", "overdue 2d",
 * "late 4m" (an app password), "never", "?" (unknown). */
char *expiry_left_text(const struct expiry_item *it, int64_t now_s, char *buf, size_t n);

/* The bell: remembers each item's state; a build after which some item is in a worse
 * state than it was (ok -> warn, warn -> critical, -> expired or overdue) rings once.
 * An item seen for the first time does not ring: nothing crossed while it was watched. */
struct expiry_alert {
    char **ids;
    enum expiry_state *states;
    size_t n;
    bool primed;
};

/* True when l holds a crossing since the last call (then the caller rings or flashes). */
bool expiry_alert_update(struct expiry_alert *a, const struct expiry_list *l);
void expiry_alert_done(struct expiry_alert *a);

#endif
