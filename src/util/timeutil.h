/* timeutil.h - times: the monotonic clock that timers run on, ISO-8601 as AWS and the
 * credential sources write it, and HTTP dates. One implementation of each
 * for the whole program. */
#ifndef OPSDECK_TIMEUTIL_H
#define OPSDECK_TIMEUTIL_H

#include <stdint.h>

/* Milliseconds on the monotonic clock (never steps back with the wall clock): timers, the
 * poll schedule, retry deadlines and child-process timeouts. */
int64_t timeutil_mono_ms(void);

/* Parses an ISO-8601 date and time with a zone:
 *   YYYY-MM-DD ('T' | 't' | ' ') HH:MM [':' SS [('.' | ',') DIGITS]] ('Z' | 'z' | ('+' | '-') HH [':'] MM)
 * the forms AWS answers carry (STS, S3, CloudWatch: "2024-01-02T03:04:05.123Z") and the ones
 * credential sources write (credential_process, container and instance metadata, the SSO
 * token cache: offsets with or without a colon, minutes without seconds). A time without a
 * zone is refused: it would be read in whichever zone the machine is in. Fractions of a
 * second are dropped; a leap second (:60) counts as the next minute's first. Days are
 * checked against the month and leap years. 0 with *epoch (seconds since 1970-01-01 UTC,
 * negative before), or -1 with *epoch untouched. */
int timeutil_parse_iso8601(const char *s, int64_t *epoch);

/* An HTTP date (S3's Last-Modified and restore expiry, the Date of an answer that says the
 * clock is skewed) in the three forms RFC 9110 (5.6.7) asks a recipient to accept:
 *   IMF-fixdate  "Thu, 03 Dec 2026 09:59:51 GMT"     (what servers send)
 *   RFC 850      "Thursday, 03-Dec-26 09:59:51 GMT"  (a two-digit year more than 50 years
 *                                                     ahead is read as the century before)
 *   asctime      "Thu Dec  3 09:59:51 2026"
 * Names are case-sensitive and fields fixed-width, as the grammar has them; days are checked
 * against the month and leap years. 0 with *epoch, or -1 (*epoch untouched). */
int timeutil_parse_http_date(const char *s, int64_t *epoch);

/* "2024-01-02T03:04:05Z" (UTC, whole seconds) into out, which holds 21 bytes. Years outside
 * 0..9999 do not fit the form and give "1970-01-01T00:00:00Z". */
void timeutil_format_iso8601(int64_t epoch, char out[21]);

#endif
