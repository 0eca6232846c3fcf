/* presign.h - "presign": a presigned GET URL for an S3 object (or one version of it), made
 * here with SigV4 query signing; nothing is sent, so it is not a write: no confirmation,
 * and read-only mode allows it.
 *
 * The target is an object as the s3 view's detail key names one (s3detail.h,
 * S3_DETAIL_OBJECT: bucket, key, version). The form asks how long the URL stays valid
 * (default 1h). A URL signed with session credentials stops working when they expire, and
 * S3 refuses more than 7 days, so the expiry is cut to the nearer limit and the result
 * says which one applied. The URL is the run's output (act_run_output): the console shows
 * it and copies it with OSC 52; `opsdeck s3 presign` prints it. */
#ifndef OPSDECK_PRESIGN_H
#define OPSDECK_PRESIGN_H

#include <stddef.h>
#include <time.h>

#define PRESIGN_DEFAULT "1h"
#define PRESIGN_MAX 604800L   /* seven days: S3's own limit */

/* The validity a URL asked for `want` seconds gets, signed at now with credentials that
 * expire at expiration (0: they do not): min(want, 7 days, expiration - now); 0 when the
 * credentials have expired (or expire within the second). why (may be NULL) says which
 * limit applied, for the dialog and the result: "as asked", "S3's 7-day limit", "the
 * credentials expire in 42m". */
long presign_validity(long want, time_t now, time_t expiration, char *why, size_t whylen);

struct store;
/* The bucket's region as the s3 view's sources (or a command's HeadBucket) found it, NULL
 * when not known: what a request to the bucket is signed for. */
const char *presign_bucket_region(const struct store *s, const char *bucket);

#endif
