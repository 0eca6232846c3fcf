/* sqs_check.h - what SQS will accept of a message, checked before it is sent (so a refusal
 * says why in our words and nothing goes out), and what it answered checked after.
 *
 *   size_t sqs_message_size(body, attrs, n);   what counts against MaximumMessageSize
 *   long   sqs_text_invalid(s, len);           the first byte of a character SQS refuses
 *   bool   sqs_md5_matches(text, len, md5);    MD5OfMessageBody is the MD5 of what was sent
 *   bool   sqs_s3_pointer(body, &bucket, &key); an extended-client pointer to S3
 *   char  *sqs_arn_queue_name(arn);            the queue an SQS ARN names, NULL if none */
#ifndef OPSDECK_AWS_SQS_CHECK_H
#define OPSDECK_AWS_SQS_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "aws/sqs.h"

/* The body's bytes plus, for each attribute, its name, its data type and its value (the
 * decoded bytes of a Binary one), as SQS counts a message against MaximumMessageSize. */
size_t sqs_message_size(const char *body, const struct sqs_msg_attr_in *attrs, size_t nattrs);
/* The byte offset of the first character SQS refuses in a body or a string attribute
 * (anything but #x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF, or bytes that are
 * not UTF-8), or -1 when all of s is acceptable. */
long sqs_text_invalid(const char *s, size_t len);
/* Whether md5_hex (as SQS answers it, any case) is the MD5 of text: the SDKs refuse a
 * SendMessage whose answer does not match, since the body was changed on the way. */
bool sqs_md5_matches(const char *text, size_t len, const char *md5_hex);
/* Whether body is the SQS extended client's pointer to a payload in S3: the Java form
 * ["software.amazon.payloadoffloading.PayloadS3Pointer", {"s3BucketName": .., "s3Key": ..}]
 * or the older "com.amazon.sqs.javamessaging.MessageS3Pointer" class. *bucket and *key are
 * malloc'd when it is. The payload's size is a message attribute (ExtendedPayloadSize, or
 * the older SQSLargePayloadSize). */
bool sqs_s3_pointer(const char *body, char **bucket, char **key);
/* The queue name of an SQS queue ARN, arn:PARTITION:sqs:REGION:ACCOUNT:NAME (malloc'd), or
 * NULL when arn is not one: another service, a missing field, an empty or over-long name
 * or a character a queue name cannot hold (a DeadLetterQueueSourceArn is untrusted). */
char *sqs_arn_queue_name(const char *arn);

#endif
