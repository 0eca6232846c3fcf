/* sigv4.h - AWS Signature Version 4, our own, on OpenSSL's libcrypto.
 *
 * Why our own: libcurl 7.88's CURLOPT_AWS_SIGV4 fails 15 of the 34 official test cases
 * (query order, UTF-8, repeated headers, path normalisation). This signer is tested against
 * all 38 published cases (tests/data/sigv4) and differentially against botocore. */
#ifndef OPSDECK_SIGV4_H
#define OPSDECK_SIGV4_H

#include <stdbool.h>
#include <time.h>

#include "core/request.h"

struct sigv4_credentials {
    const char *access_key_id;
    const char *secret_access_key;
    const char *session_token;     /* NULL or "" when none */
};

struct sigv4_params {
    const char *region;
    const char *service;           /* signing name: "sqs", "s3", "monitoring", ... */
    time_t when;                   /* signing time, UTC */
    bool s3_rules;                 /* S3: path signed exactly as sent (no dot-segment removal,
                                      no slash merging, no second encoding) */
    const char *payload_hash;      /* NULL: hex SHA-256 of r->body; or e.g. "UNSIGNED-PAYLOAD" */
    bool content_sha256_header;    /* add x-amz-content-sha256 (always for S3) */
};

/* Room for a signature in hex: 64 digits for SigV4's HMAC, up to 144 for SigV4A's DER
 * ECDSA signature (72 bytes), plus the NUL. */
#define SIGV4_SIG_MAX 145

/* What was signed, for tests and for debugging a SignatureDoesNotMatch (never the key).
 * Filled only on success; call sigv4_debug_done before reusing it. The canonical request
 * contains the session token (x-amz-security-token) when there is one: never log it as is. */
struct sigv4_debug {
    char *canonical_request;
    char *string_to_sign;
    char signature[SIGV4_SIG_MAX];
};

/* Signs r in place with the Authorization header: adds X-Amz-Date, X-Amz-Security-Token
 * (when there is a session token), x-amz-content-sha256 (when asked) and Authorization,
 * replacing any earlier ones, so a retry can sign the same request again. r must have a
 * Host header. Returns 0, or -1 when the request cannot be signed (message in errbuf; r and
 * dbg untouched).
 *
 * Canonical URI: r->path should be percent-encoded as sent. With s3_rules (p's or r's) it is
 * signed as it is; otherwise dot segments and "//" are removed and it is encoded once more
 * (an existing "%20" becomes "%2520"). Bytes that cannot be sent raw (space, non-ASCII,
 * controls) are encoded once in both modes, as the published suite's get-utf8 and get-space
 * cases specify. Query names and values are decoded and re-encoded (RFC 3986, uppercase hex)
 * and sorted by name, then value. Headers connection, expect, keep-alive, proxy-*, te,
 * trailer, transfer-encoding, upgrade, user-agent and x-amzn-trace-id are never signed
 * (proxies and curl change them), as in botocore. */
int sigv4_sign(struct aws_request *r, const struct sigv4_credentials *c,
               const struct sigv4_params *p, struct sigv4_debug *dbg,
               char *errbuf, size_t errlen);

/* Presigns r: appends X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-Expires,
 * X-Amz-SignedHeaders (X-Amz-Security-Token) and X-Amz-Signature to r->query, replacing
 * earlier ones. expires_seconds: 1 to 604800. Headers are signed but none is added; the
 * payload hash is p->payload_hash (S3: "UNSIGNED-PAYLOAD") or the body's. */
int sigv4_presign(struct aws_request *r, const struct sigv4_credentials *c,
                  const struct sigv4_params *p, long expires_seconds, struct sigv4_debug *dbg,
                  char *errbuf, size_t errlen);

void sigv4_debug_done(struct sigv4_debug *dbg);  /* wipes and frees; dbg may be reused */

/* ---- shared with SigV4A (sigv4a.c): the same canonical request, another algorithm ----
 * A scheme names the algorithm and signs the string to sign. With region_set, the
 * credential scope has no region (DATE/SERVICE/aws4_request), p->region is not used, and
 * the region set is sent as X-Amz-Region-Set (a signed header, or a presigned parameter). */
struct sigv4_scheme {
    const char *algorithm;     /* "AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256" */
    const char *region_set;    /* SigV4A: "*" or "us-east-1,us-west-2"; NULL for SigV4 */
    /* Writes the signature of sts as lowercase hex; false when libcrypto fails. region is
     * p->region (NULL with a region set). */
    bool (*sign)(const struct sigv4_scheme *s, const struct sigv4_credentials *c,
                 const char *date8, const char *region, const char *service, const char *sts,
                 char sig[SIGV4_SIG_MAX]);
};

/* sigv4_sign and sigv4_presign with another scheme. */
int sigv4_sign_with(struct aws_request *r, const struct sigv4_credentials *c,
                    const struct sigv4_params *p, const struct sigv4_scheme *s,
                    struct sigv4_debug *dbg, char *errbuf, size_t errlen);
int sigv4_presign_with(struct aws_request *r, const struct sigv4_credentials *c,
                       const struct sigv4_params *p, const struct sigv4_scheme *s,
                       long expires_seconds, struct sigv4_debug *dbg, char *errbuf,
                       size_t errlen);

/* Lowercase hex SHA-256 of data. */
void sha256_hex(const void *data, size_t len, char out[65]);

/* Signing keys (per secret, day, region and service) are cached in the process; this wipes
 * them all. Runs at exit by itself; call it when credentials are dropped for good. */
void sigv4_key_cache_clear(void);

#endif
