"""The capacity and service checks on their own: the hub and Qdrant through their pods, the model
server's models and adapters, and the --gpu-probe."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from kubernetes import client
from platform_smoke import __main__ as cli
from platform_smoke import model_server, service_checks
from platform_smoke.result import Outcome, run_check

from tests.apps.platform_smoke.fake_kube import HUB_POD, MODEL_POD, QDRANT_POD, Cluster, serve

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


def model_check(cluster: tuple[Cluster, client.ApiClient]) -> Outcome:
    return run_check("model server", lambda: model_server.model_server_healthy(cluster[1]))


def test_the_hub_and_qdrant_answer_through_port_forwards_to_the_pods_behind_their_services(
    cluster: tuple[Cluster, client.ApiClient], forwarded: list[tuple[str, str, str]]
) -> None:
    hub = run_check("JupyterHub hub API", lambda: service_checks.hub_api_healthy(cluster[1]))
    qdrant = run_check("Qdrant", lambda: service_checks.qdrant_healthy(cluster[1]))
    assert hub.passed and hub.detail == "hub API answers, JupyterHub 5.4.0"
    assert qdrant.passed and qdrant.detail == "Qdrant answers with its API key (1 collections)"
    # The hub's Service names its pod port ("http"), Qdrant's gives the number.
    assert forwarded == [
        ("connect_get_namespaced_pod_portforward", "jupyterhub", HUB_POD),
        ("connect_get_namespaced_pod_portforward", "qdrant", QDRANT_POD),
    ]


def test_a_hub_answering_an_error_fails_naming_the_status(
    cluster: tuple[Cluster, client.ApiClient],
) -> None:
    cluster[0].hub_status = 503
    outcome = run_check("JupyterHub hub API", lambda: service_checks.hub_api_healthy(cluster[1]))
    assert not outcome.passed and outcome.detail == "the hub API answered HTTP 503"


def test_the_model_server_lists_its_base_model_and_adapters_with_the_key_from_its_secret(
    cluster: tuple[Cluster, client.ApiClient], forwarded: list[tuple[str, str, str]]
) -> None:
    fake, _ = cluster
    fake.vllm.adapters["loyalty-v2"] = "/adapters/runs/loyalty-v2/adapter"  # finetune serve
    outcome = model_check(cluster)
    assert outcome.passed and not outcome.skipped
    assert outcome.detail.endswith(
        f"{MODEL_POD} serves meta-llama/Llama-3.1-8B-Instruct with adapters loyalty, loyalty-v2"
    )
    # Once without the key (refused), once with it.
    assert forwarded == [("connect_get_namespaced_pod_portforward", "genai", MODEL_POD)] * 2


def test_an_adapter_retired_after_start_is_noted_while_another_serves(
    cluster: tuple[Cluster, client.ApiClient],
) -> None:
    fake, _ = cluster
    fake.vllm.adapters = {"loyalty-v2": "/adapters/runs/loyalty-v2/adapter"}
    outcome = model_check(cluster)
    assert outcome.passed
    assert outcome.detail.endswith(
        "with adapters loyalty-v2 (loyalty from the Deployment no longer loaded)"
    )


def test_a_key_the_model_server_refuses_fails_naming_401(
    cluster: tuple[Cluster, client.ApiClient],
) -> None:
    cluster[0].model_key = "model-key-2"  # the Secret and the server disagree
    outcome = model_check(cluster)
    assert not outcome.passed
    assert outcome.detail == (
        f"/v1/models on {MODEL_POD} answered HTTP 401 to the key of Secret loyalty-model-api-key"
    )


@pytest.mark.parametrize(
    ("served", "detail"),
    [
        ("nothing", f"/v1/models on {MODEL_POD} lists no model"),
        ("another base model", "serves ['meta-llama/Llama-3.2-3B-Instruct'], not meta-llama/"),
        ("no adapter", "with no adapter (started with ['loyalty'])"),
    ],
)
def test_a_server_not_serving_what_its_deployment_says_fails(
    cluster: tuple[Cluster, client.ApiClient], served: str, detail: str
) -> None:
    vllm = cluster[0].vllm
    if served == "nothing":
        vllm.listing = False
    elif served == "another base model":
        vllm.base_model = "meta-llama/Llama-3.2-3B-Instruct"  # not what --served-model-name says
    else:
        vllm.adapters.clear()
    outcome = model_check(cluster)
    assert not outcome.passed
    assert detail in outcome.detail


def test_a_model_server_without_a_ready_pod_fails(
    cluster: tuple[Cluster, client.ApiClient], forwarded: list[tuple[str, str, str]]
) -> None:
    cluster[0].model_pod_ready = False
    outcome = model_check(cluster)
    assert not outcome.passed
    assert outcome.detail == "no Ready pod behind Service genai/loyalty-model"
    assert forwarded == []


def test_without_a_served_model_the_model_server_check_is_skipped(
    cluster: tuple[Cluster, client.ApiClient], forwarded: list[tuple[str, str, str]]
) -> None:
    cluster[0].model_server = False
    outcome = model_check(cluster)
    assert outcome.passed and outcome.skipped
    assert outcome.detail == "no model server (loyalty_adapter is not set)"
    assert outcome.line() == "SKIP  model server: no model server (loyalty_adapter is not set)"
    assert forwarded == []


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
