/* test_jsonnum.c - integers in JSON output are exact up to 2^63-1 (and down to -2^63),
 * where a double would print 2^53+1 as 9007199254740992 or 9.00719925474099e+15, and they
 * read back as numbers. */
#include "config.h"
#include "check_tap.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/jsonnum.h"

static void prints_as(int64_t v, const char *want)
{
    cJSON *o = cJSON_CreateObject();
    char *text, expect[64];

    json_add_int64(o, "n", v);
    text = cJSON_PrintUnformatted(o);
    snprintf(expect, sizeof(expect), "{\"n\":%s}", want);
    ck_assert_str_eq(text, expect);

    /* the text is a JSON number to a reader: parsed back, it is a number */
    cJSON *back = cJSON_Parse(text);
    ck_assert_ptr_nonnull(back);
    ck_assert(cJSON_IsNumber(cJSON_GetObjectItem(back, "n")));
    cJSON_Delete(back);
    free(text);
    cJSON_Delete(o);
}

START_TEST(exact_integers)
{
    prints_as(0, "0");
    prints_as(-1, "-1");
    prints_as(9007199254740992LL, "9007199254740992");       /* 2^53 */
    prints_as(9007199254740993LL, "9007199254740993");       /* 2^53 + 1: no double has it */
    prints_as(123456789012345678LL, "123456789012345678");
    prints_as(INT64_MAX, "9223372036854775807");
    prints_as(INT64_MIN, "-9223372036854775808");
}
END_TEST

START_TEST(in_arrays_and_formatted)
{
    cJSON *a = cJSON_CreateArray();
    char *text;

    cJSON_AddItemToArray(a, json_int64(INT64_MAX));
    cJSON_AddItemToArray(a, json_int64(42));
    text = cJSON_Print(a);
    ck_assert_ptr_nonnull(strstr(text, "9223372036854775807"));
    ck_assert_ptr_null(strstr(text, "e+"));
    free(text);
    cJSON_Delete(a);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("jsonnum");
    TCase *tc = tcase_create("jsonnum");

    tcase_add_test(tc, exact_integers);
    tcase_add_test(tc, in_arrays_and_formatted);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
