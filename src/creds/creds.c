/* creds.c - the credential manager: a table of providers tried in the SDKs' order.
 *
 * Each provider answers "not mine" (skip), "here they are", "error" or, for providers that
 * need the network (assume role, SSO, IMDS), "pending". The order follows
 * botocore's create_credential_resolver: environment, assume role, web identity, SSO, the
 * credentials file, credential_process, the config file. A profile that asks for a provider
 * we do not have yet gets an explicit error, never a silent fall-through to another one. */
#include "config.h"
#include "creds/creds.h"

#include <ctype.h>
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

struct creds_manager {
    const struct aws_config *cfg;
    struct creds_entry *entries;     /* the cache: one per profile resolved (creds_entry) */
    int refresh_holdoff;             /* seconds between refresh attempts that fail */
    struct aws_credentials *fixed;   /* creds_call's signer: always these, never resolved */
    creds_mfa_fn mfa_fn;
    void *mfa_ud;
    char *mfa_fixed;                 /* --mfa-code, used once: a code is valid only once */
};

void aws_credentials_free(struct aws_credentials *c)
{
    if (!c)
        return;
    xfree_secret(c->access_key_id);  /* not secret alone, but half of one */
    xfree_secret(c->secret_access_key);
    xfree_secret(c->session_token);
    free(c->source);
    free(c);
}

/* The last four characters only: enough to tell two keys apart in a status line. */
static char *key_mask(const char *akid)
{
    size_t n = strlen(akid);

    return xasprintf("...%s", n > 4 ? akid + n - 4 : "");
}

/* ---- providers ----------------------------------------------------------------------- */

static const char *env_nonempty(const char *name)
{
    const char *v = getenv(name);

    return v && *v ? v : NULL;
}

static enum provider_result provider_env(struct creds_ctx *ctx, struct aws_credentials **out,
                                         struct aws_error *err)
{
    const char *akid = env_nonempty("AWS_ACCESS_KEY_ID");
    const char *secret = env_nonempty("AWS_SECRET_ACCESS_KEY");
    const char *token, *exp;
    struct aws_credentials *c;
    int64_t expiration = 0;
    char *mask;

    /* The CLI ignores the environment when --profile names a profile, and a source_profile
     * is never the environment. */
    if (ctx->cfg->profile_explicit || ctx->depth > 0)
        return PROVIDER_SKIP;
    if (!akid && !secret)
        return PROVIDER_SKIP;
    if (!akid || !secret) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "%s is set but %s is not; set both, or unset "
                      "%s to use profile %s", akid ? "AWS_ACCESS_KEY_ID" :
                      "AWS_SECRET_ACCESS_KEY", akid ? "AWS_SECRET_ACCESS_KEY" :
                      "AWS_ACCESS_KEY_ID", akid ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
                      ctx->profile);
        return PROVIDER_ERROR;
    }
    /* botocore reads AWS_SECURITY_TOKEN (the boto2 name) before AWS_SESSION_TOKEN. */
    token = env_nonempty("AWS_SECURITY_TOKEN");
    if (!token)
        token = env_nonempty("AWS_SESSION_TOKEN");
    exp = env_nonempty("AWS_CREDENTIAL_EXPIRATION");
    if (exp && timeutil_parse_iso8601(exp, &expiration) < 0) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "AWS_CREDENTIAL_EXPIRATION is not an ISO 8601 "
                      "time with a zone; set it like 2030-01-31T12:00:00Z or unset it");
        return PROVIDER_ERROR;
    }
    c = xcalloc(1, sizeof(*c));
    c->access_key_id = xstrdup(akid);
    c->secret_access_key = xstrdup(secret);
    c->session_token = token ? xstrdup(token) : NULL;
    c->expiration = expiration;
    mask = key_mask(akid);
    c->source = xasprintf("environment: AWS_ACCESS_KEY_ID %s%s", mask,
                          token ? " with a session token" : "");
    free(mask);
    *out = c;
    return PROVIDER_OK;
}

/* Static keys from one file's view of the profile; get is the lookup for that file. */
static enum provider_result static_keys(struct creds_ctx *ctx, struct aws_credentials **out,
                                        struct aws_error *err, const char *path,
                                        const char *(*get)(const struct aws_config *,
                                                           const char *, const char *))
{
    const struct aws_config *cfg = ctx->cfg;
    const char *profile = ctx->profile;
    const char *akid = get(cfg, profile, "aws_access_key_id");
    const char *secret = get(cfg, profile, "aws_secret_access_key");
    const char *token;
    struct aws_credentials *c;
    char *mask;

    /* As botocore: the access key decides whether this file provides the profile. */
    if (!akid)
        return PROVIDER_SKIP;
    if (!secret || !*secret || !*akid) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s in %s has %s but no %s; add it or "
                      "remove the other key", profile, path,
                      *akid ? "aws_access_key_id" : "an empty aws_access_key_id",
                      *akid ? "aws_secret_access_key" : "access key id");
        return PROVIDER_ERROR;
    }
    token = get(cfg, profile, "aws_security_token");
    if (!token)
        token = get(cfg, profile, "aws_session_token");
    c = xcalloc(1, sizeof(*c));
    c->access_key_id = xstrdup(akid);
    c->secret_access_key = xstrdup(secret);
    c->session_token = token && *token ? xstrdup(token) : NULL;
    mask = key_mask(akid);
    c->source = xasprintf("profile %s: static keys (%s) in %s", profile, mask, path);
    free(mask);
    *out = c;
    return PROVIDER_OK;
}

static enum provider_result provider_credentials_file(struct creds_ctx *ctx,
                                                      struct aws_credentials **out,
                                                      struct aws_error *err)
{
    return static_keys(ctx, out, err, ctx->cfg->credentials_file, aws_config_get_credentials);
}

/* botocore's ConfigProvider reads the config file alone (not the merged profile), so an
 * access key there with the secret in the credentials file is partial: an error in both. */
static enum provider_result provider_config_file(struct creds_ctx *ctx,
                                                 struct aws_credentials **out,
                                                 struct aws_error *err)
{
    return static_keys(ctx, out, err, ctx->cfg->config_file, aws_config_get);
}

/* Web identity (role_arn + web_identity_token_file) is not built: claim the profile when it
 * uses it, and say so, rather than fall through to another provider. */
static enum provider_result provider_web_identity(struct creds_ctx *ctx,
                                                  struct aws_credentials **out,
                                                  struct aws_error *err)
{
    (void)out;
    if (!creds_profile_value(ctx, "web_identity_token_file"))
        return PROVIDER_SKIP;
    aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s uses web identity "
                  "(web_identity_token_file), which opsdeck does not support; use a profile "
                  "with another credential source", ctx->profile);
    return PROVIDER_ERROR;
}

static const struct creds_provider provider_table_env = {"env", provider_env};
static const struct creds_provider provider_table_web = {"assume-role-with-web-identity",
                                                         provider_web_identity};
static const struct creds_provider provider_table_credfile = {"shared-credentials-file",
                                                              provider_credentials_file};
static const struct creds_provider provider_table_cfgfile = {"config-file",
                                                             provider_config_file};

/* botocore's create_credential_resolver order. */
static const struct creds_provider *const providers[] = {
    &provider_table_env,
    &creds_provider_assume_role,
    &provider_table_web,
    &creds_provider_sso,
    &creds_provider_mfa_session,   /* creds_role.c: GetSessionToken for keys + mfa_serial */
    &creds_provider_keyring,   /* keyring.c: keys from `opsdeck creds add` */
    &provider_table_credfile,
    &creds_provider_process,
    &provider_table_cfgfile,
    &creds_provider_container,
    &creds_provider_imds,
};

const char *creds_profile_value(const struct creds_ctx *ctx, const char *key)
{
    const char *v = aws_config_get_credentials(ctx->cfg, ctx->profile, key);

    return v ? v : aws_config_get(ctx->cfg, ctx->profile, key);
}

struct aws_credentials *creds_new(const char *akid, const char *secret, const char *token,
                                  time_t expiration, const char *source)
{
    struct aws_credentials *c = xcalloc(1, sizeof(*c));

    c->access_key_id = xstrdup(akid);
    c->secret_access_key = xstrdup(secret);
    c->session_token = token && *token ? xstrdup(token) : NULL;
    c->expiration = expiration;
    c->source = xstrdup(source ? source : "");
    return c;
}

static enum provider_result provider_run(const struct creds_provider *p, struct creds_ctx *ctx,
                                         struct aws_credentials **out, struct aws_error *err);
static enum provider_result cached_resolve(struct creds_ctx *ctx,
                                           const struct aws_credentials **out,
                                           struct aws_error *err);

/* Runs the providers for ctx->profile; *used names the one that answered. */
static enum provider_result resolve_chain(struct creds_ctx *ctx, struct aws_credentials **out,
                                          const struct creds_provider **used,
                                          struct aws_error *err)
{
    for (size_t i = 0; i < sizeof(providers) / sizeof(providers[0]); i++) {
        enum provider_result r;

        if (!providers[i]->resolve)
            continue;
        /* botocore never takes a source_profile's credentials from the container or the
         * instance: credential_source asks for those explicitly */
        if (ctx->depth > 0 && (providers[i] == &creds_provider_container ||
                               providers[i] == &creds_provider_imds))
            continue;
        r = provider_run(providers[i], ctx, out, err);
        if (r == PROVIDER_SKIP)
            continue;
        if (used)
            *used = providers[i];
        return r;
    }
    return PROVIDER_SKIP;
}

enum provider_result creds_resolve_profile(struct creds_ctx *parent, const char *profile,
                                           struct aws_credentials **out, struct aws_error *err)
{
    struct creds_ctx ctx = *parent;
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
    /* through the cache: a role's source session is reused while it is good (no new MFA
     * prompt when only the outer role expires); the caller owns a copy */
    {
        const struct aws_credentials *c = NULL;

        r = cached_resolve(&ctx, &c, err);
        if (r == PROVIDER_OK)
            *out = creds_new(c->access_key_id, c->secret_access_key, c->session_token,
                             c->expiration, c->source);
    }
    if (r == PROVIDER_SKIP) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s: its source_profile %s has no "
                      "credentials; add keys to [%s] in %s", parent->profile, profile, profile,
                      parent->cfg->credentials_file);
        return PROVIDER_ERROR;
    }
    return r;
}

static void call_done(const struct aws_response *resp, const struct aws_error *err, void *ud)
{
    struct aws_response *out = ((void **)ud)[0];
    struct aws_error *e = ((void **)ud)[1];
    int *state = ((void **)ud)[2];

    if (err) {
        *e = *err;
        *state = -1;
        return;
    }
    /* take the response over: the client frees its own copy after the callback */
    out->status = resp->status;
    for (size_t i = 0; i < resp->nheaders; i++)
        aws_response_add_header(out, resp->headers[i].name, resp->headers[i].value);
    buf_append(&out->body, resp->body.data ? resp->body.data : "", resp->body.len);
    *state = 1;
}

int creds_call(struct creds_ctx *ctx, const struct aws_credentials *signer,
               struct aws_request *req, struct aws_response *resp, struct aws_error *err)
{
    struct creds_manager fixed = {.cfg = ctx->cfg, .fixed = (struct aws_credentials *)signer};
    struct aws_client *c;
    int state = 0;
    void *ud[3] = {resp, err, &state};

    if (!signer)
        req->anonymous = true;
    aws_response_init(resp);
    /* A refresh blocks whoever asked for credentials: one attempt, bounded by one request's
     * timeout. A failed refresh is tried again on a later request (after the hold-off). */
    struct aws_client_opts opts = {.connect_timeout_ms = 3000, .timeout_ms = 10000,
                                   .max_attempts = 1};
    c = aws_client_new(ctx->cfg, &fixed, &opts);
    aws_client_send(c, req, call_done, ud);
    while (state == 0 && aws_client_pending(c) > 0)
        aws_client_run(c, NULL, 0, 1000);
    aws_client_free(c);
    if (state != 1) {
        aws_response_done(resp);
        return -1;
    }
    return 0;
}

/* ---- the manager --------------------------------------------------------------------- */

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

/* Runs a provider; for session providers the keyring is asked first, and what the provider
 * returns is stored there, so the providers themselves know nothing of the keyring. */
static enum provider_result provider_run(const struct creds_provider *p, struct creds_ctx *ctx,
                                         struct aws_credentials **out, struct aws_error *err)
{
    enum provider_result r;
    char *fp;

    if (!is_session_method(p->name) || !(fp = session_fingerprint(ctx)))
        return p->resolve(ctx, out, err);
    if ((*out = session_lookup(ctx, p->name, fp))) {
        free(fp);
        return PROVIDER_OK;
    }
    r = p->resolve(ctx, out, err);
    if (r == PROVIDER_OK && (*out)->expiration != 0 && keyring_available(false, NULL)) {
        struct keyring_meta meta = {(char *)p->name, fp};
        struct aws_error kerr;

        /* not fatal: the credentials work, only the next run will ask again */
        keyring_store(ctx->profile, KEYRING_SESSION, *out, &meta, &kerr);
    }
    free(fp);
    return r;
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

/* One cached credential. top: resolved as the active profile (the environment counts);
 * otherwise as a source_profile inside a chain. */
struct creds_entry {
    struct creds_entry *next;
    char *profile;
    bool top;
    struct aws_credentials *c;
    const char *method;         /* a provider's name (static) */
    time_t retry_after;         /* no refresh attempt before this, after one that failed */
    char refresh_error[1024];   /* why the last refresh failed, "" when it did not */
};

static struct creds_entry *entry_find(const struct creds_manager *cm, const char *profile,
                                      bool top)
{
    for (struct creds_entry *e = cm ? cm->entries : NULL; e; e = e->next)
        if (e->top == top && strcmp(e->profile, profile) == 0)
            return e;
    return NULL;
}

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

static bool needs_refresh(const struct aws_credentials *c, time_t now)
{
    return c->expiration != 0 && c->expiration - now <= CREDS_REFRESH_AHEAD;
}

/* The credentials of ctx->profile through the cache: fresh ones are returned as they are;
 * ones within CREDS_REFRESH_AHEAD of expiry are refreshed, and kept (with the failure
 * recorded for the report) when the refresh fails but they have not expired yet. *out
 * belongs to the cache. SKIP means no provider has credentials for the profile. */
static enum provider_result cached_resolve(struct creds_ctx *ctx,
                                           const struct aws_credentials **out,
                                           struct aws_error *err)
{
    struct creds_manager *cm = ctx->cm;
    bool top = ctx->depth == 0;
    struct creds_entry *e = entry_find(cm, ctx->profile, top);
    time_t now = time(NULL);
    const struct creds_provider *used = NULL;
    struct aws_credentials *c = NULL;
    enum provider_result r;
    time_t retry_after;

    *out = NULL;
    if (e && (!needs_refresh(e->c, now) || (now < e->retry_after && e->c->expiration > now))) {
        *out = e->c;
        return PROVIDER_OK;
    }
    r = resolve_chain(ctx, &c, &used, err);
    if (r == PROVIDER_OK && c->expiration != 0 && c->expiration <= now) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "the credentials from %s expired; refresh them",
                      c->source);
        aws_credentials_free(c);
        r = PROVIDER_ERROR;
    }
    if (r == PROVIDER_PENDING)
        return r;
    if (r != PROVIDER_OK) {
        if (e && e->c->expiration > now) {
            /* the old ones still work: use them, and say why they could not be renewed */
            snprintf(e->refresh_error, sizeof(e->refresh_error), "%s", r == PROVIDER_ERROR ?
                     err->message : "no provider has credentials for the profile any more");
            e->retry_after = now + cm->refresh_holdoff;
            *out = e->c;
            return PROVIDER_OK;
        }
        if (e)
            entry_drop(cm, e);
        return r;
    }
    /* a provider that keeps returning short-lived credentials is not asked again on every
     * call; the first answer is (it may simply have been cached near its end) */
    retry_after = e && needs_refresh(c, now) ? now + cm->refresh_holdoff : 0;
    if (!e) {
        e = xcalloc(1, sizeof(*e));
        e->profile = xstrdup(ctx->profile);
        e->top = top;
        e->next = cm->entries;
        cm->entries = e;
    } else {
        aws_credentials_free(e->c);
    }
    e->c = c;
    e->method = used->name;
    e->refresh_error[0] = '\0';
    e->retry_after = retry_after;
    *out = c;
    return PROVIDER_OK;
}

struct creds_manager *creds_manager_new(const struct aws_config *cfg)
{
    struct creds_manager *cm = xcalloc(1, sizeof(*cm));

    cm->cfg = cfg;
    cm->refresh_holdoff = CREDS_REFRESH_HOLDOFF;
    return cm;
}

void creds_manager_invalidate(struct creds_manager *cm)
{
    struct creds_entry *e;

    if (!cm || !(e = entry_find(cm, cm->cfg->profile, true)))
        return;
    /* The service refused them (ExpiredToken): a session cached in the keyring is as bad,
     * and would otherwise come back on the next get. */
    if (is_session_method(e->method) && keyring_available(false, NULL)) {
        struct aws_error kerr;

        keyring_delete(e->profile, KEYRING_SESSION, &kerr);
    }
    entry_drop(cm, e);
}

static void entries_free(struct creds_manager *cm)
{
    while (cm->entries)
        entry_drop(cm, cm->entries);
}

void creds_manager_switch(struct creds_manager *cm, const struct aws_config *cfg)
{
    entries_free(cm);
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

    for (const struct creds_entry *e = cm->entries; e; e = e->next, n++) {
        struct creds_report *r = &out[n];

        if (n >= max)
            continue;  /* counted, as snprintf counts what did not fit */
        memset(r, 0, sizeof(*r));
        snprintf(r->profile, sizeof(r->profile), "%s", e->profile);
        snprintf(r->method, sizeof(r->method), "%s", e->method);
        snprintf(r->source, sizeof(r->source), "%s", e->c->source);
        snprintf(r->refresh_error, sizeof(r->refresh_error), "%s", e->refresh_error);
        r->expiration = e->c->expiration;
        r->active = e->top && strcmp(e->profile, cm->cfg->profile) == 0;
    }
    return n;
}

void creds_manager_set_mfa(struct creds_manager *cm, creds_mfa_fn fn, void *ud,
                           const char *fixed_code)
{
    cm->mfa_fn = fn;
    cm->mfa_ud = ud;
    xfree_secret(cm->mfa_fixed);
    cm->mfa_fixed = fixed_code && *fixed_code ? xstrdup(fixed_code) : NULL;
}

int creds_manager_mfa_code(struct creds_manager *cm, const char *profile, const char *serial,
                           char *code, size_t codelen)
{
    if (cm->mfa_fixed) {
        int n = snprintf(code, codelen, "%s", cm->mfa_fixed);
        xfree_secret(cm->mfa_fixed);
        cm->mfa_fixed = NULL;
        return n > 0 && (size_t)n < codelen ? 0 : -1;
    }
    if (!cm->mfa_fn)
        return -1;
    return cm->mfa_fn(cm->mfa_ud, profile, serial, code, codelen);
}

void creds_manager_free(struct creds_manager *cm)
{
    if (!cm)
        return;
    xfree_secret(cm->mfa_fixed);
    entries_free(cm);
    free(cm);
}

const char *creds_manager_method(const struct creds_manager *cm)
{
    const struct creds_entry *e = cm ? entry_find(cm, cm->cfg->profile, true) : NULL;

    return e ? e->method : NULL;
}

enum creds_status creds_manager_get(struct creds_manager *cm, const struct aws_credentials **out,
                                    struct aws_error *err)
{
    const struct aws_config *cfg = cm->cfg;
    struct creds_ctx ctx = {.cm = cm, .cfg = cfg, .profile = cfg->profile};
    const char *kr_why = NULL, *imds_note;

    *out = NULL;
    if (cm->fixed) {
        *out = cm->fixed;
        return CREDS_OK;
    }
    switch (cached_resolve(&ctx, out, err)) {
    case PROVIDER_OK:
        /* The "no keyring" line comes once the credentials are there: on a failure the one
         * error line says it instead, so a failing command still prints one line. */
        keyring_notice();
        return CREDS_OK;
    case PROVIDER_PENDING:
        return CREDS_PENDING;
    case PROVIDER_ERROR:
        return CREDS_ERROR;
    case PROVIDER_SKIP:
        break;
    }
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
    return CREDS_ERROR;
}
