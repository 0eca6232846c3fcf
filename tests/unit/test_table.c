/* test_table.c - the table widget: filter, sort, a cursor kept by key across rebuilds,
 * paging, untrusted text drawn escaped, wide and combining text kept aligned. Headless
 * curses (screen_test.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_tap.h"
#include "screen_test.h"
#include "table.h"

enum { C_NAME, C_VISIBLE, C_DLQ, C_SPARK, NCOLS };

static const struct table_col cols[NCOLS] = {
    [C_NAME] = { .title = "QUEUE", .width = 10, .flex = 3, .sort_key = 'Q' },
    [C_VISIBLE] = { .title = "VISIBLE", .width = 7, .right = true, .desc_first = true,
                    .sort_key = 'V' },
    [C_DLQ] = { .title = "DLQ", .width = 6, .flex = 1, .sort_key = 'L' },
    [C_SPARK] = { .title = "DEPTH", .width = 5, .no_sort = true },
};

struct qrow {
    const char *name;
    double visible;  /* NAN: unknown */
    const char *dlq;
};

static void add_row(struct table *t, const struct qrow *q)
{
    char key[256], num[32];
    struct table_row *r;

    snprintf(key, sizeof key, "https://sqs.test/1/%s", q->name);
    r = table_add(t, key);
    table_cell(r, C_NAME, q->name, NAN);
    if (isnan(q->visible))
        snprintf(num, sizeof num, "-");
    else
        snprintf(num, sizeof num, "%.0f", q->visible);
    table_cell(r, C_VISIBLE, num, q->visible);
    table_cell(r, C_DLQ, q->dlq, NAN);
    table_cell_raw(r, C_SPARK, "_.-:=", NAN);
}

static void build(struct table *t, const struct qrow *qs, size_t n, const char *filter)
{
    table_begin(t);
    for (size_t i = 0; i < n; i++)
        add_row(t, &qs[i]);
    table_end(t, filter);
}

/* The shown names, joined by spaces, for one-line comparisons. */
static char *names(const struct table *t)
{
    static char buf[4096];

    buf[0] = '\0';
    for (size_t i = 0; i < table_shown(t); i++) {
        if (i)
            strcat(buf, " ");
        strcat(buf, table_cell_text(t, i, C_NAME));
    }
    return buf;
}

static const char *selected_name(const struct table *t)
{
    const char *k = table_selected_key(t);

    return k ? strrchr(k, '/') + 1 : "(none)";
}

static const struct qrow four[] = {
    { "orders-intake", 5, "orders-dlq" },
    { "Orders-DLQ", NAN, "" },
    { "payments", 100, "payments-dlq" },
    { "billing", 20, "" },
};

START_TEST(filter_substring_and_inverse)
{
    struct table *t = table_new(cols, NCOLS);

    build(t, four, 4, "");
    ck_assert_uint_eq(table_shown(t), 4);
    ck_assert_uint_eq(table_total(t), 4);
    build(t, four, 4, "orders");
    ck_assert_str_eq(names(t), "Orders-DLQ orders-intake");
    ck_assert_uint_eq(table_total(t), 4);
    build(t, four, 4, "ORDERS");  /* case-insensitive */
    ck_assert_str_eq(names(t), "Orders-DLQ orders-intake");
    /* the name column only: a DLQ column that mentions it does not match */
    build(t, four, 4, "payments-dlq");
    ck_assert_uint_eq(table_shown(t), 0);
    build(t, four, 4, "dlq");
    ck_assert_str_eq(names(t), "Orders-DLQ");
    /* "COLUMN:" looks in that column (title, case and spaces ignored), "*:" in any */
    build(t, four, 4, "dlq:payments-dlq");
    ck_assert_str_eq(names(t), "payments");
    build(t, four, 4, "DLQ:orders");
    ck_assert_str_eq(names(t), "orders-intake");
    build(t, four, 4, "*:dlq");
    ck_assert_str_eq(names(t), "Orders-DLQ orders-intake payments");
    build(t, four, 4, "*:_.-");  /* the view's own glyphs are never matched */
    ck_assert_uint_eq(table_shown(t), 0);
    build(t, four, 4, "visible:100");
    ck_assert_str_eq(names(t), "payments");
    /* a prefix that names no column is text: S3 keys and ARNs hold colons */
    build(t, four, 4, "nosuch:orders");
    ck_assert_uint_eq(table_shown(t), 0);
    build(t, four, 4, "dlq:");  /* a column and no text: every row */
    ck_assert_uint_eq(table_shown(t), 4);
    build(t, four, 4, "!orders");
    ck_assert_str_eq(names(t), "billing payments");
    build(t, four, 4, "!dlq:orders");
    ck_assert_str_eq(names(t), "Orders-DLQ billing payments");
    build(t, four, 4, "nothing-like-this");
    ck_assert_uint_eq(table_shown(t), 0);
    ck_assert_ptr_null(table_selected_key(t));
    build(t, four, 4, NULL);
    ck_assert_uint_eq(table_shown(t), 4);
    table_free(t);
}
END_TEST

START_TEST(sort_each_column_both_ways)
{
    struct table *t = table_new(cols, NCOLS);

    build(t, four, 4, "");
    /* Default: the first column ascending, by strcoll (C.UTF-8: upper case first). */
    ck_assert_str_eq(names(t), "Orders-DLQ billing orders-intake payments");
    table_sort(t, C_NAME, true);
    ck_assert_str_eq(names(t), "payments orders-intake billing Orders-DLQ");
    /* Numbers numerically (100 after 20), the unknown one last in both orders. */
    table_sort(t, C_VISIBLE, false);
    ck_assert_str_eq(names(t), "orders-intake billing payments Orders-DLQ");
    table_sort(t, C_VISIBLE, true);
    ck_assert_str_eq(names(t), "payments billing orders-intake Orders-DLQ");
    /* Text column: rows without a DLQ (empty) last either way. */
    table_sort(t, C_DLQ, false);
    ck_assert_str_eq(names(t), "orders-intake payments Orders-DLQ billing");
    table_sort(t, C_DLQ, true);
    ck_assert_str_eq(names(t), "payments orders-intake Orders-DLQ billing");
    /* The sort survives a rebuild. */
    build(t, four, 4, "");
    ck_assert_str_eq(names(t), "payments orders-intake Orders-DLQ billing");
    table_free(t);
}
END_TEST

START_TEST(sort_keys)
{
    struct table *t = table_new(cols, NCOLS);
    int rc;

    build(t, four, 4, "");
    rc = table_key(t, 's');  /* QUEUE -> VISIBLE, descending first */
    ck_assert_int_eq(rc & VIEW_HANDLED, VIEW_HANDLED);
    ck_assert_str_eq(names(t), "payments billing orders-intake Orders-DLQ");
    table_key(t, 'S');
    ck_assert_str_eq(names(t), "orders-intake billing payments Orders-DLQ");
    table_key(t, 's');  /* -> DLQ ascending */
    ck_assert_str_eq(names(t), "orders-intake payments Orders-DLQ billing");
    table_key(t, 's');  /* DEPTH is skipped: back to QUEUE */
    ck_assert_str_eq(names(t), "Orders-DLQ billing orders-intake payments");
    ck_assert_int_eq(table_key(t, 'x'), VIEW_UNHANDLED);
    table_free(t);
}
END_TEST

/* Shift+letter sorts by the column that declares it (k9s); again, the other way. */
START_TEST(sort_by_letter)
{
    struct table *t = table_new(cols, NCOLS);
    bool desc = false;

    build(t, four, 4, "");
    ck_assert_int_eq(table_key(t, 'V'), VIEW_HANDLED | VIEW_REDRAW);
    ck_assert_uint_eq(table_sort_column(t, &desc), C_VISIBLE);
    ck_assert(desc);
    ck_assert_str_eq(names(t), "payments billing orders-intake Orders-DLQ");
    table_key(t, 'V');
    ck_assert_uint_eq(table_sort_column(t, &desc), C_VISIBLE);
    ck_assert(!desc);
    ck_assert_str_eq(names(t), "orders-intake billing payments Orders-DLQ");
    table_key(t, 'L');
    ck_assert_uint_eq(table_sort_column(t, &desc), C_DLQ);
    ck_assert_str_eq(names(t), "orders-intake payments Orders-DLQ billing");
    table_key(t, 'Q');
    ck_assert_str_eq(names(t), "Orders-DLQ billing orders-intake payments");
    /* a letter no column has, and lower case, are not the table's */
    ck_assert_int_eq(table_key(t, 'Z'), VIEW_UNHANDLED);
    ck_assert_int_eq(table_key(t, 'v'), VIEW_UNHANDLED);
    ck_assert_uint_eq(table_sort_column(t, NULL), C_NAME);
    table_free(t);
}
END_TEST

/* A new filter text puts the cursor on its best match: the exact name, before names that
 * start with it, before the shortest name holding it; a poll or a cleared filter keeps the
 * cursor on its row. */
START_TEST(filter_cursor_best_match)
{
    static const struct qrow qs[] = {
        { "a-orders-dlq-archive", 1, "" }, { "orders-dlq-replay", 2, "orders-dlq" },
        { "orders-dlq", 3, "" }, { "big-orders-dlq", 4, "" }, { "zz-orders", 5, "orders-dlq" },
    };
    struct table *t = table_new(cols, NCOLS);

    build(t, qs, 5, "");
    table_key(t, 'G');
    ck_assert_str_eq(selected_name(t), "zz-orders");
    build(t, qs, 5, "orders-dlq");
    ck_assert_str_eq(names(t), "a-orders-dlq-archive big-orders-dlq orders-dlq orders-dlq-replay");
    ck_assert_str_eq(selected_name(t), "orders-dlq");
    build(t, qs, 5, "ORDERS-DLQ-R");  /* a prefix beats a longer name that holds it */
    ck_assert_str_eq(selected_name(t), "orders-dlq-replay");
    build(t, qs, 5, "dlq-");  /* only "anywhere" matches: the shortest name */
    ck_assert_str_eq(selected_name(t), "orders-dlq-replay");
    table_key(t, 'g');
    build(t, qs, 5, "dlq-");  /* the same text again (a poll): the cursor stays */
    ck_assert_str_eq(selected_name(t), "a-orders-dlq-archive");
    build(t, qs, 5, "orders-dlq");
    ck_assert_str_eq(selected_name(t), "orders-dlq");
    build(t, qs, 5, "");  /* cleared: still on the row the filter found */
    ck_assert_str_eq(selected_name(t), "orders-dlq");
    ck_assert_uint_eq(table_shown(t), 5);
    build(t, qs, 5, "!orders-dlq");  /* inverted: no best match, the nearest row */
    ck_assert_str_eq(names(t), "zz-orders");
    build(t, qs, 5, "dlq:orders-dlq");  /* a column filter ranks by that column */
    ck_assert_str_eq(selected_name(t), "orders-dlq-replay");
    table_free(t);
}
END_TEST

START_TEST(rank_comes_first)
{
    struct table *t = table_new(cols, NCOLS);

    table_begin(t);
    for (size_t i = 0; i < 4; i++) {
        add_row(t, &four[i]);
    }
    table_end(t, "");
    ck_assert_str_eq(names(t), "Orders-DLQ billing orders-intake payments");
    table_begin(t);
    for (size_t i = 0; i < 4; i++) {
        char key[64];
        struct table_row *r;

        snprintf(key, sizeof key, "k%zu", i);
        r = table_add(t, key);
        table_cell(r, C_NAME, four[i].name, NAN);
        table_row_rank(r, strcmp(four[i].name, "payments") == 0 ? -1 : 0);
    }
    table_end(t, "");
    ck_assert_str_eq(names(t), "payments Orders-DLQ billing orders-intake");
    table_sort(t, C_NAME, true);
    ck_assert_str_eq(names(t), "payments orders-intake billing Orders-DLQ");
    table_free(t);
}
END_TEST

START_TEST(cursor_kept_when_rows_added_before)
{
    struct table *t = table_new(cols, NCOLS);
    struct qrow more[6];
    int rc;

    build(t, four, 4, "");
    rc = table_key(t, 'j');
    ck_assert_int_eq(rc, VIEW_HANDLED | VIEW_REDRAW | VIEW_DETAIL);
    table_key(t, 'j');
    ck_assert_str_eq(selected_name(t), "orders-intake");
    memcpy(more, four, sizeof four);
    more[4] = (struct qrow){ "aaa-new", 1, "" };
    more[5] = (struct qrow){ "abc-new", 2, "" };
    build(t, more, 6, "");
    ck_assert_str_eq(names(t), "Orders-DLQ aaa-new abc-new billing orders-intake payments");
    ck_assert_str_eq(selected_name(t), "orders-intake");
    /* And across a filter that keeps it. */
    build(t, more, 6, "intake");
    ck_assert_str_eq(selected_name(t), "orders-intake");
    build(t, more, 6, "");
    ck_assert_str_eq(selected_name(t), "orders-intake");
    table_free(t);
}
END_TEST

START_TEST(cursor_moves_to_next_when_row_removed)
{
    struct table *t = table_new(cols, NCOLS);
    const struct qrow without_billing[] = { four[0], four[1], four[2] };
    const struct qrow only_first[] = { four[1] };

    build(t, four, 4, "");
    ck_assert(table_select(t, "https://sqs.test/1/billing"));
    ck_assert_str_eq(selected_name(t), "billing");
    build(t, without_billing, 3, "");
    ck_assert_str_eq(selected_name(t), "orders-intake");  /* the row that followed it */
    /* Gone while another row arrived before it: still the row that followed it, not
     * whatever now sits at its old index. */
    ck_assert(table_select(t, "https://sqs.test/1/orders-intake"));
    {
        const struct qrow swapped[] = { four[1], { "aaa-new", 1, "" }, four[2] };

        build(t, swapped, 3, "");
        ck_assert_str_eq(names(t), "Orders-DLQ aaa-new payments");
        ck_assert_str_eq(selected_name(t), "payments");
    }
    table_key(t, 'G');
    ck_assert_str_eq(selected_name(t), "payments");
    build(t, only_first, 1, "");  /* last row gone, nothing after it: the one before */
    ck_assert_str_eq(selected_name(t), "Orders-DLQ");
    build(t, NULL, 0, "");
    ck_assert_ptr_null(table_selected_key(t));
    ck_assert(!table_select(t, "https://sqs.test/1/billing"));
    table_free(t);
}
END_TEST

START_TEST(many_rows_cursor_follows)
{
    struct table *t = table_new(cols, NCOLS);
    static struct qrow qs[3000];
    static char namebuf[3000][16];
    size_t n = 0;

    for (int i = 0; i < 3000; i++) {
        snprintf(namebuf[i], sizeof namebuf[i], "q%04d", i);
        qs[i] = (struct qrow){ namebuf[i], i % 97, "" };
    }
    build(t, qs, 3000, "");
    ck_assert(table_select(t, "https://sqs.test/1/q1500"));
    /* Sorted by VISIBLE, then q1500..q1509 go. */
    table_sort(t, C_VISIBLE, true);
    ck_assert_str_eq(selected_name(t), "q1500");
    for (int i = 0; i < 3000; i++)
        if (i < 1500 || i >= 1510)
            qs[n++] = (struct qrow){ namebuf[i], i % 97, "" };
    build(t, qs, n, "");
    ck_assert_uint_eq(table_shown(t), 2990);
    /* The row after q1500 in the order shown before the rebuild: the next key with the
     * same VISIBLE (1500 % 97 = 45), q1597 (q1500 + 97). */
    ck_assert_str_eq(selected_name(t), "q1597");
    table_free(t);
}
END_TEST

START_TEST(paging_and_ends)
{
    struct screen_test *st = screen_test_new(80, 24);
    struct view_ctx ctx;
    struct table *t = table_new(cols, NCOLS);
    struct qrow qs[50];
    char namebuf[50][16];
    char *row;

    for (int i = 0; i < 50; i++) {
        snprintf(namebuf[i], sizeof namebuf[i], "q%02d", i);
        qs[i] = (struct qrow){ namebuf[i], i, "" };
    }
    build(t, qs, 50, "");
    screen_test_ctx(st, &ctx, NULL, NULL, false);
    table_draw(t, &ctx, st->win, 0, 11, "no queues");  /* header + 10 rows */
    ck_assert_str_eq(selected_name(t), "q00");
    table_key(t, VIEW_KEY(KEY_NPAGE));
    ck_assert_str_eq(selected_name(t), "q10");
    table_key(t, VIEW_KEY_CTRL('f'));
    ck_assert_str_eq(selected_name(t), "q20");
    table_key(t, VIEW_KEY(KEY_PPAGE));
    ck_assert_str_eq(selected_name(t), "q10");
    table_key(t, VIEW_KEY_CTRL('b'));
    table_key(t, VIEW_KEY_CTRL('b'));  /* stops at the top */
    ck_assert_str_eq(selected_name(t), "q00");
    ck_assert_int_eq(table_key(t, 'k'), VIEW_HANDLED | VIEW_REDRAW);  /* no move, no DETAIL */
    ck_assert_str_eq(selected_name(t), "q00");
    table_key(t, 'G');
    ck_assert_str_eq(selected_name(t), "q49");
    table_key(t, 'j');
    ck_assert_str_eq(selected_name(t), "q49");
    table_key(t, VIEW_KEY(KEY_UP));
    ck_assert_str_eq(selected_name(t), "q48");
    table_key(t, VIEW_KEY(KEY_END));
    /* Drawn: the last rows, the cursor in sight on the last line, in the selection style. */
    table_draw(t, &ctx, st->win, 0, 11, "no queues");
    row = screen_test_row(st->win, 10);
    ck_assert_msg(strncmp(row, "q49 ", 4) == 0, "last line: '%s'", row);
    free(row);
    row = screen_test_row(st->win, 1);
    ck_assert_msg(strncmp(row, "q40 ", 4) == 0, "first row: '%s'", row);
    free(row);
    ck_assert(screen_test_attr(st->win, 10, 0) & A_REVERSE);
    ck_assert(!(screen_test_attr(st->win, 9, 0) & A_REVERSE));
    table_key(t, 'g');
    ck_assert_str_eq(selected_name(t), "q00");
    table_key(t, VIEW_KEY(KEY_DOWN));
    table_key(t, VIEW_KEY(KEY_HOME));
    ck_assert_str_eq(selected_name(t), "q00");
    table_draw(t, &ctx, st->win, 0, 11, "no queues");
    row = screen_test_row(st->win, 1);
    ck_assert_msg(strncmp(row, "q00 ", 4) == 0, "first row: '%s'", row);
    free(row);
    table_free(t);
    screen_test_free(st);
}
END_TEST

START_TEST(header_and_empty)
{
    struct screen_test *st = screen_test_new(80, 24);
    struct view_ctx ctx;
    struct table *t = table_new(cols, NCOLS);
    char *row;

    screen_test_ctx(st, &ctx, NULL, NULL, false);
    build(t, four, 4, "zzz");
    table_draw(t, &ctx, st->win, 2, 10, "no match for /zzz");
    row = screen_test_row(st->win, 2);
    ck_assert_msg(strncmp(row, "QUEUE▴", strlen("QUEUE▴")) == 0, "header: '%s'", row);
    ck_assert_msg(strstr(row, "VISIBLE") && strstr(row, "DLQ") && strstr(row, "DEPTH"),
                  "header: '%s'", row);
    free(row);
    row = screen_test_row(st->win, 3);
    ck_assert_str_eq(row, " no match for /zzz");
    free(row);
    table_sort(t, C_VISIBLE, true);
    table_draw(t, &ctx, st->win, 2, 10, "none");
    row = screen_test_row(st->win, 2);
    ck_assert_msg(strstr(row, "VISIBLE▾") != NULL, "header: '%s'", row);
    free(row);
    /* VISIBLE asks for 7 columns, its title's width: the mark gets one more, never cuts
     * it, even on a window too narrow for everything */
    for (int cols_ = 30; cols_ <= 80; cols_ += 50) {
        struct screen_test *nt = screen_test_new(cols_, 10);
        struct view_ctx nctx;

        screen_test_ctx(nt, &nctx, NULL, NULL, false);
        build(t, four, 4, "");
        table_draw(t, &nctx, nt->win, 0, 5, "");
        row = screen_test_row(nt->win, 0);
        ck_assert_msg(strstr(row, " VISIBLE▾") != NULL, "%d columns: '%s'", cols_, row);
        free(row);
        screen_test_free(nt);
        set_term(st->scr);
    }
    table_free(t);
    screen_test_free(st);
}
END_TEST

START_TEST(untrusted_text_drawn_escaped)
{
    struct screen_test *st = screen_test_new(200, 20);
    struct view_ctx ctx;
    struct table *t = table_new(cols, NCOLS);
    struct table_row *r;
    char *row;

    screen_test_ctx(st, &ctx, NULL, NULL, true);
    table_begin(t);
    r = table_add(t, "k1");
    table_cell(r, C_NAME, "clear\x1b[2Jme", NAN);
    table_cell(r, C_DLQ, "osc\x1b]52;c;ZXZpbA==\x07" "end", NAN);
    r = table_add(t, "k2");
    table_cell(r, C_NAME, "bidi\xe2\x80\xae" "txt.exe", NAN);
    table_end(t, "");
    ck_assert_str_eq(table_cell_text(t, 1, C_NAME), "clear\\x1B[2Jme");
    table_draw(t, &ctx, st->win, 0, 5, "");
    for (int y = 0; y < 3; y++) {
        row = screen_test_row(st->win, y);
        ck_assert_msg(!strchr(row, 0x1b), "raw ESC on row %d", y);
        ck_assert_msg(!strstr(row, "\xe2\x80\xae"), "raw U+202E on row %d", y);
        ck_assert_msg(!strchr(row, 0x07), "raw BEL on row %d", y);
        free(row);
    }
    row = screen_test_row(st->win, 1);
    ck_assert_msg(strstr(row, "bidi\\u{202E}txt.exe"), "row: '%s'", row);
    free(row);
    row = screen_test_row(st->win, 2);
    ck_assert_msg(strstr(row, "clear\\x1B[2Jme"), "row: '%s'", row);
    ck_assert_msg(strstr(row, "osc\\x1B]52;c;ZXZpbA==\\x07end"), "row: '%s'", row);
    free(row);
    /* The filter matches what is shown, escapes included. */
    table_begin(t);
    r = table_add(t, "k1");
    table_cell(r, C_NAME, "clear\x1b[2Jme", NAN);
    table_end(t, "\\x1b");
    ck_assert_uint_eq(table_shown(t), 1);
    table_free(t);
    screen_test_free(st);
}
END_TEST

START_TEST(wide_and_combining_keep_columns)
{
    struct screen_test *st = screen_test_new(80, 24);
    struct view_ctx ctx;
    struct table *t = table_new(cols, NCOLS);
    const struct qrow qs[] = {
        { "plain-queue", 111, "dlq-a" },
        { "注文キュー", 222, "注文dlq" },                    /* CJK: 2 columns each */
        { "re\xcc\x81sume\xcc\x81-queue", 333, "e\xcc\x81" },  /* e + U+0301 */
        { "注文キュー注文キュー注文キュー長い名前", 444, "x" }, /* cut mid-way */
    };
    const char *nums[] = { "111", "222", "333", "444" };
    int want = -1, dlq_col = -1;

    screen_test_ctx(st, &ctx, NULL, NULL, false);
    build(t, qs, 4, "");
    table_draw(t, &ctx, st->win, 0, 10, "");
    for (int i = 0; i < 4; i++) {
        int y = screen_test_find_from(st->win, 1, nums[i]);
        char *row;
        int c, d;

        ck_assert_int_ge(y, 1);
        row = screen_test_row(st->win, y);
        c = screen_test_col(row, nums[i]);
        /* The DLQ column starts right after the VISIBLE number and a space. */
        d = c + (int)strlen(nums[i]) + 1;
        if (want < 0) {
            want = c;
            dlq_col = d;
        }
        ck_assert_msg(c == want, "row %d '%s': number at %d, want %d", y, row, c, want);
        ck_assert_int_eq(d, dlq_col);
        ck_assert_int_eq(textwidth(row) >= d, 1);
        free(row);
    }
    ck_assert_int_gt(want, 10);
    table_free(t);
    screen_test_free(st);
}
END_TEST

START_TEST(narrow_window_keeps_numbers)
{
    struct screen_test *st = screen_test_new(30, 10);
    struct view_ctx ctx;
    struct table *t = table_new(cols, NCOLS);
    const struct qrow qs[] = { { "a-very-long-queue-name-indeed", 12345678, "some-dlq-name" } };
    char *row;

    screen_test_ctx(st, &ctx, NULL, NULL, false);
    build(t, qs, 1, "");
    table_draw(t, &ctx, st->win, 0, 3, "");
    row = screen_test_row(st->win, 1);
    ck_assert_msg(strstr(row, "12345678") != NULL, "row: '%s'", row);
    ck_assert_msg(strstr(row, "…") != NULL, "row: '%s'", row);
    ck_assert_int_le(textwidth(row), 30);
    free(row);
    table_free(t);
    screen_test_free(st);
}
END_TEST

/* Heading rows (table_row_heading): one per rank, before its rows whatever the sort, shown
 * only with a row of its group, never matched by the filter, never under the cursor, drawn
 * across the columns, and brought into sight with the first row of its group. */
static void add_group(struct table *t, int rank, const char *title, const char *const *rows,
                      size_t n)
{
    char key[64];
    struct table_row *h;

    snprintf(key, sizeof key, "h:%s", title);
    h = table_add(t, key);
    table_cell(h, C_NAME, title, NAN);
    table_row_heading(h);
    table_row_rank(h, rank);
    for (size_t i = 0; i < n; i++) {
        struct table_row *r;

        snprintf(key, sizeof key, "https://sqs.test/1/%s", rows[i]);
        r = table_add(t, key);
        table_cell(r, C_NAME, rows[i], NAN);
        table_cell(r, C_VISIBLE, "1", (double)i);
        table_row_rank(r, rank);
    }
}

static void build_groups(struct table *t, const char *filter)
{
    static const char *const a[] = {"a1", "a2"};
    static const char *const b[] = {"b01", "b02", "b03", "b04", "b05", "b06", "b07", "b08"};
    static const char *const c[] = {"c1"};

    table_begin(t);
    add_group(t, 2, "group C, a heading longer than its column", c, 1);
    add_group(t, 0, "group A", a, 2);
    add_group(t, 1, "group B", b, 8);
    table_end(t, filter);
}

START_TEST(headings_group_rows)
{
    struct screen_test *st = screen_test_new(60, 24);
    struct view_ctx ctx;
    struct table *t = table_new(cols, NCOLS);
    char *row;

    screen_test_ctx(st, &ctx, NULL, NULL, false);
    build_groups(t, "");
    ck_assert_str_eq(names(t), "group A a1 a2 group B b01 b02 b03 b04 b05 b06 b07 b08 "
                               "group C, a heading longer than its column c1");
    ck_assert_str_eq(selected_name(t), "a1");
    /* a sort orders within the groups; the headings stay on top of theirs */
    table_sort(t, C_VISIBLE, true);
    ck_assert_str_eq(names(t), "group A a2 a1 group B b08 b07 b06 b05 b04 b03 b02 b01 "
                               "group C, a heading longer than its column c1");
    table_sort(t, C_VISIBLE, false);
    /* the cursor steps over headings both ways, and the ends are rows */
    table_key(t, 'j');
    table_key(t, 'j');
    ck_assert_str_eq(selected_name(t), "b01");
    table_key(t, 'k');
    ck_assert_str_eq(selected_name(t), "a2");
    table_key(t, 'g');
    ck_assert_str_eq(selected_name(t), "a1");
    ck_assert_int_eq(table_key(t, 'k'), VIEW_HANDLED | VIEW_REDRAW);  /* stays: no DETAIL */
    ck_assert_str_eq(selected_name(t), "a1");
    table_key(t, 'G');
    ck_assert_str_eq(selected_name(t), "c1");
    table_key(t, 'k');
    ck_assert_str_eq(selected_name(t), "b08");
    /* selecting a heading's key puts the cursor on its first row */
    ck_assert(table_select(t, "h:group B"));
    ck_assert_str_eq(selected_name(t), "b01");
    /* drawn: the heading across the columns, in sight above its first row after a scroll */
    table_key(t, 'G');
    table_draw(t, &ctx, st->win, 0, 6, "none");
    table_select(t, "https://sqs.test/1/b01");
    table_draw(t, &ctx, st->win, 0, 6, "none");
    row = screen_test_row(st->win, 1);
    ck_assert_str_eq(row, "group B");
    free(row);
    row = screen_test_row(st->win, 2);
    ck_assert_msg(strncmp(row, "b01", 3) == 0, "row 2: '%s'", row);
    free(row);
    table_key(t, 'G');
    table_draw(t, &ctx, st->win, 0, 6, "none");
    ck_assert_int_ge(screen_test_find(st->win, "group C, a heading longer than its column"), 1);
    /* the filter keeps a heading only with a row of its group, and never matches one */
    build_groups(t, "b0");
    ck_assert_str_eq(names(t), "group B b01 b02 b03 b04 b05 b06 b07 b08");
    ck_assert_str_eq(selected_name(t), "b01");
    build_groups(t, "group");
    ck_assert_uint_eq(table_shown(t), 0);
    ck_assert_ptr_null(table_selected_key(t));
    build_groups(t, "!b0");
    ck_assert_str_eq(names(t), "group A a1 a2 group C, a heading longer than its column c1");
    ck_assert_str_eq(selected_name(t), "a1");
    table_free(t);
    screen_test_free(st);
}
END_TEST

static Suite *table_suite(void)
{
    Suite *s = suite_create("table");
    TCase *tc = tcase_create("table");

    tcase_add_test(tc, filter_substring_and_inverse);
    tcase_add_test(tc, sort_each_column_both_ways);
    tcase_add_test(tc, sort_keys);
    tcase_add_test(tc, sort_by_letter);
    tcase_add_test(tc, filter_cursor_best_match);
    tcase_add_test(tc, rank_comes_first);
    tcase_add_test(tc, cursor_kept_when_rows_added_before);
    tcase_add_test(tc, cursor_moves_to_next_when_row_removed);
    tcase_add_test(tc, many_rows_cursor_follows);
    tcase_add_test(tc, paging_and_ends);
    tcase_add_test(tc, header_and_empty);
    tcase_add_test(tc, untrusted_text_drawn_escaped);
    tcase_add_test(tc, wide_and_combining_keep_columns);
    tcase_add_test(tc, narrow_window_keeps_numbers);
    tcase_add_test(tc, headings_group_rows);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    return check_tap_run(table_suite());
}
