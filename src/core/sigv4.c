/* sigv4.c - AWS Signature Version 4, header and presigned-URL forms, on OpenSSL libcrypto.
 *
 * Why not libcurl's CURLOPT_AWS_SIGV4: curl 7.88 (Debian 12) fails 15 of the 34 official
 * cases (query order, UTF-8, repeated headers, path normalisation), has no notion of S3's
 * "path as sent" versus the other services' normalised, twice-encoded path, and signs only
 * with the Authorization header, while the S3 view needs presigned URLs. So we sign
 * ourselves, and test the result against the published suite (tests/data/sigv4, both forms)
 * and differentially against botocore (tests/integ/test_sigv4_botocore.py).
 *
 * SigV4A (sigv4a.c) signs the same canonical request with another algorithm: both go
 * through sigv4_sign_with / sigv4_presign_with with a scheme that names the algorithm and
 * signs the string to sign (here: HMAC with the derived signing key).
 *
 * The request is never modified unless signing succeeds: everything is computed from r plus
 * the headers or parameters the signer is going to add, and only then applied.
 *
 * Secrets: our copy of the secret ("AWS4"+secret) and every intermediate HMAC key are wiped
 * with OPENSSL_cleanse before return; none is ever put in errbuf. The signing key is kept
 * in a small cache (see signing_key) that is wiped when an entry is replaced and at exit. */
#include "config.h"
#include "core/sigv4.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SIGV4_ALGORITHM "AWS4-HMAC-SHA256"
#define SIGV4_MAX_EXPIRES 604800L /* seven days: AWS refuses longer presigned URLs */

/* A header as the canonicaliser sees it (borrowed pointers). */
struct hdr {
    const char *name;
    const char *value;
};

static bool hmac_sign(const struct sigv4_scheme *s, const struct sigv4_credentials *c,
                      const char *date8, const char *region, const char *service,
                      const char *sts, char sig[SIGV4_SIG_MAX]);

static const struct sigv4_scheme sigv4_hmac = {
    .algorithm = SIGV4_ALGORITHM,
    .region_set = NULL,
    .sign = hmac_sign,
};

/* Never signed, as in botocore: hop-by-hop headers are rewritten by proxies and by curl
 * itself (curl adds "Expect: 100-continue" after we sign), User-Agent is appended to by
 * proxies and X-Amzn-Trace-Id by X-Ray. Authorization is the signature itself. */
static const char *const unsigned_headers[] = {
    "authorization", "connection", "expect", "keep-alive", "proxy-authenticate",
    "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "user-agent",
    "x-amzn-trace-id",
};

/* The query parameters a presigned URL carries; a re-presign replaces them. */
static const char *const presign_params[] = {
    "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires",
    "X-Amz-SignedHeaders", "X-Amz-Security-Token", "X-Amz-Region-Set", "X-Amz-Signature",
};

static void set_err(char *errbuf, size_t errlen, const char *msg)
{
    if (errbuf && errlen)
        snprintf(errbuf, errlen, "sigv4: %s", msg);
}

static bool is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~';
}

/* SigV4's whitespace for Trimall: what HTTP allows in a header value plus the line breaks
 * of an obsolete folded (multi-line) header. */
static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* EVP_sha256() makes OpenSSL 3 look the algorithm up in its provider tables on every
 * digest (EVP_MD_fetch was ~2 % of a 1000-queue poll cycle); fetch it once instead. */
static const EVP_MD *sha256_md(void)
{
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
    static EVP_MD *md;   /* process lifetime: holds no secret */

    if (!md)
        md = EVP_MD_fetch(NULL, "SHA256", NULL);
    if (md)
        return md;
#endif
    return EVP_sha256();
}

void sha256_hex(const void *data, size_t len, char out[65])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;

    if (!EVP_Digest(data, len, md, &mdlen, sha256_md(), NULL) || mdlen != 32)
        fatal("SHA-256 failed in libcrypto");
    for (unsigned i = 0; i < 32; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[64] = '\0';
}

static bool is_alnum(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Only characters that cannot break the credential scope "KEY/DATE/REGION/SERVICE/...";
 * punct lists what is allowed besides letters and digits. */
static bool scope_token_ok(const char *s, const char *punct)
{
    if (!s || !*s)
        return false;
    for (; *s; s++)
        if (!is_alnum(*s) && !strchr(punct, *s))
            return false;
    return true;
}

/* ---- canonical URI ---------------------------------------------------------------- */

/* RFC 3986 5.2.4 dot-segment removal plus merging of empty segments ("//"), as the other
 * services (not S3) require. Same rules as botocore's remove_dot_segments: "/.." at the
 * root stays at the root, and a trailing slash is kept only if the path ended in one. */
static char *path_normalize(const char *path)
{
    size_t len = strlen(path);
    const char **seg = xmalloc((len / 2 + 2) * sizeof(*seg));
    size_t *seglen = xmalloc((len / 2 + 2) * sizeof(*seglen));
    size_t n = 0;
    struct buf out;
    const char *p = path;

    while (*p) {
        const char *slash = strchr(p, '/');
        size_t l = slash ? (size_t)(slash - p) : strlen(p);
        if (l == 0 || (l == 1 && p[0] == '.')) {
            /* empty or "." segment: dropped */
        } else if (l == 2 && p[0] == '.' && p[1] == '.') {
            if (n > 0)
                n--;
        } else {
            seg[n] = p;
            seglen[n] = l;
            n++;
        }
        p += l;
        if (*p == '/')
            p++;
    }
    buf_init(&out);
    buf_putc(&out, '/');
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_putc(&out, '/');
        buf_append(&out, seg[i], seglen[i]);
    }
    if (n > 0 && len > 0 && path[len - 1] == '/')
        buf_putc(&out, '/');
    free(seg);
    free(seglen);
    return buf_steal(&out);
}

/* S3 signs the path exactly as it goes on the wire. Bytes that cannot travel raw in a
 * request line (space, controls, non-ASCII, and characters RFC 3986 does not allow in a
 * path) are percent-encoded, since that is the only form in which they can be sent; every
 * other byte, existing %XX escapes included, is kept as it is. */
static char *path_s3(const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    struct buf out;

    buf_init(&out);
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if (is_unreserved(*p) || strchr("/%!$&'()*+,;=:@", *p)) {
            buf_putc(&out, (char)*p);
        } else {
            buf_putc(&out, '%');
            buf_putc(&out, hex[*p >> 4]);
            buf_putc(&out, hex[*p & 15]);
        }
    }
    if (!out.data)
        buf_puts(&out, "");
    return buf_steal(&out);
}

/* Other services: normalise, then URI-encode the (already once-encoded) path again, so an
 * existing "%20" becomes "%2520" - AWS's "encode each segment twice" rule. */
static char *canonical_uri(const char *path, bool s3)
{
    char *norm, *enc;

    if (s3)
        return path_s3(path);
    norm = path_normalize(path);
    enc = uri_encode(norm, strlen(norm), false);
    free(norm);
    return enc;
}

/* ---- canonical query -------------------------------------------------------------- */

struct qparam {
    char *name;  /* canonically encoded */
    char *value; /* canonically encoded */
};

static int qparam_cmp(const void *a, const void *b)
{
    const struct qparam *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->value, y->value);
}

/* Each name and value is decoded and encoded again the SigV4 way (RFC 3986 unreserved kept,
 * uppercase hex), so whatever escaping the sender used, the server and we agree. Pairs are
 * sorted by encoded name, then by encoded value (repeated keys). A parameter without '='
 * has an empty value; empty segments ("a=1&&b=2") carry nothing and are skipped. */
static char *canonical_query(const char *query)
{
    struct qparam *v = NULL;
    size_t n = 0, cap = 0;
    const char *p = query;
    struct buf out;

    while (p && *p) {
        const char *amp = strchr(p, '&');
        size_t l = amp ? (size_t)(amp - p) : strlen(p);
        if (l > 0) {
            const char *eq = memchr(p, '=', l);
            size_t nl = eq ? (size_t)(eq - p) : l;
            char *dn = uri_decode(p, nl);
            char *dv = eq ? uri_decode(eq + 1, l - nl - 1) : xstrdup("");
            if (n == cap) {
                cap = cap ? cap * 2 : 8;
                v = xrealloc(v, cap * sizeof(*v));
            }
            v[n].name = uri_encode(dn, strlen(dn), true);
            v[n].value = uri_encode(dv, strlen(dv), true);
            n++;
            free(dn);
            xfree_secret(dv); /* may be X-Amz-Security-Token */
        }
        p += l;
        if (*p == '&')
            p++;
    }
    if (n > 1)
        qsort(v, n, sizeof(*v), qparam_cmp);
    buf_init(&out);
    buf_puts(&out, "");
    for (size_t i = 0; i < n; i++) {
        buf_printf(&out, "%s%s=%s", i ? "&" : "", v[i].name, v[i].value);
        free(v[i].name);
        xfree_secret(v[i].value);
    }
    free(v);
    return buf_steal(&out);
}

/* ---- canonical headers ------------------------------------------------------------ */

struct chdr {
    char *lname;        /* lowercase, trimmed */
    const char *value;  /* as in the request */
    size_t order;       /* position, so repeated headers keep their order */
};

static int chdr_cmp(const void *a, const void *b)
{
    const struct chdr *x = a, *y = b;
    int c = strcmp(x->lname, y->lname);
    if (c)
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

static bool header_is_unsigned(const char *lname)
{
    for (size_t i = 0; i < sizeof(unsigned_headers) / sizeof(unsigned_headers[0]); i++)
        if (strcmp(lname, unsigned_headers[i]) == 0)
            return true;
    return false;
}

static char *lower_trim(const char *s)
{
    size_t len;
    char *out;

    while (is_ws(*s))
        s++;
    len = strlen(s);
    while (len > 0 && is_ws(s[len - 1]))
        len--;
    out = xstrndup(s, len);
    for (char *p = out; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return out;
}

/* Trimall: leading and trailing whitespace removed, inner runs collapsed to one space. */
static void put_trimall(struct buf *b, const char *v)
{
    bool pending = false, any = false;

    for (; *v; v++) {
        if (is_ws(*v)) {
            pending = any;
            continue;
        }
        if (pending)
            buf_putc(b, ' ');
        buf_putc(b, *v);
        pending = false;
        any = true;
    }
}

/* Appends "name:v1,v2\n" lines to canon and "a;b;c" to names, for the headers in h. */
static void canonical_headers(const struct hdr *h, size_t nh, struct buf *canon,
                              struct buf *names)
{
    struct chdr *v = xcalloc(nh ? nh : 1, sizeof(*v));
    size_t n = 0;

    for (size_t i = 0; i < nh; i++) {
        char *ln = lower_trim(h[i].name);
        if (header_is_unsigned(ln)) {
            free(ln);
            continue;
        }
        v[n].lname = ln;
        v[n].value = h[i].value ? h[i].value : "";
        v[n].order = i;
        n++;
    }
    qsort(v, n, sizeof(*v), chdr_cmp);
    buf_puts(canon, "");
    buf_puts(names, "");
    for (size_t i = 0; i < n; i++) {
        bool same = i > 0 && strcmp(v[i].lname, v[i - 1].lname) == 0;
        if (same) {
            buf_putc(canon, ',');
        } else {
            if (i > 0)
                buf_putc(canon, '\n');
            buf_printf(canon, "%s:", v[i].lname);
            buf_printf(names, "%s%s", names->len ? ";" : "", v[i].lname);
        }
        put_trimall(canon, v[i].value);
    }
    if (n > 0)
        buf_putc(canon, '\n');
    for (size_t i = 0; i < n; i++)
        free(v[i].lname);
    free(v);
}

/* ---- key derivation and signature ------------------------------------------------- */

static bool hmac256(const void *key, size_t keylen, const char *msg, unsigned char out[32])
{
    unsigned int outlen = 0;

    return HMAC(sha256_md(), key, (int)keylen, (const unsigned char *)msg, strlen(msg), out,
                &outlen) != NULL && outlen == 32;
}

/* The signing key depends only on the secret, the day, the region and the service, so it
 * is cached: four of the five HMACs per request were deriving the same key again (a poll
 * cycle signs ~1000 requests for one region and two services). An entry holds no copy of
 * the secret, only a SHA-256 of it to tell secrets apart; entries are wiped when replaced
 * and at exit (sigv4_key_cache_clear). A few entries: one per service in use. */
#define KEY_CACHE_SIZE 8

struct key_entry {
    bool used;
    unsigned char secret_fp[32];   /* SHA-256("AWS4" + secret) */
    char date8[9];
    char region[64];
    char service[64];
    unsigned char key[32];         /* kSigning */
};

static struct key_entry key_cache[KEY_CACHE_SIZE];
static unsigned key_cache_next;
static bool key_cache_atexit;

void sigv4_key_cache_clear(void)
{
    OPENSSL_cleanse(key_cache, sizeof(key_cache));
    key_cache_next = 0;
}

static bool derive_key(const char *k0, size_t k0len, const char *date8, const char *region,
                       const char *service, unsigned char out[32])
{
    unsigned char k1[32], k2[32], k3[32];
    bool ok = hmac256(k0, k0len, date8, k1) && hmac256(k1, 32, region, k2) &&
              hmac256(k2, 32, service, k3) && hmac256(k3, 32, "aws4_request", out);

    OPENSSL_cleanse(k1, sizeof(k1));
    OPENSSL_cleanse(k2, sizeof(k2));
    OPENSSL_cleanse(k3, sizeof(k3));
    return ok;
}

/* kSigning = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request"),
 * from the cache when it holds it. */
static bool signing_key(const char *secret, const char *date8, const char *region,
                        const char *service, unsigned char out[32])
{
    size_t slen = strlen(secret);
    char *k0 = xmalloc(slen + 5);
    unsigned char fp[32];
    unsigned int fplen = 0;
    struct key_entry *e = NULL;
    bool ok;

    memcpy(k0, "AWS4", 4);
    memcpy(k0 + 4, secret, slen + 1);
    ok = EVP_Digest(k0, slen + 4, fp, &fplen, sha256_md(), NULL) && fplen == 32;
    /* names too long for an entry are signed without the cache */
    if (ok && strlen(region) < sizeof(e->region) && strlen(service) < sizeof(e->service)) {
        for (unsigned i = 0; i < KEY_CACHE_SIZE; i++) {
            struct key_entry *c = &key_cache[i];
            if (c->used && CRYPTO_memcmp(c->secret_fp, fp, 32) == 0 &&
                strcmp(c->date8, date8) == 0 && strcmp(c->region, region) == 0 &&
                strcmp(c->service, service) == 0) {
                memcpy(out, c->key, 32);
                OPENSSL_cleanse(k0, slen + 5);
                free(k0);
                OPENSSL_cleanse(fp, sizeof(fp));
                return true;
            }
        }
        e = &key_cache[key_cache_next];
    }
    ok = ok && derive_key(k0, slen + 4, date8, region, service, out);
    OPENSSL_cleanse(k0, slen + 5);
    free(k0);
    if (ok && e) {
        if (!key_cache_atexit) {
            atexit(sigv4_key_cache_clear);
            key_cache_atexit = true;
        }
        OPENSSL_cleanse(e, sizeof(*e));
        e->used = true;
        memcpy(e->secret_fp, fp, 32);
        snprintf(e->date8, sizeof(e->date8), "%s", date8);
        snprintf(e->region, sizeof(e->region), "%s", region);
        snprintf(e->service, sizeof(e->service), "%s", service);
        memcpy(e->key, out, 32);
        key_cache_next = (key_cache_next + 1) % KEY_CACHE_SIZE;
    }
    OPENSSL_cleanse(fp, sizeof(fp));
    return ok;
}

/* signature = hex(HMAC(kSigning, string_to_sign)). Every intermediate is wiped. */
static bool hmac_sign(const struct sigv4_scheme *scheme, const struct sigv4_credentials *c,
                      const char *date8, const char *region, const char *service,
                      const char *sts, char sig[SIGV4_SIG_MAX])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char k4[32], s[32];
    bool ok;

    (void)scheme;
    ok = signing_key(c->secret_access_key, date8, region, service, k4) &&
         hmac256(k4, 32, sts, s);
    if (ok) {
        for (int i = 0; i < 32; i++) {
            sig[2 * i] = hex[s[i] >> 4];
            sig[2 * i + 1] = hex[s[i] & 15];
        }
        sig[64] = '\0';
    }
    OPENSSL_cleanse(k4, sizeof(k4));
    OPENSSL_cleanse(s, sizeof(s));
    return ok;
}

/* ---- shared steps ----------------------------------------------------------------- */

struct sig_common {
    char amz_date[17];   /* 20150830T123600Z */
    char date8[9];       /* 20150830 */
    char scope[256];     /* 20150830/us-east-1/service/aws4_request */
};

static int check_inputs(const struct aws_request *r, const struct sigv4_credentials *c,
                        const struct sigv4_params *p, const struct sigv4_scheme *s,
                        struct sig_common *sc, char *errbuf, size_t errlen)
{
    struct tm tm;

    if (!r || !c || !p) {
        set_err(errbuf, errlen, "missing request, credentials or parameters");
        return -1;
    }
    if (!c->access_key_id || !*c->access_key_id) {
        set_err(errbuf, errlen, "no access key id");
        return -1;
    }
    if (!scope_token_ok(c->access_key_id, "")) {
        set_err(errbuf, errlen, "access key id contains characters other than A-Z a-z 0-9");
        return -1;
    }
    if (!c->secret_access_key || !*c->secret_access_key) {
        set_err(errbuf, errlen, "no secret access key");
        return -1;
    }
    if (s->region_set) {
        /* SigV4A: "*" or a list of regions, possibly with wildcards ("us-*,eu-west-1") */
        if (!scope_token_ok(s->region_set, "-_.*,")) {
            set_err(errbuf, errlen, "region set contains characters other than A-Z a-z 0-9 "
                                    "- _ . * ,");
            return -1;
        }
    } else if (!p->region || !*p->region) {
        set_err(errbuf, errlen, "no region to sign for");
        return -1;
    } else if (!scope_token_ok(p->region, "-_.")) {
        set_err(errbuf, errlen, "region contains characters other than A-Z a-z 0-9 - _ .");
        return -1;
    }
    if (!p->service || !*p->service) {
        set_err(errbuf, errlen, "no service (signing name) to sign for");
        return -1;
    }
    if (!scope_token_ok(p->service, "-_.")) {
        set_err(errbuf, errlen, "service contains characters other than A-Z a-z 0-9 - _ .");
        return -1;
    }
    if (!r->method || !*r->method) {
        set_err(errbuf, errlen, "request has no method");
        return -1;
    }
    for (const char *m = r->method; *m; m++)
        if (!(*m >= 'A' && *m <= 'Z')) {
            set_err(errbuf, errlen, "request method is not an uppercase token");
            return -1;
        }
    if (!r->path || r->path[0] != '/') {
        set_err(errbuf, errlen, "request path does not start with '/'");
        return -1;
    }
    if (!r->query) {
        set_err(errbuf, errlen, "request has no query string (use \"\" for none)");
        return -1;
    }
    if (!aws_request_header(r, "Host") || !*aws_request_header(r, "Host")) {
        set_err(errbuf, errlen, "request has no Host header");
        return -1;
    }
    if (p->payload_hash && !*p->payload_hash) {
        set_err(errbuf, errlen, "empty payload hash");
        return -1;
    }
    if (!gmtime_r(&p->when, &tm) || tm.tm_year + 1900 < 1970 || tm.tm_year + 1900 > 9999) {
        set_err(errbuf, errlen, "signing time out of range");
        return -1;
    }
    strftime(sc->amz_date, sizeof(sc->amz_date), "%Y%m%dT%H%M%SZ", &tm);
    memcpy(sc->date8, sc->amz_date, 8);
    sc->date8[8] = '\0';
    /* SigV4A's scope has no region: the region set travels in X-Amz-Region-Set */
    if ((size_t)(s->region_set
                     ? snprintf(sc->scope, sizeof(sc->scope), "%s/%s/aws4_request", sc->date8,
                                p->service)
                     : snprintf(sc->scope, sizeof(sc->scope), "%s/%s/%s/aws4_request",
                                sc->date8, p->region, p->service)) >= sizeof(sc->scope)) {
        set_err(errbuf, errlen, "region or service name too long");
        return -1;
    }
    return 0;
}

static bool has_token(const struct sigv4_credentials *c)
{
    return c->session_token && *c->session_token;
}

/* Builds the canonical request and string to sign, and signs. Returns false only when
 * libcrypto fails. */
static bool sign_canonical(const struct aws_request *r, const struct sigv4_credentials *c,
                           const struct sigv4_params *p, const struct sigv4_scheme *s,
                           const struct sig_common *sc, const struct hdr *h, size_t nh,
                           const char *query, const char *payload, struct buf *signed_names,
                           char **creq_out, char **sts_out, char sig[SIGV4_SIG_MAX])
{
    struct buf creq, canon;
    char *curi = canonical_uri(r->path, p->s3_rules || r->s3_rules);
    char *cquery = canonical_query(query);
    char creq_hash[65];
    char *sts;
    bool ok;

    buf_init(&canon);
    canonical_headers(h, nh, &canon, signed_names);
    buf_init(&creq);
    buf_printf(&creq, "%s\n%s\n%s\n%s\n%s\n%s", r->method, curi, cquery, buf_str(&canon),
               buf_str(signed_names), payload);
    free(curi);
    xfree_secret(cquery);
    /* canonical headers hold the session token */
    if (canon.data)
        OPENSSL_cleanse(canon.data, canon.len);
    buf_done(&canon);

    sha256_hex(creq.data, creq.len, creq_hash);
    sts = xasprintf("%s\n%s\n%s\n%s", s->algorithm, sc->amz_date, sc->scope, creq_hash);
    ok = s->sign(s, c, sc->date8, p->region, p->service, sts, sig);
    *creq_out = buf_steal(&creq);
    *sts_out = sts;
    return ok;
}

static void fill_debug(struct sigv4_debug *dbg, char *creq, char *sts,
                       const char sig[SIGV4_SIG_MAX])
{
    if (dbg) {
        dbg->canonical_request = creq;
        dbg->string_to_sign = sts;
        snprintf(dbg->signature, sizeof(dbg->signature), "%s", sig);
    } else {
        xfree_secret(creq);
        free(sts);
    }
}

static const char *payload_of(const struct aws_request *r, const struct sigv4_params *p,
                              char hash[65])
{
    if (p->payload_hash)
        return p->payload_hash;
    sha256_hex(r->body.data ? r->body.data : "", r->body.len, hash);
    return hash;
}

/* ---- header form ------------------------------------------------------------------ */

int sigv4_sign(struct aws_request *r, const struct sigv4_credentials *c,
               const struct sigv4_params *p, struct sigv4_debug *dbg, char *errbuf,
               size_t errlen)
{
    return sigv4_sign_with(r, c, p, &sigv4_hmac, dbg, errbuf, errlen);
}

int sigv4_sign_with(struct aws_request *r, const struct sigv4_credentials *c,
                    const struct sigv4_params *p, const struct sigv4_scheme *s,
                    struct sigv4_debug *dbg, char *errbuf, size_t errlen)
{
    struct sig_common sc;
    char hash[65], sig[SIGV4_SIG_MAX];
    const char *payload;
    bool want_sha, ok;
    struct hdr *h;
    size_t nh = 0;
    struct buf names;
    char *creq = NULL, *sts = NULL, *auth, *token, *sha;

    if (check_inputs(r, c, p, s, &sc, errbuf, errlen) < 0)
        return -1;
    payload = payload_of(r, p, hash);
    want_sha = p->content_sha256_header;

    /* The request as it will be: its headers minus the ones we replace, plus ours, in the
     * order the published suites show them (token, date, region set, content hash). */
    h = xmalloc((r->nheaders + 4) * sizeof(*h));
    for (size_t i = 0; i < r->nheaders; i++) {
        const char *n = r->headers[i].name;
        if (strcasecmp(n, "Authorization") == 0 || strcasecmp(n, "X-Amz-Date") == 0 ||
            strcasecmp(n, "X-Amz-Security-Token") == 0 ||
            (s->region_set && strcasecmp(n, "X-Amz-Region-Set") == 0) ||
            (want_sha && strcasecmp(n, "x-amz-content-sha256") == 0))
            continue;
        h[nh].name = n;
        h[nh].value = r->headers[i].value;
        nh++;
    }
    if (has_token(c))
        h[nh++] = (struct hdr){ "X-Amz-Security-Token", c->session_token };
    h[nh++] = (struct hdr){ "X-Amz-Date", sc.amz_date };
    if (s->region_set)
        h[nh++] = (struct hdr){ "X-Amz-Region-Set", s->region_set };
    if (want_sha)
        h[nh++] = (struct hdr){ "x-amz-content-sha256", payload };

    buf_init(&names);
    ok = sign_canonical(r, c, p, s, &sc, h, nh, r->query, payload, &names, &creq, &sts, sig);
    free(h);
    if (!ok) {
        set_err(errbuf, errlen, "signing failed in libcrypto");
        xfree_secret(creq);
        free(sts);
        buf_done(&names);
        return -1;
    }

    auth = xasprintf("%s Credential=%s/%s, SignedHeaders=%s, Signature=%s", s->algorithm,
                     c->access_key_id, sc.scope, buf_str(&names), sig);
    buf_done(&names);
    /* Copies first: the payload hash or token may point into a header we are replacing. */
    token = has_token(c) ? xstrdup(c->session_token) : NULL;
    sha = want_sha ? xstrdup(payload) : NULL;
    aws_request_del_header(r, "Authorization");
    aws_request_del_header(r, "X-Amz-Date");
    aws_request_del_header(r, "X-Amz-Security-Token");
    if (token)
        aws_request_add_header(r, "X-Amz-Security-Token", token);
    aws_request_add_header(r, "X-Amz-Date", sc.amz_date);
    if (s->region_set) {
        aws_request_del_header(r, "X-Amz-Region-Set");
        aws_request_add_header(r, "X-Amz-Region-Set", s->region_set);
    }
    if (sha) {
        aws_request_del_header(r, "x-amz-content-sha256");
        aws_request_add_header(r, "x-amz-content-sha256", sha);
    }
    xfree_secret(token);
    free(sha);
    aws_request_add_header(r, "Authorization", auth);
    xfree_secret(auth);
    fill_debug(dbg, creq, sts, sig);
    return 0;
}

/* ---- query (presigned) form ------------------------------------------------------- */

static bool is_presign_param(const char *seg, size_t len)
{
    const char *eq = memchr(seg, '=', len);
    size_t nl = eq ? (size_t)(eq - seg) : len;
    char *name = uri_decode(seg, nl);
    bool hit = false;

    for (size_t i = 0; i < sizeof(presign_params) / sizeof(presign_params[0]); i++)
        if (strcmp(name, presign_params[i]) == 0)
            hit = true;
    free(name);
    return hit;
}

static void query_add(struct buf *q, const char *name, const char *value)
{
    char *v = uri_encode(value, strlen(value), true);

    buf_printf(q, "%s%s=%s", q->len ? "&" : "", name, v);
    xfree_secret(v);
}

int sigv4_presign(struct aws_request *r, const struct sigv4_credentials *c,
                  const struct sigv4_params *p, long expires_seconds, struct sigv4_debug *dbg,
                  char *errbuf, size_t errlen)
{
    return sigv4_presign_with(r, c, p, &sigv4_hmac, expires_seconds, dbg, errbuf, errlen);
}

int sigv4_presign_with(struct aws_request *r, const struct sigv4_credentials *c,
                       const struct sigv4_params *p, const struct sigv4_scheme *s,
                       long expires_seconds, struct sigv4_debug *dbg, char *errbuf,
                       size_t errlen)
{
    struct sig_common sc;
    char hash[65], sig[SIGV4_SIG_MAX], expires[24];
    const char *payload;
    struct hdr *h;
    struct buf names, q;
    char *credential, *creq = NULL, *sts = NULL;
    const char *qs;
    bool ok;

    if (check_inputs(r, c, p, s, &sc, errbuf, errlen) < 0)
        return -1;
    if (expires_seconds < 1 || expires_seconds > SIGV4_MAX_EXPIRES) {
        set_err(errbuf, errlen, "presigned URL expiry must be 1 to 604800 seconds");
        return -1;
    }
    payload = payload_of(r, p, hash);
    snprintf(expires, sizeof(expires), "%ld", expires_seconds);

    /* The signed headers are the request's own; nothing is added to them. */
    h = xmalloc((r->nheaders ? r->nheaders : 1) * sizeof(*h));
    for (size_t i = 0; i < r->nheaders; i++)
        h[i] = (struct hdr){ r->headers[i].name, r->headers[i].value };
    buf_init(&names);
    {
        struct buf scratch;
        buf_init(&scratch);
        canonical_headers(h, r->nheaders, &scratch, &names);
        buf_done(&scratch);
    }

    /* The query as it will be: earlier presign parameters dropped (a re-presign), ours
     * appended, X-Amz-Signature last and not itself signed. */
    buf_init(&q);
    for (qs = r->query; *qs;) {
        const char *amp = strchr(qs, '&');
        size_t l = amp ? (size_t)(amp - qs) : strlen(qs);
        if (l > 0 && !is_presign_param(qs, l)) {
            if (q.len)
                buf_putc(&q, '&');
            buf_append(&q, qs, l);
        }
        qs += l;
        if (*qs == '&')
            qs++;
    }
    credential = xasprintf("%s/%s", c->access_key_id, sc.scope);
    query_add(&q, "X-Amz-Algorithm", s->algorithm);
    query_add(&q, "X-Amz-Credential", credential);
    query_add(&q, "X-Amz-Date", sc.amz_date);
    query_add(&q, "X-Amz-SignedHeaders", buf_str(&names));
    query_add(&q, "X-Amz-Expires", expires);
    if (has_token(c))
        query_add(&q, "X-Amz-Security-Token", c->session_token);
    if (s->region_set)
        query_add(&q, "X-Amz-Region-Set", s->region_set);
    free(credential);
    buf_reset(&names);

    ok = sign_canonical(r, c, p, s, &sc, h, r->nheaders, buf_str(&q), payload, &names, &creq,
                        &sts, sig);
    free(h);
    buf_done(&names);
    if (!ok) {
        set_err(errbuf, errlen, "signing failed in libcrypto");
        xfree_secret(creq);
        free(sts);
        if (q.data)
            OPENSSL_cleanse(q.data, q.len);
        buf_done(&q);
        return -1;
    }
    query_add(&q, "X-Amz-Signature", sig);
    xfree_secret(r->query);
    r->query = buf_steal(&q);
    fill_debug(dbg, creq, sts, sig);
    return 0;
}

void sigv4_debug_done(struct sigv4_debug *dbg)
{
    if (!dbg)
        return;
    /* the canonical request carries the session token when there is one */
    if (dbg->canonical_request)
        xfree_secret(dbg->canonical_request);
    free(dbg->string_to_sign);
    memset(dbg, 0, sizeof(*dbg));
}
