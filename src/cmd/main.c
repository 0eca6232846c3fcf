/* main.c - command line: global options, then a command from the table below.
 *
 *   opsdeck [--profile P] [--region R] [--endpoint-url URL] [--mfa-code CODE] COMMAND [ARGS]
 *   opsdeck [OPTIONS] [--theme NAME] [--no-color] [--ascii] [--view NAME] [--read-only]
 *           [--allow-writes]
 *
 * Without a command, opsdeck opens the interactive console (ui.h). */
#include "config.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "cmd/commands.h"
#include "ui/ui.h"
#include "util/sanitize.h"

struct command {
    const char *name;
    command_fn run;
    const char *usage;         /* one line for --help */
};

static const struct command commands[] = {
    {"snapshot", cmd_snapshot,
     "snapshot [--json]      poll SQS, SNS, S3, STS and CloudWatch once and print the result"},
    {"whoami", cmd_whoami,
     "whoami [--json]        the identity of the credentials (GetCallerIdentity), their source and expiry"},
    {"creds", cmd_creds,
     "creds add|remove PROFILE, creds list   long-term keys in the OS keyring (read from stdin)"},
    {"login", cmd_login,
     "login --sso [PROFILE]  sign in to IAM Identity Center: prints a URL and a code to approve"},
    {"config", cmd_config,
     "config check [FILE]    check opsdeck's own config file (opsdeck.conf(5)); print the settings"},
    {"sqs", cmd_sqs,
     "sqs send QUEUE         send a test message (--body TEXT, --template NAME or stdin), confirmed and audited"},
    {"dlq", cmd_dlq,
     "dlq redrive QUEUE      move a dead-letter queue's messages back (--to URL, --rate N), confirmed and audited"},
    {"dlq", cmd_dlq,
     "dlq export QUEUE FILE  every message of a queue into FILE (JSONL, 0600), none deleted"},
    {"dlq", cmd_dlq,
     "dlq send FILE QUEUE    send the messages of an exported FILE to a queue"},
    {"toggle", cmd_toggle,
     "toggle list [--json], toggle set NAME on|off   see and flip triggers, rules and SSM toggles, confirmed and audited"},
    {"s3", cmd_s3,
     "s3 presign s3://BUCKET/KEY   a presigned GET URL (--expires DURATION, default 1h); sends nothing, so read-only allows it"},
    {"s3", cmd_s3,
     "s3 get s3://BUCKET/KEY [PATH]   download an object to PATH (default: the current directory), verified, resumable; a read"},
    {"audit", cmd_audit,
     "audit [--json] [-n N]  the latest entries of the audit log of writes"},
};

static void usage(FILE *out)
{
    fputs("usage: opsdeck [OPTIONS]                 the console (needs a terminal)\n"
          "       opsdeck [OPTIONS] COMMAND [ARGS]\n\ncommands:\n", out);
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(out, "  %s\n", commands[i].usage);
    fputs("\n"
          "options:\n"
          "  --profile NAME       AWS profile (default: AWS_PROFILE, else \"default\")\n"
          "  --region NAME        AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile)\n"
          "  --endpoint-url URL   send every request to URL (an emulator or a VPC endpoint)\n"
          "  --mfa-code CODE      the MFA code for a profile with mfa_serial (else asked on the terminal)\n"
          "  --json               machine-readable output\n"
          "  --theme NAME         console colour theme (default: the config's, else default)\n"
          "  --no-color           console without colours (as NO_COLOR)\n"
          "  --ascii              console with ASCII glyphs only\n"
          "  --view NAME          the console's first view (overview, sqs, dlq, sns, s3, expiry, toggles, jobs)\n"
          "  --read-only          refuse every write (nothing is sent; the header says READ-ONLY)\n"
          "  --allow-writes       a profile marked environment = production may write (after a typed confirmation)\n"
          "  --yes                confirm a write without asking (required when stdin is not a terminal)\n"
          "  --body TEXT          sqs send: the message body\n"
          "  --template NAME      sqs send: a [template NAME] of opsdeck's config (body, attributes)\n"
          "  --delay SECONDS      sqs send: DelaySeconds (0-900)\n"
          "  --group-id ID        sqs send: MessageGroupId (FIFO queues)\n"
          "  --dedup-id ID        sqs send: MessageDeduplicationId (FIFO queues)\n"
          "  --to URL             dlq redrive: move to this queue, by opsdeck (default: SQS moves each message back to its source)\n"
          "  --rate N             dlq redrive: at most N messages per second (1-500)\n"
          "  --hold SECONDS       dlq redrive --to: how long each batch is hidden while it moves (default 60)\n"
          "  --expires DURATION   s3 presign: how long the URL is valid (900, 30m, 12h, 7d; at most 7d and the credentials' expiry)\n"
          "  --version-id ID      s3 get: that version of the object (default: the current one)\n"
          "  --inline-payloads    dlq export: each S3 extended payload into its message's line\n"
          "  -n N                 audit: how many entries (default 20)\n"
          "  -h, --help           this help\n"
          "  -V, --version        the version\n"
          "\n"
          "exit status: 0 success, 1 AWS, network or credential failure, 2 usage error\n",
          out);
}

/* A standard descriptor closed by whoever started us would be handed to the first file or
 * socket we open, and output meant for stdout would go into it. Each closed one gets
 * /dev/null, read-only: reading gives end of file, and writing fails, so output that has
 * nowhere to go is still noticed by finish_output(). */
static void std_fds_guard(void)
{
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
            continue;
        int got = open("/dev/null", O_RDONLY);
        if (got < 0)
            _exit(127);
        if (got != fd) {
            /* a lower one was closed too and is already taken care of */
            if (dup2(got, fd) < 0)
                _exit(127);
            close(got);
        }
    }
}

/* What a command printed reached its destination, or the exit status says it did not:
 * `opsdeck --help > /dev/full` and a closed stdout exit 1, not 0. */
static int finish_output(int rc)
{
    bool lost = ferror(stdout) != 0;

    if (fflush(stdout) != 0)
        lost = true;
    if (fclose(stdout) != 0)
        lost = true;
    if (lost) {
        /* a command that failed has said why already */
        if (rc == 0)
            fprintf(stderr, "opsdeck: the output could not be written: %s\n", strerror(errno));
        return rc ? rc : 1;
    }
    return rc;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"profile", required_argument, NULL, 'p'},
        {"region", required_argument, NULL, 'r'},
        {"endpoint-url", required_argument, NULL, 'e'},
        {"mfa-code", required_argument, NULL, 'm'},
        {"json", no_argument, NULL, 'j'},
        {"sso", no_argument, NULL, 's'},
        {"theme", required_argument, NULL, 't'},
        {"no-color", no_argument, NULL, 'C'},
        {"ascii", no_argument, NULL, 'a'},
        {"view", required_argument, NULL, 'v'},
        {"read-only", no_argument, NULL, 'R'},
        {"allow-writes", no_argument, NULL, 'W'},
        {"yes", no_argument, NULL, 'y'},
        {"body", required_argument, NULL, 'b'},
        {"template", required_argument, NULL, 'T'},
        {"delay", required_argument, NULL, 'd'},
        {"group-id", required_argument, NULL, 'g'},
        {"dedup-id", required_argument, NULL, 'D'},
        {"to", required_argument, NULL, 1001},
        {"rate", required_argument, NULL, 1002},
        {"hold", required_argument, NULL, 1003},
        {"expires", required_argument, NULL, 1004},
        {"version-id", required_argument, NULL, 1005},
        {"inline-payloads", no_argument, NULL, 1006},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    struct global_opts g = {0};
    struct ui_opts uo = {0};
    const struct command *cmd = NULL;
    int c, rc;

    /* No core file: the process holds secret keys, session and SSO tokens in memory, and a
     * core is a file anyone with the directory's access can read. This also keeps other
     * processes of the same user from reading our memory through ptrace or /proc. */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    std_fds_guard();
    /* The character set of the terminal, for what commands print (the console sets the
     * whole locale itself): names are escaped rather than garbled outside UTF-8. */
    setlocale(LC_CTYPE, "");
    sanitize_set_utf8(sanitize_locale_is_utf8());

    /* GNU getopt moves the words that are not options to the end, in order: the command
     * and its arguments. */
    while ((c = getopt_long(argc, argv, "hVn:", longopts, NULL)) != -1) {
        switch (c) {
        case 'p': g.profile = optarg; break;
        case 'r': g.region = optarg; break;
        case 'e': g.endpoint_url = optarg; break;
        case 'm': g.mfa_code = optarg; break;
        case 'j': g.json = 1; break;
        case 's': g.sso = 1; break;
        case 't': uo.theme = optarg; break;
        case 'C': uo.no_color = 1; break;
        case 'a': uo.ascii = 1; break;
        case 'v': uo.view = optarg; break;
        case 'R': g.read_only = 1; break;
        case 'W': g.allow_writes = 1; break;
        case 'y': g.yes = 1; break;
        case 'b': g.body = optarg; break;
        case 'T': g.template_name = optarg; break;
        case 'd': g.delay = optarg; break;
        case 'g': g.group_id = optarg; break;
        case 'D': g.dedup_id = optarg; break;
        case 1001: g.to = optarg; break;
        case 1002: g.rate = optarg; break;
        case 1003: g.hold = optarg; break;
        case 1006: g.inline_payloads = 1; break;
        case 1004: g.expires = optarg; break;
        case 1005: g.version_id = optarg; break;
        case 'n': {
            char *end;
            g.count = strtol(optarg, &end, 10);
            if (*end || g.count <= 0) {
                fprintf(stderr, "opsdeck: -n takes a count of entries, 1 or more, not '%s'\n",
                        optarg);
                return 2;
            }
            break;
        }
        case 'h': usage(stdout); return finish_output(0);
        case 'V': puts(PACKAGE_STRING); return finish_output(0);
        default: usage(stderr); return 2;
        }
    }
    if (optind >= argc) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            fputs("opsdeck: libcurl failed to initialise\n", stderr);
            return 1;
        }
        rc = ui_run(&g, &uo);
        curl_global_cleanup();
        return finish_output(rc);
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(argv[optind], commands[i].name) == 0)
            cmd = &commands[i];
    if (!cmd) {
        fprintf(stderr, "opsdeck: unknown command '%s' (see --help)\n", argv[optind]);
        return 2;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fputs("opsdeck: libcurl failed to initialise\n", stderr);
        return 1;
    }
    rc = cmd->run(&g, argc - optind, argv + optind);
    curl_global_cleanup();
    return finish_output(rc);
}
