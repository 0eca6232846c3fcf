/* sts.c - AWS STS GetCallerIdentity (query protocol, XML response). */
#include "config.h"
#include "aws/sts.h"
#include "proto.h"
#include "xalloc.h"
#include "xmlutil.h"

#include <stdlib.h>
#include <string.h>

void sts_get_caller_identity_request(struct aws_request *r)
{
    aws_request_init(r, "sts", "GetCallerIdentity", "POST");
    proto_query_request(r, "GetCallerIdentity", "2011-06-15", NULL);
}

void sts_identity_free(struct sts_identity *id)
{
    free(id->account);
    free(id->arn);
    free(id->user_id);
    memset(id, 0, sizeof(*id));
}

int sts_get_caller_identity_parse(const struct aws_response *resp, struct sts_identity *out,
                                  struct aws_error *err)
{
    struct sts_identity id = { 0 };
    xmlDoc *doc;
    xmlNode *res;

    memset(out, 0, sizeof(*out));
    doc = xml_parse(resp->body.data, resp->body.len, err);
    if (!doc || !(res = xml_query_result(doc, "GetCallerIdentity", err)))
        goto fail;
    if (xml_child_text(res, "Account", &id.account, err) != 1 || !*id.account) {
        aws_error_set(err, AWS_ERR_PARSE, "no <Account> in the response");
        goto fail;
    }
    if (xml_child_text(res, "Arn", &id.arn, err) != 1 || !*id.arn) {
        aws_error_set(err, AWS_ERR_PARSE, "no <Arn> in the response");
        goto fail;
    }
    xml_child_text(res, "UserId", &id.user_id, err);
    xml_free(doc);
    *out = id;
    return 0;
fail:
    xml_free(doc);
    sts_identity_free(&id);
    proto_error_prefix(err, "STS GetCallerIdentity");
    return -1;
}
