/* osc52.c - the clipboard sequence (osc52.h), base64 from libcrypto. */
#include "config.h"
#include "ui/osc52.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

char *osc52_sequence(const char *text)
{
    size_t len = text ? strlen(text) : 0;
    /* 4 base64 characters per 3 bytes, the NUL that EVP_EncodeBlock writes */
    unsigned char *b64 = xmalloc(4 * ((len + 2) / 3) + 1);
    char *seq;

    EVP_EncodeBlock(b64, (const unsigned char *)(text ? text : ""), (int)len);
    /* "c": the clipboard selection; BEL ends it (tmux and xterm take BEL or ST) */
    seq = xasprintf("\033]52;c;%s\a", (const char *)b64);
    free(b64);
    return seq;
}
