/* dialog.h - the console's dialogs, for every view: a yes/no confirmation, a typed
 * confirmation, a small form (act/form.h) and a job's progress. Keyboard only, Esc always
 * cancels (or hides a progress dialog), all text sanitised, usable at 80x24.
 *
 * A dialog is plain state plus two functions: dialog_key (no curses: tested without a
 * terminal) says what the key did, dialog_draw puts the dialog over the screen. The
 * framework (ui_act.c) decides what follows: the gate, the editor, the next dialog.
 *
 * Keys:
 *   confirm   y or Enter on [Yes]: yes; n, Esc: no; Left/Right/Tab: between the buttons
 *   typed     the name, Enter: confirm when it is exactly the name; Esc: cancel
 *   form      Tab/Down (one-line fields)/Enter (one-line fields): next field; Shift-Tab/Up:
 *             previous; Left/Right on a choice: the other choices; in a multi-line field
 *             Enter is a line break and Ctrl-E opens $VISUAL/$EDITOR on it; Enter on
 *             [Send] or Ctrl-X anywhere: send; Esc: cancel
 *   progress  c: cancel the job (asks nothing more: cancelling never writes); Enter, Esc:
 *             hide (the job goes on: :jobs)
 *   signin    y: copy the URL that carries the code; Esc: cancel the sign-in; Enter once it
 *             ended: try again after a failure, close after success */
#ifndef OPSDECK_DIALOG_H
#define OPSDECK_DIALOG_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "act/form.h"
#include "ui/cmdline.h"
#include "look/glyph.h"
#include "ui/textedit.h"
#include "look/theme.h"
#include "poll/store.h"

enum dialog_kind { DIALOG_CONFIRM, DIALOG_TYPED, DIALOG_FORM, DIALOG_PROGRESS, DIALOG_SIGNIN };

enum dialog_result {
    DIALOG_OPEN,        /* still open */
    DIALOG_OK,          /* yes / confirmed / send */
    DIALOG_CANCEL,      /* no / Esc: nothing happens */
    DIALOG_EDITOR,      /* form: edit the focused multi-line field in $VISUAL/$EDITOR */
    DIALOG_CHANGED,     /* form: a field's value changed (name in dialog_changed) */
    DIALOG_HIDE,        /* progress: closed, the job goes on */
    DIALOG_STOP,        /* progress: cancel the job */
    DIALOG_COPY,        /* signin: copy the verification URL */
};

/* What the SSO sign-in dialog shows, refreshed by its owner at each change (copied). */
struct dialog_signin {
    const char *uri;          /* the verification URL, NULL until known */
    const char *uri_complete; /* the URL that carries the code, NULL when none */
    const char *code;         /* the user code, NULL until known */
    const char *status;       /* "waiting for approval (asked 3 times)" */
    const char *error;        /* one line: the cause and the fix; NULL none */
    int64_t expires_ms;       /* mono ms the code expires at; 0 unknown */
    int64_t now_ms;           /* mono ms now, for the countdown (set before each draw) */
    bool ended;               /* done or failed: Enter retries or closes */
};

struct dialog {
    enum dialog_kind kind;
    char *title;              /* on the border: the action */
    char *what;               /* "Send a test message: orders" */
    char *where;              /* "profile dev · account 1234 · region eu-west-1" */
    bool production;          /* a PRODUCTION mark in the production style */
    char *ok_label;           /* "Send", "Yes", "Turn writes on" */
    int button;               /* confirm: 0 yes, 1 no */

    /* typed */
    char *expect;             /* what must be typed */
    char *prompt;             /* "Type the queue's name to confirm" */
    struct lineedit le;

    /* form */
    struct form *form;        /* borrowed */
    size_t focus;             /* a field's index, or form->n for the [Send] button */
    struct textedit te;       /* the focused field's text while it has focus */
    bool te_on;
    size_t scroll;            /* first field shown when they do not all fit */
    char *changed;            /* the field the last DIALOG_CHANGED is about */
    char error[512];          /* the last check's complaint, "" none */

    /* progress */
    char job_key[16];

    /* signin: owned copies of struct dialog_signin's strings */
    char *signin_uri, *signin_uri_complete, *signin_code, *signin_status, *signin_error;
    int64_t signin_expires_ms, signin_now_ms;
    bool signin_ended;
};

/* The looks a dialog is drawn with. */
struct dialog_style {
    const struct glyphs *glyphs;
    attr_t normal, border, title, focus, field, error, dim, production;
};

void dialog_confirm(struct dialog *d, const char *title, const char *what, const char *where,
                    bool production, const char *ok_label);
void dialog_typed(struct dialog *d, const char *title, const char *what, const char *where,
                  bool production, const char *prompt, const char *expect);
/* f is borrowed and must outlive the dialog. */
void dialog_form(struct dialog *d, struct form *f, const char *what, const char *where,
                 bool production, const char *ok_label);
void dialog_progress(struct dialog *d, const char *title, const char *what,
                     const char *job_key);
/* The SSO sign-in: what (the profile), where (the start URL); dialog_signin_set fills the
 * rest as the sign-in goes on. */
void dialog_signin(struct dialog *d, const char *title, const char *what, const char *where);
void dialog_signin_set(struct dialog *d, const struct dialog_signin *si);
void dialog_done(struct dialog *d);

enum dialog_result dialog_key(struct dialog *d, int key);
/* The field a DIALOG_CHANGED was about. */
const char *dialog_changed(const struct dialog *d);
/* Shows why the form cannot be sent and moves to the field at fault ((size_t)-1: stay). */
void dialog_set_error(struct dialog *d, const char *why, size_t field);
/* The form's values were changed from outside (a template, the editor): shown afresh. */
void dialog_reload(struct dialog *d);
/* The focused field's text, and replacing it (after the editor). */
const char *dialog_field_text(const struct dialog *d);
void dialog_set_field_text(struct dialog *d, const char *text);
/* Whether the focused field is a multi-line one (where Ctrl-E applies). */
bool dialog_field_multiline(const struct dialog *d);

/* Draws d centred on stdscr's size, into its own window (wnoutrefresh only). The
 * progress dialog reads its job's row from store. */
void dialog_draw(struct dialog *d, const struct dialog_style *st, const struct store *store);

#endif
