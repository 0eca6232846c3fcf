/* test_textfile.c - bounded line reading (util/textfile.h): normal lines, an empty file, a
 * last line without '\n', a NUL byte, a line over max_line (at and one past it), and a file
 * over max_bytes that has no NUL (a big log, not /dev/zero): every limit holds and the
 * reader says why and where. */
#include "config.h"
#include "check_tap.h"

#include <stdio.h>
#include <string.h>

#include "util/textfile.h"

/* A file holding exactly len bytes of text, rewound. */
static FILE *file_of(const char *text, size_t len)
{
    FILE *fp = tmpfile();

    ck_assert_ptr_nonnull(fp);
    ck_assert_uint_eq(fwrite(text, 1, len, fp), len);
    rewind(fp);
    return fp;
}

static void expect_line(struct textfile *tf, const char *line, int lineno)
{
    ck_assert_int_eq(textfile_next(tf), 1);
    ck_assert_str_eq(tf->line.data, line);
    ck_assert_int_eq(tf->lineno, lineno);
}

START_TEST(normal_file)
{
    FILE *fp = file_of("[default]\nregion = eu-west-1\n", 29);
    struct textfile tf;

    textfile_init(&tf, fp, 1024, 1 << 20);
    expect_line(&tf, "[default]\n", 1);
    expect_line(&tf, "region = eu-west-1\n", 2);
    ck_assert_int_eq(textfile_next(&tf), 0);
    ck_assert_int_eq(tf.lineno, 2);
    textfile_done(&tf);
    fclose(fp);
}
END_TEST

START_TEST(empty_file)
{
    FILE *fp = file_of("", 0);
    struct textfile tf;

    textfile_init(&tf, fp, 1024, 1 << 20);
    ck_assert_int_eq(textfile_next(&tf), 0);
    ck_assert_int_eq(tf.lineno, 0);
    ck_assert_int_eq(textfile_next(&tf), 0);
    textfile_done(&tf);
    fclose(fp);
}
END_TEST

START_TEST(no_final_newline)
{
    FILE *fp = file_of("a = 1\nlast = 2", 14);
    struct textfile tf;

    textfile_init(&tf, fp, 1024, 1 << 20);
    expect_line(&tf, "a = 1\n", 1);
    expect_line(&tf, "last = 2", 2);
    ck_assert_int_eq(textfile_next(&tf), 0);
    textfile_done(&tf);
    fclose(fp);
}
END_TEST

START_TEST(nul_byte)
{
    FILE *fp = file_of("ok\nx\0y\nnext\n", 12);
    struct textfile tf;

    textfile_init(&tf, fp, 1024, 1 << 20);
    expect_line(&tf, "ok\n", 1);
    ck_assert_int_eq(textfile_next(&tf), TEXTFILE_BAD_LINE);
    ck_assert_int_eq(tf.lineno, 2);
    ck_assert_str_eq(tf.why, "a NUL byte: this is not a text file");
    /* the rest of the bad line is skipped: the next call reads the next line */
    expect_line(&tf, "next\n", 3);
    ck_assert_int_eq(textfile_next(&tf), 0);
    textfile_done(&tf);
    fclose(fp);
}
END_TEST

START_TEST(over_long_line)
{
    /* max_line 8 counts the '\n': "1234567\n" is at the limit, "12345678\n" one past */
    const char *text = "1234567\n12345678\nafter\n";
    FILE *fp = file_of(text, strlen(text));
    struct textfile tf;

    textfile_init(&tf, fp, 8, 1 << 20);
    expect_line(&tf, "1234567\n", 1);
    ck_assert_int_eq(textfile_next(&tf), TEXTFILE_BAD_LINE);
    ck_assert_int_eq(tf.lineno, 2);
    ck_assert_str_eq(tf.why, "line longer than 8 bytes");
    expect_line(&tf, "after\n", 3);
    ck_assert_int_eq(textfile_next(&tf), 0);
    textfile_done(&tf);
    fclose(fp);
}
END_TEST

/* 2000 bytes of good lines against a 1 KiB cap: the first 102 lines (1020 bytes) are read,
 * the 103rd passes the cap and ends the reading, however the file goes on. */
START_TEST(over_size_file_without_nul)
{
    char text[2000];
    FILE *fp;
    struct textfile tf;
    int rc, good = 0;

    for (size_t i = 0; i < sizeof(text); i += 10)
        memcpy(text + i, "key = val\n", 10);
    fp = file_of(text, sizeof(text));
    textfile_init(&tf, fp, 1024, 1024);
    while ((rc = textfile_next(&tf)) == 1)
        good++;
    ck_assert_int_eq(rc, TEXTFILE_ERROR);
    ck_assert_int_eq(good, 102);
    ck_assert_int_eq(tf.lineno, 103);
    ck_assert_str_eq(tf.why, "the file is larger than 1 KiB; is it the right file?");
    textfile_done(&tf);
    fclose(fp);

    /* exactly at the cap: all of it, and the end */
    fp = file_of(text, 1020);
    textfile_init(&tf, fp, 1024, 1020);
    good = 0;
    while ((rc = textfile_next(&tf)) == 1)
        good++;
    ck_assert_int_eq(rc, 0);
    ck_assert_int_eq(good, 102);
    textfile_done(&tf);
    fclose(fp);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("textfile");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, normal_file);
    tcase_add_test(tc, empty_file);
    tcase_add_test(tc, no_final_newline);
    tcase_add_test(tc, nul_byte);
    tcase_add_test(tc, over_long_line);
    tcase_add_test(tc, over_size_file_without_nul);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
