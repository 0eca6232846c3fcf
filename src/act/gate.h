/* gate.h - the one gate every write goes through (tmux's single CMD_READONLY check).
 *
 * Request constructors in src/aws/ mark the actions that change something in AWS
 * (aws_request_init_mutating); the client refuses to send such a request unless the gate
 * is passing it (aws_client_set_gate: the gate registers itself with the client, and its
 * check accepts only the request it is handing over at that moment). So a mutating request
 * reaches AWS only through gate_send, which, in this order:
 *   1. refuses it when the session is read-only (gate_read_only says why, in one line that
 *      names the profile, the setting and how to allow writes): nothing is signed or sent;
 *   2. appends a "request" line to the audit log (audit.h): time, caller ARN, profile,
 *      account, region, action, resource and the parameters the caller gives (never a
 *      message body or a secret); when that line cannot be written the request is refused;
 *   3. queues it on the client; when it ends, appends an "outcome" line (status, HTTP
 *      status, AWS request id, error, and what the caller asked to keep of the answer: a
 *      message id) and only then calls the caller back.
 * A request that does not mutate is passed straight on (no audit), so an action sends all
 * its requests the same way.
 *
 * Read-only, in the order the reasons are reported (the first that holds wins):
 *   --read-only; `:writes off` in this session; read_only = true in [general] or in the
 *   profile's [profile NAME] of opsdeck's config; environment = production for the profile,
 *   unless --allow-writes was given or `:writes on` (after typing the profile's name) turned
 *   writes on for it in this session. --allow-writes and `:writes on` lift only the
 *   production default, never an explicit read-only setting. */
#ifndef OPSDECK_GATE_H
#define OPSDECK_GATE_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "conf/appconfig.h"
#include "core/client.h"

/* What the command line and the session say about writes. */
struct gate_policy {
    bool read_only;       /* --read-only */
    bool allow_writes;    /* --allow-writes: a production profile may write */
};

/* `:writes`, for this session's profile. */
enum gate_writes {
    GATE_WRITES_DEFAULT,  /* as the config and the flags say */
    GATE_WRITES_ON,       /* `:writes on`: lifts the production default */
    GATE_WRITES_OFF,      /* `:writes off`: read-only whatever else says */
};

struct gate;

/* One gate per client: registers itself with client (which must outlive it, or be freed
 * first: see gate_free). app, profile and region are copied or borrowed for the gate's life
 * (app borrowed). audit_path NULL: the default location (audit.h). */
struct gate *gate_new(struct aws_client *client, const struct appconfig *app,
                      const char *profile, const char *region, const struct gate_policy *pol,
                      const char *audit_path);
/* Free the client first (it cancels what is in flight without calling back): every write
 * still pending then gets an outcome line with status "unknown" (the request may or may
 * not have reached AWS), and no caller is called back. */
void gate_free(struct gate *g);

/* Who is writing, for the audit lines and the confirmations; NULL: not known (yet).
 * Copied. */
void gate_set_identity(struct gate *g, const char *caller_arn, const char *account);
const char *gate_account(const struct gate *g);   /* NULL when not known */
const char *gate_profile(const struct gate *g);
const char *gate_region(const struct gate *g);
const char *gate_audit_path(const struct gate *g);   /* NULL: no location */
/* The client the gate sends through: for what reads without sending (the credentials a
 * presigned URL is signed with). */
struct aws_client *gate_client(const struct gate *g);

void gate_set_writes(struct gate *g, enum gate_writes w);
enum gate_writes gate_writes(const struct gate *g);
/* The profile is marked environment = production. */
bool gate_production(const struct gate *g);
/* True when writes are refused now, with why (one line: the setting, the profile, how to
 * allow writes) when why is not NULL. */
bool gate_read_only(const struct gate *g, char *why, size_t whylen);
/* Whether `:writes on` could allow writes: false (with why) when an explicit setting keeps
 * the session read-only whatever is typed. */
bool gate_can_turn_on(const struct gate *g, char *why, size_t whylen);

/* What the outcome line keeps of a successful answer (the id AWS gave a message, so it can
 * be traced downstream): adds fields to result, an object, and adds nothing when the answer
 * does not parse. A function of the answer alone, with no caller state, so a write whose
 * caller went away (gate_forget) is still recorded in full. Never a body or a secret. */
typedef void (*gate_result_fn)(const struct aws_response *resp, cJSON *result);

/* What the audit says about one write, besides what the gate knows. */
struct gate_write {
    const char *resource;     /* the queue URL, topic ARN, parameter name ... */
    const cJSON *params;      /* an object of parameters (no bodies, no secrets), or NULL */
    gate_result_fn result;    /* the outcome line's "result"; NULL: null */
};

/* Sends req (the client takes its contents, as aws_client_send). 0: queued, cb will be
 * called once (never from inside gate_send). -1: refused, nothing was signed or sent, cb
 * will not be called, req is emptied, and err says why (AWS_ERR_READ_ONLY with
 * gate_read_only's line, or AWS_ERR_REFUSED when the audit line could not be written). */
int gate_send(struct gate *g, struct aws_request *req, const struct gate_write *w,
              aws_done_fn cb, void *ud, struct aws_error *err);
/* The caller behind ud is going away: its requests still end and are still audited, but
 * nobody is called back for them. */
void gate_forget(struct gate *g, void *ud);
/* Requests sent through the gate that have not ended. */
size_t gate_pending(const struct gate *g);

/* For tests: the audit log the gate writes (to make its sync fail, say). */
struct audit *gate_audit(struct gate *g);

#endif
