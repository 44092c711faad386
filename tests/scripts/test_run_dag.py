"""scripts/run-dag, deploy's smoke DAG on MWAA, against a stand-in for the AWS CLI."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.scripts.stand_ins import run_script

# The environment name in SSM (unless NO_MWAA), then MWAA's REST API: the unpause, the trigger,
# and the run's state from STATES, one per poll (the last one repeats). Each call is logged.
FAKE_AWS = """#!/usr/bin/env bash
echo "$*" >> "$CALLS"
case "$1 $2" in
  "ssm get-parameter") [[ -z "${NO_MWAA:-}" ]] || { echo "ParameterNotFound" >&2; exit 254; }; echo genai-dev ;;
  "mwaa invoke-rest-api")
    case "$*" in
      *"--method PATCH"*)
        patches=$(grep -c -- "--method PATCH" "$CALLS")
        (( patches > ${UNLOADED_POLLS:-0} )) || { echo "An error occurred (RestApiClientException): DAG not found" >&2; exit 254; }
        echo '{"RestApiStatusCode": 200}' ;;
      *"--method POST"*) echo "manual__2026-12-06T03:00:00+00:00" ;;
      *"--method GET"*)
        polls=$(grep -c -- "--method GET" "$CALLS")
        read -ra states <<< "$STATES"
        index=$(( polls <= ${#states[@]} ? polls - 1 : ${#states[@]} - 1 ))
        echo "${states[$index]}" ;;
    esac ;;
  *) echo "unexpected: $*" >&2; exit 99 ;;
esac
"""


def run_dag(
    tmp_path: Path,
    *args: str,
    states: str = "running success",
    no_mwaa: bool = False,
    unloaded_polls: int = 0,
) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    calls = tmp_path / "calls"
    calls.touch()
    env = {
        "CALLS": str(calls),
        "STATES": states,
        "RUN_DAG_POLL_SECONDS": "0",
        "UNLOADED_POLLS": str(unloaded_polls),
    }
    if no_mwaa:
        env["NO_MWAA"] = "1"
    result = run_script("run-dag", args, {"aws": FAKE_AWS}, tmp_path, env)
    return result, calls.read_text().splitlines()


def test_unpauses_triggers_and_waits_for_success(tmp_path: Path) -> None:
    result, calls = run_dag(tmp_path, "dev", "bedrock_invoke_smoke")
    assert result.returncode == 0, result.stderr
    assert "bedrock_invoke_smoke run manual__2026-12-06T03:00:00+00:00 succeeded" in result.stdout
    mwaa = [c for c in calls if c.startswith("mwaa")]
    assert "--method PATCH --path /dags/bedrock_invoke_smoke" in mwaa[0]
    assert "--method POST --path /dags/bedrock_invoke_smoke/dagRuns" in mwaa[1]
    # The run id, quoted in the path.
    assert "/dagRuns/manual__2026-12-06T03%3A00%3A00%2B00%3A00 " in mwaa[2]
    assert len(mwaa) == 4 and all("--name genai-dev" in c for c in mwaa)


def test_waits_for_mwaa_to_load_a_newly_published_dag(tmp_path: Path) -> None:
    result, calls = run_dag(tmp_path, "dev", "bedrock_invoke_smoke", unloaded_polls=2)
    assert result.returncode == 0, result.stderr
    assert sum("--method PATCH" in c for c in calls) == 3
    assert sum("--method POST" in c for c in calls) == 1


def test_a_dag_never_loaded_fails_the_step(tmp_path: Path) -> None:
    result, calls = run_dag(tmp_path, "dev", "bedrock_invoke_smoke", "1", unloaded_polls=10**9)
    assert result.returncode == 1 and "has not loaded bedrock_invoke_smoke" in result.stderr
    assert not [c for c in calls if "--method POST" in c]


def test_a_failed_run_fails_the_step(tmp_path: Path) -> None:
    result, _ = run_dag(tmp_path, "dev", "bedrock_invoke_smoke", states="queued running failed")
    assert result.returncode == 1
    assert "failed" in result.stderr and "airflow-genai-dev-Task" in result.stderr


def test_a_run_that_does_not_finish_in_time_fails(tmp_path: Path) -> None:
    result, _ = run_dag(tmp_path, "dev", "bedrock_invoke_smoke", "1", states="running")
    assert result.returncode == 1 and "still running after 1s" in result.stderr


def test_the_state_said_at_the_deadline_is_one_read_even_with_no_time_left(
    tmp_path: Path,
) -> None:
    result, calls = run_dag(tmp_path, "dev", "bedrock_invoke_smoke", "0", states="running")
    assert result.returncode == 1 and "still running after 0s" in result.stderr
    assert len([c for c in calls if "--method GET" in c]) == 1


def test_without_mwaa_there_is_nothing_to_run(tmp_path: Path) -> None:
    result, calls = run_dag(tmp_path, "dev", "bedrock_invoke_smoke", no_mwaa=True)
    assert result.returncode == 0
    assert "no MWAA environment" in result.stdout
    assert not [c for c in calls if c.startswith("mwaa")]


@pytest.mark.parametrize(
    "args", [("dev",), ("qa", "bedrock_invoke_smoke"), ("dev", "a dag"), ("dev", "x", "soon")]
)
def test_bad_usage_is_exit_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    result, _ = run_dag(tmp_path, *args)
    assert result.returncode == 2 and "usage" in result.stderr
