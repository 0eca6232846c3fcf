/* sqs_check.c - SQS's limits on a message, and its MD5 of the body (sqs_check.h). */
#include "config.h"
#include "aws/sqs_check.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <cjson/cJSON.h>

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

long sqs_text_invalid(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint32_t c;
        size_t n = utf8_decode(s + i, len - i, &c);
        long cp = n ? (long)c : -1;

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

bool sqs_s3_pointer(const char *body, char **bucket, char **key)
{
    cJSON *a = body ? cJSON_Parse(body) : NULL;
    const cJSON *cls = cJSON_GetArrayItem(a, 0), *o = cJSON_GetArrayItem(a, 1);
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(o, "s3BucketName");
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(o, "s3Key");
    bool ok = cJSON_IsArray(a) && cJSON_GetArraySize(a) == 2 && cJSON_IsString(cls) &&
              (strcmp(cls->valuestring, "software.amazon.payloadoffloading.PayloadS3Pointer") == 0 ||
               strcmp(cls->valuestring, "com.amazon.sqs.javamessaging.MessageS3Pointer") == 0) &&
              cJSON_IsString(b) && b->valuestring[0] && cJSON_IsString(k) && k->valuestring[0];

    if (ok) {
        *bucket = xstrdup(b->valuestring);
        *key = xstrdup(k->valuestring);
    }
    cJSON_Delete(a);
    return ok;
}

char *sqs_arn_queue_name(const char *arn)
{
    const char *f[6], *p = arn;
    size_t n, len;

    if (!arn || strncmp(arn, "arn:", 4) != 0)
        return NULL;
    /* six fields: arn, partition, service, region, account, name (which has no ':') */
    for (n = 0; n < 6; n++) {
        f[n] = p;
        p = strchr(p, ':');
        if (!p)
            break;
        p++;
    }
    if (n != 5 || f[1] == f[2] - 1 || strncmp(f[2], "sqs:", 4) != 0 || f[3] == f[4] - 1 ||
        f[4] == f[5] - 1)
        return NULL;
    len = strlen(f[5]);
    if (len == 0 || len > 80)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        char c = f[5][i];
        bool fifo = c == '.' && len > 5 && i == len - 5 && strcmp(f[5] + i, ".fifo") == 0;

        if (!fifo && !(c == '-' || c == '_' || (c >= '0' && c <= '9') ||
                       (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            return NULL;
    }
    return xstrdup(f[5]);
}
