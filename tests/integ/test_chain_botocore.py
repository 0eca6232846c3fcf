#!/usr/bin/env python3
"""test_chain_botocore.py - which provider the credential chain picks, for a table of
config file / credentials file / environment / --profile combinations, compared with
botocore resolving the same setup (get_credentials().method).

Our side is tests/tools/config_dump (creds.method= is creds_manager_method). Providers that
need a server get a real one on 127.0.0.1: moto for STS (assume role), the metadata test
server for container credentials and IMDS, the SSO test server for the portal. botocore
names assume-role and sso without calling anything (deferred credentials); it fetches
container, IMDS and credential_process credentials from the same servers and helper.
One TAP line per combination."""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
LIB = os.path.join(HERE, "..", "lib")
sys.path.insert(0, LIB)
sys.path.insert(0, HERE)
from tap import Tap  # noqa: E402
from awsenv import Moto, _Server, aws_env  # noqa: E402
from sso_server import SsoServer  # noqa: E402

BUILD = os.environ.get("TOP_BUILDDIR", os.getcwd())
CONFIG_DUMP = os.path.join(BUILD, "tests", "tools", "config_dump")
EXP = "2030-01-31T12:00:00Z"
ROLE = "arn:aws:iam::123456789012:role/chain-test"
SSO_START = "https://chain-test.awsapps.com/start"
t = Tap()
TMP = tempfile.mkdtemp(prefix="opsdeck-chain-")


class MetadataServer(_Server):
    name = "metadata"
    ready_path = "/ping"

    def __init__(self):
        super().__init__()
        self.state_path = os.path.join(TMP, "metadata.json")
        creds = {"AccessKeyId": "ASIAREMOTE", "SecretAccessKey": "remote-secret",
                 "Token": "remote-token", "Expiration": EXP}
        with open(self.state_path, "w", encoding="utf-8") as f:
            json.dump({"role": "chain-role", "imds_creds": creds, "container_creds": creds}, f)

    def _argv(self, port):
        return [sys.executable, os.path.join(LIB, "metadata_server.py"), self.state_path,
                str(port)]


HELPER = os.path.join(TMP, "helper.py")
with open(HELPER, "w", encoding="utf-8") as f:
    f.write(f"#!{sys.executable}\nprint('{{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", "
            f"\"SecretAccessKey\": \"proc-secret\"}}')\n")
os.chmod(HELPER, 0o700)

ENV_KEYS = {"AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret"}
CONTAINER = {"AWS_CONTAINER_CREDENTIALS_FULL_URI": "{META}/container/creds"}
IMDS = {"AWS_EC2_METADATA_DISABLED": "false", "AWS_EC2_METADATA_SERVICE_ENDPOINT": "{META}"}
STATIC = "aws_access_key_id = AKIDFILE\naws_secret_access_key = file-secret\n"
PROC = f"credential_process = {HELPER}\n"
SRC = f"[profile base]\n{STATIC}"
SSO_LEGACY = (f"sso_start_url = {SSO_START}\nsso_region = us-east-1\n"
              "sso_account_id = 111122223333\nsso_role_name = ReadOnly\n")

# name, config file, credentials file, extra environment, --profile, botocore's method
TABLE = [
    ("env keys only", "", "", ENV_KEYS, None, "env"),
    ("env keys over the credentials file", "", f"[default]\n{STATIC}", ENV_KEYS, None, "env"),
    ("--profile skips env keys", "", f"[dev]\n{STATIC}", ENV_KEYS, "dev",
     "shared-credentials-file"),
    ("AWS_PROFILE does not skip env keys", "", f"[dev]\n{STATIC}",
     dict(ENV_KEYS, AWS_PROFILE="dev"), None, "env"),
    ("static keys in the credentials file", "", f"[default]\n{STATIC}", {}, None,
     "shared-credentials-file"),
    ("static keys in the config file", f"[default]\n{STATIC}", "", {}, None, "config-file"),
    ("credentials file over config file", f"[default]\n{STATIC}", f"[default]\n{STATIC}", {},
     None, "shared-credentials-file"),
    ("credentials file over credential_process", f"[default]\n{PROC}", f"[default]\n{STATIC}",
     {}, None, "shared-credentials-file"),
    ("credential_process over config-file keys", f"[default]\n{PROC}{STATIC}", "", {}, None,
     "custom-process"),
    ("credential_process only", f"[default]\n{PROC}", "", {}, None, "custom-process"),
    ("credential_process in the credentials file", "", f"[default]\n{PROC}", {}, None,
     "custom-process"),
    ("env keys over credential_process", f"[default]\n{PROC}", "", ENV_KEYS, None, "env"),
    ("--profile with credential_process", f"[profile p]\n{PROC}", "", ENV_KEYS, "p",
     "custom-process"),
    ("container full URI only", "", "", CONTAINER, None, "container-role"),
    ("credentials file over container", "", f"[default]\n{STATIC}", CONTAINER, None,
     "shared-credentials-file"),
    ("config-file keys over container", f"[default]\n{STATIC}", "", CONTAINER, None,
     "config-file"),
    ("credential_process over container", f"[default]\n{PROC}", "", CONTAINER, None,
     "custom-process"),
    ("env keys over container", "", "", dict(ENV_KEYS, **CONTAINER), None, "env"),
    ("container over IMDS", "", "", dict(CONTAINER, **IMDS), None, "container-role"),
    ("IMDS only", "", "", IMDS, None, "iam-role"),
    ("config-file keys over IMDS", f"[default]\n{STATIC}", "", IMDS, None, "config-file"),
    ("--profile with nothing falls to IMDS", "[profile empty]\nregion = us-east-1\n", "",
     dict(ENV_KEYS, **IMDS), "empty", "iam-role"),
    ("role_arn with source_profile", f"[default]\nrole_arn = {ROLE}\nsource_profile = base\n"
     f"{SRC}", "", {}, None, "assume-role"),
    ("role_arn over static keys in the same profile",
     f"[default]\nrole_arn = {ROLE}\nsource_profile = base\n{SRC}",
     f"[default]\n{STATIC}", {}, None, "assume-role"),
    ("role_arn over credential_process", f"[default]\nrole_arn = {ROLE}\nsource_profile = base\n"
     f"{PROC}{SRC}", "", {}, None, "assume-role"),
    ("env keys over role_arn", f"[default]\nrole_arn = {ROLE}\nsource_profile = base\n{SRC}",
     "", ENV_KEYS, None, "env"),
    ("--profile role_arn with credential_source Environment",
     f"[profile r]\nrole_arn = {ROLE}\ncredential_source = Environment\n", "", ENV_KEYS, "r",
     "assume-role"),
    ("role_arn with credential_source Ec2InstanceMetadata",
     f"[default]\nrole_arn = {ROLE}\ncredential_source = Ec2InstanceMetadata\n", "", IMDS, None,
     "assume-role"),
    ("role_arn with credential_source EcsContainer",
     f"[default]\nrole_arn = {ROLE}\ncredential_source = EcsContainer\n", "", CONTAINER, None,
     "assume-role"),
    ("role_arn whose source_profile uses credential_process",
     f"[default]\nrole_arn = {ROLE}\nsource_profile = p\n[profile p]\n{PROC}", "", {}, None,
     "assume-role"),
    ("legacy SSO profile", f"[default]\n{SSO_LEGACY}", "", {}, None, "sso"),
    ("SSO over static keys in the credentials file", f"[default]\n{SSO_LEGACY}",
     f"[default]\n{STATIC}", {}, None, "sso"),
    ("env keys over SSO", f"[default]\n{SSO_LEGACY}", "", ENV_KEYS, None, "env"),
]

BOTO = r"""
import json, sys
import botocore.session
try:
    s = botocore.session.Session(profile=sys.argv[1] or None)
    c = s.get_credentials()
    print(json.dumps({"method": c.method if c else None}))
except Exception as e:
    print(json.dumps({"error": type(e).__name__ + ": " + str(e)}))
"""


def setup(case, servers):
    name, config, credentials, extra, profile, _ = case
    env = aws_env("http://127.0.0.1:9")
    for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL"):
        env.pop(k, None)
    env["AWS_ENDPOINT_URL_STS"] = servers["moto"]
    env["AWS_ENDPOINT_URL_SSO"] = servers["sso"]
    for k, v in extra.items():
        env[k] = v.replace("{META}", servers["meta"])
    with open(env["AWS_CONFIG_FILE"], "w", encoding="utf-8") as f:
        f.write(config)
    with open(env["AWS_SHARED_CREDENTIALS_FILE"], "w", encoding="utf-8") as f:
        f.write(credentials)
    if "sso_start_url" in config:  # a valid cached token for the start URL (legacy key)
        import hashlib
        tok = servers["sso_srv"].issue_token(expires_in=7200, client=False)
        cache = os.path.join(env["HOME"], ".aws", "sso", "cache")
        os.makedirs(cache, exist_ok=True)
        with open(os.path.join(cache, hashlib.sha1(SSO_START.encode()).hexdigest() + ".json"),
                  "w", encoding="utf-8") as f:
            json.dump({"startUrl": SSO_START, "region": "us-east-1",
                       "accessToken": tok["accessToken"], "expiresAt": EXP}, f)
    return env


def ours(env, profile):
    r = subprocess.run([CONFIG_DUMP] + (["--profile", profile] if profile else []), env=env,
                       capture_output=True, text=True, timeout=120, check=False)
    kv = dict(line.split("=", 1) for line in r.stdout.splitlines() if "=" in line)
    return kv.get("creds.method") if kv.get("creds.status") == "ok" else \
        "error: " + kv.get("creds.error", r.stdout[-300:] + r.stderr[-300:])


def botocore(env, profile):
    r = subprocess.run([sys.executable, "-c", BOTO, profile or ""], env=env,
                       capture_output=True, text=True, timeout=120, check=False)
    try:
        d = json.loads(r.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return "script failed: " + r.stderr[-300:]
    return d.get("method", "error: " + str(d.get("error")))


def run_table(servers):
    for case in TABLE:
        name, want = case[0], case[5]
        env = setup(case, servers)
        got, boto = ours(env, case[4]), botocore(env, case[4])
        t.ok(got == want and boto == want, f"{name}: {want}",
             detail=f"opsdeck:  {got}\nbotocore: {boto}")


def main():
    if not os.access(CONFIG_DUMP, os.X_OK):
        t.bail(f"{CONFIG_DUMP} is not built")
    sso = SsoServer().start()
    try:
        with Moto() as moto, MetadataServer() as meta:
            t.run("chain table", run_table, {"moto": moto.endpoint, "meta": meta.endpoint,
                                             "sso": sso.url, "sso_srv": sso})
    finally:
        sso.stop()
    t.done()


main()
