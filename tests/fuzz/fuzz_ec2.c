/* fuzz_ec2.c - the EC2 DescribeVpcEndpoints parsers. */
#include "config.h"
#include "fuzz_util.h"

#include "aws/ec2.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct aws_response r;
    struct aws_error err;
    struct ec2_vpc_endpoint_list l;

    fuzz_response(&r, data, size);
    aws_error_clear(&err);
    if (ec2_describe_vpc_endpoints_parse(&r, &l, &err) == 0)
        ec2_vpc_endpoint_list_free(&l);
    aws_response_done(&r);
    return 0;
}
