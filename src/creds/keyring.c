/* keyring.c - credentials in the OS keyring through libsecret (see keyring.h).
 *
 * The JSON codec is always built (it is tested without a keyring); everything that talks to
 * the Secret Service is under HAVE_LIBSECRET. libsecret is compiled against (its types,
 * macros and the schema) but not linked: it is dlopen'ed on the first probe that needs it.
 * Linking it pulled GLib, GIO, GObject, libgcrypt and seven more libraries into every start
 * (~2.8 MB of RSS and part of the ~40 ms spent before main, doc/benchmarks.md), while most
 * runs (environment or file credentials, no D-Bus over SSH, OPSDECK_KEYRING=off) never use
 * it. The encoder writes into one buffer sized up
 * front instead of using cJSON_Print, whose growing buffer is realloc'd and would leave
 * copies of the secret in freed memory; decoded cJSON strings are wiped before the tree is
 * deleted. */
#include "config.h"
#include "creds/keyring.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef HAVE_LIBSECRET
#include <dlfcn.h>
#include <libsecret/secret.h>
#include <stddef.h>
#endif

#include "creds/creds_provider.h"
#include "util/xalloc.h"

#define NOT_BUILT "opsdeck was not built with libsecret, so it has no keyring"

static void (*notify_fn)(const char *line);

void keyring_set_notify(void (*fn)(const char *line))
{
    notify_fn = fn;
}

void keyring_meta_done(struct keyring_meta *meta)
{
    if (!meta)
        return;
    free(meta->method);
    free(meta->fingerprint);
    meta->method = meta->fingerprint = NULL;
}

/* ---- the secret's JSON ------------------------------------------------------------- */

static char *put_string(char *p, const char *s)
{
    *p++ = '"';
    for (const unsigned char *q = (const unsigned char *)s; *q; q++) {
        if (*q == '"' || *q == '\\') {
            *p++ = '\\';
            *p++ = (char)*q;
        } else if (*q < 0x20) {
            p += sprintf(p, "\\u%04x", *q);
        } else {
            *p++ = (char)*q;
        }
    }
    *p++ = '"';
    return p;
}

static char *put_field(char *p, const char *name, const char *value)
{
    p += sprintf(p, ",\"%s\":", name);
    if (!value) {
        memcpy(p, "null", 4);
        return p + 4;
    }
    return put_string(p, value);
}

char *keyring_encode(const struct aws_credentials *c, const struct keyring_meta *meta)
{
    const char *vals[] = {c->access_key_id, c->secret_access_key, c->session_token, c->source,
                          meta ? meta->method : NULL, meta ? meta->fingerprint : NULL};
    size_t need = 128;
    char *out, *p;

    /* worst case: every byte escaped as \u00XX, plus names and punctuation */
    for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
        need += 32 + (vals[i] ? 6 * strlen(vals[i]) : 0);
    out = xmalloc(need);
    p = out + sprintf(out, "{\"version\":1,\"expiration\":%lld", (long long)c->expiration);
    p = put_field(p, "access_key_id", vals[0]);
    p = put_field(p, "secret_access_key", vals[1]);
    p = put_field(p, "session_token", vals[2]);
    p = put_field(p, "source", vals[3]);
    p = put_field(p, "method", vals[4]);
    p = put_field(p, "fingerprint", vals[5]);
    *p++ = '}';
    *p = '\0';
    return out;
}

static void json_wipe_delete(cJSON *j)
{
    for (cJSON *it = j ? j->child : NULL; it; it = it->next)
        if (cJSON_IsString(it) && it->valuestring)
            explicit_bzero(it->valuestring, strlen(it->valuestring));
    cJSON_Delete(j);
}

/* A string member, NULL when absent or null; -1 (via *bad) when of another type. */
static const char *json_str(const cJSON *j, const char *name, bool *bad)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(j, name);

    if (!it || cJSON_IsNull(it))
        return NULL;
    if (!cJSON_IsString(it)) {
        *bad = true;
        return NULL;
    }
    return it->valuestring;
}

int keyring_decode(const char *json, struct aws_credentials **out, struct keyring_meta *meta,
                   struct aws_error *err)
{
    cJSON *j = cJSON_Parse(json);
    const cJSON *ver, *exp;
    const char *akid, *secret, *token, *source, *method, *fp;
    bool bad = false;

    if (!cJSON_IsObject(j)) {
        json_wipe_delete(j);
        aws_error_set(err, AWS_ERR_PARSE, "a keyring item of opsdeck is not JSON; remove it "
                      "with `opsdeck creds remove` and add the keys again");
        return -1;
    }
    ver = cJSON_GetObjectItemCaseSensitive(j, "version");
    exp = cJSON_GetObjectItemCaseSensitive(j, "expiration");
    akid = json_str(j, "access_key_id", &bad);
    secret = json_str(j, "secret_access_key", &bad);
    token = json_str(j, "session_token", &bad);
    source = json_str(j, "source", &bad);
    method = json_str(j, "method", &bad);
    fp = json_str(j, "fingerprint", &bad);
    if (bad || !cJSON_IsNumber(ver) || ver->valuedouble != 1 || !cJSON_IsNumber(exp) ||
        exp->valuedouble < 0 || exp->valuedouble > 253402300799.0 /* 9999-12-31 */ ||
        !akid || !*akid || !secret || !*secret) {
        json_wipe_delete(j);
        aws_error_set(err, AWS_ERR_PARSE, "a keyring item of opsdeck is not in the expected "
                      "form (version 1 with an access key, a secret and an expiration); "
                      "remove it with `opsdeck creds remove` and add the keys again");
        return -1;
    }
    *out = creds_new(akid, secret, token, (time_t)exp->valuedouble, source);
    if (meta) {
        meta->method = method ? xstrdup(method) : NULL;
        meta->fingerprint = fp ? xstrdup(fp) : NULL;
    }
    json_wipe_delete(j);
    return 0;
}

/* ---- the notice ---------------------------------------------------------------------- */

static bool probed, usable, announced;
static char why[512];

static void announce_once(void)
{
    char line[640];

    if (announced)
        return;
    announced = true;
    snprintf(line, sizeof(line), "opsdeck: no keyring (%s): credentials are cached in memory "
             "only for this run", why);
    if (notify_fn)
        notify_fn(line);
    else
        fprintf(stderr, "%s\n", line);
}

/* One line of a library's message: D-Bus errors can hold newlines. */
static void one_line(char *dst, size_t n, const char *prefix, const char *msg)
{
    snprintf(dst, n, "%s%s", prefix, msg ? msg : "");
    for (char *p = dst; *p; p++)
        if ((unsigned char)*p < 0x20)
            *p = ' ';
}

static void set_why(const char *prefix, const char *msg)
{
    one_line(why, sizeof(why), prefix, msg);
}

#ifndef HAVE_LIBSECRET

static bool probe(void)
{
    set_why(NOT_BUILT, NULL);
    return false;
}

#define NOT_BUILT_ERR(err) \
    (aws_error_set((err), AWS_ERR_CONFIG, "%s", NOT_BUILT), -1)

int keyring_store(const char *profile, const char *kind, const struct aws_credentials *c,
                  const struct keyring_meta *meta, struct aws_error *err)
{
    return NOT_BUILT_ERR(err);
}

int keyring_lookup(const char *profile, const char *kind, struct aws_credentials **out,
                   struct keyring_meta *meta, struct aws_error *err)
{
    return NOT_BUILT_ERR(err);
}

int keyring_delete(const char *profile, const char *kind, struct aws_error *err)
{
    return NOT_BUILT_ERR(err);
}

long keyring_list(struct keyring_item **items, struct aws_error *err)
{
    *items = NULL;
    return NOT_BUILT_ERR(err);
}

#else

/* ---- libsecret, loaded on first use ------------------------------------------------------
 *
 * Every libsecret, GLib and GObject function this file calls, as a pointer filled once by
 * dlsym. The varargs calls (secret_password_store_sync(..., "profile", p, NULL)) have no
 * pointer form that keeps their type checking, so their `...v` forms are used with a
 * GHashTable of the attributes; GLib macros that expand to calls (g_clear_error) are replaced
 * by calls through the table. `nm -D --undefined-only opsdeck` shows no secret_ or g_ symbol
 * (tests/integ/test_keyring_lazy.py checks it). */
#define LIBSECRET_SONAME "libsecret-1.so.0"

#define SECRET_API(X)                                                       \
    X(service_get_sync, secret_service_get_sync)                            \
    X(collection_for_alias_sync, secret_collection_for_alias_sync)          \
    X(collection_get_locked, secret_collection_get_locked)                  \
    X(password_storev_sync, secret_password_storev_sync)                    \
    X(password_lookupv_sync, secret_password_lookupv_sync)                  \
    X(password_clearv_sync, secret_password_clearv_sync)                    \
    X(password_searchv_sync, secret_password_searchv_sync)                  \
    X(password_free, secret_password_free)                                  \
    X(retrievable_get_attributes, secret_retrievable_get_attributes)        \
    X(retrievable_retrieve_secret_sync, secret_retrievable_retrieve_secret_sync) \
    X(value_get_text, secret_value_get_text)                                \
    X(value_unref, secret_value_unref)                                      \
    X(error_free, g_error_free)                                             \
    X(str_hash, g_str_hash)                                                 \
    X(str_equal, g_str_equal)                                               \
    X(hash_table_new, g_hash_table_new)                                     \
    X(hash_table_insert, g_hash_table_insert)                               \
    X(hash_table_lookup, g_hash_table_lookup)                               \
    X(hash_table_unref, g_hash_table_unref)                                 \
    X(list_length, g_list_length)                                           \
    X(list_free_full, g_list_free_full)                                     \
    X(object_unref, g_object_unref)

/* __typeof__ takes each pointer's type from the header, so a call through the table is
 * checked exactly like a direct call, and it refers to no symbol at link time. */
static struct secret_api {
#define API_MEMBER(member, sym) __typeof__(sym) *member;
    SECRET_API(API_MEMBER)
#undef API_MEMBER
} api;

static const struct {
    const char *name;
    size_t offset;
} api_syms[] = {
#define API_SYM(member, sym) {#sym, offsetof(struct secret_api, member)},
    SECRET_API(API_SYM)
#undef API_SYM
};

/* Loads libsecret and fills the table, or sets why. Once per process: a failure is not
 * retried. The library is never closed (GLib cannot be unloaded safely). GLib and GObject
 * symbols are looked up through libsecret's handle, which searches its dependencies. */
static bool api_load(void)
{
    static bool tried, loaded;
    struct secret_api tmp;
    const char *e;
    void *h;

    if (tried)
        return loaded;
    tried = true;
    h = dlopen(LIBSECRET_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        e = dlerror();
        set_why("libsecret could not be loaded: ", e ? e : LIBSECRET_SONAME);
        return false;
    }
    for (size_t i = 0; i < sizeof(api_syms) / sizeof(api_syms[0]); i++) {
        void *p;

        dlerror();
        p = dlsym(h, api_syms[i].name);
        if (!p) {
            /* dlerror names the library and the symbol ("...: undefined symbol: X") */
            e = dlerror();
            set_why("libsecret could not be used: ", e ? e : api_syms[i].name);
            return false;  /* the handle stays open: it may be in use elsewhere */
        }
        /* POSIX guarantees a function pointer round-trips through void * */
        memcpy((char *)&tmp + api_syms[i].offset, &p, sizeof(p));
    }
    api = tmp;
    loaded = true;
    return true;
}

static void clear_error(GError **error)
{
    if (*error)
        api.error_free(*error);
    *error = NULL;
}

/* The two attributes of an item, borrowed (the table owns no key or value). */
static GHashTable *attrs_new(const char *profile, const char *kind)
{
    GHashTable *t = api.hash_table_new(api.str_hash, api.str_equal);

    if (profile)
        api.hash_table_insert(t, (gpointer)"profile", (gpointer)profile);
    if (kind)
        api.hash_table_insert(t, (gpointer)"kind", (gpointer)kind);
    return t;
}

static const SecretSchema schema = {
    "org.opsdeck.Credentials", SECRET_SCHEMA_NONE,
    {
        {"profile", SECRET_SCHEMA_ATTRIBUTE_STRING},
        {"kind", SECRET_SCHEMA_ATTRIBUTE_STRING},
        {NULL, 0},
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

/* A session bus can also be found at $XDG_RUNTIME_DIR/bus (systemd) without the variable. */
static bool have_session_bus(void)
{
    const char *rt = getenv("XDG_RUNTIME_DIR");
    char path[512];
    struct stat st;

    if (getenv("DBUS_SESSION_BUS_ADDRESS") && *getenv("DBUS_SESSION_BUS_ADDRESS"))
        return true;
    if (!rt || !*rt)
        return false;
    snprintf(path, sizeof(path), "%s/bus", rt);
    return stat(path, &st) == 0 && S_ISSOCK(st.st_mode);
}

static bool probe(void)
{
    GError *error = NULL;
    SecretService *svc;
    SecretCollection *col;
    bool ok = false;

    /* Without a bus, GIO would try to autolaunch one through X11 and fail ("Cannot autolaunch
     * D-Bus without X11 $DISPLAY") or, worse, start one nobody asked for: do not try. Checked
     * before loading libsecret, so the usual SSH session does not load it at all. */
    if (!have_session_bus()) {
        set_why("no D-Bus session: DBUS_SESSION_BUS_ADDRESS is not set", NULL);
        return false;
    }
    if (!api_load())
        return false;
    svc = api.service_get_sync(SECRET_SERVICE_NONE, NULL, &error);
    if (!svc) {
        set_why("D-Bus: ", error ? error->message : "unknown error");
        clear_error(&error);
        return false;
    }
    /* ReadAlias is the first real call: it fails when no Secret Service runs or can be
     * started, and tells whether the default keyring exists and is unlocked. A locked one
     * would need a password prompt, which a jump host cannot show. */
    col = api.collection_for_alias_sync(svc, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE,
                                        NULL, &error);
    if (!col) {
        if (error)
            set_why("Secret Service: ", error->message);
        else
            set_why("the Secret Service has no default keyring", NULL);
        clear_error(&error);
    } else if (api.collection_get_locked(col)) {
        set_why("the default keyring is locked", NULL);
    } else {
        ok = true;
    }
    if (col)
        api.object_unref(col);
    api.object_unref(svc);
    return ok;
}

static int unavailable(struct aws_error *err)
{
    aws_error_set(err, AWS_ERR_CONFIG, "no keyring (%s)", why);
    return -1;
}

static int gerror_fail(struct aws_error *err, const char *what, GError *error)
{
    char msg[512];

    one_line(msg, sizeof(msg), "", error ? error->message : "unknown error");
    aws_error_set(err, AWS_ERR_CONFIG, "keyring: %s failed: %s", what, msg);
    clear_error(&error);
    return -1;
}

int keyring_store(const char *profile, const char *kind, const struct aws_credentials *c,
                  const struct keyring_meta *meta, struct aws_error *err)
{
    GError *error = NULL;
    GHashTable *attrs;
    char *json, *label;
    gboolean ok;

    if (!keyring_available(false, NULL))
        return unavailable(err);
    json = keyring_encode(c, meta);
    label = xasprintf("opsdeck %s credentials for profile %s", kind, profile);
    attrs = attrs_new(profile, kind);
    ok = api.password_storev_sync(&schema, attrs, SECRET_COLLECTION_DEFAULT, label, json, NULL,
                                  &error);
    api.hash_table_unref(attrs);
    xfree_secret(json);
    free(label);
    if (!ok)
        return gerror_fail(err, "storing", error);
    return 0;
}

int keyring_lookup(const char *profile, const char *kind, struct aws_credentials **out,
                   struct keyring_meta *meta, struct aws_error *err)
{
    GError *error = NULL;
    GHashTable *attrs;
    gchar *json;
    int r;

    if (!keyring_available(false, NULL))
        return unavailable(err);
    attrs = attrs_new(profile, kind);
    json = api.password_lookupv_sync(&schema, attrs, NULL, &error);
    api.hash_table_unref(attrs);
    if (error)
        return gerror_fail(err, "reading", error);
    if (!json)
        return 0;
    r = keyring_decode(json, out, meta, err);
    api.password_free(json);  /* wipes it */
    return r == 0 ? 1 : -1;
}

int keyring_delete(const char *profile, const char *kind, struct aws_error *err)
{
    GError *error = NULL;
    GHashTable *attrs;
    gboolean removed;

    if (!keyring_available(false, NULL))
        return unavailable(err);
    attrs = attrs_new(profile, kind);
    removed = api.password_clearv_sync(&schema, attrs, NULL, &error);
    api.hash_table_unref(attrs);
    if (error)
        return gerror_fail(err, "removing", error);
    return removed ? 1 : 0;
}

static int item_cmp(const void *a, const void *b)
{
    const struct keyring_item *x = a, *y = b;
    int r = strcmp(x->profile, y->profile);

    return r ? r : strcmp(x->kind, y->kind);
}

long keyring_list(struct keyring_item **items, struct aws_error *err)
{
    GError *error = NULL;
    GHashTable *none;
    GList *found, *l;
    long n = 0;

    *items = NULL;
    if (!keyring_available(false, NULL))
        return unavailable(err);
    none = attrs_new(NULL, NULL);  /* every item of the schema */
    found = api.password_searchv_sync(&schema, none, SECRET_SEARCH_ALL, NULL, &error);
    api.hash_table_unref(none);
    if (error)
        return gerror_fail(err, "listing", error);
    *items = xcalloc(api.list_length(found) + 1, sizeof(**items));
    for (l = found; l; l = l->next) {
        SecretRetrievable *r = l->data;
        GHashTable *attrs = api.retrievable_get_attributes(r);
        SecretValue *v = api.retrievable_retrieve_secret_sync(r, NULL, &error);
        struct keyring_item *it = &(*items)[n];
        struct aws_credentials *c = NULL;
        struct keyring_meta meta = {0};
        struct aws_error derr;
        const char *p = attrs ? api.hash_table_lookup(attrs, "profile") : NULL;
        const char *k = attrs ? api.hash_table_lookup(attrs, "kind") : NULL;

        clear_error(&error);
        snprintf(it->profile, sizeof(it->profile), "%s", p ? p : "?");
        snprintf(it->kind, sizeof(it->kind), "%s", k ? k : "?");
        snprintf(it->key_mask, sizeof(it->key_mask), "(unreadable)");
        if (v && keyring_decode(api.value_get_text(v), &c, &meta, &derr) == 0) {
            size_t len = strlen(c->access_key_id);

            snprintf(it->key_mask, sizeof(it->key_mask), "...%s",
                     len > 4 ? c->access_key_id + len - 4 : "");
            it->expiration = c->expiration;
            snprintf(it->method, sizeof(it->method), "%s", meta.method ? meta.method : "");
            aws_credentials_free(c);
            keyring_meta_done(&meta);
        }
        if (v)
            api.value_unref(v);  /* libsecret keeps the text in wiped secure memory */
        if (attrs)
            api.hash_table_unref(attrs);
        n++;
    }
    api.list_free_full(found, api.object_unref);
    qsort(*items, (size_t)n, sizeof(**items), item_cmp);
    return n;
}

#endif /* HAVE_LIBSECRET */

void keyring_notice(void)
{
    if (probed && !usable)
        announce_once();
}

bool keyring_available(bool announce, const char **reason)
{
    if (!probed) {
        const char *knob = getenv("OPSDECK_KEYRING");

        probed = true;
        if (knob && strcmp(knob, "off") == 0) {
            set_why("turned off by OPSDECK_KEYRING=off", NULL);
            announced = true;  /* asked for: nothing to announce */
        } else {
            usable = probe();
        }
    }
    if (!usable && announce)
        announce_once();
    if (reason)
        *reason = usable ? NULL : why;
    return usable;
}

/* ---- the provider -------------------------------------------------------------------- */

static enum provider_result provider_keyring(struct creds_ctx *ctx, struct aws_credentials **out,
                                             struct aws_error *err)
{
    struct aws_credentials *c = NULL;
    struct aws_error kerr;
    size_t n;

    if (!keyring_available(false, NULL))
        return PROVIDER_SKIP;
    aws_error_clear(&kerr);
    switch (keyring_lookup(ctx->profile, KEYRING_LONG_TERM, &c, NULL, &kerr)) {
    case 0:
        return PROVIDER_SKIP;
    case 1:
        break;
    default:
        aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s: %s", ctx->profile, kerr.message);
        return PROVIDER_ERROR;
    }
    n = strlen(c->access_key_id);
    free(c->source);
    c->source = xasprintf("profile %s: long-term keys (...%s) in the OS keyring", ctx->profile,
                          n > 4 ? c->access_key_id + n - 4 : "");
    c->expiration = 0;
    *out = c;
    return PROVIDER_OK;
}

const struct creds_provider creds_provider_keyring = {"keyring", provider_keyring};
