"""The Bedrock path through the factory, against ConverseStream replies parsed by botocore."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError, EventStreamError
from genai_common import chat_models
from genai_common.offline import OfflineChatModel
from genai_common.settings import PlatformSettings, load_settings
from langchain_aws import ChatBedrockConverse
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI

from tests.fakes.bedrock_runtime import FakeBedrockRuntime

MODEL = "us.anthropic.claude-sonnet-4-6"


@pytest.fixture
def bedrock(fake_bedrock: FakeBedrockRuntime) -> FakeBedrockRuntime:
    return fake_bedrock


def test_provider_selects_the_model_class(monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(
        chat_models.chat_model(load_settings(PlatformSettings), MODEL), ChatBedrockConverse
    )
    monkeypatch.setenv("CHAT_PROVIDER", "offline")
    assert isinstance(
        chat_models.chat_model(load_settings(PlatformSettings), "offline"), OfflineChatModel
    )
    monkeypatch.setenv("CHAT_PROVIDER", "openai")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1")
    monkeypatch.setenv("OPENAI_MODEL", "llama3.1")
    model = chat_models.chat_model(load_settings(PlatformSettings), "llama3.1")
    assert isinstance(model, ChatOpenAI) and str(model.openai_api_base).startswith(
        "http://127.0.0.1:11434"
    )


def test_bedrock_streams_deltas_and_sends_the_whole_conversation(
    bedrock: FakeBedrockRuntime,
) -> None:
    bedrock.stream("Paris", " is the capital", " of France.")
    model = chat_models.chat_model(load_settings(PlatformSettings), MODEL)
    messages = [
        SystemMessage("Be brief."),
        HumanMessage("I am planning a trip."),
        AIMessage("Where to?"),
        HumanMessage("What is the capital of France?"),
    ]
    pieces = [chunk.text for chunk in model.stream(messages) if chunk.text]
    assert pieces == ["Paris", " is the capital", " of France."]
    request = bedrock.requests[0]
    assert request["system"] == [{"text": "Be brief."}]
    assert [m["role"] for m in request["messages"]] == ["user", "assistant", "user"]
    assert request["messages"][-1]["content"] == [{"text": "What is the capital of France?"}]
    assert request["inferenceConfig"] == {"maxTokens": 2048, "temperature": 0.5}


def test_bedrock_throttling_mid_stream_surfaces_as_an_error(bedrock: FakeBedrockRuntime) -> None:
    bedrock.stream("Par", error=("throttlingException", "Too many requests, please wait."))
    model = chat_models.chat_model(load_settings(PlatformSettings), MODEL)
    received = []
    with pytest.raises(EventStreamError) as caught:
        for chunk in model.stream([HumanMessage("hi")]):
            received.append(chunk.text)
    assert "Par" in received
    assert caught.value.response["Error"]["Code"] == "throttlingException"


def test_bedrock_model_not_enabled_is_an_access_denied(bedrock: FakeBedrockRuntime) -> None:
    bedrock.error(
        403,
        "AccessDeniedException",
        "You don't have access to the model with the specified model ID.",
    )
    model = chat_models.chat_model(load_settings(PlatformSettings), MODEL)
    with pytest.raises(ClientError) as caught:
        list(model.stream([HumanMessage("hi")]))
    assert caught.value.response["Error"]["Code"] == "AccessDeniedException"


def test_bedrock_requests_carry_the_configured_guardrail(
    bedrock: FakeBedrockRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GUARDRAIL_ID", "abc123xyz")
    monkeypatch.setenv("GUARDRAIL_VERSION", "3")
    blocked = "Sorry, I can't help with that request."
    bedrock.stream(blocked, stop_reason="guardrail_intervened")
    model = chat_models.chat_model(load_settings(PlatformSettings), MODEL)
    answer = "".join(chunk.text for chunk in model.stream([HumanMessage("Which stocks now?")]))
    assert answer == blocked
    assert bedrock.requests[0]["guardrailConfig"] == {
        "guardrailIdentifier": "abc123xyz",
        "guardrailVersion": "3",
    }


def test_without_a_guardrail_requests_carry_none(bedrock: FakeBedrockRuntime) -> None:
    bedrock.stream("Hi")
    model = chat_models.chat_model(load_settings(PlatformSettings), MODEL)
    list(model.stream([HumanMessage("Hello")]))
    assert "guardrailConfig" not in bedrock.requests[0]


def test_a_foundation_model_builds_no_control_plane_client(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The control-plane client (model lookups only) is left unbuilt: it costs a first turn."""
    built: list[str] = []

    def client(service: str, settings: PlatformSettings, **_: object) -> object:
        built.append(service)
        return boto3.client(service, region_name=settings.aws_region)

    monkeypatch.setattr(chat_models, "aws_client", client)
    model = chat_models.chat_model(load_settings(PlatformSettings), MODEL)
    assert built == ["bedrock-runtime"]
    assert model.client.meta.service_model.service_name == "bedrock-runtime"
    # Built on first use (a profile's model lookup), once.
    assert model.bedrock_client.meta.service_model.service_name == "bedrock"
    assert model.bedrock_client.meta is model.bedrock_client.meta
    assert built == ["bedrock-runtime", "bedrock"]


def test_an_application_inference_profile_is_called_for_the_model_behind_it(
    bedrock: FakeBedrockRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Terraform's CHAT_MODELS names each app's own profile ARN and the model behind it: the
    client shapes requests for that model without a GetInferenceProfile call."""
    profile = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6"
    behind = "anthropic.claude-haiku-4-5-20251001-v1:0"
    monkeypatch.setenv(
        "CHAT_MODELS",
        f'[{{"label": "Haiku", "model_id": "{profile}", "foundation_model_id": "{behind}"}}]',
    )
    bedrock.stream("Hello")
    model = chat_models.chat_model(load_settings(PlatformSettings), profile)
    assert isinstance(model, ChatBedrockConverse)
    assert (model.model_id, model.base_model_id, model.provider) == (profile, behind, "anthropic")
    assert [c.text for c in model.stream([HumanMessage("hi")]) if c.text] == ["Hello"]
