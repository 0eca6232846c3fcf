/* s3detail.h - what the s3 view asks the S3 sources for, as one detail key
 * (feed_set_detail), and where a bucket's requests go.
 *
 * The poller keeps one detail key; the s3 view sets it to one of:
 *   a listing:  the bucket, the prefix, the key the rows held start after (the window:
 *               pages far behind the cursor are let go, and read again when it goes
 *               back), how many entries it wants held from there (pages are fetched on
 *               demand: the view asks for more as the cursor nears the end), and the key
 *               the page the cursor is in starts after (listed again each interval, so
 *               new objects appear)
 *   an object:  the bucket, the key and a version (or none): its head, tags and preview
 *   versions:   the bucket and the key: ListObjectVersions for that key
 * Bucket names and access point ARNs hold no US (0x1f), so it separates the parts; the key
 * or prefix comes last and may hold any byte but NUL, and a listing's window and page
 * start, which may too, come right before it with their lengths given up front. */
#ifndef OPSDECK_S3DETAIL_H
#define OPSDECK_S3DETAIL_H

#include <stdbool.h>
#include <stddef.h>

#include "aws/s3.h"
#include "core/awserr.h"

struct aws_config;

enum s3_detail_what { S3_DETAIL_LIST = 'L', S3_DETAIL_OBJECT = 'O', S3_DETAIL_VERSIONS = 'V' };

struct s3_detail {
    enum s3_detail_what what;
    long want;          /* LIST: entries wanted held after from (>= 1) */
    char *from;         /* LIST: the rows held start after this key ("" the listing's
                         * start); parse always sets it */
    char *bucket;       /* a bucket name or an access point ARN */
    char *version;      /* OBJECT: the version id, NULL for the current one */
    char *path;         /* LIST: the prefix ("" the bucket's top); else the object key */
    char *after;        /* LIST: the shown page starts after this key ("" the first page);
                         * parse always sets it */
};

/* The key for d (the caller frees). */
char *s3_detail_key(const struct s3_detail *d);
/* Reads a key s3_detail_key made; false (d zeroed) for any other key. */
bool s3_detail_parse(const char *key, struct s3_detail *d);
void s3_detail_done(struct s3_detail *d);

/* Where bucket's requests go under cfg: the configured S3 endpoint (an emulator, a VPC
 * endpoint) as it is, or AWS's public endpoint of region when it is known and not the
 * profile's; the profile's `s3 = addressing_style` (path, virtual, auto). 0, or -1 with
 * err (no region known, a bad ARN). */
int s3_detail_locate(const struct aws_config *cfg, const char *bucket, const char *region,
                     struct s3_location *loc, struct aws_error *err);

#endif
