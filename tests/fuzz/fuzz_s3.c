/* fuzz_s3.c - the S3 REST-XML listing parsers (ListBuckets, ListObjectsV2 with URL-encoded
 * keys and continuation tokens). */
#include "config.h"
#include "fuzz_util.h"

#include <stdlib.h>
#include <string.h>

#include "aws/s3.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct aws_response r;
    struct aws_error err;
    struct s3_bucket_list b;
    struct s3_object_list o;
    struct s3_version_list v;
    struct s3_tag_list t;
    struct s3_object_head h;
    struct s3_range rg;
    char *region;

    fuzz_response(&r, data, size);
    aws_error_clear(&err);
    if (s3_list_buckets_parse(&r, &b, &err) >= 0)
        s3_bucket_list_free(&b);
    if (s3_list_objects_v2_parse(&r, &o, &err) >= 0)
        s3_object_list_free(&o);
    if (s3_list_object_versions_parse(&r, &v, &err) >= 0)
        s3_version_list_free(&v);
    if (s3_get_object_tagging_parse(&r, &t, &err) == 0)
        s3_tag_list_free(&t);
    if (s3_get_bucket_location_parse(&r, &region, &err) == 0)
        free(region);
    /* the header readers, on the input as the value of each header they read */
    {
        static const char *const names[] = { "Content-Length", "Last-Modified", "x-amz-restore",
                                             "x-amz-delete-marker", "x-amz-tagging-count",
                                             "x-amz-meta-x", "Content-Range" };
        char *text = strndup((const char *)data, size);
        for (size_t i = 0; text && i < sizeof(names) / sizeof(names[0]); i++)
            aws_response_add_header(&r, names[i], text);
        free(text);
        if (s3_head_object_parse(&r, &h, &err) == 0)
            s3_object_head_free(&h);
        r.status = 206;
        s3_get_object_range_parse(&r, &rg, &err);
    }
    aws_response_done(&r);
    return 0;
}
