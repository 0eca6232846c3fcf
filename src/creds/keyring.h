/* keyring.h - credentials in the OS keyring (the Secret Service, through libsecret).
 *
 * One item per (profile, kind) under the schema "org.opsdeck.Credentials"; kind is
 * KEYRING_LONG_TERM (keys added with `opsdeck creds add`) or KEYRING_SESSION (assumed-role,
 * MFA and SSO sessions cached so a restart does not ask for MFA again). The secret is a small
 * JSON document; the attributes (visible without unlocking) hold no secret.
 *
 * Whether a keyring can be used is probed once per process. When it cannot (no D-Bus session:
 * the usual SSH case; no Secret Service; a locked keyring), the first caller that needs it
 * makes ONE line appear on stderr (or through the notify hook) and everything carries on
 * with memory-only caching: there is never a plain-text fallback. Built without libsecret,
 * every function reports "not built with libsecret". OPSDECK_KEYRING=off turns the keyring
 * off (tests that must not touch the keyring of the person running them), silently.
 * libsecret is dlopen()ed on first use, not linked: a run that never needs the keyring does
 * not load GLib at all (start-up time and RSS); a libsecret that cannot be loaded is the
 * same one-line "no keyring" path. */
#ifndef OPSDECK_KEYRING_H
#define OPSDECK_KEYRING_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/awserr.h"
#include "creds/creds.h"

#define KEYRING_LONG_TERM "long-term"
#define KEYRING_SESSION "session"

/* Is a keyring usable? Probes on the first call only. When it is not and announce is true,
 * the one-line notice is emitted (once per process, whoever asks). *reason (may be NULL)
 * is set to a static text such as "no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set)". */
bool keyring_available(bool announce, const char **reason);

/* Emits the notice if the keyring was needed (probed) and found unusable; nothing otherwise.
 * The manager calls it once credentials are resolved: when resolution fails, its one error
 * line names the keyring's state instead, so a failing command still prints one line. */
void keyring_notice(void);

/* Where the notice goes instead of stderr (the console shows it in its status line). */
void keyring_set_notify(void (*fn)(const char *line));

/* What a stored item carries besides the credential (all may be NULL). */
struct keyring_meta {
    char *method;       /* the provider that produced it: "assume-role", "sso", ... */
    char *fingerprint;  /* of the profile settings it was made for: stale when they change */
};

/* Stores c for (profile, kind), replacing what was there. 0, or -1 with err set. */
int keyring_store(const char *profile, const char *kind, const struct aws_credentials *c,
                  const struct keyring_meta *meta, struct aws_error *err);
/* 1 and *out (and *meta, when given: keyring_meta_done it) when found; 0 when nothing is
 * stored; -1 with err set when the keyring fails or the item cannot be parsed. */
int keyring_lookup(const char *profile, const char *kind, struct aws_credentials **out,
                   struct keyring_meta *meta, struct aws_error *err);
/* 1 when an item was removed, 0 when there was none, -1 with err set. */
int keyring_delete(const char *profile, const char *kind, struct aws_error *err);

/* One stored item as `opsdeck creds list` shows it: never a secret. */
struct keyring_item {
    char profile[128];
    char kind[16];
    char key_mask[32];   /* "...ABCD" */
    time_t expiration;   /* 0: does not expire */
    char method[48];
};
/* Every opsdeck item, sorted by profile then kind. Returns the count (items is a new array
 * the caller frees), or -1 with err set. */
long keyring_list(struct keyring_item **items, struct aws_error *err);

void keyring_meta_done(struct keyring_meta *meta);

/* The provider "keyring" (creds_provider.h): long-term keys stored with `opsdeck creds add`
 * for the profile being resolved; skips when there are none or no keyring is usable. In the
 * provider table just before "shared-credentials-file". */
struct creds_provider;
extern const struct creds_provider creds_provider_keyring;

/* The secret JSON, shared with the tests: encode returns a string to wipe with
 * xfree_secret; decode returns 0, or -1 with err set (and outputs untouched). */
char *keyring_encode(const struct aws_credentials *c, const struct keyring_meta *meta);
int keyring_decode(const char *json, struct aws_credentials **out, struct keyring_meta *meta,
                   struct aws_error *err);

#endif
