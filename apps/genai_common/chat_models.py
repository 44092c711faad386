"""The chat-model factory: one place that turns settings into a LangChain chat model."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from langchain_core.language_models import BaseChatModel

from genai_common.aws import aws_client
from genai_common.metering.aws import process_meter
from genai_common.metering.langchain import MeteringCallback
from genai_common.offline import OfflineChatModel
from genai_common.settings import PlatformSettings


class _BedrockControlPlane:
    """The ``bedrock`` control-plane client, built on its first use.

    ChatBedrockConverse calls it only to look up an application inference profile's base model,
    but builds one when none is given: loading that second service model costs ~90 ms of every
    chat's first turn.
    """

    def __init__(self, settings: PlatformSettings) -> None:
        self._settings = settings

    @cached_property
    def _client(self) -> Any:
        return aws_client("bedrock", self._settings, interactive=True)

    def __getattr__(self, name: str) -> Any:
        # Only the client's API: copy and pickle probe private and special names, which must
        # neither build the client nor recurse before __init__ has run.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._client, name)


def chat_model(settings: PlatformSettings, model_id: str) -> BaseChatModel:
    """A streaming-capable chat model for ``model_id`` from the configured provider.

    Chat models serve people waiting on a page, so they use the interactive retry budget.

    Provider libraries are imported lazily so an image carries only the one it uses. Every model
    carries the process's meter: its budgets are checked before each call and its tokens charged
    after (genai_common.metering).
    """
    callbacks = [MeteringCallback(process_meter(settings), model_id)]
    if settings.chat_provider == "bedrock":
        from langchain_aws import ChatBedrockConverse

        behind = next(
            (m.foundation_model_id for m in settings.catalog() if m.model_id == model_id), None
        )
        # An application inference profile's ARN does not name its model's provider.
        profile = {"base_model_id": behind, "provider": behind.split(".")[0]} if behind else {}
        return ChatBedrockConverse(
            model=model_id,
            **profile,
            client=aws_client("bedrock-runtime", settings, interactive=True),
            bedrock_client=_BedrockControlPlane(settings),
            region_name=settings.aws_region,
            max_tokens=settings.chat_max_tokens,
            temperature=settings.chat_temperature,
            guardrail_config=settings.guardrail(),
            callbacks=callbacks,
        )
    if settings.chat_provider == "openai":
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(
            model=model_id,
            base_url=str(settings.openai_base_url),
            api_key=settings.openai_api_key,
            max_tokens=settings.chat_max_tokens,
            temperature=settings.chat_temperature,
            timeout=settings.aws_read_timeout,
            # Retries after the first attempt, where botocore counts attempts.
            max_retries=settings.aws_interactive_max_attempts - 1,
            streaming=True,
            # Servers send the tokens used only when asked (the meter charges them).
            stream_usage=True,
            callbacks=callbacks,
        )
    return OfflineChatModel(callbacks=callbacks)
