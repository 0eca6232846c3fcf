/* snapshot.c - `opsdeck snapshot`: every poll source once, in parallel, into a private
 * store, then one document printed from that store.
 *
 * The requests are the console's own (src/poll/sources/): the poller runs each source once,
 * every one whose input is ready at the same time, each dependent one (CloudWatch ages,
 * DLQ sources) as soon as what it works on is in. Inventory failures are fatal: the
 * snapshot would be wrong, so one line and no JSON. Enrichment (CloudWatch, DLQ sources)
 * failing is listed in "errors" and its values are null, because a missing metric must not
 * hide the queues. */
#include "config.h"
#include "cmd/snapshot.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmdwait.h"
#include "cmd/commands.h"
#include "core/client.h"
#include "creds/mfa_tty.h"
#include "poll/expiries.h"
#include "poll/poller.h"
#include "poll/sources/sources.h"
#include "poll/store.h"
#include "util/jsonnum.h"
#include "util/sanitize.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

/* The kinds that make the inventory: a failure reading any of them is fatal. */
static const char *const inventory_kinds[] = {"identity", "queue", "topic", "bucket", NULL};

struct snapshot {
    struct aws_config *cfg;
    struct appconfig *app;         /* opsdeck's config: [expiry NAME], the thresholds */
    struct creds_manager *cm;
    struct aws_client *client;
    struct store *store;
    time_t started;
};

/* --- the run ---------------------------------------------------------------------------- */

/* The kinds the document holds: sources that write none of them (the toggles: `opsdeck
 * toggle list`) are not run. */
static const char *const printed_kinds[] = {"identity", "credential", "queue", "dlq", "topic",
                                            "bucket", "password", "access_key",
                                            "secret_rotation", "app_password", NULL};

static bool source_printed(const struct source *src)
{
    for (size_t k = 0; src->kinds && src->kinds[k]; k++)
        for (size_t i = 0; printed_kinds[i]; i++)
            if (strcmp(src->kinds[k], printed_kinds[i]) == 0)
                return true;
    return false;
}

static void run_sources(struct snapshot *s)
{
    /* the buckets' regions are not printed: HeadBucket per bucket would only add calls */
    const struct source *sources[64];
    size_t n = 0;

    for (size_t i = 0; source_registry[i] && n + 1 < sizeof(sources) / sizeof(sources[0]); i++)
        if (source_printed(source_registry[i]) && source_registry[i] != &bucket_regions_source)
            sources[n++] = source_registry[i];
    sources[n] = NULL;

    struct poller_opts po = {
        .client = s->client, .store = s->store, .app = s->app, .creds = s->cm,
        .profile = s->cfg->profile, .sources = sources, .once = true,
        .wall_s = (int64_t)s->started,
    };
    struct poller *p = poller_new(&po);

    for (;;) {
        int delay = poller_tick(p, timeutil_mono_ms());

        if (!poller_busy(p))
            break;
        aws_client_run(s->client, NULL, 0, delay);
    }
    poller_free(p);
}

/* The first failure of the inventory, in the order of inventory_kinds: the whole list's,
 * then any row's. NULL when everything was read. */
static const struct aws_error *inventory_failure(const struct store *st)
{
    for (size_t k = 0; inventory_kinds[k]; k++) {
        struct store_kind_info info;

        store_kind_info(st, inventory_kinds[k], &info);
        if (info.stale && info.error)
            return info.error;
        for (size_t i = 0; i < info.count; i++) {
            const struct store_res *r = store_at(st, inventory_kinds[k], i);

            if (store_res_stale(r))
                return store_res_error(r, NULL);
        }
    }
    return NULL;
}

/* --- the document ----------------------------------------------------------------------- */

static cJSON *json_value(const struct store_res *r, const char *field)
{
    const struct store_value *v = store_res_get(r, field);

    switch (v->type) {
    case STORE_STR: return cJSON_CreateString(v->u.s);
    case STORE_INT: return json_int64(v->u.i);   /* exact past 2^53 */
    case STORE_DOUBLE: return cJSON_CreateNumber(v->u.d);
    case STORE_UNKNOWN: break;
    }
    return cJSON_CreateNull();
}

/* An epoch-seconds field as ISO-8601 UTC; null when unknown. */
static cJSON *json_time(const struct store_res *r, const char *field)
{
    char when[21];
    int64_t v;

    if (!store_res_int(r, field, &v) || v <= 0)
        return cJSON_CreateNull();
    timeutil_format_iso8601(v, when);
    return cJSON_CreateString(when);
}

static cJSON *json_bool(const struct store_res *r, const char *field)
{
    int64_t v = 0;

    return cJSON_CreateBool(store_res_int(r, field, &v) && v);
}

/* A field that holds JSON text, as that JSON; null when absent or not JSON. */
static cJSON *json_parsed(const struct store_res *r, const char *field)
{
    const char *text = r ? store_res_str(r, field) : NULL;
    cJSON *v = text ? cJSON_Parse(text) : NULL;

    return v ? v : cJSON_CreateNull();
}

static cJSON *queue_json(const struct store *st, const struct store_res *q)
{
    cJSON *o = cJSON_CreateObject();
    const char *dlq_arn = store_res_str(q, "dlq_arn");
    int64_t is_dlq = 0;

    cJSON_AddStringToObject(o, "url", store_res_key(q));
    cJSON_AddItemToObject(o, "name", json_value(q, "name"));
    cJSON_AddItemToObject(o, "arn", json_value(q, "arn"));
    cJSON_AddItemToObject(o, "fifo", json_bool(q, "fifo"));
    cJSON_AddItemToObject(o, "visible", json_value(q, "visible"));
    cJSON_AddItemToObject(o, "in_flight", json_value(q, "in_flight"));
    cJSON_AddItemToObject(o, "delayed", json_value(q, "delayed"));
    cJSON_AddItemToObject(o, "oldest_age_seconds", json_value(q, "age_oldest"));
    cJSON_AddItemToObject(o, "oldest_age_at", json_time(q, "age_oldest_at"));
    if (dlq_arn) {
        cJSON *dlq = cJSON_CreateObject();

        cJSON_AddStringToObject(dlq, "arn", dlq_arn);
        cJSON_AddItemToObject(dlq, "url", json_value(q, "dlq_url"));
        cJSON_AddItemToObject(dlq, "max_receive_count", json_value(q, "max_receive_count"));
        cJSON_AddItemToObject(o, "dead_letter_queue", dlq);
    } else {
        cJSON_AddNullToObject(o, "dead_letter_queue");
    }
    store_res_int(q, "is_dlq", &is_dlq);
    cJSON_AddBoolToObject(o, "is_dlq", is_dlq != 0);
    cJSON_AddItemToObject(o, "dlq_sources",
                          json_parsed(is_dlq ? store_find(st, "dlq", store_res_key(q)) : NULL,
                                      "sources"));
    cJSON_AddItemToObject(o, "attributes", json_parsed(q, "attributes"));
    return o;
}

static cJSON *topic_json(const struct store_res *t)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "arn", store_res_key(t));
    cJSON_AddItemToObject(o, "name", json_value(t, "name"));
    cJSON_AddItemToObject(o, "display_name", json_value(t, "display_name"));
    cJSON_AddItemToObject(o, "fifo", json_bool(t, "fifo"));
    cJSON_AddItemToObject(o, "subscriptions_confirmed", json_value(t, "subscriptions_confirmed"));
    cJSON_AddItemToObject(o, "subscriptions_pending", json_value(t, "subscriptions_pending"));
    cJSON_AddItemToObject(o, "failure_logging", json_bool(t, "failure_logging"));
    cJSON_AddItemToObject(o, "failed_notifications", json_value(t, "failed_notifications"));
    cJSON_AddItemToObject(o, "published", json_value(t, "published"));
    cJSON_AddItemToObject(o, "delivered", json_value(t, "delivered"));
    cJSON_AddItemToObject(o, "pending_in_list", json_value(t, "pending_in_list"));
    cJSON_AddItemToObject(o, "no_dlq", json_value(t, "no_dlq"));
    cJSON_AddItemToObject(o, "kms_key", json_value(t, "kms_key"));
    cJSON_AddItemToObject(o, "protocols", json_parsed(t, "protocols"));
    cJSON_AddItemToObject(o, "logging_off", json_parsed(t, "logging_off"));
    cJSON_AddItemToObject(o, "subscriptions", json_parsed(t, "subscriptions"));
    return o;
}

/* The members before the arrays: what was asked, of whom, when. */
static cJSON *header_json(const struct snapshot *s)
{
    const struct store_res *id = store_find(s->store, "identity", "caller");
    cJSON *root = cJSON_CreateObject(), *ident = cJSON_CreateObject();
    char when[21];

    timeutil_format_iso8601((int64_t)s->started, when);
    cJSON_AddStringToObject(root, "schema", "opsdeck.snapshot/1");
    cJSON_AddStringToObject(root, "taken_at", when);
    cJSON_AddStringToObject(root, "profile", s->cfg->profile);
    cJSON_AddItemToObject(root, "region", s->cfg->region ? cJSON_CreateString(s->cfg->region)
                                                         : cJSON_CreateNull());
    cJSON_AddItemToObject(ident, "account", json_value(id, "account"));
    cJSON_AddItemToObject(ident, "arn", json_value(id, "arn"));
    cJSON_AddItemToObject(ident, "user_id", json_value(id, "user_id"));
    cJSON_AddItemToObject(root, "identity", ident);
    return root;
}

static cJSON *buckets_json(const struct store *st)
{
    cJSON *buckets = cJSON_CreateArray();

    for (size_t i = 0; i < store_count(st, "bucket"); i++) {
        const struct store_res *r = store_at(st, "bucket", i);
        cJSON *b = cJSON_CreateObject();

        cJSON_AddStringToObject(b, "name", store_res_key(r));
        cJSON_AddItemToObject(b, "created", json_value(r, "created"));
        cJSON_AddItemToArray(buckets, b);
    }
    return buckets;
}

/* Every countdown on the expiry view's timeline at taken_at, soonest first. */
static cJSON *expiries_json(const struct snapshot *s)
{
    cJSON *arr = cJSON_CreateArray();
    struct expiry_list l = {0};

    expiry_list_build(&l, s->store, s->app, (int64_t)s->started);
    for (size_t i = 0; i < l.n; i++) {
        const struct expiry_item *it = &l.v[i];
        cJSON *e = cJSON_CreateObject();
        char when[21];

        cJSON_AddStringToObject(e, "kind", it->kind);
        cJSON_AddItemToObject(e, "key", it->store_key ? cJSON_CreateString(it->store_key)
                                                      : cJSON_CreateNull());
        cJSON_AddStringToObject(e, "what", it->what);
        cJSON_AddStringToObject(e, "whose", it->whose);
        if (it->known && it->at != EXPIRY_NEVER) {
            timeutil_format_iso8601(it->at, when);
            cJSON_AddStringToObject(e, "expires_at", when);
        } else {
            cJSON_AddNullToObject(e, "expires_at");
        }
        cJSON_AddBoolToObject(e, "never", it->known && it->at == EXPIRY_NEVER);
        cJSON_AddStringToObject(e, "state", expiry_state_name(it->state));
        cJSON_AddStringToObject(e, "note", it->note);
        if (it->arn)
            cJSON_AddStringToObject(e, "arn", it->arn);
        /* where the date comes from: only on the kinds that have one, as arn */
        if (it->rotated >= 0) {
            timeutil_format_iso8601(it->rotated, when);
            cJSON_AddStringToObject(e, "last_rotated", when);
        }
        if (it->report > 0) {
            timeutil_format_iso8601(it->report, when);
            cJSON_AddStringToObject(e, "report_generated", when);
        }
        cJSON_AddItemToArray(arr, e);
    }
    expiry_list_free(&l);
    return arr;
}

/* Calls that failed without making the inventory wrong: their latest failure each. */
static cJSON *errors_json(const struct store *st)
{
    cJSON *errors = cJSON_CreateArray();

    for (size_t i = 0; i < store_count(st, "error"); i++) {
        const struct store_res *r = store_at(st, "error", i);
        cJSON *e;
        int64_t count = 0;

        if (!store_res_int(r, "count", &count) || count <= 0)
            continue;
        e = cJSON_CreateObject();
        cJSON_AddItemToObject(e, "service", json_value(r, "service"));
        cJSON_AddItemToObject(e, "action", json_value(r, "action"));
        cJSON_AddItemToObject(e, "code", json_value(r, "code"));
        cJSON_AddItemToObject(e, "message", json_value(r, "message"));
        cJSON_AddItemToArray(errors, e);
    }
    return errors;
}

static cJSON *stats_json(const struct snapshot *s)
{
    cJSON *stats = cJSON_CreateObject();
    struct aws_client_stats st;

    aws_client_get_stats(s->client, &st);
    json_add_int64(stats, "requests", (int64_t)st.requests);
    json_add_int64(stats, "retries", (int64_t)st.retries);
    json_add_int64(stats, "bytes_received", (int64_t)st.bytes_received);
    return stats;
}

/* The whole document as one tree (for the text summary). */
static cJSON *snapshot_json(const struct snapshot *s)
{
    cJSON *root = header_json(s), *queues = cJSON_CreateArray(), *topics = cJSON_CreateArray();

    for (size_t i = 0; i < store_count(s->store, "queue"); i++)
        cJSON_AddItemToArray(queues, queue_json(s->store, store_at(s->store, "queue", i)));
    cJSON_AddItemToObject(root, "queues", queues);
    for (size_t i = 0; i < store_count(s->store, "topic"); i++)
        cJSON_AddItemToArray(topics, topic_json(store_at(s->store, "topic", i)));
    cJSON_AddItemToObject(root, "topics", topics);
    cJSON_AddItemToObject(root, "buckets", buckets_json(s->store));
    cJSON_AddItemToObject(root, "expiries", expiries_json(s));
    cJSON_AddItemToObject(root, "errors", errors_json(s->store));
    cJSON_AddItemToObject(root, "stats", stats_json(s));
    return root;
}

/* Prints one JSON value made terminal-safe, then frees it. */
static void emit_value(FILE *out, cJSON *v)
{
    char *text = cJSON_PrintUnformatted(v);
    char *safe = sanitize_json(text);

    fputs(safe, out);
    free(safe);
    free(text);
    cJSON_Delete(v);
}

static void emit_member(FILE *out, const char *key, cJSON *v, bool last)
{
    fprintf(out, "\"%s\": ", key);   /* our own keys: nothing to escape */
    emit_value(out, v);
    fputs(last ? "\n" : ",\n", out);
}

/* The document streamed a member at a time and a queue per line: 1000 queues are never held
 * as a tree and as text at once, which keeps peak memory near the inventory's own size.
 * Rows come in key order: queues by URL, topics by ARN, buckets by name. */
static void emit_json(const struct snapshot *s, FILE *out)
{
    cJSON *head = header_json(s), *it;

    fputs("{\n", out);
    while ((it = head->child)) {
        cJSON_DetachItemViaPointer(head, it);
        emit_member(out, it->string, it, false);
    }
    cJSON_Delete(head);

    fputs("\"queues\": [", out);
    for (size_t i = 0; i < store_count(s->store, "queue"); i++) {
        fputs(i ? ",\n" : "\n", out);
        emit_value(out, queue_json(s->store, store_at(s->store, "queue", i)));
    }
    fputs("\n],\n\"topics\": [", out);
    for (size_t i = 0; i < store_count(s->store, "topic"); i++) {
        fputs(i ? ",\n" : "\n", out);
        emit_value(out, topic_json(store_at(s->store, "topic", i)));
    }
    fputs("\n],\n", out);
    emit_member(out, "buckets", buckets_json(s->store), false);
    emit_member(out, "expiries", expiries_json(s), false);
    emit_member(out, "errors", errors_json(s->store), false);
    emit_member(out, "stats", stats_json(s), true);
    fputs("}\n", out);
}
static void print_text(const cJSON *root)
{
    const cJSON *id = cJSON_GetObjectItem(root, "identity"), *it;
    const cJSON *queues = cJSON_GetObjectItem(root, "queues");
    const cJSON *topics = cJSON_GetObjectItem(root, "topics");
    const cJSON *errors = cJSON_GetObjectItem(root, "errors");
    int nq = cJSON_GetArraySize(queues), ndlq = 0;
    char *s1, *s2;

    s1 = sanitize_text(cJSON_GetObjectItem(id, "arn")->valuestring,
                       strlen(cJSON_GetObjectItem(id, "arn")->valuestring));
    s2 = sanitize_text(cJSON_GetStringValue(cJSON_GetObjectItem(root, "profile")),
                       strlen(cJSON_GetStringValue(cJSON_GetObjectItem(root, "profile"))));
    printf("%s  profile %s  region %s\n", s1, s2,
           cJSON_IsString(cJSON_GetObjectItem(root, "region"))
               ? cJSON_GetObjectItem(root, "region")->valuestring : "-");
    free(s1);
    free(s2);
    cJSON_ArrayForEach(it, queues)
        ndlq += cJSON_IsTrue(cJSON_GetObjectItem(it, "is_dlq"));
    printf("%d queues (%d dead-letter), %d topics, %d buckets\n", nq, ndlq,
           cJSON_GetArraySize(topics), cJSON_GetArraySize(cJSON_GetObjectItem(root, "buckets")));
    cJSON_ArrayForEach(it, queues) {
        const cJSON *v = cJSON_GetObjectItem(it, "visible");
        const char *name = cJSON_GetObjectItem(it, "name")->valuestring;
        double visible;
        /* counts are exact integers (json_int64): read as such, not as cJSON numbers */
        if (!cJSON_IsTrue(cJSON_GetObjectItem(it, "is_dlq")) || !json_number(v, &visible) ||
            visible <= 0)
            continue;
        s1 = sanitize_text(name, strlen(name));
        if (cJSON_IsRaw(v))
            printf("  DLQ %-40s %10s messages\n", s1, v->valuestring);
        else
            printf("  DLQ %-40s %10.0f messages\n", s1, visible);
        free(s1);
    }
    cJSON_ArrayForEach(it, topics) {
        const cJSON *p = cJSON_GetObjectItem(it, "pending_in_list");
        const cJSON *f = cJSON_GetObjectItem(it, "failed_notifications");
        const char *name = cJSON_GetObjectItem(it, "name")->valuestring;
        double pending = 0;
        json_number(p, &pending);
        if (pending <= 0 && !(cJSON_IsNumber(f) && f->valuedouble > 0))
            continue;
        s1 = sanitize_text(name, strlen(name));
        if (cJSON_IsNumber(f))
            printf("  topic %-38s %4.0f pending subscriptions, %.0f failed deliveries (1 h)\n",
                   s1, pending, f->valuedouble);
        else
            printf("  topic %-38s %4.0f pending subscriptions\n", s1, pending);
        free(s1);
    }
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(root, "expiries")) {
        const char *state = cJSON_GetObjectItem(it, "state")->valuestring;
        const cJSON *at = cJSON_GetObjectItem(it, "expires_at");
        char *what;

        if (strcmp(state, "ok") == 0 || strcmp(state, "unknown") == 0)
            continue;
        what = xasprintf("%s %s", cJSON_GetObjectItem(it, "what")->valuestring,
                         cJSON_GetObjectItem(it, "whose")->valuestring);
        s1 = sanitize_text(what, strlen(what));
        printf("  %-8s %-40s %s\n", state, s1, cJSON_IsString(at) ? at->valuestring : "-");
        free(s1);
        free(what);
    }
    cJSON_ArrayForEach(it, errors) {
        const char *m = cJSON_GetObjectItem(it, "message")->valuestring;
        s1 = sanitize_text(m, strlen(m));
        printf("  warning: %s\n", s1);
        free(s1);
    }
}

/* --- run -------------------------------------------------------------------------------- */

static int report_failure(const struct aws_error *err, const char *profile)
{
    char line[1200];

    aws_error_describe(err, profile, line, sizeof(line));
    fprintf(stderr, "opsdeck: %s\n", line);
    return 1;
}

int snapshot_run(const struct snapshot_opts *opts)
{
    struct aws_config_opts co = {
        .profile = opts->profile, .region = opts->region, .endpoint_url = opts->endpoint_url};
    struct snapshot s;
    const struct aws_credentials *creds;
    const struct aws_error *fatal;
    struct aws_error err;
    int rc = 0;

    memset(&s, 0, sizeof(s));
    s.started = time(NULL);
    s.app = appconfig_load(NULL);
    aws_error_clear(&err);
    s.cfg = aws_config_new(&co, &err);
    if (!s.cfg) {
        appconfig_free(s.app);
        return report_failure(&err, opts->profile ? opts->profile : "default");
    }
    if (!s.cfg->region) {
        fprintf(stderr, "opsdeck: no region for profile '%s': pass --region, set AWS_REGION, "
                        "or add `region = ...` to the profile in %s\n",
                s.cfg->profile, s.cfg->config_file);
        aws_config_free(s.cfg);
        appconfig_free(s.app);
        return 1;
    }
    s.cm = creds_manager_new(s.cfg);
    creds_manager_set_mfa(s.cm, creds_mfa_tty_ask, NULL, NULL, opts->mfa_code);
    s.client = aws_client_new(s.cfg, creds_manager_source(s.cm), NULL);
    /* fail before any request when there are no credentials at all: one clear line */
    if (cmdwait_credentials(s.cm, s.client, &creds, &err) == CREDS_ERROR) {
        rc = report_failure(&err, s.cfg->profile);
        aws_client_free(s.client);
        creds_manager_free(s.cm);
        aws_config_free(s.cfg);
        appconfig_free(s.app);
        return rc;
    }
    s.store = store_new();

    run_sources(&s);

    if ((fatal = inventory_failure(s.store))) {
        rc = report_failure(fatal, s.cfg->profile);
    } else if (opts->json) {
        emit_json(&s, stdout);
    } else {
        cJSON *root = snapshot_json(&s);

        print_text(root);
        cJSON_Delete(root);
    }
    if (!fatal && (fflush(stdout) != 0 || ferror(stdout))) {
        perror("opsdeck: writing the snapshot");
        rc = 1;
    }
    aws_client_free(s.client);
    store_free(s.store);
    creds_manager_free(s.cm);
    aws_config_free(s.cfg);
    appconfig_free(s.app);
    return rc;
}

int cmd_snapshot(const struct global_opts *g, int argc, char **argv)
{
    struct snapshot_opts so = {
        .profile = g->profile, .region = g->region, .endpoint_url = g->endpoint_url,
        .mfa_code = g->mfa_code, .json = g->json};

    if (argc > 1) {
        fprintf(stderr, "opsdeck: snapshot takes no arguments, got '%s' (see --help)\n",
                argv[1]);
        return 2;
    }
    return snapshot_run(&so);
}
