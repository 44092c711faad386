"""The workloads' ConfigMaps against the settings of the apps that read them."""

from __future__ import annotations

import importlib
import re

import pytest

from tests.infra.hcl import ROOT, blocks

WORKLOADS = ROOT / "infra" / "workloads"


def app_env_keys(module_name: str) -> set[str]:
    for block in blocks(WORKLOADS, "module"):
        if module_name in block:
            value = block[module_name]["env"]
            if isinstance(value, dict):
                return set(value)
            env = str(value)
            return set(re.findall(r"\b([A-Z][A-Z0-9_]+)\b\s*[=:]", env)) | (
                {"GUARDRAIL_ID", "GUARDRAIL_VERSION"} if "local.guardrail_env" in env else set()
            )
    raise AssertionError(f"module {module_name} not found in infra/workloads")


@pytest.mark.parametrize(
    ("module_name", "settings_path"),
    [
        ("claude_chat", "claude_chat.settings:ChatSettings"),
        ("kb_assistant", "kb_assistant.settings:KbSettings"),
        ("agent_assistant", "agent_assistant.settings:AgentSettings"),
        ("shop_rag", "shop_rag.settings:ShopSettings"),
        ("myretail_chat", "myretail_chat.settings:MyRetailSettings"),
    ],
)
def test_every_variable_a_pod_gets_is_a_setting_of_its_app(
    module_name: str, settings_path: str
) -> None:
    """A typo in a ConfigMap key would be ignored by the app and its default used silently."""
    module, cls = settings_path.split(":")
    fields = {name.upper() for name in getattr(importlib.import_module(module), cls).model_fields}
    keys = app_env_keys(module_name)
    assert keys and keys <= fields, f"{module_name} sets unknown settings {sorted(keys - fields)}"
