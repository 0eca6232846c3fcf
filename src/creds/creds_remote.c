/* creds_remote.c - credentials served over HTTP: ECS/EKS containers and EC2 IMDSv2.
 *
 * Both follow botocore (ContainerProvider / InstanceMetadataProvider): the container
 * provider answers only when its environment variables are set and then fails loudly; the
 * IMDS provider is the last resort and steps aside (SKIP) when the metadata service does
 * not answer, leaving a note for the "no credentials" message.
 *
 * These are link-local (or loopback) services: their requests are ordinary unsigned
 * requests on the asking client's connection pool, with short timeouts and never through a
 * proxy, so a slow metadata service holds up nothing else. The answers are marked secret
 * (kept in one buffer, wiped). Retries wait on the client's timers, never in a sleep. */
#include "config.h"
#include "creds/creds_remote.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/client.h"
#include "creds/creds_provider.h"
#include "util/xalloc.h"
#include "util/timeutil.h"

#define REMOTE_TOKEN_MAX (16 * 1024)
#define CONTAINER_CONNECT_MS 1000
#define CONTAINER_TOTAL_MS 2000      /* botocore: TIMEOUT_SECONDS = 2 */
#define CONTAINER_ATTEMPTS 3         /* botocore: RETRY_ATTEMPTS = 3 */
#define CONTAINER_RETRY_SLEEP_MS 500 /* botocore sleeps 1 s; half keeps a refresh short */
#define CONTAINER_HOST "169.254.170.2"
#define IMDS_DEFAULT "http://169.254.169.254"
#define IMDS_DEFAULT_IPV6 "http://[fd00:ec2::254]"
#define IMDS_TOKEN_TTL "21600"

/* ---- one request --------------------------------------------------------------------- */

/* A request to url (as configured: http(s)://host[:port]/path?query), unsigned, never
 * through a proxy. The headers are "Name", "value" pairs ending in NULL; values may be
 * secrets (request headers are wiped when freed). */
static unsigned long remote_send(struct aws_client *c, const char *method, const char *url,
                                 const char *const *headers, long connect_ms, long total_ms,
                                 aws_done_fn cb, void *ud)
{
    struct aws_call_opts o = {.connect_timeout_ms = connect_ms, .timeout_ms = total_ms,
                              .max_attempts = 1, .no_proxy = true, .secret = true};
    struct aws_request req;
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL, *query = NULL;

    aws_request_init(&req, "metadata", "GetCredentials", method);
    if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
        if (curl_url_get(u, CURLUPART_PORT, &port, CURLU_NO_DEFAULT_PORT) != CURLUE_OK)
            port = NULL;
        if (curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK)
            path = NULL;
        if (curl_url_get(u, CURLUPART_QUERY, &query, 0) != CURLUE_OK)
            query = NULL;
        req.endpoint = xasprintf("%s://%s%s%s", scheme, host, port ? ":" : "",
                                 port ? port : "");
        aws_request_set_path(&req, path && *path ? path : "/");
        if (query) {
            free(req.query);
            req.query = xstrdup(query);
        }
    } else {
        req.endpoint = xstrdup(url);   /* the client reports it as an invalid endpoint */
    }
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_free(path);
    curl_free(query);
    curl_url_cleanup(u);
    for (size_t i = 0; headers && headers[i]; i += 2)
        aws_request_add_header(&req, headers[i], headers[i + 1]);
    return aws_client_call(c, &req, &o, cb, ud);
}

/* Why a request got no usable answer, for messages: "HTTP 500", or the client's line. */
static void remote_describe(const struct aws_error *e, char *out, size_t outlen)
{
    if (e->kind == AWS_ERR_HTTP)
        snprintf(out, outlen, "HTTP %ld", e->http_status);
    else
        snprintf(out, outlen, "%s", e->message);
}

static void wipe_body(const struct aws_response *resp)
{
    if (resp && resp->body.data)
        explicit_bzero(resp->body.data, resp->body.len);
}

/* ---- the credentials document -------------------------------------------------------- */

static void json_wipe(cJSON *j)
{
    for (; j; j = j->next) {
        if (j->valuestring)
            explicit_bzero(j->valuestring, strlen(j->valuestring));
        json_wipe(j->child);
    }
}

struct aws_credentials *creds_remote_parse(const char *json, size_t len, const char *what,
                                           struct aws_error *err)
{
    static const char *const keys[] = {"AccessKeyId", "SecretAccessKey", "Token",
                                       "Expiration"};
    const char *v[4];
    cJSON *root = cJSON_ParseWithLength(json, len);
    struct aws_credentials *c = NULL;
    int64_t expiration;

    if (!cJSON_IsObject(root)) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "%s: the answer is not a JSON object", what);
        goto out;
    }
    for (int i = 0; i < 4; i++) {
        const cJSON *item = cJSON_GetObjectItemCaseSensitive(root, keys[i]);

        if (!cJSON_IsString(item) || !*item->valuestring) {
            aws_error_set(err, AWS_ERR_CREDENTIALS, "%s: the answer has %s %s", what,
                          item ? "a non-string or empty" : "no", keys[i]);
            goto out;
        }
        v[i] = item->valuestring;
    }
    if (timeutil_parse_iso8601(v[3], &expiration) < 0) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "%s: Expiration in the answer is not an ISO "
                      "8601 time with a zone", what);
        goto out;
    }
    c = creds_new(v[0], v[1], v[2], expiration, what);
out:
    json_wipe(root);
    cJSON_Delete(root);
    return c;
}


static const char *env_set(const char *name)
{
    return getenv(name);  /* botocore tests "in os.environ": an empty value counts */
}

/* ---- container credentials ----------------------------------------------------------- */

/* botocore's ContainerMetadataFetcher._validate_allowed_url: https anywhere; http only to a
 * loopback address or one of the container agents' addresses. */
static bool container_url_allowed(const char *url, char *why, size_t whylen)
{
    static const char *const allowed[] = {CONTAINER_HOST, "169.254.170.23", "fd00:ec2::23",
                                          "localhost"};
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL;
    bool ok = false;

    if (!u || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
        snprintf(why, whylen, "it is not a URL");
        goto out;
    }
    if (strcasecmp(scheme, "https") == 0) {
        ok = true;
    } else if (strcasecmp(scheme, "http") != 0) {
        snprintf(why, whylen, "only http and https are allowed");
    } else {
        char h[256];
        size_t n = strlen(host);
        unsigned char a[16];

        /* [v6] -> v6, lower case, as Python's urlparse().hostname */
        if (n >= 2 && host[0] == '[' && host[n - 1] == ']')
            snprintf(h, sizeof(h), "%.*s", (int)(n - 2), host + 1);
        else
            snprintf(h, sizeof(h), "%s", host);
        for (char *p = h; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        if (inet_pton(AF_INET, h, a) == 1)
            ok = a[0] == 127;
        else if (inet_pton(AF_INET6, h, a) == 1)
            ok = memcmp(a, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1", 16) == 0;
        for (size_t i = 0; !ok && i < sizeof(allowed) / sizeof(allowed[0]); i++)
            ok = strcmp(h, allowed[i]) == 0;
        if (!ok)
            snprintf(why, whylen, "over http only a loopback address or %s, 169.254.170.23, "
                     "fd00:ec2::23 or localhost is allowed", CONTAINER_HOST);
    }
out:
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(u);
    return ok;
}

/* The Authorization header's value, read at each fetch because the token file is rotated;
 * NULL when none is configured; *failed (with err set) on error. Wipe it after use. */
static char *container_auth_token(struct aws_error *err, bool *failed)
{
    const char *path = env_set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    const char *env = env_set("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    char *token = NULL;

    *failed = false;
    if (path) {
        FILE *f = fopen(path, "re");
        size_t n;

        if (!f) {
            aws_error_set(err, AWS_ERR_CREDENTIALS, "container credentials: cannot read "
                          "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE %s: %s", path,
                          strerror(errno));
            *failed = true;
            return NULL;
        }
        token = xmalloc(REMOTE_TOKEN_MAX + 1);
        n = fread(token, 1, REMOTE_TOKEN_MAX + 1, f);
        fclose(f);
        token[n > REMOTE_TOKEN_MAX ? REMOTE_TOKEN_MAX : n] = '\0';
        if (n > REMOTE_TOKEN_MAX || memchr(token, '\0', n)) {
            aws_error_set(err, AWS_ERR_CREDENTIALS, "container credentials: "
                          "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE %s is not a token (too "
                          "large or binary)", path);
            explicit_bzero(token, REMOTE_TOKEN_MAX + 1);
            free(token);
            *failed = true;
            return NULL;
        }
    } else if (env) {
        token = xstrdup(env);
    } else {
        return NULL;
    }
    /* botocore refuses a token that would split the header; so do we, and say where. */
    if (strpbrk(token, "\r\n")) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "container credentials: the authorization "
                      "token in %s contains a line break; remove it (a trailing newline "
                      "counts)", path ? path : "AWS_CONTAINER_AUTHORIZATION_TOKEN");
        xfree_secret(token);
        *failed = true;
        return NULL;
    }
    return token;
}

struct container_job {
    struct creds_task task;
    struct aws_client *client;
    char *url, *what;
    const char *var;             /* the variable that named the URL */
    int attempt;
    unsigned long call, timer;
};

static void container_free(struct container_job *j)
{
    if (j->call)
        aws_client_cancel(j->client, j->call);
    if (j->timer)
        aws_client_unwatch(j->client, j->timer);
    free(j->url);
    free(j->what);
    free(j);
}

static void container_cancel(struct creds_task *t)
{
    container_free((struct container_job *)(void *)t);
}

static void container_end(struct container_job *j, struct aws_credentials *c,
                          const struct aws_error *err)
{
    j->call = 0;
    j->task.done(&j->task, c ? PROVIDER_OK : PROVIDER_ERROR, c, c ? NULL : err);
    container_free(j);
}

static void container_try(void *ud);

static void container_answer(const struct aws_response *resp, const struct aws_error *err,
                             void *ud)
{
    struct container_job *j = ud;
    struct aws_error perr;
    char why[sizeof(err->message) + 64];

    j->call = 0;
    aws_error_clear(&perr);
    if (resp) {
        struct aws_credentials *c = creds_remote_parse(resp->body.data ? resp->body.data : "",
                                                       resp->body.len, j->what, &perr);

        wipe_body(resp);
        if (c) {
            container_end(j, c, NULL);
            return;
        }
    } else {
        remote_describe(err, why, sizeof(why));
        aws_error_set(&perr, AWS_ERR_CREDENTIALS, "%s: no credentials after %d attempts "
                      "(last: %s); check %s and the container's credential agent", j->what,
                      j->attempt, why, j->var);
    }
    if (j->attempt >= CONTAINER_ATTEMPTS) {
        container_end(j, NULL, &perr);
        return;
    }
    j->timer = aws_client_timer(j->client, CONTAINER_RETRY_SLEEP_MS, container_try, j);
}

/* One attempt; the token is read again each time because the token file is rotated. */
static bool container_send(struct container_job *j, struct aws_error *err)
{
    bool failed;
    char *auth;

    j->attempt++;
    auth = container_auth_token(err, &failed);
    if (failed)
        return false;
    {
        const char *hdrs[] = {"Accept", "application/json", auth ? "Authorization" : NULL,
                              auth, NULL};

        j->call = remote_send(j->client, "GET", j->url, hdrs, CONTAINER_CONNECT_MS,
                              CONTAINER_TOTAL_MS, container_answer, j);
    }
    xfree_secret(auth);
    return true;
}

static void container_try(void *ud)
{
    struct container_job *j = ud;
    struct aws_error err;

    j->timer = 0;
    aws_error_clear(&err);
    if (!container_send(j, &err))
        container_end(j, NULL, &err);
}

static enum provider_result provider_container(struct creds_ctx *ctx,
                                               struct aws_credentials **out,
                                               struct aws_error *err)
{
    const char *rel = env_set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    const char *full = env_set("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    struct container_job *j;
    char why[256];

    (void)out;
    if (!rel && !full)
        return PROVIDER_SKIP;
    j = xcalloc(1, sizeof(*j));
    j->task.cancel = container_cancel;
    j->client = ctx->client;
    j->var = rel ? "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI" :
                   "AWS_CONTAINER_CREDENTIALS_FULL_URI";
    /* botocore: the relative URI wins, and is always on the ECS agent's address */
    j->url = rel ? xasprintf("http://%s%s", CONTAINER_HOST, rel) : xstrdup(full);
    j->what = xasprintf("container credentials from %s", j->url);
    if (!rel && !container_url_allowed(j->url, why, sizeof(why))) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "%s: refused, %s; fix %s", j->what, why,
                      j->var);
        container_free(j);
        return PROVIDER_ERROR;
    }
    if (!ctx->client) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "%s: nothing here can make the call", j->what);
        container_free(j);
        return PROVIDER_ERROR;
    }
    /* a token that cannot be read fails now, before anything is sent */
    if (!container_send(j, err)) {
        container_free(j);
        return PROVIDER_ERROR;
    }
    ctx->task = &j->task;
    return PROVIDER_PENDING;
}

/* ---- EC2 instance metadata (IMDSv2, v1 fallback as botocore) ------------------------- */

static char remote_note[512];

const char *creds_remote_note(void)
{
    return remote_note[0] ? remote_note : NULL;
}

/* A setting from the environment over the active profile (botocore's config chain). */
static const char *imds_setting(const struct creds_ctx *ctx, const char *env, const char *key)
{
    const char *v = getenv(env);

    return v ? v : aws_config_profile_value(ctx->cfg, key);
}

static bool setting_true(const char *v)
{
    return v && strcasecmp(v, "true") == 0;
}

static long setting_long(const char *v, long def, long max)
{
    char *end;
    long n;

    if (!v || !*v)
        return def;
    errno = 0;
    n = strtol(v, &end, 10);
    return *end || errno || n < 1 || n > max ? def : n;
}

/* A role name comes from the network and goes into a URL path and our messages: accept
 * IAM's character set only ([\w+=,.@-], at most 64). */
static bool role_name_valid(const char *s, size_t n)
{
    if (n == 0 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr("_+=,.@-", s[i]))
            return false;
    return true;
}


enum imds_step { IMDS_TOKEN, IMDS_ROLE, IMDS_CREDS };

struct imds_job {
    struct creds_task task;
    struct aws_client *client;
    char *base, *root;           /* the endpoint as configured; its .../latest */
    bool v1_disabled;
    long timeout_ms, attempts;
    enum imds_step step;
    long attempt;
    char *token;                 /* IMDSv2 session token, NULL: IMDSv1 */
    char role[65];
    unsigned long call;
};

static void imds_free(struct imds_job *j)
{
    if (j->call)
        aws_client_cancel(j->client, j->call);
    xfree_secret(j->token);
    free(j->base);
    free(j->root);
    free(j);
}

static void imds_cancel(struct creds_task *t)
{
    imds_free((struct imds_job *)(void *)t);
}

/* The end: OK with c, ERROR with err, or SKIP (the note says why) when there is nothing. */
static void imds_end(struct imds_job *j, enum provider_result r, struct aws_credentials *c,
                     const struct aws_error *err)
{
    j->call = 0;
    j->task.done(&j->task, r, c, err);
    imds_free(j);
}

static void imds_answer(const struct aws_response *resp, const struct aws_error *err,
                        void *ud);

static void imds_send(struct imds_job *j)
{
    char *url;

    j->attempt++;
    if (j->step == IMDS_TOKEN) {
        const char *hdrs[] = {"X-aws-ec2-metadata-token-ttl-seconds", IMDS_TOKEN_TTL, NULL};

        url = xasprintf("%s/api/token", j->root);
        j->call = remote_send(j->client, "PUT", url, hdrs, j->timeout_ms, j->timeout_ms,
                              imds_answer, j);
    } else {
        const char *hdrs[] = {j->token ? "X-aws-ec2-metadata-token" : NULL, j->token, NULL};

        url = xasprintf("%s/meta-data/iam/security-credentials/%s", j->root,
                        j->step == IMDS_CREDS ? j->role : "");
        j->call = remote_send(j->client, "GET", url, hdrs, j->timeout_ms, j->timeout_ms,
                              imds_answer, j);
    }
    free(url);
}

static void imds_next(struct imds_job *j, enum imds_step step)
{
    j->step = step;
    j->attempt = 0;
    imds_send(j);
}

/* The token step's answer. */
static void imds_token(struct imds_job *j, const struct aws_response *resp,
                       const struct aws_error *err)
{
    long status = resp ? resp->status : err->http_status;
    char why[sizeof(err->message) + 64];

    /* these are answers, not failures: asking again will not change them */
    if (!resp && err->kind != AWS_ERR_HTTP) {
        if (j->attempt < j->attempts) {
            imds_send(j);
            return;
        }
        /* botocore would retry without a token; a service that did not answer the PUT will
         * not answer the GET either, so stop here rather than wait twice. */
        remote_describe(err, why, sizeof(why));
        snprintf(remote_note, sizeof(remote_note), "the EC2 instance metadata service at %s "
                 "did not answer (%.250s)", j->base, why);
        imds_end(j, PROVIDER_SKIP, NULL, NULL);
        return;
    }
    if (!resp && status != 400 && status != 403 && status != 404 && status != 405 &&
        j->attempt < j->attempts) {
        imds_send(j);
        return;
    }
    if (resp && resp->body.len > 0 && !memchr(resp->body.data, '\n', resp->body.len) &&
        !memchr(resp->body.data, '\r', resp->body.len)) {
        j->token = xstrndup(resp->body.data, resp->body.len);
    } else if (status == 400 || j->v1_disabled) {
        snprintf(remote_note, sizeof(remote_note), "the EC2 instance metadata service at %s "
                 "gave no session token (HTTP %ld)%s", j->base, status,
                 j->v1_disabled ? " and IMDSv1 is disabled" : "");
        imds_end(j, PROVIDER_SKIP, NULL, NULL);
        return;
    }
    imds_next(j, IMDS_ROLE);
}

/* The role step's answer. */
static void imds_role(struct imds_job *j, const struct aws_response *resp,
                      const struct aws_error *err)
{
    char why[sizeof(err->message) + 64];
    size_t n;

    if (!resp || resp->body.len == 0) {
        if (j->attempt < j->attempts) {
            imds_send(j);
            return;
        }
        if (resp)
            snprintf(why, sizeof(why), "empty answer");
        else
            remote_describe(err, why, sizeof(why));
        snprintf(remote_note, sizeof(remote_note), "the EC2 instance metadata service at %s "
                 "gave no instance profile role (%.250s)", j->base, why);
        imds_end(j, PROVIDER_SKIP, NULL, NULL);
        return;
    }
    n = strcspn(resp->body.data, "\r\n");
    if (!role_name_valid(resp->body.data, n)) {
        snprintf(remote_note, sizeof(remote_note), "the EC2 instance metadata service at %s "
                 "gave a role name that is not an IAM role name", j->base);
        imds_end(j, PROVIDER_SKIP, NULL, NULL);
        return;
    }
    memcpy(j->role, resp->body.data, n);
    j->role[n] = '\0';
    imds_next(j, IMDS_CREDS);
}

/* The credentials step's answer. */
static void imds_creds(struct imds_job *j, const struct aws_response *resp,
                       const struct aws_error *err)
{
    char why[sizeof(err->message) + 64], *what;
    cJSON *doc;
    const cJSON *secret, *code;
    struct aws_credentials *c;
    struct aws_error perr;

    if (!resp || resp->body.len == 0) {
        if (j->attempt < j->attempts) {
            imds_send(j);
            return;
        }
        if (resp)
            snprintf(why, sizeof(why), "HTTP %ld", resp->status);
        else
            remote_describe(err, why, sizeof(why));
        snprintf(remote_note, sizeof(remote_note), "the EC2 instance metadata service at %s "
                 "gave no credentials for role %s (%.250s)", j->base, j->role, why);
        imds_end(j, PROVIDER_SKIP, NULL, NULL);
        return;
    }
    doc = cJSON_ParseWithLength(resp->body.data, resp->body.len);
    secret = cJSON_GetObjectItemCaseSensitive(doc, "SecretAccessKey");
    code = cJSON_GetObjectItemCaseSensitive(doc, "Code");
    /* botocore: a 200 without the credential fields (an error document with Code and
     * Message) means "none here", not an error */
    if (!secret) {
        snprintf(remote_note, sizeof(remote_note), "the EC2 instance metadata service at "
                 "%s gave no credentials for role %s%s%.40s%s", j->base, j->role,
                 cJSON_IsString(code) ? " (Code " : "",
                 cJSON_IsString(code) ? code->valuestring : "",
                 cJSON_IsString(code) ? ")" : "");
        for (char *p = remote_note; *p; p++)  /* Code is untrusted text */
            if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
                *p = '?';
        json_wipe(doc);
        cJSON_Delete(doc);
        imds_end(j, PROVIDER_SKIP, NULL, NULL);
        return;
    }
    json_wipe(doc);
    cJSON_Delete(doc);
    what = xasprintf("instance profile role %s (%s)", j->role, j->token ? "IMDSv2" : "IMDSv1");
    aws_error_clear(&perr);
    c = creds_remote_parse(resp->body.data, resp->body.len, what, &perr);
    free(what);
    imds_end(j, c ? PROVIDER_OK : PROVIDER_ERROR, c, c ? NULL : &perr);
}

static void imds_answer(const struct aws_response *resp, const struct aws_error *err,
                        void *ud)
{
    struct imds_job *j = ud;

    j->call = 0;
    switch (j->step) {
    case IMDS_TOKEN:
        imds_token(j, resp, err);
        break;
    case IMDS_ROLE:
        imds_role(j, resp, err);
        break;
    case IMDS_CREDS:
        imds_creds(j, resp, err);
        break;
    }
    wipe_body(resp);
}

static enum provider_result provider_imds(struct creds_ctx *ctx, struct aws_credentials **out,
                                          struct aws_error *err)
{
    const char *base = imds_setting(ctx, "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                                    "ec2_metadata_service_endpoint");
    const char *mode = imds_setting(ctx, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
                                    "ec2_metadata_service_endpoint_mode");
    struct imds_job *j;
    size_t n;

    (void)out;
    remote_note[0] = '\0';
    if (setting_true(getenv("AWS_EC2_METADATA_DISABLED")))
        return PROVIDER_SKIP;
    if (!base || !*base)
        base = mode && strcasecmp(mode, "ipv6") == 0 ? IMDS_DEFAULT_IPV6 : IMDS_DEFAULT;
    if (!aws_config_endpoint_valid(base)) {
        aws_error_set(err, AWS_ERR_CONFIG, "the EC2 metadata endpoint %s (from "
                      "AWS_EC2_METADATA_SERVICE_ENDPOINT or ec2_metadata_service_endpoint) is "
                      "not a valid URL; fix it, or set AWS_EC2_METADATA_DISABLED=true", base);
        return PROVIDER_ERROR;
    }
    if (!ctx->client) {
        snprintf(remote_note, sizeof(remote_note), "the EC2 instance metadata service at %s "
                 "was not asked (nothing here can make the call)", base);
        return PROVIDER_SKIP;
    }
    j = xcalloc(1, sizeof(*j));
    j->task.cancel = imds_cancel;
    j->client = ctx->client;
    j->v1_disabled = setting_true(imds_setting(ctx, "AWS_EC2_METADATA_V1_DISABLED",
                                               "ec2_metadata_v1_disabled"));
    j->timeout_ms = 1000 * setting_long(imds_setting(ctx, "AWS_METADATA_SERVICE_TIMEOUT",
                                                     "metadata_service_timeout"), 1, 60);
    j->attempts = setting_long(imds_setting(ctx, "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
                                            "metadata_service_num_attempts"), 1, 10);
    j->base = xstrdup(base);
    n = strlen(base);
    j->root = xasprintf("%.*s/latest", (int)(n && base[n - 1] == '/' ? n - 1 : n), base);
    imds_next(j, IMDS_TOKEN);
    ctx->task = &j->task;
    return PROVIDER_PENDING;
}

const struct creds_provider creds_provider_container = {"container-role", provider_container};
const struct creds_provider creds_provider_imds = {"iam-role", provider_imds};
