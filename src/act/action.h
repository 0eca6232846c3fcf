/* action.h - what opsdeck can do to AWS, as const ops tables (tmux's command table): each
 * action is a file src/act/NAME.c ending with one `const struct action NAME_action = {...}`
 * and a line in action_registry (registry.c).
 *
 * An action declares whether it mutates and the confirmation it needs outside production;
 * the framework, not the view, decides what is asked:
 *   - a mutating action in a production profile always takes the typed resource name;
 *   - otherwise the action's own kind: none (a peek), yes/no, or the typed name (purge,
 *     redrive).
 * Views declare which keys start which actions (views/view.h); the console runs the form,
 * the confirmation, the progress dialog (src/ui/ui_act.c), a headless command the same run
 * with its options for a form and /dev/tty or --yes for the confirmation (act/headless.h).
 * Every request goes out through the write gate (act_send), so read-only and the audit hold
 * whoever starts the action.
 *
 * A run goes FORM (when the action has one) -> CONFIRM -> RUNNING -> DONE | FAILED |
 * CANCELLED; its result is one line for the status line. A long action makes itself a job
 * (act_run_job): its progress is store rows (job.h) and it goes on while the user does
 * other things. */
#ifndef OPSDECK_ACTION_H
#define OPSDECK_ACTION_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "act/form.h"
#include "act/gate.h"
#include "act/job.h"
#include "conf/appconfig.h"
#include "core/client.h"
#include "poll/store.h"

struct aws_config;

enum act_confirm {
    ACT_CONFIRM_NONE,    /* a peek outside production: its form states the cost first */
    ACT_CONFIRM_YESNO,
    ACT_CONFIRM_TYPED,   /* the resource's name typed in full */
};

/* What an action acts on: a row of a view. */
struct act_target {
    const char *kind;    /* its store kind: "queue" */
    const char *key;     /* its key there: the queue URL */
    const char *name;    /* what people call it and type to confirm: "orders.fifo" */
};

/* The session an action runs in; borrowed for the run's life. */
struct act_env {
    struct gate *gate;
    const struct store *store;       /* what the views show (the resource's attributes) */
    const struct appconfig *app;
    struct jobs *jobs;               /* NULL: no jobs (a headless command) */
    struct store *results;           /* where an action puts what it read (peeked messages)
                                      * for the views; NULL: nowhere */
    const struct aws_config *cfg;    /* the session's AWS config (endpoints of other
                                      * services: S3 for a payload); may be NULL */
    int64_t (*clock)(void *arg);     /* monotonic ms, for pacing and rates */
    void *clock_arg;
    /* Renews the credentials of profile now, on the session's client (the credential
     * manager's refresh_now): 1 under way, 0 done at once, 2 an SSO sign-in was opened
     * instead (the profile's SSO token is missing or expired), -1 with why (one line naming
     * the profile and the fix). NULL: the session cannot (a headless command). */
    int (*refresh_creds)(void *arg, const char *profile, char *why, size_t whylen);
    void *refresh_arg;
    /* Opens the SSO sign-in (the device code in a dialog) for profile, on refresh_arg: 0,
     * or -1 with why. NULL: the session cannot (a headless command: opsdeck login --sso). */
    int (*sso_sign_in)(void *arg, const char *profile, char *why, size_t whylen);
};

enum act_state { ACT_FORM, ACT_CONFIRM, ACT_RUNNING, ACT_DONE, ACT_FAILED, ACT_CANCELLED };

struct act_run;

struct action {
    const char *name;            /* "send-message": what views name in their key table */
    const char *title;           /* "Send a test message": dialogs, jobs, the status line */
    const char *ok_label;        /* the form's button: "Send"; NULL: "OK" */
    const char *target_kind;     /* the store kind of what it acts on: "queue" */
    bool mutates;
    enum act_confirm confirm;    /* outside production */
    size_t private_size;         /* zeroed state the framework allocates per run */

    /* Every hook may be NULL. priv is the run's private state. */
    /* Fills the form the user completes first; with no form hook there is none. */
    void (*form)(void *priv, struct act_run *run, struct form *f);
    /* A field's value changed (a template chosen): update the others. */
    void (*changed)(void *priv, struct act_run *run, struct form *f, const char *field);
    /* Checks the completed form beyond form_check (sizes, formats): 0, or -1 with why. */
    int (*check)(void *priv, struct act_run *run, const struct form *f, char *why,
                 size_t whylen);
    /* Why this run cannot go ahead at all (a switch that is changing, a parameter no toggle
     * declares), asked with read-only before any form or confirmation: true with why. */
    bool (*refuse)(void *priv, struct act_run *run, char *why, size_t whylen);
    /* What the confirmation says the run will do ("Redrive about 42 messages from
     * orders-dlq to ...", "Flip a toggle: orders-worker:orders: on -> off"), after the form
     * was checked; NULL: "<title>: <name>". */
    void (*describe)(void *priv, struct act_run *run, char *what, size_t whatlen);
    /* Starts: sends its first requests with act_send. -1 when it could not (after
     * act_run_finish said why). */
    int (*start)(void *priv, struct act_run *run);
    /* One answer to a request sent with tag; resp NULL and err set on failure. */
    void (*answer)(void *priv, struct act_run *run, int tag, const struct aws_response *resp,
                   const struct aws_error *err);
    /* Time passed (pacing): returns the ms until it wants to be called again, -1 never. */
    int (*tick)(void *priv, struct act_run *run, int64_t now_ms);
    /* Stop as soon as it safely can, then act_run_finish(ACT_CANCELLED). Without a cancel
     * hook the run ends at once (answers still on the way are audited, not acted on). */
    void (*cancel)(void *priv, struct act_run *run);
    /* Frees what priv holds. */
    void (*done)(void *priv);
    /* What the audit's outcome line of each of its writes keeps of AWS's answer (the
     * message id of a test message): gate_result_fn, gate.h. NULL: nothing. */
    gate_result_fn audit_result;
};

/* src/act/registry.c: every action, NULL-terminated. */
extern const struct action *const action_registry[];
const struct action *action_find(const char *name);

extern const struct action send_message_action;   /* sendmsg.c */
extern const struct action publish_action;        /* publish.c */
extern const struct action cancel_job_action;     /* canceljob.c */
extern const struct action toggle_flip_action;    /* toggle.c */
extern const struct action redrive_action;        /* redrive.c */
extern const struct action purge_action;          /* purge.c */
extern const struct action peek_action;           /* peek.c */
extern const struct action export_action;         /* peek.c */
extern const struct action export_peeked_action;  /* peek.c */
extern const struct action send_file_action;      /* sendfile.c */
extern const struct action fetch_payload_action;  /* payload.c */
extern const struct action save_body_action;      /* savebody.c */
extern const struct action refresh_creds_action;  /* refreshcreds.c */
extern const struct action presign_action;        /* presign.c */
extern const struct action sso_sign_in_action;    /* ssosignin.c */
extern const struct action download_action;       /* download.c */
extern const struct action download_payload_action;  /* download.c */
/* ms until queue `name` may be purged again (its last purge job ended less than 60 s ago
 * on the store's clock), 0 when it may. */
int64_t purge_cooldown_ms(const struct store *s, const char *name);

/* ---- a run, for the framework (console and headless) ------------------------------------ */

/* t's strings are copied. */
struct act_run *act_run_new(const struct action *a, const struct act_env *env,
                            const struct act_target *t);
/* Requests still on the way are forgotten (the gate still audits their outcome). */
void act_run_free(struct act_run *r);

const struct action *act_run_action(const struct act_run *r);
const struct act_target *act_run_target(const struct act_run *r);
enum act_state act_run_state(const struct act_run *r);
bool act_run_ended(const struct act_run *r);
/* The form, NULL when the action has none. */
struct form *act_run_form(struct act_run *r);
void act_run_changed(struct act_run *r, const char *field);
/* form_check, then the action's check: 0, or -1 with why (and *bad the field at fault, or
 * (size_t)-1 when the fault is not one field's). On success the run moves to CONFIRM. */
int act_run_check(struct act_run *r, char *why, size_t whylen, size_t *bad);
/* The confirmation this run needs: the action's, or the typed name for a mutating action
 * in a production profile. */
enum act_confirm act_run_confirm(const struct act_run *r);
/* Why the run would be refused now (read-only: gate_read_only's line; then the action's
 * refuse hook), or false. */
bool act_run_refused(const struct act_run *r, char *why, size_t whylen);
/* What the confirmation says: "Send a test message: orders" and "profile prod · account
 * 123456789012 · region eu-west-1" (account "not known yet" before GetCallerIdentity).
 * Untrusted parts are NOT sanitised here: the dialog and the tty prompt do it. */
void act_run_describe(const struct act_run *r, char *what, size_t whatlen, char *where,
                      size_t wherelen);
/* The user confirmed (how, for the audit: "none", "yes", "typed", "--yes"): starts the
 * action. -1 when it is refused or could not start (act_run_result says why). */
int act_run_start(struct act_run *r, const char *confirmed_by);
/* Cancels: before RUNNING it simply ends; while running it asks the action to stop. */
void act_run_cancel(struct act_run *r);
/* Time passed: ms until the run wants another tick, -1 none. */
int act_run_tick(struct act_run *r, int64_t now_ms);
/* The line for the status line once ended ("" before), and whether it reports a failure. */
const char *act_run_result(const struct act_run *r);
bool act_run_failed(const struct act_run *r);
/* What a run made for the person to read and copy (a presigned URL), or NULL; *what names
 * it for the status line. It may hold a secret (a session token): wiped when freed. */
const char *act_run_output(const struct act_run *r, const char **what);
/* The job this run made itself, or NULL. */
struct job *act_run_job_of(const struct act_run *r);
/* Requests on the way. */
size_t act_run_pending(const struct act_run *r);

/* ---- for actions -------------------------------------------------------------------------- */

const struct act_env *act_run_env(const struct act_run *r);
int64_t act_run_now(const struct act_run *r);
/* Sends req through the write gate; the answer comes to the action's answer hook with tag.
 * params: what the audit records (no bodies, no secrets), may be NULL. -1 when the gate
 * refused it (the run is then FAILED with the gate's reason). */
int act_send(struct act_run *r, struct aws_request *req, int tag, const cJSON *params);
/* Sets the run's output (copied; see act_run_output). */
void act_run_set_output(struct act_run *r, const char *text, const char *what);
/* Makes the run a job (jobs in env; nothing without them): total < 0 when unknown. */
void act_run_job(struct act_run *r, int64_t total);
void act_run_progress(struct act_run *r, int64_t done, int64_t total);
/* What the run's job is doing that its progress does not count (job_set_phase). */
void act_run_phase(struct act_run *r, const char *phase);
/* Ends the run: DONE, FAILED or CANCELLED, with its one line. */
void act_run_finish(struct act_run *r, enum act_state st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* aws_error_describe for this run's profile. */
void act_run_describe_error(const struct act_run *r, const struct aws_error *err, char *out,
                            size_t outlen);

#endif
