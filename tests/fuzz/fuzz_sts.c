/* fuzz_sts.c - the STS query-XML parsers (GetCallerIdentity, AssumeRole, GetSessionToken)
 * and CloudWatch GetMetricData: the other XML answers. */
#include "config.h"
#include "fuzz_util.h"

#include "aws/cloudwatch.h"
#include "aws/sts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct aws_response r;
    struct aws_error err;
    struct sts_identity id;
    struct sts_credentials c;
    struct cw_metric_data d;

    fuzz_response(&r, data, size);
    aws_error_clear(&err);
    if (sts_get_caller_identity_parse(&r, &id, &err) == 0)
        sts_identity_free(&id);
    if (sts_assume_role_parse(&r, &c, &err) == 0)
        sts_credentials_free(&c);
    if (sts_get_session_token_parse(&r, &c, &err) == 0)
        sts_credentials_free(&c);
    if (cw_get_metric_data_parse(&r, &d, &err) == 0)
        cw_metric_data_free(&d);
    aws_response_done(&r);
    return 0;
}
