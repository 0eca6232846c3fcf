/* credsrc.h - what the client asks for credentials: one small interface.
 *
 * The client (client.c) signs every request with credentials it gets from a struct
 * cred_source. It does not know where they come from: the credential manager (creds/)
 * implements the interface, so core/ never includes creds/ and nothing here calls up.
 *
 * Asking never blocks. A source answers at once with credentials, an error, or "pending":
 * a refresh is under way on the loop (an STS call, an SSO call, a credential_process
 * child), and the asker's waiter is queued until it ends. One refresh serves every waiter;
 * each waiter is woken exactly once, from the loop (never from inside get), either with
 * NULL ("ask again: there are credentials now") or with the error that ended the refresh. */
#ifndef OPSDECK_CREDSRC_H
#define OPSDECK_CREDSRC_H

#include <stdbool.h>
#include <time.h>

#include "core/awserr.h"

struct aws_client;

struct aws_credentials {
    char *access_key_id;
    char *secret_access_key;   /* wiped when freed */
    char *session_token;       /* NULL when none; wiped when freed */
    time_t expiration;         /* 0: does not expire */
    char *source;              /* where they came from, no secret: "environment",
                                  "profile prod: static keys in /root/.aws/credentials" */
    unsigned long generation;  /* set by the source when it hands them out: a new number
                                  for each new credential (see invalidate) */
};

/* Wipes the secrets and frees c (NULL is fine). */
void aws_credentials_free(struct aws_credentials *c);
/* A copy the caller owns (aws_credentials_free). */
struct aws_credentials *aws_credentials_copy(const struct aws_credentials *c);

enum cred_status { CRED_OK = 0, CRED_ERROR = -1, CRED_PENDING = 1 };

/* A place in a source's queue. The asker embeds it (in its request, say) and sets wake;
 * prev, next and queue belong to the source while the waiter is queued (queue != NULL). */
struct cred_waiter {
    /* err NULL: the refresh ended with credentials, ask again; else why it failed (a line
     * naming the profile, the source and the fix). The waiter is out of the queue by then,
     * so wake may free it or queue it again. */
    void (*wake)(struct cred_waiter *w, const struct aws_error *err);
    struct cred_waiter *prev, *next;
    void *queue;
};

struct cred_source {
    /* The current credentials. CRED_OK: *out stays valid until the next call of get or
     * invalidate (do not free it). CRED_ERROR: err says why. CRED_PENDING: a refresh is
     * under way (started on client c when none was: its calls, child processes and timers
     * run on c's wait); w, when not NULL, is queued and woken when it ends. */
    enum cred_status (*get)(struct cred_source *s, struct aws_client *c, struct cred_waiter *w,
                            const struct aws_credentials **out, struct aws_error *err);
    /* Takes w out of the queue it is in, if any; it will not be woken. */
    void (*cancel)(struct cred_source *s, struct cred_waiter *w);
    /* The service refused the credentials of this generation (ExpiredToken): forget them,
     * so the next get refreshes. Credentials already replaced are left alone, so a hundred
     * refused requests make one refresh. */
    void (*invalidate)(struct cred_source *s, unsigned long generation);
    /* c is being freed: stop every refresh that runs on it (its requests and timers go
     * with it). Waiters of other clients waiting on such a refresh are woken with an
     * error. */
    void (*client_gone)(struct cred_source *s, struct aws_client *c);
};

#endif
