/* fuzz_sso.c - the JSON that carries credentials: the SSO portal and OIDC answers,
 * credential_process output, container/IMDS credentials, and the SSO token cache file. */
#include "config.h"
#include "fuzz_util.h"

#include <stdlib.h>

#include "aws/sso.h"
#include "creds/creds.h"
#include "creds/creds_process.h"
#include "creds/creds_remote.h"
#include "creds/creds_sso.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct aws_response r;
    struct aws_error err;
    struct sso_role_credentials rc;
    struct oidc_client oc;
    struct oidc_device_auth da;
    struct oidc_token ot;
    struct sso_token st;
    struct aws_credentials *c;
    char path[64];
    int fd;

    fuzz_response(&r, data, size);
    aws_error_clear(&err);
    if (sso_get_role_credentials_parse(&r, &rc, &err) == 0)
        sso_role_credentials_free(&rc);
    if (oidc_register_client_parse(&r, &oc, &err) == 0)
        oidc_client_free(&oc);
    if (oidc_start_device_authorization_parse(&r, &da, &err) == 0)
        oidc_device_auth_free(&da);
    if (oidc_create_token_parse(&r, &ot, &err) == 0)
        oidc_token_free(&ot);
    aws_response_done(&r);

    c = creds_process_parse((const char *)data, size, "fuzz", &err);
    aws_credentials_free(c);
    c = creds_remote_parse((const char *)data, size, "fuzz", &err);
    aws_credentials_free(c);

    fd = fuzz_file(data, size, path, sizeof(path));
    if (fd >= 0) {
        memset(&st, 0, sizeof(st));
        if (sso_token_load(path, &st, &err) == 0)
            sso_token_done(&st);
        close(fd);
    }
    return 0;
}
