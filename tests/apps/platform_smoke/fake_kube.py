"""A Kubernetes API on localhost answering the reads the smoke check makes, with objects shaped
as the API server returns them (trimmed to the fields that matter)."""

from __future__ import annotations

import base64
import json
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from email.message import Message
from typing import Any
from urllib.parse import urlsplit

from genai_common.declarations import load_apps

from tests.fakes.json_server import serve_json

# Every app the declarations run as a Deployment, as the workloads stack deploys them.
APPS = tuple(sorted(app.name for app in load_apps() if app.runs_on == "eks-deployment"))


def node(name: str, group: str, ready: bool = True) -> dict[str, Any]:
    return {
        "metadata": {"name": name, "labels": {"eks.amazonaws.com/nodegroup": group}},
        "status": {"conditions": [{"type": "Ready", "status": "True" if ready else "False"}]},
    }


def storage_class(name: str, default: bool) -> dict[str, Any]:
    annotations = {"storageclass.kubernetes.io/is-default-class": "true"} if default else {}
    return {
        "metadata": {"name": name, "annotations": annotations},
        "provisioner": "ebs.csi.aws.com" if name == "gp3" else "kubernetes.io/aws-ebs",
    }


def deployment(name: str, namespace: str, replicas: int, available: int) -> dict[str, Any]:
    return {
        "metadata": {"name": name, "namespace": namespace},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app.kubernetes.io/name": name}},
            "template": {"spec": {"containers": [{"name": name, "image": f"{name}:x"}]}},
        },
        "status": {"replicas": replicas, "availableReplicas": available or None},
    }


def daemon_set(scheduled: int, ready: int) -> dict[str, Any]:
    return {
        "metadata": {"name": "nvidia-device-plugin", "namespace": "nvidia-device-plugin"},
        "spec": {
            "selector": {"matchLabels": {"app.kubernetes.io/name": "nvidia-device-plugin"}},
            "template": {"spec": {"containers": [{"name": "nvidia-device-plugin-ctr"}]}},
        },
        "status": {
            "desiredNumberScheduled": scheduled,
            "numberReady": ready,
            "currentNumberScheduled": scheduled,
            "numberMisscheduled": 0,
        },
    }


def node_pool(name: str, ready: bool = True) -> dict[str, Any]:
    return {
        "apiVersion": "karpenter.sh/v1",
        "kind": "NodePool",
        "metadata": {"name": name},
        "status": {"conditions": [{"type": "Ready", "status": "True" if ready else "False"}]},
    }


def not_found() -> tuple[int, dict[str, Any]]:
    return 404, {"kind": "Status", "status": "Failure", "reason": "NotFound", "code": 404}


@dataclass
class Cluster:
    """A healthy dev cluster: 2 system nodes, 1 CPU node, no GPU node, every app running,
    Karpenter and its NodePools, JupyterHub, Qdrant and the model server answering."""

    nodes: list[dict[str, Any]] = field(
        default_factory=lambda: [
            node("ip-10-10-1-1", "system"),
            node("ip-10-10-1-2", "system"),
            node("ip-10-10-2-1", "cpu-spot"),
        ]
    )
    storage_classes: list[dict[str, Any]] = field(
        default_factory=lambda: [storage_class("gp2", False), storage_class("gp3", True)]
    )
    daemon_sets: list[dict[str, Any]] = field(default_factory=lambda: [daemon_set(0, 0)])
    deployments: dict[tuple[str, str], dict[str, Any]] = field(
        default_factory=lambda: {
            ("kube-system", "aws-load-balancer-controller"): deployment(
                "aws-load-balancer-controller", "kube-system", 2, 2
            ),
            ("kube-system", "karpenter"): deployment("karpenter", "kube-system", 2, 2),
            ("genai", "loyalty-model"): deployment("loyalty-model", "genai", 1, 1),
            **{("genai", app): deployment(app, "genai", 1, 1) for app in APPS},
        }
    )
    node_pools: list[dict[str, Any]] = field(
        default_factory=lambda: [node_pool("cpu"), node_pool("gpu")]
    )
    hub_up: bool = True
    qdrant_key: str = "qdrant-key-1"
    qdrant_accepts: str = "qdrant-key-1"
    # Where the workloads stack serves a model: its Service exists.
    model_server: bool = True
    model_key_enforced: bool = True
    # The probe pod gets a node at this read (None: never).
    gpu_node_at_read: int | None = None
    probe_reads: int = 0
    pods: dict[str, dict[str, Any]] = field(default_factory=dict)
    authorization: list[str] = field(default_factory=list)

    def proxied(self, path: str, headers: Message) -> tuple[int, dict[str, Any]] | None:
        """The services the API server's proxy reaches."""
        if path == "/api/v1/namespaces/jupyterhub/services/hub:8081/proxy/hub/api":
            return (
                (200, {"version": "5.4.0"}) if self.hub_up else (503, {"message": "no endpoints"})
            )
        if path == "/api/v1/namespaces/qdrant/services/qdrant:6333/proxy/collections":
            if headers.get("api-key") != self.qdrant_accepts:
                return 401, {"status": {"error": "Must provide an API key"}}
            return 200, {"status": "ok", "result": {"collections": [{"name": "products"}]}}
        model = "/api/v1/namespaces/genai/services/loyalty-model:80/proxy/"
        if self.model_server and path == model + "health":
            return 200, {}
        if self.model_server and path == model + "v1/models":
            # The API server dropped the caller's Authorization before proxying.
            if self.model_key_enforced:
                return 401, {"error": "Unauthorized"}
            return 200, {"object": "list", "data": []}
        return None

    def pod_call(self, method: str, path: str, body: bytes) -> tuple[int, dict[str, Any]]:
        name = path.rsplit("/", 1)[-1]
        if method == "POST":
            pod = json.loads(body)
            self.pods[pod["metadata"]["name"]] = pod
            return 201, pod
        if name not in self.pods:
            return not_found()
        if method == "DELETE":
            return 200, self.pods.pop(name)
        self.probe_reads += 1
        pod = self.pods[name]
        if self.gpu_node_at_read is not None and self.probe_reads >= self.gpu_node_at_read:
            pod["spec"]["nodeName"] = "ip-10-10-3-7.ec2.internal"
        else:
            pod["status"] = {
                "phase": "Pending",
                "conditions": [
                    {
                        "type": "PodScheduled",
                        "status": "False",
                        "reason": "Unschedulable",
                        "message": "0/3 nodes are available: 3 Insufficient nvidia.com/gpu.",
                    }
                ],
            }
        return 200, pod

    def answer(self, path: str) -> tuple[int, dict[str, Any]]:
        if path == "/version":
            return 200, {
                "major": "1",
                "minor": "34",
                "gitVersion": "v1.34.2-eks-ab12cd3",
                "gitCommit": "0123456789abcdef0123456789abcdef01234567",
                "gitTreeState": "clean",
                "buildDate": "2026-10-01T00:00:00Z",
                "goVersion": "go1.25.3",
                "compiler": "gc",
                "platform": "linux/amd64",
            }
        if path == "/api/v1/nodes":
            return 200, {"kind": "NodeList", "apiVersion": "v1", "items": self.nodes}
        if path == "/apis/storage.k8s.io/v1/storageclasses":
            return 200, {"kind": "StorageClassList", "items": self.storage_classes}
        if path == "/apis/apps/v1/namespaces/nvidia-device-plugin/daemonsets":
            return 200, {"kind": "DaemonSetList", "items": self.daemon_sets}
        if path == "/apis/karpenter.sh/v1/nodepools":
            return 200, {
                "kind": "NodePoolList",
                "apiVersion": "karpenter.sh/v1",
                "items": self.node_pools,
            }
        if path == "/api/v1/namespaces/genai/secrets/qdrant-api-key":
            data = {"api-key": base64.b64encode(self.qdrant_key.encode()).decode()}
            return 200, {"kind": "Secret", "metadata": {"name": "qdrant-api-key"}, "data": data}
        if path == "/api/v1/namespaces/genai/services/loyalty-model" and self.model_server:
            return 200, {"kind": "Service", "metadata": {"name": "loyalty-model"}, "spec": {}}
        parts = path.strip("/").split("/")
        if parts[:3] == ["apis", "apps", "v1"] and parts[5:6] == ["deployments"]:
            found = self.deployments.get((parts[4], parts[6]))
            if found:
                return 200, found
        return not_found()


def serve(cluster: Cluster) -> AbstractContextManager[str]:
    def answer(method: str, path: str, headers: Message, body: bytes) -> tuple[int, dict[str, Any]]:
        cluster.authorization.append(headers.get("Authorization", ""))
        path = urlsplit(path).path.rstrip("/")
        proxied = cluster.proxied(path, headers)
        if proxied is not None:
            return proxied
        if path.startswith("/api/v1/namespaces/genai/pods"):
            return cluster.pod_call(method, path, body)
        return cluster.answer(path)

    return serve_json(answer)
