/* common.c - what several poll sources share (common.h). */
#include "config.h"
#include "poll/sources/common.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

bool sources_gone(const struct aws_error *err)
{
    return err->kind == AWS_ERR_HTTP &&
           (strcmp(err->code, "AWS.SimpleQueueService.NonExistentQueue") == 0 ||
            strcmp(err->code, "QueueDoesNotExist") == 0 || strcmp(err->code, "NotFound") == 0);
}

void sources_set_count(struct store_res *r, const char *field, int64_t v)
{
    if (v >= 0)
        store_set_int(r, field, v);
    else
        store_set_unknown(r, field);
}

char *sources_kv_json(const struct kv *kv, size_t n)
{
    cJSON *o = cJSON_CreateObject();
    char *text;

    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToObject(o, kv[i].name, cJSON_CreateString(kv[i].value));
    text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return text;
}

void sources_write_queue_attrs(struct store_res *r, const struct sqs_queue_attrs *a)
{
    char *json = sources_kv_json(a->attrs, a->nattrs);

    store_set_str(r, "name", a->name);
    store_set(r, "arn", store_value_str(a->arn));
    store_set_str(r, "attributes", json);
    store_set(r, "redrive_policy", store_value_str(sqs_queue_attr(a, "RedrivePolicy")));
    store_set(r, "dlq_arn", store_value_str(a->has_redrive ? a->dlq_arn : NULL));
    free(json);
}

void sources_error_keep(struct aws_error **slot, const struct aws_error *err)
{
    if (!*slot)
        *slot = xmalloc(sizeof(**slot));
    **slot = *err;
}

void sources_strv_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void sources_cannot_read(const struct aws_error *err, char *buf, size_t n)
{
    bool denied = err->http_status == 403 || strstr(err->code, "AccessDenied") ||
                  strstr(err->code, "Unauthorized") || strstr(err->code, "AuthorizationError");
    const char *service = err->service[0] ? err->service : "aws";

    if (denied)
        snprintf(buf, n, "%s:%s denied", service, err->action[0] ? err->action : "?");
    else if (err->code[0])
        snprintf(buf, n, "%s:%s failed: %s", service, err->action[0] ? err->action : "?",
                 err->code);
    else
        snprintf(buf, n, "%s:%s failed: %s", service, err->action[0] ? err->action : "?",
                 aws_error_kind_name(err->kind));
}
