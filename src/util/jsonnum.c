/* jsonnum.c - exact integers in JSON output. */
#include "config.h"
#include "util/jsonnum.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/xalloc.h"

cJSON *json_int64(int64_t v)
{
    char text[24];   /* "-9223372036854775808" is 20 characters */
    cJSON *item;

    snprintf(text, sizeof(text), "%" PRId64, v);
    item = cJSON_CreateRaw(text);
    if (!item)
        fatal("out of memory");
    return item;
}

void json_add_int64(cJSON *object, const char *name, int64_t v)
{
    cJSON_AddItemToObject(object, name, json_int64(v));
}

bool json_number(const cJSON *item, double *out)
{
    char *end;

    if (cJSON_IsNumber(item)) {
        *out = item->valuedouble;
        return true;
    }
    if (!cJSON_IsRaw(item) || !item->valuestring)
        return false;
    *out = strtod(item->valuestring, &end);
    return end != item->valuestring && *end == '\0';
}
