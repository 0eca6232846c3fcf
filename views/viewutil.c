/* viewutil.c - small drawing helpers every view uses (view.h): theme attributes, untrusted
 * text written safely, full-width lines. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "look/glyph.h"
#include "util/fmt.h"
#include "util/sanitize.h"
#include "util/textwidth.h"
#include "look/theme_curses.h"
#include "core/client.h"
#include "view.h"
#include "util/xalloc.h"
#include "util/buf.h"

attr_t view_attr(const struct view_ctx *ctx, enum theme_element e)
{
    if ((int)e < 0 || e >= THEME_N_ELEMENTS)
        return A_NORMAL;
    if (!ctx || !ctx->styles)
        /* No theme lent (a test, or a view drawn before the theme loaded): the cursor must
         * still be visible. */
        return e == THEME_SELECTION ? A_REVERSE : A_NORMAL;
    return theme_curses_attr(ctx->styles, e, ctx->colour);
}

int view_text(WINDOW *w, int y, int x, int cols, const char *text, attr_t attr)
{
    char *clean;
    int n;

    if (!w || !text)
        return 0;
    clean = sanitize_text(text, strlen(text));
    n = view_text_clean(w, y, x, cols, clean, attr);
    free(clean);
    return n;
}

int view_text_clean(WINDOW *w, int y, int x, int cols, const char *clean, attr_t attr)
{
    int maxx, maxy, n;
    char *cut;

    if (!w || !clean)
        return 0;
    getmaxyx(w, maxy, maxx);
    if (y < 0 || y >= maxy || x < 0 || x >= maxx || cols <= 0)
        return 0;
    if (cols > maxx - x)
        cols = maxx - x;
    /* The ellipsis follows the locale (as the glyph table the console chose does), since
     * this helper is not lent the view's glyphs. */
    cut = textwidth_truncate(clean, cols, glyphs_select(false)->g[GLYPH_ELLIPSIS]);
    n = textwidth(cut);
    wattrset(w, attr);
    mvwaddstr(w, y, x, cut);
    wattrset(w, A_NORMAL);
    free(cut);
    return n;
}

void view_draw_unread(const struct view_ctx *ctx, WINDOW *win, const char *title,
                      const struct store_kind_info *info, const char *running)
{
    int w = getmaxx(win);
    char why[1200], *line;

    if (info->error) {
        aws_error_describe(info->error, ctx->profile ? ctx->profile : "default", why,
                           sizeof(why));
        line = xasprintf("%s  cannot read: %s", title, why);
        view_text(win, 0, 0, w, line, view_attr(ctx, THEME_ERROR));
        view_text(win, 2, 1, w - 1, "no count is shown until the list can be read; "
                  ":errors has the whole message", view_attr(ctx, THEME_DIM));
    } else {
        line = xasprintf("%s  not read yet", title);
        view_text(win, 0, 0, w, line, view_attr(ctx, THEME_TITLE));
        view_text(win, 2, 1, w - 1, running, view_attr(ctx, THEME_DIM));
    }
    free(line);
}

void view_fill_line(WINDOW *w, int y, attr_t attr)
{
    int maxx, maxy;

    if (!w)
        return;
    getmaxyx(w, maxy, maxx);
    if (y < 0 || y >= maxy)
        return;
    /* whline neither moves the cursor nor scrolls, even on the bottom-right cell. */
    mvwhline(w, y, 0, ' ' | attr, maxx);
}

char *view_time(const struct view_ctx *ctx, double epoch_s, char *buf, size_t n)
{
    time_t t;
    struct tm tm;
    bool utc = !ctx || ctx->utc;

    if (!buf || n == 0)
        return buf;
    snprintf(buf, n, "-");
    if (!isfinite(epoch_s) || epoch_s < 0 || epoch_s > 253402300799.0)  /* year 9999 */
        return buf;
    t = (time_t)epoch_s;
    if (utc ? !gmtime_r(&t, &tm) : !localtime_r(&t, &tm))
        return buf;
    /* %Z of gmtime is "GMT"; the console says UTC, as the `:utc` command does */
    if (!strftime(buf, n, utc ? "%Y-%m-%d %H:%M:%S UTC" : "%Y-%m-%d %H:%M:%S %Z", &tm))
        snprintf(buf, n, "-");
    return buf;
}

char *view_shell_quote(const char *s)
{
    static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                               "0123456789_./:=@%+,-";
    char *clean = sanitize_text(s ? s : "", s ? strlen(s) : 0);
    struct buf b;

    /* a plain word (a region, most URLs) reads better bare */
    if (*clean && strspn(clean, safe) == strlen(clean))
        return clean;
    buf_init(&b);
    buf_puts(&b, "'");
    for (const char *p = clean; *p; p++) {
        if (*p == '\'')
            buf_puts(&b, "'\"'\"'");  /* no backslash: the text stays as sanitised */
        else
            buf_putc(&b, *p);
    }
    buf_puts(&b, "'");
    free(clean);
    return buf_steal(&b);
}

bool view_rate(const struct store_res *r, const char *field, int64_t now_ms, int64_t window_ms,
               double *per_minute, int64_t *span_ms)
{
    struct store_point pts[STORE_HISTORY_LEN];
    size_t n = r ? store_res_history(r, field, STORE_HISTORY_LEN, pts) : 0, first = 0;

    while (first < n && pts[first].time < now_ms - window_ms)
        first++;
    if (n < 2 || n - first < 2 || pts[n - 1].time <= pts[first].time)
        return false;
    *per_minute = (pts[n - 1].value - pts[first].value) * 60000.0 /
                  (double)(pts[n - 1].time - pts[first].time);
    if (span_ms)
        *span_ms = pts[n - 1].time - pts[first].time;
    return true;
}

void view_oldest_read(const struct view_ctx *ctx, const struct store_res *r, long warn_s,
                      long crit_s, struct view_oldest *out)
{
    int64_t at = 0, visible = -1;
    double age;

    memset(out, 0, sizeof(*out));
    out->age = NAN;
    out->style = THEME_DIM;
    snprintf(out->text, sizeof(out->text), "?");
    if (!r || !store_res_num(r, "age_oldest", &age) || !isfinite(age) || age < 0)
        return;
    out->known = true;
    out->age = age;
    if (store_res_int(r, "age_oldest_at", &at) && at > 0) {
        out->at_s = at;
        out->late = ctx->now_ms - at * 1000 > VIEW_OLDEST_LATE_MS;
    }
    fmt_duration(out->text, sizeof(out->text) - 1, (int64_t)age);
    if (out->late) {
        strcat(out->text, "?");
        return;
    }
    out->style = THEME_N_ELEMENTS;
    if (!store_res_int(r, "visible", &visible) || visible <= 0)
        return;
    if (age >= (double)crit_s)
        out->style = THEME_CRITICAL;
    else if (age >= (double)warn_s)
        out->style = THEME_WARN;
}

char *view_oldest_line(const struct view_ctx *ctx, const struct view_oldest *o, char *buf,
                       size_t n)
{
    char age[24], ago[24], tod[16] = "-";
    time_t t = (time_t)o->at_s;
    struct tm tm;

    if (!o->known) {
        snprintf(buf, n, "no data point in CloudWatch's last 15 minutes");
        return buf;
    }
    fmt_duration(age, sizeof(age), (int64_t)o->age);
    if (!o->at_s) {
        snprintf(buf, n, "%s", age);
        return buf;
    }
    if ((ctx->utc ? gmtime_r(&t, &tm) : localtime_r(&t, &tm)))
        strftime(tod, sizeof(tod), ctx->utc ? "%H:%M:%S UTC" : "%H:%M:%S", &tm);
    if (ctx->now_ms < o->at_s * 1000) {  /* our clock behind CloudWatch's */
        snprintf(buf, n, "%s as of %s", age, tod);
        return buf;
    }
    fmt_age(ago, sizeof(ago), ctx->now_ms - o->at_s * 1000);
    snprintf(buf, n, "%s as of %s (%s ago%s)", age, tod, ago,
             o->late ? ": no newer point" : "");
    return buf;
}
