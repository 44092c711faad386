"""Contracts of the bedrock stack and the apps that use it, beyond what plan would see."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.infra.hcl import ROOT, blocks, load

KB_MODULE = ROOT / "modules" / "bedrock-knowledge-base"
WORKLOADS = ROOT / "infra" / "workloads"


def resource(directory: Path, kind: str, name: str) -> dict[str, Any]:
    for block in blocks(directory, "resource"):
        if kind in block and name in block[kind]:
            return block[kind][name]
    raise AssertionError(f"{kind}.{name} not found in {directory}")


def test_the_index_waits_for_access_policies_and_the_knowledge_base_for_the_index() -> None:
    index = resource(KB_MODULE, "opensearch_index", "this")
    assert index["depends_on"] == ["${time_sleep.policies_propagated}"]
    wait = resource(KB_MODULE, "time_sleep", "policies_propagated")
    triggers = " ".join(str(v) for v in wait["triggers"].values())
    assert "aws_opensearchserverless_access_policy.data" in triggers
    assert "aws_opensearchserverless_security_policy.network" in triggers
    kb = resource(KB_MODULE, "aws_bedrockagent_knowledge_base", "this")
    assert kb["depends_on"] == ["${time_sleep.index_and_role_ready}"]


def test_ingested_metadata_does_not_replace_the_index() -> None:
    lifecycle = resource(KB_MODULE, "opensearch_index", "this")["lifecycle"][0]
    assert "mappings" in str(lifecycle["ignore_changes"])
    assert lifecycle["replace_triggered_by"] == ["${terraform_data.index_mappings}"]


def test_the_data_source_retains_vectors_so_a_destroy_cannot_wedge() -> None:
    source = resource(KB_MODULE, "aws_bedrockagent_data_source", "documents")
    assert source["data_deletion_policy"] == "RETAIN"


def test_the_collection_is_private_unless_asked() -> None:
    text = (KB_MODULE / "variables.tf").read_text()
    block = text[text.index('variable "allow_public_access"') :]
    assert re.search(r"default\s*=\s*false", block.split("}")[0])
    for env in sorted((ROOT / "environments").iterdir()):
        assert load(env / "bedrock.tfvars").get("collection_public_access") is False


def test_kb_role_and_network_policy_name_bedrock_as_the_only_service() -> None:
    text = (KB_MODULE / "collection.tf").read_text()
    assert 'SourceServices  = ["bedrock.amazonaws.com"]' in text


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
    ],
)
def test_every_variable_a_pod_gets_is_a_setting_of_its_app(
    module_name: str, settings_path: str
) -> None:
    """A typo in a ConfigMap key would be ignored by the app and its default used silently."""
    import importlib

    module, cls = settings_path.split(":")
    fields = {name.upper() for name in getattr(importlib.import_module(module), cls).model_fields}
    keys = app_env_keys(module_name)
    assert keys and keys <= fields, f"{module_name} sets unknown settings {sorted(keys - fields)}"


def test_kb_assistant_may_retrieve_only_from_its_knowledge_base() -> None:
    text = (WORKLOADS / "kb_assistant.tf").read_text()
    assert 'resources = [data.aws_ssm_parameter.bedrock["knowledge-base-arn"].value]' in text
    assert 'var.kb_mode == "retrieve_and_generate" ? [1] : []' in text
