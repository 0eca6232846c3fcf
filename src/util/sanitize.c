/* sanitize.c - escaping untrusted text before it reaches a terminal. */
#include "config.h"
#include "util/sanitize.h"

#include <langinfo.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* The terminal's character set: one per process, set at start (sanitize_set_utf8). */
static bool term_utf8 = true;

void sanitize_set_utf8(bool utf8)
{
    term_utf8 = utf8;
}

bool sanitize_utf8(void)
{
    return term_utf8;
}

bool sanitize_locale_is_utf8(void)
{
    const char *cs = nl_langinfo(CODESET);

    return cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "UTF8") == 0);
}

static bool is_bidi_control(uint32_t cp)
{
    return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

static bool is_control(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F);
}

char *sanitize_text(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    struct buf b;
    size_t i = 0;

    buf_init(&b);
    buf_append(&b, "", 0);
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_decode(s + i, len - i, &cp);

        if (n == 0) {
            buf_printf(&b, "\\x%02X", p[i]);
            i++;
            continue;
        }
        if (cp == '\\')
            buf_puts(&b, "\\\\");
        else if (cp == '\t')
            buf_puts(&b, "\\t");
        else if (cp == '\n')
            buf_puts(&b, "\\n");
        else if (cp == '\r')
            buf_puts(&b, "\\r");
        else if (is_control(cp))
            buf_printf(&b, "\\x%02X", (unsigned)cp);
        else if (is_bidi_control(cp) || (cp >= 0x80 && !term_utf8))
            buf_printf(&b, "\\u{%04X}", (unsigned)cp);
        else
            buf_append(&b, p + i, n);
        i += n;
    }
    return buf_steal(&b);
}

char *sanitize_json(const char *json)
{
    const unsigned char *p = (const unsigned char *)json;
    size_t len = strlen(json), i = 0;
    struct buf b;

    buf_init(&b);
    buf_append(&b, "", 0);
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_decode(json + i, len - i, &cp);

        if (n == 0) {
            buf_puts(&b, "\\ufffd");
            i++;
        } else if ((cp >= 0x7F && cp <= 0x9F) || is_bidi_control(cp)) {
            /* outside strings JSON has only ASCII structure, so these are inside strings */
            buf_printf(&b, "\\u%04x", (unsigned)cp);
            i += n;
        } else {
            buf_append(&b, p + i, n);
            i += n;
        }
    }
    return buf_steal(&b);
}
