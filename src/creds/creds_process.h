/* creds_process.h - credential_process (creds_process.c): what it exports besides its
 * struct creds_provider (declared in creds_provider.h).
 *
 * The splitter and the parser are exported so unit tests can feed them malformed input. */
#ifndef OPSDECK_CREDS_PROCESS_H
#define OPSDECK_CREDS_PROCESS_H

#include <stddef.h>

#include "core/awserr.h"
#include "creds/creds.h"

/* Splits a credential_process command line as Python's shlex.split (POSIX mode, no
 * comments) does, which is what botocore runs, without a shell. Returns a NULL-terminated
 * argv (free with creds_argv_free), or NULL with *why set to a static reason ("no closing
 * quotation", "no escaped character"). An empty line gives an argv with no words. */
char **creds_shell_split(const char *line, const char **why);
void creds_argv_free(char **argv);

/* Parses credential_process output (JSON, Version 1). what names the step for messages
 * ("profile dev: credential_process helper"); it is also the credential's source. NULL with
 * err set for anything malformed; secrets in the parse tree are wiped either way. */
struct aws_credentials *creds_process_parse(const char *json, size_t len, const char *what,
                                            struct aws_error *err);

#endif
