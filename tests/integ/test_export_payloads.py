"""test_export_payloads.py - `opsdeck dlq export --inline-payloads` on moto.

A DLQ holds plain messages and extended-client pointers of both forms (the Java
PayloadS3Pointer and the older MessageS3Pointer) to a text object, a binary object, a
17 MiB object (past the 16 MiB cap on answers held in memory) and a key that is not there.
The export's lines are compared with what boto3 reads of the queue and of the bucket:
  - a text payload as "Payload" (byte for byte), a binary one as "PayloadBase64", each with
    "PayloadSource" s3://bucket/key, the Body still the pointer;
  - the missing key: "PayloadError" naming the cause, the export goes on, the summary counts it;
  - plain messages get no payload field; without --inline-payloads no line gets one;
  - the file is 0600 and every message is still in the queue;
  - the console: E in the dlq view, the form's "S3 payloads" set to inlined, writes the
    same payloads, and the status line counts them;
  - `dlq send` of the file sends the pointers unchanged (and the plain bodies);
  - a release answered MessageNotInflight (the hold ran out while payloads were fetched: the
    message is visible already) is not a failure; any other release failure still is.
"""
import base64
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from awsenv import Moto, aws_env, boto3_clients, sqs_receive_all  # noqa: E402
from console import Script, console_env, run_script, screen_has  # noqa: E402
from tamper_relay import TamperRelay  # noqa: E402
from tap import Tap  # noqa: E402

OPSDECK = os.environ["OPSDECK"]
BUCKET = "offload-bucket"
NEW = "software.amazon.payloadoffloading.PayloadS3Pointer"
OLD = "com.amazon.sqs.javamessaging.MessageS3Pointer"
t = Tap()


def run(env, *args):
    p = subprocess.run([OPSDECK, *args], env=env, stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


def pointer(cls, key):
    return json.dumps([cls, {"s3BucketName": BUCKET, "s3Key": key}])


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(x) for x in f]


def main():
    with Moto() as moto:
        c = boto3_clients(moto.endpoint, services=("sqs", "s3"))
        sqs, s3 = c["sqs"], c["s3"]
        s3.create_bucket(Bucket=BUCKET)
        text = '{"order": 7, "note": "caf\u00e9 \\"quoted\\"\\n", "tab": "\t"}\n\u2026 line two'
        s3.put_object(Bucket=BUCKET, Key="text/order-7.json", Body=text.encode("utf-8"))
        binary = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40
        s3.put_object(Bucket=BUCKET, Key="bin/image 1.png", Body=binary)
        big = os.urandom(17 << 20)
        s3.put_object(Bucket=BUCKET, Key="big/blob", Body=big)

        dlq = sqs.create_queue(QueueName="offload-dlq")["QueueUrl"]
        replay = sqs.create_queue(QueueName="offload-replay")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sqs.create_queue(QueueName="offload", Attributes={
            "RedrivePolicy": '{"deadLetterTargetArn":"%s","maxReceiveCount":"5"}' % arn})
        size_attr = {"ExtendedPayloadSize": {"DataType": "Number", "StringValue": "1"}}
        sent = [("plain-1", None), ("plain-2", None),
                (pointer(NEW, "text/order-7.json"), "text/order-7.json"),
                (pointer(OLD, "bin/image 1.png"), "bin/image 1.png"),
                (pointer(NEW, "big/blob"), "big/blob"),
                (pointer(NEW, "gone/missing"), "gone/missing")]
        for body, key in sent:
            if key:
                sqs.send_message(QueueUrl=dlq, MessageBody=body, MessageAttributes=size_attr)
            else:
                sqs.send_message(QueueUrl=dlq, MessageBody=body)
        key_of = dict(sent)

        env = aws_env(moto.endpoint)
        env["XDG_STATE_HOME"] = os.path.join(env["HOME"], ".local", "state")

        # ---- without the option: the export as before -------------------------------------------
        plain_file = os.path.join(env["HOME"], "plain.jsonl")
        rc, out, err = run(env, "dlq", "export", "offload-dlq", plain_file, "--yes")
        t.ok(rc == 0, "dlq export without --inline-payloads exits 0", detail=err)
        lines = read_lines(plain_file)
        t.eq(len(lines), 6, "six lines")
        t.ok(not any(k.startswith("Payload") for x in lines for k in x),
             "no line gets a payload field unless asked", detail=str([list(x) for x in lines]))

        # ---- with it ----------------------------------------------------------------------------
        out_file = os.path.join(env["HOME"], "inlined.jsonl")
        rc, out, err = run(env, "dlq", "export", "offload-dlq", out_file, "--inline-payloads",
                           "--yes")
        t.ok(rc == 0, "dlq export --inline-payloads exits 0 (one payload missing is not a "
             "failure)", detail=err)
        t.eq(out, "exported 6 messages of offload-dlq to %s (0600); 3 S3 payloads inlined, 1 "
             "could not be (PayloadError in their lines); they stay in the queue\n" % out_file,
             "the summary counts the payloads inlined and the one that could not be")
        t.eq(os.stat(out_file).st_mode & 0o777, 0o600, "the file is 0600")
        lines = read_lines(out_file)
        by_body = {x["Body"]: x for x in lines}
        t.eq(sorted(by_body), sorted(b for b, _ in sent),
             "one line per message, each Body as sent (pointers unchanged)")

        for body in ("plain-1", "plain-2"):
            t.ok(not any(k.startswith("Payload") for k in by_body[body]),
                 "a plain message gets no payload field: " + body, detail=str(by_body[body]))

        def ref(key):
            return s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()

        x = by_body[pointer(NEW, "text/order-7.json")]
        t.eq(x.get("PayloadSource"), "s3://%s/text/order-7.json" % BUCKET,
             "PayloadSource names the object (PayloadS3Pointer)")
        t.eq(x.get("Payload", "").encode("utf-8"), ref("text/order-7.json"),
             "a text object is inlined as Payload, equal to boto3's read of it")
        t.ok("PayloadBase64" not in x and "PayloadError" not in x, "and only as Payload")

        x = by_body[pointer(OLD, "bin/image 1.png")]
        t.eq(x.get("PayloadSource"), "s3://%s/bin/image 1.png" % BUCKET,
             "PayloadSource names the object (MessageS3Pointer, a key with a space)")
        t.eq(base64.b64decode(x.get("PayloadBase64", ""), validate=True), ref("bin/image 1.png"),
             "a binary object is inlined as PayloadBase64, equal to boto3's read of it")
        t.ok("Payload" not in x, "and not as Payload")

        x = by_body[pointer(NEW, "big/blob")]
        got = base64.b64decode(x.get("PayloadBase64", ""), validate=True)
        t.eq((len(got), got == ref("big/blob")), (17 << 20, True),
             "a 17 MiB object is inlined whole (streamed, past the 16 MiB answer cap)")

        x = by_body[pointer(NEW, "gone/missing")]
        t.eq(x.get("PayloadSource"), "s3://%s/gone/missing" % BUCKET,
             "the missing object's line names it")
        perr = x.get("PayloadError", "")
        t.diag("PayloadError: " + perr)
        t.ok("NoSuchKey" in perr or "does not exist" in perr or "not found" in perr.lower(),
             "and says why it could not be read", detail=perr)
        t.ok("\n" not in perr and "Payload" not in x and "PayloadBase64" not in x,
             "in one line, with no payload", detail=perr)

        # ---- the console: E, then the form's Inline S3 payloads -----------------------------------
        cpath = os.path.join(env["HOME"], "console.jsonl")
        sc = Script().refresh().keys("3").keys("/offload-dlq<Enter>").refresh().keys("E").dump("form")
        sc.keys(cpath + "<Tab><Right>").dump("form-yes").keys("<C-x>").dump("confirm")
        sc.keys("y").wait().dump("exported")
        r = run_script(console_env(moto.endpoint, env), sc, cols=200, rows=30)
        t.ok(screen_has(r.dumps.get("form"), "S3 payloads ← not inlined →"),
             "E's form offers to inline the S3 payloads, not by default", detail=r.screen("form"))
        t.ok(screen_has(r.dumps.get("form-yes"), "S3 payloads ← inlined →"),
             "Right sets it to inlined", detail=r.screen("form-yes"))
        t.ok(screen_has(r.dumps.get("confirm"), "with S3 payloads inlined"),
             "the confirmation says the payloads go in too", detail=r.screen("confirm"))
        t.ok(screen_has(r.dumps.get("exported"), "3 S3 payloads inlined, 1 could not be"),
             "the job's line counts the payloads", detail=r.screen("exported"))
        clines = {x["Body"]: x for x in read_lines(cpath)} if os.path.exists(cpath) else {}
        t.eq(sorted(clines), sorted(by_body), "the console's file holds every message once")
        t.ok(all(clines.get(b, {}).get(k) == by_body[b].get(k) for b in by_body
                 for k in ("PayloadSource", "Payload", "PayloadBase64")),
             "with the same inlined payloads as the headless export")
        t.eq(os.stat(cpath).st_mode & 0o777 if clines else None, 0o600, "and it is 0600")

        ref_msgs = {m["Body"]: m for m in sqs_receive_all(sqs, dlq)}
        t.eq(sorted(ref_msgs), sorted(b for b, _ in sent),
             "every message is still in the queue (none deleted, all released)")
        t.ok(all(by_body[b]["MessageId"] == ref_msgs[b]["MessageId"] for b in ref_msgs),
             "each line's MessageId as boto3 reads it")

        # ---- send the file back: the pointers, not the payloads -------------------------------------
        rc, out, err = run(env, "dlq", "send", out_file, "offload-replay", "--yes")
        t.ok(rc == 0, "dlq send of the inlined export exits 0", detail=err)
        back = sqs_receive_all(sqs, replay)
        t.eq(sorted(m["Body"] for m in back), sorted(b for b, _ in sent),
             "dlq send sends every body unchanged: the pointers, not the payloads")
        t.ok(all(m.get("MessageAttributes") == (size_attr if key_of[m["Body"]] else None)
                 for m in back), "with their message attributes",
             detail=str([m.get("MessageAttributes") for m in back]))

        # ---- the release after a hold that ran out (a relay changes the answers) -------------------
        small = sqs.create_queue(QueueName="small-dlq")["QueueUrl"]
        sqs.send_message(QueueUrl=small, MessageBody="plain-s")
        sqs.send_message(QueueUrl=small, MessageBody=pointer(NEW, "text/order-7.json"))

        def fail_first(code):
            def hook(status, doc):
                ok = doc.get("Successful", [])
                if ok:
                    doc["Failed"] = doc.get("Failed", []) + [
                        {"Id": ok[0]["Id"], "SenderFault": True, "Code": code,
                         "Message": "changed by the test"}]
                    doc["Successful"] = ok[1:]
                return status, doc
            return hook

        for code, want_rc, name in (
                ("AWS.SimpleQueueService.MessageNotInflight", 0, "MessageNotInflight"),
                ("ReceiptHandleIsInvalid", 4, "ReceiptHandleIsInvalid")):
            with TamperRelay(moto.endpoint, {"ChangeMessageVisibilityBatch": fail_first(code)}) as relay:
                f = os.path.join(env["HOME"], "small-%s.jsonl" % name)
                # SQS through the relay (it relays POSTs only), S3 straight to moto
                rc, out, err = run(dict(env, AWS_ENDPOINT_URL_SQS=relay.endpoint), "dlq",
                                   "export", "small-dlq", f, "--inline-payloads", "--yes")
                released = [a for a, _ in relay.seen if a == "ChangeMessageVisibilityBatch"]
            lines = read_lines(f)
            t.ok(len(released) == 1 and len(lines) == 2 and
                 any(x.get("Payload", "").encode() == ref("text/order-7.json") for x in lines),
                 "%s case: both messages written, the payload inlined, then released" % name,
                 detail=str((released, [x.get("PayloadError") or sorted(x) for x in lines])))
            if want_rc == 0:
                t.ok(rc == 0 and out.startswith("exported 2 messages of small-dlq"),
                     "a release answered MessageNotInflight (visible already) is no failure",
                     detail=out + err)
            else:
                t.ok(rc == 4 and "1 messages could not be released (ReceiptHandleIsInvalid)"
                     in out + err, "another release failure: exit 4 (done part way), naming it",
                     detail=out + err)
            sqs_receive_all(sqs, small)
            sqs.send_message(QueueUrl=small, MessageBody="plain-s")
            sqs.send_message(QueueUrl=small, MessageBody=pointer(NEW, "text/order-7.json"))
    t.done()


if __name__ == "__main__":
    main()
