/* sanitize.h - untrusted text (anything from AWS) made safe for a terminal.
 *
 * Names, keys, tags and message bodies can hold escape sequences (ESC [2J, OSC 52 that writes
 * the user's clipboard), other control characters, bidi overrides that reorder what is shown,
 * and invalid UTF-8. None of it may reach the terminal as it is. */
#ifndef OPSDECK_SANITIZE_H
#define OPSDECK_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>

/* A copy of s fit for a terminal: C0/C1 controls and DEL as \xNN (\t \n \r as \t \n \r),
 * bidi controls (U+061C, U+200E-200F, U+202A-202E, U+2066-2069) as \u{NNNN}, invalid UTF-8
 * bytes as \xNN, a backslash doubled so the escapes cannot be forged. The caller frees. */
char *sanitize_text(const char *s, size_t len);

/* Whether the terminal takes UTF-8. When it does not (a C/POSIX or Latin-1 locale, or the
 * console's --ascii), sanitize_text also writes every non-ASCII character as \u{NNNN}:
 * raw UTF-8 bytes would be drawn as garbage ("caf" for "café", ~W for a CJK character) and
 * shift the columns after them, while an escape is plain ASCII of a known width. The
 * default is UTF-8; a program sets this once at start. sanitize_json is not affected (JSON
 * is UTF-8 whatever the locale). */
void sanitize_set_utf8(bool utf8);
bool sanitize_utf8(void);
/* True when the current LC_CTYPE (set by setlocale() before) is UTF-8. */
bool sanitize_locale_is_utf8(void);

/* For JSON text printed by cJSON (which escapes only U+0000-001F): re-escapes DEL, C1 controls
 * and bidi controls inside the document as \uNNNN, which is still valid JSON for the same
 * string, and replaces invalid UTF-8 by \ufffd. The caller frees. */
char *sanitize_json(const char *json);

#endif
