/* headless.c - an action run without a screen (headless.h). */
#include "config.h"
#include "act/headless.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/sanitize.h"
#include "util/xalloc.h"
#include "util/timeutil.h"

/* The monotonic clock in the form the act env's clock takes. */
static int64_t mono_ms(void *arg)
{
    (void)arg;
    return timeutil_mono_ms();
}

static void put(int fd, const char *s, size_t n)
{
    size_t off = 0;

    while (off < n) {
        ssize_t w = write(fd, s + off, n - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        off += (size_t)w;
    }
}

/* Names come from AWS and the config files: escaped for the terminal, as everywhere. */
static void say(int fd, const char *text)
{
    char *clean = sanitize_text(text, strlen(text));

    put(fd, clean, strlen(clean));
    free(clean);
}

static void nl(int fd)
{
    put(fd, "\n", 1);
}

/* One line from the terminal, without its newline; -1 at end of input. */
static int read_line(int fd, char *buf, size_t n)
{
    size_t len = 0;

    for (;;) {
        char c;
        ssize_t r = read(fd, &c, 1);

        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return len ? 0 : -1;
        if (c == '\n')
            break;
        if (len + 1 < n)
            buf[len++] = c;
    }
    while (len && buf[len - 1] == '\r')
        len--;
    buf[len] = '\0';
    return 0;
}

int act_headless_confirm(enum act_confirm kind, const char *what, const char *where,
                         bool production, const char *kind_name, const char *expect,
                         const struct act_headless *h, const char **how, char *why,
                         size_t whylen)
{
    char answer[512], *prompt;
    int fd;

    *how = "none";
    if (kind == ACT_CONFIRM_NONE)
        return 0;
    if (h->yes) {
        *how = "--yes";
        return 0;
    }
    if (!h->stdin_tty) {
        snprintf(why, whylen, "stdin is not a terminal: pass --yes to confirm (%s, %s)", what,
                 where);
        return -1;
    }
    fd = open(h->tty ? h->tty : "/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        snprintf(why, whylen, "cannot ask on %s: %s — pass --yes to confirm",
                 h->tty ? h->tty : "/dev/tty", strerror(errno));
        return -1;
    }
    say(fd, what);
    nl(fd);
    say(fd, where);
    nl(fd);
    if (production) {
        say(fd, "PRODUCTION");
        nl(fd);
    }
    if (kind == ACT_CONFIRM_TYPED)
        prompt = xasprintf("Type the %s's name to confirm (%s): ", kind_name, expect);
    else
        prompt = xasprintf("Go ahead? [y/N] ");
    say(fd, prompt);
    free(prompt);
    if (read_line(fd, answer, sizeof(answer)) < 0) {
        nl(fd);
        close(fd);
        snprintf(why, whylen, "not confirmed (end of input): nothing was sent");
        return -1;
    }
    close(fd);
    if (kind == ACT_CONFIRM_TYPED ? strcmp(answer, expect) == 0
                                  : strcmp(answer, "y") == 0 || strcmp(answer, "yes") == 0 ||
                                        strcmp(answer, "Y") == 0) {
        *how = kind == ACT_CONFIRM_TYPED ? "typed" : "yes";
        return 0;
    }
    snprintf(why, whylen, kind == ACT_CONFIRM_TYPED
                              ? "not confirmed (that is not the name): nothing was sent"
                              : "not confirmed: nothing was sent");
    return -1;
}

int act_headless_run(struct act_run *r, struct aws_client *c, const struct act_headless *h,
                     FILE *err)
{
    const struct act_env *env = act_run_env(r);
    const struct act_target *t = act_run_target(r);
    char why[1200], what[512], where[512];
    const char *how;

    if (act_run_refused(r, why, sizeof(why))) {
        fprintf(err, "opsdeck: %s\n", why);
        return 1;
    }
    act_run_describe(r, what, sizeof(what), where, sizeof(where));
    if (act_headless_confirm(act_run_confirm(r), what, where, gate_production(env->gate),
                             t->kind[0] ? t->kind : "resource", t->name, h, &how, why,
                             sizeof(why)) < 0) {
        char *clean = sanitize_text(why, strlen(why));
        fprintf(err, "opsdeck: %s\n", clean);
        free(clean);
        return 1;
    }
    if (act_run_start(r, how) == 0) {
        while (!act_run_ended(r)) {
            int64_t now = env->clock ? env->clock(env->clock_arg) : mono_ms(NULL);
            int wait = act_run_tick(r, now);

            if (aws_client_pending(c) == 0 && wait < 0) {
                act_run_finish(r, ACT_FAILED, "%s stopped without an answer",
                               act_run_action(r)->title);
                break;
            }
            aws_client_run(c, NULL, 0, wait < 0 || wait > 1000 ? 1000 : wait);
            if (h->progress)
                h->progress(r, h->progress_arg);
        }
    }
    if (act_run_failed(r) || act_run_state(r) == ACT_CANCELLED) {
        char *clean = sanitize_text(act_run_result(r), strlen(act_run_result(r)));
        fprintf(err, "opsdeck: %s\n", clean);
        free(clean);
        return 1;
    }
    return 0;
}
