/* test_creds_async.c - credential refreshes on the loop: every request that needs a refresh
 * waits in one queue and one refresh serves them all; a failed refresh fails them all with
 * its line (profile, source, fix); ExpiredToken from a hundred requests makes one refresh;
 * the loop keeps running while a refresh is under way (a timer fires, a key would be read);
 * a credential_process that hangs is stopped and reaped; a client freed mid-refresh takes
 * the child with it; an MFA code asked for later (the console's prompt line) lets the
 * refresh go on when it comes.
 *
 * The refreshes are real: credential_process runs a small shell helper (it counts its runs
 * in a file and, when told, waits for a release file before it answers), and AssumeRole
 * goes to a small HTTP server in this process, served on the same wait as the client (its
 * sockets are watched fds), answering with a response recorded from moto. No durations are
 * asserted: the order of events is, and Check's timeout fails a case that hangs. */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "aws/sts.h"
#include "aws_test_util.h"
#include "check_tap.h"
#include "core/client.h"
#include "creds/creds.h"
#include "tmp_home.h"

#define NREQ 40

/* ---- files under the temporary HOME ------------------------------------------------- */

static char *home_path(const char *rel)
{
    static char path[2][512];
    static int i;

    i ^= 1;
    snprintf(path[i], sizeof(path[i]), "%s/%s", home, rel);
    return path[i];
}

static bool exists(const char *rel)
{
    return access(home_path(rel), F_OK) == 0;
}

static void touch(const char *rel)
{
    tmp_home_write(rel, "");
}

static int count_lines(const char *rel)
{
    FILE *f = fopen(home_path(rel), "r");
    int n = 0, ch;

    if (!f)
        return 0;
    while ((ch = fgetc(f)) != EOF)
        n += ch == '\n';
    fclose(f);
    return n;
}

/* The helper: counts its runs, writes its pid, waits for "release" when "hold" exists,
 * fails (exit 4, a line on stderr) when "fail" exists, else prints the key in "key". */
static const char HELPER[] =
    "#!/bin/sh\n"
    "d=\"$HOME/helper\"\n"
    "echo run >> \"$d/runs\"\n"
    "echo $$ > \"$d/pid\"\n"
    "if [ -e \"$d/hold\" ]; then while [ ! -e \"$d/release\" ]; do sleep 0.02; done; fi\n"
    "if [ -e \"$d/fail\" ]; then echo 'helper: the token service said no' >&2; exit 4; fi\n"
    "printf '{\"Version\": 1, \"AccessKeyId\": \"%s\", \"SecretAccessKey\": \"helper-secret\", "
    "\"SessionToken\": \"helper-token\", \"Expiration\": \"2099-01-01T00:00:00Z\"}' "
    "\"$(cat \"$d/key\")\"\n";

static void helper_setup(const char *key)
{
    char cfg[1024];

    ck_assert_int_eq(mkdir(home_path("helper"), 0700), 0);
    tmp_home_write("helper/run.sh", HELPER);
    ck_assert_int_eq(chmod(home_path("helper/run.sh"), 0700), 0);
    tmp_home_write("helper/key", key);
    snprintf(cfg, sizeof(cfg), "[default]\nregion = eu-west-1\ncredential_process = %s\n",
             home_path("helper/run.sh"));
    tmp_home_write(".aws/config", cfg);
}

static struct aws_config *config_new(void)
{
    struct aws_config_opts o = {0};
    struct aws_error err;
    struct aws_config *cfg;

    aws_error_clear(&err);
    cfg = aws_config_new(&o, &err);
    ck_assert_msg(cfg != NULL, "%s", err.message);
    return cfg;
}

/* ---- waiters -------------------------------------------------------------------------- */

struct waiter {
    struct cred_waiter w;   /* first */
    int woken;
    bool failed;
    char message[1024];
};

static void waiter_wake(struct cred_waiter *w, const struct aws_error *err)
{
    struct waiter *x = (struct waiter *)(void *)w;

    x->woken++;
    x->failed = err != NULL;
    if (err)
        snprintf(x->message, sizeof(x->message), "%s", err->message);
}

/* n askers of the active profile's credentials while none are held: each is queued. */
static void ask_all(struct creds_manager *cm, struct aws_client *c, struct waiter *w, int n)
{
    const struct aws_credentials *cr;
    struct aws_error err;

    memset(w, 0, sizeof(*w) * (size_t)n);
    for (int i = 0; i < n; i++) {
        w[i].w.wake = waiter_wake;
        aws_error_clear(&err);
        ck_assert_int_eq(creds_manager_get(cm, c, &w[i].w, &cr, &err), CREDS_PENDING);
        ck_assert_ptr_null(cr);
    }
}

static int count_woken(const struct waiter *w, int n)
{
    int k = 0;

    for (int i = 0; i < n; i++)
        k += w[i].woken > 0;
    return k;
}

/* ---- a timer that looks at the state while a refresh runs ---------------------------- */

struct probe {
    bool fired;
    const struct waiter *w;
    int nw;
    int woken_when_fired;
    const char *create;     /* a file to create when it fires (the helper's release) */
};

static void probe_fire(void *ud)
{
    struct probe *p = ud;

    p->fired = true;
    p->woken_when_fired = p->w ? count_woken(p->w, p->nw) : 0;
    if (p->create)
        touch(p->create);
}

/* ---- a small HTTP server on the client's wait ----------------------------------------- */

#define SRV_CONNS 64

struct srv;
struct conn {
    struct srv *s;
    int fd;
    unsigned long watch;
    char buf[16384];
    size_t len;
};

struct srv {
    struct aws_client *c;
    int lfd, port;
    unsigned long lwatch;
    struct conn conns[SRV_CONNS];
    int nreq;
    char akid[256][32];    /* each request's access key id, from its Authorization */
    char last[16384];      /* the last request as received */
    /* what to answer: "old key refused", "AssumeRole" or plain OK */
    const char *refuse_key;
    bool assume_role;
};

static void conn_close(struct conn *k)
{
    aws_client_unwatch(k->s->c, k->watch);
    close(k->fd);
    k->fd = -1;
    k->len = 0;
}

static const char EXPIRED[] =
    "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>"
    "<Type>Sender</Type><Code>ExpiredToken</Code><Message>The security token included in "
    "the request is expired</Message></Error><RequestId>x1</RequestId></ErrorResponse>";

/* The body of a recorded AssumeRole answer, with an Expiration far ahead. */
static char *assume_role_body(void)
{
    char *xml = test_read_capture("sts/assume_role.xml");
    char *p = strstr(xml, "<Expiration>");

    ck_assert_ptr_nonnull(p);
    memcpy(p + strlen("<Expiration>"), "2099", 4);
    return xml;
}

static void conn_answer(struct conn *k)
{
    struct srv *s = k->s;
    const char *cred = strstr(k->buf, "Credential=");
    char akid[32] = "", *body, head[512];
    int status = 200;
    size_t n;

    if (cred) {
        n = strcspn(cred + 11, "/");
        snprintf(akid, sizeof(akid), "%.*s", (int)(n < 31 ? n : 31), cred + 11);
    }
    if (s->nreq < 256)
        snprintf(s->akid[s->nreq], sizeof(s->akid[0]), "%s", akid);
    s->nreq++;
    snprintf(s->last, sizeof(s->last), "%s", k->buf);
    if (s->refuse_key && strcmp(akid, s->refuse_key) == 0) {
        status = 400;
        body = strdup(EXPIRED);
    } else if (s->assume_role && strstr(k->buf, "Action=AssumeRole")) {
        body = assume_role_body();
    } else {
        body = test_read_capture("sts/get_caller_identity.xml");
    }
    snprintf(head, sizeof(head), "HTTP/1.1 %d %s\r\nContent-Type: text/xml\r\n"
             "Content-Length: %zu\r\nConnection: close\r\n\r\n", status,
             status == 200 ? "OK" : "Bad Request", strlen(body));
    /* small answers on a fresh loopback connection: the socket buffer takes them whole */
    ck_assert_int_eq(send(k->fd, head, strlen(head), MSG_NOSIGNAL), (ssize_t)strlen(head));
    ck_assert_int_eq(send(k->fd, body, strlen(body), MSG_NOSIGNAL), (ssize_t)strlen(body));
    free(body);
    conn_close(k);
}

static void conn_readable(void *ud)
{
    struct conn *k = ud;
    ssize_t n = read(k->fd, k->buf + k->len, sizeof(k->buf) - 1 - k->len);
    char *end;
    const char *cl;

    if (n <= 0) {
        if (n < 0 && errno == EAGAIN)
            return;
        conn_close(k);
        return;
    }
    k->len += (size_t)n;
    k->buf[k->len] = '\0';
    end = strstr(k->buf, "\r\n\r\n");
    if (!end)
        return;
    cl = strcasestr(k->buf, "Content-Length:");
    if (cl && (size_t)(end + 4 - k->buf) + (size_t)atol(cl + 15) > k->len)
        return;   /* the body is still coming */
    conn_answer(k);
}

static void srv_accept(void *ud)
{
    struct srv *s = ud;
    int fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

    if (fd < 0)
        return;
    for (int i = 0; i < SRV_CONNS; i++) {
        struct conn *k = &s->conns[i];

        if (k->fd >= 0)
            continue;
        k->s = s;
        k->fd = fd;
        k->len = 0;
        k->watch = aws_client_watch_fd(s->c, fd, conn_readable, k);
        return;
    }
    close(fd);
}

/* Listens on a free loopback port and points AWS_ENDPOINT_URL at it (before the config is
 * made, which reads it); srv_attach puts it on a client's wait. */
static void srv_start(struct srv *s)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    char url[64];

    memset(s, 0, sizeof(*s));
    for (int i = 0; i < SRV_CONNS; i++)
        s->conns[i].fd = -1;
    s->lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    ck_assert_int_ge(s->lfd, 0);
    ck_assert_int_eq(bind(s->lfd, (struct sockaddr *)&a, sizeof(a)), 0);
    ck_assert_int_eq(listen(s->lfd, 128), 0);
    ck_assert_int_eq(getsockname(s->lfd, (struct sockaddr *)&a, &len), 0);
    s->port = ntohs(a.sin_port);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", s->port);
    setenv("AWS_ENDPOINT_URL", url, 1);
}

static void srv_attach(struct srv *s, struct aws_client *c)
{
    s->c = c;
    s->lwatch = aws_client_watch_fd(c, s->lfd, srv_accept, s);
}

static void srv_stop(struct srv *s)
{
    for (int i = 0; i < SRV_CONNS; i++)
        if (s->conns[i].fd >= 0)
            conn_close(&s->conns[i]);
    aws_client_unwatch(s->c, s->lwatch);
    close(s->lfd);
}

/* ---- requests ------------------------------------------------------------------------- */

struct result {
    bool done, ok;
    char message[1024];
};

static void on_result(const struct aws_response *resp, const struct aws_error *err, void *ud)
{
    struct result *r = ud;

    r->done = true;
    r->ok = resp != NULL;
    if (err)
        snprintf(r->message, sizeof(r->message), "%s", err->message);
}

static void send_identity(struct aws_client *c, struct result *r)
{
    struct aws_request req;

    sts_get_caller_identity_request(&req);
    aws_client_send(c, &req, on_result, r);
}

static int count_done(const struct result *r, int n, bool ok)
{
    int k = 0;

    for (int i = 0; i < n; i++)
        k += r[i].done && r[i].ok == ok;
    return k;
}

/* The client's wait until every one of n results is in. */
static void run_until_done(struct aws_client *c, const struct result *r, int n)
{
    while (count_done(r, n, true) + count_done(r, n, false) < n)
        aws_client_run(c, NULL, 0, 100);
}

static void run_until_woken(struct aws_client *c, const struct waiter *w, int n)
{
    while (count_woken(w, n) < n)
        aws_client_run(c, NULL, 0, 100);
}

/* ---- the cases ------------------------------------------------------------------------ */

/* Forty askers while the helper holds: one refresh, one run of the helper; the loop keeps
 * turning meanwhile (a timer fires while nobody has been woken); then everyone is woken
 * once, with credentials. */
START_TEST(many_waiters_one_refresh)
{
    struct aws_config *cfg;
    struct creds_manager *cm;
    struct aws_client *c;
    struct waiter w[NREQ];
    struct probe probe = {.w = w, .nw = NREQ, .create = "helper/release"};
    const struct aws_credentials *cr;
    struct creds_report rep[2];
    struct aws_error err;

    helper_setup("ASIAFIRSTKEY00001");
    touch("helper/hold");
    cfg = config_new();
    cm = creds_manager_new(cfg);
    c = aws_client_new(cfg, creds_manager_source(cm), NULL);
    ask_all(cm, c, w, NREQ);
    ck_assert_uint_eq(creds_manager_report(cm, rep, 2), 1);
    ck_assert(rep[0].refreshing);
    ck_assert(!rep[0].usable);
    ck_assert(rep[0].active);
    ck_assert_str_eq(rep[0].method, "custom-process");
    {
        bool waiting = false;

        ck_assert(creds_manager_refreshing(cm, &waiting));
        ck_assert(waiting);
    }
    /* the release comes from the loop itself: it turns while the helper waits */
    aws_client_timer(c, 0, probe_fire, &probe);
    run_until_woken(c, w, NREQ);
    ck_assert(probe.fired);
    ck_assert_int_eq(probe.woken_when_fired, 0);
    for (int i = 0; i < NREQ; i++) {
        ck_assert_int_eq(w[i].woken, 1);
        ck_assert_msg(!w[i].failed, "%s", w[i].message);
    }
    ck_assert_int_eq(count_lines("helper/runs"), 1);
    ck_assert_int_eq(creds_manager_get(cm, c, NULL, &cr, &err), CREDS_OK);
    ck_assert_str_eq(cr->access_key_id, "ASIAFIRSTKEY00001");
    ck_assert_uint_eq(creds_manager_report(cm, rep, 2), 1);
    ck_assert(!rep[0].refreshing && rep[0].usable);
    {
        bool waiting = true;

        ck_assert(!creds_manager_refreshing(cm, &waiting));
        ck_assert(!waiting);
    }
    aws_client_free(c);
    creds_manager_free(cm);
    aws_config_free(cfg);
}
END_TEST

/* The helper fails: every waiter is woken once with the refresh's own line (the profile,
 * the helper, its status and its last stderr line); asks within the hold-off get that line
 * at once; once it is lifted (`r`) the helper runs again. */
START_TEST(failure_fails_every_waiter)
{
    struct aws_config *cfg;
    struct creds_manager *cm;
    struct aws_client *c;
    struct waiter w[NREQ];
    const struct aws_credentials *cr;
    struct aws_error err;

    helper_setup("ASIAFIRSTKEY00001");
    touch("helper/fail");
    cfg = config_new();
    cm = creds_manager_new(cfg);
    c = aws_client_new(cfg, creds_manager_source(cm), NULL);
    ask_all(cm, c, w, NREQ);
    run_until_woken(c, w, NREQ);
    for (int i = 0; i < NREQ; i++) {
        ck_assert_int_eq(w[i].woken, 1);
        ck_assert(w[i].failed);
        ck_assert_msg(strstr(w[i].message, "profile default: credential_process ") &&
                      strstr(w[i].message, "run.sh failed (exit status 4)") &&
                      strstr(w[i].message, "the token service said no"), "%s",
                      w[i].message);
    }
    ck_assert_int_eq(count_lines("helper/runs"), 1);
    /* within the hold-off an ask fails at once with the same line: no new run (a console
     * polling every few seconds must not start the helper, or ask for an MFA code, each
     * time) */
    unlink(home_path("helper/fail"));
    aws_error_clear(&err);
    ck_assert_int_eq(creds_manager_get(cm, c, NULL, &cr, &err), CREDS_ERROR);
    ck_assert_str_eq(err.message, w[0].message);
    ck_assert_int_eq(count_lines("helper/runs"), 1);
    ck_assert_uint_eq(creds_manager_report(cm, NULL, 0), 0);
    /* `r` lifts the hold-off: the next ask runs it again */
    creds_manager_retry_now(cm);
    ask_all(cm, c, w, 1);
    run_until_woken(c, w, 1);
    ck_assert(!w[0].failed);
    ck_assert_int_eq(count_lines("helper/runs"), 2);
    aws_client_free(c);
    creds_manager_free(cm);
    aws_config_free(cfg);
}
END_TEST

/* Requests sent while the refresh holds: none reaches the server until it ends, then all go
 * out signed with the new key; the helper ran once. */
START_TEST(requests_queue_behind_one_refresh)
{
    struct aws_config *cfg;
    struct creds_manager *cm;
    struct aws_client *c;
    struct result r[NREQ];
    struct probe probe = {.create = "helper/release"};
    struct srv s;
    int seen_when_fired = -1;

    helper_setup("ASIAFIRSTKEY00001");
    touch("helper/hold");
    srv_start(&s);
    cfg = config_new();
    cm = creds_manager_new(cfg);
    c = aws_client_new(cfg, creds_manager_source(cm), NULL);
    srv_attach(&s, c);
    memset(r, 0, sizeof(r));
    for (int i = 0; i < NREQ; i++)
        send_identity(c, &r[i]);
    aws_client_timer(c, 0, probe_fire, &probe);
    while (!probe.fired)
        aws_client_run(c, NULL, 0, 100);
    seen_when_fired = s.nreq;
    run_until_done(c, r, NREQ);
    ck_assert_int_eq(seen_when_fired, 0);
    ck_assert_int_eq(count_done(r, NREQ, true), NREQ);
    ck_assert_int_eq(s.nreq, NREQ);
    for (int i = 0; i < NREQ; i++)
        ck_assert_str_eq(s.akid[i], "ASIAFIRSTKEY00001");
    ck_assert_int_eq(count_lines("helper/runs"), 1);
    srv_stop(&s);
    aws_client_free(c);
    creds_manager_free(cm);
    aws_config_free(cfg);
}
END_TEST

/* Forty requests signed with a key the service calls expired: one refresh (the helper runs
 * twice in all: the first credentials and the new ones), and every request succeeds with
 * the new key. Those on the wire when the first refusal came were refused and sent again;
 * those still queued behind the transfer window waited for the refresh and went once. */
START_TEST(expired_token_refreshes_once)
{
    struct aws_config *cfg;
    struct creds_manager *cm;
    struct aws_client *c;
    struct result r[NREQ];
    struct srv s;
    const struct aws_credentials *cr;
    struct aws_error err;
    int old = 0, fresh = 0;

    helper_setup("ASIAOLDKEY0000001");
    srv_start(&s);
    cfg = config_new();
    cm = creds_manager_new(cfg);
    c = aws_client_new(cfg, creds_manager_source(cm), NULL);
    srv_attach(&s, c);
    s.refuse_key = "ASIAOLDKEY0000001";
    /* the first credentials, then the key the helper gives next */
    aws_error_clear(&err);
    {
        struct waiter w0 = {.w.wake = waiter_wake};

        ck_assert_int_eq(creds_manager_get(cm, c, &w0.w, &cr, &err), CREDS_PENDING);
        run_until_woken(c, &w0, 1);
    }
    ck_assert_int_eq(creds_manager_get(cm, c, NULL, &cr, &err), CREDS_OK);
    ck_assert_str_eq(cr->access_key_id, "ASIAOLDKEY0000001");
    tmp_home_write("helper/key", "ASIANEWKEY0000001");
    memset(r, 0, sizeof(r));
    for (int i = 0; i < NREQ; i++)
        send_identity(c, &r[i]);
    run_until_done(c, r, NREQ);
    for (int i = 0; i < NREQ; i++)
        ck_assert_msg(r[i].ok, "%s", r[i].message);
    ck_assert_int_eq(count_lines("helper/runs"), 2);
    for (int i = 0; i < s.nreq; i++) {
        old += strcmp(s.akid[i], "ASIAOLDKEY0000001") == 0;
        fresh += strcmp(s.akid[i], "ASIANEWKEY0000001") == 0;
    }
    ck_assert_int_ge(old, 1);
    ck_assert_int_le(old, NREQ);
    ck_assert_int_eq(fresh, NREQ);
    ck_assert_int_eq(s.nreq, old + fresh);
    /* a late ExpiredToken for the old generation does not throw the new key away */
    ck_assert_int_eq(creds_manager_get(cm, c, NULL, &cr, &err), CREDS_OK);
    ck_assert_str_eq(cr->access_key_id, "ASIANEWKEY0000001");
    srv_stop(&s);
    aws_client_free(c);
    creds_manager_free(cm);
    aws_config_free(cfg);
}
END_TEST

/* A helper that ignores SIGTERM and sleeps: stopped at its deadline (SIGTERM, then SIGKILL
 * after the grace period), reaped (no zombie), and the waiter hears why; the loop turned
 * meanwhile. */
START_TEST(hung_process_stopped_and_reaped)
{
    struct aws_config *cfg;
    struct creds_manager *cm;
    struct aws_client *c;
    struct waiter w = {.w.wake = waiter_wake};
    struct probe probe = {.w = &w, .nw = 1};
    const struct aws_credentials *cr;
    struct aws_error err;
    char cfgtext[1024];
    pid_t pid;
    int st;
    FILE *f;

    ck_assert_int_eq(mkdir(home_path("helper"), 0700), 0);
    tmp_home_write("helper/hang.sh", "#!/bin/sh\necho $$ > \"$HOME/helper/pid\"\n"
                   "trap '' TERM\nsleep 60 &\nwait\nwait\n");
    ck_assert_int_eq(chmod(home_path("helper/hang.sh"), 0700), 0);
    snprintf(cfgtext, sizeof(cfgtext), "[default]\ncredential_process = %s\n",
             home_path("helper/hang.sh"));
    tmp_home_write(".aws/config", cfgtext);
    setenv("OPSDECK_CREDENTIAL_PROCESS_TIMEOUT", "0.5", 1);
    cfg = config_new();
    cm = creds_manager_new(cfg);
    c = aws_client_new(cfg, creds_manager_source(cm), NULL);
    ck_assert_int_eq(creds_manager_get(cm, c, &w.w, &cr, &err), CREDS_PENDING);
    aws_client_timer(c, 0, probe_fire, &probe);
    run_until_woken(c, &w, 1);
    ck_assert(probe.fired);
    ck_assert_int_eq(probe.woken_when_fired, 0);
    ck_assert(w.failed);
    ck_assert_msg(strstr(w.message, "did not finish within 0.5 s and was stopped"), "%s",
                  w.message);
    f = fopen(home_path("helper/pid"), "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fscanf(f, "%d", &pid), 1);
    fclose(f);
    /* reaped: it is no child of ours any more, and gone */
    ck_assert_int_eq(waitpid(pid, &st, WNOHANG), -1);
    ck_assert_int_eq(errno, ECHILD);
    ck_assert_int_eq(kill(pid, 0), -1);
    ck_assert_int_eq(errno, ESRCH);
    aws_client_free(c);
    creds_manager_free(cm);
    aws_config_free(cfg);
}
END_TEST

/* The client goes (a profile switch frees it) while the helper holds: the child is killed
 * and reaped, the client's own request goes without a callback, and the waiter of another
 * client hears the refresh was stopped. */
START_TEST(client_freed_mid_refresh)
{
    struct aws_config *cfg;
    struct creds_manager *cm;
    struct aws_client *c, *other;
    struct waiter w2 = {.w.wake = waiter_wake};
    struct result r = {0};
    const struct aws_credentials *cr;
    struct aws_error err;
    pid_t pid;
    int st;
    FILE *f;

    helper_setup("ASIAFIRSTKEY00001");
    touch("helper/hold");
    setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9", 1);   /* never reached */
    cfg = config_new();
    cm = creds_manager_new(cfg);
    c = aws_client_new(cfg, creds_manager_source(cm), NULL);
    other = aws_client_new(cfg, creds_manager_source(cm), NULL);
    send_identity(c, &r);   /* its prepare starts the refresh on c */
    while (!exists("helper/pid"))
        aws_client_run(c, NULL, 0, 20);
    ck_assert_int_eq(creds_manager_get(cm, other, &w2.w, &cr, &err), CREDS_PENDING);
    f = fopen(home_path("helper/pid"), "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fscanf(f, "%d", &pid), 1);
    fclose(f);
    aws_client_free(c);
    ck_assert(!r.done);
    ck_assert_int_eq(w2.woken, 1);
    ck_assert(w2.failed);
    ck_assert_msg(strstr(w2.message, "stopped"), "%s", w2.message);
    ck_assert_int_eq(waitpid(pid, &st, WNOHANG), -1);
    ck_assert_int_eq(errno, ECHILD);
    ck_assert_uint_eq(creds_manager_report(cm, NULL, 0), 0);
    aws_client_free(other);
    creds_manager_free(cm);
    aws_config_free(cfg);
}
END_TEST

/* ---- MFA asked for later ------------------------------------------------------------- */

struct asker {
    unsigned long id;
    int asked, withdrawn;
    char profile[64], serial[128];
};

static int ask_later(void *ud, unsigned long id, const char *profile, const char *serial,
                     char *code, size_t len)
{
    struct asker *a = ud;

    (void)code;
    (void)len;
    a->id = id;
    a->asked++;
    snprintf(a->profile, sizeof(a->profile), "%s", profile);
    snprintf(a->serial, sizeof(a->serial), "%s", serial);
    return 0;
}

static void ask_withdrawn(void *ud, unsigned long id)
{
    struct asker *a = ud;

    if (id == a->id)
        a->withdrawn++;
}

static const char ROLE_CONFIG[] =
    "[profile ops]\nregion = eu-west-1\nrole_arn = arn:aws:iam::123456789012:role/oncall\n"
    "source_profile = base\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n";
static const char BASE_KEYS[] =
    "[base]\naws_access_key_id = AKIABASEKEY000001\naws_secret_access_key = base-secret\n";

static struct aws_config *role_config(void)
{
    struct aws_config_opts o = {.profile = "ops"};
    struct aws_error err;
    struct aws_config *cfg;

    tmp_home_write(".aws/config", ROLE_CONFIG);
    tmp_home_write(".aws/credentials", BASE_KEYS);
    aws_error_clear(&err);
    cfg = aws_config_new(&o, &err);
    ck_assert_msg(cfg != NULL, "%s", err.message);
    return cfg;
}

/* The code comes after the ask: nothing is sent until then, the loop runs, and the answer
 * sends AssumeRole with it; the waiter then gets the role's credentials. */
START_TEST(mfa_answered_later)
{
    struct aws_config *cfg;
    struct creds_manager *cm;
    struct aws_client *c;
    struct srv s;
    struct asker a = {0};
    struct waiter w = {.w.wake = waiter_wake};
    struct probe probe = {.w = &w, .nw = 1};
    const struct aws_credentials *cr;
    struct aws_error err;
    struct creds_report rep[4];
    size_t n;

    srv_start(&s);
    cfg = role_config();
    cm = creds_manager_new(cfg);
    c = aws_client_new(cfg, creds_manager_source(cm), NULL);
    srv_attach(&s, c);
    s.assume_role = true;
    creds_manager_set_mfa(cm, ask_later, ask_withdrawn, &a, NULL);
    ck_assert_int_eq(creds_manager_get(cm, c, &w.w, &cr, &err), CREDS_PENDING);
    ck_assert_int_eq(a.asked, 1);
    ck_assert_str_eq(a.profile, "ops");
    ck_assert_str_eq(a.serial, "arn:aws:iam::123456789012:mfa/alice");
    n = creds_manager_report(cm, rep, 4);
    ck_assert_uint_ge(n, 1);
    for (size_t i = 0; i < n; i++)
        if (rep[i].active)
            ck_assert(rep[i].refreshing && !rep[i].usable);
    aws_client_timer(c, 0, probe_fire, &probe);
    while (!probe.fired)
        aws_client_run(c, NULL, 0, 100);
    ck_assert_int_eq(s.nreq, 0);       /* nothing sent before the code */
    ck_assert_int_eq(w.woken, 0);
    creds_manager_mfa_answer(cm, a.id, "123456");
    run_until_woken(c, &w, 1);
    ck_assert_msg(!w.failed, "%s", w.message);
    ck_assert_int_eq(s.nreq, 1);
    ck_assert_ptr_nonnull(strstr(s.last, "Action=AssumeRole"));
    ck_assert_ptr_nonnull(strstr(s.last, "TokenCode=123456"));
    ck_assert_str_eq(s.akid[0], "AKIABASEKEY000001");
    ck_assert_int_eq(creds_manager_get(cm, c, NULL, &cr, &err), CREDS_OK);
    ck_assert_str_eq(cr->access_key_id, "ASIARZPUZDIKAQMPJUN4");
    ck_assert_int_eq(a.withdrawn, 0);
    srv_stop(&s);
    aws_client_free(c);
    creds_manager_free(cm);
    aws_config_free(cfg);
}
END_TEST

/* Declined (Esc): the refresh fails with a line that says so, and the next ask within the
 * hold-off does not ask again; a switch while the question is open withdraws it. */
START_TEST(mfa_declined_or_withdrawn)
{
    struct aws_config *cfg, *other;
    struct creds_manager *cm;
    struct aws_client *c;
    struct asker a = {0};
    struct waiter w = {.w.wake = waiter_wake}, w2 = {.w.wake = waiter_wake};
    const struct aws_credentials *cr;
    struct aws_error err;

    cfg = role_config();
    cm = creds_manager_new(cfg);
    c = aws_client_new(cfg, creds_manager_source(cm), NULL);
    creds_manager_set_mfa(cm, ask_later, ask_withdrawn, &a, NULL);
    ck_assert_int_eq(creds_manager_get(cm, c, &w.w, &cr, &err), CREDS_PENDING);
    creds_manager_mfa_answer(cm, a.id, NULL);
    ck_assert_int_eq(w.woken, 1);
    ck_assert(w.failed);
    ck_assert_msg(strstr(w.message, "profile ops: no MFA code was given for "
                         "arn:aws:iam::123456789012:mfa/alice") &&
                  strstr(w.message, "asks again"), "%s", w.message);
    /* not asked again at once: the decline stands for the hold-off */
    ck_assert_int_eq(creds_manager_get(cm, c, NULL, &cr, &err), CREDS_ERROR);
    ck_assert_int_eq(a.asked, 1);
    /* asked again (no hold-off), then the profile changes under the open question */
    creds_manager_set_refresh_holdoff(cm, 0);
    creds_manager_switch(cm, cfg);
    ck_assert_int_eq(creds_manager_get(cm, c, &w2.w, &cr, &err), CREDS_PENDING);
    ck_assert_int_eq(a.asked, 2);
    other = role_config();
    creds_manager_switch(cm, other);
    ck_assert_int_eq(a.withdrawn, 1);
    ck_assert_int_eq(w2.woken, 1);
    ck_assert(w2.failed);
    creds_manager_mfa_answer(cm, a.id, "123456");   /* too late: ignored */
    aws_client_free(c);
    creds_manager_free(cm);
    aws_config_free(cfg);
    aws_config_free(other);
}
END_TEST

static bool active_refreshing(const struct creds_manager *cm, struct creds_report *rep)
{
    ck_assert_uint_eq(creds_manager_report(cm, rep, 1), 1);
    return rep->refreshing;
}

static void run_until_refreshed(struct aws_client *c, const struct creds_manager *cm)
{
    struct creds_report rep;

    while (active_refreshing(cm, &rep))
        aws_client_run(c, NULL, 0, 100);
}

/* "Refresh now": credentials that are far from their end are renewed on request. While the
 * helper holds, the old ones are still handed out and the report (what the store's rows
 * show) says refreshing; asking again starts no second run. A failed renewal keeps the
 * old ones and says why. A profile with nothing held is refused with its name. */
START_TEST(refresh_now_renews_in_place)
{
    struct aws_config *cfg;
    struct creds_manager *cm;
    struct aws_client *c;
    struct waiter w[1];
    const struct aws_credentials *cr;
    struct creds_report rep;
    struct aws_error err;
    bool waiting = true;

    helper_setup("ASIAFIRSTKEY00001");
    cfg = config_new();
    cm = creds_manager_new(cfg);
    c = aws_client_new(cfg, creds_manager_source(cm), NULL);
    ask_all(cm, c, w, 1);
    run_until_woken(c, w, 1);
    ck_assert_msg(!w[0].failed, "%s", w[0].message);

    tmp_home_write("helper/key", "ASIASECONDKEY0001");
    touch("helper/hold");
    aws_error_clear(&err);
    ck_assert_int_eq(creds_manager_refresh_now(cm, c, NULL, &err), CREDS_PENDING);
    ck_assert(active_refreshing(cm, &rep));
    ck_assert(rep.usable);
    ck_assert(creds_manager_refreshing(cm, &waiting));
    ck_assert(!waiting);   /* requests go on with the old ones */
    ck_assert_int_eq(creds_manager_get(cm, c, NULL, &cr, &err), CREDS_OK);
    ck_assert_str_eq(cr->access_key_id, "ASIAFIRSTKEY00001");
    ck_assert_int_eq(creds_manager_refresh_now(cm, c, "default", &err), CREDS_PENDING);
    touch("helper/release");
    run_until_refreshed(c, cm);
    ck_assert_int_eq(count_lines("helper/runs"), 2);
    ck_assert_int_eq(creds_manager_get(cm, c, NULL, &cr, &err), CREDS_OK);
    ck_assert_str_eq(cr->access_key_id, "ASIASECONDKEY0001");
    ck_assert(!active_refreshing(cm, &rep));
    ck_assert_str_eq(rep.refresh_error, "");

    unlink(home_path("helper/hold"));
    touch("helper/fail");
    ck_assert_int_eq(creds_manager_refresh_now(cm, c, NULL, &err), CREDS_PENDING);
    run_until_refreshed(c, cm);
    ck_assert_int_eq(count_lines("helper/runs"), 3);
    ck_assert(!active_refreshing(cm, &rep));
    ck_assert(rep.usable);
    ck_assert_msg(strstr(rep.refresh_error, "the token service said no") != NULL, "%s",
                  rep.refresh_error);
    ck_assert_int_eq(creds_manager_get(cm, c, NULL, &cr, &err), CREDS_OK);
    ck_assert_str_eq(cr->access_key_id, "ASIASECONDKEY0001");

    aws_error_clear(&err);
    ck_assert_int_eq(creds_manager_refresh_now(cm, c, "nosuch", &err), CREDS_ERROR);
    ck_assert_msg(strstr(err.message, "profile nosuch") != NULL, "%s", err.message);
    ck_assert_int_eq(count_lines("helper/runs"), 3);
    aws_client_free(c);
    creds_manager_free(cm);
    aws_config_free(cfg);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("creds_async");
    TCase *tc = tcase_create("refresh");

    tcase_add_checked_fixture(tc, tmp_home_setup, tmp_home_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, many_waiters_one_refresh);
    tcase_add_test(tc, failure_fails_every_waiter);
    tcase_add_test(tc, requests_queue_behind_one_refresh);
    tcase_add_test(tc, expired_token_refreshes_once);
    tcase_add_test(tc, hung_process_stopped_and_reaped);
    tcase_add_test(tc, client_freed_mid_refresh);
    tcase_add_test(tc, mfa_answered_later);
    tcase_add_test(tc, mfa_declined_or_withdrawn);
    tcase_add_test(tc, refresh_now_renews_in_place);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(suite());
}
