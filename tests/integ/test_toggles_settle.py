"""test_toggles_settle.py - a flip of a Lambda event-source mapping that does not settle at
once, on a small Lambda endpoint of our own (tests/lib/fake_lambda.py, checked with botocore
first) with moto for STS: `opsdeck toggle set` reads the mapping back until Lambda says
Disabled (each read answered while it was still Disabling is one more GET), and a mapping
stuck in Disabling is reported as "did not take" once [toggles] confirm_timeout has passed,
naming what Lambda last said; the write itself was sent once either way."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from awsenv import Moto, aws_env, boto3_clients  # noqa: E402
from fake_lambda import PREFIX, FakeLambda  # noqa: E402
from tap import Tap  # noqa: E402

OPSDECK = os.environ["OPSDECK"]
t = Tap()


def env_for(moto, fake, timeout):
    env = aws_env(moto.endpoint)
    env["AWS_ENDPOINT_URL_LAMBDA"] = fake.endpoint
    env["XDG_CONFIG_HOME"] = os.path.join(env["HOME"], ".config")
    env["XDG_STATE_HOME"] = os.path.join(env["HOME"], ".local", "state")
    d = os.path.join(env["XDG_CONFIG_HOME"], "opsdeck")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "config"), "w", encoding="utf-8") as f:
        f.write(f"[toggles]\nconfirm_timeout = {timeout}\n")
    return env


def flip(env):
    p = subprocess.run([OPSDECK, "toggle", "set", "slow-worker:slow-queue", "off", "--yes"],
                       env=env, capture_output=True, text=True, timeout=120,
                       stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout, p.stderr


def main():
    with Moto() as moto:
        with FakeLambda(settle_after=3) as fake:
            # the fake's answers are what botocore expects of Lambda
            lam = boto3_clients(fake.endpoint, services=("lambda",))["lambda"]
            got = lam.list_event_source_mappings()["EventSourceMappings"]
            t.eq([(m["UUID"], m["State"]) for m in got], [(fake.uuid, "Enabled")],
                 "botocore parses the fake's ListEventSourceMappings")
            fake.requests.clear()

            rc, out, err = flip(env_for(moto, fake, "5m"))
            t.eq(rc, 0, "a mapping that settles after three reads: exit 0")
            t.eq(out, "slow-worker:slow-queue is off (AWS says Disabled)\n",
                 "it says the state Lambda read back")
            puts = [r for r in fake.requests if r[0] == "PUT"]
            reads = [r for r in fake.requests if r == ("GET", f"{PREFIX}/{fake.uuid}")]
            t.eq(len(puts), 1, "one UpdateEventSourceMapping")
            t.eq(len(reads), 3, "read back until Lambda said Disabled: three GETs, no more")
            t.eq(err, "", "nothing on stderr")
            t.ok(fake.requests.index(puts[0]) < fake.requests.index(reads[0]),
                 "the reads come after the write")
            t.eq(lam.get_event_source_mapping(UUID=fake.uuid)["State"], "Disabled",
                 "botocore reads it Disabled")

        with FakeLambda(settle_after=None) as fake:
            rc, out, err = flip(env_for(moto, fake, "3s"))
            t.eq(rc, 1, "a mapping stuck in Disabling: exit 1")
            t.ok("slow-worker:slow-queue did not take: still changing (AWS says Disabling) "
                 "after 3 s" in err, "it says the flip did not take and what Lambda said",
                 detail=err)
            t.eq(out, "", "nothing on stdout")
            reads = [r for r in fake.requests if r == ("GET", f"{PREFIX}/{fake.uuid}")]
            t.ok(len(reads) >= 1, "it read the mapping back before giving up", detail=reads)
            t.eq(len([r for r in fake.requests if r[0] == "PUT"]), 1,
                 "the write was sent once, never repeated")
    t.done()


main()
