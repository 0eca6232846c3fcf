#!/usr/bin/env python3
"""Differential test: our SigV4 signer (tests/tools/sigv4_tool) against botocore.

Generates requests from a fixed seed (deterministic), in classes, signs each with botocore
(SigV4Auth / S3SigV4Auth on an AWSRequest, the clock patched) and with our tool, and compares
the canonical request, string to sign, signature and Authorization header exactly. One TAP
line per class with its mismatch count (diagnostics: the first mismatch's canonical
requests), then a total.

What is deliberately NOT generated or compared, and why (never silently):
- Queries with raw reserved characters or lowercase escapes, compared in botocore's URL
  mode. botocore signs the query string of a URL verbatim (split on '&', sorted, never
  re-encoded). AWS's rules say each name and value is URI-encoded (RFC 3986, uppercase hex)
  and the suite agrees (get-vanilla-utf8-query: a raw 'ሴ' is signed as %E1%88%B4), so AWS
  servers re-encode and so do we. Such queries form their own class, "query-raw-reserved",
  compared against botocore's params mode (decoded pairs, which botocore does encode); how
  many of them botocore's URL mode would sign differently is printed as a diagnostic.
  Every other class sends queries encoded as clients send them and uses the URL mode.
- Empty query segments ("a=1&&b=2"): botocore signs an empty "=" pair, we skip the segment.
- A Date header: botocore then signs Date instead of adding X-Amz-Date; our signer always
  adds X-Amz-Date (what the SDKs send today).
- Non-ASCII or line breaks in header values: botocore's Trimall is Python's str.split(),
  which also treats U+00A0, U+2000.. and \\x1c-\\x1f as whitespace; HTTP header values are
  ASCII. Folded headers are covered by the suite (get-header-value-multiline).
- Presigned URLs: botocore's presigner rebuilds the query through parse_qs (drops repeated
  keys, turns '+' into a space), so it is not a reference for them; the suite's 38
  query-form cases cover sigv4_presign.
"""
import base64
import datetime
import hashlib
import json
import os
import random
import subprocess
import sys
import types
from unittest import mock
from urllib.parse import unquote

from tap import Tap

import botocore.auth as bauth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

SEED = 20150830
PER_CLASS = 110
T0 = 1440938160  # 2015-08-30T12:36:00Z
UNRESERVED = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
SUBDELIMS = "!$&'()*+,;=:@"
UNICODE = ["é", "ü", "ሴ", "中文", "😀", "ß", "Ω", "ñ"]
SERVICES = ["sqs", "sns", "monitoring", "sts", "iam", "execute-api", "secretsmanager"]
REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2", "us-gov-west-1", "cn-north-1"]

rng = random.Random(SEED)


def enc(s, keep=""):
    """Percent-encodes like a client (RFC 3986 unreserved kept, uppercase hex)."""
    out = []
    for b in s.encode("utf-8"):
        if b in UNRESERVED or chr(b) in keep:
            out.append(chr(b))
        else:
            out.append("%%%02X" % b)
    return "".join(out)


def lower_escapes(s):
    """'%C3%A9' -> '%c3%a9': some clients send lowercase hex."""
    out, i = [], 0
    while i < len(s):
        if s[i] == "%":
            out.append(s[i:i + 3].lower())
            i += 3
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def word(n=None):
    n = n or rng.randint(1, 8)
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~")
                   for _ in range(n))


def token():
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(20, 300))) + "=" * rng.randint(0, 2)


def base_case(s3=False):
    service = "s3" if s3 else rng.choice(SERVICES)
    region = rng.choice(REGIONS)
    host = (f"bucket{rng.randint(0, 99)}.s3.{region}.amazonaws.com" if s3
            else f"{service}.{region}.amazonaws.com")
    return {
        "method": rng.choice(["GET", "POST", "PUT", "DELETE", "HEAD"]),
        "segments": [word() for _ in range(rng.randint(0, 3))],
        "trailing": rng.random() < 0.2,
        "query": [],
        "headers": [["Host", host]],
        "body": b"",
        "region": region,
        "service": service,
        "access_key": "AKID" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
                                       for _ in range(16)),
        "secret_key": "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
                              for _ in range(40)),
        "token": None,
        "time": T0 + rng.randint(0, 20 * 365 * 86400),
        "s3": s3,
        "payload_hash": None,
        "content_sha256_header": s3,  # S3 requires x-amz-content-sha256
        "params_mode": False,
    }


def finish(case, path=None, query=None):
    """Builds the wire path and query from segments and (encoded) pairs, unless given."""
    if path is None:
        path = "/" + "/".join(case["segments"])
        if case["trailing"] and case["segments"]:
            path += "/"
    case["path"] = path
    if query is None:
        query = "&".join(k if v is None else f"{k}={v}" for k, v in case["query"])
    case["query_str"] = query
    return case


def rand_query(n=None):
    return [(enc(word()), enc(word())) for _ in range(n if n is not None else rng.randint(0, 3))]


# ---- request classes -------------------------------------------------------------------

def gen_plain():
    c = base_case(s3=rng.random() < 0.3)
    c["query"] = rand_query()
    return finish(c)


def gen_path_utf8():
    c = base_case(s3=rng.random() < 0.5)
    c["segments"] = [enc(word(rng.randint(0, 3)) + rng.choice(UNICODE) + word(rng.randint(0, 3)))
                     for _ in range(rng.randint(1, 3))]
    return finish(c)


def gen_path_space():
    c = base_case(s3=rng.random() < 0.5)
    segs = []
    for _ in range(rng.randint(1, 3)):
        s = word() + " " * rng.randint(1, 2) + word()
        segs.append(enc(s, keep="+" if rng.random() < 0.5 else ""))
        if rng.random() < 0.3:
            segs[-1] += "+" + word()  # a literal plus, sent raw (legal in a path)
    c["segments"] = segs
    return finish(c)


def gen_path_reserved():
    c = base_case(s3=rng.random() < 0.5)
    segs = []
    for _ in range(rng.randint(1, 3)):
        raw = word(2) + "".join(rng.choice("/?#%[]" + SUBDELIMS) for _ in range(rng.randint(1, 4))) + word(2)
        style = rng.random()
        if style < 0.4:
            seg = enc(raw)  # everything reserved percent-encoded
        elif style < 0.8:
            seg = enc(raw, keep=SUBDELIMS)  # sub-delims, ':' and '@' sent raw (legal)
        else:
            seg = lower_escapes(enc(raw))  # lowercase hex in escapes
        segs.append(seg)
    c["segments"] = segs
    return finish(c)


def gen_path_dots():
    c = base_case(s3=rng.random() < 0.5)
    parts = []
    for _ in range(rng.randint(1, 6)):
        parts.append(rng.choice([word(), word(), ".", "..", "", "...", ".hidden", "%2E%2E"]))
    path = "/" * rng.randint(1, 2) + "/".join(parts)
    if rng.random() < 0.4:
        path += "/" * rng.randint(1, 2)
    return finish(c, path=path)


def gen_query():
    c = base_case(s3=rng.random() < 0.3)
    pairs = []
    keys = [word() for _ in range(rng.randint(1, 3))] + ["Param", "Param-3", "ሴ", "a b", "A", "a"]
    for _ in range(rng.randint(1, 7)):
        k = rng.choice(keys)
        kind = rng.random()
        if kind < 0.15:
            pairs.append((enc(k), None))  # valueless: "flag"
        elif kind < 0.3:
            pairs.append((enc(k), ""))  # empty value: "k="
        else:
            v = word() + rng.choice(["", "/", "=", "&", "+", "%", " ", "ሴ", "?", "#", ":", "é"]) + word()
            pairs.append((enc(k), enc(v)))
    c["query"] = pairs
    return finish(c)


def gen_query_raw_reserved():
    c = base_case(s3=rng.random() < 0.3)
    pairs = []
    for _ in range(rng.randint(1, 4)):
        k = word()
        v = word(2) + "".join(rng.choice("/:@!$'()*,;?") for _ in range(rng.randint(1, 3))) + word(2)
        if rng.random() < 0.3:
            v += "%" + rng.choice(["2f", "3a", "c3%a9"])  # lowercase escapes
        pairs.append((k, v))
    c["query"] = pairs
    c["params_mode"] = True
    return finish(c)


def gen_token():
    c = base_case(s3=rng.random() < 0.3)
    c["token"] = token()
    c["query"] = rand_query()
    return finish(c)


def gen_s3_payload():
    c = base_case(s3=True)
    c["method"] = rng.choice(["PUT", "POST", "GET"])
    c["body"] = bytes(rng.randrange(256) for _ in range(rng.randint(0, 300)))
    if rng.random() < 0.5:
        c["payload_hash"] = "UNSIGNED-PAYLOAD"
    key = "/".join(enc(word() + rng.choice(["", " ", "é", "+", "!", "(1)"]), keep="!()*'+")
                   for _ in range(rng.randint(1, 4)))
    path = "/" + ("/" if rng.random() < 0.1 else "") + key
    if rng.random() < 0.3:
        c["token"] = token()
    return finish(c, path=path)


def gen_normal_payload():
    c = base_case(s3=False)
    c["method"] = "POST"
    if rng.random() < 0.5:
        c["body"] = "&".join(f"{enc(word())}={enc(word())}" for _ in range(rng.randint(1, 5))).encode()
        c["headers"].append(["Content-Type", "application/x-www-form-urlencoded; charset=utf-8"])
    else:
        c["body"] = json.dumps({word(): word() for _ in range(rng.randint(0, 4))}).encode()
        c["headers"].append(["Content-Type", "application/x-amz-json-1.0"])
        c["headers"].append(["X-Amz-Target", "AmazonSQS." + word()])
    kind = rng.random()
    if kind < 0.3:
        c["payload_hash"] = "UNSIGNED-PAYLOAD"
        c["content_sha256_header"] = True
    elif kind < 0.6:
        c["content_sha256_header"] = True
    return finish(c)


def gen_headers():
    c = base_case(s3=rng.random() < 0.3)
    names = ["My-Header1", "my-header1", "X-Amz-Meta-Thing", "Content-Type", "x-custom", "ZZZ", "aaa"]
    for _ in range(rng.randint(1, 6)):
        n = rng.choice(names)
        v = "".join(rng.choice([word(), " ", "  ", "\t", '"a   b"', ",", ";", "="])
                    for _ in range(rng.randint(0, 6)))
        c["headers"].append([n, v])
    for n, v in [("User-Agent", "opsdeck/0.1 " + word()), ("Expect", "100-continue"),
                 ("X-Amzn-Trace-Id", "Root=1-" + word()), ("Connection", "keep-alive")]:
        if rng.random() < 0.3:
            c["headers"].append([n, v])
    c["query"] = rand_query()
    return finish(c)


CLASSES = [
    ("plain", gen_plain),
    ("path-utf8", gen_path_utf8),
    ("path-space", gen_path_space),
    ("path-reserved", gen_path_reserved),
    ("path-dot-segments-and-double-slashes", gen_path_dots),
    ("query-repeated-valueless-reserved", gen_query),
    ("query-raw-reserved (botocore params mode)", gen_query_raw_reserved),
    ("session-token", gen_token),
    ("s3-payload-hash", gen_s3_payload),
    ("service-payload-and-content-sha256", gen_normal_payload),
    ("headers-repeated-whitespace-unsigned", gen_headers),
]


# ---- botocore ---------------------------------------------------------------------------

def capturing(cls):
    class Capture(cls):
        def string_to_sign(self, request, canonical_request):
            self.captured_cr = canonical_request
            self.captured_sts = super().string_to_sign(request, canonical_request)
            return self.captured_sts
    return Capture


def boto_sign(case, url_mode_query=None):
    creds = Credentials(case["access_key"], case["secret_key"], case["token"])
    scheme = "http"  # botocore hashes the body over http unless told otherwise
    context = {}
    headers = [list(h) for h in case["headers"]]
    if case["s3"]:
        auth = capturing(bauth.S3SigV4Auth)(creds, case["service"], case["region"])
        if case["payload_hash"] == "UNSIGNED-PAYLOAD":
            scheme = "https"
            context["client_config"] = types.SimpleNamespace(s3={"payload_signing_enabled": False})
    else:
        auth = capturing(bauth.SigV4Auth)(creds, case["service"], case["region"])
        if case["payload_hash"] == "UNSIGNED-PAYLOAD":
            scheme = "https"
            context["payload_signing_enabled"] = False
        elif case["content_sha256_header"]:
            headers.append(["X-Amz-Content-SHA256", hashlib.sha256(case["body"]).hexdigest()])
    host = case["headers"][0][1]
    url = f"{scheme}://{host}{case['path']}"
    query = case["query_str"] if url_mode_query is None else url_mode_query
    params = None
    if case["params_mode"] and url_mode_query is None:
        # decoded pairs ('%xx' is an escape, '+' is a plus): botocore encodes these itself
        params = [(unquote(k), "" if v is None else unquote(v)) for k, v in case["query"]]
    elif query:
        url += "?" + query
    req = AWSRequest(method=case["method"], url=url, data=case["body"], params=params or {})
    for n, v in headers:
        req.headers[n] = v  # HTTPHeaders appends: repeated headers are kept, in order
    req.context.update(context)
    when = datetime.datetime.fromtimestamp(case["time"], datetime.timezone.utc).replace(tzinfo=None)
    with mock.patch("botocore.auth.get_current_datetime", return_value=when):
        auth.add_auth(req)
    authz = req.headers["Authorization"]
    return {
        "canonical_request": auth.captured_cr,
        "string_to_sign": auth.captured_sts,
        "signature": authz.rsplit("Signature=", 1)[1],
        "authorization": authz,
    }


def tool_input(case):
    if case["params_mode"]:
        # what a client actually sends for these pairs: the raw reserved characters as they are
        query = "&".join(f"{k}={v}" for k, v in case["query"])
    else:
        query = case["query_str"]
    d = {
        "method": case["method"], "path": case["path"], "query": query,
        "headers": case["headers"], "body_b64": base64.b64encode(case["body"]).decode(),
        "region": case["region"], "service": case["service"],
        "access_key": case["access_key"], "secret_key": case["secret_key"],
        "time": case["time"], "s3": case["s3"],
        "content_sha256_header": case["content_sha256_header"],
    }
    if case["token"]:
        d["token"] = case["token"]
    if case["payload_hash"]:
        d["payload_hash"] = case["payload_hash"]
    return d


def main():
    t = Tap()
    builddir = os.environ.get("TOP_BUILDDIR", ".")
    tool = os.path.join(builddir, "tests", "tools", "sigv4_tool")
    if not os.access(tool, os.X_OK):
        t.bail(f"{tool} not built")

    cases = []
    for name, gen in CLASSES:
        for _ in range(PER_CLASS):
            cases.append((name, gen()))

    stdin = "".join(json.dumps(tool_input(c), ensure_ascii=False) + "\n" for _, c in cases)
    proc = subprocess.run([tool], input=stdin.encode(), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, check=False, timeout=600)
    t.ok(proc.returncode == 0, "sigv4_tool exits 0", detail=proc.stderr.decode(errors="replace"))
    outs = [json.loads(line) for line in proc.stdout.decode().splitlines() if line.strip()]
    t.eq(len(outs), len(cases), "sigv4_tool answers every request")

    total_mismatch = 0
    for name, _ in CLASSES:
        idx = [i for i, (n, _) in enumerate(cases) if n == name]
        mismatches = []
        url_mode_differs = 0
        for i in idx:
            case = cases[i][1]
            ours = outs[i] if i < len(outs) else {"error": "no answer"}
            try:
                ref = boto_sign(case)
            except Exception as e:  # noqa: BLE001 - a botocore failure is a mismatch, shown
                ref = {"error": f"botocore: {e!r}"}
            keys = ("canonical_request", "string_to_sign", "signature", "authorization")
            if "error" in ours or "error" in ref or any(ours.get(k) != ref.get(k) for k in keys):
                mismatches.append((case, ours, ref))
            if case["params_mode"]:
                raw = tool_input(case)["query"]
                if boto_sign(case, url_mode_query=raw)["canonical_request"] != ref.get("canonical_request"):
                    url_mode_differs += 1
        detail = None
        if mismatches:
            case, ours, ref = mismatches[0]
            shown = {k: v for k, v in tool_input(case).items() if k != "secret_key"}
            detail = (f"request: {json.dumps(shown, ensure_ascii=False)}\n"
                      f"--- ours\n{ours.get('canonical_request', ours)}\n"
                      f"--- botocore\n{ref.get('canonical_request', ref)}\n"
                      f"ours sig {ours.get('signature')} / botocore {ref.get('signature')}")
        t.ok(not mismatches and len(idx) > 0,
             f"{name}: {len(idx) - len(mismatches)}/{len(idx)} agree, {len(mismatches)} mismatches",
             detail=detail)
        if url_mode_differs:
            t.diag(f"{name}: botocore's URL mode (query signed verbatim) would differ on "
                   f"{url_mode_differs}/{len(idx)}; compared in params mode as documented above")
        total_mismatch += len(mismatches)

    t.ok(len(cases) >= 1000 and total_mismatch == 0,
         f"total: {len(cases) - total_mismatch}/{len(cases)} requests signed identically to botocore")
    t.done()


if __name__ == "__main__":
    main()
