/* test_exportpayload.c - the payload fields of an export line: text as a JSON string that
 * cJSON (an independent reader) takes back byte for byte, whatever quotes, backslashes and
 * control characters it holds; anything that is not text (invalid UTF-8, a NUL, binary)
 * as base64 that decodes to the same bytes, also across the writer's 48 KiB pieces. */
#include "config.h"
#include "check_tap.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/exportpayload.h"
#include "core/proto.h"

/* The fields written for data, wrapped in braces and parsed; the caller deletes. */
static cJSON *written(const char *data, size_t len)
{
    char *out = NULL;
    size_t outlen = 0;
    FILE *fp = open_memstream(&out, &outlen);
    cJSON *o;

    ck_assert_ptr_nonnull(fp);
    fputc('{', fp);
    ck_assert_int_eq(export_payload_write_fields(fp, data, len), 0);
    fputc('}', fp);
    fclose(fp);
    o = cJSON_Parse(out);
    ck_assert_msg(o != NULL, "not JSON: %.200s", out);
    ck_assert_int_eq(cJSON_GetArraySize(o), 1);
    free(out);
    return o;
}

static void assert_text(const char *data, size_t len)
{
    cJSON *o = written(data, len);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "Payload");

    ck_assert(cJSON_IsString(v));
    ck_assert_uint_eq(strlen(v->valuestring), len);
    ck_assert(memcmp(v->valuestring, data, len) == 0);
    cJSON_Delete(o);
}

static void assert_base64(const char *data, size_t len)
{
    cJSON *o = written(data, len);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "PayloadBase64");
    unsigned char *dec = NULL;
    size_t declen = 0;

    ck_assert(cJSON_IsString(v));
    ck_assert_int_eq(proto_base64_decode(v->valuestring, &dec, &declen), 0);
    ck_assert_uint_eq(declen, len);
    ck_assert(len == 0 || memcmp(dec, data, len) == 0);
    free(dec);
    cJSON_Delete(o);
}

START_TEST(text_round_trips)
{
    static const char json[] = "{\"order\": 42, \"note\": \"caf\xc3\xa9 \\\\ done\"}\n";
    static const char ctl[] = "tab\there\r\nbell\a esc\x1b[31m del\x7f quote\" slash/";

    assert_text("", 0);
    assert_text(json, sizeof(json) - 1);
    assert_text(ctl, sizeof(ctl) - 1);
    assert_text("\xf0\x9f\x98\x80 \xe2\x80\xae", 8);   /* an emoji, a bidi override */
}
END_TEST

START_TEST(not_text_goes_base64)
{
    static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    char *big = malloc(200 * 1024);

    assert_base64(png, sizeof(png) - 1);
    assert_base64("a\0b", 3);                       /* valid UTF-8, but a NUL */
    assert_base64("caf\xc3", 4);                    /* a character cut at the end */
    assert_base64("\xc0\x80", 2);                   /* an overlong NUL */
    assert_base64("\xed\xa0\x80", 3);               /* a surrogate */
    /* over several of the writer's pieces, with a length that is not a multiple of 3 */
    for (size_t i = 0; i < 200 * 1024; i++)
        big[i] = (char)(i * 7 + (i >> 8));
    assert_base64(big, 200 * 1024 - 1);
    free(big);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("exportpayload");
    TCase *tc = tcase_create("exportpayload");

    tcase_add_test(tc, text_round_trips);
    tcase_add_test(tc, not_text_goes_base64);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
