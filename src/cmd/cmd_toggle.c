/* cmd_toggle.c - `opsdeck toggle list [--json]` and `opsdeck toggle set NAME on|off [--yes]`:
 * the toggles view without a screen. list reads the switches once with the view's own
 * sources (Lambda SQS triggers, EventBridge rules, declared SSM toggles and the parameters
 * under [toggles] paths) and prints them; set flips one with the view's own action, through
 * the same gate (act/headless.h: read-only refuses before any request, reads included; the
 * confirmation is asked on the terminal or given with --yes; the write is audited), then
 * reads it back until AWS says the new state. NAME is a declared toggle's name (or its
 * parameter), a rule's name ("BUS/RULE" off the default bus), or an event-source mapping's
 * UUID or "FUNCTION:QUEUE". A switch already in the asked state is left alone. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "act/action.h"
#include "act/gate.h"
#include "act/headless.h"
#include "cmd/commands.h"
#include "conf/appconfig.h"
#include "conf/awsconfig.h"
#include "core/client.h"
#include "creds/creds.h"
#include "creds/mfa_tty.h"
#include "poll/poller.h"
#include "poll/sources/sources.h"
#include "poll/sources/togglestate.h"
#include "poll/store.h"
#include "util/jsonnum.h"
#include "util/sanitize.h"
#include "util/timeutil.h"
#include "util/xalloc.h"


static const struct source *const list_sources[] = {
    &mappings_source, &rules_source, &parameters_source, NULL};
static const struct source *const set_sources[] = {
    &identity_source, &mappings_source, &rules_source, &parameters_source, NULL};

struct session {
    struct appconfig *app;
    struct aws_config *cfg;
    struct creds_manager *cm;
    struct aws_client *client;
    struct gate *gate;
    struct store *store;
};

static int64_t mono_ms(void *arg)
{
    (void)arg;
    return timeutil_mono_ms();
}

static void put_clean(FILE *out, const char *s)
{
    char *clean = sanitize_text(s ? s : "", strlen(s ? s : ""));

    fputs(clean, out);
    free(clean);
}

static int fail_err(const struct aws_error *err, const char *profile)
{
    char line[1200];

    aws_error_describe(err, profile, line, sizeof(line));
    fprintf(stderr, "opsdeck: %s\n", line);
    return 1;
}

static void session_done(struct session *s)
{
    aws_client_free(s->client);
    gate_free(s->gate);
    creds_manager_free(s->cm);
    aws_config_free(s->cfg);
    store_free(s->store);
    appconfig_free(s->app);
}

/* Config, credentials, client and gate; read-only refuses here, before any request. */
static int session_init(struct session *s, const struct global_opts *g)
{
    struct aws_config_opts co = {
        .profile = g->profile, .region = g->region, .endpoint_url = g->endpoint_url};
    struct gate_policy pol = {.read_only = g->read_only, .allow_writes = g->allow_writes};
    struct aws_error err;

    memset(s, 0, sizeof(*s));
    s->app = appconfig_load(NULL);
    s->store = store_new();
    aws_error_clear(&err);
    s->cfg = aws_config_new(&co, &err);
    if (!s->cfg)
        return fail_err(&err, g->profile ? g->profile : "default");
    s->cm = creds_manager_new(s->cfg);
    creds_manager_set_mfa(s->cm, creds_mfa_tty_ask, NULL, NULL, g->mfa_code);
    s->client = aws_client_new(s->cfg, creds_manager_source(s->cm), NULL);
    s->gate = gate_new(s->client, s->app, s->cfg->profile, s->cfg->region, &pol, NULL);
    return 0;
}

/* The sources once, into the session's store (the snapshot's way). */
static void session_read(struct session *s, const struct source *const *sources)
{
    struct poller_opts po = {
        .client = s->client, .store = s->store, .creds = s->cm, .app = s->app,
        .profile = s->cfg->profile, .sources = sources, .once = true};
    struct poller *p = poller_new(&po);

    for (;;) {
        int delay = poller_tick(p, timeutil_mono_ms());

        if (!poller_busy(p))
            break;
        aws_client_run(s->client, NULL, 0, delay);
    }
    poller_free(p);
}

/* A kind that could not be read: one line on stderr; 1, else 0. */
static int kind_failed(const struct session *s, size_t k)
{
    struct store_kind_info info;
    char line[1200];

    store_kind_info(s->store, togglestate_kinds[k].kind, &info);
    if (info.fetched && !info.stale)
        return 0;
    if (info.last_error)
        aws_error_describe(info.last_error, s->cfg->profile, line, sizeof(line));
    else
        snprintf(line, sizeof(line), "no answer");
    fprintf(stderr, "opsdeck: cannot read %s: ", togglestate_kinds[k].what);
    put_clean(stderr, line);
    fputc('\n', stderr);
    return 1;
}

/* AWS's word: a state, or a parameter's plain value; never a secure one. */
static const char *aws_says(const struct store_res *r)
{
    int64_t secure = 0;

    if (store_res_str(r, "aws_state"))
        return store_res_str(r, "aws_state");
    if (store_res_int(r, "secure", &secure) && secure)
        return "(secure)";
    return store_res_str(r, "value") ? store_res_str(r, "value") : "-";
}

static cJSON *row_json(size_t k, const struct store_res *r)
{
    cJSON *o = cJSON_CreateObject();
    int64_t v, secure = 0;

    cJSON_AddStringToObject(o, "type", togglestate_kinds[k].type);
    cJSON_AddStringToObject(o, "name", store_res_str(r, "name") ? store_res_str(r, "name")
                                                                : store_res_key(r));
    cJSON_AddStringToObject(o, "key", store_res_key(r));
    cJSON_AddStringToObject(o, "state", store_res_str(r, "state") ? store_res_str(r, "state")
                                                                  : TOGGLE_UNKNOWN);
    if (store_res_str(r, "aws_state"))
        cJSON_AddStringToObject(o, "aws_state", store_res_str(r, "aws_state"));
    store_res_int(r, "secure", &secure);
    if (store_res_str(r, "value") && !secure)
        cJSON_AddStringToObject(o, "value", store_res_str(r, "value"));
    if (strcmp(togglestate_kinds[k].kind, "parameter") == 0) {
        cJSON_AddBoolToObject(o, "declared", store_res_str(r, "toggle") != NULL);
        cJSON_AddBoolToObject(o, "secure", secure != 0);
    }
    if (store_res_int(r, "last_modified", &v))
        json_add_int64(o, "last_modified", v);
    else
        cJSON_AddNullToObject(o, "last_modified");
    return o;
}

static int toggle_list(const struct global_opts *g)
{
    struct session s;
    int rc = session_init(&s, g), failed = 0;
    cJSON *arr = NULL;

    if (rc != 0) {
        session_done(&s);
        return rc;
    }
    session_read(&s, list_sources);
    if (g->json)
        arr = cJSON_CreateArray();
    else
        printf("%-8s %-40s %-9s %-10s %s\n", "TYPE", "NAME", "STATE", "AWS SAYS", "CHANGED");
    for (size_t k = 0; k < TOGGLESTATE_NKINDS; k++) {
        failed |= kind_failed(&s, k);
        for (size_t i = 0; i < store_count(s.store, togglestate_kinds[k].kind); i++) {
            const struct store_res *r = store_at(s.store, togglestate_kinds[k].kind, i);
            char *name, *says, when[32] = "-";
            int64_t mod;

            if (arr) {
                cJSON_AddItemToArray(arr, row_json(k, r));
                continue;
            }
            name = sanitize_text(store_res_str(r, "name"), strlen(store_res_str(r, "name")));
            says = sanitize_text(aws_says(r), strlen(aws_says(r)));
            if (store_res_int(r, "last_modified", &mod) && mod > 0) {
                time_t t = (time_t)mod;
                struct tm tm;

                gmtime_r(&t, &tm);
                strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
            }
            printf("%-8s %-40s %-9s %-10s %s\n", togglestate_kinds[k].type, name,
                   store_res_str(r, "state") ? store_res_str(r, "state") : TOGGLE_UNKNOWN,
                   says, when);
            free(name);
            free(says);
        }
    }
    if (arr) {
        char *text = cJSON_PrintUnformatted(arr);

        /* cJSON escapes control characters: the JSON is safe for a terminal */
        printf("%s\n", text);
        free(text);
        cJSON_Delete(arr);
    }
    if (fflush(stdout) != 0)
        failed = 1;
    session_done(&s);
    return failed ? 1 : 0;
}

/* The row NAME names: a row's name, or its key (a UUID, BUS/RULE, a parameter's name). */
static const struct store_res *find_row(const struct store *st, const char *name,
                                        const char **kind)
{
    for (size_t k = 0; k < TOGGLESTATE_NKINDS; k++) {
        const struct store_res *r = store_find(st, togglestate_kinds[k].kind, name);

        for (size_t i = 0; !r && i < store_count(st, togglestate_kinds[k].kind); i++) {
            const struct store_res *c = store_at(st, togglestate_kinds[k].kind, i);
            const char *n = store_res_str(c, "name");

            if (n && strcmp(n, name) == 0)
                r = c;
        }
        if (r) {
            *kind = togglestate_kinds[k].kind;
            return r;
        }
    }
    return NULL;
}

static int toggle_set(const struct global_opts *g, const char *name, bool on)
{
    struct act_headless h = {.yes = g->yes, .stdin_tty = isatty(STDIN_FILENO)};
    struct session s;
    const struct store_res *r, *id;
    const char *kind = NULL, *state;
    struct act_run *run = NULL;
    char why[1024];
    int rc = session_init(&s, g), failed = 0;

    if (rc != 0)
        goto out;
    rc = 1;
    /* read-only: refused before anything at all is sent, reads included */
    if (gate_read_only(s.gate, why, sizeof(why))) {
        fprintf(stderr, "opsdeck: %s\n", why);
        goto out;
    }
    session_read(&s, set_sources);
    r = find_row(s.store, name, &kind);
    if (!r) {
        for (size_t k = 0; k < TOGGLESTATE_NKINDS; k++)
            failed |= kind_failed(&s, k);
        fputs("opsdeck: no toggle, rule or trigger named '", stderr);
        put_clean(stderr, name);
        fprintf(stderr, "' in profile %s%s: `opsdeck toggle list` shows the names\n",
                s.cfg->profile, failed ? " (and some could not be read)" : "");
        goto out;
    }
    state = store_res_str(r, "state");
    if (state && strcmp(state, on ? TOGGLE_ON : TOGGLE_OFF) == 0) {
        put_clean(stdout, store_res_str(r, "name"));
        printf(" is already %s: nothing sent\n", state);
        rc = fflush(stdout) != 0;
        goto out;
    }
    id = store_find(s.store, "identity", "caller");
    gate_set_identity(s.gate, id ? store_res_str(id, "arn") : NULL,
                      id ? store_res_str(id, "account") : NULL);
    struct act_env env = {.gate = s.gate, .store = s.store, .app = s.app, .clock = mono_ms};
    struct act_target t = {.kind = kind, .key = store_res_key(r),
                           .name = store_res_str(r, "name")};
    run = act_run_new(&toggle_flip_action, &env, &t);
    rc = act_headless_run(run, s.client, &h, stderr);
    if (rc == 0) {
        put_clean(stdout, act_run_result(run));
        fputc('\n', stdout);
        if (fflush(stdout) != 0)
            rc = 1;
    }
out:
    act_run_free(run);
    session_done(&s);
    return rc;
}

static int usage(void)
{
    fputs("usage: opsdeck toggle list [--json]\n"
          "       opsdeck toggle set NAME on|off [--yes]\n", stderr);
    return 2;
}

int cmd_toggle(const struct global_opts *g, int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "list") == 0)
        return toggle_list(g);
    if (argc == 4 && strcmp(argv[1], "set") == 0 &&
        (strcmp(argv[3], "on") == 0 || strcmp(argv[3], "off") == 0))
        return toggle_set(g, argv[2], strcmp(argv[3], "on") == 0);
    return usage();
}
