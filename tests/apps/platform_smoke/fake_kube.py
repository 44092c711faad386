"""A Kubernetes API on localhost answering the reads the smoke check makes, with objects shaped
as the API server returns them (trimmed to the fields that matter)."""

from __future__ import annotations

import base64
import json
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from typing import Any
from urllib.parse import parse_qs, urlsplit

from genai_common.declarations import load_apps

from tests.fakes.json_server import serve_json
from tests.fakes.vllm_server import BASE_MODEL, FakeVllm, serve_vllm

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


MODEL_KEY = "model-key-1"  # the Secret loyalty-model-api-key holds it
MODEL_POD = "loyalty-model-6d5f8b7c9-x2k4q"
HUB_POD = "hub-7c9d8f6b5-k2m4p"
QDRANT_POD = "qdrant-0"


def served_vllm() -> FakeVllm:
    """vLLM as modules/vllm-server starts it: the base model and the run loyalty_adapter names."""
    fake = FakeVllm(MODEL_KEY)
    fake.adapters["loyalty"] = "/adapters/runs/loyalty-v1/adapter"
    return fake


def model_server_template(base_model: str, port: int) -> dict[str, Any]:
    """The pod template of modules/vllm-server, trimmed to what the smoke check reads."""
    args = ["--model", "/models/base", "--served-model-name", base_model, "--host", "0.0.0.0"]
    args += ["--port", str(port), "--enable-lora"]
    args += ["--lora-modules", "loyalty=/adapters/runs/loyalty-v1/adapter", "--max-lora-rank", "16"]
    key = {"secretKeyRef": {"name": "loyalty-model-api-key", "key": "api-key"}}
    vllm = {
        "name": "vllm",
        "image": "vllm/vllm-openai:v0.26.0",
        "args": args,
        "ports": [{"name": "http", "containerPort": port}],
        "env": [{"name": "HOME", "value": "/tmp"}, {"name": "VLLM_API_KEY", "valueFrom": key}],
    }
    sidecar = {"name": "sync-adapters", "image": "amazon/aws-cli:2.31.0"}
    return {
        "metadata": {"labels": {"app.kubernetes.io/name": "loyalty-model"}},
        "spec": {"containers": [vllm, sidecar]},
    }


@dataclass(frozen=True)
class Backend:
    """A Service as its chart or module creates it, and the one pod behind it, whose named
    container port is where a fake server listens on localhost."""

    namespace: str
    name: str
    selector: dict[str, str]
    ports: list[dict[str, Any]]  # the Service's
    pod: str
    container: str
    container_port: int  # named "http"
    ready: bool = True

    def service(self) -> dict[str, Any]:
        metadata = {"name": self.name, "namespace": self.namespace}
        spec = {"type": "ClusterIP", "selector": self.selector, "ports": self.ports}
        return {"kind": "Service", "metadata": metadata, "spec": spec}

    def pods(self, query: str) -> list[dict[str, Any]]:
        wanted = parse_qs(query).get("labelSelector", [""])[0]
        if wanted != ",".join(f"{k}={v}" for k, v in sorted(self.selector.items())):
            return []
        port = {"name": "http", "containerPort": self.container_port, "protocol": "TCP"}
        condition = {"type": "Ready", "status": "True" if self.ready else "False"}
        return [
            {
                "metadata": {
                    "name": self.pod,
                    "namespace": self.namespace,
                    "labels": self.selector,
                },
                "spec": {"containers": [{"name": self.container, "ports": [port]}]},
                "status": {"phase": "Running", "conditions": [condition]},
            }
        ]


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
    hub_up: bool = True  # False: the hub pod is not Ready
    hub_status: int = 200
    qdrant_key: str = "qdrant-key-1"
    qdrant_accepts: str = "qdrant-key-1"
    # Where the workloads stack serves a model: its Service exists.
    model_server: bool = True
    model_key: str = MODEL_KEY  # what the Secret holds; vllm.api_key is what the server accepts
    model_pod_ready: bool = True
    vllm: FakeVllm = field(default_factory=served_vllm)
    served_model_name: str = BASE_MODEL  # the Deployment's --served-model-name
    # The probe pod gets a node at this read (None: never).
    gpu_node_at_read: int | None = None
    probe_reads: int = 0
    pods: dict[str, dict[str, Any]] = field(default_factory=dict)
    authorization: list[str] = field(default_factory=list)
    # Where the fake hub and Qdrant listen on localhost (serve sets them).
    hub_port: int = 0
    qdrant_port: int = 0

    def hub(
        self, method: str, path: str, headers: Message, body: bytes
    ) -> tuple[int, dict[str, Any]]:
        if path != "/hub/api/":
            return 404, {"status": 404, "message": "Not Found"}
        if self.hub_status != 200:
            return self.hub_status, {"status": self.hub_status, "message": "Service Unavailable"}
        return 200, {"version": "5.4.0"}

    def qdrant(
        self, method: str, path: str, headers: Message, body: bytes
    ) -> tuple[int, dict[str, Any]]:
        if headers.get("api-key") != self.qdrant_accepts:
            return 401, {"status": {"error": "Must provide an API key"}}
        if path != "/collections":
            return 404, {"status": {"error": "Not found"}}
        return 200, {"status": "ok", "result": {"collections": [{"name": "products"}]}}

    def backends(self) -> list[Backend]:
        """The z2jh chart's hub, the qdrant chart's Qdrant and, where a model is served,
        modules/vllm-server's model server."""
        hub = Backend(
            "jupyterhub",
            "hub",
            {"app": "jupyterhub", "component": "hub", "release": "jupyterhub"},
            [{"name": "hub", "port": 8081, "targetPort": "http", "protocol": "TCP"}],
            HUB_POD,
            "hub",
            self.hub_port,
            self.hub_up,
        )
        qdrant = Backend(
            "qdrant",
            "qdrant",
            {
                "app": "qdrant",
                "app.kubernetes.io/instance": "qdrant",
                "app.kubernetes.io/name": "qdrant",
            },
            [
                {"name": "http", "port": 6333, "targetPort": self.qdrant_port, "protocol": "TCP"},
                {"name": "grpc", "port": 6334, "targetPort": 6334, "protocol": "TCP"},
            ],
            QDRANT_POD,
            "qdrant",
            self.qdrant_port,
        )
        model = Backend(
            "genai",
            "loyalty-model",
            {"app.kubernetes.io/name": "loyalty-model"},
            [{"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"}],
            MODEL_POD,
            "vllm",
            urlsplit(self.vllm.url).port or 0,
            self.model_pod_ready,
        )
        return [hub, qdrant, *([model] if self.model_server else [])]

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

    def pod_list(self, namespace: str, query: str) -> tuple[int, dict[str, Any]]:
        items = [p for b in self.backends() if b.namespace == namespace for p in b.pods(query)]
        return 200, {"kind": "PodList", "apiVersion": "v1", "items": items}

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
        if path == "/api/v1/namespaces/genai/secrets/loyalty-model-api-key":
            data = {"api-key": base64.b64encode(self.model_key.encode()).decode()}
            name = {"name": "loyalty-model-api-key"}
            return 200, {"kind": "Secret", "metadata": name, "data": data}
        parts = path.strip("/").split("/")
        if parts[:2] == ["api", "v1"] and parts[4:5] == ["services"]:
            found = [b for b in self.backends() if (b.namespace, b.name) == (parts[3], parts[5])]
            if found:
                return 200, found[0].service()
        if parts[:3] == ["apis", "apps", "v1"] and parts[5:6] == ["deployments"]:
            found = self.deployments.get((parts[4], parts[6]))
            if found and parts[6] == "loyalty-model":
                port = urlsplit(self.vllm.url).port or 0
                template = model_server_template(self.served_model_name, port)
                found = {**found, "spec": {**found["spec"], "template": template}}
            if found:
                return 200, found
        return not_found()


@contextmanager
def serve(cluster: Cluster) -> Iterator[str]:
    """The Kubernetes API's URL; the cluster's hub, Qdrant and model server listen too, for
    port_forward."""

    def answer(method: str, path: str, headers: Message, body: bytes) -> tuple[int, dict[str, Any]]:
        cluster.authorization.append(headers.get("Authorization", ""))
        path, query = urlsplit(path).path.rstrip("/"), urlsplit(path).query
        parts = path.strip("/").split("/")
        if parts[:2] == ["api", "v1"] and parts[4:] == ["pods"] and method == "GET":
            return cluster.pod_list(parts[3], query)
        if path.startswith("/api/v1/namespaces/genai/pods"):
            return cluster.pod_call(method, path, body)
        return cluster.answer(path)

    with (
        serve_vllm(cluster.vllm),
        serve_json(cluster.hub) as hub,
        serve_json(cluster.qdrant) as qdrant,
        serve_json(answer) as endpoint,
    ):
        cluster.hub_port = urlsplit(hub).port or 0
        cluster.qdrant_port = urlsplit(qdrant).port or 0
        yield endpoint


class Forwarded:
    """What kubernetes.stream.portforward returns, for a pod port served on localhost."""

    def __init__(self, ports: str) -> None:
        self.ports = ports

    def socket(self, port: int) -> socket.socket:
        if str(port) != self.ports:
            raise ValueError("Invalid port number")
        return socket.create_connection(("127.0.0.1", port), timeout=5)


def port_forward(calls: list[tuple[str, str, str]]) -> Callable[..., Forwarded]:
    """Stands in for kubernetes.stream.portforward, the API server's websocket tunnel: a pod's
    port is where its fake server listens on localhost. Records (API method, namespace, pod)."""

    def forward(api_method: Any, name: str, namespace: str, *, ports: str) -> Forwarded:
        calls.append((api_method.__name__, namespace, name))
        return Forwarded(ports)

    return forward
