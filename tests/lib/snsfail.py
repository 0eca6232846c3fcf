"""snsfail.py - delivery-failure records as SNS writes them to CloudWatch Logs when a topic's
delivery-status logging is on (the sns/REGION/ACCOUNT/TOPIC/Failure group, one JSON record
per failed delivery: notification with messageMD5Sum, messageId, topicArn, timestamp;
delivery with deliveryId, destination, providerResponse, dwellTimeMs, attempts, statusCode;
status FAILURE), for the tests and the demo.

    put_failures(logs, topic_arn, queue_arn, [(epoch_ms, i), ...])   # i numbers the record
"""
import hashlib
import json
import time
import uuid

STREAMS = [str(uuid.UUID(int=i + 1)) for i in range(3)]


def failure_group(topic_arn):
    _, _, _, region, account, name = topic_arn.split(":", 5)
    return f"sns/{region}/{account}/{name}/Failure"


def message_id(i):
    return str(uuid.UUID(int=10**6 + i))


def record(topic_arn, dest, resp, code, when_ms, i):
    """One failure record, as the text of a log event."""
    body = f"message {i}"
    return json.dumps({
        "notification": {
            "messageMD5Sum": hashlib.md5(body.encode()).hexdigest(),
            "messageId": message_id(i),
            "topicArn": topic_arn,
            "timestamp": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(when_ms / 1000))
                         + f".{when_ms % 1000:03d}"},
        "delivery": {
            "deliveryId": str(uuid.UUID(int=2 * 10**6 + i)),
            "destination": dest,
            "providerResponse": resp,
            "dwellTimeMs": 40 + i % 900,
            "attempts": 1 if dest.startswith("arn:aws:sqs") else 3,
            "statusCode": code},
        "status": "FAILURE"})


def failure(topic_arn, queue_arn, when_ms, i):
    """Record i: an SQS queue whose policy denies SNS, an HTTP endpoint that times out, and
    one whose name and answer hold a bidi override and an escape sequence, in turn."""
    account = topic_arn.split(":")[4]
    if i % 3 == 0:
        return record(topic_arn, queue_arn, json.dumps({
            "ErrorCode": "AccessDenied",
            "ErrorMessage": "Access to the resource https://sqs.us-east-1.amazonaws.com/"
                            f"{account}/{queue_arn.rsplit(':', 1)[-1]} is denied.",
            "SenderFault": True}), 403, when_ms, i)
    if i % 3 == 1:
        return record(topic_arn, "https://hooks.example.invalid/sns", "Connection timed out",
                      -1, when_ms, i)
    return record(topic_arn, "https://hooks.example.invalid/\u202eevil",
                  "\x1b[2J<html>502 Bad Gateway</html>", 502, when_ms, i)


def put_failures(logs, topic_arn, queue_arn, times, create=False):
    """times: [(epoch ms, i)], spread over three streams (each stream's events in time
    order, as CloudWatch Logs wants them). create: make the group and streams first."""
    group = failure_group(topic_arn)
    if create:
        logs.create_log_group(logGroupName=group)
        for s in STREAMS:
            logs.create_log_stream(logGroupName=group, logStreamName=s)
    for s, stream in enumerate(STREAMS):
        evs = sorted((ms, i) for ms, i in times if i % len(STREAMS) == s)
        for k in range(0, len(evs), 500):
            logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=[
                {"timestamp": ms, "message": failure(topic_arn, queue_arn, ms, i)}
                for ms, i in evs[k:k + 500]])
