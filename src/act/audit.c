/* audit.c - appending to and reading the audit log (audit.h). */
#include "config.h"
#include "act/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/xalloc.h"

struct audit {
    char *path;
    int (*sync)(int fd);
};

char *audit_default_path(void)
{
    const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

    /* the XDG spec: a relative XDG_STATE_HOME is invalid and ignored */
    if (xdg && xdg[0] == '/')
        return xasprintf("%s/opsdeck/audit.jsonl", xdg);
    if (home && *home)
        return xasprintf("%s/.local/state/opsdeck/audit.jsonl", home);
    return NULL;
}

struct audit *audit_new(const char *path)
{
    struct audit *a = xcalloc(1, sizeof(*a));

    a->path = path ? xstrdup(path) : audit_default_path();
    a->sync = fsync;
    return a;
}

void audit_free(struct audit *a)
{
    if (!a)
        return;
    free(a->path);
    free(a);
}

const char *audit_path(const struct audit *a)
{
    return a->path;
}

void audit_set_sync(struct audit *a, int (*sync)(int fd))
{
    a->sync = sync ? sync : fsync;
}

int audit_make_parent(const char *path)
{
    char *dir = xstrdup(path), *slash = strrchr(dir, '/');
    int rc = 0;

    if (!slash || slash == dir) {
        free(dir);
        return 0;
    }
    *slash = '\0';
    for (char *p = dir + 1; ; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;

            *p = '\0';
            if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
                rc = -1;
                break;
            }
            *p = c;
            if (!c)
                break;
        }
    }
    free(dir);
    return rc;
}

static int sync_dir(struct audit *a)
{
    char *dir = xstrdup(a->path), *slash = strrchr(dir, '/');
    int fd, rc, e;

    if (slash)
        *slash = '\0';
    fd = open(slash ? (dir[0] ? dir : "/") : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(dir);
    if (fd < 0)
        return -1;
    rc = a->sync(fd);
    e = errno;
    close(fd);
    errno = e;
    return rc;
}

static int fail(char *why, size_t whylen, const char *path, const char *what, int err)
{
    snprintf(why, whylen,
             "cannot write the audit log %s: %s: %s — fix the file or its directory (or set "
             "XDG_STATE_HOME); nothing was sent",
             path, what, strerror(err));
    return -1;
}

int audit_append(struct audit *a, const cJSON *obj, char *why, size_t whylen)
{
    char *text, *line;
    size_t len, off = 0;
    struct stat sb;
    int fd, e;

    if (!a->path) {
        snprintf(why, whylen, "cannot write the audit log: neither XDG_STATE_HOME nor HOME "
                              "is set — set one; nothing was sent");
        return -1;
    }
    if (audit_make_parent(a->path) < 0)
        return fail(why, whylen, a->path, "making its directory", errno);
    /* O_NONBLOCK: a FIFO planted at the path must fail the open, not hang the console
     * (regular files ignore the flag); O_NOFOLLOW: nor may a symlink redirect the log. */
    fd = open(a->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK,
              0600);
    if (fd < 0)
        return fail(why, whylen, a->path, "opening it", errno);
    if (fstat(fd, &sb) < 0) {
        e = errno;
        close(fd);
        return fail(why, whylen, a->path, "reading its type", e);
    }
    if (!S_ISREG(sb.st_mode)) {
        close(fd);
        snprintf(why, whylen, "cannot write the audit log %s: it is not a regular file — "
                              "remove what is there; nothing was sent", a->path);
        return -1;
    }
    /* an existing file keeps no wider mode than a new one would get */
    if ((sb.st_mode & 0777) != 0600 && fchmod(fd, 0600) < 0) {
        e = errno;
        close(fd);
        return fail(why, whylen, a->path, "making it 0600", e);
    }
    text = cJSON_PrintUnformatted(obj);
    if (!text)
        fatal("out of memory");
    line = xasprintf("%s\n", text);
    free(text);
    len = strlen(line);
    /* one write() for the whole line, so lines of two processes never interleave; the loop
     * only matters when the disk fills in the middle of it */
    while (off < len) {
        ssize_t w = write(fd, line + off, len - off);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            e = w < 0 ? errno : EIO;
            free(line);
            close(fd);
            return fail(why, whylen, a->path, "writing the line", e);
        }
        off += (size_t)w;
    }
    free(line);
    if (a->sync(fd) < 0) {
        e = errno;
        close(fd);
        return fail(why, whylen, a->path, "syncing it to disk", e);
    }
    if (close(fd) < 0)
        return fail(why, whylen, a->path, "closing it", errno);
    /* a file that was empty may be new: its name is durable only once the directory is */
    if (sb.st_size == 0 && sync_dir(a) < 0)
        return fail(why, whylen, a->path, "syncing its directory", errno);
    return 0;
}

/* ---- reading ----------------------------------------------------------------------------- */

/* The last lines read, a ring of n; a line already known to be bad keeps only why. */
struct ring {
    char **lines;
    int *numbers;
    const char **bad;
    size_t cap, next, count;
};

static void ring_push(struct ring *r, char *line, int number, const char *bad)
{
    size_t i = r->next;

    free(r->lines[i]);
    r->lines[i] = line;
    r->numbers[i] = number;
    r->bad[i] = bad;
    r->next = (i + 1) % r->cap;
    if (r->count < r->cap)
        r->count++;
}

static void entry_from(struct audit_entry *e, char *line, int number, const char *bad)
{
    size_t n = line ? strlen(line) : 0;

    e->line = number;
    e->obj = NULL;
    e->problem = NULL;
    if (bad) {
        e->problem = xstrdup(bad);
        return;
    }
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    e->obj = cJSON_ParseWithLength(line, n);
    if (!e->obj || !cJSON_IsObject(e->obj)) {
        cJSON_Delete(e->obj);
        e->obj = NULL;
        e->problem = xstrdup(n == 0 ? "empty line" : "not a JSON object");
    }
}

int audit_read_last(const char *path, size_t n, struct audit_entry **out, size_t *nout,
                    char *why, size_t whylen)
{
    struct ring r = {0};
    char *buf = NULL;
    size_t cap = 0;
    ssize_t len;
    int number = 0, fd;
    FILE *f;

    *out = NULL;
    *nout = 0;
    if (!path) {
        snprintf(why, whylen, "no audit log: neither XDG_STATE_HOME nor HOME is set");
        return -1;
    }
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT)
            return 1;
        snprintf(why, whylen, "cannot read the audit log %s: %s", path, strerror(errno));
        return -1;
    }
    f = fdopen(fd, "r");
    if (!f) {
        snprintf(why, whylen, "cannot read the audit log %s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    if (n == 0) {
        fclose(f);
        return 0;
    }
    r.cap = n;
    r.lines = xcalloc(n, sizeof(*r.lines));
    r.numbers = xcalloc(n, sizeof(*r.numbers));
    r.bad = xcalloc(n, sizeof(*r.bad));
    errno = 0;
    while ((len = getline(&buf, &cap, f)) >= 0) {
        const char *bad = (size_t)len > AUDIT_LINE_MAX ? "longer than 64 KiB"
                          : (size_t)len != strlen(buf) ? "holds a NUL byte"
                                                       : NULL;

        number++;
        ring_push(&r, bad ? NULL : xstrdup(buf), number, bad);
    }
    if (ferror(f)) {
        snprintf(why, whylen, "cannot read the audit log %s: %s", path, strerror(errno));
        fclose(f);
        free(buf);
        for (size_t i = 0; i < r.cap; i++)
            free(r.lines[i]);
        free(r.lines);
        free(r.numbers);
        free(r.bad);
        return -1;
    }
    fclose(f);
    free(buf);
    *out = xcalloc(r.count ? r.count : 1, sizeof(**out));
    for (size_t k = 0; k < r.count; k++) {
        size_t i = (r.next + r.cap - r.count + k) % r.cap;

        entry_from(&(*out)[k], r.lines[i], r.numbers[i], r.bad[i]);
    }
    *nout = r.count;
    for (size_t i = 0; i < r.cap; i++)
        free(r.lines[i]);
    free(r.lines);
    free(r.numbers);
    free(r.bad);
    return 0;
}

void audit_entries_free(struct audit_entry *e, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        cJSON_Delete(e[i].obj);
        free(e[i].problem);
    }
    free(e);
}

/* ---- reading the tail ------------------------------------------------------------------- */

int audit_scan_tail(const char *path, size_t max_bytes,
                    void (*fn)(const cJSON *obj, void *arg), void *arg, char *why,
                    size_t whylen)
{
    struct stat sb;
    char *buf, *p, *end;
    size_t len, got = 0;
    off_t from;
    int fd;

    if (!path) {
        snprintf(why, whylen, "no audit log: neither XDG_STATE_HOME nor HOME is set");
        return -1;
    }
    /* O_NONBLOCK: a FIFO planted at the path fails the type check below, never blocks */
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT)
            return 1;
        snprintf(why, whylen, "cannot read the audit log %s: %s", path, strerror(errno));
        return -1;
    }
    if (fstat(fd, &sb) < 0) {
        snprintf(why, whylen, "cannot read the audit log %s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    if (!S_ISREG(sb.st_mode)) {
        snprintf(why, whylen, "cannot read the audit log %s: not a regular file", path);
        close(fd);
        return -1;
    }
    /* what was there when we looked: a line appended meanwhile waits for the next read */
    len = (size_t)sb.st_size < max_bytes ? (size_t)sb.st_size : max_bytes;
    from = sb.st_size - (off_t)len;
    buf = xmalloc(len + 1);
    while (got < len) {
        ssize_t r = pread(fd, buf + got, len - got, from + (off_t)got);

        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            snprintf(why, whylen, "cannot read the audit log %s: %s", path, strerror(errno));
            free(buf);
            close(fd);
            return -1;
        }
        if (r == 0)
            break;   /* truncated under us: what was read is what there is */
        got += (size_t)r;
    }
    close(fd);
    buf[got] = '\0';
    p = buf;
    end = buf + got;
    /* the cut may fall inside the first line: it is not taken for a whole one */
    if (from > 0) {
        char *nl = memchr(p, '\n', got);

        p = nl ? nl + 1 : end;
    }
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n;
        cJSON *obj;

        if (!nl)
            break;   /* no newline yet: a write under way, or a torn one */
        n = (size_t)(nl - p);
        if (n > 0 && n <= AUDIT_LINE_MAX && !memchr(p, '\0', n)) {
            obj = cJSON_ParseWithLength(p, n);
            if (cJSON_IsObject(obj))
                fn(obj, arg);
            cJSON_Delete(obj);
        }
        p = nl + 1;
    }
    free(buf);
    return 0;
}
