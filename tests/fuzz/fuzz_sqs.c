/* fuzz_sqs.c - the SQS JSON response parsers (ListQueues, GetQueueAttributes with its
 * RedrivePolicy/RedriveAllowPolicy documents, ListDeadLetterSourceQueues, ListQueueTags),
 * and the message ones (ReceiveMessage, SendMessage, the batches, the move tasks,
 * GetQueueUrl). */
#include "config.h"
#include "fuzz_util.h"

#include <stdlib.h>

#include "aws/sqs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct aws_response r;
    struct aws_error err;
    struct sqs_url_list l;
    struct sqs_queue_attrs a;
    struct sqs_tag_list t;
    struct sqs_message_list m;
    struct sqs_batch_result b;
    struct sqs_send_batch_result sb;
    struct sqs_move_task_list mt;
    struct sqs_sent sent;
    char *s;
    int64_t n;

    fuzz_response(&r, data, size);
    aws_error_clear(&err);
    if (sqs_list_queues_parse(&r, &l, &err) >= 0)
        sqs_url_list_free(&l);
    if (sqs_list_dead_letter_source_queues_parse(&r, &l, &err) >= 0)
        sqs_url_list_free(&l);
    if (sqs_get_queue_attributes_parse(&r, "http://127.0.0.1:1/000000000000/q", &a, &err) == 0)
        sqs_queue_attrs_free(&a);
    if (sqs_list_queue_tags_parse(&r, &t, &err) >= 0)
        sqs_tag_list_free(&t);
    if (sqs_receive_message_parse(&r, &m, &err) == 0)
        sqs_message_list_free(&m);
    if (sqs_send_message_parse(&r, &sent, &err) >= 0)
        sqs_sent_free(&sent);
    if (sqs_batch_parse(&r, "DeleteMessageBatch", &b, &err) == 0)
        sqs_batch_result_free(&b);
    if (sqs_send_message_batch_parse(&r, &sb, &err) == 0)
        sqs_send_batch_result_free(&sb);
    if (sqs_list_message_move_tasks_parse(&r, &mt, &err) == 0)
        sqs_move_task_list_free(&mt);
    if (sqs_get_queue_url_parse(&r, &s, &err) == 0)
        free(s);
    if (sqs_start_message_move_task_parse(&r, &s, &err) == 0)
        free(s);
    sqs_cancel_message_move_task_parse(&r, &n, &err);
    aws_response_done(&r);
    return 0;
}
