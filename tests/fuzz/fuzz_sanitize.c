/* fuzz_sanitize.c - the one sanitiser and the display width code: whatever comes in, the
 * output holds no control character, no bidi override and no invalid UTF-8; widths and cuts
 * never overrun; both terminal modes (UTF-8 and not). */
#include "config.h"
#include "fuzz_util.h"

#include <stdlib.h>

#include "util/sanitize.h"
#include "util/textwidth.h"

static void check_clean(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    for (size_t i = 0; p[i]; i++) {
        if (p[i] < 0x20 || p[i] == 0x7f)
            abort();
        /* C1 controls as UTF-8 (C2 80..C2 9F), U+202A-202E, U+2066-2069 */
        if (p[i] == 0xc2 && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f)
            abort();
        if (p[i] == 0xe2 && p[i + 1] == 0x80 && p[i + 2] >= 0xaa && p[i + 2] <= 0xae)
            abort();
        if (p[i] == 0xe2 && p[i + 1] == 0x81 && p[i + 2] >= 0xa6 && p[i + 2] <= 0xa9)
            abort();
        if (!sanitize_utf8() && p[i] >= 0x80)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), *clean, *cut;
    int cols = size ? data[0] % 64 : 10;

    memcpy(text, data, size);
    text[size] = '\0';
    for (int mode = 0; mode < 2; mode++) {
        sanitize_set_utf8(mode == 0);
        clean = sanitize_text(text, size);
        check_clean(clean);
        if (textwidth(clean) < 0)
            abort();
        cut = textwidth_truncate(clean, cols, "~");
        if (textwidth(cut) > cols)
            abort();
        free(cut);
        cut = textwidth_fit(clean, cols, "~", mode == 1);
        free(cut);
        free(clean);
    }
    sanitize_set_utf8(true);
    clean = sanitize_json(text);
    free(clean);
    free(text);
    return 0;
}
