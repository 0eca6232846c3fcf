/* test_constructors.c - every AWS request constructor says truthfully whether it writes.
 *
 * The write gate relies on one flag: a constructor in src/aws/ that builds a request for an
 * action that changes something in AWS uses aws_request_init_mutating, every other one
 * aws_request_init. This test does not keep its own list of constructors (one added
 * tomorrow would be missed): it reads the C sources of src/aws/, finds every exported
 * function whose first parameter is a `struct aws_request *`, follows its calls (through
 * static helpers such as sqs_request(r, "ListQueues", body)) to the aws_request_init* call
 * and its action name, and checks the flag against the truth below, which is written by
 * action name. An action the truth does not know fails the test until someone decides.
 *
 * To trust the reading of the sources, the constructors known today are also called, and
 * what they build (r.action, r.mutating) must be what the reading found; and the reader is
 * tested on small sources of its own, malformed ones included. Elsewhere in src/ (outside
 * src/aws and request.c), nobody may call aws_request_init_mutating, and no
 * aws_request_init may build an action that writes: a write built by hand would be sent
 * unmarked, around the gate. */
#include "config.h"
#include "check_tap.h"

#include <ctype.h>
#include <dirent.h>
#include <glob.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/cloudwatch.h"
#include "aws/s3.h"
#include "aws/sns.h"
#include "aws/sqs.h"
#include "aws/sso.h"
#include "aws/sts.h"
#include "core/request.h"

/* ---- the truth, by action name ------------------------------------------------------------ */

enum truth { T_UNKNOWN, T_READ, T_WRITE };

static enum truth truth_of(const char *action)
{
    /* named by the issue, and their batch forms */
    static const char *const writes[] = {
        "ReceiveMessage", "SendMessage", "SendMessageBatch", "Publish", "PublishBatch",
        "ChangeMessageVisibility", "ChangeMessageVisibilityBatch", "DeleteMessage",
        "DeleteMessageBatch", "PurgeQueue", "StartMessageMoveTask", "CancelMessageMoveTask",
        "PutParameter", "EnableRule", "DisableRule", "UpdateEventSourceMapping", NULL,
    };
    /* verbs that sound like writes but change nothing an operator watches: credentials are
     * exchanged (STS, SSO, SSO-OIDC), and IAM's credential report is only generated (IAM
     * lists GenerateCredentialReport among the read actions) */
    static const char *const reads[] = {
        "AssumeRole", "GetSessionToken", "GetRoleCredentials", "RegisterClient",
        "StartDeviceAuthorization", "CreateToken", "GenerateCredentialReport", NULL,
    };
    static const char *const read_prefixes[] = {"List", "Get", "Describe", "Head", "Filter",
                                                NULL};
    static const char *const write_prefixes[] = {
        "Send", "Publish", "Receive", "Delete", "Purge", "Put", "Change", "Cancel", "Start",
        "Enable", "Disable", "Update", "Create", "Set", "Tag", "Untag", "Add", "Remove",
        "Copy", "Rotate", "Restore", "Subscribe", "Unsubscribe", "Confirm", "Attach",
        "Detach", "Modify", "Upload", "Abort", "Complete", "Invoke", "Stop", "Restart", NULL,
    };

    for (size_t i = 0; writes[i]; i++)
        if (strcmp(action, writes[i]) == 0)
            return T_WRITE;
    for (size_t i = 0; reads[i]; i++)
        if (strcmp(action, reads[i]) == 0)
            return T_READ;
    for (size_t i = 0; read_prefixes[i]; i++)
        if (strncmp(action, read_prefixes[i], strlen(read_prefixes[i])) == 0)
            return T_READ;
    for (size_t i = 0; write_prefixes[i]; i++)
        if (strncmp(action, write_prefixes[i], strlen(write_prefixes[i])) == 0)
            return T_WRITE;
    return T_UNKNOWN;
}

/* ---- a C reader just good enough for constructors ----------------------------------------- */

enum tok_kind { TK_IDENT, TK_STRING, TK_PUNCT, TK_OTHER };

struct tok {
    enum tok_kind kind;
    char *text;          /* an identifier, a string's contents, one punctuation char */
    int line;
};

struct param {
    char *name;
    bool is_request;     /* its type is struct aws_request * */
};

/* An aws_request_init* reached from a function: the action is a literal, or one of the
 * function's own parameters (then a caller's argument decides), or unknown. */
struct init {
    char *action;        /* literal, or NULL */
    int param;           /* the parameter that carries it, -1 when literal or unknown */
    bool mutating;
    int line;
};

struct func {
    char *name;
    bool is_static;
    struct param *params;
    size_t nparams;
    size_t body, body_end;   /* token range of the body, '{' .. '}' */
    struct init *inits;
    size_t ninits;
    int state;               /* 0 not resolved, 1 resolving (a cycle), 2 resolved */
    int line;
};

struct source {
    const char *path;
    struct tok *t;
    size_t n;
    struct func *f;
    size_t nf;
    char problems[4096];     /* what the reader could not make sense of */
};

static void problem(struct source *s, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problem(struct source *s, int line, const char *fmt, ...)
{
    size_t len = strlen(s->problems);
    va_list ap;

    snprintf(s->problems + len, sizeof(s->problems) - len, "%s:%d: ", s->path, line);
    len = strlen(s->problems);
    va_start(ap, fmt);
    vsnprintf(s->problems + len, sizeof(s->problems) - len, fmt, ap);
    va_end(ap);
    len = strlen(s->problems);
    snprintf(s->problems + len, sizeof(s->problems) - len, "\n");
}

static void push(struct source *s, enum tok_kind k, const char *p, size_t len, int line)
{
    s->t = realloc(s->t, (s->n + 1) * sizeof(*s->t));
    ck_assert_ptr_nonnull(s->t);
    s->t[s->n].kind = k;
    s->t[s->n].text = strndup(p, len);
    s->t[s->n].line = line;
    s->n++;
}

/* Comments, preprocessor lines and character literals are skipped; string literals keep
 * their contents with escapes as written (action names have none). */
static void tokenize(struct source *s, const char *c)
{
    int line = 1;
    bool line_start = true;

    while (*c) {
        if (*c == '\n') {
            line++;
            line_start = true;
            c++;
        } else if (isspace((unsigned char)*c)) {
            c++;
        } else if (c[0] == '/' && c[1] == '*') {
            for (c += 2; *c && !(c[0] == '*' && c[1] == '/'); c++)
                line += *c == '\n';
            c += *c ? 2 : 0;
        } else if (c[0] == '/' && c[1] == '/') {
            while (*c && *c != '\n')
                c++;
        } else if (*c == '#' && line_start) {
            /* a directive, with its continuation lines */
            while (*c && *c != '\n') {
                if (c[0] == '\\' && c[1] == '\n') {
                    line++;
                    c++;
                }
                c++;
            }
        } else if (*c == '"' || *c == '\'') {
            char q = *c++;
            const char *start = c;

            while (*c && *c != q && *c != '\n') {
                if (*c == '\\' && c[1])
                    c++;
                c++;
            }
            if (q == '"')
                push(s, TK_STRING, start, (size_t)(c - start), line);
            else
                push(s, TK_OTHER, "'", 1, line);
            if (*c == q)
                c++;
            else
                problem(s, line, "an unterminated %s literal", q == '"' ? "string" : "char");
            line_start = false;
        } else if (isalpha((unsigned char)*c) || *c == '_') {
            const char *start = c;

            while (isalnum((unsigned char)*c) || *c == '_')
                c++;
            push(s, TK_IDENT, start, (size_t)(c - start), line);
            line_start = false;
        } else if (isdigit((unsigned char)*c)) {
            const char *start = c;

            while (isalnum((unsigned char)*c) || *c == '.')
                c++;
            push(s, TK_OTHER, start, (size_t)(c - start), line);
            line_start = false;
        } else {
            push(s, TK_PUNCT, c, 1, line);
            c++;
            line_start = false;
        }
    }
}

static bool is(const struct tok *t, const char *text)
{
    return (t->kind == TK_PUNCT || t->kind == TK_IDENT) && strcmp(t->text, text) == 0;
}

/* The token index of the bracket matching the one at i ('(' or '{'), or n. */
static size_t match(const struct source *s, size_t i)
{
    const char *open = s->t[i].text, *close = is(&s->t[i], "(") ? ")" : "}";
    int depth = 0;

    for (size_t k = i; k < s->n; k++) {
        if (is(&s->t[k], open))
            depth++;
        else if (is(&s->t[k], close) && --depth == 0)
            return k;
    }
    return s->n;
}

/* Top-level function definitions: NAME ( params ) { body } at brace depth 0. */
static void find_functions(struct source *s)
{
    size_t decl_start = 0;

    for (size_t i = 0; i < s->n; i++) {
        if (is(&s->t[i], ";")) {
            decl_start = i + 1;
            continue;
        }
        if (is(&s->t[i], "{")) {
            size_t end = match(s, i);

            /* a definition: the '{' follows the ')' of NAME( ... ) */
            if (i >= 3 && is(&s->t[i - 1], ")")) {
                size_t close = i - 1, open = close;
                int depth = 0;

                for (;; open--) {
                    if (is(&s->t[open], ")"))
                        depth++;
                    else if (is(&s->t[open], "(") && --depth == 0)
                        break;
                    if (open == decl_start)
                        break;
                }
                if (open > decl_start && s->t[open - 1].kind == TK_IDENT) {
                    struct func f = {0};

                    f.name = s->t[open - 1].text;
                    f.line = s->t[open - 1].line;
                    for (size_t k = decl_start; k < open; k++)
                        if (is(&s->t[k], "static"))
                            f.is_static = true;
                    /* parameters: split on ',' at depth 1 */
                    size_t pstart = open + 1;
                    int pd = 0;
                    for (size_t k = open + 1; k <= close; k++) {
                        if (is(&s->t[k], "(") || is(&s->t[k], "["))
                            pd++;
                        else if ((is(&s->t[k], ")") || is(&s->t[k], "]")) && k != close)
                            pd--;
                        if ((is(&s->t[k], ",") && pd == 0) || k == close) {
                            struct param p = {0};
                            bool has_struct = false, has_req = false, has_star = false;

                            for (size_t m = pstart; m < k; m++) {
                                if (s->t[m].kind == TK_IDENT)
                                    p.name = s->t[m].text;
                                has_struct |= is(&s->t[m], "struct");
                                has_req |= is(&s->t[m], "aws_request");
                                has_star |= is(&s->t[m], "*");
                            }
                            p.is_request = has_struct && has_req && has_star;
                            if (p.name && !(k == pstart + 1 && is(&s->t[pstart], "void"))) {
                                f.params = realloc(f.params, (f.nparams + 1) * sizeof(*f.params));
                                f.params[f.nparams++] = p;
                            }
                            pstart = k + 1;
                        }
                    }
                    f.body = i;
                    f.body_end = end;
                    s->f = realloc(s->f, (s->nf + 1) * sizeof(*s->f));
                    s->f[s->nf++] = f;
                }
            }
            i = end;
            decl_start = end + 1;
        }
    }
}

static struct func *func_named(struct source *s, const char *name)
{
    for (size_t i = 0; i < s->nf; i++)
        if (strcmp(s->f[i].name, name) == 0)
            return &s->f[i];
    return NULL;
}

static int param_index(const struct func *f, const char *name)
{
    for (size_t i = 0; i < f->nparams; i++)
        if (strcmp(f->params[i].name, name) == 0)
            return (int)i;
    return -1;
}

static void add_init(struct func *f, const char *action, int param, bool mutating, int line)
{
    f->inits = realloc(f->inits, (f->ninits + 1) * sizeof(*f->inits));
    f->inits[f->ninits++] = (struct init){action ? strdup(action) : NULL, param, mutating, line};
}

/* The arguments of the call whose '(' is at open: [start, end) token ranges. */
static size_t call_args(const struct source *s, size_t open, size_t *start, size_t *end,
                        size_t max)
{
    size_t close = match(s, open), n = 0, a = open + 1;
    int depth = 0;

    for (size_t k = open + 1; k <= close && k < s->n; k++) {
        if (is(&s->t[k], "(") || is(&s->t[k], "{") || is(&s->t[k], "["))
            depth++;
        else if ((is(&s->t[k], ")") || is(&s->t[k], "}") || is(&s->t[k], "]")) && k != close)
            depth--;
        if ((is(&s->t[k], ",") && depth == 0) || k == close) {
            if (n < max && k > a) {
                start[n] = a;
                end[n] = k;
                n++;
            }
            a = k + 1;
        }
    }
    return n;
}

static void resolve(struct source *s, struct func *f);

/* What one argument says about an action: a literal, a parameter of f, or unknown. */
static void arg_action(const struct source *s, const struct func *f, size_t a, size_t b,
                       const char **literal, int *param)
{
    *literal = NULL;
    *param = -1;
    if (b == a + 1 && s->t[a].kind == TK_STRING)
        *literal = s->t[a].text;
    else if (b == a + 1 && s->t[a].kind == TK_IDENT)
        *param = param_index(f, s->t[a].text);
}

static void resolve(struct source *s, struct func *f)
{
    if (f->state == 2)
        return;
    if (f->state == 1) {
        problem(s, f->line, "%s calls itself: cannot follow it", f->name);
        return;
    }
    f->state = 1;
    for (size_t i = f->body; i < f->body_end; i++) {
        const struct tok *t = &s->t[i];

        /* the flag is the constructor's to set, through aws_request_init_mutating only */
        if (t->kind == TK_IDENT && strcmp(t->text, "mutating") == 0 && i > 0 && i + 1 < s->n &&
            (is(&s->t[i - 1], ".") || is(&s->t[i - 1], ">")) && is(&s->t[i + 1], "=") &&
            !(i + 2 < s->n && is(&s->t[i + 2], "=")))
            problem(s, t->line, "%s sets the mutating flag by hand: use "
                    "aws_request_init_mutating", f->name);
        if (t->kind != TK_IDENT || i + 1 >= f->body_end || !is(&s->t[i + 1], "("))
            continue;
        size_t st[8], en[8], na;
        if (strcmp(t->text, "aws_request_init") == 0 ||
            strcmp(t->text, "aws_request_init_mutating") == 0) {
            const char *lit;
            int p;

            na = call_args(s, i + 1, st, en, 8);
            if (na < 4) {
                problem(s, t->line, "%s: %s with fewer than 4 arguments", f->name, t->text);
                continue;
            }
            arg_action(s, f, st[2], en[2], &lit, &p);
            if (!lit && p < 0)
                problem(s, t->line, "%s: the action given to %s is neither a string nor a "
                        "parameter", f->name, t->text);
            add_init(f, lit, p, strcmp(t->text, "aws_request_init_mutating") == 0, t->line);
            continue;
        }
        struct func *g = func_named(s, t->text);
        if (!g || g == f)
            continue;
        resolve(s, g);
        na = call_args(s, i + 1, st, en, 8);
        for (size_t k = 0; k < g->ninits; k++) {
            const struct init *gi = &g->inits[k];
            const char *lit = gi->action;
            int p = -1;

            if (!lit && gi->param >= 0) {
                if ((size_t)gi->param < na)
                    arg_action(s, f, st[gi->param], en[gi->param], &lit, &p);
                if (!lit && p < 0)
                    problem(s, t->line, "%s: the action %s passes on is neither a string nor "
                            "a parameter", f->name, g->name);
            }
            add_init(f, lit, p, gi->mutating, t->line);
        }
    }
    f->state = 2;
}

static void source_read(struct source *s, const char *path, const char *text)
{
    memset(s, 0, sizeof(*s));
    s->path = path;
    tokenize(s, text);
    find_functions(s);
    for (size_t i = 0; i < s->nf; i++)
        resolve(s, &s->f[i]);
}

static void source_free(struct source *s)
{
    for (size_t i = 0; i < s->nf; i++) {
        for (size_t k = 0; k < s->f[i].ninits; k++)
            free(s->f[i].inits[k].action);
        free(s->f[i].inits);
        free(s->f[i].params);
    }
    free(s->f);
    for (size_t i = 0; i < s->n; i++)
        free(s->t[i].text);
    free(s->t);
}

static bool is_constructor(const struct func *f)
{
    return !f->is_static && f->nparams > 0 && f->params[0].is_request && f->ninits > 0;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *data;
    long n;

    ck_assert_msg(f != NULL, "cannot open %s (is TOP_SRCDIR set?)", path);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    data = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(data);
    ck_assert_int_eq(fread(data, 1, (size_t)n, f), (size_t)n);
    data[n] = '\0';
    fclose(f);
    return data;
}

/* ---- every constructor of src/aws ---------------------------------------------------------- */

/* What the sources say: one line per constructor, "name action 0|1" (sorted by file). */
struct found {
    char name[128];
    char action[128];
    bool mutating;
};

static struct found found[512];
static size_t nfound;

static void read_aws_sources(void)
{
    const char *top = getenv("TOP_SRCDIR");
    char pattern[4096];
    glob_t g;

    nfound = 0;
    snprintf(pattern, sizeof(pattern), "%s/src/aws/*.c", top ? top : ".");
    ck_assert_msg(glob(pattern, 0, NULL, &g) == 0, "no sources match %s", pattern);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        struct source s;
        char *text = read_file(g.gl_pathv[i]);

        source_read(&s, g.gl_pathv[i], text);
        ck_assert_msg(s.problems[0] == '\0', "%s", s.problems);
        for (size_t k = 0; k < s.nf; k++) {
            const struct func *f = &s.f[k];

            if (!is_constructor(f))
                continue;
            for (size_t m = 0; m < f->ninits; m++) {
                const struct init *in = &f->inits[m];

                ck_assert_msg(in->action, "%s:%d: %s takes the action name as a parameter: "
                              "a constructor names its action, so that whether it writes is "
                              "decided in one place", g.gl_pathv[i], f->line, f->name);
                ck_assert_uint_lt(nfound, sizeof(found) / sizeof(found[0]));
                snprintf(found[nfound].name, sizeof(found[0].name), "%s", f->name);
                snprintf(found[nfound].action, sizeof(found[0].action), "%s", in->action);
                found[nfound].mutating = in->mutating;
                nfound++;
            }
        }
        source_free(&s);
        free(text);
    }
    globfree(&g);
}

static const struct found *found_named(const char *name)
{
    for (size_t i = 0; i < nfound; i++)
        if (strcmp(found[i].name, name) == 0)
            return &found[i];
    return NULL;
}

START_TEST(every_constructor_flags_writes_truthfully)
{
    size_t writes = 0;

    read_aws_sources();
    /* the reading found the constructors there are, not nothing */
    ck_assert_uint_ge(nfound, 18);
    for (size_t i = 0; i < nfound; i++) {
        enum truth t = truth_of(found[i].action);

        ck_assert_msg(t != T_UNKNOWN, "%s builds %s, which this test's truth does not know: "
                      "decide whether it changes anything in AWS and add it to truth_of()",
                      found[i].name, found[i].action);
        ck_assert_msg(found[i].mutating == (t == T_WRITE),
                      "%s builds %s with %s, but %s %s in AWS: use %s",
                      found[i].name, found[i].action,
                      found[i].mutating ? "aws_request_init_mutating" : "aws_request_init",
                      found[i].action,
                      t == T_WRITE ? "changes something" : "does not change anything",
                      t == T_WRITE ? "aws_request_init_mutating" : "aws_request_init");
        /* one constructor, one action: a constructor that can build two would need the
         * flag of each, which a reader of the call cannot see */
        for (size_t k = 0; k < i; k++)
            ck_assert_msg(strcmp(found[k].name, found[i].name) != 0 ||
                              strcmp(found[k].action, found[i].action) == 0,
                          "%s builds both %s and %s", found[i].name, found[k].action,
                          found[i].action);
        writes += found[i].mutating;
    }
    ck_assert_uint_ge(writes, 1);
}
END_TEST

/* The constructors known today, called: what they build must be what the reading found. */
START_TEST(the_reading_matches_what_constructors_build)
{
    struct aws_request r;
    struct sqs_list_queues_params lq = {0};
    struct sqs_list_dlq_sources_params ld = {.queue_url = "q"};
    struct sqs_send_params sm = {.queue_url = "q", .body = "b", .delay_seconds = -1};
    struct sts_assume_role_params ar = {.role_arn = "arn:aws:iam::1:role/r",
                                        .session_name = "s"};
    struct sts_session_token_params st = {0};
    struct s3_list_objects_params lo = {.bucket = "b"};
    struct cw_query_set *qs = cw_query_set_new();
    size_t checked = 0;

    cw_query_set_add_sqs_age(qs, "orders", 60);
    read_aws_sources();
#define CHECK(name, call)                                                                  \
    do {                                                                                   \
        const struct found *f = found_named(name);                                         \
        call;                                                                              \
        ck_assert_msg(f, "%s is not among the constructors read from the sources", name);  \
        ck_assert_str_eq(r.action, f->action);                                             \
        ck_assert_msg(r.mutating == f->mutating, "%s: built %d, read %d", name,            \
                      r.mutating, f->mutating);                                            \
        aws_request_done(&r);                                                              \
        checked++;                                                                         \
    } while (0)
    CHECK("sqs_list_queues_request", sqs_list_queues_request(&r, &lq));
    CHECK("sqs_get_queue_attributes_request", sqs_get_queue_attributes_request(&r, "q"));
    CHECK("sqs_list_dead_letter_source_queues_request",
          sqs_list_dead_letter_source_queues_request(&r, &ld));
    CHECK("sqs_list_queue_tags_request", sqs_list_queue_tags_request(&r, "q"));
    CHECK("sqs_send_message_request", sqs_send_message_request(&r, &sm));
    CHECK("sns_list_topics_request", sns_list_topics_request(&r, NULL));
    CHECK("sns_get_topic_attributes_request", sns_get_topic_attributes_request(&r, "t"));
    CHECK("sns_list_subscriptions_by_topic_request",
          sns_list_subscriptions_by_topic_request(&r, "t", NULL));
    CHECK("s3_list_buckets_request", s3_list_buckets_request(&r));
    CHECK("s3_list_objects_v2_request", s3_list_objects_v2_request(&r, &lo));
    CHECK("sts_get_caller_identity_request", sts_get_caller_identity_request(&r));
    CHECK("sts_assume_role_request", sts_assume_role_request(&r, &ar));
    CHECK("sts_get_session_token_request", sts_get_session_token_request(&r, &st));
    CHECK("cw_get_metric_data_request", cw_get_metric_data_request(&r, qs, 0, 0, 60, NULL));
    CHECK("sso_get_role_credentials_request",
          sso_get_role_credentials_request(&r, "role", "123456789012", "token"));
    CHECK("oidc_register_client_request", oidc_register_client_request(&r, "opsdeck", NULL));
    CHECK("oidc_start_device_authorization_request",
          oidc_start_device_authorization_request(&r, "id", "secret", "https://x"));
    CHECK("oidc_create_token_request",
          oidc_create_token_request(&r, "id", "secret", OIDC_GRANT_DEVICE_CODE, "code"));
#undef CHECK
    ck_assert_uint_eq(checked, 18);
    cw_query_set_free(qs);
}
END_TEST

/* Outside src/aws nobody builds a write: not with the mutating init (the flag is the
 * constructors'), and not with the plain one either (it would go out unmarked). */
START_TEST(no_write_is_built_outside_src_aws)
{
    const char *top = getenv("TOP_SRCDIR");
    const char *dirs[] = {"src/*/*.c", "src/*/*/*.c", "views/*.c"};
    size_t files = 0;

    for (size_t d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++) {
        char pattern[4096];
        glob_t g;

        snprintf(pattern, sizeof(pattern), "%s/%s", top ? top : ".", dirs[d]);
        if (glob(pattern, 0, NULL, &g) != 0)
            continue;
        for (size_t i = 0; i < g.gl_pathc; i++) {
            const char *p = g.gl_pathv[i];
            struct source s;
            char *text;

            if (strstr(p, "/src/aws/") || strstr(p, "/src/core/request.c"))
                continue;
            files++;
            text = read_file(p);
            source_read(&s, p, text);
            for (size_t k = 0; k < s.nf; k++) {
                for (size_t m = 0; m < s.f[k].ninits; m++) {
                    const struct init *in = &s.f[k].inits[m];

                    ck_assert_msg(!in->mutating, "%s: %s calls aws_request_init_mutating: "
                                  "build writes with a constructor in src/aws", p,
                                  s.f[k].name);
                    ck_assert_msg(!in->action || truth_of(in->action) != T_WRITE,
                                  "%s: %s builds %s by hand with aws_request_init: it would "
                                  "be sent unmarked, around the write gate; add a "
                                  "constructor in src/aws", p, s.f[k].name, in->action);
                }
            }
            source_free(&s);
            free(text);
        }
        globfree(&g);
    }
    ck_assert_uint_ge(files, 20);
}
END_TEST

/* ---- the reader on sources of its own ------------------------------------------------------- */

static const struct func *read_one(struct source *s, const char *text, const char *name)
{
    source_read(s, "test.c", text);
    for (size_t i = 0; i < s->nf; i++)
        if (strcmp(s->f[i].name, name) == 0)
            return &s->f[i];
    return NULL;
}

START_TEST(reader_follows_helpers_and_ignores_comments_and_strings)
{
    struct source s;
    const struct func *f;

    f = read_one(&s,
                 "#include \"x.h\"\n"
                 "#define HELPER(r) aws_request_init_mutating(r, \"x\", \"Nope\", \\\n  \"POST\")\n"
                 "/* aws_request_init_mutating(r, \"sqs\", \"Purge\", \"POST\"); */\n"
                 "static void q(struct aws_request *r, const char *action, int n)\n"
                 "{ (void)n; aws_request_init(r, \"sqs\", action, \"POST\"); }\n"
                 "static void w(struct aws_request *r, const char *action)\n"
                 "{ aws_request_init_mutating(r, \"sqs\", action, \"POST\"); }\n"
                 "void list(struct aws_request *r, const struct p *p)\n"
                 "{ const char *s = \"aws_request_init_mutating(r, a, b, c)\"; // no\n"
                 "  if (p) { q(r, \"ListThings\", 1); } (void)s; }\n"
                 "void purge(struct aws_request *r)\n{ w(r, \"PurgeThings\"); }\n"
                 "static void helper_only(struct aws_request *r) { q(r, \"GetX\", 0); }\n"
                 "void not_a_constructor(struct aws_request *r, int x) { r->query[0] = x; }\n",
                 "list");
    ck_assert_msg(s.problems[0] == '\0', "%s", s.problems);
    ck_assert_ptr_nonnull(f);
    ck_assert(is_constructor(f));
    ck_assert_uint_eq(f->ninits, 1);
    ck_assert_str_eq(f->inits[0].action, "ListThings");
    ck_assert(!f->inits[0].mutating);
    f = func_named(&s, "purge");
    ck_assert(is_constructor(f));
    ck_assert_str_eq(f->inits[0].action, "PurgeThings");
    ck_assert(f->inits[0].mutating);
    ck_assert(!is_constructor(func_named(&s, "helper_only")));   /* static */
    ck_assert(!is_constructor(func_named(&s, "not_a_constructor")));
    source_free(&s);
}
END_TEST

START_TEST(reader_reports_what_it_cannot_follow)
{
    struct source s;
    const struct func *f;

    /* the flag set by hand */
    read_one(&s, "void a(struct aws_request *r)\n{ aws_request_init(r, \"s\", \"ListX\", \"GET\");\n"
                 "  r->mutating = true; }\n", "a");
    ck_assert_ptr_nonnull(strstr(s.problems, "sets the mutating flag by hand"));
    source_free(&s);
    /* a comparison is not a setting */
    read_one(&s, "void a(struct aws_request *r)\n{ aws_request_init(r, \"s\", \"ListX\", \"GET\");\n"
                 "  if (r->mutating == 0) return; }\n", "a");
    ck_assert_msg(s.problems[0] == '\0', "%s", s.problems);
    source_free(&s);
    /* an action built at run time */
    read_one(&s, "void a(struct aws_request *r, int x)\n"
                 "{ aws_request_init(r, \"s\", x ? \"ListX\" : \"PurgeX\", \"GET\"); }\n", "a");
    ck_assert_ptr_nonnull(strstr(s.problems, "neither a string nor a parameter"));
    source_free(&s);
    /* an exported constructor that takes its action from the caller */
    f = read_one(&s, "void a(struct aws_request *r, const char *act)\n"
                     "{ aws_request_init(r, \"s\", act, \"GET\"); }\n", "a");
    ck_assert(is_constructor(f));
    ck_assert_ptr_null(f->inits[0].action);
    ck_assert_int_eq(f->inits[0].param, 1);
    source_free(&s);
    /* a helper that chooses the flag at run time shows both inits */
    f = read_one(&s, "static void h(struct aws_request *r, const char *a, int m)\n"
                     "{ if (m) aws_request_init_mutating(r, \"s\", a, \"P\");\n"
                     "  else aws_request_init(r, \"s\", a, \"P\"); }\n"
                     "void send(struct aws_request *r) { h(r, \"SendX\", 1); }\n", "send");
    ck_assert_uint_eq(f->ninits, 2);
    ck_assert(f->inits[0].mutating != f->inits[1].mutating);
    source_free(&s);
    /* malformed sources: unterminated literal, unbalanced braces, a call cut short */
    read_one(&s, "void a(struct aws_request *r) { aws_request_init(r, \"s\", \"List", "a");
    ck_assert_ptr_nonnull(strstr(s.problems, "unterminated string"));
    source_free(&s);
    read_one(&s, "void a(struct aws_request *r) { aws_request_init(r, \"s\"); ", "a");
    source_free(&s);
    read_one(&s, "}}} ) ( void x(struct aws_request *r) {", "x");
    source_free(&s);
    read_one(&s, "", "x");
    ck_assert_uint_eq(s.nf, 0);
    source_free(&s);
    /* recursion is reported, not followed forever */
    read_one(&s, "static void a(struct aws_request *r);\n"
                 "static void b(struct aws_request *r) { a(r); }\n"
                 "static void a(struct aws_request *r) { b(r); }\n", "a");
    ck_assert_ptr_nonnull(strstr(s.problems, "calls itself"));
    source_free(&s);
}
END_TEST

START_TEST(truth_table)
{
    ck_assert_int_eq(truth_of("ReceiveMessage"), T_WRITE);
    ck_assert_int_eq(truth_of("DeleteMessageBatch"), T_WRITE);
    ck_assert_int_eq(truth_of("UpdateEventSourceMapping"), T_WRITE);
    ck_assert_int_eq(truth_of("PutObject"), T_WRITE);
    ck_assert_int_eq(truth_of("ListQueues"), T_READ);
    ck_assert_int_eq(truth_of("GetObject"), T_READ);
    ck_assert_int_eq(truth_of("DescribeVpcEndpoints"), T_READ);
    ck_assert_int_eq(truth_of("FilterLogEvents"), T_READ);
    ck_assert_int_eq(truth_of("AssumeRole"), T_READ);
    ck_assert_int_eq(truth_of("CreateToken"), T_READ);
    ck_assert_int_eq(truth_of("Frobnicate"), T_UNKNOWN);
}
END_TEST

static Suite *constructors_suite(void)
{
    Suite *s = suite_create("constructors");
    TCase *tc = tcase_create("constructors");

    tcase_add_test(tc, every_constructor_flags_writes_truthfully);
    tcase_add_test(tc, the_reading_matches_what_constructors_build);
    tcase_add_test(tc, no_write_is_built_outside_src_aws);
    tcase_add_test(tc, reader_follows_helpers_and_ignores_comments_and_strings);
    tcase_add_test(tc, reader_reports_what_it_cannot_follow);
    tcase_add_test(tc, truth_table);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(constructors_suite());
}
