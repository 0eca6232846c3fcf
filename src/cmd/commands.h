/* commands.h - the subcommands of opsdeck, one file each (cmd_*.c or their module). */
#ifndef OPSDECK_COMMANDS_H
#define OPSDECK_COMMANDS_H

/* Options every command shares, from the command line before or after the command. */
struct global_opts {
    const char *profile;       /* --profile, or NULL */
    const char *region;        /* --region, or NULL */
    const char *endpoint_url;  /* --endpoint-url, or NULL */
    const char *mfa_code;      /* --mfa-code: the MFA token code, or NULL to prompt on /dev/tty */
    int json;                  /* --json */
    int sso;                   /* --sso (login) */
    int read_only;             /* --read-only: every write refused (act/gate.h) */
    int allow_writes;          /* --allow-writes: a production profile may write */
    int yes;                   /* --yes: confirmations answered yes (headless writes) */
    long count;                /* -n N (audit): entries to print; 0: the default */
    const char *template_name; /* --template NAME (sqs send) */
    const char *body;          /* --body TEXT (sqs send) */
    const char *delay;         /* --delay SECONDS (sqs send) */
    const char *group_id;      /* --group-id ID (sqs send) */
    const char *dedup_id;      /* --dedup-id ID (sqs send) */
    const char *to;            /* --to URL (dlq redrive): the destination queue */
    const char *rate;          /* --rate N (dlq redrive): messages per second */
    const char *hold;          /* --hold SECONDS (dlq redrive --to): visibility of a batch */
    int inline_payloads;       /* --inline-payloads (dlq export): S3 payloads into the lines */
    const char *expires;       /* --expires DURATION (s3 presign): the URL's validity */
    const char *version_id;    /* --version-id ID (s3 get): that version of the object */
};

/* argv[0] is the command's name; argv[1..] the words after it (options already removed).
 * Returns the exit status. */
typedef int (*command_fn)(const struct global_opts *g, int argc, char **argv);

int cmd_snapshot(const struct global_opts *g, int argc, char **argv);
int cmd_whoami(const struct global_opts *g, int argc, char **argv);    /* cmd_whoami.c */
int cmd_creds(const struct global_opts *g, int argc, char **argv);    /* cmd_creds.c */
int cmd_login(const struct global_opts *g, int argc, char **argv);    /* cmd_login.c */
int cmd_config(const struct global_opts *g, int argc, char **argv);   /* cmd_config.c */
int cmd_audit(const struct global_opts *g, int argc, char **argv);    /* cmd_audit.c */
int cmd_sqs(const struct global_opts *g, int argc, char **argv);      /* cmd_sqs.c */
int cmd_dlq(const struct global_opts *g, int argc, char **argv);      /* cmd_dlq.c */
int cmd_toggle(const struct global_opts *g, int argc, char **argv);   /* cmd_toggle.c */
int cmd_s3(const struct global_opts *g, int argc, char **argv);       /* cmd_s3.c */

#endif
