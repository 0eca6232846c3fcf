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
    &topics_source,         /* "topic", with CloudWatch failures (snapshot) */
    &buckets_source,        /* "bucket" (the s3 view, snapshot) */
    &bucket_regions_source, /* each bucket's region, once the buckets are known */
    &s3_listing_source,     /* the s3 view's prefix, a page at a time */
    &s3_head_source,        /* the s3 view's open object: head, tags, preview */
    &s3_versions_source,    /* the s3 view's object versions (`v`) */
    NULL,
};
