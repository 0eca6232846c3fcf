/* test_preview.c - an object's first bytes as a person reads them: text as it is, JSON
 * indented with its numbers untouched, gzip inflated (also when only its start was
 * fetched), binary and broken input as a hex dump, never a crash. */
#include "config.h"
#include "check_tap.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "util/preview.h"

static void render(const void *d, size_t n, long long total, struct preview *p)
{
    preview_render(d, n, total, p);
    ck_assert_ptr_nonnull(p->text);
}

/* data gzip-compressed into out (size *n in, bytes out). */
static void gzip(const char *data, size_t len, unsigned char *out, size_t *n)
{
    z_stream z;

    memset(&z, 0, sizeof(z));
    ck_assert_int_eq(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (unsigned char *)data;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)*n;
    ck_assert_int_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    *n = z.total_out;
    deflateEnd(&z);
}

START_TEST(text_as_it_is)
{
    struct preview p;
    const char *t = "line one\nligne deux é\n";

    render(t, strlen(t), (long long)strlen(t), &p);
    ck_assert_str_eq(p.kind, "text");
    ck_assert_str_eq(p.text, t);
    ck_assert(!p.cut);
    preview_done(&p);
    /* the first bytes of a longer object: said so */
    render(t, 4, 1000, &p);
    ck_assert_str_eq(p.text, "line");
    ck_assert(p.cut);
    preview_done(&p);
}
END_TEST

START_TEST(json_indented_numbers_exact)
{
    struct preview p;
    const char *j = "{\"id\":12345678901234567891,\"s\":\"a,{b}:\\\"c\",\"l\":[1,2]}";

    render(j, strlen(j), (long long)strlen(j), &p);
    ck_assert_str_eq(p.kind, "json");
    ck_assert_str_eq(p.text, "{\n  \"id\": 12345678901234567891,\n  \"s\": \"a,{b}:\\\"c\",\n"
                             "  \"l\": [\n    1,\n    2\n  ]\n}");
    preview_done(&p);
}
END_TEST

START_TEST(gzip_inflated_whole_and_cut)
{
    struct preview p;
    unsigned char z[4096];
    size_t n = sizeof(z);
    char big[3000];

    gzip("{\"a\":1}", 7, z, &n);
    render(z, n, (long long)n, &p);
    ck_assert_str_eq(p.kind, "gzip, json");
    ck_assert_str_eq(p.text, "{\n  \"a\": 1\n}");
    ck_assert(!p.cut);
    preview_done(&p);

    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (char)('a' + (i * 7 + i / 13) % 26);
    n = sizeof(z);
    gzip(big, sizeof(big), z, &n);
    /* only the first part of the stream was fetched: what inflated so far, as cut */
    render(z, n / 2, (long long)n, &p);
    ck_assert_str_eq(p.kind, "gzip, text");
    ck_assert(p.cut);
    ck_assert_uint_gt(strlen(p.text), 0);
    ck_assert(strncmp(p.text, big, strlen(p.text)) == 0);
    preview_done(&p);
}
END_TEST

START_TEST(binary_hex_dump)
{
    struct preview p;
    const unsigned char b[] = {0x00, 0x01, 'A', 0xff, 0x1b, '[', '2', 'J'};

    render(b, sizeof(b), sizeof(b), &p);
    ck_assert_str_eq(p.kind, "binary");
    ck_assert_str_eq(p.text, "00000000  00 01 41 ff 1b 5b 32 4a"
                             "                          |..A..[2J|\n");
    preview_done(&p);
}
END_TEST

START_TEST(malformed_never_crashes)
{
    struct preview p;
    /* a gzip header with garbage after it, invalid UTF-8, an empty object */
    const unsigned char badz[] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xde, 0xad, 0xbe, 0xef};
    const unsigned char badu[] = {'o', 'k', 0xc3, 0x28, 'x'};

    render(badz, sizeof(badz), sizeof(badz), &p);
    ck_assert_str_eq(p.kind, "binary");
    preview_done(&p);
    render(badu, sizeof(badu), sizeof(badu), &p);
    ck_assert_str_eq(p.kind, "binary");
    preview_done(&p);
    render(NULL, 0, 0, &p);
    ck_assert_str_eq(p.kind, "empty");
    ck_assert_str_eq(p.text, "");
    preview_done(&p);
    /* a UTF-8 character cut by the end of the range is still text */
    render("caf\xc3", 4, 100, &p);
    ck_assert_str_eq(p.kind, "text");
    preview_done(&p);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("preview");
    TCase *tc = tcase_create("preview");

    tcase_add_test(tc, text_as_it_is);
    tcase_add_test(tc, json_indented_numbers_exact);
    tcase_add_test(tc, gzip_inflated_whole_and_cut);
    tcase_add_test(tc, binary_hex_dump);
    tcase_add_test(tc, malformed_never_crashes);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
