/* fuzz_sigv4.c - SigV4 canonicalisation: the input is a raw HTTP request as in the
 * published suite's request.txt ("GET /path?query HTTP/1.1", header lines, a blank line,
 * the body), signed in header and presigned form, with and without the S3 rules. It must
 * sign or refuse; never crash or read out of bounds. */
#include "config.h"
#include "fuzz_util.h"

#include <stdlib.h>
#include <time.h>

#include "core/sigv4.h"

static char *next_line(const char **p, const char *end)
{
    const char *s = *p, *nl = s < end ? memchr(s, '\n', (size_t)(end - s)) : NULL;
    size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
    char *out = malloc(n + 1);

    memcpy(out, s, n);
    out[n] = '\0';
    for (size_t i = 0; i < n; i++)
        if (!out[i])
            out[i] = ' ';   /* header values and paths are C strings */
    *p = nl ? nl + 1 : end;
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;
    struct sigv4_credentials c = {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                  size & 1 ? "token" : NULL};
    char errbuf[256];

    for (int form = 0; form < 4; form++) {
        const char *q = p;
        struct aws_request r;
        char *first = next_line(&q, end), *sp1 = strchr(first, ' '), *target, *qm;
        struct sigv4_params sp = {.region = "us-east-1", .service = form & 1 ? "s3" : "sqs",
                                  .when = 1440938160, .s3_rules = form & 1,
                                  .content_sha256_header = form & 1};

        if (sp1)
            *sp1 = '\0';
        target = sp1 ? sp1 + 1 : first + strlen(first);
        if ((sp1 = strrchr(target, ' ')))
            *sp1 = '\0';                       /* " HTTP/1.1" */
        qm = strchr(target, '?');
        if (qm)
            *qm = '\0';
        aws_request_init(&r, sp.service, "Fuzz", first[0] ? first : "GET");
        aws_request_set_path(&r, target[0] == '/' ? target : "/");
        free(r.query);
        r.query = strdup(qm ? qm + 1 : "");
        for (int h = 0; h < 16 && q < end; h++) {
            char *line = next_line(&q, end), *colon = strchr(line, ':');
            size_t n = strlen(line);
            if (n && line[n - 1] == '\r')
                line[--n] = '\0';
            if (!n) {
                free(line);
                break;
            }
            if (colon) {
                *colon = '\0';
                aws_request_add_header(&r, line, colon + 1);
            }
            free(line);
        }
        if (!aws_request_header(&r, "Host"))
            aws_request_set_header(&r, "Host", "example.amazonaws.com");
        if (q < end)
            buf_append(&r.body, q, (size_t)(end - q));
        if (form < 2)
            sigv4_sign(&r, &c, &sp, NULL, errbuf, sizeof(errbuf));
        else
            sigv4_presign(&r, &c, &sp, 3600, NULL, errbuf, sizeof(errbuf));
        aws_request_done(&r);
        free(first);
    }
    return 0;
}
