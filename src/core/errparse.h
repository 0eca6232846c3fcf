/* errparse.h - turning a failed response or a curl failure into struct aws_error.
 *
 * Understands every error shape AWS uses: query-protocol XML (<ErrorResponse><Error>), EC2
 * (<Response><Errors><Error>), S3 REST-XML (<Error>), JSON (__type, message, the
 * x-amzn-ErrorType header, SQS's x-amzn-query-error), and bodiless answers (HEAD). Bodies
 * are untrusted: malformed, truncated or huge bodies keep the status and fall back to the
 * code "HTTP <status>"; nothing here crashes or trusts a length. The text kept in
 * struct aws_error is AWS's own, cut to the field on a UTF-8 boundary but not escaped:
 * whoever shows it escapes it with sanitize_text() (aws_error_describe does). */
#ifndef OPSDECK_ERRPARSE_H
#define OPSDECK_ERRPARSE_H

#include <curl/curl.h>

#include "core/awserr.h"
#include "core/request.h"

/* Bodies larger than this are not parsed (an error body is a few hundred bytes). */
#define ERRPARSE_MAX_BODY (256 * 1024)

/* Fills e (kind AWS_ERR_HTTP) from a response with status >= 300; service, action and
 * endpoint are left as they are. head: the request was a HEAD (no body can be expected). */
void errparse_response(const struct aws_response *r, bool head, struct aws_error *e);

/* Fills e (AWS_ERR_NETWORK or AWS_ERR_TIMEOUT) from a failed transfer: code is a short
 * name ("ConnectionRefused", "Timeout", "TLSVerifyFailed", ...), message is curl's error
 * text (errtext, or curl_easy_strerror when empty) naming the endpoint. */
void errparse_curl(CURLcode code, const char *errtext, const char *endpoint, struct aws_error *e);

#endif
