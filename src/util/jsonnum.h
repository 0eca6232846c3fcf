/* jsonnum.h - JSON numbers written exactly.
 *
 * cJSON keeps every number as a double and prints it with 15-17 significant digits, so an
 * integer from 2^53 on comes out rounded or as 9.00719925474099e+15. Counts, sizes and
 * epoch times in what opsdeck prints are integers and must stay exact up to 2^63-1: every
 * JSON writer makes them with json_int64. */
#ifndef OPSDECK_JSONNUM_H
#define OPSDECK_JSONNUM_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>

/* A cJSON item that prints as the exact decimal integer v (a raw item: read back by cJSON
 * as a number). */
cJSON *json_int64(int64_t v);
/* Adds json_int64(v) to object under name. */
void json_add_int64(cJSON *object, const char *name, int64_t v);
/* The value of a number item, json_int64's included (a double for them is rounded past
 * 2^53, which is fine for printing a summary); false when item is neither. */
bool json_number(const cJSON *item, double *out);

#endif
