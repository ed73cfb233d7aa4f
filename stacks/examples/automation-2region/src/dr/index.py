"""DR automation: promotes the DR database cluster and scales the DR
region's ECS service up (the pilot light becomes the primary)."""
import os

import boto3


def handler(event, context):
    rds = boto3.client("rds")
    rds.failover_global_cluster(GlobalClusterIdentifier=os.environ["DB_CLUSTER"],
                                TargetDbClusterIdentifier=os.environ["DB_CLUSTER"])
    ecs = boto3.client("ecs")
    ecs.update_service(cluster=os.environ["ECS_CLUSTER"], service=os.environ["ECS_SERVICE"], desiredCount=2)
    return {"promoted": os.environ["DB_CLUSTER"]}
