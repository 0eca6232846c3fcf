/* test_theme.c - theme files, their errors, and colours stepped down for the terminal. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_tap.h"
#include "look/theme.h"
#include "look/theme_curses.h"
#include "util/xalloc.h"

static const char *const shipped[] = { "default", "light", "monochrome", "high-contrast" };

static char *themes_dir(void)
{
    const char *top = getenv("TOP_SRCDIR");

    return xasprintf("%s/themes", top && *top ? top : ".");
}

static char tmpdir[256];

static void tmp_setup(void)
{
    const char *t = getenv("TMPDIR");

    snprintf(tmpdir, sizeof(tmpdir), "%s/opsdeck-theme-XXXXXX", t && *t ? t : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void tmp_teardown(void)
{
    char *cmd = xasprintf("rm -rf '%s'", tmpdir);

    if (system(cmd) != 0)
        fprintf(stderr, "# could not remove %s\n", tmpdir);
    free(cmd);
}

static char *write_file(const char *dir, const char *name, const char *text)
{
    char *path = xasprintf("%s/%s", dir, name);
    FILE *fp = fopen(path, "w");

    ck_assert_ptr_nonnull(fp);
    ck_assert_int_eq(fputs(text, fp) >= 0, 1);
    ck_assert_int_eq(fclose(fp), 0);
    return path;
}

static void dump_issues(const struct theme *t)
{
    for (size_t i = 0; i < t->n_issues; i++)
        fprintf(stderr, "# %s\n", t->issues[i].text);
}

/* ---- shipped themes --------------------------------------------------------------------- */

START_TEST(shipped_themes_parse_cleanly)
{
    char *dir = themes_dir();

    for (size_t i = 0; i < sizeof(shipped) / sizeof(shipped[0]); i++) {
        char *path = xasprintf("%s/%s.theme", dir, shipped[i]);
        struct theme t;

        theme_init(&t);
        ck_assert_msg(theme_load_file(&t, path) == 0, "%s did not load", path);
        dump_issues(&t);
        ck_assert_msg(t.n_issues == 0, "%s has %zu issues", path, t.n_issues);
        ck_assert_str_eq(t.name, shipped[i]);
        ck_assert_ptr_nonnull(t.description);
        ck_assert_str_eq(t.path, path);
        /* every element is set explicitly, so no theme depends on the fallback */
        ck_assert_uint_eq(t.defined, (1u << THEME_N_ELEMENTS) - 1);
        theme_done(&t);
        free(path);
    }
    free(dir);
}
END_TEST

START_TEST(shipped_themes_readable_at_every_depth)
{
    /* After degradation to 256, 16 and 8 colours, no element is drawn in its own
     * background colour, and colour themes differ from plain text where it matters. */
    static const int depths[] = { 256, 88, 16, 8 };
    char *dir = themes_dir();

    for (size_t i = 0; i < sizeof(shipped) / sizeof(shipped[0]); i++) {
        char *path = xasprintf("%s/%s.theme", dir, shipped[i]);
        struct theme t;

        theme_init(&t);
        ck_assert_int_eq(theme_load_file(&t, path), 0);
        for (size_t d = 0; d < sizeof(depths) / sizeof(depths[0]); d++) {
            struct theme_style r[THEME_N_ELEMENTS];

            theme_resolve(&t, depths[d], r);
            for (int e = 0; e < THEME_N_ELEMENTS; e++) {
                ck_assert_msg(r[e].fg < depths[d] && r[e].bg < depths[d],
                              "%s %s at %d colours: %d/%d", shipped[i],
                              theme_element_name(e), depths[d], r[e].fg, r[e].bg);
                ck_assert_msg(r[e].fg < 0 || r[e].fg != r[e].bg, "%s %s: colour on itself",
                              shipped[i], theme_element_name(e));
            }
            if (strcmp(shipped[i], "monochrome") != 0)
                ck_assert_int_ge(r[THEME_CRITICAL].fg, 0);
        }
        theme_done(&t);
        free(path);
    }
    free(dir);
}
END_TEST

START_TEST(monochrome_is_attributes_only_and_matches_builtin)
{
    char *dir = themes_dir(), *path = xasprintf("%s/monochrome.theme", dir);
    struct theme file, builtin;

    theme_init(&file);
    ck_assert_int_eq(theme_load_file(&file, path), 0);
    theme_init_builtin_mono(&builtin);
    ck_assert_uint_eq(builtin.n_issues, 0);
    ck_assert_str_eq(builtin.name, "monochrome");
    for (int e = 0; e < THEME_N_ELEMENTS; e++) {
        ck_assert_int_eq(file.style[e].fg, THEME_COLOUR_DEFAULT);
        ck_assert_int_eq(file.style[e].bg, THEME_COLOUR_DEFAULT);
        ck_assert_msg(file.style[e].attrs == builtin.style[e].attrs,
                      "%s differs from the built-in monochrome", theme_element_name(e));
    }
    /* what tells a selected or critical row apart without colour */
    ck_assert(file.style[THEME_SELECTION].attrs & THEME_ATTR_REVERSE);
    ck_assert(file.style[THEME_CRITICAL].attrs & THEME_ATTR_BOLD);
    theme_done(&file);
    theme_done(&builtin);
    free(path);
    free(dir);
}
END_TEST

/* ---- errors ----------------------------------------------------------------------------- */

static const char bad_theme[] =
    "[theme]\n"                             /* 1 */
    "name = broken\n"                       /* 2 */
    "colour = red\n"                        /* 3 unknown key in [theme] */
    "[elements]\n"                          /* 4 */
    "header = white blue bold\n"            /* 5 good */
    "ok = green\n"                          /* 6 good: bg omitted */
    "warn = purple default\n"               /* 7 not a colour */
    "critical = color256 default\n"         /* 8 out of range */
    "stale = #12345 default\n"              /* 9 short RGB */
    "  selection = default default reverse\n" /* 10 good: indentation is not continuation */
    "frobnicate = red\n"                    /* 11 unknown element */
    "this line has no equals sign\n"        /* 12 */
    "error = bold red\n"                    /* 13 colour after attribute */
    "filter = red blue green\n"             /* 14 third colour */
    "help =\n"                              /* 15 empty */
    "[extra\n"                              /* 16 unterminated header */
    "title = #FFaa00 default italic ; a comment\n" /* 17 good, inline comment */
    "[colors]\n"                            /* 18 unknown section */
    "dim = red\n"                           /* 19 ignored with it */
    "[elements]\n"                          /* 20 */
    "header = yellow black\n";              /* 21 duplicate: reported, wins */

static void expect_issue(const struct theme *t, const char *path, int line, const char *word)
{
    char *prefix = xasprintf("%s:%d: ", path, line);

    for (size_t i = 0; i < t->n_issues; i++)
        if (t->issues[i].line == line) {
            ck_assert_msg(strncmp(t->issues[i].text, prefix, strlen(prefix)) == 0,
                          "'%s' does not start with '%s'", t->issues[i].text, prefix);
            ck_assert_msg(strstr(t->issues[i].text, word), "'%s' does not say '%s'",
                          t->issues[i].text, word);
            free(prefix);
            return;
        }
    dump_issues(t);
    ck_abort_msg("no issue reported for line %d", line);
}

START_TEST(bad_lines_reported_with_file_and_line_rest_loads)
{
    char *path = write_file(tmpdir, "broken.theme", bad_theme);
    struct theme t;
    static const int bad[] = { 3, 7, 8, 9, 11, 12, 13, 14, 15, 16, 18, 21 };

    theme_init(&t);
    ck_assert_int_eq(theme_load_file(&t, path), 0);
    dump_issues(&t);
    ck_assert_uint_eq(t.n_issues, sizeof(bad) / sizeof(bad[0]));
    expect_issue(&t, path, 3, "colour");
    expect_issue(&t, path, 7, "purple");
    expect_issue(&t, path, 8, "color0..color255");
    expect_issue(&t, path, 9, "#rrggbb");
    expect_issue(&t, path, 11, "frobnicate");
    expect_issue(&t, path, 12, "element = FG BG ATTRS");
    expect_issue(&t, path, 13, "after the attributes");
    expect_issue(&t, path, 14, "third colour");
    expect_issue(&t, path, 15, "no colours");
    expect_issue(&t, path, 16, "]");
    expect_issue(&t, path, 18, "colors");
    expect_issue(&t, path, 21, "line 5");

    ck_assert_str_eq(t.name, "broken");
    /* the good lines loaded; the later header line won */
    ck_assert_int_eq(t.style[THEME_HEADER].fg, 3);
    ck_assert_int_eq(t.style[THEME_HEADER].bg, 0);
    ck_assert_uint_eq(t.style[THEME_HEADER].attrs, 0);
    ck_assert_int_eq(t.style[THEME_OK].fg, 2);
    ck_assert_int_eq(t.style[THEME_OK].bg, THEME_COLOUR_DEFAULT);
    ck_assert_uint_eq(t.style[THEME_SELECTION].attrs, THEME_ATTR_REVERSE);
    ck_assert_int_eq(t.style[THEME_TITLE].fg, THEME_RGB(0xff, 0xaa, 0x00));
    ck_assert_uint_eq(t.style[THEME_TITLE].attrs, THEME_ATTR_ITALIC);
    /* the bad lines left their elements as they were, and [colors] did not reach dim */
    ck_assert_int_eq(t.style[THEME_WARN].fg, THEME_COLOUR_DEFAULT);
    ck_assert_int_eq(t.style[THEME_CRITICAL].fg, THEME_COLOUR_DEFAULT);
    ck_assert_int_eq(t.style[THEME_DIM].fg, THEME_COLOUR_DEFAULT);
    ck_assert_uint_eq(t.defined, (1u << THEME_HEADER) | (1u << THEME_OK) |
                                     (1u << THEME_SELECTION) | (1u << THEME_TITLE));
    theme_done(&t);
    free(path);
}
END_TEST

START_TEST(unreadable_file_changes_nothing)
{
    struct theme t;
    char *missing = xasprintf("%s/none.theme", tmpdir);

    theme_init(&t);
    ck_assert_int_eq(theme_load_string(&t, "x", "[elements]\nok = green\n"), 0);
    ck_assert_int_eq(theme_load_file(&t, missing), -1);
    ck_assert_uint_eq(t.n_issues, 1);
    ck_assert_ptr_nonnull(strstr(t.issues[0].text, missing));
    ck_assert_int_eq(t.style[THEME_OK].fg, 2);
    ck_assert_str_eq(t.name, "x");
    ck_assert_ptr_null(t.path);
    /* a directory is not a theme */
    ck_assert_int_eq(theme_load_file(&t, tmpdir), -1);
    ck_assert_int_eq(t.style[THEME_OK].fg, 2);
    theme_done(&t);
    free(missing);
}
END_TEST

START_TEST(malformed_input_never_crashes)
{
    struct theme t;
    char *longline = xmalloc(5000), *text;

    memset(longline, 'x', 4999);
    longline[4999] = '\0';
    text = xasprintf("[elements]\nok = %s\nwarn = red\n", longline);
    theme_init(&t);
    ck_assert_int_eq(theme_load_string(&t, "long", text), 0);
    ck_assert_uint_eq(t.n_issues, 1);
    ck_assert_int_eq(t.issues[0].line, 2);
    ck_assert_ptr_nonnull(strstr(t.issues[0].text, "longer"));
    ck_assert_int_eq(t.style[THEME_WARN].fg, 1);  /* the line after it still counts */
    theme_done(&t);

    /* CRLF, a BOM, no final newline, a key before any section */
    theme_init(&t);
    ck_assert_int_eq(theme_load_string(&t, "crlf.theme", "\xef\xbb\xbfok = red\r\n"
                                       "[elements]\r\nwarn = yellow\r\ncritical = red"), 0);
    ck_assert_uint_eq(t.n_issues, 1);
    ck_assert_int_eq(t.issues[0].line, 1);
    ck_assert_int_eq(t.style[THEME_WARN].fg, 3);
    ck_assert_int_eq(t.style[THEME_CRITICAL].fg, 1);
    ck_assert_str_eq(t.name, "crlf");
    theme_done(&t);

    /* binary garbage and an embedded NUL */
    theme_init(&t);
    {
        static const char junk[] = "[elements]\n\x01\x02\xff\xfe = \x1b[2J\nok\0 = red\n"
                                   "warn = red\n";
        char *p = write_file(tmpdir, "junk.theme", "");
        FILE *fp = fopen(p, "wb");

        ck_assert_ptr_nonnull(fp);
        ck_assert_uint_eq(fwrite(junk, 1, sizeof(junk) - 1, fp), sizeof(junk) - 1);
        fclose(fp);
        ck_assert_int_eq(theme_load_file(&t, p), 0);
        ck_assert_uint_eq(t.n_issues, 2);
        ck_assert_int_eq(t.issues[0].line, 2);
        ck_assert_int_eq(t.issues[1].line, 3);
        /* the quoted junk is escaped: no control byte reaches the status line */
        ck_assert_ptr_null(strchr(t.issues[0].text, '\x01'));
        ck_assert_ptr_nonnull(strstr(t.issues[0].text, "'\\x01\\x02\\xFF\\xFE'"));
        ck_assert_int_eq(t.style[THEME_OK].fg, THEME_COLOUR_DEFAULT);
        ck_assert_int_eq(t.style[THEME_WARN].fg, 1);
        free(p);
    }
    theme_done(&t);

    /* empty text */
    theme_init(&t);
    ck_assert_int_eq(theme_load_string(&t, "empty.theme", ""), 0);
    ck_assert_uint_eq(t.n_issues, 0);
    ck_assert_uint_eq(t.defined, 0);
    theme_done(&t);
    free(text);
    free(longline);
}
END_TEST

/* ---- values ----------------------------------------------------------------------------- */

START_TEST(colour_words)
{
    int c = 1234;

    ck_assert_int_eq(theme_colour_parse("default", &c), 0);
    ck_assert_int_eq(c, -1);
    ck_assert_int_eq(theme_colour_parse("RED", &c), 0);
    ck_assert_int_eq(c, 1);
    ck_assert_int_eq(theme_colour_parse("white", &c), 0);
    ck_assert_int_eq(c, 7);
    ck_assert_int_eq(theme_colour_parse("brightred", &c), 0);
    ck_assert_int_eq(c, 9);
    ck_assert_int_eq(theme_colour_parse("bright-black", &c), 0);
    ck_assert_int_eq(c, 8);
    ck_assert_int_eq(theme_colour_parse("color0", &c), 0);
    ck_assert_int_eq(c, 0);
    ck_assert_int_eq(theme_colour_parse("colour255", &c), 0);
    ck_assert_int_eq(c, 255);
    ck_assert_int_eq(theme_colour_parse("#00FF7f", &c), 0);
    ck_assert_int_eq(c, THEME_RGB(0, 0xff, 0x7f));

    c = 1234;
    ck_assert_int_eq(theme_colour_parse("color256", &c), -1);
    ck_assert_int_eq(theme_colour_parse("color-1", &c), -1);
    ck_assert_int_eq(theme_colour_parse("color", &c), -1);
    ck_assert_int_eq(theme_colour_parse("color00000000001", &c), -1);
    ck_assert_int_eq(theme_colour_parse("#12345g", &c), -1);
    ck_assert_int_eq(theme_colour_parse("#1234567", &c), -1);
    ck_assert_int_eq(theme_colour_parse("brightpurple", &c), -1);
    ck_assert_int_eq(theme_colour_parse("", &c), -1);
    ck_assert_int_eq(c, 1234);  /* untouched on error */
}
END_TEST

START_TEST(style_values)
{
    struct theme_style s = { 5, 5, 5 };
    char why[200];

    ck_assert_int_eq(theme_style_parse("bold underline", &s, why, sizeof(why)), 0);
    ck_assert_int_eq(s.fg, -1);
    ck_assert_int_eq(s.bg, -1);
    ck_assert_uint_eq(s.attrs, THEME_ATTR_BOLD | THEME_ATTR_UNDERLINE);
    ck_assert_int_eq(theme_style_parse("red,blue,reverse,blink,dim,standout", &s, why,
                                       sizeof(why)), 0);
    ck_assert_int_eq(s.fg, 1);
    ck_assert_int_eq(s.bg, 4);
    ck_assert_uint_eq(s.attrs, THEME_ATTR_REVERSE | THEME_ATTR_BLINK | THEME_ATTR_DIM |
                                   THEME_ATTR_STANDOUT);
    ck_assert_int_eq(theme_style_parse("red blue none", &s, why, sizeof(why)), 0);
    ck_assert_uint_eq(s.attrs, 0);
    s.fg = 42;
    ck_assert_int_eq(theme_style_parse("red sparkly", &s, why, sizeof(why)), -1);
    ck_assert_ptr_nonnull(strstr(why, "sparkly"));
    ck_assert_int_eq(s.fg, 42);
    ck_assert_int_eq(theme_style_parse("   ", &s, why, sizeof(why)), -1);
}
END_TEST

START_TEST(element_names_round_trip)
{
    for (int e = 0; e < THEME_N_ELEMENTS; e++)
        ck_assert_int_eq(theme_element_from_name(theme_element_name(e)), e);
    ck_assert_int_eq(theme_element_from_name("prod-banner"), THEME_PROD_BANNER);
    ck_assert_int_eq(theme_element_from_name("prod_banner"), -1);
}
END_TEST

/* ---- colour degradation ----------------------------------------------------------------- */

START_TEST(rgb_to_256)
{
    ck_assert_int_eq(theme_rgb_to_256(0xff0000), 196);
    ck_assert_int_eq(theme_rgb_to_256(0x000000), 16);
    ck_assert_int_eq(theme_rgb_to_256(0xffffff), 231);
    ck_assert_int_eq(theme_rgb_to_256(0x5fafd7), 74);   /* exactly in the cube */
    ck_assert_int_eq(theme_rgb_to_256(0xd75f00), 166);
    ck_assert_int_eq(theme_rgb_to_256(0x808080), 244);  /* the grey ramp is nearer */
    ck_assert_int_eq(theme_rgb_to_256(0x101010), 233);
    ck_assert_int_eq(theme_rgb_to_256(0xfe0101), 196);  /* near, not exact */
    ck_assert_int_eq(theme_rgb_to_256(0xeeeeee), 255);
    /* the palette round-trips */
    for (int i = 16; i < 256; i++)
        ck_assert_int_eq(theme_rgb_to_256(theme_256_to_rgb(i)), i);
}
END_TEST

START_TEST(palette_256_to_16_to_8)
{
    ck_assert_int_eq(theme_256_to_16(5), 5);     /* the first 16 are themselves */
    ck_assert_int_eq(theme_256_to_16(196), 9);   /* ff0000 bright red */
    ck_assert_int_eq(theme_256_to_16(160), 1);   /* d70000 red */
    ck_assert_int_eq(theme_256_to_16(52), 1);    /* 5f0000: dark red stays red, not black */
    ck_assert_int_eq(theme_256_to_16(46), 10);   /* 00ff00 */
    ck_assert_int_eq(theme_256_to_16(28), 2);    /* 008700 */
    ck_assert_int_eq(theme_256_to_16(21), 12);   /* 0000ff */
    ck_assert_int_eq(theme_256_to_16(24), 6);    /* 005f87 */
    ck_assert_int_eq(theme_256_to_16(226), 11);  /* ffff00 */
    ck_assert_int_eq(theme_256_to_16(51), 14);   /* 00ffff */
    ck_assert_int_eq(theme_256_to_16(201), 13);  /* ff00ff */
    ck_assert_int_eq(theme_256_to_16(16), 0);
    ck_assert_int_eq(theme_256_to_16(231), 15);
    ck_assert_int_eq(theme_256_to_16(244), 8);   /* mid grey */
    ck_assert_int_eq(theme_256_to_16(250), 7);   /* light grey */
    ck_assert_int_eq(theme_256_to_16(233), 0);   /* near black */
    ck_assert_int_eq(theme_rgb_to_16(0xcd0000), 1);
    ck_assert_int_eq(theme_rgb_to_16(0xffffff), 15);

    /* 8 colours: bright foreground -> base + bold, bright background -> base */
    struct theme_style s = { 9, 12, THEME_ATTR_UNDERLINE }, r;

    r = theme_style_resolve(s, 8);
    ck_assert_int_eq(r.fg, 1);
    ck_assert_int_eq(r.bg, 4);
    ck_assert_uint_eq(r.attrs, THEME_ATTR_UNDERLINE | THEME_ATTR_BOLD);
    /* 16 and 256 keep them */
    r = theme_style_resolve(s, 16);
    ck_assert_int_eq(r.fg, 9);
    ck_assert_uint_eq(r.attrs, THEME_ATTR_UNDERLINE);
    s = (struct theme_style){ 196, THEME_RGB(0x5f, 0xaf, 0xd7), 0 };
    r = theme_style_resolve(s, 256);
    ck_assert_int_eq(r.fg, 196);
    ck_assert_int_eq(r.bg, 74);
    r = theme_style_resolve(s, 16);
    ck_assert_int_eq(r.fg, 9);
    ck_assert_int_eq(r.bg, 6);
    r = theme_style_resolve(s, 8);
    ck_assert_int_eq(r.fg, 1);
    ck_assert_int_eq(r.bg, 6);
    ck_assert_uint_eq(r.attrs, THEME_ATTR_BOLD);
    /* an 88-colour terminal gets the 16 */
    r = theme_style_resolve(s, 88);
    ck_assert_int_eq(r.fg, 9);
}
END_TEST

START_TEST(never_a_colour_on_itself)
{
    struct theme_style r;

    /* written that way */
    r = theme_style_resolve((struct theme_style){ 4, 4, 0 }, 256);
    ck_assert_int_eq(r.fg, 15);
    ck_assert_int_eq(r.bg, 4);
    /* distinct in RGB, equal once stepped down to 16 */
    r = theme_style_resolve((struct theme_style){ THEME_RGB(0xff, 0, 0), 9, 0 }, 16);
    ck_assert_int_eq(r.bg, 9);
    ck_assert_int_ne(r.fg, 9);
    ck_assert_int_eq(r.fg, 15);
    /* brightyellow on yellow at 8 colours: yellow on yellow -> black reads on yellow */
    r = theme_style_resolve((struct theme_style){ 11, 3, 0 }, 8);
    ck_assert_int_eq(r.bg, 3);
    ck_assert_int_eq(r.fg, 0);
    /* white on white -> black; black on black -> white (7 at 8 colours) */
    r = theme_style_resolve((struct theme_style){ 7, 7, 0 }, 8);
    ck_assert_int_eq(r.fg, 0);
    r = theme_style_resolve((struct theme_style){ 0, 0, 0 }, 8);
    ck_assert_int_eq(r.fg, 7);
    /* the terminal's default on the default is its own business */
    r = theme_style_resolve((struct theme_style){ -1, -1, 0 }, 256);
    ck_assert_int_eq(r.fg, -1);
    ck_assert_int_eq(r.bg, -1);
}
END_TEST

/* The step-down keeps text readable: grey at 8 colours is white made dim (black made bold
 * vanishes on a dark terminal that does not brighten bold); a theme that paints the screen
 * (normal) lends its colours to "default"; a foreground that would not read on a known
 * background becomes black or white. */
START_TEST(readable_step_down)
{
    struct theme t;
    struct theme_style r[THEME_N_ELEMENTS];

    r[0] = theme_style_resolve((struct theme_style){ 8, -1, 0 }, 8);
    ck_assert_int_eq(r[0].fg, 7);
    ck_assert_uint_eq(r[0].attrs, THEME_ATTR_DIM);
    r[0] = theme_style_resolve((struct theme_style){ 9, -1, 0 }, 8);
    ck_assert_int_eq(r[0].fg, 1);
    ck_assert_uint_eq(r[0].attrs, THEME_ATTR_BOLD);

    theme_init(&t);
    ck_assert_int_eq(theme_load_string(&t, "test", "[elements]\n"
                                       "normal = black brightwhite\n"
                                       "title = default default bold\n"
                                       "warn = color130 default\n"
                                       "stale = color244 default\n"
                                       "header = yellow brightyellow\n"), 0);
    ck_assert_uint_eq(t.n_issues, 0);
    theme_resolve(&t, 256, r);
    /* "default" is the painted screen's */
    ck_assert_int_eq(r[THEME_TITLE].fg, 0);
    ck_assert_int_eq(r[THEME_TITLE].bg, 15);
    /* reads at 256 (af5f00 on white: 4.7:1), so it stays */
    ck_assert_int_eq(r[THEME_WARN].fg, 130);
    ck_assert_int_eq(r[THEME_WARN].bg, 15);
    /* yellow on bright yellow reads at no depth: black */
    ck_assert_int_eq(r[THEME_HEADER].fg, 0);
    theme_resolve(&t, 16, r);
    /* at 16 colours af5f00 is yellow (cdcd00), 1.7:1 on white: black instead */
    ck_assert_int_eq(r[THEME_WARN].fg, 0);
    /* stale is dim: 3:1 is enough, and grey 7f7f7f on white has 4.0:1 */
    ck_assert_int_eq(r[THEME_STALE].fg, 8);
    theme_resolve(&t, 0, r);
    ck_assert_int_eq(r[THEME_TITLE].fg, -1);  /* no colour: nothing is painted */
    ck_assert_int_eq(r[THEME_TITLE].bg, -1);
    theme_done(&t);

    ck_assert(theme_contrast(0x000000, 0xffffff) > 20.9);
    ck_assert(theme_contrast(0x777777, 0x777777) < 1.01);
}
END_TEST

START_TEST(no_colour_keeps_attributes)
{
    struct theme_style r = theme_style_resolve(
        (struct theme_style){ 1, 4, THEME_ATTR_BOLD | THEME_ATTR_REVERSE }, 2);

    ck_assert_int_eq(r.fg, -1);
    ck_assert_int_eq(r.bg, -1);
    ck_assert_uint_eq(r.attrs, THEME_ATTR_BOLD | THEME_ATTR_REVERSE);
    r = theme_style_resolve((struct theme_style){ 1, 4, 0 }, 0);
    ck_assert_int_eq(r.fg, -1);

    ck_assert(theme_use_colour(NULL, false, true, 256));
    ck_assert(theme_use_colour("", false, true, 8));  /* NO_COLOR empty: not set */
    ck_assert(!theme_use_colour("1", false, true, 256));
    ck_assert(!theme_use_colour(NULL, true, true, 256));
    ck_assert(!theme_use_colour(NULL, false, false, 256));
    ck_assert(!theme_use_colour(NULL, false, true, 2));
}
END_TEST

START_TEST(curses_mapping)
{
    struct theme_style r[THEME_N_ELEMENTS] = { 0 };

    ck_assert(theme_curses_attrs(0) == A_NORMAL);
    ck_assert(theme_curses_attrs(THEME_ATTR_BOLD | THEME_ATTR_REVERSE) ==
              (A_BOLD | A_REVERSE));
    ck_assert(theme_curses_attrs(THEME_ATTR_DIM | THEME_ATTR_UNDERLINE | THEME_ATTR_BLINK |
                                 THEME_ATTR_ITALIC | THEME_ATTR_STANDOUT) ==
              (A_DIM | A_UNDERLINE | A_BLINK | A_ITALIC | A_STANDOUT));
    ck_assert_int_eq(theme_curses_pair(THEME_HEADER), 1);
    ck_assert_int_eq(theme_curses_pair(THEME_NORMAL), THEME_N_ELEMENTS);
    r[THEME_WARN].attrs = THEME_ATTR_BOLD;
    ck_assert(theme_curses_attr(r, THEME_WARN, true) ==
              (A_BOLD | (attr_t)COLOR_PAIR(theme_curses_pair(THEME_WARN))));
    ck_assert(theme_curses_attr(r, THEME_WARN, false) == A_BOLD);
}
END_TEST

/* ---- finding themes --------------------------------------------------------------------- */

START_TEST(find_user_dir_before_datadir)
{
    char *user = xasprintf("%s/config", tmpdir), *sub, *data = xasprintf("%s/data", tmpdir);
    char *want_user, *want_data, *got;

    sub = xasprintf("%s/opsdeck", user);
    ck_assert_int_eq(mkdir(user, 0700), 0);
    ck_assert_int_eq(mkdir(sub, 0700), 0);
    free(sub);
    sub = xasprintf("%s/opsdeck/themes", user);
    ck_assert_int_eq(mkdir(sub, 0700), 0);
    ck_assert_int_eq(mkdir(data, 0700), 0);
    want_user = write_file(sub, "mine.theme", "[elements]\nok = red\n");
    free(write_file(data, "mine.theme", "[elements]\nok = blue\n"));
    want_data = write_file(data, "shared.theme", "[elements]\nok = blue\n");
    setenv("XDG_CONFIG_HOME", user, 1);

    got = theme_find("mine", data);
    ck_assert_str_eq(got, want_user);
    free(got);
    got = theme_find("shared", data);
    ck_assert_str_eq(got, want_data);
    free(got);
    ck_assert_ptr_null(theme_find("absent", data));
    ck_assert_ptr_null(theme_find("shared", NULL));
    /* names that would leave the themes directories */
    ck_assert_ptr_null(theme_find("../data/shared", sub));
    ck_assert_ptr_null(theme_find("/etc/passwd", data));
    ck_assert_ptr_null(theme_find(".hidden", data));
    ck_assert_ptr_null(theme_find("", data));
    ck_assert(theme_name_valid("high-contrast"));
    ck_assert(!theme_name_valid("a/b"));

    /* without XDG_CONFIG_HOME (or with a relative one, which XDG says to ignore):
     * ~/.config/opsdeck/themes */
    setenv("XDG_CONFIG_HOME", "relative/dir", 1);
    setenv("HOME", tmpdir, 1);
    {
        char *d1 = xasprintf("%s/.config", tmpdir), *d2 = xasprintf("%s/opsdeck", d1);
        char *d3 = xasprintf("%s/themes", d2), *home_theme;

        ck_assert_int_eq(mkdir(d1, 0700), 0);
        ck_assert_int_eq(mkdir(d2, 0700), 0);
        ck_assert_int_eq(mkdir(d3, 0700), 0);
        home_theme = write_file(d3, "mine.theme", "[elements]\nok = green\n");
        got = theme_find("mine", data);
        ck_assert_str_eq(got, home_theme);
        free(got);
        free(home_theme);
        free(d1);
        free(d2);
        free(d3);
    }

    /* the shipped themes are found in the source dir */
    free(data);
    data = themes_dir();
    got = theme_find("high-contrast", data);
    ck_assert_ptr_nonnull(got);
    free(got);
    free(data);
    free(sub);
    free(user);
    free(want_user);
    free(want_data);
}
END_TEST

static Suite *theme_suite(void)
{
    Suite *s = suite_create("theme");
    TCase *tc = tcase_create("files");

    tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
    tcase_add_test(tc, shipped_themes_parse_cleanly);
    tcase_add_test(tc, shipped_themes_readable_at_every_depth);
    tcase_add_test(tc, monochrome_is_attributes_only_and_matches_builtin);
    tcase_add_test(tc, bad_lines_reported_with_file_and_line_rest_loads);
    tcase_add_test(tc, unreadable_file_changes_nothing);
    tcase_add_test(tc, malformed_input_never_crashes);
    tcase_add_test(tc, find_user_dir_before_datadir);
    suite_add_tcase(s, tc);

    tc = tcase_create("values");
    tcase_add_test(tc, colour_words);
    tcase_add_test(tc, style_values);
    tcase_add_test(tc, element_names_round_trip);
    tcase_add_test(tc, rgb_to_256);
    tcase_add_test(tc, palette_256_to_16_to_8);
    tcase_add_test(tc, never_a_colour_on_itself);
    tcase_add_test(tc, readable_step_down);
    tcase_add_test(tc, no_colour_keeps_attributes);
    tcase_add_test(tc, curses_mapping);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(theme_suite());
}
