/* download.c - "download" and "download-payload": an S3 object streamed to a local file as
 * a job (download.h). */
#include "config.h"
#include "act/download.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "act/action.h"
#include "act/presign.h"
#include "aws/s3.h"
#include "aws/sqs_check.h"
#include "poll/sources/s3detail.h"
#include "util/fmt.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#define NAME_MAX_BYTES 200
#define ETAG_XATTR "user.opsdeck.etag"
/* the job's row is written at most once per this many bytes (a 16 KiB piece each time
 * would be thousands of store updates a second) */
#define PROGRESS_STEP ((int64_t)1 << 20)
/* A resumed .part is hashed again this much per loop turn (download_set_check_step), so a
 * key typed meanwhile waits for one step, however large the .part: about 2 ms of MD5 on an
 * idle core, 20 ms on a busy one */
#define CHECK_STEP ((int64_t)1 << 20)

static int64_t check_step = CHECK_STEP;

void download_set_check_step(size_t bytes)
{
    check_step = bytes > 0 ? (int64_t)bytes : CHECK_STEP;
}

enum { TAG_HEAD = 1, TAG_GET = 2 };

/* ---- the file name a key gives ---------------------------------------------------------- */

static bool name_char_ok(uint32_t cp)
{
    if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || cp == '\\')
        return false;
    /* bidi embeddings, overrides and isolates: a name that reads differently than it is */
    if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e ||
        cp == 0x200f || cp == 0x061c)
        return false;
    return true;
}

char *download_safe_name(const char *key)
{
    const char *seg = key ? strrchr(key, '/') : NULL;
    size_t n, i = 0, o = 0;
    char *out;

    seg = seg ? seg + 1 : (key ? key : "");
    n = strlen(seg);
    out = xmalloc(NAME_MAX_BYTES + 1);
    while (i < n) {
        uint32_t cp = 0;
        size_t len = utf8_decode(seg + i, n - i, &cp);
        bool ok = len > 0 && name_char_ok(cp);
        size_t put = ok ? len : 1;

        if (o + put > NAME_MAX_BYTES)
            break;
        if (ok)
            memcpy(out + o, seg + i, len);
        else
            out[o] = '_';
        o += put;
        i += len > 0 ? len : 1;
    }
    out[o] = '\0';
    if (o == 0 || strcmp(out, ".") == 0 || strcmp(out, "..") == 0) {
        free(out);
        return xstrdup("download");
    }
    return out;
}

char *download_default_path(const char *dir, const char *key)
{
    char cwd[PATH_MAX], *name = download_safe_name(key), *path;

    if (!dir)
        dir = getcwd(cwd, sizeof(cwd)) ? cwd : ".";
    path = xasprintf("%s%s%s", dir, dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/", name);
    free(name);
    return path;
}

/* ---- the sink: where the body goes as it arrives ------------------------------------------ */

struct download;

/* Shared by the run and the GET request (which may end after the run is freed): freed when
 * both let go. */
struct sink {
    int refs;
    struct download *owner;    /* NULL once the run is gone */
    int fd;
    int64_t start;             /* bytes in the .part when the GET was sent */
    int64_t written;           /* bytes in the .part now */
    int64_t reported;
    EVP_MD_CTX *md5;           /* of bytes 0..written */
    EVP_MD_CTX *md5_start;     /* of bytes 0..start: where a retried GET goes back to */
    bool stopped;              /* cancelled, or the run is gone */
    int werrno;                /* a write that failed */
    char bad[160];             /* an answer that cannot be appended (wrong range) */
    struct aws_stream ops;
};

struct download {
    struct act_run *run;
    char *bucket, *key, *version;
    char *dest, *part;
    bool overwrite, restart, cancelled;
    int64_t size;
    char *etag;
    struct sink *sink;
    bool checking;             /* the .part's bytes are being hashed, a step a turn */
    int64_t checked;           /* bytes of it hashed so far */
    int check_pct;             /* the percentage the job's phase shows */
    char note[96];             /* what happened to an old .part, for the result */
};

static void sink_unref(struct sink *s)
{
    if (--s->refs > 0)
        return;
    if (s->fd >= 0)
        close(s->fd);
    EVP_MD_CTX_free(s->md5);
    EVP_MD_CTX_free(s->md5_start);
    free(s);
}

static void sink_release(void *ud)
{
    sink_unref(ud);
}

static bool sink_stopped(void *ud)
{
    struct sink *s = ud;

    return s->stopped || !s->owner;
}

/* Each attempt of the GET starts where the request asked: a retry after a cut connection
 * rewinds the file and the hash to there. */
static int sink_begin(void *ud, const struct aws_response *head)
{
    struct sink *s = ud;
    const char *cr = aws_response_header(head, "Content-Range");
    long long first = -1;

    if (!s->owner)
        return -1;
    if (cr && sscanf(cr, "bytes %lld-", &first) == 1 && first != s->start) {
        snprintf(s->bad, sizeof(s->bad), "S3 answered bytes from %lld, not %lld as asked",
                 first, (long long)s->start);
        return -1;
    }
    if (!cr && s->start > 0) {
        /* the whole object, Range ignored: start the file over */
        s->start = 0;
        EVP_DigestInit_ex(s->md5_start, EVP_md5(), NULL);
    }
    if (s->written != s->start) {
        if (ftruncate(s->fd, s->start) < 0) {
            s->werrno = errno;
            return -1;
        }
        EVP_MD_CTX_copy_ex(s->md5, s->md5_start);
        s->written = s->start;
    }
    if (lseek(s->fd, s->start, SEEK_SET) < 0) {
        s->werrno = errno;
        return -1;
    }
    return 0;
}

static int sink_write(void *ud, const char *data, size_t len)
{
    struct sink *s = ud;
    size_t off = 0;

    if (!s->owner || s->stopped)
        return -1;
    while (off < len) {
        ssize_t w = write(s->fd, data + off, len - off);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            s->werrno = w < 0 ? errno : ENOSPC;
            return -1;
        }
        off += (size_t)w;
    }
    EVP_DigestUpdate(s->md5, data, len);
    s->written += (int64_t)len;
    if (s->written - s->reported >= PROGRESS_STEP) {
        s->reported = s->written;
        act_run_progress(s->owner->run, s->written, -1);
    }
    return 0;
}

static struct sink *sink_new(struct download *d)
{
    struct sink *s = xcalloc(1, sizeof(*s));

    s->refs = 1;
    s->owner = d;
    s->fd = -1;
    s->md5 = EVP_MD_CTX_new();
    s->md5_start = EVP_MD_CTX_new();
    if (!s->md5 || !s->md5_start)
        fatal("out of memory");
    EVP_DigestInit_ex(s->md5, EVP_md5(), NULL);
    s->ops = (struct aws_stream){
        .begin = sink_begin,
        .write = sink_write,
        .stopped = sink_stopped,
        .release = sink_release,
        .ud = s,
    };
    return s;
}

/* ---- the form ------------------------------------------------------------------------------ */

/* The object the target names: an s3 view detail key, or a message with a pointer. */
static bool download_what(const struct act_run *run, char **bucket, char **key, char **version)
{
    const struct act_target *t = act_run_target(run);
    const struct act_env *env = act_run_env(run);

    *bucket = *key = *version = NULL;
    if (strcmp(t->kind, "message") == 0) {
        const struct store_res *m = env->store ? store_find(env->store, "message", t->key)
                                               : NULL;
        const char *body = m ? store_res_str(m, "body") : NULL;

        return body && sqs_s3_pointer(body, bucket, key);
    }
    struct s3_detail det;

    if (!s3_detail_parse(t->key, &det) || det.what != S3_DETAIL_OBJECT || !det.path) {
        s3_detail_done(&det);
        return false;
    }
    *bucket = det.bucket;
    *key = det.path;
    *version = det.version;
    return true;
}

static void download_form(void *priv, struct act_run *run, struct form *f)
{
    static const char *const exists[] = {DOWNLOAD_KEEP, DOWNLOAD_OVERWRITE};
    static const char *const partial[] = {DOWNLOAD_RESUME, DOWNLOAD_RESTART};
    struct download *d = priv;
    struct form_field *fl;
    char *path;

    d->run = run;
    download_what(run, &d->bucket, &d->key, &d->version);
    path = download_default_path(NULL, d->key);
    fl = form_add(f, "file", "Save to", FORM_LINE);
    fl->required = true;
    form_set(f, "file", path);
    form_set_hint(fl, "a GetObject: read-only mode allows it, but it writes this local file "
                      "(0600, through FILE.part)");
    free(path);
    fl = form_add(f, "exists", "If exists", FORM_CHOICE);
    form_set_choices(fl, exists, 2);
    form_set(f, "exists", DOWNLOAD_KEEP);
    form_set_hint(fl, "Left/Right: keep an existing file (refuse) or overwrite it");
    fl = form_add(f, "partial", "A .part", FORM_CHOICE);
    form_set_choices(fl, partial, 2);
    form_set(f, "partial", DOWNLOAD_RESUME);
    form_set_hint(fl, "left by a failed or cancelled download: resume it (Range) or start over");
}

static int download_check(void *priv, struct act_run *run, const struct form *f, char *why,
                          size_t whylen)
{
    struct download *d = priv;
    const char *file = form_value(f, "file");
    struct stat sb;
    char *path;

    d->run = run;
    if (!d->bucket && !download_what(run, &d->bucket, &d->key, &d->version)) {
        snprintf(why, whylen, "no S3 object here to download");
        return -1;
    }
    d->overwrite = strcmp(form_value(f, "exists"), DOWNLOAD_OVERWRITE) == 0;
    d->restart = strcmp(form_value(f, "partial"), DOWNLOAD_RESTART) == 0;
    /* a directory gets the key's own (safe) name inside it */
    if (stat(file, &sb) == 0 && S_ISDIR(sb.st_mode))
        path = download_default_path(file, d->key);
    else
        path = xstrdup(file);
    if (lstat(path, &sb) == 0 && (!d->overwrite || !S_ISREG(sb.st_mode))) {
        snprintf(why, whylen, S_ISREG(sb.st_mode)
                                  ? "Save to: %.600s exists: choose another name (or \""
                                    DOWNLOAD_OVERWRITE "\")"
                                  : "Save to: %.600s exists and is not a regular file", path);
        free(path);
        return -1;
    }
    free(d->dest);
    free(d->part);
    d->dest = path;
    d->part = xasprintf("%s.part", path);
    return 0;
}

static void download_describe(void *priv, struct act_run *run, char *what, size_t whatlen)
{
    struct download *d = priv;

    snprintf(what, whatlen, "Download s3://%s/%s (a read; it writes a local file)",
             d->bucket ? d->bucket : "?", d->key ? d->key : "?");
    (void)run;
}

/* ---- the run ------------------------------------------------------------------------------- */

static void fail(struct download *d, const char *detail)
{
    act_run_finish(d->run, ACT_FAILED, "s3://%s/%s: %s", d->bucket, d->key, detail);
}

static int download_start(void *priv, struct act_run *run)
{
    struct download *d = priv;
    const struct act_env *env = act_run_env(run);
    const struct aws_config *cfg = env->cfg ? env->cfg : aws_client_config(gate_client(env->gate));
    struct s3_location loc;
    struct aws_request req;
    struct aws_error err;
    char line[1200];

    d->run = run;
    if (!d->bucket || !d->dest) {
        act_run_finish(run, ACT_FAILED, "download: no S3 object here (open one in :s3)");
        return -1;
    }
    aws_error_clear(&err);
    if (s3_detail_locate(cfg, d->bucket, presign_bucket_region(env->store, d->bucket), &loc,
                         &err) < 0) {
        act_run_describe_error(run, &err, line, sizeof(line));
        fail(d, line);
        return -1;
    }
    s3_head_object_request(&req, &loc, d->key, d->version);
    s3_location_done(&loc);
    act_run_job(run, -1);
    if (act_run_job_of(run))
        job_set_unit(act_run_job_of(run), "bytes");
    return act_send(run, &req, TAG_HEAD, NULL);
}

static bool md5_etag(const char *etag)
{
    size_t n = etag ? strlen(etag) : 0;

    if (n != 34 || etag[0] != '"' || etag[33] != '"')
        return false;
    for (size_t i = 1; i < 33; i++)
        if (!strchr("0123456789abcdefABCDEF", etag[i]))
            return false;
    return true;
}

/* Opens the .part: resumes it unless asked to start over, it is longer than the object, or
 * it was started on another version of it. What it holds is hashed afterwards, in steps
 * (download_tick). */
static int open_part(struct download *d, struct sink *s)
{
    char old[80] = "";
    struct stat sb;
    ssize_t n;
    bool exists = lstat(d->part, &sb) == 0;

    if (exists && !S_ISREG(sb.st_mode)) {
        errno = EEXIST;
        return -1;
    }
    s->fd = open(d->part, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (s->fd < 0 || fchmod(s->fd, 0600) < 0 || fstat(s->fd, &sb) < 0)
        return -1;
    n = fgetxattr(s->fd, ETAG_XATTR, old, sizeof(old) - 1);
    old[n > 0 ? n : 0] = '\0';
    if (exists && sb.st_size > 0) {
        if (d->restart)
            snprintf(d->note, sizeof(d->note), "; the old .part was started over");
        else if (sb.st_size > d->size)
            snprintf(d->note, sizeof(d->note), "; the old .part was longer than the object: "
                     "started over");
        else if (old[0] && d->etag && strcmp(old, d->etag) != 0)
            snprintf(d->note, sizeof(d->note), "; the old .part was of another version: "
                     "started over");
        else
            s->start = sb.st_size;
    }
    if (s->start == 0 && ftruncate(s->fd, 0) < 0)
        return -1;
    if (d->etag)
        (void)fsetxattr(s->fd, ETAG_XATTR, d->etag, strlen(d->etag), 0);  /* best effort */
    s->written = s->reported = s->start;
    if (s->start > 0)
        snprintf(d->note, sizeof(d->note), "; resumed from %lld bytes", (long long)s->start);
    return 0;
}

/* The next check_step bytes of the .part into the hash: 1 when every byte it held is in,
 * 0 when more are left, -1 with why when it cannot be read. */
static int check_part(struct download *d, char *why, size_t whylen)
{
    struct sink *s = d->sink;
    int64_t end = s->start - d->checked > check_step ? d->checked + check_step : s->start;
    char buf[64 * 1024];

    while (d->checked < end) {
        size_t want = (size_t)(end - d->checked < (int64_t)sizeof(buf) ? end - d->checked
                                                                        : (int64_t)sizeof(buf));
        ssize_t r = pread(s->fd, buf, want, d->checked);

        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            snprintf(why, whylen, "%s", strerror(errno));
            return -1;
        }
        if (r == 0) {
            snprintf(why, whylen, "it shrank to %lld bytes while it was read",
                     (long long)d->checked);
            return -1;
        }
        EVP_DigestUpdate(s->md5, buf, (size_t)r);
        d->checked += r;
    }
    return d->checked == s->start;
}

static void send_get(struct download *d);
static void finish(struct download *d);

/* The .part's bytes are hashed (or there were none): the rest is fetched. */
static void resume(struct download *d)
{
    if (EVP_MD_CTX_copy_ex(d->sink->md5_start, d->sink->md5) != 1)
        fatal("out of memory");
    act_run_progress(d->run, d->sink->written, d->size);
    if (d->sink->written == d->size)
        finish(d);
    else
        send_get(d);
}

static void send_get(struct download *d)
{
    const struct act_env *env = act_run_env(d->run);
    const struct aws_config *cfg = env->cfg ? env->cfg : aws_client_config(gate_client(env->gate));
    struct s3_location loc;
    struct aws_request req;
    struct aws_error err;
    char line[1200];

    aws_error_clear(&err);
    if (s3_detail_locate(cfg, d->bucket, presign_bucket_region(env->store, d->bucket), &loc,
                         &err) < 0) {
        act_run_describe_error(d->run, &err, line, sizeof(line));
        fail(d, line);
        return;
    }
    s3_get_object_request(&req, &loc, d->key, d->version, d->sink->start, -1);
    s3_location_done(&loc);
    if (d->etag)   /* the rest of the same object, or an error: never a splice of two */
        aws_request_set_header(&req, "If-Match", d->etag);
    req.stream = &d->sink->ops;
    d->sink->refs++;   /* the request's: released when it is done */
    act_send(d->run, &req, TAG_GET, NULL);
}

/* Complete: size and MD5 checked, then DEST.part becomes DEST. */
static void finish(struct download *d)
{
    struct sink *s = d->sink;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    char hex[2 * EVP_MAX_MD_SIZE + 1], sz[32];
    bool md5 = md5_etag(d->etag);
    int rc;

    act_run_progress(d->run, s->written, d->size);
    if (s->written != d->size) {
        unlink(d->part);
        act_run_finish(d->run, ACT_FAILED, "s3://%s/%s: wrong size: got %lld bytes of %lld; "
                       "the .part was deleted, download again", d->bucket, d->key,
                       (long long)s->written, (long long)d->size);
        return;
    }
    EVP_DigestFinal_ex(s->md5, md, &mdlen);
    for (unsigned i = 0; i < mdlen; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    if (md5 && strncasecmp(hex, d->etag + 1, 32) != 0) {
        unlink(d->part);
        act_run_finish(d->run, ACT_FAILED, "s3://%s/%s: MD5 mismatch: the bytes hash to %s, "
                       "the ETag says %.32s; the .part was deleted: download again (a proxy "
                       "or the network altered it)", d->bucket, d->key, hex, d->etag + 1);
        return;
    }
    if (fsync(s->fd) < 0) {
        act_run_finish(d->run, ACT_FAILED, "cannot write %s: %s (download again)", d->part,
                       strerror(errno));
        return;
    }
    (void)fremovexattr(s->fd, ETAG_XATTR);
    if (d->overwrite) {
        rc = rename(d->part, d->dest);
    } else {
        /* never over a file that appeared meanwhile */
        rc = renameat2(AT_FDCWD, d->part, AT_FDCWD, d->dest, RENAME_NOREPLACE);
        if (rc < 0 && (errno == EINVAL || errno == ENOSYS) && (rc = link(d->part, d->dest)) == 0)
            unlink(d->part);
    }
    if (rc < 0) {
        act_run_finish(d->run, ACT_FAILED, "s3://%s/%s: complete in %s, but it cannot be "
                       "renamed to %s: %s", d->bucket, d->key, d->part, d->dest, strerror(errno));
        return;
    }
    act_run_finish(d->run, ACT_DONE, "saved s3://%s/%s to %s (%s, 0600; %s)%s", d->bucket,
                   d->key, d->dest, fmt_bytes(sz, sizeof(sz), d->size),
                   md5 ? "size and MD5 verified" : "size verified; a multipart ETag has no MD5",
                   d->note);
}

static void on_head(struct download *d, const struct aws_response *resp,
                    const struct aws_error *err)
{
    struct s3_object_head h;
    struct aws_error perr;
    char line[1200];

    aws_error_clear(&perr);
    if (d->cancelled) {
        act_run_finish(d->run, ACT_CANCELLED, "download of s3://%s/%s cancelled", d->bucket,
                       d->key);
        return;
    }
    memset(&h, 0, sizeof(h));
    if (!resp || s3_head_object_parse(resp, &h, &perr) < 0) {
        act_run_describe_error(d->run, resp ? &perr : err, line, sizeof(line));
        fail(d, line);
        if (resp)
            s3_object_head_free(&h);
        return;
    }
    d->size = h.size;
    d->etag = h.etag ? xstrdup(h.etag) : NULL;
    s3_object_head_free(&h);
    if (d->size < 0) {
        fail(d, "HeadObject did not say the object's size");
        return;
    }
    d->sink = sink_new(d);
    if (open_part(d, d->sink) < 0) {
        act_run_finish(d->run, ACT_FAILED, "cannot write %s: %s", d->part, strerror(errno));
        return;
    }
    act_run_job(d->run, d->size);
    if (d->sink->start == 0) {
        resume(d);
        return;
    }
    /* its MD5 is needed before the rest is appended: read from the loop, a step a turn */
    d->checking = true;
    d->checked = 0;
    d->check_pct = 0;
    act_run_progress(d->run, 0, d->size);
    act_run_phase(d->run, "checking the partial file: 0%");
}

/* A step of the check of a resumed .part: 0 (call again at once) while it goes on. */
static int download_tick(void *priv, struct act_run *run, int64_t now_ms)
{
    struct download *d = priv;
    char why[256], phase[64];
    int rc, pct;

    (void)now_ms;
    d->run = run;
    if (!d->checking)
        return -1;
    rc = check_part(d, why, sizeof(why));
    if (rc < 0) {
        d->checking = false;
        act_run_finish(run, ACT_FAILED, "cannot read %s to resume it: %s (d again with \""
                       DOWNLOAD_RESTART "\" for its .part)", d->part, why);
        return -1;
    }
    if (rc == 0) {
        pct = (int)(d->checked * 100 / d->sink->start);
        if (pct != d->check_pct) {
            d->check_pct = pct;
            snprintf(phase, sizeof(phase), "checking the partial file: %d%%", pct);
            act_run_phase(run, phase);
        }
        return 0;
    }
    d->checking = false;
    act_run_phase(run, NULL);
    resume(d);
    return -1;
}

static void on_get(struct download *d, const struct aws_error *err)
{
    struct sink *s = d->sink;
    char line[1200], got[32];

    fmt_bytes(got, sizeof(got), s->written);
    if (d->cancelled) {
        act_run_finish(d->run, ACT_CANCELLED, "download of s3://%s/%s cancelled at %s: %s "
                       "kept, d again resumes it", d->bucket, d->key, got, d->part);
        return;
    }
    if (s->werrno) {
        act_run_finish(d->run, ACT_FAILED, "cannot write %s: %s (%s kept: d again resumes "
                       "it)", d->part, strerror(s->werrno), got);
        return;
    }
    if (s->bad[0]) {
        fail(d, s->bad);
        return;
    }
    if (err) {
        if (err->http_status == 412) {
            unlink(d->part);
            fail(d, "the object changed since the download started: the "
                 ".part was deleted, download again");
            return;
        }
        act_run_describe_error(d->run, err, line, sizeof(line));
        act_run_finish(d->run, ACT_FAILED, "s3://%s/%s: %s (%s kept in %s: d again resumes "
                       "it)", d->bucket, d->key, line, got, d->part);
        return;
    }
    finish(d);
}

static void download_answer(void *priv, struct act_run *run, int tag,
                            const struct aws_response *resp, const struct aws_error *err)
{
    struct download *d = priv;

    d->run = run;
    if (tag == TAG_HEAD)
        on_head(d, resp, err);
    else
        on_get(d, err);
}

static void download_cancel(void *priv, struct act_run *run)
{
    struct download *d = priv;

    d->cancelled = true;
    if (d->checking) {
        /* nothing on the way: the check simply stops, and what the .part holds stays */
        d->checking = false;
        act_run_finish(run, ACT_CANCELLED, "download of s3://%s/%s cancelled while its "
                       "partial file was checked: %s kept, d again resumes it", d->bucket,
                       d->key, d->part);
        return;
    }
    /* the transfer stops at its next piece or progress call; its answer ends the run */
    if (d->sink)
        d->sink->stopped = true;
}

static void download_done(void *priv)
{
    struct download *d = priv;

    if (d->sink) {
        d->sink->owner = NULL;   /* a GET still on the way stops, and writes nothing */
        sink_unref(d->sink);
    }
    free(d->bucket);
    free(d->key);
    free(d->version);
    free(d->dest);
    free(d->part);
    free(d->etag);
}

const struct action download_action = {
    .name = "download",
    .title = "Download",
    .ok_label = "Download",
    .target_kind = "s3obj",
    .mutates = false,
    .confirm = ACT_CONFIRM_NONE,
    .private_size = sizeof(struct download),
    .form = download_form,
    .check = download_check,
    .describe = download_describe,
    .start = download_start,
    .answer = download_answer,
    .tick = download_tick,
    .cancel = download_cancel,
    .done = download_done,
};

const struct action download_payload_action = {
    .name = "download-payload",
    .title = "Download the S3 payload",
    .ok_label = "Download",
    .target_kind = "message",
    .mutates = false,
    .confirm = ACT_CONFIRM_NONE,
    .private_size = sizeof(struct download),
    .form = download_form,
    .check = download_check,
    .describe = download_describe,
    .start = download_start,
    .answer = download_answer,
    .tick = download_tick,
    .cancel = download_cancel,
    .done = download_done,
};
