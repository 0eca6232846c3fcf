/* fuzz_payload.c - what the message viewer and the s3 view make of bytes they did not write:
 * the SQS extended-client pointer to an S3 payload (both its Java and its Python forms), and
 * the object preview (text, JSON indented, gzip inflated, else a hex dump). The preview never
 * fails and always says what it shows; a pointer names a non-empty bucket and key. */
#include "config.h"
#include "fuzz_util.h"

#include <stdlib.h>
#include <string.h>

#include "aws/sqs_check.h"
#include "util/preview.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *body = malloc(size + 1), *bucket = NULL, *key = NULL;
    struct preview pv;

    memcpy(body, data, size);
    body[size] = '\0';
    if (sqs_s3_pointer(body, &bucket, &key)) {
        if (!bucket || !key || !*bucket || !*key)
            abort();
    }
    free(bucket);
    free(key);
    free(body);

    memset(&pv, 0, sizeof(pv));
    preview_render(data, size, size ? (long long)size + (data[0] & 1) : -1, &pv);
    if (!pv.text || !pv.kind)
        abort();
    preview_done(&pv);
    return 0;
}
