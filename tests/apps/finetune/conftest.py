"""Fine-tuning tests run offline: nothing may reach the Hugging Face hub."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
TRAIN = REPO / "datasets" / "myretail" / "loyalty_train.jsonl"
VALIDATION = REPO / "datasets" / "myretail" / "loyalty_validation.jsonl"


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
