/* errparse.c - AWS error bodies and curl failures into struct aws_error. */
#include "config.h"
#include "core/errparse.h"

#include <cjson/cJSON.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Copies AWS text into a fixed field as it is: it stays untrusted, and is escaped by
 * sanitize_text() where it is shown (aws_error_describe), so a user sees an ESC as \x1B
 * instead of not seeing it at all. A cut never leaves half a UTF-8 sequence at the end. */
static void copy_field(char *dst, size_t dstlen, const char *src)
{
    size_t n;

    if (!src || !*src || dstlen == 0)
        return;
    n = strnlen(src, dstlen - 1);
    if (src[n]) {
        size_t k = n;
        while (k > 0 && ((unsigned char)src[k - 1] & 0xc0) == 0x80)
            k--;
        if (k > 0 && ((unsigned char)src[k - 1] & 0xc0) == 0xc0)
            n = k - 1;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* --- XML --------------------------------------------------------------------------- */

static xmlNode *xml_find(xmlNode *n, const char *name, int depth)
{
    if (depth > 8)
        return NULL;
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)n->name, name) == 0)
            return n;
        xmlNode *c = xml_find(n->children, name, depth + 1);
        if (c)
            return c;
    }
    return NULL;
}

static xmlNode *xml_child(xmlNode *n, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
            return c;
    return NULL;
}

static void xml_copy(xmlNode *n, char *dst, size_t dstlen)
{
    if (!n)
        return;
    xmlChar *t = xmlNodeGetContent(n);
    if (t) {
        /* trim surrounding whitespace of pretty-printed documents */
        const char *s = (const char *)t;
        while (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')
            s++;
        size_t len = strlen(s);
        while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\n' || s[len - 1] == '\r' ||
                           s[len - 1] == '\t'))
            len--;
        char tmp[1024];
        if (len >= sizeof(tmp))
            len = sizeof(tmp) - 1;
        memcpy(tmp, s, len);
        tmp[len] = '\0';
        copy_field(dst, dstlen, tmp);
        xmlFree(t);
    }
}

/* Returns 0 when an error code was found. */
static int parse_xml(const char *body, size_t len, struct aws_error *e)
{
    /* NONET and no NOENT: no external entities, no network, no entity expansion */
    xmlDoc *doc = xmlReadMemory(body, (int)len, "error.xml", NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    int rc = -1;

    if (!doc)
        return -1;
    xmlNode *root = xmlDocGetRootElement(doc);
    /* <ErrorResponse><Error>, <Response><Errors><Error>, <Error> (S3) */
    xmlNode *err = xml_find(root, "Error", 0);
    if (err) {
        xmlNode *code = xml_child(err, "Code");
        if (code) {
            char tmp[sizeof(e->code)] = "";
            xml_copy(code, tmp, sizeof(tmp));
            if (tmp[0]) {
                memcpy(e->code, tmp, sizeof(tmp));
                rc = 0;
            }
        }
        xml_copy(xml_child(err, "Message"), e->message, sizeof(e->message));
        xmlNode *rid = xml_child(err, "RequestId");
        if (rid)
            xml_copy(rid, e->request_id, sizeof(e->request_id));
    }
    if (!e->request_id[0]) {
        xmlNode *rid = xml_find(root, "RequestId", 0);
        if (!rid)
            rid = xml_find(root, "RequestID", 0);   /* EC2 */
        xml_copy(rid, e->request_id, sizeof(e->request_id));
    }
    xmlFreeDoc(doc);
    return rc;
}

/* --- JSON -------------------------------------------------------------------------- */

/* "com.amazonaws.sqs#QueueDoesNotExist" and "ValidationException:http://internal..." both
 * mean the bare name. */
static void set_json_code(struct aws_error *e, const char *raw)
{
    char tmp[sizeof(e->code)];
    const char *hash = strrchr(raw, '#');
    const char *s = hash ? hash + 1 : raw;
    size_t len = strcspn(s, ":");

    if (len >= sizeof(tmp))
        len = sizeof(tmp) - 1;
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    copy_field(e->code, sizeof(e->code), tmp);
}

static const char *json_str(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int parse_json(const char *body, size_t len, struct aws_error *e)
{
    cJSON *root = cJSON_ParseWithLength(body, len);
    int rc = -1;

    if (!root)
        return -1;
    if (cJSON_IsObject(root)) {
        const char *code = json_str(root, "__type");
        if (!code)
            code = json_str(root, "code");
        if (!code)
            code = json_str(root, "Code");
        if (code && *code) {
            set_json_code(e, code);
            rc = e->code[0] ? 0 : -1;
        }
        const char *msg = json_str(root, "message");
        if (!msg)
            msg = json_str(root, "Message");
        if (!msg)
            msg = json_str(root, "errorMessage");
        copy_field(e->message, sizeof(e->message), msg);
    }
    cJSON_Delete(root);
    return rc;
}

/* --- responses --------------------------------------------------------------------- */

static const char *status_reason(long status)
{
    switch (status) {
    case 301: return "Moved Permanently";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 412: return "Precondition Failed";
    case 413: return "Payload Too Large";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    }
    return "";
}

void errparse_response(const struct aws_response *r, bool head, struct aws_error *e)
{
    const char *body = r->body.data;
    size_t len = r->body.len;
    const char *h;
    bool found = false;

    e->kind = AWS_ERR_HTTP;
    e->http_status = r->status;
    e->code[0] = '\0';
    e->message[0] = '\0';
    e->request_id[0] = '\0';

    /* skip leading whitespace and a UTF-8 BOM to sniff the format */
    size_t i = 0;
    if (len >= 3 && memcmp(body, "\xef\xbb\xbf", 3) == 0)
        i = 3;
    while (i < len && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t'))
        i++;
    /* a NUL byte cannot be in a JSON or XML error document: binary, not an error body */
    if (body && i < len && len <= ERRPARSE_MAX_BODY && !memchr(body, '\0', len)) {
        if (body[i] == '<')
            found = parse_xml(body, len, e) == 0;
        else if (body[i] == '{')
            found = parse_json(body + i, len - i, e) == 0;
    }

    /* SQS over JSON: the query-protocol code ("AWS.SimpleQueueService.NonExistentQueue;
     * Sender") is what users and docs know, so it wins over __type. */
    h = aws_response_header(r, "x-amzn-query-error");
    if (h && *h) {
        char tmp[sizeof(e->code)];
        size_t n = strcspn(h, ";");
        if (n >= sizeof(tmp))
            n = sizeof(tmp) - 1;
        memcpy(tmp, h, n);
        tmp[n] = '\0';
        if (tmp[0]) {
            copy_field(e->code, sizeof(e->code), tmp);
            found = e->code[0] != '\0';
        }
    }
    if (!found && (h = aws_response_header(r, "x-amzn-ErrorType")) && *h) {
        set_json_code(e, h);
        found = e->code[0] != '\0';
    }

    e->bucket_region[0] = '\0';
    copy_field(e->bucket_region, sizeof(e->bucket_region),
               aws_response_header(r, "x-amz-bucket-region"));

    if (!e->request_id[0]) {
        h = aws_response_header(r, "x-amzn-RequestId");
        if (!h)
            h = aws_response_header(r, "x-amz-request-id");
        copy_field(e->request_id, sizeof(e->request_id), h);
    }

    if (found)
        return;
    /* No usable body: HEAD answers and proxies. S3 says nothing more for HEAD. */
    bool empty = i >= len;
    if ((empty || head) && r->status == 403)
        snprintf(e->code, sizeof(e->code), "AccessDenied");
    else if ((empty || head) && r->status == 404)
        snprintf(e->code, sizeof(e->code), "NotFound");
    else
        snprintf(e->code, sizeof(e->code), "HTTP %ld", r->status);
    if (!e->message[0]) {
        const char *reason = status_reason(r->status);
        if (empty || head)
            snprintf(e->message, sizeof(e->message), "HTTP %ld%s%s with no error body",
                     r->status, *reason ? " " : "", reason);
        else if (len > ERRPARSE_MAX_BODY)
            snprintf(e->message, sizeof(e->message),
                     "HTTP %ld%s%s with an error body too large to read (%zu bytes)",
                     r->status, *reason ? " " : "", reason, len);
        else
            snprintf(e->message, sizeof(e->message),
                     "HTTP %ld%s%s with an error body that could not be understood",
                     r->status, *reason ? " " : "", reason);
    }
}

static const char *curl_code_name(CURLcode c, enum aws_err_kind *kind)
{
    *kind = AWS_ERR_NETWORK;
    switch (c) {
    case CURLE_OPERATION_TIMEDOUT:
        *kind = AWS_ERR_TIMEOUT;
        return "Timeout";
    case CURLE_COULDNT_CONNECT: return "ConnectFailed";
    case CURLE_COULDNT_RESOLVE_HOST: return "DNSFailed";
    case CURLE_COULDNT_RESOLVE_PROXY: return "ProxyDNSFailed";
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR: return "ConnectionReset";
    case CURLE_GOT_NOTHING: return "EmptyReply";
    case CURLE_PARTIAL_FILE: return "TruncatedResponse";
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR: return "TLSVerifyFailed";
    case CURLE_SSL_CONNECT_ERROR: return "TLSFailed";
    case CURLE_UNSUPPORTED_PROTOCOL: return "UnsupportedProtocol";
    case CURLE_URL_MALFORMAT: return "BadURL";
    default: return "NetworkError";
    }
}

void errparse_curl(CURLcode code, const char *errtext, const char *endpoint, struct aws_error *e)
{
    enum aws_err_kind kind;
    const char *name = curl_code_name(code, &kind);

    e->kind = kind;
    e->http_status = 0;
    snprintf(e->code, sizeof(e->code), "%s", name);
    e->message[0] = '\0';
    copy_field(e->message, sizeof(e->message),
               errtext && *errtext ? errtext : curl_easy_strerror(code));
    e->request_id[0] = '\0';
    if (endpoint) {
        e->endpoint[0] = '\0';
        copy_field(e->endpoint, sizeof(e->endpoint), endpoint);
    }
}
