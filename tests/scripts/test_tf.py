"""scripts/tf against stand-ins for the AWS CLI and Terraform: what it passes to the backend,
what it refuses, and what it says when the cluster cannot be reached."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.environments import of_tier
from tests.scripts.stand_ins import run_script

KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"

FAKE_AWS = f"""#!/usr/bin/env bash
case "$1 $2" in
  "sts get-caller-identity") echo '{{"Account": "123456789012", "Arn": "arn:aws:sts::123456789012:assumed-role/Admin/maria"}}' ;;
  "kms describe-key") [[ -n "$KEY_EXISTS" ]] && echo "{KEY}" || {{ echo "NotFoundException" >&2; exit 254; }} ;;
  "ssm get-parameter") echo genai-dev ;;
  "eks describe-cluster") echo "https://127.0.0.1" ;;
  *) echo "unexpected aws $*" >&2; exit 99 ;;
esac
"""
FAKE_TERRAFORM = """#!/usr/bin/env bash
printf '%s\\n' "$*" >> "$TERRAFORM_LOG"
"""


def run_tf(
    tmp_path: Path, *args: str, key: bool = True, **env: str
) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    log = tmp_path / "terraform.log"
    result = run_script(
        "tf",
        args,
        {"aws": FAKE_AWS, "terraform": FAKE_TERRAFORM},
        tmp_path,
        {"TERRAFORM_LOG": str(log), "KEY_EXISTS": "1" if key else ""} | env,
    )
    return result, log.read_text().splitlines() if log.exists() else []


def test_the_backend_gets_the_state_bucket_and_its_key(tmp_path: Path) -> None:
    result, calls = run_tf(tmp_path, "dev", "platform", "plan")
    assert result.returncode == 0, result.stderr
    init, plan = calls
    assert "init" in init
    assert "-backend-config=region=us-east-1" in init
    assert "-backend-config=bucket=genai-tfstate-123456789012-us-east-1" in init
    assert "-backend-config=key=dev/platform.tfstate" in init
    assert f"-backend-config=kms_key_id={KEY}" in init
    assert plan.startswith("-chdir=infra/platform plan -input=false -var-file=")
    assert plan.endswith("environments/dev/platform.tfvars")


def test_without_the_bootstrap_key_nothing_runs(tmp_path: Path) -> None:
    result, calls = run_tf(tmp_path, "staging", "platform", "plan", key=False)
    assert result.returncode == 1 and calls == []
    assert (
        "no key alias/genai-tfstate in us-east-1: apply the bootstrap stack first" in result.stderr
    )


def test_a_production_tier_apply_needs_the_account_confirmed(tmp_path: Path) -> None:
    for env in of_tier("production"):
        (tmp_path / env).mkdir()
        result, calls = run_tf(tmp_path / env, env, "platform", "apply")
        assert result.returncode == 1 and calls == []
        assert (
            f"refusing apply on {env} (production tier): set CONFIRM_PROD=123456789012"
            in result.stderr
        )
        result, calls = run_tf(
            tmp_path / env, env, "platform", "apply", CONFIRM_PROD="123456789012"
        )
        assert result.returncode == 0 and calls[-1].startswith("-chdir=infra/platform apply")


def test_a_development_tier_apply_needs_no_confirmation(tmp_path: Path) -> None:
    for env in of_tier("development"):
        (tmp_path / env).mkdir()
        result, calls = run_tf(tmp_path / env, env, "platform", "apply")
        assert result.returncode == 0, result.stderr
        assert calls[-1].startswith("-chdir=infra/platform apply")


def test_a_kubernetes_stack_says_when_the_api_is_out_of_reach(tmp_path: Path) -> None:
    result, calls = run_tf(tmp_path, "dev", "cluster-addons", "plan")
    assert result.returncode == 1 and calls == []
    assert "the Kubernetes API of genai-dev (127.0.0.1) is not reachable from here" in result.stderr
    assert "endpoint_public_access_cidrs in environments/dev/platform.tfvars" in result.stderr


def test_unknown_environment_stack_or_action_is_usage(tmp_path: Path) -> None:
    for args in (("qa", "platform", "plan"), ("dev", "", "plan"), ("dev", "platform", "import")):
        result, calls = run_tf(tmp_path, *args)
        assert result.returncode == 2 and calls == [], args
