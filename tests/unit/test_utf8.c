/* test_utf8.c - the one UTF-8 decoder and encoder: every length, the boundaries of each
 * form, and the malformed input that must never be read as a character (overlong forms,
 * surrogates, values past U+10FFFF, stray and missing continuation bytes, cut sequences). */
#include "config.h"
#include "check_tap.h"

#include <stdint.h>
#include <string.h>

#include "util/utf8.h"

struct good {
    const char *bytes;
    uint32_t cp;
};

static const struct good good_chars[] = {
    {"A", 0x41},
    {"\x7f", 0x7f},
    {"\xc2\x80", 0x80},                 /* the first two-byte character */
    {"\xc3\xa9", 0xe9},                 /* é */
    {"\xdf\xbf", 0x7ff},
    {"\xe0\xa0\x80", 0x800},            /* the first three-byte character */
    {"\xe2\x80\xa6", 0x2026},           /* … */
    {"\xe2\x80\xae", 0x202e},           /* a bidi override is still a character */
    {"\xed\x9f\xbf", 0xd7ff},           /* just below the surrogates */
    {"\xee\x80\x80", 0xe000},           /* just above them */
    {"\xef\xbf\xbd", 0xfffd},
    {"\xf0\x90\x80\x80", 0x10000},      /* the first four-byte character */
    {"\xf0\x9f\x98\x80", 0x1f600},      /* an emoji */
    {"\xf4\x8f\xbf\xbf", 0x10ffff},     /* the last character */
};

static const char *const bad_seqs[] = {
    "\x80", "\xbf",                     /* continuation bytes alone */
    "\xc0\x80", "\xc1\xbf",             /* overlong two-byte forms (NUL, DEL) */
    "\xe0\x80\x80", "\xe0\x9f\xbf",     /* overlong three-byte forms */
    "\xf0\x80\x80\x80", "\xf0\x8f\xbf\xbf",  /* overlong four-byte forms */
    "\xed\xa0\x80", "\xed\xbf\xbf",     /* surrogates */
    "\xf4\x90\x80\x80", "\xf7\xbf\xbf\xbf",  /* past U+10FFFF */
    "\xf8\x88\x80\x80\x80", "\xfc\x84\x80\x80\x80\x80", "\xfe", "\xff",  /* 5/6-byte forms */
    "\xc3", "\xe2\x80", "\xf0\x9f\x98",  /* cut short by the NUL */
    "\xc3\x41", "\xe2\x41\xa6", "\xf0\x9f\x41\x80",  /* a continuation byte missing */
};

START_TEST(decodes_every_form)
{
    for (size_t i = 0; i < sizeof(good_chars) / sizeof(good_chars[0]); i++) {
        const char *b = good_chars[i].bytes;
        uint32_t cp = 0;
        char enc[4];

        ck_assert_uint_eq(utf8_decode(b, strlen(b), &cp), strlen(b));
        ck_assert_msg(cp == good_chars[i].cp, "%zu: U+%04X, want U+%04X", i, (unsigned)cp,
                      (unsigned)good_chars[i].cp);
        /* and the same bytes back */
        ck_assert_uint_eq(utf8_encode(cp, enc), strlen(b));
        ck_assert(memcmp(enc, b, strlen(b)) == 0);
        /* a NUL-terminated string may be read without its length */
        ck_assert_uint_eq(utf8_decode(b, SIZE_MAX, &cp), strlen(b));
    }
}
END_TEST

START_TEST(refuses_malformed)
{
    for (size_t i = 0; i < sizeof(bad_seqs) / sizeof(bad_seqs[0]); i++) {
        uint32_t cp = 0x4242;

        ck_assert_msg(utf8_decode(bad_seqs[i], SIZE_MAX, &cp) == 0, "bad sequence %zu read",
                      i);
        ck_assert_uint_eq(cp, 0x4242);
    }
}
END_TEST

/* A character is never read across the end of the bytes the caller has: a sequence cut by
 * the length is refused, whatever follows in memory. */
START_TEST(respects_the_length)
{
    const char *e = "\xf0\x9f\x98\x80";
    uint32_t cp;

    for (size_t n = 0; n < 4; n++)
        ck_assert_uint_eq(utf8_decode(e, n, &cp), 0);
    ck_assert_uint_eq(utf8_decode(e, 4, &cp), 4);
    ck_assert_uint_eq(utf8_decode("", 0, &cp), 0);
    /* a NUL is a character of its own when the length says it is there */
    ck_assert_uint_eq(utf8_decode("\0x", 2, &cp), 1);
    ck_assert_uint_eq(cp, 0);
}
END_TEST

START_TEST(encodes_non_characters_as_replacement)
{
    char enc[4];

    ck_assert_uint_eq(utf8_encode(0xd800, enc), 3);
    ck_assert(memcmp(enc, "\xef\xbf\xbd", 3) == 0);
    ck_assert_uint_eq(utf8_encode(0x110000, enc), 3);
    ck_assert(memcmp(enc, "\xef\xbf\xbd", 3) == 0);
    ck_assert_uint_eq(utf8_encode(0, enc), 1);
    ck_assert_int_eq(enc[0], 0);
}
END_TEST

/* What an export may write as a JSON string: whole characters, no NUL. */
START_TEST(text_is_whole_characters_without_nul)
{
    ck_assert(utf8_is_text("", 0));
    ck_assert(utf8_is_text("plain {\"json\": 1}\n", 17));
    ck_assert(utf8_is_text("caf\xc3\xa9 \xf0\x9f\x98\x80", 10));
    ck_assert(!utf8_is_text("a\0b", 3));                 /* a NUL inside */
    ck_assert(!utf8_is_text("caf\xc3", 4));              /* cut at the end */
    ck_assert(!utf8_is_text("\xc3\xa9", 1));              /* cut by the length */
    ck_assert(!utf8_is_text("x\x80y", 3));               /* a stray continuation byte */
    ck_assert(!utf8_is_text("\xc0\x80", 2));              /* an overlong NUL */
    ck_assert(!utf8_is_text("\xed\xa0\x80", 3));          /* a surrogate */
    ck_assert(!utf8_is_text("\xf4\x90\x80\x80", 4));      /* past U+10FFFF */
    ck_assert(!utf8_is_text("\x89PNG\r\n\x1a\n", 8));     /* binary */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("utf8");
    TCase *tc = tcase_create("utf8");

    tcase_add_test(tc, decodes_every_form);
    tcase_add_test(tc, refuses_malformed);
    tcase_add_test(tc, respects_the_length);
    tcase_add_test(tc, encodes_non_characters_as_replacement);
    tcase_add_test(tc, text_is_whole_characters_without_nul);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
