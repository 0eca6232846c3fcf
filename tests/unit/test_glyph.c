/* test_glyph.c - glyph tables chosen by locale or --ascii, and sparklines. */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_tap.h"
#include "look/glyph.h"
#include "util/textwidth.h"

static void utf8_locale(void)
{
    ck_assert_ptr_nonnull(setlocale(LC_ALL, "C.UTF-8"));
}

static void spark_is(const struct glyphs *g, const double *v, size_t n, int width,
                     const char *want)
{
    char *got = glyph_sparkline(g, v, n, width);

    ck_assert_str_eq(got, want);
    free(got);
}

START_TEST(selection_by_locale_and_flag)
{
    utf8_locale();
    ck_assert(glyph_locale_is_utf8());
    ck_assert_ptr_eq(glyphs_select(false), &glyphs_utf8);
    ck_assert_ptr_eq(glyphs_select(true), &glyphs_ascii);
    ck_assert_str_eq(glyphs_select(false)->spark[0], "▁");
    ck_assert_str_eq(glyphs_select(true)->g[GLYPH_HLINE], "-");

    ck_assert_ptr_nonnull(setlocale(LC_ALL, "C"));
    ck_assert(!glyph_locale_is_utf8());
    ck_assert_ptr_eq(glyphs_select(false), &glyphs_ascii);
    ck_assert(!glyphs_select(false)->utf8);
}
END_TEST

START_TEST(every_glyph_is_one_column)
{
    const struct glyphs *tables[] = { &glyphs_utf8, &glyphs_ascii };

    utf8_locale();
    for (int t = 0; t < 2; t++) {
        for (int i = 0; i < GLYPH_N; i++) {
            ck_assert_msg(tables[t]->g[i] != NULL, "table %d lacks glyph %d", t, i);
            ck_assert_msg(textwidth(tables[t]->g[i]) == 1, "glyph %d of table %d is %d "
                          "columns", i, t, textwidth(tables[t]->g[i]));
        }
        for (int i = 0; i < GLYPH_SPARK_LEVELS; i++) {
            ck_assert_int_eq(textwidth(tables[t]->spark[i]), 1);
            ck_assert_str_ne(tables[t]->spark[i], tables[t]->spark_gap);
        }
    }
    /* the ASCII table is ASCII */
    for (int i = 0; i < GLYPH_N; i++)
        for (const char *p = glyphs_ascii.g[i]; *p; p++)
            ck_assert_int_lt((unsigned char)*p, 0x80);
    for (int i = 0; i < GLYPH_SPARK_LEVELS; i++)
        ck_assert_int_lt((unsigned char)glyphs_ascii.spark[i][0], 0x80);
    for (int t = 0; t < 2; t++)
        for (int i = 0; i < GLYPH_SPIN_FRAMES; i++)
            ck_assert_msg(tables[t]->spin[i] && textwidth(tables[t]->spin[i]) == 1,
                          "spinner frame %d of table %d is not one column", i, t);
    for (int i = 0; i < GLYPH_SPIN_FRAMES; i++)
        ck_assert_msg(strlen(glyphs_ascii.spin[i]) == 1 &&
                      (unsigned char)glyphs_ascii.spin[i][0] < 0x80,
                      "ASCII spinner frame %d", i);
    ck_assert_str_eq(glyphs_utf8.g[GLYPH_ELLIPSIS], "…");
    ck_assert_str_eq(glyphs_utf8.g[GLYPH_VLINE], "│");
}
END_TEST

START_TEST(sparkline_scales_to_min_max)
{
    static const double ramp[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
    static const double scaled[] = { 100, 200, 800 };  /* 0, 1/7, 1 of the range */
    static const double neg[] = { -5, 0, 5 };

    spark_is(&glyphs_utf8, ramp, 8, 8, "▁▂▃▄▅▆▇█");
    spark_is(&glyphs_ascii, ramp, 8, 8, "_.-:=+*#");
    spark_is(&glyphs_utf8, scaled, 3, 3, "▁▂█");
    spark_is(&glyphs_utf8, neg, 3, 3, "▁▅█");
}
END_TEST

START_TEST(sparkline_flat_series)
{
    static const double zeros[] = { 0, 0, 0, 0 };
    static const double busy[] = { 42, 42, 42 };
    static const double one[] = { 9 };

    spark_is(&glyphs_utf8, zeros, 4, 4, "▁▁▁▁");
    spark_is(&glyphs_utf8, busy, 3, 3, "▄▄▄");  /* not mistaken for an empty queue */
    spark_is(&glyphs_ascii, busy, 3, 3, ":::");
    spark_is(&glyphs_utf8, one, 1, 1, "▄");
}
END_TEST

START_TEST(sparkline_gaps_and_width)
{
    static const double gappy[] = { 1, NAN, 3, INFINITY, 2 };
    static const double none[] = { NAN, NAN };
    static const double many[] = { 9, 9, 9, 0, 1, 2 };
    static const double huge[] = { -1e308, 1e308, 0 };

    spark_is(&glyphs_utf8, gappy, 5, 5, "▁ █ ▅");
    spark_is(&glyphs_utf8, none, 2, 2, "  ");
    /* fewer values than columns: gaps on the left, newest at the right edge */
    spark_is(&glyphs_utf8, gappy, 5, 7, "  ▁ █ ▅");
    /* more: the newest `width` only, scaled among themselves (the 9s are gone) */
    spark_is(&glyphs_utf8, many, 6, 3, "▁▅█");
    spark_is(&glyphs_utf8, many, 0, 3, "   ");
    spark_is(&glyphs_utf8, many, 6, 0, "");
    spark_is(&glyphs_utf8, many, 6, -4, "");
    spark_is(&glyphs_utf8, huge, 3, 3, "▁█▅");
}
END_TEST

static void scaled_is(const double *v, size_t n, int width, double lo, double hi,
                      const char *want)
{
    char *got = glyph_sparkline_scaled(&glyphs_utf8, v, n, width, lo, hi);

    ck_assert_msg(strcmp(got, want) == 0, "got '%s', want '%s'", got, want);
    free(got);
}

/* One scale for the whole view: a quiet queue next to a busy one stays low, one message is
 * not drawn as none, and the busy one reaches the top. */
START_TEST(sparkline_shared_scale)
{
    static const double quiet[] = { 0, 1, 2, 1 };
    static const double busy[] = { 0, 2500, 5000, 4000 };
    static const double gappy[] = { NAN, 7000, -3 };

    scaled_is(quiet, 4, 4, 0, 5000, "▁▂▂▂");
    scaled_is(busy, 4, 4, 0, 5000, "▁▅█▇");
    scaled_is(quiet, 4, 6, 0, 2, "  ▁▅█▅");       /* the same rows when 2 is the top */
    scaled_is(gappy, 3, 3, 0, 5000, " █▁");        /* clamped, unknown a gap */
    scaled_is(quiet, 4, 4, 0, 0, "▁▁▁▁");          /* no range: the floor */
    scaled_is(quiet, 4, 4, 0, NAN, "▁▁▁▁");
    scaled_is(busy, 4, 0, 0, 5000, "");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("glyph");
    TCase *tc = tcase_create("glyph");

    tcase_add_test(tc, selection_by_locale_and_flag);
    tcase_add_test(tc, every_glyph_is_one_column);
    tcase_add_test(tc, sparkline_scales_to_min_max);
    tcase_add_test(tc, sparkline_flat_series);
    tcase_add_test(tc, sparkline_gaps_and_width);
    tcase_add_test(tc, sparkline_shared_scale);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
