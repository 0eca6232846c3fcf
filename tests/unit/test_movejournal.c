/* test_movejournal.c - the redrive journal (act/movejournal.h), the client-side mover's
 * memory across a crash:
 *   - replay follows recv -> sent -> done per receipt handle; what is left is what a resume
 *     deletes (sent) or releases (recv);
 *   - malformed input never leads to a deletion: a torn last line, lines that are not JSON,
 *     not objects, hold a NUL, are too long, a "sent" or "done" for a handle never received,
 *     a second "recv" of the same handle, an unknown op, a "sent" before its "recv": all
 *     skipped and counted;
 *   - the file: 0600 in a 0700 directory, its first line names the move, a journal of
 *     another move is refused, a symlink at the path is refused, it is cut back to its first
 *     line when nothing is in hand, and a failed fsync is an error the caller sees. */
#include "config.h"
#include "check_tap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "act/movejournal.h"
#include "tmp_home.h"

#define FROM "https://sqs.eu-west-1.amazonaws.com/123456789012/orders-dlq"
#define TO "https://sqs.eu-west-1.amazonaws.com/123456789012/orders"

static void replay(const char *text, struct mj_pending *p)
{
    movejournal_replay(text, strlen(text), p);
}

static const struct mj_entry *entry(const struct mj_pending *p, const char *rh)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->e[i].rh, rh) == 0)
            return &p->e[i];
    return NULL;
}

START_TEST(replay_follows_each_handle)
{
    struct mj_pending p;

    replay("{\"op\":\"move\",\"from\":\"" FROM "\",\"to\":\"" TO "\"}\n"
           "{\"op\":\"recv\",\"rh\":\"a\",\"id\":\"id-a\"}\n"
           "{\"op\":\"recv\",\"rh\":\"b\",\"id\":\"id-b\"}\n"
           "{\"op\":\"recv\",\"rh\":\"c\",\"id\":\"id-c\"}\n"
           "{\"op\":\"sent\",\"rh\":\"a\"}\n"
           "{\"op\":\"sent\",\"rh\":\"b\"}\n"
           "{\"op\":\"done\",\"rh\":\"b\"}\n",
           &p);
    ck_assert_str_eq(p.from, FROM);
    ck_assert_str_eq(p.to, TO);
    ck_assert_uint_eq(p.n, 2);
    ck_assert_uint_eq(p.skipped, 0);
    ck_assert_int_eq(entry(&p, "a")->state, MJ_SENT);
    ck_assert_str_eq(entry(&p, "a")->id, "id-a");
    ck_assert_int_eq(entry(&p, "c")->state, MJ_RECEIVED);
    ck_assert_ptr_null(entry(&p, "b"));
    ck_assert_uint_eq(mj_pending_count(&p, MJ_SENT), 1);
    ck_assert_uint_eq(mj_pending_count(&p, MJ_RECEIVED), 1);
    mj_pending_free(&p);
}
END_TEST

START_TEST(malformed_lines_never_make_a_deletion)
{
    struct mj_pending p;
    char *text;
    char longline[MOVEJOURNAL_LINE_MAX + 64];

    memset(longline, 'x', sizeof(longline));
    memcpy(longline, "{\"op\":\"recv\",\"rh\":\"", 19);
    strcpy(longline + sizeof(longline) - 8, "\"}\n");
    text = NULL;
    if (asprintf(&text,
                 "{\"op\":\"sent\",\"rh\":\"never-received\"}\n"    /* sent without recv */
                 "{\"op\":\"done\",\"rh\":\"never-received\"}\n"    /* done without recv */
                 "not json at all\n"
                 "[\"op\",\"recv\"]\n"                              /* not an object */
                 "{\"op\":\"recv\"}\n"                              /* no handle */
                 "{\"op\":\"recv\",\"rh\":\"\"}\n"                  /* empty handle */
                 "{\"op\":\"recv\",\"rh\":42}\n"                    /* not a string */
                 "{\"op\":\"eat\",\"rh\":\"a\"}\n"                  /* unknown op */
                 "\n"                                               /* empty line */
                 "{\"op\":\"recv\",\"rh\":\"a\",\"id\":\"1\"}\n"
                 "{\"op\":\"recv\",\"rh\":\"a\",\"id\":\"1\"}\n"    /* received twice */
                 "{\"op\":\"sent\",\"rh\":\"a\"}\n"
                 "{\"op\":\"sent\",\"rh\":\"a\"}\n"                 /* sent twice */
                 "%s"                                               /* longer than a line */
                 "{\"op\":\"recv\",\"rh\":\"b\",\"id\":\"2\"}\n"
                 "{\"op\":\"sent\",\"rh\":\"b\"",                   /* torn: no newline */
                 longline) < 0)
        ck_abort();
    replay(text, &p);
    ck_assert_uint_eq(p.n, 2);
    ck_assert_int_eq(entry(&p, "a")->state, MJ_SENT);
    ck_assert_int_eq(entry(&p, "b")->state, MJ_RECEIVED);   /* its "sent" never finished */
    ck_assert_ptr_null(entry(&p, "never-received"));
    ck_assert_uint_eq(p.skipped, 13);
    ck_assert_ptr_null(p.from);
    mj_pending_free(&p);
    free(text);

    /* a NUL inside a line */
    static const char nul[] = "{\"op\":\"recv\",\"rh\":\"a\0b\"}\n{\"op\":\"recv\",\"rh\":\"c\"}\n";
    movejournal_replay(nul, sizeof(nul) - 1, &p);
    ck_assert_uint_eq(p.n, 1);
    ck_assert_ptr_nonnull(entry(&p, "c"));
    ck_assert_uint_eq(p.skipped, 1);
    mj_pending_free(&p);

    replay("", &p);
    ck_assert_uint_eq(p.n + p.skipped, 0);
    mj_pending_free(&p);
}
END_TEST

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    char *s = calloc(1, 65536);

    ck_assert_ptr_nonnull(f);
    fread(s, 1, 65535, f);
    fclose(f);
    return s;
}

START_TEST(file_round_trip_0600_compacted_and_resumed)
{
    struct mj_pending p;
    struct movejournal *j;
    char why[512], *path, *text;
    const char *rh[] = {"h1", "h2", "h3"}, *ids[] = {"i1", "i2", "i3"};
    struct stat sb;

    setenv("XDG_STATE_HOME", home, 1);
    path = movejournal_path(FROM, TO);
    ck_assert_ptr_nonnull(strstr(path, "/opsdeck/redrive/"));
    ck_assert_str_eq(path + strlen(path) - 6, ".jsonl");
    j = movejournal_open(path, FROM, TO, &p, why, sizeof(why));
    ck_assert_msg(j != NULL, "%s", why);
    ck_assert_uint_eq(p.n, 0);
    mj_pending_free(&p);
    ck_assert_int_eq(stat(path, &sb), 0);
    ck_assert_uint_eq(sb.st_mode & 0777, 0600);
    *strrchr(path, '/') = '\0';
    ck_assert_int_eq(stat(path, &sb), 0);
    ck_assert_uint_eq(sb.st_mode & 0777, 0700);
    path[strlen(path)] = '/';

    ck_assert_int_eq(movejournal_write(j, "recv", rh, ids, 3, why, sizeof(why)), 0);
    ck_assert_int_eq(movejournal_write(j, "sent", rh, NULL, 2, why, sizeof(why)), 0);
    ck_assert_int_eq(movejournal_write(j, "done", rh, NULL, 1, why, sizeof(why)), 0);
    ck_assert_uint_eq(movejournal_held(j), 2);
    movejournal_close(j, false);   /* killed here, in effect */

    j = movejournal_open(path, FROM, TO, &p, why, sizeof(why));
    ck_assert_msg(j != NULL, "%s", why);
    ck_assert_uint_eq(p.n, 2);
    ck_assert_int_eq(entry(&p, "h2")->state, MJ_SENT);
    ck_assert_int_eq(entry(&p, "h3")->state, MJ_RECEIVED);
    mj_pending_free(&p);
    /* the resume deletes h2 and releases h3: nothing in hand, the file is its first line */
    ck_assert_int_eq(movejournal_write(j, "done", rh + 1, NULL, 2, why, sizeof(why)), 0);
    ck_assert_uint_eq(movejournal_held(j), 0);
    text = slurp(path);
    ck_assert_str_eq(text, "{\"op\":\"move\",\"from\":\"" FROM "\",\"to\":\"" TO "\"}\n");
    free(text);
    movejournal_close(j, true);
    ck_assert_int_eq(access(path, F_OK), -1);

    /* another move's journal at this path is refused, and left alone */
    FILE *f = fopen(path, "w");
    fputs("{\"op\":\"move\",\"from\":\"" FROM "\",\"to\":\"elsewhere\"}\n", f);
    fclose(f);
    ck_assert_ptr_null(movejournal_open(path, FROM, TO, &p, why, sizeof(why)));
    ck_assert_ptr_nonnull(strstr(why, "another move"));
    ck_assert_int_eq(access(path, F_OK), 0);
    unlink(path);

    /* a symlink planted at the path is not followed */
    ck_assert_int_eq(symlink("/etc/passwd", path), 0);
    ck_assert_ptr_null(movejournal_open(path, FROM, TO, &p, why, sizeof(why)));
    ck_assert_ptr_nonnull(strstr(why, path));
    unlink(path);
    free(path);
}
END_TEST

static int failing_sync(int fd)
{
    (void)fd;
    errno = EIO;
    return -1;
}

START_TEST(a_failed_sync_is_an_error)
{
    struct mj_pending p;
    struct movejournal *j;
    char why[512], *path;
    const char *rh[] = {"h1"};

    setenv("XDG_STATE_HOME", home, 1);
    path = movejournal_path(FROM, TO);
    j = movejournal_open(path, FROM, TO, &p, why, sizeof(why));
    ck_assert_ptr_nonnull(j);
    mj_pending_free(&p);
    ck_assert_int_eq(movejournal_write(j, "recv", rh, rh, 1, why, sizeof(why)), 0);
    movejournal_set_sync(j, failing_sync);
    ck_assert_int_eq(movejournal_write(j, "sent", rh, NULL, 1, why, sizeof(why)), -1);
    ck_assert_ptr_nonnull(strstr(why, "Input/output error"));
    /* what was not made durable does not count as sent */
    ck_assert_uint_eq(movejournal_held(j), 1);
    movejournal_close(j, false);
    free(path);
}
END_TEST

START_TEST(no_state_directory_is_an_error)
{
    struct mj_pending p;
    char why[512];

    unsetenv("XDG_STATE_HOME");
    unsetenv("HOME");
    ck_assert_ptr_null(movejournal_path(FROM, TO));
    ck_assert_ptr_null(movejournal_open(NULL, FROM, TO, &p, why, sizeof(why)));
    ck_assert_ptr_nonnull(strstr(why, "XDG_STATE_HOME"));
    setenv("HOME", home, 1);
}
END_TEST

static Suite *movejournal_suite(void)
{
    Suite *s = suite_create("movejournal");
    TCase *tc = tcase_create("movejournal");

    tcase_add_checked_fixture(tc, tmp_home_setup, tmp_home_teardown);
    tcase_add_test(tc, replay_follows_each_handle);
    tcase_add_test(tc, malformed_lines_never_make_a_deletion);
    tcase_add_test(tc, file_round_trip_0600_compacted_and_resumed);
    tcase_add_test(tc, a_failed_sync_is_an_error);
    tcase_add_test(tc, no_state_directory_is_an_error);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(movejournal_suite());
}
