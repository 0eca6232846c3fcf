"""test_handwritten_botocore.py - the handwritten responses in tests/data/responses (what moto
cannot produce) read by a client we did not write: botocore's own parser for the
operation's output shape, from AWS's service model. Each file must parse without error,
and the values the C parser tests rely on must be what botocore reads too, so a
handwritten answer cannot drift from what AWS would send.
"""
import base64
import csv
import io
import os

import botocore.session
from botocore import parsers

from tap import Tap

DATA = os.path.join(os.environ.get("TOP_SRCDIR", "."), "tests", "data", "responses")
SESSION = botocore.session.get_session()


def parse(service, operation, rel, headers=None):
    model = SESSION.get_service_model(service)
    op = model.operation_model(operation)
    with open(os.path.join(DATA, rel), "rb") as f:
        body = f.read()
    parser = parsers.create_parser(model.metadata["protocol"])
    return parser.parse({"body": body, "headers": headers or {}, "status_code": 200},
                        op.output_shape)


CASES = [
    ("sqs", "ReceiveMessage", "sqs/receive_message_dlq_handwritten_source_arn.json",
     lambda r: (r["Messages"][0]["Body"],
                r["Messages"][0]["Attributes"]["DeadLetterQueueSourceArn"],
                r["Messages"][0]["Attributes"]["ApproximateReceiveCount"]),
     ("poison", "arn:aws:sqs:us-east-1:123456789012:msgs", "2")),
    ("sqs", "StartMessageMoveTask", "sqs/start_message_move_task_handwritten.json",
     lambda r: r["TaskHandle"][:14], "eyJ0YXNrSWQiOi"),
    ("sqs", "ListMessageMoveTasks", "sqs/list_message_move_tasks_handwritten.json",
     lambda r: [(x["Status"], x.get("ApproximateNumberOfMessagesMoved"),
                 x.get("ApproximateNumberOfMessagesToMove"), x.get("DestinationArn"),
                 x.get("FailureReason"), x.get("MaxNumberOfMessagesPerSecond"))
                for x in r["Results"]],
     [("RUNNING", 120, 500, None, None, 50),
      ("FAILED", 3, 40, "arn:aws:sqs:us-east-1:123456789012:gone",
       "AWS.SimpleQueueService.NonExistentQueue", None),
      ("COMPLETED", 12, None, None, None, None)]),
    ("sqs", "CancelMessageMoveTask", "sqs/cancel_message_move_task_handwritten.json",
     lambda r: r["ApproximateNumberOfMessagesMoved"], 120),
    ("sns", "GetTopicAttributes", "sns/get_topic_attributes_handwritten_logging.xml",
     lambda r: (r["Attributes"]["SQSSuccessFeedbackSampleRate"],
                r["Attributes"]["SQSFailureFeedbackRoleArn"],
                r["Attributes"]["HTTPFailureFeedbackRoleArn"],
                r["Attributes"]["LambdaSuccessFeedbackSampleRate"],
                r["Attributes"]["KmsMasterKeyId"]),
     ("50", "arn:aws:iam::123456789012:role/sns-failure",
      "arn:aws:iam::123456789012:role/sns-failure", "", "alias/aws/sns")),
    ("sns", "Publish", "sns/publish_fifo_handwritten_sequence.xml",
     lambda r: r["SequenceNumber"], "10000000000000003000"),
    ("logs", "DescribeLogGroups", "logs/describe_log_groups_handwritten_nexttoken.json",
     lambda r: (r["nextToken"], r["logGroups"][1]["retentionInDays"]),
     ("eyJncm91cCI6Ii9hd3MvbGFtYmRhL2NvbnN1bWVyIn0=", 30)),
    ("ec2", "DescribeVpcEndpoints", "ec2/describe_vpc_endpoints_handwritten_nexttoken.xml",
     lambda r: (r["NextToken"], [(e["ServiceName"], e["State"], e["PrivateDnsEnabled"])
                                 for e in r["VpcEndpoints"]]),
     ("eyJ2IjoiMiIsImMiOiJ2cGNlLTAwMSJ9",
      [("com.amazonaws.us-east-1.sns", "pending", True),
       ("com.amazonaws.us-east-1.sqs", "available", True),
       ("com.amazonaws.us-east-1.s3", "available", False)])),
    ("lambda", "ListEventSourceMappings",
     "lambda/list_event_source_mappings_handwritten_nextmarker.json",
     lambda r: (r["NextMarker"], r["EventSourceMappings"][0]["MaximumBatchingWindowInSeconds"],
                r["EventSourceMappings"][0]["LastProcessingResult"],
                r["EventSourceMappings"][1]["State"]),
     ("eyJtYXJrZXIiOiIzIn0=", 5, "PROBLEM: Function call failed", "Disabling")),
    ("secretsmanager", "ListSecrets", "secretsmanager/list_secrets_handwritten_overdue.json",
     lambda r: (r["SecretList"][0]["RotationRules"]["ScheduleExpression"],
                int(r["SecretList"][0]["NextRotationDate"].timestamp()),
                r["SecretList"][0]["NextRotationDate"] < r["SecretList"][0]["LastChangedDate"]),
     ("rate(4 hours)", 1796214400, True)),
]


def credential_report(r):
    rows = list(csv.DictReader(io.StringIO(r["Content"].decode())))
    alice = rows[1]
    return (rows[0]["user"], rows[0]["password_enabled"], alice["password_next_rotation"],
            alice["access_key_1_last_used_service"], r["ReportFormat"])


def main():
    t = Tap()
    for service, op, rel, pick, want in CASES:
        t.run(rel, lambda: t.eq(pick(parse(service, op, rel)), want,
                                "%s: botocore's %s parser reads it as the C tests do" % (rel, op)))
    t.run("credential report", lambda: t.eq(
        credential_report(parse("iam", "GetCredentialReport",
                                "iam/get_credential_report_handwritten_root.xml")),
        ("<root_account>", "not_supported", "2027-03-03T10:00:22+00:00", "sqs", "text/csv"),
        "iam/get_credential_report_handwritten_root.xml: botocore decodes the report, and "
        "Python's csv reads the root line and alice's next rotation"))
    t.done()


if __name__ == "__main__":
    main()
