"""InvokeAgent streams: answer pieces, steps, sheet links and in-stream errors."""

from __future__ import annotations

import itertools
import json
from typing import Any

import boto3
import pytest
from agent_assistant.stream import SheetLink, Step, Text, invoke
from botocore.exceptions import EventStreamError
from genai_common.metering import Usage, build_meter, metering_scope
from genai_common.metering.settings import MeteringSettings
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fakes.agent_runtime import FakeAgentRuntime, chunk, trace

# Metrics to nowhere, budgets off: tests/apps/genai_common/test_metering.py tests the meter.
METER = build_meter(MeteringSettings(), sink=lambda _: None)

CREATED = {
    "id": "cs-abc123def456",
    "client": "AnyCompany Bank",
    "sheetUrl": "https://example.test/s.xlsx?sig",
}
RATIONALE = trace(
    {
        "orchestrationTrace": {
            "rationale": {
                "text": "The user gave all six fields; create the sheet.",
                "traceId": "t1",
            }
        }
    }
)
ACTION = trace(
    {
        "orchestrationTrace": {
            "invocationInput": {
                "invocationType": "ACTION_GROUP",
                "traceId": "t1",
                "actionGroupInvocationInput": {
                    "actionGroupName": "case-sheets",
                    "apiPath": "/generateCaseSheet",
                    "verb": "post",
                    "requestBody": {
                        "content": {
                            "application/json": [
                                {"name": "client", "type": "string", "value": "AnyCompany Bank"}
                            ]
                        }
                    },
                },
            },
        }
    }
)
RESULT = trace(
    {
        "orchestrationTrace": {
            "observation": {
                "type": "ACTION_GROUP",
                "traceId": "t1",
                "actionGroupInvocationOutput": {"text": json.dumps(CREATED)},
            }
        }
    }
)


@pytest.fixture
def runtime() -> tuple[Any, FakeAgentRuntime]:
    client = boto3.client("bedrock-agent-runtime", region_name="us-east-1")
    return client, FakeAgentRuntime(client)


def test_answer_steps_and_the_created_sheet(runtime: tuple[Any, FakeAgentRuntime]) -> None:
    client, fake = runtime
    fake.reply(
        RATIONALE,
        ACTION,
        RESULT,
        chunk("Created case "),
        chunk("cs-abc123def456 for AnyCompany Bank."),
    )
    events = list(invoke(client, "AGENT12345", "ALIAS12345", "session-1", "Create it", meter=METER))
    assert [e.text for e in events if isinstance(e, Text)] == [
        "Created case ",
        "cs-abc123def456 for AnyCompany Bank.",
    ]
    steps = [e for e in events if isinstance(e, Step)]
    assert [s.kind for s in steps] == ["thinking", "action", "action result"]
    assert steps[1].detail == 'case-sheets: POST /generateCaseSheet {"client": "AnyCompany Bank"}'
    assert [e for e in events if isinstance(e, SheetLink)] == [
        SheetLink("cs-abc123def456", CREATED["sheetUrl"])
    ]
    request = fake.requests[0]
    assert request["url"].endswith(
        "/agents/AGENT12345/agentAliases/ALIAS12345/sessions/session-1/text"
    )
    assert request["inputText"] == "Create it" and request["enableTrace"] is True
    assert request["streamingConfigurations"] == {"streamFinalResponse": True}


def test_knowledge_base_and_guardrail_steps(runtime: tuple[Any, FakeAgentRuntime]) -> None:
    client, fake = runtime
    fake.reply(
        trace(
            {
                "orchestrationTrace": {
                    "invocationInput": {
                        "traceId": "t2",
                        "knowledgeBaseLookupInput": {
                            "text": "DevOps staff",
                            "knowledgeBaseId": "KBID123456",
                        },
                    }
                }
            }
        ),
        trace(
            {
                "orchestrationTrace": {
                    "observation": {
                        "traceId": "t2",
                        "knowledgeBaseLookupOutput": {
                            "retrievedReferences": [{"content": {"text": "three staff"}}]
                        },
                    }
                }
            }
        ),
        trace({"guardrailTrace": {"action": "INTERVENED", "traceId": "g1"}}),
        chunk("Sorry."),
    )
    steps = [
        e
        for e in invoke(client, "AGENT12345", "ALIAS12345", "session-2", "q", meter=METER)
        if isinstance(e, Step)
    ]
    assert [(s.kind, s.detail) for s in steps] == [
        ("knowledge base", "searching for: DevOps staff"),
        ("knowledge base", "1 passages found"),
        ("guardrail", "The guardrail blocked part of this exchange."),
    ]


def test_an_error_inside_the_stream_reaches_the_caller_after_the_text_so_far(
    runtime: tuple[Any, FakeAgentRuntime],
) -> None:
    client, fake = runtime
    fake.reply(chunk("Partial"), error=("throttlingException", "Rate exceeded"))
    received: list[str] = []
    with pytest.raises(EventStreamError, match="Rate exceeded"):
        for event in invoke(client, "AGENT12345", "ALIAS12345", "session-3", "q", meter=METER):
            if isinstance(event, Text):
                received.append(event.text)
    assert received == ["Partial"]


def test_an_action_result_that_is_not_json_gives_no_link(
    runtime: tuple[Any, FakeAgentRuntime],
) -> None:
    client, fake = runtime
    fake.reply(
        trace(
            {
                "orchestrationTrace": {
                    "observation": {"actionGroupInvocationOutput": {"text": "oops"}}
                }
            }
        ),
        chunk("ok"),
    )
    events = list(invoke(client, "AGENT12345", "ALIAS12345", "session-4", "q", meter=METER))
    assert not [e for e in events if isinstance(e, SheetLink)]


@settings(max_examples=40, deadline=None)
@given(text=st.text(min_size=1, max_size=60), cuts=st.lists(st.integers(0, 240), max_size=6))
def test_text_split_anywhere_between_chunks_arrives_intact(text: str, cuts: list[int]) -> None:
    """Bedrock cuts the answer into byte slices: a multi-byte character may straddle two."""
    client = boto3.client("bedrock-agent-runtime", region_name="us-east-1")
    fake = FakeAgentRuntime(client)
    data = text.encode("utf-8", errors="surrogatepass")
    bounds = sorted({0, len(data), *(c for c in cuts if c < len(data))})
    fake.reply(*(("chunk", {"bytes": data[a:b]}) for a, b in itertools.pairwise(bounds)))
    events = invoke(client, "AGENT12345", "ALIAS12345", "session-5", "q", meter=METER)
    received = "".join(e.text for e in events if isinstance(e, Text))
    assert received == data.decode("utf-8", errors="replace")


def test_the_tokens_of_the_agents_model_invocations_are_charged(runtime: Any) -> None:
    client, fake = runtime
    invocation = {"metadata": {"usage": {"inputTokens": 900, "outputTokens": 40}}}
    fake.reply(
        trace({"preProcessingTrace": {"modelInvocationOutput": invocation}}),
        trace({"orchestrationTrace": {"modelInvocationOutput": invocation}}),
        chunk("Done."),
    )
    seen: list[Usage] = []
    with metering_scope("user-1", seen.append):
        list(invoke(client, "AGENT12345", "ALIAS12345", "session-9", "q", meter=METER))
    assert seen == [Usage(1800, 80)]
