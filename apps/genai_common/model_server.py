"""vLLM's adapter API: which LoRA adapters a model server serves, and loading one at runtime.

The server must run with ``VLLM_ALLOW_RUNTIME_LORA_UPDATING=True`` (modules/vllm-server). Its
``GET /v1/models`` lists the base model, then each adapter in the order it was loaded, with the
base model as the adapter's ``parent``. A failed load changes nothing the server serves.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import urllib3

# The newest adapter, resolved from GET /v1/models whenever it is needed.
LATEST_ADAPTER = "latest-adapter"
# Listing answers at once; a load reads the adapter's weights from local disk first.
LIST_TIMEOUT = urllib3.Timeout(connect=3.0, read=10.0)
LOAD_TIMEOUT = urllib3.Timeout(connect=3.0, read=120.0)
MAX_RESPONSE_BYTES = 1_000_000


class ModelServerError(RuntimeError):
    """The server refused or did not answer; the message carries its reason."""


@dataclass(frozen=True)
class ServedModel:
    id: str
    parent: str | None  # the base model of an adapter; None for the base model itself

    @property
    def is_adapter(self) -> bool:
        return self.parent is not None


class ModelServer:
    """An OpenAI-compatible vLLM server at ``base_url`` (ending in /v1)."""

    def __init__(self, base_url: str, api_key: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._headers = {"Content-Type": "application/json"}
        if api_key:
            self._headers["Authorization"] = f"Bearer {api_key}"
        self._http = urllib3.PoolManager(retries=False)

    def _call(
        self, method: str, path: str, body: dict[str, str] | None, timeout: urllib3.Timeout
    ) -> bytes:
        try:
            response = self._http.request(
                method,
                f"{self.base_url}{path}",
                body=None if body is None else json.dumps(body).encode(),
                headers=self._headers,
                timeout=timeout,
                preload_content=False,
            )
            data = response.read(MAX_RESPONSE_BYTES + 1)
            response.release_conn()
        except urllib3.exceptions.HTTPError as error:
            raise ModelServerError(f"{self.base_url}{path} did not answer: {error}") from error
        if len(data) > MAX_RESPONSE_BYTES:
            raise ModelServerError(f"{self.base_url}{path} answered more than 1 MB")
        if response.status >= 400:
            raise ModelServerError(f"{method} {path}: HTTP {response.status}: {_reason(data)}")
        return data

    def models(self) -> list[ServedModel]:
        data = self._call("GET", "/models", None, LIST_TIMEOUT)
        try:
            entries = json.loads(data)["data"]
            return [ServedModel(str(e["id"]), e.get("parent")) for e in entries]
        except (ValueError, KeyError, TypeError) as error:
            raise ModelServerError(f"{self.base_url}/models: not a model list") from error

    def adapters(self) -> list[str]:
        """The served adapters' names, oldest first."""
        return [m.id for m in self.models() if m.is_adapter]

    def newest_adapter(self) -> str:
        adapters = self.adapters()
        if not adapters:
            raise ModelServerError(f"{self.base_url} serves no adapter yet")
        return adapters[-1]

    def load_adapter(self, name: str, path: str) -> None:
        self._call(
            "POST", "/load_lora_adapter", {"lora_name": name, "lora_path": path}, LOAD_TIMEOUT
        )

    def unload_adapter(self, name: str) -> None:
        self._call("POST", "/unload_lora_adapter", {"lora_name": name}, LIST_TIMEOUT)


def _reason(data: bytes) -> str:
    """vLLM's error message ({"message": ...} or {"error": {"message": ...}}), else the text."""
    try:
        payload = json.loads(data)
        message = payload.get("message") or payload["error"]["message"]
        return str(message)[:500]
    except (ValueError, KeyError, TypeError, AttributeError):
        return data.decode("utf-8", "replace")[:500]
