/* adaptive.h - which rows of a long list a poll cycle refreshes: pure, no store, no clock.
 *
 * A source that describes every row of a list one request at a time (GetQueueAttributes
 * per queue) would cost a request per row per cycle: 6000 a minute for 1000 queues at a
 * 10 s interval. Instead, each cycle refreshes
 *   - the rows on screen, and rows with a problem (a DLQ holding messages, a queue whose
 *     depth grew at its last two reads), wherever they are:
 *     every cycle, so a change there shows within one interval;
 *   - rows never read: at once (the overview needs every total);
 *   - of the others, at most ADAPTIVE_OFFSCREEN_PER_CYCLE, the longest unread first, and
 *     none read within the last interval. Off-screen rows are therefore read every
 *     ceil(off-screen rows / ADAPTIVE_OFFSCREEN_PER_CYCLE) cycles: as often as on-screen
 *     rows in a small fleet, progressively less often as it grows (1000 queues: every 25
 *     cycles, about 4 minutes at 10 s), at a cost per cycle that does not grow with it. */
#ifndef OPSDECK_ADAPTIVE_H
#define OPSDECK_ADAPTIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Off-screen rows refreshed per cycle, at most: 40 GetQueueAttributes per 10 s cycle is
 * 240 a minute, beside about as many for a screenful of rows. */
#define ADAPTIVE_OFFSCREEN_PER_CYCLE 40

struct adaptive_row {
    bool on_screen;
    bool problem;
    int64_t age_ms;     /* since its last good read; -1: never read */
    bool refresh;       /* out: read it in this cycle */
};

/* Sets refresh on each of rows[0..n) for a cycle of the given interval (ms). forced: the
 * user asked for it (`r`): rows on screen and with a problem are read however recently they
 * were. Returns how many are to be read. */
size_t adaptive_select(struct adaptive_row *rows, size_t n, int64_t interval_ms, bool forced);

/* How often an off-screen row is read with n rows of which on_screen are on screen (ms):
 * for the age at which such a row reads stale. */
int64_t adaptive_offscreen_period(size_t n, size_t on_screen, int64_t interval_ms);

/* A depth history (oldest first) that says "growing": the last read is above the one
 * before it. */
bool adaptive_growing(const double *history, size_t n);

#endif
