"""test_toggles_moto.py - the toggles on moto, read back through the store and flipped
headless, every state checked against boto3 on the same server.

  - the sources (tests/tools/poll_dump with opsdeck's config): every SQS event-source
    mapping (one enabled, one disabled), every rule on the default and a custom bus, the
    declared String and SecureString toggles and the parameters under a [toggles] path, field
    by field as boto3 reads them; a SecureString's value never in the store;
  - the open pane's source (toggle_detail): a rule's targets (ListTargetsByRule) with each
    one's DLQ and input (transformer, constant, the whole event) as boto3 reads them, a rule
    with none, a rule deleted since; a parameter's LastModifiedUser, date and version
    (DescribeParameters);
  - `opsdeck toggle list --json` and the text list: the same states, no secure value;
  - `opsdeck toggle set NAME on|off --yes` for a rule (default and custom bus), a mapping
    (by FUNCTION:QUEUE and by UUID) and the declared SecureString: boto3 reads the new
    state; the audit has a request and an outcome line for each, with before and after and
    no parameter value; asking for the state it is in already sends no write;
  - refusals: read-only with not one byte on the wire (a recording relay in front of moto),
    an undeclared parameter, a name nobody has; without --yes on a non-terminal stdin.
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from awsenv import Moto, aws_env, boto3_clients  # noqa: E402
from console import audit_lines  # noqa: E402
from polldump import PollDump  # noqa: E402
from recproxy import RecordingProxy  # noqa: E402
from tap import Tap  # noqa: E402
from toggleseed import SECURE_VALUE, SECRET_VALUE, TOGGLES_CONFIG, seed_toggles  # noqa: E402

OPSDECK = os.environ["OPSDECK"]
t = Tap()


def run(env, *args):
    p = subprocess.run([OPSDECK, *args], env=env, capture_output=True, text=True, timeout=120,
                       stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout, p.stderr


def write_config(env, text):
    d = os.path.join(env["XDG_CONFIG_HOME"], "opsdeck")
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "config")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def check_store(rows, info, c):
    lam, ev, ssm = c["lambda"], c["events"], c["ssm"]
    want = {}
    for m in lam.list_event_source_mappings()["EventSourceMappings"]:
        want[m["UUID"]] = m
    got = rows.get("mapping", {})
    t.eq(sorted(got), sorted(want), "one mapping row per SQS event-source mapping, keyed by UUID")
    for uuid, m in want.items():
        f = got.get(uuid, {}).get("fields", {})
        fn = m["FunctionArn"].split(":function:")[1].split(":")[0]
        q = m["EventSourceArn"].rsplit(":", 1)[1]
        exp = {"name": f"{fn}:{q}", "function": fn, "function_arn": m["FunctionArn"],
               "queue": q, "queue_arn": m["EventSourceArn"], "aws_state": m["State"],
               "state": {"Enabled": "on", "Disabled": "off"}[m["State"]],
               "batch_size": m["BatchSize"],
               "last_modified": int(m["LastModified"].timestamp())}
        t.eq({k: f.get(k) for k in exp}, exp, f"mapping {fn}:{q}: every field as boto3 reads it")
    want = {}
    for bus in ev.list_event_buses()["EventBuses"]:
        for r in ev.list_rules(EventBusName=bus["Name"])["Rules"]:
            want[f"{bus['Name']}/{r['Name']}"] = r
    got = rows.get("rule", {})
    t.eq(sorted(got), sorted(want), "one rule row per rule on every bus, keyed BUS/RULE")
    for key, r in want.items():
        f = got.get(key, {}).get("fields", {})
        bus = key.split("/")[0]
        exp = {"name": r["Name"] if bus == "default" else key, "rule": r["Name"], "bus": bus,
               "arn": r["Arn"], "aws_state": r["State"],
               "state": {"ENABLED": "on", "DISABLED": "off"}[r["State"]],
               "schedule": r.get("ScheduleExpression"), "pattern": r.get("EventPattern")}
        t.eq({k: f.get(k) for k in exp}, exp, f"rule {key}: every field as boto3 reads it")
    got = rows.get("parameter", {})
    by_path = {p["Name"]: p for p in ssm.get_parameters_by_path(Path="/opsdeck/flags",
                                                                Recursive=True)["Parameters"]}
    declared = {"/opsdeck/flags/outbound": ("outbound", "enabled", "disabled"),
                "/opsdeck/secure/payments": ("payments-secret", "true", "false")}
    t.eq(sorted(got), sorted(set(by_path) | set(declared)),
         "a parameter row per declared toggle and per parameter under the path")
    for name in sorted(set(by_path) | set(declared)):
        p = ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]
        f = got.get(name, {}).get("fields", {})
        secure = p["Type"] == "SecureString"
        exp = {"parameter": name, "type": p["Type"], "secure": int(secure),
               "value": None if secure else p["Value"], "version": p["Version"],
               "last_modified": int(p["LastModifiedDate"].timestamp())}
        if name in declared:
            tname, on, off = declared[name]
            exp.update(name=tname, toggle=tname,
                       state="on" if p["Value"] == on else "off" if p["Value"] == off else "unknown")
        else:
            exp.update(name=name, toggle=None, state="value")
        t.eq({k: f.get(k) for k in exp}, exp, f"parameter {name}: every field as boto3 reads it")
    dump = json.dumps(rows)
    t.ok(SECRET_VALUE not in dump, "a SecureString's value is nowhere in the store")
    for k in ("mapping", "rule", "parameter"):
        t.ok(info.get(k) and not info[k]["stale"] and info[k]["error"] is None,
             f"kind {k} read, not stale", detail=info.get(k))


def check_detail(pd, c, seeded):
    """The pane's source for each rule and a parameter, field by field against boto3."""
    ev, ssm = c["events"], c["ssm"]
    keys = [f"rule:{bus}/{rule}" for bus, rule in seeded["rules"]]
    keys += ["parameter:/opsdeck/flags/outbound", "rule:default/deleted-meanwhile",
             "parameter:/opsdeck/no/such"]
    for k in keys:
        pd.cmd("detail " + k)
        pd.run(1)
    pd.cmd("detail -")
    rows, info = pd.dump()
    got = rows.get("toggle_detail", {})
    for bus, rule in seeded["rules"]:
        want = ev.list_targets_by_rule(Rule=rule, EventBusName=bus)["Targets"]
        exp = [{"id": x["Id"], "arn": x["Arn"],
                **({"dlq": x["DeadLetterConfig"]["Arn"]} if "DeadLetterConfig" in x else {}),
                "input": "transformer" if "InputTransformer" in x else
                         "constant" if "Input" in x else "path" if "InputPath" in x else "event"}
               for x in want]
        f = got.get(f"rule:{bus}/{rule}", {}).get("fields", {})
        try:
            targets = json.loads(f.get("targets") or "null")
        except ValueError:
            targets = None
        t.eq((targets, f.get("ntargets"), f.get("exists")), (exp, len(exp), 1),
             f"rule {bus}/{rule}: its {len(exp)} targets as boto3 lists them")
    t.eq([x["id"] for x in json.loads(got.get("rule:default/order-fanout", {})
                                      .get("fields", {}).get("targets") or "[]")],
         seeded["targets"]["order-fanout"], "the seeded targets, in AWS's order")
    f = got.get("rule:default/deleted-meanwhile", {})
    t.eq((f.get("fields", {}).get("exists"), f.get("error")), (0, None),
         "a rule that is gone: exists 0, not an error")
    meta = ssm.describe_parameters(ParameterFilters=[
        {"Key": "Name", "Option": "Equals", "Values": ["/opsdeck/flags/outbound"]}])["Parameters"][0]
    f = got.get("parameter:/opsdeck/flags/outbound", {}).get("fields", {})
    t.eq({k: f.get(k) for k in ("exists", "modified_user", "modified", "version")},
         {"exists": 1, "modified_user": meta["LastModifiedUser"],
          "modified": int(meta["LastModifiedDate"].timestamp()), "version": meta["Version"]},
         "a parameter: who changed it, when and its version, as DescribeParameters says")
    f = got.get("parameter:/opsdeck/no/such", {}).get("fields", {})
    t.eq((f.get("exists"), f.get("modified_user")), (0, None),
         "a parameter SSM does not have: exists 0, nobody named")
    t.ok(info.get("toggle_detail") and info["toggle_detail"]["error"] is None,
         "the pane's source read without an error", detail=info.get("toggle_detail"))


def main():
    with Moto() as moto, RecordingProxy("127.0.0.1", int(moto.endpoint.rsplit(":", 1)[1])) as px:
        seeded = seed_toggles(moto.endpoint)
        c = boto3_clients(moto.endpoint, services=("lambda", "events", "ssm"))
        env = aws_env(px.endpoint)
        env["XDG_CONFIG_HOME"] = os.path.join(env["HOME"], ".config")
        env["XDG_STATE_HOME"] = os.path.join(env["HOME"], ".local", "state")
        cfg = write_config(env, TOGGLES_CONFIG)

        # ---- the sources -----------------------------------------------------------------
        pd = PollDump(env, cfg)
        pd.cmd("view toggles")
        pd.cmd("refresh")
        pd.run(1)
        rows, info = pd.dump()
        check_store(rows, info, c)
        check_detail(pd, c, seeded)
        rc, err = pd.close()
        t.eq(rc, 0, "poll_dump ends cleanly")

        # ---- toggle list ------------------------------------------------------------------
        rc, out, err = run(env, "toggle", "list", "--json")
        t.eq(rc, 0, "toggle list --json exits 0")
        try:
            listed = {(o["type"], o["name"]): o for o in json.loads(out)}
        except (ValueError, KeyError, TypeError):
            listed = {}
        t.eq(listed.get(("trigger", "billing-worker:billing-events"), {}).get("state"), "off",
             "the disabled mapping is off")
        t.eq(listed.get(("trigger", "orders-worker:orders-intake"), {}).get("state"), "on",
             "the enabled mapping is on")
        t.eq(listed.get(("rule", "order-fanout"), {}).get("state"), "off", "the disabled rule")
        t.eq(listed.get(("rule", "partner-bus/partner-sync"), {}).get("aws_state"), "ENABLED",
             "the custom bus's rule, named BUS/RULE")
        t.eq(listed.get(("param", "payments-secret"), {}).get("state"),
             "on" if SECURE_VALUE == "true" else "off", "the declared SecureString's state")
        t.ok("value" not in listed.get(("param", "payments-secret"), {}),
             "and no value for it")
        t.eq(listed.get(("param", "/opsdeck/flags/batch-size"), {}).get("declared"), False,
             "a parameter under the path is listed as not declared")
        rc, out, err = run(env, "toggle", "list")
        t.eq(rc, 0, "toggle list (text) exits 0")
        t.ok(SECRET_VALUE not in out and SECRET_VALUE not in err,
             "the text list shows no secure value")
        t.ok(any(l.split()[:3] == ["rule", "order-fanout", "off"] for l in out.splitlines()),
             "the text list has TYPE NAME STATE per row", detail=out)

        # ---- flips ------------------------------------------------------------------------
        def flip(name, state, check, what, action, shown=None):
            before = len(audit_lines(env))
            px.reset()
            rc, out, err = run(env, "toggle", "set", name, state, "--yes")
            t.eq(rc, 0, f"{what}: toggle set {name} {state} exits 0")
            t.ok(out.startswith(f"{shown or name} is {state} ("),
                 f"{what}: it says the state AWS read back", detail=out + err)
            t.eq(check(), True, f"{what}: boto3 reads the new state")
            new = audit_lines(env)[before:]
            t.eq([(e.get("event"), e.get("action")) for e in new],
                 [("request", action), ("outcome", action)],
                 f"{what}: the audit has a request and an outcome line for {action}")
            params = new[0].get("parameters", {}) if new else {}
            t.eq((params.get("before"), params.get("after"), params.get("confirmation")),
                 ("off" if state == "on" else "on", state, "--yes"),
                 f"{what}: the audit says before, after and how it was confirmed")
            t.eq(new[-1].get("status") if new else None, "ok", f"{what}: the outcome is ok")
            return new

        ev, lam, ssm = c["events"], c["lambda"], c["ssm"]
        flip("order-fanout", "on",
             lambda: ev.describe_rule(Name="order-fanout")["State"] == "ENABLED",
             "a rule on the default bus", "EnableRule")
        flip("partner-bus/partner-sync", "off",
             lambda: ev.describe_rule(Name="partner-sync", EventBusName="partner-bus")["State"] == "DISABLED",
             "a rule on a custom bus", "DisableRule")
        billing = [u for u, (fn, _) in seeded["mappings"].items() if fn == "billing-worker"][0]
        orders = [u for u, (fn, _) in seeded["mappings"].items() if fn == "orders-worker"][0]
        flip("billing-worker:billing-events", "on",
             lambda: lam.get_event_source_mapping(UUID=billing)["State"] == "Enabled",
             "a mapping by FUNCTION:QUEUE", "UpdateEventSourceMapping")
        flip(orders, "off",
             lambda: lam.get_event_source_mapping(UUID=orders)["State"] == "Disabled",
             "a mapping by UUID", "UpdateEventSourceMapping", shown="orders-worker:orders-intake")
        new = flip("payments-secret", "on",
                      lambda: ssm.get_parameter(Name="/opsdeck/secure/payments",
                                                WithDecryption=True)["Parameter"]["Value"] == "true",
                      "a declared SecureString", "PutParameter")
        t.ok("true" not in json.dumps([e.get("parameters") for e in new]),
             "the audit holds no parameter value", detail=new)
        t.eq(ssm.get_parameter(Name="/opsdeck/secure/payments")["Parameter"]["Type"],
             "SecureString", "the flip keeps it a SecureString")

        px.reset()
        rc, out, err = run(env, "toggle", "set", "outbound", "on", "--yes")
        t.eq((rc, out.strip()), (0, "outbound is already on: nothing sent"),
             "asking for the state it is in: nothing sent")
        t.ok("AmazonSSM.PutParameter" not in px.targets(), "no PutParameter on the wire")

        # ---- refusals -----------------------------------------------------------------------
        px.reset()
        rc, out, err = run(env, "--read-only", "toggle", "set", "outbound", "off", "--yes")
        t.eq(rc, 1, "--read-only: refused, exit 1")
        t.ok(err.startswith("opsdeck: read-only") and err.count("\n") == 1,
             "--read-only: one line naming the setting", detail=err)
        t.eq((px.connections, px.bytes_in), (0, 0), "--read-only: not one byte reached the server")

        rc, out, err = run(env, "toggle", "set", "/opsdeck/flags/batch-size", "off", "--yes")
        t.eq(rc, 1, "an undeclared parameter is refused")
        t.ok("not a declared toggle" in err and "[toggle NAME]" in err,
             "it says how to declare one", detail=err)
        rc, out, err = run(env, "toggle", "set", "no-such-thing", "on", "--yes")
        t.ok(rc == 1 and "no toggle, rule or trigger named 'no-such-thing'" in err,
             "an unknown name: one line saying so", detail=err)
        px.reset()
        rc, out, err = run(env, "toggle", "set", "outbound", "off")
        t.ok(rc == 1 and "pass --yes" in err, "no --yes on a non-terminal: refused", detail=err)
        t.ok("AmazonSSM.PutParameter" not in px.targets(), "and no PutParameter sent")
        t.eq(ssm.get_parameter(Name="/opsdeck/flags/outbound")["Parameter"]["Value"], "enabled",
             "the parameter is as it was")
        rc, out, err = run(env, "toggle", "set", "outbound")
        t.eq(rc, 2, "toggle set without on|off: usage, exit 2")
    t.done()


main()
