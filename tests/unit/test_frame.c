/* test_frame.c - the frame's texts: the header keeps account, profile, region and the
 * countdown at 80 columns (the identity gives way first), the identity from an ARN, and the
 * footer keeps the framework's keys and never passes the width. */
#include "config.h"
#include "check_tap.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "ui/frame.h"
#include "util/textwidth.h"

static const struct frame_header hdr = {
    .account = "123456789012",
    .identity = "assumed-role/OrganizationAccountAccessRole/alice.long-session-name@example",
    .profile = "prod-eu",
    .region = "eu-west-1",
    .countdown = "12m03s",
};

static void has_essentials(const char *text)
{
    ck_assert_msg(strstr(text, "123456789012") != NULL, "account in '%s'", text);
    ck_assert_msg(strstr(text, "profile prod-eu") != NULL, "profile in '%s'", text);
    ck_assert_msg(strstr(text, "eu-west-1") != NULL, "region in '%s'", text);
    ck_assert_msg(strstr(text, "creds 12m03s") != NULL, "countdown in '%s'", text);
}

START_TEST(header_at_80_shortens_identity)
{
    /* 80 columns, and 68 after the PRODUCTION banner */
    int widths[] = {80, 80 - (int)strlen(FRAME_PROD_BANNER), 200};

    for (size_t i = 0; i < 3; i++) {
        char *t = frame_header_text(&hdr, widths[i], "…");
        ck_assert_int_le(textwidth(t), widths[i]);
        has_essentials(t);
        if (widths[i] < 100) {
            ck_assert_msg(strstr(t, "alice.long-session-name@example") == NULL,
                          "identity shortened at %d: '%s'", widths[i], t);
            ck_assert_msg(strstr(t, "assumed-ro") != NULL,
                          "the identity is cut, not dropped: '%s'", t);
        } else {
            ck_assert_msg(strstr(t, hdr.identity) != NULL, "whole identity at 200: '%s'", t);
        }
        free(t);
    }
}
END_TEST

START_TEST(header_drops_identity_then_cuts)
{
    char *t = frame_header_text(&hdr, 62, "…");

    has_essentials(t);
    ck_assert_msg(strstr(t, "assumed") == NULL, "identity dropped at 62: '%s'", t);
    free(t);
    t = frame_header_text(&hdr, 20, "…");
    ck_assert_int_le(textwidth(t), 20);
    ck_assert_msg(strstr(t, "123456789012") != NULL, "the account comes first: '%s'", t);
    free(t);
    t = frame_header_text(&hdr, 0, "…");
    ck_assert_str_eq(t, "");
    free(t);
}
END_TEST

START_TEST(header_before_identity_known)
{
    struct frame_header h = {.profile = "default", .region = NULL, .countdown = "no expiry"};
    char *t = frame_header_text(&h, 80, "…");

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
    char *t = frame_header_text(&h, 80, "…");

    /* 81 columns in the long form: the short one keeps the countdown and says it */
    ck_assert_msg(strstr(t, "eu-west-1  creds 4m50s refreshing") != NULL, "'%s'", t);
    ck_assert_int_le(textwidth(t), 80);
    free(t);
    t = frame_header_text(&h, 120, "…");
    ck_assert_msg(strstr(t, "creds 4m50s  refreshing credentials") != NULL, "'%s'", t);
    free(t);
    h.countdown = NULL;
    t = frame_header_text(&h, 80, "…");
    ck_assert_msg(strstr(t, "eu-west-1  refreshing credentials") != NULL, "'%s'", t);
    ck_assert_msg(strstr(t, "creds") == NULL, "no countdown without credentials: '%s'", t);
    free(t);
    h.refreshing = false;
    h.countdown = "4m50s";
    t = frame_header_text(&h, 80, "…");
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
    char *t = frame_header_text(&h, 80, "…");

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

    tcase_add_test(tc, header_at_80_shortens_identity);
    tcase_add_test(tc, header_drops_identity_then_cuts);
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
