"""Health monitor: checks the application every 5 minutes; after three
consecutive failures it invokes the DR-automation function."""
import os
import urllib.request

import boto3

FAILURES_BEFORE_FAILOVER = int(os.environ.get("FAILURES_BEFORE_FAILOVER", "3"))


def healthy(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as reply:
            return reply.status == 200
    except OSError:
        return False


def handler(event, context):
    ssm = boto3.client("ssm")
    name = "/automation/health/failures"
    url = os.environ.get("HEALTH_URL", "http://localhost/health.php")
    failures = 0 if healthy(url) else int(event.get("failures", 0)) + 1
    ssm.put_parameter(Name=name, Value=str(failures), Type="String", Overwrite=True)
    if failures >= FAILURES_BEFORE_FAILOVER:
        boto3.client("lambda").invoke(FunctionName=os.environ["DR_FUNCTION"], InvocationType="Event")
        boto3.client("sns").publish(TopicArn=os.environ["TOPIC_ARN"], Subject="Failover started",
                                    Message=f"{failures} failed health checks of {url}")
    return {"failures": failures}
