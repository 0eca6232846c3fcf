/* fuzz_logs.c - the CloudWatch Logs FilterLogEvents and DescribeLogGroups parsers. */
#include "config.h"
#include "fuzz_util.h"

#include "aws/logs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct aws_response r;
    struct aws_error err;
    struct logs_event_list e;
    struct logs_group_list g;

    fuzz_response(&r, data, size);
    aws_error_clear(&err);
    if (logs_filter_log_events_parse(&r, &e, &err) == 0)
        logs_event_list_free(&e);
    if (logs_describe_log_groups_parse(&r, &g, &err) == 0)
        logs_group_list_free(&g);
    aws_response_done(&r);
    return 0;
}
