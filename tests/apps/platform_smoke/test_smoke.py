"""The smoke check against stubbed AWS APIs (botocore Stubber: responses checked against the
service models) and a Kubernetes API on localhost that the real Kubernetes client talks to."""

from __future__ import annotations

import base64
import io
import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from botocore.credentials import Credentials
from botocore.response import StreamingBody
from botocore.stub import ANY, Stubber
from genai_common.kube import eks_token
from genai_common.stacks import StackNotApplied
from platform_smoke import __main__ as cli
from platform_smoke.aws_checks import stream_active
from platform_smoke.result import Outcome, run_check
from platform_smoke.target import Target, load_target

from tests.apps.platform_smoke.fake_kube import (
    APPS,
    HUB_POD,
    MODEL_POD,
    QDRANT_POD,
    Cluster,
    daemon_set,
    deployment,
    node,
    node_pool,
    serve,
)
from tests.apps.platform_smoke.fake_kube import storage_class as a_class

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
CREDENTIALS = Credentials("AKIDEXAMPLE", "secret-for-tests", "session-token")
TARGET = Target(
    environment="dev",
    cluster_name="genai-dev",
    apps=APPS,
    knowledge_base_id="KB12345678",
    data_source_id="DS12345678",
    agent_id="AGENT12345",
    agent_alias_id="ALIAS12345",
    case_sheets_function="genai-dev-case-sheets",
    stream_name="genai-dev-reviews",
    collection_name="genai-dev-reviews",
    application_name="genai-dev-review-sentiment",
    mwaa_environment="genai-dev-airflow",
    operations_applied=True,
    dashboard_name="genai-dev",
    alarm_names=("genai-dev-model-errors", "genai-dev-model-budget"),
    prometheus_scraper_id="s-0123abcd-0000-4000-a000-000000000000",
)
ACCOUNT = "123456789012"
GROUPS = {"system": 2, "cpu-spot": 1, "gpu-spot": 0}
ASSOCIATIONS = [
    ("kube-system", "aws-load-balancer-controller"),
    ("kube-system", "ebs-csi-controller-sa"),
    *[("genai", app) for app in APPS],
]


class Aws:
    """Stubbed clients answering for a healthy environment unless told otherwise."""

    def __init__(self, endpoint: str) -> None:
        self.clients = {
            name: boto3.client(name, region_name="us-east-1")
            for name in cli.CLIENTS
            if name != "ssm"
        }
        self.stubs = {name: Stubber(client) for name, client in self.clients.items()}
        self.endpoint = endpoint
        self.node_group_status = dict.fromkeys(GROUPS, "ACTIVE")
        self.associations = list(ASSOCIATIONS)
        self.kb_status = "ACTIVE"
        self.ingestion: str | None = "COMPLETE"
        self.alias_status = "PREPARED"
        self.lambda_status = 404
        self.function_error = False
        self.target = TARGET
        self.stream_status = "ACTIVE"
        self.application_status = "RUNNING"
        self.collection_status = "ACTIVE"
        self.collection_error: dict[str, str] | None = None
        self.mwaa_status = "AVAILABLE"
        self.mwaa_error: str | None = None
        self.logging: dict[str, Any] | None = {
            "cloudWatchConfig": {
                "logGroupName": "/aws/bedrock/genai-dev/model-invocations",
                "roleArn": f"arn:aws:iam::{ACCOUNT}:role/genai-dev-bedrock-invocation-logs",
            },
            "s3Config": {"bucketName": f"genai-dev-model-invocations-{ACCOUNT}"},
            "textDataDeliveryEnabled": False,
        }
        self.dashboard = True
        self.alarm_states = dict.fromkeys(TARGET.alarm_names, "OK")
        self.scraper_status: dict[str, str] = {"statusCode": "ACTIVE"}

    def stub(self, *, cluster_reachable: bool = True) -> None:
        eks, bedrock, lam = (self.stubs[n] for n in ("eks", "bedrock-agent", "lambda"))
        eks.add_response(
            "describe_cluster",
            {
                "cluster": {
                    "name": TARGET.cluster_name,
                    "endpoint": self.endpoint,
                    "certificateAuthority": {"data": base64.b64encode(b"not a real CA").decode()},
                    "status": "ACTIVE",
                }
            },
            {"name": TARGET.cluster_name},
        )
        if cluster_reachable:
            eks.add_response(
                "list_nodegroups",
                {"nodegroups": list(GROUPS)},
                {"clusterName": TARGET.cluster_name},
            )
            for group, size in GROUPS.items():
                eks.add_response(
                    "describe_nodegroup",
                    {
                        "nodegroup": {
                            "nodegroupName": group,
                            "status": self.node_group_status[group],
                            "scalingConfig": {"minSize": 0, "maxSize": 3, "desiredSize": size},
                            "health": {"issues": []},
                        }
                    },
                    {"clusterName": TARGET.cluster_name, "nodegroupName": group},
                )
        eks.add_response(
            "list_pod_identity_associations",
            {
                "associations": [
                    {
                        "clusterName": TARGET.cluster_name,
                        "namespace": ns,
                        "serviceAccount": sa,
                        "associationArn": f"arn:aws:eks:us-east-1:123456789012:podidentityassociation/genai-dev/a-{i}",
                        "associationId": f"a-{i}",
                    }
                    for i, (ns, sa) in enumerate(self.associations)
                ]
            },
            {"clusterName": TARGET.cluster_name},
        )
        bedrock.add_response(
            "get_knowledge_base",
            {
                "knowledgeBase": {
                    "knowledgeBaseId": TARGET.knowledge_base_id,
                    "name": "genai-dev",
                    "knowledgeBaseArn": f"arn:aws:bedrock:us-east-1:123456789012:knowledge-base/{TARGET.knowledge_base_id}",
                    "roleArn": "arn:aws:iam::123456789012:role/genai-dev-knowledge-base",
                    "knowledgeBaseConfiguration": {"type": "VECTOR"},
                    "status": self.kb_status,
                    "createdAt": NOW,
                    "updatedAt": NOW,
                }
            },
            {"knowledgeBaseId": TARGET.knowledge_base_id},
        )
        if self.kb_status == "ACTIVE":
            jobs = (
                [
                    {
                        "knowledgeBaseId": TARGET.knowledge_base_id,
                        "dataSourceId": TARGET.data_source_id,
                        "ingestionJobId": "JOB1234567",
                        "status": self.ingestion,
                        "startedAt": NOW,
                        "updatedAt": NOW,
                        "statistics": {
                            "numberOfDocumentsScanned": 16,
                            "numberOfDocumentsFailed": 0,
                        },
                    }
                ]
                if self.ingestion
                else []
            )
            bedrock.add_response(
                "list_ingestion_jobs",
                {"ingestionJobSummaries": jobs},
                {
                    "knowledgeBaseId": TARGET.knowledge_base_id,
                    "dataSourceId": TARGET.data_source_id,
                    "sortBy": {"attribute": "STARTED_AT", "order": "DESCENDING"},
                    "maxResults": 1,
                },
            )
        bedrock.add_response(
            "get_agent_alias",
            {
                "agentAlias": {
                    "agentId": TARGET.agent_id,
                    "agentAliasId": TARGET.agent_alias_id,
                    "agentAliasName": "live",
                    "agentAliasArn": f"arn:aws:bedrock:us-east-1:123456789012:agent-alias/{TARGET.agent_id}/{TARGET.agent_alias_id}",
                    "routingConfiguration": [{"agentVersion": "3"}],
                    "createdAt": NOW,
                    "updatedAt": NOW,
                    "agentAliasStatus": self.alias_status,
                }
            },
            {"agentId": TARGET.agent_id, "agentAliasId": TARGET.agent_alias_id},
        )
        payload = (
            json.dumps({"errorMessage": "boom", "errorType": "KeyError"})
            if self.function_error
            else json.dumps(
                {
                    "messageVersion": "1.0",
                    "response": {
                        "actionGroup": "case-sheets",
                        "apiPath": "/checkCase",
                        "httpMethod": "POST",
                        "httpStatusCode": self.lambda_status,
                        "responseBody": {"application/json": {"body": "{}"}},
                    },
                }
            )
        ).encode()
        answer: dict[str, Any] = {
            "StatusCode": 200,
            "Payload": StreamingBody(io.BytesIO(payload), len(payload)),
        }
        if self.function_error:
            answer["FunctionError"] = "Unhandled"
        lam.add_response(
            "invoke", answer, {"FunctionName": TARGET.case_sheets_function, "Payload": ANY}
        )
        self.stub_streaming()
        self.stub_operations()
        self.stub_observability()
        for stubber in self.stubs.values():
            stubber.activate()

    def stub_streaming(self) -> None:
        target = self.target
        self.stubs["kinesis"].add_response(
            "describe_stream_summary",
            {
                "StreamDescriptionSummary": {
                    "StreamName": target.stream_name,
                    "StreamARN": f"arn:aws:kinesis:us-east-1:{ACCOUNT}:stream/{target.stream_name}",
                    "StreamStatus": self.stream_status,
                    "StreamModeDetails": {"StreamMode": "ON_DEMAND"},
                    "RetentionPeriodHours": 24,
                    "StreamCreationTimestamp": NOW,
                    # No shard-level metrics (the stack sets none); the model refuses an empty list here.
                    "EnhancedMonitoring": [{}],
                    "EncryptionType": "KMS",
                    "KeyId": f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                    "OpenShardCount": 4,
                }
            },
            {"StreamName": target.stream_name},
        )
        if target.application_name:
            self.stubs["kinesisanalyticsv2"].add_response(
                "describe_application",
                {
                    "ApplicationDetail": {
                        "ApplicationARN": f"arn:aws:kinesisanalytics:us-east-1:{ACCOUNT}:application/{target.application_name}",
                        "ApplicationName": target.application_name,
                        "RuntimeEnvironment": "FLINK-2_2",
                        "ServiceExecutionRole": f"arn:aws:iam::{ACCOUNT}:role/genai-dev-review-sentiment",
                        "ApplicationStatus": self.application_status,
                        "ApplicationVersionId": 3,
                        "CreateTimestamp": NOW,
                        "LastUpdateTimestamp": NOW,
                        "ApplicationMode": "STREAMING",
                    }
                },
                {"ApplicationName": target.application_name},
            )
        collection_id = "a1b2c3d4e5f6g7h8i9j0"
        found: dict[str, Any] = (
            {
                "collectionErrorDetails": [
                    {"name": target.collection_name, **self.collection_error},
                ],
                "collectionDetails": [],
            }
            if self.collection_error
            else {
                "collectionDetails": [
                    {
                        "id": collection_id,
                        "name": target.collection_name,
                        "status": self.collection_status,
                        "type": "SEARCH",
                        "arn": f"arn:aws:aoss:us-east-1:{ACCOUNT}:collection/{collection_id}",
                        "standbyReplicas": "DISABLED",
                        "createdDate": 1_795_000_000_000,
                        "lastModifiedDate": 1_795_000_000_000,
                        "collectionEndpoint": f"https://{collection_id}.us-east-1.aoss.amazonaws.com",
                        **(
                            {
                                "failureCode": "INTERNAL_ERROR",
                                "failureMessage": "capacity unavailable",
                            }
                            if self.collection_status == "FAILED"
                            else {}
                        ),
                    }
                ],
                "collectionErrorDetails": [],
            }
        )
        self.stubs["opensearchserverless"].add_response(
            "batch_get_collection", found, {"names": [target.collection_name]}
        )

    def stub_operations(self) -> None:
        name = self.target.mwaa_environment
        if not name:
            return
        environment: dict[str, Any] = {
            "Name": name,
            "Status": self.mwaa_status,
            "Arn": f"arn:aws:airflow:us-east-1:{ACCOUNT}:environment/{name}",
            "CreatedAt": NOW,
            "AirflowVersion": "3.0.6",
            "EnvironmentClass": "mw1.small",
            "WebserverAccessMode": "PRIVATE_ONLY",
        }
        if self.mwaa_error:
            environment["LastUpdate"] = {
                "Status": "FAILED",
                "CreatedAt": NOW,
                "Error": {"ErrorCode": "INCORRECT_CONFIGURATION", "ErrorMessage": self.mwaa_error},
                "Source": "SERVICE",
            }
        self.stubs["mwaa"].add_response(
            "get_environment", {"Environment": environment}, {"Name": name}
        )

    def stub_observability(self) -> None:
        answer = {} if self.logging is None else {"loggingConfig": self.logging}
        self.stubs["bedrock"].add_response("get_model_invocation_logging_configuration", answer, {})
        if self.target.dashboard_name is not None:
            self.stub_dashboard()
        self.stub_scraper()

    def stub_scraper(self) -> None:
        scraper_id = self.target.prometheus_scraper_id
        if scraper_id is None:
            return
        scraper = {
            "scraperId": scraper_id,
            "arn": f"arn:aws:aps:us-east-1:{ACCOUNT}:scraper/{scraper_id}",
            "roleArn": (
                f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/scraper.aps.amazonaws.com/"
                "AWSServiceRoleForAmazonPrometheusScraper_0123abcd-0000-4"
            ),
            "status": {"statusCode": self.scraper_status["statusCode"]},
            "createdAt": NOW,
            "lastModifiedAt": NOW,
            "scrapeConfiguration": {"configurationBlob": b"global: {}"},
            "source": {
                "eksConfiguration": {
                    "clusterArn": f"arn:aws:eks:us-east-1:{ACCOUNT}:cluster/genai-dev",
                    "subnetIds": ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"],
                }
            },
            "destination": {
                "ampConfiguration": {
                    "workspaceArn": f"arn:aws:aps:us-east-1:{ACCOUNT}:workspace/ws-0123abcd"
                }
            },
        }
        if "statusReason" in self.scraper_status:
            scraper["statusReason"] = self.scraper_status["statusReason"]
        self.stubs["amp"].add_response(
            "describe_scraper", {"scraper": scraper}, {"scraperId": scraper_id}
        )

    def stub_dashboard(self) -> None:
        cloudwatch = self.stubs["cloudwatch"]
        if not self.dashboard:
            cloudwatch.add_client_error(
                "get_dashboard", "ResourceNotFound", "Dashboard does not exist", 404
            )
            return
        cloudwatch.add_response(
            "get_dashboard",
            {"DashboardName": self.target.dashboard_name, "DashboardBody": "{}"},
            {"DashboardName": self.target.dashboard_name},
        )
        cloudwatch.add_response(
            "describe_alarms",
            {
                "MetricAlarms": [
                    {"AlarmName": name, "StateValue": state}
                    for name, state in self.alarm_states.items()
                ]
            },
            {"AlarmNames": list(self.target.alarm_names), "AlarmTypes": ["MetricAlarm"]},
        )

    def run(self) -> list[Outcome]:
        return cli.smoke({"ssm": None, **self.clients}, CREDENTIALS, self.target, "us-east-1")

    def all_answered(self) -> None:
        for stubber in self.stubs.values():
            stubber.assert_no_pending_responses()


def failures(outcomes: list[Outcome]) -> dict[str, str]:
    return {o.name: o.detail for o in outcomes if not o.passed}


def test_a_healthy_environment_passes_every_check(forwarded: list[tuple[str, str, str]]) -> None:
    cluster = Cluster()
    with serve(cluster) as endpoint:
        aws = Aws(endpoint)
        aws.stub()
        outcomes = aws.run()
    aws.all_answered()
    assert failures(outcomes) == {}
    assert [o.name for o in outcomes] == [
        "cluster reachable",
        "nodes Ready per group",
        "gp3 default StorageClass",
        "NVIDIA device plugin",
        "load balancer controller",
        *[f"app {app}" for app in APPS],
        "Karpenter and NodePools",
        "JupyterHub hub API",
        "Qdrant",
        "model server",
        "Pod Identity associations",
        "knowledge base",
        "agent alias",
        "case-sheet Lambda",
        "review stream",
        "review sentiment application",
        "review results collection",
        "MWAA environment",
        "model-invocation logging",
        "dashboard and alarms",
        "prometheus scraper",
    ]
    assert not any(o.skipped for o in outcomes)
    details = {o.name: o.detail for o in outcomes}
    assert details["nodes Ready per group"] == "cpu-spot 1/1, gpu-spot 0/0, system 2/2"
    assert details["knowledge base"] == "ACTIVE; last ingestion COMPLETE (16 scanned, 0 failed)"
    assert details["review stream"] == "ACTIVE, ON_DEMAND, 4 shards"
    assert details["review sentiment application"] == "RUNNING, FLINK-2_2"
    assert details["review results collection"] == "ACTIVE, SEARCH"
    assert details["MWAA environment"] == "AVAILABLE, Airflow 3.0.6"
    assert (
        details["Karpenter and NodePools"]
        == "controller 2/2 replicas available; NodePools cpu, gpu Ready"
    )
    assert details["JupyterHub hub API"] == "hub API answers, JupyterHub 5.4.0"
    assert details["Qdrant"] == "Qdrant answers with its API key (1 collections)"
    assert details["model server"] == (
        "1/1 replicas available; /v1 requires the API key; loyalty-model-6d5f8b7c9-x2k4q serves "
        "meta-llama/Llama-3.1-8B-Instruct with adapters loyalty"
    )
    assert all(header.startswith("Bearer k8s-aws-v1.") for header in cluster.authorization)
    # The in-cluster services are reached inside their pods, where NetworkPolicies do not apply.
    assert [(namespace, pod) for _, namespace, pod in forwarded] == [
        ("jupyterhub", HUB_POD),
        ("qdrant", QDRANT_POD),
        ("genai", MODEL_POD),
        ("genai", MODEL_POD),
    ]


def _gp2_also_default(cluster: Cluster, aws: Aws) -> None:
    cluster.storage_classes = [a_class("gp2", True), a_class("gp3", True)]


def _no_default_class(cluster: Cluster, aws: Aws) -> None:
    cluster.storage_classes = [a_class("gp3", False)]


def _a_node_not_ready(cluster: Cluster, aws: Aws) -> None:
    cluster.nodes.append(node("ip-10-10-2-2", "cpu-spot", ready=False))


def _no_cpu_node(cluster: Cluster, aws: Aws) -> None:
    cluster.nodes = [
        n
        for n in cluster.nodes
        if n["metadata"]["labels"]["eks.amazonaws.com/nodegroup"] != "cpu-spot"
    ]


def _gpu_plugin_not_ready(cluster: Cluster, aws: Aws) -> None:
    cluster.daemon_sets = [daemon_set(1, 0)]


def _no_gpu_plugin(cluster: Cluster, aws: Aws) -> None:
    cluster.daemon_sets = []


def _controller_down(cluster: Cluster, aws: Aws) -> None:
    cluster.deployments[("kube-system", "aws-load-balancer-controller")] = deployment(
        "aws-load-balancer-controller", "kube-system", 2, 0
    )


def _app_missing(cluster: Cluster, aws: Aws) -> None:
    del cluster.deployments[("genai", "kb-assistant")]


def _association_missing(cluster: Cluster, aws: Aws) -> None:
    aws.associations.remove(("genai", "claude-chat"))


def _kb_creating(cluster: Cluster, aws: Aws) -> None:
    aws.kb_status = "CREATING"


def _ingestion_failed(cluster: Cluster, aws: Aws) -> None:
    aws.ingestion = "FAILED"


def _never_ingested(cluster: Cluster, aws: Aws) -> None:
    aws.ingestion = None


def _alias_not_prepared(cluster: Cluster, aws: Aws) -> None:
    aws.alias_status = "FAILED"


def _lambda_finds_everything(cluster: Cluster, aws: Aws) -> None:
    aws.lambda_status = 200


def _lambda_crashes(cluster: Cluster, aws: Aws) -> None:
    aws.function_error = True


def _stream_creating(cluster: Cluster, aws: Aws) -> None:
    aws.stream_status = "CREATING"


def _stream_updating(cluster: Cluster, aws: Aws) -> None:
    aws.stream_status = "UPDATING"


def _application_stopped(cluster: Cluster, aws: Aws) -> None:
    aws.application_status = "READY"  # what DescribeApplication calls a stopped application


def _application_not_deployed(cluster: Cluster, aws: Aws) -> None:
    aws.target = replace(aws.target, application_name=None)


def _collection_failed(cluster: Cluster, aws: Aws) -> None:
    aws.collection_status = "FAILED"


def _collection_in_error(cluster: Cluster, aws: Aws) -> None:
    aws.collection_error = {
        "errorCode": "NOT_FOUND",
        "errorMessage": "Collection genai-dev-reviews not found",
    }


def _gpu_pool_missing(cluster: Cluster, aws: Aws) -> None:
    cluster.node_pools = [node_pool("cpu"), node_pool("gpu", ready=False)]


def _karpenter_down(cluster: Cluster, aws: Aws) -> None:
    cluster.deployments[("kube-system", "karpenter")] = deployment("karpenter", "kube-system", 2, 0)


def _hub_down(cluster: Cluster, aws: Aws) -> None:
    cluster.hub_up = False


def _qdrant_key_rotated(cluster: Cluster, aws: Aws) -> None:
    cluster.qdrant_accepts = "qdrant-key-2"


def _model_server_open(cluster: Cluster, aws: Aws) -> None:
    cluster.vllm.api_key = None


def _mwaa_create_failed(cluster: Cluster, aws: Aws) -> None:
    aws.mwaa_status = "CREATE_FAILED"
    aws.mwaa_error = "Could not install the requirements: no matching distribution"


@pytest.mark.parametrize(
    ("breakage", "check", "detail"),
    [
        (
            _gp2_also_default,
            "gp3 default StorageClass",
            "default StorageClasses are ['gp2', 'gp3']",
        ),
        (_no_default_class, "gp3 default StorageClass", "default StorageClasses are none"),
        (_a_node_not_ready, "nodes Ready per group", "cpu-spot: 1 not Ready"),
        (_no_cpu_node, "nodes Ready per group", "cpu-spot: 0 Ready of 1 desired"),
        (_gpu_plugin_not_ready, "NVIDIA device plugin", "0 of 1 device plugin pods ready"),
        (_no_gpu_plugin, "NVIDIA device plugin", "no nvidia-device-plugin DaemonSet"),
        (_controller_down, "load balancer controller", "0 of 2 replicas available"),
        (_gpu_pool_missing, "Karpenter and NodePools", "not present or not Ready: ['gpu']"),
        (_karpenter_down, "Karpenter and NodePools", "0 of 2 replicas available"),
        (_hub_down, "JupyterHub hub API", "no Ready pod behind Service jupyterhub/hub"),
        (_qdrant_key_rotated, "Qdrant", "Qdrant refused the shopping API's key (HTTP 401)"),
        (_model_server_open, "model server", "x2k4q answers without the API key"),
        (_app_missing, "app kb-assistant", "no Deployment genai/kb-assistant"),
        (_association_missing, "Pod Identity associations", "no association for genai/claude-chat"),
        (_kb_creating, "knowledge base", "is CREATING"),
        (_ingestion_failed, "knowledge base", "last ingestion JOB1234567 is FAILED"),
        (_never_ingested, "knowledge base", "never ingested"),
        (_alias_not_prepared, "agent alias", "is FAILED"),
        (_lambda_finds_everything, "case-sheet Lambda", "answered 200, expected 404"),
        (_lambda_crashes, "case-sheet Lambda", "the function failed"),
        (_stream_creating, "review stream", "stream genai-dev-reviews is CREATING"),
        (_stream_updating, "review stream", "stream genai-dev-reviews is UPDATING"),
        (
            _application_stopped,
            "review sentiment application",
            "application genai-dev-review-sentiment is READY (FLINK-2_2)",
        ),
        (
            _application_not_deployed,
            "review sentiment application",
            "the Flink application is not deployed",
        ),
        (
            _collection_failed,
            "review results collection",
            "collection genai-dev-reviews is FAILED: capacity unavailable",
        ),
        (
            _collection_in_error,
            "review results collection",
            "collection genai-dev-reviews: NOT_FOUND: Collection genai-dev-reviews not found",
        ),
        (
            _mwaa_create_failed,
            "MWAA environment",
            "environment genai-dev-airflow is CREATE_FAILED: Could not install the requirements",
        ),
    ],
)
def test_each_breakage_fails_its_own_check_only(breakage: Any, check: str, detail: str) -> None:
    cluster = Cluster()
    with serve(cluster) as endpoint:
        aws = Aws(endpoint)
        breakage(cluster, aws)
        aws.stub()
        outcomes = aws.run()
    aws.all_answered()
    failed = failures(outcomes)
    assert list(failed) == [check]
    assert detail in failed[check]


@pytest.mark.parametrize(
    ("operations_applied", "detail"),
    [
        (True, "MWAA off (mwaa_enabled = false)"),
        (False, "MWAA off (the operations stack is not applied)"),
    ],
)
def test_mwaa_off_is_reported_as_skipped_not_passed(operations_applied: bool, detail: str) -> None:
    cluster = Cluster()
    with serve(cluster) as endpoint:
        aws = Aws(endpoint)
        aws.target = replace(TARGET, mwaa_environment=None, operations_applied=operations_applied)
        aws.stub()  # no GetEnvironment answer: the check must not call MWAA
        outcomes = aws.run()
    aws.all_answered()
    assert failures(outcomes) == {}
    mwaa = next(o for o in outcomes if o.name == "MWAA environment")
    assert mwaa == Outcome("MWAA environment", True, detail, skipped=True)
    assert mwaa.line() == f"SKIP  MWAA environment: {detail}"
    assert [o.name for o in outcomes if o.skipped] == ["MWAA environment"]


def test_a_stream_that_does_not_exist_fails_with_the_api_error() -> None:
    kinesis = boto3.client("kinesis", region_name="us-east-1")
    stubber = Stubber(kinesis)
    stubber.add_client_error(
        "describe_stream_summary",
        "ResourceNotFoundException",
        "Stream genai-dev-reviews under account 123456789012 not found.",
        expected_params={"StreamName": TARGET.stream_name},
    )
    with stubber:
        outcome = run_check("review stream", lambda: stream_active(kinesis, TARGET))
    assert not outcome.passed and not outcome.skipped
    assert outcome.detail.startswith("ResourceNotFoundException: ")
    assert "Stream genai-dev-reviews under account 123456789012 not found" in outcome.detail


def test_an_unreachable_cluster_fails_once_and_the_aws_checks_still_run() -> None:
    with serve(Cluster()) as endpoint:
        pass  # the server is gone: connections are refused
    aws = Aws(endpoint)
    aws.stub(cluster_reachable=False)
    outcomes = aws.run()
    aws.all_answered()
    failed = failures(outcomes)
    assert "cluster reachable" in failed and "Connection refused" in failed["cluster reachable"]
    assert failed["gp3 default StorageClass"] == "not checked: cluster reachable failed"
    assert [o.name for o in outcomes if o.passed] == [
        "Pod Identity associations",
        "knowledge base",
        "agent alias",
        "case-sheet Lambda",
        "review stream",
        "review sentiment application",
        "review results collection",
        "MWAA environment",
        "model-invocation logging",
        "dashboard and alarms",
        "prometheus scraper",
    ]


def test_a_degraded_node_group_fails_the_node_check() -> None:
    cluster = Cluster()
    with serve(cluster) as endpoint:
        aws = Aws(endpoint)
        aws.node_group_status["system"] = "DEGRADED"
        aws.stub()
        outcomes = aws.run()
    assert failures(outcomes) == {"nodes Ready per group": "node group system is DEGRADED"}
    aws.all_answered()


def test_the_token_is_a_presigned_get_caller_identity_for_the_cluster() -> None:
    token = eks_token(CREDENTIALS, "genai-dev", "eu-west-1")
    prefix, _, encoded = token.partition(".")
    assert prefix == "k8s-aws-v1" and "=" not in encoded
    url = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    assert parts.netloc == "sts.eu-west-1.amazonaws.com"
    assert query["Action"] == ["GetCallerIdentity"]
    assert query["X-Amz-Expires"] == ["60"]
    assert "x-k8s-aws-id" in query["X-Amz-SignedHeaders"][0].split(";")
    assert query["X-Amz-Credential"][0].startswith("AKIDEXAMPLE/")


# What each stack publishes in a healthy dev environment (MWAA switched on), by name below its path.
STACK_PARAMETERS = {
    "platform": {
        "cluster-name": "genai-dev",
        "prometheus/scraper-id": "s-0123abcd-0000-4000-a000-000000000000",
        # The fine-tuning image has a repository but runs only as submitted Jobs: no Deployment.
        "ecr/finetune": "repo/finetune",
        **{f"ecr/{app}": f"repo/{app}" for app in APPS},
    },
    "bedrock": {
        "knowledge-base-id": "KB12345678",
        "data-source-id": "DS12345678",
        "agent-id": "AGENT12345",
        "agent-alias-id": "ALIAS12345",
        "case-sheets-function": "genai-dev-case-sheets",
    },
    "streaming": {
        "stream-name": "genai-dev-reviews",
        "stream-arn": f"arn:aws:kinesis:us-east-1:{ACCOUNT}:stream/genai-dev-reviews",
        "collection-name": "genai-dev-reviews",
        "collection-endpoint": "https://a1b2c3d4e5f6g7h8i9j0.us-east-1.aoss.amazonaws.com",
        "application-name": "genai-dev-review-sentiment",
    },
    "operations": {
        "dags-bucket": f"genai-dev-airflow-{ACCOUNT}",
        "environment-name": "genai-dev-airflow",
        "dashboard-name": "genai-dev",
        "alarm-names": "genai-dev-model-errors,genai-dev-model-budget",
    },
}


def ssm_answering(stacks: dict[str, dict[str, str]]) -> tuple[Any, Stubber]:
    """An SSM client answering GetParametersByPath for each stack in turn, in load_target's order."""
    ssm = boto3.client("ssm", region_name="us-east-1")
    stubber = Stubber(ssm)
    for stack, values in stacks.items():
        path = f"/genai/dev/{stack}/"
        stubber.add_response(
            "get_parameters_by_path",
            {
                "Parameters": [
                    {"Name": path + k, "Value": v, "Type": "String"} for k, v in values.items()
                ]
            },
            {"Path": path, "Recursive": True},
        )
    return ssm, stubber


def test_the_target_comes_from_the_stacks_parameters() -> None:
    ssm, stubber = ssm_answering(STACK_PARAMETERS)
    with stubber:
        assert load_target(ssm, "genai", "dev") == TARGET
    stubber.assert_no_pending_responses()


def test_without_the_flink_zip_or_mwaa_the_target_says_they_are_absent() -> None:
    streaming = dict(STACK_PARAMETERS["streaming"])
    del streaming["application-name"]
    ssm, stubber = ssm_answering(
        {
            **STACK_PARAMETERS,
            "streaming": streaming,
            "operations": {"dags-bucket": f"genai-dev-airflow-{ACCOUNT}"},
        }
    )
    with stubber:
        target = load_target(ssm, "genai", "dev")
    assert target == replace(
        TARGET, application_name=None, mwaa_environment=None, dashboard_name=None, alarm_names=()
    )
    assert target.operations_applied


def test_an_environment_without_its_operations_stack_is_still_checked() -> None:
    ssm, stubber = ssm_answering({**STACK_PARAMETERS, "operations": {}})
    with stubber:
        target = load_target(ssm, "genai", "dev")
    assert target == replace(
        TARGET, mwaa_environment=None, operations_applied=False, dashboard_name=None, alarm_names=()
    )


@pytest.mark.parametrize(
    ("stack", "present", "missing"),
    [
        ("bedrock", {}, "knowledge-base-id"),
        ("streaming", {}, "stream-name, collection-name"),
        ("streaming", {"stream-name": "genai-dev-reviews"}, "lacks collection-name"),
    ],
)
def test_an_environment_without_a_required_stack_is_not_checked(
    stack: str, present: dict[str, str], missing: str
) -> None:
    stacks = list(STACK_PARAMETERS)
    answered = {s: STACK_PARAMETERS[s] for s in stacks[: stacks.index(stack)]} | {stack: present}
    ssm, stubber = ssm_answering(answered)
    with (
        stubber,
        pytest.raises(StackNotApplied, match=f"apply the {stack} stack of dev first") as raised,
    ):
        load_target(ssm, "genai", "dev")
    assert missing in str(raised.value)
    stubber.assert_no_pending_responses()


def test_the_command_line_reports_each_check_and_fails_on_any(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "load_target", lambda ssm, project, env: TARGET)
    monkeypatch.setattr(
        cli,
        "smoke",
        lambda clients, credentials, target, region, probe: [
            Outcome("cluster reachable", True, "Kubernetes v1.34.2"),
            Outcome("agent alias", False, "alias ALIAS12345 is FAILED"),
        ],
    )
    assert cli.main(["--env", "dev", "--region", "us-east-1"]) == 1
    out = capsys.readouterr().out
    assert "PASS  cluster reachable: Kubernetes v1.34.2" in out
    assert "FAIL  agent alias: alias ALIAS12345 is FAILED" in out
    assert out.rstrip().endswith("smoke: 1 passed, 1 failed: agent alias")


def test_the_command_line_counts_a_skipped_check_apart_and_passes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "load_target", lambda ssm, project, env: TARGET)
    monkeypatch.setattr(
        cli,
        "smoke",
        lambda clients, credentials, target, region, probe: [
            Outcome("review stream", True, "ACTIVE, ON_DEMAND, 4 shards"),
            Outcome("MWAA environment", True, "MWAA off (mwaa_enabled = false)", skipped=True),
        ],
    )
    assert cli.main(["--env", "dev", "--region", "us-east-1"]) == 0
    out = capsys.readouterr().out
    assert "SKIP  MWAA environment: MWAA off (mwaa_enabled = false)" in out
    assert out.rstrip().endswith("smoke: 1 passed, 1 skipped, 0 failed")


def test_the_command_line_refuses_a_name_no_environment_can_have(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--env", "../prod"])
    assert exit_.value.code == 2
    assert "'../prod' is not an environment name" in capsys.readouterr().err


@pytest.mark.parametrize("project", ["../etc", "GenAI", "genai/dev", "genai\n", "a" * 13])
def test_the_command_line_refuses_a_project_that_is_not_one(
    project: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--env", "dev", "--project", project])
    assert exit_.value.code == 2
    assert "is not a project name" in capsys.readouterr().err


def test_without_credentials_the_command_line_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from botocore.exceptions import NoCredentialsError

    def no_credentials(ssm: object, project: str, env: str) -> Target:
        raise NoCredentialsError()

    monkeypatch.setattr(cli, "load_target", no_credentials)
    assert cli.main(["--env", "dev", "--region", "us-east-1"]) == 2
    assert (
        "cannot read the stacks' parameters in SSM: Unable to locate credentials"
        in capsys.readouterr().err
    )


def _no_invocation_logging(cluster: Cluster, aws: Aws) -> None:
    aws.logging = None


def _no_dashboard(cluster: Cluster, aws: Aws) -> None:
    aws.dashboard = False


def _an_alarm_missing(cluster: Cluster, aws: Aws) -> None:
    aws.alarm_states = {"genai-dev-model-errors": "OK"}


def _scraper_failed(cluster: Cluster, aws: Aws) -> None:
    aws.scraper_status = {"statusCode": "CREATION_FAILED", "statusReason": "subnets in one zone"}


def _no_scraper_published(cluster: Cluster, aws: Aws) -> None:
    aws.target = replace(TARGET, prometheus_scraper_id=None)


@pytest.mark.parametrize(
    ("breakage", "check", "detail"),
    [
        (_no_invocation_logging, "model-invocation logging", "no model-invocation logging"),
        (_no_dashboard, "dashboard and alarms", "no dashboard genai-dev"),
        (_an_alarm_missing, "dashboard and alarms", "missing alarms: genai-dev-model-budget"),
        (
            _scraper_failed,
            "prometheus scraper",
            "scraper s-0123abcd-0000-4000-a000-000000000000 is CREATION_FAILED: subnets in one zone",
        ),
        (_no_scraper_published, "prometheus scraper", "published no prometheus/scraper-id"),
    ],
)
def test_each_observability_breakage_fails_its_own_check_only(
    breakage: Any, check: str, detail: str
) -> None:
    cluster = Cluster()
    with serve(cluster) as endpoint:
        aws = Aws(endpoint)
        breakage(cluster, aws)
        aws.stub()
        outcomes = aws.run()
    aws.all_answered()
    failed = failures(outcomes)
    assert list(failed) == [check]
    assert detail in failed[check]


def test_a_firing_alarm_is_reported_and_the_metrics_path_passes() -> None:
    cluster = Cluster()
    with serve(cluster) as endpoint:
        aws = Aws(endpoint)
        aws.alarm_states["genai-dev-model-budget"] = "ALARM"
        aws.stub()
        outcomes = aws.run()
    aws.all_answered()
    details = {o.name: o.detail for o in outcomes}
    assert failures(outcomes) == {}
    assert details["dashboard and alarms"] == (
        "dashboard genai-dev, 2 alarms (genai-dev-model-budget in ALARM)"
    )
    assert details["prometheus scraper"] == (
        "scraper s-0123abcd-0000-4000-a000-000000000000 ACTIVE, writing to ws-0123abcd"
    )
    assert details["model-invocation logging"] == (
        "log group /aws/bedrock/genai-dev/model-invocations, bucket "
        f"genai-dev-model-invocations-{ACCOUNT}; metadata only"
    )
