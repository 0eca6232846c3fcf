/* creds.c - the credential manager: a table of providers tried in the SDKs' order.
 *
 * Each provider answers "not mine" (skip), "here they are", "error" or, for providers that
 * need the network (assume role, SSO, IMDS: the next issue), "pending". The order follows
 * botocore's create_credential_resolver: environment, assume role, web identity, SSO, the
 * credentials file, credential_process, the config file. A profile that asks for a provider
 * we do not have yet gets an explicit error, never a silent fall-through to another one. */
#include "creds.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

enum provider_result { PROVIDER_SKIP, PROVIDER_OK, PROVIDER_ERROR, PROVIDER_PENDING };

struct creds_provider {
    const char *name;    /* botocore's method name, shown by creds_manager_method */
    enum provider_result (*resolve)(struct creds_manager *cm, struct aws_credentials **out,
                                    struct aws_error *err);
};

struct creds_manager {
    const struct aws_config *cfg;
    struct aws_credentials *current;
    const struct creds_provider *current_provider;
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

static int digits(const char **p, int n)
{
    int v = 0;

    for (int i = 0; i < n; i++, (*p)++) {
        if (!isdigit((unsigned char)**p))
            return -1;
        v = v * 10 + (**p - '0');
    }
    return v;
}

bool creds_parse_iso8601(const char *s, time_t *out)
{
    struct tm tm;
    const char *p = s;
    int y, mo, d, h, mi, sec, off = 0;
    time_t t;

    if (!s)
        return false;
    memset(&tm, 0, sizeof(tm));
    if ((y = digits(&p, 4)) < 0 || *p++ != '-' || (mo = digits(&p, 2)) < 0 || *p++ != '-' ||
        (d = digits(&p, 2)) < 0 || (*p != 'T' && *p != 't' && *p != ' '))
        return false;
    p++;
    if ((h = digits(&p, 2)) < 0 || *p++ != ':' || (mi = digits(&p, 2)) < 0)
        return false;
    sec = 0;
    if (*p == ':') {
        p++;
        if ((sec = digits(&p, 2)) < 0)
            return false;
        if (*p == '.' || *p == ',') {  /* fractions of a second: dropped */
            p++;
            if (!isdigit((unsigned char)*p))
                return false;
            while (isdigit((unsigned char)*p))
                p++;
        }
    }
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1, oh, om;

        if ((oh = digits(&p, 2)) < 0)
            return false;
        if (*p == ':')
            p++;
        if ((om = digits(&p, 2)) < 0 || oh > 23 || om > 59)
            return false;
        off = sign * (oh * 3600 + om * 60);
    } else {
        return false;  /* a time without a zone is ambiguous: refuse it */
    }
    if (*p != '\0' || y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
        sec > 60)
        return false;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    t = timegm(&tm);
    if (t == (time_t)-1 || tm.tm_mday != d)  /* timegm normalises Feb 30 to Mar 2 */
        return false;
    *out = t - off;
    return true;
}

/* ---- providers ----------------------------------------------------------------------- */

static const char *env_nonempty(const char *name)
{
    const char *v = getenv(name);

    return v && *v ? v : NULL;
}

static enum provider_result provider_env(struct creds_manager *cm, struct aws_credentials **out,
                                         struct aws_error *err)
{
    const char *akid = env_nonempty("AWS_ACCESS_KEY_ID");
    const char *secret = env_nonempty("AWS_SECRET_ACCESS_KEY");
    const char *token, *exp;
    struct aws_credentials *c;
    time_t expiration = 0;
    char *mask;

    /* The CLI ignores the environment when --profile names a profile. */
    if (cm->cfg->profile_explicit)
        return PROVIDER_SKIP;
    if (!akid && !secret)
        return PROVIDER_SKIP;
    if (!akid || !secret) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "%s is set but %s is not; set both, or unset "
                      "%s to use profile %s", akid ? "AWS_ACCESS_KEY_ID" :
                      "AWS_SECRET_ACCESS_KEY", akid ? "AWS_SECRET_ACCESS_KEY" :
                      "AWS_ACCESS_KEY_ID", akid ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
                      cm->cfg->profile);
        return PROVIDER_ERROR;
    }
    /* botocore reads AWS_SECURITY_TOKEN (the boto2 name) before AWS_SESSION_TOKEN. */
    token = env_nonempty("AWS_SECURITY_TOKEN");
    if (!token)
        token = env_nonempty("AWS_SESSION_TOKEN");
    exp = env_nonempty("AWS_CREDENTIAL_EXPIRATION");
    if (exp && !creds_parse_iso8601(exp, &expiration)) {
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
static enum provider_result static_keys(struct creds_manager *cm, struct aws_credentials **out,
                                        struct aws_error *err, const char *path,
                                        const char *(*get)(const struct aws_config *,
                                                           const char *, const char *))
{
    const struct aws_config *cfg = cm->cfg;
    const char *akid = get(cfg, cfg->profile, "aws_access_key_id");
    const char *secret = get(cfg, cfg->profile, "aws_secret_access_key");
    const char *token;
    struct aws_credentials *c;
    char *mask;

    /* As botocore: the access key decides whether this file provides the profile. */
    if (!akid)
        return PROVIDER_SKIP;
    if (!secret || !*secret || !*akid) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s in %s has %s but no %s; add it or "
                      "remove the other key", cfg->profile, path,
                      *akid ? "aws_access_key_id" : "an empty aws_access_key_id",
                      *akid ? "aws_secret_access_key" : "access key id");
        return PROVIDER_ERROR;
    }
    token = get(cfg, cfg->profile, "aws_security_token");
    if (!token)
        token = get(cfg, cfg->profile, "aws_session_token");
    c = xcalloc(1, sizeof(*c));
    c->access_key_id = xstrdup(akid);
    c->secret_access_key = xstrdup(secret);
    c->session_token = token && *token ? xstrdup(token) : NULL;
    mask = key_mask(akid);
    c->source = xasprintf("profile %s: static keys (%s) in %s", cfg->profile, mask, path);
    free(mask);
    *out = c;
    return PROVIDER_OK;
}

static enum provider_result provider_credentials_file(struct creds_manager *cm,
                                                      struct aws_credentials **out,
                                                      struct aws_error *err)
{
    return static_keys(cm, out, err, cm->cfg->credentials_file, aws_config_get_credentials);
}

/* botocore's ConfigProvider reads the config file alone (not the merged profile), so an
 * access key there with the secret in the credentials file is partial: an error in both. */
static enum provider_result provider_config_file(struct creds_manager *cm,
                                                 struct aws_credentials **out,
                                                 struct aws_error *err)
{
    return static_keys(cm, out, err, cm->cfg->config_file, aws_config_get);
}

/* Providers that are not built yet: claim the profile when it uses them, and say so. */
static enum provider_result unsupported(struct creds_manager *cm, struct aws_error *err,
                                        const char *key, const char *what)
{
    if (!aws_config_profile_value(cm->cfg, key))
        return PROVIDER_SKIP;
    aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s uses %s (%s), which opsdeck does not "
                  "support yet; use a profile with static keys or set AWS_ACCESS_KEY_ID and "
                  "AWS_SECRET_ACCESS_KEY", cm->cfg->profile, what, key);
    return PROVIDER_ERROR;
}

static enum provider_result provider_assume_role(struct creds_manager *cm,
                                                 struct aws_credentials **out,
                                                 struct aws_error *err)
{
    (void)out;
    /* botocore leaves role_arn + web_identity_token_file to the web identity provider. */
    if (aws_config_profile_value(cm->cfg, "web_identity_token_file"))
        return PROVIDER_SKIP;
    return unsupported(cm, err, "role_arn", "assume role");
}

static enum provider_result provider_web_identity(struct creds_manager *cm,
                                                  struct aws_credentials **out,
                                                  struct aws_error *err)
{
    (void)out;
    return unsupported(cm, err, "web_identity_token_file", "web identity");
}

static enum provider_result provider_sso(struct creds_manager *cm, struct aws_credentials **out,
                                         struct aws_error *err)
{
    enum provider_result r = unsupported(cm, err, "sso_session", "SSO");

    (void)out;
    return r != PROVIDER_SKIP ? r : unsupported(cm, err, "sso_start_url", "SSO");
}

static enum provider_result provider_process(struct creds_manager *cm,
                                             struct aws_credentials **out,
                                             struct aws_error *err)
{
    (void)out;
    return unsupported(cm, err, "credential_process", "credential_process");
}

static const struct creds_provider providers[] = {
    {"env", provider_env},
    {"assume-role", provider_assume_role},
    {"assume-role-with-web-identity", provider_web_identity},
    {"sso", provider_sso},
    {"shared-credentials-file", provider_credentials_file},
    {"custom-process", provider_process},
    {"config-file", provider_config_file},
};

/* ---- the manager --------------------------------------------------------------------- */

struct creds_manager *creds_manager_new(const struct aws_config *cfg)
{
    struct creds_manager *cm = xcalloc(1, sizeof(*cm));

    cm->cfg = cfg;
    return cm;
}

void creds_manager_invalidate(struct creds_manager *cm)
{
    if (!cm)
        return;
    aws_credentials_free(cm->current);
    cm->current = NULL;
    cm->current_provider = NULL;
}

void creds_manager_free(struct creds_manager *cm)
{
    if (!cm)
        return;
    creds_manager_invalidate(cm);
    free(cm);
}

const char *creds_manager_method(const struct creds_manager *cm)
{
    return cm && cm->current_provider ? cm->current_provider->name : NULL;
}

enum creds_status creds_manager_get(struct creds_manager *cm, const struct aws_credentials **out,
                                    struct aws_error *err)
{
    time_t now = time(NULL);
    const struct aws_config *cfg = cm->cfg;

    *out = NULL;
    if (cm->current && (cm->current->expiration == 0 || cm->current->expiration > now)) {
        *out = cm->current;
        return CREDS_OK;
    }
    creds_manager_invalidate(cm);
    for (size_t i = 0; i < sizeof(providers) / sizeof(providers[0]); i++) {
        struct aws_credentials *c = NULL;

        switch (providers[i].resolve(cm, &c, err)) {
        case PROVIDER_SKIP:
            continue;
        case PROVIDER_PENDING:
            return CREDS_PENDING;
        case PROVIDER_ERROR:
            return CREDS_ERROR;
        case PROVIDER_OK:
            break;
        }
        if (c->expiration != 0 && c->expiration <= now) {
            aws_error_set(err, AWS_ERR_CREDENTIALS, "the credentials from %s expired; refresh "
                          "them", c->source);
            aws_credentials_free(c);
            return CREDS_ERROR;
        }
        cm->current = c;
        cm->current_provider = &providers[i];
        *out = c;
        return CREDS_OK;
    }
    aws_error_set(err, AWS_ERR_CREDENTIALS, "no credentials for profile %s: looked at the "
                  "environment%s, %s and %s; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
                  "add aws_access_key_id/aws_secret_access_key to [%s] in %s, or choose "
                  "another profile with --profile or AWS_PROFILE", cfg->profile,
                  cfg->profile_explicit ? " (skipped: --profile given)" : "",
                  cfg->credentials_file, cfg->config_file, cfg->profile,
                  cfg->credentials_file);
    return CREDS_ERROR;
}
