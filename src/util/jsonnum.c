/* jsonnum.c - exact integers in JSON output. */
#include "config.h"
#include "util/jsonnum.h"

#include <inttypes.h>
#include <stdio.h>

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
