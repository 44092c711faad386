"""scripts/stack-ready, the plan workflow's gate, against a stand-in for the AWS CLI."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.scripts.stand_ins import run_script

# Answers like the AWS CLI: the account, whether the state bucket exists, which SSM parameters do.
FAKE_AWS = """#!/usr/bin/env bash
case "$1 $2" in
  "sts get-caller-identity") echo 123456789012 ;;
  "s3api head-bucket") [[ " $BUCKETS " == *" $4 "* ]] || { echo "An error occurred (404)" >&2; exit 254; } ;;
  "ssm get-parameter")
    for arg; do name=$arg; done
    [[ " $PARAMETERS " == *" $name "* ]] || { echo "ParameterNotFound" >&2; exit 254; } ;;
  *) echo "unexpected: $*" >&2; exit 99 ;;
esac
"""


def ready(
    tmp_path: Path, env: str, stack: str, *, buckets: str = "", parameters: str = ""
) -> subprocess.CompletedProcess[str]:
    return run_script(
        "stack-ready",
        (env, stack),
        {"aws": FAKE_AWS},
        tmp_path,
        {"BUCKETS": buckets, "PARAMETERS": parameters},
    )


BUCKET = "genai-tfstate-123456789012-us-east-1"


def test_an_account_without_bootstrap_is_not_ready(tmp_path: Path) -> None:
    result = ready(tmp_path, "dev", "platform")
    assert result.returncode == 3
    assert (
        "no state bucket genai-tfstate-123456789012-us-east-1: apply infra/bootstrap"
        in result.stdout
    )


def test_platform_needs_only_the_bootstrap(tmp_path: Path) -> None:
    result = ready(tmp_path, "dev", "platform", buckets=BUCKET)
    assert (result.returncode, result.stdout.strip()) == (0, "dev/platform: ready")


@pytest.mark.parametrize(
    ("stack", "parameters", "missing"),
    [
        ("cluster-addons", "", "platform"),
        ("bedrock", "", "platform"),
        ("streaming", "", "platform"),
        ("workloads", "/genai/staging/platform/cluster-name", "bedrock"),
        (
            "workloads",
            "/genai/staging/platform/cluster-name /genai/staging/bedrock/agent-id",
            "streaming",
        ),
        ("operations", "/genai/staging/platform/vpc-id", "bedrock"),
        (
            "operations",
            "/genai/staging/platform/vpc-id /genai/staging/bedrock/knowledge-base-arn",
            "streaming",
        ),
    ],
)
def test_a_stack_waits_for_its_upstream(
    tmp_path: Path, stack: str, parameters: str, missing: str
) -> None:
    result = ready(tmp_path, "staging", stack, buckets=BUCKET, parameters=parameters)
    assert result.returncode == 3
    assert f"apply the {missing} stack of staging first" in result.stdout


def test_workloads_is_ready_once_platform_bedrock_and_streaming_are_applied(
    tmp_path: Path,
) -> None:
    parameters = (
        "/genai/prod/platform/cluster-name /genai/prod/bedrock/agent-id "
        "/genai/prod/streaming/collection-endpoint"
    )
    result = ready(tmp_path, "prod", "workloads", buckets=BUCKET, parameters=parameters)
    assert (result.returncode, result.stdout.strip()) == (0, "prod/workloads: ready")


@pytest.mark.parametrize(("env", "stack"), [("qa", "platform"), ("dev", "network"), ("dev", "")])
def test_bad_usage_is_exit_2(tmp_path: Path, env: str, stack: str) -> None:
    result = ready(tmp_path, env, stack)
    assert result.returncode == 2 and "usage" in result.stderr
