/* view.h - what a view is: a const table of operations (tmux's window_mode, tig's view_ops).
 *
 * Each view is one file, views/<name>.c, ending with
 *     const struct view sqs_view = { .name = "sqs", .draw = sqs_draw, ... };
 * and views/registry.c lists them. The framework (src/ui/ui.c) allocates private_size bytes
 * of zeroed state per view (the view never manages its own lifetime), calls the hooks, and
 * does what the bits a key hook returns ask for, once per wake-up (htop's HANDLED | REDRAW).
 *
 * A view reads the store and never touches the network. It draws only inside the window
 * it is given (the frame: header, footer, status line, prompts, help are the framework's).
 * Text from AWS reaches the screen only through views/table.c or view_text(), which run it
 * through sanitize_text(). */
#ifndef OPSDECK_VIEW_H
#define OPSDECK_VIEW_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/appconfig.h"
#include "look/glyph.h"
#include "look/theme.h"
#include "poll/store.h"

/* Keys as views see them: a Unicode character as read by wget_wch(), or a curses KEY_*
 * code offset by VIEW_KEY_FN so the two ranges never collide: VIEW_KEY(KEY_DOWN). */
#define VIEW_KEY_FN 0x1000000
#define VIEW_KEY(k) (VIEW_KEY_FN + (k))
#define VIEW_KEY_CTRL(c) ((c) & 0x1f)

/* What a key hook (or update) tells the framework; bits, 0 = not handled. */
enum {
    VIEW_UNHANDLED = 0,
    VIEW_HANDLED = 1 << 0,  /* the key was the view's */
    VIEW_REDRAW = 1 << 1,   /* draw again */
    VIEW_REFRESH = 1 << 2,  /* poll what this view shows now (as the `r` key) */
    VIEW_DETAIL = 1 << 3,   /* the detail resource changed: ask ops->detail() again */
    VIEW_BACK = 1 << 4,     /* leave this view, to the previous one (Esc/q with nothing open) */
    VIEW_JUMP = 1 << 5,     /* open ctx->jump_view with its cursor on ctx->jump_key */
    VIEW_COPY = 1 << 6,     /* put ctx->copy on the clipboard (OSC 52); copy_what names it */
    VIEW_CLEAR_FILTER = 1 << 7, /* clear the view's `/` filter (it moved to another list) */
    VIEW_MESSAGE = 1 << 8,  /* say ctx->message on the status line (the framework sanitises) */
};

#define VIEW_JUMP_VIEW_MAX 32
#define VIEW_JUMP_KEY_MAX 2048
#define VIEW_COPY_MAX 2048
/* A body larger than this is copied in part: an OSC 52 sequence of 256 KiB is ~350 KB of
 * base64 written to the terminal in one go, about what terminals and tmux take. */
#define VIEW_COPY_LONG_MAX (256 * 1024)

struct errlog;

/* What the framework lends a view for the length of one hook call. */
struct view_ctx {
    const struct store *store;
    const struct appconfig *cfg;
    const struct glyphs *glyphs;
    const struct theme_style *styles;  /* resolved, THEME_N_ELEMENTS of them */
    bool colour;                       /* colour pairs are on (else attributes only) */
    int64_t now_ms;                    /* the store's clock: what ages are measured against */
    const char *filter;                /* the `/` filter: "" none, "!text" inverts */
    const char *profile;               /* the active AWS profile and region, for titles */
    const char *region;
    bool utc;                          /* times of day in UTC (`:utc`), else local time */
    const struct errlog *errlog;       /* the recent errors, for the errors view */
    /* Out: a key hook that returns VIEW_JUMP fills these. */
    char jump_view[VIEW_JUMP_VIEW_MAX];
    char jump_key[VIEW_JUMP_KEY_MAX];  /* row key to select there, "" for none */
    /* Out: a key hook that returns VIEW_COPY fills these; copy is the exact text (a queue
     * URL), copy_what says what it is for the status line ("URL of orders-dlq"). */
    char copy[VIEW_COPY_MAX];
    /* Or, for longer text the view's rows hold (a message body): copy_ref_len bytes at
     * copy_ref, borrowed until the framework has taken them, right after the hook returns
     * (it copies at most VIEW_COPY_LONG_MAX; the view says when it cut). */
    const char *copy_ref;
    size_t copy_ref_len;
    char copy_what[128];
    /* Out: a key hook that returns VIEW_MESSAGE fills it: why the key did nothing, in one
     * line ("no Lambda trigger reads orders"). */
    char message[256];
};

/* A key that starts an action (src/act/action.h) on the view's resource. The framework runs
 * the action's form, its confirmation, the write gate and the progress dialog; the view
 * only names the action and says what it would act on (the target hook). */
struct view_action {
    int key;              /* 'P' */
    const char *action;   /* "send-message": a name in action_registry */
};

struct act_target;        /* act/action.h */

/* One line of the footer and of `?` help. */
struct view_keyhelp {
    const char *keys;  /* "Enter", "s/S", "/" */
    const char *what;  /* "details: attributes, tags", "sort: next column"; the footer
                          shows it up to its first ':', '(', ',' or ';' ("details") */
};

struct view {
    const char *name;             /* "sqs": its `:` command and its number key's target */
    const char *title;            /* "SQS queues" */
    int number;                   /* the number key that opens it (1..9), 0 none */
    enum appconfig_view interval; /* its [intervals] key, and what the poller polls fast */
    size_t private_size;          /* zeroed state the framework allocates per view */

    /* Every hook but draw may be NULL. priv is the view's private state. */
    void (*init)(void *priv, struct view_ctx *ctx);
    void (*done)(void *priv);
    /* The store may have changed (called before every draw; cheap when nothing moved: a
     * view compares store_kind_info generations) or the filter changed. Rebuild rows, keep
     * the cursor on the same key. Returns VIEW_* bits (VIEW_DETAIL when the detail
     * resource's row disappeared, say). */
    int (*update)(void *priv, struct view_ctx *ctx);
    /* Draws the whole of win (its size is the view's area) with wnoutrefresh-style calls
     * only: the framework calls doupdate() once. */
    void (*draw)(void *priv, struct view_ctx *ctx, WINDOW *win);
    /* A key the framework did not take (it takes :, /, ?, r, number keys, Ctrl-C, and q
     * only when the view returns VIEW_UNHANDLED for it). Returns VIEW_* bits. */
    int (*key)(void *priv, struct view_ctx *ctx, int key);
    /* The key (queue URL) whose detail pane is open, which the poller then polls fast, or
     * NULL. Valid until the next hook call. */
    const char *(*detail)(void *priv);
    /* The keys of the rows the last draw showed (at most max, borrowed until the next hook
     * call): the poller reads those every cycle and the rest of a long list more slowly
     * (src/poll/adaptive.h). Returns how many. NULL: the view shows no such rows. */
    size_t (*on_screen)(void *priv, const char **keys, size_t max);
    /* Put the cursor on row key (a jump from the overview); false when it is not there. */
    bool (*select)(void *priv, struct view_ctx *ctx, const char *key);
    /* `:name ARG`: open the view at ARG (the s3 view: a bucket and prefix). Returns VIEW_*
     * bits. NULL: the view takes no argument. */
    int (*open)(void *priv, struct view_ctx *ctx, const char *arg);
    /* The keys this view adds, for the footer (the first few) and `?` (all), ending with
     * {NULL, NULL}, most useful first: at 80 columns the footer shows those that fit. The
     * framework's own keys are listed by the framework. */
    const struct view_keyhelp *keys;
    /* Keys that start actions, ending with {0, NULL}; taken before the key hook. */
    const struct view_action *actions;
    /* What `action` would act on: the row under the cursor, or the open pane's resource.
     * Fills out (its strings valid until the next hook call); false when there is none. */
    bool (*target)(void *priv, struct view_ctx *ctx, const char *action,
                   struct act_target *out);
    /* The view's title line shows the `/` filter (else the framework's footer does). */
    bool filter_in_title;
    /* Enter on the `/` prompt, the filter kept as typed: a view that can ask AWS for what
     * it names does so (the s3 view lists the keys starting with it: a server-side prefix,
     * until the filter changes). Returns VIEW_* bits. NULL: Enter only closes the prompt. */
    int (*filter_enter)(void *priv, struct view_ctx *ctx, const char *filter);
    /* `:cli`: the aws CLI command (without --profile, --region, --endpoint-url: the
     * framework adds them) that reads what the cursor is on, into out (size n), one command
     * a line; every word from AWS in it goes through view_shell_quote (which sanitises), so
     * the framework shows and copies it as it is. false when there is nothing to hand off.
     * NULL: none. */
    bool (*cli)(void *priv, const struct view_ctx *ctx, char *out, size_t n);
};

/* views/registry.c: every view, in number order, NULL-terminated. */
extern const struct view *const view_registry[];
const struct view *view_find(const char *name);  /* NULL when unknown */

extern const struct view overview_view;
extern const struct view sqs_view;
extern const struct view dlq_view;
extern const struct view sns_view;
extern const struct view s3_view;
extern const struct view jobs_view;
extern const struct view errors_view;
extern const struct view toggles_view;
extern const struct view messages_view;   /* views/messages.c */
extern const struct view expiry_view;

/* ---- the overview's sections -----------------------------------------------------------
 *
 * The overview (views/overview.c) knows no resource kind: each view file declares the
 * section it adds to the overview, and views/registry.c lists them in the order they
 * appear. A section names the store kind it reports on, builds its items from the store,
 * and says where Enter goes; the framework draws the heading, filters with `/`, sorts,
 * keeps the cursor on its item across polls, and says "not read yet" or "cannot read:
 * <cause>" while the kind was never read, so a section never shows an empty list (an
 * all-clear) for data it does not have. */

/* The columns right of the names, for numbers under a heading: "%8s %7s %9s". */
#define OVERVIEW_RIGHT_W 26

struct overview_lines;   /* what a section's build hook adds its items to (overview.c) */

struct overview_item {
    const char *key;          /* the store key: keeps the cursor on the item, and is
                               * selected in the view Enter opens */
    const char *name;         /* left; untrusted, sanitised when drawn */
    const char *msg;          /* drawn after the name (an error's message), or NULL */
    const char *right;        /* our own text under the section's columns, or NULL */
    enum theme_element style; /* THEME_N_ELEMENTS: plain */
    double order;             /* items are shown by order, largest first, then by key */
    const char *jump;         /* the view Enter opens: NULL the section's, "" none */
    const char *jump_key;     /* the key selected there: NULL the item's key */
};

struct overview_section {
    const char *id;           /* "dlq": with the key, what keeps the cursor on an item */
    const char *title;        /* "Dead-letter queues holding messages" */
    const char *legend;       /* the heading's right side (OVERVIEW_RIGHT_W), or NULL */
    /* The kind it reports on: until that kind was ever read, the section is one line
     * ("not read yet", "cannot read: <cause>") and build is not called. NULL: it always
     * builds (the errors, which exist only when something failed). */
    const char *kind;
    const char *jump;         /* the view Enter opens on an item, NULL none */
    /* An alarm: the section shows only while it has items (an endpoint not answering), and
     * neither "not read yet" nor "none" otherwise, so a quiet overview stays short. */
    bool alarm;
    /* Adds the items from the store with overview_add. Writes into none what to say when
     * it has no item at all (shown as "none - <none>"); the framework says "no match for
     * /x" when the filter hid them. */
    void (*build)(struct overview_lines *l, const struct view_ctx *ctx, char *none,
                  size_t nonelen);
};

/* Adds item (copied) unless the `/` filter hides it: the filter matches its name and msg. */
void overview_add(struct overview_lines *l, const struct overview_item *item);
/* What the section cannot vouch for ("2 queues holding messages have no CloudWatch point
 * in the last 15 minutes"): shown in place of the "none - ..." all-clear when no item was
 * added, else after the items. Called again, the last text wins. The framework adds its own
 * note for a kind whose last read failed or is overdue. */
void overview_cannot_tell(struct overview_lines *l, const char *why);

/* views/registry.c: the sections, in the order the overview shows them; NULL-terminated. */
extern const struct overview_section *const overview_sections[];
extern const struct overview_section dlq_overview;          /* views/dlq.c */
extern const struct overview_section sqs_overview;          /* views/sqs.c */
extern const struct overview_section sns_overview;          /* views/sns.c */
extern const struct overview_section reach_overview;        /* views/sns.c */
extern const struct overview_section credentials_overview;  /* views/credentials.c */
extern const struct overview_section errors_overview;       /* views/errors.c */
extern const struct overview_section toggles_overview;      /* views/toggles.c */
extern const struct overview_section expiry_overview;       /* views/expiry.c */

/* ---- helpers for views (views/viewutil.c) ------------------------------------------- */

/* The curses attributes of a semantic element under the current theme. */
attr_t view_attr(const struct view_ctx *ctx, enum theme_element e);
/* Writes untrusted text at (y, x) in at most `cols` columns: sanitised, cut with the
 * ellipsis glyph, never past the window's edge. Returns the columns written. */
int view_text(WINDOW *w, int y, int x, int cols, const char *text, attr_t attr);
/* view_text for text that went through sanitize_text() already (a wrapped piece of it):
 * sanitising again would double its backslashes. Cut to cols, never past the edge. */
int view_text_clean(WINDOW *w, int y, int x, int cols, const char *clean, attr_t attr);
/* A view whose list was never read (info->fetched 0): "TITLE  not read yet" with `running`
 * under it while the first poll runs, or "TITLE  cannot read: <cause, profile, endpoint,
 * fix>" once it failed. Never a count: no rows read is not zero rows. */
void view_draw_unread(const struct view_ctx *ctx, WINDOW *win, const char *title,
                      const struct store_kind_info *info, const char *running);
/* A line of the element's style across the whole width of row y. */
void view_fill_line(WINDOW *w, int y, attr_t attr);
/* A time of day as the user asked for it (ctx->utc): "2026-11-25 14:17:55 CET" in local
 * time, "2026-11-25 13:17:55 UTC" in UTC. Returns buf (size n), "-" when epoch_s is not a
 * plausible time. */
char *view_time(const struct view_ctx *ctx, double epoch_s, char *buf, size_t n);
/* The rate of change of a numeric field over the history points of the last window_ms
 * (per minute), from the first and last of them: it needs two polls, not the console
 * open for long. false with fewer than two points in the window. span_ms (may be NULL):
 * the time between the two points used. */
#define VIEW_RATE_WINDOW_MS (5 * 60 * 1000)
bool view_rate(const struct store_res *r, const char *field, int64_t now_ms, int64_t window_ms,
               double *per_minute, int64_t *span_ms);
/* A queue's OLDEST, read as it deserves: CloudWatch's ApproximateAgeOfOldestMessage comes
 * in one-minute points published minutes late, so the number is the age as of its point,
 * not now. From the row's age_oldest and age_oldest_at (source queues) and its visible
 * count. text is "45m00s"; "45m00s?" when the newest point is older than
 * VIEW_OLDEST_LATE_MS; "?" when there is none. style is the element to draw it in: warn or
 * critical past the thresholds only for a fresh point of a queue that holds visible
 * messages (an empty queue's last point is about messages gone since), dim for "?" and late
 * points, THEME_N_ELEMENTS for plain. */
#define VIEW_OLDEST_LATE_MS (5 * 60 * 1000)
struct view_oldest {
    bool known;                 /* a point in CloudWatch's last 15 minutes */
    bool late;                  /* its time is known and older than VIEW_OLDEST_LATE_MS */
    double age;                 /* seconds, as of the point; NAN when not known */
    int64_t at_s;               /* the point's time (epoch seconds), 0 when not known */
    enum theme_element style;
    char text[24];
};
void view_oldest_read(const struct view_ctx *ctx, const struct store_res *r, long warn_s,
                      long crit_s, struct view_oldest *out);
/* For a detail pane: "45m00s as of 14:02:00 (2m00s ago)", "45m00s" when the point's time
 * is not known, "no data point in the last 15 minutes" when there is none. Returns buf. */
char *view_oldest_line(const struct view_ctx *ctx, const struct view_oldest *o, char *buf,
                       size_t n);
/* A word for a POSIX shell, for `:cli` commands: sanitised first (no control character
 * from AWS reaches a shell it is pasted into), then bare when it holds only characters no
 * shell treats specially, else single-quoted ('it'"'"'s'). The caller frees. */
char *view_shell_quote(const char *s);

#endif
