/* cmd_creds.c - `opsdeck creds add|remove|list`: long-term keys in the OS keyring.
 *
 *   opsdeck creds add PROFILE      access key id, then secret, one per line on stdin
 *   opsdeck creds remove PROFILE   removes its long-term keys and cached session
 *   opsdeck creds list             profile, kind, masked access key, expiry: never a secret
 *
 * Keys are never taken from argv (every user of the machine can read it in ps). Input is
 * read with read(2) into fixed buffers that are wiped, not through stdio, whose buffer would
 * keep a copy of the secret. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "conf/awsconfig.h"
#include "cmd/commands.h"
#include "creds/creds.h"
#include "creds/creds_provider.h"
#include "creds/keyring.h"
#include "util/xalloc.h"

#define USAGE "usage: opsdeck creds add PROFILE | creds remove PROFILE | creds list\n"

/* One line from fd without its end of line. 1: a line; 0: end of input before any byte;
 * -1: too long or a read error. */
static int read_line(int fd, char *buf, size_t size)
{
    size_t n = 0;

    for (;;) {
        char ch;
        ssize_t r = read(fd, &ch, 1);

        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0 || ch == '\n')
            break;
        if (n + 1 >= size)
            return -1;
        buf[n++] = ch;
    }
    buf[n] = '\0';
    if (n > 0 && buf[n - 1] == '\r')
        buf[--n] = '\0';
    return 1;
}

/* A prompt on the terminal itself (not stdout, which may be redirected); echo off for
 * secrets, restored afterwards. */
static int prompt_tty(int tty, const char *prompt, bool secret, char *buf, size_t size)
{
    struct termios old, quiet;
    bool restore = false;
    int r;

    if (write(tty, prompt, strlen(prompt)) < 0)
        return -1;
    if (secret && tcgetattr(tty, &old) == 0) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        restore = tcsetattr(tty, TCSAFLUSH, &quiet) == 0;
    }
    r = read_line(tty, buf, size);
    if (restore) {
        tcsetattr(tty, TCSAFLUSH, &old);
        if (write(tty, "\n", 1) < 0)
            r = -1;
    }
    return r;
}

static bool printable_word(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if ((unsigned char)*s <= ' ' || (unsigned char)*s >= 0x7f)
            return false;
    return true;
}

static bool profile_name_ok(const char *p)
{
    size_t n = strlen(p);

    if (n == 0 || n >= 100)
        return false;
    for (; *p; p++)
        if ((unsigned char)*p < ' ' || *p == 0x7f)
            return false;
    return true;
}

static int refuse_no_keyring(const char *what)
{
    const char *why = NULL;

    keyring_available(false, &why);
    fprintf(stderr, "opsdeck: cannot %s: no keyring (%s). opsdeck never writes keys to a "
            "file of its own; run it where a Secret Service is reachable (a desktop session, "
            "or dbus-run-session with gnome-keyring-daemon --unlock), or keep the keys in "
            "~/.aws/credentials\n", what, why ? why : "unknown");
    return 1;
}

static int creds_add(const char *profile)
{
    char akid[256], secret[512];
    struct aws_credentials *c;
    struct aws_error err;
    int tty = -1, ra, rs, rc = 1;

    if (!keyring_available(false, NULL))
        return refuse_no_keyring("store keys");
    if (isatty(STDIN_FILENO)) {
        tty = open("/dev/tty", O_RDWR | O_CLOEXEC);
        if (tty < 0) {
            fprintf(stderr, "opsdeck: cannot open /dev/tty to ask for the keys: %s; pipe them "
                    "on stdin instead (access key id, then secret, one per line)\n",
                    strerror(errno));
            return 1;
        }
        ra = prompt_tty(tty, "AWS access key id: ", false, akid, sizeof(akid));
        rs = ra == 1 ? prompt_tty(tty, "AWS secret access key: ", true, secret, sizeof(secret))
                     : ra;
        close(tty);
    } else {
        ra = read_line(STDIN_FILENO, akid, sizeof(akid));
        rs = ra == 1 ? read_line(STDIN_FILENO, secret, sizeof(secret)) : ra;
    }
    if (ra != 1 || rs != 1 || !printable_word(akid) || !printable_word(secret)) {
        fprintf(stderr, "opsdeck: creds add %s: expected the access key id on the first line "
                "and the secret access key on the second, each one word without spaces; "
                "nothing was stored\n", profile);
        goto out;
    }
    if (strlen(akid) < 16) {
        fprintf(stderr, "opsdeck: creds add %s: the first line is too short for an access key "
                "id (AKIA... has 20 characters); nothing was stored\n", profile);
        goto out;
    }
    c = creds_new(akid, secret, NULL, 0, "opsdeck creds add");
    aws_error_clear(&err);
    if (keyring_store(profile, KEYRING_LONG_TERM, c, NULL, &err) == 0) {
        size_t n = strlen(akid);

        printf("stored long-term keys (...%s) for profile %s in the OS keyring\n",
               n > 4 ? akid + n - 4 : "", profile);
        rc = 0;
    } else {
        fprintf(stderr, "opsdeck: creds add %s: %s\n", profile, err.message);
    }
    aws_credentials_free(c);
out:
    explicit_bzero(akid, sizeof(akid));
    explicit_bzero(secret, sizeof(secret));
    return rc;
}

static int creds_remove(const char *profile)
{
    static const char *const kinds[] = {KEYRING_LONG_TERM, KEYRING_SESSION};
    int removed = 0;

    if (!keyring_available(false, NULL))
        return refuse_no_keyring("remove keys");
    for (size_t i = 0; i < 2; i++) {
        struct aws_error err;
        int r;

        aws_error_clear(&err);
        r = keyring_delete(profile, kinds[i], &err);
        if (r < 0) {
            fprintf(stderr, "opsdeck: creds remove %s: %s\n", profile, err.message);
            return 1;
        }
        if (r > 0) {
            printf("removed the %s credentials of profile %s from the OS keyring\n", kinds[i],
                   profile);
            removed++;
        }
    }
    if (!removed) {
        fprintf(stderr, "opsdeck: creds remove %s: nothing is stored for profile %s (see "
                "`opsdeck creds list`)\n", profile, profile);
        return 1;
    }
    return 0;
}

static int creds_list(void)
{
    struct keyring_item *items = NULL;
    struct aws_error err;
    time_t now = time(NULL);
    long n;

    if (!keyring_available(false, NULL))
        return refuse_no_keyring("list keys");
    aws_error_clear(&err);
    n = keyring_list(&items, &err);
    if (n < 0) {
        fprintf(stderr, "opsdeck: creds list: %s\n", err.message);
        return 1;
    }
    if (n == 0) {
        puts("no credentials stored by opsdeck in the OS keyring");
        free(items);
        return 0;
    }
    printf("%-24s %-10s %-10s %s\n", "PROFILE", "KIND", "KEY", "EXPIRES");
    for (long i = 0; i < n; i++) {
        char when[64];

        if (items[i].expiration == 0) {
            snprintf(when, sizeof(when), "never");
        } else {
            struct tm tm;

            gmtime_r(&items[i].expiration, &tm);
            strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
            if (items[i].expiration <= now)
                strncat(when, " (expired)", sizeof(when) - strlen(when) - 1);
        }
        printf("%-24s %-10s %-10s %s\n", items[i].profile, items[i].kind, items[i].key_mask,
               when);
    }
    free(items);
    return 0;
}

int cmd_creds(const struct global_opts *g, int argc, char **argv)
{
    (void)g;
    if (argc == 2 && strcmp(argv[1], "list") == 0)
        return creds_list();
    if (argc == 3 && (strcmp(argv[1], "add") == 0 || strcmp(argv[1], "remove") == 0)) {
        if (!profile_name_ok(argv[2])) {
            fprintf(stderr, "opsdeck: creds %s: a profile name is 1 to 99 characters without "
                    "control characters\n", argv[1]);
            return 2;
        }
        return argv[1][0] == 'a' ? creds_add(argv[2]) : creds_remove(argv[2]);
    }
    if (argc >= 4 && strcmp(argv[1], "add") == 0)
        fputs("opsdeck: creds add takes only the profile: the keys are read from stdin, never "
              "from the command line\n", stderr);
    fputs(USAGE, stderr);
    return 2;
}
