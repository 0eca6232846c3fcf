/* mfa_tty.c - the MFA prompt on /dev/tty for headless commands (snapshot, whoami).
 *
 * Why /dev/tty and not stdin: the commands' stdout is often a pipe, and stdin may be too;
 * the person is at the controlling terminal. With no controlling terminal (cron, CI, a
 * setsid'd child) opening /dev/tty fails and we answer "no code" so the caller can say
 * "use --mfa-code". Echo is turned off like getpass(3), and turned back on from a signal
 * handler too, because a user who presses Ctrl-C at the prompt must not be left with a
 * terminal that does not echo (over SSH, `stty sane` is not obvious at 3 a.m.). */
#include "config.h"
#include "creds/mfa_tty.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "util/sanitize.h"
#include "util/xalloc.h"

#define MFA_TRIES 3

static const int caught[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU};
#define NCAUGHT (sizeof(caught) / sizeof(caught[0]))

/* State the signal handler needs: async-signal-safe to read (written before the handlers
 * are installed, cleared after they are removed). */
static volatile sig_atomic_t tty_fd = -1;
static struct termios tty_saved;
static struct sigaction saved_act[NCAUGHT];
static volatile sig_atomic_t got_signal;

static void restore_handlers(void)
{
    for (size_t i = 0; i < NCAUGHT; i++)
        sigaction(caught[i], &saved_act[i], NULL);
}

/* Restores the terminal and the previous disposition, then re-raises: with the default
 * action the process ends (or stops, for SIGTSTP) as it would have without us; with the
 * caller's own handler, that runs, and our read() returns EINTR and we give up. */
static void on_signal(int sig)
{
    int saved_errno = errno;

    if (tty_fd >= 0)
        tcsetattr(tty_fd, TCSAFLUSH, &tty_saved);
    got_signal = sig;
    for (size_t i = 0; i < NCAUGHT; i++)
        if (caught[i] == sig)
            sigaction(sig, &saved_act[i], NULL);
    raise(sig);
    errno = saved_errno;
}

static void tty_write(int fd, const char *s)
{
    size_t n = strlen(s);

    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR && !got_signal)
            continue;
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

/* One line from fd, without its newline; the rest of a too-long line is read and dropped.
 * Returns the length, or -1 on end of input, an error or a signal. */
static ssize_t tty_read_line(int fd, char *buf, size_t len)
{
    size_t n = 0;
    bool too_long = false;

    for (;;) {
        char ch;
        ssize_t r = read(fd, &ch, 1);

        if (r < 0 && errno == EINTR && !got_signal)
            continue;
        if (r <= 0)
            return -1;
        if (ch == '\n' || ch == '\r')
            break;
        if (n + 1 < len)
            buf[n++] = ch;
        else
            too_long = true;
    }
    buf[n] = '\0';
    return too_long ? (ssize_t)len : (ssize_t)n;
}

/* Exactly 6 ASCII digits, blanks around them allowed (people paste " 123456"). */
static bool code_take(const char *line, char *code, size_t len)
{
    const char *p = line;
    size_t n = 0;

    while (*p == ' ' || *p == '\t')
        p++;
    while (isdigit((unsigned char)p[n]))
        n++;
    if (n != 6 || len < 7)
        return false;
    for (const char *q = p + n; *q; q++)
        if (*q != ' ' && *q != '\t')
            return false;
    memcpy(code, p, 6);
    code[6] = '\0';
    return true;
}

int creds_mfa_tty_prompt(void *ud, const char *profile, const char *serial, char *code,
                         size_t len)
{
    struct termios noecho;
    struct sigaction sa;
    char line[64], *prompt, *sserial, *sprofile;
    int fd, rc = -1;

    (void)ud;
    fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    if (tcgetattr(fd, &tty_saved) != 0) {
        close(fd);
        return -1;
    }
    /* serial and profile come from the config file: shown escaped, like AWS text */
    sserial = sanitize_text(serial, strlen(serial));
    sprofile = sanitize_text(profile, strlen(profile));
    prompt = xasprintf("MFA code for %s (profile %s): ", sserial, sprofile);
    free(sserial);
    free(sprofile);

    got_signal = 0;
    tty_fd = fd;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;   /* no SA_RESTART: a signal must interrupt the read */
    for (size_t i = 0; i < NCAUGHT; i++)
        sigaction(caught[i], &sa, &saved_act[i]);

    noecho = tty_saved;
    /* ECHONL: the Enter still moves to the next line, so later output starts cleanly */
    noecho.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK);
    noecho.c_lflag |= ECHONL | ICANON;
    if (tcsetattr(fd, TCSAFLUSH, &noecho) != 0)
        goto out;
    for (int tries = 0; tries < MFA_TRIES && !got_signal; tries++) {
        ssize_t n;

        tty_write(fd, prompt);
        n = tty_read_line(fd, line, sizeof(line));
        if (n < 0) {
            tty_write(fd, "\n");
            break;
        }
        if (code_take(line, code, len)) {
            rc = 0;
            break;
        }
        tty_write(fd, "the MFA code is the 6 digits your device shows; try again\n");
    }
out:
    explicit_bzero(line, sizeof(line));
    tcsetattr(fd, TCSAFLUSH, &tty_saved);
    restore_handlers();
    tty_fd = -1;
    close(fd);
    free(prompt);
    return rc;
}

int creds_mfa_tty_ask(void *ud, unsigned long id, const char *profile, const char *serial,
                      char *code, size_t len)
{
    (void)id;
    return creds_mfa_tty_prompt(ud, profile, serial, code, len) == 0 ? 1 : -1;
}
