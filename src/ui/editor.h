/* editor.h - a message body edited in the user's own editor ($VISUAL, else $EDITOR), as
 * git and crontab do: the text goes to a 0600 temporary file, the editor runs on it in the
 * terminal (the console has stepped aside: the caller's job), and the file is read back.
 *
 * This is the one place the console waits for a child process: while the editor runs the
 * loop does not turn (no poll, no redraw: nothing may write to the terminal the editor
 * owns), requests in flight simply wait in curl, and the signals the console catches
 * (resize, terminate) are kept and handled once it is back. SIGINT and SIGQUIT, which the
 * terminal sends to the editor's whole process group when the user presses Ctrl-C or
 * Ctrl-\ in it, are ignored by the console meanwhile, as system(3) does. */
#ifndef OPSDECK_EDITOR_H
#define OPSDECK_EDITOR_H

#include <stddef.h>

/* $VISUAL, else $EDITOR, when set and not empty; NULL otherwise. */
const char *editor_command(void);

/* Runs the editor on text; 0 with *out the edited text (the caller frees; one final
 * newline, which editors add, is taken off when text had none), -1 with why when the
 * editor could not run or failed (the text is then unchanged). max: bytes the result may
 * hold. */
int editor_edit(const char *text, size_t max, char **out, char *why, size_t whylen);

#endif
