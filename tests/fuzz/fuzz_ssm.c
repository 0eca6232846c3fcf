/* fuzz_ssm.c - the SSM GetParameter(s), GetParametersByPath, PutParameter and
 * DescribeParameters parsers. */
#include "config.h"
#include "fuzz_util.h"

#include "aws/ssm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct aws_response r;
    struct aws_error err;
    struct ssm_parameter p;
    struct ssm_parameter_list l;
    struct ssm_param_meta_list ml;
    int64_t v;

    fuzz_response(&r, data, size);
    aws_error_clear(&err);
    if (ssm_get_parameter_parse(&r, &p, &err) == 0)
        ssm_parameter_free(&p);
    if (ssm_get_parameters_parse(&r, &l, &err) == 0)
        ssm_parameter_list_free(&l);
    if (ssm_get_parameters_by_path_parse(&r, &l, &err) == 0)
        ssm_parameter_list_free(&l);
    ssm_put_parameter_parse(&r, &v, &err);
    if (ssm_describe_parameters_parse(&r, &ml, &err) >= 0)
        ssm_param_meta_list_free(&ml);
    aws_response_done(&r);
    return 0;
}
