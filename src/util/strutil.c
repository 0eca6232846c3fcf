/* strutil.c - small string helpers. */
#include "config.h"
#include "util/strutil.h"

#include <ctype.h>
#include <string.h>

char *str_strip(char *s)
{
    size_t n;

    while (isspace((unsigned char)*s))
        s++;
    n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}
