/* config_dump - print what opsdeck resolves, one key=value per line, for differential tests.
 *
 *   config_dump [--profile P] [--region R] [--endpoint-url U]
 *
 * Per service: endpoint.S, endpoint.S.source and signing_region.S (or endpoint.S.error).
 * Never prints a secret: the secret key and session token appear as their SHA-256, so a
 * test can compare them with botocore's without either side showing them. Exit status: 0,
 * or 1 when the configuration cannot be loaded (then "error=..." is printed). */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmdwait.h"
#include "conf/awsconfig.h"
#include "core/client.h"
#include "creds/creds.h"

static void print_sha256(const char *key, const char *s)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;

    if (!s) {
        printf("%s=none\n", key);
        return;
    }
    EVP_Digest(s, strlen(s), md, &n, EVP_sha256(), NULL);
    printf("%s=", key);
    for (unsigned int i = 0; i < n; i++)
        printf("%02x", md[i]);
    printf("\n");
}

int main(int argc, char **argv)
{
    static const char *const services[] = {
        "sqs", "sns", "s3", "sts", "monitoring", "iam", "secretsmanager", "ssm", "events",
        "lambda", "logs", "ec2", "portal.sso", "oidc",
    };
    struct aws_config_opts opts = {0};
    struct aws_config *cfg;
    struct creds_manager *cm;
    struct aws_client *client;
    const struct aws_credentials *c;
    struct aws_error err;

    for (int i = 1; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "--profile") == 0)
            opts.profile = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--region") == 0)
            opts.region = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--endpoint-url") == 0)
            opts.endpoint_url = argv[++i];
        else {
            fprintf(stderr, "usage: config_dump [--profile P] [--region R] [--endpoint-url U]\n");
            return 2;
        }
    }
    aws_error_clear(&err);
    cfg = aws_config_new(&opts, &err);
    if (!cfg) {
        printf("error=%s\n", err.message);
        return 1;
    }
    printf("profile=%s\nprofile_source=%s\nprofile_explicit=%s\n", cfg->profile,
           cfg->profile_source, cfg->profile_explicit ? "true" : "false");
    printf("region=%s\nregion_source=%s\n", cfg->region ? cfg->region : "",
           cfg->region_source ? cfg->region_source : "");
    printf("config_file=%s\ncredentials_file=%s\n", cfg->config_file, cfg->credentials_file);
    for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++) {
        const char *src = NULL;
        char *url;

        aws_error_clear(&err);
        url = aws_config_endpoint(cfg, services[i], &src, &err);
        if (url)
            printf("endpoint.%s=%s\nendpoint.%s.source=%s\nsigning_region.%s=%s\n",
                   services[i], url, services[i], src, services[i],
                   aws_config_signing_region(cfg, services[i], src));
        else
            printf("endpoint.%s.error=%s\n", services[i], err.message);
        free(url);
    }
    cm = creds_manager_new(cfg);
    /* the providers that call out (STS, a credential_process child, metadata services) run
     * on this client's wait, as in the commands */
    client = aws_client_new(cfg, creds_manager_source(cm), NULL);
    aws_error_clear(&err);
    switch (cmdwait_credentials(cm, client, &c, &err)) {
    case CREDS_OK:
        printf("creds.status=ok\ncreds.method=%s\ncreds.source=%s\ncreds.access_key_id=%s\n",
               creds_manager_method(cm), c->source, c->access_key_id);
        print_sha256("creds.secret_sha256", c->secret_access_key);
        print_sha256("creds.token_sha256", c->session_token);
        printf("creds.expiration=%lld\n", (long long)c->expiration);
        break;
    case CREDS_PENDING:
        printf("creds.status=pending\n");
        break;
    case CREDS_ERROR:
        printf("creds.status=error\ncreds.error=%s\n", err.message);
        break;
    }
    aws_client_free(client);
    creds_manager_free(cm);
    aws_config_free(cfg);
    return 0;
}
