/* main.c - command line: global options, then a command.
 *
 *   opsdeck [--profile P] [--region R] [--endpoint-url URL] snapshot [--json]
 *
 * The interactive console (no command) arrives with the console issue; until then running
 * opsdeck without a command says so and points at snapshot. */
#include "config.h"

#include <curl/curl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snapshot.h"

static void usage(FILE *out)
{
    fputs("usage: opsdeck [OPTIONS] COMMAND\n"
          "\n"
          "commands:\n"
          "  snapshot [--json]    poll SQS, SNS, S3, STS and CloudWatch once and print the result\n"
          "\n"
          "options:\n"
          "  --profile NAME       AWS profile (default: AWS_PROFILE, else \"default\")\n"
          "  --region NAME        AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile)\n"
          "  --endpoint-url URL   send every request to URL (an emulator or a VPC endpoint)\n"
          "  --json               machine-readable output (snapshot)\n"
          "  -h, --help           this help\n"
          "  -V, --version        the version\n"
          "\n"
          "exit status: 0 success, 1 AWS, network or credential failure, 2 usage error\n",
          out);
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"profile", required_argument, NULL, 'p'},
        {"region", required_argument, NULL, 'r'},
        {"endpoint-url", required_argument, NULL, 'e'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    struct snapshot_opts so = {0};
    const char *command;
    int c, rc;

    while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'p': so.profile = optarg; break;
        case 'r': so.region = optarg; break;
        case 'e': so.endpoint_url = optarg; break;
        case 'j': so.json = 1; break;
        case 'h': usage(stdout); return 0;
        case 'V': puts(PACKAGE_STRING); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind >= argc) {
        fputs("opsdeck: the interactive console is not built yet; run `opsdeck snapshot` "
              "(see --help)\n", stderr);
        return 2;
    }
    command = argv[optind];
    if (optind + 1 < argc) {
        fprintf(stderr, "opsdeck: unexpected argument '%s' (see --help)\n", argv[optind + 1]);
        return 2;
    }
    if (strcmp(command, "snapshot") != 0) {
        fprintf(stderr, "opsdeck: unknown command '%s' (see --help)\n", command);
        return 2;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fputs("opsdeck: libcurl failed to initialise\n", stderr);
        return 1;
    }
    rc = snapshot_run(&so);
    curl_global_cleanup();
    return rc;
}
