/* fmt.h - numbers and times as the console writes them: short, fixed forms an engineer
 * reads at a glance, the same in every view. Each writes into buf (size n, always
 * NUL-terminated, cut if too small) and returns buf. */
#ifndef OPSDECK_FMT_H
#define OPSDECK_FMT_H

#include <stddef.h>
#include <stdint.h>

/* A count: "0", "1234", "98765"; from 1,000,000 up "1.2M", from 10^9 "3.4G" (a depth
 * column is 7 wide); negative (unknown) gives "-". */
char *fmt_count(char *buf, size_t n, int64_t v);
/* A signed change: "+12", "-3", "0"; large values as fmt_count with the sign. */
char *fmt_delta(char *buf, size_t n, int64_t v);
/* A duration, two units at most: "0s", "45s", "12m03s", "3h12m", "2d04h", "400d";
 * negative gives "-". */
char *fmt_duration(char *buf, size_t n, int64_t seconds);
/* An age for the status line, one unit: "0s", "12s", "2m", "3h", "2d". */
char *fmt_age(char *buf, size_t n, int64_t ms);
/* A setting in seconds, exact, every non-zero unit: "30s", "4d", "1d12h", "1m30s", "0s";
 * negative gives "-". Queue attributes (MessageRetentionPeriod 345600 -> "4d"), where a
 * rounded "4d00h" would hide the value the attribute really holds. */
char *fmt_seconds(char *buf, size_t n, int64_t seconds);
/* A size in bytes, binary units: "512 B", "256 KiB", "1 MiB", "1.5 MiB" (one decimal, cut,
 * when it is not a whole number of the unit); negative gives "-". */
char *fmt_bytes(char *buf, size_t n, int64_t bytes);
/* A rate of change per minute, signed: "+12", "-3", "0", "+0.5" (one decimal below 10);
 * not finite gives "-". */
char *fmt_rate(char *buf, size_t n, double per_minute);
/* A credential countdown: "12m03s" while valid, "expired 3m ago" once past, "no expiry"
 * for INT64_MAX. */
char *fmt_countdown(char *buf, size_t n, int64_t seconds_left);

#endif
