/* job.h - long actions (a redrive, a download, an export, a batch of test messages) as
 * jobs whose progress is store rows, so every view, `:jobs` and a replay read them like any
 * other data, and a job goes on while the user switches views.
 *
 * kind "job", key = "0001", "0002", ... (the order they were started in):
 *   action str     what it does ("Send test messages")
 *   resource str   what to ("orders")
 *   state str      "running", "cancelling", "done", "failed", "cancelled"
 *   done int       units done (messages, bytes)
 *   total int      units in all; unknown when not known (yet)
 *   rate double    units per second since it started; unknown in its first second
 *   started int    when it started, ms on the store's clock
 *   ended int      when it ended (absent while it runs)
 *   error str      why it failed (absent unless failed)
 *   unit str       "bytes" when done and total count bytes (a download); absent: items
 *   phase str      what it is doing before its units move, while it runs ("checking the
 *                  partial file: 42%"); unknown otherwise
 * The jobs of a session live as long as its store; a running job keeps the session (the
 * console refuses :profile and asks before quitting). */
#ifndef OPSDECK_JOB_H
#define OPSDECK_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "poll/store.h"

enum job_state { JOB_RUNNING, JOB_CANCELLING, JOB_DONE, JOB_FAILED, JOB_CANCELLED };

struct jobs;
struct job;

/* A monotonic clock in ms, for rates (the loop's, or a test's). */
typedef int64_t (*jobs_clock_fn)(void *arg);

/* store is borrowed and must outlive the jobs. */
struct jobs *jobs_new(struct store *store, jobs_clock_fn clock, void *clock_arg);
void jobs_free(struct jobs *js);

/* A new job, running; total < 0 when not known. */
struct job *jobs_add(struct jobs *js, const char *action, const char *resource, int64_t total);
const char *job_key(const struct job *j);
enum job_state job_state(const struct job *j);
/* done so far; total < 0 leaves the total as it was (unknown stays unknown). */
void job_progress(struct job *j, int64_t done, int64_t total);
/* What done and total count: "bytes" (the views show sizes and a progress bar). */
void job_set_unit(struct job *j, const char *unit);
/* Ends (DONE, FAILED, CANCELLED) or marks CANCELLING; error only for FAILED. */
void job_set_state(struct job *j, enum job_state st, const char *error);
/* What the job is doing now that done does not count (job.h's phase); NULL: nothing. An
 * ended job has none. */
void job_set_phase(struct job *j, const char *phase);
/* What cancelling the job does (the action's cancel); without it the job cannot be cancelled. */
void job_set_cancel(struct job *j, void (*cancel)(void *ud), void *ud);
/* The job's owner is going away: cancelling it no longer calls anyone. */
void job_detach(struct job *j);

/* Asks job key to stop: 0 when it was running and its cancel was called, -1 otherwise. */
int jobs_cancel(struct jobs *js, const char *key);
/* Jobs running or cancelling. */
size_t jobs_running(const struct jobs *js);
const char *job_state_name(enum job_state st);

#endif
