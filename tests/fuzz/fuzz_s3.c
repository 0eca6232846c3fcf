/* fuzz_s3.c - the S3 REST-XML listing parsers (ListBuckets, ListObjectsV2 with URL-encoded
 * keys and continuation tokens). */
#include "config.h"
#include "fuzz_util.h"

#include "aws/s3.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct aws_response r;
    struct aws_error err;
    struct s3_bucket_list b;
    struct s3_object_list o;

    fuzz_response(&r, data, size);
    aws_error_clear(&err);
    if (s3_list_buckets_parse(&r, &b, &err) == 0)
        s3_bucket_list_free(&b);
    if (s3_list_objects_v2_parse(&r, &o, &err) == 0)
        s3_object_list_free(&o);
    aws_response_done(&r);
    return 0;
}
