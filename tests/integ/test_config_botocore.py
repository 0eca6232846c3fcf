"""test_config_botocore.py - what opsdeck resolves vs what botocore resolves.

For each combination of config file, credentials file, environment and arguments, run
tests/tools/config_dump and a botocore session in a child process, both with the same temp
HOME and a clean environment (never the real ~/.aws), and compare: region, the credentials
(access key id, SHA-256 of the secret and token, botocore's method name) and the endpoint
every service client would call (sqs, sns, s3, sts, cloudwatch, iam, logs, ec2, secrets
manager, ssm, eventbridge, lambda) and the region each signs for (botocore's is read from the
Authorization header of a request stopped before it is sent). One TAP line per combination.

Where opsdeck deliberately differs from botocore the case says so in `diverge`: our value is
checked against the stated one and botocore's against what botocore is known to do, so the
test fails if either side changes.
"""
import json
import os
import subprocess
import sys
import tempfile

from tap import Tap

BUILD = os.environ.get("TOP_BUILDDIR", ".")
DUMP = os.path.join(BUILD, "tests", "tools", "config_dump")
# (botocore client, opsdeck's service key, an operation botocore signs without arguments)
SERVICES = [("sqs", "sqs", "list_queues"), ("sns", "sns", "list_topics"),
            ("s3", "s3", "list_buckets"), ("sts", "sts", "get_caller_identity"),
            ("cloudwatch", "monitoring", "list_dashboards"), ("iam", "iam", "get_user"),
            ("logs", "logs", "describe_log_groups"), ("ec2", "ec2", "describe_vpc_endpoints"),
            ("secretsmanager", "secretsmanager", "list_secrets"),
            ("ssm", "ssm", "describe_parameters"), ("events", "events", "list_event_buses"),
            ("lambda", "lambda", "list_functions")]
# the regional ones: public host <key>.<region>.amazonaws.com
REGIONAL = [k for _, k, _ in SERVICES if k not in ("iam",)]

BOTO_SIDE = r"""
import hashlib, json, sys
import botocore.session
args = json.loads(sys.argv[1])
out = {}
def sha(s):
    return hashlib.sha256(s.encode()).hexdigest() if s is not None else "none"
try:
    s = botocore.session.Session(profile=args.get("profile"))
    region = args.get("region") or s.get_config_variable("region")
    s.get_scoped_config()   # raises ProfileNotFound / ConfigParseError like the CLI
    out["region"] = region or ""
    try:
        c = s.get_credentials()
        if c is None:
            out["creds"] = "none"
        else:
            method = c.method  # known before any refresh (assume-role would call STS)
            try:
                f = c.get_frozen_credentials()
                out["creds"] = {"method": method, "access_key_id": f.access_key,
                                "secret_sha256": sha(f.secret_key),
                                "token_sha256": sha(f.token)}
            except Exception as e:
                out["creds"] = {"method": method, "refresh_error": type(e).__name__}
    except Exception as e:
        out["creds"] = "error: %s" % type(e).__name__
    class Stop(Exception):
        pass
    for client, key, op in SERVICES_LIST:
        try:
            cl = s.create_client(client, region_name=region,
                                 endpoint_url=args.get("endpoint_url"),
                                 aws_access_key_id="x", aws_secret_access_key="y")
            out["endpoint." + key] = cl.meta.endpoint_url
            seen = {}
            def stop(request, seen=seen, **kw):
                seen["auth"] = request.headers.get("Authorization")
                raise Stop()
            cl.meta.events.register("before-send", stop)
            try:
                getattr(cl, op)()
            except Stop:
                pass
            auth = seen["auth"].decode() if isinstance(seen["auth"], bytes) else seen["auth"]
            # Credential=x/DATE/REGION/SERVICE/aws4_request
            out["signing_region." + key] = auth.split("Credential=")[1].split("/")[2]
        except Exception as e:
            out["endpoint." + key] = "error: %s" % type(e).__name__
except Exception as e:
    out = {"error": type(e).__name__ + ": " + str(e)}
print(json.dumps(out))
""".replace("SERVICES_LIST", repr(SERVICES))

CFG_BASIC = """[default]
region = eu-west-1
[profile dev]
region = us-west-2
aws_access_key_id = AKIACONFIGDEV0001
aws_secret_access_key = config-dev-secret
[profile other]
region = ap-southeast-2
"""
CREDS_BASIC = """[default]
aws_access_key_id = AKIADEFAULT000001
aws_secret_access_key = default-secret
[dev]
aws_access_key_id = AKIACREDSDEV00001
aws_secret_access_key = creds-dev-secret
[other]
aws_access_key_id = AKIAOTHER00000001
aws_secret_access_key = other-secret
aws_session_token = other-token
"""
ENV_KEYS = {"AWS_ACCESS_KEY_ID": "AKIAENV0000000001", "AWS_SECRET_ACCESS_KEY": "env-secret"}
CFG_SERVICES = """[default]
region = eu-central-1
services = local
endpoint_url = http://127.0.0.1:4566
[services local]
sqs =
  endpoint_url = http://127.0.0.1:9324

# a comment inside the block, then a blank line above
  signature_version = v4
s3 =
  endpoint_url = http://s3.localhost.test:9000/
"""

CASES = [
    dict(name="default profile: region from config, keys from credentials file",
         config=CFG_BASIC, creds=CREDS_BASIC),
    dict(name="AWS_PROFILE selects [profile dev]; credentials file wins over config keys",
         config=CFG_BASIC, creds=CREDS_BASIC, env={"AWS_PROFILE": "dev"}),
    dict(name="AWS_PROFILE=dev with keys only in the config file: config-file method",
         config=CFG_BASIC, creds="", env={"AWS_PROFILE": "dev"}),
    dict(name="AWS_DEFAULT_PROFILE is read before AWS_PROFILE",
         config=CFG_BASIC, creds=CREDS_BASIC,
         env={"AWS_DEFAULT_PROFILE": "other", "AWS_PROFILE": "dev"}),
    dict(name="--profile beats AWS_PROFILE", config=CFG_BASIC, creds=CREDS_BASIC,
         env={"AWS_PROFILE": "other"}, args={"profile": "dev"}),
    dict(name="environment keys beat the credentials file", config=CFG_BASIC,
         creds=CREDS_BASIC, env=ENV_KEYS),
    dict(name="--profile skips environment keys", config=CFG_BASIC, creds=CREDS_BASIC,
         env=ENV_KEYS, args={"profile": "dev"}),
    dict(name="AWS_PROFILE does not skip environment keys", config=CFG_BASIC,
         creds=CREDS_BASIC, env=dict(ENV_KEYS, AWS_PROFILE="dev")),
    dict(name="environment session token and expiration", config=CFG_BASIC, creds="",
         env=dict(ENV_KEYS, AWS_SESSION_TOKEN="env-token",
                  AWS_CREDENTIAL_EXPIRATION="2099-01-01T00:00:00Z")),
    dict(name="AWS_SECURITY_TOKEN is read before AWS_SESSION_TOKEN", config="", creds="",
         env=dict(ENV_KEYS, AWS_SESSION_TOKEN="b-token", AWS_SECURITY_TOKEN="a-token",
                  AWS_DEFAULT_REGION="eu-west-3")),
    dict(name="session token in the credentials file", config=CFG_BASIC, creds=CREDS_BASIC,
         args={"profile": "other"}),
    dict(name="access key in config, secret in credentials file: partial, an error in both",
         config="[default]\nregion = eu-west-1\naws_access_key_id = AKIASPLIT00000001\n",
         creds="[default]\naws_secret_access_key = split-secret\n"),
    dict(name="--region beats AWS_DEFAULT_REGION", config=CFG_BASIC, creds=CREDS_BASIC,
         env={"AWS_DEFAULT_REGION": "sa-east-1"}, args={"region": "ca-central-1"}),
    dict(name="AWS_DEFAULT_REGION beats the profile's region", config=CFG_BASIC,
         creds=CREDS_BASIC, env={"AWS_DEFAULT_REGION": "sa-east-1"}),
    dict(name="AWS_REGION (botocore 1.43 ignores it; the other SDKs and CLI v2 read it)",
         config=CFG_BASIC, creds=CREDS_BASIC, env={"AWS_REGION": "eu-north-1"},
         diverge=dict({"region": ("eu-north-1", "eu-west-1")},
                      **{f"endpoint.{k}": (f"https://{k}.eu-north-1.amazonaws.com",
                                           f"https://{k}.eu-west-1.amazonaws.com")
                         for k in REGIONAL},
                      **{f"signing_region.{k}": ("eu-north-1", "eu-west-1")
                         for k in REGIONAL})),
    dict(name="region in the credentials file counts (botocore merges the files)",
         config="", creds="[default]\nregion = ap-northeast-1\n"
                          "aws_access_key_id = AKIAREG0000000001\n"
                          "aws_secret_access_key = reg-secret\n"),
    dict(name="no region: sqs/sns/cloudwatch fail, s3/sts use global hosts",
         config="", creds=CREDS_BASIC),
    dict(name="AWS_ENDPOINT_URL applies to every service", config=CFG_BASIC,
         creds=CREDS_BASIC, env={"AWS_ENDPOINT_URL": "http://127.0.0.1:5000"}),
    dict(name="AWS_ENDPOINT_URL_SQS beats AWS_ENDPOINT_URL; CLOUDWATCH for monitoring",
         config=CFG_BASIC, creds=CREDS_BASIC,
         env={"AWS_ENDPOINT_URL": "http://127.0.0.1:5000",
              "AWS_ENDPOINT_URL_SQS": "http://127.0.0.1:5001",
              "AWS_ENDPOINT_URL_CLOUDWATCH": "https://cw.example.test"}),
    dict(name="services section per service, profile endpoint_url for the rest",
         config=CFG_SERVICES, creds=CREDS_BASIC),
    dict(name="AWS_ENDPOINT_URL beats the services section", config=CFG_SERVICES,
         creds=CREDS_BASIC, env={"AWS_ENDPOINT_URL": "http://127.0.0.1:5000"}),
    dict(name="--endpoint-url beats AWS_ENDPOINT_URL_SQS", config=CFG_SERVICES,
         creds=CREDS_BASIC, env={"AWS_ENDPOINT_URL_SQS": "http://127.0.0.1:5001"},
         args={"endpoint_url": "http://localhost:4566"}),
    dict(name="AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true disables env and config endpoints",
         config=CFG_SERVICES, creds=CREDS_BASIC,
         env={"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "TRUE",
              "AWS_ENDPOINT_URL": "http://127.0.0.1:5000"}),
    dict(name="profile ignore_configured_endpoint_urls; --endpoint-url still applies",
         config=CFG_SERVICES + "[profile ign]\nregion = us-east-2\n"
                "ignore_configured_endpoint_urls = true\nendpoint_url = http://127.0.0.1:1\n",
         creds="", env={"AWS_ENDPOINT_URL_SNS": "http://127.0.0.1:2"},
         args={"profile": "ign", "endpoint_url": "http://127.0.0.1:3"}),
    dict(name="profile ignore_configured_endpoint_urls without --endpoint-url",
         config="[profile ign]\nregion = us-east-2\nignore_configured_endpoint_urls = true\n"
                "endpoint_url = http://127.0.0.1:1\n",
         creds="", env={"AWS_ENDPOINT_URL_SNS": "http://127.0.0.1:2"},
         args={"profile": "ign"}),
    dict(name="AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=false overrides the profile's true",
         config="[default]\nregion = us-east-2\nignore_configured_endpoint_urls = true\n"
                "endpoint_url = http://127.0.0.1:1\n",
         creds="", env={"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "false"}),
    dict(name="cn-north-1 uses amazonaws.com.cn", config="", creds=CREDS_BASIC,
         args={"region": "cn-north-1"}),
    dict(name="us-gov-west-1", config="", creds=CREDS_BASIC, args={"region": "us-gov-west-1"}),
    dict(name="cn-northwest-1: IAM's partition-global host, signed for cn-north-1", config="",
         creds=CREDS_BASIC, args={"region": "cn-northwest-1"}),
    dict(name="us-gov-east-1: IAM's partition-global host, signed for us-gov-west-1",
         config="", creds=CREDS_BASIC, args={"region": "us-gov-east-1"}),
    dict(name="IAM through an emulator endpoint is signed for the profile's region",
         config=CFG_BASIC, creds=CREDS_BASIC,
         env={"AWS_ENDPOINT_URL_IAM": "http://127.0.0.1:5002",
              "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS": "http://127.0.0.1:5003",
              "AWS_ENDPOINT_URL_EC2": "http://127.0.0.1:5004"}),
    dict(name="us-east-1: s3's legacy global host", config="", creds=CREDS_BASIC,
         args={"region": "us-east-1"}),
    dict(name="a bare [dev] in the config file is not a profile",
         config="[dev]\nregion = eu-west-1\n", creds="", env={"AWS_PROFILE": "dev"}),
    dict(name="[profile 'my dev'] with quotes names a profile with a space",
         config="[profile 'my dev']\nregion = eu-south-1\n"
                "aws_access_key_id = AKIAQUOTED0000001\naws_secret_access_key = q-secret\n",
         creds="", args={"profile": "my dev"}),
    dict(name="--profile default when neither file has it", config="", creds="",
         args={"profile": "default"}),
    dict(name="profile only in the credentials file", config=CFG_BASIC,
         creds=CREDS_BASIC + "[ci]\naws_access_key_id = AKIACI00000000001\n"
                             "aws_secret_access_key = ci-secret\n",
         args={"profile": "ci"}),
    dict(name="CRLF line endings, upper-case key names, ';' inside a value",
         config="[default]\r\nregion = eu-west-2\r\n",
         creds="[default]\r\nAWS_ACCESS_KEY_ID = AKIACRLF000000001\r\n"
               "aws_secret_access_key = crlf-secret\r\naws_session_token = tok;en # x\r\n"),
    dict(name="AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE with ~",
         files={"alt/cfg": "[default]\nregion = me-south-1\n",
                "alt/creds": "[default]\naws_access_key_id = AKIAALT0000000001\n"
                             "aws_secret_access_key = alt-secret\n"},
         config=CFG_BASIC, creds=CREDS_BASIC,
         env={"AWS_CONFIG_FILE": "~/alt/cfg", "AWS_SHARED_CREDENTIALS_FILE": "~/alt/creds"}),
    dict(name="same-indent line after a key is a new key (configparser), not a continuation",
         config="[default]\n  region = eu-west-1\n  output = json\n", creds=CREDS_BASIC),
    dict(name="a key repeated in one section is an error in both",
         config="[default]\nregion = eu-west-1\nregion = eu-west-2\n", creds=CREDS_BASIC),
    dict(name="services = a missing section is an error in both",
         config="[default]\nregion = eu-west-1\nservices = nope\n", creds=CREDS_BASIC,
         diverge={"endpoint.sns": ("error", "error"), "endpoint.s3": ("error", "error")}),
    dict(name="role_arn: botocore assumes the role; opsdeck says not supported yet",
         config="[profile r]\nregion = eu-west-1\nrole_arn = arn:aws:iam::123456789012:role/x\n"
                "source_profile = default\n", creds=CREDS_BASIC, args={"profile": "r"},
         diverge={"creds": ("error", "assume-role")}),
    dict(name="AWS_SECRET_ACCESS_KEY alone: botocore ignores it, opsdeck says which is missing",
         config=CFG_BASIC, creds=CREDS_BASIC, env={"AWS_SECRET_ACCESS_KEY": "lonely"},
         diverge={"creds": ("error", "shared-credentials-file")}),
    dict(name="AWS_ACCESS_KEY_ID alone is an error in both", config=CFG_BASIC,
         creds=CREDS_BASIC, env={"AWS_ACCESS_KEY_ID": "AKIAHALF000000001"}),
]


SECRETS = ["config-dev-secret", "default-secret", "creds-dev-secret", "other-secret",
           "env-secret", "split-secret", "reg-secret", "q-secret", "ci-secret",
           "crlf-secret", "alt-secret", "lonely", "other-token", "env-token", "a-token"]


def parse_dump(text):
    d = {}
    for line in text.splitlines():
        k, _, v = line.partition("=")
        d[k] = v
    return d


def ours(home, env, args):
    argv = [DUMP]
    for k in ("profile", "region", "endpoint_url"):
        if k in args:
            argv += ["--" + k.replace("_", "-"), args[k]]
    r = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
    d = parse_dump(r.stdout)
    if "error" in d:
        return {"error": d["error"]}, d
    out = {"region": d.get("region", "")}
    if d.get("creds.status") == "ok":
        out["creds"] = {"method": d["creds.method"], "access_key_id": d["creds.access_key_id"],
                        "secret_sha256": d["creds.secret_sha256"],
                        "token_sha256": d["creds.token_sha256"]}
    else:
        out["creds"] = "error"
    for _, key, _ in SERVICES:
        out["endpoint." + key] = d.get("endpoint." + key, "error")
        if "endpoint." + key in d:
            out["signing_region." + key] = d.get("signing_region." + key)
    return out, d


def theirs(env, args):
    r = subprocess.run([sys.executable, "-c", BOTO_SIDE, json.dumps(args)], env=env,
                       capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise RuntimeError(r.stderr)
    return json.loads(r.stdout)


def normalise_boto(b):
    """botocore's 'no credentials' is None, a failure an exception: both are our error."""
    if "error" in b:
        return {"error": True}
    b = dict(b)
    if not isinstance(b.get("creds"), dict):
        b["creds"] = "error"
    for _, key, _ in SERVICES:
        if str(b.get("endpoint." + key, "")).startswith("error"):
            b["endpoint." + key] = "error"
            b.pop("signing_region." + key, None)
    return b


def run_case(t, case):
    with tempfile.TemporaryDirectory(prefix="opsdeck-cfg-") as home:
        os.makedirs(os.path.join(home, ".aws"))
        for rel, text in [(".aws/config", case.get("config", "")),
                          (".aws/credentials", case.get("creds", ""))] + \
                list(case.get("files", {}).items()):
            os.makedirs(os.path.dirname(os.path.join(home, rel)), exist_ok=True)
            with open(os.path.join(home, rel), "w", newline="") as f:
                f.write(text)
        env = {"HOME": home, "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
               "LC_ALL": "C.UTF-8", "TZ": "UTC",
               # no IMDS or container lookups: nothing but 127.0.0.1 may be contacted
               "AWS_EC2_METADATA_DISABLED": "true"}
        env.update(case.get("env", {}))
        args = case.get("args", {})
        mine, raw = ours(home, env, args)
        boto = normalise_boto(theirs(env, args))
        if "error" in mine or "error" in boto:
            t.ok("error" in mine and "error" in boto, case["name"],
                 detail=f"ours:     {mine}\nbotocore: {boto}")
            return
        problems = []
        diverge = case.get("diverge", {})
        for key in ["region", "creds"] + [p + k for _, k, _ in SERVICES
                                          for p in ("endpoint.", "signing_region.")]:
            a, b = mine.get(key), boto.get(key)
            if key in diverge:
                want_ours, want_boto = diverge[key]
                got_b = b["method"] if isinstance(b, dict) and key == "creds" else b
                if a != want_ours or got_b != want_boto:
                    problems.append(f"{key}: ours {a!r} (want {want_ours!r}), botocore "
                                    f"{got_b!r} (want {want_boto!r})")
            elif a != b:
                problems.append(f"{key}: ours {a!r} != botocore {b!r}")
        # config_dump must never print a secret, only its hash
        dumped = "\n".join(f"{k}={v}" for k, v in raw.items())
        for secret in SECRETS:
            if secret in dumped:
                problems.append(f"config_dump printed the secret {secret!r}")
        t.ok(not problems, case["name"], detail="\n".join(problems))


def main():
    t = Tap()
    if not os.access(DUMP, os.X_OK):
        t.bail(f"{DUMP} is not built")
    for case in CASES:
        t.run(case["name"], run_case, t, case)
    t.done()


if __name__ == "__main__":
    main()
