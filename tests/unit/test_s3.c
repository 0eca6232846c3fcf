/* test_s3.c - S3 ListBuckets / ListObjectsV2 builders and parsers, on moto captures. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aws/s3.h"
#include "aws_test_util.h"
#include "check_tap.h"

/* the keys seeded by tests/tools/capture_responses.py, in S3's (byte) order */
static const char *const all_keys[] = {
    "dir/caf\xc3\xa9 \xc3\xbc" "ber.txt",
    "dir/sub dir/nested file.log",
    "dir/\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e.txt",
    "plain.txt",
    "special/100%.txt",
    "special/a+b.txt",
    "special/q?x=1#frag.txt",
    "special/this&that.txt",
    "with space.txt",
};

/* test_parse_fn adapters: parse, check a failure left nothing behind, free. */
static int parse_buckets(const struct aws_response *r, struct aws_error *e)
{
    struct s3_bucket_list l;
    int rc = s3_list_buckets_parse(r, &l, e);

    if (rc == -1)
        ck_assert_ptr_null(l.buckets);
    s3_bucket_list_free(&l);
    return rc;
}

static int parse_objects(const struct aws_response *r, struct aws_error *e)
{
    struct s3_object_list l;
    int rc = s3_list_objects_v2_parse(r, &l, e);

    if (rc == -1) {
        ck_assert_ptr_null(l.objects);
        ck_assert_int_eq(l.nobjects, 0);
    }
    s3_object_list_free(&l);
    return rc;
}

START_TEST(list_objects_request_encoding)
{
    struct aws_request r;
    struct s3_list_objects_params p = { .bucket = "opsdeck-data",
                                        .prefix = "dir/caf\xc3\xa9 x+&",
                                        .delimiter = "/", .continuation_token = "tok/+=",
                                        .max_keys = 50 };

    s3_list_objects_v2_request(&r, &p);
    ck_assert_str_eq(r.service, "s3");
    ck_assert_str_eq(r.action, "ListObjectsV2");
    ck_assert_str_eq(r.method, "GET");
    ck_assert(r.s3_rules);
    ck_assert_str_eq(r.path, "/opsdeck-data");
    ck_assert_str_eq(r.query, "list-type=2&encoding-type=url&prefix=dir%2Fcaf%C3%A9%20x%2B%26"
                              "&delimiter=%2F&continuation-token=tok%2F%2B%3D&max-keys=50");
    ck_assert_uint_eq(r.body.len, 0);
    aws_request_done(&r);

    memset(&p, 0, sizeof(p));
    p.bucket = "b";
    s3_list_objects_v2_request(&r, &p);
    ck_assert_str_eq(r.path, "/b");
    ck_assert_str_eq(r.query, "list-type=2&encoding-type=url");
    aws_request_done(&r);

    s3_list_buckets_request(&r);
    ck_assert_str_eq(r.method, "GET");
    ck_assert_str_eq(r.path, "/");
    ck_assert_str_eq(r.query, "");
    ck_assert(r.s3_rules);
    aws_request_done(&r);
}
END_TEST

START_TEST(list_buckets_real)
{
    struct aws_response resp;
    struct aws_error e;
    struct s3_bucket_list l;

    test_resp_file(&resp, "s3/list_buckets.xml");
    ck_assert_int_eq(s3_list_buckets_parse(&resp, &l, &e), 0);
    ck_assert_int_eq(l.n, 2);
    ck_assert_str_eq(l.buckets[0].name, "opsdeck-data");
    ck_assert_str_eq(l.buckets[1].name, "opsdeck-logs");
    ck_assert(l.buckets[0].created > 1700000000);
    ck_assert(strncmp(l.buckets[0].creation_date, "20", 2) == 0);
    ck_assert_str_eq(l.owner_name, "webfile");
    ck_assert_str_eq(l.owner_id, "bcaf1ffd86f41161ca5fb16fd081034f");
    s3_bucket_list_free(&l);
    aws_response_done(&resp);
}
END_TEST

START_TEST(list_buckets_malformed)
{
    static const struct test_mutation m[] = {
        { "<Name>opsdeck-logs</Name>", "<Name></Name>", "bucket 2 has no <Name>" },
        { "<CreationDate>", "<CreationDate>yesterday ", "<CreationDate> is not an ISO 8601" },
        { "ListAllMyBucketsResult xmlns", "Other xmlns", "not well-formed" },
        { "</ListAllMyBucketsResult>", "", "not well-formed" },
    };
    test_each_mutation("s3/list_buckets.xml", m, TEST_COUNT(m), "S3 ListBuckets: ", parse_buckets);
}
END_TEST

static void assert_all_keys(const char *file)
{
    struct aws_response resp;
    struct aws_error e;
    struct s3_object_list l;

    test_resp_file(&resp, file);
    ck_assert_int_eq(s3_list_objects_v2_parse(&resp, &l, &e), 0);
    ck_assert_str_eq(l.bucket, "opsdeck-data");
    ck_assert_int_eq(l.nobjects, 9);
    ck_assert_int_eq(l.key_count, 9);
    for (size_t i = 0; i < 9; i++)
        ck_assert_str_eq(l.objects[i].key, all_keys[i]);
    /* body is "content of " + key, so sizes follow the key's byte length */
    for (size_t i = 0; i < 9; i++)
        ck_assert_int_eq(l.objects[i].size, (int64_t)(strlen("content of ") + strlen(all_keys[i])));
    ck_assert_str_eq(l.objects[3].storage_class, "STANDARD");
    ck_assert(l.objects[3].etag[0] == '"');
    ck_assert(l.objects[3].mtime > 1700000000);
    ck_assert(!l.is_truncated);
    ck_assert_ptr_null(l.next_token);
    ck_assert_int_eq(l.nprefixes, 0);
    s3_object_list_free(&l);
    aws_response_done(&resp);
}

START_TEST(list_objects_keys_round_trip)
{
    assert_all_keys("s3/list_objects_v2_all.xml");
}
END_TEST

START_TEST(list_objects_plus_encoded_spaces_handwritten)
{
    /* real S3 sends a space as '+' (and '+' as %2B): same keys */
    assert_all_keys("s3/list_objects_v2_handwritten_plus_spaces.xml");
}
END_TEST

START_TEST(list_objects_delimiter)
{
    struct aws_response resp;
    struct aws_error e;
    struct s3_object_list l;

    test_resp_file(&resp, "s3/list_objects_v2_delimiter.xml");
    ck_assert_int_eq(s3_list_objects_v2_parse(&resp, &l, &e), 0);
    ck_assert_int_eq(l.nobjects, 2);
    ck_assert_str_eq(l.objects[0].key, "plain.txt");
    ck_assert_str_eq(l.objects[1].key, "with space.txt");
    ck_assert_int_eq(l.nprefixes, 2);
    ck_assert_str_eq(l.prefixes[0], "dir/");
    ck_assert_str_eq(l.prefixes[1], "special/");
    ck_assert_str_eq(l.delimiter, "/");
    ck_assert_str_eq(l.prefix, "");
    ck_assert_int_eq(l.key_count, 4);
    ck_assert_int_eq(l.max_keys, 1000);
    s3_object_list_free(&l);
    aws_response_done(&resp);
}
END_TEST

START_TEST(list_objects_utf8_prefix)
{
    struct aws_response resp;
    struct aws_error e;
    struct s3_object_list l;

    test_resp_file(&resp, "s3/list_objects_v2_prefix_utf8.xml");
    ck_assert_int_eq(s3_list_objects_v2_parse(&resp, &l, &e), 0);
    ck_assert_str_eq(l.prefix, "dir/caf\xc3\xa9 ");
    ck_assert_int_eq(l.nobjects, 1);
    ck_assert_str_eq(l.objects[0].key, all_keys[0]);
    s3_object_list_free(&l);
    aws_response_done(&resp);
}
END_TEST

START_TEST(list_objects_paging)
{
    struct aws_response resp;
    struct aws_error e;
    struct s3_object_list l;

    test_resp_file(&resp, "s3/list_objects_v2_page1.xml");
    ck_assert_int_eq(s3_list_objects_v2_parse(&resp, &l, &e), 0);
    ck_assert(l.is_truncated);
    ck_assert_str_eq(l.next_token, "83c8b39ff7243bf968a9163ee66e2295");
    ck_assert_int_eq(l.nobjects, 4);
    ck_assert_int_eq(l.max_keys, 4);
    ck_assert_str_eq(l.objects[0].key, all_keys[0]);
    s3_object_list_free(&l);
    aws_response_done(&resp);

    test_resp_file(&resp, "s3/list_objects_v2_page2.xml");
    ck_assert_int_eq(s3_list_objects_v2_parse(&resp, &l, &e), 0);
    ck_assert_int_eq(l.nobjects, 4);
    ck_assert_str_eq(l.objects[0].key, all_keys[4]);
    ck_assert_str_eq(l.objects[3].key, all_keys[7]);
    ck_assert(l.is_truncated);
    ck_assert_ptr_nonnull(l.next_token);
    s3_object_list_free(&l);
    aws_response_done(&resp);
}
END_TEST

START_TEST(list_objects_raw_keys_not_decoded)
{
    /* without <EncodingType>url</EncodingType> a '%' or '+' in a key is literal */
    struct aws_response resp;
    struct aws_error e;
    struct s3_object_list l;

    test_resp_str(&resp, "<ListBucketResult><Name>b</Name><IsTruncated>false</IsTruncated>"
                         "<Contents><Key>100%25 a+b</Key><Size>1</Size></Contents>"
                         "</ListBucketResult>");
    ck_assert_int_eq(s3_list_objects_v2_parse(&resp, &l, &e), 0);
    ck_assert_str_eq(l.objects[0].key, "100%25 a+b");
    ck_assert_int_eq(l.objects[0].mtime, -1);
    ck_assert_ptr_null(l.objects[0].etag);
    ck_assert_int_eq(l.key_count, -1);
    s3_object_list_free(&l);
    aws_response_done(&resp);
}
END_TEST

START_TEST(list_objects_malformed)
{
    static const struct test_mutation m[] = {
        { "<Size>20</Size>", "<Size>abc</Size>", "<Size> is not an integer" },
        { "<Size>20</Size>", "<Size>99999999999999999999999</Size>", "<Size>" },
        { "<Size>20</Size>", "<Size>-20</Size>", "<Size>" },
        { "<KeyCount>9</KeyCount>", "<KeyCount>nine</KeyCount>", "<KeyCount>" },
        { "<IsTruncated>false</IsTruncated>", "<IsTruncated>maybe</IsTruncated>",
          "<IsTruncated> is not true or false" },
        { "<IsTruncated>false</IsTruncated>", "<IsTruncated>true</IsTruncated>",
          "truncated listing without <NextContinuationToken>" },
        { "<Key>plain.txt</Key>", "<Key></Key>", "object 4 has no <Key>" },
        { "<LastModified>", "<LastModified>x", "<LastModified> is not an ISO 8601" },
        { "<ListBucketResult", "<!DOCTYPE r SYSTEM \"http://127.0.0.1:1/x.dtd\"><ListBucketResult",
          "DTD" },
    };
    test_each_mutation("s3/list_objects_v2_all.xml", m, TEST_COUNT(m), "S3 ListObjectsV2: ",
                       parse_objects);
}
END_TEST

START_TEST(truncated_bodies_never_crash)
{
    test_each_truncation("s3/list_buckets.xml", parse_buckets);
    test_each_truncation("s3/list_objects_v2_delimiter.xml", parse_objects);
}
END_TEST

static Suite *s3_suite(void)
{
    Suite *s = suite_create("s3");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, list_objects_request_encoding);
    tcase_add_test(tc, list_buckets_real);
    tcase_add_test(tc, list_buckets_malformed);
    tcase_add_test(tc, list_objects_keys_round_trip);
    tcase_add_test(tc, list_objects_plus_encoded_spaces_handwritten);
    tcase_add_test(tc, list_objects_delimiter);
    tcase_add_test(tc, list_objects_utf8_prefix);
    tcase_add_test(tc, list_objects_paging);
    tcase_add_test(tc, list_objects_raw_keys_not_decoded);
    tcase_add_test(tc, list_objects_malformed);
    tcase_add_test(tc, truncated_bodies_never_crash);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(s3_suite());
}
