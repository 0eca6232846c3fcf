/* store.c - the latest snapshot of every resource, written by poll sources, read by views.
 *
 * Layout: one table per kind (few kinds, found by a linear scan), each a sorted array of row
 * pointers, so lookup is a binary search, iteration is in key order for free, and a list
 * poll that arrives sorted (ListQueues does) appends without moving anything. Field names
 * and kind names are interned once per store: 1000 queues with the same fifteen field names
 * share fifteen strings, and field lookup on write compares pointers. */
#include "config.h"
#include "poll/store.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/xalloc.h"

struct field {
    const char *name;           /* interned */
    struct store_value v;       /* v.u.s owned when STORE_STR */
    int64_t time;               /* when last set */
    bool has_base;
    struct store_point base;    /* first numeric value seen */
    struct store_point *hist;   /* ring; grows to STORE_HISTORY_LEN so idle fields stay small */
    uint8_t hist_start, hist_len, hist_cap;
};

struct table;

struct store_res {
    struct table *table;
    char *key;
    struct field *fields;
    size_t nfields, capfields;
    int64_t fetched;         /* time of the last commit, 0 if never */
    int64_t pending;         /* time taken by update_begin, stamped on commit */
    uint64_t fetch_seq;      /* store sequence at the last commit */
    uint64_t seen;           /* the table's sweep when last updated: list_end removes others */
    bool stale;
    struct aws_error *err;   /* allocated on the first failure: most rows never fail */
    int64_t err_time;
    uint64_t err_seq;
};

struct table {
    struct store *store;
    const char *kind;        /* interned */
    struct store_res **rows; /* sorted by key */
    size_t n, cap;
    uint64_t generation, rows_generation;
    uint64_t sweep;
    bool listing;
    char *list_prefix;       /* what the open listing covers; "" the whole kind */
    size_t sweep_ok, sweep_failed;   /* rows committed / failed since list_begin */
    int64_t fetched;
    bool stale;
    struct aws_error *err;
    int64_t err_time;
    uint64_t err_seq;
    int64_t max_age;         /* store_kind_expect: 0 none */
    int64_t row_max_age;     /* store_kind_expect_rows: 0 the same as max_age */
    int64_t expect_since;    /* when the first expectation was set */
    struct aws_error *late;  /* shown when overdue without a newer error */
    int64_t updated;         /* last good data of any kind, 0 never */
    struct aws_error *last_err;  /* latest failure, of the list or a row */
    int64_t last_err_time;
};

struct observer {
    store_observer_fn fn;
    void *arg;
};

struct store {
    struct table **tables;
    size_t ntables;
    char **names;            /* intern hash, open addressing, size a power of two */
    size_t names_cap, names_n;
    store_clock_fn clock;
    void *clock_arg;
    struct observer *observers;
    size_t nobservers;
    uint64_t generation;     /* bumped with every table's */
    /* Orders fetches and failures: two events in the same millisecond (an injected clock,
     * a fast machine) must still say which came last, or a row could read stale after a
     * good fetch. */
    uint64_t seq;
};

static const struct store_value unknown_value = { .type = STORE_UNKNOWN };

static int64_t clock_wall(void *arg)
{
    struct timespec ts;

    (void)arg;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct store *store_new(void)
{
    struct store *s = xcalloc(1, sizeof(*s));

    s->clock = clock_wall;
    s->names_cap = 64;
    s->names = xcalloc(s->names_cap, sizeof(*s->names));
    return s;
}

static void res_free(struct store_res *r)
{
    for (size_t i = 0; i < r->nfields; i++) {
        if (r->fields[i].v.type == STORE_STR)
            free((char *)r->fields[i].v.u.s);
        free(r->fields[i].hist);
    }
    free(r->fields);
    free(r->err);
    free(r->key);
    free(r);
}

void store_free(struct store *s)
{
    if (!s)
        return;
    for (size_t t = 0; t < s->ntables; t++) {
        for (size_t i = 0; i < s->tables[t]->n; i++)
            res_free(s->tables[t]->rows[i]);
        free(s->tables[t]->rows);
        free(s->tables[t]->err);
        free(s->tables[t]->late);
        free(s->tables[t]->last_err);
        free(s->tables[t]->list_prefix);
        free(s->tables[t]);
    }
    free(s->tables);
    for (size_t i = 0; i < s->names_cap; i++)
        free(s->names[i]);
    free(s->names);
    free(s->observers);
    free(s);
}

void store_set_clock(struct store *s, store_clock_fn fn, void *arg)
{
    s->clock = fn ? fn : clock_wall;
    s->clock_arg = fn ? arg : NULL;
}

void store_add_observer(struct store *s, store_observer_fn fn, void *arg)
{
    s->observers = xrealloc(s->observers, (s->nobservers + 1) * sizeof(*s->observers));
    s->observers[s->nobservers++] = (struct observer){ .fn = fn, .arg = arg };
}

void store_remove_observer(struct store *s, store_observer_fn fn, void *arg)
{
    for (size_t i = 0; i < s->nobservers; i++) {
        if (s->observers[i].fn == fn && s->observers[i].arg == arg) {
            memmove(&s->observers[i], &s->observers[i + 1],
                    (s->nobservers - i - 1) * sizeof(*s->observers));
            s->nobservers--;
            return;
        }
    }
}

int64_t store_now(const struct store *s)
{
    return s->clock(s->clock_arg);
}

uint64_t store_generation(const struct store *s)
{
    return s->generation;
}

static void emit(struct store *s, const struct store_event *ev)
{
    for (size_t i = 0; i < s->nobservers; i++)
        s->observers[i].fn(ev, s->observers[i].arg);
}

/* Something in t changed: its generation and the store's move on. */
static void bump(struct table *t)
{
    t->generation++;
    t->store->generation++;
}

/* --- interning --------------------------------------------------------------------- */

static size_t hash_str(const char *p)
{
    size_t h = 2166136261u;  /* FNV-1a */

    for (; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    return h;
}

static const char *intern_find(const struct store *s, const char *name)
{
    size_t mask = s->names_cap - 1;

    for (size_t i = hash_str(name) & mask;; i = (i + 1) & mask) {
        if (!s->names[i])
            return NULL;
        if (strcmp(s->names[i], name) == 0)
            return s->names[i];
    }
}

static void intern_place(char **names, size_t cap, char *name)
{
    size_t i = hash_str(name) & (cap - 1);

    while (names[i])
        i = (i + 1) & (cap - 1);
    names[i] = name;
}

static const char *intern(struct store *s, const char *name)
{
    const char *found = intern_find(s, name);
    char *copy;

    if (found)
        return found;
    if ((s->names_n + 1) * 2 > s->names_cap) {  /* keep the load under one half */
        size_t cap = s->names_cap * 2;
        char **names = xcalloc(cap, sizeof(*names));

        for (size_t i = 0; i < s->names_cap; i++)
            if (s->names[i])
                intern_place(names, cap, s->names[i]);
        free(s->names);
        s->names = names;
        s->names_cap = cap;
    }
    copy = xstrdup(name);
    intern_place(s->names, s->names_cap, copy);
    s->names_n++;
    return copy;
}

/* --- tables and rows --------------------------------------------------------------- */

static struct table *table_find(const struct store *s, const char *kind)
{
    for (size_t i = 0; i < s->ntables; i++)
        if (strcmp(s->tables[i]->kind, kind) == 0)
            return s->tables[i];
    return NULL;
}

static struct table *table_get(struct store *s, const char *kind)
{
    struct table *t = table_find(s, kind);

    if (t)
        return t;
    t = xcalloc(1, sizeof(*t));
    t->store = s;
    t->kind = intern(s, kind);
    s->tables = xrealloc(s->tables, (s->ntables + 1) * sizeof(*s->tables));
    s->tables[s->ntables++] = t;
    return t;
}

/* Lower bound: the index of key, or where it would be inserted. */
static size_t table_seek(const struct table *t, const char *key, bool *found)
{
    size_t lo = 0, hi = t->n;

    /* A sorted list poll appends at the end: check that before searching. */
    if (t->n && strcmp(t->rows[t->n - 1]->key, key) < 0) {
        *found = false;
        return t->n;
    }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(t->rows[mid]->key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < t->n && strcmp(t->rows[lo]->key, key) == 0;
    return lo;
}

static struct store_res *row_get(struct store *s, const char *kind, const char *key)
{
    struct table *t = table_get(s, kind);
    bool found;
    size_t pos = table_seek(t, key, &found);
    struct store_res *r;

    if (found)
        return t->rows[pos];
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->rows = xrealloc(t->rows, t->cap * sizeof(*t->rows));
    }
    memmove(&t->rows[pos + 1], &t->rows[pos], (t->n - pos) * sizeof(*t->rows));
    r = xcalloc(1, sizeof(*r));
    r->table = t;
    r->key = xstrdup(key);
    t->rows[pos] = r;
    t->n++;
    bump(t);
    t->rows_generation++;
    return r;
}

static struct field *field_find(const struct store_res *r, const char *name)
{
    for (size_t i = 0; i < r->nfields; i++)
        if (strcmp(r->fields[i].name, name) == 0)
            return &r->fields[i];
    return NULL;
}

/* --- writing ----------------------------------------------------------------------- */

struct store_value store_value_str(const char *str)
{
    struct store_value v = { .type = str ? STORE_STR : STORE_UNKNOWN };

    v.u.s = str;
    return v;
}

struct store_value store_value_int(int64_t i)
{
    struct store_value v = { .type = STORE_INT };

    v.u.i = i;
    return v;
}

struct store_value store_value_double(double d)
{
    struct store_value v = { .type = STORE_DOUBLE };

    v.u.d = d;
    return v;
}

struct store_value store_value_unknown(void)
{
    return unknown_value;
}

struct store_res *store_update_begin(struct store *s, const char *kind, const char *key)
{
    struct store_res *r = row_get(s, kind, key);

    r->pending = store_now(s);
    r->seen = r->table->sweep;
    return r;
}

static bool value_equal(const struct store_value *a, const struct store_value *b)
{
    if (a->type != b->type)
        return false;
    switch (a->type) {
    case STORE_UNKNOWN: return true;
    case STORE_STR: return strcmp(a->u.s, b->u.s) == 0;
    case STORE_INT: return a->u.i == b->u.i;
    case STORE_DOUBLE: return a->u.d == b->u.d || (isnan(a->u.d) && isnan(b->u.d));
    }
    return false;
}

static bool value_number(const struct store_value *v, double *out)
{
    if (v->type == STORE_INT)
        *out = (double)v->u.i;
    else if (v->type == STORE_DOUBLE && !isnan(v->u.d))
        *out = v->u.d;
    else
        return false;
    return true;
}

static void history_append(struct field *f, struct store_point p)
{
    if (f->hist_len < f->hist_cap) {
        /* Not yet wrapped: hist_start is 0 until the ring is full at its final size. */
        f->hist[f->hist_len++] = p;
        return;
    }
    if (f->hist_cap < STORE_HISTORY_LEN) {
        unsigned cap = f->hist_cap ? f->hist_cap * 2u : 4u;
        if (cap > STORE_HISTORY_LEN)
            cap = STORE_HISTORY_LEN;
        f->hist = xrealloc(f->hist, cap * sizeof(*f->hist));
        f->hist_cap = (uint8_t)cap;
        f->hist[f->hist_len++] = p;
        return;
    }
    f->hist[f->hist_start] = p;
    f->hist_start = (uint8_t)((f->hist_start + 1) % f->hist_cap);
}

void store_set(struct store_res *r, const char *field, struct store_value v)
{
    struct table *t = r->table;
    struct store *s = t->store;
    const char *name = intern(s, field);
    struct field *f = NULL;
    struct store_event ev;
    struct store_point p;
    bool changed;

    for (size_t i = 0; i < r->nfields; i++)
        if (r->fields[i].name == name)
            f = &r->fields[i];
    if (!f) {
        if (r->nfields == r->capfields) {
            r->capfields = r->capfields ? r->capfields * 2 : 8;
            r->fields = xrealloc(r->fields, r->capfields * sizeof(*r->fields));
        }
        f = &r->fields[r->nfields++];
        memset(f, 0, sizeof(*f));
        f->name = name;
        changed = v.type != STORE_UNKNOWN;
    } else {
        changed = !value_equal(&f->v, &v);
    }
    if (changed) {
        /* Copy before freeing: v.u.s may point into the value it replaces. */
        char *copy = v.type == STORE_STR ? xstrdup(v.u.s) : NULL;
        if (f->v.type == STORE_STR)
            free((char *)f->v.u.s);
        f->v = v;
        if (copy)
            f->v.u.s = copy;
        bump(t);
    }
    f->time = r->pending;
    p.time = r->pending;
    if (value_number(&f->v, &p.value)) {
        history_append(f, p);
        if (!f->has_base) {
            f->base = p;
            f->has_base = true;
        }
    }
    ev = (struct store_event){ .type = STORE_EV_FIELD, .kind = t->kind, .key = r->key,
                               .field = name, .value = &f->v, .changed = changed,
                               .time = r->pending };
    emit(s, &ev);
}

void store_set_str(struct store_res *r, const char *field, const char *v)
{
    store_set(r, field, store_value_str(v));
}

void store_set_int(struct store_res *r, const char *field, int64_t v)
{
    store_set(r, field, store_value_int(v));
}

void store_set_double(struct store_res *r, const char *field, double v)
{
    store_set(r, field, store_value_double(v));
}

void store_set_unknown(struct store_res *r, const char *field)
{
    store_set(r, field, unknown_value);
}

void store_update_commit(struct store_res *r)
{
    struct table *t = r->table;
    struct store *s = t->store;
    bool was_stale = store_res_stale(r);
    struct store_event ev = { .type = STORE_EV_FETCHED, .kind = t->kind, .key = r->key,
                              .time = r->pending };

    r->fetched = r->pending;
    r->fetch_seq = ++s->seq;
    r->stale = false;
    t->updated = r->pending;
    if (t->listing)
        t->sweep_ok++;
    if (was_stale)
        bump(t);
    emit(s, &ev);
}

static void error_store(struct aws_error **slot, const struct aws_error *err)
{
    if (!*slot)
        *slot = xmalloc(sizeof(**slot));
    if (err)
        **slot = *err;
    else
        aws_error_clear(*slot);
}

/* The kind's latest failure, whatever failed. */
static void last_error_keep(struct table *t, const struct aws_error *err, int64_t when)
{
    error_store(&t->last_err, err);
    t->last_err_time = when;
}

/* Marks r stale with err at now (the row-level failure of store_fail). */
static void row_fail(struct store_res *r, const struct aws_error *err, int64_t now)
{
    struct store *s = r->table->store;
    struct store_event ev = { .type = STORE_EV_ERROR, .kind = r->table->kind, .key = r->key };

    error_store(&r->err, err);
    r->err_time = now;
    r->err_seq = ++s->seq;
    r->stale = true;
    if (r->table->listing && r->seen == r->table->sweep)
        r->table->sweep_failed++;
    bump(r->table);
    ev.error = r->err;
    ev.time = now;
    emit(s, &ev);
}

void store_fail(struct store *s, const char *kind, const char *key, const struct aws_error *err)
{
    struct store_res *r = row_get(s, kind, key);
    int64_t now = store_now(s);

    last_error_keep(r->table, err, now);
    row_fail(r, err, now);
}

/* Past the kind's expected age: read at `fetched` (0: never, counted from the first
 * expectation) and nothing since for longer than max_age. */
static bool table_overdue(const struct table *t, int64_t fetched)
{
    int64_t since = fetched ? fetched : t->expect_since;

    return t->max_age > 0 && since > 0 && store_now(t->store) - since > t->max_age;
}

/* A row past its expected age: the kind's, or the longer one its rows may reach. */
static bool row_overdue(const struct table *t, int64_t fetched)
{
    int64_t max_age = t->row_max_age > t->max_age ? t->row_max_age : t->max_age;

    return t->max_age > 0 && fetched > 0 && store_now(t->store) - fetched > max_age;
}

void store_kind_expect_rows(struct store *s, const char *kind, int64_t row_max_age_ms)
{
    struct table *t = table_get(s, kind);
    int64_t v = row_max_age_ms > 0 ? row_max_age_ms : 0;

    if (v != t->row_max_age)
        bump(t);
    t->row_max_age = v;
}

bool store_list_keep(struct store *s, const char *kind, const char *key)
{
    struct table *t = table_find(s, kind);
    bool found = false;
    size_t i;

    if (!t || !t->listing)
        return false;
    i = table_seek(t, key, &found);
    if (found)
        t->rows[i]->seen = t->sweep;
    return found;
}

void store_kind_expect(struct store *s, const char *kind, int64_t max_age_ms,
                       const struct aws_error *late)
{
    struct table *t = table_get(s, kind);

    if (max_age_ms > 0 && !t->expect_since)
        t->expect_since = store_now(s);
    if (max_age_ms != t->max_age)
        bump(t);
    t->max_age = max_age_ms > 0 ? max_age_ms : 0;
    if (late) {
        if (!t->late)
            t->late = xmalloc(sizeof(*t->late));
        *t->late = *late;
    }
}

static bool has_prefix(const char *key, const char *prefix)
{
    return strncmp(key, prefix, strlen(prefix)) == 0;
}

void store_list_begin_prefix(struct store *s, const char *kind, const char *prefix)
{
    struct table *t = table_get(s, kind);

    t->sweep++;
    t->listing = true;
    t->sweep_ok = t->sweep_failed = 0;
    free(t->list_prefix);
    t->list_prefix = xstrdup(prefix ? prefix : "");
}

void store_list_begin(struct store *s, const char *kind)
{
    store_list_begin_prefix(s, kind, "");
}

void store_list_end(struct store *s, const char *kind)
{
    struct table *t = table_get(s, kind);
    int64_t now = store_now(s);
    size_t kept = 0, removed = 0;
    const char *prefix;
    bool whole;

    /* Without list_begin every row would look unseen: removing them all would blank the
     * view on a poller's mistake, so do nothing instead. */
    if (!t->listing)
        return;
    prefix = t->list_prefix ? t->list_prefix : "";
    whole = !*prefix;
    for (size_t i = 0; i < t->n; i++) {
        struct store_res *r = t->rows[i];
        if (r->seen == t->sweep || (!whole && !has_prefix(r->key, prefix))) {
            t->rows[kept++] = r;
            continue;
        }
        struct store_event ev = { .type = STORE_EV_REMOVED, .kind = t->kind, .key = r->key,
                                  .time = now };
        emit(s, &ev);
        res_free(r);
        removed++;
    }
    t->n = kept;
    t->listing = false;
    /* A whole list whose every row failed read nothing: it is not a fresh read of the kind
     * (the age goes on from the last good one) but a failure, with the rows' error. */
    if (whole && t->sweep_failed && !t->sweep_ok) {
        const struct store_res *bad = NULL;
        for (size_t i = 0; i < t->n && !bad; i++)
            if (t->rows[i]->stale && t->rows[i]->err)
                bad = t->rows[i];
        bump(t);
        if (removed)
            t->rows_generation++;
        free(t->list_prefix);
        t->list_prefix = NULL;
        store_list_fail(s, kind, bad ? bad->err : NULL);
        return;
    }
    t->updated = now;
    if (removed)
        t->rows_generation++;
    if (removed || (whole && t->stale))
        bump(t);
    if (whole) {
        t->fetched = now;
        t->stale = false;
    }
    {
        struct store_event ev = { .type = STORE_EV_LISTED, .kind = t->kind,
                                  .key = whole ? NULL : prefix, .time = now };
        emit(s, &ev);
    }
    free(t->list_prefix);
    t->list_prefix = NULL;
}

void store_list_fail(struct store *s, const char *kind, const struct aws_error *err)
{
    struct table *t = table_get(s, kind);
    struct store_event ev = { .type = STORE_EV_ERROR, .kind = t->kind };

    error_store(&t->err, err);
    t->err_time = store_now(s);
    t->err_seq = ++s->seq;
    t->stale = true;
    t->listing = false;
    last_error_keep(t, err, t->err_time);
    bump(t);
    ev.error = t->err;
    ev.time = t->err_time;
    emit(s, &ev);
}

void store_list_fail_prefix(struct store *s, const char *kind, const char *prefix,
                            const struct aws_error *err)
{
    struct table *t;
    int64_t now;

    if (!prefix || !*prefix) {
        store_list_fail(s, kind, err);
        return;
    }
    t = table_get(s, kind);
    now = store_now(s);
    if (t->listing && t->list_prefix && strcmp(t->list_prefix, prefix) == 0)
        t->listing = false;
    last_error_keep(t, err, now);
    for (size_t i = 0; i < t->n; i++)
        if (has_prefix(t->rows[i]->key, prefix))
            row_fail(t->rows[i], err, now);
}

/* --- reading ----------------------------------------------------------------------- */

void store_kind_info(const struct store *s, const char *kind, struct store_kind_info *out)
{
    const struct table *t = table_find(s, kind);

    memset(out, 0, sizeof(*out));
    if (!t)
        return;
    out->generation = t->generation;
    out->rows_generation = t->rows_generation;
    out->count = t->n;
    out->fetched = t->fetched;
    out->stale = t->stale;
    out->error = t->err;
    out->error_time = t->err_time;
    out->updated = t->updated;
    out->last_error = t->last_err;
    out->last_error_time = t->last_err_time;
    if (!t->stale && table_overdue(t, t->fetched)) {
        out->stale = true;
        out->overdue = true;
        if (t->late) {
            out->error = t->late;
            out->error_time = (t->fetched ? t->fetched : t->expect_since) + t->max_age;
        }
    }
}

size_t store_count(const struct store *s, const char *kind)
{
    const struct table *t = table_find(s, kind);

    return t ? t->n : 0;
}

const struct store_res *store_at(const struct store *s, const char *kind, size_t i)
{
    const struct table *t = table_find(s, kind);

    return t && i < t->n ? t->rows[i] : NULL;
}

const struct store_res *store_find(const struct store *s, const char *kind, const char *key)
{
    const struct table *t = table_find(s, kind);
    bool found;
    size_t pos;

    if (!t)
        return NULL;
    pos = table_seek(t, key, &found);
    return found ? t->rows[pos] : NULL;
}

size_t store_seek(const struct store *s, const char *kind, const char *key, bool *found)
{
    const struct table *t = table_find(s, kind);
    bool dummy;

    if (!found)
        found = &dummy;
    *found = false;
    return t ? table_seek(t, key, found) : 0;
}

const char *store_res_key(const struct store_res *r)
{
    return r->key;
}

const char *store_res_kind(const struct store_res *r)
{
    return r->table->kind;
}

int64_t store_res_fetched(const struct store_res *r)
{
    return r->fetched;
}

int64_t store_res_age(const struct store_res *r)
{
    int64_t age;

    if (!r->fetched)
        return -1;
    age = store_now(r->table->store) - r->fetched;
    return age < 0 ? 0 : age;  /* the wall clock may step back; an age is never negative */
}

bool store_res_stale(const struct store_res *r)
{
    const struct table *t = r->table;

    return r->stale || (t->stale && t->err_seq > r->fetch_seq) ||
           (r->fetched && row_overdue(t, r->fetched));
}

const struct aws_error *store_res_error(const struct store_res *r, int64_t *when)
{
    const struct table *t = r->table;
    bool use_table = t->err && (!r->err || t->err_seq > r->err_seq);

    if (when)
        *when = use_table ? t->err_time : r->err ? r->err_time : 0;
    return use_table ? t->err : r->err;
}

const struct store_value *store_res_get(const struct store_res *r, const char *field)
{
    const struct field *f = field_find(r, field);

    return f ? &f->v : &unknown_value;
}

int64_t store_res_field_time(const struct store_res *r, const char *field)
{
    const struct field *f = field_find(r, field);

    return f ? f->time : 0;
}

const char *store_res_str(const struct store_res *r, const char *field)
{
    const struct store_value *v = store_res_get(r, field);

    return v->type == STORE_STR ? v->u.s : NULL;
}

bool store_res_int(const struct store_res *r, const char *field, int64_t *out)
{
    const struct store_value *v = store_res_get(r, field);

    if (v->type != STORE_INT)
        return false;
    *out = v->u.i;
    return true;
}

bool store_res_num(const struct store_res *r, const char *field, double *out)
{
    return value_number(store_res_get(r, field), out);
}

size_t store_res_history(const struct store_res *r, const char *field, size_t n,
                         struct store_point *out)
{
    const struct field *f = field_find(r, field);
    size_t count, first;

    if (!f || !f->hist_len)
        return 0;
    count = n < f->hist_len ? n : f->hist_len;
    first = f->hist_len - count;  /* skip the oldest points that were not asked for */
    for (size_t i = 0; i < count; i++)
        out[i] = f->hist[(f->hist_start + first + i) % f->hist_cap];
    return count;
}

bool store_res_history_range(const struct store_res *r, const char *field, size_t n,
                             double *min, double *max)
{
    struct store_point pts[STORE_HISTORY_LEN];
    size_t count = store_res_history(r, field, n < STORE_HISTORY_LEN ? n : STORE_HISTORY_LEN,
                                     pts);

    if (!count)
        return false;
    *min = *max = pts[0].value;
    for (size_t i = 1; i < count; i++) {
        if (pts[i].value < *min)
            *min = pts[i].value;
        if (pts[i].value > *max)
            *max = pts[i].value;
    }
    return true;
}

bool store_res_change(const struct store_res *r, const char *field, double *delta)
{
    const struct field *f = field_find(r, field);
    double now;

    if (!f || !f->has_base || !value_number(&f->v, &now))
        return false;
    *delta = now - f->base.value;
    return true;
}

bool store_res_baseline(const struct store_res *r, const char *field, struct store_point *out)
{
    const struct field *f = field_find(r, field);

    if (!f || !f->has_base)
        return false;
    *out = f->base;
    return true;
}
