"""Checks of what shows where the platform's metrics go: Bedrock's model-invocation logging, the
environment's dashboard and its alarms (README, "Where the metrics go on AWS"), and the managed
Prometheus scraper of the cluster (README, "Cluster and GPU metrics")."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from platform_smoke.result import Check, CheckFailed, CheckSkipped
from platform_smoke.target import Target


def invocation_logging(bedrock: Any) -> str:
    """The account and Region log model invocations (one configuration for all environments
    sharing them, so any environment's stack may own it)."""
    config = bedrock.get_model_invocation_logging_configuration().get("loggingConfig")
    if not config or not (config.get("cloudWatchConfig") or config.get("s3Config")):
        raise CheckFailed(
            "no model-invocation logging in this account and Region: apply the bedrock stack "
            "(model_invocation_logging = true in one environment per account and Region)"
        )
    where = [
        f"log group {config['cloudWatchConfig']['logGroupName']}"
        if config.get("cloudWatchConfig")
        else None,
        f"bucket {config['s3Config']['bucketName']}" if config.get("s3Config") else None,
    ]
    text = "with prompts and answers" if config.get("textDataDeliveryEnabled") else "metadata only"
    return f"{', '.join(filter(None, where))}; {text}"


def dashboard_and_alarms(cloudwatch: Any, target: Target) -> str:
    """The dashboard and every alarm the operations stack published exist; alarms firing are
    reported, not failed (the alarms themselves notify)."""
    if target.dashboard_name is None:
        raise CheckSkipped("the operations stack is not applied: no dashboard or alarms yet")
    try:
        cloudwatch.get_dashboard(DashboardName=target.dashboard_name)
    except ClientError as error:
        if error.response["Error"]["Code"] != "ResourceNotFound":
            raise
        raise CheckFailed(f"no dashboard {target.dashboard_name}") from None
    found = {
        alarm["AlarmName"]: alarm["StateValue"]
        for page in cloudwatch.get_paginator("describe_alarms").paginate(
            AlarmNames=list(target.alarm_names), AlarmTypes=["MetricAlarm"]
        )
        for alarm in page["MetricAlarms"]
    }
    missing = sorted(set(target.alarm_names) - set(found))
    if missing:
        raise CheckFailed(f"missing alarms: {', '.join(missing)}")
    firing = sorted(name for name, state in found.items() if state == "ALARM")
    return f"dashboard {target.dashboard_name}, {len(found)} alarms" + (
        f" ({', '.join(firing)} in ALARM)" if firing else ""
    )


def prometheus_scraper(amp: Any, target: Target) -> str:
    """The scraper the platform stack published is ACTIVE: it reaches the cluster and writes to
    its workspace (creation fails, with a reason, when it cannot)."""
    if target.prometheus_scraper_id is None:
        raise CheckFailed("the platform stack published no prometheus/scraper-id: apply it")
    scraper = amp.describe_scraper(scraperId=target.prometheus_scraper_id)["scraper"]
    status = scraper["status"]["statusCode"]
    if status != "ACTIVE":
        reason = scraper.get("statusReason")
        raise CheckFailed(
            f"scraper {target.prometheus_scraper_id} is {status}"
            + (f": {reason}" if reason else "")
        )
    workspace = scraper["destination"]["ampConfiguration"]["workspaceArn"].rsplit("/", 1)[-1]
    return f"scraper {target.prometheus_scraper_id} ACTIVE, writing to {workspace}"


def observability_checks(bedrock: Any, cloudwatch: Any, amp: Any, target: Target) -> list[Check]:
    return [
        ("model-invocation logging", lambda: invocation_logging(bedrock)),
        ("dashboard and alarms", lambda: dashboard_and_alarms(cloudwatch, target)),
        ("prometheus scraper", lambda: prometheus_scraper(amp, target)),
    ]
