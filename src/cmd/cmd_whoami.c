/* cmd_whoami.c - `opsdeck whoami [--json]`: who the credentials are (STS GetCallerIdentity),
 * which step of the provider chain produced them, and when they expire. Never a secret: only
 * the identity AWS reports and the credentials' source text (which holds no key material). */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/sts.h"
#include "cmd/cmdwait.h"
#include "conf/awsconfig.h"
#include "core/client.h"
#include "cmd/commands.h"
#include "creds/creds.h"
#include "creds/mfa_tty.h"
#include "util/jsonnum.h"
#include "util/sanitize.h"
#include "util/xalloc.h"
#include "util/timeutil.h"

struct whoami {
    int done;                   /* 1 answered, -1 failed */
    struct sts_identity id;
    struct aws_error err;
};

static void on_identity(const struct aws_response *resp, const struct aws_error *err, void *ud)
{
    struct whoami *w = ud;

    if (err) {
        w->err = *err;
        w->done = -1;
        return;
    }
    w->done = sts_get_caller_identity_parse(resp, &w->id, &w->err) == 0 ? 1 : -1;
    if (w->done < 0) {
        snprintf(w->err.service, sizeof(w->err.service), "sts");
        snprintf(w->err.action, sizeof(w->err.action), "GetCallerIdentity");
    }
}

static int fail(const struct aws_error *err, const char *profile)
{
    char line[1200];

    aws_error_describe(err, profile, line, sizeof(line));
    fprintf(stderr, "opsdeck: %s\n", line);
    return 1;
}

/* "1h 02m", "3d 4h", "45s": time left, coarse enough to read at a glance. */
static void format_left(long long s, char *out, size_t len)
{
    if (s < 0)
        snprintf(out, len, "expired %lld s ago", -s);
    else if (s >= 86400)
        snprintf(out, len, "%lldd %lldh left", s / 86400, s % 86400 / 3600);
    else if (s >= 3600)
        snprintf(out, len, "%lldh %02lldm left", s / 3600, s % 3600 / 60);
    else if (s >= 60)
        snprintf(out, len, "%lldm %02llds left", s / 60, s % 60);
    else
        snprintf(out, len, "%llds left", s);
}

/* Untrusted text (AWS's answer, names from the config file) made safe for the terminal. */
static void print_field(const char *label, const char *value)
{
    char *v = sanitize_text(value ? value : "", value ? strlen(value) : 0);

    printf("%-10s %s\n", label, v);
    free(v);
}

static void print_text(const struct aws_config *cfg, const struct whoami *w, const char *method,
                       const struct aws_credentials *c, time_t now)
{
    char exp[64], left[48], *prof;

    print_field("account:", w->id.account);
    print_field("arn:", w->id.arn);
    print_field("user id:", w->id.user_id ? w->id.user_id : "(not given)");
    prof = xasprintf("%s (from %s)", cfg->profile, cfg->profile_source);
    print_field("profile:", prof);
    free(prof);
    print_field("provider:", method);
    print_field("source:", c->source);
    if (c->expiration == 0) {
        print_field("expires:", "does not expire");
    } else {
        char iso[21], *line;

        timeutil_format_iso8601((int64_t)c->expiration, iso);
        format_left((long long)(c->expiration - now), left, sizeof(left));
        snprintf(exp, sizeof(exp), "%.10s %.8s UTC", iso, iso + 11);
        line = xasprintf("%s (%s)", exp, left);
        print_field("expires:", line);
        free(line);
    }
}

static void print_json(const struct aws_config *cfg, const struct whoami *w, const char *method,
                       const struct aws_credentials *c, time_t now)
{
    cJSON *o = cJSON_CreateObject();
    char *s, *safe;

    cJSON_AddStringToObject(o, "account", w->id.account);
    cJSON_AddStringToObject(o, "arn", w->id.arn);
    if (w->id.user_id)
        cJSON_AddStringToObject(o, "user_id", w->id.user_id);
    else
        cJSON_AddNullToObject(o, "user_id");
    cJSON_AddStringToObject(o, "profile", cfg->profile);
    cJSON_AddStringToObject(o, "profile_source", cfg->profile_source);
    cJSON_AddStringToObject(o, "provider", method);
    cJSON_AddStringToObject(o, "source", c->source);
    if (c->expiration == 0) {
        cJSON_AddNullToObject(o, "expiration");
        cJSON_AddNullToObject(o, "expires_in_seconds");
    } else {
        char iso[21];

        timeutil_format_iso8601((int64_t)c->expiration, iso);
        cJSON_AddStringToObject(o, "expiration", iso);
        json_add_int64(o, "expires_in_seconds", (int64_t)(c->expiration - now));
    }
    s = cJSON_PrintUnformatted(o);
    safe = sanitize_json(s);
    puts(safe);
    free(safe);
    free(s);
    cJSON_Delete(o);
}

int cmd_whoami(const struct global_opts *g, int argc, char **argv)
{
    struct aws_config_opts co = {
        .profile = g->profile, .region = g->region, .endpoint_url = g->endpoint_url};
    struct aws_config *cfg;
    struct creds_manager *cm;
    struct aws_client *client;
    const struct aws_credentials *c;
    struct aws_request r;
    struct aws_error err;
    struct whoami w;
    const char *method;
    int rc = 1;

    if (argc > 1) {
        fprintf(stderr, "opsdeck: whoami takes no arguments, got '%s' (see --help)\n",
                argv[1]);
        return 2;
    }
    memset(&w, 0, sizeof(w));
    aws_error_clear(&err);
    cfg = aws_config_new(&co, &err);
    if (!cfg)
        return fail(&err, g->profile ? g->profile : "default");
    cm = creds_manager_new(cfg);
    creds_manager_set_mfa(cm, creds_mfa_tty_ask, NULL, NULL, g->mfa_code);
    client = aws_client_new(cfg, creds_manager_source(cm), NULL);
    if (cmdwait_credentials(cm, client, &c, &err) != CREDS_OK) {
        rc = fail(&err, cfg->profile);
        goto out;
    }
    sts_get_caller_identity_request(&r);
    aws_client_send(client, &r, on_identity, &w);
    while (w.done == 0 && aws_client_pending(client) > 0)
        aws_client_run(client, NULL, 0, 1000);
    if (w.done != 1) {
        rc = fail(&w.err, cfg->profile);
    } else {
        /* the credentials may have been refreshed by the client: ask again (cached) */
        if (cmdwait_credentials(cm, client, &c, &err) != CREDS_OK) {
            rc = fail(&err, cfg->profile);
        } else {
            method = creds_manager_method(cm);
            if (g->json)
                print_json(cfg, &w, method ? method : "?", c, time(NULL));
            else
                print_text(cfg, &w, method ? method : "?", c, time(NULL));
            rc = 0;
            if (fflush(stdout) != 0 || ferror(stdout)) {
                perror("opsdeck: writing the identity");
                rc = 1;
            }
        }
    }
out:
    sts_identity_free(&w.id);
    aws_client_free(client);
    creds_manager_free(cm);
    aws_config_free(cfg);
    return rc;
}
