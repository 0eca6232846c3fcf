/* topicfail.h - what the sns view asks the topic_failures source for, as one detail key
 * (feed_set_detail): the topic whose pane is open and how many failure records it wants
 * loaded. The records are read newest first and on demand: the view asks for more as the
 * cursor nears the end of what is loaded, never for every page up front.
 *
 * The key is the topic's ARN, US (0x1f, which no ARN holds), and the count in decimal. */
#ifndef OPSDECK_TOPICFAIL_H
#define OPSDECK_TOPICFAIL_H

#include <stdbool.h>
#include <stddef.h>

/* Records a pane asks for when it opens, and how many more each time it asks again. */
#define TOPICFAIL_STEP 50
/* The most records kept for one topic (the oldest are dropped past it). */
#define TOPICFAIL_MAX 5000

/* The key for arn and want (the caller frees). */
char *topicfail_key(const char *arn, long want);
/* Reads a key topicfail_key made, or a bare ARN (want TOPICFAIL_STEP): the ARN's length
 * and the count; false for an empty key or a count that is not a positive number. */
bool topicfail_parse(const char *key, size_t *arn_len, long *want);

#endif
