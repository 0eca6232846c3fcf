/* loop.c - the self-pipe, signal dispositions and the one wait (loop.h). */
#include "config.h"
#include "ui/loop.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/client.h"
#include "util/xalloc.h"

#define LOOP_NSIG 64

struct loop {
    struct sigaction saved[LOOP_NSIG];
    bool caught[LOOP_NSIG];
};

/* Written by handlers, read by the loop: the only state a handler touches. */
static int pipe_fds[2] = {-1, -1};
static volatile sig_atomic_t pending[LOOP_NSIG];
static struct loop *the_loop;
static void (*crash_hook)(void);

/* Every signal whose default action ends the process: the crashes, Ctrl-\ (SIGQUIT), and
 * the ones that end it quietly (SIGUSR1, SIGALRM, SIGPIPE ...). SIGINT, SIGTERM and SIGHUP
 * are here too for the moments before loop_catch takes them over for a clean quit. The
 * real-time signals are added at run time (SIGRTMIN is not a constant). */
static const int fatal_signals[] = {
    SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL, SIGQUIT, SIGTRAP, SIGSYS, SIGXCPU, SIGXFSZ,
    SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2, SIGVTALRM, SIGPROF, SIGIO,
#ifdef SIGPWR
    SIGPWR,
#endif
#ifdef SIGSTKFLT
    SIGSTKFLT,
#endif
};
#define N_FATAL (sizeof(fatal_signals) / sizeof(fatal_signals[0]))
/* The ones loop_set_crash_hook took over (their disposition was the default). */
static bool crash_caught[LOOP_NSIG + 1];

static void on_signal(int sig)
{
    int saved = errno;   /* a handler must not change errno under the code it interrupted */
    unsigned char b = (unsigned char)sig;

    if (sig > 0 && sig < LOOP_NSIG)
        pending[sig] = 1;
    /* a full pipe already wakes the wait; the flag above keeps the signal itself */
    if (pipe_fds[1] >= 0 && write(pipe_fds[1], &b, 1) < 0) {
        /* nothing to do: EAGAIN means a wake-up is already queued */
    }
    errno = saved;
}

static void on_crash(int sig)
{
    /* SA_RESETHAND put the default action back; the hook restores the terminal, then the
     * signal is raised again and kills the process (with a core dump where enabled) */
    if (crash_hook)
        crash_hook();
    raise(sig);
}

static void crash_catch(int sig, const struct sigaction *sa)
{
    struct sigaction old;

    if (sig <= 0 || sig > LOOP_NSIG)
        return;
    if (sa->sa_handler == SIG_DFL) {
        if (crash_caught[sig])
            sigaction(sig, sa, NULL);
        crash_caught[sig] = false;
        return;
    }
    /* a signal someone chose to ignore (nohup, a parent's SIGPIPE) stays ignored */
    if (sigaction(sig, NULL, &old) < 0 || old.sa_handler == SIG_IGN)
        return;
    if (sigaction(sig, sa, NULL) == 0)
        crash_caught[sig] = true;
}

void loop_set_crash_hook(void (*hook)(void))
{
    struct sigaction sa;

    crash_hook = hook;
    memset(&sa, 0, sizeof(sa));
    sigemptyset(&sa.sa_mask);
    if (hook) {
        sa.sa_handler = on_crash;
        sa.sa_flags = SA_RESETHAND | SA_NODEFER;
    } else {
        sa.sa_handler = SIG_DFL;
    }
    for (size_t i = 0; i < N_FATAL; i++)
        crash_catch(fatal_signals[i], &sa);
    for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
        crash_catch(sig, &sa);
}

static int set_flags(int fd)
{
    int fl = fcntl(fd, F_GETFL);

    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
        return -1;
    return fcntl(fd, F_SETFD, FD_CLOEXEC);
}

struct loop *loop_new(void)
{
    struct loop *l;

    if (the_loop) {
        errno = EBUSY;
        return NULL;
    }
    if (pipe(pipe_fds) < 0)
        return NULL;
    if (set_flags(pipe_fds[0]) < 0 || set_flags(pipe_fds[1]) < 0) {
        int e = errno;
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        pipe_fds[0] = pipe_fds[1] = -1;
        errno = e;
        return NULL;
    }
    l = xcalloc(1, sizeof(*l));
    for (int i = 0; i < LOOP_NSIG; i++)
        pending[i] = 0;
    the_loop = l;
    return l;
}

void loop_free(struct loop *l)
{
    if (!l)
        return;
    for (int sig = 1; sig < LOOP_NSIG; sig++)
        if (l->caught[sig])
            sigaction(sig, &l->saved[sig], NULL);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    pipe_fds[0] = pipe_fds[1] = -1;
    the_loop = NULL;
    free(l);
}

int loop_catch(struct loop *l, int sig)
{
    struct sigaction sa;

    if (!l || sig <= 0 || sig >= LOOP_NSIG) {
        errno = EINVAL;
        return -1;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    if (sigaction(sig, &sa, l->caught[sig] ? NULL : &l->saved[sig]) < 0)
        return -1;
    l->caught[sig] = true;
    return 0;
}

static void drain_pipe(void)
{
    unsigned char buf[64];

    while (read(pipe_fds[0], buf, sizeof(buf)) > 0)
        ;
}

int loop_wait(struct loop *l, struct aws_client *client, const int *fds, size_t nfds,
              int timeout_ms, struct loop_wake *out)
{
    struct pollfd pfd[LOOP_MAX_FDS + 1];
    struct curl_waitfd wfd[LOOP_MAX_FDS + 1];
    int left = 0;

    if (nfds > LOOP_MAX_FDS)
        nfds = LOOP_MAX_FDS;
    if (timeout_ms < 0)
        timeout_ms = 0;
    for (size_t i = 0; i < nfds; i++) {
        pfd[i] = (struct pollfd){.fd = fds[i], .events = POLLIN};
        wfd[i] = (struct curl_waitfd){.fd = fds[i], .events = CURL_WAIT_POLLIN};
    }
    pfd[nfds] = (struct pollfd){.fd = pipe_fds[0], .events = POLLIN};
    wfd[nfds] = (struct curl_waitfd){.fd = pipe_fds[0], .events = CURL_WAIT_POLLIN};

    if (client) {
        left = aws_client_run(client, wfd, (unsigned)nfds + 1, timeout_ms);
        /* which fds are ready is asked again without waiting: curl's revents are not
         * passed through every layer, and a second poll costs nothing */
        timeout_ms = 0;
    }
    if (poll(pfd, nfds + 1, timeout_ms) < 0)   /* EINTR: a signal, seen below */
        for (size_t i = 0; i <= nfds; i++)
            pfd[i].revents = 0;

    if (out) {
        out->ready = 0;
        out->signals = 0;
        for (size_t i = 0; i < nfds; i++)
            if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
                out->ready |= 1u << i;
    }
    drain_pipe();
    for (int sig = 1; sig < LOOP_NSIG; sig++) {
        if (!pending[sig])
            continue;
        pending[sig] = 0;
        if (out)
            out->signals |= (uint64_t)1 << sig;
    }
    (void)l;
    return left;
}
