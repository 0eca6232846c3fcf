/* download.h - "download" (an S3 object or one version of it, the s3 view's `d`) and
 * "download-payload" (the S3 object an SQS extended-client pointer names, the messages
 * view's `d`): the whole object to a local file, streamed to disk as it arrives (request.h
 * aws_stream: never held in memory, so no size limit), as a job with progress in bytes.
 *
 * A read (HeadObject, then GetObject): read-only mode allows it; what it writes is a local
 * file, which the form says. The bytes go to DEST.part (0600, no symlink followed), which
 * is renamed to DEST once complete and verified: the size HeadObject gave, and the MD5 of
 * the bytes against the ETag when that is an MD5 (not a multipart upload's "...-N"). A
 * failed or cancelled download keeps DEST.part; starting again on the same object resumes
 * it with a Range GET from its end (If-Match the ETag, so the rest comes from the same
 * object; the ETag is kept in the .part's user.opsdeck.etag attribute where the file
 * system allows it). A corrupt result (size or MD5 wrong) is deleted. DEST is never
 * replaced unless the form says so.
 *
 * Form fields: "file" (the destination; an existing directory gets the key's safe name in
 * it), "exists" (DOWNLOAD_KEEP or DOWNLOAD_OVERWRITE), "partial" (DOWNLOAD_RESUME or
 * DOWNLOAD_RESTART). */
#ifndef OPSDECK_DOWNLOAD_H
#define OPSDECK_DOWNLOAD_H

#include <stddef.h>

#define DOWNLOAD_KEEP "keep it: refuse"
#define DOWNLOAD_OVERWRITE "overwrite it"
#define DOWNLOAD_RESUME "resume it"
#define DOWNLOAD_RESTART "start over"

/* A file name for key that stays in the directory it is joined to: the key's last
 * segment, with control characters, invalid UTF-8 and '\\' made '_', cut to 200 bytes on a
 * character boundary; "." and ".." (and an empty last segment: a key ending in '/') become
 * "download". key may be NULL. The caller frees. */
char *download_safe_name(const char *key);

/* dir + "/" + download_safe_name(key) (dir NULL: the current directory). The caller frees. */
char *download_default_path(const char *dir, const char *key);

/* How many bytes of a resumed .part are hashed per loop turn (0: the default, 1 MiB); for
 * the headless test mode only (OPSDECK_TEST_CHECK_STEP), so a test can see the check go
 * on while keys are answered. */
void download_set_check_step(size_t bytes);

#endif
