"""Checks of capacity and the in-cluster services, through the Kubernetes API: Karpenter and its
NodePools, the JupyterHub hub API, Qdrant with its API key, the model server, and (asked for
with --gpu-probe only: it costs a GPU node) a pod with a GPU request getting a node."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from typing import Any

from kubernetes import client
from kubernetes.client.exceptions import ApiException

from platform_smoke.cluster_checks import APPS_NAMESPACE, TIMEOUT, deployment_available
from platform_smoke.result import Check, CheckFailed, CheckSkipped

# infra/cluster-addons (modules/cluster-addons/karpenter.tf) names these.
KARPENTER_NAMESPACE = "kube-system"
NODE_POOLS = ("cpu", "gpu")
# infra/workloads: jupyterhub.tf, qdrant.tf, loyalty_model.tf.
HUB = ("jupyterhub", "hub:8081", "hub/api/")
QDRANT = ("qdrant", "qdrant:6333", "collections")
QDRANT_KEY_SECRET = "qdrant-api-key"  # noqa: S105 - the Secret's name, not a key
MODEL_SERVER = "loyalty-model"
PROBE_NAME = "smoke-gpu-probe"
PROBE_IMAGE = "public.ecr.aws/docker/library/busybox:1.37.0"
PROBE_POLL_SECONDS = 10.0


def _proxy(
    api: client.ApiClient,
    namespace: str,
    service: str,
    path: str,
    headers: dict[str, str] | None = None,
) -> Any:
    """GET through the API server's service proxy; the JSON answer, or ApiException."""
    return api.call_api(
        f"/api/v1/namespaces/{namespace}/services/{service}/proxy/{path}",
        "GET",
        header_params={"Accept": "application/json", **(headers or {})},
        response_types_map={200: "object"},
        auth_settings=["BearerToken"],
        _return_http_data_only=True,
        _request_timeout=TIMEOUT,
    )


def _secret(api: client.ApiClient, namespace: str, name: str, key: str) -> str:
    secret = client.CoreV1Api(api).read_namespaced_secret(name, namespace, _request_timeout=TIMEOUT)
    return base64.b64decode((secret.data or {})[key]).decode()


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
    answer = _proxy(api, *HUB)
    if not isinstance(answer, dict) or "version" not in answer:
        raise CheckFailed(f"the hub API answered {answer!r}, not its version")
    return f"hub API answers, JupyterHub {answer['version']}"


def qdrant_healthy(api: client.ApiClient) -> str:
    key = _secret(api, APPS_NAMESPACE, QDRANT_KEY_SECRET, "api-key")
    try:
        answer = _proxy(api, *QDRANT, headers={"api-key": key})
    except ApiException as error:
        if error.status in {401, 403}:
            raise CheckFailed(
                f"Qdrant refused the shopping API's key (HTTP {error.status})"
            ) from error
        raise
    if not isinstance(answer, dict) or answer.get("status") != "ok":
        raise CheckFailed(f"Qdrant answered {answer!r}")
    return f"Qdrant answers with its API key ({len(answer['result']['collections'])} collections)"


def model_server_healthy(api: client.ApiClient) -> str:
    """Where the workloads stack serves a fine-tuned model (loyalty_adapter set)."""
    try:
        client.CoreV1Api(api).read_namespaced_service(
            MODEL_SERVER, APPS_NAMESPACE, _request_timeout=TIMEOUT
        )
    except ApiException as error:
        if error.status == 404:
            raise CheckSkipped("no model server (loyalty_adapter is not set)") from error
        raise
    replicas = deployment_available(api, APPS_NAMESPACE, MODEL_SERVER)
    _proxy(api, APPS_NAMESPACE, f"{MODEL_SERVER}:80", "health")
    # The API server drops the caller's Authorization header before proxying, so /v1/models
    # must refuse this call: that the key is enforced is what can be seen from here.
    try:
        _proxy(api, APPS_NAMESPACE, f"{MODEL_SERVER}:80", "v1/models")
    except ApiException as error:
        if error.status == 401:
            return f"{replicas}; /health answers; /v1 requires the API key"
        raise
    raise CheckFailed("/v1/models answers without the API key")


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
