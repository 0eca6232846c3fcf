/* cmd_audit.c - `opsdeck audit [--json] [-n N]`: the latest entries of the audit log of
 * writes (act/audit.h), oldest first: one line per request sent and one per outcome, or the
 * lines themselves as JSON. Everything in the file is untrusted text (it holds names from
 * AWS, and anyone with the user's rights may have edited it): escaped for the terminal, and
 * a line that is not one of ours is reported as such, not skipped silently. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/audit.h"
#include "cmd/commands.h"
#include "util/buf.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

#define AUDIT_DEFAULT_N 20

static const char *str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

    return cJSON_IsString(v) && v->valuestring ? v->valuestring : NULL;
}

/* " label value" when there is a value. */
static void add(struct buf *b, const char *label, const char *v)
{
    if (v && *v)
        buf_printf(b, "%s%s", label, v);
}

/* What the outcome line kept of the answer ("message_id": "...") as " message_id ...". */
static void print_result(struct buf *b, const cJSON *res)
{
    const cJSON *f;

    if (!cJSON_IsObject(res))
        return;
    cJSON_ArrayForEach(f, res) {
        if (cJSON_IsString(f) && f->string)
            buf_printf(b, " %s %s", f->string, f->valuestring);
    }
}

/* One entry on one line, escaped as a whole. */
static void print_text(const struct audit_entry *e)
{
    const cJSON *o = e->obj, *st;
    const char *event = str(o, "event");
    struct buf b;
    char *line, *clean;

    buf_init(&b);
    buf_printf(&b, "%s  ", str(o, "time") ? str(o, "time") : "?");
    buf_printf(&b, "%-8s ", event ? event : "?");
    add(&b, "", str(o, "action"));
    add(&b, " ", str(o, "resource"));
    if (event && strcmp(event, "outcome") == 0) {
        const cJSON *err = cJSON_GetObjectItemCaseSensitive(o, "error");

        add(&b, "  ", str(o, "status"));
        st = cJSON_GetObjectItemCaseSensitive(o, "http_status");
        if (cJSON_IsNumber(st))
            buf_printf(&b, " (HTTP %d)", st->valueint);
        add(&b, " request id ", str(o, "request_id"));
        print_result(&b, cJSON_GetObjectItemCaseSensitive(o, "result"));
        if (cJSON_IsObject(err)) {
            add(&b, ": ", str(err, "code"));
            add(&b, ": ", str(err, "message"));
        } else if (cJSON_IsString(err)) {
            add(&b, ": ", err->valuestring);
        }
    } else {
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(o, "parameters");

        add(&b, "  profile ", str(o, "profile"));
        add(&b, " account ", str(o, "account"));
        add(&b, " region ", str(o, "region"));
        add(&b, " by ", str(o, "caller_arn"));
        if (cJSON_IsObject(p) && p->child) {
            char *params = cJSON_PrintUnformatted(p);
            buf_printf(&b, " %s", params);
            free(params);
        }
    }
    line = buf_steal(&b);
    clean = sanitize_text(line, strlen(line));
    printf("%s\n", clean);
    free(clean);
    free(line);
}

static void print_json(const struct audit_entry *e)
{
    cJSON *bad = NULL;
    char *text, *safe;

    if (!e->obj) {
        bad = cJSON_CreateObject();
        cJSON_AddNumberToObject(bad, "line", e->line);
        cJSON_AddStringToObject(bad, "malformed", e->problem);
    }
    text = cJSON_PrintUnformatted(e->obj ? e->obj : bad);
    safe = sanitize_json(text);
    puts(safe);
    free(safe);
    free(text);
    cJSON_Delete(bad);
}

int cmd_audit(const struct global_opts *g, int argc, char **argv)
{
    char *path;
    struct audit_entry *e;
    size_t n;
    char why[1024];
    int rc;

    if (argc > 1) {
        fprintf(stderr, "opsdeck: audit takes no arguments, got '%s' (see --help)\n", argv[1]);
        return 2;
    }
    if (g->count < 0) {
        fputs("opsdeck: -n takes a count of entries, 1 or more\n", stderr);
        return 2;
    }
    path = audit_default_path();
    rc = audit_read_last(path, g->count > 0 ? (size_t)g->count : AUDIT_DEFAULT_N, &e, &n, why,
                         sizeof(why));
    if (rc < 0) {
        fprintf(stderr, "opsdeck: %s\n", why);
        free(path);
        return 1;
    }
    if (rc == 1 && !g->json)
        fprintf(stderr, "opsdeck: no audit log at %s: no write has been sent from this "
                        "user's opsdeck\n", path);
    for (size_t i = 0; i < n; i++) {
        if (g->json)
            print_json(&e[i]);
        else if (e[i].obj)
            print_text(&e[i]);
        else
            printf("line %d: not an audit entry (%s)\n", e[i].line, e[i].problem);
    }
    audit_entries_free(e, n);
    free(path);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("opsdeck: writing the audit entries");
        return 1;
    }
    return 0;
}
