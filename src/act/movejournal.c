/* movejournal.c - the client-side mover's journal on disk (movejournal.h). */
#include "config.h"

#include "act/movejournal.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "act/audit.h"
#include "core/sigv4.h"
#include "util/buf.h"
#include "util/xalloc.h"

/* A journal is cut back to its "move" line whenever nothing is in hand, so it holds at most
 * a few batches; anything larger than this is not one of ours. */
#define JOURNAL_MAX (64L * 1024 * 1024)

struct movejournal {
    char *path;
    int fd;
    char *header;              /* the "move" line, with its newline */
    struct mj_pending held;    /* what is in hand now */
    int (*sync)(int fd);
};

char *movejournal_path(const char *from_url, const char *to_url)
{
    char *audit = audit_default_path(), *slash, *pair, *path;
    char hex[65];

    if (!audit)
        return NULL;
    slash = strrchr(audit, '/');
    *slash = '\0';
    pair = xasprintf("%s\n%s", from_url, to_url);
    sha256_hex(pair, strlen(pair), hex);
    hex[16] = '\0';
    path = xasprintf("%s/redrive/%s.jsonl", audit, hex);
    free(pair);
    free(audit);
    return path;
}

static ssize_t find(const struct mj_pending *p, const char *rh)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->e[i].rh, rh) == 0)
            return (ssize_t)i;
    return -1;
}

static void drop(struct mj_pending *p, size_t i)
{
    free(p->e[i].rh);
    free(p->e[i].id);
    p->e[i] = p->e[--p->n];
}

static const char *str_of(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

    return cJSON_IsString(v) && v->valuestring ? v->valuestring : NULL;
}

/* Applies one operation; false when it makes no sense where it is (then nothing changes). */
static bool apply(struct mj_pending *p, const char *op, const char *rh, const char *id)
{
    ssize_t at;

    if (!rh || !rh[0])
        return false;
    at = find(p, rh);
    if (strcmp(op, "recv") == 0) {
        if (at >= 0)
            return false;
        p->e = xrealloc(p->e, (p->n + 1) * sizeof(*p->e));
        p->e[p->n].rh = xstrdup(rh);
        p->e[p->n].id = xstrdup(id ? id : "");
        p->e[p->n].state = MJ_RECEIVED;
        p->n++;
        return true;
    }
    if (at < 0)
        return false;
    if (strcmp(op, "sent") == 0) {
        if (p->e[at].state != MJ_RECEIVED)
            return false;
        p->e[at].state = MJ_SENT;
        return true;
    }
    if (strcmp(op, "done") == 0) {
        drop(p, (size_t)at);
        return true;
    }
    return false;
}

static bool replay_line(struct mj_pending *p, const char *line, size_t len)
{
    cJSON *o;
    const char *op;
    bool ok = false;

    if (len == 0 || len > MOVEJOURNAL_LINE_MAX || memchr(line, '\0', len))
        return false;
    o = cJSON_ParseWithLength(line, len);
    if (!cJSON_IsObject(o)) {
        cJSON_Delete(o);
        return false;
    }
    op = str_of(o, "op");
    if (op && strcmp(op, "move") == 0) {
        const char *from = str_of(o, "from"), *to = str_of(o, "to");

        if (from && to && !p->from) {
            p->from = xstrdup(from);
            p->to = xstrdup(to);
            ok = true;
        }
    } else if (op) {
        ok = apply(p, op, str_of(o, "rh"), str_of(o, "id"));
    }
    cJSON_Delete(o);
    return ok;
}

void movejournal_replay(const char *text, size_t len, struct mj_pending *out)
{
    size_t at = 0;

    memset(out, 0, sizeof(*out));
    while (at < len) {
        const char *nl = memchr(text + at, '\n', len - at);

        if (!nl) {
            out->skipped++;   /* a torn last line: its write never finished */
            break;
        }
        if (!replay_line(out, text + at, (size_t)(nl - (text + at))))
            out->skipped++;
        at = (size_t)(nl - text) + 1;
    }
}

void mj_pending_free(struct mj_pending *p)
{
    while (p->n)
        drop(p, p->n - 1);
    free(p->e);
    free(p->from);
    free(p->to);
    memset(p, 0, sizeof(*p));
}

size_t mj_pending_count(const struct mj_pending *p, enum mj_state st)
{
    size_t n = 0;

    for (size_t i = 0; i < p->n; i++)
        n += p->e[i].state == st;
    return n;
}

static int fail(char *why, size_t whylen, const char *path, const char *what, int err)
{
    snprintf(why, whylen, "cannot use the redrive journal %s: %s: %s — fix the file or its "
                          "directory (or set XDG_STATE_HOME)",
             path, what, strerror(err));
    return -1;
}

static int write_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, s, n);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

static int read_whole(int fd, struct buf *b)
{
    char chunk[65536];
    ssize_t n;

    while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        buf_append(b, chunk, (size_t)n);
        if ((long)b->len > JOURNAL_MAX) {
            errno = EFBIG;
            return -1;
        }
    }
    return 0;
}

static char *header_line(const char *from, const char *to)
{
    cJSON *o = cJSON_CreateObject();
    char *s, *line;

    cJSON_AddStringToObject(o, "op", "move");
    cJSON_AddStringToObject(o, "from", from);
    cJSON_AddStringToObject(o, "to", to);
    s = cJSON_PrintUnformatted(o);
    line = xasprintf("%s\n", s);
    cJSON_free(s);
    cJSON_Delete(o);
    return line;
}

static void copy_pending(struct mj_pending *dst, const struct mj_pending *src)
{
    memset(dst, 0, sizeof(*dst));
    for (size_t i = 0; i < src->n; i++) {
        apply(dst, "recv", src->e[i].rh, src->e[i].id);
        if (src->e[i].state == MJ_SENT)
            apply(dst, "sent", src->e[i].rh, NULL);
    }
    dst->skipped = src->skipped;
    dst->from = src->from ? xstrdup(src->from) : NULL;
    dst->to = src->to ? xstrdup(src->to) : NULL;
}

struct movejournal *movejournal_open(const char *path, const char *from_url, const char *to_url,
                                     struct mj_pending *pending, char *why, size_t whylen)
{
    struct movejournal *j;
    struct stat sb;
    struct buf b;
    int fd;

    memset(pending, 0, sizeof(*pending));
    if (!path) {
        snprintf(why, whylen, "cannot keep a redrive journal: neither XDG_STATE_HOME nor "
                              "HOME is set — set one; nothing was moved");
        return NULL;
    }
    if (audit_make_parent(path) < 0) {
        fail(why, whylen, path, "making its directory", errno);
        return NULL;
    }
    /* as the audit log: no FIFO, no symlink planted at the path */
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
    if (fd < 0) {
        fail(why, whylen, path, "opening it", errno);
        return NULL;
    }
    if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
        fail(why, whylen, path, "it is not a regular file", EINVAL);
        close(fd);
        return NULL;
    }
    buf_init(&b);
    if (read_whole(fd, &b) < 0) {
        fail(why, whylen, path, "reading it", errno);
        buf_done(&b);
        close(fd);
        return NULL;
    }
    movejournal_replay(b.data ? b.data : "", b.len, pending);
    buf_done(&b);
    if (pending->from && (strcmp(pending->from, from_url) != 0 ||
                          strcmp(pending->to, to_url) != 0)) {
        snprintf(why, whylen, "the redrive journal %s is for another move: remove it only "
                              "after checking its messages", path);
        mj_pending_free(pending);
        close(fd);
        return NULL;
    }
    j = xcalloc(1, sizeof(*j));
    j->path = xstrdup(path);
    j->fd = fd;
    j->sync = fsync;
    j->header = header_line(from_url, to_url);
    copy_pending(&j->held, pending);
    if (sb.st_size == 0 &&
        (write_all(fd, j->header, strlen(j->header)) < 0 || j->sync(fd) < 0)) {
        fail(why, whylen, path, "writing it", errno);
        mj_pending_free(pending);
        movejournal_close(j, true);
        return NULL;
    }
    return j;
}

/* Nothing is in hand: the file goes back to its first line, so it never grows with a long
 * move. A failure here costs nothing but size: the lines it would drop replay to nothing. */
static void compact(struct movejournal *j)
{
    if (ftruncate(j->fd, 0) == 0 && lseek(j->fd, 0, SEEK_SET) == 0)
        (void)(write_all(j->fd, j->header, strlen(j->header)) == 0 && j->sync(j->fd) == 0);
}

int movejournal_write(struct movejournal *j, const char *op, const char *const *rh,
                      const char *const *ids, size_t n, char *why, size_t whylen)
{
    struct buf b;
    int rc = 0;

    buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        char *s;

        cJSON_AddStringToObject(o, "op", op);
        cJSON_AddStringToObject(o, "rh", rh[i]);
        if (ids && ids[i])
            cJSON_AddStringToObject(o, "id", ids[i]);
        s = cJSON_PrintUnformatted(o);
        buf_puts(&b, s);
        buf_putc(&b, '\n');
        cJSON_free(s);
        cJSON_Delete(o);
    }
    if (lseek(j->fd, 0, SEEK_END) < 0 || write_all(j->fd, b.data ? b.data : "", b.len) < 0 ||
        j->sync(j->fd) < 0)
        rc = fail(why, whylen, j->path, "writing it", errno);
    buf_done(&b);
    if (rc < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        apply(&j->held, op, rh[i], ids ? ids[i] : NULL);
    if (j->held.n == 0 && strcmp(op, "done") == 0)
        compact(j);
    return 0;
}

void movejournal_close(struct movejournal *j, bool remove)
{
    if (!j)
        return;
    if (remove)
        unlink(j->path);
    close(j->fd);
    mj_pending_free(&j->held);
    free(j->header);
    free(j->path);
    free(j);
}

const char *movejournal_file(const struct movejournal *j)
{
    return j->path;
}

size_t movejournal_held(const struct movejournal *j)
{
    return j->held.n;
}

void movejournal_set_sync(struct movejournal *j, int (*sync)(int fd))
{
    j->sync = sync ? sync : fsync;
}
