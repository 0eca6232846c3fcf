/* sigv4a.h - AWS Signature Version 4A: SigV4's canonical request signed with ECDSA P-256
 * (SHA-256) under a key derived from the secret access key, valid for a set of regions.
 * S3 multi-region access points accept nothing else.
 *
 * Exported API (summary):
 *   int  sigv4a_sign(r, &creds, &params, region_set, &dbg /+ NULL +/, errbuf, errlen);
 *   int  sigv4a_presign(r, &creds, &params, region_set, expires_seconds, &dbg, errbuf, errlen);
 *   int  sigv4a_public_key(&creds, x_hex, y_hex, errbuf, errlen);
 *   void sigv4a_key_cache_clear(void);
 *
 * Same request rules as sigv4.h (canonical URI, query, headers, s3_rules, payload hash);
 * the differences are the algorithm name (AWS4-ECDSA-P256-SHA256), a credential scope
 * without region (DATE/SERVICE/aws4_request), the X-Amz-Region-Set header or presigned
 * parameter, and a signature that is the hex of a DER-encoded ECDSA signature - different
 * on every call, since ECDSA is randomised. p->region is not used.
 *
 * The key: NIST SP 800-108 KDF in counter mode with HMAC-SHA256 keyed by "AWS4A" + secret,
 * label "AWS4-ECDSA-P256-SHA256", context = access key id + one counter byte; the first
 * candidate c <= n - 2 (n the curve order) gives the private key c + 1. It depends only on
 * the credentials, so it is derived once and cached (a SHA-256 of the credentials tells
 * entries apart; the key is freed and the fingerprint wiped when replaced and at exit).
 *
 * Tested against the 40-case published suite (tests/data/sigv4a): canonical request and
 * string to sign byte for byte, the derived public key exactly, the published signatures
 * and ours verifying under it. Needs OpenSSL 3; with an older libcrypto every call fails
 * with a message saying so. */
#ifndef OPSDECK_SIGV4A_H
#define OPSDECK_SIGV4A_H

#include <stddef.h>

#include "core/request.h"
#include "core/sigv4.h"

#define SIGV4A_ALGORITHM "AWS4-ECDSA-P256-SHA256"

/* region_set: "*" (every region, what a multi-region access point wants) or a list such as
 * "us-east-1,eu-west-1". Returns 0, or -1 with errbuf set and r untouched. */
int sigv4a_sign(struct aws_request *r, const struct sigv4_credentials *c,
                const struct sigv4_params *p, const char *region_set, struct sigv4_debug *dbg,
                char *errbuf, size_t errlen);
int sigv4a_presign(struct aws_request *r, const struct sigv4_credentials *c,
                   const struct sigv4_params *p, const char *region_set, long expires_seconds,
                   struct sigv4_debug *dbg, char *errbuf, size_t errlen);

/* The public key of the credentials' derived key pair, as two 64-digit lowercase hex
 * coordinates (the form of the suite's public-key.json). 0, or -1 with errbuf set. */
int sigv4a_public_key(const struct sigv4_credentials *c, char x[65], char y[65], char *errbuf,
                      size_t errlen);

/* Drops the cached derived key. Runs at exit by itself. */
void sigv4a_key_cache_clear(void);

#endif
