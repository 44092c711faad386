"""Checks against the Kubernetes API: what the cluster-addons and workloads stacks put there."""

from __future__ import annotations

import base64
import http.client
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kubernetes import client
from kubernetes.client.exceptions import ApiException
from kubernetes.stream import portforward

from platform_smoke.aws_checks import node_group_sizes
from platform_smoke.result import Check, CheckFailed

DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class"
NODE_GROUP_LABEL = "eks.amazonaws.com/nodegroup"
TIMEOUT = (5, 30)
APPS_NAMESPACE = "genai"
# Every answer the checks read is a small JSON document.
MAX_BODY_BYTES = 1_000_000


def secret_value(api: client.ApiClient, namespace: str, name: str, key: str) -> str:
    secret = client.CoreV1Api(api).read_namespaced_secret(name, namespace, _request_timeout=TIMEOUT)
    return base64.b64decode((secret.data or {})[key]).decode()


def is_ready(item: Any) -> bool:
    """A node or a pod whose Ready condition is True."""
    return any(c.type == "Ready" and c.status == "True" for c in item.status.conditions or [])


@dataclass(frozen=True)
class Backend:
    """A Ready pod behind a Service, and the pod port one of the Service's ports sends to."""

    namespace: str
    pod: str
    port: int


def read_service(api: client.ApiClient, namespace: str, name: str) -> client.V1Service:
    return client.CoreV1Api(api).read_namespaced_service(name, namespace, _request_timeout=TIMEOUT)


def service_backend(api: client.ApiClient, service: client.V1Service, port_name: str) -> Backend:
    """Where the Service's ``port_name`` port leads: its selector picks the pod, its targetPort
    (a number, or the name of a container port) the pod's port."""
    namespace, name = service.metadata.namespace, service.metadata.name
    target = next(
        (p.target_port or p.port for p in service.spec.ports or [] if p.name == port_name), None
    )
    if target is None or not service.spec.selector:
        raise CheckFailed(f"Service {namespace}/{name} has no selector or no {port_name!r} port")
    pods = (
        client.CoreV1Api(api)
        .list_namespaced_pod(
            namespace,
            label_selector=",".join(f"{k}={v}" for k, v in sorted(service.spec.selector.items())),
            _request_timeout=TIMEOUT,
        )
        .items
    )
    ready = [p for p in pods if p.metadata.deletion_timestamp is None and is_ready(p)]
    if not ready:
        raise CheckFailed(f"no Ready pod behind Service {namespace}/{name}")
    pod = ready[0]
    port = (
        target
        if isinstance(target, int)
        else next(
            (
                p.container_port
                for c in pod.spec.containers
                for p in c.ports or []
                if p.name == target
            ),
            None,
        )
    )
    if port is None:
        raise CheckFailed(f"{pod.metadata.name} has no container port named {target!r}")
    return Backend(namespace, pod.metadata.name, port)


def pod_http_get(
    api: client.ApiClient, backend: Backend, path: str, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    """GET ``path`` from the pod through a port-forward (what `kubectl port-forward` does): the
    kubelet delivers it inside the pod, so neither the pods' NetworkPolicies nor the service
    proxy (which drops the Authorization header) stand in the way. The status and the body."""
    # A port-forward tunnel carries one connection: each call opens its own.
    sock = portforward(
        client.CoreV1Api(api).connect_get_namespaced_pod_portforward,
        backend.pod,
        backend.namespace,
        ports=str(backend.port),
    ).socket(backend.port)
    sock.settimeout(TIMEOUT[1])
    connection = http.client.HTTPConnection(backend.pod, backend.port)
    connection.sock = sock
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read(MAX_BODY_BYTES)
    finally:
        connection.close()


def api_reachable(api: client.ApiClient) -> str:
    version = client.VersionApi(api).get_code(_request_timeout=TIMEOUT)
    return f"Kubernetes {version.git_version}"


def nodes_ready(api: client.ApiClient, desired: dict[str, int]) -> str:
    """Every node group EKS wants nodes in has Ready nodes; none has nodes that are not Ready."""
    nodes = client.CoreV1Api(api).list_node(_request_timeout=TIMEOUT).items
    ready = Counter(n.metadata.labels.get(NODE_GROUP_LABEL, "?") for n in nodes if is_ready(n))
    not_ready = Counter(
        n.metadata.labels.get(NODE_GROUP_LABEL, "?") for n in nodes if not is_ready(n)
    )
    problems = [
        f"{group}: {ready[group]} Ready of {size} desired"
        for group, size in sorted(desired.items())
        if size > 0 and ready[group] == 0
    ] + [f"{group}: {count} not Ready" for group, count in sorted(not_ready.items())]
    if problems:
        raise CheckFailed("; ".join(problems))
    return ", ".join(f"{g} {ready[g]}/{s}" for g, s in sorted(desired.items()))


def gp3_is_the_only_default(api: client.ApiClient) -> str:
    classes = client.StorageV1Api(api).list_storage_class(_request_timeout=TIMEOUT).items
    defaults = sorted(
        c.metadata.name
        for c in classes
        if (c.metadata.annotations or {}).get(DEFAULT_CLASS) == "true"
    )
    if defaults != ["gp3"]:
        raise CheckFailed(f"default StorageClasses are {defaults or 'none'}; expected only gp3")
    return "gp3 is the only default StorageClass"


def device_plugin_ready(api: client.ApiClient) -> str:
    sets = (
        client.AppsV1Api(api)
        .list_namespaced_daemon_set(
            "nvidia-device-plugin",
            label_selector="app.kubernetes.io/name=nvidia-device-plugin",
            _request_timeout=TIMEOUT,
        )
        .items
    )
    if not sets:
        raise CheckFailed("no nvidia-device-plugin DaemonSet in namespace nvidia-device-plugin")
    status = sets[0].status
    scheduled, ready = status.desired_number_scheduled or 0, status.number_ready or 0
    if ready < scheduled:
        raise CheckFailed(f"{ready} of {scheduled} device plugin pods ready")
    return f"{ready}/{scheduled} pods ready (one per GPU node)"


def deployment_available(api: client.ApiClient, namespace: str, name: str) -> str:
    try:
        deployment = client.AppsV1Api(api).read_namespaced_deployment(
            name, namespace, _request_timeout=TIMEOUT
        )
    except ApiException as error:
        if error.status == 404:
            raise CheckFailed(f"no Deployment {namespace}/{name}") from error
        raise
    wanted = deployment.spec.replicas or 0
    available = deployment.status.available_replicas or 0
    if wanted == 0 or available < wanted:
        raise CheckFailed(f"{available} of {wanted} replicas available")
    return f"{available}/{wanted} replicas available"


def cluster_checks(
    api: Callable[[], client.ApiClient], eks: Any, cluster: str, apps: tuple[str, ...]
) -> list[Check]:
    """The Kubernetes checks; the first one tells whether the others can run at all."""
    checks: list[Check] = [
        ("cluster reachable", lambda: api_reachable(api())),
        ("nodes Ready per group", lambda: nodes_ready(api(), node_group_sizes(eks, cluster))),
        ("gp3 default StorageClass", lambda: gp3_is_the_only_default(api())),
        ("NVIDIA device plugin", lambda: device_plugin_ready(api())),
        (
            "load balancer controller",
            lambda: deployment_available(api(), "kube-system", "aws-load-balancer-controller"),
        ),
    ]
    for app in apps:
        checks.append(
            (f"app {app}", lambda app=app: deployment_available(api(), APPS_NAMESPACE, app))
        )
    return checks
