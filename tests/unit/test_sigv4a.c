/* test_sigv4a.c - SigV4A against the published suite (tests/data/sigv4a, 40 cases) and
 * on bad input.
 *
 * ECDSA signatures are randomised, so per case and form (header, query) this checks what
 * the suite's README says a signer must do: the canonical request and the string to sign
 * equal the files byte for byte; the public key derived from the context's credentials is
 * exactly public-key.json; the published signatures (the *-signature.txt one and the one
 * inside *-signed-request.txt) verify under that key over the published string to sign;
 * our own signature verifies under it over ours; and the signed request equals the file's
 * once both signatures are blanked. Verification uses libcrypto directly on public-key.json,
 * not our derivation, so a wrong key cannot verify its own signatures.
 *
 * request.txt maps to struct aws_request as in test_sigv4.c; the context's region is the
 * region set. Two cases (get-vanilla-query-order-key, -value) ship no expected files: their
 * canonical requests are written out below from the rules (parameters sorted by name, then
 * value, byte order) and their signatures are verified under get-vanilla's published key,
 * which belongs to the same credentials. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 /* strptime, timegm */
#endif
#include "config.h"
#include "check_tap.h"
#include "core/sigv4a.h"
#include "sigv4_vectors.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <strings.h>

#define EXPECTED_CASES 40
#define TEST_COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/* ---- verification with libcrypto, from the published key ----------------------------- */

/* Exactly want bytes of hex (want 0: any number), trailing blanks ignored; -1 on bad hex. */
static long unhex(const char *s, size_t len, unsigned char *out, size_t cap, size_t want)
{
    char *text = xstrndup(s, len);
    unsigned char *bytes;
    long n = -1;

    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
        text[--len] = '\0';
    bytes = OPENSSL_hexstr2buf(text, &n);
    if (!bytes || n < 0 || (size_t)n > cap || (want && (size_t)n != want))
        n = -1;
    else
        memcpy(out, bytes, (size_t)n);
    OPENSSL_free(bytes);
    free(text);
    return n;
}

static EVP_PKEY *public_key(const char *x, const char *y)
{
    unsigned char pub[65];
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    EVP_PKEY *k = NULL;

    pub[0] = 4;
    ck_assert_int_eq(unhex(x, strlen(x), pub + 1, 32, 32), 32);
    ck_assert_int_eq(unhex(y, strlen(y), pub + 33, 32, 32), 32);
    ck_assert(OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
                                              SN_X9_62_prime256v1, 0));
    ck_assert(OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, 65));
    params = OSSL_PARAM_BLD_to_param(bld);
    ck_assert(EVP_PKEY_fromdata_init(ctx) > 0);
    ck_assert(EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_PUBLIC_KEY, params) > 0);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    EVP_PKEY_CTX_free(ctx);
    return k;
}

static bool verifies(EVP_PKEY *k, const char *msg, const char *sig_hex, size_t sig_len)
{
    unsigned char der[128];
    long n = unhex(sig_hex, sig_len, der, sizeof(der), 0);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    bool ok;

    ok = n > 0 && EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, k) == 1 &&
         EVP_DigestVerify(md, der, (size_t)n, (const unsigned char *)msg, strlen(msg)) == 1;
    EVP_MD_CTX_free(md);
    return ok;
}

/* The signature inside a signed request: "Signature=<hex>" (header) or
 * "X-Amz-Signature=<hex>" (query); *len gets its length. */
static const char *signature_in(const char *signed_req, bool query_form, size_t *len)
{
    const char *tag = query_form ? "X-Amz-Signature=" : "Signature=";
    const char *p = strstr(signed_req, tag);

    ck_assert_msg(p != NULL, "no %s in the signed request", tag);
    p += strlen(tag);
    *len = strspn(p, "0123456789abcdef");
    return p;
}

/* The signed request with its signature replaced by "SIG". */
static char *blank_signature(const char *signed_req, bool query_form)
{
    size_t len;
    const char *sig = signature_in(signed_req, query_form, &len);

    return xasprintf("%.*sSIG%s", (int)(sig - signed_req), signed_req, sig + len);
}

/* public-key.json of a case, and the key it describes. */
static EVP_PKEY *case_key(const char *name, char **x, char **y)
{
    char *text = read_file(name, "public-key.json", NULL);
    cJSON *j;
    EVP_PKEY *k;

    ck_assert_msg(text != NULL, "%s: no public-key.json", name);
    j = cJSON_Parse(text);
    ck_assert_msg(json_str(j, "X") && json_str(j, "Y"), "%s: public-key.json lacks X/Y", name);
    *x = xstrdup(json_str(j, "X"));
    *y = xstrdup(json_str(j, "Y"));
    k = public_key(*x, *y);
    cJSON_Delete(j);
    free(text);
    return k;
}

/* ---- one suite case --------------------------------------------------------------- */

/* The cases published without expected files: their canonical requests, from the rules. */
static const struct {
    const char *name;
    const char *header_creq, *query_creq;
} own_expectations[] = {
    { "get-vanilla-query-order-key",
      "GET\n/\nParam1=Value1&Param1=value2\nhost:example.amazonaws.com\n"
      "x-amz-date:20150830T123600Z\nx-amz-region-set:us-east-1\n\n"
      "host;x-amz-date;x-amz-region-set\n" EMPTY_SHA256,
      "GET\n/\nParam1=Value1&Param1=value2&X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256&"
      "X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fservice%2Faws4_request&"
      "X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-Amz-Region-Set=us-east-1&"
      "X-Amz-SignedHeaders=host\nhost:example.amazonaws.com\n\nhost\n" EMPTY_SHA256 },
    { "get-vanilla-query-order-value",
      "GET\n/\nParam1=value1&Param1=value2\nhost:example.amazonaws.com\n"
      "x-amz-date:20150830T123600Z\nx-amz-region-set:us-east-1\n\n"
      "host;x-amz-date;x-amz-region-set\n" EMPTY_SHA256,
      "GET\n/\nParam1=value1&Param1=value2&X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256&"
      "X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fservice%2Faws4_request&"
      "X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-Amz-Region-Set=us-east-1&"
      "X-Amz-SignedHeaders=host\nhost:example.amazonaws.com\n\nhost\n" EMPTY_SHA256 },
};

static void run_case(const char *name, bool query_form)
{
    const char *pre = query_form ? "query" : "header";
    char fname[64], errbuf[256] = "", x[65], y[65];
    size_t reqlen = 0, siglen;
    char *ctxtext = read_file(name, "context.json", NULL);
    char *reqtext = read_file(name, "request.txt", &reqlen);
    char *want_creq, *want_sts, *want_sig, *want_signed, *kx, *ky;
    const char *own_creq = NULL, *sig;
    cJSON *ctx, *cred;
    struct aws_request r;
    struct sigv4_credentials c;
    struct sigv4_params p;
    struct sigv4_debug dbg = { 0 };
    bool omit_token;
    EVP_PKEY *k;
    int rc;

    ck_assert_msg(ctxtext && reqtext, "%s: cannot read context.json or request.txt", name);
    ctx = cJSON_Parse(ctxtext);
    ck_assert_msg(ctx != NULL, "%s: context.json is not JSON", name);
    cred = cJSON_GetObjectItemCaseSensitive(ctx, "credentials");
    ck_assert_msg(cJSON_IsObject(cred) && json_str(ctx, "region"), "%s: bad context", name);
    omit_token = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ctx, "omit_session_token"));
    ck_assert_msg(parse_request(reqtext, reqlen, &r) == 0, "%s: request.txt malformed", name);
    c = (struct sigv4_credentials){
        .access_key_id = json_str(cred, "access_key_id"),
        .secret_access_key = json_str(cred, "secret_access_key"),
        .session_token = omit_token ? NULL : json_str(cred, "token"),
    };
    p = (struct sigv4_params){
        .service = json_str(ctx, "service"),
        .when = parse_iso8601(json_str(ctx, "timestamp")),
        .s3_rules = cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(ctx, "normalize")),
    };
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ctx, "sign_body")))
        p.content_sha256_header = true;
    else
        p.payload_hash = EMPTY_SHA256;

    if (query_form)
        rc = sigv4a_presign(&r, &c, &p, json_str(ctx, "region"),
                            (long)cJSON_GetObjectItemCaseSensitive(ctx, "expiration_in_seconds")
                                ->valuedouble,
                            &dbg, errbuf, sizeof(errbuf));
    else
        rc = sigv4a_sign(&r, &c, &p, json_str(ctx, "region"), &dbg, errbuf, sizeof(errbuf));
    ck_assert_msg(rc == 0, "%s/%s: signing failed: %s", name, pre, errbuf);
    if (omit_token) { /* the suite adds the token after signing, unsigned */
        if (query_form)
            aws_request_add_query(&r, "X-Amz-Security-Token", json_str(cred, "token"));
        else
            aws_request_add_header(&r, "X-Amz-Security-Token", json_str(cred, "token"));
    }

    /* the derived key is exactly the published one */
    ck_assert_int_eq(sigv4a_public_key(&c, x, y, errbuf, sizeof(errbuf)), 0);
    for (size_t i = 0; i < TEST_COUNT(own_expectations); i++)
        if (strcmp(name, own_expectations[i].name) == 0)
            own_creq = query_form ? own_expectations[i].query_creq
                                  : own_expectations[i].header_creq;
    k = case_key(own_creq ? "get-vanilla" : name, &kx, &ky);
    ck_assert_str_eq(x, kx);
    ck_assert_str_eq(y, ky);

    /* ours verifies under it, over our string to sign; and only over that */
    ck_assert_msg(verifies(k, dbg.string_to_sign, dbg.signature, strlen(dbg.signature)),
                  "%s/%s: our signature does not verify", name, pre);
    ck_assert(!verifies(k, "AWS4-ECDSA-P256-SHA256\nx", dbg.signature, strlen(dbg.signature)));

    if (own_creq) {
        ck_assert_msg(strcmp(dbg.canonical_request, own_creq) == 0,
                      "%s/%s canonical request differs:\n--- got\n%s\n--- want\n%s", name, pre,
                      dbg.canonical_request, own_creq);
        goto done;
    }
    snprintf(fname, sizeof(fname), "%s-canonical-request.txt", pre);
    want_creq = read_file(name, fname, NULL);
    snprintf(fname, sizeof(fname), "%s-string-to-sign.txt", pre);
    want_sts = read_file(name, fname, NULL);
    snprintf(fname, sizeof(fname), "%s-signature.txt", pre);
    want_sig = read_file(name, fname, NULL);
    snprintf(fname, sizeof(fname), "%s-signed-request.txt", pre);
    want_signed = read_file(name, fname, NULL);
    ck_assert_msg(want_creq && want_sts && want_sig && want_signed, "%s: expected files missing",
                  name);
    ck_assert_msg(strcmp(dbg.canonical_request, want_creq) == 0,
                  "%s/%s canonical request differs:\n--- got\n%s\n--- want\n%s", name, pre,
                  dbg.canonical_request, want_creq);
    ck_assert_msg(strcmp(dbg.string_to_sign, want_sts) == 0,
                  "%s/%s string to sign differs:\n--- got\n%s\n--- want\n%s", name, pre,
                  dbg.string_to_sign, want_sts);
    /* the published signatures verify under the published key */
    ck_assert_msg(verifies(k, want_sts, want_sig, strlen(want_sig)),
                  "%s/%s: the published signature does not verify", name, pre);
    sig = signature_in(want_signed, query_form, &siglen);
    ck_assert_msg(verifies(k, want_sts, sig, siglen),
                  "%s/%s: the signature in the signed request does not verify", name, pre);
    {
        char *got = serialize_request(&r), *a = blank_signature(got, query_form),
             *b = blank_signature(want_signed, query_form);
        if (omit_token) {
            char *sa = sorted_form(a), *sb = sorted_form(b);
            free(a);
            free(b);
            a = sa;
            b = sb;
        }
        ck_assert_msg(strcmp(a, b) == 0, "%s/%s signed request differs:\n--- got\n%s--- want\n%s",
                      name, pre, a, b);
        free(a);
        free(b);
        free(got);
    }
    free(want_creq);
    free(want_sts);
    free(want_sig);
    free(want_signed);
done:
    EVP_PKEY_free(k);
    free(kx);
    free(ky);
    sigv4_debug_done(&dbg);
    aws_request_done(&r);
    cJSON_Delete(ctx);
    free(ctxtext);
    free(reqtext);
}

SIGV4_SUITE_TESTS(run_case, EXPECTED_CASES)

/* ---- our own cases ---------------------------------------------------------------- */

static const struct sigv4_credentials creds_a = {
    .access_key_id = "AKIDEXAMPLE",
    .secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
};
static const struct sigv4_credentials creds_b = {
    .access_key_id = "AKIDOTHER",
    .secret_access_key = "another-secret",
};

static struct sigv4_params mrap_params(void)
{
    return (struct sigv4_params){ .service = "s3", .when = 1440938160, .s3_rules = true,
                                  .payload_hash = "UNSIGNED-PAYLOAD",
                                  .content_sha256_header = true };
}

static void mrap_request(struct aws_request *r)
{
    aws_request_init(r, "s3", "GetObject", "GET");
    aws_request_set_path(r, "/dir/a%20b.txt");
    aws_request_add_header(r, "Host", "mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com");
}

/* Two signatures of one request differ (ECDSA is randomised) and both verify. */
START_TEST(test_randomised_and_verifiable)
{
    struct aws_request r1, r2;
    struct sigv4_params p = mrap_params();
    struct sigv4_debug d1 = { 0 }, d2 = { 0 };
    char x[65], y[65], err[256];
    EVP_PKEY *k;

    mrap_request(&r1);
    mrap_request(&r2);
    ck_assert_int_eq(sigv4a_sign(&r1, &creds_a, &p, "*", &d1, err, sizeof(err)), 0);
    ck_assert_int_eq(sigv4a_sign(&r2, &creds_a, &p, "*", &d2, err, sizeof(err)), 0);
    ck_assert_str_eq(d1.string_to_sign, d2.string_to_sign);
    ck_assert_str_ne(d1.signature, d2.signature);
    ck_assert_int_eq(sigv4a_public_key(&creds_a, x, y, err, sizeof(err)), 0);
    k = public_key(x, y);
    ck_assert(verifies(k, d1.string_to_sign, d1.signature, strlen(d1.signature)));
    ck_assert(verifies(k, d2.string_to_sign, d2.signature, strlen(d2.signature)));
    /* what an MRAP request carries */
    ck_assert_str_eq(aws_request_header(&r1, "X-Amz-Region-Set"), "*");
    ck_assert_str_eq(aws_request_header(&r1, "x-amz-content-sha256"), "UNSIGNED-PAYLOAD");
    ck_assert(strncmp(aws_request_header(&r1, "Authorization"),
                      "AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20150830/s3/aws4_request, "
                      "SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-region-set, "
                      "Signature=30",
                      150) == 0);
    ck_assert(strstr(d1.canonical_request, "\n/dir/a%20b.txt\n") != NULL);
    EVP_PKEY_free(k);
    sigv4_debug_done(&d1);
    sigv4_debug_done(&d2);
    aws_request_done(&r1);
    aws_request_done(&r2);
}
END_TEST

/* Switching credentials re-derives; switching back gives the first key again. */
START_TEST(test_key_per_credentials)
{
    char xa[65], ya[65], xb[65], yb[65], xa2[65], ya2[65], err[256];

    ck_assert_int_eq(sigv4a_public_key(&creds_a, xa, ya, err, sizeof(err)), 0);
    ck_assert_int_eq(sigv4a_public_key(&creds_b, xb, yb, err, sizeof(err)), 0);
    ck_assert_str_ne(xa, xb);
    sigv4a_key_cache_clear();
    ck_assert_int_eq(sigv4a_public_key(&creds_a, xa2, ya2, err, sizeof(err)), 0);
    ck_assert_str_eq(xa, xa2);
    ck_assert_str_eq(ya, ya2);
    /* same secret, other key id: another key (the id is in the KDF's context) */
    {
        struct sigv4_credentials c = creds_a;
        c.access_key_id = "AKIDEXAMPLF";
        ck_assert_int_eq(sigv4a_public_key(&c, xb, yb, err, sizeof(err)), 0);
        ck_assert_str_ne(xa, xb);
    }
}
END_TEST

/* Signing again replaces the region set (header and query), never adds a second one. */
START_TEST(test_resign_replaces)
{
    struct aws_request r;
    struct sigv4_params p = mrap_params();
    char err[256];
    size_t n = 0;

    mrap_request(&r);
    ck_assert_int_eq(sigv4a_sign(&r, &creds_a, &p, "us-east-1", NULL, err, sizeof(err)), 0);
    ck_assert_int_eq(sigv4a_sign(&r, &creds_a, &p, "*", NULL, err, sizeof(err)), 0);
    for (size_t i = 0; i < r.nheaders; i++)
        n += strcasecmp(r.headers[i].name, "X-Amz-Region-Set") == 0;
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(aws_request_header(&r, "X-Amz-Region-Set"), "*");
    aws_request_done(&r);

    mrap_request(&r);
    ck_assert_int_eq(sigv4a_presign(&r, &creds_a, &p, "us-east-1", 60, NULL, err, sizeof(err)), 0);
    ck_assert_int_eq(sigv4a_presign(&r, &creds_a, &p, "*", 60, NULL, err, sizeof(err)), 0);
    ck_assert_ptr_null(strstr(r.query, "us-east-1"));
    ck_assert_ptr_nonnull(strstr(r.query, "X-Amz-Region-Set=%2A&X-Amz-Signature="));
    ck_assert_ptr_eq(strstr(r.query, "X-Amz-Region-Set"), strrchr(r.query, '&') -
                                                            strlen("X-Amz-Region-Set=%2A"));
    aws_request_done(&r);
}
END_TEST

/* Bad input: refused with a message naming it, the request untouched, no secret shown. */
START_TEST(test_refusals)
{
    static const struct {
        const char *region_set, *akid, *secret, *needle;
    } bad[] = {
        { "", "AKID", "s", "no region set" },
        { NULL, "AKID", "s", "no region set" },
        { "us east-1", "AKID", "s", "region set contains" },
        { "*\nx", "AKID", "s", "region set contains" },
        { "*", "", "s", "no access key id" },
        { "*", "AKID", "", "no secret access key" },
        { "*", "AK/ID", "s", "access key id contains" },
    };
    struct sigv4_params p = mrap_params();
    char err[256], x[65], y[65];

    for (size_t i = 0; i < TEST_COUNT(bad); i++) {
        struct aws_request r;
        struct sigv4_credentials c = { .access_key_id = bad[i].akid,
                                       .secret_access_key = bad[i].secret };
        size_t nh;

        mrap_request(&r);
        nh = r.nheaders;
        err[0] = '\0';
        ck_assert_int_eq(sigv4a_sign(&r, &c, &p, bad[i].region_set, NULL, err, sizeof(err)), -1);
        ck_assert_msg(strstr(err, bad[i].needle), "case %zu: '%s'", i, err);
        ck_assert_uint_eq(r.nheaders, nh);
        ck_assert_int_eq(sigv4a_presign(&r, &c, &p, bad[i].region_set, 60, NULL, err,
                                        sizeof(err)), -1);
        ck_assert_str_eq(r.query, "");
        aws_request_done(&r);
    }
    ck_assert_int_eq(sigv4a_public_key(&(struct sigv4_credentials){ .access_key_id = "A" }, x, y,
                                       err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "no access key id or secret"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sigv4a");
    TCase *tc;
    int rc;

    find_cases("sigv4a");
    tc = tcase_create("suite-complete");
    tcase_add_test(tc, test_suite_complete);
    suite_add_tcase(s, tc);
    add_case_tests(s, test_suite_header, test_suite_query);
    tc = tcase_create("behaviour");
    tcase_add_test(tc, test_randomised_and_verifiable);
    tcase_add_test(tc, test_key_per_credentials);
    tcase_add_test(tc, test_resign_replaces);
    tcase_add_test(tc, test_refusals);
    suite_add_tcase(s, tc);
    rc = check_tap_run(s);
    free_cases();
    return rc;
}
