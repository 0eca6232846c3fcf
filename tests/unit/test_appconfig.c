/* test_appconfig.c - opsdeck's own config file: defaults, every key, durations and booleans,
 * bad lines reported as file:line while the rest still loads, secrets refused, profile
 * queries, the file's location. Each case runs in a fresh temporary HOME. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_tap.h"
#include "conf/appconfig.h"
#include "tmp_home.h"

static char cfg_path[512];

static void setup(void)
{
    char dir[400];

    tmp_home_setup();
    unsetenv("XDG_CONFIG_HOME");
    snprintf(dir, sizeof(dir), "%s/.config", home);
    ck_assert_int_eq(mkdir(dir, 0700), 0);
    snprintf(dir, sizeof(dir), "%s/.config/opsdeck", home);
    ck_assert_int_eq(mkdir(dir, 0700), 0);
    snprintf(cfg_path, sizeof(cfg_path), "%s/.config/opsdeck/config", home);
}

/* Writes text as the config file and loads it from its default place. */
static struct appconfig *load_text(const char *text)
{
    tmp_home_write(".config/opsdeck/config", text);
    return appconfig_load(NULL);
}

/* Asserts error i is "PATH:line: ..." and contains want. */
static void error_is(const struct appconfig *cfg, size_t i, int line, const char *want)
{
    char prefix[600];

    ck_assert_msg(i < cfg->nerrors, "only %zu errors, wanted #%zu (%s)", cfg->nerrors, i, want);
    snprintf(prefix, sizeof(prefix), "%s:%d: ", cfg_path, line);
    ck_assert_msg(strncmp(cfg->errors[i], prefix, strlen(prefix)) == 0,
                  "error %zu is '%s', wanted prefix '%s'", i, cfg->errors[i], prefix);
    ck_assert_msg(strstr(cfg->errors[i], want), "error %zu is '%s', wanted '%s'", i,
                  cfg->errors[i], want);
    /* every message says what to do: "reason — fix" */
    ck_assert_msg(strstr(cfg->errors[i], " — "), "no fix in '%s'", cfg->errors[i]);
}

static void defaults_are(const struct appconfig *cfg)
{
    const struct appconfig_thresholds *t = appconfig_thresholds(cfg);

    ck_assert_str_eq(cfg->theme, "default");
    ck_assert(!cfg->ascii);
    ck_assert(!cfg->no_color);
    ck_assert_int_eq(cfg->max_in_flight, 16);
    for (int v = 0; v < APPCONFIG_VIEW_COUNT; v++)
        ck_assert_int_eq(appconfig_interval(cfg, (enum appconfig_view)v), 10);
    ck_assert_int_eq(t->oldest_message_warn, 300);
    ck_assert_int_eq(t->oldest_message_critical, 900);
    ck_assert_int_eq(t->dlq_depth_warn, 1);
    ck_assert_int_eq(t->dlq_depth_critical, 100);
    ck_assert_int_eq(t->expiry_warn, 900);
    ck_assert_uint_eq(cfg->nprofiles, 0);
}

START_TEST(missing_file_is_defaults)
{
    struct appconfig *cfg = appconfig_load(NULL);

    ck_assert_str_eq(cfg->path, cfg_path);
    ck_assert(!cfg->file_found);
    ck_assert_uint_eq(cfg->nerrors, 0);
    defaults_are(cfg);
    appconfig_free(cfg);
    cfg = appconfig_new();
    defaults_are(cfg);
    appconfig_free(cfg);
}
END_TEST

START_TEST(empty_and_comments_only)
{
    struct appconfig *cfg = load_text("# nothing\n; here\n\n   \n[general]\n");

    ck_assert(cfg->file_found);
    ck_assert_uint_eq(cfg->nerrors, 0);
    defaults_are(cfg);
    appconfig_free(cfg);
}
END_TEST

START_TEST(location)
{
    char *p;

    p = appconfig_default_path();
    ck_assert_str_eq(p, cfg_path);
    free(p);
    setenv("XDG_CONFIG_HOME", "/srv/xdg", 1);
    p = appconfig_default_path();
    ck_assert_str_eq(p, "/srv/xdg/opsdeck/config");
    free(p);
    setenv("XDG_CONFIG_HOME", "relative/xdg", 1);  /* invalid by the spec: ignored */
    p = appconfig_default_path();
    ck_assert_str_eq(p, cfg_path);
    free(p);
    setenv("XDG_CONFIG_HOME", "", 1);
    p = appconfig_default_path();
    ck_assert_str_eq(p, cfg_path);
    free(p);
    unsetenv("XDG_CONFIG_HOME");
    unsetenv("HOME");
    ck_assert_ptr_null(appconfig_default_path());
    setenv("HOME", home, 1);
}
END_TEST

START_TEST(xdg_file_is_read)
{
    char dir[400];
    struct appconfig *cfg;

    snprintf(dir, sizeof(dir), "%s/xdg", home);
    ck_assert_int_eq(mkdir(dir, 0700), 0);
    snprintf(dir, sizeof(dir), "%s/xdg/opsdeck", home);
    ck_assert_int_eq(mkdir(dir, 0700), 0);
    tmp_home_write("xdg/opsdeck/config", "[general]\ntheme = light\n");
    tmp_home_write(".config/opsdeck/config", "[general]\ntheme = monochrome\n");
    snprintf(dir, sizeof(dir), "%s/xdg", home);
    setenv("XDG_CONFIG_HOME", dir, 1);
    cfg = appconfig_load(NULL);
    ck_assert_str_eq(cfg->theme, "light");
    appconfig_free(cfg);
}
END_TEST

START_TEST(every_key)
{
    struct appconfig *cfg = load_text(
        "[general]\n"
        "theme = high-contrast\n"
        "ascii = yes\n"
        "no_color = on\n"
        "max_in_flight = 32\n"
        "[intervals]\n"
        "default = 15s\n"
        "overview = 5\n"
        "sqs = 20s\n"
        "dlq = 1m\n"
        "sns = 2m\n"
        "s3 = 1h\n"
        "expiry = 30\n"
        "toggles = 1d\n"
        "[thresholds]\n"
        "oldest_message_warn = 2m\n"
        "oldest_message_critical = 1h\n"
        "dlq_depth_warn = 5\n"
        "dlq_depth_critical = 500\n"
        "expiry_warn = 30m\n"
        "[profile prod]\n"
        "environment = production\n"
        "read_only = true\n"
        "region = eu-west-1\n"
        "theme = light\n");
    const struct appconfig_thresholds *t = appconfig_thresholds(cfg);
    struct appconfig_profile p;

    ck_assert_msg(cfg->nerrors == 0, "%s", cfg->nerrors ? cfg->errors[0] : "");
    ck_assert_str_eq(cfg->theme, "high-contrast");
    ck_assert(cfg->ascii);
    ck_assert(cfg->no_color);
    ck_assert_int_eq(cfg->max_in_flight, 32);
    ck_assert_int_eq(cfg->interval_default, 15);
    ck_assert_int_eq(appconfig_interval(cfg, APPCONFIG_VIEW_OVERVIEW), 5);
    ck_assert_int_eq(appconfig_interval(cfg, APPCONFIG_VIEW_SQS), 20);
    ck_assert_int_eq(appconfig_interval(cfg, APPCONFIG_VIEW_DLQ), 60);
    ck_assert_int_eq(appconfig_interval(cfg, APPCONFIG_VIEW_SNS), 120);
    ck_assert_int_eq(appconfig_interval(cfg, APPCONFIG_VIEW_S3), 3600);
    ck_assert_int_eq(appconfig_interval(cfg, APPCONFIG_VIEW_EXPIRY), 30);
    ck_assert_int_eq(appconfig_interval(cfg, APPCONFIG_VIEW_TOGGLES), 86400);
    ck_assert_int_eq(t->oldest_message_warn, 120);
    ck_assert_int_eq(t->oldest_message_critical, 3600);
    ck_assert_int_eq(t->dlq_depth_warn, 5);
    ck_assert_int_eq(t->dlq_depth_critical, 500);
    ck_assert_int_eq(t->expiry_warn, 1800);
    p = appconfig_profile(cfg, "prod");
    ck_assert_str_eq(p.environment, "production");
    ck_assert(p.read_only);
    ck_assert_str_eq(p.region, "eu-west-1");
    ck_assert_str_eq(p.theme, "light");
    ck_assert(appconfig_is_production(cfg, "prod"));
    appconfig_free(cfg);
}
END_TEST

START_TEST(interval_default_applies_to_unset_views)
{
    struct appconfig *cfg = load_text("[intervals]\ndefault = 30s\nsqs = 5s\n");

    ck_assert_uint_eq(cfg->nerrors, 0);
    ck_assert_int_eq(appconfig_interval(cfg, APPCONFIG_VIEW_SQS), 5);
    ck_assert_int_eq(appconfig_interval(cfg, APPCONFIG_VIEW_DLQ), 30);
    ck_assert_int_eq(appconfig_interval(cfg, APPCONFIG_VIEW_OVERVIEW), 30);
    ck_assert_int_eq(appconfig_interval(cfg, APPCONFIG_VIEW_COUNT), 30);  /* out of range */
    ck_assert_str_eq(appconfig_view_name(APPCONFIG_VIEW_S3), "s3");
    ck_assert_str_eq(appconfig_view_name(APPCONFIG_VIEW_TOGGLES), "toggles");
    appconfig_free(cfg);
}
END_TEST

START_TEST(durations)
{
    static const struct { const char *in; long want; } good[] = {
        {"0", 0}, {"30", 30}, {"30s", 30}, {"5m", 300}, {"2h", 7200}, {"1d", 86400},
        {"007", 7}, {"9223372036854775807", 9223372036854775807L},
    };
    static const char *const bad[] = {
        "", "s", "-5", "+5", " 5", "5 ", "5x", "5ms", "1m30s", "1.5h", "5S", "m5",
        "99999999999999999999", "9223372036854775807m", "106751991167301d", "0x10",
    };
    long v;

    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        v = -1;
        ck_assert_msg(appconfig_parse_duration(good[i].in, &v), "'%s' refused", good[i].in);
        ck_assert_int_eq(v, good[i].want);
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        v = -42;
        ck_assert_msg(!appconfig_parse_duration(bad[i], &v), "'%s' accepted", bad[i]);
        ck_assert_int_eq(v, -42);  /* untouched */
    }
}
END_TEST

START_TEST(bools)
{
    static const char *const yes[] = {"true", "TRUE", "Yes", "on", "1"};
    static const char *const no[] = {"false", "False", "NO", "off", "0"};
    static const char *const bad[] = {"", "y", "n", "2", "truee", "enabled", " true"};
    bool b;

    for (size_t i = 0; i < 5; i++) {
        b = false;
        ck_assert(appconfig_parse_bool(yes[i], &b) && b);
        b = true;
        ck_assert(appconfig_parse_bool(no[i], &b) && !b);
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        b = true;
        ck_assert_msg(!appconfig_parse_bool(bad[i], &b), "'%s' accepted", bad[i]);
        ck_assert(b);
    }
}
END_TEST

START_TEST(syntax_comments_quotes_case)
{
    struct appconfig *cfg = load_text(
        "\xEF\xBB\xBF# a BOM, as some editors write\n"
        "  [ general ]   # comment after a header\n"
        "  THEME = \"light\"   ; inline comment\n"
        "\tascii=true # another\n"
        "[intervals]\r\n"
        "sqs = 'fifteen'\r\n"
        "dlq = 45s\r\n");

    ck_assert_uint_eq(cfg->nerrors, 1);
    error_is(cfg, 0, 6, "sqs = 'fifteen' is not a duration");
    ck_assert_str_eq(cfg->theme, "light");
    ck_assert(cfg->ascii);
    ck_assert_int_eq(appconfig_interval(cfg, APPCONFIG_VIEW_DLQ), 45);
    ck_assert_int_eq(appconfig_interval(cfg, APPCONFIG_VIEW_SQS), 10);
    appconfig_free(cfg);
}
END_TEST

/* The rule: a bad line is reported with file:line and everything else applies. */
START_TEST(bad_lines_rest_loads)
{
    struct appconfig *cfg = load_text(
        "[general]\n"                       /* 1 */
        "theme = ../../etc/passwd\n"        /* 2 bad theme */
        "ascii = maybe\n"                   /* 3 bad bool */
        "no_color = true\n"                 /* 4 */
        "max_in_flight = 0\n"               /* 5 out of range */
        "this line is junk\n"               /* 6 syntax */
        "[intervals]\n"                     /* 7 */
        "sqs = 1s\n"                        /* 8 below minimum */
        "dlq = 30s\n"                       /* 9 */
        "sns = 2d\n"                        /* 10 above maximum */
        "s3 =\n"                            /* 11 no value */
        "[thresholds]\n"                    /* 12 */
        "dlq_depth_warn = -3\n"             /* 13 */
        "dlq_depth_critical = 5m\n"         /* 14 a duration is not a count */
        "expiry_warn = 10m\n"               /* 15 */
        "[profile prod]\n"                  /* 16 */
        "environment = prodution\n"         /* 17 typo */
        "read_only = true\n"                /* 18 */
        "region = eu_west_1!\n"             /* 19 */
        "max_in_flight = 99999999999999999999999\n");  /* 20 unknown in a profile */
    const struct appconfig_thresholds *t = appconfig_thresholds(cfg);
    struct appconfig_profile p = appconfig_profile(cfg, "prod");

    error_is(cfg, 0, 2, "theme '../../etc/passwd' is not a theme name");
    error_is(cfg, 1, 3, "ascii = 'maybe' is not a boolean");
    error_is(cfg, 2, 5, "max_in_flight = '0' is not a whole number from 1 to 256");
    error_is(cfg, 3, 6, "not a [section], a comment or KEY = VALUE");
    error_is(cfg, 4, 8, "sqs = 1s is out of range — use 2s to 1d");
    error_is(cfg, 5, 10, "sns = 2d is out of range");
    error_is(cfg, 6, 11, "s3 has no value");
    error_is(cfg, 7, 13, "dlq_depth_warn = '-3' is not a whole number");
    error_is(cfg, 8, 14, "dlq_depth_critical = '5m' is not a whole number");
    error_is(cfg, 9, 17, "environment 'prodution' is unknown");
    error_is(cfg, 10, 19, "region 'eu_west_1!' is not a region name");
    error_is(cfg, 11, 20, "unknown key 'max_in_flight' in [profile] — known keys: "
             "environment, read_only, region, theme");
    ck_assert_uint_eq(cfg->nerrors, 12);
    /* the good lines applied, the bad ones kept their defaults */
    ck_assert_str_eq(cfg->theme, "default");
    ck_assert(!cfg->ascii);
    ck_assert(cfg->no_color);
    ck_assert_int_eq(cfg->max_in_flight, 16);
    ck_assert_int_eq(appconfig_interval(cfg, APPCONFIG_VIEW_SQS), 10);
    ck_assert_int_eq(appconfig_interval(cfg, APPCONFIG_VIEW_DLQ), 30);
    ck_assert_int_eq(appconfig_interval(cfg, APPCONFIG_VIEW_SNS), 10);
    ck_assert_int_eq(t->dlq_depth_warn, 1);
    ck_assert_int_eq(t->dlq_depth_critical, 100);
    ck_assert_int_eq(t->expiry_warn, 600);
    ck_assert_ptr_null(p.environment);
    ck_assert(!appconfig_is_production(cfg, "prod"));
    ck_assert(p.read_only);
    ck_assert_ptr_null(p.region);
    appconfig_free(cfg);
}
END_TEST

START_TEST(unknown_sections_and_keys)
{
    struct appconfig *cfg = load_text(
        "theme = light\n"                   /* 1 before any section */
        "[general]\n"                       /* 2 */
        "colour = red\n"                    /* 3 unknown key */
        "[colours]\n"                       /* 4 unknown section */
        "header = red\n"                    /* 5 ignored with its section */
        "ok = green\n"                      /* 6 */
        "[default]\n"                       /* 7 AWS habit */
        "[profile]\n"                       /* 8 no name */
        "[profile two words]\n"             /* 9 */
        "[general\n"                        /* 10 unclosed */
        "theme = light\n"                   /* 11 ignored */
        "[general] extra\n"                 /* 12 */
        "[intervals]\n"                     /* 13 */
        "sqs = 20\n");                      /* 14 applies */

    error_is(cfg, 0, 1, "theme is outside any section");
    error_is(cfg, 1, 3, "unknown key 'colour' in [general] — known keys: theme, ascii, "
             "no_color, max_in_flight");
    error_is(cfg, 2, 4, "unknown section [colours] — use [general]");
    error_is(cfg, 3, 7, "[profile default]");
    error_is(cfg, 4, 8, "[profile] without a name");
    error_is(cfg, 5, 9, "profile name 'two words' contains a space");
    error_is(cfg, 6, 10, "without a closing ']'");
    error_is(cfg, 7, 12, "text after the section header");
    ck_assert_uint_eq(cfg->nerrors, 8);
    ck_assert_str_eq(cfg->theme, "default");
    ck_assert_int_eq(appconfig_interval(cfg, APPCONFIG_VIEW_SQS), 20);
    ck_assert_uint_eq(cfg->nprofiles, 0);
    appconfig_free(cfg);
}
END_TEST

/* A secret is refused wherever it appears and its value never reaches a message. */
START_TEST(secrets_refused)
{
    static const char *const secret = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY";
    char text[2048];
    struct appconfig *cfg;
    FILE *f;
    char *out = NULL;
    size_t outlen = 0;

    snprintf(text, sizeof(text),
             "[profile prod]\n"
             "aws_secret_access_key = %s\n"       /* 2 */
             "AWS_SESSION_TOKEN = %s\n"           /* 3 */
             "environment = production\n"         /* 4 */
             "[general]\n"
             "aws_access_key_id = AKIAEXAMPLE%s\n"  /* 6 */
             "[nonsense]\n"
             "aws_security_token = %s\n"          /* 8: even in a bad section */
             "%s\n"                               /* 9: pasted on a line of its own */
             "password: %s\n",                    /* 10 */
             secret, secret, secret, secret, secret, secret);
    cfg = load_text(text);
    error_is(cfg, 0, 2, "aws_secret_access_key is a secret");
    ck_assert(strstr(cfg->errors[0], "opsdeck creds add"));
    ck_assert(strstr(cfg->errors[0], "~/.aws/credentials"));
    error_is(cfg, 1, 3, "aws_session_token is a secret");
    error_is(cfg, 2, 6, "aws_access_key_id is a secret");
    error_is(cfg, 3, 7, "unknown section [nonsense]");
    error_is(cfg, 4, 8, "aws_security_token is a secret");
    error_is(cfg, 5, 9, "not a [section]");
    error_is(cfg, 6, 10, "not a [section]");
    ck_assert_uint_eq(cfg->nerrors, 7);
    ck_assert(appconfig_is_production(cfg, "prod"));  /* the rest still loads */
    f = open_memstream(&out, &outlen);
    appconfig_print_errors(cfg, f);
    appconfig_print(cfg, f);
    fclose(f);
    ck_assert_msg(!strstr(out, "EXAMPLEKEY"), "a secret reached the output:\n%s", out);
    free(out);
    appconfig_free(cfg);
}
END_TEST

START_TEST(profile_queries)
{
    struct appconfig *cfg = load_text(
        "[general]\ntheme = light\n"
        "[profile prod]\nenvironment = PROD\n"
        "[profile stage]\nenvironment = stage\nread_only = yes\n"
        "[profile dev]\nenvironment = dev\ntheme = monochrome\n"
        "[profile prod]\nread_only = on\nregion = us-east-1\n"   /* repeated: merged */
        "[profile plain]\n");
    struct appconfig_profile p;

    ck_assert_uint_eq(cfg->nerrors, 0);
    p = appconfig_profile(cfg, "prod");
    ck_assert_str_eq(p.environment, "production");
    ck_assert(p.read_only);
    ck_assert_str_eq(p.region, "us-east-1");
    ck_assert_str_eq(p.theme, "light");
    ck_assert(appconfig_is_production(cfg, "prod"));
    p = appconfig_profile(cfg, "stage");
    ck_assert_str_eq(p.environment, "staging");
    ck_assert(p.read_only);
    ck_assert(!appconfig_is_production(cfg, "stage"));
    p = appconfig_profile(cfg, "dev");
    ck_assert_str_eq(p.environment, "development");
    ck_assert(!p.read_only);
    ck_assert_str_eq(p.theme, "monochrome");
    p = appconfig_profile(cfg, "plain");
    ck_assert_ptr_null(p.environment);
    ck_assert(!p.read_only);
    ck_assert_ptr_null(p.region);
    ck_assert_str_eq(p.theme, "light");
    /* unknown and NULL profiles: defaults */
    p = appconfig_profile(cfg, "nosuch");
    ck_assert_ptr_null(p.environment);
    ck_assert(!p.read_only);
    ck_assert_str_eq(p.theme, "light");
    p = appconfig_profile(cfg, NULL);
    ck_assert_ptr_null(p.environment);
    ck_assert(!appconfig_is_production(cfg, NULL));
    ck_assert(!appconfig_is_production(cfg, "Prod"));  /* profile names are case-sensitive */
    ck_assert_uint_eq(cfg->nprofiles, 4);
    appconfig_free(cfg);
}
END_TEST

START_TEST(threshold_order)
{
    struct appconfig *cfg = load_text(
        "[thresholds]\n"
        "oldest_message_warn = 1h\n"       /* 2 */
        "oldest_message_critical = 10m\n"  /* 3 */
        "dlq_depth_critical = 10\n"        /* 4 */
        "dlq_depth_warn = 10\n"            /* 5: equal is fine */
        "expiry_warn = 1d\n");
    const struct appconfig_thresholds *t = appconfig_thresholds(cfg);

    ck_assert_uint_eq(cfg->nerrors, 1);
    error_is(cfg, 0, 3, "oldest_message_warn (1h) is above oldest_message_critical (10m)");
    ck_assert_int_eq(t->oldest_message_warn, 300);
    ck_assert_int_eq(t->oldest_message_critical, 900);
    ck_assert_int_eq(t->dlq_depth_warn, 10);
    ck_assert_int_eq(t->dlq_depth_critical, 10);
    ck_assert_int_eq(t->expiry_warn, 86400);
    appconfig_free(cfg);
    /* a warning above the default critical level is caught too */
    cfg = load_text("[thresholds]\ndlq_depth_warn = 1000\n");
    ck_assert_uint_eq(cfg->nerrors, 1);
    error_is(cfg, 0, 2, "dlq_depth_warn (1000) is above dlq_depth_critical (100)");
    appconfig_free(cfg);
}
END_TEST

START_TEST(directory_is_one_error)
{
    struct appconfig *cfg;
    char want[600];

    ck_assert_int_eq(mkdir(cfg_path, 0700), 0);
    cfg = appconfig_load(NULL);
    ck_assert_uint_eq(cfg->nerrors, 1);
    snprintf(want, sizeof(want), "%s: is a directory", cfg_path);
    ck_assert_msg(strncmp(cfg->errors[0], want, strlen(want)) == 0, "%s", cfg->errors[0]);
    defaults_are(cfg);
    appconfig_free(cfg);
}
END_TEST

/* A file that exists but cannot be opened. A symlink loop fails for every user, root too
 * (a mode-000 file would not: root reads it). */
START_TEST(unreadable_is_one_error)
{
    struct appconfig *cfg;

    ck_assert_int_eq(symlink(cfg_path, cfg_path), 0);
    cfg = appconfig_load(NULL);
    ck_assert_uint_eq(cfg->nerrors, 1);
    ck_assert_msg(strstr(cfg->errors[0], ": cannot read: Too many levels of symbolic links — "),
                  "%s", cfg->errors[0]);
    defaults_are(cfg);
    appconfig_free(cfg);
}
END_TEST

START_TEST(explicit_path_missing)
{
    struct appconfig *cfg = appconfig_load("/nonexistent/dir/config");

    ck_assert_str_eq(cfg->path, "/nonexistent/dir/config");
    ck_assert_uint_eq(cfg->nerrors, 0);
    ck_assert(!cfg->file_found);
    appconfig_free(cfg);
}
END_TEST

START_TEST(malformed_input)
{
    char *big = malloc(10000), text[200];
    struct appconfig *cfg;
    FILE *f;

    /* an over-long line, a NUL byte, an escape sequence in a key, huge numbers */
    memset(big, 'x', 9999);
    big[9999] = '\0';
    f = fopen(cfg_path, "w");
    fprintf(f, "[general]\ntheme = %s\n", big);
    fwrite("ascii = tr\0ue\n", 1, 14, f);
    fputs("\x1b[2Jkey = 1\n", f);
    fputs("max_in_flight = 99999999999999999999999999\n", f);
    fprintf(f, "ascii = %.100s\n", big);
    fputs("theme = light", f);  /* no final newline */
    fclose(f);
    cfg = appconfig_load(NULL);
    error_is(cfg, 0, 2, "line longer than 4096 bytes");
    error_is(cfg, 1, 3, "NUL byte");
    error_is(cfg, 2, 4, "unknown key '\\x1B[2jkey'");
    error_is(cfg, 3, 5, "max_in_flight = '99999999999999999999999999' is not a whole");
    error_is(cfg, 4, 6, "ascii = 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' is not a boolean");
    ck_assert_uint_eq(cfg->nerrors, 5);
    ck_assert_str_eq(cfg->theme, "light");
    for (size_t i = 0; i < cfg->nerrors; i++)
        ck_assert_msg(!strchr(cfg->errors[i], '\x1b'), "raw ESC in '%s'", cfg->errors[i]);
    appconfig_free(cfg);
    free(big);

    /* a flood of bad lines is capped */
    f = fopen(cfg_path, "w");
    for (int i = 0; i < 500; i++)
        fputs("junk\n", f);
    fclose(f);
    cfg = appconfig_load(NULL);
    ck_assert_uint_eq(cfg->nerrors, APPCONFIG_MAX_ERRORS);
    ck_assert_uint_eq(cfg->errors_dropped, 500 - APPCONFIG_MAX_ERRORS);
    f = fopen("/dev/null", "w");
    ck_assert_uint_eq(appconfig_print_errors(cfg, f), APPCONFIG_MAX_ERRORS);
    fclose(f);
    appconfig_free(cfg);

    /* truncated header, lone '=', binary junk */
    snprintf(text, sizeof(text), "[\nx = 1\n[general]\n=\n = x\n[]\n\x01\x02\x03\n"
             "[intervals]\nsqs = 7\n");
    cfg = load_text(text);
    error_is(cfg, 0, 1, "closing ']'");    /* line 2 goes with its section */
    error_is(cfg, 1, 4, "no key before '='");
    error_is(cfg, 2, 5, "no key before '='");
    error_is(cfg, 3, 6, "unknown section []");
    error_is(cfg, 4, 7, "not a [section]");
    ck_assert_uint_eq(cfg->nerrors, 5);
    ck_assert_int_eq(appconfig_interval(cfg, APPCONFIG_VIEW_SQS), 7);
    appconfig_free(cfg);
}
END_TEST

START_TEST(general_read_only)
{
    struct appconfig *cfg = load_text("[general]\nread_only = yes\n");

    ck_assert_msg(cfg->nerrors == 0, "%s", cfg->nerrors ? cfg->errors[0] : "");
    ck_assert(cfg->read_only);
    appconfig_free(cfg);
    cfg = load_text("[general]\nread_only = maybe\n");
    error_is(cfg, 0, 2, "read_only = 'maybe' is not a boolean");
    ck_assert(!cfg->read_only);
    appconfig_free(cfg);
}
END_TEST

START_TEST(templates)
{
    struct appconfig *cfg = load_text(
        "[template order-created]\n"
        "body = {\"id\": \"{{uuid}}\", \"at\": \"{{now}}\"}\n"   /* 2 */
        "subject = Test order\n"
        "attribute.eventType = OrderCreated\n"
        "attribute.retries = Number:3\n"                       /* 5 */
        "attribute.eventType = String:OrderPlaced\n"           /* replaces line 4's */
        "[template ping]\n"
        "body = ping\n"
        "[template order-created]\n"                           /* 9: adds to the first */
        "attribute.Source-ID.v2 = 'x'\n");
    const struct appconfig_template *t;

    ck_assert_msg(cfg->nerrors == 0, "%s", cfg->nerrors ? cfg->errors[0] : "");
    ck_assert_uint_eq(cfg->ntemplates, 2);
    t = appconfig_template(cfg, "order-created");
    ck_assert_ptr_nonnull(t);
    ck_assert_str_eq(t->body, "{\"id\": \"{{uuid}}\", \"at\": \"{{now}}\"}");
    ck_assert_str_eq(t->subject, "Test order");
    ck_assert_uint_eq(t->nattrs, 3);
    ck_assert_str_eq(t->attrs[0].name, "eventType");      /* case kept */
    ck_assert_str_eq(t->attrs[0].value, "String:OrderPlaced");
    ck_assert_str_eq(t->attrs[1].name, "retries");
    ck_assert_str_eq(t->attrs[1].value, "Number:3");
    ck_assert_str_eq(t->attrs[2].name, "Source-ID.v2");
    ck_assert_str_eq(t->attrs[2].value, "x");
    t = appconfig_template(cfg, "ping");
    ck_assert_str_eq(t->body, "ping");
    ck_assert_ptr_null(t->subject);
    ck_assert_uint_eq(t->nattrs, 0);
    ck_assert_ptr_null(appconfig_template(cfg, "nope"));
    appconfig_free(cfg);
}
END_TEST

START_TEST(bad_templates)
{
    struct appconfig *cfg = load_text(
        "[template]\n"                                 /* 1 */
        "body = x\n"
        "[template bad name!]\n"                       /* 3 */
        "[template t]\n"
        "attribute..x = 1\n"                           /* 5 */
        "attribute.a = \n"                             /* 6 */
        "color = red\n"                                /* 7 */
        "attribute.a1 = 1\nattribute.a2 = 1\nattribute.a3 = 1\nattribute.a4 = 1\n"
        "attribute.a5 = 1\nattribute.a6 = 1\nattribute.a7 = 1\nattribute.a8 = 1\n"
        "attribute.a9 = 1\nattribute.a10 = 1\n"
        "attribute.a11 = 1\n"                          /* 18: the eleventh */
        "attribute.password = hunter2\n");             /* 19 */
    const struct appconfig_template *t = appconfig_template(cfg, "t");

    error_is(cfg, 0, 1, "is not a template name");
    error_is(cfg, 1, 3, "is not a template name");
    error_is(cfg, 2, 5, "attribute name '.x' is not valid");
    error_is(cfg, 3, 6, "attribute a has no value");
    error_is(cfg, 4, 7, "unknown key 'color' in [template] — known keys: body, subject");
    error_is(cfg, 5, 18, "at most 10");
    error_is(cfg, 6, 19, "is a secret");
    ck_assert_msg(!strstr(cfg->errors[6], "hunter2"), "%s", cfg->errors[6]);
    ck_assert_uint_eq(cfg->nerrors, 7);
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(t->nattrs, 10);
    appconfig_free(cfg);
}
END_TEST

START_TEST(toggles)
{
    struct appconfig *cfg = load_text(
        "[toggles]\npaths = /a/flags, /b  /c/d\nconfirm_timeout = 5m\n"
        "[toggle outbound]\nparameter = /a/flags/outbound\non = \"enabled\"\noff = disabled\n"
        "description = partner uploads\n"
        "[toggle Pay.Ments_2]\nPARAMETER = plain-name\non = 1\noff = 0\n");
    const struct appconfig_toggle *t;

    ck_assert_msg(cfg->nerrors == 0, "%s", cfg->nerrors ? cfg->errors[0] : "");
    ck_assert_uint_eq(cfg->ntoggle_paths, 3);
    ck_assert_str_eq(cfg->toggle_paths[0], "/a/flags");
    ck_assert_str_eq(cfg->toggle_paths[1], "/b");
    ck_assert_str_eq(cfg->toggle_paths[2], "/c/d");
    ck_assert_int_eq(cfg->confirm_timeout, 300);
    ck_assert_uint_eq(cfg->ntoggles, 2);
    t = appconfig_toggle(cfg, "outbound");
    ck_assert_ptr_nonnull(t);
    ck_assert_str_eq(t->parameter, "/a/flags/outbound");
    ck_assert_str_eq(t->on, "enabled");
    ck_assert_str_eq(t->off, "disabled");
    ck_assert_str_eq(t->description, "partner uploads");
    /* by its parameter too: `opsdeck toggle set /a/flags/outbound on` */
    ck_assert_ptr_eq(appconfig_toggle(cfg, "/a/flags/outbound"), t);
    ck_assert_str_eq(appconfig_toggle(cfg, "Pay.Ments_2")->parameter, "plain-name");
    ck_assert_ptr_null(appconfig_toggle(cfg, "pay.ments_2"));
    ck_assert_ptr_null(appconfig_toggle(cfg, NULL));
    appconfig_free(cfg);

    cfg = load_text("");
    ck_assert_uint_eq(cfg->ntoggles, 0);
    ck_assert_uint_eq(cfg->ntoggle_paths, 0);
    ck_assert_int_eq(cfg->confirm_timeout, APPCONFIG_CONFIRM_TIMEOUT_DEFAULT);
    appconfig_free(cfg);
}
END_TEST

/* [expiry NAME]: an app password's anchor, lifetime and thresholds; [general] alert; the
 * expiry thresholds of [thresholds]. */
START_TEST(expiries)
{
    struct appconfig *cfg = load_text(
        "[general]\nalert = flash\n"
        "[thresholds]\nexpiry_critical = 2m\nconsole_login_warn = 7d\n"
        "access_key_age = 30d\nrotation_warn = 6h\n"
        "[expiry portal]\n"
        "anchor = secret:arn:aws:secretsmanager:eu-west-1:123456789012:secret:portal-AbC\n"
        "lifetime = 15m\nwarn = 3m\ncritical = 1m\n"
        "[expiry batch.pw]\nanchor = parameter:/app/batch/password\nlifetime = 1d\n");
    const struct appconfig_expiry *e;
    const struct appconfig_thresholds *th;

    ck_assert_msg(cfg->nerrors == 0, "%s", cfg->nerrors ? cfg->errors[0] : "");
    ck_assert_int_eq(cfg->alert, APPCONFIG_ALERT_FLASH);
    th = appconfig_thresholds(cfg);
    ck_assert_int_eq(th->expiry_critical, 120);
    ck_assert_int_eq(th->expiry_warn, 900);            /* the default stays */
    ck_assert_int_eq(th->password_warn, 7 * 86400);
    ck_assert_int_eq(th->access_key_age, 30 * 86400);
    ck_assert_int_eq(th->rotation_warn, 6 * 3600);
    ck_assert_uint_eq(cfg->nexpiries, 2);
    e = appconfig_expiry(cfg, "portal");
    ck_assert_ptr_nonnull(e);
    ck_assert_str_eq(e->anchor,
                     "secret:arn:aws:secretsmanager:eu-west-1:123456789012:secret:portal-AbC");
    ck_assert_int_eq(e->lifetime, 900);
    ck_assert_int_eq(e->warn, 180);
    ck_assert_int_eq(e->critical, 60);
    e = appconfig_expiry(cfg, "batch.pw");
    ck_assert_str_eq(e->anchor, "parameter:/app/batch/password");
    ck_assert_int_eq(e->lifetime, 86400);
    ck_assert_int_eq(e->warn, 0);
    ck_assert_ptr_null(appconfig_expiry(cfg, "nope"));
    appconfig_free(cfg);
}
END_TEST

/* Malformed toggles: each reported at its line with the fix, and none half-kept. */
START_TEST(bad_toggles)
{
    struct appconfig *cfg = load_text(
        "[toggles]\n"
        "paths = /ok, relative/path\n"                 /* 2: not a path: none kept */
        "confirm_timeout = 2h\n"                       /* 3: over an hour */
        "confirm_timeout = soon\n"                     /* 4 */
        "[toggle]\n"                                   /* 5: no name */
        "[toggle bad name]\n"                          /* 6 */
        "[toggle nop]\n"                               /* 7: no parameter */
        "on = 1\noff = 0\n"
        "[toggle same]\n"                              /* 10: on == off */
        "parameter = /p/same\non = x\noff = x\n"
        "[toggle badparam]\n"                          /* 14 */
        "parameter = /has space\n"                     /* 15 */
        "on = 1\noff = 0\n"
        "[toggle first]\nparameter = /p/dup\non = 1\noff = 0\n"   /* 18 */
        "[toggle second]\n"                            /* 22: same parameter */
        "parameter = /p/dup\non = y\noff = n\n"
        "[toggle x]\ncolour = red\n"                   /* 26, 27 */
        "[toggle y]\nparameter = /p/y\non = 1\noff = 0\nsecret_token = abc\n"); /* 28..32 */

    error_is(cfg, 0, 2, "paths: 'relative/path' is not an SSM path");
    error_is(cfg, 1, 3, "confirm_timeout = 2h is out of range");
    error_is(cfg, 2, 4, "confirm_timeout = 'soon' is not a duration");
    error_is(cfg, 3, 5, "unknown section [toggle]");
    error_is(cfg, 4, 6, "[toggle bad name] is not a toggle name");
    error_is(cfg, 5, 15, "parameter '/has space' is not an SSM parameter name");
    error_is(cfg, 6, 27, "unknown key 'colour' in [toggle] — known keys: parameter, on, off, "
             "description");
    error_is(cfg, 7, 32, "is a secret");
    ck_assert_msg(!strstr(cfg->errors[7], "abc"), "%s", cfg->errors[7]);
    /* then the toggles that are not whole, at their headers */
    error_is(cfg, 8, 7, "[toggle nop] has no parameter");
    error_is(cfg, 9, 10, "[toggle same]: on and off are the same value");
    error_is(cfg, 10, 14, "[toggle badparam] has no parameter");
    error_is(cfg, 11, 22, "[toggle second]: its parameter is another toggle's already");
    error_is(cfg, 12, 26, "[toggle x] has no parameter");
    ck_assert_uint_eq(cfg->nerrors, 13);
    ck_assert_uint_eq(cfg->ntoggle_paths, 0);
    ck_assert_int_eq(cfg->confirm_timeout, APPCONFIG_CONFIRM_TIMEOUT_DEFAULT);
    ck_assert_uint_eq(cfg->ntoggles, 2);
    ck_assert_str_eq(cfg->toggles[0].name, "first");
    ck_assert_str_eq(cfg->toggles[1].name, "y");
    ck_assert_ptr_null(appconfig_toggle(cfg, "second"));
    appconfig_free(cfg);
}
END_TEST

START_TEST(bad_expiries)
{
    struct appconfig *cfg = load_text(
        "[expiry no-anchor]\n"                              /* 1: dropped at the end */
        "lifetime = 15m\n"
        "[expiry no-lifetime]\n"                            /* 3: dropped at the end */
        "anchor = secret:x\n"
        "[expiry bad]\n"                                    /* 5 */
        "anchor = vault:x\n"                                /* 6: not an anchor */
        "anchor = secret:has space\n"                       /* 7 */
        "anchor = secret:\n"                                /* 8 */
        "lifetime = 10s\n"                                  /* 9: under a minute */
        "lifetime = soon\n"                                 /* 10 */
        "colour = red\n"                                    /* 11: unknown key */
        "[expiry bad]\n"                                    /* 12: twice */
        "[expiry a b]\n"                                    /* 13: not a name */
        "[expiry]\n"                                        /* 14 */
        "[expiry long-warn]\nanchor = parameter:p\nlifetime = 15m\nwarn = 15m\n"   /* 15 */
        "[expiry upside]\nanchor = parameter:p\nlifetime = 15m\nwarn = 1m\ncritical = 2m\n"
        "[expiry ok]\nanchor = parameter:/ok\nlifetime = 15m\n"
        "[general]\nalert = loud\n"                        /* 28 */
        "[thresholds]\nexpiry_warn = 1m\nexpiry_critical = 5m\n");   /* 30, 31 */

    error_is(cfg, 0, 6, "anchor = 'vault:x' is not an anchor");
    error_is(cfg, 1, 7, "is not an anchor");
    error_is(cfg, 2, 8, "is not an anchor");
    error_is(cfg, 3, 9, "lifetime = 10s is out of range");
    error_is(cfg, 4, 10, "lifetime = 'soon' is not a duration");
    error_is(cfg, 5, 11, "unknown key 'colour' in [expiry] — known keys: anchor, lifetime");
    error_is(cfg, 6, 12, "[expiry bad] is declared twice");
    error_is(cfg, 7, 13, "[expiry a b] is not a name");
    error_is(cfg, 8, 14, "[expiry ] is not a name");
    error_is(cfg, 9, 28, "alert = 'loud' is unknown — use bell, flash or off");
    error_is(cfg, 10, 31, "expiry_critical (5m) is above expiry_warn (1m)");
    error_is(cfg, 11, 1, "[expiry no-anchor] has no anchor");
    error_is(cfg, 12, 3, "[expiry no-lifetime] has no lifetime");
    error_is(cfg, 13, 5, "[expiry bad] has no anchor");
    error_is(cfg, 14, 15, "[expiry long-warn] has warn or critical not shorter than its");
    error_is(cfg, 15, 19, "[expiry upside] has critical above warn");
    ck_assert_uint_eq(cfg->nerrors, 16);
    /* only the complete one is kept; the thresholds went back to their defaults */
    ck_assert_uint_eq(cfg->nexpiries, 1);
    ck_assert_str_eq(cfg->expiries[0].name, "ok");
    ck_assert_int_eq(cfg->alert, APPCONFIG_ALERT_BELL);
    ck_assert_int_eq(appconfig_thresholds(cfg)->expiry_warn, 900);
    ck_assert_int_eq(appconfig_thresholds(cfg)->expiry_critical, 300);
    appconfig_free(cfg);
}
END_TEST

START_TEST(peek_count_read_alone)
{
    struct appconfig *cfg = load_text("[general]\npeek_count = 7\n");
    struct appconfig *bad = load_text("[general]\npeek_count = 101\n");

    ck_assert_int_eq(cfg->peek_count, 7);
    /* the fields beside it keep their defaults */
    ck_assert_int_eq(cfg->interval_default, APPCONFIG_INTERVAL_DEFAULT);
    ck_assert(!cfg->read_only);
    ck_assert_uint_eq(cfg->nerrors, 0);
    ck_assert_uint_eq(bad->nerrors, 1);
    ck_assert_int_eq(bad->peek_count, 10);
    appconfig_free(cfg);
    appconfig_free(bad);
}
END_TEST

START_TEST(print_round_trips)
{
    struct appconfig *cfg = load_text(
        "[general]\ntheme = light\nascii = true\nalert = off\n"
        "[intervals]\nsqs = 90\n"
        "[thresholds]\noldest_message_warn = 120\n"
        "[profile prod]\nenvironment = prod\nregion = eu-west-1\n"
        "[template t]\nbody = {\"a\": 1}\nattribute.k = Number:2\n"
        "[toggles]\npaths = /a /b\n[toggle sw]\nparameter = /a/sw\non = yes\noff = no\n"
        "[expiry portal]\nanchor = secret:portal/pw\nlifetime = 15m\nwarn = 2m\n");
    struct appconfig *again;
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);

    appconfig_print(cfg, f);
    fclose(f);
    ck_assert_msg(strstr(out, "theme = light\n"), "%s", out);
    ck_assert(strstr(out, "sqs = 90s\n"));
    ck_assert(strstr(out, "dlq = 10s\n"));
    ck_assert(strstr(out, "oldest_message_warn = 2m\n"));
    ck_assert(strstr(out, "[profile prod]\nenvironment = production\n"));
    /* what it prints is a valid config with the same meaning */
    again = load_text(out);
    ck_assert_msg(again->nerrors == 0, "%s", again->nerrors ? again->errors[0] : "");
    ck_assert_int_eq(appconfig_interval(again, APPCONFIG_VIEW_SQS), 90);
    ck_assert_int_eq(appconfig_thresholds(again)->oldest_message_warn, 120);
    ck_assert(appconfig_is_production(again, "prod"));
    ck_assert(again->ascii);
    ck_assert_str_eq(appconfig_template(again, "t")->body, "{\"a\": 1}");
    ck_assert_str_eq(appconfig_template(again, "t")->attrs[0].value, "Number:2");
    ck_assert_uint_eq(again->ntoggle_paths, 2);
    ck_assert_str_eq(again->toggle_paths[1], "/b");
    ck_assert_str_eq(appconfig_toggle(again, "sw")->off, "no");
    ck_assert_int_eq(again->alert, APPCONFIG_ALERT_OFF);
    ck_assert_str_eq(appconfig_expiry(again, "portal")->anchor, "secret:portal/pw");
    ck_assert_int_eq(appconfig_expiry(again, "portal")->lifetime, 900);
    ck_assert_int_eq(appconfig_expiry(again, "portal")->warn, 120);
    free(out);
    appconfig_free(again);
    appconfig_free(cfg);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("appconfig");
    TCase *tc = tcase_create("appconfig");

    tcase_add_checked_fixture(tc, setup, tmp_home_teardown);
    tcase_add_test(tc, missing_file_is_defaults);
    tcase_add_test(tc, empty_and_comments_only);
    tcase_add_test(tc, location);
    tcase_add_test(tc, xdg_file_is_read);
    tcase_add_test(tc, every_key);
    tcase_add_test(tc, interval_default_applies_to_unset_views);
    tcase_add_test(tc, durations);
    tcase_add_test(tc, bools);
    tcase_add_test(tc, syntax_comments_quotes_case);
    tcase_add_test(tc, bad_lines_rest_loads);
    tcase_add_test(tc, unknown_sections_and_keys);
    tcase_add_test(tc, secrets_refused);
    tcase_add_test(tc, profile_queries);
    tcase_add_test(tc, threshold_order);
    tcase_add_test(tc, directory_is_one_error);
    tcase_add_test(tc, unreadable_is_one_error);
    tcase_add_test(tc, explicit_path_missing);
    tcase_add_test(tc, malformed_input);
    tcase_add_test(tc, toggles);
    tcase_add_test(tc, bad_toggles);
    tcase_add_test(tc, general_read_only);
    tcase_add_test(tc, templates);
    tcase_add_test(tc, bad_templates);
    tcase_add_test(tc, peek_count_read_alone);
    tcase_add_test(tc, expiries);
    tcase_add_test(tc, bad_expiries);
    tcase_add_test(tc, print_round_trips);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(suite());
}
