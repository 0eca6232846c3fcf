/* store.h - the latest snapshot of every resource the console shows.
 *
 * Poll sources write the store (src/poll/sources/, whose sources.h lists every kind and
 * field); views read it and never touch the network. A resource is
 * identified by a kind ("queue", "dlq", "topic", "bucket", "identity", ...) and a stable
 * key within it (queue URL, topic ARN, bucket name), so a view can keep its cursor on a row
 * by key across refreshes. Each resource holds named fields (string, int64, double or
 * unknown), when it was fetched, its last error, whether it is stale (a poll failed after
 * the last good fetch: the good values stay, with their age), a short history per numeric
 * field for sparklines, and the first value seen per numeric field ("change since the
 * console opened").
 *
 * Single-threaded, like the rest of the console: no locks. Times are milliseconds on the
 * store's clock (wall clock by default, so a recording carries real times; tests inject
 * one). Pointers returned by readers (resources, values, strings) stay valid until the next
 * call that writes the store; a view re-reads by key, never keeps a pointer across polls.
 * No ncurses here: the store is plain data, testable and replayable without a terminal. */
#ifndef OPSDECK_STORE_H
#define OPSDECK_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/awserr.h"

/* Points kept per (resource, field): one poll every 10 s gives ten minutes of sparkline. */
#define STORE_HISTORY_LEN 60

struct store;
struct store_res;

enum store_type {
    STORE_UNKNOWN = 0,  /* AWS did not say (attribute missing, metric without datapoints) */
    STORE_STR,
    STORE_INT,
    STORE_DOUBLE,
};

struct store_value {
    enum store_type type;
    union {
        const char *s;  /* owned by the store when read from it; borrowed when written */
        int64_t i;
        double d;
    } u;
};

struct store_point {
    int64_t time;  /* ms, the time of the poll result that brought the value */
    double value;
};

/* What observers hear. The UI marks the screen dirty here; the recorder for replay hangs
 * here too. The store only calls them. */
enum store_event_type {
    STORE_EV_FIELD,    /* a field was set by a poll result (changed tells if it differs) */
    STORE_EV_FETCHED,  /* a poll result for key was committed (fetch time = time) */
    STORE_EV_ERROR,    /* a poll failed; key is NULL when the whole kind's list failed */
    STORE_EV_REMOVED,  /* key disappeared from its kind's list */
    STORE_EV_LISTED,   /* a list ended (store_list_end); key is its prefix, NULL: the kind */
};

struct store_event {
    enum store_event_type type;
    const char *kind;
    const char *key;                 /* NULL for a kind-level error */
    const char *field;               /* STORE_EV_FIELD only */
    const struct store_value *value; /* STORE_EV_FIELD only */
    bool changed;                    /* STORE_EV_FIELD: differs from the previous value */
    const struct aws_error *error;   /* STORE_EV_ERROR only */
    int64_t time;
};

/* Called for every event, after the store has applied it. It must not write the store nor
 * add or remove observers. */
typedef void (*store_observer_fn)(const struct store_event *ev, void *arg);
typedef int64_t (*store_clock_fn)(void *arg);

/* Per kind: what a view needs to know whether to re-read and what to say in the status line. */
struct store_kind_info {
    uint64_t generation;       /* bumped on any change in the kind (values, rows, errors) */
    uint64_t rows_generation;  /* bumped only when rows are added or removed */
    size_t count;
    int64_t fetched;           /* last successful list of the whole kind, 0 if never */
    bool stale;                /* the last list poll of the whole kind failed, or the kind
                                * is overdue */
    bool overdue;              /* no successful read for longer than store_kind_expect's age */
    const struct aws_error *error;  /* last list error (when overdue: the expectation's
                                     * error), NULL if none ever */
    int64_t error_time;
    /* Ever read: the time of the last good data of any kind (a list ended, a prefix list
     * ended, a row committed); 0: nothing was ever read, so a view says "not read yet" or,
     * with last_error, "cannot read", never an empty list. */
    int64_t updated;
    const struct aws_error *last_error;  /* the latest failure of the list or of any row */
    int64_t last_error_time;
};

struct store *store_new(void);
void store_free(struct store *s);
void store_set_clock(struct store *s, store_clock_fn fn, void *arg);
/* Observers are called in the order they were added. Removing one that was never added
 * does nothing. */
void store_add_observer(struct store *s, store_observer_fn fn, void *arg);
void store_remove_observer(struct store *s, store_observer_fn fn, void *arg);
int64_t store_now(const struct store *s);
/* Bumped whenever any kind's generation is: one number to compare for "anything new?". */
uint64_t store_generation(const struct store *s);

/* Values to write; strings are copied by the store. */
struct store_value store_value_str(const char *s);  /* NULL gives unknown */
struct store_value store_value_int(int64_t i);
struct store_value store_value_double(double d);
struct store_value store_value_unknown(void);

/* Writing one poll result: begin (finds or creates the row, takes the time once), set the
 * fields the poll returned (fields it did not return keep their values: attributes and
 * CloudWatch arrive from different polls), commit (stamps the fetch time, clears stale).
 * Numeric sets append a history point; the first numeric value seen becomes the baseline. */
struct store_res *store_update_begin(struct store *s, const char *kind, const char *key);
void store_set(struct store_res *r, const char *field, struct store_value v);
void store_set_str(struct store_res *r, const char *field, const char *v);
void store_set_int(struct store_res *r, const char *field, int64_t v);
void store_set_double(struct store_res *r, const char *field, double v);
void store_set_unknown(struct store_res *r, const char *field);
void store_update_commit(struct store_res *r);

/* A poll for one resource failed: keep its values, record the error, mark it stale. Creates
 * the row (with no fields, fetched 0) when the key was never seen, so the error shows. */
void store_fail(struct store *s, const char *kind, const char *key, const struct aws_error *err);

/* Replacing a whole list (ListQueues + attributes): list_begin, one update per resource
 * present, list_end removes every row of the kind not updated since list_begin. Rows still
 * present are updated in place, so a view keeps its cursor by key. When the list poll fails,
 * call store_list_fail instead of list_end: nothing is removed, every row of the kind reads
 * as stale with that error, until the next list_end. */
/* How long a kind may go without a successful read before it is stale: its poll interval
 * plus the request timeout, so an endpoint that accepts and never answers shows as stale at
 * once, not when the retries give up. From then on store_kind_info says stale and overdue
 * (with `late`, copied, as the error when no newer one came) and every row of the kind not
 * fetched within max_age_ms reads stale. A list whose every row failed (store_fail between
 * list_begin and list_end, nothing committed) is a failed list: the kind's fetch time stays
 * at the last good read. 0 turns the expectation off. Called again as intervals change. */
void store_kind_expect(struct store *s, const char *kind, int64_t max_age_ms,
                       const struct aws_error *late);

/* Rows of kind may be read less often than its list (off-screen queues, adaptive.h): one
 * reads stale only when not fetched within row_max_age_ms (if longer than the kind's
 * max_age; 0: the kind's). The kind's own staleness is unchanged. */
void store_kind_expect_rows(struct store *s, const char *kind, int64_t row_max_age_ms);

void store_list_begin(struct store *s, const char *kind);
/* Within a listing: the row key is still there though this poll did not read it (its values,
 * fetch time and staleness stay as they are); list_end keeps it. False when there is no
 * such row or no listing is open. */
bool store_list_keep(struct store *s, const char *kind, const char *key);
void store_list_end(struct store *s, const char *kind);
void store_list_fail(struct store *s, const char *kind, const struct aws_error *err);

/* Replacing the part of a list whose keys start with prefix (one S3 prefix, one page of a
 * tree) and leaving the other rows of the kind alone: list_begin_prefix, the updates, then
 * store_list_end removes only the unseen rows under prefix. It does not change the kind's
 * fetched time or stale flag (those speak for the whole list), only `updated`. When that
 * listing fails, store_list_fail_prefix marks each row under prefix stale with the error
 * (as store_fail does) and leaves the rest as they are. An empty prefix is the whole kind:
 * the same as store_list_begin and store_list_fail. One listing per kind at a time. */
void store_list_begin_prefix(struct store *s, const char *kind, const char *prefix);
void store_list_fail_prefix(struct store *s, const char *kind, const char *prefix,
                            const struct aws_error *err);

/* Reading a kind: rows in key order (strcmp), index 0..count-1, lookup by key in O(log n). */
void store_kind_info(const struct store *s, const char *kind, struct store_kind_info *out);
size_t store_count(const struct store *s, const char *kind);
const struct store_res *store_at(const struct store *s, const char *kind, size_t i);
const struct store_res *store_find(const struct store *s, const char *kind, const char *key);
/* Index of key, or of the first row after it when it is gone: where a cursor moves when its
 * row disappears. Equal to count when every row sorts before key. */
size_t store_seek(const struct store *s, const char *kind, const char *key, bool *found);

/* Reading a resource. */
const char *store_res_key(const struct store_res *r);
const char *store_res_kind(const struct store_res *r);
int64_t store_res_fetched(const struct store_res *r);  /* 0 if never fetched */
/* ms since the last good fetch on the store's clock, -1 if never fetched. */
int64_t store_res_age(const struct store_res *r);
/* A poll (of the row or of its kind's list) failed after the last good fetch. */
bool store_res_stale(const struct store_res *r);
/* The error that made it stale, or the last one when not stale; NULL if none ever. */
const struct aws_error *store_res_error(const struct store_res *r, int64_t *when);

/* A field's value; type STORE_UNKNOWN (never NULL) when the field was never set. */
const struct store_value *store_res_get(const struct store_res *r, const char *field);
int64_t store_res_field_time(const struct store_res *r, const char *field);  /* 0 if never */
const char *store_res_str(const struct store_res *r, const char *field);  /* NULL unless str */
bool store_res_int(const struct store_res *r, const char *field, int64_t *out);
bool store_res_num(const struct store_res *r, const char *field, double *out);  /* int or double */

/* History: copies the last min(n, kept) points, oldest first; returns how many. */
size_t store_res_history(const struct store_res *r, const char *field, size_t n,
                         struct store_point *out);
/* Min and max over the last n points; false when there are none. */
bool store_res_history_range(const struct store_res *r, const char *field, size_t n,
                             double *min, double *max);
/* Current value minus the first value seen for the field since the row appeared; false
 * when the field has no numeric value now or never had one. */
bool store_res_change(const struct store_res *r, const char *field, double *delta);
bool store_res_baseline(const struct store_res *r, const char *field, struct store_point *out);

#endif
