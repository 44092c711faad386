"""A Kubernetes API on localhost for the launcher: Jobs are created, read and deleted, pods are
listed and their logs streamed, as a script of frames says; the real client talks to it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fakes.serving import serving

NAMESPACE = "finetune"
CREATED = "2026-11-23T12:00:00Z"


def not_found(name: str) -> tuple[int, dict[str, Any]]:
    return 404, {
        "kind": "Status",
        "status": "Failure",
        "reason": "NotFound",
        "code": 404,
        "message": f'jobs.batch "{name}" not found',
    }


def condition(kind: str, reason: str = "", message: str = "") -> dict[str, Any]:
    return {"type": kind, "status": "True", "reason": reason, "message": message}


def job_status(*conditions: dict[str, Any], active: int = 0) -> dict[str, Any]:
    return {"active": active, "conditions": list(conditions)}


def pod(
    name: str,
    phase: str,
    *,
    waiting: tuple[str, str] | None = None,
    terminated: dict[str, Any] | None = None,
    unschedulable: str | None = None,
    disrupted: str | None = None,
    node: str | None = None,
    created: str = CREATED,
) -> dict[str, Any]:
    conditions = []
    if unschedulable is not None:
        conditions.append(
            {
                "type": "PodScheduled",
                "status": "False",
                "reason": "Unschedulable",
                "message": unschedulable,
            }
        )
    if disrupted is not None:
        conditions.append(condition("DisruptionTarget", "EvictionByEvictionAPI", disrupted))
    state: dict[str, Any] = {}
    if waiting:
        state = {"waiting": {"reason": waiting[0], "message": waiting[1]}}
    elif terminated:
        state = {"terminated": terminated}
    elif phase == "Running":
        state = {"running": {"startedAt": CREATED}}
    statuses = [
        {
            "name": "trainer",
            "image": "finetune:1",
            "imageID": "",
            "ready": phase == "Running",
            "restartCount": 0,
            "state": state,
        }
    ]
    return {
        "metadata": {"name": name, "namespace": NAMESPACE, "creationTimestamp": created},
        "spec": {"containers": [{"name": "trainer", "image": "finetune:1"}], "nodeName": node},
        "status": {"phase": phase, "conditions": conditions, "containerStatuses": statuses},
    }


@dataclass
class Frame:
    """What the API shows at one poll: the Job's status and its pods."""

    status: dict[str, Any]
    pods: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Cluster:
    frames: list[Frame] = field(default_factory=list)
    logs: dict[str, str] = field(default_factory=dict)
    jobs: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[tuple[str, str, dict[str, Any] | None]] = field(default_factory=list)
    authorization: list[str] = field(default_factory=list)
    reads: int = 0

    def frame(self, reads: int) -> Frame:
        return self.frames[min(max(reads, 0), len(self.frames) - 1)]

    def answer(self, method: str, url: str, body: dict[str, Any] | None) -> tuple[int, Any]:
        path = urlsplit(url).path.rstrip("/")
        query = parse_qs(urlsplit(url).query)
        self.requests.append((method, url, body))
        jobs = f"/apis/batch/v1/namespaces/{NAMESPACE}/jobs"
        pods = f"/api/v1/namespaces/{NAMESPACE}/pods"
        if method == "POST" and path == jobs:
            assert body is not None
            name = body["metadata"]["name"]
            if name in self.jobs:
                return 409, {
                    "kind": "Status",
                    "status": "Failure",
                    "reason": "AlreadyExists",
                    "code": 409,
                }
            body["metadata"] |= {
                "namespace": NAMESPACE,
                "uid": "0b8c",
                "creationTimestamp": CREATED,
            }
            self.jobs[name] = body
            return 201, body
        if path.startswith(jobs + "/"):
            name = path.removeprefix(jobs + "/")
            if name not in self.jobs:
                return not_found(name)
            if method == "DELETE":
                return 200, self.jobs.pop(name)
            status = self.frame(self.reads).status
            self.reads += 1
            return 200, self.jobs[name] | {"status": status}
        if path == pods:
            assert query["labelSelector"][0].startswith("batch.kubernetes.io/job-name=")
            # The pods of the frame whose Job status was read last.
            return 200, {"kind": "PodList", "items": self.frame(self.reads - 1).pods}
        if path.startswith(pods + "/") and path.endswith("/log"):
            name = path.removeprefix(pods + "/").removesuffix("/log")
            return 200, self.logs.get(name, "")
        return 404, {"kind": "Status", "code": 404}


@contextmanager
def serve(cluster: Cluster) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            cluster.authorization.append(self.headers.get("Authorization", ""))
            status, payload = cluster.answer(
                self.command, self.path, json.loads(raw) if raw else None
            )
            text = isinstance(payload, str)
            data = payload.encode() if text else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain" if text else "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_DELETE = _serve

        def log_message(self, *args: object) -> None:
            pass

    with serving(ThreadingHTTPServer(("127.0.0.1", 0), Handler)) as server:
        yield f"http://127.0.0.1:{server.server_address[1]}"
