/* test_textwidth.c - columns of UTF-8 text; cutting and padding keep tables aligned. */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "check_tap.h"
#include "util/textwidth.h"

#define ELL "…"

static void setup(void)
{
    ck_assert_ptr_nonnull(setlocale(LC_ALL, "C.UTF-8"));
}

static void cut_is(const char *s, int cols, const char *ell, const char *want)
{
    char *got = textwidth_truncate(s, cols, ell);

    ck_assert_str_eq(got, want);
    ck_assert_int_le(textwidth(got), cols < 0 ? 0 : cols);
    free(got);
}

static void fit_is(const char *s, int cols, bool right, const char *want)
{
    char *got = textwidth_fit(s, cols, ELL, right);

    ck_assert_str_eq(got, want);
    ck_assert_int_eq(textwidth(got), cols);
    free(got);
}

START_TEST(widths)
{
    ck_assert_int_eq(textwidth(""), 0);
    ck_assert_int_eq(textwidth("orders-intake.fifo"), 18);
    ck_assert_int_eq(textwidth("注文キュー"), 10);             /* CJK: 2 each */
    ck_assert_int_eq(textwidth("re\xcc\x81sume\xcc\x81"), 6);  /* e + U+0301, twice */
    ck_assert_int_eq(textwidth("résumé"), 6);                  /* precomposed */
    ck_assert_int_eq(textwidth("ok 👍"), 5);                   /* emoji: 2 */
    ck_assert_int_eq(textwidth("\xcc\x81x"), 1);               /* a mark with no base */
    ck_assert_int_eq(textwidth("a\xe2\x80\x8b" "b"), 2);       /* zero-width space */
    ck_assert_int_eq(textwidth("a\xff" "b"), 3);               /* stray byte: 1 */
}
END_TEST

START_TEST(truncate_ascii)
{
    cut_is("orders-intake", 20, ELL, "orders-intake");
    cut_is("orders-intake", 13, ELL, "orders-intake");
    cut_is("orders-intake", 12, ELL, "orders-inta…");
    cut_is("orders-intake", 1, ELL, "…");
    cut_is("orders-intake", 0, ELL, "");
    cut_is("orders-intake", -3, ELL, "");
    cut_is("orders-intake", 5, "...", "or...");
    cut_is("orders-intake", 2, "...", "or");  /* the ellipsis does not fit: plain cut */
    cut_is("orders-intake", 5, NULL, "order");
}
END_TEST

START_TEST(truncate_wide_at_the_boundary)
{
    /* 注文キュー is 10 columns; at 6 there is room for 5 + ellipsis: two CJK (4) fit,
     * the third would straddle column 5-6, so it is left out and the result is 5 wide */
    cut_is("注文キュー", 6, ELL, "注文…");
    cut_is("注文キュー", 7, ELL, "注文キ…");
    cut_is("注文キュー", 10, ELL, "注文キュー");
    cut_is("注文キュー", 9, ELL, "注文キュ…");
    cut_is("注文キュー", 2, ELL, "…");
    cut_is("a注b", 3, ELL, "a…");
    cut_is("👍👍👍", 4, ELL, "👍…");
}
END_TEST

START_TEST(truncate_keeps_combining_marks)
{
    /* "re\u0301sume\u0301-queue": the accent belongs to its e, never to the ellipsis */
    cut_is("re\xcc\x81sume\xcc\x81-queue", 3, ELL, "re\xcc\x81…");
    cut_is("re\xcc\x81sume\xcc\x81-queue", 2, ELL, "r…");
    cut_is("e\xcc\x81\xcc\x82x", 2, ELL, "e\xcc\x81\xcc\x82x");
    cut_is("e\xcc\x81\xcc\x82xy", 2, ELL, "e\xcc\x81\xcc\x82…");
    /* an emoji with a variation selector is one unit */
    cut_is("\xe2\x9d\xa4\xef\xb8\x8f" "abc", 2, ELL, "\xe2\x9d\xa4\xef\xb8\x8f" "…");
}
END_TEST

START_TEST(fit_pads_to_exact_columns)
{
    fit_is("sqs", 6, false, "sqs   ");
    fit_is("42", 5, true, "   42");
    fit_is("注文", 6, false, "注文  ");
    fit_is("注文キュー", 6, false, "注文… ");  /* one short after the cut: padded */
    fit_is("re\xcc\x81sume\xcc\x81", 8, false, "re\xcc\x81sume\xcc\x81  ");
    fit_is("orders-intake", 8, true, "orders-…");
    fit_is("", 3, false, "   ");
    fit_is("abc", 0, false, "");
    /* rows of different scripts line up */
    {
        const char *names[] = { "orders", "注文キュー", "re\xcc\x81sume\xcc\x81", "👍 alerts" };

        for (int i = 0; i < 4; i++) {
            char *cell = textwidth_fit(names[i], 8, ELL, false);

            ck_assert_int_eq(textwidth(cell), 8);
            free(cell);
        }
    }
}
END_TEST

/* The lines of a wrap joined by '|', for one-line comparisons. */
static char *wrapped(const char *s, int cols)
{
    static char out[1024];
    char **lines;
    size_t n = textwidth_wrap(s, cols, &lines);

    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(textwidth(lines[i]) <= (cols < 1 ? 1 : cols), "'%s' wider than %d",
                      lines[i], cols);
        if (i)
            strcat(out, "|");
        strcat(out, lines[i]);
        free(lines[i]);
    }
    free(lines);
    return out;
}

START_TEST(wrap_words_long_words_and_newlines)
{
    ck_assert_str_eq(wrapped("sort by the next column", 10), "sort by|the next|column");
    ck_assert_str_eq(wrapped("exactly ten", 11), "exactly ten");
    ck_assert_str_eq(wrapped("exactly ten", 10), "exactly|ten");
    ck_assert_str_eq(wrapped("a  b", 1), "a|b");   /* spaces at a break are dropped */
    /* a URL wider than the line is cut where the line is full */
    ck_assert_str_eq(wrapped("see https://sqs.eu-west-1.amazonaws.com/1/q", 16),
                     "see|https://sqs.eu-w|est-1.amazonaws.|com/1/q");
    ck_assert_str_eq(wrapped("one\ntwo words", 5), "one|two|words");
    ck_assert_str_eq(wrapped("", 5), "");
    ck_assert_str_eq(wrapped("x\n", 5), "x|");
    /* wide characters count two columns and are never split */
    ck_assert_str_eq(wrapped("注文キュー 注文", 6), "注文キ|ュー|注文");
    /* combining marks stay with their base */
    ck_assert_str_eq(wrapped("cafe\xcc\x81 cafe\xcc\x81", 4), "cafe\xcc\x81|cafe\xcc\x81");
    ck_assert_str_eq(wrapped("abc", 0), "a|b|c");  /* at least one column a line */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("textwidth");
    TCase *tc = tcase_create("textwidth");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, widths);
    tcase_add_test(tc, truncate_ascii);
    tcase_add_test(tc, truncate_wide_at_the_boundary);
    tcase_add_test(tc, truncate_keeps_combining_marks);
    tcase_add_test(tc, fit_pads_to_exact_columns);
    tcase_add_test(tc, wrap_words_long_words_and_newlines);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
