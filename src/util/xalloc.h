/* xalloc.h - allocation that never returns NULL, and fatal exits that restore the terminal. */
#ifndef OPSDECK_XALLOC_H
#define OPSDECK_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Wipe then free a secret (key, token, password): freed memory may be reused or dumped. */
void xfree_secret(char *s);

/* Called before a fatal exit, so the console can leave curses mode first (htop's fail()). */
void xalloc_set_fatal_hook(void (*hook)(void));
_Noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
