/* creds.c - the credential manager: a table of providers tried in the SDKs' order, a cache
 * per profile, and the refreshes that run on the loop.
 *
 * Each provider answers "not mine" (skip), "here they are", "error" or, for providers that
 * need the network or a child process (assume role, SSO, credential_process, container,
 * IMDS), "pending" with a task that ends later from the loop. The order follows botocore's
 * create_credential_resolver: environment, assume role, web identity, SSO, the credentials
 * file, credential_process, the config file, container, instance. A profile that asks for a
 * provider we do not have gets an explicit error, never a silent fall-through to another.
 *
 * A refresh belongs to the cache entry of its profile: everyone who needs those credentials
 * while it runs (the client's requests, a role whose source_profile it is) waits in the
 * entry's queue, and its end wakes them all at once. */
#include "config.h"
#include "creds/creds.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "util/buf.h"
#include "core/client.h"
#include "creds/creds_provider.h"
#include "creds/creds_remote.h"
#include "creds/creds_role.h"
#include "creds/keyring.h"
#include "util/xalloc.h"
#include "util/timeutil.h"

struct creds_entry;
struct mfa_question;

struct creds_manager {
    struct cred_source src;          /* what the client asks (creds_manager_source) */
    const struct aws_config *cfg;
    struct creds_entry *entries;     /* the cache: one per profile resolved (creds_entry) */
    int refresh_holdoff;             /* seconds between refresh attempts that fail */
    unsigned long generation;        /* of the latest credentials cached */
    creds_mfa_fn mfa_fn;
    creds_mfa_withdraw_fn mfa_withdraw;
    void *mfa_ud;
    char *mfa_fixed;                 /* --mfa-code, used once: a code is valid only once */
    struct mfa_question *mfa_open;   /* questions asked and not answered yet */
    unsigned long mfa_next_id;
};

/* botocore's create_credential_resolver order. */
static const struct creds_provider *const providers[] = {
    &creds_provider_env,
    &creds_provider_assume_role,
    &creds_provider_web_identity,
    &creds_provider_sso,
    &creds_provider_mfa_session,   /* creds_role.c: GetSessionToken for keys + mfa_serial */
    &creds_provider_keyring,   /* keyring.c: keys from `opsdeck creds add` */
    &creds_provider_credentials_file,
    &creds_provider_process,
    &creds_provider_config_file,
    &creds_provider_container,
    &creds_provider_imds,
};

static enum provider_result cached_resolve(struct creds_ctx *ctx,
                                           const struct aws_credentials **out,
                                           struct aws_error *err, struct cred_waiter *w);
static enum provider_result provider_run(const struct creds_provider *p, struct creds_ctx *ctx,
                                         struct aws_credentials **out, struct aws_error *err);

/* Runs the providers for ctx->profile from table index start on; *used is the index of the
 * one that answered (or is working, for PENDING). */
static enum provider_result resolve_chain(struct creds_ctx *ctx, size_t start,
                                          struct aws_credentials **out, size_t *used,
                                          struct aws_error *err)
{
    for (size_t i = start; i < sizeof(providers) / sizeof(providers[0]); i++) {
        enum provider_result r;

        if (!providers[i]->resolve)
            continue;
        /* botocore never takes a source_profile's credentials from the container or the
         * instance: credential_source asks for those explicitly */
        if (ctx->depth > 0 && (providers[i] == &creds_provider_container ||
                               providers[i] == &creds_provider_imds))
            continue;
        ctx->task = NULL;
        r = provider_run(providers[i], ctx, out, err);
        if (r == PROVIDER_PENDING && !ctx->task) {
            /* a provider's bug, said as one rather than waited on forever */
            aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s: provider %s said pending "
                          "without starting anything", ctx->profile, providers[i]->name);
            r = PROVIDER_ERROR;
        }
        if (r == PROVIDER_SKIP)
            continue;
        *used = i;
        return r;
    }
    return PROVIDER_SKIP;
}

/* The "no credentials" line: every place looked at, and the fixes. */
static void no_credentials_error(const struct aws_config *cfg, struct aws_error *err)
{
    const char *kr_why = NULL, *imds_note;

    keyring_available(false, &kr_why);
    imds_note = creds_remote_note();
    aws_error_set(err, AWS_ERR_CREDENTIALS, "no credentials for profile %s: looked at the "
                  "environment%s, the OS keyring%s%s%s, %s and %s%s%s; set AWS_ACCESS_KEY_ID and "
                  "AWS_SECRET_ACCESS_KEY, add aws_access_key_id/aws_secret_access_key to [%s] "
                  "in %s, store keys with `opsdeck creds add %s`, or choose another profile "
                  "with --profile or AWS_PROFILE", cfg->profile,
                  cfg->profile_explicit ? " (skipped: --profile given)" : "",
                  kr_why ? " (none: " : "", kr_why ? kr_why : "", kr_why ? ")" : "",
                  cfg->credentials_file, cfg->config_file, imds_note ? "; " : "",
                  imds_note ? imds_note : "", cfg->profile, cfg->credentials_file, cfg->profile);
}

enum provider_result creds_resolve_profile(struct creds_ctx *parent, const char *profile,
                                           struct aws_credentials **out, struct aws_error *err,
                                           struct cred_waiter *w)
{
    struct creds_ctx ctx = *parent;
    const struct aws_credentials *c = NULL;
    enum provider_result r;

    if (parent->depth + 1 >= CREDS_MAX_CHAIN) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s: source_profile chain is deeper "
                      "than %d profiles; shorten it", parent->profile, CREDS_MAX_CHAIN);
        return PROVIDER_ERROR;
    }
    for (int i = 0; i <= parent->depth; i++) {
        const char *seen = i < parent->depth ? parent->chain[i] : parent->profile;
        if (strcmp(seen, profile) == 0) {
            aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s: source_profile %s loops back "
                          "to a profile already in the chain; break the cycle in %s",
                          parent->profile, profile, parent->cfg->config_file);
            return PROVIDER_ERROR;
        }
    }
    if (!aws_config_profile_exists(parent->cfg, profile)) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s: source_profile %s is not in %s "
                      "or %s; add it or fix the name", parent->profile, profile,
                      parent->cfg->config_file, parent->cfg->credentials_file);
        return PROVIDER_ERROR;
    }
    ctx.chain[parent->depth] = parent->profile;
    ctx.depth = parent->depth + 1;
    ctx.profile = profile;
    ctx.task = NULL;
    ctx.renew = false;   /* renewing a role does not renew the session it is assumed with */
    /* through the cache: a role's source session is reused while it is good (no new MFA
     * prompt when only the outer role expires); the caller owns a copy */
    r = cached_resolve(&ctx, &c, err, w);
    if (r == PROVIDER_OK)
        *out = creds_new(c->access_key_id, c->secret_access_key, c->session_token,
                         c->expiration, c->source);
    if (r == PROVIDER_SKIP) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s: its source_profile %s has no "
                      "credentials; add keys to [%s] in %s", parent->profile, profile, profile,
                      parent->cfg->credentials_file);
        return PROVIDER_ERROR;
    }
    return r;
}

/* ---- sessions in the OS keyring ------------------------------------------------------ */

/* Providers whose credentials are sessions worth keeping across restarts: getting new ones
 * may need an MFA code or a browser. The names are creds_provider names. */
static const char *const session_methods[] = {"assume-role", "sso", "mfa-session",
                                              "session-token"};

static bool is_session_method(const char *name)
{
    for (size_t i = 0; i < sizeof(session_methods) / sizeof(session_methods[0]); i++)
        if (name && strcmp(name, session_methods[i]) == 0)
            return true;
    return false;
}

/* The settings that decide which session provider claims a profile and what it asks for:
 * a cached session is used only while they are unchanged (a new role_arn must not get the
 * old role's credentials). NULL when the profile has none, so no session can be cached. */
static char *session_fingerprint(const struct creds_ctx *ctx)
{
    static const char *const keys[] = {
        "role_arn", "source_profile", "credential_source", "mfa_serial", "external_id",
        "aws_access_key_id", /* mfa-session: a new key is a new session (the id is no secret) */
        "role_session_name", "duration_seconds", "web_identity_token_file", "sso_session",
        "sso_start_url", "sso_region", "sso_account_id", "sso_role_name",
    };
    static const char *const sso_keys[] = {"sso_start_url", "sso_region"};
    struct buf b;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    bool any = false;
    char *hex;
    const char *session;

    buf_init(&b);
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        const char *v = creds_profile_value(ctx, keys[i]);

        if (v) {
            buf_printf(&b, "%s=%s\n", keys[i], v);
            /* keys alone make no session: plain static profiles never look in the keyring */
            any = any || strcmp(keys[i], "aws_access_key_id") != 0;
        }
    }
    session = creds_profile_value(ctx, "sso_session");
    for (size_t i = 0; session && i < sizeof(sso_keys) / sizeof(sso_keys[0]); i++) {
        const char *v = aws_config_get_section(ctx->cfg, "sso-session", session, sso_keys[i]);

        buf_printf(&b, "sso-session.%s=%s\n", sso_keys[i], v ? v : "");
    }
    if (!any) {
        buf_done(&b);
        return NULL;
    }
    EVP_Digest(b.data, b.len, md, &n, EVP_sha256(), NULL);
    buf_done(&b);
    hex = xmalloc(2 * n + 1);
    for (unsigned int i = 0; i < n; i++)
        sprintf(hex + 2 * i, "%02x", md[i]);
    return hex;
}

/* A session for ctx->profile from the keyring, made by provider `name` for the profile's
 * current settings and good for more than CREDS_REFRESH_AHEAD seconds; NULL otherwise. */
static struct aws_credentials *session_lookup(const struct creds_ctx *ctx, const char *name,
                                              const char *fp)
{
    struct aws_credentials *c = NULL;
    struct keyring_meta meta = {0};
    struct aws_error kerr;
    char *source;

    if (!keyring_available(false, NULL) ||
        keyring_lookup(ctx->profile, KEYRING_SESSION, &c, &meta, &kerr) != 1)
        return NULL;
    if (!meta.method || strcmp(meta.method, name) != 0 || !meta.fingerprint ||
        strcmp(meta.fingerprint, fp) != 0 || c->expiration == 0 ||
        c->expiration - time(NULL) <= CREDS_REFRESH_AHEAD) {
        aws_credentials_free(c);
        keyring_meta_done(&meta);
        return NULL;
    }
    keyring_meta_done(&meta);
    source = xasprintf("%s (session cached in the OS keyring)", c->source);
    free(c->source);
    c->source = source;
    return c;
}

int creds_session_store(const struct aws_config *cfg, const char *profile, const char *method,
                        const struct aws_credentials *c, struct aws_error *err)
{
    struct creds_ctx ctx = {.cfg = cfg, .profile = profile};
    struct keyring_meta meta = {(char *)method, session_fingerprint(&ctx)};
    int r;

    if (!meta.fingerprint) {
        aws_error_set(err, AWS_ERR_CONFIG, "profile %s has no role, MFA or SSO settings, so "
                      "it has no session to cache", profile);
        return -1;
    }
    r = keyring_store(profile, KEYRING_SESSION, c, &meta, err);
    free(meta.fingerprint);
    return r;
}

/* Keeps a session a provider just made in the keyring (not fatal when it cannot: the
 * credentials work, only the next run will ask again). */
static void session_keep(const struct creds_provider *p, const struct creds_ctx *ctx,
                         const struct aws_credentials *c)
{
    struct keyring_meta meta = {(char *)p->name, NULL};
    struct aws_error kerr;

    if (!is_session_method(p->name) || c->expiration == 0 || !keyring_available(false, NULL))
        return;
    if (!(meta.fingerprint = session_fingerprint(ctx)))
        return;
    keyring_store(ctx->profile, KEYRING_SESSION, c, &meta, &kerr);
    free(meta.fingerprint);
}

/* Runs a provider; for session providers the keyring is asked first, and what the provider
 * returns is stored there (by the manager when it arrives later), so the providers
 * themselves know nothing of the keyring. */
static enum provider_result provider_run(const struct creds_provider *p, struct creds_ctx *ctx,
                                         struct aws_credentials **out, struct aws_error *err)
{
    enum provider_result r;
    char *fp;

    if (!ctx->renew && is_session_method(p->name) && (fp = session_fingerprint(ctx))) {
        *out = session_lookup(ctx, p->name, fp);
        free(fp);
        if (*out)
            return PROVIDER_OK;
    }
    r = p->resolve(ctx, out, err);
    if (r == PROVIDER_OK)
        session_keep(p, ctx, *out);
    return r;
}

/* ---- the cache and its refreshes ----------------------------------------------------- */

/* One credential held or being fetched. top: resolved as the active profile (the
 * environment counts); otherwise as a source_profile inside a chain. */
struct creds_entry {
    struct creds_entry *next;
    char *profile;
    bool top;
    struct aws_credentials *c;  /* NULL while the first refresh (or one after the old ones
                                   expired or were refused) runs */
    const char *method;         /* a provider's name (static) */
    time_t retry_after;         /* no refresh attempt before this, after one that failed */
    char refresh_error[1024];   /* why the last refresh failed, "" when it did not */
    /* the refresh under way */
    struct creds_task *task;    /* NULL: none */
    size_t provider;            /* table index of the provider doing it */
    struct creds_ctx ctx;       /* to go on down the table after an asynchronous SKIP */
    struct cred_waiter *wait_head, *wait_tail;
    bool stopped;               /* its refresh was just stopped: the queue is to be told */
    /* a refresh from the loop failed and nothing usable is held: until retry_after, asking
     * fails at once with its error (no new STS call, no new MFA prompt every poll) */
    bool failed;
    struct aws_error failure;
};

static bool usable(const struct aws_credentials *c, time_t now)
{
    return c && (c->expiration == 0 || c->expiration > now);
}

static bool needs_refresh(const struct aws_credentials *c, time_t now)
{
    return c->expiration != 0 && c->expiration - now <= CREDS_REFRESH_AHEAD;
}

static struct creds_entry *entry_find(const struct creds_manager *cm, const char *profile,
                                      bool top)
{
    for (struct creds_entry *e = cm ? cm->entries : NULL; e; e = e->next)
        if (e->top == top && strcmp(e->profile, profile) == 0)
            return e;
    return NULL;
}

static struct creds_entry *entry_new(struct creds_manager *cm, const char *profile, bool top)
{
    struct creds_entry *e = xcalloc(1, sizeof(*e));

    e->profile = xstrdup(profile);
    e->top = top;
    e->next = cm->entries;
    cm->entries = e;
    return e;
}

/* Unlinks and frees e; its refresh must have ended or been stopped, its queue be empty. */
static void entry_drop(struct creds_manager *cm, struct creds_entry *e)
{
    for (struct creds_entry **pp = &cm->entries; *pp; pp = &(*pp)->next) {
        if (*pp == e) {
            *pp = e->next;
            aws_credentials_free(e->c);
            free(e->profile);
            free(e);
            return;
        }
    }
}

static void queue_remove(struct cred_waiter *w);

static void queue_push(struct creds_entry *e, struct cred_waiter *w)
{
    if (!w)
        return;
    if (w->queue)   /* asked again while queued: one place in one queue */
        queue_remove(w);
    w->queue = e;
    w->next = NULL;
    w->prev = e->wait_tail;
    if (e->wait_tail)
        e->wait_tail->next = w;
    else
        e->wait_head = w;
    e->wait_tail = w;
}

static void queue_remove(struct cred_waiter *w)
{
    struct creds_entry *e = w->queue;

    if (!e)
        return;
    if (w->prev)
        w->prev->next = w->next;
    else
        e->wait_head = w->next;
    if (w->next)
        w->next->prev = w->prev;
    else
        e->wait_tail = w->prev;
    w->prev = w->next = NULL;
    w->queue = NULL;
}

/* Takes the whole queue out of e, so waking (which may queue again) starts from empty. */
static struct cred_waiter *queue_take(struct creds_entry *e)
{
    struct cred_waiter *head = e->wait_head;

    for (struct cred_waiter *w = head; w; w = w->next)
        w->queue = NULL;
    e->wait_head = e->wait_tail = NULL;
    return head;
}

static void queue_wake(struct cred_waiter *head, const struct aws_error *err)
{
    while (head) {
        struct cred_waiter *w = head;

        head = w->next;
        w->prev = w->next = NULL;
        w->wake(w, err);
    }
}

void creds_unwait(struct creds_manager *cm, struct cred_waiter *w)
{
    (void)cm;
    if (w)
        queue_remove(w);
}

/* The end of a refresh of e, at once or (from_loop) from the loop: r OK stores c;
 * otherwise old credentials still valid are kept (with the failure for the report), and an
 * entry with nothing usable is dropped, or, after a refresh from the loop, keeps the failure
 * for the hold-off. Then the queue is woken: with NULL (ask again) or the error. e may be
 * gone when this returns, unless it holds usable credentials. Returns r as it ended (OK
 * turns into ERROR for credentials that had expired already). */
static enum provider_result entry_settle(struct creds_manager *cm, struct creds_entry *e,
                                         enum provider_result r, struct aws_credentials *c,
                                         size_t used, struct aws_error *err, bool from_loop)
{
    time_t now = time(NULL);
    struct cred_waiter *waiters;

    e->task = NULL;
    if (r == PROVIDER_OK && c->expiration != 0 && c->expiration <= now) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "the credentials from %s expired; refresh "
                      "them", c->source);
        aws_credentials_free(c);
        c = NULL;
        r = PROVIDER_ERROR;
    }
    if (r == PROVIDER_SKIP) {
        if (e->top)
            no_credentials_error(e->ctx.cfg, err);
        else
            aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s has no credentials; add keys "
                          "to [%s] in %s", e->profile, e->profile,
                          e->ctx.cfg->credentials_file);
    }
    waiters = queue_take(e);
    if (r == PROVIDER_OK) {
        /* a provider that keeps returning short-lived credentials is not asked again on
         * every call; the first answer is (it may simply have been cached near its end) */
        e->retry_after = e->c && needs_refresh(c, now) ? now + cm->refresh_holdoff : 0;
        aws_credentials_free(e->c);
        e->c = c;
        c->generation = ++cm->generation;
        e->method = providers[used]->name;
        e->refresh_error[0] = '\0';
        e->failed = false;
        queue_wake(waiters, NULL);
        return r;
    }
    if (usable(e->c, now)) {
        /* the old ones still work: keep them, and say why they could not be renewed */
        snprintf(e->refresh_error, sizeof(e->refresh_error), "%s", err->message);
        e->retry_after = now + cm->refresh_holdoff;
    } else if (from_loop && cm->refresh_holdoff > 0) {
        aws_credentials_free(e->c);
        e->c = NULL;
        e->failed = true;
        e->failure = *err;
        e->retry_after = now + cm->refresh_holdoff;
    } else {
        entry_drop(cm, e);
    }
    queue_wake(waiters, err);
    return r;
}

static enum provider_result refresh_run(struct creds_manager *cm, struct creds_entry *e,
                                        size_t start, struct aws_error *err);

/* A provider's work for e ended. SKIP goes on down the table, as botocore does. */
static void entry_task_done(struct creds_task *t, enum provider_result r,
                            struct aws_credentials *c, const struct aws_error *err)
{
    struct creds_entry *e = t->owner;
    struct creds_manager *cm = e->ctx.cm;
    struct aws_error why;

    e->task = NULL;
    aws_error_clear(&why);
    if (r == PROVIDER_OK)
        session_keep(providers[e->provider], &e->ctx, c);
    if (r == PROVIDER_SKIP) {
        refresh_run(cm, e, e->provider + 1, &why);
        return;
    }
    if (err)
        why = *err;
    entry_settle(cm, e, r, c, e->provider, &why, true);
}

/* Runs the providers for e (e->ctx) from index start. PENDING: e->task is set and the end
 * comes through entry_task_done; anything else has settled e (which may be gone). */
static enum provider_result refresh_run(struct creds_manager *cm, struct creds_entry *e,
                                        size_t start, struct aws_error *err)
{
    struct aws_credentials *c = NULL;
    size_t used = 0;
    enum provider_result r = resolve_chain(&e->ctx, start, &c, &used, err);

    if (r == PROVIDER_PENDING) {
        e->task = e->ctx.task;
        e->ctx.task = NULL;
        e->task->done = entry_task_done;
        e->task->owner = e;
        e->provider = used;
        return r;
    }
    /* after an asynchronous SKIP the table goes on from start > 0: that end is the loop's */
    return entry_settle(cm, e, r, c, used, err, start > 0);
}

/* The credentials of ctx->profile through the cache. Fresh ones are returned as they are;
 * ones within CREDS_REFRESH_AHEAD of expiry are returned while a refresh starts (in the
 * background when the provider needs the loop); expired ones, or none, are refreshed, and
 * w waits when that cannot end at once. *out belongs to the cache. SKIP means no provider
 * has credentials for the profile. */
static enum provider_result cached_resolve(struct creds_ctx *ctx,
                                           const struct aws_credentials **out,
                                           struct aws_error *err, struct cred_waiter *w)
{
    struct creds_manager *cm = ctx->cm;
    bool top = ctx->depth == 0;
    struct creds_entry *e = entry_find(cm, ctx->profile, top);
    time_t now = time(NULL);
    enum provider_result r;

    *out = NULL;
    if (e && usable(e->c, now)) {
        if (needs_refresh(e->c, now) && !e->task && now >= e->retry_after) {
            struct aws_error rerr;

            aws_error_clear(&rerr);
            e->ctx = *ctx;
            refresh_run(cm, e, 0, &rerr);   /* old ones are kept if it fails: e stays */
        }
        *out = e->c;
        return PROVIDER_OK;
    }
    if (e && e->task) {
        queue_push(e, w);
        return PROVIDER_PENDING;
    }
    if (e && e->failed && now < e->retry_after) {
        *err = e->failure;
        return PROVIDER_ERROR;
    }
    if (!e) {
        e = entry_new(cm, ctx->profile, top);
    } else {
        /* expired: nobody signs with them any more */
        aws_credentials_free(e->c);
        e->c = NULL;
        e->failed = false;
    }
    e->ctx = *ctx;
    r = refresh_run(cm, e, 0, err);
    if (r == PROVIDER_PENDING)
        queue_push(e, w);
    else if (r == PROVIDER_OK)
        *out = e->c;
    return r;
}

/* Stops every refresh and drops every entry (switch, free). Every task is cancelled before
 * any queue is woken, so no waking finds a half-stopped refresh. */
static void entries_free(struct creds_manager *cm, const char *why)
{
    struct aws_error err;

    for (struct creds_entry *e = cm->entries; e; e = e->next) {
        struct creds_task *t = e->task;

        e->task = NULL;
        if (t)
            t->cancel(t);
    }
    while (cm->entries) {
        struct creds_entry *e = cm->entries;
        struct cred_waiter *waiters = queue_take(e);

        cm->entries = e->next;
        aws_error_set(&err, AWS_ERR_CREDENTIALS, "profile %s: the credential refresh was "
                      "stopped (%s)", e->profile, why);
        aws_credentials_free(e->c);
        free(e->profile);
        free(e);
        queue_wake(waiters, &err);
    }
}

/* ---- the manager as the client's credential source (core/credsrc.h) ----------------- */

static struct creds_manager *source_manager(struct cred_source *s)
{
    return (struct creds_manager *)(void *)((char *)s - offsetof(struct creds_manager, src));
}

static enum cred_status source_get(struct cred_source *s, struct aws_client *c,
                                   struct cred_waiter *w, const struct aws_credentials **out,
                                   struct aws_error *err)
{
    return (enum cred_status)creds_manager_get(source_manager(s), c, w, out, err);
}

static void source_cancel(struct cred_source *s, struct cred_waiter *w)
{
    creds_unwait(source_manager(s), w);
}

static void forget_active(struct creds_manager *cm, struct creds_entry *e)
{
    /* The service refused them (ExpiredToken): a session cached in the keyring is as bad,
     * and would otherwise come back on the next get. */
    if (is_session_method(e->method) && keyring_available(false, NULL)) {
        struct aws_error kerr;

        keyring_delete(e->profile, KEYRING_SESSION, &kerr);
    }
    aws_credentials_free(e->c);
    e->c = NULL;
    e->method = NULL;
    e->refresh_error[0] = '\0';
    /* a refresh already under way carries on: its end wakes whoever waits by then */
    if (!e->task)
        entry_drop(cm, e);
}

static void source_invalidate(struct cred_source *s, unsigned long generation)
{
    struct creds_manager *cm = source_manager(s);
    struct creds_entry *e = entry_find(cm, cm->cfg->profile, true);

    /* only the credentials that were refused: a hundred answers to requests signed with
     * them make one refresh, and credentials already renewed are not thrown away */
    if (e && e->c && e->c->generation == generation)
        forget_active(cm, e);
}

/* c goes away with every request and timer on it: the refreshes running there stop, and
 * whoever else waits on them hears why. Every such task is cancelled before any queue is
 * woken. */
static void source_client_gone(struct cred_source *s, struct aws_client *c)
{
    struct creds_manager *cm = source_manager(s);
    struct aws_error err;
    bool again = true;

    for (struct creds_entry *e = cm->entries; e; e = e->next) {
        struct creds_task *t = e->task;

        if (!t || e->ctx.client != c)
            continue;
        e->task = NULL;
        e->stopped = true;
        t->cancel(t);
    }
    /* waking may settle and drop other entries: start over after each */
    while (again) {
        again = false;
        for (struct creds_entry *e = cm->entries; e; e = e->next) {
            struct cred_waiter *waiters;

            if (!e->stopped)
                continue;
            e->stopped = false;
            aws_error_set(&err, AWS_ERR_CREDENTIALS, "profile %s: the credential refresh was "
                          "stopped (its connection closed); try again", e->profile);
            waiters = queue_take(e);
            if (!usable(e->c, time(NULL)))
                entry_drop(cm, e);
            queue_wake(waiters, &err);
            again = true;
            break;
        }
    }
}

struct cred_source *creds_manager_source(struct creds_manager *cm)
{
    return &cm->src;
}

/* ---- calls to AWS for providers ------------------------------------------------------ */

unsigned long creds_call(const struct creds_ctx *ctx, const struct aws_credentials *signer,
                         struct aws_request *req, aws_done_fn cb, void *ud,
                         struct aws_error *err)
{
    struct aws_call_opts o = {
        .signer = signer, .connect_timeout_ms = CREDS_CALL_CONNECT_MS,
        /* one attempt: a failed refresh is tried again on a later request (after the
         * hold-off), and meanwhile the requests that wait are told why */
        .timeout_ms = CREDS_CALL_TIMEOUT_MS, .max_attempts = 1, .secret = true};

    if (!ctx->client) {
        aws_request_done(req);
        aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s: its credentials need a call to "
                      "AWS, and nothing here can make one", ctx->profile);
        return 0;
    }
    return aws_client_call(ctx->client, req, &o, cb, ud);
}

/* ---- MFA codes ----------------------------------------------------------------------- */

struct mfa_question {
    struct mfa_question *next;
    unsigned long id;
    void (*cb)(void *ud, const char *code);
    void *ud;
};

static struct mfa_question *mfa_take(struct creds_manager *cm, unsigned long id)
{
    for (struct mfa_question **pp = &cm->mfa_open; *pp; pp = &(*pp)->next) {
        struct mfa_question *q = *pp;

        if (q->id == id) {
            *pp = q->next;
            return q;
        }
    }
    return NULL;
}

int creds_mfa_request(const struct creds_ctx *ctx, const char *serial, char *code,
                      size_t codelen, void (*cb)(void *ud, const char *code), void *ud,
                      unsigned long *id)
{
    struct creds_manager *cm = ctx->cm;
    struct mfa_question *q;
    int rc;

    if (!cm)
        return -1;
    if (cm->mfa_fixed) {
        int n = snprintf(code, codelen, "%s", cm->mfa_fixed);

        xfree_secret(cm->mfa_fixed);   /* a code is good once */
        cm->mfa_fixed = NULL;
        return n > 0 && (size_t)n < codelen ? 1 : -1;
    }
    if (!cm->mfa_fn)
        return -1;
    q = xcalloc(1, sizeof(*q));
    q->id = ++cm->mfa_next_id;
    q->cb = cb;
    q->ud = ud;
    q->next = cm->mfa_open;
    cm->mfa_open = q;
    rc = cm->mfa_fn(cm->mfa_ud, q->id, ctx->profile, serial, code, codelen);
    if (rc != 0) {
        free(mfa_take(cm, q->id));
        return rc > 0 ? 1 : -1;
    }
    *id = q->id;
    return 0;
}

void creds_mfa_withdraw(struct creds_manager *cm, unsigned long id)
{
    struct mfa_question *q = mfa_take(cm, id);

    if (!q)
        return;
    free(q);
    if (cm->mfa_withdraw)
        cm->mfa_withdraw(cm->mfa_ud, id);
}

void creds_manager_mfa_answer(struct creds_manager *cm, unsigned long id, const char *code)
{
    struct mfa_question *q = mfa_take(cm, id);

    if (!q)
        return;
    q->cb(q->ud, code);
    free(q);
}

void creds_manager_set_mfa(struct creds_manager *cm, creds_mfa_fn fn,
                           creds_mfa_withdraw_fn withdraw, void *ud, const char *fixed_code)
{
    cm->mfa_fn = fn;
    cm->mfa_withdraw = withdraw;
    cm->mfa_ud = ud;
    xfree_secret(cm->mfa_fixed);
    cm->mfa_fixed = fixed_code && *fixed_code ? xstrdup(fixed_code) : NULL;
}

/* ---- the manager --------------------------------------------------------------------- */

struct creds_manager *creds_manager_new(const struct aws_config *cfg)
{
    struct creds_manager *cm = xcalloc(1, sizeof(*cm));

    cm->cfg = cfg;
    cm->refresh_holdoff = CREDS_REFRESH_HOLDOFF;
    cm->src.get = source_get;
    cm->src.cancel = source_cancel;
    cm->src.invalidate = source_invalidate;
    cm->src.client_gone = source_client_gone;
    return cm;
}

void creds_manager_invalidate(struct creds_manager *cm)
{
    struct creds_entry *e;

    if (cm && (e = entry_find(cm, cm->cfg->profile, true)) && e->c)
        forget_active(cm, e);
}

void creds_manager_switch(struct creds_manager *cm, const struct aws_config *cfg)
{
    entries_free(cm, "the profile or region changed");
    cm->cfg = cfg;
}

void creds_manager_set_refresh_holdoff(struct creds_manager *cm, int seconds)
{
    cm->refresh_holdoff = seconds < 0 ? 0 : seconds;
}

size_t creds_manager_report(const struct creds_manager *cm, struct creds_report *out,
                            size_t max)
{
    size_t n = 0;
    time_t now = time(NULL);

    for (const struct creds_entry *e = cm->entries; e; e = e->next) {
        struct creds_report *r = &out[n];

        if (!e->c && !e->task)
            continue;  /* a failure held off: nothing held, nothing being fetched */
        if (n++ >= max)
            continue;  /* counted, as snprintf counts what did not fit */
        memset(r, 0, sizeof(*r));
        snprintf(r->profile, sizeof(r->profile), "%s", e->profile);
        snprintf(r->method, sizeof(r->method), "%s", e->c ? e->method
                 : e->task ? providers[e->provider]->name : "");
        snprintf(r->source, sizeof(r->source), "%s", e->c ? e->c->source : "");
        snprintf(r->refresh_error, sizeof(r->refresh_error), "%s", e->refresh_error);
        r->expiration = e->c ? e->c->expiration : 0;
        r->active = e->top && strcmp(e->profile, cm->cfg->profile) == 0;
        r->refreshing = e->task != NULL;
        r->usable = usable(e->c, now);
    }
    return n;
}

bool creds_manager_refreshing(const struct creds_manager *cm, bool *waiting)
{
    bool any = false;
    time_t now = time(NULL);

    *waiting = false;
    for (const struct creds_entry *e = cm->entries; e; e = e->next) {
        if (!e->task)
            continue;
        any = true;
        if (e->top && strcmp(e->profile, cm->cfg->profile) == 0 && !usable(e->c, now))
            *waiting = true;
    }
    return any;
}

void creds_manager_retry_now(struct creds_manager *cm)
{
    for (struct creds_entry *e = cm->entries; e; e = e->next)
        e->retry_after = 0;
}

enum creds_status creds_manager_refresh_now(struct creds_manager *cm, struct aws_client *c,
                                            const char *profile, struct aws_error *err)
{
    bool active = !profile || strcmp(profile, cm->cfg->profile) == 0;
    struct creds_entry *e;

    if (!profile)
        profile = cm->cfg->profile;
    e = entry_find(cm, profile, active);
    if (!e)
        e = entry_find(cm, profile, !active);
    if (!e || (!e->c && !e->task && !e->failed)) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s: opsdeck holds no credentials for "
                      "it, so there is nothing to refresh; use the profile first", profile);
        return CREDS_ERROR;
    }
    if (e->task)
        return CREDS_PENDING;   /* one refresh at a time: this one is under way */
    e->retry_after = 0;
    e->ctx.client = c;
    e->ctx.task = NULL;
    e->ctx.renew = true;
    switch (refresh_run(cm, e, 0, err)) {
    case PROVIDER_PENDING:
        return CREDS_PENDING;
    case PROVIDER_OK:
        return CREDS_OK;
    case PROVIDER_ERROR:
    case PROVIDER_SKIP:
        break;
    }
    return CREDS_ERROR;
}

void creds_manager_free(struct creds_manager *cm)
{
    if (!cm)
        return;
    entries_free(cm, "opsdeck is stopping");
    while (cm->mfa_open) {
        struct mfa_question *q = cm->mfa_open;

        cm->mfa_open = q->next;
        free(q);
    }
    xfree_secret(cm->mfa_fixed);
    free(cm);
}

const char *creds_manager_method(const struct creds_manager *cm)
{
    const struct creds_entry *e = cm ? entry_find(cm, cm->cfg->profile, true) : NULL;

    return e && e->c ? e->method : NULL;
}

enum creds_status creds_manager_get(struct creds_manager *cm, struct aws_client *c,
                                    struct cred_waiter *w, const struct aws_credentials **out,
                                    struct aws_error *err)
{
    const struct aws_config *cfg = cm->cfg;
    struct creds_ctx ctx = {.cm = cm, .client = c, .cfg = cfg, .profile = cfg->profile};

    *out = NULL;
    switch (cached_resolve(&ctx, out, err, w)) {
    case PROVIDER_OK:
        /* The "no keyring" line comes once the credentials are there: on a failure the one
         * error line says it instead, so a failing command still prints one line. */
        keyring_notice();
        return CREDS_OK;
    case PROVIDER_PENDING:
        return CREDS_PENDING;
    case PROVIDER_ERROR:
    case PROVIDER_SKIP:   /* settled with the "no credentials" line */
        break;
    }
    return CREDS_ERROR;
}
