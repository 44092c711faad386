"""The model server check: vLLM lists, with its API key, the base model and the adapters its
Deployment says it serves.

Both calls (without the key, which must be refused, and with it) go through a port-forward to a
Ready pod behind the Service (cluster_checks.pod_http_get): the key travels inside the tunnel.
The Deployment (modules/vllm-server) is the one source of what should be served: its vLLM
arguments and the Secret its VLLM_API_KEY comes from.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from genai_common.model_server import ServedModel
from kubernetes import client
from kubernetes.client.exceptions import ApiException

from platform_smoke.cluster_checks import (
    APPS_NAMESPACE,
    TIMEOUT,
    Backend,
    deployment_available,
    pod_http_get,
    read_service,
    secret_value,
    service_backend,
)
from platform_smoke.result import CheckFailed, CheckSkipped

# infra/workloads/loyalty_model.tf names the server; modules/vllm-server its container and its
# Service's port.
MODEL_SERVER = "loyalty-model"
CONTAINER = "vllm"
PORT_NAME = "http"


@dataclass(frozen=True)
class Serving:
    """What the Deployment tells vLLM to serve, and where its API key is."""

    base_model: str
    adapters: tuple[str, ...]  # the --lora-modules loaded at start, by name
    key_secret: str
    key_name: str


def _values(args: list[str], flag: str) -> list[str]:
    """The values after ``flag``, up to the next option (vLLM's nargs="+" arguments)."""
    if flag not in args:
        return []
    after = args[args.index(flag) + 1 :]
    return next(
        (after[:i] for i, arg in enumerate(after) if arg.startswith("--")),
        after,
    )


def serving(deployment: client.V1Deployment) -> Serving:
    containers = {c.name: c for c in deployment.spec.template.spec.containers}
    vllm = containers.get(CONTAINER)
    if vllm is None:
        raise CheckFailed(f"the Deployment has no {CONTAINER!r} container")
    args = vllm.args or []
    # Without --served-model-name, vLLM lists the base model under its --model argument.
    names = _values(args, "--served-model-name") or _values(args, "--model")
    key = next((e.value_from for e in vllm.env or [] if e.name == "VLLM_API_KEY"), None)
    if key is None or key.secret_key_ref is None:
        raise CheckFailed("vLLM runs without VLLM_API_KEY from a Secret: /v1 is open")
    if not names:
        raise CheckFailed("vLLM's arguments name no model")
    return Serving(
        base_model=names[0],
        adapters=tuple(m.split("=", 1)[0] for m in _values(args, "--lora-modules")),
        key_secret=key.secret_key_ref.name,
        key_name=key.secret_key_ref.key,
    )


def list_models(
    api: client.ApiClient, backend: Backend, api_key: str | None
) -> tuple[int, list[ServedModel]]:
    """GET /v1/models, with the key if given: the HTTP status and, when 200, what vLLM lists."""
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    status, body = pod_http_get(api, backend, "/v1/models", headers)
    if status != 200:
        return status, []
    entries: list[dict[str, Any]] = json.loads(body).get("data") or []
    return 200, [ServedModel(str(e["id"]), e.get("parent")) for e in entries]


def model_server_healthy(api: client.ApiClient) -> str:
    """Where the workloads stack serves a fine-tuned model (loyalty_adapter set)."""
    try:
        service = read_service(api, APPS_NAMESPACE, MODEL_SERVER)
    except ApiException as error:
        if error.status == 404:
            raise CheckSkipped("no model server (loyalty_adapter is not set)") from error
        raise
    replicas = deployment_available(api, APPS_NAMESPACE, MODEL_SERVER)
    wanted = serving(
        client.AppsV1Api(api).read_namespaced_deployment(
            MODEL_SERVER, APPS_NAMESPACE, _request_timeout=TIMEOUT
        )
    )
    backend = service_backend(api, service, PORT_NAME)
    pod = backend.pod
    keyless, _ = list_models(api, backend, None)
    if keyless != 401:
        raise CheckFailed(
            f"/v1/models on {pod} answers without the API key"
            if keyless == 200
            else f"/v1/models on {pod} answered HTTP {keyless} without the API key, not 401"
        )
    key = secret_value(api, APPS_NAMESPACE, wanted.key_secret, wanted.key_name)
    status, models = list_models(api, backend, key)
    if status != 200:
        raise CheckFailed(
            f"/v1/models on {pod} answered HTTP {status} to the key of Secret {wanted.key_secret}"
        )
    if not models:
        raise CheckFailed(f"/v1/models on {pod} lists no model")
    bases = [m.id for m in models if not m.is_adapter]
    adapters = [m.id for m in models if m.is_adapter]
    if wanted.base_model not in bases:
        raise CheckFailed(f"serves {bases or 'no base model'}, not {wanted.base_model}")
    if not adapters:
        raise CheckFailed(
            f"serves {wanted.base_model} with no adapter (started with {list(wanted.adapters)})"
        )
    # `finetune serve --retire` may have unloaded the adapter the pod started with: worth a note,
    # not a failure, while another adapter serves.
    retired = [name for name in wanted.adapters if name not in adapters]
    return (
        f"{replicas}; /v1 requires the API key; {pod} serves {wanted.base_model} "
        f"with adapters {', '.join(adapters)}"
        + (f" ({', '.join(retired)} from the Deployment no longer loaded)" if retired else "")
    )
