/* pager.h - the guard every paged AWS call goes through, so no listing runs forever.
 *
 * A listing (ListQueues, ListTopics, ListObjectsV2, GetMetricData, ListSecrets,
 * GetParametersByPath, ListRules, ListEventSourceMappings, FilterLogEvents ... one
 * paginated walk) keeps one struct aws_pager. After parsing each page, hand the page's next
 * token to aws_pager_next before asking for the next page:
 *
 *     struct aws_pager pg = {0};              // or aws_pager_init(&pg, max_pages)
 *     ...on each page:
 *     if (parse(resp, &page, &err) < 0 || aws_pager_next(&pg, page.next_token, resp, &err) < 0)
 *         -> the listing failed with err (names service:Action and the endpoint)
 *     else if (page.next_token)
 *         -> request the next page with page.next_token
 *     ...when the listing ends or is abandoned:
 *     aws_pager_done(&pg);
 *
 * It stops a listing whose token repeats one already seen in the same listing (an endpoint
 * that hands back the same or an earlier token would loop forever) and one that passes a
 * page cap (a token that changes forever). Tokens are remembered as 64-bit hashes, so a
 * listing costs 8 bytes per page whatever the tokens' size. A zeroed struct is a valid
 * pager with the default cap. */
#ifndef OPSDECK_PAGER_H
#define OPSDECK_PAGER_H

#include <stddef.h>
#include <stdint.h>

#include "core/awserr.h"
#include "core/request.h"

/* Pages one listing may take: 1000 pages is a million SQS queues at 1000 a page, or 100 000
 * SNS topics at 100; no account the console is meant for comes near it. */
#define AWS_PAGER_MAX_PAGES 1000
/* A next token longer than this is not a token (AWS's are at most a few KiB). */
#define AWS_PAGER_MAX_TOKEN 65536

struct aws_pager {
    unsigned max_pages;      /* 0: AWS_PAGER_MAX_PAGES */
    unsigned pages;          /* pages handed to aws_pager_next so far */
    uint64_t *seen;          /* hashes of the tokens seen */
    size_t nseen, cap;
};

void aws_pager_init(struct aws_pager *pg, unsigned max_pages);
/* Frees what the pager holds and makes it ready for a new listing. */
void aws_pager_done(struct aws_pager *pg);

/* One page is in; token is its next token (NULL or "" on the last page). Returns 1 when
 * there is a next page to ask for, 0 when the listing is complete, and -1 with err set
 * (AWS_ERR_PARSE, code "PaginationLoop" or "PaginationLimit", service, action and endpoint
 * from resp) when the token was already seen in this listing, is too long, or the page cap
 * is reached. */
int aws_pager_next(struct aws_pager *pg, const char *token, const struct aws_response *resp,
                   struct aws_error *err);

/* A listing whose pages come in different poll cycles (the s3 view loads a page when the
 * cursor nears the end) keeps its pager's seen tokens in the store between them:
 * aws_pager_save gives them as text (16 hex digits a token, space-separated; at most 17
 * bytes a page, and a listing stops at its page cap) for the caller to free, and
 * aws_pager_restore puts them back into a zeroed or done pager, with the pages read so far
 * (so errors say which page of the listing it was). Text that is not what save
 * wrote restores nothing (the listing then only loses its memory, never its cap). */
char *aws_pager_save(const struct aws_pager *pg);
void aws_pager_restore(struct aws_pager *pg, const char *text, unsigned pages);

#endif
