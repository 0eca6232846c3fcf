/* test_cmdline.c - the `:` line editor with UTF-8 text, parsing every command and its
 * errors, and Tab completion of commands, views, profiles, regions and themes. */
#include "config.h"
#include "check_tap.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/cmdline.h"
#include "view.h"

#define E_ACUTE 0xe9    /* é: 2 bytes, 1 column */
#define CJK 0x6ce8      /* 注: 3 bytes, 2 columns */
#define EMOJI 0x1f44d   /* 👍: 4 bytes, 2 columns */

static void setup(void)
{
    ck_assert_ptr_nonnull(setlocale(LC_ALL, "C.UTF-8"));
}

static void type(struct lineedit *le, const char *ascii)
{
    for (const char *p = ascii; *p; p++)
        ck_assert_int_eq(lineedit_key(le, (unsigned char)*p), LINEEDIT_CHANGED);
}

static void line_is(const struct lineedit *le, const char *text, size_t cur)
{
    ck_assert_str_eq(le->buf, text);
    ck_assert_uint_eq(le->len, strlen(text));
    ck_assert_uint_eq(le->cur, cur);
}

/* ---- the line editor ---- */

START_TEST(edit_ascii)
{
    struct lineedit le;

    lineedit_init(&le, NULL);
    line_is(&le, "", 0);
    type(&le, "sqs");
    line_is(&le, "sqs", 3);
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY(KEY_LEFT)), LINEEDIT_MOVED);
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY(KEY_LEFT)), LINEEDIT_MOVED);
    type(&le, "n");
    line_is(&le, "snqs", 2);
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY(KEY_DC)), LINEEDIT_CHANGED);
    line_is(&le, "sns", 2);
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY(KEY_HOME)), LINEEDIT_MOVED);
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY(KEY_HOME)), LINEEDIT_NONE);
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY(KEY_LEFT)), LINEEDIT_NONE);
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY(KEY_BACKSPACE)), LINEEDIT_NONE);
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY(KEY_END)), LINEEDIT_MOVED);
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY(KEY_RIGHT)), LINEEDIT_NONE);
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY(KEY_DC)), LINEEDIT_NONE);
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY_CTRL('a')), LINEEDIT_MOVED);
    ck_assert_uint_eq(le.cur, 0);
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY_CTRL('e')), LINEEDIT_MOVED);
    ck_assert_uint_eq(le.cur, 3);
    /* all three backspaces */
    ck_assert_int_eq(lineedit_key(&le, 127), LINEEDIT_CHANGED);
    ck_assert_int_eq(lineedit_key(&le, 8), LINEEDIT_CHANGED);
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY(KEY_BACKSPACE)), LINEEDIT_CHANGED);
    line_is(&le, "", 0);
    /* backspace on an empty line leaves the prompt */
    ck_assert_int_eq(lineedit_key(&le, 127), LINEEDIT_CANCEL);
}
END_TEST

START_TEST(edit_results)
{
    struct lineedit le;

    lineedit_init(&le, "dlq");
    line_is(&le, "dlq", 3);
    ck_assert_int_eq(lineedit_key(&le, '\n'), LINEEDIT_ACCEPT);
    ck_assert_int_eq(lineedit_key(&le, '\r'), LINEEDIT_ACCEPT);
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY(KEY_ENTER)), LINEEDIT_ACCEPT);
    ck_assert_int_eq(lineedit_key(&le, 27), LINEEDIT_CANCEL);
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY_CTRL('c')), LINEEDIT_CANCEL);
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY_CTRL('g')), LINEEDIT_CANCEL);
    ck_assert_int_eq(lineedit_key(&le, '\t'), LINEEDIT_COMPLETE);
    /* control characters, DEL as text, C1 controls, surrogates, past U+10FFFF, unknown
     * function keys: never inserted */
    static const int refused[] = { 0, 1 + 0x0f, 0x1b - 1, 0x1f, 0x85, 0x9b, 0xd800, 0xdfff,
                                   0x110000, -5, VIEW_KEY(KEY_F(1)), VIEW_KEY(KEY_DOWN) };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        ck_assert_int_eq(lineedit_key(&le, refused[i]), LINEEDIT_NONE);
        line_is(&le, "dlq", 3);
    }
    /* a typed space and ~ are text */
    ck_assert_int_eq(lineedit_key(&le, ' '), LINEEDIT_CHANGED);
    ck_assert_int_eq(lineedit_key(&le, '~'), LINEEDIT_CHANGED);
    line_is(&le, "dlq ~", 5);
}
END_TEST

START_TEST(edit_utf8)
{
    struct lineedit le;

    lineedit_init(&le, "");
    type(&le, "a");
    ck_assert_int_eq(lineedit_key(&le, E_ACUTE), LINEEDIT_CHANGED);
    ck_assert_int_eq(lineedit_key(&le, CJK), LINEEDIT_CHANGED);
    ck_assert_int_eq(lineedit_key(&le, EMOJI), LINEEDIT_CHANGED);
    type(&le, "z");
    line_is(&le, "a\xc3\xa9\xe6\xb3\xa8\xf0\x9f\x91\x8dz", 11);
    ck_assert_int_eq(lineedit_cursor_col(&le), 1 + 1 + 2 + 2 + 1);
    /* left steps whole characters: z, emoji (4 bytes), CJK (3), é (2) */
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY(KEY_LEFT)), LINEEDIT_MOVED);
    ck_assert_uint_eq(le.cur, 10);
    ck_assert_int_eq(lineedit_cursor_col(&le), 6);
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY(KEY_LEFT)), LINEEDIT_MOVED);
    ck_assert_uint_eq(le.cur, 6);
    ck_assert_int_eq(lineedit_cursor_col(&le), 4);
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY(KEY_LEFT)), LINEEDIT_MOVED);
    ck_assert_uint_eq(le.cur, 3);
    ck_assert_int_eq(lineedit_cursor_col(&le), 2);
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY(KEY_LEFT)), LINEEDIT_MOVED);
    ck_assert_uint_eq(le.cur, 1);
    ck_assert_int_eq(lineedit_cursor_col(&le), 1);
    /* right steps back over é */
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY(KEY_RIGHT)), LINEEDIT_MOVED);
    ck_assert_uint_eq(le.cur, 3);
    /* backspace deletes the whole é */
    ck_assert_int_eq(lineedit_key(&le, 127), LINEEDIT_CHANGED);
    line_is(&le, "a\xe6\xb3\xa8\xf0\x9f\x91\x8dz", 1);
    /* delete removes the whole CJK char */
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY(KEY_DC)), LINEEDIT_CHANGED);
    line_is(&le, "a\xf0\x9f\x91\x8dz", 1);
    /* insert in the middle */
    ck_assert_int_eq(lineedit_key(&le, CJK), LINEEDIT_CHANGED);
    line_is(&le, "a\xe6\xb3\xa8\xf0\x9f\x91\x8dz", 4);
    ck_assert_int_eq(lineedit_cursor_col(&le), 3);
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY(KEY_END)), LINEEDIT_MOVED);
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY(KEY_BACKSPACE)), LINEEDIT_CHANGED);
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY(KEY_BACKSPACE)), LINEEDIT_CHANGED);
    line_is(&le, "a\xe6\xb3\xa8", 4);
}
END_TEST

START_TEST(edit_kills)
{
    struct lineedit le;

    /* Ctrl-W: the word before the cursor and the spaces before it */
    lineedit_init(&le, "profile  pr\xc3\xa9prod  ");
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY_CTRL('w')), LINEEDIT_CHANGED);
    line_is(&le, "profile  ", 9);
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY_CTRL('w')), LINEEDIT_CHANGED);
    line_is(&le, "", 0);
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY_CTRL('w')), LINEEDIT_NONE);

    /* Ctrl-W in the middle keeps what follows the cursor */
    lineedit_init(&le, "region eu-west-1");
    for (int i = 0; i < 3; i++)
        lineedit_key(&le, VIEW_KEY(KEY_LEFT));
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY_CTRL('w')), LINEEDIT_CHANGED);
    line_is(&le, "region t-1", 7);  /* "eu-wes" went, "t-1" stays */

    /* Ctrl-U: to the start; Ctrl-K: to the end */
    lineedit_init(&le, "\xe6\xb3\xa8\xe6\x96\x87 queue");
    lineedit_key(&le, VIEW_KEY(KEY_HOME));
    lineedit_key(&le, VIEW_KEY(KEY_RIGHT));
    ck_assert_uint_eq(le.cur, 3);
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY_CTRL('k')), LINEEDIT_CHANGED);
    line_is(&le, "\xe6\xb3\xa8", 3);
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY_CTRL('k')), LINEEDIT_NONE);
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY_CTRL('u')), LINEEDIT_CHANGED);
    line_is(&le, "", 0);
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY_CTRL('u')), LINEEDIT_NONE);

    lineedit_init(&le, "abc def");
    lineedit_key(&le, VIEW_KEY(KEY_LEFT));
    lineedit_key(&le, VIEW_KEY(KEY_LEFT));
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY_CTRL('u')), LINEEDIT_CHANGED);
    line_is(&le, "ef", 0);
}
END_TEST

START_TEST(edit_overlong)
{
    struct lineedit le;
    char big[LINEEDIT_MAX + 10];

    /* 510 bytes of ASCII, then a 3-byte character does not fit: refused whole */
    lineedit_init(&le, "");
    for (int i = 0; i < LINEEDIT_MAX - 2; i++)
        ck_assert_int_eq(lineedit_key(&le, 'x'), LINEEDIT_CHANGED);
    ck_assert_int_eq(lineedit_key(&le, CJK), LINEEDIT_NONE);
    ck_assert_uint_eq(le.len, LINEEDIT_MAX - 2);
    ck_assert_int_eq(lineedit_key(&le, E_ACUTE), LINEEDIT_CHANGED);
    ck_assert_uint_eq(le.len, LINEEDIT_MAX);
    ck_assert_int_eq(lineedit_key(&le, 'x'), LINEEDIT_NONE);
    ck_assert_uint_eq(le.len, LINEEDIT_MAX);
    ck_assert_uint_eq(strlen(le.buf), LINEEDIT_MAX);
    ck_assert_str_eq(le.buf + LINEEDIT_MAX - 2, "\xc3\xa9");

    /* init with too much text cuts at a character boundary */
    memset(big, 'y', LINEEDIT_MAX - 1);
    strcpy(big + LINEEDIT_MAX - 1, "\xe6\xb3\xa8zz");
    lineedit_init(&le, big);
    ck_assert_uint_eq(le.len, LINEEDIT_MAX - 1);
    ck_assert_uint_eq(le.cur, LINEEDIT_MAX - 1);
    ck_assert_uint_eq(strlen(le.buf), LINEEDIT_MAX - 1);

    /* wide characters all the way: never split */
    lineedit_init(&le, "");
    while (lineedit_key(&le, EMOJI) == LINEEDIT_CHANGED)
        ;
    ck_assert_uint_eq(le.len, LINEEDIT_MAX);  /* 512 = 128 × 4 */
    ck_assert_int_eq(lineedit_cursor_col(&le), 256);
    lineedit_init(&le, "");
    while (lineedit_key(&le, CJK) == LINEEDIT_CHANGED)
        ;
    ck_assert_uint_eq(le.len, 510);  /* 170 × 3: the 171st would not fit */
}
END_TEST

START_TEST(edit_foreign_text)
{
    struct lineedit le;

    /* text from elsewhere with stray bytes: the editor still moves and deletes */
    lineedit_init(&le, "a\x80\xff" "b");
    ck_assert_int_eq(lineedit_key(&le, VIEW_KEY(KEY_LEFT)), LINEEDIT_MOVED);
    ck_assert_uint_eq(le.cur, 3);
    ck_assert_int_eq(lineedit_key(&le, 127), LINEEDIT_CHANGED);
    ck_assert_uint_eq(le.len, 3);
    ck_assert_int_eq(lineedit_key(&le, 127), LINEEDIT_CHANGED);
    ck_assert_int_eq(lineedit_key(&le, 127), LINEEDIT_CHANGED);
    line_is(&le, "b", 0);
}
END_TEST

/* ---- regions ---- */

START_TEST(regions)
{
    size_t n = 0;
    bool seen_cn = false, seen_gov = false, seen_ca_west = false, seen_mx = false;

    for (; cmdline_regions[n]; n++) {
        ck_assert_msg(cmdline_region_valid(cmdline_regions[n]), "%s", cmdline_regions[n]);
        if (n)
            ck_assert_int_lt(strcmp(cmdline_regions[n - 1], cmdline_regions[n]), 0);
        seen_cn |= strcmp(cmdline_regions[n], "cn-northwest-1") == 0;
        seen_gov |= strcmp(cmdline_regions[n], "us-gov-west-1") == 0;
        seen_ca_west |= strcmp(cmdline_regions[n], "ca-west-1") == 0;
        seen_mx |= strcmp(cmdline_regions[n], "mx-central-1") == 0;
    }
    ck_assert_uint_ge(n, 35);
    ck_assert(seen_cn && seen_gov && seen_ca_west && seen_mx);

    ck_assert(cmdline_region_valid("eu-west-1"));
    ck_assert(cmdline_region_valid("ap-southeast-12"));      /* a future region */
    ck_assert(cmdline_region_valid("us-gov-east-1"));
    ck_assert(cmdline_region_valid("us-iso-east-1"));
    ck_assert(cmdline_region_valid("us-isob-east-1"));
    ck_assert(cmdline_region_valid("eu-isoe-west-1"));
    static const char *const bad[] = { "", "eu", "eu-west", "eu-west-", "eu-west-1a",
        "EU-WEST-1", "e-west-1", "eur-west-1", "eu-west-x", "eu--1", "eu-west-1 ",
        " eu-west-1", "eu-gov-1", "eu_west_1", "eu-west-1\n", "../../etc", "us-gov--1" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ck_assert_msg(!cmdline_region_valid(bad[i]), "'%s'", bad[i]);
    ck_assert(!cmdline_region_valid(NULL));
}
END_TEST

/* ---- parsing ---- */

static const char *const views[] = { "overview", "sqs", "dlq", "sns", "s3", NULL };

static const struct cmdline_cmd *cmd(const char *name)
{
    for (size_t i = 0; i < cmdline_ncmds; i++)
        if (strcmp(cmdline_cmds[i].name, name) == 0)
            return &cmdline_cmds[i];
    ck_abort_msg("no command %s", name);
    return NULL;
}

static void parse_ok(const char *line, const char *cmdname, const char *view, const char *arg)
{
    struct cmdline_parsed p;
    char why[200] = "";

    ck_assert_msg(cmdline_parse(line, views, &p, why, sizeof(why)) == 0, "'%s': %s", line, why);
    if (cmdname)
        ck_assert_ptr_eq(p.cmd, cmd(cmdname));
    else
        ck_assert_ptr_null(p.cmd);
    ck_assert_str_eq(p.view, view);
    ck_assert_str_eq(p.arg, arg);
}

static void parse_err(const char *line, const char *want)
{
    struct cmdline_parsed p;
    char why[200] = "";

    ck_assert_msg(cmdline_parse(line, views, &p, why, sizeof(why)) == -1, "'%s' parsed", line);
    ck_assert_msg(strcmp(why, want) == 0, "'%s': got \"%s\", want \"%s\"", line, why, want);
    ck_assert(strchr(why, '\n') == NULL);
}

START_TEST(parse_commands)
{
    ck_assert_uint_eq(cmdline_ncmds, 10);
    parse_ok("profile prod", "profile", "", "prod");
    parse_ok("  profile   prod-eu  ", "profile", "", "prod-eu");
    parse_ok("region eu-west-1", "region", "", "eu-west-1");
    parse_ok("region us-gov-west-1", "region", "", "us-gov-west-1");
    parse_ok("theme high-contrast", "theme", "", "high-contrast");
    parse_ok("refresh", "refresh", "", "");
    parse_ok("cli", "cli", "", "");
    parse_ok("utc", "utc", "", "");
    parse_ok("help", "help", "", "");
    parse_ok("quit", "quit", "", "");
    parse_ok("q", "quit", "", "");
    parse_ok(" q ", "quit", "", "");
    parse_ok(":sqs", NULL, "sqs", "");
    parse_ok("  sqs ", NULL, "sqs", "");
    parse_ok("dlq", NULL, "dlq", "");
    parse_ok("overview", NULL, "overview", "");
    parse_ok("s3", NULL, "s3", "");
    parse_ok("profile \xe6\xb3\xa8\xe6\x96\x87", "profile", "", "\xe6\xb3\xa8\xe6\x96\x87");
    parse_ok("\tprofile\tdev", "profile", "", "dev");
    parse_ok("writes on", "writes", "", "on");
    parse_ok("writes off", "writes", "", "off");
    parse_ok("writes", "writes", "", "");      /* says whether writes are on */
}
END_TEST

START_TEST(parse_errors)
{
    parse_err("", "empty command: type a view or a command, :help lists them (Tab completes)");
    parse_err("    ", "empty command: type a view or a command, :help lists them (Tab completes)");
    parse_err("sqz", "unknown command 'sqz' — did you mean :sqs? (Tab completes)");
    parse_err("dql", "unknown command 'dql' — did you mean :dlq? (Tab completes)");
    parse_err("profil prod", "unknown command 'profil' — did you mean :profile? (Tab completes)");
    parse_err("overv", "unknown command 'overv' — did you mean :overview? (Tab completes)");
    parse_err("refesh", "unknown command 'refesh' — did you mean :refresh? (Tab completes)");
    parse_err("SQS", "unknown command 'SQS' — did you mean :sqs? (Tab completes)");
    parse_err("Profile x", "unknown command 'Profile' — did you mean :profile? (Tab completes)");
    parse_err("xyzzy", "unknown command 'xyzzy': :help lists the commands (Tab completes)");
    parse_err("profile", "profile needs a NAME: :profile NAME (Tab completes)");
    parse_err("  region  ", "region needs a NAME: :region NAME (Tab completes)");
    parse_err("theme", "theme needs a NAME: :theme NAME (Tab completes)");
    parse_err("profile prod dev", "profile takes one word: :profile NAME");
    parse_err("writes yes", "'yes' is neither on nor off: :writes on|off");
    parse_err("writes on now", "writes takes one word: :writes on|off");
    parse_err("region eu west 1", "region takes one word: :region NAME");
    parse_err("region Europe",
              "'Europe' is not a region name (like eu-west-1): :region NAME (Tab completes)");
    parse_err("theme ../../etc/passwd",
              "'../../etc/passwd' is not a theme name (letters, digits, '-', '_', '.'): "
              ":theme NAME (Tab completes)");
    parse_err("quit now", "quit takes no argument: :quit");
    parse_err("q now", "quit takes no argument: :quit");
    parse_err("refresh all", "refresh takes no argument: :refresh");
    parse_err("sqs orders", "sqs takes no argument: :sqs");
    /* a view only counts when the caller lists it */
    {
        struct cmdline_parsed p;
        char why[200];

        ck_assert_int_eq(cmdline_parse("sqs", NULL, &p, why, sizeof(why)), -1);
        ck_assert_str_eq(why, "unknown command 'sqs': :help lists the commands (Tab completes)");
        /* NULL line and NULL/zero why do not crash */
        ck_assert_int_eq(cmdline_parse(NULL, views, &p, NULL, 0), -1);
        ck_assert_int_eq(cmdline_parse("sqz", views, &p, why, 1), -1);
        ck_assert_str_eq(why, "");
    }
}
END_TEST

START_TEST(parse_long_words)
{
    char line[2000], why[200];
    struct cmdline_parsed p;

    /* an argument longer than arg[] is refused, not cut */
    strcpy(line, "profile ");
    memset(line + 8, 'p', 300);
    line[308] = '\0';
    ck_assert_int_eq(cmdline_parse(line, views, &p, why, sizeof(why)), -1);
    ck_assert_ptr_null(strchr(why, '\n'));
    ck_assert(strstr(why, "too long for :profile NAME") != NULL);
    ck_assert_str_eq(p.arg, "");
    /* 255 bytes fit */
    line[8 + 255] = '\0';
    ck_assert_int_eq(cmdline_parse(line, views, &p, why, sizeof(why)), 0);
    ck_assert_uint_eq(strlen(p.arg), 255);

    /* a long unknown word is quoted cut, at a character boundary */
    line[0] = '\0';
    for (int i = 0; i < 100; i++)
        strcat(line, "\xe6\xb3\xa8");
    ck_assert_int_eq(cmdline_parse(line, views, &p, why, sizeof(why)), -1);
    ck_assert_str_eq(why, "unknown command '\xe6\xb3\xa8\xe6\xb3\xa8\xe6\xb3\xa8\xe6\xb3\xa8"
                          "\xe6\xb3\xa8\xe6\xb3\xa8\xe6\xb3\xa8\xe6\xb3\xa8\xe6\xb3\xa8"
                          "\xe6\xb3\xa8\xe6\xb3\xa8\xe6\xb3\xa8\xe6\xb3\xa8...': "
                          ":help lists the commands (Tab completes)");
    /* a why too small is cut, still terminated */
    ck_assert_int_eq(cmdline_parse("sqz", views, &p, why, 8), -1);
    ck_assert_str_eq(why, "unknown");
}
END_TEST

/* ---- completion ---- */

static const char *const profiles[] = { "prod", "prod-eu", "dev", NULL };
static const char *const themes[] = { "default", "light", "monochrome", "high-contrast", NULL };

static const char *const *cands(enum cmdline_arg kind, void *ud)
{
    int *calls = ud;

    if (calls)
        (*calls)++;
    switch (kind) {
    case CMDLINE_ARG_PROFILE:
        return profiles;
    case CMDLINE_ARG_THEME:
        return themes;
    default:
        return NULL;  /* regions: cmdline_complete falls back to cmdline_regions */
    }
}

/* Tab on text (cursor at the end); checks the new line, the return and the matches. */
static void tab(const char *const *vw, const char *text, const char *want, bool changed,
                const char *want_matches)
{
    struct lineedit le;
    struct cmdline_completion c;
    char got[2048] = "";

    lineedit_init(&le, text);
    ck_assert_int_eq(cmdline_complete(&le, vw, cands, NULL, &c), changed);
    ck_assert_msg(strcmp(le.buf, want) == 0, "'%s': got '%s', want '%s'", text, le.buf, want);
    ck_assert_uint_eq(le.len, strlen(want));
    ck_assert_uint_eq(le.cur, strlen(want));
    for (size_t i = 0; i < c.n; i++) {
        if (i)
            strcat(got, " ");
        strcat(got, c.matches[i]);
    }
    ck_assert_msg(strcmp(got, want_matches) == 0, "'%s': matches '%s', want '%s'", text, got,
                  want_matches);
    if (c.n == 0)
        ck_assert_ptr_null(c.matches);
    cmdline_completion_done(&c);
    ck_assert_uint_eq(c.n, 0);
    ck_assert_ptr_null(c.matches);
}

START_TEST(complete_commands)
{
    static const char *const sv[] = { "sqs", "sns", NULL };

    tab(views, "p", "profile ", true, "profile");
    tab(views, "profile", "profile ", true, "profile");
    tab(views, "reg", "region ", true, "region");
    tab(views, "ref", "refresh", true, "refresh");      /* takes no argument: no space */
    tab(views, "r", "re", true, "refresh region");       /* common prefix */
    tab(views, "re", "re", false, "refresh region");     /* nothing more to add */
    tab(sv, "s", "s", false, "sns sqs stats");           /* the views passed, and :stats */
    tab(sv, "sq", "sqs", true, "sqs");
    tab(views, "d", "dlq", true, "dlq");
    tab(views, "o", "overview", true, "overview");
    tab(views, "  :o", "  :overview", true, "overview");
    tab(views, "zz", "zz", false, "");                   /* no match: unchanged */
    tab(NULL, "sq", "sq", false, "");                  /* no views passed: no sqs */
    tab(views, "q", "quit", true, "quit");
    /* empty line: every command and view, nothing inserted */
    tab(sv, "", "", false,
        "cli help profile quit refresh region sns sqs stats theme utc writes");
    tab(NULL, "writes o", "writes o", false, "off on");
    tab(NULL, "writes of", "writes off", true, "off");
    tab(views, "u", "utc", true, "utc");
}
END_TEST

START_TEST(complete_arguments)
{
    tab(views, "profile pr", "profile prod", true, "prod prod-eu");
    tab(views, "profile prod", "profile prod", false, "prod prod-eu");
    tab(views, "profile prod-", "profile prod-eu", true, "prod-eu");
    tab(views, "profile d", "profile dev", true, "dev");  /* single: no trailing space */
    tab(views, "profile ", "profile ", false, "dev prod prod-eu");
    tab(views, "profile x", "profile x", false, "");
    tab(views, "theme h", "theme high-contrast", true, "high-contrast");
    tab(views, "theme  m", "theme  monochrome", true, "monochrome");
    tab(views, "region eu-w", "region eu-west-", true, "eu-west-1 eu-west-2 eu-west-3");
    tab(views, "region us-gov", "region us-gov-", true, "us-gov-east-1 us-gov-west-1");
    tab(views, "region ca-w", "region ca-west-1", true, "ca-west-1");
    tab(views, "region zz", "region zz", false, "");
    /* no argument to complete */
    tab(views, "quit ", "quit ", false, "");
    tab(views, "sqs ", "sqs ", false, "");
    tab(views, "nosuch x", "nosuch x", false, "");
    tab(views, "profile prod x", "profile prod x", false, "");
}
END_TEST

/* ud points at the list to return */
static const char *const *odd_cands(enum cmdline_arg kind, void *ud)
{
    (void)kind;
    return *(const char *const *const *)ud;
}

START_TEST(complete_details)
{
    struct lineedit le;
    struct cmdline_completion c;
    int calls = 0;
    static const char *const odd[] = { "zeta", "alpha", "alpha", "bad name", "ctl\x1b[31m",
                                       "caf\xc3\xa9", "caf\xc3\xa8", "", NULL };
    static const char *const *oddp;

    /* the candidate source is asked for the right kind */
    lineedit_init(&le, "profile p");
    ck_assert(cmdline_complete(&le, views, cands, &calls, NULL));  /* out may be NULL */
    ck_assert_int_eq(calls, 1);
    ck_assert_str_eq(le.buf, "profile prod");

    /* the cursor in the middle: only the text before it is completed, the rest kept */
    lineedit_init(&le, "pro dev");
    le.cur = 3;
    ck_assert(cmdline_complete(&le, views, cands, NULL, &c));
    ck_assert_str_eq(le.buf, "profile dev");
    ck_assert_uint_eq(le.cur, 7);
    cmdline_completion_done(&c);

    /* sorted, duplicates once, words with spaces or control characters never offered, and
     * a common prefix never ends inside a character */
    oddp = odd;
    lineedit_init(&le, "theme ");
    ck_assert(!cmdline_complete(&le, views, odd_cands, &oddp, &c));
    ck_assert_uint_eq(c.n, 4);
    ck_assert_str_eq(c.matches[0], "alpha");
    ck_assert_str_eq(c.matches[1], "caf\xc3\xa8");
    ck_assert_str_eq(c.matches[2], "caf\xc3\xa9");
    ck_assert_str_eq(c.matches[3], "zeta");
    cmdline_completion_done(&c);
    lineedit_init(&le, "theme c");
    ck_assert(cmdline_complete(&le, views, odd_cands, &oddp, &c));
    ck_assert_str_eq(le.buf, "theme caf");
    cmdline_completion_done(&c);
    cmdline_completion_done(NULL);

    /* a completion that would overflow the line is not applied */
    lineedit_init(&le, "pr");
    while (le.len < LINEEDIT_MAX)
        le.buf[le.len++] = 'z';
    le.buf[le.len] = '\0';
    le.cur = 2;
    ck_assert(!cmdline_complete(&le, views, cands, NULL, &c));
    ck_assert_uint_eq(c.n, 1);
    ck_assert_uint_eq(le.len, LINEEDIT_MAX);
    cmdline_completion_done(&c);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cmdline");
    TCase *tc = tcase_create("cmdline");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, edit_ascii);
    tcase_add_test(tc, edit_results);
    tcase_add_test(tc, edit_utf8);
    tcase_add_test(tc, edit_kills);
    tcase_add_test(tc, edit_overlong);
    tcase_add_test(tc, edit_foreign_text);
    tcase_add_test(tc, regions);
    tcase_add_test(tc, parse_commands);
    tcase_add_test(tc, parse_errors);
    tcase_add_test(tc, parse_long_words);
    tcase_add_test(tc, complete_commands);
    tcase_add_test(tc, complete_arguments);
    tcase_add_test(tc, complete_details);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
