/* utf8.h - reading and writing UTF-8, one implementation for the whole program.
 *
 * Text from AWS, local files and the keyboard is decoded here and nowhere else, so every
 * part of the console agrees on what is a character and what is a stray byte (which
 * sanitize_text() then shows as \xNN). The locale is not consulted: opsdeck reads UTF-8 the
 * same way whatever the terminal's charset. */
#ifndef OPSDECK_UTF8_H
#define OPSDECK_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The character at s, of at most n bytes: its length (1 to 4) with *cp set, or 0 when the
 * bytes there are not a character (a stray continuation byte, an overlong form, a
 * surrogate, a value past U+10FFFF, a sequence cut short by n or by a NUL). A caller that
 * walks text treats a 0 as one byte on its own. n may be SIZE_MAX for a NUL-terminated
 * string: a NUL is never part of a sequence, so nothing past it is read. */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Writes cp into out (room for 4 bytes) and returns the length; a surrogate or a value
 * past U+10FFFF is written as U+FFFD, the replacement character. */
size_t utf8_encode(uint32_t cp, char out[4]);

/* s[0..n) is text: every byte part of a character (utf8_decode) and no NUL, so it can stand
 * as a JSON string that every reader takes back byte for byte. */
bool utf8_is_text(const char *s, size_t n);

#endif
