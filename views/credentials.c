/* credentials.c - the overview's credentials section: the credential that expires first
 * (the "credential" rows the credentials source writes), its countdown coloured by the
 * expiry_warn threshold, and why its last refresh failed when it did. Enter opens the
 * expiry view on that credential's row, where Enter again renews it. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>

#include "poll/sources/sources.h"
#include "util/fmt.h"
#include "view.h"

static void overview_build(struct overview_lines *l, const struct view_ctx *ctx, char *none,
                           size_t nonelen)
{
    const struct appconfig_thresholds *th = appconfig_thresholds(ctx->cfg);
    const struct store_res *r;
    int64_t left = credentials_nearest(ctx->store, ctx->now_ms / 1000, &r);
    const char *method, *failed;
    char name[256], right[48], jump_key[300];
    enum theme_element style = THEME_N_ELEMENTS;

    snprintf(none, nonelen, "no credentials held");
    if (!r)
        return;
    method = store_res_str(r, "method");
    failed = store_res_str(r, "refresh_error");
    snprintf(name, sizeof(name), "profile %s: %s", store_res_key(r), method ? method : "?");
    fmt_countdown(right, sizeof(right), left);
    if (left == INT64_MAX)
        style = THEME_N_ELEMENTS;
    else if (left <= 0)
        style = THEME_CRITICAL;
    else if (left < th->expiry_warn)
        style = THEME_WARN;
    else
        style = THEME_OK;
    /* the expiry view's row id for it (poll/expiries.c: "<kind>/<store key>") */
    snprintf(jump_key, sizeof(jump_key), "credential/%s", store_res_key(r));
    overview_add(l, &(struct overview_item){
        .key = store_res_key(r), .name = name, .right = right, .style = style,
        .msg = failed && *failed ? failed : NULL, .jump_key = jump_key});
}

const struct overview_section credentials_overview = {
    .id = "credential",
    .title = "Credentials",
    .legend = "EXPIRES IN",
    .kind = "credential",
    .jump = "expiry",
    .build = overview_build,
};
