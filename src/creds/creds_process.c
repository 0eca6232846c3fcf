/* creds_process.c - credential_process: a command that prints credentials as JSON.
 *
 * botocore splits the command with shlex (POSIX) and runs it without a shell; we do the
 * same, so a profile behaves identically in both and no shell ever sees the line. The
 * child gets /dev/null as stdin, its own process group (so a timeout kills its children
 * too), and a deadline: SIGTERM, then SIGKILL, then it is reaped (no zombie). It runs on
 * the loop: its pipes are watched fds, its deadline a timer, so a slow helper never holds
 * up the console. Its stdout is read into one fixed buffer (no realloc copies of the secret
 * left in freed memory) and wiped; its stderr never reaches the terminal or a log: only the
 * last line goes into the error message, its arguments never do (they may hold secrets). */
#include "config.h"
#include "creds/creds_process.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "creds/creds_provider.h"
#include "util/xalloc.h"
#include "util/timeutil.h"

#define PROCESS_TIMEOUT_MS 30000     /* botocore has none; a hung helper must not hang us */
#define PROCESS_KILL_GRACE_MS 2000   /* between SIGTERM and SIGKILL */
#define PROCESS_STDOUT_MAX (64 * 1024)
#define PROCESS_STDERR_KEEP 2048     /* enough for its last line */
#define PROCESS_LINE_MAX 200         /* of stderr, in the error message */

/* ---- shlex ---------------------------------------------------------------------------- */

static void argv_push(char ***argv, size_t *n, size_t *cap, char *word)
{
    if (*n + 2 > *cap) {
        *cap *= 2;
        *argv = xrealloc(*argv, *cap * sizeof(**argv));
    }
    (*argv)[(*n)++] = word;
    (*argv)[*n] = NULL;
}

static bool shlex_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

char **creds_shell_split(const char *line, const char **why)
{
    size_t n = 0, cap = 4;
    char **argv = xcalloc(cap, sizeof(*argv));
    struct buf word;
    bool in_word = false;
    const char *p = line;

    buf_init(&word);
    while (*p) {
        if (shlex_space(*p)) {
            if (in_word)
                argv_push(&argv, &n, &cap, xstrdup(buf_str(&word)));
            buf_reset(&word);
            in_word = false;
            p++;
            continue;
        }
        in_word = true;  /* even '' starts a (possibly empty) word */
        if (*p == '\\') {
            if (!p[1]) {
                *why = "no escaped character after the final backslash";
                goto fail;
            }
            buf_putc(&word, p[1]);
            p += 2;
        } else if (*p == '\'') {
            const char *end = strchr(p + 1, '\'');

            if (!end) {
                *why = "no closing quotation";
                goto fail;
            }
            buf_append(&word, p + 1, (size_t)(end - p - 1));
            p = end + 1;
        } else if (*p == '"') {
            /* Inside double quotes a backslash escapes only " and \ (shlex's rule). */
            for (p++; *p && *p != '"'; p++) {
                if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
                    p++;
                buf_putc(&word, *p);
            }
            if (!*p) {
                *why = "no closing quotation";
                goto fail;
            }
            p++;
        } else {
            buf_putc(&word, *p++);
        }
    }
    if (in_word)
        argv_push(&argv, &n, &cap, xstrdup(buf_str(&word)));
    buf_done(&word);
    return argv;
fail:
    buf_done(&word);
    creds_argv_free(argv);
    return NULL;
}

void creds_argv_free(char **argv)
{
    if (!argv)
        return;
    for (char **a = argv; *a; a++)
        xfree_secret(*a);  /* arguments may carry secrets */
    free(argv);
}

/* ---- the JSON ------------------------------------------------------------------------ */

static void json_wipe(cJSON *j)
{
    for (; j; j = j->next) {
        if (j->valuestring)
            explicit_bzero(j->valuestring, strlen(j->valuestring));
        json_wipe(j->child);
    }
}

/* A required non-empty string member; NULL with err set. */
static const char *json_need(const cJSON *o, const char *key, const char *what,
                             struct aws_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    if (!v || cJSON_IsNull(v)) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "%s: the output has no %s", what, key);
        return NULL;
    }
    if (!cJSON_IsString(v) || !*v->valuestring) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "%s: %s in the output is not a non-empty "
                      "string", what, key);
        return NULL;
    }
    return v->valuestring;
}

/* An optional string member: true with *out NULL when absent or null. */
static bool json_opt(const cJSON *o, const char *key, const char **out, const char *what,
                     struct aws_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    *out = NULL;
    if (!v || cJSON_IsNull(v))
        return true;
    if (!cJSON_IsString(v)) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "%s: %s in the output is not a string", what,
                      key);
        return false;
    }
    *out = v->valuestring;
    return true;
}

struct aws_credentials *creds_process_parse(const char *json, size_t len, const char *what,
                                            struct aws_error *err)
{
    cJSON *root = cJSON_ParseWithLength(json, len);
    const cJSON *ver;
    const char *akid, *secret, *token, *exp;
    struct aws_credentials *c = NULL;
    int64_t expiration = 0;

    if (!cJSON_IsObject(root)) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "%s: the output is not a JSON object; it "
                      "must print {\"Version\": 1, \"AccessKeyId\": ..., \"SecretAccessKey\": "
                      "...}", what);
        goto out;
    }
    ver = cJSON_GetObjectItemCaseSensitive(root, "Version");
    if (!ver) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "%s: the output has no Version; it must be "
                      "1", what);
        goto out;
    }
    if (!cJSON_IsNumber(ver) || ver->valuedouble != 1.0) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "%s: unsupported Version in the output "
                      "(supported: 1)", what);
        goto out;
    }
    if (!(akid = json_need(root, "AccessKeyId", what, err)) ||
        !(secret = json_need(root, "SecretAccessKey", what, err)) ||
        !json_opt(root, "SessionToken", &token, what, err) ||
        !json_opt(root, "Expiration", &exp, what, err))
        goto out;
    if (exp && timeutil_parse_iso8601(exp, &expiration) < 0) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "%s: Expiration in the output is not an ISO "
                      "8601 time with a zone (like 2030-01-31T12:00:00Z)", what);
        goto out;
    }
    c = creds_new(akid, secret, token, expiration, what);
out:
    json_wipe(root);
    cJSON_Delete(root);
    return c;
}

/* ---- running the command ------------------------------------------------------------- */

/* The child runs on the loop: its stdout and stderr pipes (and, where the kernel has them,
 * a pidfd that becomes readable when it exits) are fds the client's wait watches, and its
 * deadline is a timer. Nothing here waits: each watch reads what is there and returns. */

static int process_timeout_ms(void)
{
    /* For tests (and the impatient): seconds, fractions allowed. */
    const char *s = getenv("OPSDECK_CREDENTIAL_PROCESS_TIMEOUT");
    char *end;
    double v;

    if (!s || !*s)
        return PROCESS_TIMEOUT_MS;
    v = strtod(s, &end);
    if (*end || !(v > 0) || v > 3600)
        return PROCESS_TIMEOUT_MS;
    return (int)(v * 1000);
}

/* In the child, between fork and exec: only async-signal-safe calls. */
static _Noreturn void child_exec(char **argv, int out_fd, int err_fd, int status_fd)
{
    sigset_t none;
    int devnull = open("/dev/null", O_RDONLY);
    int e;

    setpgid(0, 0);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);  /* ignored dispositions survive exec */
    if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0) {
        e = errno;
    } else {
        /* our other descriptors (curl sockets, the terminal's) are none of its business;
         * status_fd is close-on-exec */
        for (int fd = 3; fd < 1024; fd++)
            if (fd != status_fd)
                close(fd);
        execvp(argv[0], argv);
        e = errno;
    }
    if (write(status_fd, &e, sizeof(e)) < 0)
        _exit(127);
    _exit(127);
}

/* Appends to the tail buffer, keeping only its last PROCESS_STDERR_KEEP bytes. */
static void tail_append(char *tail, size_t *len, const char *p, size_t n)
{
    if (n >= PROCESS_STDERR_KEEP) {
        memcpy(tail, p + n - PROCESS_STDERR_KEEP, PROCESS_STDERR_KEEP);
        *len = PROCESS_STDERR_KEEP;
        return;
    }
    if (*len + n > PROCESS_STDERR_KEEP) {
        size_t drop = *len + n - PROCESS_STDERR_KEEP;
        memmove(tail, tail + drop, *len - drop);
        *len -= drop;
    }
    memcpy(tail + *len, p, n);
    *len += n;
}

/* The last non-empty line of text, printable ASCII only, cut short: safe for one line. */
static void last_line(const char *text, size_t len, char *out, size_t outlen)
{
    size_t end = len, start, o = 0;

    while (end > 0 && (text[end - 1] == '\n' || text[end - 1] == '\r' || text[end - 1] == ' '))
        end--;
    start = end;
    while (start > 0 && text[start - 1] != '\n')
        start--;
    for (size_t i = start; i < end && o + 1 < outlen && o < PROCESS_LINE_MAX; i++) {
        unsigned char ch = (unsigned char)text[i];
        out[o++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
    }
    out[o] = '\0';
}

/* Starts argv with stdin on /dev/null and stdout, stderr on the pipes returned, in its own
 * process group. -1 with errno when it cannot be started (pipes, fork); *exec_errno is set
 * when it started but could not be run (the exec failed: the status pipe says so before
 * the child's _exit, and is closed without a byte by a successful exec). */
static pid_t process_spawn(char **argv, int *out_fd, int *err_fd, int *exec_errno)
{
    int outp[2], errp[2], statp[2];
    pid_t pid;
    ssize_t n;

    *exec_errno = 0;
    if (pipe2(outp, O_CLOEXEC) < 0)
        return -1;
    if (pipe2(errp, O_CLOEXEC) < 0) {
        close(outp[0]), close(outp[1]);
        return -1;
    }
    if (pipe2(statp, O_CLOEXEC) < 0) {
        close(outp[0]), close(outp[1]), close(errp[0]), close(errp[1]);
        return -1;
    }
    pid = fork();
    if (pid < 0) {
        int e = errno;
        close(outp[0]), close(outp[1]), close(errp[0]), close(errp[1]);
        close(statp[0]), close(statp[1]);
        errno = e;
        return -1;
    }
    if (pid == 0)
        child_exec(argv, outp[1], errp[1], statp[1]);
    setpgid(pid, pid);  /* also here: whichever runs first, kill(-pid) must find the group */
    close(outp[1]), close(errp[1]), close(statp[1]);
    /* as long as fork+exec takes (posix_spawn waits the same way): the child writes here
     * only if execvp fails, and exec closes it */
    while ((n = read(statp[0], exec_errno, sizeof(*exec_errno))) < 0 && errno == EINTR)
        ;
    close(statp[0]);
    if (n != (ssize_t)sizeof(*exec_errno))
        *exec_errno = 0;
    fcntl(outp[0], F_SETFL, O_NONBLOCK);
    fcntl(errp[0], F_SETFL, O_NONBLOCK);
    *out_fd = outp[0];
    *err_fd = errp[0];
    return pid;
}

/* A pidfd: readable once the child has exited (Linux 5.3). -1 where there is none; the
 * loop then asks waitpid on a short timer instead. */
static int pidfd_for(pid_t pid)
{
#ifdef SYS_pidfd_open
    int fd = (int)syscall(SYS_pidfd_open, pid, 0);

    if (fd >= 0)
        fcntl(fd, F_SETFD, FD_CLOEXEC);
    return fd;
#else
    (void)pid;
    return -1;
#endif
}

#define PROCESS_REAP_POLL_MS 20   /* waitpid's pace where there is no pidfd */

struct proc_job {
    struct creds_task task;
    struct aws_client *client;
    const struct aws_config *cfg;
    char *what;                  /* "profile dev: credential_process helper" */
    pid_t pid;
    bool reaped;
    int status;
    int out_fd, err_fd, pid_fd;  /* -1 once closed */
    unsigned long out_watch, err_watch, pid_watch, timer;
    bool timed_out, too_big;
    bool stopping;               /* SIGTERM sent; SIGKILL when the grace timer runs */
    char *out;                   /* PROCESS_STDOUT_MAX + 1, one buffer: never reallocated */
    size_t out_len;
    char err_tail[PROCESS_STDERR_KEEP];
    size_t err_len;
};

static void job_close_fd(struct proc_job *j, int *fd, unsigned long *watch)
{
    if (*watch)
        aws_client_unwatch(j->client, *watch);
    *watch = 0;
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

static void job_free(struct proc_job *j)
{
    job_close_fd(j, &j->out_fd, &j->out_watch);
    job_close_fd(j, &j->err_fd, &j->err_watch);
    job_close_fd(j, &j->pid_fd, &j->pid_watch);
    if (j->timer)
        aws_client_unwatch(j->client, j->timer);
    explicit_bzero(j->out, PROCESS_STDOUT_MAX + 1);
    free(j->out);
    explicit_bzero(j->err_tail, sizeof(j->err_tail));
    free(j->what);
    free(j);
}

/* Reaps the child if it has exited (never waits). */
static bool job_reap(struct proc_job *j)
{
    pid_t r;

    if (j->reaped)
        return true;
    while ((r = waitpid(j->pid, &j->status, WNOHANG)) < 0 && errno == EINTR)
        ;
    /* not our child any more (SIGCHLD ignored): nothing to wait for */
    if (r == j->pid || (r < 0 && errno == ECHILD)) {
        j->reaped = true;
        if (r < 0)
            j->status = 0;
        job_close_fd(j, &j->pid_fd, &j->pid_watch);
    }
    return j->reaped;
}

/* The end: the child has exited and been reaped; its output read. */
static void job_finish(struct proc_job *j)
{
    struct creds_task *t = &j->task;
    struct aws_credentials *c = NULL;
    struct aws_error err;
    char line[PROCESS_LINE_MAX + 1];

    aws_error_clear(&err);
    if (j->stopping || j->timed_out || j->too_big)
        kill(-j->pid, SIGKILL);  /* its children, if they outlived it */
    if (j->timed_out) {
        aws_error_set(&err, AWS_ERR_CREDENTIALS, "%s did not finish within %g s and was "
                      "stopped", j->what, process_timeout_ms() / 1000.0);
    } else if (j->too_big) {
        aws_error_set(&err, AWS_ERR_CREDENTIALS, "%s printed more than %d KiB; it must print "
                      "one JSON document", j->what, PROCESS_STDOUT_MAX / 1024);
    } else if (!WIFEXITED(j->status) || WEXITSTATUS(j->status) != 0) {
        char status[64];

        if (WIFSIGNALED(j->status))
            snprintf(status, sizeof(status), "killed by signal %d", WTERMSIG(j->status));
        else
            snprintf(status, sizeof(status), "exit status %d", WEXITSTATUS(j->status));
        last_line(j->err_tail, j->err_len, line, sizeof(line));
        aws_error_set(&err, AWS_ERR_CREDENTIALS, "%s failed (%s)%s%s", j->what, status,
                      *line ? ": " : "", line);
    } else {
        c = creds_process_parse(j->out, j->out_len, j->what, &err);
    }
    t->done(t, c ? PROVIDER_OK : PROVIDER_ERROR, c, c ? NULL : &err);
    job_free(j);
}

static void on_reap_poll(void *ud);

/* Finishes when the output is all in and the child reaped; else waits for whichever is
 * missing (a pidfd, or waitpid on a timer). */
static void job_progress(struct proc_job *j)
{
    if (j->out_fd >= 0 || j->err_fd >= 0)
        return;
    if (job_reap(j)) {
        if (j->timer)
            aws_client_unwatch(j->client, j->timer);
        j->timer = 0;
        job_finish(j);
        return;
    }
    if (j->pid_fd < 0 && !j->timer)
        j->timer = aws_client_timer(j->client, PROCESS_REAP_POLL_MS, on_reap_poll, j);
}

static void on_kill(void *ud);

/* Timed out or too big: SIGTERM to the group, SIGKILL after a grace period; the output is
 * not read any more. */
static void job_stop(struct proc_job *j)
{
    job_close_fd(j, &j->out_fd, &j->out_watch);
    job_close_fd(j, &j->err_fd, &j->err_watch);
    if (j->timer)
        aws_client_unwatch(j->client, j->timer);
    j->timer = 0;
    if (job_reap(j)) {
        job_finish(j);
        return;
    }
    j->stopping = true;
    kill(-j->pid, SIGTERM);
    j->timer = aws_client_timer(j->client, PROCESS_KILL_GRACE_MS, on_kill, j);
}

static void on_kill(void *ud)
{
    struct proc_job *j = ud;

    j->timer = 0;
    if (job_reap(j)) {
        job_finish(j);
        return;
    }
    kill(-j->pid, SIGKILL);
    /* SIGKILL cannot be caught: the exit shows on the pidfd, or on the next polls */
    if (j->pid_fd < 0)
        j->timer = aws_client_timer(j->client, PROCESS_REAP_POLL_MS, on_reap_poll, j);
}

static void on_reap_poll(void *ud)
{
    struct proc_job *j = ud;

    j->timer = 0;
    if (j->stopping) {
        if (job_reap(j))
            job_finish(j);
        else
            j->timer = aws_client_timer(j->client, PROCESS_REAP_POLL_MS, on_reap_poll, j);
        return;
    }
    job_progress(j);
}

static void on_exit_fd(void *ud)
{
    struct proc_job *j = ud;

    if (!job_reap(j))
        return;
    if (j->stopping) {
        if (j->timer)
            aws_client_unwatch(j->client, j->timer);
        j->timer = 0;
        job_finish(j);
        return;
    }
    job_progress(j);   /* the output may still be coming (a grandchild holds the pipe) */
}

static void on_deadline(void *ud)
{
    struct proc_job *j = ud;

    j->timer = 0;
    j->timed_out = true;
    job_stop(j);
}

static void on_stdout(void *ud)
{
    struct proc_job *j = ud;

    for (;;) {
        size_t room = PROCESS_STDOUT_MAX + 1 - j->out_len;
        ssize_t n = read(j->out_fd, j->out + j->out_len, room);

        if (n > 0) {
            j->out_len += (size_t)n;
            if (j->out_len > PROCESS_STDOUT_MAX) {
                j->too_big = true;
                job_stop(j);
                return;
            }
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        break;   /* end of output, or an error reading it */
    }
    job_close_fd(j, &j->out_fd, &j->out_watch);
    job_progress(j);
}

static void on_stderr(void *ud)
{
    struct proc_job *j = ud;
    char chunk[4096];

    for (;;) {
        ssize_t n = read(j->err_fd, chunk, sizeof(chunk));

        if (n > 0) {
            tail_append(j->err_tail, &j->err_len, chunk, (size_t)n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        break;
    }
    explicit_bzero(chunk, sizeof(chunk));
    job_close_fd(j, &j->err_fd, &j->err_watch);
    job_progress(j);
}

/* Stopped before its end (a profile switch, opsdeck quitting): the child is killed and
 * reaped here, which SIGKILL makes immediate. */
static void job_cancel(struct creds_task *t)
{
    struct proc_job *j = (struct proc_job *)(void *)t;

    if (!j->reaped) {
        kill(-j->pid, SIGKILL);
        while (waitpid(j->pid, &j->status, 0) < 0 && errno == EINTR)
            ;
    }
    kill(-j->pid, SIGKILL);
    job_free(j);
}

static enum provider_result provider_process(struct creds_ctx *ctx,
                                             struct aws_credentials **out,
                                             struct aws_error *err)
{
    const char *cmd = creds_profile_value(ctx, "credential_process");
    const char *why = NULL;
    char **argv;
    char *name, *what;
    struct proc_job *j;
    int out_fd, err_fd, exec_errno;
    pid_t pid;

    (void)out;
    if (!cmd)
        return PROVIDER_SKIP;
    argv = creds_shell_split(cmd, &why);
    if (!argv || !argv[0]) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s: credential_process cannot be "
                      "split into a command (%s); fix it in %s", ctx->profile,
                      argv ? "it is empty" : why, ctx->cfg->config_file);
        creds_argv_free(argv);
        return PROVIDER_ERROR;
    }
    /* argv[0] only: the arguments may carry secrets. Shown as printable ASCII. */
    name = xstrdup(argv[0]);
    for (char *p = name; *p; p++)
        if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
            *p = '?';
    what = xasprintf("profile %s: credential_process %s", ctx->profile, name);
    free(name);
    if (!ctx->client) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "%s needs the event loop to run on, and "
                      "nothing here has one", what);
        creds_argv_free(argv);
        free(what);
        return PROVIDER_ERROR;
    }
    pid = process_spawn(argv, &out_fd, &err_fd, &exec_errno);
    creds_argv_free(argv);
    if (pid < 0) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "%s could not be started: %s", what,
                      strerror(errno));
        free(what);
        return PROVIDER_ERROR;
    }
    if (exec_errno) {
        int status;

        close(out_fd);
        close(err_fd);
        /* it _exits at once after saying so: the wait is the child's last instruction */
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        aws_error_set(err, AWS_ERR_CREDENTIALS, "%s could not be run: %s; check the command "
                      "in %s", what, strerror(exec_errno), ctx->cfg->config_file);
        free(what);
        return PROVIDER_ERROR;
    }
    j = xcalloc(1, sizeof(*j));
    j->task.cancel = job_cancel;
    j->client = ctx->client;
    j->cfg = ctx->cfg;
    j->what = what;
    j->pid = pid;
    j->out_fd = out_fd;
    j->err_fd = err_fd;
    j->out = xmalloc(PROCESS_STDOUT_MAX + 1);
    j->pid_fd = pidfd_for(pid);
    j->out_watch = aws_client_watch_fd(j->client, out_fd, on_stdout, j);
    j->err_watch = aws_client_watch_fd(j->client, err_fd, on_stderr, j);
    if (j->pid_fd >= 0)
        j->pid_watch = aws_client_watch_fd(j->client, j->pid_fd, on_exit_fd, j);
    j->timer = aws_client_timer(j->client, process_timeout_ms(), on_deadline, j);
    ctx->task = &j->task;
    return PROVIDER_PENDING;
}

const struct creds_provider creds_provider_process = {"custom-process", provider_process};
