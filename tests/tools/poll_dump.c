/* poll_dump - the poller and every source on the real loop, driven line by line from
 * stdin, for test_poller_moto.py. Builds config, credentials and client as `opsdeck
 * snapshot` does.
 *
 *   poll_dump [--endpoint-url URL] [--profile P] [--region R] [--interval SECONDS]
 *             [--config FILE]
 *
 * --interval sets every view's poll interval (the tests use an hour, so that only
 * `refresh` starts a cycle and each `run 1` is exactly one cycle however slow the machine).
 * --config reads opsdeck's own config (its toggles and [expiry NAME] sections); else the
 * defaults.
 *
 * Commands, one per line on stdin (answers on stdout):
 *   run N        runs the loop until N more rounds have ended (from busy to idle) and no
 *                cycle is under way or due; prints "ran cycles=C delay=D" (C: rounds so
 *                far, D: poller_tick's last answer)
 *   refresh      poller_refresh (what the view shows is due now)
 *   view NAME    poller_set_view (overview, sqs, dlq, sns, ...)
 *   detail URL   poller_set_detail; "detail -" closes it
 *   screen [URL...]  poller_set_on_screen: these rows are on screen, the others not
 *   dump         the whole store as JSON lines, then "END":
 *                {"kind", "key", "fields": {name: value or null}, "stale", "error",
 *                 "history": {numeric field: [values, oldest first]}}
 *                and one {"kind_info": kind, "stale", "count", "error"} line per kind
 *   sched        one JSON line: per source {running, failures, started, interval_ms,
 *                effective_ms}
 *   quit
 * OPSDECK_HTTP_TIMEOUT_MS / OPSDECK_CONNECT_TIMEOUT_MS shorten the client's timeouts and
 * OPSDECK_MAX_ATTEMPTS its attempts (a stopped server is then found out quickly). */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf/appconfig.h"
#include "conf/awsconfig.h"
#include "cmd/cmdwait.h"
#include "core/client.h"
#include "creds/creds.h"
#include "poll/poller.h"
#include "poll/poller_sched.h"
#include "poll/sources/sources.h"
#include "poll/store.h"
#include "util/jsonnum.h"
#include "util/sanitize.h"
#include "util/timeutil.h"

static const char *const kinds[] = {"queue", "dlq", "identity", "credential", "mapping", "rule",
                                     "parameter", "toggle_detail", "error", "password", "access_key",
                                     "secret_rotation", "app_password", "bucket", "s3list",
                                     "s3obj", "s3head", "s3ver", "s3verlist",
                                     "topic_failures"};
/* every field of the schema in src/poll/sources/sources.h, by kind */
static const char *const queue_fields[] = {
    "name", "arn", "visible", "in_flight", "delayed", "fifo", "dlq_arn", "dlq_url",
    "max_receive_count", "is_dlq", "age_oldest", "age_oldest_at", "attributes", "redrive_policy",
    "tags", "received_15m", "deleted_15m", NULL};
static const char *const dlq_fields[] = {
    "name", "arn", "visible", "in_flight", "delayed", "age_oldest", "age_oldest_at", "sources",
    "nsources", NULL};
static const char *const identity_fields[] = {"account", "arn", "user_id", NULL};
static const char *const credential_fields[] = {
    "method", "source", "expiry", "refreshable", "active", "refresh_error", "refreshing",
    "usable", NULL};
static const char *const mapping_fields[] = {
    "name", "function", "function_arn", "queue", "queue_arn", "aws_state", "state",
    "state_reason", "last_result", "batch_size", "max_concurrency", "last_modified", NULL};
static const char *const rule_fields[] = {
    "name", "rule", "bus", "arn", "aws_state", "state", "schedule", "pattern", "description",
    "managed_by", NULL};
static const char *const parameter_fields[] = {
    "name", "parameter", "toggle", "description", "exists", "type", "secure", "value", "state",
    "version", "last_modified", NULL};
static const char *const toggle_detail_fields[] = {
    "exists", "targets", "ntargets", "modified_user", "modified", "version", "description", NULL};
static const char *const error_fields[] = {"message", "count", "service", "action", "code", NULL};
static const char *const password_fields[] = {
    "user", "last_changed", "expires", "expire_passwords", "max_age_days", "hard_expiry",
    "reset_required", "report_generated", "unreadable", NULL};
static const char *const access_key_fields[] = {
    "user", "active", "created", "last_used", "last_service", "report_generated", NULL};
static const char *const secret_rotation_fields[] = {
    "name", "rotation_enabled", "rotation_days", "schedule", "last_rotated", "last_changed",
    "next_rotation", "deleted", NULL};
static const char *const app_password_fields[] = {
    "anchor", "lifetime", "warn", "critical", "last_changed", "expires", "unreadable", NULL};
static const char *const bucket_fields[] = {"created", "region", NULL};
static const char *const s3list_fields[] = {"bucket", "prefix", "region", "loaded", "truncated",
                                            "next_token", "pages", "from", "skipped", NULL};
static const char *const s3obj_fields[] = {"type", "size", "mtime", "storage_class", "etag", NULL};
static const char *const s3head_fields[] = {
    "bucket", "key", "version", "size", "content_type", "etag", "mtime", "storage_class", "sse",
    "kms_key_id", "version_id", "delete_marker", "metadata", "restore", "restore_expiry", "tags",
    "tags_error", "preview", "preview_kind", "preview_cut", "preview_error", NULL};
static const char *const s3ver_fields[] = {"version_id", "latest", "delete_marker", "size", "mtime",
                                           "etag", "storage_class", NULL};
static const char *const s3verlist_fields[] = {"bucket", "key", "count", NULL};
static const char *const topic_failures_fields[] = {
    "log_group", "group_exists", "loaded", "more", "unparsed", "records", "covered_from",
    "covered_to", "window_ms", "floor_ms", NULL};

static long env_long(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? strtol(v, NULL, 10) : 0;
}

static const char *const *fields_of(const char *kind)
{
    if (strcmp(kind, "queue") == 0)
        return queue_fields;
    if (strcmp(kind, "dlq") == 0)
        return dlq_fields;
    if (strcmp(kind, "identity") == 0)
        return identity_fields;
    if (strcmp(kind, "credential") == 0)
        return credential_fields;
    if (strcmp(kind, "mapping") == 0)
        return mapping_fields;
    if (strcmp(kind, "rule") == 0)
        return rule_fields;
    if (strcmp(kind, "parameter") == 0)
        return parameter_fields;
    if (strcmp(kind, "toggle_detail") == 0)
        return toggle_detail_fields;
    if (strcmp(kind, "password") == 0)
        return password_fields;
    if (strcmp(kind, "access_key") == 0)
        return access_key_fields;
    if (strcmp(kind, "secret_rotation") == 0)
        return secret_rotation_fields;
    if (strcmp(kind, "app_password") == 0)
        return app_password_fields;
    if (strcmp(kind, "bucket") == 0)
        return bucket_fields;
    if (strcmp(kind, "s3list") == 0)
        return s3list_fields;
    if (strcmp(kind, "s3obj") == 0)
        return s3obj_fields;
    if (strcmp(kind, "s3head") == 0)
        return s3head_fields;
    if (strcmp(kind, "s3ver") == 0)
        return s3ver_fields;
    if (strcmp(kind, "s3verlist") == 0)
        return s3verlist_fields;
    if (strcmp(kind, "topic_failures") == 0)
        return topic_failures_fields;
    return error_fields;
}

static cJSON *value_json(const struct store_value *v)
{
    switch (v->type) {
    case STORE_STR: return cJSON_CreateString(v->u.s);
    case STORE_INT: return json_int64(v->u.i);
    case STORE_DOUBLE: return cJSON_CreateNumber(v->u.d);
    case STORE_UNKNOWN: break;
    }
    return cJSON_CreateNull();
}

static void print_json(cJSON *o)
{
    /* the raw store as JSON: the test compares the exact untrusted text; sanitize_json
     * escapes what cJSON leaves raw (bidi, C1) as \uNNNN, the same string in JSON, so this
     * is also safe when run by hand in a terminal */
    char *text = cJSON_PrintUnformatted(o);
    char *safe = sanitize_json(text);

    puts(safe);
    free(safe);
    free(text);
    cJSON_Delete(o);
}

static void dump(const struct store *s)
{
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        const char *const *names = fields_of(kinds[k]);
        struct store_kind_info info;
        cJSON *ki = cJSON_CreateObject();

        for (size_t i = 0; i < store_count(s, kinds[k]); i++) {
            const struct store_res *r = store_at(s, kinds[k], i);
            const struct aws_error *e = store_res_error(r, NULL);
            cJSON *o = cJSON_CreateObject(), *f = cJSON_CreateObject(), *h = cJSON_CreateObject();

            cJSON_AddStringToObject(o, "kind", kinds[k]);
            cJSON_AddStringToObject(o, "key", store_res_key(r));
            for (size_t n = 0; names[n]; n++) {
                const struct store_value *v = store_res_get(r, names[n]);
                struct store_point pts[STORE_HISTORY_LEN];
                size_t np;
                cJSON_AddItemToObject(f, names[n], value_json(v));
                np = store_res_history(r, names[n], STORE_HISTORY_LEN, pts);
                if (np) {
                    cJSON *arr = cJSON_CreateArray();
                    for (size_t j = 0; j < np; j++)
                        cJSON_AddItemToArray(arr, cJSON_CreateNumber(pts[j].value));
                    cJSON_AddItemToObject(h, names[n], arr);
                }
            }
            cJSON_AddItemToObject(o, "fields", f);
            cJSON_AddBoolToObject(o, "stale", store_res_stale(r));
            cJSON_AddItemToObject(o, "error", e && e->kind != AWS_ERR_NONE
                                                  ? cJSON_CreateString(e->message)
                                                  : cJSON_CreateNull());
            cJSON_AddItemToObject(o, "history", h);
            print_json(o);
        }
        store_kind_info(s, kinds[k], &info);
        cJSON_AddStringToObject(ki, "kind_info", kinds[k]);
        cJSON_AddBoolToObject(ki, "stale", info.stale);
        json_add_int64(ki, "count", (int64_t)info.count);
        cJSON_AddItemToObject(ki, "error", info.error ? cJSON_CreateString(info.error->message)
                                                      : cJSON_CreateNull());
        print_json(ki);
    }
    puts("END");
}

static void print_sched(const struct poller *p)
{
    const struct poller_sched *s = poller_sched_of(p);
    cJSON *o = cJSON_CreateObject();

    for (size_t i = 0; i < s->n; i++) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddBoolToObject(j, "running", s->t[i].running);
        cJSON_AddNumberToObject(j, "failures", s->t[i].failures);
        json_add_int64(j, "started", (int64_t)s->t[i].started);
        json_add_int64(j, "interval_ms", poller_sched_interval(s, i));
        json_add_int64(j, "effective_ms", poller_sched_effective(s, i));
        cJSON_AddItemToObject(o, s->src[i]->name, j);
    }
    print_json(o);
}

static bool view_by_name(const char *name, enum appconfig_view *out)
{
    for (int v = 0; v < APPCONFIG_VIEW_COUNT; v++)
        if (strcmp(appconfig_view_name((enum appconfig_view)v), name) == 0) {
            *out = (enum appconfig_view)v;
            return true;
        }
    return false;
}

static int usage(void)
{
    fprintf(stderr, "usage: poll_dump [--endpoint-url URL] [--profile P] [--region R] "
                    "[--interval SECONDS] [--config FILE] (commands on stdin)\n");
    return 2;
}

int main(int argc, char **argv)
{
    struct aws_config_opts co = {0};
    struct aws_client_opts opts = {0};
    struct aws_error err;
    char line[4096];
    int delay = 0;
    long interval = 0;
    const char *config = NULL;  /* opsdeck's config: declared toggles, [expiry NAME] */

    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc)
            return usage();
        if (strcmp(argv[i], "--endpoint-url") == 0)
            co.endpoint_url = argv[++i];
        else if (strcmp(argv[i], "--profile") == 0)
            co.profile = argv[++i];
        else if (strcmp(argv[i], "--region") == 0)
            co.region = argv[++i];
        else if (strcmp(argv[i], "--interval") == 0)
            interval = strtol(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--config") == 0)
            config = argv[++i];
        else
            return usage();
    }
    aws_error_clear(&err);
    struct aws_config *cfg = aws_config_new(&co, &err);
    if (!cfg) {
        fprintf(stderr, "poll_dump: %s\n", err.message);
        return 1;
    }
    struct appconfig *app = config ? appconfig_load(config) : appconfig_new();
    if (interval > 0 && interval <= APPCONFIG_INTERVAL_MAX) {
        app->interval_default = (int)interval;
        for (int v = 0; v < APPCONFIG_VIEW_COUNT; v++)
            app->interval[v] = 0;   /* 0: the default */
    }
    struct creds_manager *cm = creds_manager_new(cfg);
    const struct aws_credentials *creds;

    opts.timeout_ms = env_long("OPSDECK_HTTP_TIMEOUT_MS");
    opts.connect_timeout_ms = env_long("OPSDECK_CONNECT_TIMEOUT_MS");
    opts.max_attempts = (int)env_long("OPSDECK_MAX_ATTEMPTS");
    opts.max_in_flight = app->max_in_flight;
    struct aws_client *client = aws_client_new(cfg, creds_manager_source(cm), &opts);

    /* as the snapshot does: credentials first, one line if there are none */
    if (cmdwait_credentials(cm, client, &creds, &err) == CREDS_ERROR) {
        fprintf(stderr, "poll_dump: %s\n", err.message);
        aws_client_free(client);
        creds_manager_free(cm);
        appconfig_free(app);
        aws_config_free(cfg);
        return 1;
    }
    struct store *store = store_new();
    struct poller_opts po = {.client = client, .store = store, .app = app, .creds = cm,
                             .profile = cfg->profile, .sources = source_registry};
    struct poller *p = poller_new(&po);

    setvbuf(stdout, NULL, _IOLBF, 0);
    while (fgets(line, sizeof(line), stdin)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (strncmp(line, "run ", 4) == 0) {
            unsigned long target = poller_rounds(p) + strtoul(line + 4, NULL, 10);
            for (;;) {
                delay = poller_tick(p, timeutil_mono_ms());
                if (poller_rounds(p) >= target && !poller_busy(p))
                    break;
                aws_client_run(client, NULL, 0, delay);
            }
            printf("ran cycles=%lu delay=%d\n", poller_rounds(p), delay);
        } else if (strcmp(line, "refresh") == 0) {
            poller_refresh(p);
            puts("ok");
        } else if (strncmp(line, "view ", 5) == 0) {
            enum appconfig_view v;
            if (view_by_name(line + 5, &v)) {
                poller_set_view(p, v);
                puts("ok");
            } else {
                puts("error: unknown view");
            }
        } else if (strncmp(line, "detail ", 7) == 0) {
            poller_set_detail(p, strcmp(line + 7, "-") == 0 ? NULL : line + 7);
            puts("ok");
        } else if (strncmp(line, "screen", 6) == 0 && (!line[6] || line[6] == ' ')) {
            const char *keys[64];
            size_t n = 0;

            for (char *tok = strtok(line + 6, " "); tok && n < 64; tok = strtok(NULL, " "))
                keys[n++] = tok;
            poller_set_on_screen(p, keys, n);
            puts("ok");
        } else if (strcmp(line, "dump") == 0) {
            dump(store);
        } else if (strcmp(line, "sched") == 0) {
            print_sched(p);
        } else if (strcmp(line, "quit") == 0) {
            break;
        } else {
            puts("error: unknown command");
        }
    }
    aws_client_free(client);   /* cancels what is pending, without callbacks */
    poller_free(p);
    store_free(store);
    creds_manager_free(cm);
    appconfig_free(app);
    aws_config_free(cfg);
    return 0;
}
