/* registry.c - every view of the console, in number order: the framework walks this list
 * for the number keys, the `:` commands and their completion. */
#include "config.h"

#include <string.h>

#include "view.h"

const struct view *const view_registry[] = {
    &overview_view,  /* 1 */
    &sqs_view,       /* 2 */
    &dlq_view,       /* 3 */
    &jobs_view,      /* :jobs, no number */
    &errors_view,    /* :errors only */
    NULL,
};

const struct view *view_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; view_registry[i]; i++)
        if (strcmp(view_registry[i]->name, name) == 0)
            return view_registry[i];
    return NULL;
}
