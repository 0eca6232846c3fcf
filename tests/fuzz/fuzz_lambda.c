/* fuzz_lambda.c - the Lambda event-source mappings (list, get/update) parsers. */
#include "config.h"
#include "fuzz_util.h"

#include "aws/lambda.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct aws_response r;
    struct aws_error err;
    struct lambda_esm_list l;
    struct lambda_esm m;

    fuzz_response(&r, data, size);
    aws_error_clear(&err);
    if (lambda_list_event_source_mappings_parse(&r, &l, &err) == 0)
        lambda_esm_list_free(&l);
    if (lambda_event_source_mapping_parse(&r, &m, &err) == 0)
        lambda_esm_free(&m);
    aws_response_done(&r);
    return 0;
}
