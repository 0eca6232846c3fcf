"""test_expiry_moto.py - the expiry view's sources against moto, read back through the store.

tests/tools/poll_dump runs the poller with every source (the console's client, credentials
and store) and prints the store. An account with a password policy (MaxPasswordAge 30,
HardExpiry), users with console passwords (one whose reset is required), access keys (one
inactive), the credential report, secrets with rotation (one with a hostile name) and
without, and app passwords of opsdeck's config anchored to a secret, to a parameter and to a
secret that does not exist. Every field is compared with what boto3 reads from the same
server: the password's last change and the report's age from the report boto3 downloads,
keys' creation and last use, secrets' rotation dates, the anchors' last change; the
snapshot's expiries carry the keys' creation, the secrets' last rotation and the report's
generation time the same. The secret is then updated (its refresh function ran) and the
next cycle moves the countdown. Last,
moto's IAM enforcement: a caller allowed only some calls sees "cannot read (...)" once for
the passwords, its own keys still, and `opsdeck snapshot --json` carries the same."""
import csv
import io
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsenv import Moto, aws_env, boto3_clients  # noqa: E402
from polldump import PollDump  # noqa: E402
from seed import rotating_secret  # noqa: E402
from snapcheck import run_snapshot  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()
HOSTILE = "evil\x1b[2J\u202ename"


def epoch(dt):
    return int(dt.timestamp()) if dt is not None else None


def iso(t):
    """Epoch seconds as the snapshot writes a time; None stays None."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t)) if t is not None else None


def report_time(s):
    """A credential report time as epoch seconds; None for N/A, no_information ..."""
    import datetime
    try:
        return int(datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp())
    except ValueError:
        return None


def fields(rows, kind):
    return {k: v["fields"] for k, v in rows.get(kind, {}).items()}


def cycles(pd, n=2):
    """n cycles: the first asks IAM to generate the credential report, the next reads it."""
    pd.cmd("view expiry")
    for _ in range(n):
        pd.cmd("refresh")
        pd.run(1)
    return pd.dump()


def estate():
    with Moto() as m:
        c = boto3_clients(m.endpoint, services=("iam", "secretsmanager", "ssm"))
        iam, sm, ssm = c["iam"], c["secretsmanager"], c["ssm"]
        iam.update_account_password_policy(MaxPasswordAge=30, HardExpiry=True,
                                           MinimumPasswordLength=12)
        iam.create_user(UserName="alice")
        iam.create_login_profile(UserName="alice", Password="Correct-Horse-9",
                                 PasswordResetRequired=True)
        alice_key = iam.create_access_key(UserName="alice")["AccessKey"]
        old = iam.create_access_key(UserName="alice")["AccessKey"]
        iam.update_access_key(UserName="alice", AccessKeyId=old["AccessKeyId"], Status="Inactive")
        iam.create_user(UserName="bob")
        iam.create_login_profile(UserName="bob", Password="Battery-Staple-7")
        iam.create_access_key(UserName="bob")
        iam.create_user(UserName="carol")                  # keys, no console password
        iam.create_access_key(UserName="carol")
        iam.create_access_key(UserName="carol")

        rotating_secret(sm, "db/password")
        rotating_secret(sm, HOSTILE)
        sm.create_secret(Name="plain", SecretString="x")   # no rotation: not an expiry
        sm.create_secret(Name="portal/app", SecretString="v1")
        ssm.put_parameter(Name="/app/batch/password", Value="s3cr3t", Type="SecureString")

        home = aws_env(m.endpoint)["HOME"]
        conf = os.path.join(home, "opsdeck.conf")
        with open(conf, "w", encoding="utf-8") as f:
            f.write("[expiry portal]\nanchor = secret:portal/app\nlifetime = 15m\nwarn = 3m\n"
                    "[expiry batch]\nanchor = parameter:/app/batch/password\nlifetime = 1h\n"
                    "[expiry gone]\nanchor = secret:no/such/secret\nlifetime = 15m\n")
        env = aws_env(m.endpoint)
        env["AWS_ACCESS_KEY_ID"] = alice_key["AccessKeyId"]
        env["AWS_SECRET_ACCESS_KEY"] = alice_key["SecretAccessKey"]
        pd = PollDump(env, conf)
        try:
            rows, info = cycles(pd)

            # ---- passwords: the report boto3 downloads, the policy, the login profile
            rep = iam.get_credential_report()
            lines = list(csv.DictReader(io.StringIO(rep["Content"].decode())))
            got = fields(rows, "password")
            with_pw = sorted(r["user"] for r in lines if r["password_enabled"] == "true")
            t.eq(sorted(got), with_pw, "one password row per user with a console password")
            bad = []
            for r in lines:
                if r["user"] not in got:
                    continue
                f = got[r["user"]]
                changed = report_time(r["password_last_changed"])
                nxt = report_time(r["password_next_rotation"])
                want = {"last_changed": changed,
                        "expires": nxt if nxt is not None else changed + 30 * 86400,
                        "max_age_days": 30, "hard_expiry": 1, "expire_passwords": 1,
                        "report_generated": epoch(rep["GeneratedTime"]), "unreadable": ""}
                have = {k: f.get(k) for k in want}
                if have != want:
                    bad.append((r["user"], have, want))
            t.ok(not bad, "each password's last change, expiry and the report's age equal "
                 "boto3's credential report and policy", "\n".join(map(repr, bad)))
            lp = iam.get_login_profile(UserName="alice")["LoginProfile"]
            t.eq(got.get("alice", {}).get("reset_required"),
                 int(bool(lp.get("PasswordResetRequired"))),
                 "the caller's PasswordResetRequired is GetLoginProfile's")

            # ---- access keys: the caller's by id, everyone else's from the report
            keys = fields(rows, "access_key")
            mine = iam.list_access_keys(UserName="alice")["AccessKeyMetadata"]
            bad = []
            for k in mine:
                f = keys.get(k["AccessKeyId"], {})
                used = iam.get_access_key_last_used(AccessKeyId=k["AccessKeyId"])
                want = {"user": "alice", "active": int(k["Status"] == "Active"),
                        "created": epoch(k["CreateDate"]),
                        "last_used": epoch(used["AccessKeyLastUsed"].get("LastUsedDate"))}
                have = {x: f.get(x) for x in want}
                if have != want:
                    bad.append((k["AccessKeyId"], have, want))
            t.ok(not bad and len(mine) == 2, "the caller's two keys (one inactive) by id: "
                 "status, creation and last use as boto3's ListAccessKeys and "
                 "GetAccessKeyLastUsed", "\n".join(map(repr, bad)))
            want_report = {}
            for r in lines:
                if r["user"] == "alice":
                    continue
                for i in (1, 2):
                    if report_time(r[f"access_key_{i}_last_rotated"]) is not None:
                        want_report[f"{r['user']} key {i}"] = {
                            "user": r["user"],
                            "active": int(r[f"access_key_{i}_active"] == "true"),
                            "created": report_time(r[f"access_key_{i}_last_rotated"])}
            have_report = {k: {x: v.get(x) for x in ("user", "active", "created")}
                           for k, v in keys.items() if " key " in k}
            t.eq(have_report, want_report, "every other user's keys from the report: "
                 "bob key 1, carol key 1 and 2")

            # ---- secrets that rotate
            listed = sm.list_secrets()["SecretList"]
            want_s = {s["ARN"]: s for s in listed
                      if s.get("RotationEnabled") or s.get("NextRotationDate")}
            got_s = fields(rows, "secret_rotation")
            t.eq(sorted(got_s), sorted(want_s), "a row per rotating secret, the plain and the "
                 "app secret left out")
            bad = []
            for arn, s in want_s.items():
                want = {"name": s["Name"], "rotation_enabled": 1,
                        "rotation_days": s["RotationRules"]["AutomaticallyAfterDays"],
                        "next_rotation": epoch(s.get("NextRotationDate")),
                        "last_changed": epoch(s.get("LastChangedDate")),
                        "last_rotated": epoch(s.get("LastRotatedDate"))}
                have = {x: got_s.get(arn, {}).get(x) for x in want}
                if have != want:
                    bad.append((arn, have, want))
            t.ok(not bad, "each secret's rotation fields equal boto3's ListSecrets, the "
                 "hostile name byte for byte", "\n".join(map(repr, bad)))

            # ---- the snapshot's expiries say where each date comes from
            rc, out, err = run_snapshot(env)
            doc = json.loads(out) if rc == 0 else {}
            items = {e["key"]: e for e in doc.get("expiries", [])
                     if e["kind"] in ("access_key", "secret_rotation", "password")}
            gen = iso(epoch(rep["GeneratedTime"]))
            want = {k["AccessKeyId"]: {"last_rotated": iso(epoch(k["CreateDate"])),
                                       "report_generated": None} for k in mine}
            want.update({k: {"last_rotated": iso(v["created"]), "report_generated": gen}
                         for k, v in want_report.items()})
            want.update({u: {"last_rotated": None, "report_generated": gen} for u in with_pw})
            want.update({arn: {"last_rotated": iso(epoch(x.get("LastRotatedDate"))),
                               "report_generated": None} for arn, x in want_s.items()})
            have = {k: {f: items.get(k, {}).get(f) for f in ("last_rotated", "report_generated")}
                    for k in want}
            t.ok(rc == 0 and have == want and len(want) >= 8,
                 "snapshot: each key's creation and secret's last rotation, and the credential "
                 "report's generation time on the rows read from it, as boto3 reads them",
                 f"{err}\nhave {have!r}\nwant {want!r}")

            # ---- app passwords: the anchors' last change
            apps = fields(rows, "app_password")
            d = sm.describe_secret(SecretId="portal/app")
            changed = epoch(d.get("LastChangedDate") or d.get("CreatedDate"))
            t.eq({k: apps.get("portal", {}).get(k) for k in ("last_changed", "expires", "warn")},
                 {"last_changed": changed, "expires": changed + 900, "warn": 180},
                 "portal: DescribeSecret's LastChangedDate plus 15 minutes")
            p = ssm.get_parameter(Name="/app/batch/password")["Parameter"]
            t.eq({k: apps.get("batch", {}).get(k) for k in ("last_changed", "expires")},
                 {"last_changed": epoch(p["LastModifiedDate"]),
                  "expires": epoch(p["LastModifiedDate"]) + 3600},
                 "batch: GetParameter's LastModifiedDate plus an hour")
            gone = apps.get("gone", {})
            t.ok(gone.get("expires") is None and "does not exist" in (gone.get("unreadable") or ""),
                 "an anchor that does not exist says so, with no countdown", repr(gone))
            t.ok("s3cr3t" not in json.dumps(rows) and "v1" not in json.dumps(apps),
                 "no secret's or parameter's value reaches the store")
            t.ok(not any((v["fields"].get("count") or 0) > 0
                         for v in rows.get("error", {}).values()
                         if v["fields"].get("service") in ("iam", "secretsmanager", "ssm")),
                 "no IAM, Secrets Manager or SSM call failed",
                 json.dumps(rows.get("error"), indent=1))

            # ---- the refresh function ran: the next cycle moves the countdown on
            sm.put_secret_value(SecretId="portal/app", SecretString="v2")
            d2 = sm.describe_secret(SecretId="portal/app")
            rows, info = cycles(pd, 1)
            apps = fields(rows, "app_password")
            t.eq(apps.get("portal", {}).get("last_changed"), epoch(d2["LastChangedDate"]),
                 "after PutSecretValue the anchor is the new LastChangedDate")
            t.ok(apps["portal"]["last_changed"] >= changed, "and it did not move backwards")
        finally:
            rc, err = pd.close()
            t.eq(rc, 0, "poll_dump exits 0")


def denied():
    os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = "3"
    try:
        with Moto() as m:
            import boto3
            iam = boto3.client("iam", endpoint_url=m.endpoint, region_name="us-east-1",
                               aws_access_key_id="testing", aws_secret_access_key="testing")
            iam.create_user(UserName="oncall")
            key = iam.create_access_key(UserName="oncall")["AccessKey"]
            policy = json.dumps(
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*",
                 "Action": ["sts:GetCallerIdentity", "sqs:ListQueues", "sns:ListTopics",
                            "s3:ListAllMyBuckets", "iam:GetUser", "iam:ListAccessKeys",
                            "secretsmanager:ListSecrets"]}]})
            iam.put_user_policy(UserName="oncall", PolicyName="read-some",
                                PolicyDocument=policy)
            env = aws_env(m.endpoint)
            env["AWS_ACCESS_KEY_ID"] = key["AccessKeyId"]
            env["AWS_SECRET_ACCESS_KEY"] = key["SecretAccessKey"]
            pd = PollDump(env)
            try:
                rows, info = cycles(pd)
            finally:
                pd.close()
            t.ok(info.get("password", {}).get("stale") and
                 "denied" in (info.get("password", {}).get("error") or ""),
                 "passwords: the kind cannot be read, and says it was denied",
                 repr(info.get("password")))
            keys = fields(rows, "access_key")
            t.eq(sorted(keys), [key["AccessKeyId"]], "the caller's own key is still listed")
            t.eq(keys.get(key["AccessKeyId"], {}).get("last_used"), None,
                 "its last use, denied, is unknown rather than 'never'")
            errs = {k: v["fields"] for k, v in rows.get("error", {}).items()}
            t.ok(errs.get("IAM GetAccountPasswordPolicy", {}).get("count", 0) >= 1,
                 "the denied call has its error row (for :errors)", repr(sorted(errs)))

            rc, out, err = run_snapshot(env)
            t.eq(rc, 0, "snapshot: a denied IAM call is not fatal")
            doc = json.loads(out) if rc == 0 else {}
            unread = [e for e in doc.get("expiries", []) if e["kind"] == "password"]
            t.ok(len(unread) == 1 and unread[0]["state"] == "unknown" and
                 unread[0]["note"].startswith("cannot read (iam:") and
                 "denied" in unread[0]["note"] and unread[0]["expires_at"] is None,
                 "snapshot: the passwords are one 'cannot read (iam:... denied)' item, "
                 "never an all-clear", repr(unread))
            t.ok(key["SecretAccessKey"] not in out.decode() + err, "no secret in the output")
    finally:
        del os.environ["INITIAL_NO_AUTH_ACTION_COUNT"]


only = sys.argv[1:]
for name, fn in (("estate", estate), ("denied", denied)):
    if not only or name in only:
        t.run(name, fn)
t.done()
