/* cmd_config.c - `opsdeck config check [FILE]` and `opsdeck config keys`.
 *
 *   config check [FILE]   reads FILE (default: the config file's usual place), prints each
 *                         problem as file:line and exits 1, or prints the effective settings
 *   config keys           every key the parser accepts, "SECTION KEY" per line (the
 *                         documentation test compares them with opsdeck.conf.5)
 *
 * A subcommand word rather than an option, because main's getopt would take an option after
 * the command for a global one. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/appconfig.h"
#include "cmd/commands.h"
#include "util/sanitize.h"

#define USAGE "usage: opsdeck config check [FILE] | config keys\n"

int cmd_config(const struct global_opts *g, int argc, char **argv)
{
    struct appconfig *cfg;
    char *path;
    int rc = 0;

    (void)g;
    if (argc == 2 && strcmp(argv[1], "keys") == 0) {
        appconfig_print_keys(stdout);
        return 0;
    }
    if (argc < 2 || argc > 3 || strcmp(argv[1], "check") != 0) {
        fputs(USAGE, stderr);
        return 2;
    }
    cfg = appconfig_load(argc == 3 ? argv[2] : NULL);
    path = cfg->path ? sanitize_text(cfg->path, strlen(cfg->path)) : NULL;
    if (cfg->nerrors || cfg->errors_dropped) {
        appconfig_print_errors(cfg, stderr);
        fprintf(stderr, "opsdeck: %zu problem%s in %s; the lines above were ignored and "
                "everything else applies\n", cfg->nerrors + cfg->errors_dropped,
                cfg->nerrors + cfg->errors_dropped == 1 ? "" : "s", path);
        rc = 1;
    } else if (!cfg->path) {
        fputs("# no config file location: neither XDG_CONFIG_HOME nor HOME is set; "
              "defaults\n", stdout);
    } else if (!cfg->file_found) {
        printf("# %s does not exist; defaults\n", path);
    } else {
        printf("# %s: no problems; effective settings\n", path);
    }
    free(path);
    if (rc == 0)
        appconfig_print(cfg, stdout);
    appconfig_free(cfg);
    return rc;
}
