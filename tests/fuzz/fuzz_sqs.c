/* fuzz_sqs.c - the SQS JSON response parsers (ListQueues, GetQueueAttributes with its
 * RedrivePolicy/RedriveAllowPolicy documents, ListDeadLetterSourceQueues, ListQueueTags). */
#include "config.h"
#include "fuzz_util.h"

#include "aws/sqs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct aws_response r;
    struct aws_error err;
    struct sqs_url_list l;
    struct sqs_queue_attrs a;
    struct sqs_tag_list t;

    fuzz_response(&r, data, size);
    aws_error_clear(&err);
    if (sqs_list_queues_parse(&r, &l, &err) == 0)
        sqs_url_list_free(&l);
    if (sqs_list_dead_letter_source_queues_parse(&r, &l, &err) == 0)
        sqs_url_list_free(&l);
    if (sqs_get_queue_attributes_parse(&r, "http://127.0.0.1:1/000000000000/q", &a, &err) == 0)
        sqs_queue_attrs_free(&a);
    if (sqs_list_queue_tags_parse(&r, &t, &err) == 0)
        sqs_tag_list_free(&t);
    aws_response_done(&r);
    return 0;
}
