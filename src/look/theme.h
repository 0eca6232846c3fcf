/* theme.h - themes: semantic screen elements mapped to colours and attributes.
 *
 * A theme is an INI file (themes/NAME.theme), the same syntax as opsdeck's config:
 *
 *     [theme]
 *     name = default
 *     description = dark background
 *     [elements]
 *     header   = white blue bold
 *     critical = brightred default bold
 *     stale    = color244 default dim
 *     sparkline = #5fafd7 default
 *
 * Each element line is `FG BG ATTRS...`; a colour is default, a name (black, red, green,
 * yellow, blue, magenta, cyan, white, and bright/bright- variants), color0..color255 or
 * #rrggbb; attributes are bold dim underline reverse blink italic standout (or none).
 * Colours may be left out: `selection = reverse` keeps the terminal's colours.
 *
 * A bad line is reported as "file:line: reason" and skipped; the rest still loads (an
 * on-call engineer with a typo in a theme still gets a console). Nothing here touches
 * ncurses: theme_resolve() degrades colours to what the terminal has (COLORS is a
 * parameter), and theme_curses.h maps the result to colour pairs at run time. */
#ifndef OPSDECK_THEME_H
#define OPSDECK_THEME_H

#include <stdbool.h>
#include <stddef.h>

enum theme_element {
    THEME_HEADER,
    THEME_FOOTER,
    THEME_STATUS,
    THEME_OK,
    THEME_WARN,
    THEME_CRITICAL,
    THEME_STALE,
    THEME_SELECTION,
    THEME_PROD_BANNER,
    THEME_SPARKLINE,
    THEME_DIM,
    THEME_TITLE,
    THEME_BORDER,
    THEME_ERROR,
    THEME_FILTER,
    THEME_HELP,
    /* The screen itself: plain text and the background under everything. "default
     * default" leaves both to the terminal; a theme made for one background (light)
     * paints its own, so it reads the same on a dark terminal, and the other elements'
     * "default" colours are this one's. */
    THEME_NORMAL,
    THEME_N_ELEMENTS
};

/* Colours are ints, as in tmux: -1 is the terminal's default, 0..255 a palette index, and
 * THEME_COLOUR_RGB | 0xRRGGBB a 24-bit colour (only in a theme as written; resolved
 * styles hold -1..COLORS-1). */
#define THEME_COLOUR_DEFAULT (-1)
#define THEME_COLOUR_RGB 0x1000000
#define THEME_RGB(r, g, b) (THEME_COLOUR_RGB | ((r) << 16) | ((g) << 8) | (b))

/* Attribute bits, plain ints so that this module needs no curses header. */
enum {
    THEME_ATTR_BOLD = 1 << 0,
    THEME_ATTR_DIM = 1 << 1,
    THEME_ATTR_UNDERLINE = 1 << 2,
    THEME_ATTR_REVERSE = 1 << 3,
    THEME_ATTR_BLINK = 1 << 4,
    THEME_ATTR_ITALIC = 1 << 5,
    THEME_ATTR_STANDOUT = 1 << 6,
};

struct theme_style {
    int fg, bg;      /* THEME_COLOUR_DEFAULT, an index, or THEME_COLOUR_RGB | rgb */
    unsigned attrs;  /* THEME_ATTR_* */
};

/* One problem found in a theme file: text is "file:line: reason" (line 0: the whole file). */
struct theme_issue {
    int line;
    char *text;
};

struct theme {
    char *name;         /* [theme] name, else the file's base name without .theme */
    char *description;  /* may be NULL */
    char *path;         /* the file read, NULL for a built-in theme */
    struct theme_style style[THEME_N_ELEMENTS];
    unsigned defined;   /* bit (1 << element) for each element the file set */
    struct theme_issue *issues;
    size_t n_issues, cap_issues;
};

/* Every element plain (default colours, no attributes), no name. */
void theme_init(struct theme *t);
void theme_done(struct theme *t);

/* The monochrome theme compiled in, for when no theme file can be found: the console must
 * start even from a bare build directory. Same styles as themes/monochrome.theme. */
void theme_init_builtin_mono(struct theme *t);

/* Reads a theme file over t (elements the file does not set keep their style). Returns 0
 * when the file was read, even with bad lines (each is in t->issues); -1 when it cannot be
 * read at all (t->issues says why; no style changed). */
int theme_load_file(struct theme *t, const char *path);

/* The same for text in memory; `origin` names it in issue messages. */
int theme_load_string(struct theme *t, const char *origin, const char *text);

/* The path of theme `name`: $XDG_CONFIG_HOME/opsdeck/themes/NAME.theme (or
 * ~/.config/opsdeck/themes), then DATADIR/NAME.theme (the installed or source themes dir;
 * may be NULL). NULL when not found or when the name is not a plain file name (a `:theme`
 * command must not read ../../anything). The caller frees. */
char *theme_find(const char *name, const char *datadir);

/* The names of the themes theme_find can open: every NAME.theme (a regular file, a valid
 * name) in the user's theme dir and in datadir (may be NULL), sorted, each once. *out is NULL
 * when there are none; the caller frees each name and the array. */
size_t theme_names(const char *datadir, char ***out);

/* True when `name` is acceptable as a theme name: [A-Za-z0-9_.-], not starting with '.'. */
bool theme_name_valid(const char *name);

/* Element names as written in theme files ("prod-banner"), and back (-1 when unknown). */
const char *theme_element_name(enum theme_element e);
int theme_element_from_name(const char *name);

/* Parsing of single values, for the config's own overrides and for tests. Return 0, or -1
 * and leave *out untouched. */
int theme_colour_parse(const char *s, int *out);
int theme_attr_parse(const char *s, unsigned *out);
/* A whole `FG BG ATTRS...` value; on error, -1 and a reason in why (size n). */
int theme_style_parse(const char *s, struct theme_style *out, char *why, size_t n);

/* ---- colour degradation (tmux's tty.c): RGB -> 256 -> 16 -> 8 -------------------------- */

/* Nearest index in the xterm 256-colour palette (6x6x6 cube and grey ramp). */
int theme_rgb_to_256(int rgb);
/* The palette's RGB value for index 0..255 (0xRRGGBB). */
int theme_256_to_rgb(int index);
/* The ANSI colour (0..15) closest in hue and brightness, so that a dark red stays red
 * rather than turning black (pure RGB distance would put it on black, invisible). */
int theme_rgb_to_16(int rgb);
int theme_256_to_16(int index);

/* The WCAG 2 contrast ratio of two 0xRRGGBB colours, 1 to 21. */
double theme_contrast(int rgb_a, int rgb_b);

/* Should the console use colour at all? False with NO_COLOR set and non-empty
 * (no-color.org), with --no-color, when has_colors() is false or COLORS < 8. */
bool theme_use_colour(const char *no_color_env, bool no_color_flag, bool has_colors,
                      int colors);

/* A style as the terminal can show it: fg/bg are -1 or below `colors`. colors is the
 * terminal's COLORS: >= 256 keeps the palette, >= 16 uses the 16 ANSI colours, >= 8 the
 * eight base ones (a bright foreground becomes base + bold, as tmux does, but grey, bright
 * black, becomes white + dim: black + bold is invisible on a dark terminal that does not
 * brighten bold), less than 8 drops colour and keeps attributes. A colour never lands on
 * itself: when fg == bg after degradation, fg becomes black or white, whichever reads on
 * that background. */
struct theme_style theme_style_resolve(struct theme_style s, int colors);

/* Every element of t resolved; when the theme's normal element has a colour, the other
 * elements' "default" is that colour. Then, wherever both colours of an element are known,
 * a foreground that would not read on its background once stepped down (WCAG contrast
 * below 4.5:1, or 3:1 for the elements meant to be dim: stale, dim, border, sparkline)
 * becomes black or white, whichever reads: a light theme's yellow has no readable ANSI
 * colour on white at 16 colours. On the terminal's own background nothing is known and
 * the theme is trusted (tests/unit/test_theme_contrast.c checks the shipped ones). */
void theme_resolve(const struct theme *t, int colors, struct theme_style out[THEME_N_ELEMENTS]);

#endif
