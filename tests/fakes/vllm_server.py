"""A fake vLLM OpenAI-compatible server: the runtime LoRA API and streamed chat completions.

Like vLLM with VLLM_ALLOW_RUNTIME_LORA_UPDATING=True and --api-key: GET /v1/models lists the
base model and then the adapters in load order (``parent`` = the base model); POST
/v1/load_lora_adapter loads a folder holding adapter_config.json, refuses a name already loaded
or a folder without one (400) and then serves nothing new; POST /v1/unload_lora_adapter
refuses an unknown name (404); /v1/chat/completions answers "answered by <model>".
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.fakes.serving import serving

BASE_MODEL = "meta-llama/Llama-3.1-8B-Instruct"


class FakeVllm:
    def __init__(self, api_key: str | None, base_model: str = BASE_MODEL) -> None:
        self.api_key = api_key  # None: no key asked, like vLLM without --api-key
        self.base_model = base_model
        self.adapters: dict[str, str] = {}
        self.completions: list[str] = []  # the model of each chat completion asked for
        self.listing = True  # False: GET /v1/models lists nothing (an answer no vLLM should give)
        self.url = ""

    def models(self) -> dict[str, Any]:
        base = {"id": self.base_model, "object": "model", "root": self.base_model, "parent": None}
        loras = [
            {"id": name, "object": "model", "root": path, "parent": self.base_model}
            for name, path in self.adapters.items()
        ]
        return {"object": "list", "data": [base, *loras] if self.listing else []}

    def load(self, body: dict[str, Any]) -> tuple[int, Any]:
        name, path = body.get("lora_name"), body.get("lora_path")
        if not name or not path:
            return 400, error("Both 'lora_name' and 'lora_path' must be provided.")
        if name in self.adapters:
            return 400, error(f"The lora adapter '{name}' has already been loaded.")
        if not (Path(path) / "adapter_config.json").is_file():
            return 400, error(f"Loading lora {name} failed: No adapter found for {path}")
        self.adapters[name] = path
        return 200, f"Success: LoRA adapter '{name}' added successfully."

    def unload(self, body: dict[str, Any]) -> tuple[int, Any]:
        name = body.get("lora_name")
        if name not in self.adapters:
            return 404, error(f"The lora adapter '{name}' cannot be found.")
        del self.adapters[name]
        return 200, f"Success: LoRA adapter '{name}' removed successfully."

    def served(self, model: str) -> bool:
        return model == self.base_model or model in self.adapters


def error(message: str) -> dict[str, Any]:
    return {"object": "error", "message": message, "type": "BadRequestError", "code": 400}


def chunk(model: str, delta: dict[str, str], finish: str | None = None) -> bytes:
    payload = {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(payload)}\n\n".encode()


@contextmanager
def serve_vllm(fake: FakeVllm) -> Iterator[FakeVllm]:
    """Serves ``fake`` on a free port; ``fake.url`` is its base URL, ending in /v1."""

    class Handler(BaseHTTPRequestHandler):
        def _send(self, status: int, payload: Any) -> None:
            text = payload if isinstance(payload, str) else json.dumps(payload)
            data = text.encode()
            self.send_response(status)
            kind = "text/plain" if isinstance(payload, str) else "application/json"
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _authorized(self) -> bool:
            if (
                fake.api_key is None
                or self.headers.get("Authorization") == f"Bearer {fake.api_key}"
            ):
                return True
            self._send(401, {"error": "Unauthorized"})
            return False

        def do_GET(self) -> None:
            if not self._authorized():
                return
            if self.path == "/v1/models":
                self._send(200, fake.models())
            else:
                self._send(404, error(f"no route {self.path}"))

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
            if not self._authorized():
                return
            if self.path == "/v1/load_lora_adapter":
                self._send(*fake.load(body))
            elif self.path == "/v1/unload_lora_adapter":
                self._send(*fake.unload(body))
            elif self.path == "/v1/chat/completions":
                self._complete(body)
            else:
                self._send(404, error(f"no route {self.path}"))

        def _complete(self, body: dict[str, Any]) -> None:
            model = body["model"]
            if not fake.served(model):
                self._send(404, error(f"The model `{model}` does not exist."))
                return
            fake.completions.append(model)
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            self.wfile.write(chunk(model, {"role": "assistant", "content": ""}))
            self.wfile.write(chunk(model, {"content": f"answered by {model}"}))
            self.wfile.write(chunk(model, {}, "stop"))
            self.wfile.write(b"data: [DONE]\n\n")
            self.close_connection = True

        def log_message(self, *args: object) -> None:
            pass

    with serving(ThreadingHTTPServer(("127.0.0.1", 0), Handler)) as server:
        fake.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
        yield fake
