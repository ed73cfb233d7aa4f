"""Health monitor of one lamp-dr region, run every 5 minutes by an
EventBridge schedule: GETs the application's /health.php through the
region's load balancer and keeps the number of consecutive failures in an
SSM parameter (owned by the stack; infra ignores its value). At the
FAILURES_BEFORE_FAILOVER-th consecutive failure it invokes the
DR-automation function once and alerts the topic; a success resets the
count (and says so on the topic if it had reached the threshold).

Environment: HEALTH_URL, FAILURES_PARAMETER, FAILURES_BEFORE_FAILOVER,
DR_FUNCTION, TOPIC_ARN."""
import json
import os
import urllib.error
import urllib.request

import boto3

TIMEOUT_SECONDS = 5


def healthy(url):
    """True when the application answers 200 within the timeout."""
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as reply:
            return reply.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def consecutive_failures(ssm, name):
    try:
        return int(ssm.get_parameter(Name=name)["Parameter"]["Value"])
    except ssm.exceptions.ParameterNotFound:
        return 0
    except ValueError:  # not a number: start again
        return 0


def handler(event, context):
    url = os.environ["HEALTH_URL"]
    name = os.environ["FAILURES_PARAMETER"]
    threshold = int(os.environ.get("FAILURES_BEFORE_FAILOVER", "3"))
    ssm = boto3.client("ssm")
    sns = boto3.client("sns")
    before = consecutive_failures(ssm, name)
    ok = healthy(url)
    failures = 0 if ok else before + 1
    if failures != before:
        ssm.put_parameter(Name=name, Value=str(failures), Type="String", Overwrite=True)
    if failures == threshold:  # once per outage, not every 5 minutes after
        boto3.client("lambda").invoke(FunctionName=os.environ["DR_FUNCTION"], InvocationType="Event",
                                      Payload=json.dumps({"reason": f"{failures} failed checks of {url}"}))
        sns.publish(TopicArn=os.environ["TOPIC_ARN"], Subject="lamp-dr: failover started",
                    Message=f"{failures} consecutive failed health checks of {url}: DR automation invoked.")
    elif ok and before >= threshold:
        sns.publish(TopicArn=os.environ["TOPIC_ARN"], Subject="lamp-dr: application healthy again",
                    Message=f"{url} answers again after {before} failed checks. Failing back is a reviewed "
                            "sequence of plans: docs/disaster-recovery.md.")
    return {"healthy": ok, "consecutive_failures": failures}
