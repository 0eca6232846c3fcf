/* iam.c - IAM requests (query protocol) and answers, and the credential report's CSV. */
#include "config.h"
#include "aws/iam.h"
#include "core/proto.h"
#include "core/xmlutil.h"
#include "util/xalloc.h"
#include "util/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IAM_VERSION "2010-05-08"

static void iam_read(struct aws_request *r, const char *action, const char *user)
{
    aws_request_init(r, "iam", action, "POST");
    proto_query_request(r, action, IAM_VERSION, NULL);
    if (user && *user)
        proto_query_add(r, "UserName", user);
}

/* The action's <Result>, and the element inside it (NULL name: the result itself). */
static xmlNode *result_of(xmlDoc **doc, const struct aws_response *resp, const char *action,
                          const char *name, struct aws_error *err)
{
    xmlNode *res;

    *doc = xml_parse(resp->body.data, resp->body.len, err);
    if (!*doc || !(res = xml_query_result(*doc, action, err)))
        return NULL;
    if (name && !(res = xml_child(res, name))) {
        aws_error_set(err, AWS_ERR_PARSE, "no <%s> in the response", name);
        return NULL;
    }
    return res;
}

/* An ISO 8601 child as epoch seconds, -1 when absent. */
static int time_child(const xmlNode *n, const char *name, int64_t *out, struct aws_error *err)
{
    char *v = NULL;

    *out = -1;
    if (xml_child_text(n, name, &v, err) != 1)
        return 0;
    if (timeutil_parse_iso8601(v, out) < 0) {
        *out = -1;
        aws_error_set(err, AWS_ERR_PARSE, "<%s> is not an ISO 8601 time: '%.40s'", name, v);
        free(v);
        return -1;
    }
    free(v);
    return 0;
}

static int fail_with(xmlDoc *doc, const struct aws_response *resp, struct aws_error *err,
                     const char *ctx)
{
    xml_free(doc);
    proto_error_response(err, resp, ctx);
    return -1;
}

/* ---- password policy ---- */

void iam_get_account_password_policy_request(struct aws_request *r)
{
    iam_read(r, "GetAccountPasswordPolicy", NULL);
}

int iam_get_account_password_policy_parse(const struct aws_response *resp,
                                          struct iam_password_policy *out,
                                          struct aws_error *err)
{
    struct iam_password_policy p = { .max_age_days = -1, .min_length = -1,
                                     .reuse_prevention = -1 };
    xmlDoc *doc;
    xmlNode *pol;

    memset(out, 0, sizeof(*out));
    out->max_age_days = out->min_length = out->reuse_prevention = -1;
    pol = result_of(&doc, resp, "GetAccountPasswordPolicy", "PasswordPolicy", err);
    if (!pol ||
        xml_child_bool(pol, "ExpirePasswords", &p.expire_passwords, err) < 0 ||
        xml_child_int64(pol, "MaxPasswordAge", 1, 1095, &p.max_age_days, err) < 0 ||
        xml_child_bool(pol, "HardExpiry", &p.hard_expiry, err) < 0 ||
        xml_child_bool(pol, "AllowUsersToChangePassword", &p.allow_users_to_change, err) < 0 ||
        xml_child_int64(pol, "MinimumPasswordLength", 0, 128, &p.min_length, err) < 0 ||
        xml_child_int64(pol, "PasswordReusePrevention", 0, 24, &p.reuse_prevention, err) < 0 ||
        xml_child_bool(pol, "RequireSymbols", &p.require_symbols, err) < 0 ||
        xml_child_bool(pol, "RequireNumbers", &p.require_numbers, err) < 0 ||
        xml_child_bool(pol, "RequireUppercaseCharacters", &p.require_uppercase, err) < 0 ||
        xml_child_bool(pol, "RequireLowercaseCharacters", &p.require_lowercase, err) < 0)
        return fail_with(doc, resp, err, "IAM GetAccountPasswordPolicy");
    /* a policy that says passwords expire must say when */
    if (p.expire_passwords && p.max_age_days < 0) {
        aws_error_set(err, AWS_ERR_PARSE, "ExpirePasswords without MaxPasswordAge");
        return fail_with(doc, resp, err, "IAM GetAccountPasswordPolicy");
    }
    xml_free(doc);
    *out = p;
    return 0;
}

/* ---- users ---- */

void iam_get_user_request(struct aws_request *r, const char *user)
{
    iam_read(r, "GetUser", user);
}

void iam_user_free(struct iam_user *u)
{
    free(u->name);
    free(u->id);
    free(u->arn);
    free(u->path);
    memset(u, 0, sizeof(*u));
}

int iam_get_user_parse(const struct aws_response *resp, struct iam_user *out,
                       struct aws_error *err)
{
    struct iam_user u = { 0 };
    xmlDoc *doc;
    xmlNode *n;

    memset(out, 0, sizeof(*out));
    n = result_of(&doc, resp, "GetUser", "User", err);
    if (!n || xml_child_required(n, "UserName", &u.name, err) < 0 ||
        xml_child_required(n, "Arn", &u.arn, err) < 0 ||
        time_child(n, "CreateDate", &u.created, err) < 0 ||
        time_child(n, "PasswordLastUsed", &u.password_last_used, err) < 0) {
        iam_user_free(&u);
        return fail_with(doc, resp, err, "IAM GetUser");
    }
    xml_child_text(n, "UserId", &u.id, err);
    xml_child_text(n, "Path", &u.path, err);
    xml_free(doc);
    *out = u;
    return 0;
}

void iam_get_login_profile_request(struct aws_request *r, const char *user)
{
    iam_read(r, "GetLoginProfile", user);
}

void iam_login_profile_free(struct iam_login_profile *p)
{
    free(p->user);
    memset(p, 0, sizeof(*p));
}

int iam_get_login_profile_parse(const struct aws_response *resp, struct iam_login_profile *out,
                                struct aws_error *err)
{
    struct iam_login_profile p = { 0 };
    xmlDoc *doc;
    xmlNode *n;

    memset(out, 0, sizeof(*out));
    n = result_of(&doc, resp, "GetLoginProfile", "LoginProfile", err);
    if (!n || xml_child_required(n, "UserName", &p.user, err) < 0 ||
        time_child(n, "CreateDate", &p.created, err) < 0 ||
        xml_child_bool(n, "PasswordResetRequired", &p.reset_required, err) < 0) {
        iam_login_profile_free(&p);
        return fail_with(doc, resp, err, "IAM GetLoginProfile");
    }
    xml_free(doc);
    *out = p;
    return 0;
}

/* ---- access keys ---- */

void iam_list_access_keys_request(struct aws_request *r, const char *user, const char *marker)
{
    iam_read(r, "ListAccessKeys", user);
    if (marker && *marker)
        proto_query_add(r, "Marker", marker);
}

void iam_access_key_list_free(struct iam_access_key_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->keys[i].user);
        free(l->keys[i].id);
        free(l->keys[i].status);
    }
    free(l->keys);
    free(l->marker);
    memset(l, 0, sizeof(*l));
}

int iam_list_access_keys_parse(const struct aws_response *resp, struct iam_access_key_list *out,
                               struct aws_error *err)
{
    struct iam_access_key_list l = { 0 };
    bool truncated = false;
    xmlDoc *doc;
    xmlNode *res;

    memset(out, 0, sizeof(*out));
    res = result_of(&doc, resp, "ListAccessKeys", NULL, err);
    if (!res || xml_child_bool(res, "IsTruncated", &truncated, err) < 0)
        goto fail;
    XML_FOREACH(m, xml_child(res, "AccessKeyMetadata"), "member") {
        struct iam_access_key *k;
        l.keys = proto_grow(l.keys, l.n, sizeof(*l.keys));
        k = memset(&l.keys[l.n++], 0, sizeof(*k));
        if (xml_child_required(m, "AccessKeyId", &k->id, err) < 0 ||
            xml_child_required(m, "Status", &k->status, err) < 0 ||
            time_child(m, "CreateDate", &k->created, err) < 0) {
            char what[32];
            snprintf(what, sizeof(what), "key %zu", l.n);
            proto_error_prefix(err, what);
            goto fail;
        }
        xml_child_text(m, "UserName", &k->user, err);
    }
    if (xml_child_text(res, "Marker", &l.marker, err) == 1 && !*l.marker) {
        free(l.marker);
        l.marker = NULL;
    }
    if (!truncated) {
        free(l.marker);
        l.marker = NULL;
    } else if (!l.marker) {
        aws_error_set(err, AWS_ERR_PARSE, "IsTruncated without a <Marker>");
        goto fail;
    }
    xml_free(doc);
    *out = l;
    return 0;
fail:
    iam_access_key_list_free(&l);
    return fail_with(doc, resp, err, "IAM ListAccessKeys");
}

void iam_get_access_key_last_used_request(struct aws_request *r, const char *access_key_id)
{
    iam_read(r, "GetAccessKeyLastUsed", NULL);
    proto_query_add(r, "AccessKeyId", access_key_id);
}

void iam_key_last_used_free(struct iam_key_last_used *k)
{
    free(k->user);
    free(k->service);
    free(k->region);
    memset(k, 0, sizeof(*k));
}

int iam_get_access_key_last_used_parse(const struct aws_response *resp,
                                       struct iam_key_last_used *out, struct aws_error *err)
{
    struct iam_key_last_used k = { .last_used = -1 };
    xmlDoc *doc;
    xmlNode *res, *used;

    memset(out, 0, sizeof(*out));
    out->last_used = -1;
    res = result_of(&doc, resp, "GetAccessKeyLastUsed", NULL, err);
    if (!res)
        return fail_with(doc, resp, err, "IAM GetAccessKeyLastUsed");
    used = xml_child(res, "AccessKeyLastUsed");
    if (!used) {
        aws_error_set(err, AWS_ERR_PARSE, "no <AccessKeyLastUsed> in the response");
        return fail_with(doc, resp, err, "IAM GetAccessKeyLastUsed");
    }
    if (time_child(used, "LastUsedDate", &k.last_used, err) < 0)
        return fail_with(doc, resp, err, "IAM GetAccessKeyLastUsed");
    xml_child_text(res, "UserName", &k.user, err);
    xml_child_text(used, "ServiceName", &k.service, err);
    xml_child_text(used, "Region", &k.region, err);
    xml_free(doc);
    *out = k;
    return 0;
}

/* ---- the credential report ---- */

void iam_generate_credential_report_request(struct aws_request *r)
{
    iam_read(r, "GenerateCredentialReport", NULL);
}

void iam_report_state_free(struct iam_report_state *s)
{
    free(s->state);
    free(s->description);
    memset(s, 0, sizeof(*s));
}

int iam_generate_credential_report_parse(const struct aws_response *resp,
                                         struct iam_report_state *out, struct aws_error *err)
{
    struct iam_report_state s = { 0 };
    xmlDoc *doc;
    xmlNode *res;

    memset(out, 0, sizeof(*out));
    res = result_of(&doc, resp, "GenerateCredentialReport", NULL, err);
    if (!res || xml_child_required(res, "State", &s.state, err) < 0) {
        iam_report_state_free(&s);
        return fail_with(doc, resp, err, "IAM GenerateCredentialReport");
    }
    xml_child_text(res, "Description", &s.description, err);
    xml_free(doc);
    *out = s;
    return 0;
}

void iam_get_credential_report_request(struct aws_request *r)
{
    iam_read(r, "GetCredentialReport", NULL);
}

void iam_credential_report_free(struct iam_credential_report *c)
{
    free(c->csv);
    free(c->format);
    memset(c, 0, sizeof(*c));
}

int iam_get_credential_report_parse(const struct aws_response *resp,
                                    struct iam_credential_report *out, struct aws_error *err)
{
    struct iam_credential_report c = { .generated = -1 };
    unsigned char *csv = NULL;
    char *b64 = NULL;
    xmlDoc *doc;
    xmlNode *res;

    memset(out, 0, sizeof(*out));
    out->generated = -1;
    res = result_of(&doc, resp, "GetCredentialReport", NULL, err);
    if (!res || xml_child_required(res, "Content", &b64, err) < 0 ||
        time_child(res, "GeneratedTime", &c.generated, err) < 0)
        goto fail;
    if (proto_base64_decode(b64, &csv, &c.len) < 0) {
        aws_error_set(err, AWS_ERR_PARSE, "<Content> is not base64");
        goto fail;
    }
    if (memchr(csv, '\0', c.len)) {
        aws_error_set(err, AWS_ERR_PARSE, "<Content> holds a NUL byte: not a CSV report");
        goto fail;
    }
    c.csv = (char *)csv;
    csv = NULL;
    xml_child_text(res, "ReportFormat", &c.format, err);
    free(b64);
    xml_free(doc);
    *out = c;
    return 0;
fail:
    free(b64);
    free(csv);
    iam_credential_report_free(&c);
    return fail_with(doc, resp, err, "IAM GetCredentialReport");
}

/* ---- the CSV ---- */

struct csv_line {
    char **f;
    size_t n;
};

static void csv_line_free(struct csv_line *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->f[i]);
    free(l->f);
    memset(l, 0, sizeof(*l));
}

static void csv_push(struct csv_line *l, struct buf *field)
{
    l->f = proto_grow(l->f, l->n, sizeof(char *));
    l->f[l->n++] = field->data ? buf_steal(field) : xstrdup("");
}

/* Reads one record from *p: 1 when one was read, 0 at the end of the input, -1 with err.
 * Empty lines are skipped. */
static int csv_record(const char **p, const char *end, struct csv_line *out,
                      struct aws_error *err)
{
    const char *s = *p;
    struct buf field;

    memset(out, 0, sizeof(*out));
    while (s < end && (*s == '\n' || (*s == '\r' && s + 1 < end && s[1] == '\n')))
        s += *s == '\r' ? 2 : 1;
    if (s >= end) {
        *p = s;
        return 0;
    }
    buf_init(&field);
    for (;;) {
        if (s < end && *s == '"') {
            /* quoted: "" is a quote; the field ends at the lone closing quote */
            for (s++;; s++) {
                if (s >= end) {
                    aws_error_set(err, AWS_ERR_PARSE, "a quoted field is not closed");
                    goto fail;
                }
                if (*s == '"') {
                    if (s + 1 < end && s[1] == '"') {
                        buf_putc(&field, '"');
                        s++;
                        continue;
                    }
                    s++;
                    break;
                }
                buf_putc(&field, *s);
            }
            if (s < end && *s != ',' && *s != '\n' && *s != '\r') {
                aws_error_set(err, AWS_ERR_PARSE, "text after a closing quote");
                goto fail;
            }
        } else {
            while (s < end && *s != ',' && *s != '\n' && *s != '\r') {
                if (*s == '"') {
                    aws_error_set(err, AWS_ERR_PARSE, "a quote inside an unquoted field");
                    goto fail;
                }
                buf_putc(&field, *s++);
            }
        }
        csv_push(out, &field);
        if (s < end && *s == ',') {
            s++;
            continue;
        }
        if (s < end && *s == '\r') {
            if (s + 1 >= end || s[1] != '\n') {
                aws_error_set(err, AWS_ERR_PARSE, "a carriage return inside a field");
                goto fail;
            }
            s++;
        }
        if (s < end)
            s++; /* the '\n' */
        break;
    }
    *p = s;
    return 1;
fail:
    buf_done(&field);
    csv_line_free(out);
    return -1;
}

void iam_report_free(struct iam_report *r)
{
    for (size_t i = 0; i < r->n; i++) {
        struct iam_report_row *w = &r->rows[i];
        free(w->user);
        free(w->arn);
        for (int k = 0; k < 2; k++) {
            free(w->keys[k].last_used_region);
            free(w->keys[k].last_used_service);
        }
        kv_free_array(w->fields, w->nfields);
    }
    free(r->rows);
    memset(r, 0, sizeof(*r));
}

const struct iam_report_row *iam_report_find(const struct iam_report *r, const char *user)
{
    for (size_t i = 0; r && user && i < r->n; i++)
        if (strcmp(r->rows[i].user, user) == 0)
            return &r->rows[i];
    return NULL;
}

/* The report writes "N/A", "no_information" or "not_supported" where there is no value. */
static bool no_value(const char *v)
{
    return !v || !*v || strcmp(v, "N/A") == 0 || strcmp(v, "no_information") == 0 ||
           strcmp(v, "not_supported") == 0;
}

static int csv_time(const struct iam_report_row *w, const char *col, int64_t *out,
                    struct aws_error *err)
{
    const char *v = kv_get(w->fields, w->nfields, col);

    *out = -1;
    if (no_value(v))
        return 0;
    if (timeutil_parse_iso8601(v, out) < 0) {
        *out = -1;
        aws_error_set(err, AWS_ERR_PARSE, "%s is not a time: '%.40s'", col, v);
        return -1;
    }
    return 0;
}

static int csv_bool(const struct iam_report_row *w, const char *col, bool *out,
                    struct aws_error *err)
{
    const char *v = kv_get(w->fields, w->nfields, col);

    *out = false;
    if (no_value(v))
        return 0;
    if (proto_parse_bool(v, out) < 0) {
        aws_error_set(err, AWS_ERR_PARSE, "%s is not true or false: '%.20s'", col, v);
        return -1;
    }
    return 0;
}

static char *csv_text(const struct iam_report_row *w, const char *col)
{
    const char *v = kv_get(w->fields, w->nfields, col);

    return no_value(v) ? NULL : xstrdup(v);
}

static int report_row(struct iam_report_row *w, struct aws_error *err)
{
    char col[64];

    w->user = xstrdup(kv_get(w->fields, w->nfields, "user"));
    w->arn = xstrdup(kv_get(w->fields, w->nfields, "arn"));
    if (!*w->user) {
        aws_error_set(err, AWS_ERR_PARSE, "empty user");
        return -1;
    }
    if (csv_time(w, "user_creation_time", &w->user_created, err) < 0 ||
        csv_bool(w, "password_enabled", &w->password_enabled, err) < 0 ||
        csv_time(w, "password_last_used", &w->password_last_used, err) < 0 ||
        csv_time(w, "password_last_changed", &w->password_last_changed, err) < 0 ||
        csv_time(w, "password_next_rotation", &w->password_next_rotation, err) < 0 ||
        csv_bool(w, "mfa_active", &w->mfa_active, err) < 0)
        return -1;
    for (int k = 0; k < 2; k++) {
        struct iam_report_key *key = &w->keys[k];
        snprintf(col, sizeof(col), "access_key_%d_active", k + 1);
        if (csv_bool(w, col, &key->active, err) < 0)
            return -1;
        snprintf(col, sizeof(col), "access_key_%d_last_rotated", k + 1);
        if (csv_time(w, col, &key->last_rotated, err) < 0)
            return -1;
        snprintf(col, sizeof(col), "access_key_%d_last_used_date", k + 1);
        if (csv_time(w, col, &key->last_used, err) < 0)
            return -1;
        snprintf(col, sizeof(col), "access_key_%d_last_used_region", k + 1);
        key->last_used_region = csv_text(w, col);
        snprintf(col, sizeof(col), "access_key_%d_last_used_service", k + 1);
        key->last_used_service = csv_text(w, col);
    }
    return 0;
}

int iam_report_parse_csv(const char *csv, size_t len, struct iam_report *out,
                         struct aws_error *err)
{
    struct iam_report r = { 0 };
    struct csv_line head = { 0 }, line = { 0 };
    const char *p = csv, *end = csv ? csv + len : NULL;
    size_t lineno = 1;
    bool has_user = false, has_arn = false;
    int rc;

    memset(out, 0, sizeof(*out));
    if (!csv || memchr(csv, '\0', len)) {
        aws_error_set(err, AWS_ERR_PARSE, "no report, or a NUL byte in it");
        goto fail;
    }
    if ((rc = csv_record(&p, end, &head, err)) <= 0) {
        if (rc == 0)
            aws_error_set(err, AWS_ERR_PARSE, "empty report");
        goto fail;
    }
    for (size_t i = 0; i < head.n; i++) {
        has_user |= strcmp(head.f[i], "user") == 0;
        has_arn |= strcmp(head.f[i], "arn") == 0;
    }
    if (!has_user || !has_arn) {
        aws_error_set(err, AWS_ERR_PARSE, "the header line has no user or arn column");
        goto fail;
    }
    while ((rc = csv_record(&p, end, &line, err)) == 1) {
        struct iam_report_row *w;
        lineno++;
        if (line.n != head.n) {
            aws_error_set(err, AWS_ERR_PARSE, "line %zu has %zu fields, the header %zu", lineno,
                          line.n, head.n);
            goto fail;
        }
        r.rows = proto_grow(r.rows, r.n, sizeof(*r.rows));
        w = memset(&r.rows[r.n++], 0, sizeof(*w));
        w->fields = xcalloc(head.n, sizeof(struct kv));
        for (size_t i = 0; i < head.n; i++) {
            w->fields[i].name = xstrdup(head.f[i]);
            w->fields[i].value = line.f[i];
            line.f[i] = NULL;
        }
        w->nfields = head.n;
        csv_line_free(&line);
        if (report_row(w, err) < 0) {
            char what[32];
            snprintf(what, sizeof(what), "line %zu", lineno);
            proto_error_prefix(err, what);
            goto fail;
        }
    }
    if (rc < 0) {
        char what[32];
        snprintf(what, sizeof(what), "line %zu", lineno + 1);
        proto_error_prefix(err, what);
        goto fail;
    }
    csv_line_free(&head);
    *out = r;
    return 0;
fail:
    csv_line_free(&head);
    csv_line_free(&line);
    iam_report_free(&r);
    proto_error_prefix(err, "IAM credential report");
    return -1;
}
