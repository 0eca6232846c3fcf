/* ec2.h - Amazon EC2 over its query protocol (Version 2016-11-15, XML answers without a
 * Result wrapper): the VPC endpoints that give a private path to SNS, SQS and S3. Pure.
 * Conventions (request init, parse errors, _free, numbers, paging): see sqs.h.
 *
 * Exported API (summary):
 *   void ec2_describe_vpc_endpoints_request(r, &ec2_vpce_params);       paged: NextToken
 *   int  ec2_describe_vpc_endpoints_parse(resp, &ec2_vpc_endpoint_list, err);
 *   void ec2_vpc_endpoint_list_free(&l); */
#ifndef OPSDECK_AWS_EC2_H
#define OPSDECK_AWS_EC2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/awserr.h"
#include "core/request.h"

struct ec2_vpce_params {
    const char *const *service_names; /* filter service-name ("com.amazonaws.eu-west-1.sns"),
                                       * any of them; none: every endpoint */
    size_t nservice_names;
    int max_results;                  /* 5..1000 (clamped); 0: omitted */
    const char *next_token;
};

struct ec2_vpc_endpoint {
    char *id;                 /* vpce-... */
    char *type;               /* "Interface", "Gateway", "GatewayLoadBalancer" */
    char *vpc_id;
    char *service_name;
    char *state;              /* "available", "pending", "failed", "rejected", "deleting"... */
    bool private_dns;         /* privateDnsEnabled (Interface endpoints) */
    int64_t created;          /* creationTimestamp, epoch seconds, -1 if absent */
    char **dns_names;         /* dnsEntrySet/item/dnsName */
    size_t ndns_names;
};

struct ec2_vpc_endpoint_list {
    struct ec2_vpc_endpoint *endpoints;
    size_t n;
    char *next_token;
};

void ec2_describe_vpc_endpoints_request(struct aws_request *r, const struct ec2_vpce_params *p);
/* An endpoint without an id, service name or state, or a boolean or time that does not
 * read, fails the parse. */
int ec2_describe_vpc_endpoints_parse(const struct aws_response *resp,
                                     struct ec2_vpc_endpoint_list *out, struct aws_error *err);
void ec2_vpc_endpoint_list_free(struct ec2_vpc_endpoint_list *l);

#endif
