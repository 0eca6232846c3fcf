/* error_rows.c - the "error" kind (error_rows.h). */
#include "config.h"
#include "poll/error_rows.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/client.h"

/* The name a row gives a service: what people call it, not its signing name. */
static const char *service_title(const char *service)
{
    static const struct { const char *id, *title; } titles[] = {
        {"sqs", "SQS"}, {"sns", "SNS"}, {"sts", "STS"}, {"s3", "S3"},
        {"monitoring", "CloudWatch"}, {"logs", "CloudWatch Logs"}, {"iam", "IAM"},
        {"secretsmanager", "Secrets Manager"}, {"ssm", "SSM"}, {"events", "EventBridge"},
        {"lambda", "Lambda"}, {"ec2", "EC2"},
    };

    for (size_t i = 0; i < sizeof(titles) / sizeof(titles[0]); i++)
        if (strcmp(service, titles[i].id) == 0)
            return titles[i].title;
    return service;
}

void error_rows_key(const char *service, const char *action, char *key, size_t n)
{
    snprintf(key, n, "%s %s", service_title(service), action);
}

void error_rows_write(struct store *s, const char *service, const char *action, bool ok,
                      const struct aws_error *err, const char *profile)
{
    char key[128], line[1200];
    const struct store_res *old;
    struct store_res *r;
    int64_t count = 0;

    error_rows_key(service, action, key, sizeof(key));
    old = store_find(s, "error", key);
    if (old)
        store_res_int(old, "count", &count);
    if (!err) {
        if (!ok || count == 0)
            return;
        r = store_update_begin(s, "error", key);
        store_set_str(r, "message", "");
        store_set_int(r, "count", 0);
        store_set_str(r, "code", "");
        store_update_commit(r);
        return;
    }
    aws_error_describe(err, profile, line, sizeof(line));
    r = store_update_begin(s, "error", key);
    store_set_str(r, "message", line);
    store_set_int(r, "count", count + 1);
    store_set_str(r, "service", err->service);
    store_set_str(r, "action", err->action);
    store_set_str(r, "code", err->code);
    store_update_commit(r);
}
