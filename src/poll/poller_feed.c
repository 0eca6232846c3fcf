/* poller_feed.c - the poller as the UI's feed (feed.h): each operation is the poller's own. */
#include "config.h"

#include "poll/poller.h"

static int feed_tick_poller(void *impl, int64_t now_ms)
{
    return poller_tick(impl, now_ms);
}

static bool feed_busy_poller(const void *impl)
{
    return poller_busy(impl);
}

static unsigned long feed_rounds_poller(const void *impl)
{
    return poller_rounds(impl);
}

static void feed_refresh_poller(void *impl)
{
    poller_refresh(impl);
}

static void feed_set_view_poller(void *impl, enum appconfig_view view)
{
    poller_set_view(impl, view);
}

static void feed_set_detail_poller(void *impl, const char *key)
{
    poller_set_detail(impl, key);
}

static void feed_set_on_screen_poller(void *impl, const char *const *keys, size_t n)
{
    poller_set_on_screen(impl, keys, n);
}

static void feed_set_profile_poller(void *impl, const char *profile)
{
    poller_set_profile(impl, profile);
}

static void feed_free_poller(void *impl)
{
    poller_free(impl);
}

const struct feed_ops poller_feed_ops = {
    .name = "poller",
    .tick = feed_tick_poller,
    .busy = feed_busy_poller,
    .rounds = feed_rounds_poller,
    .refresh_now = feed_refresh_poller,
    .set_view = feed_set_view_poller,
    .set_detail = feed_set_detail_poller,
    .set_on_screen = feed_set_on_screen_poller,
    .set_profile = feed_set_profile_poller,
    .free = feed_free_poller,
};
