/* mfa_tty.h - the headless MFA prompt: asks on the controlling terminal (/dev/tty). */
#ifndef OPSDECK_MFA_TTY_H
#define OPSDECK_MFA_TTY_H

#include <stddef.h>

/* A creds_mfa_fn (creds.h) for commands run from a shell: writes
 * "MFA code for <serial> (profile <p>): " on /dev/tty, reads the code with echo off and
 * accepts exactly 6 digits (3 tries). It never uses stdin or stdout, so it works while they
 * are pipes (`opsdeck snapshot --json | jq`). The terminal's echo is restored on every path,
 * including SIGINT/SIGTERM/SIGHUP/SIGQUIT (restored, then the signal is re-raised).
 * Returns 0 with the code in code, or -1: no terminal, end of input, cancelled, invalid. */
int creds_mfa_tty_prompt(void *ud, const char *profile, const char *serial, char *code,
                         size_t len);
/* creds_mfa_tty_prompt as a creds_mfa_fn (creds.h) that always answers at once: 1 with the
 * code, or -1. */
int creds_mfa_tty_ask(void *ud, unsigned long id, const char *profile, const char *serial,
                      char *code, size_t len);

#endif
