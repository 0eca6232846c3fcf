/* exportpayload.c - an export's inlined S3 payloads (exportpayload.h): the object streams
 * into memory through a sink that refuses more than EXPORT_PAYLOAD_MAX bytes, and the line's
 * payload field is written straight from those bytes. */
#include "config.h"

#include "act/exportpayload.h"

#include <stdlib.h>
#include <string.h>

#include "act/action.h"
#include "act/gate.h"
#include "act/presign.h"
#include "aws/s3.h"
#include "core/client.h"
#include "core/proto.h"
#include "poll/sources/s3detail.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* Shared by the fetch and its request (which may end after the fetch is freed): freed when
 * both let go. */
struct sink {
    int refs;
    bool stopped;              /* cancelled, or the fetch is gone */
    bool too_big;
    struct buf data;
    struct aws_stream ops;
};

struct export_payload {
    struct sink *sink;
    char *failure;             /* the request could not be made */
};

static void sink_unref(struct sink *s)
{
    if (--s->refs > 0)
        return;
    buf_done(&s->data);
    free(s);
}

static void sink_release(void *ud)
{
    sink_unref(ud);
}

static bool sink_stopped(void *ud)
{
    return ((struct sink *)ud)->stopped;
}

/* A retried GET sends the object again from its first byte. */
static int sink_begin(void *ud, const struct aws_response *head)
{
    struct sink *s = ud;

    (void)head;
    buf_reset(&s->data);
    return s->stopped ? -1 : 0;
}

static int sink_write(void *ud, const char *data, size_t len)
{
    struct sink *s = ud;

    if (s->stopped)
        return -1;
    if (len > EXPORT_PAYLOAD_MAX - s->data.len) {
        s->too_big = true;
        return -1;
    }
    buf_append(&s->data, data, len);
    return 0;
}

struct export_payload *export_payload_fetch(struct act_run *run, const char *bucket,
                                            const char *key, int tag, bool *sent)
{
    struct export_payload *f = xcalloc(1, sizeof(*f));
    const struct act_env *env = act_run_env(run);
    const struct aws_config *cfg = env->cfg ? env->cfg
                                            : aws_client_config(gate_client(env->gate));
    struct s3_location loc;
    struct aws_request req;
    struct aws_error err;
    char line[1200];

    *sent = false;
    f->sink = xcalloc(1, sizeof(*f->sink));
    f->sink->refs = 1;
    buf_init(&f->sink->data);
    f->sink->ops = (struct aws_stream){
        .begin = sink_begin,
        .write = sink_write,
        .stopped = sink_stopped,
        .release = sink_release,
        .ud = f->sink,
    };
    aws_error_clear(&err);
    if (s3_detail_locate(cfg, bucket, presign_bucket_region(env->store, bucket), &loc,
                         &err) < 0) {
        act_run_describe_error(run, &err, line, sizeof(line));
        f->failure = xstrdup(line);
        return f;
    }
    s3_get_object_request(&req, &loc, key, NULL, 0, -1);
    s3_location_done(&loc);
    req.stream = &f->sink->ops;
    f->sink->refs++;   /* the request's: released when it is done */
    *sent = act_send(run, &req, tag, NULL) == 0;
    return f;
}

int export_payload_result(struct export_payload *f, const struct act_run *run,
                          const struct aws_error *err, const char **data, size_t *len, char *why, size_t whylen)
{
    if (f->failure) {
        snprintf(why, whylen, "%s", f->failure);
        return -1;
    }
    if (f->sink->too_big) {
        snprintf(why, whylen, "larger than %d MiB: not inlined (the pointer stays; download "
                 "it whole from :messages with d)", EXPORT_PAYLOAD_MAX / (1024 * 1024));
        return -1;
    }
    if (f->sink->stopped) {
        snprintf(why, whylen, "not read: the export was cancelled");
        return -1;
    }
    if (err) {
        act_run_describe_error(run, err, why, whylen);
        return -1;
    }
    *data = f->sink->data.data ? f->sink->data.data : "";
    *len = f->sink->data.len;
    return 0;
}

void export_payload_stop(struct export_payload *f)
{
    if (f)
        f->sink->stopped = true;
}

void export_payload_free(struct export_payload *f)
{
    if (!f)
        return;
    f->sink->stopped = true;
    sink_unref(f->sink);
    free(f->failure);
    free(f);
}

/* data as the inside of a JSON string: '"', '\\' and control characters escaped, the rest
 * (whole UTF-8 characters, checked by the caller) as it is. */
static int write_json_text(FILE *fp, const char *data, size_t len)
{
    size_t run = 0;

    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)data[i];
        char esc[8];

        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        if (i > run && fwrite(data + run, 1, i - run, fp) != i - run)
            return -1;
        switch (c) {
        case '"': strcpy(esc, "\\\""); break;
        case '\\': strcpy(esc, "\\\\"); break;
        case '\n': strcpy(esc, "\\n"); break;
        case '\r': strcpy(esc, "\\r"); break;
        case '\t': strcpy(esc, "\\t"); break;
        default: snprintf(esc, sizeof(esc), "\\u%04x", c); break;
        }
        if (fputs(esc, fp) == EOF)
            return -1;
        run = i + 1;
    }
    if (len > run && fwrite(data + run, 1, len - run, fp) != len - run)
        return -1;
    return 0;
}

/* Base64 in pieces of whole 3-byte groups, so no second copy of the payload is made. */
static int write_base64(FILE *fp, const char *data, size_t len)
{
    const size_t piece = 3 * 16 * 1024;

    for (size_t off = 0; off < len; off += piece) {
        size_t n = len - off < piece ? len - off : piece;
        char *b = proto_base64_encode(data + off, n);
        int rc = fputs(b, fp);

        free(b);
        if (rc == EOF)
            return -1;
    }
    return 0;
}

int export_payload_write_fields(FILE *fp, const char *data, size_t len)
{
    bool text = utf8_is_text(data, len);

    if (fputs(text ? "\"Payload\":\"" : "\"PayloadBase64\":\"", fp) == EOF)
        return -1;
    if ((text ? write_json_text(fp, data, len) : write_base64(fp, data, len)) < 0)
        return -1;
    return fputc('"', fp) == EOF ? -1 : 0;
}
