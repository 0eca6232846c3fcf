/* awserr.c - the common error type: setting and naming. Parsing AWS error bodies is in
 * errparse.c. */
#include "config.h"
#include "core/awserr.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void aws_error_clear(struct aws_error *e)
{
    memset(e, 0, sizeof(*e));
}

void aws_error_set(struct aws_error *e, enum aws_err_kind kind, const char *fmt, ...)
{
    va_list ap;

    e->kind = kind;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof(e->message), fmt, ap);
    va_end(ap);
}

const char *aws_error_kind_name(enum aws_err_kind kind)
{
    switch (kind) {
    case AWS_ERR_NONE: return "none";
    case AWS_ERR_NETWORK: return "network";
    case AWS_ERR_TIMEOUT: return "timeout";
    case AWS_ERR_HTTP: return "http";
    case AWS_ERR_CREDENTIALS: return "credentials";
    case AWS_ERR_CONFIG: return "config";
    case AWS_ERR_PARSE: return "parse";
    case AWS_ERR_READ_ONLY: return "read-only";
    case AWS_ERR_REFUSED: return "refused";
    }
    return "unknown";
}

static void fill(char *field, size_t size, const char *v)
{
    if (!field[0] && v && *v)
        snprintf(field, size, "%s", v);
}

void aws_error_context(struct aws_error *e, const char *service, const char *action,
                       const char *endpoint)
{
    fill(e->service, sizeof(e->service), service);
    fill(e->action, sizeof(e->action), action);
    fill(e->endpoint, sizeof(e->endpoint), endpoint);
}

void aws_error_from_response(struct aws_error *e, const struct aws_response *resp)
{
    if (resp)
        aws_error_context(e, resp->service, resp->action, resp->endpoint);
}
