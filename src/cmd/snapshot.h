/* snapshot.h - `opsdeck snapshot`: poll everything once, in parallel, and print it. */
#ifndef OPSDECK_SNAPSHOT_H
#define OPSDECK_SNAPSHOT_H

struct snapshot_opts {
    const char *profile;       /* --profile, or NULL */
    const char *region;        /* --region, or NULL */
    const char *endpoint_url;  /* --endpoint-url, or NULL */
    const char *mfa_code;      /* --mfa-code, or NULL to ask on /dev/tty */
    int json;                  /* --json: the document of doc/snapshot.md on stdout */
};

/* Returns the process exit status: 0, or 1 with one line on stderr naming the cause, the
 * profile and the endpoint (and nothing on stdout). */
int snapshot_run(const struct snapshot_opts *opts);

#endif
