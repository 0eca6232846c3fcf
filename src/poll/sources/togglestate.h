/* togglestate.h - what AWS's own states of a switch mean to a person: on, off, changing or
 * unknown. The toggle sources write it as the rows' "state"; the flip action reads it to say
 * before -> after and to know when a flip is confirmed. */
#ifndef OPSDECK_TOGGLESTATE_H
#define OPSDECK_TOGGLESTATE_H

#include <stdbool.h>

#define TOGGLE_ON "on"
#define TOGGLE_OFF "off"
#define TOGGLE_CHANGING "changing"
#define TOGGLE_UNKNOWN "unknown"
/* A parameter found under a [toggles] path that no [toggle NAME] declares: read-only. */
#define TOGGLE_VALUE "value"

/* The flip action's title (act/toggle.c): a job of it on a row's name is a flip of this
 * session still being confirmed, which the view shows as changing. */
#define TOGGLE_FLIP_TITLE "Flip a toggle"

/* The three kinds of switch, in the order the view and `opsdeck toggle list` show them. */
struct togglestate_kind {
    const char *kind;   /* the store kind: "mapping" */
    const char *type;   /* the TYPE column: "trigger" */
    const char *what;   /* for "not read yet" lines: "Lambda SQS triggers" */
};
#define TOGGLESTATE_NKINDS 3
extern const struct togglestate_kind togglestate_kinds[TOGGLESTATE_NKINDS];

/* Lambda event-source mapping State: Enabled on, Disabled off, Enabling, Disabling,
 * Updating, Creating and Deleting changing, anything else unknown. */
const char *togglestate_mapping(const char *aws_state);
/* EventBridge rule State: ENABLED (and ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS) on,
 * DISABLED off, anything else unknown. */
const char *togglestate_rule(const char *aws_state);
/* A declared parameter: its value compared with the toggle's on and off values, exactly
 * (SSM keeps values as written); NULL value (not read) unknown. */
const char *togglestate_parameter(const char *value, const char *on, const char *off);

/* The last part of an ARN after its last ':' ("orders" of arn:aws:sqs:...:orders), or the
 * function's name after ":function:" (without a qualifier). Copies into out (size n). */
void togglestate_arn_name(const char *arn, char *out, unsigned n);

#endif
