/* savebody.c - "save-body": a peeked message's body (or the S3 payload read for it) into
 * a local file, 0600. Nothing goes to AWS. An existing file is kept unless the form's
 * "If it exists" says to overwrite it: the form is the question, asked every time. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "act/action.h"
#include "util/xalloc.h"

#define KEEP "keep it: refuse"
#define OVERWRITE "overwrite it"

struct savebody {
    char *path;
    bool overwrite;
};

static void save_form(void *priv, struct act_run *run, struct form *f)
{
    static const char *const choices[] = {KEEP, OVERWRITE};
    struct form_field *fl = form_add(f, "file", "File", FORM_LINE);

    (void)priv;
    (void)run;
    fl->required = true;
    form_set_hint(fl, "where to write the message body (the file is made 0600)");
    fl = form_add(f, "exists", "If it exists", FORM_CHOICE);
    form_set_choices(fl, choices, 2);
    form_set(f, "exists", KEEP);
    form_set_hint(fl, "Left/Right: keep an existing file (refuse) or overwrite it");
}

static int save_check(void *priv, struct act_run *run, const struct form *f, char *why,
                      size_t whylen)
{
    struct savebody *s = priv;
    const char *file = form_value(f, "file");
    struct stat sb;

    (void)run;
    s->overwrite = strcmp(form_value(f, "exists"), OVERWRITE) == 0;
    if (lstat(file, &sb) == 0 && (!s->overwrite || !S_ISREG(sb.st_mode))) {
        snprintf(why, whylen, S_ISREG(sb.st_mode)
                                  ? "File: %s exists: choose \"" OVERWRITE "\" to replace it"
                                  : "File: %s exists and is not a regular file", file);
        return -1;
    }
    free(s->path);
    s->path = xstrdup(file);
    return 0;
}

static int save_start(void *priv, struct act_run *run)
{
    struct savebody *s = priv;
    const struct store *st = act_run_env(run)->store;
    const struct store_res *m = st ? store_find(st, "message", act_run_target(run)->key)
                                   : NULL;
    const char *body = m ? store_res_str(m, "body") : NULL;
    size_t len, off = 0;
    int fd;

    if (!body) {
        act_run_finish(run, ACT_FAILED, "the message is no longer here: peek again");
        return -1;
    }
    /* no symlink followed, and an existing file is made 0600 before a byte is written */
    fd = open(s->path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW |
                           (s->overwrite ? O_TRUNC : O_EXCL), 0600);
    if (fd < 0 || fchmod(fd, 0600) < 0) {
        act_run_finish(run, ACT_FAILED, "cannot write %s: %s", s->path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    len = strlen(body);
    while (off < len) {
        ssize_t w = write(fd, body + off, len - off);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    bool ok = off == len && fsync(fd) == 0;
    int err = errno;

    if (close(fd) < 0 && ok) {
        ok = false;
        err = errno;
    }
    if (!ok) {
        act_run_finish(run, ACT_FAILED, "cannot write %s: %s", s->path, strerror(err));
        return -1;
    }
    act_run_finish(run, ACT_DONE, "saved the %zu bytes of the body to %s (0600)", len,
                   s->path);
    return 0;
}

static void save_done(void *priv)
{
    struct savebody *s = priv;

    free(s->path);
}

const struct action save_body_action = {
    .name = "save-body",
    .title = "Save the message body",
    .ok_label = "Save",
    .target_kind = "message",
    .mutates = false,
    .confirm = ACT_CONFIRM_NONE,
    .private_size = sizeof(struct savebody),
    .form = save_form,
    .check = save_check,
    .start = save_start,
    .done = save_done,
};
