/* sources.h - every poll source, and the store schema they write.
 *
 * The schema is what views read (views/README.md explains the reading side). Every kind
 * is listed here with its key and fields; a field a poll could not read is unknown
 * (STORE_UNKNOWN), never 0. Strings come from AWS or local files: views sanitise them.
 *
 * kind "identity" (source identity: STS GetCallerIdentity; header, every 5 minutes)
 *   key "caller": account str, arn str, user_id str
 *
 * kind "sso_token" (source credentials, with the credential rows: the SSO token cache the
 *   login wrote, a local file, no network) key = profile name, for each profile of the
 *   credential rows (and the active one) that uses IAM Identity Center:
 *   start_url str   the profile's sso_start_url (local file text)
 *   expires_at int  the token's expiresAt, epoch s; unknown when the cache cannot be read
 *   registration_expires_at int  the client registration's (clientSecret's) expiry, epoch
 *                   s; unknown when the cache has none (a legacy profile's token)
 *   refreshable int 1: an sso_session token with its registration (renewed by SSO-OIDC
 *                   before it expires); 0: only a sign-in renews it
 *   error str       why the cache cannot be read ("... no such file (not logged in)"); ""
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
 *   ListSubscriptionsByTopic, paged, for each, GetSubscriptionAttributes for each confirmed
 *   subscription, and CloudWatch GetMetricData for all; the sns view and the overview, and
 *   `opsdeck snapshot`) key = topic ARN:
 *   name str, display_name str, fifo int (0/1), content_dedup int (0/1:
 *   ContentBasedDeduplication), kms_key str (KmsMasterKeyId; "" when not encrypted),
 *   subscriptions_confirmed int, subscriptions_pending int (GetTopicAttributes),
 *   failure_logging int (0/1: some <Protocol>FailureFeedbackRoleArn is set),
 *   pending_in_list int (subscriptions listed as PendingConfirmation),
 *   no_dlq int (confirmed subscriptions without a RedrivePolicy; unknown when some
 *     subscription's attributes could not be read),
 *   protocols str (a JSON object: subscriptions by protocol, {"sqs": 2, "email": 1}),
 *   logging_off str (a JSON array of the delivery-status prefixes, "SQS", "Lambda", "HTTP",
 *     "Application", "Firehose", of protocols it has subscribers on whose
 *     <Prefix>FailureFeedbackRoleArn is not set; [] when every one is logged),
 *   subscriptions str (a JSON array of {"arn", "pending", "protocol", "endpoint", "owner",
 *     "raw_delivery", "filter_policy" (its JSON text), "filter_policy_scope", "dlq_arn"};
 *     the last four are null for a pending subscription or one whose attributes were not
 *     read, dlq_arn also when it has no redrive policy)
 *   failed_notifications, published, delivered double (CloudWatch
 *     NumberOfNotificationsFailed, NumberOfMessagesPublished, NumberOfNotificationsDelivered:
 *     Sum over the last hour; 0 when CloudWatch has no point; left as they were when its
 *     call failed)
 *
 * kind "topic_failures" (source topic_failures: CloudWatch Logs FilterLogEvents on the
 *   sns/<region>/<account>/<topic>/Failure group, newest first and on demand: windows
 *   walking back from now, each read to its last page, until the count the detail key asks
 *   for is loaded (topicfail.h), then later cycles only what arrived since; only for the
 *   topic whose pane is open in the sns view, every 15 s) key = topic ARN: log_group str,
 *   group_exists int (0: no such group: failures are not logged, or none was yet), loaded
 *   int (records kept, at most TOPICFAIL_MAX), more int (1: older records exist, 0: none,
 *   -1: not known yet), unparsed int (records that are not delivery records), records str
 *   (a JSON array, newest first, of {"id", "time_ms", "endpoint", "status_code",
 *   "provider_response", "dwell_ms", "attempts", "message_id"}, or {"id", "time_ms",
 *   "unparsed"} with the raw text), covered_from / covered_to int (epoch ms: every record
 *   between them is loaded), window_ms int (the next window's length), floor_ms int (the
 *   oldest record's time when a probe found it, -1 not known)
 *
 * kind "published" (the publish action, in the console's store; not polled) key = topic
 *   ARN: message_id str, sequence_number str (FIFO topics), published int (the store's
 *   clock): the topic's latest test message, shown in its pane
 *
 * kind "reach" (source reach: SNS ListTopics and SQS ListQueues (MaxResults 1) as probes,
 *   EC2 DescribeVpcEndpoints, paged; the sns view and the overview; not the snapshot):
 *   keys "sns", "sqs": endpoint str (the base URL called), ok int (0/1: the latest probe
 *     answered), latency_ms int (from the cycle's start to its answer), last_ok double
 *     (epoch s of the latest answer; unknown before one), error str, error_code str,
 *     error_at double (epoch s), network int (1: no HTTP answer at all) of the latest
 *     failure, kept after later successes
 *   key "vpce": list str (a JSON array of {"service": "sns"|"sqs"|"s3", "id", "vpc",
 *     "type", "state", "private_dns"}), error str (why EC2 could not list them, or "")
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
 *   truncated int (0/1: more pages exist), next_token str (unknown after a page back cut
 *   the window's end: the next page starts after the last key held), pages int (read so
 *   far), from str (the rows held start after this key: "" the listing's start), skipped
 *   int (entries before the window, let go), seen_tokens str (the paging's next tokens so
 *   far, as aws_pager_save writes them: a token handed back twice stops the listing however
 *   many pages apart; unknown after a page back cut the window's end); stale with the
 *   error when the last page asked for failed
 * kind "s3obj" (source s3_listing: ListObjectsV2, delimiter '/', one page per cycle while
 *   the view wants more; the window the view asks for, the shown page listed again each
 *   interval) key = the full key or common prefix, as S3 stores it (any bytes):
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
 * The toggles (views/toggles.c). Every row has name str (what people call it, what
 * `opsdeck toggle set` takes), state str ("on", "off", "changing", "unknown";
 * poll/sources/togglestate.h) and, except parameters, aws_state str (AWS's own word):
 *
 * kind "mapping" (source mappings: Lambda ListEventSourceMappings, paged; SQS sources only)
 *   key = the mapping's UUID: name str ("FUNCTION:QUEUE"), function str, function_arn str,
 *   queue str, queue_arn str, aws_state str (Enabled, Disabled, Enabling, Disabling,
 *   Updating, Creating, Deleting), state_reason str, last_result str
 *   (LastProcessingResult), batch_size int, max_concurrency int (unknown: not set),
 *   last_modified int (epoch s)
 *
 * kind "rule" (source rules: EventBridge ListEventBuses, then ListRules on each, paged)
 *   key = "BUS/RULE": name str ("RULE" on the default bus, else "BUS/RULE"), rule str,
 *   bus str, arn str, aws_state str (ENABLED, DISABLED, ...), schedule str (absent for a
 *   pattern rule), pattern str (the event pattern's JSON text), description str,
 *   managed_by str (set when another service owns the rule)
 *
 * kind "parameter" (source parameters: SSM GetParameters for each [toggle NAME], decrypted;
 *   GetParametersByPath, recursive and paged, for each [toggles] path, never decrypted)
 *   key = the parameter's name: name str (the toggle's NAME, else the parameter's name),
 *   parameter str, toggle str (absent: not declared, read-only), description str,
 *   exists int (0: declared but SSM has no such parameter; then state is unknown),
 *   type str, secure int (0/1), value str (absent for a SecureString: its value never
 *   reaches the store), state str (declared: on/off by the toggle's values, unknown for
 *   any other value; undeclared: "value"), version int, last_modified int (epoch s)
 *
 * kind "toggle_detail" (source toggle_detail: the toggles view's open pane only; EventBridge
 *   ListTargetsByRule, paged, for a rule; SSM DescribeParameters for a parameter)
 *   key = the view's row key, "rule:BUS/RULE" or "parameter:NAME": exists int (0: the rule
 *   or parameter is gone); a rule's targets str (JSON array of {id, arn, role_arn, dlq (the
 *   target's DeadLetterConfig ARN), input ("event", "constant", "path" or "transformer")}),
 *   ntargets int; a parameter's modified_user str (LastModifiedUser), modified int (epoch
 *   s), version int, description str
 *
 * kind "password" (source iam_expiry: IAM GetAccountPasswordPolicy, GetLoginProfile and
 *   GetCredentialReport, which it asks IAM to generate when missing or expired) key = IAM
 *   user name: the caller's (when it has a console password) and every user's the report
 *   lists with one:
 *   user str, last_changed int (epoch s; the report's password_last_changed),
 *   expires int (epoch s: the report's password_next_rotation, else last_changed +
 *     MaxPasswordAge; unknown when it never expires or could not be read),
 *   expire_passwords int (0/1), max_age_days int, hard_expiry int (0/1: the console is
 *     locked at expiry; an access key can still change the password),
 *   reset_required int (0/1, the caller's only: GetLoginProfile), report_generated int
 *     (epoch s the report was made; unknown for rows not from it),
 *   unreadable str (why the expiry is unknown: "iam:GetAccountPasswordPolicy denied"; "")
 *
 * kind "access_key" (source iam_expiry: ListAccessKeys, paged, and GetAccessKeyLastUsed for
 *   the caller; the credential report for everyone else) key = the access key id for the
 *   caller's keys, "USER key 1" / "USER key 2" for the report's (it names no key id):
 *   user str, active int (0/1), created int (epoch s; the report's last_rotated),
 *   last_used int (epoch s; unknown when never), last_service str, report_generated int
 *
 * kind "secret_rotation" (source secret_rotation: Secrets Manager ListSecrets, paged) key =
 *   secret ARN, every secret that rotates or has a next rotation date:
 *   name str, rotation_enabled int (0/1), rotation_days int, schedule str,
 *   last_rotated int, last_changed int, next_rotation int (epoch s; in the past: the
 *   rotation did not happen), deleted int (scheduled for deletion at)
 *
 * kind "app_password" (source app_passwords: [expiry NAME] of opsdeck's config, with
 *   Secrets Manager DescribeSecret or SSM GetParameter without decryption) key = NAME:
 *   anchor str ("secret:ID" or "parameter:NAME"), lifetime int (s), warn int, critical int
 *   (s left; unknown: none), last_changed int (epoch s the anchor last changed), expires
 *   int (last_changed + lifetime: in the past, the refresh is late), unreadable str
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
extern const struct source topic_failures_source;
extern const struct source reach_source;
extern const struct source buckets_source;
extern const struct source mappings_source;
extern const struct source rules_source;
extern const struct source parameters_source;
extern const struct source toggle_detail_source;
extern const struct source iam_expiry_source;
extern const struct source secret_rotation_source;
extern const struct source app_passwords_source;
extern const struct source bucket_regions_source;
extern const struct source s3_listing_source;
extern const struct source s3_head_source;
extern const struct source s3_versions_source;

/* The credential that expires first at now_s (epoch seconds): *row, and the seconds it has
 * left (negative once expired). When none expires: the active profile's own row (or NULL
 * when there is none) and INT64_MAX. For the header's countdown and the overview. */
int64_t credentials_nearest(const struct store *s, int64_t now_s, const struct store_res **row);
/* From the "credential" rows: whether a credential refresh is under way, and (*waiting)
 * whether the active profile's requests wait for it, holding nothing usable. For the
 * header and the status line, so a replay of the store says what the console said. */
bool credentials_refreshing(const struct store *s, bool *waiting);

#endif
