"""test_console_download.py - `d` in the s3 view, in a real terminal (tmux) against moto
behind a relay that can hold an answer half-way (tests/lib/s3relay.py).

- `d` on an object opens the form: the destination (the current directory and the key's
  name by default), what to do with an existing file and with a FILE.part, and that the
  download is a read that writes a local file (80x24).
- ^X starts a job; while the relay holds the body half-way the jobs view shows it running
  with its bytes and a progress bar (120x40); `c` and `y` cancel it: the job ends
  "cancelled", FILE.part holds what had arrived and FILE does not exist.
- `d` again on the same object offers to resume: the relay sees one GET with Range from the
  .part's end, the status line says it resumed and was verified, and FILE has the SHA-256
  of boto3's download of the object.
- A second object downloads while the first is held: two jobs share the loop.
- An existing file is refused by the form unless "overwrite it" is chosen.
- `d` on a peeked message whose body is an SQS extended-client pointer downloads the whole
  payload (3 MiB, past the 64 KiB the viewer reads) with the same job (headless script).
- Resuming a 16 MiB .part hashes it again in steps from the loop (headless script, a small
  step through OPSDECK_TEST_CHECK_STEP): keys typed meanwhile are answered while the job
  still says "checking the partial file", `c` cancels the check with the .part untouched
  and no GET sent; `opsdeck s3 get` then resumes it to a verified copy."""
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from awsenv import Moto, aws_env, boto3_clients  # noqa: E402
from console import OPSDECK, Script, Tmux, console_env, run_script  # noqa: E402
from s3relay import S3Relay  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()
BUCKET = "dlbucket"
SIZE = 24 << 20
HOLD = 6 << 20
CHECK_SIZE = 16 << 20
CHECK_PART = CHECK_SIZE - (64 << 10)


def sha(data):
    return hashlib.sha256(data).hexdigest()


def file_sha(path):
    if not os.path.exists(path):
        return ""
    with open(path, "rb") as f:
        return sha(f.read())


def screen(rows):
    return "\n".join(rows or [])


def open_form(tm, prefix, name):
    """:s3 to the prefix, then d until the form opens (the listing may still be loading,
    and d on no object only says so)."""
    tm.text(f":s3 {BUCKET}/{prefix}")
    tm.keys("Enter")
    ok, rows = tm.wait_for(lambda r: any(f"s3://{BUCKET}/{prefix}" in x for x in r) and
                           any(name in x for x in r))
    for _ in range(20):
        tm.text("d")
        ok2, rows = tm.wait_for(lambda r: any("Save to" in x or "nothing selected" in x
                                              for x in r))
        if any("Save to" in x for x in rows):
            return ok, rows
        tm.keys("Escape")
        tm.text(f":s3 {BUCKET}/{prefix}")
        tm.keys("Enter")
        tm.wait_for(name)
    return False, rows


def set_path(tm, path):
    """The form opens on its first field, the destination: replaced by path."""
    tm.keys("C-u")
    tm.text(path)


def payload_case(moto, work):
    clients = boto3_clients(moto.endpoint, services=("sqs", "s3"))
    sqs, s3 = clients["sqs"], clients["s3"]
    payload = os.urandom(3 << 20)
    s3.put_object(Bucket=BUCKET, Key="offloaded/payload-1", Body=payload)
    q = sqs.create_queue(QueueName="offload-dlq")["QueueUrl"]
    sqs.send_message(QueueUrl=q, MessageBody=json.dumps(
        ["software.amazon.payloadoffloading.PayloadS3Pointer",
         {"s3BucketName": BUCKET, "s3Key": "offloaded/payload-1"}]),
        MessageAttributes={"ExtendedPayloadSize": {"DataType": "Number",
                                                   "StringValue": str(len(payload))}})
    env = console_env(moto.endpoint, aws_env(moto.endpoint))
    dest = os.path.join(work, "payload.bin")
    s = Script().refresh().keys("2").keys("/offload<Enter>").keys("m").keys("<C-x>")
    s.wait().keys(":messages<Enter>").refresh().keys("<Enter>").dump("message")
    s.keys("d").dump("form").keys("<C-u>" + dest + "<C-x>").wait().dump("done")
    r = run_script(env, s, 80, 24)
    t.eq(r.rc, 0, "the console ran the payload script")
    msg = screen(r.dumps.get("message"))
    t.ok("d downloads it whole" in msg, "the message view offers d for the S3 payload", msg)
    form = screen(r.dumps.get("form"))
    t.ok("Save to" in form and "payload-1" in form,
         "d opens the download form, named after the payload's key", form)
    t.eq(file_sha(dest), sha(payload), "the whole 3 MiB payload is saved (SHA-256 of the "
         "object)")


def check_case(relay, s3, work):
    """A resumed .part is checked a step per loop turn: the console answers keys meanwhile."""
    body = os.urandom(CHECK_SIZE)
    s3.put_object(Bucket=BUCKET, Key="check/big.bin", Body=body)
    dest = os.path.join(work, "big.bin")
    part = dest + ".part"
    with open(part, "wb") as f:
        f.write(body[:CHECK_PART])
    os.chmod(part, 0o600)
    env = console_env(relay.endpoint, aws_env(relay.endpoint))
    # 16 bytes a turn: a million turns, so the check is far from over when the keys come
    env["OPSDECK_TEST_CHECK_STEP"] = "16"
    s = Script().wait().keys(f":s3 {BUCKET}/check/<Enter>").wait()
    s.keys("d").dump("form").keys("<C-u>" + dest + "<C-x>")
    # typed while the .part is checked: hide the progress dialog, open the jobs view
    s.keys("<Esc>:jobs<Enter>").dump("checking")
    s.keys("c").dump("confirm").keys("y").dump("cancelled")
    relay.seen.clear()
    r = run_script(env, s, 120, 30)
    t.ok(r.rc == 0, "the console ran the check script", r.stderr)
    t.ok("resume it" in screen(r.dumps.get("form")), "d offers to resume the 16 MiB .part",
         screen(r.dumps.get("form")))
    rows = r.dumps.get("checking") or []
    row = next((x for x in rows if "Download" in x and "big.bin" in x), "")
    m = re.search(r"checking the partial file: (\d+)%", row)
    t.ok(any(x.startswith("Jobs  1 running") for x in rows) and "running" in row and m and
         int(m.group(1)) < 100,
         "the keys were answered during the check: the jobs view is up, and its row still "
         "says checking the partial file", screen(rows))
    t.ok("y/n" in screen(r.dumps.get("confirm")) or "Yes" in screen(r.dumps.get("confirm")),
         "c on the job asks to cancel it", screen(r.dumps.get("confirm")))
    done = screen(r.dumps.get("cancelled"))
    t.ok("cancelled while its partial file was checked" in done and
         any("big.bin" in x and "cancelled" in x for x in (r.dumps.get("cancelled") or [])),
         "y: the job ends cancelled during the check, and the status line says so", done)
    t.eq(file_sha(part), sha(body[:CHECK_PART]), "the .part is as it was")
    t.ok(not os.path.exists(dest), "and the file was not made")
    t.eq([x for x in relay.seen if x[0] == "GET" and "big.bin" in x[1]], [],
         "no GET was sent: the check was stopped before it")

    # the same .part resumed without a screen, at the default step
    relay.seen.clear()
    p = subprocess.run([OPSDECK, "s3", "get", f"s3://{BUCKET}/check/big.bin", dest],
                       env=aws_env(relay.endpoint), stdin=subprocess.DEVNULL,
                       capture_output=True, timeout=900)
    err = p.stderr.decode("utf-8", "replace")
    t.ok(p.returncode == 0, "opsdeck s3 get resumes it", err)
    t.ok(f"resumed from {CHECK_PART} bytes" in err and "MD5 verified" in err,
         "resumed from the .part's end, size and MD5 verified", err)
    t.eq([x[2] for x in relay.seen if x[0] == "GET" and "big.bin" in x[1]],
         [f"bytes={CHECK_PART}-"], "one GET, for the rest")
    t.eq(file_sha(dest), sha(body), "the file has the SHA-256 of the object")


def main():
    work = tempfile.mkdtemp(prefix="opsdeck-dl-")
    big = os.urandom(SIZE)
    small = os.urandom(1 << 20)
    try:
        with Moto() as moto, S3Relay(moto.endpoint) as relay:
            s3 = boto3_clients(moto.endpoint, services=("s3",))["s3"]
            s3.create_bucket(Bucket=BUCKET)
            s3.put_object(Bucket=BUCKET, Key="dumps/data.bin", Body=big)
            s3.put_object(Bucket=BUCKET, Key="other/small.bin", Body=small)
            ref = os.path.join(work, "boto3.bin")
            s3.download_file(BUCKET, "dumps/data.bin", ref)
            env = console_env(relay.endpoint, aws_env(relay.endpoint))
            for k in ("COLUMNS", "LINES", "OPSDECK_TEST_NOW", "OPSDECK_SCRIPT"):
                env.pop(k, None)
            dest = os.path.join(work, "data.bin")
            with Tmux() as tm:
                tm.start(env, [OPSDECK, "--view", "s3"], 80, 24)
                tm.wait_for(BUCKET)
                ok, rows = open_form(tm, "dumps/", "data.bin")
                form = screen(rows)
                t.ok(ok and "Save to" in form and "If exists" in form and "A .part" in form,
                     "80x24: d opens the form: destination, existing file, FILE.part", form)
                t.ok("read-only" in form and "local file" in form,
                     "the form says it is a read that writes a local file", form)
                t.ok("data.bin" in form, "the default destination ends in the key's name", form)

                relay.hold_after = HOLD
                set_path(tm, dest)
                tm.keys("C-x")
                t.ok(relay.wait_held(), "the job runs: the relay holds its body after 6 MiB",
                     str(relay.log))
                ok, rows = tm.wait_for("MiB / 24 MiB")
                prog = screen(rows)
                t.ok(ok and "running" in prog and "MiB / 24 MiB" in prog,
                     "80x24: the progress dialog shows the bytes of 24 MiB, running", prog)
                tm.keys("Escape")   # hidden: the job goes on
                # a second download while the first is held: both on the one loop
                ok, rows = open_form(tm, "other/", "small.bin")
                set_path(tm, os.path.join(work, "small.bin"))
                tm.keys("C-x")
                ok, rows = tm.wait_for(lambda r: any("· done" in x for x in r))
                tm.keys("Escape")
                t.ok(ok and file_sha(os.path.join(work, "small.bin")) == sha(small),
                     "a second object downloads while the first is held", screen(rows))
                t.ok(relay.log.count("released") == 0, "(the first was still held then)",
                     str(relay.log))

                tm.resize(120, 40)
                tm.text(":jobs")
                tm.keys("Enter")
                ok, rows = tm.wait_for(lambda r: any("running" in x and "[" in x and "%" in x
                                                     for x in r))
                jobs = screen(rows)
                t.ok(ok and "Download" in jobs and "M/24M" in jobs,
                     "120x40 jobs view: the download running, bytes of 24M and a bar", jobs)
                # newest first: the small one's row, then the held one's
                tm.text("j")
                tm.text("c")
                ok, rows = tm.wait_for("y/n")
                tm.text("y")
                ok, rows = tm.wait_for(lambda r: any("cancelled" in x for x in r))
                t.ok(ok, "c, y: the job ends cancelled", screen(rows))
                have = os.path.getsize(dest + ".part") if os.path.exists(dest + ".part") else -1
                t.ok(HOLD <= have < SIZE, "DEST.part holds what had arrived", str(have))
                t.ok(not os.path.exists(dest), "and DEST does not exist")
                relay.release()

                relay.seen.clear()
                tm.resize(200, 40)
                ok, rows = open_form(tm, "dumps/", "data.bin")
                set_path(tm, dest)
                form = screen(rows)
                t.ok("resume it" in form, "d again: the form offers to resume the .part", form)
                tm.keys("C-x")
                ok, rows = tm.wait_for(lambda r: any("· done" in x for x in r))
                tm.keys("Escape")
                ok, rows = tm.wait_for("saved s3://")
                status = screen(rows)
                t.ok(ok and "resumed from" in status and "MD5 verified" in status,
                     "the status line: saved, resumed, size and MD5 verified", status)
                gets = [r for (m, p, r) in relay.seen if m == "GET" and "data.bin" in p]
                t.eq(gets, [f"bytes={have}-"], "one GET, for the rest from the .part's end")
                t.eq(file_sha(dest), file_sha(ref),
                     "the resumed file has the SHA-256 of boto3's download")
                t.eq(oct(os.stat(dest).st_mode & 0o777), "0o600", "and is 0600")

                # an existing file: the form refuses unless told to overwrite
                ok, rows = open_form(tm, "dumps/", "data.bin")
                set_path(tm, dest)
                tm.keys("C-x")
                ok, rows = tm.wait_for("exists")
                t.ok(ok, "an existing file: the form says it exists", screen(rows))
                tm.keys("Escape")
                tm.text(":q")
                tm.keys("Enter")
                tm.wait_exit()
            payload_case(moto, work)
            check_case(relay, s3, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    t.done()


main()
