"""test_console_toggles_tmux.py - flipping switches on a real terminal (tmux), on moto behind
a recording relay, every new state read back with boto3.

  - 80x24: the sqs view marks the queue whose only Lambda trigger is disabled (and not the
    one whose trigger is on), its title names the mark; c on it opens that trigger in the
    toggles view; Enter shows its pane (state, when it changed, why); Space asks with the
    resource, off -> on, profile, account and region; y flips it: the status line says the
    state read back, boto3 reads Enabled, the audit has the request and its outcome; back in
    the sqs view the mark is gone; c on a queue no trigger reads says so on the status line
    and stays in the sqs view;
  - a rule: its pane lists the targets (ListTargetsByRule) with the input transformer and
    the constant input; t flips it, boto3 reads ENABLED, audited;
  - a declared parameter: its pane names who last changed it (SSM's LastModifiedUser, as
    boto3's DescribeParameters gives it); Space flips it, boto3 reads the off value, audited;
    q quits with the terminal sane;
  - 120x40, --read-only: the rule's pane shows its target's DLQ; t is refused with the
    gate's message and no dialog, nothing is written (no EnableRule, DisableRule,
    PutParameter or mapping update reached moto), the audit has no new line.
Screens are polled with capture-pane until a text appears (a deadline for waiting, never an
assertion on time).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from awsenv import Moto, aws_env, boto3_clients  # noqa: E402
from console import (OPSDECK, Tmux, audit_lines, console_env, stty_sane,  # noqa: E402
                     write_app_config)
from recproxy import RecordingProxy  # noqa: E402
from tap import Tap  # noqa: E402
from toggleseed import SECRET_VALUE, TOGGLES_CONFIG, seed_toggles  # noqa: E402

t = Tap()
WRITES = ("AWSEvents.EnableRule", "AWSEvents.DisableRule", "AmazonSSM.PutParameter")


def show(rows):
    return "\n".join(rows)


def row_with(rows, *needles):
    for r in rows:
        if all(n in r for n in needles):
            return r
    return None


def fits(rows, cols, lines):
    return len(rows) <= lines and all(len(r) <= cols for r in rows)


def escape(tm, then):
    """Esc, then waits for the screen it leads to: a key typed right after an Esc would be
    read with it as Alt+key."""
    tm.keys("Escape")
    return tm.wait_for(then)


def no_dialog(rows):
    """The flip's progress box is closed (it stays after the flip until Enter or Esc)."""
    return not any("Enter/Esc close" in r for r in rows)


def quit_console(tm):
    tm.text(":q")
    tm.keys("Enter")
    st = tm.wait_exit()
    t.eq((st["rc"], stty_sane(st["stty"])), (0, []), "quits, the terminal sane")


def new_audit(env, before, action, resource):
    lines = [(e.get("event"), e.get("action"), e.get("resource"), e.get("status"))
             for e in audit_lines(env)[before:]]
    return lines == [("request", action, resource, None), ("outcome", action, resource, "ok")], \
        lines


def mapping_case(tm, env, c, billing):
    ok, rows = tm.wait_for(lambda rs: any("updated" in r for r in rs))
    t.ok(ok, "the console starts", show(rows))
    tm.text("2")
    ok, rows = tm.wait_for(lambda rs: row_with(rs, "billing-events ⏸") is not None)
    t.ok(ok, "80x24: the queue whose only trigger is disabled is marked after its name",
         show(rows))
    t.ok(rows and "⏸ 1 paused" in rows[1], "the title names the mark", show(rows))
    intake = row_with(rows, "orders-intake")
    t.ok(intake is not None and "⏸" not in intake,
         "the queue whose trigger is on is not marked", show(rows))
    t.ok(fits(rows, 80, 24), "the sqs view fits 80x24", show(rows))
    tm.text("/billing-events")
    tm.keys("Enter")
    tm.text("c")
    tm.keys("Enter")
    ok, rows = tm.wait_for("trigger billing-worker:billing-events")
    t.ok(ok, "c opens the queue's trigger in the toggles view (Enter: its pane)", show(rows))
    t.ok(row_with(rows, "State", "off (AWS says Disabled)") is not None,
         "the pane says off, as AWS does", show(rows))
    t.ok(row_with(rows, "Changed", " ago)") is not None and
         row_with(rows, "Why", "User initiated") is not None,
         "when it changed and why (Lambda's StateTransitionReason)", show(rows))
    before = len(audit_lines(env))
    tm.keys("Space")
    ok, rows = tm.wait_for("Flip a toggle: billing-worker:billing-events: off -> on")
    t.ok(ok, "Space asks: the resource, off -> on", show(rows))
    screen = show(rows)
    t.ok("profile default" in screen and "account 123456789012" in screen and
         "region us-east-1" in screen, "and names the profile, account and region", screen)
    tm.text("y")
    ok, rows = tm.wait_for("billing-worker:billing-events is on (AWS says Enabled)")
    t.ok(ok, "the status line says the state AWS read back", show(rows))
    t.eq(c["lambda"].get_event_source_mapping(UUID=billing)["State"], "Enabled",
         "boto3 reads the mapping Enabled")
    ok, lines = new_audit(env, before, "UpdateEventSourceMapping", billing)
    t.ok(ok, "the audit has the request and its outcome", lines)
    ok, rows = escape(tm, lambda rs: no_dialog(rs) and
                      row_with(rs, "State", "on (AWS says Enabled)") is not None)
    t.ok(ok, "Esc closes the progress box; the pane reads on once the triggers are read "
         "again", show(rows))
    escape(tm, lambda rs: any(r.startswith("Toggles  ") for r in rs))
    tm.text("2")
    ok, rows = tm.wait_for(lambda rs: len(rs) > 1 and rs[1].startswith("SQS queues") and
                           row_with(rs, "billing-events") is not None and
                           not any("⏸" in r for r in rs))
    t.ok(ok, "back in the sqs view the mark is gone once the triggers are read again",
         show(rows))
    # a queue no trigger reads: c says so and the sqs view stays
    tm.text("/")
    tm.keys("C-u")
    tm.text("export-jobs")
    tm.keys("Enter")
    tm.text("c")
    ok, rows = tm.wait_for(lambda rs: len(rs) > 1 and
                           any("no Lambda trigger reads export-jobs" in r for r in rs[-2:]))
    t.ok(ok and rows[1].startswith("SQS queues"),
         "c on a queue without a trigger: the status line says no Lambda trigger reads it, "
         "and the sqs view stays", show(rows))


def rule_case(tm, env, c):
    tm.text("7")
    tm.wait_for(lambda rs: any(r.startswith("Toggles  ") for r in rs))
    tm.text("/order-fanout")
    tm.keys("Enter")
    tm.keys("Enter")
    ok, rows = tm.wait_for(lambda rs: row_with(rs, "Targets (2)") is not None)
    t.ok(ok, "the rule's pane lists its two targets", show(rows))
    t.ok(row_with(rows, "fanout-billing", "export-jobs") is not None and
         row_with(rows, "input transformer: the event is rewritten") is not None and
         row_with(rows, "constant input: the event is replaced") is not None,
         "each target, its queue and how its input is made", show(rows))
    t.ok(row_with(rows, "Changed", "not given by EventBridge") is not None,
         "it says EventBridge keeps no time of change", show(rows))
    t.ok(fits(rows, 80, 24), "the pane fits 80x24", show(rows))
    before = len(audit_lines(env))
    tm.text("t")
    ok, rows = tm.wait_for("Flip a toggle: order-fanout: off -> on")
    t.ok(ok, "t in the pane asks to flip the pane's rule", show(rows))
    tm.text("y")
    ok, rows = tm.wait_for("order-fanout is on (AWS says ENABLED)")
    t.ok(ok, "the rule reads on, as AWS says", show(rows))
    t.eq(c["events"].describe_rule(Name="order-fanout")["State"], "ENABLED",
         "boto3 reads the rule ENABLED")
    ok, lines = new_audit(env, before, "EnableRule", "default/order-fanout")
    t.ok(ok, "the rule's flip is audited", lines)
    ok, rows = escape(tm, lambda rs: no_dialog(rs) and
                      row_with(rs, "State", "on (AWS says ENABLED)") is not None)
    t.ok(ok, "the rule's pane reads on once the rules are read again", show(rows))
    escape(tm, lambda rs: any(r.startswith("Toggles  ") for r in rs))


def parameter_case(tm, env, c):
    meta = c["ssm"].describe_parameters(ParameterFilters=[
        {"Key": "Name", "Option": "Equals", "Values": ["/opsdeck/flags/outbound"]}])["Parameters"][0]
    escape(tm, lambda rs: not any("/order-fanout" in r for r in rs))   # the rule's filter
    tm.text("/outbound")
    tm.keys("Enter")
    tm.keys("Enter")
    ok, rows = tm.wait_for(lambda rs: row_with(rs, "By", meta["LastModifiedUser"]) is not None)
    t.ok(ok, "the parameter's pane names who last changed it, as DescribeParameters says",
         show(rows))
    t.ok(row_with(rows, "Changed", " ago)") is not None and
         row_with(rows, "On value", "enabled") is not None and
         row_with(rows, "Off value", "disabled") is not None,
         "when, and the declared on and off values", show(rows))
    before = len(audit_lines(env))
    tm.keys("Space")
    ok, rows = tm.wait_for("Flip a toggle: outbound: on -> off")
    t.ok(ok, "Space asks to flip the toggle on -> off", show(rows))
    tm.text("y")
    ok, rows = tm.wait_for("outbound is off")
    t.ok(ok, "it reads off after the flip", show(rows))
    t.eq(c["ssm"].get_parameter(Name="/opsdeck/flags/outbound")["Parameter"]["Value"],
         "disabled", "boto3 reads the declared off value")
    ok, lines = new_audit(env, before, "PutParameter", "/opsdeck/flags/outbound")
    t.ok(ok, "the parameter's flip is audited", lines)
    t.ok(SECRET_VALUE not in show(tm.capture()), "no secure value on the screen")
    escape(tm, no_dialog)
    quit_console(tm)


def read_only_case(env, px, c):
    before = len(audit_lines(env))
    px.reset()
    with Tmux() as tm:
        tm.start(env, [OPSDECK, "--read-only"], 120, 40)
        ok, rows = tm.wait_for(lambda rs: any("updated" in r for r in rs))
        t.ok(ok and "READ-ONLY" in rows[0], "120x40, --read-only: READ-ONLY in the header",
             show(rows))
        tm.text("7")
        tm.text("/nightly-export")
        tm.keys("Enter")
        tm.keys("Enter")
        ok, rows = tm.wait_for(lambda rs: row_with(rs, "Targets (1)") is not None and
                               row_with(rs, "DLQ", "export-jobs-dlq") is not None)
        t.ok(ok, "the rule's pane shows its target's dead-letter queue", show(rows))
        t.ok(fits(rows, 120, 40), "the pane fits 120x40", show(rows))
        tm.text("t")
        ok, rows = tm.wait_for("read-only (--read-only): restart opsdeck without --read-only")
        t.ok(ok, "t is refused with the gate's message", show(rows))
        t.ok(not any("Flip a toggle:" in r for r in rows), "and no dialog", show(rows))
        quit_console(tm)
    sent = px.sent()
    t.ok(not any(w in px.targets() for w in WRITES) and
         b"PUT /2015-03-31/event-source-mappings/" not in sent,
         "nothing was written: no EnableRule, DisableRule, PutParameter or mapping update "
         "reached moto")
    t.ok(px.bytes_in > 0, "(while the console did read through the same relay)")
    t.eq(c["events"].describe_rule(Name="nightly-export")["State"], "ENABLED",
         "boto3 reads the rule as it was")
    t.eq(len(audit_lines(env)), before, "the audit has no new line")


def main():
    with Moto() as moto, RecordingProxy("127.0.0.1", int(moto.endpoint.rsplit(":", 1)[1])) as px:
        seeded = seed_toggles(moto.endpoint)
        billing = [u for u, (fn, _) in seeded["mappings"].items() if fn == "billing-worker"][0]
        c = boto3_clients(moto.endpoint, services=("lambda", "events", "ssm"))
        env = console_env(px.endpoint, aws_env(px.endpoint))
        env["XDG_STATE_HOME"] = os.path.join(env["HOME"], ".local", "state")
        write_app_config(env, TOGGLES_CONFIG)
        with Tmux() as tm:
            tm.start(env, [OPSDECK], 80, 24)
            mapping_case(tm, env, c, billing)
            rule_case(tm, env, c)
            parameter_case(tm, env, c)
        read_only_case(env, px, c)
    t.done()


main()
