"""test_console_toggles.py - the toggles view in the console, headless (OPSDECK_SCRIPT), on
moto behind a recording TCP relay, with what was flipped read back with boto3.

  - 7 opens it at 80x24: triggers, rules and the declared toggles, off first, what AWS says,
    a SecureString's value nowhere on screen; the overview's section lists what is off;
  - t on a rule: the confirmation states the resource, before -> after, profile, account and
    region; y flips it, the row then reads on (read back), boto3 reads ENABLED, and the
    audit has the request and its outcome; Enter on it: the pane's "Flipped here" says that
    flip, by whom, in which profile, and that it went through;
  - Space on a declared SecureString toggle flips it the same way;
  - an undeclared parameter: refused on the status line, nothing sent;
  - --read-only: refused before any dialog, no write on the wire;
  - a production profile (--allow-writes): t asks for the rule's name typed, y is not it and
    sends nothing, the name flips it (one DisableRule on the wire, boto3 reads DISABLED).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from awsenv import Moto, aws_env, boto3_clients  # noqa: E402
from console import (Script, audit_lines, console_env, find_row, run_script,  # noqa: E402
                     screen_has, write_app_config)
from recproxy import RecordingProxy  # noqa: E402
from tap import Tap  # noqa: E402
from toggleseed import SECRET_VALUE, TOGGLES_CONFIG, seed_toggles  # noqa: E402

t = Tap()


def rows_text(r, name):
    return r.screen(name)


def main():
    with Moto() as moto, RecordingProxy("127.0.0.1", int(moto.endpoint.rsplit(":", 1)[1])) as px:
        seed_toggles(moto.endpoint)
        c = boto3_clients(moto.endpoint, services=("events", "ssm"))
        env = console_env(px.endpoint, aws_env(px.endpoint))
        env["XDG_STATE_HOME"] = os.path.join(env["HOME"], ".local", "state")
        write_app_config(env, TOGGLES_CONFIG)

        # ---- the view and the overview ----------------------------------------------------
        s = Script().refresh().dump("overview").keys("7").refresh().dump("view")
        s.keys("/order-fanout<Enter>").dump("filtered").keys("t").dump("confirm")
        s.keys("y").wait().dump("flipped").keys("<Enter>")  # closes the progress dialog
        s.keys("<Enter>").dump("pane")
        r = run_script(env, s)
        t.eq(r.rc, 0, "the console ran the script and quit")
        view = r.dumps.get("view") or []
        t.ok(len(view) == 24 and all(len(row) <= 80 for row in view), "the view fits 80x24",
             detail=r.why("view"))
        for needle in ("billing-worker:billing", "orders-worker:orders",
                       "order-fanout", "partner-bus/partner-sync", "outbound",
                       "payments-secret", "/opsdeck/flags/batch-size"):
            t.ok(find_row(view, needle) >= 0, f"the view lists {needle}",
                 detail=r.why("view"))
        row = find_row(view, "order-fanout", "rule")
        t.ok(row >= 0 and " off " in view[row] and "DISABLED" in view[row],
             "the disabled rule reads off, AWS says DISABLED", detail=r.why("view"))
        row = find_row(view, "payments-secret", "param")
        t.ok(row >= 0 and "(secure)" in view[row], "a SecureString toggle shows (secure)",
             detail=r.why("view"))
        t.ok(all(SECRET_VALUE not in r.screen(n) for n in r.dumps), "no secure value on any screen")
        ov = r.dumps.get("overview") or []
        head = find_row(ov, "Toggles off or changing")
        t.ok(head >= 0 and
             find_row(ov, "order-fanout") > head, "the overview lists the rule that is off",
             detail=r.why("overview"))
        confirm = r.screen("confirm")
        t.ok("Flip a toggle: order-fanout: off -> on" in confirm,
             "the confirmation states the resource and before -> after", detail=r.why("confirm"))
        t.ok("profile default" in confirm and "account 123456789012" in confirm and
             "region us-east-1" in confirm, "and the profile, account and region",
             detail=r.why("confirm"))
        flipped = r.dumps.get("flipped") or []
        row = find_row(flipped, "order-fanout", "rule")
        t.ok(row >= 0 and " on " in flipped[row] and "ENABLED" in flipped[row],
             "after the flip the row reads on, as AWS says", detail=r.why("flipped"))
        t.ok("order-fanout is on (AWS says ENABLED)" in r.screen("flipped"),
             "the status line says the state read back", detail=r.why("flipped"))
        t.eq(c["events"].describe_rule(Name="order-fanout")["State"], "ENABLED",
             "boto3 reads the rule ENABLED")
        lines = [(e.get("event"), e.get("action"), e.get("resource")) for e in audit_lines(env)]
        t.eq(lines, [("request", "EnableRule", "default/order-fanout"),
                     ("outcome", "EnableRule", "default/order-fanout")],
             "the audit has the request and its outcome")
        pane = r.dumps.get("pane") or []
        row = find_row(pane, "Flipped here")
        t.ok(row > 0 and "off -> on," in pane[row] and
             ":123456789012:user/moto (profile default)" in pane[row + 1] and
             pane[row + 2].split() == ["outcome", "ok"],
             "the pane says the flip: off -> on, by whom, in which profile, ok",
             detail=r.why("pane"))

        # ---- Space on the declared SecureString ----------------------------------------------
        s = Script().refresh().keys("7").refresh().keys("/payments-secret<Enter>").keys("<Space>")
        s.dump("confirm").keys("y").wait().dump("flipped")
        r = run_script(env, s)
        t.ok("payments-secret: off -> on" in r.screen("confirm"), "Space asks to flip the toggle",
             detail=r.why("confirm"))
        flipped = r.dumps.get("flipped") or []
        row = find_row(flipped, "payments-secret", "param")
        t.ok(row >= 0 and " on " in flipped[row], "the SecureString toggle reads on",
             detail=r.why("flipped"))
        t.eq(c["ssm"].get_parameter(Name="/opsdeck/secure/payments",
                                    WithDecryption=True)["Parameter"]["Value"], "true",
             "boto3 reads its declared on value")

        # ---- an undeclared parameter; read-only ---------------------------------------------
        px.reset()
        s = Script().refresh().keys("7").refresh().keys("/batch-size<Enter>t").dump("refused")
        r = run_script(env, s)
        t.ok("not a declared toggle" in r.screen("refused") and
             "Flip a toggle:" not in r.screen("refused"),
             "an undeclared parameter is refused on the status line, before any dialog",
             detail=r.why("refused"))
        t.ok("AmazonSSM.PutParameter" not in px.targets(), "no PutParameter sent")
        px.reset()
        s = Script().refresh().keys("7").refresh().keys("/outbound<Enter>t").dump("refused")
        r = run_script(env, s, args=("--read-only",))
        t.ok("read-only" in r.screen("refused") and "Flip a toggle:" not in r.screen("refused"),
             "--read-only: refused on the status line, no dialog", detail=r.why("refused"))
        t.ok("AmazonSSM.PutParameter" not in px.targets(), "--read-only: no PutParameter sent")
        t.eq(c["ssm"].get_parameter(Name="/opsdeck/flags/outbound")["Parameter"]["Value"],
             "enabled", "the parameter is as it was")

        # ---- production: the flip takes the typed name ---------------------------------------
        write_app_config(env, TOGGLES_CONFIG + "\n[profile default]\nenvironment = production\n")
        px.reset()
        s = Script().refresh().keys("7").refresh().keys("/order-fanout<Enter>t").dump("typed")
        s.keys("y<Enter>").dump("wrong").keys("<C-u>order-fanout<Enter>").wait().dump("sent")
        r = run_script(env, s, args=("--allow-writes",))
        typed = r.dumps.get("typed") or []
        t.ok(screen_has(typed, "Flip a toggle: order-fanout: on -> off") and
             screen_has(typed, "Type the rule's name to confirm: order-fanout") and
             screen_has(typed, "PRODUCTION"),
             "production: the flip asks for the rule's name typed", detail=r.why("typed"))
        t.ok(screen_has(r.dumps.get("wrong"), "that is not the name"),
             "production: y is not the name", detail=r.why("wrong"))
        t.eq(px.targets().count("AWSEvents.DisableRule"), 1,
             "production: one DisableRule on the wire, after the typed name")
        t.eq(c["events"].describe_rule(Name="order-fanout")["State"], "DISABLED",
             "production: boto3 reads the rule DISABLED")
        lines = [e for e in audit_lines(env) if e.get("action") == "DisableRule" and
                 e.get("event") == "request"]
        t.ok(len(lines) == 1 and lines[0].get("parameters", {}).get("confirmation") == "typed",
             "production: the audit says the flip was confirmed by the typed name",
             detail=str(lines))
        write_app_config(env, TOGGLES_CONFIG)
    t.done()


main()
