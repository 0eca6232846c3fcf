"""toggleseed.py - the switches of the toggles view, seeded on moto with boto3: Lambda
functions with SQS event-source mappings (one enabled, one disabled), EventBridge rules on the
default bus and on a custom bus (a schedule and a pattern, enabled and disabled) with their
targets (one with a dead-letter queue, one with an input transformer, one with none), and SSM
parameters (String and SecureString) to declare as toggles or find under a path.

    names = seed_toggles(endpoint)   # what it made, for the test's expectations
    TOGGLES_CONFIG                   # the [toggles]/[toggle NAME] lines that declare them
"""
import io
import json
import zipfile

from awsenv import boto3_clients

# opsdeck's config declaring the two parameters as toggles and listing a path.
TOGGLES_CONFIG = """[toggles]
paths = /opsdeck/flags
confirm_timeout = 30s

[toggle outbound]
parameter = /opsdeck/flags/outbound
on = enabled
off = disabled
description = partner bucket uploads

[toggle payments-secret]
parameter = /opsdeck/secure/payments
on = true
off = false
"""

SECURE_VALUE = "false"
# a SecureString under the path that no toggle declares: it must never be shown
SECRET_VALUE = "s3cr3t-never-shown"


def _zip():
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w") as z:
        z.writestr("handler.py", "def handler(event, context):\n    return None\n")
    return b.getvalue()


def seed_toggles(endpoint, intake="orders-intake"):
    """intake: the queue orders-worker's mapping reads. moto's Lambda consumes a queue with an
    enabled mapping, so the demo gives it a queue of its own and orders-intake keeps the
    backlog (and the "no consumer" flag) its story needs."""
    c = boto3_clients(endpoint, services=("sqs", "lambda", "iam", "events", "ssm"))
    sqs, lam, iam, ev, ssm = c["sqs"], c["lambda"], c["iam"], c["events"], c["ssm"]
    role = iam.create_role(RoleName="opsdeck-consumer", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                "Principal": {"Service": "lambda.amazonaws.com"}}]}))
    role_arn = role["Role"]["Arn"]
    out = {"mappings": {}, "rules": [], "parameters": []}
    for fn, queue, enabled in (("orders-worker", intake, True),
                               ("billing-worker", "billing-events", False)):
        try:  # the demo's estate may have the queue already
            url = sqs.get_queue_url(QueueName=queue)["QueueUrl"]
        except sqs.exceptions.QueueDoesNotExist:
            url = sqs.create_queue(QueueName=queue)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        lam.create_function(FunctionName=fn, Runtime="python3.11", Role=role_arn,
                            Handler="handler.handler", Code={"ZipFile": _zip()})
        m = lam.create_event_source_mapping(EventSourceArn=arn, FunctionName=fn, BatchSize=10,
                                            Enabled=True)
        if not enabled:
            lam.update_event_source_mapping(UUID=m["UUID"], Enabled=False)
        out["mappings"][m["UUID"]] = (fn, queue)
    ev.create_event_bus(Name="partner-bus")
    ev.put_rule(Name="nightly-export", ScheduleExpression="rate(1 day)", State="ENABLED")
    ev.put_rule(Name="order-fanout", EventPattern=json.dumps({"source": ["orders"]}),
                State="DISABLED")
    ev.put_rule(Name="partner-sync", EventBusName="partner-bus",
                EventPattern=json.dumps({"source": ["partner"]}), State="ENABLED")
    out["rules"] = [("default", "nightly-export"), ("default", "order-fanout"),
                    ("partner-bus", "partner-sync")]
    # targets for the rule pane: where each sends, its DLQ, whether the event is rewritten
    arns = {}
    for q in ("export-jobs", "export-jobs-dlq"):
        url = sqs.create_queue(QueueName=q)["QueueUrl"]
        arns[q] = sqs.get_queue_attributes(QueueUrl=url,
                                           AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    ev.put_targets(Rule="nightly-export", Targets=[
        {"Id": "export-queue", "Arn": arns["export-jobs"],
         "DeadLetterConfig": {"Arn": arns["export-jobs-dlq"]}}])
    ev.put_targets(Rule="order-fanout", Targets=[
        {"Id": "fanout-billing", "Arn": arns["export-jobs"],
         "InputTransformer": {"InputPathsMap": {"id": "$.detail.id"},
                              "InputTemplate": '{"order": <id>}'}},
        {"Id": "fanout-audit", "Arn": arns["export-jobs"], "Input": '{"audit": true}'}])
    out["targets"] = {"nightly-export": ["export-queue"],
                      "order-fanout": ["fanout-billing", "fanout-audit"], "partner-sync": []}
    out["queue_arns"] = arns
    ssm.put_parameter(Name="/opsdeck/flags/outbound", Value="enabled", Type="String")
    ssm.put_parameter(Name="/opsdeck/flags/batch-size", Value="50", Type="String")
    ssm.put_parameter(Name="/opsdeck/flags/nested/api-key", Value=SECRET_VALUE,
                      Type="SecureString")
    ssm.put_parameter(Name="/opsdeck/secure/payments", Value=SECURE_VALUE, Type="SecureString")
    out["parameters"] = ["/opsdeck/flags/outbound", "/opsdeck/flags/batch-size",
                         "/opsdeck/flags/nested/api-key", "/opsdeck/secure/payments"]
    return out
