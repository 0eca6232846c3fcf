"""test_console_write_tmux.py - writes on a real terminal (tmux), on moto.

  - Ctrl-E in the form's body hands it to $EDITOR (here a small script): the editor gets a
    0600 temporary file holding the body, the terminal is the editor's meanwhile (curses
    stepped aside), a Ctrl-C the user presses in the editor (SIGINT to the whole foreground
    process group) does not quit the console, the file is gone afterwards, the console
    redraws in full with the edited body, and that body is what boto3 receives;
  - no $VISUAL nor $EDITOR: Ctrl-E says so in the form and the body is typed there;
  - Ctrl-C (a real SIGINT from the terminal) while a job runs asks before quitting; y quits
    and the terminal is left sane.
Screens are polled with capture-pane until a text appears (a deadline for waiting, never an
assertion on time).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsenv import Moto, aws_env, boto3_clients, sqs_receive_all  # noqa: E402
from console import OPSDECK, Tmux, console_env, stty_sane, write_app_config  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()


def show(rows):
    return "\n".join(rows)


def to_form(tm):
    """The sqs view, the orders queue, its send form."""
    ok, rows = tm.wait_for(lambda rs: any("updated" in r for r in rs))
    tm.text("2")
    tm.wait_for("orders")
    tm.text("/orders")
    tm.keys("Enter")
    tm.text("P")
    ok, rows = tm.wait_for("Send a test message: orders")
    return t.ok(ok, "the send form opens", show(rows))


def editor_case(env, sqs, orders):
    side = os.path.join(env["HOME"], "editor-saw")
    editor = os.path.join(env["HOME"], "fake-editor")
    with open(editor, "w", encoding="utf-8") as f:
        f.write("#!/bin/sh\n"
                "trap : INT\n"   # as a real editor, it handles Ctrl-C itself
                # what the editor was given: the file's mode and contents
                f"stat -c %a \"$1\" > {side}\n"
                f"cat \"$1\" >> {side}\n"
                f"echo \"$1\" > {side}.path\n"
                # the user presses Ctrl-C in the editor: the whole foreground group gets it
                "kill -INT 0\n"
                "printf 'edited in the editor\\nsecond line\\n' > \"$1\"\n")
    os.chmod(editor, 0o700)
    e = dict(env, EDITOR=editor)
    e.pop("VISUAL", None)
    with Tmux() as tm:
        tm.start(e, [OPSDECK], 80, 24)
        if not to_form(tm):
            return
        tm.text("typed first")
        tm.keys("C-e")
        ok, rows = tm.wait_for(lambda rs: any("edited in the editor" in r for r in rs) and
                               any("second line" in r for r in rs))
        t.ok(ok, "the form shows the body the editor wrote", show(rows))
        t.ok(rows and "us-east-1" in rows[0] and any("Send a test message: orders" in r
                                                    for r in rows),
             "back from the editor, the console is redrawn in full (header and form)",
             show(rows))
        try:
            saw = open(side, encoding="utf-8").read()
            path = open(side + ".path", encoding="utf-8").read().strip()
        except OSError:
            saw, path = "", ""
        t.eq(saw, "600\ntyped first\n", "the editor got a 0600 file with the body typed so far")
        t.ok(path and not os.path.exists(path), "the temporary file is removed afterwards",
             detail=path)
        tm.keys("C-x")
        tm.wait_for("[ Yes ]")
        tm.text("y")
        ok, rows = tm.wait_for(lambda rs: rs and rs[-1].startswith("sent to orders: message id"))
        t.ok(ok, "sent after the editor (Ctrl-C in the editor did not quit the console)",
             show(rows))
        tm.text(":q")
        tm.keys("Enter")
        st = tm.wait_exit()
        t.eq((st["rc"], stty_sane(st["stty"])), (0, []), "quits cleanly, terminal sane")
    bodies = [m["Body"] for m in sqs_receive_all(sqs, orders)]
    t.eq(bodies, ["edited in the editor\nsecond line"],
         "boto3 receives the edited body (the editor's final newline not added to it)")


def no_editor_case(env, sqs, orders):
    e = dict(env)
    e.pop("VISUAL", None)
    e.pop("EDITOR", None)
    with Tmux() as tm:
        tm.start(e, [OPSDECK], 80, 24)
        if not to_form(tm):
            return
        tm.keys("C-e")
        ok, rows = tm.wait_for("no editor: set $VISUAL or $EDITOR, or type the text here")
        t.ok(ok, "without an editor, Ctrl-E says to set one or to type the text", show(rows))
        tm.text("typed in the form")
        tm.keys("C-x")
        tm.wait_for("[ Yes ]")
        tm.text("y")
        ok, rows = tm.wait_for(lambda rs: rs and rs[-1].startswith("sent to orders"))
        t.ok(ok, "the typed body is sent", show(rows))
        tm.text(":q")
        tm.keys("Enter")
        tm.wait_exit()
    t.eq([m["Body"] for m in sqs_receive_all(sqs, orders)], ["typed in the form"],
         "boto3 receives the body typed in the form")


def ctrl_c_case(env, sqs, orders):
    with Tmux() as tm:
        tm.start(env, [OPSDECK], 80, 24)
        if not to_form(tm):
            return
        tm.text("slow")
        for _ in range(3):
            tm.keys("Tab")
        tm.keys("C-u")
        tm.text("1000")
        tm.keys("Tab")
        tm.keys("C-u")
        tm.text("1")
        tm.keys("C-x")
        tm.wait_for("[ Yes ]")
        tm.text("y")
        ok, rows = tm.wait_for("/ 1000")
        t.ok(ok, "a paced job runs with its progress dialog", show(rows))
        tm.keys("Escape")
        # Esc is a key only once ncurses has waited to see no sequence follows: the dialog
        # must be gone before Ctrl-C, or that late Esc would answer the quit question
        tm.wait_for(lambda rs: not any("/ 1000" in r for r in rs))
        tm.keys("C-c")
        ok, rows = tm.wait_for("1 job is still running: quit anyway?")
        t.ok(ok, "Ctrl-C while a job runs asks before quitting", show(rows))
        tm.text("y")
        st = tm.wait_exit()
        t.eq((st["rc"], stty_sane(st["stty"]), st["alt_screen"]), (0, [], "0"),
             "y quits: status 0, terminal sane, alternate screen left")
    n = len(sqs_receive_all(sqs, orders))
    t.ok(0 < n < 1000, "the job was stopped by quitting", detail=n)


def main():
    with Moto() as moto:
        sqs = boto3_clients(moto.endpoint, services=("sqs",))["sqs"]
        orders = sqs.create_queue(QueueName="orders")["QueueUrl"]
        env = console_env(moto.endpoint, aws_env(moto.endpoint), now=None)
        env["XDG_STATE_HOME"] = os.path.join(env["HOME"], ".local", "state")
        write_app_config(env, "[intervals]\ndefault = 2\n")
        t.run("editor", editor_case, env, sqs, orders)
        t.run("no editor", no_editor_case, env, sqs, orders)
        t.run("ctrl-c", ctrl_c_case, env, sqs, orders)


t.run("console writes in tmux", main)
t.done()
