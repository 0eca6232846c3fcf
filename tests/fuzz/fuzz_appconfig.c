/* fuzz_appconfig.c - opsdeck's own config file (opsdeck.conf(5)) and `config check`'s
 * printing of it. */
#include "config.h"
#include "fuzz_util.h"

#include "conf/appconfig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = fuzz_file(data, size, path, sizeof(path));
    struct appconfig *cfg;
    FILE *null;

    if (fd < 0)
        return 0;
    cfg = appconfig_load(path);
    null = fopen("/dev/null", "w");
    if (null) {
        appconfig_print_errors(cfg, null);
        appconfig_print(cfg, null);
        fclose(null);
    }
    appconfig_free(cfg);
    close(fd);
    return 0;
}
