/* fuzz_awsconfig.c - the AWS CLI's config and credentials files, and what is resolved from
 * them (profile chains, regions, endpoints). The input is the config file; its second half
 * after a "\n--\n" line, when there is one, is the credentials file. */
#include "config.h"
#include "fuzz_util.h"

#include <stdlib.h>

#include "conf/awsconfig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct aws_config_opts co = {0};
    struct aws_error err;
    struct aws_config *cfg;
    char cpath[64], kpath[64];
    const uint8_t *split = size >= 4 ? memmem(data, size, "\n--\n", 4) : NULL;
    size_t clen = split ? (size_t)(split - data) : size;
    int cfd, kfd;

    cfd = fuzz_file(data, clen, cpath, sizeof(cpath));
    kfd = fuzz_file(split ? split + 4 : data, split ? size - clen - 4 : 0, kpath, sizeof(kpath));
    if (cfd < 0 || kfd < 0)
        abort();
    setenv("AWS_CONFIG_FILE", cpath, 1);
    setenv("AWS_SHARED_CREDENTIALS_FILE", kpath, 1);
    unsetenv("AWS_PROFILE");
    unsetenv("AWS_REGION");
    unsetenv("AWS_DEFAULT_REGION");
    aws_error_clear(&err);
    cfg = aws_config_new(&co, &err);
    if (cfg) {
        static const char *const services[] = {"sqs", "sns", "s3", "sts", "monitoring", "sso"};
        for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++)
            free(aws_config_endpoint(cfg, services[i], NULL, &err));
        aws_config_get(cfg, cfg->profile, "role_arn");
        aws_config_free(cfg);
    }
    /* a named profile too: "[profile p]" chains and source_profile loops */
    co.profile = "p";
    cfg = aws_config_new(&co, &err);
    aws_config_free(cfg);
    close(cfd);
    close(kfd);
    return 0;
}
