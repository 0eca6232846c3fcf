/* ui_internal.h - the console's state, shared by ui.c (start-up, session, drawing) and
 * ui_loop.c (the loop, keys, commands, the headless script). Not for views: they get a
 * view_ctx. */
#ifndef OPSDECK_UI_INTERNAL_H
#define OPSDECK_UI_INTERNAL_H

#include <curses.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "act/action.h"
#include "act/gate.h"
#include "act/job.h"
#include "ui/cmdline.h"
#include "cmd/commands.h"
#include "ui/dialog.h"
#include "ui/popup.h"
#include "ui/reqrate.h"
#include "ui/script.h"
#include "look/theme.h"
#include "ui/ui.h"
#include "errlog.h"
#include "poll/expiries.h"
#include "view.h"

struct sso_signin;

#define UI_STACK_MAX 16
#define UI_STORE_FRAME_MS 100

enum ui_prompt { UI_PROMPT_NONE, UI_PROMPT_CMD, UI_PROMPT_FILTER, UI_PROMPT_MFA };
enum ui_popup { UI_POPUP_NONE, UI_POPUP_HELP, UI_POPUP_CLI, UI_POPUP_OUTPUT };

/* What the open dialog is for (ui->dialog_for). */
enum ui_dialog_for {
    UI_DLG_FORM,        /* ui->asking's form */
    UI_DLG_CONFIRM,     /* ui->asking's confirmation (yes/no or typed) */
    UI_DLG_PROGRESS,    /* a job's progress */
    UI_DLG_WRITES_ON,   /* `:writes on` in a production profile: the profile's name typed */
    UI_DLG_QUIT,        /* quit while jobs run */
    UI_DLG_SIGNIN,      /* the SSO sign-in (ui_signin.c) */
};


/* An MFA code the credential manager asked for while the console runs (creds_mfa_fn): the
 * status line asks for it as soon as no other prompt is open. */
#define UI_MFA_MAX 4
struct ui_mfa_question {
    unsigned long id;
    char text[400];            /* "MFA code for SERIAL (profile P): ", sanitised */
};

struct ui {
    const struct global_opts *g;
    int rc;
    bool quit;
    char exit_message[1200];   /* printed on stderr after curses has ended */

    /* the session; cm lives for the whole run (creds_manager_switch on :profile) */
    struct appconfig *app;
    struct aws_config *cfg;
    struct creds_manager *cm;
    struct aws_client *client;
    struct reqrate reqrate;     /* the client's request counters over the last minute */
    struct store *store;
    struct feed *feed;         /* keeps the store filled: the poller */
    struct loop *loop;

    /* OPSDECK_TEST_NOW: the store's clock and the countdowns' */
    bool test_clock;
    int64_t test_now_ms;

    /* curses */
    SCREEN *screen;            /* headless only */
    FILE *in, *out;
    WINDOW *whead, *wview, *wfoot, *wstatus;
    bool too_small;
    bool dirty, relayout;
    bool creds_bad;            /* the active credentials could not sign at the last turn */
    /* Poll results arrive by the dozen during a cycle: they are drawn at most every
     * UI_STORE_FRAME_MS, while a key is drawn at once. */
    bool store_dirty;
    int64_t last_render;       /* timeutil_mono_ms() of the last frame */

    /* looks */
    struct theme theme;
    struct theme_style styles[THEME_N_ELEMENTS];
    bool colour;
    const struct glyphs *glyphs;
    bool utc;                  /* `:utc`: times of day in UTC, else local time */

    /* views: registry order; private state allocated once; one filter each */
    size_t nviews;
    void **priv;
    bool *inited;
    char (*filter)[LINEEDIT_MAX + 1];
    size_t stack[UI_STACK_MAX];
    size_t depth;

    /* MFA questions waiting for the prompt line, the first one asked when it opens */
    struct ui_mfa_question mfa[UI_MFA_MAX];
    size_t nmfa;

    /* prompts, the box over the view (`?` help, `:cli`), the status line's message (until
     * the next key), the recent errors for :errors */
    enum ui_prompt prompt;
    struct lineedit le;
    enum ui_popup popup_kind;
    struct popup popup;
    char *popup_copy;          /* what y copies while the popup is open, or NULL */
    char message[1400];
    bool message_error;
    struct errlog errlog;
    struct expiry_alert expiry_alert;  /* the bell on crossing an expiry's threshold */
    char *clip;                /* an OSC 52 sequence to write after the next frame */

    /* writes (ui_act.c): the session's gate and jobs, the runs of actions, the dialog */
    struct gate *gate;
    struct jobs *jobs;
    struct act_run **runs;     /* started and not ended; freed once ended */
    size_t nruns;
    struct act_run *asking;    /* the run whose form or confirmation is open */
    struct dialog dialog;
    bool dialog_on;
    int dialog_for;            /* enum ui_dialog_for (ui_act.c) */
    struct sso_signin *signin; /* the SSO sign-in the dialog shows (ui_signin.c), or NULL */
    char signin_profile[256];
    bool signin_changed;       /* an answer came: the next turn shows it */
    bool signin_offered;       /* offered once since the active credentials went bad */
    enum gate_writes writes;   /* `:writes`; ON holds for writes_profile only */
    char writes_profile[256];
    bool quit_confirmed;

    /* the headless script */
    bool headless;
    struct script script;
    size_t script_next;
    int64_t sleep_until;       /* timeutil_mono_ms() a sleep ends at, 0 none */
    bool waiting;              /* `wait`: until the feed's rounds pass wait_rounds */
    unsigned long wait_rounds;
};

/* ui.c */
void ui_message(struct ui *ui, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int64_t ui_now_ms(const struct ui *ui);

size_t ui_current(const struct ui *ui);
size_t ui_view_index(const char *name);       /* (size_t)-1 when unknown */
void ui_ctx(struct ui *ui, size_t vi, struct view_ctx *ctx);
void ui_open_view(struct ui *ui, size_t vi);
void ui_apply(struct ui *ui, size_t vi, int bits, struct view_ctx *ctx);
void ui_update_view(struct ui *ui);
void ui_switch(struct ui *ui, const char *profile, const char *region);
int ui_theme_load(struct ui *ui, const char *name, bool report_missing);
void ui_render(struct ui *ui);
/* Opens the MFA prompt when a question waits and no prompt, help or dialog is open. */
void ui_mfa_next(struct ui *ui);
/* The MFA prompt's Enter (code) or Esc (NULL): answers the first question. */
void ui_mfa_answer(struct ui *ui, const char *code);
void ui_status_text(struct ui *ui, char *out, size_t n, enum theme_element *style);
/* The header's line at cols columns, from the store (identity, expiries, the "credential"
 * rows' refresh state) and the session (profile, region, production, read-only). The
 * caller calls frame_header_done. */
struct frame_header_line;
void ui_header_line(struct ui *ui, int cols, struct frame_header_line *line);
/* The key of the error the status line shows now ("SQS ListQueues", "console"), as
 * :errors lists it; false when it shows none. */
bool ui_status_error_key(struct ui *ui, char *key, size_t n);
attr_t ui_attr(const struct ui *ui, enum theme_element e);

/* ui_act.c */
void ui_act_session_start(struct ui *ui);
/* Before the client is freed: the runs (their answers will not come). */
void ui_act_session_end(struct ui *ui);
/* After the client is freed: the gate (audits what was still on its way) and the jobs. */
void ui_act_session_free(struct ui *ui);
/* A view's action key: true when key starts an action there (handled, whatever follows). */
bool ui_act_key_action(struct ui *ui, size_t vi, int key);
/* A key while a dialog is open. */
void ui_act_key(struct ui *ui, int key);
/* Time passed and answers came: runs tick, ended ones report. Returns ms to the next tick,
 * or -1. */
int ui_act_tick(struct ui *ui, int64_t now);
void ui_act_draw(struct ui *ui);
void ui_act_writes(struct ui *ui, const char *arg);
/* Marks ui->dialog (filled by the caller) open for purpose (enum ui_dialog_for). */
void ui_act_open_dialog(struct ui *ui, int purpose);
/* q, :q, Ctrl-C: quits, or asks first while jobs run. */
void ui_request_quit(struct ui *ui);
/* A :profile/:region switch must wait while jobs run: false with a message then. */
bool ui_act_can_switch(struct ui *ui);
bool ui_act_read_only(const struct ui *ui);
/* A run started without a job: "what…" on the status line (the ellipsis from ui->glyphs). */
void ui_act_say_started(struct ui *ui, const char *what);

/* ui_boxes.c */
/* `?`: the help box for the view on screen; `:cli`: the aws CLI hand-off box. */
void ui_help_open(struct ui *ui);
/* "312 requests/min over the last 60 s: sqs 300, ..." (reqrate.h), for :stats and `?`. */
void ui_request_rate(struct ui *ui, char *out, size_t outlen);
void ui_cli_open(struct ui *ui);
void ui_popup_close(struct ui *ui);
/* `y`: text (already sanitised) to the clipboard (OSC 52, written after the next frame);
 * what names it in the status line. */
void ui_copy(struct ui *ui, const char *text, const char *what);
/* Writes the pending clipboard sequence; ui_render calls it after doupdate(). */
void ui_clip_flush(struct ui *ui);

/* ui_signin.c */
/* Opens the SSO sign-in dialog for profile and starts the device authorization: 0, or -1
 * with why (one line: the profile and what its config lacks). */
int ui_signin_open(struct ui *ui, const char *profile, char *why, size_t whylen);
/* Each turn of the loop: shows what the sign-in's answers changed, ends it on approval,
 * and offers it once when the active profile's SSO token is missing or expired. */
void ui_signin_tick(struct ui *ui);
/* A key's result while the sign-in dialog is open. */
void ui_signin_key(struct ui *ui, enum dialog_result res);
/* Before the client is freed: the sign-in's calls are dropped. */
void ui_signin_end(struct ui *ui);
struct sso_signin_info;
/* The dialog's status line for the sign-in's state ("asking for a code…"). */
void ui_signin_status(const struct ui *ui, const struct sso_signin_info *in, char *status,
                      size_t n);

/* ui_loop.c */
void ui_loop(struct ui *ui);
void ui_key(struct ui *ui, int key);
/* Writes the screen (curscr) as UTF-8 text to path, 0600. 0, or -1 with errno. */
int ui_dump(const char *path);

#endif
