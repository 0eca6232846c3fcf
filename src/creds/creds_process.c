/* creds_process.c - credential_process: a command that prints credentials as JSON.
 *
 * botocore splits the command with shlex (POSIX) and runs it without a shell; we do the
 * same, so a profile behaves identically in both and no shell ever sees the line. The
 * child gets /dev/null as stdin, its own process group (so a timeout kills its children
 * too), and a deadline: SIGTERM, then SIGKILL. Its stdout is read into one fixed buffer
 * (no realloc copies of the secret left in freed memory) and wiped; the last line of its
 * stderr goes into the error message, its arguments never do (they may hold secrets). */
#include "config.h"
#include "creds/creds_remote.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* Waits for pid until deadline (ms, monotonic); true with *status once it exited. */
static bool reap_until(pid_t pid, long long deadline, int *status)
{
    for (;;) {
        pid_t r = waitpid(pid, status, WNOHANG);

        if (r == pid)
            return true;
        if (r < 0 && errno != EINTR)
            return true;  /* not our child any more (SIGCHLD ignored?): nothing to wait for */
        if (timeutil_mono_ms() >= deadline)
            return false;
        nanosleep(&(struct timespec){0, 20 * 1000000}, NULL);
    }
}

struct proc_result {
    bool timed_out, too_big, exec_failed;
    int exec_errno;
    int status;
    size_t out_len;
    char err_tail[PROCESS_STDERR_KEEP];
    size_t err_len;
};

static void terminate(pid_t pid, int *status)
{
    kill(-pid, SIGTERM);
    if (!reap_until(pid, timeutil_mono_ms() + PROCESS_KILL_GRACE_MS, status)) {
        kill(-pid, SIGKILL);
        while (waitpid(pid, status, 0) < 0 && errno == EINTR)
            ;
    }
    kill(-pid, SIGKILL);  /* its children, if they outlived it */
}

/* Runs argv; stdout goes to out (PROCESS_STDOUT_MAX + 1 bytes). -1 when it cannot even
 * be started (pipes, fork): errno is set. */
static int process_run(char **argv, char *out, struct proc_result *res)
{
    int outp[2], errp[2], statp[2];
    long long deadline = timeutil_mono_ms() + process_timeout_ms();
    pid_t pid;
    struct pollfd pfd[3];
    ssize_t n;

    memset(res, 0, sizeof(*res));
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

    /* exec failed? the status pipe closes on a successful exec without a byte */
    while ((n = read(statp[0], &res->exec_errno, sizeof(res->exec_errno))) < 0 &&
           errno == EINTR)
        ;
    close(statp[0]);
    res->exec_failed = n == (ssize_t)sizeof(res->exec_errno);

    pfd[0] = (struct pollfd){.fd = outp[0], .events = POLLIN};
    pfd[1] = (struct pollfd){.fd = errp[0], .events = POLLIN};
    while (pfd[0].fd >= 0 || pfd[1].fd >= 0) {
        long long left = deadline - timeutil_mono_ms();
        char chunk[4096];
        int r;

        if (left <= 0) {
            res->timed_out = true;
            break;
        }
        r = poll(pfd, 2, (int)(left > 1000 ? 1000 : left));
        if (r < 0 && errno != EINTR)
            break;
        if (r <= 0)
            continue;
        if (pfd[0].fd >= 0 && pfd[0].revents) {
            size_t room = PROCESS_STDOUT_MAX + 1 - res->out_len;
            n = read(outp[0], out + res->out_len, room);
            if (n > 0) {
                res->out_len += (size_t)n;
                if (res->out_len > PROCESS_STDOUT_MAX) {
                    res->too_big = true;
                    break;
                }
            } else if (n == 0 || errno != EINTR) {
                pfd[0].fd = -1;
            }
        }
        if (pfd[1].fd >= 0 && pfd[1].revents) {
            n = read(errp[0], chunk, sizeof(chunk));
            if (n > 0)
                tail_append(res->err_tail, &res->err_len, chunk, (size_t)n);
            else if (n == 0 || errno != EINTR)
                pfd[1].fd = -1;
        }
    }
    close(outp[0]);
    close(errp[0]);
    explicit_bzero(pfd, sizeof(pfd));
    if (res->timed_out || res->too_big || !reap_until(pid, deadline, &res->status)) {
        if (!res->too_big)
            res->timed_out = true;
        terminate(pid, &res->status);
    }
    return 0;
}

static enum provider_result provider_process(struct creds_ctx *ctx,
                                             struct aws_credentials **out,
                                             struct aws_error *err)
{
    const char *cmd = creds_profile_value(ctx, "credential_process");
    const char *why = NULL;
    char **argv;
    char *buf, *what, *name;
    struct proc_result *res;
    char line[PROCESS_LINE_MAX + 1];
    enum provider_result ret = PROVIDER_ERROR;

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
    buf = xmalloc(PROCESS_STDOUT_MAX + 1);
    res = xcalloc(1, sizeof(*res));
    if (process_run(argv, buf, res) < 0) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "%s could not be started: %s", what,
                      strerror(errno));
    } else if (res->exec_failed) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "%s could not be run: %s; check the command "
                      "in %s", what, strerror(res->exec_errno), ctx->cfg->config_file);
    } else if (res->timed_out) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "%s did not finish within %g s and was "
                      "stopped", what, process_timeout_ms() / 1000.0);
    } else if (res->too_big) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "%s printed more than %d KiB; it must print "
                      "one JSON document", what, PROCESS_STDOUT_MAX / 1024);
    } else if (!WIFEXITED(res->status) || WEXITSTATUS(res->status) != 0) {
        char status[64];

        if (WIFSIGNALED(res->status))
            snprintf(status, sizeof(status), "killed by signal %d", WTERMSIG(res->status));
        else
            snprintf(status, sizeof(status), "exit status %d", WEXITSTATUS(res->status));
        last_line(res->err_tail, res->err_len, line, sizeof(line));
        aws_error_set(err, AWS_ERR_CREDENTIALS, "%s failed (%s)%s%s", what, status,
                      *line ? ": " : "", line);
    } else {
        *out = creds_process_parse(buf, res->out_len, what, err);
        if (*out)
            ret = PROVIDER_OK;
    }
    explicit_bzero(buf, PROCESS_STDOUT_MAX + 1);
    free(buf);
    explicit_bzero(res, sizeof(*res));
    free(res);
    free(what);
    free(name);
    creds_argv_free(argv);
    return ret;
}

const struct creds_provider creds_provider_process = {"custom-process", provider_process};
