/* osc52.h - the terminal's clipboard: OSC 52 ("ESC ] 52 ; c ; base64 BEL"), which xterm,
 * kitty, iTerm2, Windows Terminal and others honour, also over SSH, with no X server.
 * tmux passes it on (and keeps a paste buffer of it) when its set-clipboard option is on
 * (`set -g set-clipboard on`; the default "external" ignores applications). The text is
 * base64: nothing in it can act as an escape sequence. */
#ifndef OPSDECK_OSC52_H
#define OPSDECK_OSC52_H

/* The sequence that puts text on the clipboard. The caller frees. */
char *osc52_sequence(const char *text);

#endif
