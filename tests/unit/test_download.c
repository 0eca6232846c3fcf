/* test_download.c - the file name a download takes from an S3 key (act/download.h): keys
 * are arbitrary bytes, and none may lead outside the chosen directory or put a control
 * character, a bidi override or invalid UTF-8 into a file name. */
#include "config.h"
#include "check_tap.h"

#include <stdlib.h>
#include <string.h>

#include "act/download.h"

static void name_is(const char *key, const char *want)
{
    char *got = download_safe_name(key);

    ck_assert_msg(strcmp(got, want) == 0, "key \"%s\": got \"%s\", want \"%s\"",
                  key ? key : "(null)", got, want);
    free(got);
}

START_TEST(last_segment)
{
    name_is("reports/2026/day.csv", "day.csv");
    name_is("plain.txt", "plain.txt");
    name_is("dir/caf\xc3\xa9 \xe6\x97\xa5" ".txt", "caf\xc3\xa9 \xe6\x97\xa5" ".txt");
    name_is("dir/.hidden", ".hidden");
}
END_TEST

START_TEST(never_leaves_the_directory)
{
    name_is("../../etc/passwd", "passwd");
    name_is("/etc/shadow", "shadow");
    name_is("..", "download");
    name_is(".", "download");
    name_is("dir/..", "download");
    name_is("dir/.", "download");
    name_is("dir/", "download");
    name_is("", "download");
    name_is(NULL, "download");
    name_is("a\\..\\..\\b", "a_.._.._b");
}
END_TEST

START_TEST(malformed_bytes)
{
    name_is("x/\x1b[2Jclear", "_[2Jclear");
    name_is("x/tab\there\r\n", "tab_here__");
    name_is("x/del\x7f", "del_");
    name_is("x/\xe2\x80\xae" "evil.txt", "_evil.txt");         /* U+202E */
    name_is("x/\xe2\x81\xa6iso", "_iso");                   /* U+2066 */
    name_is("x/\xc2\x9b" "c1", "_c1");                      /* U+009B, a C1 CSI */
    name_is("x/bad\xff\xfe" "utf8", "bad__utf8");
    name_is("x/cut\xe6\x97", "cut__");                      /* a sequence cut short */
    name_is("x/\xc0\xaf", "__");                            /* an overlong '/' */
}
END_TEST

START_TEST(length_capped_on_a_character)
{
    char key[1200], *got;

    memset(key, 'a', 199);
    strcpy(key + 199, "\xe6\x97\xa5\xe6\x97\xa5");  /* 199 + 3 would pass 200 */
    got = download_safe_name(key);
    ck_assert_uint_eq(strlen(got), 199);
    free(got);
    for (size_t i = 0; i < 1000; i++)
        key[i] = 'b';
    key[1000] = '\0';
    got = download_safe_name(key);
    ck_assert_uint_eq(strlen(got), 200);
    free(got);
}
END_TEST

START_TEST(default_path_joins)
{
    char *p = download_default_path("/tmp/dl", "a/../../b.bin");

    ck_assert_str_eq(p, "/tmp/dl/b.bin");
    free(p);
    p = download_default_path("/tmp/dl/", "..");
    ck_assert_str_eq(p, "/tmp/dl/download");
    free(p);
    p = download_default_path(NULL, "k.txt");
    ck_assert(p[0] == '/' && strcmp(p + strlen(p) - 6, "/k.txt") == 0);
    free(p);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("download");
    TCase *tc = tcase_create("download");

    tcase_add_test(tc, last_segment);
    tcase_add_test(tc, never_leaves_the_directory);
    tcase_add_test(tc, malformed_bytes);
    tcase_add_test(tc, length_capped_on_a_character);
    tcase_add_test(tc, default_path_joins);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
