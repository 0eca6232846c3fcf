/* cmd_s3.c - `opsdeck s3 get s3://BUCKET/KEY [PATH] [--version-id ID]`: the console's `d`
 * (act/download.c) without a screen: a progress line on stderr when it is a terminal, the
 * result line on stderr, exit status 0 saved and verified, 1 failed (the cause and the fix
 * in one line; a PATH.part kept for the next run to resume), 2 usage.
 *
 * `opsdeck s3 presign s3://BUCKET/KEY [--expires DURATION]`: the console's `u`
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
#include "act/download.h"
#include "act/job.h"
#include "act/presign.h"
#include "aws/s3.h"
#include "cmd/cmd_write.h"
#include "cmd/commands.h"
#include "conf/appconfig.h"
#include "creds/creds.h"
#include "creds/mfa_tty.h"
#include "poll/sources/s3detail.h"
#include "poll/store.h"
#include "util/fmt.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

static int usage(void)
{
    fputs("usage: opsdeck s3 presign s3://BUCKET/KEY [--expires DURATION]\n"
          "       opsdeck s3 get s3://BUCKET/KEY [PATH] [--version-id ID]\n", stderr);
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

/* What both commands need: config, credentials (fetched first: an assumed role or SSO
 * takes requests of its own), client, gate, a private store with the bucket's region, and
 * the object as the s3 view's detail key names it. */
struct s3cmd {
    struct appconfig *app;
    struct aws_config *cfg;
    struct creds_manager *cm;
    struct aws_client *client;
    struct gate *gate;
    struct store *store;
    struct jobs *jobs;
    struct s3_detail d;
    char *key, *name;
};

static void s3cmd_close(struct s3cmd *s)
{
    aws_client_free(s->client);
    gate_free(s->gate);
    creds_manager_free(s->cm);
    aws_config_free(s->cfg);
    jobs_free(s->jobs);
    store_free(s->store);
    appconfig_free(s->app);
    s3_detail_done(&s->d);
    free(s->key);
    free(s->name);
    memset(s, 0, sizeof(*s));
}

/* 0 with s ready, 2 for a URL that is not s3://BUCKET/KEY (usage), 1 after saying why. */
static int s3cmd_open(struct s3cmd *s, const struct global_opts *g, const char *url,
                      const char *version)
{
    struct aws_config_opts co = {
        .profile = g->profile, .region = g->region, .endpoint_url = g->endpoint_url};
    struct gate_policy pol = {.read_only = g->read_only, .allow_writes = g->allow_writes};
    const struct aws_credentials *cr;
    struct aws_error err;
    enum cred_status st;
    const char *key = NULL;
    size_t blen;

    memset(s, 0, sizeof(*s));
    if (strncmp(url, "s3://", 5) != 0)
        return usage();
    /* s3://BUCKET/KEY or s3://ARN/KEY: an access point ARN holds a slash of its own, so the
     * bucket ends where the console's :s3 says it does */
    blen = s3_location_split(url + 5, &key);
    if (blen == 0 || !key || !*key)
        return usage();
    s->d.what = S3_DETAIL_OBJECT;
    s->d.bucket = xstrndup(url + 5, blen);
    s->d.path = xstrdup(key);
    s->d.version = version && *version ? xstrdup(version) : NULL;
    aws_error_clear(&err);
    s->cfg = aws_config_new(&co, &err);
    if (!s->cfg) {
        cmd_fail_err(&err, g->profile ? g->profile : "default");
        s3cmd_close(s);
        return 1;
    }
    s->app = appconfig_load(NULL);
    s->store = store_new();
    s->jobs = jobs_new(s->store, cmd_mono_ms, NULL);
    s->cm = creds_manager_new(s->cfg);
    creds_manager_set_mfa(s->cm, creds_mfa_tty_ask, NULL, NULL, g->mfa_code);
    s->client = aws_client_new(s->cfg, creds_manager_source(s->cm), NULL);
    s->gate = gate_new(s->client, s->app, s->cfg->profile, s->cfg->region, &pol, NULL);
    while ((st = aws_client_credentials(s->client, &cr, &err)) == CRED_PENDING)
        aws_client_run(s->client, NULL, 0, 1000);
    if (st != CRED_OK) {
        err.kind = AWS_ERR_CREDENTIALS;
        cmd_fail_err(&err, s->cfg->profile);
        s3cmd_close(s);
        return 1;
    }
    bucket_region(s->client, s->cfg, s->store, s->d.bucket);
    s->key = s3_detail_key(&s->d);
    s->name = xasprintf("s3://%s/%s%s%s", s->d.bucket, s->d.path, s->d.version ? " version " : "",
                        s->d.version ? s->d.version : "");
    return 0;
}

static struct act_run *s3cmd_run(struct s3cmd *s, const struct action *a)
{
    return act_run_new(a, &(struct act_env){.gate = s->gate, .store = s->store, .app = s->app,
                                            .cfg = s->cfg, .jobs = s->jobs,
                                            .clock = cmd_mono_ms},
                       &(struct act_target){.kind = "s3obj", .key = s->key, .name = s->name});
}

/* act_run_check, saying why on stderr: 0, or 2. */
static int check_form(struct act_run *run)
{
    char why[1024];
    size_t bad;

    if (act_run_check(run, why, sizeof(why), &bad) == 0)
        return 0;
    char *clean = sanitize_text(why, strlen(why));

    fprintf(stderr, "opsdeck: %s\n", clean);
    free(clean);
    return 2;
}

static int presign(const struct global_opts *g, const char *url)
{
    struct act_headless h = {.stdin_tty = isatty(STDIN_FILENO)};
    struct act_run *run = NULL;
    struct s3cmd s;
    const char *out;
    int rc = s3cmd_open(&s, g, url, NULL);

    if (rc != 0)
        return rc;
    jobs_free(s.jobs);   /* a URL is no job */
    s.jobs = NULL;
    run = s3cmd_run(&s, &presign_action);
    if (g->expires)
        form_set(act_run_form(run), "expires", g->expires);
    rc = check_form(run);
    if (rc == 0) {
        rc = 1;
        if (act_headless_run(run, s.client, &h, stderr) == 0 && (out = act_run_output(run, NULL))) {
            printf("%s\n", out);   /* percent-encoded: nothing in it reaches the terminal raw */
            fprintf(stderr, "opsdeck: %s\n", act_run_result(run));
            rc = 0;
        }
    }
    act_run_free(run);
    s3cmd_close(&s);
    return rc;
}

/* "12.3 MiB of 200 MiB  4.1 MiB/s  ETA 45s" on stderr, rewritten in place. */
static void get_progress(struct act_run *r, void *arg)
{
    const struct store *st = arg;
    struct job *j = act_run_job_of(r);
    const struct store_res *row = j ? store_find(st, "job", job_key(j)) : NULL;
    int64_t done = 0, total = -1;
    double rate = 0;
    char a[32], b[32], c[32], eta[32] = "";

    if (!row)
        return;
    if (store_res_str(row, "phase")) {
        fprintf(stderr, "\r%s\033[K", store_res_str(row, "phase"));
        return;
    }
    store_res_int(row, "done", &done);
    if (!store_res_int(row, "total", &total))
        total = -1;
    if (!store_res_num(row, "rate", &rate) || !(rate > 0))
        rate = 0;
    if (rate > 0 && total > done)
        snprintf(eta, sizeof(eta), "  ETA %s",
                 fmt_duration(c, sizeof(c), (int64_t)((double)(total - done) / rate + 0.999)));
    fprintf(stderr, "\r%s of %s", fmt_bytes(a, sizeof(a), done),
            total >= 0 ? fmt_bytes(b, sizeof(b), total) : "?");
    if (rate > 0)
        fprintf(stderr, "  %s/s", fmt_bytes(c, sizeof(c), (int64_t)rate));
    fprintf(stderr, "%s\033[K", eta);
}

/* `opsdeck s3 get s3://BUCKET/KEY [PATH] [--version-id ID]`: act/download.c headless. A
 * PATH that is a directory (or none: the current one) gets the key's safe name in it; an
 * existing file is never replaced; a PATH.part left by a failed run is resumed. */
static int get(const struct global_opts *g, const char *url, const char *path)
{
    struct act_headless h = {.stdin_tty = isatty(STDIN_FILENO),
                             .progress = isatty(STDERR_FILENO) ? get_progress : NULL};
    struct act_run *run = NULL;
    struct s3cmd s;
    int rc = s3cmd_open(&s, g, url, g->version_id);

    if (rc != 0)
        return rc;
    h.progress_arg = s.store;
    run = s3cmd_run(&s, &download_action);
    if (path)
        form_set(act_run_form(run), "file", path);
    rc = check_form(run);
    if (rc == 0) {
        rc = act_headless_run(run, s.client, &h, stderr);
        if (h.progress)
            fputs("\r\033[K", stderr);
        if (rc == 0) {
            char *clean = sanitize_text(act_run_result(run), strlen(act_run_result(run)));

            fprintf(stderr, "opsdeck: %s\n", clean);
            free(clean);
        }
    }
    act_run_free(run);
    s3cmd_close(&s);
    return rc;
}

int cmd_s3(const struct global_opts *g, int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "presign") == 0)
        return presign(g, argv[2]);
    if ((argc == 3 || argc == 4) && strcmp(argv[1], "get") == 0)
        return get(g, argv[2], argc == 4 ? argv[3] : NULL);
    return usage();
}
