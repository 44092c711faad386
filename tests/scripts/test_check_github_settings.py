"""scripts/check-github-settings against a fake GitHub API on the loopback interface."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.serving import serving

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "check-github-settings"
REPO = "/repos/example-org/genai-platform"
ENVIRONMENTS = {"dev": False, "staging": True, "prod": True}


def well_set_up() -> dict[str, Any]:
    """The API's answers for a repository set up as the README says."""
    answers: dict[str, Any] = {f"{REPO}/actions/oidc/customization/sub": {"use_default": True}}
    for env, production in ENVIRONMENTS.items():
        rules = (
            [{"type": "required_reviewers", "reviewers": [{"type": "Team"}]}] if production else []
        )
        answers[f"{REPO}/environments/{env}"] = {
            "name": env,
            "protection_rules": rules,
            "deployment_branch_policy": {
                "protected_branches": False,
                "custom_branch_policies": True,
            },
        }
        answers[f"{REPO}/environments/{env}/deployment-branch-policies"] = {
            "branch_policies": [{"name": "main", "type": "branch"}]
        }
        answers[f"{REPO}/environments/{env}/variables"] = {
            "variables": [{"name": "AWS_APPLY_ROLE_ARN"}]
        }
        answers[f"{REPO}/environments/{env}-plan"] = {
            "name": f"{env}-plan",
            "protection_rules": rules,
        }
        answers[f"{REPO}/environments/{env}-plan/variables"] = {
            "variables": [{"name": "AWS_PLAN_ROLE_ARN"}]
        }
    return answers


class FakeGitHub(ThreadingHTTPServer):
    answers: dict[str, Any]
    authorizations: list[str]


class Handler(BaseHTTPRequestHandler):
    server: FakeGitHub

    def do_GET(self) -> None:
        self.server.authorizations.append(self.headers.get("Authorization", ""))
        answer = self.server.answers.get(self.path)
        body = json.dumps(answer if answer is not None else {"message": "Not Found"}).encode()
        self.send_response(200 if answer is not None else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with serving(FakeGitHub(("127.0.0.1", 0), Handler)) as server:
        server.answers = well_set_up()
        server.authorizations = []
        yield server


def check(server: FakeGitHub | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_TOKEN", "GITHUB_API_URL")}
    if server is not None:
        env |= {
            "GITHUB_TOKEN": "test-token",
            "GITHUB_API_URL": f"http://127.0.0.1:{server.server_port}",
        }
    return subprocess.run(
        [sys.executable, str(SCRIPT)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_repository_set_up_as_documented_passes(github: FakeGitHub) -> None:
    done = check(github)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "is set up for CI" in done.stdout
    assert set(github.authorizations) == {"Bearer test-token"}


def test_missing_reviewers_on_production_environments_are_reported(github: FakeGitHub) -> None:
    for env in ("prod", "prod-plan"):
        github.answers[f"{REPO}/environments/{env}"]["protection_rules"] = []
    done = check(github)
    assert done.returncode == 1
    assert "environment prod: a production-tier environment needs required reviewers" in done.stdout
    assert "environment prod-plan: a production-tier" in done.stdout
    assert "environment dev:" not in done.stdout


def test_a_deploy_environment_open_to_any_branch_is_reported(github: FakeGitHub) -> None:
    github.answers[f"{REPO}/environments/dev"]["deployment_branch_policy"] = None
    github.answers[f"{REPO}/environments/staging/deployment-branch-policies"] = {
        "branch_policies": [
            {"name": "main", "type": "branch"},
            {"name": "release/*", "type": "branch"},
        ]
    }
    done = check(github)
    assert done.returncode == 1
    assert (
        "environment dev: deployment branches must be the selected branch main only (now: any branch)"
        in done.stdout
    )
    assert "(now: main, release/*)" in done.stdout


def test_a_customised_subject_claim_and_missing_environments_are_reported(
    github: FakeGitHub,
) -> None:
    github.answers[f"{REPO}/actions/oidc/customization/sub"] = {
        "use_default": False,
        "include_claim_keys": ["repo", "context", "job_workflow_ref"],
    }
    del github.answers[f"{REPO}/environments/staging-plan"]
    del github.answers[f"{REPO}/environments/prod/variables"]
    done = check(github)
    assert done.returncode == 1
    assert "customises its OIDC subject claim" in done.stdout
    assert "environment staging-plan is missing" in done.stdout
    assert "environment prod: variable AWS_APPLY_ROLE_ARN is missing" in done.stdout


def test_without_a_token_it_says_what_it_would_check() -> None:
    done = check(None)
    assert done.returncode == 0
    assert "no GITHUB_TOKEN" in done.stdout
    assert "environment prod-plan with required reviewers" in done.stdout
    assert "environment dev: deployment branch main only" in done.stdout
