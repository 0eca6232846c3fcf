/* fuzz_util.h - what the libFuzzer targets share: an input as an AWS response body, and an
 * input as a file (a memfd, so nothing is written to disk) for the readers that take a path.
 * Built only with ./configure --enable-fuzzing (clang); see doc/fuzzing.md. */
#ifndef OPSDECK_FUZZ_UTIL_H
#define OPSDECK_FUZZ_UTIL_H

#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A 200 response whose body is the input (the parsers read only the body). */
static inline void fuzz_response(struct aws_response *r, const uint8_t *data, size_t size)
{
    aws_response_init(r);
    r->status = 200;
    r->service = "fuzz";
    r->action = "Fuzz";
    r->endpoint = "http://127.0.0.1:1";
    buf_append(&r->body, data, size);
}

/* The input as a readable file: its path goes to *path (a /proc/self/fd name). Returns
 * the descriptor to close afterwards, or -1. */
static inline int fuzz_file(const uint8_t *data, size_t size, char *path, size_t pathlen)
{
    int fd = memfd_create("fuzz", 0);

    if (fd < 0)
        return -1;
    if (size && write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return -1;
    }
    snprintf(path, pathlen, "/proc/self/fd/%d", fd);
    return fd;
}

#endif
