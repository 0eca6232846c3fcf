/* fuzz_secretsmanager.c - the Secrets Manager ListSecrets and DescribeSecret parsers. */
#include "config.h"
#include "fuzz_util.h"

#include "aws/secretsmanager.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct aws_response r;
    struct aws_error err;
    struct secretsmanager_secret_list l;
    struct secretsmanager_secret s;

    fuzz_response(&r, data, size);
    aws_error_clear(&err);
    if (secretsmanager_list_secrets_parse(&r, &l, &err) == 0)
        secretsmanager_secret_list_free(&l);
    if (secretsmanager_describe_secret_parse(&r, &s, &err) == 0)
        secretsmanager_secret_free(&s);
    aws_response_done(&r);
    return 0;
}
