/* cmd_s3.c - `opsdeck s3 presign s3://BUCKET/KEY [--expires DURATION]`: the console's `u`
 * (act/presign.c) without a screen. The URL goes to stdout, alone on its line; what limit
 * cut its validity goes to stderr. The bucket's region is asked first (HeadBucket, a read:
 * the URL must be signed for the region S3 serves it from); the URL itself is signed here
 * and nothing else is sent, so read-only mode allows it. Exit status: 0 the URL printed,
 * 1 no credentials or they expired, 2 usage. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "act/action.h"
#include "act/gate.h"
#include "act/headless.h"
#include "act/presign.h"
#include "aws/s3.h"
#include "cmd/cmd_write.h"
#include "cmd/commands.h"
#include "conf/appconfig.h"
#include "creds/creds.h"
#include "creds/mfa_tty.h"
#include "poll/sources/s3detail.h"
#include "poll/store.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

static int usage(void)
{
    fputs("usage: opsdeck s3 presign s3://BUCKET/KEY [--expires DURATION]\n", stderr);
    return 2;
}

/* The bucket's region into its "bucket" row, where the action looks for it; when S3 does
 * not say, the profile's region is used (and stderr says so). */
static void bucket_region(struct aws_client *client, const struct aws_config *cfg,
                          struct store *store, const char *bucket)
{
    struct s3_location loc;
    struct aws_request req;
    struct aws_error err;
    struct cmd_call call;
    struct store_res *r;
    char region[32] = "";
    int rc;

    aws_error_clear(&err);
    if (strncmp(bucket, "arn:", 4) == 0 || s3_detail_locate(cfg, bucket, NULL, &loc, &err) < 0)
        return;  /* an ARN names its region; a bad endpoint is said by the action */
    s3_head_bucket_request(&req, &loc);
    s3_location_done(&loc);
    rc = cmd_call(client, &req, &call);
    aws_request_done(&req);
    if (s3_bucket_region(rc == 0 ? &call.resp : NULL, rc == 0 ? NULL : &call.err, region) < 0) {
        char *clean = sanitize_text(bucket, strlen(bucket));

        fprintf(stderr, "opsdeck: the region of bucket %s is not known (HeadBucket did not "
                "say): signed for %s\n", clean, cfg->region ? cfg->region : "us-east-1");
        free(clean);
    } else {
        r = store_update_begin(store, "bucket", bucket);
        store_set_str(r, "region", region);
        store_update_commit(r);
    }
    aws_response_done(&call.resp);
}

static int presign(const struct global_opts *g, const char *url)
{
    struct aws_config_opts co = {
        .profile = g->profile, .region = g->region, .endpoint_url = g->endpoint_url};
    struct gate_policy pol = {.read_only = g->read_only, .allow_writes = g->allow_writes};
    struct act_headless h = {.stdin_tty = isatty(STDIN_FILENO)};
    struct s3_detail d = {.what = S3_DETAIL_OBJECT};
    const struct aws_credentials *cr;
    struct appconfig *app = NULL;
    struct aws_config *cfg = NULL;
    struct creds_manager *cm = NULL;
    struct aws_client *client = NULL;
    struct gate *gate = NULL;
    struct store *store = NULL;
    struct act_run *run = NULL;
    struct aws_error err;
    enum cred_status st;
    const char *slash, *out;
    char *key = NULL, *name = NULL, why[1024];
    size_t bad;
    int rc = 1;

    if (strncmp(url, "s3://", 5) != 0 || !(slash = strchr(url + 5, '/')) || slash == url + 5 ||
        !slash[1])
        return usage();
    d.bucket = xstrndup(url + 5, (size_t)(slash - url - 5));
    d.path = xstrdup(slash + 1);
    aws_error_clear(&err);
    cfg = aws_config_new(&co, &err);
    if (!cfg) {
        rc = cmd_fail_err(&err, g->profile ? g->profile : "default");
        goto out;
    }
    app = appconfig_load(NULL);
    store = store_new();
    cm = creds_manager_new(cfg);
    creds_manager_set_mfa(cm, creds_mfa_tty_ask, NULL, NULL, g->mfa_code);
    client = aws_client_new(cfg, creds_manager_source(cm), NULL);
    gate = gate_new(client, app, cfg->profile, cfg->region, &pol, NULL);
    /* the credentials first: an assumed role or SSO takes requests of its own */
    while ((st = aws_client_credentials(client, &cr, &err)) == CRED_PENDING)
        aws_client_run(client, NULL, 0, 1000);
    if (st != CRED_OK) {
        err.kind = AWS_ERR_CREDENTIALS;
        rc = cmd_fail_err(&err, cfg->profile);
        goto out;
    }
    bucket_region(client, cfg, store, d.bucket);
    key = s3_detail_key(&d);
    name = xasprintf("s3://%s/%s", d.bucket, d.path);
    run = act_run_new(&presign_action,
                      &(struct act_env){.gate = gate, .store = store, .app = app, .cfg = cfg,
                                        .clock = cmd_mono_ms},
                      &(struct act_target){.kind = "s3obj", .key = key, .name = name});
    if (g->expires)
        form_set(act_run_form(run), "expires", g->expires);
    if (act_run_check(run, why, sizeof(why), &bad) < 0) {
        char *clean = sanitize_text(why, strlen(why));

        fprintf(stderr, "opsdeck: %s\n", clean);
        free(clean);
        rc = 2;
        goto out;
    }
    if (act_headless_run(run, client, &h, stderr) != 0 || !(out = act_run_output(run, NULL)))
        goto out;
    printf("%s\n", out);   /* percent-encoded: nothing in it reaches the terminal raw */
    fprintf(stderr, "opsdeck: %s\n", act_run_result(run));
    rc = 0;
out:
    act_run_free(run);
    aws_client_free(client);
    gate_free(gate);
    creds_manager_free(cm);
    aws_config_free(cfg);
    store_free(store);
    appconfig_free(app);
    s3_detail_done(&d);
    free(key);
    free(name);
    return rc;
}

int cmd_s3(const struct global_opts *g, int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "presign") == 0)
        return presign(g, argv[2]);
    return usage();
}
