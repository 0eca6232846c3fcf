/* sanitize.h - untrusted text (anything from AWS) made safe for a terminal.
 *
 * Names, keys, tags and message bodies can hold escape sequences (ESC [2J, OSC 52 that writes
 * the user's clipboard), other control characters, bidi overrides that reorder what is shown,
 * and invalid UTF-8. None of it may reach the terminal as it is. */
#ifndef OPSDECK_SANITIZE_H
#define OPSDECK_SANITIZE_H

#include <stddef.h>

/* A copy of s fit for a terminal: C0/C1 controls and DEL as \xNN (\t \n \r as \t \n \r),
 * bidi controls (U+061C, U+200E-200F, U+202A-202E, U+2066-2069) as \u{NNNN}, invalid UTF-8
 * bytes as \xNN, a backslash doubled so the escapes cannot be forged. The caller frees. */
char *sanitize_text(const char *s, size_t len);

/* For JSON text printed by cJSON (which escapes only U+0000-001F): re-escapes DEL, C1 controls
 * and bidi controls inside the document as \uNNNN, which is still valid JSON for the same
 * string, and replaces invalid UTF-8 by \ufffd. The caller frees. */
char *sanitize_json(const char *json);

#endif
