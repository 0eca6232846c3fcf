/* registry.c - every poll source. Sources due together start in this order; the snapshot
 * starts the independent ones first in this order, then each dependent one as soon as its
 * input is read. A new source is a new file and one line here. */
#include "config.h"

#include "poll/sources/sources.h"

const struct source *const source_registry[] = {
    &identity_source,       /* the header: who we are */
    &credentials_source,    /* the header and the overview: what expires when */
    &queues_source,         /* "queue" and "dlq", with CloudWatch ages */
    &dlq_sources_source,    /* which queues feed each DLQ, once the DLQs are known */
    &queue_detail_source,   /* the open detail pane's queue */
    &dlq_consumers_source,  /* the open DLQ pane's sources: received / deleted */
    &topics_source,         /* "topic", with CloudWatch numbers (sns view, snapshot) */
    &topic_failures_source, /* the open topic's failed deliveries (CloudWatch Logs) */
    &reach_source,          /* the SNS and SQS endpoints' health, VPC endpoints (console) */
    &buckets_source,        /* "bucket" (the s3 view, snapshot) */
    &bucket_regions_source, /* each bucket's region, once the buckets are known */
    &s3_listing_source,     /* the s3 view's prefix, a page at a time */
    &s3_head_source,        /* the s3 view's open object: head, tags, preview */
    &s3_versions_source,    /* the s3 view's object versions (`v`) */
    &mappings_source,       /* "mapping": Lambda's SQS triggers (toggles) */
    &rules_source,          /* "rule": EventBridge rules on every bus (toggles) */
    &parameters_source,     /* "parameter": declared SSM toggles and [toggles] paths */
    &toggle_detail_source,  /* the open toggle's pane: a rule's targets, who changed it */
    &iam_expiry_source,     /* "password", "access_key": the expiry view */
    &secret_rotation_source,  /* "secret_rotation": the expiry view */
    &app_passwords_source,  /* "app_password": [expiry NAME] of the config */
    NULL,
};
