/* togglestate.c - AWS states of a switch as on, off, changing or unknown (togglestate.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "poll/sources/togglestate.h"

const struct togglestate_kind togglestate_kinds[TOGGLESTATE_NKINDS] = {
    {"mapping", "trigger", "Lambda SQS triggers"},
    {"rule", "rule", "EventBridge rules"},
    {"parameter", "param", "SSM parameters"},
};

const char *togglestate_mapping(const char *s)
{
    static const char *const changing[] = {"Enabling", "Disabling", "Updating", "Creating",
                                           "Deleting"};

    if (!s)
        return TOGGLE_UNKNOWN;
    if (strcmp(s, "Enabled") == 0)
        return TOGGLE_ON;
    if (strcmp(s, "Disabled") == 0)
        return TOGGLE_OFF;
    for (size_t i = 0; i < sizeof(changing) / sizeof(changing[0]); i++)
        if (strcmp(s, changing[i]) == 0)
            return TOGGLE_CHANGING;
    return TOGGLE_UNKNOWN;
}

const char *togglestate_rule(const char *s)
{
    if (s && strncmp(s, "ENABLED", 7) == 0 && (s[7] == '\0' || s[7] == '_'))
        return TOGGLE_ON;
    if (s && strcmp(s, "DISABLED") == 0)
        return TOGGLE_OFF;
    return TOGGLE_UNKNOWN;
}

const char *togglestate_parameter(const char *value, const char *on, const char *off)
{
    if (value && on && strcmp(value, on) == 0)
        return TOGGLE_ON;
    if (value && off && strcmp(value, off) == 0)
        return TOGGLE_OFF;
    return TOGGLE_UNKNOWN;
}

void togglestate_arn_name(const char *arn, char *out, unsigned n)
{
    const char *f, *p;
    size_t len;

    if (!arn) {
        snprintf(out, n, "?");
        return;
    }
    f = strstr(arn, ":function:");
    if (f) {
        f += strlen(":function:");
        len = strcspn(f, ":");
        snprintf(out, n, "%.*s", (int)len, f);
        return;
    }
    p = strrchr(arn, ':');
    snprintf(out, n, "%s", p ? p + 1 : arn);
}
