/* test_audit.c - the audit log's file: where it is, its mode, what it refuses to write to,
 * and reading the last lines back with malformed lines among them. */
#include "config.h"
#include "check_tap.h"

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "act/audit.h"
#include "tmp_home.h"

static char *path_in_home(const char *rel)
{
    char *p = malloc(strlen(home) + strlen(rel) + 2);

    ck_assert_ptr_nonnull(p);
    sprintf(p, "%s/%s", home, rel);
    return p;
}

static cJSON *entry(int n)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "event", "request");
    cJSON_AddNumberToObject(o, "n", n);
    return o;
}

static int append(struct audit *a, int n, char *why, size_t whylen)
{
    cJSON *o = entry(n);
    int rc = audit_append(a, o, why, whylen);

    cJSON_Delete(o);
    return rc;
}

START_TEST(default_path_follows_xdg_state_home)
{
    char *p;

    setenv("XDG_STATE_HOME", "/srv/state", 1);
    p = audit_default_path();
    ck_assert_str_eq(p, "/srv/state/opsdeck/audit.jsonl");
    free(p);
    setenv("XDG_STATE_HOME", "relative/state", 1);   /* invalid by the spec: ignored */
    p = audit_default_path();
    ck_assert_str_eq(p + strlen(home), "/.local/state/opsdeck/audit.jsonl");
    free(p);
    unsetenv("XDG_STATE_HOME");
    unsetenv("HOME");
    ck_assert_ptr_null(audit_default_path());
    setenv("HOME", home, 1);
}
END_TEST

START_TEST(appends_lines_0600_in_a_0700_directory)
{
    char *path = path_in_home(".local/state/opsdeck/audit.jsonl"), *dir;
    struct audit *a = audit_new(path);
    char why[512], line[256];
    struct stat sb;
    FILE *f;
    int n = 0;

    for (int i = 0; i < 3; i++)
        ck_assert_msg(append(a, i, why, sizeof(why)) == 0, "%s", why);
    ck_assert_int_eq(stat(path, &sb), 0);
    ck_assert_int_eq(sb.st_mode & 0777, 0600);
    dir = path_in_home(".local/state/opsdeck");
    ck_assert_int_eq(stat(dir, &sb), 0);
    ck_assert_int_eq(sb.st_mode & 0777, 0700);
    f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    while (fgets(line, sizeof(line), f)) {
        cJSON *o = cJSON_Parse(line);

        ck_assert_ptr_nonnull(o);
        ck_assert_int_eq(cJSON_GetObjectItem(o, "n")->valueint, n);
        ck_assert_int_eq(line[strlen(line) - 1], '\n');
        cJSON_Delete(o);
        n++;
    }
    fclose(f);
    ck_assert_int_eq(n, 3);
    audit_free(a);
    free(dir);
    free(path);
}
END_TEST

START_TEST(an_existing_wider_file_is_made_0600)
{
    char *path = path_in_home("audit.jsonl");
    struct audit *a = audit_new(path);
    char why[512];
    struct stat sb;
    int fd = open(path, O_WRONLY | O_CREAT, 0644);

    ck_assert_int_ge(fd, 0);
    fchmod(fd, 0644);
    close(fd);
    ck_assert_msg(append(a, 1, why, sizeof(why)) == 0, "%s", why);
    ck_assert_int_eq(stat(path, &sb), 0);
    ck_assert_int_eq(sb.st_mode & 0777, 0600);
    audit_free(a);
    free(path);
}
END_TEST

START_TEST(refuses_a_symlink_a_fifo_and_a_directory)
{
    char *path = path_in_home("audit.jsonl"), *target = path_in_home("elsewhere");
    struct audit *a = audit_new(path);
    char why[512];
    struct stat sb;

    ck_assert_int_eq(symlink(target, path), 0);
    ck_assert_int_eq(append(a, 1, why, sizeof(why)), -1);
    ck_assert_ptr_nonnull(strstr(why, path));
    ck_assert_int_ne(stat(target, &sb), 0);          /* nothing written through the link */
    unlink(path);
    /* a FIFO without a reader: the open fails at once instead of hanging */
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    ck_assert_int_eq(append(a, 1, why, sizeof(why)), -1);
    unlink(path);
    ck_assert_int_eq(mkdir(path, 0700), 0);
    ck_assert_int_eq(append(a, 1, why, sizeof(why)), -1);
    ck_assert_ptr_nonnull(strstr(why, "nothing was sent"));
    audit_free(a);
    free(target);
    free(path);
}
END_TEST

START_TEST(no_location_is_an_error_not_a_crash)
{
    struct audit *a;
    char why[512];

    unsetenv("HOME");
    unsetenv("XDG_STATE_HOME");
    a = audit_new(NULL);
    ck_assert_ptr_null(audit_path(a));
    ck_assert_int_eq(append(a, 1, why, sizeof(why)), -1);
    ck_assert_ptr_nonnull(strstr(why, "XDG_STATE_HOME"));
    audit_free(a);
    setenv("HOME", home, 1);
}
END_TEST

START_TEST(reads_the_last_lines_malformed_ones_included)
{
    char *path = path_in_home("audit.jsonl");
    struct audit_entry *e;
    size_t n;
    char why[512];
    FILE *f = fopen(path, "w");
    char *big = malloc(AUDIT_LINE_MAX + 10);

    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(big);
    memset(big, 'x', AUDIT_LINE_MAX + 9);
    big[AUDIT_LINE_MAX + 9] = '\0';
    fputs("{\"n\":1}\n", f);
    fputs("{\"n\":2,\"cut\":\"in the mid\n", f);       /* a torn write */
    fputs("[1,2,3]\n", f);                              /* JSON, not an object */
    fputs("\n", f);
    fprintf(f, "%s\n", big);
    fputs("{\"n\":6}\n", f);
    fwrite("{\"n\":\0}\n", 1, 8, f);                     /* a NUL in the line */
    fputs("{\"n\":8}", f);                              /* no final newline */
    fclose(f);
    free(big);

    ck_assert_int_eq(audit_read_last(path, 100, &e, &n, why, sizeof(why)), 0);
    ck_assert_uint_eq(n, 8);
    ck_assert_int_eq(e[0].line, 1);
    ck_assert_int_eq(cJSON_GetObjectItem(e[0].obj, "n")->valueint, 1);
    ck_assert_ptr_null(e[1].obj);
    ck_assert_str_eq(e[1].problem, "not a JSON object");
    ck_assert_ptr_null(e[2].obj);
    ck_assert_str_eq(e[3].problem, "empty line");
    ck_assert_ptr_null(e[4].obj);
    ck_assert_ptr_nonnull(strstr(e[4].problem, "longer than"));
    ck_assert_int_eq(cJSON_GetObjectItem(e[5].obj, "n")->valueint, 6);
    ck_assert_ptr_null(e[6].obj);
    ck_assert_str_eq(e[6].problem, "holds a NUL byte");
    ck_assert_int_eq(e[7].line, 8);
    ck_assert_int_eq(cJSON_GetObjectItem(e[7].obj, "n")->valueint, 8);
    audit_entries_free(e, n);

    /* only the last two, oldest first */
    ck_assert_int_eq(audit_read_last(path, 2, &e, &n, why, sizeof(why)), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(e[0].line, 7);
    ck_assert_int_eq(e[1].line, 8);
    audit_entries_free(e, n);
    free(path);
}
END_TEST

START_TEST(a_missing_log_is_not_an_error)
{
    char *path = path_in_home("never/written.jsonl");
    struct audit_entry *e;
    size_t n = 99;
    char why[512];

    ck_assert_int_eq(audit_read_last(path, 10, &e, &n, why, sizeof(why)), 1);
    ck_assert_uint_eq(n, 0);
    audit_entries_free(e, n);
    free(path);
}
END_TEST

/* The tail scan reads only the last bytes asked for: the line the cut falls in, a last line
 * without its newline, a line with a NUL and one that is not an object are not handed on;
 * what is handed on comes oldest first. A missing log is 1, a FIFO an error (not a hang). */
static void collect(const cJSON *o, void *arg)
{
    char *seen = arg;
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, "n");

    sprintf(seen + strlen(seen), "%d,", cJSON_IsNumber(n) ? n->valueint : -1);
}

START_TEST(scans_only_the_tail)
{
    char *path = path_in_home("tail.jsonl");
    /* line 3's end, cut off its head, would read as an object of its own: {"n":33} */
    const char *head = "{\"n\":1}\n{\"n\":2}\n{\"x\":{\"n\":33}}\n";
    const char *tail = "[4]\n{\"n\":5}\n{\"n\":6}\n{\"n\":7}";  /* 7: no newline yet */
    char seen[128] = "", why[512];
    FILE *f = fopen(path, "w");

    ck_assert_ptr_nonnull(f);
    fputs(head, f);
    fwrite("{\"n\":9\0}\n", 1, 9, f);      /* a NUL inside: skipped */
    fputs(tail, f);
    fclose(f);
    /* the whole file */
    ck_assert_int_eq(audit_scan_tail(path, 1 << 20, collect, seen, why, sizeof(why)), 0);
    ck_assert_str_eq(seen, "1,2,-1,5,6,");
    /* the last bytes only: the cut falls inside line 3, which is not read as {"n":33} */
    seen[0] = '\0';
    ck_assert_int_eq(audit_scan_tail(path, strlen(tail) + 9 + 10, collect, seen, why,
                                     sizeof(why)), 0);
    ck_assert_str_eq(seen, "5,6,");
    seen[0] = '\0';
    ck_assert_int_eq(audit_scan_tail(path, 0, collect, seen, why, sizeof(why)), 0);
    ck_assert_str_eq(seen, "");
    free(path);
    path = path_in_home("never/written.jsonl");
    ck_assert_int_eq(audit_scan_tail(path, 100, collect, seen, why, sizeof(why)), 1);
    free(path);
    path = path_in_home("fifo.jsonl");
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    ck_assert_int_eq(audit_scan_tail(path, 100, collect, seen, why, sizeof(why)), -1);
    ck_assert_ptr_nonnull(strstr(why, "not a regular file"));
    free(path);
}
END_TEST

static Suite *audit_suite(void)
{
    Suite *s = suite_create("audit");
    TCase *tc = tcase_create("audit");

    tcase_add_checked_fixture(tc, tmp_home_setup, tmp_home_teardown);
    tcase_add_test(tc, default_path_follows_xdg_state_home);
    tcase_add_test(tc, appends_lines_0600_in_a_0700_directory);
    tcase_add_test(tc, an_existing_wider_file_is_made_0600);
    tcase_add_test(tc, refuses_a_symlink_a_fifo_and_a_directory);
    tcase_add_test(tc, no_location_is_an_error_not_a_crash);
    tcase_add_test(tc, reads_the_last_lines_malformed_ones_included);
    tcase_add_test(tc, a_missing_log_is_not_an_error);
    tcase_add_test(tc, scans_only_the_tail);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(audit_suite());
}
