/* test_popup.c - the box for `?` help and `:cli`: it fits its content and the screen (no
 * fixed width: narrow content gives a narrow box, long lines wrap under their key at 80
 * columns), it scrolls when taller than the screen and says so, its border comes from the
 * glyph table (ASCII with --ascii), text from AWS is sanitised. Also the OSC 52 sequence
 * that `y` writes. Headless curses (screen_test.h). */
#include "config.h"
#include "check_tap.h"

#include <stdlib.h>
#include <string.h>

#include "screen_test.h"
#include "ui/osc52.h"
#include "ui/popup.h"

static char *row(struct screen_test *st, int y)
{
    (void)st;
    return screen_test_row(curscr, y);
}

/* The screen as the user sees it after the popup's wnoutrefresh. */
static void show(void)
{
    doupdate();
}

static void fill(struct popup *p, int entries)
{
    popup_heading(p, "This view");
    popup_add(p, "Enter", "details: attributes, redrive policy, tags");
    popup_add(p, "s/S", "sort: by the next column / reverse the order");
    for (int i = 0; i < entries; i++)
        popup_add(p, "x", "a line of help text that is long enough to need wrapping when the "
                          "screen is only eighty columns wide, as an on-call laptop is");
    popup_blank(p);
    popup_heading(p, "Commands");
    popup_add(p, ":region NAME", "switch to AWS region NAME (drops cached data)");
}

START_TEST(narrow_content_narrow_box)
{
    struct screen_test *st = screen_test_new(120, 40);
    struct popup p;
    char *r;
    int y;

    popup_init(&p, "Keys", "any other key closes");
    popup_add(&p, "q", "quit");
    popup_draw(&p, &glyphs_utf8, 120, 39, A_NORMAL, A_BOLD, A_BOLD);
    show();
    y = screen_test_find(curscr, "┌");
    ck_assert_int_ge(y, 0);
    r = row(st, y);
    /* as wide as the hint in the bottom border, the widest thing in it */
    ck_assert_msg(strstr(r, "┌ Keys ─") != NULL, "'%s'", r);
    free(r);
    r = row(st, y + 1);
    ck_assert_msg(strstr(r, "│ q  quit") != NULL, "'%s'", r);
    free(r);
    r = row(st, y + 2);
    ck_assert_msg(strstr(r, "└ any other key closes ┘") != NULL, "'%s'", r);
    free(r);
    popup_done(&p);
    screen_test_free(st);
}
END_TEST

START_TEST(wraps_at_80_whole_at_120)
{
    struct popup p;

    for (int cols = 80; cols <= 120; cols += 40) {
        struct screen_test *st = screen_test_new(cols, 40);
        int y0, y1, wrapped = 0;
        char joined[4096] = "";

        popup_init(&p, "SQS queues: keys", NULL);
        fill(&p, 1);
        popup_draw(&p, &glyphs_utf8, cols, 39, A_NORMAL, A_BOLD, A_BOLD);
        show();
        y0 = screen_test_find(curscr, "┌");
        y1 = screen_test_find(curscr, "└");
        ck_assert_int_ge(y0, 0);
        ck_assert_int_gt(y1, y0);
        for (int y = y0; y <= y1; y++) {
            char *r = row(st, y);

            ck_assert_int_le(textwidth(r), cols);
            /* every row inside has both borders: nothing runs past the box */
            if (y > y0 && y < y1) {
                size_t len = strlen(r);

                ck_assert_msg(strstr(r, "│ ") && len > 3 && strcmp(r + len - 3, "│") == 0,
                              "'%s'", r);
                wrapped += strstr(r, "│ x ") == NULL && strstr(r, "eighty") != NULL;
            }
            /* the box's text, borders and blanks dropped, for the sentence check below */
            for (char *tok = strtok(r, " "); tok; tok = strtok(NULL, " "))
                if (strcmp(tok, "│") != 0 && strlen(joined) + strlen(tok) + 2 < sizeof(joined)) {
                    strcat(joined, tok);
                    strcat(joined, " ");
                }
            free(r);
        }
        ck_assert_msg(strstr(joined, "a line of help text that is long enough to need wrapping "
                                     "when the screen is only eighty columns wide, as an "
                                     "on-call laptop is") != NULL,
                      "the whole of the long line is shown at %d columns: %s", cols, joined);
        if (cols == 120)
            ck_assert_msg(wrapped == 0, "whole at 120: %d", wrapped);
        if (cols == 80)
            ck_assert_msg(wrapped == 1, "wrapped under its key at 80: %d", wrapped);
        popup_done(&p);
        screen_test_free(st);
    }
}
END_TEST

START_TEST(scrolls_when_taller)
{
    struct screen_test *st = screen_test_new(80, 24);
    struct popup p;
    char *r;
    int y1;

    popup_init(&p, "Keys", "any other key closes");
    fill(&p, 12);
    popup_draw(&p, &glyphs_utf8, 80, 23, A_NORMAL, A_BOLD, A_BOLD);
    show();
    ck_assert_int_eq(screen_test_find(curscr, "┌"), 0);
    y1 = screen_test_find(curscr, "└");
    ck_assert_int_eq(y1, 22);
    ck_assert_int_gt(p.rows, p.page);
    r = row(st, y1);
    ck_assert_msg(strstr(r, "j/k PgDn: more, 1-21 of ") != NULL, "'%s'", r);
    free(r);
    ck_assert_int_eq(screen_test_find(curscr, ":region NAME"), -1);
    ck_assert(popup_key(&p, 'G'));
    popup_draw(&p, &glyphs_utf8, 80, 23, A_NORMAL, A_BOLD, A_BOLD);
    show();
    ck_assert_int_gt(screen_test_find(curscr, ":region NAME"), 0);
    ck_assert_int_eq(screen_test_find(curscr, "This view"), -1);
    ck_assert(popup_key(&p, 'j'));  /* past the end: stays */
    ck_assert(popup_key(&p, 'g'));
    ck_assert_int_eq(p.scroll, 0);
    ck_assert(popup_key(&p, VIEW_KEY(KEY_NPAGE)));
    ck_assert_int_eq(p.scroll, p.page - 1);
    ck_assert(!popup_key(&p, 'x'));
    ck_assert(!popup_key(&p, 27));
    popup_done(&p);
    screen_test_free(st);
}
END_TEST

START_TEST(ascii_border_and_hostile_text)
{
    struct screen_test *st = screen_test_new(80, 24);
    struct popup p;
    int y0;
    char *r;

    popup_init(&p, "aws CLI", "y copies it");
    popup_text(&p, "aws sqs get-queue-attributes --queue-url 'https://q/\x1b[2Jx'");
    popup_draw(&p, &glyphs_ascii, 80, 23, A_NORMAL, A_BOLD, A_BOLD);
    show();
    y0 = screen_test_find(curscr, "+ aws CLI -");
    ck_assert_int_ge(y0, 0);
    for (int y = y0; y < y0 + 3; y++) {
        r = row(st, y);
        for (const char *c = r; *c; c++)
            ck_assert_msg((unsigned char)*c < 0x80, "non-ASCII in '%s'", r);
        free(r);
    }
    r = row(st, y0 + 1);
    ck_assert_msg(strstr(r, "| aws sqs get-queue-attributes") == r + strcspn(r, "|") &&
                  strstr(r, "\\x1B[2Jx'"), "'%s'", r);
    free(r);
    r = row(st, y0 + 2);
    ck_assert_msg(strstr(r, "+ y copies it -") != NULL, "'%s'", r);
    free(r);
    popup_done(&p);
    screen_test_free(st);
}
END_TEST

START_TEST(osc52_bytes)
{
    char *s = osc52_sequence("https://sqs.us-east-1.amazonaws.com/123456789012/orders-dlq");

    ck_assert_str_eq(s, "\x1b]52;c;aHR0cHM6Ly9zcXMudXMtZWFzdC0xLmFtYXpvbmF3cy5jb20vMTIzNDU2Nzg5"
                        "MDEyL29yZGVycy1kbHE=\a");
    free(s);
    s = osc52_sequence("");
    ck_assert_str_eq(s, "\x1b]52;c;\a");
    free(s);
    /* whatever the text holds, the sequence holds only base64 between its ends */
    s = osc52_sequence("\x1b]0;pwned\a\n");
    ck_assert_str_eq(s, "\x1b]52;c;G10wO3B3bmVkBwo=\a");
    free(s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("popup");
    TCase *tc = tcase_create("popup");

    tcase_add_test(tc, narrow_content_narrow_box);
    tcase_add_test(tc, wraps_at_80_whole_at_120);
    tcase_add_test(tc, scrolls_when_taller);
    tcase_add_test(tc, ascii_border_and_hostile_text);
    tcase_add_test(tc, osc52_bytes);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
