/* ui.h - the interactive console: `opsdeck` with no command.
 *
 *   opsdeck [--profile P] [--region R] [--endpoint-url URL] [--theme NAME] [--no-color]
 *           [--ascii] [--view NAME]
 *
 * One thread, one wait point (src/ui/loop.c): curl_multi_poll() on the requests in flight,
 * the terminal and a self-pipe for signals, with the timeout of the next timer. Key presses
 * and signals only mark things dirty; the loop then handles a resize first, then asks the
 * view to update from the store, then draws once (doupdate) if anything is dirty.
 *
 * Screen (80x24 and up):
 *   row 0       header: account, identity, profile, region, the nearest credential expiry
 *               as a countdown; a red PRODUCTION banner when the profile is marked
 *               environment = production in opsdeck's config
 *   rows 1..    the view
 *   row LINES-2 footer: the view's keys and the framework's
 *   row LINES-1 status line: the latest error in one line (cause and fix), or the age of
 *               the view's data ("updated 4s ago", "stale 2m: <error>"); also the `:` and
 *               `/` prompts
 *
 * Headless test mode (tig's): with OPSDECK_SCRIPT=FILE set, the console draws on a
 * newterm() whose output goes to /dev/null, sized by COLUMNS and LINES (default 80x24),
 * and reads its input from FILE instead of the terminal. FILE holds one command per line;
 * each runs only when nothing is being polled (no request in flight, no poll cycle half
 * done or due at once) and the screen has been drawn, so a dump is deterministic:
 *   keys TEXT        TEXT typed: characters as they are, and <Enter> <Esc> <Tab> <BS>
 *                    <Up> <Down> <Left> <Right> <PgUp> <PgDn> <Home> <End> <Space> <lt>
 *                    <C-x> (any control letter), e.g. `keys :profile prod<Enter>`
 *   dump FILE        the screen as UTF-8 text, one line per row, trailing blanks cut,
 *                    written 0600 (relative paths from the working directory)
 *   resize COLS ROWS as a terminal resize (SIGWINCH)
 *   sleep MS         let MS milliseconds of wall clock pass (timers run)
 *   wait             until the next round of polling has been asked and answered (the
 *                    feed went from busy back to idle after this line)
 *   refresh          what `r` does (the view's sources, and any that failed, due now),
 *                    then as wait: the round that ends is the one it started, so fresh
 *                    data after keys costs no poll interval. Tests of staleness, backoff
 *                    and intervals use wait, which keeps the natural schedule.
 *   # ...            comment; blank lines are skipped
 * At the end of the script the console quits. OPSDECK_TEST_NOW=EPOCH_SECONDS (only with
 * OPSDECK_SCRIPT) fixes the clock that ages and countdowns are measured on, so that dumps
 * do not depend on when the test ran. OPSDECK_TEST_CHECK_STEP=BYTES (only with
 * OPSDECK_SCRIPT) is how much of a resumed download's .part is hashed per loop turn, so a
 * test sees keys answered while it is checked without a file of gigabytes.
 *
 * Exit: 0 on :q / q at the top view / end of script; 1 when the console cannot start
 * (no terminal, no region, no credentials at all: one line naming the cause and the fix);
 * SIGINT/SIGTERM/SIGHUP quit cleanly; every exit path, and fatal signals (SIGSEGV, SIGBUS,
 * SIGABRT, SIGFPE, SIGILL), restore the terminal first. */
#ifndef OPSDECK_UI_H
#define OPSDECK_UI_H

#include "cmd/commands.h"

/* The console's command-line options beyond the global ones. */
struct ui_opts {
    const char *theme;     /* --theme NAME: over the config's */
    int no_color;          /* --no-color */
    int ascii;             /* --ascii */
    const char *view;      /* --view NAME: the first view (default overview) */
};

/* Runs the console; returns the exit status. */
int ui_run(const struct global_opts *g, const struct ui_opts *o);

#endif
