/* sqs_check.c - SQS's limits on a message, and its MD5 of the body (sqs_check.h). */
#include "config.h"
#include "aws/sqs_check.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

size_t sqs_message_size(const char *body, const struct sqs_msg_attr_in *attrs, size_t nattrs)
{
    size_t n = body ? strlen(body) : 0;

    for (size_t i = 0; i < nattrs; i++) {
        const struct sqs_msg_attr_in *a = &attrs[i];
        const char *type = a->data_type ? a->data_type : "String";

        n += strlen(a->name ? a->name : "") + strlen(type);
        n += strncmp(type, "Binary", 6) == 0 ? a->binary_len
                                             : strlen(a->string_value ? a->string_value : "");
    }
    return n;
}

/* One character of UTF-8 at s (len bytes left): its code point and length, or -1. */
static long utf8_char(const unsigned char *s, size_t len, size_t *n)
{
    unsigned long cp;
    size_t k;

    if (s[0] < 0x80) {
        *n = 1;
        return s[0];
    }
    if (s[0] >= 0xc2 && s[0] < 0xe0) {
        k = 2;
        cp = s[0] & 0x1f;
    } else if (s[0] >= 0xe0 && s[0] < 0xf0) {
        k = 3;
        cp = s[0] & 0x0f;
    } else if (s[0] >= 0xf0 && s[0] < 0xf5) {
        k = 4;
        cp = s[0] & 0x07;
    } else {
        return -1;
    }
    if (len < k)
        return -1;
    for (size_t i = 1; i < k; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return -1;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    /* overlong forms and surrogates are not characters */
    if ((k == 3 && cp < 0x800) || (k == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return -1;
    *n = k;
    return (long)cp;
}

long sqs_text_invalid(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;

    for (size_t i = 0; i < len;) {
        size_t n = 1;
        long cp = utf8_char(u + i, len - i, &n);

        if (cp < 0 || (cp < 0x20 && cp != 0x9 && cp != 0xa && cp != 0xd) || cp == 0xfffe ||
            cp == 0xffff)
            return (long)i;
        i += n;
    }
    return -1;
}

bool sqs_md5_matches(const char *text, size_t len, const char *md5_hex)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    char hex[2 * EVP_MAX_MD_SIZE + 1];

    if (!md5_hex || !EVP_Digest(text, len, md, &mdlen, EVP_md5(), NULL))
        return false;
    for (unsigned int i = 0; i < mdlen; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    hex[2 * mdlen] = '\0';
    return strcasecmp(hex, md5_hex) == 0;
}
