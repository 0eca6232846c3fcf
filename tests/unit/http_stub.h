/* http_stub.h - a small HTTP server on 127.0.0.1 for unit tests of what reaches the wire.
 *
 *     struct http_stub s;
 *     http_stub_start(&s, "HTTP/1.1 200 OK\r\nx-amzn-RequestId: r-1\r\n...", watch);
 *     client = http_stub_client(&s, &cfg, &cm);   // a real client pointed at it
 *     http_stub_stop(&s);                 // by its PID; then read what it saw:
 *     s.connections, s.requests, s.bytes, s.first_line[0], s.watch_seen[0]
 *
 * The server is a forked child: it accepts connections, reads each request (headers and a
 * Content-Length body), answers it with the canned response (or never, when the response
 * is NULL: a server that holds every request) and reports, per request, its first line and
 * whether the file `watch` (if given) was non-empty when the request arrived, which is how
 * a test shows that something was written before the request reached the server, by order
 * and not by time. Each connection is served by a process of its own. The server is a
 * process group of its own, stopped by its PID (SIGTERM to the group), also when a case
 * fails (Check forks a process per case; the server dies with it: PR_SET_PDEATHSIG). */
#ifndef OPSDECK_HTTP_STUB_H
#define OPSDECK_HTTP_STUB_H

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf/awsconfig.h"
#include "core/client.h"
#include "creds/creds.h"

#define HTTP_STUB_MAX 16

struct http_stub {
    pid_t pid;
    int report;                    /* read end: one record per request, then counts */
    char endpoint[64];
    /* after http_stub_stop */
    int connections, requests;
    long bytes;
    char first_line[HTTP_STUB_MAX][256];
    bool watch_seen[HTTP_STUB_MAX];
};

/* The child: serve until killed. Records are lines "R <watch 0/1> <bytes> <first line>" and
 * "C" per connection, written to the report pipe as they happen. */
static inline void http_stub_serve(int lfd, int rep, const char *response, const char *watch)
{
    for (;;) {
        int c = accept(lfd, NULL, NULL);

        if (c < 0) {
            if (errno == EINTR)
                continue;
            _exit(1);
        }
        dprintf(rep, "C\n");
        /* one process per connection: a client may keep one open while it opens another */
        pid_t h = fork();
        if (h != 0) {
            close(c);
            continue;
        }
        for (;;) {
            char buf[65536];
            size_t have = 0;
            char *end = NULL;
            long clen = 0;

            while (!(end = memmem(buf, have, "\r\n\r\n", 4)) && have < sizeof(buf) - 1) {
                ssize_t n = read(c, buf + have, sizeof(buf) - 1 - have);
                if (n <= 0)
                    break;
                have += (size_t)n;
            }
            if (!end)
                break;
            buf[have] = '\0';
            const char *cl = strcasestr(buf, "\r\nContent-Length:");
            if (cl && cl < end)
                clen = strtol(cl + 17, NULL, 10);
            size_t head = (size_t)(end + 4 - buf), body = have - head;
            while ((long)body < clen) {
                char sink[4096];
                ssize_t n = read(c, sink, sizeof(sink));
                if (n <= 0)
                    break;
                body += (size_t)n;
            }
            struct stat sb;
            bool seen = watch && stat(watch, &sb) == 0 && sb.st_size > 0;
            char *eol = strstr(buf, "\r\n");
            dprintf(rep, "R %d %ld %.*s\n", seen ? 1 : 0, (long)(head + body),
                    eol ? (int)(eol - buf) : 0, buf);
            if (!response) {
                pause();   /* holds the request: the test frees the client meanwhile */
                continue;
            }
            if (write(c, response, strlen(response)) < 0)
                break;
        }
        _exit(0);
    }
}

static inline void http_stub_start(struct http_stub *s, const char *response, const char *watch)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    socklen_t len = sizeof(a);
    int lfd = socket(AF_INET, SOCK_STREAM, 0), p[2];

    memset(s, 0, sizeof(*s));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_ge(lfd, 0);
    ck_assert_int_eq(bind(lfd, (struct sockaddr *)&a, sizeof(a)), 0);
    ck_assert_int_eq(listen(lfd, 16), 0);
    ck_assert_int_eq(getsockname(lfd, (struct sockaddr *)&a, &len), 0);
    snprintf(s->endpoint, sizeof(s->endpoint), "http://127.0.0.1:%d", ntohs(a.sin_port));
    ck_assert_int_eq(pipe(p), 0);
    s->pid = fork();
    ck_assert_int_ge(s->pid, 0);
    if (s->pid == 0) {
        /* Check's own SIGTERM handler would take the test's process group with it */
        signal(SIGTERM, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        setpgid(0, 0);      /* the server and its connection handlers: stopped together */
        signal(SIGCHLD, SIG_IGN);
        close(p[0]);
        if (write(p[1], "S", 1) != 1)   /* ready: SIGTERM is ours to take now */
            _exit(1);
        http_stub_serve(lfd, p[1], response, watch);
        _exit(0);
    }
    setpgid(s->pid, s->pid);   /* as the child does: whichever runs first */
    close(lfd);
    close(p[1]);
    s->report = p[0];
    {
        char ready;
        ck_assert_int_eq(read(s->report, &ready, 1), 1);
    }
}

/* A real client for the stub: fake static keys from the environment, us-east-1, every
 * endpoint the stub's, one attempt per request (the stub's answers are what is tested). */
static inline struct aws_client *http_stub_client(const struct http_stub *s,
                                                  struct aws_config **cfg,
                                                  struct creds_manager **cm)
{
    struct aws_config_opts co = {0};
    struct aws_client_opts opts = {.max_attempts = 1};
    struct aws_error err;

    setenv("AWS_ACCESS_KEY_ID", "AKIAOPSDECKTESTING01", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "opsdeck-testing-secret-not-a-real-key", 1);
    setenv("AWS_REGION", "us-east-1", 1);
    setenv("AWS_ENDPOINT_URL", s->endpoint, 1);
    aws_error_clear(&err);
    *cfg = aws_config_new(&co, &err);
    ck_assert_msg(*cfg != NULL, "%s", err.message);
    *cm = creds_manager_new(*cfg);
    return aws_client_new(*cfg, creds_manager_source(*cm), &opts);
}

/* Stops the server (SIGTERM to its PID) and reads its report. */
static inline void http_stub_stop(struct http_stub *s)
{
    FILE *f;
    char line[512];
    int st;

    kill(-s->pid, SIGTERM);
    waitpid(s->pid, &st, 0);
    f = fdopen(s->report, "r");
    ck_assert_ptr_nonnull(f);
    while (fgets(line, sizeof(line), f)) {
        if (line[0] == 'C') {
            s->connections++;
        } else if (line[0] == 'R') {
            int seen = 0, off = 0;
            long bytes = 0;

            if (sscanf(line, "R %d %ld %n", &seen, &bytes, &off) >= 2) {
                if (s->requests < HTTP_STUB_MAX) {
                    line[strcspn(line, "\n")] = '\0';
                    snprintf(s->first_line[s->requests], sizeof(s->first_line[0]), "%s",
                             line + off);
                    s->watch_seen[s->requests] = seen;
                }
                s->requests++;
                s->bytes += bytes;
            }
        }
    }
    fclose(f);
}

#endif
