/* audit.h - the audit log of writes: $XDG_STATE_HOME/opsdeck/audit.jsonl (else
 * ~/.local/state/opsdeck/audit.jsonl), one JSON object per line.
 *
 * The write gate (gate.h) appends a "request" line before it lets a mutating request go and
 * an "outcome" line when the request ends; this module only writes and reads lines. Each
 * line is appended with O_APPEND to a regular file of mode 0600 (the directory is made 0700
 * when missing) and fsync'd before audit_append returns, so a line the gate was told is
 * written survives a crash of the machine. A line that cannot be written is an error the
 * caller must act on: the gate does not send a request whose line is not on disk.
 *
 * Reading (`opsdeck audit`) returns the last lines as parsed objects; a line that is not a
 * JSON object (a torn write, an edited file) comes back as an entry that says so, so one bad
 * line never hides the others. Everything read is untrusted text: print it through
 * sanitize_text / sanitize_json. */
#ifndef OPSDECK_AUDIT_H
#define OPSDECK_AUDIT_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/* A line longer than this is not one of ours: read back as malformed. */
#define AUDIT_LINE_MAX (64 * 1024)

struct audit;

/* $XDG_STATE_HOME/opsdeck/audit.jsonl when XDG_STATE_HOME is absolute, else
 * $HOME/.local/state/opsdeck/audit.jsonl; NULL when neither is set. The caller frees. */
char *audit_default_path(void);

/* mkdir -p of path's directory; components made here are 0700 (the XDG state directory
 * holds what other users must not read). 0, or -1 with errno. */
int audit_make_parent(const char *path);

/* path NULL: audit_default_path() (which may be NULL: then every append fails and says
 * why). Nothing is opened until the first append. */
struct audit *audit_new(const char *path);
void audit_free(struct audit *a);
/* The file written, or NULL when there is no location. */
const char *audit_path(const struct audit *a);

/* Appends obj as one line. 0 when the line is written and fsync'd; -1 with a one-line
 * reason in why (which file, the system's error, the fix) when it is not. */
int audit_append(struct audit *a, const cJSON *obj, char *why, size_t whylen);

/* For tests: the function that makes the line durable (fsync by default), so a test sees
 * when it is called and can make it fail. */
void audit_set_sync(struct audit *a, int (*sync)(int fd));

/* One line read back. */
struct audit_entry {
    int line;          /* its line number in the file */
    cJSON *obj;        /* the object, or NULL when the line is malformed */
    char *problem;     /* why it is malformed ("not a JSON object", "holds a NUL byte",
                        * "longer than 64 KiB", "empty line"), or NULL */
};

/* The last n lines of path (n 0: none), oldest first. 0 with *out (free with
 * audit_entries_free) and *nout set, even when some lines are malformed; 1 when the file
 * does not exist (no write was ever audited: *nout 0); -1 with why when it cannot be read. */
int audit_read_last(const char *path, size_t n, struct audit_entry **out, size_t *nout,
                    char *why, size_t whylen);
void audit_entries_free(struct audit_entry *e, size_t n);

/* Calls fn on each line in the last max_bytes of path that is a JSON object, oldest first,
 * and reads no more than that: for a reader on the console's loop (the toggles pane's "last
 * flipped here"), whose cost must not grow with the log. The line the cut falls in, a last
 * line without its newline (a write under way), a line holding a NUL and one longer than
 * AUDIT_LINE_MAX are skipped. obj is freed when fn returns. 0 when read, 1 when the file
 * does not exist, -1 with why when it cannot be read or is not a regular file. */
int audit_scan_tail(const char *path, size_t max_bytes,
                    void (*fn)(const cJSON *obj, void *arg), void *arg, char *why,
                    size_t whylen);

#endif
