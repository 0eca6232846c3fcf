/* test_dialog.c - the console's dialogs without a terminal: what each key does (confirm,
 * typed confirm, form, progress), the multi-line editor of a form field, and what the
 * dialogs look like on a headless newterm() at 80x24 (and smaller), hostile text escaped. */
#include "config.h"
#include "check_tap.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/form.h"
#include "act/job.h"
#include "poll/store.h"
#include "screen_test.h"
#include "ui/dialog.h"
#include "look/glyph.h"
#include "ui/textedit.h"
#include "view.h"

#define K(k) VIEW_KEY(k)
#define CTRL(c) VIEW_KEY_CTRL(c)

static void keys(struct textedit *te, const char *s)
{
    for (; *s; s++)
        textedit_key(te, (unsigned char)*s);
}

/* ---- the field editor ------------------------------------------------------------------- */

START_TEST(textedit_lines_and_cursor)
{
    struct textedit te;
    size_t line, byte, s, n;

    textedit_init(&te, "", 100, false);
    keys(&te, "ab");
    textedit_key(&te, 0xe9);              /* é: two bytes */
    textedit_key(&te, '\r');              /* Enter in a body is a line break */
    keys(&te, "xy");
    ck_assert_str_eq(textedit_text(&te), "ab\xc3\xa9\nxy");
    ck_assert_uint_eq(textedit_nlines(&te), 2);
    textedit_cursor(&te, &line, &byte);
    ck_assert_uint_eq(line, 1);
    ck_assert_uint_eq(byte, 2);
    /* up keeps the character position: after "ab" */
    ck_assert_int_eq(textedit_key(&te, K(KEY_UP)), TEXTEDIT_MOVED);
    textedit_cursor(&te, &line, &byte);
    ck_assert_uint_eq(line, 0);
    ck_assert_uint_eq(byte, 2);
    ck_assert_int_eq(textedit_key(&te, K(KEY_UP)), TEXTEDIT_NONE);   /* the first line */
    textedit_key(&te, K(KEY_END));
    textedit_cursor(&te, &line, &byte);
    ck_assert_uint_eq(byte, 4);           /* after é, never inside it */
    textedit_key(&te, K(KEY_DOWN));
    textedit_cursor(&te, &line, &byte);
    ck_assert_uint_eq(line, 1);
    ck_assert_uint_eq(byte, 2);           /* the shorter line's end */
    textedit_key(&te, K(KEY_HOME));
    textedit_key(&te, 127);               /* backspace joins the lines */
    ck_assert_str_eq(textedit_text(&te), "ab\xc3\xa9xy");
    textedit_key(&te, 127);               /* deletes é whole */
    ck_assert_str_eq(textedit_text(&te), "abxy");
    textedit_line(&te, 0, &s, &n);
    ck_assert_uint_eq(s, 0);
    ck_assert_uint_eq(n, 4);
    textedit_key(&te, CTRL('k'));         /* kill to the end of the line */
    ck_assert_str_eq(textedit_text(&te), "ab");
    textedit_key(&te, CTRL('u'));
    ck_assert_str_eq(textedit_text(&te), "");
    /* keys that are not editing keys are left to the form */
    ck_assert_int_eq(textedit_key(&te, '\t'), TEXTEDIT_UNHANDLED);
    ck_assert_int_eq(textedit_key(&te, 27), TEXTEDIT_UNHANDLED);
    ck_assert_int_eq(textedit_key(&te, CTRL('e')), TEXTEDIT_UNHANDLED);
    ck_assert_int_eq(textedit_key(&te, 0x1b), TEXTEDIT_UNHANDLED);
    ck_assert_int_eq(textedit_key(&te, 0x9b), TEXTEDIT_UNHANDLED);   /* a C1 control */
    textedit_done(&te);
}
END_TEST

START_TEST(textedit_limits)
{
    struct textedit te;

    textedit_init(&te, "abc", 4, true);
    ck_assert_int_eq(textedit_key(&te, 'd'), TEXTEDIT_CHANGED);
    ck_assert_int_eq(textedit_key(&te, 'e'), TEXTEDIT_NONE);          /* full */
    textedit_key(&te, 127);
    ck_assert_int_eq(textedit_key(&te, 0x65e5), TEXTEDIT_NONE);       /* 3 bytes do not fit */
    ck_assert_str_eq(textedit_text(&te), "abc");
    /* one line: Enter and Up are the form's */
    ck_assert_int_eq(textedit_key(&te, '\r'), TEXTEDIT_UNHANDLED);
    ck_assert_int_eq(textedit_key(&te, K(KEY_UP)), TEXTEDIT_UNHANDLED);
    /* text given from outside is cut on a character boundary, a line break ends it */
    textedit_set(&te, "a\xc3\xa9\xc3\xa9");
    ck_assert_str_eq(textedit_text(&te), "a\xc3\xa9");
    textedit_set(&te, "ab\ncd");
    ck_assert_str_eq(textedit_text(&te), "ab");
    textedit_done(&te);
}
END_TEST

/* ---- keys ------------------------------------------------------------------------------------ */

START_TEST(confirm_keys)
{
    struct dialog d;

    dialog_confirm(&d, "T", "what", "where", false, "Send");
    ck_assert_int_eq(dialog_key(&d, 'x'), DIALOG_OPEN);
    ck_assert_int_eq(dialog_key(&d, 'y'), DIALOG_OK);
    ck_assert_int_eq(dialog_key(&d, 'n'), DIALOG_CANCEL);
    ck_assert_int_eq(dialog_key(&d, 27), DIALOG_CANCEL);
    ck_assert_int_eq(dialog_key(&d, '\r'), DIALOG_OK);        /* on [Send] */
    ck_assert_int_eq(dialog_key(&d, '\t'), DIALOG_OPEN);
    ck_assert_int_eq(dialog_key(&d, '\r'), DIALOG_CANCEL);    /* on [Cancel] */
    dialog_done(&d);
}
END_TEST

START_TEST(typed_keys)
{
    struct dialog d;
    const char *s;

    dialog_typed(&d, "T", "what", "where", true, "Type the queue's name", "orders");
    ck_assert_int_eq(dialog_key(&d, 127), DIALOG_OPEN);       /* not a way out */
    for (s = "order"; *s; s++)
        ck_assert_int_eq(dialog_key(&d, *s), DIALOG_OPEN);
    ck_assert_int_eq(dialog_key(&d, '\r'), DIALOG_OPEN);      /* not the name */
    ck_assert_ptr_nonnull(strstr(d.error, "not the name"));
    ck_assert_int_eq(dialog_key(&d, 's'), DIALOG_OPEN);
    ck_assert_str_eq(d.error, "");
    ck_assert_int_eq(dialog_key(&d, '\r'), DIALOG_OK);
    dialog_done(&d);
    dialog_typed(&d, "T", "what", "where", true, "Type", "orders");
    ck_assert_int_eq(dialog_key(&d, 'O'), DIALOG_OPEN);        /* case counts */
    for (s = "rders"; *s; s++)
        dialog_key(&d, *s);
    ck_assert_int_eq(dialog_key(&d, '\r'), DIALOG_OPEN);
    ck_assert_int_eq(dialog_key(&d, 27), DIALOG_CANCEL);
    dialog_done(&d);
}
END_TEST

static void make_form(struct form *f)
{
    struct form_field *fl;
    const char *const choices[] = {"(none)", "order", "ping"};

    form_init(f, "Send a test message");
    fl = form_add(f, "template", "Template", FORM_CHOICE);
    form_set_choices(fl, choices, 3);
    form_set(f, "template", "(none)");
    fl = form_add(f, "body", "Body", FORM_TEXT);
    fl->rows = 5;
    form_set_hint(fl, "the message");
    fl = form_add(f, "hidden", "Hidden", FORM_LINE);
    fl->hidden = true;
    fl = form_add(f, "group", "Group id", FORM_LINE);
    form_set(f, "group", "g");
    fl = form_add(f, "count", "Count", FORM_NUMBER);
    form_set(f, "count", "1");
}

START_TEST(form_keys)
{
    struct form f;
    struct dialog d;

    make_form(&f);
    dialog_form(&d, &f, "Send a test message: orders", "profile dev", false, "Send");
    ck_assert_uint_eq(d.focus, 0);                            /* the template choice */
    ck_assert_int_eq(dialog_key(&d, K(KEY_RIGHT)), DIALOG_CHANGED);
    ck_assert_str_eq(dialog_changed(&d), "template");
    ck_assert_str_eq(form_value(&f, "template"), "order");
    ck_assert_int_eq(dialog_key(&d, K(KEY_LEFT)), DIALOG_CHANGED);
    ck_assert_int_eq(dialog_key(&d, K(KEY_LEFT)), DIALOG_CHANGED);   /* wraps */
    ck_assert_str_eq(form_value(&f, "template"), "ping");
    ck_assert_int_eq(dialog_key(&d, '\t'), DIALOG_OPEN);
    ck_assert_uint_eq(d.focus, 1);                            /* the body */
    ck_assert(dialog_field_multiline(&d));
    ck_assert_int_eq(dialog_key(&d, 'h'), DIALOG_CHANGED);
    ck_assert_str_eq(dialog_changed(&d), "body");
    dialog_key(&d, 'i');
    ck_assert_int_eq(dialog_key(&d, '\r'), DIALOG_CHANGED);   /* a line break, not next */
    dialog_key(&d, 'x');
    ck_assert_str_eq(form_value(&f, "body"), "hi\nx");
    ck_assert_int_eq(dialog_key(&d, CTRL('e')), DIALOG_EDITOR);
    dialog_set_field_text(&d, "from the editor");
    ck_assert_str_eq(form_value(&f, "body"), "from the editor");
    ck_assert_str_eq(dialog_field_text(&d), "from the editor");
    dialog_key(&d, '\t');
    ck_assert_uint_eq(d.focus, 3);                            /* the hidden field is skipped */
    ck_assert(!dialog_field_multiline(&d));
    ck_assert_int_eq(dialog_key(&d, CTRL('e')), DIALOG_OPEN); /* no editor on one line */
    ck_assert_int_eq(dialog_key(&d, '\r'), DIALOG_OPEN);      /* Enter: the next field */
    ck_assert_uint_eq(d.focus, 4);
    ck_assert_int_eq(dialog_key(&d, K(KEY_UP)), DIALOG_OPEN);
    ck_assert_uint_eq(d.focus, 3);
    dialog_key(&d, K(KEY_BTAB));
    ck_assert_uint_eq(d.focus, 1);
    dialog_key(&d, K(KEY_BTAB));
    dialog_key(&d, K(KEY_BTAB));
    ck_assert_uint_eq(d.focus, f.n);                          /* wraps to [Send] */
    ck_assert_int_eq(dialog_key(&d, '\r'), DIALOG_OK);
    ck_assert_int_eq(dialog_key(&d, CTRL('x')), DIALOG_OK);  /* from anywhere */
    /* a check's complaint moves to the field at fault */
    dialog_set_error(&d, "Count: 0 is outside 1 to 1000", 4);
    ck_assert_uint_eq(d.focus, 4);
    ck_assert_int_eq(dialog_key(&d, '2'), DIALOG_CHANGED);
    ck_assert_str_eq(d.error, "");
    ck_assert_str_eq(form_value(&f, "count"), "12");
    /* the run hid a field (a FIFO queue's, say) while it had focus */
    f.fields[4].hidden = true;
    dialog_reload(&d);
    ck_assert_uint_eq(d.focus, f.n);
    ck_assert_int_eq(dialog_key(&d, 27), DIALOG_CANCEL);
    dialog_done(&d);
    form_done(&f);
}
END_TEST

START_TEST(progress_keys)
{
    struct dialog d;

    dialog_progress(&d, "T", "what", "0001");
    ck_assert_int_eq(dialog_key(&d, 'x'), DIALOG_OPEN);
    ck_assert_int_eq(dialog_key(&d, 'c'), DIALOG_STOP);
    ck_assert_int_eq(dialog_key(&d, 27), DIALOG_HIDE);
    ck_assert_int_eq(dialog_key(&d, '\r'), DIALOG_HIDE);
    dialog_done(&d);
}
END_TEST

/* ---- on a screen -------------------------------------------------------------------------------- */

static struct dialog_style style(void)
{
    struct dialog_style st = {
        .glyphs = &glyphs_utf8, .normal = A_NORMAL, .border = A_NORMAL, .title = A_BOLD,
        .focus = A_REVERSE, .field = A_UNDERLINE, .error = A_BOLD, .dim = A_DIM,
        .production = A_REVERSE | A_BOLD,
    };
    return st;
}

/* Draws d on a fresh screen of cols x lines and returns the screen (rows read back from
 * curscr after doupdate: what the terminal would show). */
static struct screen_test *draw(struct dialog *d, int cols, int lines, const struct store *s)
{
    struct screen_test *st = screen_test_new(cols, lines);
    struct dialog_style ds = style();

    werase(stdscr);
    wnoutrefresh(stdscr);
    dialog_draw(d, &ds, s);
    doupdate();
    return st;
}

static void dump_on_failure(struct screen_test *st, bool ok)
{
    if (!ok)
        screen_test_dump(curscr, stderr);
}

/* The dialog's box: its top-left corner's row, and all of it within the screen. */
static int box_top(struct screen_test *st)
{
    int top = screen_test_find(curscr, "┌"), bottom = screen_test_find(curscr, "└");

    dump_on_failure(st, top >= 0 && bottom > top);
    ck_assert_int_ge(top, 0);
    ck_assert_int_gt(bottom, top);
    ck_assert_int_lt(bottom, st->lines);
    return top;
}

START_TEST(confirm_on_screen_escapes_hostile_names)
{
    struct dialog d;
    struct screen_test *st;
    char *row;
    int y;

    dialog_confirm(&d, "Send a test message", "Send a test message: ord\x1b[2Jers\xe2\x80\xae",
                   "profile prod · account 123456789012 · region eu-west-1", true, "Send");
    st = draw(&d, 80, 24, NULL);
    box_top(st);
    y = screen_test_find(curscr, "Send a test message: ord");
    ck_assert_int_ge(y, 0);
    row = screen_test_row(curscr, y);
    /* the escape sequence and the bidi override are shown, never obeyed */
    ck_assert_msg(strstr(row, "ord\\x1B[2Jers\\u{202E}"), "%s", row);
    free(row);
    ck_assert_int_ge(screen_test_find(curscr, "profile prod · account 123456789012"), 0);
    ck_assert_int_ge(screen_test_find(curscr, "PRODUCTION"), 0);
    ck_assert_int_ge(screen_test_find(curscr, "[ Send ]"), 0);
    ck_assert_int_ge(screen_test_find(curscr, "[ Cancel ]"), 0);
    ck_assert_int_ge(screen_test_find(curscr, "n/Esc cancel"), 0);
    screen_test_free(st);
    dialog_done(&d);
}
END_TEST

START_TEST(typed_on_screen)
{
    struct dialog d;
    struct screen_test *st;

    dialog_typed(&d, "Purge", "Purge: orders-dlq", "profile prod · account 1 · region x", true,
                 "Type the queue's name to confirm", "orders-dlq");
    dialog_key(&d, 'o');
    dialog_key(&d, 'r');
    st = draw(&d, 80, 24, NULL);
    box_top(st);
    ck_assert_int_ge(screen_test_find(curscr, "Type the queue's name to confirm: orders-dlq"), 0);
    ck_assert_int_ge(screen_test_find(curscr, "> or"), 0);
    ck_assert_int_ge(screen_test_find(curscr, "Enter confirm · Esc cancel"), 0);
    screen_test_free(st);
    dialog_done(&d);
}
END_TEST

START_TEST(form_on_screen_at_80x24)
{
    struct form f;
    struct dialog d;
    struct screen_test *st;
    char *row;
    int y, top;

    make_form(&f);
    form_set(&f, "body", "{\"id\": \"{{uuid}}\"}\nline 2\x07");
    dialog_form(&d, &f, "Send a test message: orders", "profile dev · account 1 · region x",
                false, "Send");
    dialog_key(&d, '\t');                                   /* focus on the body */
    st = draw(&d, 80, 24, NULL);
    top = box_top(st);
    ck_assert_int_ge(screen_test_find(curscr, "Send a test message: orders"), top);
    y = screen_test_find(curscr, "Template");
    ck_assert_int_gt(y, top);
    row = screen_test_row(curscr, y);
    ck_assert_msg(strstr(row, "← (none) →"), "%s", row);
    free(row);
    y = screen_test_find(curscr, "Body");
    row = screen_test_row(curscr, y);
    ck_assert_msg(strstr(row, "{\"id\": \"{{uuid}}\"}"), "%s", row);
    free(row);
    row = screen_test_row(curscr, y + 1);
    ck_assert_msg(strstr(row, "line 2\\x07"), "%s", row);   /* a control char, escaped */
    free(row);
    ck_assert_int_eq(screen_test_find(curscr, "Hidden"), -1);
    ck_assert_int_ge(screen_test_find(curscr, "Group id"), 0);
    ck_assert_int_ge(screen_test_find(curscr, "the message"), 0);   /* the field's hint */
    ck_assert_int_ge(screen_test_find(curscr, "^E editor"), 0);
    ck_assert_int_ge(screen_test_find(curscr, "[ Send ]"), 0);
    /* the terminal's cursor is in the body, at the end of its text */
    ck_assert_int_eq(getcury(newscr), y + 1);
    screen_test_free(st);

    /* an error replaces the hint, in the error style */
    dialog_set_error(&d, "the message is 300.0 KiB; orders takes at most 256 KiB", 1);
    st = draw(&d, 80, 24, NULL);
    y = screen_test_find(curscr, "300.0 KiB");
    ck_assert_int_ge(y, 0);
    row = screen_test_row(curscr, y);
    ck_assert(screen_test_attr(curscr, y, screen_test_col(row, "the")) & A_BOLD);
    free(row);
    ck_assert_int_eq(screen_test_find(curscr, "the message;"), -1);   /* no hint now */
    screen_test_free(st);
    /* a longer one wraps onto a second row rather than losing its end */
    dialog_set_error(&d, "the message is 1.1 KiB (1100 bytes, body and attributes); small "
                         "takes at most 1.0 KiB (MaximumMessageSize 1024): shorten it", 1);
    st = draw(&d, 80, 24, NULL);
    y = screen_test_find(curscr, "the message is 1.1 KiB");
    ck_assert_int_ge(y, 0);
    ck_assert_int_eq(screen_test_find(curscr, "(MaximumMessageSize 1024): shorten it"), y + 1);
    screen_test_free(st);
    dialog_done(&d);
    form_done(&f);
}
END_TEST

START_TEST(form_squeezes_to_a_small_terminal)
{
    struct form f;
    struct dialog d;
    struct screen_test *st;
    struct form_field *fl;

    make_form(&f);
    fl = form_add(&f, "attrs", "Attributes", FORM_TEXT);
    fl->rows = 8;
    for (int i = 0; i < 6; i++) {
        char name[16];
        snprintf(name, sizeof(name), "f%d", i);
        form_add(&f, name, name, FORM_LINE);
    }
    dialog_form(&d, &f, "what", "where", true, "Send");
    /* focus the last field: it must be on screen, even when not all of them fit */
    dialog_set_error(&d, "f5: required", f.n - 1);
    st = draw(&d, 80, 16, NULL);
    box_top(st);
    ck_assert_int_ge(screen_test_find(curscr, "f5"), 0);
    ck_assert_int_ge(screen_test_find(curscr, "[ Send ]"), 0);
    screen_test_free(st);
    dialog_done(&d);
    form_done(&f);
}
END_TEST

START_TEST(progress_on_screen)
{
    struct store *s = store_new();
    struct dialog d;
    struct screen_test *st;
    struct store_res *r;
    char *row;
    int y;

    r = store_update_begin(s, "job", "0001");
    store_set_str(r, "state", "running");
    store_set_int(r, "done", 3);
    store_set_int(r, "total", 4);
    store_set_double(r, "rate", 2.0);
    store_update_commit(r);
    dialog_progress(&d, "Send a test message", "Send a test message: orders", "0001");
    st = draw(&d, 80, 24, s);
    box_top(st);
    y = screen_test_find(curscr, "3 / 4");
    ck_assert_int_ge(y, 0);
    row = screen_test_row(curscr, y);
    ck_assert_msg(strstr(row, "75%") && strstr(row, "[█"), "%s", row);
    free(row);
    ck_assert_int_ge(screen_test_find(curscr, "2.0/s · 1s left · running"), 0);
    ck_assert_int_ge(screen_test_find(curscr, "c cancel the job"), 0);
    screen_test_free(st);

    /* failed: the error shows, and only a way to close */
    r = store_update_begin(s, "job", "0001");
    store_set_str(r, "state", "failed");
    store_set_str(r, "error", "access denied: sqs:SendMessage");
    store_update_commit(r);
    st = draw(&d, 80, 24, s);
    ck_assert_int_ge(screen_test_find(curscr, "access denied: sqs:SendMessage"), 0);
    ck_assert_int_eq(screen_test_find(curscr, "c cancel"), -1);
    ck_assert_int_ge(screen_test_find(curscr, "Enter/Esc close"), 0);
    screen_test_free(st);
    dialog_done(&d);

    /* the total not known yet, no rate yet: said, not zero */
    r = store_update_begin(s, "job", "0002");
    store_set_str(r, "state", "running");
    store_set_int(r, "done", 0);
    store_set_unknown(r, "total");
    store_update_commit(r);
    dialog_progress(&d, "Export", "Export: orders-dlq", "0002");
    st = draw(&d, 80, 24, s);
    ck_assert_int_ge(screen_test_find(curscr, "0 / ?"), 0);
    ck_assert_int_ge(screen_test_find(curscr, "rate not known yet"), 0);
    screen_test_free(st);
    dialog_done(&d);
    store_free(s);
}
END_TEST

START_TEST(ascii_box)
{
    struct dialog d;
    struct screen_test *st;
    struct dialog_style ds = style();

    ds.glyphs = &glyphs_ascii;
    dialog_confirm(&d, "T", "what", "where", false, "Yes");
    st = screen_test_new(80, 24);
    dialog_draw(&d, &ds, NULL);
    doupdate();
    ck_assert_int_eq(screen_test_find(curscr, "┌"), -1);
    ck_assert_int_ge(screen_test_find(curscr, "+- T -"), 0);
    screen_test_free(st);
    dialog_done(&d);
}
END_TEST

/* The SSO sign-in: y copies only once there is a URL, Esc always cancels, Enter only once
 * it ended; at 80x24 the URL, the code and the countdown show, hostile text escaped, and a
 * long failure shows whole (cause and fix). */
START_TEST(signin_keys_and_screen)
{
    struct dialog d;
    struct dialog_signin si = {.status = "registering opsdeck with IAM Identity Center…"};
    struct screen_test *st;

    dialog_signin(&d, "SSO sign-in", "Sign in to IAM Identity Center for profile dev",
                  "start URL https://example.awsapps.com/start");
    dialog_signin_set(&d, &si);
    ck_assert_int_eq(dialog_key(&d, 'y'), DIALOG_OPEN);     /* nothing to copy yet */
    ck_assert_int_eq(dialog_key(&d, '\r'), DIALOG_OPEN);    /* not ended: Enter does nothing */
    ck_assert_int_eq(dialog_key(&d, 'j'), DIALOG_OPEN);
    si = (struct dialog_signin){
        .uri = "https://device.sso.eu-west-1.amazonaws.com/",
        .uri_complete = "https://device.sso.eu-west-1.amazonaws.com/?user_code=ABCD-EFGH",
        .code = "ABCD-EFGH\x1b[2J", .status = "waiting for approval: asked 3 times, every 5s",
        .expires_ms = 1000 + 599500, .now_ms = 1000};
    dialog_signin_set(&d, &si);
    ck_assert_int_eq(dialog_key(&d, 'y'), DIALOG_COPY);
    ck_assert_int_eq(dialog_key(&d, '\r'), DIALOG_OPEN);
    st = draw(&d, 80, 24, NULL);
    ck_assert_int_ge(screen_test_find(curscr, "https://device.sso.eu-west-1.amazonaws.com/"), 0);
    ck_assert_int_ge(screen_test_find(curscr, "?user_code=ABCD-EFGH"), 0);
    ck_assert_int_ge(screen_test_find(curscr, "ABCD-EFGH\\x1B[2J"), 0);   /* escaped */
    ck_assert_int_ge(screen_test_find(curscr, "The code expires in 10m00s"), 0);
    ck_assert_int_ge(screen_test_find(curscr, "asked 3 times, every 5s"), 0);
    ck_assert_int_ge(screen_test_find(curscr, "Esc cancel the sign-in"), 0);
    screen_test_free(st);
    /* the countdown moves with the clock alone */
    si.now_ms += 61000;
    dialog_signin_set(&d, &si);
    st = draw(&d, 80, 24, NULL);
    ck_assert_int_ge(screen_test_find(curscr, "The code expires in 8m59s"), 0);
    screen_test_free(st);
    /* failed: the whole line, Enter retries, no countdown */
    si.ended = true;
    si.error = "profile dev: the sign-in to https://example.awsapps.com/start was denied "
               "(AccessDeniedException); approve it as a user allowed into the account, or "
               "ask your Identity Center administrator, then press Enter to try again";
    dialog_signin_set(&d, &si);
    ck_assert_int_eq(dialog_key(&d, '\r'), DIALOG_OK);
    st = draw(&d, 80, 24, NULL);
    ck_assert_int_eq(screen_test_find(curscr, "The code expires"), -1);
    ck_assert_int_ge(screen_test_find(curscr, "(AccessDeniedException); approve it"), 0);
    ck_assert_int_ge(screen_test_find(curscr, "then press Enter to try again"), 0);
    ck_assert_int_ge(screen_test_find(curscr, "Enter try again"), 0);
    screen_test_free(st);
    ck_assert_int_eq(dialog_key(&d, 27), DIALOG_CANCEL);
    ck_assert_int_eq(dialog_key(&d, 'q'), DIALOG_CANCEL);
    dialog_done(&d);
}
END_TEST

static Suite *dialog_suite(void)
{
    Suite *s = suite_create("dialog");
    TCase *tc = tcase_create("dialog");

    tcase_add_test(tc, textedit_lines_and_cursor);
    tcase_add_test(tc, textedit_limits);
    tcase_add_test(tc, confirm_keys);
    tcase_add_test(tc, typed_keys);
    tcase_add_test(tc, form_keys);
    tcase_add_test(tc, progress_keys);
    tcase_add_test(tc, confirm_on_screen_escapes_hostile_names);
    tcase_add_test(tc, typed_on_screen);
    tcase_add_test(tc, form_on_screen_at_80x24);
    tcase_add_test(tc, form_squeezes_to_a_small_terminal);
    tcase_add_test(tc, progress_on_screen);
    tcase_add_test(tc, ascii_box);
    tcase_add_test(tc, signin_keys_and_screen);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(dialog_suite());
}
