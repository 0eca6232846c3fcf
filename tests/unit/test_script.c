/* test_script.c - the OPSDECK_SCRIPT format (ui.h), which tests of the console are written
 * in: every command, every <Name> token, and malformed lines reported as file:line. */
#include "config.h"
#include "check_tap.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ui/script.h"
#include "view.h"

static struct script s;
static char why[512];

static int parse(const char *text)
{
    why[0] = '\0';
    return script_parse(&s, "t.script", text, why, sizeof(why));
}

static void keys_are(const char *text, const int *want, size_t n)
{
    int *k = NULL;
    size_t nk = 0;

    ck_assert_msg(script_parse_keys(text, &k, &nk, why, sizeof(why)) >= 0, "%s: %s", text, why);
    ck_assert_uint_eq(nk, n);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(k[i] == want[i], "%s: key %zu is %#x, want %#x", text, i, k[i], want[i]);
    free(k);
}

START_TEST(every_command)
{
    ck_assert_int_eq(parse("# a comment\n"
                           "\n"
                           "keys 2\n"
                           "   \t\n"
                           "dump out/screen one.txt  \n"
                           "resize 100 30\n"
                           "sleep 1500\n"
                           "wait\n"
                           "refresh \t\n"
                           "  keys :q<Enter>\n"),
                     0);
    ck_assert_uint_eq(s.n, 7);
    ck_assert_int_eq(s.cmds[0].op, SCRIPT_KEYS);
    ck_assert_int_eq(s.cmds[0].line, 3);
    ck_assert_uint_eq(s.cmds[0].nkeys, 1);
    ck_assert_int_eq(s.cmds[0].keys[0], '2');
    ck_assert_int_eq(s.cmds[1].op, SCRIPT_DUMP);
    ck_assert_str_eq(s.cmds[1].path, "out/screen one.txt");   /* spaces inside kept */
    ck_assert_int_eq(s.cmds[1].line, 5);
    ck_assert_int_eq(s.cmds[2].op, SCRIPT_RESIZE);
    ck_assert_int_eq(s.cmds[2].cols, 100);
    ck_assert_int_eq(s.cmds[2].rows, 30);
    ck_assert_int_eq(s.cmds[3].op, SCRIPT_SLEEP);
    ck_assert_int_eq(s.cmds[3].ms, 1500);
    ck_assert_int_eq(s.cmds[4].op, SCRIPT_WAIT);
    ck_assert_int_eq(s.cmds[5].op, SCRIPT_REFRESH);   /* trailing blanks are not an argument */
    ck_assert_int_eq(s.cmds[5].line, 9);
    ck_assert_int_eq(s.cmds[6].op, SCRIPT_KEYS);
    ck_assert_int_eq(s.cmds[6].line, 10);
    ck_assert_uint_eq(s.cmds[6].nkeys, 3);
    script_done(&s);
    ck_assert_uint_eq(s.n, 0);
}
END_TEST

START_TEST(crlf_and_no_final_newline)
{
    ck_assert_int_eq(parse("keys ab\r\nwait\r\nsleep 0"), 0);
    ck_assert_uint_eq(s.n, 3);
    ck_assert_uint_eq(s.cmds[0].nkeys, 2);
    ck_assert_int_eq(s.cmds[2].ms, 0);
    script_done(&s);
}
END_TEST

START_TEST(keys_text_is_literal)
{
    /* spaces are keys: the text is the rest of the line after one separator */
    const int want[] = {':', 'p', 'r', 'o', 'f', 'i', 'l', 'e', ' ', 'p', 'r', 'o', 'd', '\n'};
    const int sp[] = {' ', 'x', ' '};
    const int utf[] = {0xe9, 0x6771, 0x1f600};

    keys_are(":profile prod<Enter>", want, sizeof(want) / sizeof(want[0]));
    keys_are(" x ", sp, 3);
    keys_are("\xc3\xa9\xe6\x9d\xb1\xf0\x9f\x98\x80", utf, 3);
    ck_assert_int_eq(parse("keys  x\n"), 0);   /* two spaces: the second is typed */
    ck_assert_uint_eq(s.cmds[0].nkeys, 2);
    ck_assert_int_eq(s.cmds[0].keys[0], ' ');
    script_done(&s);
}
END_TEST

START_TEST(named_tokens)
{
    const int want[] = {'\n', 27, '\t', VIEW_KEY(KEY_BACKSPACE), VIEW_KEY(KEY_UP),
                        VIEW_KEY(KEY_DOWN), VIEW_KEY(KEY_LEFT), VIEW_KEY(KEY_RIGHT),
                        VIEW_KEY(KEY_PPAGE), VIEW_KEY(KEY_NPAGE), VIEW_KEY(KEY_HOME),
                        VIEW_KEY(KEY_END), ' ', '<'};
    const int ctrl[] = {3, 12, 1, 26, 'x'};
    const int lt[] = {'a', '<', 'b', '>'};

    keys_are("<Enter><Esc><Tab><BS><Up><Down><Left><Right><PgUp><PgDn><Home><End><Space><lt>",
             want, sizeof(want) / sizeof(want[0]));
    keys_are("<C-c><C-l><C-a><C-Z>x", ctrl, 5);
    keys_are("a<lt>b>", lt, 4);   /* a lone '>' is just a character */
}
END_TEST

/* Each malformed line: the message starts with file:line and says why. */
static void bad(const char *text, int line, const char *reason)
{
    char prefix[64];

    ck_assert_msg(parse(text) == -1, "accepted: %s", text);
    snprintf(prefix, sizeof(prefix), "t.script:%d: ", line);
    ck_assert_msg(strncmp(why, prefix, strlen(prefix)) == 0, "'%s' for %s", why, text);
    ck_assert_msg(strstr(why, reason) != NULL, "'%s' lacks '%s'", why, reason);
    ck_assert_uint_eq(s.n, 0);
    ck_assert_ptr_null(s.cmds);
}

START_TEST(malformed_lines)
{
    bad("keys a\nkeys <Enter\n", 2, "without '>'");
    bad("keys <Return>\n", 1, "unknown key <Return>");
    bad("keys <C-1>\n", 1, "unknown key <C-1>");
    bad("keys <>\n", 1, "unknown key <>");
    bad("keys\n", 1, "keys needs TEXT");
    bad("wait\n\n# c\ndump\n", 4, "dump needs a FILE");
    bad("resize 100\n", 1, "resize needs COLS ROWS");
    bad("resize 100 x\n", 1, "two numbers");
    bad("resize 0 24\n", 1, "two numbers");
    bad("resize -1 24\n", 1, "two numbers");
    bad("resize 100 30 7\n", 1, "two numbers");
    bad("sleep\n", 1, "sleep needs milliseconds");
    bad("sleep 1.5\n", 1, "sleep needs milliseconds");
    bad("sleep -3\n", 1, "sleep needs milliseconds");
    bad("sleep 99999999999999999999\n", 1, "sleep needs milliseconds");
    bad("wait 3\n", 1, "wait takes no argument");
    bad("wait now\n", 1, "wait takes no argument");
    bad("refresh now\n", 1, "refresh takes no argument");
    bad("wait\nrefresh 0\n", 2, "refresh takes no argument");
    bad("refresh\t#\n", 1, "refresh takes no argument");   /* no comments after a word */
    bad("refreshwait\n", 1, "unknown command 'refreshwait'");
    bad("Refresh\n", 1, "unknown command 'Refresh'");
    bad("refres\n", 1, "wait or refresh");
    bad("keys a\nKeys b\n", 2, "unknown command 'Keys'");
    bad("press q\n", 1, "unknown command 'press'");
    bad("keys \x01\n", 1, "control character");
    bad("keys \xff\n", 1, "invalid UTF-8");
    bad("keys \xc0\xaf\n", 1, "invalid UTF-8");   /* overlong '/' */
    bad("keys \xed\xa0\x80\n", 1, "invalid UTF-8");   /* a surrogate */
}
END_TEST

START_TEST(load_file)
{
    char path[] = "/tmp/test_script_XXXXXX";
    int fd = mkstemp(path);
    static const char text[] = "keys j\ndump x\nbogus\n";

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, sizeof(text) - 1), (int)sizeof(text) - 1);
    close(fd);
    ck_assert_int_eq(script_load(&s, path, why, sizeof(why)), -1);
    ck_assert_msg(strstr(why, ":3: unknown command 'bogus'") != NULL, "%s", why);
    ck_assert_msg(strncmp(why, path, strlen(path)) == 0, "%s names the file", why);

    fd = open(path, O_WRONLY | O_TRUNC);
    ck_assert_int_eq(write(fd, "keys j\0k\n", 9), 9);
    close(fd);
    ck_assert_int_eq(script_load(&s, path, why, sizeof(why)), -1);
    ck_assert_msg(strstr(why, "NUL") != NULL, "%s", why);

    fd = open(path, O_WRONLY | O_TRUNC);
    ck_assert_int_eq(write(fd, "keys j\n", 7), 7);
    close(fd);
    ck_assert_int_eq(script_load(&s, path, why, sizeof(why)), 0);
    ck_assert_uint_eq(s.n, 1);
    script_done(&s);

    unlink(path);
    ck_assert_int_eq(script_load(&s, path, why, sizeof(why)), -1);
    ck_assert_msg(strstr(why, "No such file") != NULL, "%s", why);
}
END_TEST

static Suite *suite(void)
{
    Suite *su = suite_create("script");
    TCase *tc = tcase_create("script");

    tcase_add_test(tc, every_command);
    tcase_add_test(tc, crlf_and_no_final_newline);
    tcase_add_test(tc, keys_text_is_literal);
    tcase_add_test(tc, named_tokens);
    tcase_add_test(tc, malformed_lines);
    tcase_add_test(tc, load_file);
    suite_add_tcase(su, tc);
    return su;
}

int main(void)
{
    return check_tap_run(suite());
}
