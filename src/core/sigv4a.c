/* sigv4a.c - AWS Signature Version 4A on OpenSSL 3's libcrypto: key derivation from the
 * secret (NIST SP 800-108 counter-mode KDF, HMAC-SHA256) and ECDSA P-256 signatures; the
 * canonical request, string to sign and request edits are sigv4.c's (sigv4_sign_with).
 *
 * Why our own: libcurl has no SigV4A, and the AWS CRT that the SDKs use for it is not a
 * Debian package. The derivation is specified by AWS; this follows the specification and
 * is checked against the published suite's public keys. */
#include "config.h"
#include "core/sigv4a.h"
#include "util/xalloc.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if OPENSSL_VERSION_NUMBER >= 0x30000000L
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

#define KDF_LABEL SIGV4A_ALGORITHM
#define KDF_MAX_COUNTER 254   /* the specification's bound; a miss is ~2^-32 per step */

static void set_err(char *errbuf, size_t errlen, const char *msg)
{
    if (errbuf && errlen)
        snprintf(errbuf, errlen, "sigv4a: %s", msg);
}

/* One derived key: the credentials it belongs to (by fingerprint), the key pair, and the
 * public point as 04 || X || Y. */
static struct {
    bool used;
    unsigned char fp[32];     /* SHA-256(access key id || 0 || secret) */
    EVP_PKEY *pkey;
    unsigned char pub[65];
} key_cache;
static bool key_cache_atexit;

void sigv4a_key_cache_clear(void)
{
    EVP_PKEY_free(key_cache.pkey);   /* OpenSSL clears the private scalar when freeing */
    OPENSSL_cleanse(&key_cache, sizeof(key_cache));
}

static bool fingerprint(const struct sigv4_credentials *c, unsigned char fp[32])
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned int n = 0;
    bool ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) &&
              EVP_DigestUpdate(md, c->access_key_id, strlen(c->access_key_id) + 1) &&
              EVP_DigestUpdate(md, c->secret_access_key, strlen(c->secret_access_key)) &&
              EVP_DigestFinal_ex(md, fp, &n) && n == 32;

    EVP_MD_CTX_free(md);
    return ok;
}

/* The private scalar: for counter = 1, 2, ...: k = HMAC-SHA256("AWS4A" + secret,
 * be32(1) || label || 0x00 || access key id || counter || be32(256)); the first k (as a
 * big-endian number) that is <= n - 2 gives d = k + 1, so 1 <= d <= n - 1. */
static BIGNUM *derive_scalar(const struct sigv4_credentials *c, const EC_GROUP *group)
{
    size_t slen = strlen(c->secret_access_key), alen = strlen(c->access_key_id);
    size_t llen = strlen(KDF_LABEL), flen = 4 + llen + 1 + alen + 1 + 4;
    unsigned char *key = xmalloc(5 + slen), *fixed = xmalloc(flen);
    unsigned char k[32];
    unsigned int klen = 0;
    BIGNUM *limit = BN_dup(EC_GROUP_get0_order(group)), *d = BN_secure_new();
    bool found = false;
    size_t o = 0;

    memcpy(key, "AWS4A", 5);
    memcpy(key + 5, c->secret_access_key, slen);
    memcpy(fixed, "\0\0\0\1", 4);
    o = 4;
    memcpy(fixed + o, KDF_LABEL, llen);
    o += llen;
    fixed[o++] = 0;
    memcpy(fixed + o, c->access_key_id, alen);
    o += alen;
    fixed[o++] = 0;                        /* the counter, set below */
    memcpy(fixed + o, "\0\0\1\0", 4);      /* L = 256 bits */
    if (limit && d && BN_sub_word(limit, 2)) {
        for (unsigned counter = 1; counter <= KDF_MAX_COUNTER && !found; counter++) {
            fixed[o - 1] = (unsigned char)counter;
            if (!HMAC(EVP_sha256(), key, (int)(5 + slen), fixed, flen, k, &klen) ||
                klen != 32 || !BN_bin2bn(k, 32, d))
                break;
            found = BN_cmp(d, limit) <= 0 && BN_add_word(d, 1);
        }
    }
    OPENSSL_cleanse(key, 5 + slen);
    OPENSSL_cleanse(k, sizeof(k));
    free(key);
    free(fixed);
    BN_free(limit);
    if (!found) {
        BN_clear_free(d);
        return NULL;
    }
    return d;
}

/* The key pair for d, and its public point (uncompressed) in pub. */
static EVP_PKEY *keypair(const EC_GROUP *group, const BIGNUM *d, unsigned char pub[65])
{
    EC_POINT *pt = EC_POINT_new(group);
    BN_CTX *bn = BN_CTX_new();
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *pctx = NULL;
    EVP_PKEY *pkey = NULL;

    if (!pt || !bn || !bld || !EC_POINT_mul(group, pt, d, NULL, NULL, bn) ||
        EC_POINT_point2oct(group, pt, POINT_CONVERSION_UNCOMPRESSED, pub, 65, bn) != 65)
        goto out;
    if (!OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, SN_X9_62_prime256v1,
                                         0) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d) ||
        !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, 65) ||
        !(params = OSSL_PARAM_BLD_to_param(bld)))
        goto out;
    pctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    if (!pctx || EVP_PKEY_fromdata_init(pctx) <= 0 ||
        EVP_PKEY_fromdata(pctx, &pkey, EVP_PKEY_KEYPAIR, params) <= 0)
        pkey = NULL;
out:
    EVP_PKEY_CTX_free(pctx);
    /* the private scalar was copied into params: wipe it (OpenSSL 3.0 has no
     * OSSL_PARAM_clear_free) */
    for (OSSL_PARAM *q = params; q && q->key; q++)
        OPENSSL_cleanse(q->data, q->data_size);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_CTX_free(bn);
    EC_POINT_free(pt);
    return pkey;
}

/* The cached key pair for c, derived when the credentials changed; NULL on failure. */
static EVP_PKEY *key_for(const struct sigv4_credentials *c, const unsigned char **pub)
{
    unsigned char fp[32];
    EC_GROUP *group;
    BIGNUM *d;
    EVP_PKEY *pkey = NULL;

    if (!fingerprint(c, fp))
        return NULL;
    if (key_cache.used && CRYPTO_memcmp(fp, key_cache.fp, 32) == 0) {
        OPENSSL_cleanse(fp, sizeof(fp));
        *pub = key_cache.pub;
        return key_cache.pkey;
    }
    group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
    d = group ? derive_scalar(c, group) : NULL;
    if (d) {
        unsigned char p[65];
        pkey = keypair(group, d, p);
        if (pkey) {
            sigv4a_key_cache_clear();
            if (!key_cache_atexit) {
                atexit(sigv4a_key_cache_clear);
                key_cache_atexit = true;
            }
            key_cache.used = true;
            memcpy(key_cache.fp, fp, 32);
            key_cache.pkey = pkey;
            memcpy(key_cache.pub, p, 65);
            *pub = key_cache.pub;
        }
    }
    BN_clear_free(d);
    EC_GROUP_free(group);
    OPENSSL_cleanse(fp, sizeof(fp));
    return pkey;
}

static void to_hex(const unsigned char *b, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex[b[i] >> 4];
        out[2 * i + 1] = hex[b[i] & 15];
    }
    out[2 * n] = '\0';
}

/* ECDSA-SHA256 of the string to sign, DER-encoded, in hex. */
static bool ecdsa_sign(const struct sigv4_scheme *s, const struct sigv4_credentials *c,
                       const char *date8, const char *region, const char *service,
                       const char *sts, char sig[SIGV4_SIG_MAX])
{
    const unsigned char *pub;
    EVP_PKEY *pkey = key_for(c, &pub);
    EVP_MD_CTX *md;
    unsigned char der[80];
    size_t derlen = sizeof(der);
    bool ok;

    (void)s;
    (void)date8;
    (void)region;
    (void)service;
    if (!pkey)
        return false;
    md = EVP_MD_CTX_new();
    ok = md && EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, pkey) == 1 &&
         EVP_DigestSign(md, der, &derlen, (const unsigned char *)sts, strlen(sts)) == 1 &&
         derlen * 2 < SIGV4_SIG_MAX;
    EVP_MD_CTX_free(md);
    if (ok)
        to_hex(der, derlen, sig);
    return ok;
}

static const struct sigv4_scheme *scheme(struct sigv4_scheme *s, const char *region_set)
{
    *s = (struct sigv4_scheme){
        .algorithm = SIGV4A_ALGORITHM,
        .region_set = region_set,
        .sign = ecdsa_sign,
    };
    return s;
}

static bool region_set_ok(const char *region_set, char *errbuf, size_t errlen)
{
    if (!region_set || !*region_set) {
        set_err(errbuf, errlen, "no region set to sign for (\"*\" for every region)");
        return false;
    }
    return true;
}

int sigv4a_sign(struct aws_request *r, const struct sigv4_credentials *c,
                const struct sigv4_params *p, const char *region_set, struct sigv4_debug *dbg,
                char *errbuf, size_t errlen)
{
    struct sigv4_scheme s;

    if (!region_set_ok(region_set, errbuf, errlen))
        return -1;
    return sigv4_sign_with(r, c, p, scheme(&s, region_set), dbg, errbuf, errlen);
}

int sigv4a_presign(struct aws_request *r, const struct sigv4_credentials *c,
                   const struct sigv4_params *p, const char *region_set, long expires_seconds,
                   struct sigv4_debug *dbg, char *errbuf, size_t errlen)
{
    struct sigv4_scheme s;

    if (!region_set_ok(region_set, errbuf, errlen))
        return -1;
    return sigv4_presign_with(r, c, p, scheme(&s, region_set), expires_seconds, dbg, errbuf,
                              errlen);
}

int sigv4a_public_key(const struct sigv4_credentials *c, char x[65], char y[65], char *errbuf,
                      size_t errlen)
{
    const unsigned char *pub;

    if (!c || !c->access_key_id || !*c->access_key_id || !c->secret_access_key ||
        !*c->secret_access_key) {
        set_err(errbuf, errlen, "no access key id or secret access key");
        return -1;
    }
    if (!key_for(c, &pub)) {
        set_err(errbuf, errlen, "key derivation failed in libcrypto");
        return -1;
    }
    to_hex(pub + 1, 32, x);
    to_hex(pub + 33, 32, y);
    return 0;
}

#else /* OpenSSL before 3.0 */

static int too_old(char *errbuf, size_t errlen)
{
    if (errbuf && errlen)
        snprintf(errbuf, errlen, "sigv4a: needs OpenSSL 3 (this libcrypto is older)");
    return -1;
}

int sigv4a_sign(struct aws_request *r, const struct sigv4_credentials *c,
                const struct sigv4_params *p, const char *region_set, struct sigv4_debug *dbg,
                char *errbuf, size_t errlen)
{
    (void)r, (void)c, (void)p, (void)region_set, (void)dbg;
    return too_old(errbuf, errlen);
}

int sigv4a_presign(struct aws_request *r, const struct sigv4_credentials *c,
                   const struct sigv4_params *p, const char *region_set, long expires_seconds,
                   struct sigv4_debug *dbg, char *errbuf, size_t errlen)
{
    (void)r, (void)c, (void)p, (void)region_set, (void)expires_seconds, (void)dbg;
    return too_old(errbuf, errlen);
}

int sigv4a_public_key(const struct sigv4_credentials *c, char x[65], char y[65], char *errbuf,
                      size_t errlen)
{
    (void)c, (void)x, (void)y;
    return too_old(errbuf, errlen);
}

void sigv4a_key_cache_clear(void)
{
}

#endif
