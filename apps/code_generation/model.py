"""Code models behind one call: Bedrock's Converse API, the offline stand-in, or an
OpenAI-compatible server through the platform's chat-model factory.

Bedrock is called with plain Converse rather than LangChain so the Lambda zip carries no
LangChain, and the stop reason (a guardrail intervention, a cut-off answer) stays visible.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol

from genai_common.aws import aws_client
from genai_common.metering import Meter, Usage, build_meter

from code_generation.languages import Language
from code_generation.prompt import system_prompt, user_prompt
from code_generation.settings import CodeGenerationSettings

if TYPE_CHECKING:
    from genai_common.settings import PlatformSettings


@dataclass(frozen=True)
class Answer:
    text: str
    # Converse's stopReason: end_turn, max_tokens, guardrail_intervened, ...
    stop_reason: str


class CodeModel(Protocol):
    def __call__(self, model_id: str, instruction: str, language: Language) -> Answer: ...


@dataclass(frozen=True)
class BedrockCodeModel:
    client: Any
    meter: Meter
    max_tokens: int
    temperature: float
    guardrail: dict[str, str] | None

    def __call__(self, model_id: str, instruction: str, language: Language) -> Answer:
        request: dict[str, Any] = {
            "modelId": model_id,
            "system": [{"text": system_prompt(language)}],
            "messages": [
                {"role": "user", "content": [{"text": user_prompt(instruction, language)}]}
            ],
            "inferenceConfig": {"maxTokens": self.max_tokens, "temperature": self.temperature},
        }
        if self.guardrail:
            request["guardrailConfig"] = self.guardrail
        response = self.meter.measure(model_id, lambda: self.client.converse(**request))
        content = response["output"]["message"]["content"]
        text = "".join(block.get("text", "") for block in content)
        return Answer(text=text, stop_reason=response["stopReason"])


@dataclass(frozen=True)
class LangChainCodeModel:
    """An OpenAI-compatible server (vLLM, Ollama) through genai_common's factory."""

    settings: PlatformSettings

    def __call__(self, model_id: str, instruction: str, language: Language) -> Answer:
        from genai_common.chat_models import chat_model
        from langchain_core.messages import HumanMessage, SystemMessage

        reply = chat_model(self.settings, model_id).invoke(
            [
                SystemMessage(system_prompt(language)),
                HumanMessage(user_prompt(instruction, language)),
            ]
        )
        return Answer(text=reply.text, stop_reason="end_turn")


@dataclass(frozen=True)
class OfflineCodeModel:
    """The labelled stand-in, metered like a model: its tokens are the words in and out."""

    meter: Meter

    def __call__(self, model_id: str, instruction: str, language: Language) -> Answer:
        from genai_common.offline import count_tokens

        prompt = count_tokens(system_prompt(language)) + count_tokens(instruction)
        return self.meter.measure(
            model_id,
            lambda: offline_code_model(model_id, instruction, language),
            usage=lambda answer: Usage(prompt, count_tokens(answer.text)),
        )


def offline_code_model(model_id: str, instruction: str, language: Language) -> Answer:
    """The labelled stand-in: a block of comments quoting the instruction, no generated code."""
    from genai_common.offline import OFFLINE_LABEL, REAL_MODEL_HINT

    lines = [
        f"{OFFLINE_LABEL} No code was generated. {REAL_MODEL_HINT}",
        f"Instruction ({language.name}):",
        *instruction.splitlines(),
    ]
    body = "\n".join(f"{language.comment} {line}".rstrip() for line in lines)
    return Answer(text=f"```{language.fences[0]}\n{body}\n```\n", stop_reason="end_turn")


def meter(settings: CodeGenerationSettings) -> Meter:
    """The function's meter: its tokens as metrics, its budgets on the platform's DynamoDB
    client; the Model dimension names the foundation model behind each inference profile."""
    dynamodb = None
    if settings.token_budget_table:
        dynamodb = aws_client("dynamodb", settings, interactive=True)
    models = {
        o.model_id: o.foundation_model_id for o in settings.catalog() if o.foundation_model_id
    }
    # build_meter reads the metering fields, which these settings carry as MeteringSettings does.
    return build_meter(settings, dynamodb, models=models)  # type: ignore[arg-type]


def code_model(settings: CodeGenerationSettings, timeout: float) -> CodeModel:
    """The configured provider's model; a Bedrock read gives up after ``timeout`` seconds."""
    if settings.chat_provider == "bedrock":
        bounded = replace(settings, aws_read_timeout=min(settings.aws_read_timeout, timeout))
        return BedrockCodeModel(
            client=aws_client("bedrock-runtime", bounded, interactive=True),
            meter=meter(settings),
            max_tokens=settings.chat_max_tokens,
            temperature=settings.code_temperature,
            guardrail=settings.guardrail(),
        )
    if settings.chat_provider == "openai":
        # The factory reads the platform's settings (pydantic): a local run has it, and the
        # deployed function calls Bedrock alone, so its zip needs none.
        from genai_common.settings import PlatformSettings, load_settings

        return LangChainCodeModel(load_settings(PlatformSettings))  # metered by the factory
    return OfflineCodeModel(meter(settings))
