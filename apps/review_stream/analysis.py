"""Summarise a review and classify its sentiment: with a Bedrock model, or the offline stand-in.

The Bedrock analyzer asks for the answer through a tool whose input schema is the
:class:`Analysis` JSON schema, and forces the model to call it: the reply is structured data
checked against that schema, not prose that has to be parsed.
"""

from __future__ import annotations

import asyncio
import random
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from botocore.exceptions import ClientError, ConnectionError, HTTPClientError
from genai_common.metering import Meter
from pydantic import ValidationError
from reviews_domain.model import Analysis, Review

TOOL_NAME = "record_review_analysis"
SYSTEM_PROMPT = (
    "Summarize the review inside the <review> tags in one concise sentence and give its "
    "sentiment, positive or negative. Record both with the record_review_analysis tool.\n"
    "<example>summary: The reviewer disliked the film, finding it unrealistic, preachy and "
    "very boring to watch. sentiment: negative</example>"
)
_RETRIED_CODES = frozenset(
    {
        "ThrottlingException",
        "ServiceUnavailableException",
        "ModelNotReadyException",
        "TooManyRequestsException",
    }
)
_RETRIED_STATUS = frozenset({429, 503})
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_WHITESPACE = re.compile(r"[\x00-\x20\x7f-\x9f]+")


class AnalysisFailed(RuntimeError):
    """The model gave no usable analysis: the reason goes into the record's dead letter."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Analyzer(Protocol):
    """Anything that turns a review into an analysis."""

    name: str

    async def analyze(self, review: Review) -> Analysis: ...


def tool_config() -> dict[str, Any]:
    """The Converse toolConfig: one tool taking an :class:`Analysis`, which the model must call."""
    return {
        "tools": [
            {
                "toolSpec": {
                    "name": TOOL_NAME,
                    "description": "Record the summary and sentiment of one customer review.",
                    "inputSchema": {"json": Analysis.model_json_schema()},
                }
            }
        ],
        "toolChoice": {"tool": {"name": TOOL_NAME}},
    }


def _retryable(error: Exception) -> bool:
    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code", "")
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return code in _RETRIED_CODES or status in _RETRIED_STATUS
    # Connection resets and read timeouts are as transient as throttling.
    return isinstance(error, ConnectionError | HTTPClientError)


def _describe(error: Exception) -> str:
    if isinstance(error, ClientError):
        details = error.response.get("Error", {})
        return f"{details.get('Code', 'error')}: {details.get('Message', '')}".strip()
    return f"{type(error).__name__}: {error}"


class BedrockAnalyzer:
    """Analyzes reviews with a model through the Converse API.

    ``client`` is a boto3 ``bedrock-runtime`` client whose own retries are off: this class
    retries throttling itself, with exponential backoff and full jitter, so the retry budget
    and the delays are the ones configured here. Calls run in a pool of ``concurrency``
    threads (boto3 blocks); asyncio's default pool has only min(32, cores + 4) threads, which
    would cap the calls in flight far below the stream's async capacity.
    """

    name = "Amazon Bedrock"

    def __init__(
        self,
        client: Any,
        model_id: str,
        *,
        concurrency: int,
        max_attempts: int = 6,
        base_delay_s: float = 0.5,
        max_delay_s: float = 20.0,
        max_tokens: int = 512,
        sleep: Callable[[float], Any] = asyncio.sleep,
        meter: Meter,
    ) -> None:
        self._client = client
        self._meter = meter
        self._model_id = model_id
        self._max_attempts = max_attempts
        self._base_delay_s = base_delay_s
        self._max_delay_s = max_delay_s
        self._max_tokens = max_tokens
        self._sleep = sleep
        self._pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="bedrock")
        self.retries = 0

    def request(self, review: Review) -> dict[str, Any]:
        """The Converse request for one review."""
        # A review that closes the tag itself must not end the quoted text early.
        text = review.text.replace("</review>", "</ review>")
        return {
            "modelId": self._model_id,
            "system": [{"text": SYSTEM_PROMPT}],
            "messages": [{"role": "user", "content": [{"text": f"<review>\n{text}\n</review>"}]}],
            "inferenceConfig": {"temperature": 0.0, "maxTokens": self._max_tokens},
            "toolConfig": tool_config(),
        }

    async def analyze(self, review: Review) -> Analysis:
        request = self.request(review)
        loop = asyncio.get_running_loop()
        for attempt in range(1, self._max_attempts + 1):
            try:
                response = await loop.run_in_executor(
                    self._pool,
                    # Each attempt is a model call: metered (tokens, latency, throttles) alone.
                    lambda: self._meter.measure(
                        self._model_id, lambda: self._client.converse(**request)
                    ),
                )
            except (ClientError, ConnectionError, HTTPClientError) as error:
                if not _retryable(error):
                    raise AnalysisFailed(_describe(error)) from error
                if attempt == self._max_attempts:
                    raise AnalysisFailed(
                        f"still failing after {attempt} attempts: {_describe(error)}"
                    ) from error
                self.retries += 1
                ceiling = min(self._max_delay_s, self._base_delay_s * 2 ** (attempt - 1))
                await self._sleep(random.uniform(0, ceiling))  # noqa: S311 (jitter, not secrets)
                continue
            return parse_tool_output(response)
        raise AssertionError("unreachable: the loop returns or raises")

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def parse_tool_output(response: dict[str, Any]) -> Analysis:
    """The analysis in a Converse reply, or :class:`AnalysisFailed` if it holds none that is valid."""
    stop = response.get("stopReason")
    if stop == "max_tokens":
        raise AnalysisFailed("the reply was cut off at the token limit")
    content = response.get("output", {}).get("message", {}).get("content", [])
    calls = [block["toolUse"] for block in content if "toolUse" in block]
    call = next((c for c in calls if c.get("name") == TOOL_NAME), None)
    if call is None:
        raise AnalysisFailed(f"the model did not call {TOOL_NAME} (stopReason {stop})")
    try:
        return Analysis.model_validate(call.get("input"))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'input'}: {e['msg']}" for e in exc.errors()
        )
        raise AnalysisFailed(f"invalid {TOOL_NAME} input: {problems}"[:1000]) from None


class OfflineAnalyzer:
    """The labelled stand-in for local mode and tests: VADER's lexicon decides the sentiment
    (compound score >= 0.05 is positive) and the summary is the review's first sentence."""

    name = "offline stand-in (VADER, no model)"

    def __init__(self) -> None:
        # Imported here: the Flink job ships without VADER, which only the stand-in uses.
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self._vader = SentimentIntensityAnalyzer()

    def analyze_now(self, review: Review) -> Analysis:
        compound = self._vader.polarity_scores(review.text)["compound"]
        return Analysis(
            summary=first_sentence(review.text),
            sentiment="positive" if compound >= 0.05 else "negative",
        )

    async def analyze(self, review: Review) -> Analysis:
        return self.analyze_now(review)


def first_sentence(text: str, limit: int = 500) -> str:
    """The text's first sentence on one line, cut at a word boundary to at most ``limit`` chars."""
    line = _WHITESPACE.sub(" ", text).strip()
    sentence = _SENTENCE_END.split(line, maxsplit=1)[0]
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: limit - 1].rsplit(" ", 1)[0] or sentence[: limit - 1]
    return cut + "…"
