/* strutil.h - small string helpers shared by the INI readers (AWS config, opsdeck config,
 * themes). */
#ifndef OPSDECK_STRUTIL_H
#define OPSDECK_STRUTIL_H

/* Trims leading and trailing white space in place; returns the start of the trimmed text. */
char *str_strip(char *s);

#endif
