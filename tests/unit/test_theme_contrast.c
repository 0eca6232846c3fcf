/* test_theme_contrast.c - every shipped theme is readable at 8, 16 and 256 colours.
 *
 * Each element is resolved as the console resolves it for a terminal with that many
 * colours (theme_resolve: RGB -> 256 -> 16 -> 8, the normal element's colours for
 * "default"), its foreground and background become RGB through xterm's default palette
 * (theme_256_to_rgb), reverse video swaps them, and the WCAG 2 contrast ratio of the pair
 * must be at least 4.5:1 for text and 3:1 for what is meant to be dim (stale values, dim
 * notes, borders, sparklines: WCAG's figure for non-text and incidental content).
 *
 * "default" with no normal colour is the terminal's own: the reference is a dark terminal
 * with xterm's white (#e5e5e5) on black, which is what the themes that leave the screen
 * to the terminal are made for (the light theme paints its own). Bold and dim are not
 * counted: a bright foreground stepped down to 8 colours is taken at its base colour, the
 * darker one, so a terminal that does not brighten bold is covered.
 *
 * Also: the selection never looks like the footer or the header, and not like a plain row,
 * at any depth. */
#include "config.h"
#include "check_tap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "look/theme.h"
#include "util/xalloc.h"

static const char *const shipped[] = { "default", "light", "monochrome", "high-contrast" };
static const int depths[] = { 8, 16, 256 };

#define TERM_FG 0xe5e5e5  /* a dark terminal's own text: xterm's white */
#define TERM_BG 0x000000

/* Elements meant to be dim: 3:1. Everything else is text: 4.5:1. */
static bool dim_element(int e)
{
    return e == THEME_STALE || e == THEME_DIM || e == THEME_BORDER || e == THEME_SPARKLINE;
}

static double channel(int v)
{
    double c = v / 255.0;

    return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

/* WCAG 2 relative luminance. */
static double luminance(int rgb)
{
    return 0.2126 * channel((rgb >> 16) & 0xff) + 0.7152 * channel((rgb >> 8) & 0xff) +
           0.0722 * channel(rgb & 0xff);
}

static double contrast(int a, int b)
{
    double la = luminance(a), lb = luminance(b);

    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

static char *themes_dir(void)
{
    const char *top = getenv("TOP_SRCDIR");

    return xasprintf("%s/themes", top && *top ? top : ".");
}

/* An element's colours as RGB on the terminal (reverse applied). */
static void element_rgb(const struct theme_style *r, int *fg, int *bg)
{
    int f = r->fg < 0 ? TERM_FG : theme_256_to_rgb(r->fg);
    int b = r->bg < 0 ? TERM_BG : theme_256_to_rgb(r->bg);

    if (r->attrs & (THEME_ATTR_REVERSE | THEME_ATTR_STANDOUT)) {
        int t = f;

        f = b;
        b = t;
    }
    *fg = f;
    *bg = b;
}

static void load(struct theme *t, const char *name)
{
    char *dir = themes_dir(), *path = xasprintf("%s/%s.theme", dir, name);

    theme_init(t);
    ck_assert_msg(theme_load_file(t, path) == 0 && t->n_issues == 0, "%s does not load", path);
    free(path);
    free(dir);
}

/* The check itself, reported per theme so that a failing theme names every element that
 * fails, at which depth, with its ratio. */
static void check_theme(const char *name)
{
    struct theme t;
    char failures[4096] = "";

    load(&t, name);
    for (size_t d = 0; d < sizeof(depths) / sizeof(depths[0]); d++) {
        struct theme_style r[THEME_N_ELEMENTS];

        theme_resolve(&t, depths[d], r);
        for (int e = 0; e < THEME_N_ELEMENTS; e++) {
            int fg, bg;
            double ratio, need = dim_element(e) ? 3.0 : 4.5;

            element_rgb(&r[e], &fg, &bg);
            ratio = contrast(fg, bg);
            if (ratio + 1e-9 < need) {
                char line[160];

                snprintf(line, sizeof(line), "\n#   %s at %d colours: #%06x on #%06x is %.2f:1, "
                         "needs %.1f:1", theme_element_name(e), depths[d], fg, bg, ratio, need);
                strncat(failures, line, sizeof(failures) - strlen(failures) - 1);
            }
        }
    }
    theme_done(&t);
    ck_assert_msg(failures[0] == '\0', "theme %s:%s", name, failures);
}

START_TEST(contrast_default) { check_theme("default"); }
END_TEST
START_TEST(contrast_light) { check_theme("light"); }
END_TEST
START_TEST(contrast_monochrome) { check_theme("monochrome"); }
END_TEST
START_TEST(contrast_high_contrast) { check_theme("high-contrast"); }
END_TEST

/* Two styles a user tells apart: different colours (reverse applied), or, in the
 * attributes-only theme, a different weight or underline. */
static bool distinct(const struct theme_style *a, const struct theme_style *b)
{
    const unsigned seen = THEME_ATTR_BOLD | THEME_ATTR_UNDERLINE;
    int af, ab, bf, bb;

    element_rgb(a, &af, &ab);
    element_rgb(b, &bf, &bb);
    return ab != bb || af != bf || (a->attrs & seen) != (b->attrs & seen);
}

START_TEST(selection_stands_apart)
{
    for (size_t i = 0; i < sizeof(shipped) / sizeof(shipped[0]); i++) {
        struct theme t;

        load(&t, shipped[i]);
        for (size_t d = 0; d < sizeof(depths) / sizeof(depths[0]); d++) {
            struct theme_style r[THEME_N_ELEMENTS];
            int sf, sb, nf, nb;

            theme_resolve(&t, depths[d], r);
            element_rgb(&r[THEME_SELECTION], &sf, &sb);
            element_rgb(&r[THEME_NORMAL], &nf, &nb);
            ck_assert_msg(distinct(&r[THEME_SELECTION], &r[THEME_FOOTER]),
                          "%s at %d colours: the selection looks like the footer", shipped[i],
                          depths[d]);
            ck_assert_msg(distinct(&r[THEME_SELECTION], &r[THEME_HEADER]),
                          "%s at %d colours: the selection looks like the header", shipped[i],
                          depths[d]);
            /* a row with the cursor on it is not a plain row: another background */
            ck_assert_msg(sb != nb, "%s at %d colours: the selection has the screen's "
                          "background (#%06x)", shipped[i], depths[d], sb);
        }
        theme_done(&t);
    }
}
END_TEST

/* The test's own arithmetic, on the WCAG figures everyone quotes. */
START_TEST(contrast_arithmetic)
{
    ck_assert(fabs(contrast(0x000000, 0xffffff) - 21.0) < 0.01);
    ck_assert(fabs(contrast(0xffffff, 0xffffff) - 1.0) < 0.01);
    ck_assert(fabs(contrast(0x767676, 0xffffff) - 4.54) < 0.01);  /* the 4.5 grey on white */
    ck_assert(fabs(contrast(0x00cdcd, 0xe5e5e5) - 1.57) < 0.01);  /* xterm cyan on white */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("theme_contrast");
    TCase *tc = tcase_create("theme_contrast");

    tcase_add_test(tc, contrast_arithmetic);
    tcase_add_test(tc, contrast_default);
    tcase_add_test(tc, contrast_light);
    tcase_add_test(tc, contrast_monochrome);
    tcase_add_test(tc, contrast_high_contrast);
    tcase_add_test(tc, selection_stands_apart);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
