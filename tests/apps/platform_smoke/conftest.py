"""The checks' port-forwards reach the fake hub, Qdrant and model server directly in every
test."""

from __future__ import annotations

import pytest
from platform_smoke import cluster_checks

from tests.apps.platform_smoke.fake_kube import port_forward


@pytest.fixture(autouse=True)
def forwarded(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str]]:
    """The port-forwards the checks opened: (API method, namespace, pod)."""
    calls: list[tuple[str, str, str]] = []
    monkeypatch.setattr(cluster_checks, "portforward", port_forward(calls))
    return calls
