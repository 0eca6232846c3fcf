/* credsrc.c - the credentials value shared by the client and its sources (credsrc.h). */
#include "config.h"
#include "core/credsrc.h"

#include <stdlib.h>

#include "util/xalloc.h"

void aws_credentials_free(struct aws_credentials *c)
{
    if (!c)
        return;
    xfree_secret(c->access_key_id);  /* not secret alone, but half of one */
    xfree_secret(c->secret_access_key);
    xfree_secret(c->session_token);
    free(c->source);
    free(c);
}

struct aws_credentials *aws_credentials_copy(const struct aws_credentials *c)
{
    struct aws_credentials *d = xcalloc(1, sizeof(*d));

    d->access_key_id = xstrdup(c->access_key_id);
    d->secret_access_key = xstrdup(c->secret_access_key);
    d->session_token = c->session_token ? xstrdup(c->session_token) : NULL;
    d->expiration = c->expiration;
    d->source = xstrdup(c->source ? c->source : "");
    d->generation = c->generation;
    return d;
}
