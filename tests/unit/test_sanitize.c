/* test_sanitize.c - untrusted text never reaches the terminal as it is. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check_tap.h"
#include "util/sanitize.h"

static void expect_text(const char *in, size_t len, const char *want)
{
    char *got = sanitize_text(in, len);
    ck_assert_str_eq(got, want);
    free(got);
}

START_TEST(plain_text_unchanged)
{
    expect_text("orders-intake.fifo", 18, "orders-intake.fifo");
    expect_text("reports/Q3 résumé ✓.pdf", strlen("reports/Q3 résumé ✓.pdf"),
                "reports/Q3 résumé ✓.pdf");
}
END_TEST

START_TEST(escape_sequences_are_made_visible)
{
    /* ESC [2J clears the screen; OSC 52 writes the clipboard */
    expect_text("a\x1b[2Jb", 6, "a\\x1B[2Jb");
    expect_text("\x1b]52;c;aGk=\x07", 12, "\\x1B]52;c;aGk=\\x07");
    /* C1 CSI (U+009B) encoded as UTF-8, and DEL */
    expect_text("x\xc2\x9b" "2J\x7f", 6, "x\\x9B2J\\x7F");
}
END_TEST

START_TEST(bidi_overrides_are_made_visible)
{
    expect_text("evil\xe2\x80\xaetxt.exe", strlen("evil\xe2\x80\xaetxt.exe"),
                "evil\\u{202E}txt.exe");
    expect_text("\xe2\x81\xa6x\xe2\x81\xa9", 7, "\\u{2066}x\\u{2069}");
}
END_TEST

START_TEST(invalid_utf8_and_nul)
{
    expect_text("a\xff" "b", 3, "a\\xFFb");
    expect_text("\xc0\xaf", 2, "\\xC0\\xAF");          /* overlong '/' */
    expect_text("\xed\xa0\x80", 3, "\\xED\\xA0\\x80"); /* surrogate */
    expect_text("\xe2\x82", 2, "\\xE2\\x82");          /* truncated */
    expect_text("a\0b", 3, "a\\x00b");
}
END_TEST

START_TEST(backslash_cannot_forge_an_escape)
{
    expect_text("\\x1B", 4, "\\\\x1B");
    expect_text("tab\there", 8, "tab\\there");
}
END_TEST

START_TEST(json_keeps_meaning_but_not_the_controls)
{
    char *got = sanitize_json("{\"k\": \"a\x7f\xc2\x9b\xe2\x80\xae\xff ok ✓\"}");
    ck_assert_str_eq(got, "{\"k\": \"a\\u007f\\u009b\\u202e\\ufffd ok ✓\"}");
    free(got);
}
END_TEST

/* A terminal that is not UTF-8: every non-ASCII character becomes a \u{...} escape (ASCII,
 * so the columns after it stay in place); controls and invalid bytes as before; JSON is
 * left alone. */
START_TEST(non_utf8_terminal_gets_escapes)
{
    char *out;

    sanitize_set_utf8(false);
    ck_assert(!sanitize_utf8());
    out = sanitize_text("caf\xc3\xa9", 5);
    ck_assert_str_eq(out, "caf\\u{00E9}");
    free(out);
    out = sanitize_text("\xe6\x97\xa5\xe6\x9c\xac-orders", 13);
    ck_assert_str_eq(out, "\\u{65E5}\\u{672C}-orders");
    free(out);
    out = sanitize_text("\xf0\x9f\x98\x80 \x1b[2J \xe2\x80\xae \xff", 15);
    ck_assert_str_eq(out, "\\u{1F600} \\x1B[2J \\u{202E} \\xFF");
    for (const char *p = out; *p; p++)
        ck_assert_int_lt((unsigned char)*p, 0x80);
    free(out);
    out = sanitize_json("{\"n\":\"caf\xc3\xa9\"}");
    ck_assert_str_eq(out, "{\"n\":\"caf\xc3\xa9\"}");
    free(out);

    sanitize_set_utf8(true);
    out = sanitize_text("caf\xc3\xa9", 5);
    ck_assert_str_eq(out, "caf\xc3\xa9");
    free(out);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sanitize");
    TCase *tc = tcase_create("sanitize");

    tcase_add_test(tc, plain_text_unchanged);
    tcase_add_test(tc, escape_sequences_are_made_visible);
    tcase_add_test(tc, bidi_overrides_are_made_visible);
    tcase_add_test(tc, invalid_utf8_and_nul);
    tcase_add_test(tc, backslash_cannot_forge_an_escape);
    tcase_add_test(tc, json_keeps_meaning_but_not_the_controls);
    tcase_add_test(tc, non_utf8_terminal_gets_escapes);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
