#!/usr/bin/env python3
"""capture.py - records the real error responses in this directory from moto.

    PYTHONPATH=tests/lib python3 tests/data/errors/capture.py tests/data/errors

Each *.http file is one raw response as received: the status line, the headers, an empty
line, the body. Requests are signed with botocore. The second moto runs with
INITIAL_NO_AUTH_ACTION_COUNT so that it checks signatures and IAM policies (by default
moto accepts any signature)."""
import http.client
import json
import os
import sys
import urllib.parse

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from awsenv import Moto

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
KEY, SECRET = "AKIAOPSDECKTESTING01", "opsdeck-testing-secret-not-a-real-key"


def call(endpoint, service, method, path, query="", headers=None, body=b"",
         key=KEY, secret=SECRET):
    url = endpoint + path + ("?" + query if query else "")
    req = AWSRequest(method=method, url=url, data=body, headers=dict(headers or {}))
    SigV4Auth(Credentials(key, secret), service, "us-east-1").add_auth(req)
    u = urllib.parse.urlsplit(endpoint)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    conn.request(method, path + ("?" + query if query else ""), body=body,
                 headers=dict(req.headers.items()))
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, r.reason, r.getheaders(), data


def save(name, resp):
    status, reason, headers, body = resp
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(f"HTTP/1.1 {status} {reason}\n".encode())
        for k, v in headers:
            f.write(f"{k}: {v}\n".encode())
        f.write(b"\n")
        f.write(body)
    print(name, status)


JSON10 = {"Content-Type": "application/x-amz-json-1.0"}
FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}

with Moto() as m:
    e = m.endpoint
    save("sqs_json_nonexistent_queue.http",
         call(e, "sqs", "POST", "/", headers={**JSON10, "X-Amz-Target": "AmazonSQS.GetQueueUrl"},
              body=json.dumps({"QueueName": "missing"}).encode()))
    save("sqs_query_nonexistent_queue.http",
         call(e, "sqs", "POST", "/", headers=FORM,
              body=b"Action=GetQueueUrl&QueueName=missing&Version=2012-11-05"))
    save("sns_topic_not_found.http",
         call(e, "sns", "POST", "/", headers=FORM,
              body=b"Action=GetTopicAttributes&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A"
                   b"123456789012%3Amissing&Version=2010-03-31"))
    save("s3_get_no_such_bucket.http", call(e, "s3", "GET", "/missing-bucket/key"))
    call(e, "s3", "PUT", "/present-bucket")
    save("s3_get_no_such_key.http", call(e, "s3", "GET", "/present-bucket/missing-key"))
    save("s3_head_no_such_key.http", call(e, "s3", "HEAD", "/present-bucket/missing-key"))

os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = "2"
with Moto() as m:
    e = m.endpoint
    call(e, "iam", "POST", "/", headers=FORM,
         body=b"Action=CreateUser&UserName=capture&Version=2010-05-08")
    _, _, _, body = call(e, "iam", "POST", "/", headers=FORM,
                         body=b"Action=CreateAccessKey&UserName=capture&Version=2010-05-08")
    text = body.decode()
    key = text.split("<AccessKeyId>")[1].split("</AccessKeyId>")[0]
    secret = text.split("<SecretAccessKey>")[1].split("</SecretAccessKey>")[0]
    sts_body = b"Action=GetCallerIdentity&Version=2011-06-15"
    save("sts_invalid_client_token.http",
         call(e, "sts", "POST", "/", headers=FORM, body=sts_body))
    save("sts_signature_does_not_match.http",
         call(e, "sts", "POST", "/", headers=FORM, body=sts_body, key=key, secret="wrong" + secret))
    save("sqs_json_access_denied.http",
         call(e, "sqs", "POST", "/", headers={**JSON10, "X-Amz-Target": "AmazonSQS.ListQueues"},
              body=b"{}", key=key, secret=secret))
    save("s3_head_access_denied.http",
         call(e, "s3", "HEAD", "/any-bucket", key=key, secret=secret))
del os.environ["INITIAL_NO_AUTH_ACTION_COUNT"]
