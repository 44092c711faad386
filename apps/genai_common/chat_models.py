"""The chat-model factory: one place that turns settings into a LangChain chat model."""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel

from genai_common.aws import aws_client
from genai_common.offline import OfflineChatModel
from genai_common.settings import PlatformSettings


def chat_model(settings: PlatformSettings, model_id: str) -> BaseChatModel:
    """A streaming-capable chat model for ``model_id`` from the configured provider.

    Chat models serve people waiting on a page, so they use the interactive retry budget.

    Provider libraries are imported lazily so an image carries only the one it uses.
    """
    if settings.chat_provider == "bedrock":
        from langchain_aws import ChatBedrockConverse

        return ChatBedrockConverse(
            model=model_id,
            client=aws_client("bedrock-runtime", settings, interactive=True),
            region_name=settings.aws_region,
            max_tokens=settings.chat_max_tokens,
            temperature=settings.chat_temperature,
            guardrail_config=settings.guardrail(),
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
        )
    return OfflineChatModel()
