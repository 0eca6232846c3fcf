/* script.h - the headless test script of OPSDECK_SCRIPT (ui.h describes the format; it is a
 * contract with the tests). Parsing only: the console (ui.c) runs the commands. Keys come
 * out as view.h's key codes, so what a script types is what a terminal would send. */
#ifndef OPSDECK_SCRIPT_H
#define OPSDECK_SCRIPT_H

#include <stddef.h>

enum script_op {
    SCRIPT_KEYS,     /* keys TEXT */
    SCRIPT_DUMP,     /* dump FILE */
    SCRIPT_RESIZE,   /* resize COLS ROWS */
    SCRIPT_SLEEP,    /* sleep MS */
    SCRIPT_WAIT,     /* wait */
    SCRIPT_REFRESH,  /* refresh */
};

#define SCRIPT_MAX_SIZE 10000     /* resize bounds, either dimension */
#define SCRIPT_MAX_SLEEP 3600000  /* one hour: longer is a typo */

struct script_cmd {
    enum script_op op;
    int line;          /* 1-based line in the file */
    int *keys;         /* SCRIPT_KEYS: view.h key codes */
    size_t nkeys;
    char *path;        /* SCRIPT_DUMP */
    int cols, rows;    /* SCRIPT_RESIZE */
    long ms;           /* SCRIPT_SLEEP */
};

struct script {
    char *origin;      /* the file name, for messages */
    struct script_cmd *cmds;
    size_t n, cap;
};

/* Parses text (the whole file) into s. Returns 0, or -1 with "origin:line: reason" in why
 * (size whylen) and s left empty. */
int script_parse(struct script *s, const char *origin, const char *text, char *why,
                 size_t whylen);
/* Reads and parses a file; -1 with "file: reason" or "file:line: reason" in why. */
int script_load(struct script *s, const char *path, char *why, size_t whylen);
void script_done(struct script *s);

/* The key codes of a `keys` argument: UTF-8 characters as they are, <Name> tokens as
 * ui.h lists them. Returns the count (keys freed by the caller), or -1 with a reason. */
int script_parse_keys(const char *text, int **keys, size_t *nkeys, char *why, size_t whylen);

#endif
