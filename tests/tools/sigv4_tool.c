/* sigv4_tool.c - signs requests given as JSON lines on stdin, for the botocore differential
 * test (tests/integ/test_sigv4_botocore.py). Secrets come on stdin, never in argv.
 *
 * In, one object per line:
 *   {"method": "GET", "path": "/as/sent", "query": "a=1&b", "headers": [["Host", "h"], ...],
 *    "body_b64": "...", "region": "us-east-1", "service": "sqs", "access_key": "AKID",
 *    "secret_key": "...", "token": "..." (optional), "time": 1440938160, "s3": false,
 *    "payload_hash": "UNSIGNED-PAYLOAD" (optional), "content_sha256_header": false (optional),
 *    "presign_expires": 3600 (optional: presign instead of the Authorization header)}
 * Out, one object per line: {"canonical_request", "string_to_sign", "signature",
 *   "authorization" (header form) or "query" (presigned form), "headers"} or {"error": "..."}.
 * The test keys are fake; this program exists only for tests. */
#include "config.h"
#include "core/sigv4.h"
#include "util/xalloc.h"

#include <cjson/cJSON.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *str_field(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void print_error(const char *msg)
{
    cJSON *o = cJSON_CreateObject();
    char *s;

    cJSON_AddStringToObject(o, "error", msg);
    s = cJSON_PrintUnformatted(o);
    puts(s);
    free(s);
    cJSON_Delete(o);
}

/* Base64 body into r->body; false when it is not valid base64. */
static bool decode_body(const char *b64, struct aws_request *r)
{
    size_t len = strlen(b64);
    unsigned char *out;
    int n;

    if (len == 0)
        return true;
    if (len % 4 != 0)
        return false;
    out = xmalloc(len / 4 * 3 + 1);
    n = EVP_DecodeBlock(out, (const unsigned char *)b64, (int)len);
    if (n < 0) {
        free(out);
        return false;
    }
    /* EVP_DecodeBlock counts the '=' padding as zero bytes */
    if (len >= 1 && b64[len - 1] == '=')
        n--;
    if (len >= 2 && b64[len - 2] == '=')
        n--;
    buf_append(&r->body, out, (size_t)n);
    free(out);
    return true;
}

static void handle_line(const char *line)
{
    cJSON *in = cJSON_Parse(line), *out, *hs;
    const cJSON *headers, *h, *when, *s3, *sha, *expires;
    struct aws_request r;
    struct sigv4_credentials c;
    struct sigv4_params p;
    struct sigv4_debug dbg = { 0 };
    char errbuf[256];
    const char *method, *path, *query, *body;
    int rc;
    char *s;

    if (!in) {
        print_error("input is not JSON");
        return;
    }
    method = str_field(in, "method");
    path = str_field(in, "path");
    query = str_field(in, "query");
    body = str_field(in, "body_b64");
    headers = cJSON_GetObjectItemCaseSensitive(in, "headers");
    when = cJSON_GetObjectItemCaseSensitive(in, "time");
    s3 = cJSON_GetObjectItemCaseSensitive(in, "s3");
    sha = cJSON_GetObjectItemCaseSensitive(in, "content_sha256_header");
    expires = cJSON_GetObjectItemCaseSensitive(in, "presign_expires");
    if (!method || !path || !cJSON_IsArray(headers) || !cJSON_IsNumber(when)) {
        print_error("need method, path, headers and time");
        cJSON_Delete(in);
        return;
    }
    aws_request_init(&r, "tool", "Tool", method);
    aws_request_set_path(&r, path);
    free(r.query);
    r.query = xstrdup(query ? query : "");
    cJSON_ArrayForEach(h, headers)
    {
        const cJSON *n = cJSON_GetArrayItem(h, 0), *v = cJSON_GetArrayItem(h, 1);
        if (!cJSON_IsString(n) || !cJSON_IsString(v)) {
            print_error("headers must be [name, value] string pairs");
            goto done;
        }
        aws_request_add_header(&r, n->valuestring, v->valuestring);
    }
    if (body && !decode_body(body, &r)) {
        print_error("body_b64 is not base64");
        goto done;
    }
    c = (struct sigv4_credentials){
        .access_key_id = str_field(in, "access_key"),
        .secret_access_key = str_field(in, "secret_key"),
        .session_token = str_field(in, "token"),
    };
    p = (struct sigv4_params){
        .region = str_field(in, "region"),
        .service = str_field(in, "service"),
        .when = (time_t)when->valuedouble,
        .s3_rules = cJSON_IsTrue(s3),
        .payload_hash = str_field(in, "payload_hash"),
        .content_sha256_header = cJSON_IsTrue(sha),
    };
    if (cJSON_IsNumber(expires))
        rc = sigv4_presign(&r, &c, &p, (long)expires->valuedouble, &dbg, errbuf, sizeof(errbuf));
    else
        rc = sigv4_sign(&r, &c, &p, &dbg, errbuf, sizeof(errbuf));
    if (rc != 0) {
        print_error(errbuf);
        goto done;
    }
    out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "canonical_request", dbg.canonical_request);
    cJSON_AddStringToObject(out, "string_to_sign", dbg.string_to_sign);
    cJSON_AddStringToObject(out, "signature", dbg.signature);
    if (cJSON_IsNumber(expires))
        cJSON_AddStringToObject(out, "query", r.query);
    else
        cJSON_AddStringToObject(out, "authorization", aws_request_header(&r, "Authorization"));
    hs = cJSON_AddArrayToObject(out, "headers");
    for (size_t i = 0; i < r.nheaders; i++) {
        cJSON *pair = cJSON_CreateArray();
        cJSON_AddItemToArray(pair, cJSON_CreateString(r.headers[i].name));
        cJSON_AddItemToArray(pair, cJSON_CreateString(r.headers[i].value));
        cJSON_AddItemToArray(hs, pair);
    }
    s = cJSON_PrintUnformatted(out);
    puts(s);
    free(s);
    cJSON_Delete(out);
    sigv4_debug_done(&dbg);
done:
    aws_request_done(&r);
    cJSON_Delete(in);
}

int main(void)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;

    while ((n = getline(&line, &cap, stdin)) > 0) {
        if (line[n - 1] == '\n')
            line[n - 1] = '\0';
        if (line[0])
            handle_line(line);
        fflush(stdout);
    }
    if (line)
        xfree_secret(line);
    return 0;
}
