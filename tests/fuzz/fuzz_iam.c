/* fuzz_iam.c - the IAM answers, and the credential report's CSV on the raw input parsers. */
#include "config.h"
#include "fuzz_util.h"

#include "aws/iam.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct aws_response r;
    struct aws_error err;
    struct iam_password_policy p;
    struct iam_user u;
    struct iam_login_profile lp;
    struct iam_access_key_list k;
    struct iam_key_last_used lu;
    struct iam_report_state st;
    struct iam_credential_report c;
    struct iam_report rep;

    fuzz_response(&r, data, size);
    aws_error_clear(&err);
    iam_get_account_password_policy_parse(&r, &p, &err);
    if (iam_get_user_parse(&r, &u, &err) == 0)
        iam_user_free(&u);
    if (iam_get_login_profile_parse(&r, &lp, &err) == 0)
        iam_login_profile_free(&lp);
    if (iam_list_access_keys_parse(&r, &k, &err) == 0)
        iam_access_key_list_free(&k);
    if (iam_get_access_key_last_used_parse(&r, &lu, &err) == 0)
        iam_key_last_used_free(&lu);
    if (iam_generate_credential_report_parse(&r, &st, &err) == 0)
        iam_report_state_free(&st);
    if (iam_get_credential_report_parse(&r, &c, &err) == 0) {
        if (iam_report_parse_csv(c.csv, c.len, &rep, &err) == 0)
            iam_report_free(&rep);
        iam_credential_report_free(&c);
    }
    if (iam_report_parse_csv((const char *)data, size, &rep, &err) == 0)
        iam_report_free(&rep);
    aws_response_done(&r);
    return 0;
}
