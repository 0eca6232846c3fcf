/* xmlutil.h - safe reading of XML responses (query protocol, S3) on libxml2.
 *
 * Exported API (summary):
 *   xmlDoc  *xml_parse(data, len, err);               NULL + error on empty/malformed/DTD
 *   void     xml_free(doc);
 *   xmlNode *xml_root(doc);
 *   xmlNode *xml_child(parent, local_name);           first element child, any namespace
 *   xmlNode *xml_next(node, local_name);              next sibling element of that name
 *   xmlNode *xml_path(node, "A/B/C");                 chain of xml_child
 *   XML_FOREACH(var, parent, local_name) { ... }      repeated elements (<member>, <Contents>)
 *   char    *xml_text(node);                          malloc'd text content ("" when empty)
 *   int      xml_child_text(parent, name, &char*, err);            1 found, 0 absent
 *   int      xml_child_int64(parent, name, min, max, &int64_t, err); 1, 0, -1 bad number
 *   int      xml_child_double(parent, name, &double, err);
 *   int      xml_child_bool(parent, name, &bool, err);
 *   int      xml_child_required(parent, name, &char*, err);     0, or -1 "no <name>"
 *   bool     xml_name_is(node, local_name);
 *   xmlNode *xml_query_result(doc, action, err);      <ActionResponse><ActionResult>
 *
 * Security: the parser never touches the network (XML_PARSE_NONET), never substitutes
 * entities (XML_PARSE_NOENT is deliberately not set) and rejects any document that has a DTD,
 * so billion-laughs and external-entity tricks fail with an error instead of expanding. AWS
 * responses never carry a DTD. */
#ifndef OPSDECK_XMLUTIL_H
#define OPSDECK_XMLUTIL_H

#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/awserr.h"

/* Returns the document, or NULL with err set (AWS_ERR_PARSE): empty body, not well-formed
 * ("XML error at line 3: ..."), a DTD or entity declaration, no root element. */
xmlDoc *xml_parse(const char *data, size_t len, struct aws_error *err);
void xml_free(xmlDoc *doc);
xmlNode *xml_root(xmlDoc *doc);

/* Element lookups compare the local name only, so responses with or without the
 * xmlns="http://.../doc/2010-03-31/" default namespace (moto vs AWS) read the same. NULL
 * parent is allowed and gives NULL. */
bool xml_name_is(const xmlNode *n, const char *local_name);
xmlNode *xml_child(const xmlNode *parent, const char *local_name);
xmlNode *xml_next(const xmlNode *node, const char *local_name);
xmlNode *xml_path(const xmlNode *node, const char *path);

/* Query protocol: checks the root is <{action}Response> and returns its <{action}Result>
 * child; NULL with err set otherwise (e.g. an <ErrorResponse> body). */
xmlNode *xml_query_result(xmlDoc *doc, const char *action, struct aws_error *err);

#define XML_FOREACH(var, parent, name) \
    for (xmlNode *var = xml_child((parent), (name)); var; var = xml_next(var, (name)))

/* Text content of the element (entity references are NOT expanded: predefined ones like
 * &amp; and character references are decoded by the parser anyway). Never NULL; the caller
 * frees. */
char *xml_text(const xmlNode *n);

/* Child getters: 1 when the child element exists (out set; strings malloc'd), 0 when it is
 * absent (out untouched), -1 with err set ("<Size> is not a number: 'abc'") when its text does
 * not convert or is out of range. */
int xml_child_text(const xmlNode *parent, const char *name, char **out, struct aws_error *err);
int xml_child_int64(const xmlNode *parent, const char *name, int64_t min, int64_t max,
                    int64_t *out, struct aws_error *err);
int xml_child_double(const xmlNode *parent, const char *name, double *out, struct aws_error *err);
int xml_child_bool(const xmlNode *parent, const char *name, bool *out, struct aws_error *err);
/* A child that must be there with text in it: 0 (out malloc'd), or -1 with err "no <name>"
 * and *out NULL. */
int xml_child_required(const xmlNode *parent, const char *name, char **out,
                       struct aws_error *err);

#endif
