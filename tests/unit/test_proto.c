/* test_proto.c - protocol helpers (JSON, query, REST paths, scalars) and safe XML reading. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aws_test_util.h"
#include "check_tap.h"
#include "core/proto.h"
#include "core/xmlutil.h"

/* ---- JSON ---- */

START_TEST(json_request_target_and_body)
{
    struct aws_request r;
    cJSON *body = cJSON_CreateObject();

    cJSON_AddStringToObject(body, "QueueNamePrefix", "a b");
    aws_request_init(&r, "sqs", "ListQueues", "GET");
    proto_json_request(&r, "AmazonSQS", "ListQueues", "1.0", body);
    ck_assert_str_eq(r.method, "POST");
    ck_assert_str_eq(r.path, "/");
    ck_assert_str_eq(r.query, "");
    ck_assert_str_eq(aws_request_header(&r, "content-type"), "application/x-amz-json-1.0");
    ck_assert_str_eq(aws_request_header(&r, "X-Amz-Target"), "AmazonSQS.ListQueues");
    ck_assert_str_eq(buf_str(&r.body), "{\"QueueNamePrefix\":\"a b\"}");
    aws_request_done(&r);

    aws_request_init(&r, "ssm", "GetParameter", "POST");
    proto_json_request(&r, "AmazonSSM", "GetParameter", "1.1", NULL);
    ck_assert_str_eq(aws_request_header(&r, "Content-Type"), "application/x-amz-json-1.1");
    ck_assert_str_eq(aws_request_header(&r, "X-Amz-Target"), "AmazonSSM.GetParameter");
    ck_assert_str_eq(buf_str(&r.body), "{}");
    aws_request_done(&r);
}
END_TEST

START_TEST(json_parse_rejects_non_objects)
{
    struct aws_error e;
    static const char *bad[] = { "", "   ", "{", "{\"a\":", "[1,2]", "\"str\"", "42", "null",
                                 "{} junk", "{\"a\":1}{", "<xml/>" };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        aws_error_clear(&e);
        ck_assert_msg(proto_json_parse(bad[i], strlen(bad[i]), &e) == NULL, "accepted '%s'",
                      bad[i]);
        ck_assert_int_eq(e.kind, AWS_ERR_PARSE);
        ck_assert(e.message[0] != '\0');
    }
    aws_error_clear(&e);
    ck_assert_ptr_null(proto_json_parse(NULL, 0, &e));
    ck_assert_parse_error(&e, "empty");
}
END_TEST

START_TEST(json_parse_respects_length)
{
    struct aws_error e;
    /* the parser must stop at len, not at the NUL */
    const char *s = "{\"a\":1}{\"b\":2}";
    cJSON *root = proto_json_parse(s, 7, &e);

    ck_assert_ptr_nonnull(root);
    ck_assert_ptr_null(cJSON_GetObjectItem(root, "b"));
    cJSON_Delete(root);
}
END_TEST

START_TEST(json_getters_types_and_ranges)
{
    struct aws_error e;
    const char *doc = "{\"s\":\"x\",\"n\":42,\"neg\":-1,\"frac\":1.5,\"huge\":99999999999999999999999,"
                      "\"b\":true,\"a\":[1],\"o\":{},\"nul\":null,\"big\":1e300}";
    cJSON *root = proto_json_parse(doc, strlen(doc), &e);
    const char *s = NULL;
    int64_t n = 7;
    double d = 0;
    bool b = false;
    const cJSON *a = NULL, *o = NULL;

    ck_assert_ptr_nonnull(root);
    ck_assert_int_eq(proto_json_string(root, "s", &s, &e), 1);
    ck_assert_str_eq(s, "x");
    ck_assert_int_eq(proto_json_string(root, "missing", &s, &e), 0);
    ck_assert_int_eq(proto_json_string(root, "nul", &s, &e), 0);
    ck_assert_str_eq(s, "x");
    ck_assert_int_eq(proto_json_string(root, "n", &s, &e), -1);
    ck_assert_parse_error(&e, "'n' is a number, expected a string");

    ck_assert_int_eq(proto_json_int64(root, "n", 0, 100, &n, &e), 1);
    ck_assert_int_eq(n, 42);
    ck_assert_int_eq(proto_json_int64(root, "n", 0, 10, &n, &e), -1);
    ck_assert_int_eq(n, 42);
    ck_assert_int_eq(proto_json_int64(root, "neg", 0, INT64_MAX, &n, &e), -1);
    ck_assert_int_eq(proto_json_int64(root, "neg", INT64_MIN, INT64_MAX, &n, &e), 1);
    ck_assert_int_eq(n, -1);
    ck_assert_int_eq(proto_json_int64(root, "frac", 0, INT64_MAX, &n, &e), -1);
    ck_assert_int_eq(proto_json_int64(root, "huge", 0, INT64_MAX, &n, &e), -1);
    ck_assert_parse_error(&e, "'huge'");
    ck_assert_int_eq(proto_json_int64(root, "big", INT64_MIN, INT64_MAX, &n, &e), -1);
    ck_assert_int_eq(proto_json_int64(root, "s", 0, 1, &n, &e), -1);
    ck_assert_parse_error(&e, "'s' is a string, expected an integer");

    ck_assert_int_eq(proto_json_double(root, "frac", &d, &e), 1);
    ck_assert(d == 1.5);
    ck_assert_int_eq(proto_json_double(root, "b", &d, &e), -1);
    ck_assert_int_eq(proto_json_bool(root, "b", &b, &e), 1);
    ck_assert(b);
    ck_assert_int_eq(proto_json_bool(root, "s", &b, &e), -1);
    ck_assert_int_eq(proto_json_array(root, "a", &a, &e), 1);
    ck_assert_int_eq(cJSON_GetArraySize(a), 1);
    ck_assert_int_eq(proto_json_array(root, "o", &a, &e), -1);
    ck_assert_parse_error(&e, "'o' is an object, expected an array");
    ck_assert_int_eq(proto_json_object(root, "o", &o, &e), 1);
    ck_assert_int_eq(proto_json_object(root, "a", &o, &e), -1);
    cJSON_Delete(root);
}
END_TEST

/* ---- Query ---- */

START_TEST(query_request_body_encoding)
{
    struct aws_request r;

    aws_request_init(&r, "sns", "GetTopicAttributes", "GET");
    proto_query_request(&r, "GetTopicAttributes", "2010-03-31", "TopicArn",
                        "arn:aws:sns:us-east-1:1:a b", NULL);
    proto_query_add(&r, "Name", "caf\xc3\xa9 +&=~");
    proto_query_addf(&r, "v", "Attribute.Name.%d", 3);
    proto_query_add(&r, "Empty", NULL);
    ck_assert_str_eq(r.method, "POST");
    ck_assert_str_eq(r.path, "/");
    ck_assert_str_eq(aws_request_header(&r, "Content-Type"),
                     "application/x-www-form-urlencoded; charset=utf-8");
    ck_assert_str_eq(buf_str(&r.body),
                     "Action=GetTopicAttributes&Version=2010-03-31"
                     "&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A1%3Aa%20b"
                     "&Name=caf%C3%A9%20%2B%26%3D~&Attribute.Name.3=v&Empty=");
    aws_request_done(&r);
}
END_TEST

/* ---- REST ---- */

START_TEST(rest_paths_encode_keys)
{
    char *k = proto_uri_key("dir/a b/caf\xc3\xa9+100%&x?y#z~_.-");
    char *s = proto_uri_segment("a/b c");
    struct aws_request r;

    ck_assert_str_eq(k, "dir/a%20b/caf%C3%A9%2B100%25%26x%3Fy%23z~_.-");
    ck_assert_str_eq(s, "a%2Fb%20c");
    aws_request_init(&r, "s3", "GetObject", "POST");
    proto_rest_request(&r, "GET", "/bucket/x%20y");
    ck_assert_str_eq(r.method, "GET");
    ck_assert_str_eq(r.path, "/bucket/x%20y");
    aws_request_done(&r);
    free(k);
    free(s);
}
END_TEST

/* ---- Scalars ---- */

START_TEST(parse_int64_strict)
{
    int64_t v = 5;

    ck_assert_int_eq(proto_parse_int64("0", 0, 10, &v), 0);
    ck_assert_int_eq(v, 0);
    ck_assert_int_eq(proto_parse_int64("9223372036854775807", 0, INT64_MAX, &v), 0);
    ck_assert(v == INT64_MAX);
    ck_assert_int_eq(proto_parse_int64("-9223372036854775808", INT64_MIN, 0, &v), 0);
    ck_assert(v == INT64_MIN);
    v = 5;
    static const char *bad[] = { "", "-", "+1", " 1", "1 ", "1a", "abc", "0x10", "1.0", "1e3",
                                 "9223372036854775808", "99999999999999999999999",
                                 "-9223372036854775809" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ck_assert_msg(proto_parse_int64(bad[i], INT64_MIN, INT64_MAX, &v) == -1, "accepted '%s'",
                      bad[i]);
    ck_assert_int_eq(proto_parse_int64("-1", 0, INT64_MAX, &v), -1);
    ck_assert_int_eq(proto_parse_int64("11", 0, 10, &v), -1);
    ck_assert_int_eq(v, 5);
    ck_assert_int_eq(proto_parse_int64(NULL, 0, 10, &v), -1);
}
END_TEST

START_TEST(parse_double_and_bool)
{
    double d = 0;
    bool b = false;

    ck_assert_int_eq(proto_parse_double("100.0", &d), 0);
    ck_assert(d == 100.0);
    ck_assert_int_eq(proto_parse_double("-2.5e1", &d), 0);
    ck_assert(d == -25.0);
    ck_assert_int_eq(proto_parse_double("nan", &d), -1);
    ck_assert_int_eq(proto_parse_double("inf", &d), -1);
    ck_assert_int_eq(proto_parse_double("1e999", &d), -1);
    ck_assert_int_eq(proto_parse_double("0x10", &d), -1);
    ck_assert_int_eq(proto_parse_double("1.0x", &d), -1);
    ck_assert_int_eq(proto_parse_double("", &d), -1);
    ck_assert_int_eq(proto_parse_bool("true", &b), 0);
    ck_assert(b);
    ck_assert_int_eq(proto_parse_bool("false", &b), 0);
    ck_assert(!b);
    ck_assert_int_eq(proto_parse_bool("True", &b), -1);
    ck_assert_int_eq(proto_parse_bool("1", &b), -1);
}
END_TEST

START_TEST(error_prefix_prepends_and_truncates)
{
    struct aws_error e;
    char longmsg[2000];

    aws_error_clear(&e);
    aws_error_set(&e, AWS_ERR_NETWORK, "'x' is bad");
    proto_error_prefix(&e, "SQS ListQueues");
    ck_assert_int_eq(e.kind, AWS_ERR_PARSE);
    ck_assert_str_eq(e.message, "SQS ListQueues: 'x' is bad");
    memset(longmsg, 'a', sizeof(longmsg) - 1);
    longmsg[sizeof(longmsg) - 1] = '\0';
    aws_error_set(&e, AWS_ERR_PARSE, "%s", longmsg);
    proto_error_prefix(&e, "CTX");
    ck_assert_int_eq(strlen(e.message), sizeof(e.message) - 1);
    ck_assert(strncmp(e.message, "CTX: aaa", 8) == 0);
}
END_TEST

/* ---- XML ---- */

START_TEST(xml_namespace_agnostic_lookup)
{
    static const char *docs[] = {
        "<R xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><L><member><V>1</V></member>"
        "<other/><member><V>2</V></member><member><V>3</V></member></L></R>",
        "<x:R xmlns:x=\"urn:x\"><x:L><x:member><x:V>1</x:V></x:member><x:member><x:V>2</x:V>"
        "</x:member><x:member><x:V>3</x:V></x:member></x:L></x:R>",
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<R><L><member><V>1</V></member><member>"
        "<V>2</V></member><member><V>3</V></member></L></R>",
    };

    for (size_t i = 0; i < 3; i++) {
        struct aws_error e;
        xmlDoc *doc = xml_parse(docs[i], strlen(docs[i]), &e);
        int64_t sum = 0, v;
        size_t n = 0;

        ck_assert_ptr_nonnull(doc);
        ck_assert(xml_name_is(xml_root(doc), "R"));
        XML_FOREACH(m, xml_path(xml_root(doc), "L"), "member") {
            ck_assert_int_eq(xml_child_int64(m, "V", 0, 10, &v, &e), 1);
            sum += v;
            n++;
        }
        ck_assert_int_eq(n, 3);
        ck_assert_int_eq(sum, 6);
        ck_assert_ptr_null(xml_path(xml_root(doc), "L/nothing"));
        ck_assert_ptr_null(xml_child(NULL, "x"));
        xml_free(doc);
    }
}
END_TEST

START_TEST(xml_text_and_typed_getters)
{
    struct aws_error e;
    const char *s = "<R><T>a &amp; b &#233;</T><E/><N>12</N><Bad>abc</Bad><Huge>"
                    "99999999999999999999999</Huge><Neg>-1</Neg><B>true</B><BB>yes</BB>"
                    "<D>1.5</D></R>";
    xmlDoc *doc = xml_parse(s, strlen(s), &e);
    xmlNode *r = xml_root(doc);
    char *t = NULL;
    int64_t n = 77;
    bool b = false;
    double d = 0;

    ck_assert_ptr_nonnull(doc);
    ck_assert_int_eq(xml_child_text(r, "T", &t, &e), 1);
    ck_assert_str_eq(t, "a & b \xc3\xa9");
    free(t);
    ck_assert_int_eq(xml_child_text(r, "E", &t, &e), 1);
    ck_assert_str_eq(t, "");
    free(t);
    ck_assert_int_eq(xml_child_text(r, "Missing", &t, &e), 0);
    ck_assert_int_eq(xml_child_int64(r, "N", 0, 100, &n, &e), 1);
    ck_assert_int_eq(n, 12);
    ck_assert_int_eq(xml_child_int64(r, "Bad", 0, INT64_MAX, &n, &e), -1);
    ck_assert_parse_error(&e, "<Bad> is not an integer");
    ck_assert_int_eq(xml_child_int64(r, "Huge", 0, INT64_MAX, &n, &e), -1);
    ck_assert_parse_error(&e, "99999999999999999999999");
    ck_assert_int_eq(xml_child_int64(r, "Neg", 0, INT64_MAX, &n, &e), -1);
    ck_assert_int_eq(n, 12);
    ck_assert_int_eq(xml_child_int64(r, "Missing", 0, 1, &n, &e), 0);
    ck_assert_int_eq(xml_child_bool(r, "B", &b, &e), 1);
    ck_assert(b);
    ck_assert_int_eq(xml_child_bool(r, "BB", &b, &e), -1);
    ck_assert_int_eq(xml_child_double(r, "D", &d, &e), 1);
    ck_assert(d == 1.5);
    ck_assert_int_eq(xml_child_double(r, "Bad", &d, &e), -1);
    xml_free(doc);
}
END_TEST

START_TEST(xml_rejects_malformed)
{
    static const char *bad[] = {
        "", "<R>", "<R><a></R>", "not xml", "<R></R><S/>", "<R>&undefined;</R>",
        "<?xml version=\"1.0\"?>",
    };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct aws_error e;
        aws_error_clear(&e);
        ck_assert_msg(xml_parse(bad[i], strlen(bad[i]), &e) == NULL, "accepted '%s'", bad[i]);
        ck_assert_int_eq(e.kind, AWS_ERR_PARSE);
        ck_assert(e.message[0] != '\0');
    }
}
END_TEST

START_TEST(xml_rejects_dtd_and_entities)
{
    /* billion laughs, external entity, external DTD, parameter entity: all refused before
     * any expansion, with a message that says why */
    static const char *bad[] = {
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
        "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
        "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">]>"
        "<lolz>&lol4;</lolz>",
        "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>",
        "<!DOCTYPE r SYSTEM \"http://127.0.0.1:1/evil.dtd\"><r/>",
        "<!DOCTYPE r [<!ENTITY % p SYSTEM \"http://127.0.0.1:1/p\"> %p;]><r/>",
        "<!DOCTYPE r><r/>",
    };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct aws_error e;
        aws_error_clear(&e);
        ck_assert_msg(xml_parse(bad[i], strlen(bad[i]), &e) == NULL, "accepted doc %zu", i);
        ck_assert_parse_error(&e, "DTD");
    }
}
END_TEST

START_TEST(xml_query_result_checks_root)
{
    struct aws_error e;
    const char *ok = "<FooResponse xmlns=\"urn:x\"><FooResult><A>1</A></FooResult></FooResponse>";
    const char *errbody = "<ErrorResponse><Error><Code>Throttling</Code></Error></ErrorResponse>";
    const char *nores = "<FooResponse><ResponseMetadata/></FooResponse>";
    xmlDoc *doc = xml_parse(ok, strlen(ok), &e);

    ck_assert_ptr_nonnull(xml_query_result(doc, "Foo", &e));
    xml_free(doc);
    doc = xml_parse(errbody, strlen(errbody), &e);
    ck_assert_ptr_null(xml_query_result(doc, "Foo", &e));
    ck_assert_parse_error(&e, "expected <FooResponse>, got <ErrorResponse>");
    xml_free(doc);
    doc = xml_parse(nores, strlen(nores), &e);
    ck_assert_ptr_null(xml_query_result(doc, "Foo", &e));
    ck_assert_parse_error(&e, "no <FooResult>");
    xml_free(doc);
}
END_TEST

START_TEST(base64_round_trip_and_strictness)
{
    static const struct {
        const char *in, *b64;
    } ok[] = {
        { "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" },
        { "foob", "Zm9vYg==" }, { "\x00\x01\xff", "AAH/" },
    };
    static const char *const bad[] = {
        "Zg=", "Zg", "Z", "Zm9v=", "Zg==Zg==", "Zm9v Zg==", "Zm-v", "Zm9\x1b", "=Zm9", "Zg=a",
        "Z===",
    };
    unsigned char *out;
    size_t len;

    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        size_t n = i == 5 ? 3 : strlen(ok[i].in);
        char *e = proto_base64_encode(ok[i].in, n);
        ck_assert_str_eq(e, ok[i].b64);
        free(e);
        ck_assert_int_eq(proto_base64_decode(ok[i].b64, &out, &len), 0);
        ck_assert_uint_eq(len, n);
        ck_assert_mem_eq(out, ok[i].in, n);
        ck_assert_int_eq(out[len], 0);
        free(out);
    }
    /* line breaks, as some encoders wrap, are skipped */
    ck_assert_int_eq(proto_base64_decode("Zm9v\r\nYg==\n", &out, &len), 0);
    ck_assert_str_eq((char *)out, "foob");
    free(out);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        out = (unsigned char *)"x";
        ck_assert_msg(proto_base64_decode(bad[i], &out, &len) == -1, "'%s' accepted", bad[i]);
        ck_assert_ptr_null(out);
    }
}
END_TEST

START_TEST(json_conveniences)
{
    struct aws_error e;
    cJSON *o = cJSON_Parse("{\"s\":\"v\",\"n\":null,\"num\":5,\"l\":[\"a\",\"b\"],"
                           "\"lb\":[\"a\",1],\"m\":{\"k\":\"v\",\"k2\":\"w\"},"
                           "\"mb\":{\"k\":2},\"t\":1796291994.513,\"tneg\":-1,"
                           "\"tbig\":1e300,\"b\":true,\"bs\":\"false\",\"bx\":\"yes\","
                           "\"tok\":\"\",\"tok2\":\"abc\"}");
    char *str = (char *)"x", **list;
    struct kv *kv;
    size_t n;
    int64_t t;
    bool b;

    ck_assert_int_eq(proto_json_strdup(o, "s", &str, &e), 1);
    ck_assert_str_eq(str, "v");
    free(str);
    ck_assert_int_eq(proto_json_strdup(o, "n", &str, &e), 0);
    ck_assert_ptr_null(str);
    ck_assert_int_eq(proto_json_strdup(o, "num", &str, &e), -1);
    ck_assert_ptr_null(str);
    ck_assert_int_eq(proto_json_string_list(o, "l", &list, &n, &e), 1);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(list[1], "b");
    free(list[0]);
    free(list[1]);
    free(list);
    ck_assert_int_eq(proto_json_string_list(o, "lb", &list, &n, &e), -1);
    ck_assert_ptr_null(list);
    ck_assert_str_eq(e.message, "'lb' item 1 is not a string");
    ck_assert_int_eq(proto_json_string_map(o, "m", &kv, &n, &e), 1);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(kv_get(kv, n, "k2"), "w");
    ck_assert_ptr_null(kv_get(kv, n, "K2"));
    kv_free_array(kv, n);
    ck_assert_int_eq(proto_json_string_map(o, "mb", &kv, &n, &e), -1);
    ck_assert_ptr_null(kv);
    ck_assert_int_eq(proto_json_epoch(o, "t", &t, &e), 1);
    ck_assert_int_eq(t, 1796291994);
    ck_assert_int_eq(proto_json_epoch(o, "tneg", &t, &e), -1);
    ck_assert_int_eq(proto_json_epoch(o, "tbig", &t, &e), -1);
    ck_assert_int_eq(proto_json_epoch(o, "absent", &t, &e), 0);
    ck_assert_int_eq(t, -1);
    ck_assert_int_eq(proto_json_bool_or_string(o, "b", &b, &e), 1);
    ck_assert(b);
    ck_assert_int_eq(proto_json_bool_or_string(o, "bs", &b, &e), 1);
    ck_assert(!b);
    ck_assert_int_eq(proto_json_bool_or_string(o, "bx", &b, &e), -1);
    ck_assert_int_eq(proto_json_bool_or_string(o, "num", &b, &e), -1);
    /* an empty token is the last page */
    ck_assert_int_eq(proto_json_next_token(o, "tok", &str, &e), 0);
    ck_assert_ptr_null(str);
    ck_assert_int_eq(proto_json_next_token(o, "tok2", &str, &e), 1);
    ck_assert_str_eq(str, "abc");
    free(str);
    ck_assert_int_eq(proto_json_next_token(o, "num", &str, &e), -1);
    cJSON_Delete(o);
}
END_TEST

static Suite *proto_suite(void)
{
    Suite *s = suite_create("proto");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, json_request_target_and_body);
    tcase_add_test(tc, json_parse_rejects_non_objects);
    tcase_add_test(tc, json_parse_respects_length);
    tcase_add_test(tc, json_getters_types_and_ranges);
    tcase_add_test(tc, query_request_body_encoding);
    tcase_add_test(tc, rest_paths_encode_keys);
    tcase_add_test(tc, parse_int64_strict);
    tcase_add_test(tc, parse_double_and_bool);
    tcase_add_test(tc, error_prefix_prepends_and_truncates);
    tcase_add_test(tc, xml_namespace_agnostic_lookup);
    tcase_add_test(tc, xml_text_and_typed_getters);
    tcase_add_test(tc, xml_rejects_malformed);
    tcase_add_test(tc, xml_rejects_dtd_and_entities);
    tcase_add_test(tc, xml_query_result_checks_root);
    tcase_add_test(tc, base64_round_trip_and_strictness);
    tcase_add_test(tc, json_conveniences);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(proto_suite());
}
