"""DR automation of lamp-dr, invoked by the health monitor after three
consecutive failed checks: promotes the DR region's replica database to a
standalone writer (skipped when it already is one), opens the DR service's
autoscaling range and scales the DR service to DESIRED_COUNT tasks, then
reports on the topic. Every step is safe to repeat. It does not move the
tasks onto the promoted endpoint or swap DNS: the Route 53 failover records
follow their health check, and `infra apply -var dr_active=true --region dr`
completes the failover (docs/disaster-recovery.md).

Environment: TARGET_REGION, DB_KIND (aurora or mysql), DB_IDENTIFIER,
ECS_CLUSTER, ECS_SERVICE, DESIRED_COUNT, MIN_CAPACITY, MAX_CAPACITY,
TOPIC_ARN."""
import os

import boto3


def promote(rds, kind, identifier):
    """Promotes the replica; returns what was done."""
    if kind == "aurora":
        cluster = rds.describe_db_clusters(DBClusterIdentifier=identifier)["DBClusters"][0]
        if not cluster.get("ReplicationSourceIdentifier"):
            return f"{identifier} is already a standalone cluster"
        rds.promote_read_replica_db_cluster(DBClusterIdentifier=identifier)
        return f"{identifier} promoted"
    instance = rds.describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0]
    if not instance.get("ReadReplicaSourceDBInstanceIdentifier"):
        return f"{identifier} is already a standalone instance"
    rds.promote_read_replica(DBInstanceIdentifier=identifier)
    return f"{identifier} promoted"


def scale(region, cluster, service, desired, low, high):
    boto3.client("application-autoscaling", region_name=region).register_scalable_target(
        ServiceNamespace="ecs", ResourceId=f"service/{cluster}/{service}",
        ScalableDimension="ecs:service:DesiredCount", MinCapacity=low, MaxCapacity=high)
    ecs = boto3.client("ecs", region_name=region)
    current = ecs.describe_services(cluster=cluster, services=[service])["services"][0]["desiredCount"]
    if current < desired:  # never scale down what autoscaling already raised
        ecs.update_service(cluster=cluster, service=service, desiredCount=desired)
    return f"{cluster}/{service}: {max(current, desired)} tasks, autoscaling {low}-{high}"


def handler(event, context):
    env = os.environ
    region = env["TARGET_REGION"]
    steps = [
        promote(boto3.client("rds", region_name=region), env["DB_KIND"], env["DB_IDENTIFIER"]),
        scale(region, env["ECS_CLUSTER"], env["ECS_SERVICE"], int(env["DESIRED_COUNT"]),
              int(env["MIN_CAPACITY"]), int(env["MAX_CAPACITY"])),
    ]
    boto3.client("sns").publish(
        TopicArn=env["TOPIC_ARN"], Subject=f"lamp-dr: DR automation ran in {region}",
        Message="\n".join(steps + [f"Complete the failover: infra apply -var dr_active=true --region dr "
                                   f"(reason: {event.get('reason', 'invoked')})."]))
    return {"steps": steps}
