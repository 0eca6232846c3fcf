/* editor.c - $VISUAL/$EDITOR on a 0600 temporary file (editor.h). */
#include "config.h"
#include "ui/editor.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/xalloc.h"

const char *editor_command(void)
{
    const char *v = getenv("VISUAL");

    if (v && *v)
        return v;
    v = getenv("EDITOR");
    return v && *v ? v : NULL;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* The whole file, at most max bytes; NULL with errno set (EFBIG when longer). */
static char *read_back(const char *path, size_t max, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    size_t cap = 4096, n = 0;
    char *buf;

    if (fd < 0)
        return NULL;
    buf = xmalloc(cap);
    for (;;) {
        ssize_t r;

        if (n + 1 >= cap) {
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
        r = read(fd, buf + n, cap - n - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            free(buf);
            close(fd);
            errno = e;
            return NULL;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n > max) {
            free(buf);
            close(fd);
            errno = EFBIG;
            return NULL;
        }
    }
    close(fd);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Runs `sh -c 'exec $EDITOR "$1"' editor FILE` (as git does, so EDITOR may hold arguments:
 * "code --wait", "vim -u NONE") and waits for it. exec: the shell must not stay between us
 * and the editor, or a Ctrl-C that the editor handles would still kill the shell and lose
 * the edit. Returns its wait status, -1 if it could not start. */
static int run_editor(const char *editor, const char *path)
{
    struct sigaction ign = {.sa_handler = SIG_IGN}, old_int, old_quit;
    char *cmd = xasprintf("exec %s \"$1\"", editor);
    int status = -1;
    pid_t pid;

    sigemptyset(&ign.sa_mask);
    sigaction(SIGINT, &ign, &old_int);
    sigaction(SIGQUIT, &ign, &old_quit);
    pid = fork();
    if (pid == 0) {
        /* the editor gets the default dispositions and an empty mask, not the console's */
        static const int sigs[] = {SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGWINCH, SIGCONT,
                                   SIGTSTP, SIGPIPE, SIGCHLD};
        sigset_t none;

        for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
            signal(sigs[i], SIG_DFL);
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        execl("/bin/sh", "sh", "-c", cmd, "editor", path, (char *)NULL);
        _exit(127);
    }
    if (pid > 0) {
        /* The one wait for a child in the console (editor.h): the editor owns the terminal
         * until it exits, so nothing else may run meanwhile. */
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    free(cmd);
    return pid > 0 ? status : -1;
}

int editor_edit(const char *text, size_t max, char **out, char *why, size_t whylen)
{
    const char *editor = editor_command(), *tmp = getenv("TMPDIR");
    char path[4096];
    size_t len = 0, tlen = text ? strlen(text) : 0;
    bool add_nl = tlen == 0 || text[tlen - 1] != '\n';
    int fd, status;
    char *res;

    *out = NULL;
    if (!editor) {
        snprintf(why, whylen, "no editor: set $VISUAL or $EDITOR, or type the text here");
        return -1;
    }
    snprintf(path, sizeof(path), "%s/opsdeck-message-XXXXXX.txt",
             tmp && tmp[0] == '/' ? tmp : "/tmp");
    /* mkstemps makes it 0600: a message body is nobody else's business */
    fd = mkstemps(path, 4);
    if (fd < 0) {
        snprintf(why, whylen, "cannot make a temporary file in %s: %s — set TMPDIR",
                 tmp && tmp[0] == '/' ? tmp : "/tmp", strerror(errno));
        return -1;
    }
    if (write_all(fd, text ? text : "", tlen) < 0 || (add_nl && write_all(fd, "\n", 1) < 0) ||
        close(fd) < 0) {
        snprintf(why, whylen, "cannot write the temporary file %s: %s", path, strerror(errno));
        unlink(path);
        return -1;
    }
    status = run_editor(editor, path);
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 127)
            snprintf(why, whylen, "the editor '%s' was not found (check $VISUAL/$EDITOR); "
                                  "the text is unchanged", editor);
        else if (status != -1 && WIFSIGNALED(status))
            snprintf(why, whylen, "the editor '%s' was killed by signal %d; the text is "
                                  "unchanged", editor, WTERMSIG(status));
        else if (status != -1)
            snprintf(why, whylen, "the editor '%s' failed (exit %d); the text is unchanged",
                     editor, WEXITSTATUS(status));
        else
            snprintf(why, whylen, "cannot start the editor '%s': %s; the text is unchanged",
                     editor, strerror(errno));
        unlink(path);
        return -1;
    }
    res = read_back(path, max + 1, &len);
    if (!res) {
        if (errno == EFBIG)
            snprintf(why, whylen, "the edited text is longer than %zu bytes; the text is "
                                  "unchanged", max);
        else
            snprintf(why, whylen, "cannot read the edited text back: %s", strerror(errno));
        unlink(path);
        return -1;
    }
    unlink(path);
    /* the newline we added (or the editor did) at the end is not part of the message */
    if (add_nl && len > 0 && res[len - 1] == '\n')
        res[--len] = '\0';
    if (len > max) {
        free(res);
        snprintf(why, whylen, "the edited text is longer than %zu bytes; the text is "
                              "unchanged", max);
        return -1;
    }
    *out = res;
    return 0;
}
