/* test_errparse.c - AWS error responses (captured from moto, see tests/data/errors) and
 * malformed ones into struct aws_error; curl failures; aws_error_describe. */
#include "config.h"
#include "check_tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/awserr.h"
#include "core/client.h"
#include "core/errparse.h"
#include "core/proto.h"
#include "util/xalloc.h"

/* Loads a raw response file: status line, headers, empty line, body. */
static void load_http(const char *name, struct aws_response *r)
{
    const char *top = getenv("TOP_SRCDIR");
    char path[1024];
    snprintf(path, sizeof(path), "%s/tests/data/errors/%s", top ? top : ".", name);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    char line[8192];
    aws_response_init(r);
    ck_assert(fgets(line, sizeof(line), f) != NULL);
    ck_assert_int_eq(sscanf(line, "HTTP/1.1 %ld", &r->status), 1);
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0])
            break;
        char *colon = strchr(line, ':');
        ck_assert(colon != NULL);
        *colon = '\0';
        aws_response_add_header(r, line, colon + 2);
    }
    size_t n;
    while ((n = fread(line, 1, sizeof(line), f)) > 0)
        buf_append(&r->body, line, n);
    fclose(f);
}

static void parse_file(const char *name, bool head, struct aws_error *e)
{
    struct aws_response r;
    load_http(name, &r);
    aws_error_clear(e);
    errparse_response(&r, head, e);
    /* the request id is always somewhere: in the body or in x-amzn-requestid */
    ck_assert_str_ne(e->request_id, "");
    aws_response_done(&r);
}

START_TEST(sqs_json_query_error_header_wins)
{
    struct aws_error e;
    parse_file("sqs_json_nonexistent_queue.http", false, &e);
    ck_assert_int_eq(e.kind, AWS_ERR_HTTP);
    ck_assert_int_eq(e.http_status, 400);
    /* x-amzn-query-error beats __type "com.amazonaws.sqs#QueueDoesNotExist" */
    ck_assert_str_eq(e.code, "AWS.SimpleQueueService.NonExistentQueue");
    ck_assert_str_eq(e.message, "The specified queue does not exist.");
}
END_TEST

START_TEST(sqs_query_xml)
{
    struct aws_error e;
    parse_file("sqs_query_nonexistent_queue.http", false, &e);
    ck_assert_int_eq(e.http_status, 400);
    ck_assert_str_eq(e.code, "AWS.SimpleQueueService.NonExistentQueue");
    ck_assert_str_eq(e.message, "The specified queue does not exist for this wsdl version.");
    ck_assert_int_eq(strlen(e.request_id), 52);
}
END_TEST

START_TEST(sns_not_found)
{
    struct aws_error e;
    parse_file("sns_topic_not_found.http", false, &e);
    ck_assert_int_eq(e.http_status, 404);
    ck_assert_str_eq(e.code, "NotFound");
    ck_assert_str_eq(e.message, "Topic does not exist");
}
END_TEST

START_TEST(s3_no_such_bucket_and_key)
{
    struct aws_error e;
    parse_file("s3_get_no_such_bucket.http", false, &e);
    ck_assert_int_eq(e.http_status, 404);
    ck_assert_str_eq(e.code, "NoSuchBucket");
    ck_assert_str_eq(e.message, "The specified bucket does not exist");
    parse_file("s3_get_no_such_key.http", false, &e);
    ck_assert_str_eq(e.code, "NoSuchKey");
    ck_assert_str_eq(e.message, "The specified key does not exist.");
}
END_TEST

START_TEST(s3_head_without_body)
{
    struct aws_error e;
    parse_file("s3_head_no_such_key.http", true, &e);
    ck_assert_int_eq(e.http_status, 404);
    ck_assert_str_eq(e.code, "NotFound");
    /* Content-Length says 423 but a HEAD answer has no body */
    parse_file("s3_head_access_denied.http", true, &e);
    ck_assert_int_eq(e.http_status, 403);
    ck_assert_str_eq(e.code, "AccessDenied");
    ck_assert_ptr_nonnull(strstr(e.message, "403"));
}
END_TEST

/* A HeadBucket sent to the wrong region: 301, no body, the region in a header. */
START_TEST(s3_head_bucket_wrong_region)
{
    struct aws_response r;
    struct aws_error e;

    aws_response_init(&r);
    r.status = 301;
    aws_response_add_header(&r, "x-amz-bucket-region", "eu-central-1");
    aws_response_add_header(&r, "x-amz-request-id", "R1");
    aws_error_clear(&e);
    errparse_response(&r, true, &e);
    ck_assert_int_eq(e.http_status, 301);
    ck_assert_str_eq(e.bucket_region, "eu-central-1");
    ck_assert_str_eq(e.request_id, "R1");
    aws_response_done(&r);
    /* and none when the answer does not say */
    parse_file("s3_head_no_such_key.http", true, &e);
    ck_assert_str_eq(e.bucket_region, "");
}
END_TEST

START_TEST(sts_auth_errors_ec2_style)
{
    struct aws_error e;
    /* moto answers auth failures with <ErrorResponse><Errors><Error>, like EC2 */
    parse_file("sts_invalid_client_token.http", false, &e);
    ck_assert_int_eq(e.http_status, 403);
    ck_assert_str_eq(e.code, "InvalidClientTokenId");
    ck_assert_str_eq(e.message, "The security token included in the request is invalid.");
    parse_file("sts_signature_does_not_match.http", false, &e);
    ck_assert_str_eq(e.code, "SignatureDoesNotMatch");
    ck_assert_ptr_nonnull(strstr(e.message, "does not match the signature"));
    parse_file("sqs_json_access_denied.http", false, &e);
    ck_assert_str_eq(e.code, "AccessDenied");
    ck_assert_ptr_nonnull(strstr(e.message, "not authorized to perform: sqs:ListQueues"));
}
END_TEST

/* --- synthetic and malformed ------------------------------------------------------- */

static void parse_body(long status, const char *body, size_t len, struct aws_error *e)
{
    struct aws_response r;
    aws_response_init(&r);
    r.status = status;
    if (len)
        buf_append(&r.body, body, len);
    aws_error_clear(e);
    errparse_response(&r, false, e);
    aws_response_done(&r);
}

#define PARSE(status, s, e) parse_body(status, s, strlen(s), e)

START_TEST(ec2_response_errors)
{
    struct aws_error e;
    PARSE(400, "<?xml version=\"1.0\"?><Response><Errors><Error><Code>RequestLimitExceeded"
               "</Code><Message>Request limit exceeded.</Message></Error></Errors>"
               "<RequestID>a1b2-c3</RequestID></Response>", &e);
    ck_assert_str_eq(e.code, "RequestLimitExceeded");
    ck_assert_str_eq(e.message, "Request limit exceeded.");
    ck_assert_str_eq(e.request_id, "a1b2-c3");
}
END_TEST

START_TEST(json_type_forms)
{
    struct aws_error e;
    PARSE(400, "{\"__type\":\"com.amazon.coral.validate#ValidationException\","
               "\"message\":\"bad\"}", &e);
    ck_assert_str_eq(e.code, "ValidationException");
    ck_assert_str_eq(e.message, "bad");
    PARSE(400, "{\"__type\":\"ThrottlingException:http://internal.amazon.com/coral/\","
               "\"Message\":\"Rate exceeded\"}", &e);
    ck_assert_str_eq(e.code, "ThrottlingException");
    ck_assert_str_eq(e.message, "Rate exceeded");
    PARSE(400, "{\"code\":\"ResourceNotFoundException\"}", &e);
    ck_assert_str_eq(e.code, "ResourceNotFoundException");
}
END_TEST

START_TEST(json_error_type_header)
{
    struct aws_response r;
    struct aws_error e;
    aws_response_init(&r);
    r.status = 404;
    aws_response_add_header(&r, "x-amzn-ErrorType", "ResourceNotFoundException:http://x/");
    aws_response_add_header(&r, "X-Amzn-RequestId", "rid-1");
    buf_puts(&r.body, "{\"Message\":\"Function not found\"}");
    aws_error_clear(&e);
    errparse_response(&r, false, &e);
    ck_assert_str_eq(e.code, "ResourceNotFoundException");
    ck_assert_str_eq(e.message, "Function not found");
    ck_assert_str_eq(e.request_id, "rid-1");
    aws_response_done(&r);
}
END_TEST

START_TEST(malformed_bodies_fall_back)
{
    static const char *bodies[] = {
        "<ErrorResponse><Error><Code>Thrott",                 /* truncated XML */
        "<Error><Code></Code></Error>",                       /* empty code */
        "<<<>>>",
        "{\"__type\": 5, \"message\": [1,2]}",                 /* wrong types */
        "{\"__type\": \"Throttl",                              /* truncated JSON */
        "[\"__type\"]",
        "{\"__type\": \"\"}",
        "{\"__type\": \"#\"}",
        "not an error document",
        "{\"__type\": 1e999999}",                              /* huge number */
    };
    for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
        struct aws_error e;
        PARSE(400, bodies[i], &e);
        ck_assert_int_eq(e.kind, AWS_ERR_HTTP);
        ck_assert_int_eq(e.http_status, 400);
        ck_assert_msg(strcmp(e.code, "HTTP 400") == 0, "body %zu: code %s", i, e.code);
        ck_assert_str_ne(e.message, "");
    }
}
END_TEST

START_TEST(binary_and_nul_bodies)
{
    static const char bin[] = "{\"__type\":\"A\0B\",\"message\":\"x\"}\xff\xfe";
    struct aws_error e;
    parse_body(502, bin, sizeof(bin) - 1, &e);
    ck_assert_int_eq(e.http_status, 502);
    ck_assert_str_eq(e.code, "HTTP 502");
    parse_body(500, "", 0, &e);
    ck_assert_str_eq(e.code, "HTTP 500");
    ck_assert_ptr_nonnull(strstr(e.message, "no error body"));
}
END_TEST

START_TEST(huge_body_not_parsed)
{
    size_t n = ERRPARSE_MAX_BODY + 10;
    char *big = xmalloc(n + 1);
    struct aws_error e;
    memset(big, ' ', n);
    memcpy(big, "<Error><Code>InternalError</Code>", 33);
    big[n] = '\0';
    parse_body(500, big, n, &e);
    ck_assert_int_eq(e.http_status, 500);
    ck_assert_str_eq(e.code, "HTTP 500");
    ck_assert_ptr_nonnull(strstr(e.message, "too large"));
    free(big);
}
END_TEST

START_TEST(long_fields_truncated)
{
    char body[8192];
    struct aws_error e;
    char code[400], msg[3000];
    memset(code, 'C', sizeof(code) - 1);
    code[sizeof(code) - 1] = '\0';
    memset(msg, 'm', sizeof(msg) - 1);
    msg[sizeof(msg) - 1] = '\0';
    snprintf(body, sizeof(body), "<Error><Code>%s</Code><Message>%s</Message></Error>", code, msg);
    PARSE(400, body, &e);
    ck_assert_uint_eq(strlen(e.code), sizeof(e.code) - 1);
    ck_assert_uint_eq(strlen(e.message), sizeof(e.message) - 1);
}
END_TEST

START_TEST(xml_entities_not_expanded)
{
    struct aws_error e;
    /* billion laughs: refused by libxml2, so the status-only fallback */
    PARSE(400, "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\">"
               "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;"
               "&b;&b;&b;\">]><Error><Code>SlowDown</Code><Message>&c;&c;&c;</Message></Error>",
          &e);
    ck_assert_int_eq(e.http_status, 400);
    ck_assert_ptr_null(strstr(e.message, "aaaaaaaaaaaaaaaaaaaa"));
    /* an external entity is never fetched */
    PARSE(400, "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
               "<Error><Code>SlowDown</Code><Message>m&x;</Message></Error>", &e);
    ck_assert_str_eq(e.code, "SlowDown");
    ck_assert_ptr_null(strstr(e.message, "root:"));
}
END_TEST

static void http_err(struct aws_error *e, long status, const char *code, const char *msg)
{
    aws_error_clear(e);
    e->kind = AWS_ERR_HTTP;
    e->http_status = status;
    snprintf(e->code, sizeof(e->code), "%s", code);
    snprintf(e->message, sizeof(e->message), "%s", msg);
    snprintf(e->service, sizeof(e->service), "sqs");
    snprintf(e->action, sizeof(e->action), "ListQueues");
    snprintf(e->endpoint, sizeof(e->endpoint), "http://127.0.0.1:5000");
}

/* AWS text is kept as it came (the code must still match known codes) and escaped where it
 * is shown: the user sees that an ESC or a bidi override was there. */
START_TEST(untrusted_text_sanitized)
{
    struct aws_error e;
    char out[2048];

    PARSE(400, "{\"__type\":\"Bad\\u001b[31mCode\",\"message\":\"a\\u001b]0;pwned\\u0007b"
               "\\u202Ec\\u0085d\\ne\\u2067\\u061Cf \\\\x1B\"}", &e);
    ck_assert_str_eq(e.code, "Bad\x1b[31mCode");
    snprintf(e.service, sizeof(e.service), "sqs");
    snprintf(e.action, sizeof(e.action), "ListQueues");
    snprintf(e.endpoint, sizeof(e.endpoint), "http://h\x1b]52;c;x\x07");
    aws_error_describe(&e, "p\xe2\x80\xae", out, sizeof(out));
    ck_assert_str_eq(out, "request failed: sqs:ListQueues at http://h\\x1B]52;c;x\\x07 "
                          "(profile p\\u{202E}): Bad\\x1B[31mCode: "
                          "a\\x1B]0;pwned\\x07b\\u{202E}c\\x85d\\ne\\u{2067}\\u{061C}f \\\\x1B"
                          " — check the names and values sent, the region and the endpoint");
    /* a literal backslash from AWS is doubled, so "\x1B" typed by AWS cannot pass for an ESC */
    ck_assert_ptr_null(strchr(out, '\x1b'));
    ck_assert_ptr_null(strchr(out, '\x07'));
}
END_TEST

START_TEST(sanitize_truncates_on_utf8_boundary)
{
    struct aws_error e;
    struct buf body;
    char out[2048];

    /* 600 x "é" (1200 bytes) into a 1024-byte field: cut after a whole character */
    buf_init(&body);
    buf_puts(&body, "{\"__type\":\"Bad\",\"message\":\"");
    for (int i = 0; i < 600; i++)
        buf_puts(&body, "\xc3\xa9");
    buf_puts(&body, "\"}");
    buf_append(&body, "", 1);
    PARSE(400, body.data, &e);
    ck_assert_uint_eq(strlen(e.message), 1022);
    ck_assert_str_eq(e.message + 1020, "\xc3\xa9");
    buf_done(&body);

    /* the description is cut on a UTF-8 boundary too: "... — grant" never ends in half of
     * the em dash (E2 80 94) */
    http_err(&e, 403, "AccessDenied", "m");
    aws_error_describe(&e, NULL, out, sizeof(out));
    const char *dash = strstr(out, "\xe2\x80\x94");
    ck_assert_ptr_nonnull(dash);
    size_t at = (size_t)(dash - out);
    for (size_t cut = at + 1; cut <= at + 3; cut++) {
        char small[2048];
        aws_error_describe(&e, NULL, small, cut);
        ck_assert_uint_eq(strlen(small), at);
        ck_assert_int_eq(strncmp(small, out, at), 0);
    }
}
END_TEST

START_TEST(curl_errors)
{
    struct aws_error e;
    aws_error_clear(&e);
    errparse_curl(CURLE_COULDNT_CONNECT,
                  "Failed to connect to 127.0.0.1 port 9 after 0 ms: Connection refused",
                  "http://127.0.0.1:9", &e);
    ck_assert_int_eq(e.kind, AWS_ERR_NETWORK);
    ck_assert_int_eq(e.http_status, 0);
    ck_assert_str_eq(e.code, "ConnectFailed");
    ck_assert_ptr_nonnull(strstr(e.message, "Connection refused"));
    ck_assert_str_eq(e.endpoint, "http://127.0.0.1:9");
    errparse_curl(CURLE_OPERATION_TIMEDOUT, "", "https://sqs.eu-west-1.amazonaws.com", &e);
    ck_assert_int_eq(e.kind, AWS_ERR_TIMEOUT);
    ck_assert_str_eq(e.message, curl_easy_strerror(CURLE_OPERATION_TIMEDOUT));
    errparse_curl(CURLE_PEER_FAILED_VERIFICATION, NULL, NULL, &e);
    ck_assert_str_eq(e.code, "TLSVerifyFailed");
}
END_TEST

/* --- aws_error_describe ------------------------------------------------------------ */

START_TEST(describe_access_denied)
{
    struct aws_error e;
    char out[2048];
    http_err(&e, 403, "AccessDenied", "User: x is not authorized\x1b[2J");
    aws_error_describe(&e, "prod", out, sizeof(out));
    ck_assert_str_eq(out, "access denied: sqs:ListQueues at http://127.0.0.1:5000 (profile prod): "
                          "AccessDenied: User: x is not authorized\\x1B[2J — grant sqs:ListQueues "
                          "to this identity");
}
END_TEST

START_TEST(describe_kinds)
{
    struct aws_error e;
    char out[2048];

    aws_error_clear(&e);
    errparse_curl(CURLE_COULDNT_CONNECT, "Connection refused", "https://sqs.eu-west-1.amazonaws.com", &e);
    aws_error_describe(&e, "prod", out, sizeof(out));
    ck_assert_str_eq(out, "cannot reach https://sqs.eu-west-1.amazonaws.com (profile prod): "
                          "Connection refused — check AWS_ENDPOINT_URL/endpoint_url, proxy "
                          "settings and the network");

    aws_error_clear(&e);
    aws_error_set(&e, AWS_ERR_CREDENTIALS, "profile prod: no credentials found (tried env)");
    aws_error_describe(&e, "prod", out, sizeof(out));
    ck_assert_str_eq(out, "profile prod: no credentials found (tried env)");

    http_err(&e, 400, "ThrottlingException", "Rate exceeded");
    aws_error_describe(&e, NULL, out, sizeof(out));
    ck_assert_ptr_nonnull(strstr(out, "throttled: sqs:ListQueues at http://127.0.0.1:5000: "));

    http_err(&e, 403, "SignatureDoesNotMatch", "m");
    aws_error_describe(&e, "p", out, sizeof(out));
    ck_assert_ptr_nonnull(strstr(out, "credentials rejected:"));

    http_err(&e, 400, "ExpiredToken", "m");
    aws_error_describe(&e, "p", out, sizeof(out));
    ck_assert_ptr_nonnull(strstr(out, "credentials expired:"));

    http_err(&e, 503, "HTTP 503", "HTTP 503 with no error body");
    aws_error_describe(&e, "p", out, sizeof(out));
    ck_assert_ptr_nonnull(strstr(out, "service error:"));

    http_err(&e, 400, "ValidationError", "bad");
    snprintf(e.service, sizeof(e.service), "s3");
    snprintf(e.action, sizeof(e.action), "ListObjectsV2");
    aws_error_describe(&e, "p", out, sizeof(out));
    ck_assert_str_eq(out, "request failed: s3:ListBucket at http://127.0.0.1:5000 (profile p): "
                          "ValidationError: bad — check the names and values sent, the region "
                          "and the endpoint");

    /* a tiny buffer: truncated, terminated */
    aws_error_describe(&e, "p", out, 8);
    ck_assert_uint_eq(strlen(out), 7);
}
END_TEST

/* A parse failure found after the client handed over the answer still names the call, the
 * endpoint, the profile and a fix; so does a network failure. */
START_TEST(describe_names_call_everywhere)
{
    struct aws_response resp;
    struct aws_error e;
    char out[2048];

    aws_response_init(&resp);
    resp.service = "sqs";
    resp.action = "ListQueues";
    resp.endpoint = "http://127.0.0.1:5000";
    aws_error_clear(&e);
    aws_error_set(&e, AWS_ERR_PARSE, "'QueueUrls' is not an array");
    proto_error_response(&e, &resp, "SQS ListQueues");
    aws_error_describe(&e, "prod", out, sizeof(out));
    ck_assert_str_eq(out, "unexpected answer: sqs:ListQueues at http://127.0.0.1:5000 (profile "
                          "prod): SQS ListQueues: 'QueueUrls' is not an array — the endpoint "
                          "does not answer as AWS does; check AWS_ENDPOINT_URL/endpoint_url and "
                          "any proxy in between");
    ck_assert_ptr_null(strstr(out, "?"));

    aws_error_clear(&e);
    errparse_curl(CURLE_COULDNT_CONNECT, "Connection refused", "http://127.0.0.1:5000", &e);
    aws_error_context(&e, "sqs", "GetQueueAttributes", NULL);
    aws_error_describe(&e, "prod", out, sizeof(out));
    ck_assert_str_eq(out, "cannot reach http://127.0.0.1:5000 for sqs:GetQueueAttributes "
                          "(profile prod): Connection refused — check AWS_ENDPOINT_URL/"
                          "endpoint_url, proxy settings and the network");

    /* context already there is not overwritten; a missing one is never printed as "?" */
    aws_error_context(&e, "sns", "ListTopics", "http://elsewhere");
    ck_assert_str_eq(e.service, "sqs");
    ck_assert_str_eq(e.endpoint, "http://127.0.0.1:5000");
    aws_error_clear(&e);
    aws_error_set(&e, AWS_ERR_PARSE, "bad");
    aws_error_describe(&e, NULL, out, sizeof(out));
    ck_assert_ptr_null(strstr(out, "?"));
    ck_assert_ptr_nonnull(strstr(out, "an unknown endpoint"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("errparse");
    TCase *tc = tcase_create("errparse");
    tcase_add_test(tc, sqs_json_query_error_header_wins);
    tcase_add_test(tc, sqs_query_xml);
    tcase_add_test(tc, sns_not_found);
    tcase_add_test(tc, s3_no_such_bucket_and_key);
    tcase_add_test(tc, s3_head_without_body);
    tcase_add_test(tc, s3_head_bucket_wrong_region);
    tcase_add_test(tc, sts_auth_errors_ec2_style);
    tcase_add_test(tc, ec2_response_errors);
    tcase_add_test(tc, json_type_forms);
    tcase_add_test(tc, json_error_type_header);
    tcase_add_test(tc, malformed_bodies_fall_back);
    tcase_add_test(tc, binary_and_nul_bodies);
    tcase_add_test(tc, huge_body_not_parsed);
    tcase_add_test(tc, long_fields_truncated);
    tcase_add_test(tc, xml_entities_not_expanded);
    tcase_add_test(tc, untrusted_text_sanitized);
    tcase_add_test(tc, sanitize_truncates_on_utf8_boundary);
    tcase_add_test(tc, curl_errors);
    tcase_add_test(tc, describe_access_denied);
    tcase_add_test(tc, describe_kinds);
    tcase_add_test(tc, describe_names_call_everywhere);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
