/* keyset.c - a small sorted set of string keys (keyset.h). */
#include "config.h"
#include "poll/keyset.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void keyset_clear(struct keyset *ks)
{
    for (size_t i = 0; i < ks->n; i++)
        free(ks->keys[i]);
    free(ks->keys);
    ks->keys = NULL;
    ks->n = 0;
}

void keyset_set(struct keyset *ks, const char *const *keys, size_t n)
{
    keyset_clear(ks);
    if (!n)
        return;
    ks->keys = xcalloc(n, sizeof(*ks->keys));
    for (size_t i = 0; i < n; i++)
        ks->keys[ks->n++] = xstrdup(keys[i]);
    qsort(ks->keys, ks->n, sizeof(*ks->keys), cmp_str);
}

bool keyset_has(const struct keyset *ks, const char *key)
{
    return key && ks->n && bsearch(&key, ks->keys, ks->n, sizeof(*ks->keys), cmp_str);
}
