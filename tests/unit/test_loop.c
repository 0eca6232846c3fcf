/* test_loop.c - the one wait point: a signal wakes it through the self-pipe and is reported;
 * a readable fd wakes it; a timeout returns with nothing to report; dispositions come back
 * when the loop is freed; a fatal signal runs the crash hook and still kills the process.
 * No durations are asserted: a wait that should end at once is given ten minutes, and the
 * Check timeout (60 s) fails the case if it hangs. */
#include "config.h"
#include "check_tap.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conf/awsconfig.h"
#include "core/client.h"
#include "creds/creds.h"
#include "ui/loop.h"

#define LONG_WAIT (10 * 60 * 1000)
#define BIT(s) ((uint64_t)1 << (s))

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* A child that signals this process shortly, while it waits (or before: the pipe keeps
 * the wake-up either way). */
static pid_t signal_me_later(int sig)
{
    pid_t parent = getpid(), pid = fork();

    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        sleep_ms(50);
        kill(parent, sig);
        _exit(0);
    }
    return pid;
}

static void reap(pid_t pid)
{
    int st;
    waitpid(pid, &st, 0);
}

START_TEST(signal_wakes_wait)
{
    struct loop *l = loop_new();
    struct loop_wake w;
    pid_t child;

    ck_assert_ptr_nonnull(l);
    ck_assert_int_eq(loop_catch(l, SIGUSR1), 0);
    child = signal_me_later(SIGUSR1);
    loop_wait(l, NULL, NULL, 0, LONG_WAIT, &w);
    ck_assert_msg(w.signals & BIT(SIGUSR1), "SIGUSR1 reported (signals %#llx)",
                  (unsigned long long)w.signals);
    ck_assert_uint_eq(w.ready, 0);
    reap(child);
    /* reported once: the next wait has nothing */
    loop_wait(l, NULL, NULL, 0, 0, &w);
    ck_assert_uint_eq(w.signals, 0);
    loop_free(l);
}
END_TEST

START_TEST(raised_signals_all_reported)
{
    struct loop *l = loop_new();
    struct loop_wake w;

    loop_catch(l, SIGUSR1);
    loop_catch(l, SIGUSR2);
    loop_catch(l, SIGWINCH);
    raise(SIGUSR2);
    raise(SIGWINCH);
    raise(SIGWINCH);
    loop_wait(l, NULL, NULL, 0, LONG_WAIT, &w);
    ck_assert(w.signals & BIT(SIGUSR2));
    ck_assert(w.signals & BIT(SIGWINCH));
    ck_assert(!(w.signals & BIT(SIGUSR1)));
    loop_free(l);
}
END_TEST

START_TEST(fd_wakes_wait)
{
    struct loop *l = loop_new();
    struct loop_wake w;
    int p[2], q[2], fds[2];
    pid_t pid;

    ck_assert_int_eq(pipe(p), 0);
    ck_assert_int_eq(pipe(q), 0);
    fds[0] = q[0];   /* never written */
    fds[1] = p[0];
    pid = fork();
    if (pid == 0) {
        sleep_ms(50);
        if (write(p[1], "k", 1) != 1)
            _exit(1);
        _exit(0);
    }
    loop_wait(l, NULL, fds, 2, LONG_WAIT, &w);
    ck_assert_uint_eq(w.ready, 2u);   /* the second fd only */
    ck_assert_uint_eq(w.signals, 0);
    reap(pid);
    loop_free(l);
    close(p[0]); close(p[1]); close(q[0]); close(q[1]);
}
END_TEST

START_TEST(timeout_returns_nothing)
{
    struct loop *l = loop_new();
    struct loop_wake w = {.ready = 77, .signals = 77};
    int p[2];

    ck_assert_int_eq(pipe(p), 0);
    loop_wait(l, NULL, &p[0], 1, 30, &w);
    ck_assert_uint_eq(w.ready, 0);
    ck_assert_uint_eq(w.signals, 0);
    /* a negative timeout (a timer already past) polls instead of blocking for ever */
    w.ready = 77;
    loop_wait(l, NULL, &p[0], 1, -5, &w);
    ck_assert_uint_eq(w.ready, 0);
    loop_free(l);
    close(p[0]);
    close(p[1]);
}
END_TEST

/* The console's own path: the wait is aws_client_run (curl_multi_poll) with extra fds. */
static struct aws_client *idle_client(struct aws_config **cfg, struct creds_manager **cm)
{
    struct aws_config_opts o = {.region = "us-east-1", .endpoint_url = "http://127.0.0.1:9"};
    struct aws_error err;

    setenv("AWS_CONFIG_FILE", "/dev/null", 1);
    setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", 1);
    aws_error_clear(&err);
    *cfg = aws_config_new(&o, &err);
    ck_assert_ptr_nonnull(*cfg);
    *cm = creds_manager_new(*cfg);
    return aws_client_new(*cfg, creds_manager_source(*cm), NULL);
}

START_TEST(client_wait_woken_by_signal_and_fd)
{
    struct aws_config *cfg;
    struct creds_manager *cm;
    struct aws_client *c = idle_client(&cfg, &cm);
    struct loop *l = loop_new();
    struct loop_wake w;
    int p[2];
    pid_t child;

    ck_assert_int_eq(pipe(p), 0);
    loop_catch(l, SIGTERM);
    child = signal_me_later(SIGTERM);
    ck_assert_int_eq(loop_wait(l, c, &p[0], 1, LONG_WAIT, &w), 0);
    ck_assert(w.signals & BIT(SIGTERM));
    ck_assert_uint_eq(w.ready, 0);
    reap(child);

    ck_assert_int_eq(write(p[1], "x", 1), 1);
    loop_wait(l, c, &p[0], 1, LONG_WAIT, &w);
    ck_assert_uint_eq(w.ready, 1u);
    ck_assert_uint_eq(w.signals, 0);

    loop_free(l);
    aws_client_free(c);
    creds_manager_free(cm);
    aws_config_free(cfg);
    close(p[0]);
    close(p[1]);
}
END_TEST

START_TEST(one_loop_and_dispositions_restored)
{
    struct loop *l = loop_new(), *l2;
    struct sigaction sa;

    ck_assert_ptr_nonnull(l);
    l2 = loop_new();
    ck_assert_ptr_null(l2);
    ck_assert_int_eq(errno, EBUSY);
    ck_assert_int_eq(loop_catch(l, 0), -1);
    ck_assert_int_eq(loop_catch(l, 64), -1);

    signal(SIGUSR2, SIG_IGN);
    ck_assert_int_eq(loop_catch(l, SIGUSR2), 0);
    sigaction(SIGUSR2, NULL, &sa);
    ck_assert(sa.sa_handler != SIG_IGN);
    loop_free(l);
    sigaction(SIGUSR2, NULL, &sa);
    ck_assert(sa.sa_handler == SIG_IGN);
    /* and a new loop can be made again */
    l = loop_new();
    ck_assert_ptr_nonnull(l);
    loop_free(l);
}
END_TEST

static int hook_fd = -1;

static void crash_hook(void)
{
    if (write(hook_fd, "R", 1) != 1)
        _exit(3);
}

/* A crash restores the terminal (the hook) and still dies of the signal, with its default
 * action: the shell and a core dump see the real cause. */
static void crash_child(int sig)
{
    int p[2], st;
    char c = 0;
    pid_t pid;

    ck_assert_int_eq(pipe(p), 0);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        struct rlimit no_core = {0, 0};

        setrlimit(RLIMIT_CORE, &no_core);   /* the test's directory gets no core files */
        close(p[0]);
        hook_fd = p[1];
        loop_set_crash_hook(crash_hook);
        raise(sig);
        _exit(0);   /* not reached when the signal kills */
    }
    close(p[1]);
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert_msg(WIFSIGNALED(st), "child killed by a signal (status %#x)", st);
    ck_assert_int_eq(WTERMSIG(st), sig);
    ck_assert_int_eq(read(p[0], &c, 1), 1);
    ck_assert_int_eq(c, 'R');
    close(p[0]);
}

START_TEST(crash_hook_then_default_action)
{
    static const int sigs[] = {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL};

    crash_child(sigs[_i]);
}
END_TEST

START_TEST(crash_hook_uninstalled)
{
    struct sigaction sa;

    loop_set_crash_hook(crash_hook);
    sigaction(SIGSEGV, NULL, &sa);
    ck_assert(sa.sa_handler != SIG_DFL);
    loop_set_crash_hook(NULL);
    sigaction(SIGSEGV, NULL, &sa);
    ck_assert(sa.sa_handler == SIG_DFL);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("loop");
    TCase *tc = tcase_create("loop");

    tcase_add_test(tc, signal_wakes_wait);
    tcase_add_test(tc, raised_signals_all_reported);
    tcase_add_test(tc, fd_wakes_wait);
    tcase_add_test(tc, timeout_returns_nothing);
    tcase_add_test(tc, client_wait_woken_by_signal_and_fd);
    tcase_add_test(tc, one_loop_and_dispositions_restored);
    tcase_add_loop_test(tc, crash_hook_then_default_action, 0, 5);
    tcase_add_test(tc, crash_hook_uninstalled);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(suite());
}
