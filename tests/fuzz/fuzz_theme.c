/* fuzz_theme.c - the theme reader (the syntax of themes/NAME.theme), colours and attributes. */
#include "config.h"
#include "fuzz_util.h"

#include "look/theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = fuzz_file(data, size, path, sizeof(path));
    struct theme t;

    if (fd < 0)
        return 0;
    theme_init(&t);
    theme_load_file(&t, path);
    theme_done(&t);
    close(fd);
    return 0;
}
