/* ec2.c - EC2 DescribeVpcEndpoints (query protocol, EC2's XML). */
#include "config.h"
#include "aws/ec2.h"
#include "core/proto.h"
#include "core/xmlutil.h"
#include "util/xalloc.h"
#include "util/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EC2_VERSION "2016-11-15"

void ec2_describe_vpc_endpoints_request(struct aws_request *r, const struct ec2_vpce_params *p)
{
    aws_request_init(r, "ec2", "DescribeVpcEndpoints", "POST");
    proto_query_request(r, "DescribeVpcEndpoints", EC2_VERSION, NULL);
    if (p && p->nservice_names) {
        proto_query_add(r, "Filter.1.Name", "service-name");
        for (size_t i = 0; i < p->nservice_names; i++)
            proto_query_addf(r, p->service_names[i], "Filter.1.Value.%zu", i + 1);
    }
    if (p && p->max_results > 0) {
        char n[16];
        snprintf(n, sizeof(n), "%d",
                 p->max_results < 5 ? 5 : p->max_results > 1000 ? 1000 : p->max_results);
        proto_query_add(r, "MaxResults", n);
    }
    if (p && p->next_token && *p->next_token)
        proto_query_add(r, "NextToken", p->next_token);
}

void ec2_vpc_endpoint_list_free(struct ec2_vpc_endpoint_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        struct ec2_vpc_endpoint *e = &l->endpoints[i];
        free(e->id);
        free(e->type);
        free(e->vpc_id);
        free(e->service_name);
        free(e->state);
        proto_strings_free(e->dns_names, e->ndns_names);
    }
    free(l->endpoints);
    free(l->next_token);
    memset(l, 0, sizeof(*l));
}

static int parse_endpoint(const xmlNode *item, struct ec2_vpc_endpoint *e, struct aws_error *err)
{
    char *when = NULL;

    e->created = -1;
    if (xml_child_required(item, "vpcEndpointId", &e->id, err) < 0 ||
        xml_child_required(item, "serviceName", &e->service_name, err) < 0 ||
        xml_child_required(item, "state", &e->state, err) < 0 ||
        xml_child_bool(item, "privateDnsEnabled", &e->private_dns, err) < 0)
        return -1;
    xml_child_text(item, "vpcEndpointType", &e->type, err);
    xml_child_text(item, "vpcId", &e->vpc_id, err);
    if (xml_child_text(item, "creationTimestamp", &when, err) == 1 &&
        timeutil_parse_iso8601(when, &e->created) < 0) {
        aws_error_set(err, AWS_ERR_PARSE, "<creationTimestamp> is not an ISO 8601 time: "
                      "'%.40s'", when);
        free(when);
        return -1;
    }
    free(when);
    XML_FOREACH(d, xml_child(item, "dnsEntrySet"), "item") {
        char *name = NULL;
        if (xml_child_text(d, "dnsName", &name, err) != 1)
            continue;
        e->dns_names = proto_grow(e->dns_names, e->ndns_names, sizeof(char *));
        e->dns_names[e->ndns_names++] = name;
    }
    return 0;
}

int ec2_describe_vpc_endpoints_parse(const struct aws_response *resp,
                                     struct ec2_vpc_endpoint_list *out, struct aws_error *err)
{
    struct ec2_vpc_endpoint_list l = { 0 };
    xmlDoc *doc;
    xmlNode *root;

    memset(out, 0, sizeof(*out));
    doc = xml_parse(resp->body.data, resp->body.len, err);
    if (!doc)
        goto fail;
    root = xml_root(doc);
    if (!xml_name_is(root, "DescribeVpcEndpointsResponse")) {
        aws_error_set(err, AWS_ERR_PARSE, "expected <DescribeVpcEndpointsResponse>, got <%.40s>",
                      (const char *)root->name);
        goto fail;
    }
    XML_FOREACH(item, xml_child(root, "vpcEndpointSet"), "item") {
        l.endpoints = proto_grow(l.endpoints, l.n, sizeof(*l.endpoints));
        memset(&l.endpoints[l.n], 0, sizeof(l.endpoints[0]));
        if (parse_endpoint(item, &l.endpoints[l.n++], err) < 0) {
            char what[32];
            snprintf(what, sizeof(what), "endpoint %zu", l.n);
            proto_error_prefix(err, what);
            goto fail;
        }
    }
    if (xml_child_text(root, "nextToken", &l.next_token, err) == 1 && !*l.next_token) {
        free(l.next_token);
        l.next_token = NULL;
    }
    xml_free(doc);
    *out = l;
    return 0;
fail:
    xml_free(doc);
    ec2_vpc_endpoint_list_free(&l);
    proto_error_response(err, resp, "EC2 DescribeVpcEndpoints");
    return -1;
}
