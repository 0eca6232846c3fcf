/* appconfig.h - opsdeck's own settings: $XDG_CONFIG_HOME/opsdeck/config (else
 * ~/.config/opsdeck/config), an INI file like the AWS ones, documented in opsdeck.conf(5).
 *
 *   [general]            theme, ascii, no_color, max_in_flight, read_only
 *   [intervals]          default, overview, sqs, dlq, sns, s3, expiry, toggles (durations)
 *   [thresholds]         oldest_message_warn/_critical, dlq_depth_warn/_critical,
 *                        expiry_warn/_critical, console_login_warn/_critical, access_key_age,
 *                        access_key_warn, rotation_warn
 *   [profile NAME]       environment, read_only, region, theme
 *   [template NAME]      body, subject, attribute.ANAME (a test message's contents)
 *   [toggles]            paths (SSM paths whose parameters are listed), confirm_timeout
 *   [toggle NAME]        parameter, on, off, description (an SSM parameter as a switch)
 *   [expiry NAME]        anchor, lifetime, warn, critical (an app password's countdown)
 *
 * Loading never fails as a whole: every bad line becomes one "file:line: reason — fix"
 * message in cfg's error list (the console shows them on its status line) and the rest of
 * the file still applies; anything missing or rejected keeps its default. Secrets never
 * belong here: a key that looks like one is refused and its value is never echoed. */
#ifndef OPSDECK_APPCONFIG_H
#define OPSDECK_APPCONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The console's views that have a poll interval of their own. */
enum appconfig_view {
    APPCONFIG_VIEW_OVERVIEW,
    APPCONFIG_VIEW_SQS,
    APPCONFIG_VIEW_DLQ,
    APPCONFIG_VIEW_SNS,
    APPCONFIG_VIEW_S3,
    APPCONFIG_VIEW_EXPIRY,
    APPCONFIG_VIEW_TOGGLES,
    APPCONFIG_VIEW_COUNT
};

/* Bounds and defaults, in seconds unless said otherwise (also in opsdeck.conf.5). */
#define APPCONFIG_INTERVAL_DEFAULT 10
#define APPCONFIG_INTERVAL_MIN 2          /* faster polling only burns API quota */
#define APPCONFIG_INTERVAL_MAX 86400
#define APPCONFIG_MAX_IN_FLIGHT_DEFAULT 16
#define APPCONFIG_MAX_IN_FLIGHT_MAX 256
#define APPCONFIG_NAME_MAX 64             /* theme names */
#define APPCONFIG_MAX_ERRORS 100          /* a binary file must not flood the status line */
#define APPCONFIG_ATTRS_MAX 10            /* message attributes per message (SQS and SNS) */
#define APPCONFIG_ATTR_NAME_MAX 256       /* bytes of an attribute's name (SQS and SNS) */

struct appconfig_thresholds {
    long oldest_message_warn;      /* seconds; default 300 (5m) */
    long oldest_message_critical;  /* seconds; default 900 (15m) */
    long dlq_depth_warn;           /* messages; default 1: any message in a DLQ */
    long dlq_depth_critical;       /* messages; default 100 */
    long expiry_warn;              /* seconds before a credential expires; default 900 */
    long expiry_critical;          /* the same, critical; default 300 */
    long password_warn;            /* console_login_warn: seconds before a console password
                                    * expires; 14 days (the key avoids the word password,
                                    * which the parser refuses as a secret's) */
    long password_critical;        /* default 3 days */
    long access_key_age;           /* an access key is due for rotation at this age; 90 days */
    long access_key_warn;          /* seconds before that; default 14 days */
    long rotation_warn;            /* seconds before a secret's next rotation; default 1 day */
};

/* What crossing a warn or critical threshold of an expiry does, once per crossing. */
enum appconfig_alert { APPCONFIG_ALERT_BELL, APPCONFIG_ALERT_FLASH, APPCONFIG_ALERT_OFF };

/* [expiry NAME]: a password with a fixed lifetime, renewed by something outside opsdeck (a
 * token-refresh function), anchored to the time its secret or parameter last changed. */
struct appconfig_expiry {
    char *name;
    char *anchor;       /* "secret:ID" (Secrets Manager name or ARN) or "parameter:NAME" */
    long lifetime;      /* seconds from one change to the expected next */
    long warn;          /* seconds left that warn; 0: none (only "late" alerts) */
    long critical;      /* seconds left that are critical; 0: none */
    int line;           /* of its header, for messages */
};

/* One profile's settings, as the console asks for them, defaults filled in. The strings
 * belong to the appconfig and live as long as it does. */
struct appconfig_profile {
    const char *environment;  /* "production", "staging", "development", "test",
                               * "sandbox", or NULL when the profile is not marked */
    bool read_only;           /* default false */
    const char *region;       /* NULL: the AWS files and variables decide */
    const char *theme;        /* the profile's theme, else [general] theme */
};

struct appconfig_profile_entry;   /* private to appconfig.c */

/* [template NAME]: the contents of a test message (SQS SendMessage, SNS Publish), exactly as
 * written in the file; {{uuid}} and {{now}} are expanded when a message is made from it
 * (act/template.h). A value is one line: a body with line breaks is written in the editor
 * or the form, not here. */
struct appconfig_attr {
    char *name;                    /* as written, case kept */
    char *value;                   /* "[TYPE:]VALUE": "OrderCreated", "Number:3" */
};

struct appconfig_template {
    char *name;
    char *body;                    /* NULL: not set */
    char *subject;                 /* NULL: not set (SNS only) */
    struct appconfig_attr *attrs;  /* in file order, at most APPCONFIG_ATTRS_MAX */
    size_t nattrs;
};

/* [toggle NAME]: an SSM parameter that is a switch, on when its value is `on`, off when it
 * is `off`, unknown otherwise. Only declared toggles are flipped, and only a declared
 * SecureString is decrypted (in memory, to compare; never shown). */
struct appconfig_toggle {
    char *name;                    /* what `opsdeck toggle set NAME` and the view call it */
    char *parameter;               /* the parameter's name: "/flags/outbound" */
    char *on;                      /* the value that means on */
    char *off;                     /* the value that means off */
    char *description;             /* NULL: none */
    int line;                      /* where its header is, for errors */
};

#define APPCONFIG_TOGGLE_PATHS_MAX 16        /* [toggles] paths */
#define APPCONFIG_CONFIRM_TIMEOUT_DEFAULT 120 /* a flip not confirmed after this did not take */

struct appconfig {
    char *path;                    /* the file read, or NULL when there is no location */
    bool file_found;               /* false: no file, defaults only (not an error) */

    /* [general] */
    char theme[APPCONFIG_NAME_MAX + 1];  /* default "default" */
    bool ascii;                    /* ASCII glyphs even in a UTF-8 locale; default false */
    bool no_color;                 /* monochrome, as NO_COLOR; default false */
    int max_in_flight;             /* requests in flight at once; default 16 */
    bool read_only;                /* every profile read-only (gate.h); default false */
    int peek_count;                /* messages `m` asks for at most; default 10 */
    int alert;                     /* enum appconfig_alert; default bell */

    /* [intervals] in seconds; a view's 0 means "use interval_default" */
    int interval_default;
    int interval[APPCONFIG_VIEW_COUNT];

    struct appconfig_thresholds thresholds;

    struct appconfig_profile_entry *profiles;
    size_t nprofiles;

    struct appconfig_template *templates;   /* in file order */
    size_t ntemplates;

    /* [toggles] and [toggle NAME]: only complete toggles are kept (the others are errors) */
    char **toggle_paths;           /* SSM paths listed (read-only unless declared) */
    size_t ntoggle_paths;
    long confirm_timeout;          /* seconds a flip is re-read before "did not take" */
    struct appconfig_toggle *toggles;   /* in file order */
    size_t ntoggles;
    struct appconfig_expiry *expiries;      /* in file order, only complete ones */
    size_t nexpiries;

    char **errors;                 /* "file:line: reason — fix", in file order */
    size_t nerrors;
    size_t errors_dropped;         /* beyond APPCONFIG_MAX_ERRORS */
};

/* $XDG_CONFIG_HOME/opsdeck/config when XDG_CONFIG_HOME is an absolute path, else
 * $HOME/.config/opsdeck/config; NULL when neither is set. Caller frees. */
char *appconfig_default_path(void);

/* Defaults only, no file. */
struct appconfig *appconfig_new(void);

/* Reads path (NULL: appconfig_default_path()). Never NULL. A missing file gives the
 * defaults and no error; an unreadable one, or a directory, one error. */
struct appconfig *appconfig_load(const char *path);

void appconfig_free(struct appconfig *cfg);

/* The effective settings of profile name (NULL or unknown: defaults). */
struct appconfig_profile appconfig_profile(const struct appconfig *cfg, const char *name);

/* The template called name, or NULL. */
const struct appconfig_template *appconfig_template(const struct appconfig *cfg,
                                                    const char *name);

/* The toggle called name, or the one whose parameter is name; NULL when neither. */
const struct appconfig_toggle *appconfig_toggle(const struct appconfig *cfg, const char *name);
/* The [expiry NAME] called name, or NULL. */
const struct appconfig_expiry *appconfig_expiry(const struct appconfig *cfg, const char *name);

/* True when profile is marked environment = production (or its alias prod). */
bool appconfig_is_production(const struct appconfig *cfg, const char *profile);

/* The poll interval of view in seconds: its own, else [intervals] default. */
int appconfig_interval(const struct appconfig *cfg, enum appconfig_view view);

const struct appconfig_thresholds *appconfig_thresholds(const struct appconfig *cfg);

/* "overview", "sqs", ...; the key of the view in [intervals]. */
const char *appconfig_view_name(enum appconfig_view view);

/* Writes every error, one per line, and a count of those dropped; returns nerrors. */
size_t appconfig_print_errors(const struct appconfig *cfg, FILE *out);

/* Writes the effective settings as a config file (there are no secrets in it). */
void appconfig_print(const struct appconfig *cfg, FILE *out);

/* Writes every accepted key as "SECTION KEY" lines ("profile environment" for
 * [profile NAME], "template attribute.NAME" for the attributes of a template): the
 * documentation test checks each one is in opsdeck.conf.5. */
void appconfig_print_keys(FILE *out);

/* A duration "30", "30s", "5m", "2h" or "1d" in seconds; false (and *out untouched) when
 * it is not one or exceeds a day count a long can hold. */
bool appconfig_parse_duration(const char *s, long *out);

/* "true/false", "yes/no", "on/off", "1/0", any case. */
bool appconfig_parse_bool(const char *s, bool *out);

#endif
