/* xmlutil.c - safe XML response reading on libxml2 (see xmlutil.h for the rules). */
#include "config.h"
#include "core/xmlutil.h"
#include "core/proto.h"
#include "util/xalloc.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct dtd_guard {
    bool saw_dtd;
};

/* SAX hook run when the parser meets <!DOCTYPE ...>: stop right there, before any entity
 * declaration is read, so nothing of a hostile DTD is ever processed. */
static void stop_on_dtd(void *ctx, const xmlChar *name, const xmlChar *eid, const xmlChar *sid)
{
    xmlParserCtxtPtr ctxt = ctx;
    struct dtd_guard *g = ctxt->_private;

    g->saw_dtd = true;
    xmlStopParser(ctxt);
}

static void stop_on_entity(void *ctx, const xmlChar *name, int type, const xmlChar *pid,
                           const xmlChar *sid, xmlChar *content)
{
    xmlParserCtxtPtr ctxt = ctx;
    struct dtd_guard *g = ctxt->_private;

    g->saw_dtd = true;
    xmlStopParser(ctxt);
}

/* libxml2 messages end with '\n'; trim it so ours read as one line. */
static void set_xml_error(struct aws_error *err, const xmlError *xe)
{
    char msg[512];
    size_t n;

    snprintf(msg, sizeof(msg), "%s", xe && xe->message ? xe->message : "unknown error");
    n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    aws_error_set(err, AWS_ERR_PARSE, "response is not well-formed XML (line %d: %s)",
                  xe ? xe->line : 0, msg);
}

xmlDoc *xml_parse(const char *data, size_t len, struct aws_error *err)
{
    xmlParserCtxtPtr ctxt;
    struct dtd_guard guard = { false };
    xmlDoc *doc;
    /* NONET: no network for external resources. NOENT is deliberately absent: entities are
     * never substituted. NONET|NOERROR|NOWARNING: nothing printed on stderr (the terminal
     * belongs to curses). */
    int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;

    if (!data || len == 0) {
        aws_error_set(err, AWS_ERR_PARSE, "empty response body (expected XML)");
        return NULL;
    }
    if (len > (size_t)INT32_MAX) {
        aws_error_set(err, AWS_ERR_PARSE, "XML response too large (%zu bytes)", len);
        return NULL;
    }
    ctxt = xmlNewParserCtxt();
    if (!ctxt)
        fatal("out of memory creating an XML parser");
    ctxt->_private = &guard;
    ctxt->sax->internalSubset = stop_on_dtd;
    ctxt->sax->externalSubset = stop_on_dtd;
    ctxt->sax->entityDecl = stop_on_entity;
    doc = xmlCtxtReadMemory(ctxt, data, (int)len, NULL, NULL, opts);
    if (guard.saw_dtd) {
        aws_error_set(err, AWS_ERR_PARSE,
                      "XML response has a DTD or entity declaration, which AWS never sends; "
                      "refused");
        xmlFreeDoc(doc);
        doc = NULL;
    } else if (!doc || !ctxt->wellFormed) {
        set_xml_error(err, xmlCtxtGetLastError(ctxt));
        xmlFreeDoc(doc);
        doc = NULL;
    } else if (doc->intSubset || doc->extSubset) {
        aws_error_set(err, AWS_ERR_PARSE, "XML response has a DTD, refused");
        xmlFreeDoc(doc);
        doc = NULL;
    } else if (!xmlDocGetRootElement(doc)) {
        aws_error_set(err, AWS_ERR_PARSE, "XML response has no root element");
        xmlFreeDoc(doc);
        doc = NULL;
    }
    xmlFreeParserCtxt(ctxt);
    return doc;
}

void xml_free(xmlDoc *doc)
{
    if (doc)
        xmlFreeDoc(doc);
}

xmlNode *xml_root(xmlDoc *doc)
{
    return doc ? xmlDocGetRootElement(doc) : NULL;
}

bool xml_name_is(const xmlNode *n, const char *local_name)
{
    return n && n->type == XML_ELEMENT_NODE && n->name &&
           strcmp((const char *)n->name, local_name) == 0;
}

xmlNode *xml_child(const xmlNode *parent, const char *local_name)
{
    if (!parent)
        return NULL;
    for (xmlNode *c = parent->children; c; c = c->next)
        if (xml_name_is(c, local_name))
            return c;
    return NULL;
}

xmlNode *xml_next(const xmlNode *node, const char *local_name)
{
    if (!node)
        return NULL;
    for (xmlNode *c = node->next; c; c = c->next)
        if (xml_name_is(c, local_name))
            return c;
    return NULL;
}

xmlNode *xml_path(const xmlNode *node, const char *path)
{
    char *copy = xstrdup(path);
    char *save = NULL;
    const xmlNode *cur = node;

    for (char *tok = strtok_r(copy, "/", &save); tok && cur; tok = strtok_r(NULL, "/", &save))
        cur = xml_child(cur, tok);
    free(copy);
    return (xmlNode *)cur;
}

/* Root element's local name for error messages, shortened. */
static void root_name(xmlDoc *doc, char *out, size_t outlen)
{
    xmlNode *root = xml_root(doc);

    snprintf(out, outlen, "%s", root && root->name ? (const char *)root->name : "(none)");
}

xmlNode *xml_query_result(xmlDoc *doc, const char *action, struct aws_error *err)
{
    char want[128], got[64];
    xmlNode *res;

    snprintf(want, sizeof(want), "%sResponse", action);
    if (!xml_name_is(xml_root(doc), want)) {
        root_name(doc, got, sizeof(got));
        aws_error_set(err, AWS_ERR_PARSE, "expected <%s>, got <%s>", want, got);
        return NULL;
    }
    snprintf(want, sizeof(want), "%sResult", action);
    res = xml_child(xml_root(doc), want);
    if (!res)
        aws_error_set(err, AWS_ERR_PARSE, "no <%s> in the response", want);
    return res;
}

char *xml_text(const xmlNode *n)
{
    xmlChar *c;
    char *s;

    if (!n)
        return xstrdup("");
    c = xmlNodeGetContent(n);
    s = xstrdup(c ? (const char *)c : "");
    xmlFree(c);
    return s;
}

int xml_child_text(const xmlNode *parent, const char *name, char **out, struct aws_error *err)
{
    xmlNode *c = xml_child(parent, name);

    char *t;

    if (!c)
        return 0;
    t = xml_text(c);
    if (proto_check_len(name, strlen(t), PROTO_MAX_TEXT, err) < 0) {
        free(t);
        return -1;
    }
    *out = t;
    return 1;
}

int xml_child_required(const xmlNode *parent, const char *name, char **out,
                       struct aws_error *err)
{
    int rc;

    *out = NULL;
    if ((rc = xml_child_text(parent, name, out, err)) < 0)
        return -1;      /* past the cap: that error, not "no <name>" */
    if (rc == 0 || !**out) {
        free(*out);
        *out = NULL;
        aws_error_set(err, AWS_ERR_PARSE, "no <%s>", name);
        return -1;
    }
    return 0;
}

/* Shortens untrusted text quoted in an error message. */
static void quote_value(char *dst, size_t dstlen, const char *s)
{
    size_t n = strlen(s);

    if (n + 1 <= dstlen) {
        memcpy(dst, s, n + 1);
    } else {
        memcpy(dst, s, dstlen - 4);
        memcpy(dst + dstlen - 4, "...", 4);
    }
}

int xml_child_int64(const xmlNode *parent, const char *name, int64_t min, int64_t max,
                    int64_t *out, struct aws_error *err)
{
    xmlNode *c = xml_child(parent, name);
    char *t, q[48];
    int rc = 1;

    if (!c)
        return 0;
    t = xml_text(c);
    if (proto_parse_int64(t, min, max, out) < 0) {
        quote_value(q, sizeof(q), t);
        aws_error_set(err, AWS_ERR_PARSE, "<%s> is not an integer in [%lld, %lld]: '%s'", name,
                      (long long)min, (long long)max, q);
        rc = -1;
    }
    free(t);
    return rc;
}

int xml_child_double(const xmlNode *parent, const char *name, double *out, struct aws_error *err)
{
    xmlNode *c = xml_child(parent, name);
    char *t, q[48];
    int rc = 1;

    if (!c)
        return 0;
    t = xml_text(c);
    if (proto_parse_double(t, out) < 0) {
        quote_value(q, sizeof(q), t);
        aws_error_set(err, AWS_ERR_PARSE, "<%s> is not a number: '%s'", name, q);
        rc = -1;
    }
    free(t);
    return rc;
}

int xml_child_bool(const xmlNode *parent, const char *name, bool *out, struct aws_error *err)
{
    xmlNode *c = xml_child(parent, name);
    char *t, q[48];
    int rc = 1;

    if (!c)
        return 0;
    t = xml_text(c);
    if (proto_parse_bool(t, out) < 0) {
        quote_value(q, sizeof(q), t);
        aws_error_set(err, AWS_ERR_PARSE, "<%s> is not true or false: '%s'", name, q);
        rc = -1;
    }
    free(t);
    return rc;
}
