/* aws_call - one AWS call through the whole stack (config -> credentials -> client ->
 * signer -> HTTP engine), for the integration tests.
 *
 *   aws_call SERVICE ACTION METHOD PATH [--query Q] [--header 'K: V']... [--body STR]
 *            [--target X-Amz-Target] [--content-type T] [--repeat N] [--profile P]
 *            [--region R] [--endpoint-url URL] [--parallel N]
 *
 * --repeat N makes N calls one after the other; --parallel N queues N calls at once (each
 * with a header X-Opsdeck-Seq: i) and prints them in that order once all are done.
 * Prints, per call: "status: N", "attempts: N", "retries: N", then "body:" and the body, or
 * "error: <aws_error_describe line>" with "code:" and "kind:". Exit status 0 when every
 * call succeeded. OPSDECK_HTTP_TIMEOUT_MS and OPSDECK_CONNECT_TIMEOUT_MS shorten the
 * timeouts (the tests use them for servers that never answer); OPSDECK_MAX_IN_FLIGHT sets
 * the client's cap on transfers in flight. --free-while-pending 1 queues the call, runs the
 * loop once, frees the client and prints "cancelled: callbacks run: N" (N must be 0).
 * --stream-to FILE streams a successful answer's body into FILE (request.h aws_stream)
 * instead of memory and prints "streamed: BYTES" and "begins: N" (the attempts whose 2xx
 * body began) in place of the body. */
#include "config.h"
#include "core/client.h"
#include "conf/awsconfig.h"
#include "creds/creds.h"
#include "core/request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct result {
    bool done;
    bool ok;
    long status;
    char line[2048];
    struct aws_error err;
    char *body;
};

static void on_done(const struct aws_response *resp, const struct aws_error *err, void *ud)
{
    struct result *r = ud;

    r->done = true;
    if (resp) {
        r->ok = true;
        r->status = resp->status;
        r->body = strdup(buf_str(&resp->body));
    } else {
        r->err = *err;
        r->status = err->http_status;
    }
}

/* --stream-to: the sink writes the body to a file, from the start of each attempt. */
struct file_sink {
    FILE *f;
    long long bytes;
    int begins;
};

static int sink_begin(void *ud, const struct aws_response *head)
{
    struct file_sink *s = ud;

    (void)head;
    s->begins++;
    s->bytes = 0;
    return fseek(s->f, 0, SEEK_SET) == 0 && ftruncate(fileno(s->f), 0) == 0 ? 0 : -1;
}

static int sink_write(void *ud, const char *data, size_t len)
{
    struct file_sink *s = ud;

    if (fwrite(data, 1, len, s->f) != len)
        return -1;
    s->bytes += (long long)len;
    return 0;
}

static long env_long(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? strtol(v, NULL, 10) : 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: aws_call SERVICE ACTION METHOD PATH [--query Q] [--header 'K: V'] "
                    "[--body STR] [--target T] [--content-type T] [--repeat N] [--profile P] "
                    "[--region R] [--endpoint-url URL]\n");
    return 2;
}

int main(int argc, char **argv)
{
    struct aws_config_opts co = { 0 };
    struct aws_client_opts opts = { 0 };
    struct aws_error err;
    const char *query = "", *body = NULL, *target = NULL, *ctype = NULL;
    const char *headers[32];
    int nheaders = 0, repeat = 1, parallel = 1, failed = 0, free_pending = 0;
    const char *stream_to = NULL;
    struct file_sink sink = {0};
    struct aws_stream stream = {.begin = sink_begin, .write = sink_write, .ud = &sink};

    if (argc < 5)
        return usage();
    for (int i = 5; i < argc; i++) {
        const char *a = argv[i];
        if (i + 1 >= argc)
            return usage();
        const char *v = argv[++i];
        if (strcmp(a, "--query") == 0)
            query = v;
        else if (strcmp(a, "--header") == 0 && nheaders < 32)
            headers[nheaders++] = v;
        else if (strcmp(a, "--body") == 0)
            body = v;
        else if (strcmp(a, "--target") == 0)
            target = v;
        else if (strcmp(a, "--content-type") == 0)
            ctype = v;
        else if (strcmp(a, "--repeat") == 0)
            repeat = atoi(v) > 0 ? atoi(v) : 1;
        else if (strcmp(a, "--parallel") == 0)
            parallel = atoi(v) > 0 && atoi(v) <= 64 ? atoi(v) : 1;
        else if (strcmp(a, "--free-while-pending") == 0)
            free_pending = atoi(v);
        else if (strcmp(a, "--stream-to") == 0)
            stream_to = v;
        else if (strcmp(a, "--profile") == 0)
            co.profile = v;
        else if (strcmp(a, "--region") == 0)
            co.region = v;
        else if (strcmp(a, "--endpoint-url") == 0)
            co.endpoint_url = v;
        else
            return usage();
    }

    if (stream_to && !(sink.f = fopen(stream_to, "w"))) {
        perror(stream_to);
        return 1;
    }
    aws_error_clear(&err);
    struct aws_config *cfg = aws_config_new(&co, &err);
    if (!cfg) {
        printf("error: %s\n", err.message);
        return 1;
    }
    struct creds_manager *cm = creds_manager_new(cfg);
    opts.timeout_ms = env_long("OPSDECK_HTTP_TIMEOUT_MS");
    opts.connect_timeout_ms = env_long("OPSDECK_CONNECT_TIMEOUT_MS");
    opts.max_in_flight = (int)env_long("OPSDECK_MAX_IN_FLIGHT");
    struct aws_client *c = aws_client_new(cfg, creds_manager_source(cm), &opts);

    for (int n = 0; n < repeat; n++) {
        struct result res[64];
        struct aws_client_stats before, after;
        bool all_done;

        memset(res, 0, sizeof(res));
        aws_client_get_stats(c, &before);
        for (int p = 0; p < parallel; p++) {
            struct aws_request req;
            aws_request_init(&req, argv[1], argv[2], argv[3]);
            aws_request_set_path(&req, argv[4]);
            free(req.query);
            req.query = strdup(query);
            for (int i = 0; i < nheaders; i++) {
                char *h = strdup(headers[i]);
                char *colon = strchr(h, ':');
                if (colon) {
                    *colon = '\0';
                    const char *val = colon + 1;
                    while (*val == ' ')
                        val++;
                    aws_request_add_header(&req, h, val);
                }
                free(h);
            }
            if (target)
                aws_request_set_header(&req, "X-Amz-Target", target);
            if (ctype)
                aws_request_set_header(&req, "Content-Type", ctype);
            if (parallel > 1) {
                char seq[16];
                snprintf(seq, sizeof(seq), "%d", p);
                aws_request_set_header(&req, "X-Opsdeck-Seq", seq);
            }
            if (body)
                buf_puts(&req.body, body);
            if (sink.f)
                req.stream = &stream;
            aws_client_send(c, &req, on_done, &res[p]);
            aws_request_done(&req);
        }
        if (free_pending) {
            int ran = 0;
            aws_client_run(c, NULL, 0, 200);
            for (int p = 0; p < parallel; p++)
                ran += res[p].done;
            aws_client_free(c);
            printf("cancelled: callbacks run: %d\n", ran);
            creds_manager_free(cm);
            aws_config_free(cfg);
            return ran ? 1 : 0;
        }
        do {
            aws_client_run(c, NULL, 0, 1000);
            all_done = true;
            for (int p = 0; p < parallel; p++)
                all_done &= res[p].done;
        } while (!all_done);
        aws_client_get_stats(c, &after);

        for (int p = 0; p < parallel; p++) {
            printf("status: %ld\n", res[p].status);
            /* per batch: with --parallel these are the totals of all its calls */
            printf("attempts: %lu\n", after.requests - before.requests);
            printf("retries: %lu\n", after.retries - before.retries);
            if (res[p].ok && sink.f) {
                fflush(sink.f);
                printf("streamed: %lld\nbegins: %d\n", sink.bytes, sink.begins);
            } else if (res[p].ok) {
                printf("body:\n%s\n", res[p].body ? res[p].body : "");
            } else {
                char line[2048];
                aws_error_describe(&res[p].err, cfg->profile, line, sizeof(line));
                printf("error: %s\n", line);
                printf("code: %s\n", res[p].err.code);
                printf("kind: %s\n", aws_error_kind_name(res[p].err.kind));
                printf("request-id: %s\n", res[p].err.request_id);
                failed++;
            }
            free(res[p].body);
        }
        fflush(stdout);
    }
    aws_client_free(c);
    creds_manager_free(cm);
    aws_config_free(cfg);
    if (sink.f)
        fclose(sink.f);
    return failed ? 1 : 0;
}
