/* gate.c - read-only, the audit lines and the client's pass for every write (gate.h). */
#include "config.h"
#include "act/gate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "act/audit.h"
#include "util/xalloc.h"

/* One request sent through the gate, until it ends. */
struct pass {
    struct pass *prev, *next;
    struct gate *g;
    bool audited;            /* a mutating request: an outcome line is owed */
    char id[48];             /* ties the request line to its outcome line */
    char *action;
    char *resource;
    gate_result_fn result;   /* what the outcome line keeps of the answer */
    aws_done_fn cb;          /* NULL once forgotten */
    void *ud;
};

struct gate {
    struct aws_client *client;
    const struct appconfig *app;
    char *profile, *region;
    char *caller_arn, *account;
    struct gate_policy pol;
    enum gate_writes writes;
    struct audit *audit;
    const struct aws_request *passing;   /* the request being handed to the client now */
    struct pass *head;
    size_t npending;
    unsigned long seq;
    long started;                        /* epoch seconds, part of every id */
};

/* The client's question: is this the request the gate is handing over right now? Outside
 * gate_send `passing` is NULL, so no other code path can get a mutating request through,
 * whatever it sets in the request. */
static bool gate_check(void *ud, const struct aws_request *req)
{
    const struct gate *g = ud;

    return g->passing && g->passing == req;
}

struct gate *gate_new(struct aws_client *client, const struct appconfig *app,
                      const char *profile, const char *region, const struct gate_policy *pol,
                      const char *audit_path)
{
    struct gate *g = xcalloc(1, sizeof(*g));

    g->client = client;
    g->app = app;
    g->profile = xstrdup(profile ? profile : "default");
    g->region = region ? xstrdup(region) : NULL;
    if (pol)
        g->pol = *pol;
    g->audit = audit_new(audit_path);
    g->started = (long)time(NULL);
    aws_client_set_gate(client, gate_check, g);
    return g;
}

/* ---- audit lines --------------------------------------------------------------------------- */

static void add_time(cJSON *o)
{
    struct timespec ts;
    struct tm tm;
    char buf[64], iso[32];

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf, sizeof(buf), "%s.%03dZ", iso, (int)(ts.tv_nsec / 1000000) % 1000);
    cJSON_AddStringToObject(o, "time", buf);
}

static void add_str_or_null(cJSON *o, const char *name, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, name, v);
    else
        cJSON_AddNullToObject(o, name);
}

static cJSON *line_new(const struct gate *g, const char *event, const struct pass *p)
{
    cJSON *o = cJSON_CreateObject();

    add_time(o);
    cJSON_AddStringToObject(o, "event", event);
    cJSON_AddStringToObject(o, "id", p->id);
    add_str_or_null(o, "caller_arn", g->caller_arn);
    cJSON_AddStringToObject(o, "profile", g->profile);
    add_str_or_null(o, "account", g->account);
    add_str_or_null(o, "region", g->region);
    cJSON_AddStringToObject(o, "action", p->action);
    add_str_or_null(o, "resource", p->resource);
    return o;
}

static const char *response_request_id(const struct aws_response *resp)
{
    static const char *const names[] = {"x-amzn-RequestId", "x-amz-request-id",
                                        "x-amzn-request-id"};

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        const char *v = aws_response_header(resp, names[i]);
        if (v && *v)
            return v;
    }
    return NULL;
}

/* The outcome line's "result": what the caller keeps of a successful answer, or null. */
static void add_result(cJSON *o, const struct pass *p, const struct aws_response *resp)
{
    cJSON *res = cJSON_CreateObject();

    if (resp && p->result)
        p->result(resp, res);
    if (res->child) {
        cJSON_AddItemToObject(o, "result", res);
    } else {
        cJSON_Delete(res);
        cJSON_AddNullToObject(o, "result");
    }
}

/* The outcome line. A failure to write it cannot undo the request: it is reported on
 * stderr of a headless command, and the next request line is refused all the same if the
 * log stays unwritable. */
static void write_outcome(struct gate *g, const struct pass *p, const char *status,
                          const struct aws_response *resp, const struct aws_error *err)
{
    cJSON *o = line_new(g, "outcome", p);
    char why[512];

    cJSON_AddStringToObject(o, "status", status);
    if (resp) {
        cJSON_AddNumberToObject(o, "http_status", (double)resp->status);
        add_str_or_null(o, "request_id", response_request_id(resp));
        cJSON_AddNullToObject(o, "error");
    } else if (err) {
        cJSON *e = cJSON_CreateObject();

        if (err->http_status)
            cJSON_AddNumberToObject(o, "http_status", (double)err->http_status);
        else
            cJSON_AddNullToObject(o, "http_status");
        add_str_or_null(o, "request_id", err->request_id[0] ? err->request_id : NULL);
        cJSON_AddStringToObject(e, "kind", aws_error_kind_name(err->kind));
        add_str_or_null(e, "code", err->code[0] ? err->code : NULL);
        cJSON_AddStringToObject(e, "message", err->message);
        cJSON_AddItemToObject(o, "error", e);
    } else {
        cJSON_AddNullToObject(o, "http_status");
        cJSON_AddNullToObject(o, "request_id");
        cJSON_AddStringToObject(o, "error", "the session ended before AWS answered: the "
                                            "request may or may not have been carried out");
    }
    add_result(o, p, resp);
    if (audit_append(g->audit, o, why, sizeof(why)) < 0)
        fprintf(stderr, "opsdeck: %s\n", why);
    cJSON_Delete(o);
}

/* ---- passes ---------------------------------------------------------------------------------- */

static void pass_unlink(struct gate *g, struct pass *p)
{
    if (p->prev)
        p->prev->next = p->next;
    else
        g->head = p->next;
    if (p->next)
        p->next->prev = p->prev;
    g->npending--;
}

static void pass_free(struct pass *p)
{
    free(p->action);
    free(p->resource);
    free(p);
}

static void on_done(const struct aws_response *resp, const struct aws_error *err, void *ud)
{
    struct pass *p = ud;
    struct gate *g = p->g;

    pass_unlink(g, p);
    if (p->audited)
        write_outcome(g, p, resp ? "ok" : "failed", resp, err);
    if (p->cb)
        p->cb(resp, err, p->ud);
    pass_free(p);
}

void gate_free(struct gate *g)
{
    if (!g)
        return;
    while (g->head) {
        struct pass *p = g->head;

        pass_unlink(g, p);
        if (p->audited)
            write_outcome(g, p, "unknown", NULL, NULL);
        pass_free(p);
    }
    audit_free(g->audit);
    free(g->profile);
    free(g->region);
    free(g->caller_arn);
    free(g->account);
    free(g);
}

void gate_forget(struct gate *g, void *ud)
{
    for (struct pass *p = g->head; p; p = p->next)
        if (p->ud == ud)
            p->cb = NULL;
}

size_t gate_pending(const struct gate *g)
{
    return g->npending;
}

/* ---- state ------------------------------------------------------------------------------------ */

static void replace(char **dst, const char *v)
{
    free(*dst);
    *dst = v && *v ? xstrdup(v) : NULL;
}

void gate_set_identity(struct gate *g, const char *caller_arn, const char *account)
{
    replace(&g->caller_arn, caller_arn);
    replace(&g->account, account);
}

const char *gate_account(const struct gate *g)
{
    return g->account;
}

struct aws_client *gate_client(const struct gate *g)
{
    return g->client;
}

const char *gate_profile(const struct gate *g)
{
    return g->profile;
}

const char *gate_region(const struct gate *g)
{
    return g->region;
}

const char *gate_audit_path(const struct gate *g)
{
    return audit_path(g->audit);
}

struct audit *gate_audit(struct gate *g)
{
    return g->audit;
}

void gate_set_writes(struct gate *g, enum gate_writes w)
{
    g->writes = w;
}

enum gate_writes gate_writes(const struct gate *g)
{
    return g->writes;
}

bool gate_production(const struct gate *g)
{
    return g->app && appconfig_is_production(g->app, g->profile);
}

static const char *config_path(const struct gate *g)
{
    return g->app && g->app->path ? g->app->path : "opsdeck's config";
}

/* The explicit settings that keep a session read-only whatever is typed. */
static bool explicit_read_only(const struct gate *g, char *why, size_t whylen)
{
    if (g->pol.read_only) {
        snprintf(why, whylen, "read-only (--read-only): restart opsdeck without --read-only "
                              "to write");
        return true;
    }
    if (g->app && g->app->read_only) {
        snprintf(why, whylen, "read-only: [general] read_only = true in %s; set it to false "
                              "to write", config_path(g));
        return true;
    }
    if (g->app && appconfig_profile(g->app, g->profile).read_only) {
        snprintf(why, whylen, "read-only: [profile %s] read_only = true in %s; set it to "
                              "false to write", g->profile, config_path(g));
        return true;
    }
    return false;
}

bool gate_read_only(const struct gate *g, char *why, size_t whylen)
{
    char tmp[8];

    if (!why) {
        why = tmp;
        whylen = sizeof(tmp);
    }
    if (g->pol.read_only)
        return explicit_read_only(g, why, whylen);
    if (g->writes == GATE_WRITES_OFF) {
        snprintf(why, whylen, "read-only (:writes off): :writes on to write again");
        return true;
    }
    if (explicit_read_only(g, why, whylen))
        return true;
    if (gate_production(g) && !g->pol.allow_writes && g->writes != GATE_WRITES_ON) {
        /* short enough for an 80-column status line: `:writes on` asks for the name */
        snprintf(why, whylen, "read-only: [profile %s] environment = production; "
                              "--allow-writes/:writes on", g->profile);
        return true;
    }
    return false;
}

bool gate_can_turn_on(const struct gate *g, char *why, size_t whylen)
{
    char tmp[8];

    if (!why) {
        why = tmp;
        whylen = sizeof(tmp);
    }
    return !explicit_read_only(g, why, whylen);
}

/* ---- sending ---------------------------------------------------------------------------------- */

int gate_send(struct gate *g, struct aws_request *req, const struct gate_write *w,
              aws_done_fn cb, void *ud, struct aws_error *err)
{
    struct pass *p;
    char why[1024];

    aws_error_clear(err);
    if (req->mutating && gate_read_only(g, why, sizeof(why))) {
        aws_error_set(err, AWS_ERR_READ_ONLY, "%s", why);
        goto refuse;
    }
    p = xcalloc(1, sizeof(*p));
    p->g = g;
    p->cb = cb;
    p->ud = ud;
    p->action = xstrdup(req->action ? req->action : "?");
    p->resource = w && w->resource ? xstrdup(w->resource) : NULL;
    p->result = w ? w->result : NULL;
    if (req->mutating) {
        cJSON *o;

        p->audited = true;
        snprintf(p->id, sizeof(p->id), "%ld-%d-%lu", g->started, (int)getpid(), ++g->seq);
        o = line_new(g, "request", p);
        cJSON_AddStringToObject(o, "service", req->service ? req->service : "?");
        cJSON_AddItemToObject(o, "parameters", w && w->params
                                                   ? cJSON_Duplicate(w->params, true)
                                                   : cJSON_CreateObject());
        if (audit_append(g->audit, o, why, sizeof(why)) < 0) {
            cJSON_Delete(o);
            pass_free(p);
            aws_error_set(err, AWS_ERR_REFUSED, "%s", why);
            goto refuse;
        }
        cJSON_Delete(o);
    }
    p->next = g->head;
    if (g->head)
        g->head->prev = p;
    g->head = p;
    g->npending++;
    g->passing = req;
    aws_client_send(g->client, req, on_done, p);
    g->passing = NULL;
    return 0;

refuse:
    snprintf(err->service, sizeof(err->service), "%s", req->service ? req->service : "");
    snprintf(err->action, sizeof(err->action), "%s", req->action ? req->action : "");
    aws_request_done(req);
    return -1;
}
