/* sources.h - every poll source, and the store schema they write.
 *
 * The schema is what views read (views/README.md explains the reading side). Every kind
 * is listed here with its key and fields; a field a poll could not read is unknown
 * (STORE_UNKNOWN), never 0. Strings come from AWS or local files: views sanitise them.
 *
 * kind "identity" (source identity: STS GetCallerIdentity; header, every 5 minutes)
 *   key "caller": account str, arn str, user_id str
 *
 * kind "credential" (source credentials: the credential manager's report, no network;
 *   every second) key = profile name, one row per credential the manager holds or is
 *   fetching:
 *   method str      the provider: "env", "assume-role", "sso", "custom-process", ...
 *   source str      where from, for a person: "profile prod: assumed role ... (...ABCD)"
 *   expiry int      epoch seconds it expires at; unknown when it does not expire
 *   refreshable int 1: the manager asks its provider again before expiry (which may still
 *                   need the user: an MFA code, an SSO login); 0: nothing renews it
 *                   (environment, credentials file, config file)
 *   active int      1: the active profile's own credential, 0: a source_profile's
 *   refresh_error str  why the last refresh failed while the old ones still work; ""
 *   refreshing int  1 while a refresh of it runs (creds_manager_refresh_now, or one due)
 *   usable int      1: held and not expired (requests sign with it); 0 while the first
 *                   refresh, or one after they expired or were refused, runs
 *
 * kind "queue" (source queues: SQS ListQueues, paged, then GetQueueAttributes for each,
 *   64 at a time, and CloudWatch GetMetricData for all) key = queue URL, every queue listed:
 *   name str, arn str, visible int, in_flight int, delayed int   (Approximate*)
 *   fifo int (0/1), dlq_arn str (RedrivePolicy deadLetterTargetArn; absent when none),
 *   dlq_url str (that DLQ's URL when it is one of the listed queues),
 *   max_receive_count int, is_dlq int (0/1: some listed queue's dead-letter target),
 *   attributes str (every attribute GetQueueAttributes returned, a JSON object's text),
 *   redrive_policy str (raw JSON)
 *   age_oldest double (CloudWatch ApproximateAgeOfOldestMessage, Maximum, period 60 s, the
 *     newest point of the last 15 minutes; unknown when there is none; kept from the last
 *     cycle when CloudWatch failed)
 *   age_oldest_at int (that point's time, epoch seconds: the metric is published minutes
 *     late, so a view says "as of"; unknown and kept as age_oldest is)
 *   received_15m double, deleted_15m double (source dlq_consumers: CloudWatch
 *     NumberOfMessagesReceived / NumberOfMessagesDeleted, Sum over the last 15 minutes,
 *     0 when CloudWatch has no point (SQS publishes nothing for an idle queue); only for the
 *     source queues of the DLQ whose pane is open, every minute; kept when the call failed)
 *   tags str (source queue_detail: ListQueueTags as a JSON object's text; only for the
 *     queue whose detail pane is open, which it also polls every 2 s for the attributes
 *     above, except the depth counters)
 *
 * kind "dlq" (source queues, from the same answers) key = URL of a queue that is some
 *   listed queue's dead-letter target: name, arn, visible, in_flight, delayed, age_oldest,
 *   age_oldest_at as for "queue" (its own rows, so it has its own generations and history)
 *   sources str (source dlq_sources: ListDeadLetterSourceQueues, paged: a JSON array of
 *     the source queues' URLs), nsources int
 *
 * kind "topic" (source topics: SNS ListTopics, paged, then GetTopicAttributes and
 *   ListSubscriptionsByTopic, paged, for each, and CloudWatch GetMetricData for all; read by
 *   `opsdeck snapshot`) key = topic ARN:
 *   name str, display_name str, fifo int (0/1), subscriptions_confirmed int,
 *   subscriptions_pending int (GetTopicAttributes), failure_logging int (0/1: some
 *   <Protocol>FailureFeedbackRoleArn is set), pending_in_list int (subscriptions listed as
 *   PendingConfirmation), subscriptions str (a JSON array of {"arn", "pending",
 *   "protocol", "endpoint", "owner"})
 *   failed_notifications double (CloudWatch NumberOfNotificationsFailed, Sum over the last
 *     15 minutes; unknown when CloudWatch did not answer for it)
 *
 * kind "bucket" (source buckets: S3 ListBuckets; the s3 view and `opsdeck snapshot`) key =
 *   bucket name: created str (CreationDate as S3 wrote it)
 *   region str (source bucket_regions: HeadBucket's x-amz-bucket-region, asked once per
 *     bucket; unknown while not read or when S3 did not say)
 *
 * The s3 view's detail key (s3detail.h) says what the next three read; each holds one
 * thing at a time, what the view shows now.
 * kind "s3list" (source s3_listing) key "current": the listing in "s3obj":
 *   bucket str, prefix str (what was listed), region str (where; unknown: the profile's),
 *   loaded int (entries in "s3obj"; unknown while the first page was never read),
 *   truncated int (0/1: more pages exist), next_token str, pages int (read so far);
 *   stale with the error when the last page asked for failed
 * kind "s3obj" (source s3_listing: ListObjectsV2, delimiter '/', one page per cycle while
 *   the view wants more) key = the full key or common prefix, as S3 stores it (any bytes):
 *   type str ("prefix" or "object"); objects: size int, mtime int (epoch s), storage_class
 *   str, etag str
 * kind "s3head" (source s3_head: HeadObject, GetObjectTagging, GetObject of the first
 *   64 KiB) key "current": bucket str, key str, version str ("" the current one) as asked;
 *   size int, content_type str, etag str, mtime int, storage_class str, sse str,
 *   kms_key_id str, version_id str, delete_marker int, metadata str (JSON object),
 *   restore str ("", "in progress", "restored"), restore_expiry int (epoch s),
 *   tags str (JSON object) or tags_error str (why not), preview str (util/preview.h's
 *   text: untrusted), preview_kind str ("text", "json", "binary", "empty", "gzip, ..."),
 *   preview_cut int (0/1: the object is longer), preview_error str; stale with the error
 *   when HeadObject failed
 * kind "s3verlist" (source s3_versions) key "current": bucket str, key str (whose versions
 *   are in "s3ver"), count int (unknown while never read); stale with the error
 * kind "s3ver" (source s3_versions: ListObjectVersions, every page, that key only) key =
 *   "000000", ... in S3's order (newest first): version_id str, latest int (0/1),
 *   delete_marker int (0/1), size int (unknown for a delete marker), mtime int, etag str,
 *   storage_class str
 *
 * kind "error" (the poller, for every call of every source: error_rows.c) key = "<Service>
 *   <Action>" (as "SQS ListQueues"): the latest failure of that call:
 *   message str (aws_error_describe's one line: cause, profile, endpoint, fix),
 *   count int (cycles in a row it failed), service str, action str, code str (as AWS
 *   named them); rewritten with count 0, message "" and code "" once the call works again,
 *   so the overview shows only live errors.
 *
 * A failed list call keeps the rows and marks the kind stale (store_list_fail); a failed
 * call about one resource marks that row stale (store_fail). A resource that vanished
 * between its list and its describe (SQS QueueDoesNotExist, SNS NotFound) is dropped, not
 * an error. */
#ifndef OPSDECK_SOURCES_H
#define OPSDECK_SOURCES_H

#include <stdint.h>

#include "poll/source.h"
#include "poll/store.h"

/* Every source, in the order they start when due together; NULL-terminated. */
extern const struct source *const source_registry[];

extern const struct source identity_source;
extern const struct source credentials_source;
extern const struct source queues_source;
extern const struct source dlq_sources_source;
extern const struct source queue_detail_source;
extern const struct source dlq_consumers_source;
extern const struct source topics_source;
extern const struct source buckets_source;
extern const struct source bucket_regions_source;
extern const struct source s3_listing_source;
extern const struct source s3_head_source;
extern const struct source s3_versions_source;

/* The credential that expires first at now_s (epoch seconds): *row, and the seconds it has
 * left (negative once expired). When none expires: the active profile's own row (or NULL
 * when there is none) and INT64_MAX. For the header's countdown and the overview. */
int64_t credentials_nearest(const struct store *s, int64_t now_s, const struct store_res **row);

#endif
