/* test_frame.c - the frame's texts: the header keeps account, identity, profile, region and
 * the countdown at 80 columns under both banners (what gives way, in order), the identity
 * from an ARN, and the
 * footer keeps the framework's keys and never passes the width. */
#include "config.h"
#include "check_tap.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "ui/frame.h"
#include "util/textwidth.h"
#include "util/xalloc.h"

static const struct frame_header hdr = {
    .account = "123456789012",
    .identity = "assumed-role/OrganizationAccountAccessRole/alice.long-session-name@example",
    .profile = "prod-eu",
    .region = "eu-west-1",
    .countdown = "12m03s",
};

/* The whole row as the terminal shows it: the banners, then the text. The caller frees. */
static char *header_row(const struct frame_header *h, int cols)
{
    struct frame_header_line line;
    char *row;

    frame_header_layout(&line, h, cols, "…");
    row = xasprintf("%s%s%s", line.prod ? line.prod : "", line.ro ? line.ro : "", line.text);
    frame_header_done(&line);
    return row;
}

static void has(const char *row, const char *what, const char *why)
{
    ck_assert_msg(strstr(row, what) != NULL, "%s: '%s' in '%s'", why, what, row);
}

static void has_not(const char *row, const char *what, const char *why)
{
    ck_assert_msg(strstr(row, what) == NULL, "%s: no '%s' in '%s'", why, what, row);
}

/* Every combination of the banners and a running refresh at 60, 80 and 120 columns: the row
 * never passes the width; from 80 columns account, identity (its role at least), profile,
 * region and countdown all show, and at 60 all of them but the identity; at 120 the banners,
 * the labels and the identity are whole (its type only gives way to a banner and a
 * refresh), the refresh said in its short form. */
START_TEST(header_every_combination)
{
    static const int widths[] = {60, 80, 120};

    for (size_t wi = 0; wi < 3; wi++) {
        for (int c = 0; c < 8; c++) {
            struct frame_header h = {
                .production = c & 1, .read_only = c & 2, .refreshing = c & 4,
                .account = "123456789012", .identity = "assumed-role/OnCallAdministrators/alice",
                .profile = "prod-admin", .region = "eu-west-1", .countdown = "4m50s",
            };
            int cols = widths[wi];
            char *row = header_row(&h, cols);
            char why[64];

            snprintf(why, sizeof(why), "%d columns,%s%s%s", cols,
                     h.production ? " production" : "", h.read_only ? " read-only" : "",
                     h.refreshing ? " refreshing" : "");
            ck_assert_msg(textwidth(row) <= cols, "%s: '%s' is %d wide", why, row,
                          textwidth(row));
            has(row, "123456789012", why);
            has(row, "prod-admin", why);
            has(row, "eu-west-1", why);
            has(row, "creds 4m50s", why);
            if (cols >= 80)
                has(row, "OnCallAdmin", why);
            if (h.production)
                has(row, cols >= 120 ? " PRODUCTION " : " PROD", why);
            else
                has_not(row, "PROD", why);
            if (h.read_only)
                has(row, cols >= 120 ? "READ-ONLY " : "RO ", why);
            else
                has_not(row, "READ-ONLY", why);
            if (cols >= 120) {
                has(row, "profile prod-admin", why);
                has(row, "OnCallAdministrators/alice", why);
                if (h.refreshing)
                    has(row, "creds 4m50s refreshing", why);
                if (!h.refreshing || !(h.production || h.read_only))
                    has(row, "assumed-role/OnCallAdministrators/alice", why);
            }
            free(row);
        }
    }
}
END_TEST

/* The rows an engineer sees at 80 columns, banners and a refresh: what gave way, in order. */
START_TEST(header_at_80_what_gives_way)
{
    struct frame_header h = {
        .account = "123456789012", .identity = "assumed-role/OnCallAdministrators/alice",
        .profile = "prod-admin", .region = "eu-west-1", .countdown = "4m50s",
    };
    char *row = header_row(&h, 80);

    /* the identity is cut from its type on, keeping the role's name */
    ck_assert_str_eq(row, " 123456789012  OnCallAdministrators…  profile prod-admin  "
                          "eu-west-1  creds 4m50s");
    free(row);
    h.production = true;
    row = header_row(&h, 80);
    /* the banner shortens, then the label goes rather than the identity being cut below 16
     * columns */
    ck_assert_str_eq(row, " PROD  123456789012  OnCallAdministrators/a…  prod-admin  eu-west-1"
                          "  creds 4m50s");
    free(row);
    h.read_only = true;
    row = header_row(&h, 80);
    ck_assert_str_eq(row, " PROD RO 123456789012  OnCallAdministrators…  prod-admin  eu-west-1"
                          "  creds 4m50s");
    free(row);
    h.refreshing = true;
    row = header_row(&h, 80);
    /* the profile's label, then "refreshing", go before the identity is cut below 16
     * columns: the row is the same as without a refresh */
    ck_assert_str_eq(row, " PROD RO 123456789012  OnCallAdministrators…  prod-admin  eu-west-1"
                          "  creds 4m50s");
    free(row);
    h.production = false;
    row = header_row(&h, 80);
    ck_assert_str_eq(row, " RO  123456789012  OnCallAdministrators/ali…  prod-admin  eu-west-1"
                          "  creds 4m50s");
    free(row);
    /* at 60 the identity is left out last, then the line is cut at its end */
    h.production = true;
    row = header_row(&h, 60);
    ck_assert_str_eq(row, " PROD RO 123456789012  prod-admin  eu-west-1  creds 4m50s");
    free(row);
    row = header_row(&h, 30);
    ck_assert_str_eq(row, " PROD RO 123456789012  prod-a…");
    free(row);
}
END_TEST

/* A long identity is cut after its type is dropped, keeping the role's name first; the
 * "profile" label goes only when the identity would be left with less than 16 columns. */
START_TEST(header_cuts_long_identity)
{
    struct frame_header h = hdr;
    char *row = header_row(&h, 200);

    has(row, hdr.identity, "whole at 200");
    has(row, "profile prod-eu", "whole at 200");
    free(row);
    row = header_row(&h, 80);
    ck_assert_str_eq(row, " 123456789012  OrganizationAccountAcc…  profile prod-eu  eu-west-1  "
                          "creds 12m03s");
    free(row);
    h.production = true;
    row = header_row(&h, 80);
    ck_assert_str_eq(row, " PROD  123456789012  OrganizationAcco…  profile prod-eu  eu-west-1  "
                          "creds 12m03s");
    free(row);
    h.production = false;
    row = header_row(&h, 62);
    ck_assert_str_eq(row, " 123456789012  Organization…  prod-eu  eu-west-1  creds 12m03s");
    free(row);
    row = header_row(&h, 50);
    ck_assert_str_eq(row, " 123456789012  prod-eu  eu-west-1  creds 12m03s");
    free(row);
    row = header_row(&h, 20);
    ck_assert_str_eq(row, " 123456789012  prod…");
    free(row);
    row = header_row(&h, 0);
    ck_assert_str_eq(row, "");
    free(row);
}
END_TEST

/* A user's name stands without its type and path; the banners shorten one at a time. */
START_TEST(header_user_identity)
{
    struct frame_header h = {.production = true, .read_only = true, .account = "123456789012",
                             .identity = "user/engineering/oncall/alice",
                             .profile = "prod-ops", .region = "us-east-1",
                             .countdown = "no expiry"};
    char *row = header_row(&h, 80);

    ck_assert_str_eq(row, " PROD RO 123456789012  alice  profile prod-ops  us-east-1  creds no "
                          "expiry");
    free(row);
    /* a column more to spare: READ-ONLY is spelled out, PRODUCTION's red says it as PROD */
    h.profile = "prod-op";
    row = header_row(&h, 80);
    ck_assert_str_eq(row, " PROD READ-ONLY 123456789012  alice  profile prod-op  us-east-1  "
                          "creds no expiry");
    free(row);
}
END_TEST

START_TEST(header_before_identity_known)
{
    struct frame_header h = {.profile = "default", .region = NULL, .countdown = "no expiry"};
    char *t = header_row(&h, 80);

    ck_assert_msg(strstr(t, "account ?") != NULL, "'%s'", t);
    ck_assert_msg(strstr(t, "no region") != NULL, "'%s'", t);
    ck_assert_msg(strstr(t, "creds no expiry") != NULL, "'%s'", t);
    free(t);
}
END_TEST

/* While a refresh runs the header says so after the countdown; with nothing held yet there
 * is no countdown to show, only the refresh. At 80 columns it survives a long identity. */
START_TEST(header_says_refreshing)
{
    struct frame_header h = {.account = "123456789012", .profile = "prod-admin",
                             .region = "eu-west-1", .countdown = "4m50s", .refreshing = true,
                             .identity = "assumed-role/OnCallAdministrators/alice"};
    char *t = header_row(&h, 80);

    /* 81 columns in the long form: the short one keeps the countdown and says it */
    ck_assert_msg(strstr(t, "eu-west-1  creds 4m50s refreshing") != NULL, "'%s'", t);
    ck_assert_int_le(textwidth(t), 80);
    free(t);
    t = header_row(&h, 140);
    ck_assert_msg(strstr(t, "creds 4m50s  refreshing credentials") != NULL, "'%s'", t);
    free(t);
    /* the identity whole comes before the long form */
    t = header_row(&h, 120);
    ck_assert_msg(strstr(t, "  assumed-role/OnCallAdministrators/alice  ") &&
                  strstr(t, "creds 4m50s refreshing"), "'%s'", t);
    free(t);
    h.countdown = NULL;
    t = header_row(&h, 80);
    ck_assert_msg(strstr(t, "eu-west-1  refreshing credentials") != NULL, "'%s'", t);
    ck_assert_msg(strstr(t, "OnCallAdmin") != NULL, "'%s'", t);
    ck_assert_msg(strstr(t, "creds") == NULL, "no countdown without credentials: '%s'", t);
    free(t);
    /* under both banners at 60 the refresh still shows: it stands for the countdown */
    h.production = h.read_only = true;
    t = header_row(&h, 60);
    ck_assert_str_eq(t, " PROD RO 123456789012  prod-admin  eu-west-1  refreshing");
    free(t);
    h.production = h.read_only = false;
    h.refreshing = false;
    h.countdown = "4m50s";
    t = header_row(&h, 80);
    ck_assert_msg(strstr(t, "refreshing") == NULL, "'%s'", t);
    free(t);
}
END_TEST

/* The nearest expiry of all is named when it is not the console's own credentials, and
 * still fits 80 columns with the account, profile and region. */
START_TEST(header_names_nearest_expiry)
{
    struct frame_header h = {.account = "123456789012", .identity = "user/alice",
                             .profile = "production-eu", .region = "eu-west-1",
                             .countdown = "overdue 10d00h", .countdown_what = "key alice"};
    char *t = header_row(&h, 80);

    ck_assert_msg(strstr(t, "key alice overdue 10d00h") != NULL, "'%s'", t);
    ck_assert_msg(strstr(t, "creds") == NULL, "'%s'", t);
    ck_assert_msg(strstr(t, "123456789012") && strstr(t, "eu-west-1"), "'%s'", t);
    ck_assert_int_le(textwidth(t), 80);
    free(t);
}
END_TEST

START_TEST(identity_from_arn)
{
    const char *cases[][2] = {
        {"arn:aws:sts::123456789012:assumed-role/Ops/alice", "assumed-role/Ops/alice"},
        {"arn:aws:iam::123456789012:user/moto", "user/moto"},
        {"arn:aws:iam::123456789012:root", "root"},
        {"arn:aws:iam::123456789012:", "arn:aws:iam::123456789012:"},
        {"not-an-arn", "not-an-arn"},
        {"a:b:c", "a:b:c"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *id = frame_identity_from_arn(cases[i][0]);
        ck_assert_str_eq(id, cases[i][1]);
        free(id);
    }
    ck_assert_ptr_null(frame_identity_from_arn(NULL));
}
END_TEST

START_TEST(footer_keeps_framework_keys)
{
    const struct view_keyhelp keys[] = {
        {"Enter", "details: attributes, redrive policy, tags"},
        {"s/S", "sort by next column / reverse"},
        {"p", "peek"},
        {NULL, NULL},
    };
    char *t = frame_footer_text(keys, NULL, 80, "…");

    ck_assert_int_le(textwidth(t), 80);
    ck_assert_msg(strstr(t, "Enter details ") != NULL, "short form of the view's key: '%s'", t);
    ck_assert_msg(strstr(t, "attributes") == NULL, "the long text is for ? only: '%s'", t);
    ck_assert_msg(strstr(t, "? help") != NULL && strstr(t, ": cmd") != NULL, "'%s'", t);
    free(t);
    t = frame_footer_text(keys, "", 200, "…");
    ck_assert_msg(strstr(t, "p peek") != NULL, "every key fits at 200: '%s'", t);
    free(t);
    t = frame_footer_text(NULL, NULL, 80, "…");
    ck_assert_msg(strstr(t, "/ filter") != NULL, "'%s'", t);
    free(t);
    t = frame_footer_text(keys, NULL, 10, "…");
    ck_assert_int_le(textwidth(t), 10);
    free(t);
}
END_TEST

/* At 80 columns the view's most useful keys (its first ones) come before the framework's,
 * each in its short form; an active filter the view does not show comes first of all. */
START_TEST(footer_view_keys_first_at_80)
{
    const struct view_keyhelp keys[] = {
        {"Enter", "details: attributes, redrive policy, tags"},
        {"y", "copy: the queue's URL to the clipboard (OSC 52)"},
        {"s/S", "sort: by the next column / reverse the order"},
        {"Q V I D O F L", "sort by that column: QUEUE, VISIBLE (again: reverse)"},
        {"j/k", "down / up (in details: scroll)"},
        {NULL, NULL},
    };
    char *t = frame_footer_text(keys, NULL, 80, "…");

    ck_assert_str_eq(t, " Enter details  y copy  s/S sort  | : cmd  / filter  ? help  q back");
    free(t);
    t = frame_footer_text(keys, "orders", 80, "…");
    ck_assert_str_eq(t, " /orders (Esc clears)  Enter details  y copy  | : cmd  / filter  ? help"
                        "  q back");
    free(t);
    /* a very long filter takes at most half the line */
    t = frame_footer_text(keys, "orders-orders-orders-orders-orders-orders-orders", 80, "…");
    ck_assert_int_le(textwidth(t), 80);
    ck_assert_msg(strstr(t, "? help") != NULL, "'%s'", t);
    free(t);
}
END_TEST

START_TEST(framework_keys_listed)
{
    const char *want[] = {":", "/", "?", "r", "y", "Esc", "q", "Ctrl-L"};

    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        bool found = false;
        for (size_t k = 0; frame_keys[k].keys; k++)
            found = found || strcmp(frame_keys[k].keys, want[i]) == 0;
        ck_assert_msg(found, "? help lists %s", want[i]);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("frame");
    TCase *tc = tcase_create("frame");

    tcase_add_test(tc, header_every_combination);
    tcase_add_test(tc, header_at_80_what_gives_way);
    tcase_add_test(tc, header_cuts_long_identity);
    tcase_add_test(tc, header_user_identity);
    tcase_add_test(tc, header_before_identity_known);
    tcase_add_test(tc, header_says_refreshing);
    tcase_add_test(tc, header_names_nearest_expiry);
    tcase_add_test(tc, identity_from_arn);
    tcase_add_test(tc, footer_keeps_framework_keys);
    tcase_add_test(tc, footer_view_keys_first_at_80);
    tcase_add_test(tc, framework_keys_listed);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    return check_tap_run(suite());
}
