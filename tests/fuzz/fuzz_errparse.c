/* fuzz_errparse.c - the one AWS error parser: query XML, S3 XML, JSON __type, the
 * x-amzn-query-error and x-amzn-ErrorType headers. The first input byte picks the status and
 * which headers the answer carries; the rest is the body (and, split at the first NUL,
 * the header values). */
#include "config.h"
#include "fuzz_util.h"

#include "core/errparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const long statuses[] = {400, 403, 404, 500, 503, 301, 200, 429};
    struct aws_response r;
    struct aws_error err;
    const uint8_t *body = data, *nul;
    size_t n = size;
    uint8_t sel = 0;

    if (n) {
        sel = body[0];
        body++;
        n--;
    }
    aws_response_init(&r);
    r.status = statuses[sel & 7];
    nul = n ? memchr(body, 0, n) : NULL;
    if (nul && (sel & 0x30)) {
        /* header values from the text before the NUL (header values are C strings) */
        char hv[512];
        size_t hl = (size_t)(nul - body) < sizeof(hv) - 1 ? (size_t)(nul - body) : sizeof(hv) - 1;
        memcpy(hv, body, hl);
        hv[hl] = '\0';
        if (sel & 0x10)
            aws_response_add_header(&r, "x-amzn-query-error", hv);
        if (sel & 0x20)
            aws_response_add_header(&r, "x-amzn-ErrorType", hv);
        n -= (size_t)(nul - body) + 1;
        body = nul + 1;
    }
    if (sel & 0x40)
        aws_response_add_header(&r, "Content-Type", "application/x-amz-json-1.0");
    buf_append(&r.body, body, n);
    aws_error_clear(&err);
    errparse_response(&r, (sel & 0x80) != 0, &err);
    aws_response_done(&r);
    return 0;
}
