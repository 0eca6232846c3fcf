/* xalloc.c - allocation wrappers: out of memory is fatal, and fatal restores the terminal. */
#include "config.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void (*fatal_hook)(void);

void xalloc_set_fatal_hook(void (*hook)(void)) { fatal_hook = hook; }

void fatal(const char *fmt, ...)
{
    va_list ap;

    if (fatal_hook) {
        void (*hook)(void) = fatal_hook;
        fatal_hook = NULL; /* a failing hook must not recurse */
        hook();
    }
    fputs("opsdeck: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(70);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        fatal("out of memory allocating %zu bytes", n);
    return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
    void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
    if (!p)
        fatal("out of memory allocating %zu x %zu bytes", nmemb, size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        fatal("out of memory allocating %zu bytes", n);
    return q;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0)
        fatal("out of memory formatting a string");
    va_end(ap);
    return s;
}

void xfree_secret(char *s)
{
    if (!s)
        return;
    explicit_bzero(s, strlen(s));
    free(s);
}
