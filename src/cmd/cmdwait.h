/* cmdwait.h - the headless commands' wait (snapshot, whoami, login, the test tools): one
 * client's aws_client_run, their one wait point, around the same non-blocking code the
 * console runs on its loop. */
#ifndef OPSDECK_CMDWAIT_H
#define OPSDECK_CMDWAIT_H

#include "core/client.h"
#include "creds/creds.h"

/* The active profile's credentials, waiting on c while a refresh runs (an STS call, a
 * credential_process child, an MFA prompt). CREDS_OK with *out (the manager's: valid until
 * its next get), or CREDS_ERROR with err. */
enum creds_status cmdwait_credentials(struct creds_manager *cm, struct aws_client *c,
                                      const struct aws_credentials **out,
                                      struct aws_error *err);

/* Sends req (aws_client_call with o) and waits for the answer: 0 with *resp (the caller
 * frees it with aws_response_done), or -1 with err. */
int cmdwait_call(struct aws_client *c, struct aws_request *req, const struct aws_call_opts *o,
                 struct aws_response *resp, struct aws_error *err);

/* Lets ms milliseconds pass on c's wait (a polling interval). */
void cmdwait_sleep(struct aws_client *c, long ms);

#endif
