"""Checks against the Kubernetes API: what the cluster-addons and workloads stacks put there."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from kubernetes import client
from kubernetes.client.exceptions import ApiException

from platform_smoke.aws_checks import node_group_sizes
from platform_smoke.result import Check, CheckFailed

DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class"
NODE_GROUP_LABEL = "eks.amazonaws.com/nodegroup"
TIMEOUT = (5, 30)
APPS_NAMESPACE = "genai"


def _ready(node: Any) -> bool:
    return any(c.type == "Ready" and c.status == "True" for c in node.status.conditions or [])


def api_reachable(api: client.ApiClient) -> str:
    version = client.VersionApi(api).get_code(_request_timeout=TIMEOUT)
    return f"Kubernetes {version.git_version}"


def nodes_ready(api: client.ApiClient, desired: dict[str, int]) -> str:
    """Every node group EKS wants nodes in has Ready nodes; none has nodes that are not Ready."""
    nodes = client.CoreV1Api(api).list_node(_request_timeout=TIMEOUT).items
    ready = Counter(n.metadata.labels.get(NODE_GROUP_LABEL, "?") for n in nodes if _ready(n))
    not_ready = Counter(
        n.metadata.labels.get(NODE_GROUP_LABEL, "?") for n in nodes if not _ready(n)
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
