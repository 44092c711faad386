"""A Kubernetes API on localhost answering the reads the smoke check makes, with objects shaped
as the API server returns them (trimmed to the fields that matter)."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from email.message import Message
from typing import Any
from urllib.parse import urlsplit

from tests.fakes.json_server import serve_json

APPS = ("agent-assistant", "claude-chat", "kb-assistant")


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


@dataclass
class Cluster:
    """A healthy dev cluster: 2 system nodes, 1 CPU node, no GPU node, every app running."""

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
            **{("genai", app): deployment(app, "genai", 1, 1) for app in APPS},
        }
    )
    authorization: list[str] = field(default_factory=list)

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
        parts = path.strip("/").split("/")
        if parts[:3] == ["apis", "apps", "v1"] and parts[5:6] == ["deployments"]:
            found = self.deployments.get((parts[4], parts[6]))
            if found:
                return 200, found
        return 404, {"kind": "Status", "status": "Failure", "reason": "NotFound", "code": 404}


def serve(cluster: Cluster) -> AbstractContextManager[str]:
    def answer(method: str, path: str, headers: Message, body: bytes) -> tuple[int, dict[str, Any]]:
        cluster.authorization.append(headers.get("Authorization", ""))
        return cluster.answer(urlsplit(path).path.rstrip("/"))

    return serve_json(answer)
