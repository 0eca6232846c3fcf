/* test_s3_object.c - S3 addressing (path-style, virtual-hosted, access points, multi-region
 * access points), the bucket-level and object calls, presigned URLs: requests built exactly,
 * parsers on answers recorded from moto and on malformed ones. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aws/s3.h"
#include "aws_test_util.h"
#include "check_tap.h"
#include "core/sigv4.h"
#include "core/sigv4a.h"

#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static const struct s3_endpoint aws_us_east_1 = { .url = "https://s3.amazonaws.com",
                                                  .configured = false,
                                                  .region = "us-east-1" };
static const struct s3_endpoint moto = { .url = "http://127.0.0.1:5000", .configured = true,
                                         .region = "us-east-1" };

static void locate(struct s3_location *loc, const char *bucket, const struct s3_endpoint *ep)
{
    struct aws_error e;

    aws_error_clear(&e);
    ck_assert_msg(s3_location_init(loc, bucket, ep, &e) == 0, "%s: %s", bucket, e.message);
}

/* ---- addressing ---- */

START_TEST(location_buckets)
{
    static const struct {
        const char *bucket;
        struct s3_endpoint ep;
        const char *base, *prefix;
    } cases[] = {
        /* AWS's endpoint: virtual-hosted when the name allows it */
        { "my-bucket", { "https://s3.amazonaws.com", false, "us-east-1", S3_ADDRESSING_AUTO },
          "https://my-bucket.s3.amazonaws.com", "" },
        { "logs2024", { "https://s3.eu-west-1.amazonaws.com/", false, "eu-west-1",
                        S3_ADDRESSING_AUTO },
          "https://logs2024.s3.eu-west-1.amazonaws.com", "" },
        /* dots: a wildcard certificate covers one label, so path-style */
        { "my.bucket", { "https://s3.amazonaws.com", false, "us-east-1", S3_ADDRESSING_AUTO },
          "https://s3.amazonaws.com", "/my.bucket" },
        /* legacy names that are no host name */
        { "My_Bucket", { "https://s3.amazonaws.com", false, NULL, S3_ADDRESSING_AUTO },
          "https://s3.amazonaws.com", "/My_Bucket" },
        /* an emulator on an IP address: path-style */
        { "data", { "http://127.0.0.1:5000", true, NULL, S3_ADDRESSING_AUTO },
          "http://127.0.0.1:5000", "/data" },
        { "data", { "http://[::1]:5000", true, NULL, S3_ADDRESSING_AUTO },
          "http://[::1]:5000", "/data" },
        /* a named configured endpoint: virtual-hosted like botocore, path kept */
        { "data", { "http://localhost:4566/", true, NULL, S3_ADDRESSING_AUTO },
          "http://data.localhost:4566", "" },
        { "a.b", { "https://bucket.vpce-1a2b.s3.eu-west-1.vpce.amazonaws.com/p/", true,
                   "eu-west-1", S3_ADDRESSING_AUTO },
          "https://bucket.vpce-1a2b.s3.eu-west-1.vpce.amazonaws.com/p", "/a.b" },
        /* the profile's addressing_style */
        { "my-bucket", { "https://s3.amazonaws.com", false, NULL, S3_ADDRESSING_PATH },
          "https://s3.amazonaws.com", "/my-bucket" },
        { "my.bucket", { "https://s3.amazonaws.com", false, NULL, S3_ADDRESSING_VIRTUAL },
          "https://my.bucket.s3.amazonaws.com", "" },
    };

    for (size_t i = 0; i < TEST_COUNT(cases); i++) {
        struct s3_location loc;
        locate(&loc, cases[i].bucket, &cases[i].ep);
        ck_assert_msg(strcmp(loc.base, cases[i].base) == 0, "case %zu: base %s", i, loc.base);
        ck_assert_msg(strcmp(loc.path_prefix, cases[i].prefix) == 0, "case %zu: prefix %s", i,
                      loc.path_prefix);
        ck_assert_str_eq(loc.bucket, cases[i].bucket);
        ck_assert_ptr_null(loc.region_set);
        ck_assert(!loc.access_point);
        if (cases[i].ep.region)
            ck_assert_str_eq(loc.region, cases[i].ep.region);
        else
            ck_assert_ptr_null(loc.region);
        s3_location_done(&loc);
    }
}
END_TEST

START_TEST(location_access_points)
{
    struct s3_location loc;
    struct s3_endpoint local = { .url = "http://s3.local.test:9000", .configured = true };

    locate(&loc, "arn:aws:s3:eu-west-1:123456789012:accesspoint/reports", &aws_us_east_1);
    ck_assert_str_eq(loc.base, "https://reports-123456789012.s3-accesspoint.eu-west-1."
                               "amazonaws.com");
    ck_assert_str_eq(loc.path_prefix, "");
    ck_assert_str_eq(loc.region, "eu-west-1");
    ck_assert_str_eq(loc.bucket, "reports");
    ck_assert(loc.access_point);
    s3_location_done(&loc);

    locate(&loc, "arn:aws-cn:s3:cn-north-1:123456789012:accesspoint:ap-1", &aws_us_east_1);
    ck_assert_str_eq(loc.base, "https://ap-1-123456789012.s3-accesspoint.cn-north-1."
                               "amazonaws.com.cn");
    s3_location_done(&loc);

    locate(&loc, "arn:aws:s3:us-west-2:123456789012:accesspoint/reports", &local);
    ck_assert_str_eq(loc.base, "http://reports-123456789012.s3.local.test:9000");
    s3_location_done(&loc);

    /* multi-region: the global host, SigV4A over every region */
    locate(&loc, "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap", &aws_us_east_1);
    ck_assert_str_eq(loc.base, "https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com");
    ck_assert_str_eq(loc.region_set, "*");
    ck_assert_ptr_null(loc.region);
    ck_assert(loc.access_point);
    s3_location_done(&loc);
}
END_TEST

START_TEST(location_refusals)
{
    static const struct {
        const char *bucket;
        const struct s3_endpoint *ep;
        const char *needle;
    } bad[] = {
        { "arn:aws:s3-outposts:us-east-1:123456789012:outpost/op-1/accesspoint/x", &aws_us_east_1,
          "Outposts and Object Lambda" },
        { "arn:aws:s3-object-lambda:us-east-1:123456789012:accesspoint/x", &aws_us_east_1,
          "not supported" },
        { "arn:aws:s3:::my-bucket", &aws_us_east_1, "only access point ARNs" },
        { "arn:aws:s3:us-east-1:12345:accesspoint/x1y", &aws_us_east_1, "not 12 digits" },
        { "arn:aws:s3::123456789012:accesspoint/alias", &aws_us_east_1, "ALIAS.mrap" },
        { "arn:aws:s3::123456789012:accesspoint/Al!as.mrap", &aws_us_east_1, "ALIAS.mrap" },
        { "arn:aws:s3:us-east-1:123456789012:accesspoint/Reports", &aws_us_east_1,
          "3-50 of a-z" },
        { "arn:aws:s3:us-east-1:123456789012:accesspoint/x1y/object/k", &aws_us_east_1,
          "3-50 of a-z" },
        { "arn:aws-iso:s3:us-iso-east-1:123456789012:accesspoint/abc", &aws_us_east_1,
          "partition" },
        { "arn:aws:s3:us-east-1:123456789012:accesspoint/abc", &moto, "not an IP address" },
        { "arn:aws:s3", &aws_us_east_1, "not an ARN" },
        { "", &aws_us_east_1, "not empty" },
        { "a/b", &aws_us_east_1, "has no '/'" },
        { "My_Bucket", NULL, "not a URL" },
    };
    struct s3_endpoint virt = { .url = "https://s3.amazonaws.com", .style = S3_ADDRESSING_VIRTUAL };

    for (size_t i = 0; i < TEST_COUNT(bad); i++) {
        struct s3_location loc;
        struct aws_error e;
        aws_error_clear(&e);
        ck_assert_msg(s3_location_init(&loc, bad[i].bucket, bad[i].ep, &e) == -1, "case %zu", i);
        ck_assert_int_eq(e.kind, AWS_ERR_CONFIG);
        ck_assert_msg(strstr(e.message, bad[i].needle), "case %zu: '%s'", i, e.message);
        ck_assert_ptr_null(loc.base);
        ck_assert_ptr_null(loc.bucket);
    }
    {
        struct s3_location loc;
        struct aws_error e;
        ck_assert_int_eq(s3_location_init(&loc, "My_Bucket", &virt, &e), -1);
        ck_assert_ptr_nonnull(strstr(e.message, "addressing_style = path"));
    }
}
END_TEST

/* ---- builders ---- */

START_TEST(requests_exact)
{
    struct s3_location path, virt;
    struct aws_request r;
    struct s3_list_versions_params vp;
    struct s3_list_objects_params lp;

    locate(&path, "opsdeck-data", &moto);
    locate(&virt, "opsdeck-data", &aws_us_east_1);

    s3_head_bucket_request(&r, &path);
    ck_assert_str_eq(r.method, "HEAD");
    ck_assert_str_eq(r.path, "/opsdeck-data");
    ck_assert_str_eq(r.endpoint, "http://127.0.0.1:5000");
    ck_assert_str_eq(r.region, "us-east-1");
    ck_assert(r.s3_rules);
    ck_assert(!r.mutating);
    aws_request_done(&r);
    s3_head_bucket_request(&r, &virt);
    ck_assert_str_eq(r.path, "/");
    ck_assert_str_eq(r.endpoint, "https://opsdeck-data.s3.amazonaws.com");
    aws_request_done(&r);

    s3_get_bucket_location_request(&r, &path);
    ck_assert_str_eq(r.path, "/opsdeck-data");
    ck_assert_str_eq(r.query, "location=");
    aws_request_done(&r);

    /* any byte of a key reaches its object: encoded once, '/' and dot segments kept */
    s3_head_object_request(&r, &path, "a b/../c%2F\x1b\xff+\xc3\xa9", "v 1");
    ck_assert_str_eq(r.path, "/opsdeck-data/a%20b/../c%252F%1B%FF%2B%C3%A9");
    ck_assert_str_eq(r.query, "versionId=v%201");
    ck_assert_str_eq(r.action, "HeadObject");
    aws_request_done(&r);
    s3_head_object_request(&r, &virt, "/leading//slash", NULL);
    ck_assert_str_eq(r.path, "//leading//slash");
    ck_assert_str_eq(r.query, "");
    aws_request_done(&r);

    s3_get_object_request(&r, &path, "dir/report.json", NULL, 0, 65535);
    ck_assert_str_eq(r.method, "GET");
    ck_assert_str_eq(aws_request_header(&r, "Range"), "bytes=0-65535");
    ck_assert(!r.mutating);
    aws_request_done(&r);
    s3_get_object_request(&r, &path, "k", "v2", 100, -1);
    ck_assert_str_eq(aws_request_header(&r, "Range"), "bytes=100-");
    ck_assert_str_eq(r.query, "versionId=v2");
    aws_request_done(&r);

    s3_get_object_tagging_request(&r, &virt, "dir/report.json", "v2");
    ck_assert_str_eq(r.path, "/dir/report.json");
    ck_assert_str_eq(r.query, "tagging=&versionId=v2");
    aws_request_done(&r);

    vp = (struct s3_list_versions_params){ .loc = &path, .prefix = "dir/report.json",
                                           .key_marker = "dir/old.log",
                                           .version_id_marker = "abc+=", .max_keys = 5000 };
    s3_list_object_versions_request(&r, &vp);
    ck_assert_str_eq(r.path, "/opsdeck-data");
    ck_assert_str_eq(r.query, "versions=&encoding-type=url&prefix=dir%2Freport.json&"
                              "key-marker=dir%2Fold.log&version-id-marker=abc%2B%3D&"
                              "max-keys=1000");
    aws_request_done(&r);

    lp = (struct s3_list_objects_params){ .loc = &virt, .prefix = "logs/", .delimiter = "/",
                                          .start_after = "logs/0.txt" };
    s3_list_objects_v2_request(&r, &lp);
    ck_assert_str_eq(r.endpoint, "https://opsdeck-data.s3.amazonaws.com");
    ck_assert_str_eq(r.path, "/");
    ck_assert_str_eq(r.query, "list-type=2&encoding-type=url&prefix=logs%2F&delimiter=%2F&"
                              "start-after=logs%2F0.txt");
    aws_request_done(&r);
    /* without a location: path-style on the configured endpoint, as before */
    lp = (struct s3_list_objects_params){ .bucket = "b", .continuation_token = "t" };
    s3_list_objects_v2_request(&r, &lp);
    ck_assert_ptr_null(r.endpoint);
    ck_assert_str_eq(r.path, "/b");
    ck_assert_str_eq(r.query, "list-type=2&encoding-type=url&continuation-token=t");
    aws_request_done(&r);

    s3_location_done(&path);
    s3_location_done(&virt);
}
END_TEST

/* The request for an object behind a multi-region access point, signed as the client
 * signs it: the global host, SigV4A, region set "*". No emulator serves MRAPs, so the
 * canonical request is checked against the one the SigV4A rules give. */
START_TEST(mrap_request_signed)
{
    static const struct sigv4_credentials c = {
        .access_key_id = "AKIDEXAMPLE",
        .secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    };
    struct sigv4_params p = { .region = "us-east-1", .service = "s3", .when = 1440938160,
                              .s3_rules = true, .content_sha256_header = true };
    struct s3_location loc;
    struct aws_request r;
    struct sigv4_debug dbg = { 0 };
    char err[256];

    locate(&loc, "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap", &aws_us_east_1);
    s3_head_object_request(&r, &loc, "dir/a b.txt", NULL);
    ck_assert_str_eq(r.region_set, "*");
    ck_assert_ptr_null(r.region);
    aws_request_set_header(&r, "Host", "mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com");
    ck_assert_int_eq(sigv4a_sign(&r, &c, &p, r.region_set, &dbg, err, sizeof(err)), 0);
    ck_assert_str_eq(dbg.canonical_request,
                     "HEAD\n/dir/a%20b.txt\n\n"
                     "host:mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com\n"
                     "x-amz-content-sha256:" EMPTY_SHA256 "\n"
                     "x-amz-date:20150830T123600Z\n"
                     "x-amz-region-set:*\n\n"
                     "host;x-amz-content-sha256;x-amz-date;x-amz-region-set\n" EMPTY_SHA256);
    {
        static const char sts[] = "AWS4-ECDSA-P256-SHA256\n20150830T123600Z\n"
                                   "20150830/s3/aws4_request\n";
        ck_assert(strncmp(dbg.string_to_sign, sts, sizeof(sts) - 1) == 0);
        ck_assert_uint_eq(strlen(dbg.string_to_sign), sizeof(sts) - 1 + 64);
    }
    ck_assert(strncmp(aws_request_header(&r, "Authorization"),
                      "AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20150830/s3/aws4_request, ",
                      72) == 0);
    ck_assert_str_eq(aws_request_header(&r, "X-Amz-Region-Set"), "*");
    sigv4_debug_done(&dbg);
    aws_request_done(&r);
    s3_location_done(&loc);
}
END_TEST

/* ---- bucket region ---- */

START_TEST(bucket_region_real)
{
    struct aws_response resp;
    struct aws_error e;
    char region[32];
    char *loc = NULL;

    test_resp_headers_file(&resp, "s3/head_bucket");
    ck_assert_int_eq(resp.status, 200);
    ck_assert_int_eq(s3_bucket_region(&resp, NULL, region), 0);
    ck_assert_str_eq(region, "eu-west-1");
    aws_response_done(&resp);
    /* a 301 from the wrong region: the client's error carries the header's value */
    aws_error_clear(&e);
    snprintf(e.bucket_region, sizeof(e.bucket_region), "ap-south-1");
    ck_assert_int_eq(s3_bucket_region(NULL, &e, region), 0);
    ck_assert_str_eq(region, "ap-south-1");
    snprintf(e.bucket_region, sizeof(e.bucket_region), "x\x1b[2J");
    ck_assert_int_eq(s3_bucket_region(NULL, &e, region), -1);
    ck_assert_int_eq(s3_bucket_region(NULL, NULL, region), -1);
    ck_assert_str_eq(region, "");

    test_resp_file(&resp, "s3/get_bucket_location.xml");
    ck_assert_int_eq(s3_get_bucket_location_parse(&resp, &loc, &e), 0);
    ck_assert_str_eq(loc, "eu-west-1");
    free(loc);
    aws_response_done(&resp);
    test_resp_file(&resp, "s3/get_bucket_location_us_east_1.xml");
    ck_assert_int_eq(s3_get_bucket_location_parse(&resp, &loc, &e), 0);
    ck_assert_str_eq(loc, "us-east-1");
    free(loc);
    aws_response_done(&resp);
    test_resp_str(&resp, "<LocationConstraint>EU</LocationConstraint>");
    ck_assert_int_eq(s3_get_bucket_location_parse(&resp, &loc, &e), 0);
    ck_assert_str_eq(loc, "eu-west-1");
    free(loc);
    aws_response_done(&resp);
}
END_TEST

static int parse_location(const struct aws_response *r, struct aws_error *e)
{
    char *loc = (char *)"x";
    int rc = s3_get_bucket_location_parse(r, &loc, e);

    if (rc == -1)
        ck_assert_ptr_null(loc);
    free(loc);
    return rc;
}

START_TEST(bucket_location_malformed)
{
    static const struct test_mutation m[] = {
        { ">eu-west-1<", ">eu west 1<", "not a region: 'eu west 1'" },
        { ">eu-west-1<", ">EU-WEST-1<", "not a region" },
        { "<LocationConstraint ", "<Location ", "not well-formed" },
    };

    test_each_mutation("s3/get_bucket_location.xml", m, TEST_COUNT(m),
                       "S3 GetBucketLocation: ", parse_location);
    test_each_truncation("s3/get_bucket_location.xml", parse_location);
}
END_TEST

/* ---- HeadObject ---- */

START_TEST(head_object_real)
{
    struct aws_response resp;
    struct aws_error e;
    struct s3_object_head h;

    test_resp_headers_file(&resp, "s3/head_object");
    ck_assert_int_eq(s3_head_object_parse(&resp, &h, &e), 0);
    ck_assert_int_eq(h.size, 27);
    ck_assert_str_eq(h.content_type, "application/json");
    ck_assert_str_eq(h.etag, "\"171dfd314c7b6a3ef723c16e6987e7b6\"");
    ck_assert_str_eq(h.storage_class, "STANDARD_IA");
    ck_assert_str_eq(h.sse, "aws:kms");
    ck_assert_str_eq(h.kms_key_id, "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-"
                                   "34cd-56ef-1234567890ab");
    ck_assert_uint_eq(strlen(h.version_id), 36);
    ck_assert_int_eq(h.tag_count, 2);
    ck_assert(h.mtime > 1700000000);
    ck_assert(!h.delete_marker);
    ck_assert(!h.restore_requested);
    ck_assert_uint_eq(h.nmetadata, 2);
    ck_assert_str_eq(kv_get(h.metadata, h.nmetadata, "owner"), "ops");
    ck_assert_str_eq(kv_get(h.metadata, h.nmetadata, "note"), "two words");
    s3_object_head_free(&h);
    aws_response_done(&resp);

    test_resp_headers_file(&resp, "s3/head_object_restored");
    ck_assert_int_eq(s3_head_object_parse(&resp, &h, &e), 0);
    ck_assert_str_eq(h.storage_class, "GLACIER");
    ck_assert(h.restore_requested);
    ck_assert(!h.restore_ongoing);
    /* two days after the restore was asked, at the object's Last-Modified time */
    ck_assert_int_eq(h.restore_expiry, h.mtime + 2 * 86400);
    ck_assert_int_eq(h.tag_count, -1);
    ck_assert_ptr_null(h.sse);
    s3_object_head_free(&h);
    aws_response_done(&resp);
}
END_TEST

START_TEST(head_object_malformed)
{
    static const struct {
        const char *name, *value, *needle;
    } bad[] = {
        { "Content-Length", "abc", "header Content-Length is not a count: 'abc'" },
        { "Content-Length", "-5", "Content-Length is not a count" },
        { "Content-Length", "99999999999999999999999", "Content-Length is not a count" },
        { "x-amz-tagging-count", "2x", "x-amz-tagging-count" },
        { "Last-Modified", "2026-12-03T09:59:51Z", "Last-Modified is not a date" },
        { "x-amz-delete-marker", "yes", "x-amz-delete-marker is not true or false" },
        { "x-amz-restore", "expiry-date=\"x\"", "has no ongoing-request" },
        { "x-amz-restore", "ongoing-request=\"maybe\"", "not true or false" },
        { "x-amz-restore", "ongoing-request=\"false\", expiry-date=\"tomorrow\"",
          "expiry-date is not a date" },
        { "x-amz-restore", "ongoing-request=\"false\", expiry-date=\"Sat, 05 Dec 2026", "expiry" },
    };

    for (size_t i = 0; i < TEST_COUNT(bad); i++) {
        struct aws_response resp;
        struct aws_error e;
        struct s3_object_head h;

        aws_response_init(&resp);
        resp.status = 200;
        aws_response_add_header(&resp, "Content-Type", "text/plain");
        aws_response_add_header(&resp, bad[i].name, bad[i].value);
        aws_error_clear(&e);
        memset(&h, 0x5a, sizeof(h));
        ck_assert_int_eq(s3_head_object_parse(&resp, &h, &e), -1);
        ck_assert_parse_error(&e, "S3 HeadObject: ");
        ck_assert_parse_error(&e, bad[i].needle);
        ck_assert_ptr_null(h.content_type);
        ck_assert_ptr_null(h.metadata);
        aws_response_done(&resp);
    }
    {
        /* an ongoing restore, and metadata values with escapes kept for the sanitiser */
        struct aws_response resp;
        struct aws_error e;
        struct s3_object_head h;

        aws_response_init(&resp);
        aws_response_add_header(&resp, "x-amz-restore", "ongoing-request=\"true\"");
        aws_response_add_header(&resp, "X-Amz-Meta-Evil", "\x1b]52;c;aGk=\x07");
        ck_assert_int_eq(s3_head_object_parse(&resp, &h, &e), 0);
        ck_assert(h.restore_ongoing);
        ck_assert_int_eq(h.restore_expiry, -1);
        ck_assert_int_eq(h.size, -1);
        ck_assert_str_eq(h.metadata[0].name, "evil");
        ck_assert_str_eq(h.metadata[0].value, "\x1b]52;c;aGk=\x07");
        s3_object_head_free(&h);
        aws_response_done(&resp);
    }
}
END_TEST

/* ---- ranged GET ---- */

START_TEST(get_object_range)
{
    static const struct {
        long status;
        const char *content_range;
        const char *body;
        const char *needle;
    } bad[] = {
        { 206, NULL, "0123456789", "206 without Content-Range" },
        { 206, "bytes 0-9", "0123456789", "not bytes FIRST-LAST/TOTAL" },
        { 206, "bytes 9-0/27", "0123456789", "not bytes" },
        { 206, "bytes 0-9/9", "0123456789", "not bytes" },
        { 206, "bytes a-9/27", "0123456789", "not bytes" },
        { 206, "items 0-9/27", "0123456789", "not bytes" },
        { 206, "bytes 0-9/27", "012345678", "says 10 bytes, the body has 9" },
        { 416, "bytes */27", "", "HTTP 416 is not a partial answer" },
    };
    struct aws_response resp;
    struct aws_error e;
    struct s3_range rg;

    test_resp_headers_file(&resp, "s3/get_object_range");
    ck_assert_int_eq(resp.status, 206);
    ck_assert_int_eq(s3_get_object_range_parse(&resp, &rg, &e), 0);
    ck_assert_int_eq(rg.first, 0);
    ck_assert_int_eq(rg.last, 9);
    ck_assert_int_eq(rg.total, 27);
    ck_assert_uint_eq(resp.body.len, 10);
    ck_assert_mem_eq(resp.body.data, "{\"v\": 2, \"", 10);
    aws_response_done(&resp);

    /* a server that ignores Range sends the whole object */
    test_resp_str(&resp, "whole");
    ck_assert_int_eq(s3_get_object_range_parse(&resp, &rg, &e), 0);
    ck_assert_int_eq(rg.first, 0);
    ck_assert_int_eq(rg.last, 4);
    ck_assert_int_eq(rg.total, 5);
    aws_response_done(&resp);

    test_resp_str(&resp, "0123456789");
    resp.status = 206;
    aws_response_add_header(&resp, "Content-Range", "bytes 10-19/*");
    ck_assert_int_eq(s3_get_object_range_parse(&resp, &rg, &e), 0);
    ck_assert_int_eq(rg.total, -1);
    aws_response_done(&resp);

    for (size_t i = 0; i < TEST_COUNT(bad); i++) {
        test_resp_str(&resp, bad[i].body);
        resp.status = bad[i].status;
        if (bad[i].content_range)
            aws_response_add_header(&resp, "Content-Range", bad[i].content_range);
        aws_error_clear(&e);
        ck_assert_int_eq(s3_get_object_range_parse(&resp, &rg, &e), -1);
        ck_assert_parse_error(&e, "S3 GetObject: ");
        ck_assert_parse_error(&e, bad[i].needle);
        ck_assert_int_eq(rg.first, -1);
        aws_response_done(&resp);
    }
}
END_TEST

/* ---- ListObjectVersions ---- */

static int parse_versions(const struct aws_response *r, struct aws_error *e)
{
    struct s3_version_list l;
    int rc;

    memset(&l, 0x5a, sizeof(l));
    rc = s3_list_object_versions_parse(r, &l, e);
    if (rc == -1) {
        ck_assert_ptr_null(l.versions);
        ck_assert_ptr_null(l.next_key_marker);
    }
    s3_version_list_free(&l);
    return rc;
}

START_TEST(versions_real)
{
    struct aws_response resp;
    struct aws_error e;
    struct s3_version_list l;

    test_resp_file(&resp, "s3/list_object_versions_page1.xml");
    ck_assert_int_eq(s3_list_object_versions_parse(&resp, &l, &e), 0);
    ck_assert(l.is_truncated);
    ck_assert_str_eq(l.next_key_marker, "dir/old.log");
    ck_assert_uint_eq(strlen(l.next_version_id_marker), 36);
    ck_assert_uint_eq(l.n, 3);
    ck_assert_str_eq(l.versions[0].key, "archive/2019.tar");
    ck_assert_str_eq(l.versions[0].storage_class, "GLACIER");
    ck_assert_int_eq(l.versions[0].size, 3);
    ck_assert(l.versions[0].is_latest);
    ck_assert_str_eq(l.versions[1].key, "dir/old.log");
    ck_assert(!l.versions[1].delete_marker);
    ck_assert(!l.versions[1].is_latest);
    /* the delete marker is the latest "version" of the deleted key */
    ck_assert_str_eq(l.versions[2].key, "dir/old.log");
    ck_assert(l.versions[2].delete_marker);
    ck_assert(l.versions[2].is_latest);
    ck_assert_int_eq(l.versions[2].size, -1);
    ck_assert_ptr_null(l.versions[2].etag);
    ck_assert(l.versions[2].mtime > 1700000000);
    s3_version_list_free(&l);
    aws_response_done(&resp);

    test_resp_file(&resp, "s3/list_object_versions_page2.xml");
    ck_assert_int_eq(s3_list_object_versions_parse(&resp, &l, &e), 0);
    ck_assert_uint_eq(l.n, 3);
    ck_assert_str_eq(l.versions[0].key, "dir/report.json");
    ck_assert_int_eq(l.versions[0].size, 27);
    ck_assert_str_eq(l.versions[1].key, "dir/report.json");
    ck_assert_int_eq(l.versions[1].size, 8);
    ck_assert(!l.versions[1].is_latest);
    ck_assert_str_eq(l.next_key_marker, "logs/0.txt");
    s3_version_list_free(&l);
    aws_response_done(&resp);

    /* encoded keys decode, as in ListObjectsV2 */
    test_resp_str(&resp, "<ListVersionsResult><EncodingType>url</EncodingType>"
                         "<IsTruncated>false</IsTruncated><Version><Key>a+b%2Bc%1B</Key>"
                         "<VersionId>null</VersionId><IsLatest>true</IsLatest><Size>0</Size>"
                         "</Version><CommonPrefixes><Prefix>d%20e/</Prefix></CommonPrefixes>"
                         "</ListVersionsResult>");
    ck_assert_int_eq(s3_list_object_versions_parse(&resp, &l, &e), 0);
    ck_assert_str_eq(l.versions[0].key, "a b+c\x1b");
    ck_assert_str_eq(l.versions[0].version_id, "null");
    ck_assert_str_eq(l.prefixes[0], "d e/");
    ck_assert_ptr_null(l.next_key_marker);
    s3_version_list_free(&l);
    aws_response_done(&resp);
}
END_TEST

START_TEST(versions_malformed)
{
    static const struct test_mutation m[] = {
        { "<NextKeyMarker>dir/old.log</NextKeyMarker>", "", "truncated listing without <NextKeyMarker>" },
        { "<Size>3</Size>", "<Size>-3</Size>", "version 1: " },
        { "<Size>3</Size>", "<Size>3.5</Size>", "<Size>" },
        { "<IsLatest>true</IsLatest>", "<IsLatest>yes</IsLatest>", "version 1: " },
        { "</Owner><Key>dir/old.log</Key>", "</Owner>", "version 3: no <Key>" },
        { "<LastModified>2026", "<LastModified>x2026", "version 1: <LastModified> is not" },
        { "<ListVersionsResult ", "<ListBucketResult ", "not well-formed" },
        { "<IsTruncated>true</IsTruncated>", "<IsTruncated>maybe</IsTruncated>", "IsTruncated" },
    };

    test_each_mutation("s3/list_object_versions_page1.xml", m, TEST_COUNT(m),
                       "S3 ListObjectVersions: ", parse_versions);
    test_each_truncation("s3/list_object_versions_page1.xml", parse_versions);
}
END_TEST

/* ---- tags ---- */

static int parse_tags(const struct aws_response *r, struct aws_error *e)
{
    struct s3_tag_list t;
    int rc;

    memset(&t, 0x5a, sizeof(t));
    rc = s3_get_object_tagging_parse(r, &t, e);
    if (rc == -1)
        ck_assert_ptr_null(t.tags);
    s3_tag_list_free(&t);
    return rc;
}

START_TEST(tagging_real_and_malformed)
{
    static const struct test_mutation m[] = {
        { "<Key>team</Key>", "<Name>team</Name>", "tag 1 has no <Key> or <Value>" },
        { "<Value>gold plus</Value>", "", "tag 2 has no <Key> or <Value>" },
        { "<Tagging ", "<Tags ", "not well-formed" },
    };
    struct aws_response resp;
    struct aws_error e;
    struct s3_tag_list t;

    test_resp_file(&resp, "s3/get_object_tagging.xml");
    ck_assert_int_eq(s3_get_object_tagging_parse(&resp, &t, &e), 0);
    ck_assert_uint_eq(t.n, 2);
    ck_assert_str_eq(t.tags[0].name, "team");
    ck_assert_str_eq(t.tags[0].value, "ops");
    ck_assert_str_eq(t.tags[1].value, "gold plus");
    s3_tag_list_free(&t);
    aws_response_done(&resp);
    test_resp_str(&resp, "<Tagging><TagSet/></Tagging>");
    ck_assert_int_eq(s3_get_object_tagging_parse(&resp, &t, &e), 0);
    ck_assert_uint_eq(t.n, 0);
    aws_response_done(&resp);
    test_each_mutation("s3/get_object_tagging.xml", m, TEST_COUNT(m), "S3 GetObjectTagging: ",
                       parse_tags);
    test_each_truncation("s3/get_object_tagging.xml", parse_tags);
}
END_TEST

START_TEST(list_objects_start_after_real)
{
    struct aws_response resp;
    struct aws_error e;
    struct s3_object_list l;

    test_resp_file(&resp, "s3/list_objects_v2_start_after.xml");
    ck_assert_int_eq(s3_list_objects_v2_parse(&resp, &l, &e), 0);
    ck_assert_uint_eq(l.nobjects, 2);
    ck_assert_str_eq(l.objects[0].key, "logs/1.txt");
    ck_assert_int_eq(l.objects[1].size, 2);
    ck_assert_str_eq(l.prefix, "logs/");
    ck_assert(!l.is_truncated);
    s3_object_list_free(&l);
    aws_response_done(&resp);
}
END_TEST

/* ---- presigned GET ---- */

START_TEST(presign_get)
{
    static const struct sigv4_credentials c = {
        .access_key_id = "AKIDEXAMPLE",
        .secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        .session_token = "tok/en+=",
    };
    struct s3_endpoint pfx = { .url = "http://s3.local.test:9000/base/", .configured = true,
                               .region = "eu-west-1", .style = S3_ADDRESSING_PATH };
    struct s3_location loc;
    struct aws_error e;
    char *url = NULL;

    locate(&loc, "opsdeck-data", &pfx);
    ck_assert_int_eq(s3_presign_get(&loc, "dir/a b.txt", "v1", &c, 1440938160, 900000, 0,
                                    &url, &e), 0);
    ck_assert(strncmp(url, "http://s3.local.test:9000/base/opsdeck-data/dir/a%20b.txt?"
                           "versionId=v1&X-Amz-Algorithm=AWS4-HMAC-SHA256&"
                           "X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Feu-west-1%2Fs3%2F"
                           "aws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&"
                           "X-Amz-Expires=604800&X-Amz-Security-Token=tok%2Fen%2B%3D&"
                           "X-Amz-Signature=", 300) == 0);
    ck_assert_uint_eq(strlen(strstr(url, "X-Amz-Signature=")), 16 + 64);
    free(url);
    /* capped by the credentials' lifetime */
    ck_assert_int_eq(s3_presign_get(&loc, "k", NULL, &c, 1440938160, 3600, 120, &url, &e), 0);
    ck_assert_ptr_nonnull(strstr(url, "X-Amz-Expires=120&"));
    free(url);
    /* credentials that have expired sign nothing */
    url = (char *)"x";
    ck_assert_int_eq(s3_presign_get(&loc, "k", NULL, &c, 1440938160, 3600, -5, &url, &e), -1);
    ck_assert_ptr_null(url);
    ck_assert_ptr_nonnull(strstr(e.message, "at least one second"));
    ck_assert_int_eq(s3_presign_get(&loc, "", NULL, &c, 1440938160, 60, 0, &url, &e), -1);
    ck_assert_int_eq(s3_presign_get(&loc, "k", NULL, &(struct sigv4_credentials){ 0 },
                                    1440938160, 60, 0, &url, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.message, "cannot presign: sigv4: no access key id"));
    s3_location_done(&loc);

    /* an MRAP URL is SigV4A-signed for every region */
    locate(&loc, "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap", &aws_us_east_1);
    ck_assert_int_eq(s3_presign_get(&loc, "k", NULL, &c, 1440938160, 60, 0, &url, &e), 0);
    ck_assert(strncmp(url, "https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/k?"
                           "X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256&X-Amz-Credential="
                           "AKIDEXAMPLE%2F20150830%2Fs3%2Faws4_request&", 150) == 0);
    ck_assert_ptr_nonnull(strstr(url, "&X-Amz-Region-Set=%2A&X-Amz-Signature=30"));
    free(url);
    s3_location_done(&loc);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("s3_object");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, location_buckets);
    tcase_add_test(tc, location_access_points);
    tcase_add_test(tc, location_refusals);
    tcase_add_test(tc, requests_exact);
    tcase_add_test(tc, mrap_request_signed);
    tcase_add_test(tc, bucket_region_real);
    tcase_add_test(tc, bucket_location_malformed);
    tcase_add_test(tc, head_object_real);
    tcase_add_test(tc, head_object_malformed);
    tcase_add_test(tc, get_object_range);
    tcase_add_test(tc, versions_real);
    tcase_add_test(tc, versions_malformed);
    tcase_add_test(tc, tagging_real_and_malformed);
    tcase_add_test(tc, list_objects_start_after_real);
    tcase_add_test(tc, presign_get);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
