"""Checks of capacity and the in-cluster services, through the Kubernetes API: Karpenter and its
NodePools, the JupyterHub hub API and Qdrant with its API key (each through a port-forward to a
Ready pod behind its Service), the model server, and (asked for with --gpu-probe only: it costs a
GPU node) a pod with a GPU request getting a node."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from kubernetes import client

from platform_smoke.cluster_checks import (
    APPS_NAMESPACE,
    TIMEOUT,
    deployment_available,
    pod_http_get,
    read_service,
    secret_value,
    service_backend,
)
from platform_smoke.model_server import model_server_healthy
from platform_smoke.result import Check, CheckFailed

# infra/cluster-addons (modules/cluster-addons/karpenter.tf) names these.
KARPENTER_NAMESPACE = "kube-system"
NODE_POOLS = ("cpu", "gpu")
# infra/workloads: jupyterhub.tf, qdrant.tf; (namespace, Service, the Service's port name) as
# their charts create them.
HUB = ("jupyterhub", "hub", "hub")
QDRANT = ("qdrant", "qdrant", "http")
QDRANT_KEY_SECRET = "qdrant-api-key"  # noqa: S105 - the Secret's name, not a key
PROBE_NAME = "smoke-gpu-probe"
PROBE_IMAGE = "public.ecr.aws/docker/library/busybox:1.37.0"
PROBE_POLL_SECONDS = 10.0


def _ready(conditions: list[dict[str, Any]] | None) -> bool:
    return any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions or [])


def karpenter_ready(api: client.ApiClient) -> str:
    controller = deployment_available(api, KARPENTER_NAMESPACE, "karpenter")
    pools = client.CustomObjectsApi(api).list_cluster_custom_object(
        "karpenter.sh", "v1", "nodepools", _request_timeout=TIMEOUT
    )["items"]
    ready = {p["metadata"]["name"] for p in pools if _ready(p.get("status", {}).get("conditions"))}
    missing = [name for name in NODE_POOLS if name not in ready]
    if missing:
        raise CheckFailed(f"controller {controller}; NodePools not present or not Ready: {missing}")
    return f"controller {controller}; NodePools {', '.join(NODE_POOLS)} Ready"


def hub_api_healthy(api: client.ApiClient) -> str:
    namespace, service, port = HUB
    status, body = pod_http_get(
        api, service_backend(api, read_service(api, namespace, service), port), "/hub/api/"
    )
    if status != 200:
        raise CheckFailed(f"the hub API answered HTTP {status}")
    answer = json.loads(body)
    if not isinstance(answer, dict) or "version" not in answer:
        raise CheckFailed(f"the hub API answered {answer!r}, not its version")
    return f"hub API answers, JupyterHub {answer['version']}"


def qdrant_healthy(api: client.ApiClient) -> str:
    key = secret_value(api, APPS_NAMESPACE, QDRANT_KEY_SECRET, "api-key")
    namespace, service, port = QDRANT
    status, body = pod_http_get(
        api,
        service_backend(api, read_service(api, namespace, service), port),
        "/collections",
        {"api-key": key},
    )
    if status in {401, 403}:
        raise CheckFailed(f"Qdrant refused the shopping API's key (HTTP {status})")
    if status != 200:
        raise CheckFailed(f"Qdrant answered HTTP {status}")
    answer = json.loads(body)
    if not isinstance(answer, dict) or answer.get("status") != "ok":
        raise CheckFailed(f"Qdrant answered {answer!r}")
    return f"Qdrant answers with its API key ({len(answer['result']['collections'])} collections)"


def probe_pod(selector: dict[str, str], toleration: dict[str, str]) -> dict[str, Any]:
    """Asks for one GPU and does nothing: it only has to be scheduled (restricted PSS)."""
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": PROBE_NAME, "labels": {"app.kubernetes.io/name": PROBE_NAME}},
        "spec": {
            "restartPolicy": "Never",
            "nodeSelector": selector,
            "tolerations": [toleration],
            "automountServiceAccountToken": False,
            "securityContext": {
                "runAsNonRoot": True,
                "runAsUser": 65534,
                "seccompProfile": {"type": "RuntimeDefault"},
            },
            "containers": [
                {
                    "name": "probe",
                    "image": PROBE_IMAGE,
                    "command": ["sleep", "30"],
                    "resources": {
                        "limits": {"nvidia.com/gpu": "1", "cpu": "100m", "memory": "64Mi"}
                    },
                    "securityContext": {
                        "allowPrivilegeEscalation": False,
                        "readOnlyRootFilesystem": True,
                        "capabilities": {"drop": ["ALL"]},
                    },
                }
            ],
        },
    }


def gpu_node_arrives(
    api: client.ApiClient,
    selector: dict[str, str],
    toleration: dict[str, str],
    minutes: float,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> str:
    """A pod with a GPU request is scheduled on a node within ``minutes``; the pod is deleted."""
    core = client.CoreV1Api(api)
    core.create_namespaced_pod(
        APPS_NAMESPACE, probe_pod(selector, toleration), _request_timeout=TIMEOUT
    )
    start = clock()
    try:
        while True:
            pod = core.read_namespaced_pod(PROBE_NAME, APPS_NAMESPACE, _request_timeout=TIMEOUT)
            if pod.spec.node_name:
                return f"scheduled on {pod.spec.node_name} after {clock() - start:.0f} s"
            if clock() - start >= minutes * 60:
                reasons = [c.message for c in pod.status.conditions or [] if c.message]
                raise CheckFailed(
                    f"no GPU node within {minutes:g} min"
                    + (f": {reasons[-1]}" if reasons else "")
                    + " (GPU limit reached? spot and on-demand capacity?)"
                )
            sleep(PROBE_POLL_SECONDS)
    finally:
        core.delete_namespaced_pod(
            PROBE_NAME, APPS_NAMESPACE, grace_period_seconds=0, _request_timeout=TIMEOUT
        )


def service_checks(
    api: Callable[[], client.ApiClient],
    gpu_probe_minutes: float | None,
    selector: dict[str, str],
    toleration: dict[str, str],
) -> list[Check]:
    checks: list[Check] = [
        ("Karpenter and NodePools", lambda: karpenter_ready(api())),
        ("JupyterHub hub API", lambda: hub_api_healthy(api())),
        ("Qdrant", lambda: qdrant_healthy(api())),
        ("model server", lambda: model_server_healthy(api())),
    ]
    if gpu_probe_minutes is not None:
        checks.append(
            (
                "GPU capacity probe",
                lambda: gpu_node_arrives(api(), selector, toleration, gpu_probe_minutes),
            )
        )
    return checks
