/* loop.h - the console's one wait point: requests in flight, the terminal, and signals.
 *
 * Signals are turned into readable bytes on a self-pipe (the classic trick) so that they
 * wake the same wait as the network and the keyboard: a handler only records the signal
 * and writes one byte, everything else happens in the loop. Every other signal whose default
 * action ends the process (SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL, SIGQUIT, SIGUSR1,
 * SIGALRM, SIGPIPE, the real-time ones ...) runs a crash hook that restores the terminal,
 * then takes its default action (htop's crash handler), so no signal leaves an SSH session
 * in raw mode.
 *
 * Signals are process-wide, so there is one loop at a time. */
#ifndef OPSDECK_LOOP_H
#define OPSDECK_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct aws_client;

#define LOOP_MAX_FDS 8

struct loop;

/* What woke a wait. */
struct loop_wake {
    unsigned ready;     /* bit i set: fds[i] of the wait is readable (or hung up) */
    uint64_t signals;   /* bit (1 << sig) for each caught signal delivered since the last wait */
};

/* Creates the self-pipe (non-blocking, close-on-exec). NULL when a loop already exists or
 * the pipe cannot be made (errno set). */
struct loop *loop_new(void);
/* Restores every disposition loop_catch changed and closes the pipe. */
void loop_free(struct loop *l);

/* From now on, signal sig (1..63) wakes the wait and shows in loop_wake.signals instead of
 * its default action. SA_RESTART, so other system calls are not cut short. 0 or -1. */
int loop_catch(struct loop *l, int sig);

/* Installs handlers for the fatal signals that call hook (async-signal context: it should
 * only restore the terminal), then re-raise the signal with its default action. NULL
 * uninstalls them. */
void loop_set_crash_hook(void (*hook)(void));

/* The wait: up to timeout_ms (0 polls; negative counts as 0, so a bad timer never blocks
 * forever) for one of fds to become readable, a caught signal, or, when client is not NULL,
 * network activity (aws_client_run, which also runs the callbacks of finished requests).
 * Fills *out (may be NULL) and returns the number of requests still pending (0 without a
 * client). nfds is at most LOOP_MAX_FDS. */
int loop_wait(struct loop *l, struct aws_client *client, const int *fds, size_t nfds,
              int timeout_ms, struct loop_wake *out);

#endif
