/* creds_remote.c - credentials served over HTTP: ECS/EKS containers and EC2 IMDSv2.
 *
 * Both follow botocore (ContainerProvider / InstanceMetadataProvider): the container
 * provider answers only when its environment variables are set and then fails loudly; the
 * IMDS provider is the last resort and steps aside (SKIP) when the metadata service does
 * not answer, leaving a note for the "no credentials" message.
 *
 * These are link-local (or loopback) services, so requests use a blocking curl easy handle
 * with short timeouts and never a proxy. Response bodies go into one fixed buffer (no
 * realloc copies of secrets) that is wiped after use. */
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

#include "creds/creds_provider.h"
#include "util/xalloc.h"
#include "util/timeutil.h"

#define REMOTE_BODY_MAX (64 * 1024)
#define REMOTE_TOKEN_MAX (16 * 1024)
#define CONTAINER_CONNECT_MS 1000
#define CONTAINER_TOTAL_MS 2000      /* botocore: TIMEOUT_SECONDS = 2 */
#define CONTAINER_ATTEMPTS 3         /* botocore: RETRY_ATTEMPTS = 3 */
#define CONTAINER_RETRY_SLEEP_MS 500 /* botocore sleeps 1 s; half keeps a refresh short */
#define CONTAINER_HOST "169.254.170.2"
#define IMDS_DEFAULT "http://169.254.169.254"
#define IMDS_DEFAULT_IPV6 "http://[fd00:ec2::254]"
#define IMDS_TOKEN_TTL "21600"

/* ---- a blocking request -------------------------------------------------------------- */

struct fetch {
    char *body;      /* REMOTE_BODY_MAX + 1, wiped and freed by fetch_done */
    size_t len;
    bool overflow;
    long status;     /* 0: no HTTP answer */
    CURLcode rc;
    char errtext[CURL_ERROR_SIZE];
};

static size_t fetch_write(char *p, size_t size, size_t nmemb, void *ud)
{
    struct fetch *f = ud;
    size_t n = size * nmemb;

    if (f->len + n > REMOTE_BODY_MAX) {
        f->overflow = true;
        return 0;  /* aborts the transfer */
    }
    memcpy(f->body + f->len, p, n);
    f->len += n;
    f->body[f->len] = '\0';
    return n;
}

static void fetch_done(struct fetch *f)
{
    if (f->body) {
        explicit_bzero(f->body, REMOTE_BODY_MAX + 1);
        free(f->body);
    }
    f->body = NULL;
    f->len = 0;
}

/* One request. headers may carry a secret (Authorization): wiped here after use. */
static void fetch_run(struct fetch *f, const char *method, const char *url,
                      struct curl_slist *headers, long connect_ms, long total_ms)
{
    CURL *h = curl_easy_init();
    const char *ca = getenv("AWS_CA_BUNDLE");

    fetch_done(f);
    f->body = xmalloc(REMOTE_BODY_MAX + 1);
    f->body[0] = '\0';
    f->overflow = false;
    f->status = 0;
    f->errtext[0] = '\0';
    if (!h) {
        f->rc = CURLE_FAILED_INIT;
        for (struct curl_slist *s = headers; s; s = s->next)
            explicit_bzero(s->data, strlen(s->data));
        curl_slist_free_all(headers);
        return;
    }
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_NOPROXY, "*");  /* a proxy cannot reach link-local hosts */
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, total_ms);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500   /* 7.85 */
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    if (ca && *ca)
        curl_easy_setopt(h, CURLOPT_CAINFO, ca);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "opsdeck/" PACKAGE_VERSION);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, f->errtext);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, fetch_write);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, f);
    if (strcmp(method, "PUT") == 0) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, 0L);
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "PUT");
        headers = curl_slist_append(headers, "Content-Type:");  /* no form type for PUT */
    }
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    f->rc = curl_easy_perform(h);
    if (f->rc == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &f->status);
    curl_easy_cleanup(h);
    for (struct curl_slist *s = headers; s; s = s->next)
        explicit_bzero(s->data, strlen(s->data));
    curl_slist_free_all(headers);
}

/* Why a request got no usable answer, for messages. */
static void fetch_describe(const struct fetch *f, char *out, size_t outlen)
{
    if (f->overflow)
        snprintf(out, outlen, "the answer is larger than %d KiB", REMOTE_BODY_MAX / 1024);
    else if (f->rc != CURLE_OK)
        snprintf(out, outlen, "%s", f->errtext[0] ? f->errtext : curl_easy_strerror(f->rc));
    else
        snprintf(out, outlen, "HTTP %ld", f->status);
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

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
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

/* The Authorization header ("Authorization: <token>"), read at each fetch because the
 * token file is rotated; NULL when none is configured; -1 via *failed on error. */
static char *container_auth_header(struct aws_error *err, bool *failed)
{
    const char *path = env_set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    const char *env = env_set("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    char *token = NULL, *hdr;

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
    hdr = xasprintf("Authorization: %s", token);
    xfree_secret(token);
    return hdr;
}

static enum provider_result provider_container(struct creds_ctx *ctx,
                                               struct aws_credentials **out,
                                               struct aws_error *err)
{
    const char *rel = env_set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    const char *full = env_set("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    const char *var = rel ? "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI" :
                      "AWS_CONTAINER_CREDENTIALS_FULL_URI";
    struct fetch f = {0};
    char *url, *what, why[CURL_ERROR_SIZE + 64];
    enum provider_result ret = PROVIDER_ERROR;

    (void)ctx;
    if (!rel && !full)
        return PROVIDER_SKIP;
    /* botocore: the relative URI wins, and is always on the ECS agent's address */
    url = rel ? xasprintf("http://%s%s", CONTAINER_HOST, rel) : xstrdup(full);
    what = xasprintf("container credentials from %s", url);
    if (!rel && !container_url_allowed(url, why, sizeof(why))) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "%s: refused, %s; fix %s", what, why, var);
        goto out;
    }
    for (int attempt = 1; attempt <= CONTAINER_ATTEMPTS; attempt++) {
        struct curl_slist *hdrs = curl_slist_append(NULL, "Accept: application/json");
        bool failed;
        char *auth = container_auth_header(err, &failed);

        if (failed) {
            curl_slist_free_all(hdrs);
            goto out;
        }
        if (auth) {
            hdrs = curl_slist_append(hdrs, auth);
            xfree_secret(auth);
        }
        fetch_run(&f, "GET", url, hdrs, CONTAINER_CONNECT_MS, CONTAINER_TOTAL_MS);
        if (f.rc == CURLE_OK && f.status == 200) {
            *out = creds_remote_parse(f.body, f.len, what, err);
            if (*out) {
                ret = PROVIDER_OK;
                goto out;
            }
        } else {
            fetch_describe(&f, why, sizeof(why));
            aws_error_set(err, AWS_ERR_CREDENTIALS, "%s: no credentials after %d attempts "
                          "(last: %s); check %s and the container's credential agent", what,
                          attempt, why, var);
        }
        if (attempt < CONTAINER_ATTEMPTS)
            sleep_ms(CONTAINER_RETRY_SLEEP_MS);
    }
out:
    fetch_done(&f);
    free(what);
    free(url);
    return ret;
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

static enum provider_result provider_imds(struct creds_ctx *ctx, struct aws_credentials **out,
                                          struct aws_error *err)
{
    const char *base = imds_setting(ctx, "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                                    "ec2_metadata_service_endpoint");
    const char *mode = imds_setting(ctx, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
                                    "ec2_metadata_service_endpoint_mode");
    bool v1_disabled = setting_true(imds_setting(ctx, "AWS_EC2_METADATA_V1_DISABLED",
                                                 "ec2_metadata_v1_disabled"));
    long timeout_ms = 1000 * setting_long(imds_setting(ctx, "AWS_METADATA_SERVICE_TIMEOUT",
                                                       "metadata_service_timeout"), 1, 60);
    long attempts = setting_long(imds_setting(ctx, "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
                                              "metadata_service_num_attempts"), 1, 10);
    struct fetch f = {0};
    char *root, *url, *token = NULL, *token_hdr = NULL, *what;
    char role[65], why[CURL_ERROR_SIZE + 64];
    size_t n;
    enum provider_result ret = PROVIDER_SKIP;

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
    n = strlen(base);
    root = xasprintf("%.*s/latest", (int)(n && base[n - 1] == '/' ? n - 1 : n), base);

    /* 1. the session token */
    url = xasprintf("%s/api/token", root);
    for (long i = 0; i < attempts; i++) {
        fetch_run(&f, "PUT", url, curl_slist_append(NULL, "X-aws-ec2-metadata-token-ttl-seconds: "
                                                    IMDS_TOKEN_TTL), timeout_ms, timeout_ms);
        if (f.rc == CURLE_OK && (f.status == 200 || f.status == 400 || f.status == 403 ||
                                 f.status == 404 || f.status == 405))
            break;
    }
    free(url);
    if (f.rc != CURLE_OK) {
        /* botocore would retry without a token; a service that did not answer the PUT will
         * not answer the GET either, so stop here rather than wait twice. */
        fetch_describe(&f, why, sizeof(why));
        snprintf(remote_note, sizeof(remote_note), "the EC2 instance metadata service at %s "
                 "did not answer (%s)", base, why);
        goto out;
    }
    if (f.status == 200 && f.len > 0 && !memchr(f.body, '\n', f.len) &&
        !memchr(f.body, '\r', f.len)) {
        token = xstrdup(f.body);
        token_hdr = xasprintf("X-aws-ec2-metadata-token: %s", token);
    } else if (f.status == 400 || v1_disabled) {
        snprintf(remote_note, sizeof(remote_note), "the EC2 instance metadata service at %s "
                 "gave no session token (HTTP %ld)%s", base, f.status,
                 v1_disabled ? " and IMDSv1 is disabled" : "");
        goto out;
    }

    /* 2. the role name */
    url = xasprintf("%s/meta-data/iam/security-credentials/", root);
    for (long i = 0; i < attempts; i++) {
        fetch_run(&f, "GET", url, token_hdr ? curl_slist_append(NULL, token_hdr) : NULL,
                  timeout_ms, timeout_ms);
        if (f.rc == CURLE_OK && f.status == 200 && f.len > 0)
            break;
    }
    free(url);
    if (f.rc != CURLE_OK || f.status != 200 || f.len == 0) {
        fetch_describe(&f, why, sizeof(why));
        snprintf(remote_note, sizeof(remote_note), "the EC2 instance metadata service at %s "
                 "gave no instance profile role (%s)", base, f.rc == CURLE_OK &&
                 f.status == 200 ? "empty answer" : why);
        goto out;
    }
    n = strcspn(f.body, "\r\n");
    if (!role_name_valid(f.body, n)) {
        snprintf(remote_note, sizeof(remote_note), "the EC2 instance metadata service at %s "
                 "gave a role name that is not an IAM role name", base);
        goto out;
    }
    memcpy(role, f.body, n);
    role[n] = '\0';

    /* 3. the role's credentials */
    url = xasprintf("%s/meta-data/iam/security-credentials/%s", root, role);
    what = xasprintf("instance profile role %s (%s)", role, token ? "IMDSv2" : "IMDSv1");
    for (long i = 0; i < attempts; i++) {
        fetch_run(&f, "GET", url, token_hdr ? curl_slist_append(NULL, token_hdr) : NULL,
                  timeout_ms, timeout_ms);
        if (f.rc == CURLE_OK && f.status == 200 && f.len > 0)
            break;
    }
    free(url);
    if (f.rc != CURLE_OK || f.status != 200) {
        fetch_describe(&f, why, sizeof(why));
        snprintf(remote_note, sizeof(remote_note), "the EC2 instance metadata service at %s "
                 "gave no credentials for role %s (%s)", base, role, why);
    } else {
        cJSON *doc = cJSON_ParseWithLength(f.body, f.len);
        const cJSON *secret = cJSON_GetObjectItemCaseSensitive(doc, "SecretAccessKey");
        const cJSON *code = cJSON_GetObjectItemCaseSensitive(doc, "Code");

        /* botocore: a 200 without the credential fields (an error document with Code and
         * Message) means "none here", not an error */
        if (!secret) {
            snprintf(remote_note, sizeof(remote_note), "the EC2 instance metadata service at "
                     "%s gave no credentials for role %s%s%.40s%s", base, role,
                     cJSON_IsString(code) ? " (Code " : "",
                     cJSON_IsString(code) ? code->valuestring : "",
                     cJSON_IsString(code) ? ")" : "");
            for (char *p = remote_note; *p; p++)  /* Code is untrusted text */
                if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
                    *p = '?';
        } else {
            *out = creds_remote_parse(f.body, f.len, what, err);
            ret = *out ? PROVIDER_OK : PROVIDER_ERROR;
        }
        json_wipe(doc);
        cJSON_Delete(doc);
    }
    free(what);
out:
    fetch_done(&f);
    xfree_secret(token_hdr);
    xfree_secret(token);
    free(root);
    return ret;
}

const struct creds_provider creds_provider_container = {"container-role", provider_container};
const struct creds_provider creds_provider_imds = {"iam-role", provider_imds};
