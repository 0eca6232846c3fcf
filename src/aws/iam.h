/* iam.h - AWS IAM over the query protocol (Version 2010-05-08), XML answers: what the expiry
 * view needs to know when a console password or an access key runs out. Pure. Conventions
 * (request init, parse errors, _free, numbers, paging): see sqs.h. IAM is global: the
 * client sends these to the partition's IAM host, signed for its region (config.c).
 *
 * Exported API (summary):
 *   void iam_get_account_password_policy_request(r);
 *   int  iam_get_account_password_policy_parse(resp, &iam_password_policy, err);
 *   void iam_get_user_request(r, user /+ NULL: the caller +/);
 *   int  iam_get_user_parse(resp, &iam_user, err);
 *   void iam_get_login_profile_request(r, user /+ NULL: the caller +/);
 *   int  iam_get_login_profile_parse(resp, &iam_login_profile, err);
 *   void iam_list_access_keys_request(r, user /+ NULL +/, marker /+ NULL +/);  paged: Marker
 *   int  iam_list_access_keys_parse(resp, &iam_access_key_list, err);
 *   void iam_get_access_key_last_used_request(r, access_key_id);
 *   int  iam_get_access_key_last_used_parse(resp, &iam_key_last_used, err);
 *   void iam_generate_credential_report_request(r);
 *   int  iam_generate_credential_report_parse(resp, &iam_report_state, err);
 *   void iam_get_credential_report_request(r);
 *   int  iam_get_credential_report_parse(resp, &iam_credential_report, err);  base64 CSV
 *   int  iam_report_parse_csv(csv, len, &iam_report, err);
 *   const struct iam_report_row *iam_report_find(&report, user);
 *   ..._free for each result.
 *
 * An account without a password policy is answered 404 NoSuchEntity (an error from the
 * client), not an empty policy; a user without a console password likewise for
 * GetLoginProfile. Times are epoch seconds, -1 when absent or "never". */
#ifndef OPSDECK_AWS_IAM_H
#define OPSDECK_AWS_IAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/awserr.h"
#include "core/request.h"

/* ---- the account's password policy ---- */

struct iam_password_policy {
    bool expire_passwords;        /* ExpirePasswords: MaxPasswordAge is set */
    int64_t max_age_days;         /* MaxPasswordAge, -1 when passwords do not expire */
    bool hard_expiry;             /* HardExpiry: an expired password locks the console; an
                                   * access key can still change it */
    bool allow_users_to_change;   /* AllowUsersToChangePassword */
    int64_t min_length;           /* MinimumPasswordLength, -1 if absent */
    int64_t reuse_prevention;     /* PasswordReusePrevention, -1 if absent */
    bool require_symbols, require_numbers, require_uppercase, require_lowercase;
};

void iam_get_account_password_policy_request(struct aws_request *r);
int iam_get_account_password_policy_parse(const struct aws_response *resp,
                                          struct iam_password_policy *out,
                                          struct aws_error *err);

/* ---- users ---- */

struct iam_user {
    char *name;
    char *id;
    char *arn;
    char *path;
    int64_t created;
    int64_t password_last_used;   /* PasswordLastUsed, -1 never or no password */
};

void iam_get_user_request(struct aws_request *r, const char *user);
int iam_get_user_parse(const struct aws_response *resp, struct iam_user *out,
                       struct aws_error *err);
void iam_user_free(struct iam_user *u);

struct iam_login_profile {
    char *user;
    int64_t created;
    bool reset_required;          /* PasswordResetRequired */
};

void iam_get_login_profile_request(struct aws_request *r, const char *user);
int iam_get_login_profile_parse(const struct aws_response *resp, struct iam_login_profile *out,
                                struct aws_error *err);
void iam_login_profile_free(struct iam_login_profile *p);

/* ---- access keys ---- */

struct iam_access_key {
    char *user;
    char *id;                     /* the access key id (not a secret) */
    char *status;                 /* "Active" or "Inactive" */
    int64_t created;
};

struct iam_access_key_list {
    struct iam_access_key *keys;
    size_t n;
    char *marker;                 /* next page's Marker, NULL when not truncated */
};

void iam_list_access_keys_request(struct aws_request *r, const char *user, const char *marker);
/* IsTruncated without a Marker is an error (following it would restart forever). */
int iam_list_access_keys_parse(const struct aws_response *resp, struct iam_access_key_list *out,
                               struct aws_error *err);
void iam_access_key_list_free(struct iam_access_key_list *l);

struct iam_key_last_used {
    char *user;
    int64_t last_used;            /* LastUsedDate, -1 never used */
    char *service;                /* "N/A" when never used, as IAM says */
    char *region;
};

void iam_get_access_key_last_used_request(struct aws_request *r, const char *access_key_id);
int iam_get_access_key_last_used_parse(const struct aws_response *resp,
                                       struct iam_key_last_used *out, struct aws_error *err);
void iam_key_last_used_free(struct iam_key_last_used *k);

/* ---- the credential report ---- */

struct iam_report_state {
    char *state;                  /* "STARTED", "INPROGRESS", "COMPLETE" */
    char *description;            /* NULL if absent */
};

/* Asks IAM to (re)build the report; IAM does so at most every 4 hours. Read-only in IAM's
 * own terms (its access level is Read, and it changes no user, key or policy), so it is not
 * a mutating request: the expiry view must work in read-only mode. */
void iam_generate_credential_report_request(struct aws_request *r);
int iam_generate_credential_report_parse(const struct aws_response *resp,
                                         struct iam_report_state *out, struct aws_error *err);
void iam_report_state_free(struct iam_report_state *s);

struct iam_credential_report {
    char *csv;                    /* the decoded Content (NUL-terminated) */
    size_t len;
    char *format;                 /* ReportFormat: "text/csv" */
    int64_t generated;            /* GeneratedTime: how old the picture is */
};

void iam_get_credential_report_request(struct aws_request *r);
/* Content that is not base64, or that holds a NUL byte, fails the parse. */
int iam_get_credential_report_parse(const struct aws_response *resp,
                                    struct iam_credential_report *out, struct aws_error *err);
void iam_credential_report_free(struct iam_credential_report *c);

/* One line of the CSV. Times are -1 for "N/A", "no_information" and "not_supported". */
struct iam_report_key {
    bool active;
    int64_t last_rotated;
    int64_t last_used;
    char *last_used_region;       /* NULL for N/A */
    char *last_used_service;
};

struct iam_report_row {
    char *user;                   /* "<root_account>" for the account's root */
    char *arn;
    int64_t user_created;
    bool password_enabled;        /* false also for "not_supported" (the root's row) */
    int64_t password_last_used;
    int64_t password_last_changed;
    int64_t password_next_rotation;  /* set only when the policy makes passwords expire */
    bool mfa_active;
    struct iam_report_key keys[2];   /* access_key_1_*, access_key_2_* */
    struct kv *fields;            /* every column of the line, by header name */
    size_t nfields;
};

struct iam_report {
    struct iam_report_row *rows;
    size_t n;
};

/* RFC 4180 CSV (quoted fields with "" inside them allowed, LF or CRLF lines). The header
 * must name user and arn; a line with another number of fields than the header, an
 * unclosed quote, a NUL byte, or a time or boolean that does not read fails the parse with
 * the line number. */
int iam_report_parse_csv(const char *csv, size_t len, struct iam_report *out,
                         struct aws_error *err);
void iam_report_free(struct iam_report *r);
const struct iam_report_row *iam_report_find(const struct iam_report *r, const char *user);

#endif
