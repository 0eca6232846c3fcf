/* movejournal.h - what the client-side mover (redrive.c) has in hand, on disk, so that a
 * mover killed at any point can be resumed without losing a message.
 *
 * One file per (source queue, destination queue) pair, next to the audit log:
 * $XDG_STATE_HOME/opsdeck/redrive/<sha256(source "\n" destination), 16 hex>.jsonl, mode
 * 0600. One JSON object per line, each batch of lines fsync'd before the mover goes on:
 *   {"op":"move","from":URL,"to":URL}   the first line: which move this file is for
 *   {"op":"recv","rh":HANDLE,"id":ID}   received from the source, not yet confirmed sent
 *   {"op":"sent","rh":HANDLE}           the destination confirmed it: may be deleted
 *   {"op":"done","rh":HANDLE}           deleted from the source, or released there
 * The order is the promise: a "sent" line is written only after the destination answered
 * for that message, and the mover deletes only messages whose "sent" line is on disk. On
 * resume, "sent" messages are deleted and "recv" ones released (visibility 0): a message
 * whose send was on the way when the mover died may then be sent twice, never lost.
 *
 * Replaying is conservative: a line that does not parse, a torn last line, a "sent" or
 * "done" for a handle never received, or an unknown op is skipped and counted; a "sent"
 * counts only after its "recv". So a damaged file can cause duplicates, not deletions. */
#ifndef OPSDECK_MOVEJOURNAL_H
#define OPSDECK_MOVEJOURNAL_H

#include <stdbool.h>
#include <stddef.h>

#define MOVEJOURNAL_LINE_MAX 8192   /* longer lines are not ours (a receipt handle is <= 1 KiB) */

enum mj_state { MJ_RECEIVED, MJ_SENT };

struct mj_entry {
    char *rh;                /* the receipt handle it was received with */
    char *id;                /* its MessageId ("" when the line had none) */
    enum mj_state state;
};

/* What a journal says is still in hand. */
struct mj_pending {
    struct mj_entry *e;
    size_t n;
    size_t skipped;          /* lines replay ignored */
    char *from, *to;         /* the "move" line's queues, NULL when it had none */
};

/* The journal's path for a move, or NULL when neither XDG_STATE_HOME nor HOME is set. */
char *movejournal_path(const char *from_url, const char *to_url);

/* Replays text (a journal's content) into out (free with mj_pending_free). Never fails. */
void movejournal_replay(const char *text, size_t len, struct mj_pending *out);
void mj_pending_free(struct mj_pending *p);
/* Counts of entries in each state. */
size_t mj_pending_count(const struct mj_pending *p, enum mj_state st);

struct movejournal;

/* Opens (creating it, and its directory 0700) the journal at path and replays what it
 * holds into pending. A journal whose "move" line names another pair of queues is refused.
 * NULL with why on failure. A new file gets its "move" line at once. */
struct movejournal *movejournal_open(const char *path, const char *from_url, const char *to_url,
                                     struct mj_pending *pending, char *why, size_t whylen);
/* Appends one line per handle (ids only for "recv", may be NULL otherwise) and fsyncs.
 * op is "recv", "sent" or "done". 0, or -1 with why: the caller must then not go on. */
int movejournal_write(struct movejournal *j, const char *op, const char *const *rh,
                      const char *const *ids, size_t n, char *why, size_t whylen);
/* Closes; remove: unlink the file too (nothing is in hand any more). */
void movejournal_close(struct movejournal *j, bool remove);
const char *movejournal_file(const struct movejournal *j);
/* Messages the journal says are still in hand (received or sent, not done). */
size_t movejournal_held(const struct movejournal *j);

/* For tests: the function that makes lines durable (fsync by default). */
void movejournal_set_sync(struct movejournal *j, int (*sync)(int fd));

#endif
