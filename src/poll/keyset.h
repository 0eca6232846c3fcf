/* keyset.h - a small sorted set of string keys (the rows on screen), looked up in O(log n). */
#ifndef OPSDECK_KEYSET_H
#define OPSDECK_KEYSET_H

#include <stdbool.h>
#include <stddef.h>

struct keyset {
    char **keys;   /* sorted copies */
    size_t n;
};

/* Replaces the set's keys by copies of keys[0..n). A zeroed keyset is an empty one. */
void keyset_set(struct keyset *ks, const char *const *keys, size_t n);
bool keyset_has(const struct keyset *ks, const char *key);
void keyset_clear(struct keyset *ks);

#endif
