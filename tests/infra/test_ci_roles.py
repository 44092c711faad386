"""Contracts between the CI roles (modules/github-oidc) and what the stacks create and read.

The roles' own behaviour (what the apply role may change, what the plan role may read, whom
they trust) is decided over their rendered policies in modules/github-oidc/tests; these tests
check the other side: that every role the stacks create carries the permissions boundary, that
every managed policy they attach is on the apply role's list, that the boundary leaves the
stacks' roles what their policies grant, and that the plan role reads every service the stacks
refresh.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.infra.hcl import ALL_DIRS, MODULES, ROOT, blocks, relative, variables

GITHUB_OIDC = ROOT / "modules" / "github-oidc"
CI_DEFAULTS = variables(GITHUB_OIDC)


def default(name: str) -> list[str]:
    return list(CI_DEFAULTS[name]["default"])


def services(actions: list[str]) -> set[str]:
    return {action.split(":", 1)[0] for action in actions}


# --- Every role carries the boundary ----------------------------------------------------------

# The registry modules' own inputs for the boundary of the roles they create.
REGISTRY_BOUNDARY_INPUTS = {
    "terraform-aws-modules/eks/aws": ["iam_role_permissions_boundary"],
    "terraform-aws-modules/eks/aws//modules/karpenter": [
        "iam_role_permissions_boundary_arn",
        "node_iam_role_permissions_boundary",
    ],
    "terraform-aws-modules/eks-pod-identity/aws": ["permissions_boundary_arn"],
    "terraform-aws-modules/vpc/aws": ["vpc_flow_log_permissions_boundary"],
}


def roles_without_boundary(directory: Path) -> list[str]:
    return [
        f"{directory.name}: aws_iam_role.{name}"
        for block in blocks(directory, "resource")
        for kind, resources in block.items()
        if kind == "aws_iam_role"
        for name, body in resources.items()
        if "permissions_boundary" not in body
    ]


@pytest.mark.parametrize("directory", [d for d in ALL_DIRS if d != GITHUB_OIDC], ids=relative)
def test_every_role_the_stacks_create_carries_the_boundary(directory: Path) -> None:
    # The CI roles themselves are an administrator's (modules/github-oidc).
    assert roles_without_boundary(directory) == []


def test_the_role_check_catches_a_role_without_a_boundary(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_iam_role" "app" {\n  name = "x"\n  assume_role_policy = "{}"\n}\n'
    )
    assert roles_without_boundary(tmp_path) == [f"{tmp_path.name}: aws_iam_role.app"]


def calls_without_boundary(directory: Path) -> list[str]:
    missing = []
    for block in blocks(directory, "module"):
        for name, body in block.items():
            source = body["source"]
            if source.startswith(("./", "../")):
                target = (directory / source).resolve()
                needed = (
                    ["permissions_boundary"] if "permissions_boundary" in variables(target) else []
                )
            else:
                needed = REGISTRY_BOUNDARY_INPUTS.get(source, [])
            missing += [
                f"{relative(directory)}: module {name} does not set {i}"
                for i in needed
                if not body.get(i)
            ]
    return missing


@pytest.mark.parametrize("directory", ALL_DIRS, ids=relative)
def test_every_module_that_creates_roles_is_given_the_boundary(directory: Path) -> None:
    assert calls_without_boundary(directory) == []


def test_the_node_groups_carry_the_boundary() -> None:
    locals_ = [b for b in blocks(ROOT / "modules" / "eks-cluster", "locals")]
    node_groups = next(b["node_groups"] for b in locals_ if "node_groups" in b)
    assert "iam_role_permissions_boundary = var.permissions_boundary" in node_groups


# --- Managed policies the stacks attach ------------------------------------------------------

# Attached inside the pinned registry modules (terraform-aws-modules/eks 21.x: the cluster role,
# each managed node group's role with the CNI policy, Karpenter's node role); no other registry
# module the stacks call attaches an AWS managed policy.
REGISTRY_ATTACHED = {
    "AmazonEKSClusterPolicy",
    "AmazonEKSWorkerNodePolicy",
    "AmazonEC2ContainerRegistryReadOnly",
    "AmazonEC2ContainerRegistryPullOnly",
    "AmazonEKS_CNI_Policy",
}
AWS_MANAGED = re.compile(r"arn:(?:aws|\$\{[^}]+\}):iam::aws:policy/([\w+=,.@/-]+)")


def attached_aws_managed_policies() -> set[str]:
    found = set(REGISTRY_ATTACHED)
    for directory in ALL_DIRS:
        if directory == GITHUB_OIDC:
            continue
        for tf in directory.glob("*.tf"):
            found |= set(AWS_MANAGED.findall(tf.read_text()))
    return found


def test_every_attached_aws_managed_policy_is_on_the_apply_roles_list() -> None:
    attached = attached_aws_managed_policies()
    assert "service-role/AWSLambdaVPCAccessExecutionRole" in attached
    assert attached <= set(default("attachable_aws_managed_policies")), attached - set(
        default("attachable_aws_managed_policies")
    )


def test_no_stack_attaches_broad_read_access() -> None:
    offenders = [
        relative(tf)
        for d in ALL_DIRS
        for tf in d.glob("*.tf")
        if re.search(r"iam::aws:policy/(ReadOnlyAccess|ViewOnlyAccess)\b", tf.read_text())
    ]
    assert offenders == []


# --- The boundary leaves every role what its policies grant -----------------------------------

# IAM actions the boundary allows by name (everything else in IAM it denies).
BOUNDARY_IAM = {
    "iam:PassRole",
    "iam:CreateServiceLinkedRole",
    "iam:GetServerCertificate",
    "iam:ListServerCertificates",
    "iam:GetInstanceProfile",
    "iam:ListInstanceProfiles",
}
# STS actions it allows by name, on the platform's own roles only (functions' signing roles).
BOUNDARY_STS = {"sts:AssumeRole"}
# The pinned registry modules' role policies: the AWS managed ones above,
# terraform-aws-modules/eks-pod-identity's EBS CSI and load balancer controller policies, and
# Karpenter's controller policy (its instance-profile writes the boundary denies: the platform
# stack creates the one profile).
REGISTRY_ROLE_SERVICES = {
    "pricing",
    "sqs",
    "ssm",
    "autoscaling",
    "ec2",
    "eks",
    "eks-auth",
    "ecr",
    "elasticloadbalancing",
    "kms",
    "logs",
    "acm",
    "cognito-idp",
    "shield",
    "waf-regional",
    "wafv2",
}


def role_policy_actions() -> list[str]:
    """Literal actions of every identity-policy statement of the stacks and modules, but the CI roles'."""
    found: list[str] = []
    for directory in ALL_DIRS:
        if directory == GITHUB_OIDC:
            continue
        for block in blocks(directory, "data"):
            for doc in block.get("aws_iam_policy_document", {}).values():
                for statement in doc.get("statement", []):
                    if "principals" in statement or statement.get("effect", "Allow") != "Allow":
                        continue
                    actions = statement.get("actions", [])
                    if isinstance(actions, list):
                        found.extend(a for a in actions if isinstance(a, str) and ":" in a)
    return found


def test_the_boundary_allows_every_service_the_platform_roles_use() -> None:
    actions = role_policy_actions()
    assert len(actions) > 50
    used = (
        services([a for a in actions if not a.startswith(("iam:", "sts:"))])
        | REGISTRY_ROLE_SERVICES
    )
    assert used <= set(default("boundary_services")), used - set(default("boundary_services"))
    assert {a for a in actions if a.startswith("iam:")} <= BOUNDARY_IAM
    assert {a for a in actions if a.startswith("sts:")} <= BOUNDARY_STS


# --- The plan role reads every service the stacks refresh -------------------------------------

# Resource and data source types by the IAM service whose read actions refresh them; local ones
# (policy documents, partition, Region) call nothing.
SERVICE_OF_TYPE = [
    (re.compile(r"^aws_apigatewayv2_"), "apigateway"),
    (re.compile(r"^aws_bedrock(agent)?_"), "bedrock"),
    (re.compile(r"^aws_cloudwatch_(log_group|log_stream)$"), "logs"),
    (re.compile(r"^aws_cloudwatch_(metric_alarm|dashboard)$"), "cloudwatch"),
    (re.compile(r"^aws_cognito_"), "cognito-idp"),
    (re.compile(r"^aws_dynamodb_"), "dynamodb"),
    (re.compile(r"^aws_ecr_"), "ecr"),
    (re.compile(r"^aws_eks_"), "eks"),
    (re.compile(r"^aws_iam_(?!policy_document$)"), "iam"),
    (re.compile(r"^aws_kinesis_firehose_"), "firehose"),
    (re.compile(r"^aws_kinesis_stream$"), "kinesis"),
    (re.compile(r"^aws_kinesisanalyticsv2_"), "kinesisanalytics"),
    (re.compile(r"^aws_kms_"), "kms"),
    (re.compile(r"^aws_lambda_"), "lambda"),
    (re.compile(r"^aws_mwaa_"), "airflow"),
    (re.compile(r"^aws_opensearchserverless_"), "aoss"),
    (re.compile(r"^aws_s3_"), "s3"),
    (re.compile(r"^aws_secretsmanager_"), "secretsmanager"),
    (re.compile(r"^aws_ssm_"), "ssm"),
    (
        re.compile(
            r"^aws_(security_group|vpc|vpc_.*|subnet|nat_gateway|eip|internet_gateway|route|"
            r"route_table.*|flow_log|launch_template|ec2_.*|default_.*|availability_zones)$"
        ),
        "ec2",
    ),
    (re.compile(r"^aws_cloudwatch_event_"), "events"),
    (re.compile(r"^aws_sqs_"), "sqs"),
    (re.compile(r"^aws_sns_"), "sns"),
    (re.compile(r"^aws_budgets_"), "budgets"),
    (re.compile(r"^aws_prometheus_"), "aps"),
    (re.compile(r"^aws_caller_identity$"), "sts"),
    (re.compile(r"^aws_(iam_policy_document|partition|region)$"), None),
]
# Types inside the pinned registry modules (eks 21.x, vpc 6.x, eks-pod-identity 2.x), which the
# offline tests replace by their outputs.
REGISTRY_TYPES = {
    "aws_eks_cluster",
    "aws_eks_addon",
    "aws_eks_addon_version",
    "aws_eks_node_group",
    "aws_eks_access_entry",
    "aws_eks_access_policy_association",
    "aws_eks_pod_identity_association",
    "aws_launch_template",
    "aws_kms_key",
    "aws_kms_alias",
    "aws_cloudwatch_log_group",
    "aws_security_group",
    "aws_vpc_security_group_ingress_rule",
    "aws_iam_role",
    "aws_iam_policy",
    "aws_iam_role_policy_attachment",
    "aws_vpc",
    "aws_subnet",
    "aws_internet_gateway",
    "aws_nat_gateway",
    "aws_eip",
    "aws_route_table",
    "aws_route",
    "aws_route_table_association",
    "aws_flow_log",
    "aws_default_security_group",
    "aws_default_network_acl",
    "aws_default_route_table",
    "aws_ec2_tag",
    # Karpenter's (eks//modules/karpenter 21.x).
    "aws_sqs_queue",
    "aws_sqs_queue_policy",
    "aws_cloudwatch_event_rule",
    "aws_cloudwatch_event_target",
    "aws_iam_instance_profile",
}


def aws_types() -> set[str]:
    found = set(REGISTRY_TYPES)
    for directory in ALL_DIRS:
        for kind in ("resource", "data"):
            for block in blocks(directory, kind):
                found |= {t for t in block if t.startswith("aws_")}
    return found


def service_of(aws_type: str) -> str | None:
    for pattern, service in SERVICE_OF_TYPE:
        if pattern.search(aws_type):
            return service
    raise AssertionError(f"{aws_type}: which service refreshes it? Add it to SERVICE_OF_TYPE")


def test_the_plan_role_reads_every_service_the_stacks_use() -> None:
    needed = {service_of(t) for t in aws_types()} - {None}
    assert {"eks", "bedrock", "aoss", "airflow", "ec2"} <= needed
    # SSM parameters and the platform's buckets are granted in their own, scoped statements.
    granted = services(default("plan_read_actions")) | {"ssm", "s3"}
    assert needed <= granted, needed - granted


def test_an_unmapped_type_fails_the_plan_check() -> None:
    with pytest.raises(AssertionError, match="aws_glue_job"):
        service_of("aws_glue_job")


def test_the_plan_role_reads_no_secret_values_or_data() -> None:
    actions = default("plan_read_actions")

    def grants(pattern: str, action: str) -> bool:
        return re.fullmatch(pattern.replace("*", ".*"), action, re.IGNORECASE) is not None

    for action in (
        "secretsmanager:GetSecretValue",
        "ssm:GetParameter",
        "kms:Decrypt",
        "s3:GetObject",
        "dynamodb:Scan",
        "kinesis:GetRecords",
        "logs:GetLogEvents",
    ):
        assert not any(grants(p, action) for p in actions), action


def test_the_platform_publishes_the_boundary_for_the_other_stacks() -> None:
    text = (ROOT / "infra" / "platform" / "main.tf").read_text()
    assert '"permissions-boundary-arn" = module.github_oidc.permissions_boundary_arn' in text
    readers = [
        d
        for d in ALL_DIRS
        if d not in MODULES
        and "permissions-boundary-arn" in "".join(tf.read_text() for tf in d.glob("*.tf"))
    ]
    assert {d.name for d in readers} >= {"platform", "bedrock", "streaming", "operations"}
