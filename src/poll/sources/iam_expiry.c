/* iam_expiry.c - when IAM passwords expire and access keys come due for rotation, as the
 * "password" and "access_key" kinds (schema in sources.h).
 *
 * One cycle asks GetAccountPasswordPolicy, GetUser then GetLoginProfile, and ListAccessKeys
 * (paged, then GetAccessKeyLastUsed for each key) for the caller, and GetCredentialReport
 * for every user. The report is the only place IAM says when a password was last changed, and it
 * exists only once someone generated it: when it is missing or expired this cycle asks
 * GenerateCredentialReport and a later cycle reads it (IAM rebuilds it at most every 4
 * hours; its rows carry how old it is). Whatever the caller may not read is written once, as
 * the rows' `unreadable` cause, never as a failure per poll: an engineer without
 * iam:GetCredentialReport still sees their own keys. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/iam.h"
#include "core/pager.h"
#include "poll/sources/common.h"
#include "poll/sources/sources.h"
#include "util/xalloc.h"

enum { R_POLICY, R_USER, R_LOGIN, R_KEYS, R_LAST_USED, R_REPORT, R_GENERATE };

#define CAUSE_MAX 160

struct iam_expiry_state {
    struct iam_password_policy policy;
    bool policy_read, no_policy;
    char policy_cause[CAUSE_MAX];      /* "" or why the policy could not be read */

    struct iam_login_profile login;
    bool login_read;                   /* the caller has a console password */
    bool login_known;                  /* GetLoginProfile answered (with one or NoSuchEntity) */
    char login_cause[CAUSE_MAX];

    struct iam_access_key *keys;       /* the caller's, every page */
    size_t nkeys;
    struct iam_key_last_used *last_used;  /* per key; service NULL: not read (IAM always
                                          * names one, "N/A" for a key never used) */
    struct aws_pager pager;
    struct aws_error *keys_err;
    char keys_cause[CAUSE_MAX];

    struct iam_report report;
    int64_t report_generated;          /* -1: no report read */
    bool report_generating;            /* missing or expired: asked to generate one */
    char report_cause[CAUSE_MAX];
};

static bool code_is(const struct aws_error *err, const char *code)
{
    return err && err->kind == AWS_ERR_HTTP && strcmp(err->code, code) == 0;
}

static void keys_page(struct source_run *run, const char *marker)
{
    struct aws_request r;

    iam_list_access_keys_request(&r, NULL, marker);
    source_send(run, &r, R_KEYS, 0);
}

static void iam_expiry_start(struct source_run *run, void *state)
{
    struct iam_expiry_state *st = state;
    struct aws_request r;

    st->report_generated = -1;
    iam_get_account_password_policy_request(&r);
    source_send(run, &r, R_POLICY, 0);
    iam_get_user_request(&r, NULL);
    source_send(run, &r, R_USER, 0);
    keys_page(run, NULL);
    iam_get_credential_report_request(&r);
    source_send(run, &r, R_REPORT, 0);
}

/* The parse failed: the call counts as failed with perr. */
static const struct aws_error *parse_failed(struct source_run *run, struct aws_error *perr)
{
    source_error(run, perr);
    return perr;
}

static void answer_policy(struct source_run *run, struct iam_expiry_state *st,
                          const struct aws_response *resp, const struct aws_error *err)
{
    struct aws_error perr;

    aws_error_clear(&perr);
    if (code_is(err, "NoSuchEntity")) {
        /* no policy: passwords never expire. An answer, not a failure. */
        st->no_policy = true;
        source_gone(run);
        return;
    }
    if (!err && iam_get_account_password_policy_parse(resp, &st->policy, &perr) < 0)
        err = parse_failed(run, &perr);
    if (err)
        sources_cannot_read(err, st->policy_cause, sizeof(st->policy_cause));
    else
        st->policy_read = true;
}

/* The caller's own name first: GetLoginProfile without one is not answered everywhere. */
static void answer_user(struct source_run *run, struct iam_expiry_state *st,
                        const struct aws_response *resp, const struct aws_error *err)
{
    struct iam_user u = {0};
    struct aws_error perr;
    struct aws_request r;

    aws_error_clear(&perr);
    /* a role or federated caller (IAM: "Must specify userName when calling with non-User
     * credentials") has no console password of its own */
    if (code_is(err, "ValidationError") || code_is(err, "NoSuchEntity")) {
        st->login_known = true;
        source_gone(run);
        return;
    }
    if (!err && iam_get_user_parse(resp, &u, &perr) < 0)
        err = parse_failed(run, &perr);
    if (err) {
        sources_cannot_read(err, st->login_cause, sizeof(st->login_cause));
        iam_user_free(&u);
        return;
    }
    iam_get_login_profile_request(&r, u.name);
    source_send(run, &r, R_LOGIN, 0);
    iam_user_free(&u);
}

static void answer_login(struct source_run *run, struct iam_expiry_state *st,
                         const struct aws_response *resp, const struct aws_error *err)
{
    struct aws_error perr;

    aws_error_clear(&perr);
    /* no console password; or the caller is a role (IAM: "Must specify userName when
     * calling with non-User credentials"), which has none of its own */
    if (code_is(err, "NoSuchEntity") || code_is(err, "ValidationError")) {
        st->login_known = true;
        source_gone(run);
        return;
    }
    if (!err && iam_get_login_profile_parse(resp, &st->login, &perr) < 0)
        err = parse_failed(run, &perr);
    if (err) {
        sources_cannot_read(err, st->login_cause, sizeof(st->login_cause));
        return;
    }
    st->login_known = st->login_read = true;
}

static void answer_keys(struct source_run *run, struct iam_expiry_state *st,
                        const struct aws_response *resp, const struct aws_error *err)
{
    struct iam_access_key_list l = {0};
    struct aws_error perr;
    size_t first = st->nkeys;

    aws_error_clear(&perr);
    /* a role (ValidationError), or keys IAM does not know as a user's: none of its own */
    if (code_is(err, "ValidationError") || code_is(err, "NoSuchEntity")) {
        source_gone(run);
        return;
    }
    if (!err && (iam_list_access_keys_parse(resp, &l, &perr) < 0 ||
                 aws_pager_next(&st->pager, l.marker, resp, &perr) < 0))
        err = parse_failed(run, &perr);
    if (err) {
        iam_access_key_list_free(&l);
        sources_error_keep(&st->keys_err, err);
        sources_cannot_read(err, st->keys_cause, sizeof(st->keys_cause));
        source_backoff(run);
        return;
    }
    st->keys = xrealloc(st->keys, (st->nkeys + l.n + 1) * sizeof(*st->keys));
    st->last_used = xrealloc(st->last_used, (st->nkeys + l.n + 1) * sizeof(*st->last_used));
    memcpy(st->keys + st->nkeys, l.keys, l.n * sizeof(*l.keys));
    memset(st->last_used + st->nkeys, 0, l.n * sizeof(*st->last_used));
    st->nkeys += l.n;
    l.n = 0;   /* the entries are taken over */
    if (l.marker)
        keys_page(run, l.marker);
    iam_access_key_list_free(&l);
    for (size_t i = first; i < st->nkeys; i++) {
        struct aws_request r;

        iam_get_access_key_last_used_request(&r, st->keys[i].id);
        source_send(run, &r, R_LAST_USED, i);
    }
}

static void answer_last_used(struct source_run *run, struct iam_expiry_state *st, size_t i,
                             const struct aws_response *resp, const struct aws_error *err)
{
    struct aws_error perr;

    aws_error_clear(&perr);
    if (err || i >= st->nkeys)
        return;   /* last used stays unknown; the key's own row still stands */
    if (iam_get_access_key_last_used_parse(resp, &st->last_used[i], &perr) < 0) {
        iam_key_last_used_free(&st->last_used[i]);
        memset(&st->last_used[i], 0, sizeof(st->last_used[i]));
        source_error(run, &perr);
    }
}

static void answer_report(struct source_run *run, struct iam_expiry_state *st,
                          const struct aws_response *resp, const struct aws_error *err)
{
    struct iam_credential_report rep = {0};
    struct aws_error perr;

    aws_error_clear(&perr);
    if (code_is(err, "ReportNotPresent") || code_is(err, "ReportExpired") ||
        code_is(err, "ReportInProgress")) {
        if (!code_is(err, "ReportInProgress")) {
            struct aws_request r;

            iam_generate_credential_report_request(&r);
            source_send(run, &r, R_GENERATE, 0);
        }
        st->report_generating = true;
        source_gone(run);
        return;
    }
    if (!err && (iam_get_credential_report_parse(resp, &rep, &perr) < 0 ||
                 iam_report_parse_csv(rep.csv, rep.len, &st->report, &perr) < 0)) {
        aws_error_from_response(&perr, resp);
        err = parse_failed(run, &perr);
    }
    if (err)
        sources_cannot_read(err, st->report_cause, sizeof(st->report_cause));
    else
        st->report_generated = rep.generated >= 0 ? rep.generated : 0;
    iam_credential_report_free(&rep);
}

static void iam_expiry_answer(struct source_run *run, void *state, unsigned tag, size_t index,
                              const struct aws_response *resp, const struct aws_error *err)
{
    struct iam_expiry_state *st = state;

    switch (tag) {
    case R_POLICY: answer_policy(run, st, resp, err); break;
    case R_USER: answer_user(run, st, resp, err); break;
    case R_LOGIN: answer_login(run, st, resp, err); break;
    case R_KEYS: answer_keys(run, st, resp, err); break;
    case R_LAST_USED: answer_last_used(run, st, index, resp, err); break;
    case R_REPORT: answer_report(run, st, resp, err); break;
    default: break;   /* GenerateCredentialReport: the next cycle reads the report */
    }
}

static void set_time(struct store_res *r, const char *field, int64_t t)
{
    if (t >= 0)
        store_set_int(r, field, t);
    else
        store_set_unknown(r, field);
}

/* Why a password's expiry is not known, or "": the policy is the first thing missing. */
static const char *password_cause(const struct iam_expiry_state *st)
{
    if (st->policy_cause[0])
        return st->policy_cause;
    if (st->report_cause[0])
        return st->report_cause;
    return "";
}

static void write_password(struct store *s, const struct iam_expiry_state *st, const char *user,
                           const struct iam_report_row *row, int reset_required)
{
    struct store_res *r = store_update_begin(s, "password", user);
    int64_t changed = row ? row->password_last_changed : -1, expires = -1;

    store_set_str(r, "user", user);
    set_time(r, "last_changed", changed);
    if (st->policy_read) {
        store_set_int(r, "expire_passwords", st->policy.expire_passwords);
        set_time(r, "max_age_days", st->policy.expire_passwords ? st->policy.max_age_days : -1);
        store_set_int(r, "hard_expiry", st->policy.hard_expiry);
    } else if (st->no_policy) {
        store_set_int(r, "expire_passwords", 0);
        store_set_unknown(r, "max_age_days");
        store_set_int(r, "hard_expiry", 0);
    } else {
        store_set_unknown(r, "expire_passwords");
        store_set_unknown(r, "max_age_days");
        store_set_unknown(r, "hard_expiry");
    }
    /* the report's own date first: it is IAM's; else the policy's age from the change */
    if (row && row->password_next_rotation >= 0)
        expires = row->password_next_rotation;
    else if (st->policy_read && st->policy.expire_passwords && st->policy.max_age_days > 0 &&
             changed >= 0)
        expires = changed + st->policy.max_age_days * 86400;
    set_time(r, "expires", expires);
    if (reset_required >= 0)
        store_set_int(r, "reset_required", reset_required);
    else
        store_set_unknown(r, "reset_required");
    set_time(r, "report_generated", row ? st->report_generated : -1);
    /* a known "never expires" needs no cause; an unknown expiry says why */
    store_set_str(r, "unreadable", expires >= 0 || st->no_policy ||
                                   (st->policy_read && !st->policy.expire_passwords)
                                       ? "" : password_cause(st));
    store_update_commit(r);
}

static void write_passwords(struct store *s, const struct iam_expiry_state *st)
{
    bool have_report = st->report_generated >= 0;

    if (!st->login_known && !have_report && !st->policy_read && !st->no_policy) {
        struct aws_error e;

        aws_error_clear(&e);
        aws_error_set(&e, AWS_ERR_HTTP, "%s", st->login_cause[0] ? st->login_cause
                                                                  : st->policy_cause);
        store_list_fail(s, "password", &e);
        return;
    }
    store_list_begin(s, "password");
    if (st->login_read)
        write_password(s, st, st->login.user ? st->login.user : "(you)",
                       have_report && st->login.user
                           ? iam_report_find(&st->report, st->login.user) : NULL,
                       st->login.reset_required);
    for (size_t i = 0; have_report && i < st->report.n; i++) {
        const struct iam_report_row *row = &st->report.rows[i];

        if (!row->password_enabled || (st->login_read && st->login.user &&
                                       strcmp(row->user, st->login.user) == 0))
            continue;
        write_password(s, st, row->user, row, -1);
    }
    store_list_end(s, "password");
}

static void write_key(struct store *s, const char *key, const char *user, bool active,
                      int64_t created, int64_t last_used, const char *service,
                      int64_t report_generated)
{
    struct store_res *r = store_update_begin(s, "access_key", key);

    store_set_str(r, "user", user);
    store_set_int(r, "active", active);
    set_time(r, "created", created);
    set_time(r, "last_used", last_used);
    store_set(r, "last_service", store_value_str(service));
    set_time(r, "report_generated", report_generated);
    store_update_commit(r);
}

static void write_keys(struct store *s, const struct iam_expiry_state *st)
{
    bool have_report = st->report_generated >= 0;
    const char *me = st->nkeys ? st->keys[0].user : st->login_read ? st->login.user : NULL;

    if (st->keys_err && !have_report) {
        store_list_fail(s, "access_key", st->keys_err);
        return;
    }
    store_list_begin(s, "access_key");
    for (size_t i = 0; !st->keys_err && i < st->nkeys; i++) {
        const struct iam_access_key *k = &st->keys[i];
        const struct iam_key_last_used *u = &st->last_used[i];

        write_key(s, k->id, k->user, k->status && strcmp(k->status, "Active") == 0, k->created,
                  u->service ? u->last_used : -1, u->service, -1);
    }
    /* everyone else's from the report: it names no key id, so "user key 1" */
    for (size_t i = 0; have_report && i < st->report.n; i++) {
        const struct iam_report_row *row = &st->report.rows[i];

        if (me && !st->keys_err && strcmp(row->user, me) == 0)
            continue;
        for (int k = 0; k < 2; k++) {
            char key[512];

            if (row->keys[k].last_rotated < 0)
                continue;   /* no such key */
            snprintf(key, sizeof(key), "%s key %d", row->user, k + 1);
            write_key(s, key, row->user, row->keys[k].active, row->keys[k].last_rotated,
                      row->keys[k].last_used, row->keys[k].last_used_service,
                      st->report_generated);
        }
    }
    store_list_end(s, "access_key");
}

static void iam_expiry_commit(struct source_run *run, void *state)
{
    struct iam_expiry_state *st = state;
    struct store *s = source_store(run);

    write_passwords(s, st);
    write_keys(s, st);
    (void)run;
}

static void iam_expiry_done(void *state)
{
    struct iam_expiry_state *st = state;

    iam_login_profile_free(&st->login);
    for (size_t i = 0; i < st->nkeys; i++) {
        free(st->keys[i].user);
        free(st->keys[i].id);
        free(st->keys[i].status);
        iam_key_last_used_free(&st->last_used[i]);
    }
    free(st->keys);
    free(st->last_used);
    free(st->keys_err);
    aws_pager_done(&st->pager);
    iam_report_free(&st->report);
}

static const char *const iam_expiry_kinds[] = {"password", "access_key", NULL};

const struct source iam_expiry_source = {
    .name = "iam_expiry",
    .kinds = iam_expiry_kinds,
    .views = SOURCE_VIEW(APPCONFIG_VIEW_EXPIRY),
    .state_size = sizeof(struct iam_expiry_state),
    .start = iam_expiry_start,
    .answer = iam_expiry_answer,
    .commit = iam_expiry_commit,
    .done = iam_expiry_done,
};
