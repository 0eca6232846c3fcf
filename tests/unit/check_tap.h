/* check_tap.h - run a Check suite so that every case is reported as a TAP line.
 * The test harness sets CK_TAP_LOG_FILE_NAME=- (TAP on stdout) and CK_VERBOSITY=silent. */
#ifndef OPSDECK_CHECK_TAP_H
#define OPSDECK_CHECK_TAP_H

#include <check.h>
#include <stdlib.h>

static inline int check_tap_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    int failed;

    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
