"""Checks against AWS APIs: node groups, Pod Identity, the knowledge base, the agent, its Lambda,
the review stream, its Flink application and results collection, MWAA where it runs."""

from __future__ import annotations

import json
import uuid
from typing import Any

from genai_common.commands import module_command

from platform_smoke.result import Check, CheckFailed, CheckSkipped
from platform_smoke.target import Target

# Service accounts that must have a Pod Identity association, besides one per app.
ADD_ON_IDENTITIES = (
    ("kube-system", "aws-load-balancer-controller"),
    ("kube-system", "ebs-csi-controller-sa"),
)


def node_group_sizes(eks: Any, cluster: str) -> dict[str, int]:
    """Desired size per node group; any group that is not ACTIVE fails the check."""
    sizes, problems = {}, []
    for page in eks.get_paginator("list_nodegroups").paginate(clusterName=cluster):
        for name in page["nodegroups"]:
            group = eks.describe_nodegroup(clusterName=cluster, nodegroupName=name)["nodegroup"]
            sizes[name] = group["scalingConfig"]["desiredSize"]
            if group["status"] != "ACTIVE":
                issues = [
                    i.get("message", i.get("code", ""))
                    for i in group.get("health", {}).get("issues", [])
                ]
                problems.append(
                    f"node group {name} is {group['status']}"
                    + (f": {'; '.join(issues)}" if issues else "")
                )
    if problems:
        raise CheckFailed("; ".join(problems))
    if not sizes:
        raise CheckFailed(f"cluster {cluster} has no node groups")
    return sizes


def pod_identities(eks: Any, target: Target) -> str:
    present = set()
    for page in eks.get_paginator("list_pod_identity_associations").paginate(
        clusterName=target.cluster_name
    ):
        present |= {(a["namespace"], a["serviceAccount"]) for a in page["associations"]}
    wanted = set(ADD_ON_IDENTITIES) | {("genai", app) for app in target.apps}
    missing = sorted(f"{ns}/{sa}" for ns, sa in wanted - present)
    if missing:
        raise CheckFailed(f"no association for {', '.join(missing)}")
    return f"{len(wanted)} service accounts associated"


def knowledge_base_synced(bedrock_agent: Any, target: Target) -> str:
    kb = bedrock_agent.get_knowledge_base(knowledgeBaseId=target.knowledge_base_id)["knowledgeBase"]
    if kb["status"] != "ACTIVE":
        raise CheckFailed(f"knowledge base {target.knowledge_base_id} is {kb['status']}")
    jobs = bedrock_agent.list_ingestion_jobs(
        knowledgeBaseId=target.knowledge_base_id,
        dataSourceId=target.data_source_id,
        sortBy={"attribute": "STARTED_AT", "order": "DESCENDING"},
        maxResults=1,
    )["ingestionJobSummaries"]
    if not jobs:
        raise CheckFailed(
            f"ACTIVE but never ingested: run {module_command('competency_ingest')} publish "
            f"--env {target.environment} (or scripts/kb-sync {target.environment})"
        )
    job = jobs[0]
    stats = job.get("statistics", {})
    if job["status"] != "COMPLETE":
        raise CheckFailed(f"last ingestion {job['ingestionJobId']} is {job['status']}")
    return (
        f"ACTIVE; last ingestion COMPLETE ({stats.get('numberOfDocumentsScanned', 0)} scanned, "
        f"{stats.get('numberOfDocumentsFailed', 0)} failed)"
    )


def agent_alias_prepared(bedrock_agent: Any, target: Target) -> str:
    alias = bedrock_agent.get_agent_alias(
        agentId=target.agent_id, agentAliasId=target.agent_alias_id
    )["agentAlias"]
    if alias["agentAliasStatus"] != "PREPARED":
        reasons = "; ".join(alias.get("failureReasons", []))
        raise CheckFailed(
            f"alias {target.agent_alias_id} is {alias['agentAliasStatus']} {reasons}".strip()
        )
    versions = [r.get("agentVersion") for r in alias.get("routingConfiguration", [])]
    return f"alias {alias['agentAliasName']} PREPARED, version {', '.join(filter(None, versions)) or '?'}"


def check_case_event(case_id: str) -> dict[str, Any]:
    """A Bedrock Agent action-group event for checkCase, as the agent sends it (messageVersion 1.0)."""
    return {
        "messageVersion": "1.0",
        "agent": {"name": "smoke-check", "id": "SMOKECHECK", "alias": "SMOKECHECK", "version": "1"},
        "inputText": f"Look up case sheet {case_id}",
        "sessionId": f"smoke-{uuid.uuid4().hex[:12]}",
        "actionGroup": "case-sheets",
        "apiPath": "/checkCase",
        "httpMethod": "POST",
        "parameters": [],
        "requestBody": {
            "content": {
                "application/json": {
                    "properties": [{"name": "caseSheetId", "type": "string", "value": case_id}]
                }
            }
        },
        "sessionAttributes": {},
        "promptSessionAttributes": {},
    }


def case_sheets_answers(lambda_client: Any, target: Target) -> str:
    """checkCase for an id that cannot exist must come back as the documented 404 envelope."""
    case_id = f"cs-smoke{uuid.uuid4().hex[:8]}"
    answer = lambda_client.invoke(
        FunctionName=target.case_sheets_function,
        Payload=json.dumps(check_case_event(case_id)).encode(),
    )
    body = answer["Payload"].read()
    if answer.get("FunctionError"):
        raise CheckFailed(f"the function failed: {body[:300]!r}")
    status = json.loads(body).get("response", {}).get("httpStatusCode")
    if status != 404:
        raise CheckFailed(f"checkCase for an unknown id answered {status}, expected 404")
    return f"checkCase {case_id} -> 404"


def stream_active(kinesis: Any, target: Target) -> str:
    """The review stream is ACTIVE; CREATING or UPDATING (resharding, changing mode) fails."""
    summary = kinesis.describe_stream_summary(StreamName=target.stream_name)[
        "StreamDescriptionSummary"
    ]
    if summary["StreamStatus"] != "ACTIVE":
        raise CheckFailed(f"stream {target.stream_name} is {summary['StreamStatus']}")
    mode = summary.get("StreamModeDetails", {}).get("StreamMode", "?")
    shards = summary["OpenShardCount"]
    return f"ACTIVE, {mode}, {shards} shard{'' if shards == 1 else 's'}"


def application_running(flink: Any, target: Target) -> str:
    """The Managed Service for Apache Flink application reading the stream is RUNNING."""
    if target.application_name is None:
        raise CheckFailed(
            "the Flink application is not deployed: the streaming stack published no "
            "application-name, so it was applied without the flink-app workflow's zip "
            "(dist/review-stream-flink.zip); fetch or build it and apply streaming again "
            "(README: First apply of dev; Review sentiment)"
        )
    app = flink.describe_application(ApplicationName=target.application_name)["ApplicationDetail"]
    if app["ApplicationStatus"] != "RUNNING":
        raise CheckFailed(
            f"application {target.application_name} is {app['ApplicationStatus']} "
            f"({app['RuntimeEnvironment']})"
        )
    return f"RUNNING, {app['RuntimeEnvironment']}"


def collection_active(aoss: Any, target: Target) -> str:
    """The OpenSearch Serverless collection holding the results is ACTIVE."""
    name = target.collection_name
    answer = aoss.batch_get_collection(names=[name])
    # One name asked for: any error detail is about that collection.
    errors = answer.get("collectionErrorDetails", [])
    if errors:
        raise CheckFailed(
            f"collection {name}: "
            + "; ".join(
                f"{e.get('errorCode', 'error')}: {e.get('errorMessage', '?')}" for e in errors
            )
        )
    found = [c for c in answer.get("collectionDetails", []) if c.get("name") == name]
    if not found:
        raise CheckFailed(f"no collection {name}")
    collection = found[0]
    if collection["status"] != "ACTIVE":
        reason = collection.get("failureMessage") or collection.get("failureCode")
        raise CheckFailed(
            f"collection {name} is {collection['status']}" + (f": {reason}" if reason else "")
        )
    return f"ACTIVE, {collection.get('type', '?')}"


def mwaa_available(mwaa: Any, target: Target) -> str:
    """The MWAA environment is AVAILABLE where the operations stack runs one; off is not a failure."""
    if target.mwaa_environment is None:
        raise CheckSkipped(
            "MWAA off (mwaa_enabled = false)"
            if target.operations_applied
            else "MWAA off (the operations stack is not applied)"
        )
    environment = mwaa.get_environment(Name=target.mwaa_environment)["Environment"]
    status = environment.get("Status", "?")
    if status != "AVAILABLE":
        error = environment.get("LastUpdate", {}).get("Error", {}).get("ErrorMessage")
        raise CheckFailed(
            f"environment {target.mwaa_environment} is {status}" + (f": {error}" if error else "")
        )
    return f"AVAILABLE, Airflow {environment.get('AirflowVersion', '?')}"


def aws_checks(
    eks: Any,
    bedrock_agent: Any,
    lambda_client: Any,
    kinesis: Any,
    flink: Any,
    aoss: Any,
    mwaa: Any,
    target: Target,
) -> list[Check]:
    return [
        ("Pod Identity associations", lambda: pod_identities(eks, target)),
        ("knowledge base", lambda: knowledge_base_synced(bedrock_agent, target)),
        ("agent alias", lambda: agent_alias_prepared(bedrock_agent, target)),
        ("case-sheet Lambda", lambda: case_sheets_answers(lambda_client, target)),
        ("review stream", lambda: stream_active(kinesis, target)),
        ("review sentiment application", lambda: application_running(flink, target)),
        ("review results collection", lambda: collection_active(aoss, target)),
        ("MWAA environment", lambda: mwaa_available(mwaa, target)),
    ]
