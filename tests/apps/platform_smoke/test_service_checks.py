"""The capacity and service checks on their own: no model served, and the --gpu-probe."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from kubernetes import client
from platform_smoke import __main__ as cli
from platform_smoke import service_checks
from platform_smoke.result import run_check

from tests.apps.platform_smoke.fake_kube import Cluster, serve

SELECTOR = {"nvidia.com/gpu.present": "true"}
TOLERATION = {"key": "nvidia.com/gpu", "operator": "Equal", "value": "true", "effect": "NoSchedule"}


def api(endpoint: str) -> client.ApiClient:
    configuration = client.Configuration()
    configuration.host = endpoint
    configuration.api_key = {"authorization": "Bearer k8s-aws-v1.test"}
    return client.ApiClient(configuration)


class Clock:
    """Advances by the poll interval at each sleep: no real waiting."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def cluster() -> Iterator[tuple[Cluster, client.ApiClient]]:
    fake = Cluster()
    with serve(fake) as endpoint:
        yield fake, api(endpoint)


def probe(cluster: tuple[Cluster, client.ApiClient], minutes: float) -> tuple[bool, str]:
    clock = Clock()
    outcome = run_check(
        "GPU capacity probe",
        lambda: service_checks.gpu_node_arrives(
            cluster[1], SELECTOR, TOLERATION, minutes, clock, clock.sleep
        ),
    )
    return outcome.passed, outcome.detail


def test_without_a_served_model_the_model_server_check_is_skipped(
    cluster: tuple[Cluster, client.ApiClient],
) -> None:
    cluster[0].model_server = False
    outcome = run_check("model server", lambda: service_checks.model_server_healthy(cluster[1]))
    assert outcome.passed and outcome.skipped
    assert outcome.detail == "no model server (loyalty_adapter is not set)"


def test_the_gpu_probe_passes_when_a_node_comes_and_removes_its_pod(
    cluster: tuple[Cluster, client.ApiClient],
) -> None:
    fake, _ = cluster
    fake.gpu_node_at_read = 31  # 300 s of polling: Karpenter's usual wait for a GPU node
    passed, detail = probe(cluster, 10)
    assert passed and detail == "scheduled on ip-10-10-3-7.ec2.internal after 300 s"
    assert fake.pods == {}


def test_the_gpu_probe_fails_after_its_minutes_with_the_scheduler_s_reason(
    cluster: tuple[Cluster, client.ApiClient],
) -> None:
    fake, _ = cluster
    passed, detail = probe(cluster, 2)
    assert not passed
    assert detail.startswith("no GPU node within 2 min: 0/3 nodes are available")
    assert fake.probe_reads == 13 and fake.pods == {}


def test_the_probe_pod_asks_for_one_gpu_on_gpu_nodes_within_the_restricted_standard() -> None:
    pod = service_checks.probe_pod(SELECTOR, TOLERATION)
    container = pod["spec"]["containers"][0]
    assert container["resources"]["limits"]["nvidia.com/gpu"] == "1"
    assert pod["spec"]["nodeSelector"] == SELECTOR and pod["spec"]["tolerations"] == [TOLERATION]
    assert pod["spec"]["securityContext"]["runAsNonRoot"]
    assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]


def test_the_gpu_probe_is_off_unless_asked_and_bounded() -> None:
    assert cli.parse(["--env", "dev"]).gpu_probe is None
    assert cli.parse(["--env", "dev", "--gpu-probe"]).gpu_probe == 15.0
    assert cli.parse(["--env", "dev", "--gpu-probe", "5"]).gpu_probe == 5.0
    with pytest.raises(SystemExit):
        cli.parse(["--env", "dev", "--gpu-probe", "600"])
    with pytest.raises(SystemExit):
        cli.parse(["--env", "dev", "--gpu-probe", "nan"])
