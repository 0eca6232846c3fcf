/* test_cmdline_names.c - the names `:profile` and `:theme` complete: every profile of both
 * AWS files (aws_config_profile_names) and every theme theme_find could open (theme_names).
 * Each case runs in a fresh temporary HOME (tmp_home.h; Check forks per case). */
#include "config.h"
#include "check_tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conf/awsconfig.h"
#include "look/theme.h"
#include "tmp_home.h"

/* names joined with ',' for one readable assertion; frees them */
static char *joined(char **v, size_t n)
{
    static char out[2048];

    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(out, ",");
        strcat(out, v[i]);
        free(v[i]);
    }
    free(v);
    return out;
}

static char *profiles(void)
{
    struct aws_error err;
    struct aws_config_opts o = {0};
    struct aws_config *cfg;
    char **v;
    size_t n;
    char *s;

    aws_error_clear(&err);
    cfg = aws_config_new(&o, &err);
    ck_assert_msg(cfg != NULL, "%s", err.message);
    n = aws_config_profile_names(cfg, &v);
    if (n == 0)
        ck_assert_ptr_null(v);
    s = joined(v, n);
    aws_config_free(cfg);
    return s;
}

START_TEST(profiles_from_both_files)
{
    tmp_home_write(".aws/config",
                   "[default]\nregion = eu-west-1\n"
                   "[profile prod]\nregion = eu-west-1\n"
                   "[profile prod-eu]\nsource_profile = prod\n"
                   "[sso-session corp]\nsso_region = eu-west-1\n"
                   "[services local]\nsqs =\n  endpoint_url = http://127.0.0.1:1\n"
                   "[profile 'with space']\n"
                   "[orphan]\nregion = us-east-1\n");  /* not a profile in the config file */
    tmp_home_write(".aws/credentials",
                   "[dev]\naws_access_key_id = AKIDEXAMPLE\n"
                   "[prod]\naws_access_key_id = AKIDEXAMPLE\n"
                   "[default]\naws_access_key_id = AKIDEXAMPLE\n");
    /* sorted, each once; sso-session, services and bare config sections are not profiles */
    ck_assert_str_eq(profiles(), "default,dev,prod,prod-eu,with space");
}
END_TEST

START_TEST(profiles_from_env_paths)
{
    char cfgp[400], credp[400];
    FILE *f;

    /* the variables win over ~/.aws, as in the CLI */
    tmp_home_write(".aws/config", "[profile ignored]\n");
    snprintf(cfgp, sizeof(cfgp), "%s/other-config", home);
    snprintf(credp, sizeof(credp), "%s/other-creds", home);
    f = fopen(cfgp, "w");
    ck_assert_ptr_nonnull(f);
    fputs("[profile zeta]\n[profile alpha]\nregion = us-east-2\n", f);
    fclose(f);
    f = fopen(credp, "w");
    ck_assert_ptr_nonnull(f);
    fputs("[beta]\naws_access_key_id = AKIDEXAMPLE\n[alpha]\naws_access_key_id = AKIDEXAMPLE\n", f);
    fclose(f);
    setenv("AWS_CONFIG_FILE", cfgp, 1);
    setenv("AWS_SHARED_CREDENTIALS_FILE", credp, 1);
    ck_assert_str_eq(profiles(), "alpha,beta,zeta");
}
END_TEST

START_TEST(profiles_none)
{
    /* no files at all: nothing, and no crash */
    ck_assert_str_eq(profiles(), "");
    /* files with no sections */
    tmp_home_write(".aws/config", "# nothing yet\n");
    tmp_home_write(".aws/credentials", "");
    ck_assert_str_eq(profiles(), "");
    {
        char **v = (char **)1;

        ck_assert_uint_eq(aws_config_profile_names(NULL, &v), 0);
        ck_assert_ptr_null(v);
    }
}
END_TEST

static void mkdirs(const char *rel)
{
    char path[600], *p;

    snprintf(path, sizeof(path), "%s/%s", home, rel);
    for (p = path + strlen(home) + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0700);
            *p = '/';
        }
    }
    mkdir(path, 0700);
}

static char *themes(const char *datadir)
{
    char **v;
    size_t n = theme_names(datadir, &v);

    if (n == 0)
        ck_assert_ptr_null(v);
    return joined(v, n);
}

static char *repo_themes(void)
{
    static char dir[600];
    const char *top = getenv("TOP_SRCDIR");

    snprintf(dir, sizeof(dir), "%s/themes", top && *top ? top : ".");
    return dir;
}

START_TEST(themes_user_and_datadir)
{
    char xdg[400];

    snprintf(xdg, sizeof(xdg), "%s/xdg", home);
    mkdirs("xdg/opsdeck/themes");
    setenv("XDG_CONFIG_HOME", xdg, 1);
    tmp_home_write("xdg/opsdeck/themes/night-shift.theme", "[colors]\n");
    tmp_home_write("xdg/opsdeck/themes/default.theme", "[colors]\n");  /* overrides: once */
    tmp_home_write("xdg/opsdeck/themes/.hidden.theme", "");           /* invalid name */
    tmp_home_write("xdg/opsdeck/themes/notes.txt", "");                /* not a theme */
    tmp_home_write("xdg/opsdeck/themes/.theme", "");                   /* empty name */
    tmp_home_write("xdg/opsdeck/themes/bad name.theme", "");           /* invalid name */
    mkdirs("xdg/opsdeck/themes/dir.theme");                            /* not a file */
    /* the repository's themes, and the user's own */
    ck_assert_str_eq(themes(repo_themes()),
                     "default,high-contrast,light,monochrome,night-shift");
    /* each name is one theme_find can open */
    {
        char **v;
        size_t n = theme_names(repo_themes(), &v);

        for (size_t i = 0; i < n; i++) {
            char *p = theme_find(v[i], repo_themes());

            ck_assert_msg(p != NULL, "theme_find(%s)", v[i]);
            free(p);
            free(v[i]);
        }
        free(v);
    }
}
END_TEST

START_TEST(themes_home_fallback)
{
    /* without an absolute XDG_CONFIG_HOME the user dir is ~/.config/opsdeck/themes */
    setenv("XDG_CONFIG_HOME", "relative", 1);
    mkdirs(".config/opsdeck/themes");
    tmp_home_write(".config/opsdeck/themes/solar.theme", "");
    ck_assert_str_eq(themes(NULL), "solar");
    ck_assert_str_eq(themes(""), "solar");
    unsetenv("XDG_CONFIG_HOME");
    ck_assert_str_eq(themes(repo_themes()), "default,high-contrast,light,monochrome,solar");
}
END_TEST

START_TEST(themes_none)
{
    char missing[400];

    setenv("XDG_CONFIG_HOME", home, 1);  /* exists, but has no opsdeck/themes */
    snprintf(missing, sizeof(missing), "%s/no-such-dir", home);
    ck_assert_str_eq(themes(missing), "");
    ck_assert_str_eq(themes(NULL), "");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cmdline_names");
    TCase *tc = tcase_create("names");

    tcase_add_checked_fixture(tc, tmp_home_setup, tmp_home_teardown);
    tcase_add_test(tc, profiles_from_both_files);
    tcase_add_test(tc, profiles_from_env_paths);
    tcase_add_test(tc, profiles_none);
    tcase_add_test(tc, themes_user_and_datadir);
    tcase_add_test(tc, themes_home_fallback);
    tcase_add_test(tc, themes_none);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
