/* toggle.h - what the audit log says of the flips of one switch (toggle.c writes them):
 * the toggles pane's "Flipped here" line. AWS says when a switch last changed and, for a
 * parameter, who; it says nothing of who disabled a rule, and CloudTrail is out of reach.
 * The audit log knows the flips this user's opsdeck made, console or headless. */
#ifndef OPSDECK_TOGGLE_H
#define OPSDECK_TOGGLE_H

#include <stddef.h>

/* How much of the log's end is read: a pane opening pays a bounded read however long the
 * log has grown (a flip older than this is not found). */
#define TOGGLE_AUDIT_TAIL (1024 * 1024)

/* The latest flip of a switch, as its audit lines say (untrusted text: anyone with the
 * user's rights may have edited the file; sanitise before showing). */
struct toggle_flip_seen {
    char *time;       /* the request line's time, as written ("2026-12-04T14:02:03.123Z") */
    char *by;         /* the caller's ARN, NULL when the gate did not know it */
    char *profile;
    char *before, *after;   /* "on" / "off" */
    char *status;     /* the outcome: "ok", "failed", "unknown"; NULL: no outcome line yet */
    char *error;      /* a failed outcome's error code (or message), or NULL */
};

/* The latest flip of the switch of store kind `kind` ("mapping", "rule", "parameter") and
 * key (the audit's resource: a UUID, "BUS/RULE", a parameter's name) in the last
 * TOGGLE_AUDIT_TAIL bytes of the audit log at path. account and region, when given, must
 * match the line's when it has them (the same rule name in another account is another
 * rule). 1 with *out filled (free with toggle_flip_seen_free), 0 when there is none, -1
 * with why when the log cannot be read. */
int toggle_last_flip(const char *path, const char *kind, const char *key, const char *account,
                     const char *region, struct toggle_flip_seen *out, char *why,
                     size_t whylen);
void toggle_flip_seen_free(struct toggle_flip_seen *f);

#endif
