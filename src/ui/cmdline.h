/* cmdline.h - the `:` command line and the `/` filter prompt: a one-line editor, the
 * command table, parsing, and Tab completion. No curses: keys come in as view.h's key
 * codes, so all of it is tested without a terminal. */
#ifndef OPSDECK_CMDLINE_H
#define OPSDECK_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

#define LINEEDIT_MAX 512   /* bytes of UTF-8 */

/* A line being edited: UTF-8 text and a cursor (a byte offset on a character boundary). */
struct lineedit {
    char buf[LINEEDIT_MAX + 1];
    size_t len, cur;
};

enum lineedit_result {
    LINEEDIT_NONE,     /* nothing changed (cursor moves still redraw: see changed) */
    LINEEDIT_CHANGED,  /* the text changed (the filter applies as you type) */
    LINEEDIT_MOVED,    /* only the cursor moved */
    LINEEDIT_ACCEPT,   /* Enter */
    LINEEDIT_CANCEL,   /* Esc, Ctrl-C, Ctrl-G, or Backspace on an empty line */
    LINEEDIT_COMPLETE, /* Tab: the caller runs completion */
};

void lineedit_init(struct lineedit *le, const char *text);   /* cursor at the end */
/* Printable characters (any Unicode code point >= 0x20 but DEL, encoded as UTF-8) are
 * inserted; Backspace/Ctrl-H, Delete, Left/Right, Home/End, Ctrl-A/Ctrl-E, Ctrl-U (kill to
 * start), Ctrl-K (kill to end), Ctrl-W (word back) edit; Enter accepts; Esc/Ctrl-C/Ctrl-G
 * cancel. Keys are view.h's (VIEW_KEY(KEY_LEFT), ...). */
enum lineedit_result lineedit_key(struct lineedit *le, int key);
/* Columns from the start of the text to the cursor (for placing the terminal cursor). */
int lineedit_cursor_col(const struct lineedit *le);

/* What an argument of a command is, for completion. */
enum cmdline_arg {
    CMDLINE_ARG_NONE,
    CMDLINE_ARG_PROFILE,   /* a profile of ~/.aws/config or ~/.aws/credentials */
    CMDLINE_ARG_REGION,    /* an AWS region */
    CMDLINE_ARG_THEME,     /* a theme name */
    CMDLINE_ARG_ONOFF,     /* on or off */
};

struct cmdline_cmd {
    const char *name;      /* "profile" */
    const char *alias;     /* "q" for quit, or NULL */
    enum cmdline_arg arg;  /* its one argument, NONE when it takes none */
    bool arg_required;
    const char *usage;     /* "profile NAME" */
    const char *help;      /* "switch to AWS profile NAME (drops cached data)" */
};

/* The framework's commands: profile, region, theme, refresh, writes, cli, utc, help, quit
 * (alias q). The view names (sqs, dlq, overview, ...) are commands too; they come from the
 * caller. */
extern const struct cmdline_cmd cmdline_cmds[];
extern const size_t cmdline_ncmds;

/* Every AWS region name (commercial, China, GovCloud) as of 2026, NULL-terminated. */
extern const char *const cmdline_regions[];
/* Syntax check only: [a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]+ (new regions still work). */
bool cmdline_region_valid(const char *region);

/* A parsed command line (without the leading ':'). */
struct cmdline_parsed {
    const struct cmdline_cmd *cmd;  /* NULL when the word is a view name */
    char view[32];                  /* the view name when cmd is NULL */
    char arg[256];                  /* "" when none */
};
/* Parses "profile prod", "  sqs ", "q". views: the names that are views, NULL-terminated.
 * Returns 0, or -1 with a one-line reason in why ("unknown command 'sqz': did you mean
 * sqs?", "profile needs a NAME: :profile NAME", "region takes one word"). */
int cmdline_parse(const char *line, const char *const *views, struct cmdline_parsed *out,
                  char *why, size_t whylen);

/* Candidates for an argument kind, NULL-terminated; the caller's (profiles from the AWS
 * files, themes from the theme dirs; regions: cmdline_regions). */
typedef const char *const *(*cmdline_candidates_fn)(enum cmdline_arg kind, void *ud);

struct cmdline_completion {
    char **matches;   /* every candidate for the word under completion, sorted */
    size_t n;
};
/* Tab on le: completes the command word (commands and views) or the argument word, to the
 * longest common prefix of the matches; a single match also gets a trailing space after a
 * command that takes an argument. Fills out (when not NULL) with the matches to show.
 * Returns true when le changed. */
bool cmdline_complete(struct lineedit *le, const char *const *views,
                      cmdline_candidates_fn cand, void *ud, struct cmdline_completion *out);
void cmdline_completion_done(struct cmdline_completion *c);

#endif
