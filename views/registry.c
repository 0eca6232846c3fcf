/* registry.c - every view of the console, in number order (the framework walks this list
 * for the number keys, the `:` commands and their completion), and the overview's sections
 * in the order they appear. A new view is its file and a line in each list it joins. */
#include "config.h"

#include <string.h>

#include "view.h"

const struct view *const view_registry[] = {
    &overview_view,  /* 1 */
    &sqs_view,       /* 2 */
    &dlq_view,       /* 3 */
    &sns_view,       /* 4 */
    &s3_view,        /* 5 */
    &expiry_view,    /* 6 */
    &toggles_view,   /* 7 */
    &jobs_view,      /* :jobs, no number */
    &errors_view,    /* :errors only */
    &messages_view,  /* :messages, what m peeked */
    NULL,
};

/* The overview's sections, top to bottom: what needs a hand first. */
const struct overview_section *const overview_sections[] = {
    &reach_overview,        /* views/sns.c: SNS or SQS not answering from here */
    &dlq_overview,          /* views/dlq.c: DLQs holding messages */
    &sqs_overview,          /* views/sqs.c: queues with old messages */
    &sns_overview,          /* views/sns.c: topics failing, pending, without DLQ or logs */
    &credentials_overview,  /* views/credentials.c: the nearest expiry */
    &toggles_overview,      /* views/toggles.c: switches off or changing */
    &expiry_overview,       /* views/expiry.c: passwords, keys, secrets, app passwords */
    &errors_overview,       /* views/errors.c: calls failing now */
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
