/* creds_sso.c - IAM Identity Center (SSO): sso_session or legacy sso_start_url profiles.
 *
 * As botocore's SSOProvider: a profile with sso_account_id or sso_role_name uses SSO; the
 * access token comes from the cache the login wrote (ours or the AWS CLI's: same file, same
 * JSON), refreshed through SSO-OIDC when an sso_session token has less than 15 minutes
 * left; the role credentials from the portal's GetRoleCredentials, unsigned, with the token
 * as the bearer. */
#include "config.h"
#include "creds/creds_sso.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aws/sso.h"
#include "core/client.h"
#include "creds/creds_provider.h"
#include "util/xalloc.h"
#include "util/timeutil.h"

/* A cache file is a few hundred bytes; refuse to read anything huge. */
#define SSO_CACHE_MAX (1024 * 1024)

/* ---- the profile's settings ---------------------------------------------------------- */

static const char *profile_value(const struct aws_config *cfg, const char *profile,
                                 const char *key)
{
    const char *v = aws_config_get_credentials(cfg, profile, key);

    v = v ? v : aws_config_get(cfg, profile, key);
    return v && *v ? v : NULL;
}

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

void sso_profile_done(struct sso_profile *p)
{
    free(p->profile);
    free(p->session);
    free(p->start_url);
    free(p->region);
    free(p->scopes);
    free(p->account_id);
    free(p->role_name);
    memset(p, 0, sizeof(*p));
}

int sso_profile_load(const struct aws_config *cfg, const char *profile, bool need_role,
                     struct sso_profile *out, struct aws_error *err)
{
    static const char *const keys[] = {"sso_start_url", "sso_region",
                                       "sso_registration_scopes"};
    struct sso_profile p = {0};
    const char *session = profile_value(cfg, profile, "sso_session");
    const char *vals[3];
    char missing[160] = "";

    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < 3; i++) {
        const char *pv = profile_value(cfg, profile, keys[i]);

        vals[i] = pv;
        if (session) {
            const char *sv = aws_config_get_section(cfg, "sso-session", session, keys[i]);

            /* botocore: a key set in both places must agree */
            if (sv && pv && strcmp(sv, pv) != 0) {
                aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s: %s differs between the "
                              "profile (%s) and [sso-session %s] (%s) in %s; make them agree "
                              "or remove it from the profile", profile, keys[i], pv, session,
                              sv, cfg->config_file);
                return -1;
            }
            if (sv && *sv)
                vals[i] = sv;
        }
    }
    if (session && !aws_config_get_section(cfg, "sso-session", session, "sso_start_url") &&
        !aws_config_get_section(cfg, "sso-session", session, "sso_region")) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s: sso_session = %s but %s has no "
                      "[sso-session %s] with sso_start_url and sso_region; add it or fix the "
                      "name", profile, session, cfg->config_file, session);
        return -1;
    }
    p.account_id = dup_or_null(profile_value(cfg, profile, "sso_account_id"));
    p.role_name = dup_or_null(profile_value(cfg, profile, "sso_role_name"));
    if (!vals[0])
        strcat(missing, ", sso_start_url");
    if (!vals[1])
        strcat(missing, ", sso_region");
    if (need_role && !p.account_id)
        strcat(missing, ", sso_account_id");
    if (need_role && !p.role_name)
        strcat(missing, ", sso_role_name");
    if (*missing) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s uses SSO but lacks %s; add %s to "
                      "%s%s%s in %s", profile, missing + 2, missing + 2,
                      session ? "[sso-session " : "the profile", session ? session : "",
                      session ? "] or the profile" : "", cfg->config_file);
        sso_profile_done(&p);
        return -1;
    }
    p.profile = xstrdup(profile);
    p.session = dup_or_null(session);
    p.start_url = xstrdup(vals[0]);
    p.region = xstrdup(vals[1]);
    p.scopes = dup_or_null(vals[2]);
    *out = p;
    return 0;
}

/* ---- the token cache ----------------------------------------------------------------- */

static const char *home_dir(void)
{
    const char *h = getenv("HOME");
    struct passwd *pw;

    if (h && *h)
        return h;
    pw = getpwuid(getuid());
    return pw && pw->pw_dir ? pw->pw_dir : "/";
}

char *sso_token_cache_path(const struct sso_profile *p)
{
    /* botocore's SSOTokenLoader: sha1 of the session name, or of the start URL (legacy) */
    const char *key = p->session ? p->session : p->start_url;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    char hex[2 * EVP_MAX_MD_SIZE + 1];

    EVP_Digest(key, strlen(key), md, &n, EVP_sha1(), NULL);
    for (unsigned int i = 0; i < n; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    hex[2 * n] = '\0';
    return xasprintf("%s/.aws/sso/cache/%s.json", home_dir(), hex);
}

void sso_token_done(struct sso_token *t)
{
    xfree_secret(t->access_token);
    xfree_secret(t->refresh_token);
    free(t->client_id);
    xfree_secret(t->client_secret);
    free(t->region);
    free(t->start_url);
    memset(t, 0, sizeof(*t));
}

static void json_wipe(cJSON *j)
{
    for (; j; j = j->next) {
        if (j->valuestring)
            explicit_bzero(j->valuestring, strlen(j->valuestring));
        json_wipe(j->child);
    }
}

/* A string member: 1 found (copied), 0 absent, -1 wrong type. */
static int cache_string(const cJSON *root, const char *key, char **out, const char *path,
                        struct aws_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, key);

    if (!v || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsString(v) || !v->valuestring) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "SSO token cache %s: '%s' is not a string",
                      path, key);
        return -1;
    }
    *out = xstrdup(v->valuestring);
    return 1;
}

static int cache_time(const cJSON *root, const char *key, time_t *out, const char *path,
                      struct aws_error *err)
{
    char *s = NULL;
    int rc = cache_string(root, key, &s, path, err);
    int64_t t;

    if (rc <= 0)
        return rc;
    if (timeutil_parse_iso8601(s, &t) < 0) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "SSO token cache %s: '%s' is not an ISO 8601 "
                      "time like 2030-01-31T12:00:00Z", path, key);
        free(s);
        return -1;
    }
    *out = (time_t)t;
    free(s);
    return 1;
}

static char *read_file(const char *path, size_t *len, struct aws_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st;
    char *data;
    size_t got = 0;

    if (fd < 0) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "SSO token cache %s: %s", path,
                      errno == ENOENT ? "no such file (not logged in)" : strerror(errno));
        return NULL;
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > SSO_CACHE_MAX) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "SSO token cache %s: not a regular file of "
                      "at most 1 MiB", path);
        close(fd);
        return NULL;
    }
    data = xmalloc((size_t)st.st_size + 1);
    while (got < (size_t)st.st_size) {
        ssize_t n = read(fd, data + got, (size_t)st.st_size - got);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    data[got] = '\0';
    *len = got;
    return data;
}

int sso_token_load(const char *path, struct sso_token *out, struct aws_error *err)
{
    struct sso_token t = {0};
    size_t len = 0;
    char *data;
    cJSON *root;
    int ok;

    memset(out, 0, sizeof(*out));
    if (!(data = read_file(path, &len, err)))
        return -1;
    root = cJSON_ParseWithLength(data, len);
    explicit_bzero(data, len);
    free(data);
    if (!cJSON_IsObject(root)) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "SSO token cache %s is not a JSON object",
                      path);
        json_wipe(root);
        cJSON_Delete(root);
        return -1;
    }
    ok = cache_string(root, "accessToken", &t.access_token, path, err) >= 0 &&
         cache_time(root, "expiresAt", &t.expires_at, path, err) >= 0 &&
         cache_string(root, "refreshToken", &t.refresh_token, path, err) >= 0 &&
         cache_string(root, "clientId", &t.client_id, path, err) >= 0 &&
         cache_string(root, "clientSecret", &t.client_secret, path, err) >= 0 &&
         cache_time(root, "registrationExpiresAt", &t.registration_expires_at, path,
                    err) >= 0 &&
         cache_string(root, "region", &t.region, path, err) >= 0 &&
         cache_string(root, "startUrl", &t.start_url, path, err) >= 0;
    if (ok && (!t.access_token || !*t.access_token || !t.expires_at)) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "SSO token cache %s has no %s", path,
                      !t.access_token || !*t.access_token ? "accessToken" : "expiresAt");
        ok = 0;
    }
    json_wipe(root);
    cJSON_Delete(root);
    if (!ok) {
        sso_token_done(&t);
        return -1;
    }
    *out = t;
    return 0;
}

static void put_string(cJSON *o, const char *key, const char *v)
{
    if (v && !cJSON_AddStringToObject(o, key, v))
        fatal("out of memory");
}

static void put_time(cJSON *o, const char *key, time_t t)
{
    char s[21];

    if (!t)
        return;
    timeutil_format_iso8601((int64_t)t, s);  /* botocore writes %Y-%m-%dT%H:%M:%SZ too */
    put_string(o, key, s);
}

/* mkdir -p for the cache directory, 0700 as the CLI makes it. */
static int make_dirs(const char *dir)
{
    char *d = xstrdup(dir);
    int rc = 0;

    for (char *p = d + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(d, 0700) < 0 && errno != EEXIST)
            rc = -1;
        *p = '/';
    }
    if (mkdir(d, 0700) < 0 && errno != EEXIST)
        rc = -1;
    free(d);
    return rc;
}

int sso_token_save(const char *path, const struct sso_token *t, struct aws_error *err)
{
    cJSON *o = cJSON_CreateObject();
    char *text, *dir, *tmp, *slash;
    size_t len, off = 0;
    int fd, rc = -1;

    if (!o)
        fatal("out of memory");
    put_string(o, "startUrl", t->start_url);
    put_string(o, "region", t->region);
    put_string(o, "accessToken", t->access_token);
    put_time(o, "expiresAt", t->expires_at);
    put_string(o, "clientId", t->client_id);
    put_string(o, "clientSecret", t->client_secret);
    put_time(o, "registrationExpiresAt", t->registration_expires_at);
    put_string(o, "refreshToken", t->refresh_token);
    text = cJSON_Print(o);
    json_wipe(o);
    cJSON_Delete(o);
    if (!text)
        fatal("out of memory");
    len = strlen(text);
    dir = xstrdup(path);
    slash = strrchr(dir, '/');
    if (slash && slash != dir)
        *slash = '\0';
    tmp = xasprintf("%s.XXXXXX", path);
    if (make_dirs(dir) < 0) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "cannot create %s: %s", dir, strerror(errno));
        goto out;
    }
    /* mkstemp creates the file 0600 and O_EXCL: nobody else can have it open */
    if ((fd = mkstemp(tmp)) < 0) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "cannot create a file in %s: %s", dir,
                      strerror(errno));
        goto out;
    }
    (void)fchmod(fd, 0600);
    while (off < len) {
        ssize_t n = write(fd, text + off, len - off);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        off += (size_t)n;
    }
    if (off < len || fsync(fd) < 0) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "cannot write %s: %s", tmp, strerror(errno));
        close(fd);
        unlink(tmp);
        goto out;
    }
    close(fd);
    if (rename(tmp, path) < 0) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "cannot replace %s: %s", path, strerror(errno));
        unlink(tmp);
        goto out;
    }
    rc = 0;
out:
    explicit_bzero(text, len);
    free(text);
    free(dir);
    free(tmp);
    return rc;
}

int sso_login_save(const struct sso_profile *p, const struct oidc_client *cl,
                   struct oidc_token *tok, time_t now, char **path, time_t *expires_at,
                   struct aws_error *err)
{
    struct sso_token st = {0};
    int rc;

    /* the fields the AWS CLI v2 writes, so botocore and the CLI read our file and we theirs */
    st.start_url = xstrdup(p->start_url);
    st.region = xstrdup(p->region);
    st.access_token = tok->access_token;
    tok->access_token = NULL;
    st.expires_at = now + (time_t)tok->expires_in;
    if (p->session) {
        st.refresh_token = tok->refresh_token;
        tok->refresh_token = NULL;
        st.client_id = xstrdup(cl->client_id);
        st.client_secret = xstrdup(cl->client_secret);
        st.registration_expires_at = (time_t)cl->secret_expires_at;
    }
    *path = sso_token_cache_path(p);
    *expires_at = st.expires_at;
    rc = sso_token_save(*path, &st, err);
    sso_token_done(&st);
    if (rc < 0) {
        free(*path);
        *path = NULL;
    }
    return rc;
}

/* ---- the provider -------------------------------------------------------------------- */

/* The fix the user runs, for every "log in again" error. */
#define LOGIN_FIX "run `opsdeck login --sso %s` (or `aws sso login --profile %s`)"

/* One refresh on the loop: an SSO-OIDC token refresh when the cached token is near its
 * end, then the portal's GetRoleCredentials. */
struct sso_job {
    struct creds_task task;
    struct creds_ctx ctx;
    struct sso_profile p;
    struct sso_token t;
    char *path;                 /* the token cache file */
    bool refreshing;            /* the call under way is the OIDC token refresh */
    char refresh_msg[300];      /* why a token refresh failed, for the expired-token error */
    unsigned long call;
};

static void sso_job_free(struct sso_job *j)
{
    if (j->call)
        aws_client_cancel(j->ctx.client, j->call);
    sso_token_done(&j->t);
    sso_profile_done(&j->p);
    free(j->path);
    free(j);
}

static void sso_job_cancel(struct creds_task *t)
{
    sso_job_free((struct sso_job *)(void *)t);
}

static void sso_answer(const struct aws_response *resp, const struct aws_error *err,
                       void *ud);

/* SSO-OIDC CreateToken with the refresh token. 0: sent; -1 with err. */
static int token_refresh_send(struct sso_job *j, struct aws_error *err)
{
    struct aws_request req;
    char *url;

    if (!(url = aws_config_endpoint_region(j->ctx.cfg, "oidc", j->p.region, NULL, err)))
        return -1;
    oidc_create_token_request(&req, j->t.client_id, j->t.client_secret,
                              OIDC_GRANT_REFRESH_TOKEN, j->t.refresh_token);
    req.endpoint = url;
    req.region = xstrdup(j->p.region);
    j->refreshing = true;
    j->call = creds_call(&j->ctx, NULL, &req, sso_answer, j, err);
    return j->call ? 0 : -1;
}

/* The token refresh's answer: on success the new token replaces the old one (and the
 * cache file is rewritten); -1 with err leaves the old token. */
static int token_refresh_take(struct sso_job *j, const struct aws_response *resp,
                              struct aws_error *err)
{
    struct oidc_token nt;
    struct sso_token fresh = {0};
    int rc = oidc_create_token_parse(resp, &nt, err);

    if (rc < 0)
        return -1;
    fresh.access_token = nt.access_token;
    fresh.refresh_token = nt.refresh_token;  /* as botocore: only what the answer carries */
    fresh.expires_at = time(NULL) + (time_t)nt.expires_in;
    fresh.client_id = dup_or_null(j->t.client_id);
    fresh.client_secret = dup_or_null(j->t.client_secret);
    fresh.registration_expires_at = j->t.registration_expires_at;
    fresh.region = xstrdup(j->p.region);
    fresh.start_url = xstrdup(j->p.start_url);
    if (sso_token_save(j->path, &fresh, err) < 0) {
        sso_token_done(&fresh);
        return -1;
    }
    sso_token_done(&j->t);
    j->t = fresh;
    return 0;
}

/* GetRoleCredentials with the token, unless it has expired. 0: sent; -1 with err. */
static int role_credentials_send(struct sso_job *j, struct aws_error *err)
{
    struct aws_request req;
    char *url;
    const char *src = NULL;

    if (j->t.expires_at <= time(NULL)) {
        char when[21];

        timeutil_format_iso8601((int64_t)j->t.expires_at, when);
        aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s: the SSO token for %s expired at "
                      "%s%s; " LOGIN_FIX, j->p.profile, j->p.start_url, when, j->refresh_msg,
                      j->p.profile, j->p.profile);
        return -1;
    }
    if (!(url = aws_config_endpoint_region(j->ctx.cfg, "portal.sso", j->p.region, &src, err)))
        return -1;
    sso_get_role_credentials_request(&req, j->p.role_name, j->p.account_id,
                                     j->t.access_token);
    req.endpoint = url;
    req.region = xstrdup(j->p.region);
    j->refreshing = false;
    j->call = creds_call(&j->ctx, NULL, &req, sso_answer, j, err);
    return j->call ? 0 : -1;
}

/* GetRoleCredentials's answer: the credentials, or the one line a person needs. */
static struct aws_credentials *role_credentials_take(struct sso_job *j,
                                                     const struct aws_response *resp,
                                                     const struct aws_error *call_err,
                                                     struct aws_error *err)
{
    const struct sso_profile *p = &j->p;
    struct sso_role_credentials rc;
    struct aws_credentials *c;
    char msg[sizeof(err->message)], *source;

    if (!resp) {
        *err = *call_err;
        if (err->http_status == 401 || err->http_status == 403 || err->kind == AWS_ERR_PARSE ||
            err->kind == AWS_ERR_CONFIG)
            snprintf(msg, sizeof(msg), "%s", err->message);
        else  /* network, other HTTP: the client's line names the endpoint */
            aws_error_describe(err, p->profile, msg, sizeof(msg));
        if (err->http_status == 401 || err->http_status == 403)
            aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s: the SSO portal refused the "
                          "token for %s (HTTP %ld %s: %s); " LOGIN_FIX, p->profile,
                          p->start_url, err->http_status, err->code, msg, p->profile,
                          p->profile);
        else
            aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s: SSO GetRoleCredentials for "
                          "account %s role %s failed: %s", p->profile, p->account_id,
                          p->role_name, msg);
        return NULL;
    }
    if (sso_get_role_credentials_parse(resp, &rc, err) < 0) {
        snprintf(msg, sizeof(msg), "%s", err->message);
        aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s: %s", p->profile, msg);
        return NULL;
    }
    source = xasprintf("profile %s: SSO %s account %s role %s", p->profile, p->start_url,
                       p->account_id, p->role_name);
    c = creds_new(rc.access_key_id, rc.secret_access_key, rc.session_token,
                  (time_t)rc.expiration, source);
    free(source);
    sso_role_credentials_free(&rc);
    return c;
}

static void sso_end(struct sso_job *j, struct aws_credentials *c, const struct aws_error *err)
{
    j->task.done(&j->task, c ? PROVIDER_OK : PROVIDER_ERROR, c, err);
    sso_job_free(j);
}

static void sso_answer(const struct aws_response *resp, const struct aws_error *err,
                       void *ud)
{
    struct sso_job *j = ud;
    struct aws_credentials *c = NULL;
    struct aws_error e;

    j->call = 0;
    aws_error_clear(&e);
    if (j->refreshing) {
        struct aws_error rerr;

        /* a failed refresh is not the end: the old token may still have minutes left */
        aws_error_clear(&rerr);
        if (!resp)
            rerr = *err;
        if (!resp || token_refresh_take(j, resp, &rerr) < 0)
            snprintf(j->refresh_msg, sizeof(j->refresh_msg), "; refreshing it failed: %.250s",
                     rerr.message);
        if (resp && resp->body.data)
            explicit_bzero(resp->body.data, resp->body.len);
        if (role_credentials_send(j, &e) < 0)
            sso_end(j, NULL, &e);
        return;
    }
    c = role_credentials_take(j, resp, err, &e);
    if (resp && resp->body.data)
        explicit_bzero(resp->body.data, resp->body.len);
    sso_end(j, c, &e);
}

static enum provider_result provider_sso(struct creds_ctx *ctx, struct aws_credentials **out,
                                         struct aws_error *err)
{
    struct sso_job *j;
    time_t now = time(NULL);
    int rc;

    (void)out;
    /* botocore's trigger: the role or the account; the rest is then required */
    if (!creds_profile_value(ctx, "sso_account_id") && !creds_profile_value(ctx, "sso_role_name"))
        return PROVIDER_SKIP;
    j = xcalloc(1, sizeof(*j));
    j->task.cancel = sso_job_cancel;
    j->ctx = *ctx;
    if (sso_profile_load(ctx->cfg, ctx->profile, true, &j->p, err) < 0) {
        sso_job_free(j);
        return PROVIDER_ERROR;
    }
    j->path = sso_token_cache_path(&j->p);
    if (sso_token_load(j->path, &j->t, err) < 0) {
        char msg[sizeof(err->message)];

        snprintf(msg, sizeof(msg), "%s", err->message);
        aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s: no usable SSO token for %s (%s); "
                      LOGIN_FIX, j->p.profile, j->p.start_url, msg, j->p.profile,
                      j->p.profile);
        sso_job_free(j);
        return PROVIDER_ERROR;
    }
    /* botocore refreshes sso_session tokens only; legacy tokens have no refresh token */
    if (j->p.session && j->t.expires_at - now < SSO_REFRESH_WINDOW && j->t.refresh_token &&
        j->t.client_id && j->t.client_secret && j->t.registration_expires_at > now) {
        struct aws_error rerr;

        aws_error_clear(&rerr);
        rc = token_refresh_send(j, &rerr);
        if (rc < 0) {
            snprintf(j->refresh_msg, sizeof(j->refresh_msg), "; refreshing it failed: %.250s",
                     rerr.message);
            rc = role_credentials_send(j, err);
        }
    } else {
        rc = role_credentials_send(j, err);
    }
    if (rc < 0) {
        sso_job_free(j);
        return PROVIDER_ERROR;
    }
    ctx->task = &j->task;
    return PROVIDER_PENDING;
}

const struct creds_provider creds_provider_sso = {"sso", provider_sso};
