/* test_ui_message.c - the status line's message (ui_message, which cleans what it is given
 * through ui_message_clean): a text carrying ESC sequences, a C1 CSI, other C1 controls, a
 * bidi override and invalid UTF-8 is stored escaped, as the sanitiser writes it, on the status
 * line and in the :errors log; a text a caller already sanitised is kept as it is (its
 * backslashes not doubled again); a long one is cut without leaving half a character. */
#include "config.h"
#include "check_tap.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "creds/sso_signin.h"
#include "look/glyph.h"
#include "ui/ui_internal.h"
#include "util/sanitize.h"
#include "util/utf8.h"

static struct ui *ui_make(void)
{
    struct ui *ui = calloc(1, sizeof(*ui));

    ck_assert_ptr_nonnull(ui);
    ui->test_clock = true;
    ui->test_now_ms = 1800000000000LL;
    errlog_init(&ui->errlog);
    return ui;
}

static void ui_drop(struct ui *ui)
{
    errlog_done(&ui->errlog);
    free(ui);
}

/* Nothing a terminal would act on: no C0 control or DEL, no C1 control (U+0080-U+009F),
 * no bidi control, and valid UTF-8 throughout. */
static void assert_inert(const char *s)
{
    size_t n = strlen(s);

    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = utf8_decode(s + i, n - i, &cp);

        ck_assert_msg(k > 0, "invalid UTF-8 at byte %zu of \"%s\"", i, s);
        ck_assert_msg(cp >= 0x20 && cp != 0x7f && !(cp >= 0x80 && cp <= 0x9f),
                      "control U+%04X at byte %zu", (unsigned)cp, i);
        ck_assert_msg(cp != 0x061c && !(cp >= 0x200e && cp <= 0x200f) &&
                      !(cp >= 0x202a && cp <= 0x202e) && !(cp >= 0x2066 && cp <= 0x2069),
                      "bidi control U+%04X at byte %zu", (unsigned)cp, i);
        i += k;
    }
}

#define HOSTILE "queue \x1b[2J\x1b]52;c;ZXZpbA==\x07 \xc2\x9b" "31m red \xc2\x85 next " \
                "\xe2\x80\xae" "evil \xff\xfe end"
#define ESCAPED "queue \\x1B[2J\\x1B]52;c;ZXZpbA==\\x07 \\x9B31m red \\x85 next " \
                "\\u{202E}evil \\xFF\\xFE end"

START_TEST(hostile_message_escaped)
{
    struct ui *ui = ui_make();
    const struct errlog_entry *e;

    ui_message(ui, false, "cannot read %s: denied", HOSTILE);
    ck_assert_str_eq(ui->message, "cannot read " ESCAPED ": denied");
    assert_inert(ui->message);
    ck_assert(!ui->message_error);
    ck_assert_uint_eq(errlog_count(&ui->errlog), 0);   /* not an error: not logged */

    /* an error goes to :errors as the status line shows it */
    ui_message(ui, true, "%s", HOSTILE);
    ck_assert_str_eq(ui->message, ESCAPED);
    ck_assert(ui->message_error);
    ck_assert_uint_eq(errlog_count(&ui->errlog), 1);
    e = errlog_at(&ui->errlog, 0);
    ck_assert_str_eq(e->text, ESCAPED);
    ck_assert_str_eq(e->source, "console");
    ui_drop(ui);
}
END_TEST

/* Each kind on its own, so a regression names the one it lets through. */
START_TEST(each_kind_alone)
{
    static const struct { const char *in, *out; } cases[] = {
        {"a\x1b" "b", "a\\x1Bb"},                   /* ESC */
        {"a\x1b[0m", "a\\x1B[0m"},                  /* CSI, 7-bit */
        {"a\xc2\x9b" "0m", "a\\x9B0m"},             /* CSI, C1 U+009B */
        {"a\xc2\x90q\xc2\x9c", "a\\x90q\\x9C"},     /* DCS ... ST */
        {"a\x07\x08\x7f", "a\\x07\\x08\\x7F"},      /* BEL, BS, DEL */
        {"tab\there", "tab\\there"},
        {"line\nbreak\r", "line\\nbreak\\r"},
        {"x\xe2\x80\xaey", "x\\u{202E}y"},          /* RIGHT-TO-LEFT OVERRIDE */
        {"x\xe2\x81\xa6y", "x\\u{2066}y"},          /* LEFT-TO-RIGHT ISOLATE */
        {"x\xd8\x9cy", "x\\u{061C}y"},              /* ARABIC LETTER MARK */
        {"bad \xc3(", "bad \\xC3("},                /* a lead byte with no continuation */
        {"bad \xed\xa0\x80", "bad \\xED\\xA0\\x80"}, /* a UTF-16 surrogate in UTF-8 */
        {"over \xc0\xaf", "over \\xC0\\xAF"},       /* an overlong '/' */
        {"caf\xc3\xa9 \xe6\x97\xa5", "caf\xc3\xa9 \xe6\x97\xa5"},  /* plain UTF-8 stays */
    };
    struct ui *ui = ui_make();

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ui_message(ui, false, "%s", cases[i].in);
        ck_assert_msg(strcmp(ui->message, cases[i].out) == 0, "case %zu: \"%s\" for \"%s\"", i,
                      ui->message, cases[i].out);
        assert_inert(ui->message);
    }
    ui_drop(ui);
}
END_TEST

/* A caller that sanitised already (a queue name escaped by the view) is not escaped twice:
 * its backslashes stay single. A text that mixes an escape with a raw ESC is escaped whole,
 * so a forged "\x1B" cannot pass for one the sanitiser wrote. */
START_TEST(already_clean_kept)
{
    struct ui *ui = ui_make();
    char *pre = sanitize_text("q\x1b[2J", 5);

    ui_message(ui, false, "peeked at %s", pre);
    ck_assert_str_eq(ui->message, "peeked at q\\x1B[2J");
    ui_message(ui, false, "C:\\temp\\file");
    ck_assert_str_eq(ui->message, "C:\\temp\\file");
    ui_message(ui, false, "%s and \x1b[2J", pre);
    ck_assert_str_eq(ui->message, "q\\\\x1B[2J and \\x1B[2J");
    free(pre);
    ui_drop(ui);
}
END_TEST

/* Longer than the status line's buffer: cut, and never in the middle of a character or an
 * escape's bytes that would leave invalid UTF-8 behind. */
START_TEST(long_message_cut_cleanly)
{
    struct ui *ui = ui_make();
    size_t size = sizeof(ui->message);
    char *text = malloc(size + 64);

    for (size_t pad = size - 8; pad < size + 2; pad++) {
        memset(text, 'a', pad);
        strcpy(text + pad, "\xc3\xa9\x1b\xc3\xa9\xe2\x80\xae");
        ui_message(ui, false, "%s", text);
        ck_assert_uint_lt(strlen(ui->message), size);
        assert_inert(ui->message);
    }
    free(text);
    ui_drop(ui);
}
END_TEST

/* "Still going" texts end with the glyph table's ellipsis: "~" under --ascii, where a
 * UTF-8 "…" would show as mojibake on an 8-bit terminal; "…" otherwise. */
START_TEST(ellipsis_from_glyph_table)
{
    static const enum sso_signin_state going[] = {SSO_SIGNIN_REGISTERING, SSO_SIGNIN_STARTING};
    struct ui *ui = ui_make();
    struct sso_signin_info in = {0};
    char status[160];

    ui->glyphs = &glyphs_ascii;
    ui_act_say_started(ui, "Peek: orders");
    ck_assert_str_eq(ui->message, "Peek: orders~");
    for (size_t i = 0; i < sizeof(going) / sizeof(going[0]); i++) {
        in.state = going[i];
        ui_signin_status(ui, &in, status, sizeof(status));
        ck_assert_msg(strstr(status, "\xe2\x80\xa6") == NULL, "UTF-8 ellipsis in \"%s\"", status);
        ck_assert_msg(status[strlen(status) - 1] == '~', "no ASCII ellipsis: \"%s\"", status);
    }

    ui->glyphs = &glyphs_utf8;
    ui_act_say_started(ui, "Peek: orders");
    ck_assert_str_eq(ui->message, "Peek: orders\xe2\x80\xa6");
    in.state = SSO_SIGNIN_STARTING;
    ui_signin_status(ui, &in, status, sizeof(status));
    ck_assert_str_eq(status, "asking for a code\xe2\x80\xa6");
    ui_drop(ui);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("ui_message");
    TCase *tc = tcase_create("clean");

    tcase_add_test(tc, hostile_message_escaped);
    tcase_add_test(tc, each_kind_alone);
    tcase_add_test(tc, already_clean_kept);
    tcase_add_test(tc, long_message_cut_cleanly);
    tcase_add_test(tc, ellipsis_from_glyph_table);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(suite());
}
