"""InvokeAgent's event stream as text pieces, readable steps and links to created sheets."""

from __future__ import annotations

import codecs
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from genai_common.metering import Meter, Usage, current_user

MAX_STEP_CHARS = 400


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Step:
    """One step of the agent's work, for the trace panel."""

    kind: str
    detail: str


@dataclass(frozen=True)
class SheetLink:
    case_id: str
    url: str


AgentEvent = Text | Step | SheetLink


def invoke(
    client: Any, agent_id: str, alias_id: str, session_id: str, text: str, *, meter: Meter
) -> Iterator[AgentEvent]:
    """Ask the agent within ``session_id``; yields the answer as it streams, and its steps.

    The trace is always requested: it carries the action results, where created sheets'
    links are found, and each model invocation's tokens, which ``meter`` charges once the
    answer has ended (a spent budget raises BudgetExceeded before the agent is asked). Errors
    inside the stream are raised by botocore as the events arrive.
    """
    model, user = f"agent/{agent_id}", current_user()
    meter.check(model, user)
    started = time.perf_counter()
    spent = Usage(0, 0)
    try:
        response = client.invoke_agent(
            agentId=agent_id,
            agentAliasId=alias_id,
            sessionId=session_id,
            inputText=text,
            enableTrace=True,
            streamingConfigurations={"streamFinalResponse": True},
        )
        # Chunks are byte slices of one UTF-8 answer: a character may straddle two of them.
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        for event in response["completion"]:
            if "chunk" in event:
                piece = decoder.decode(event["chunk"].get("bytes", b""))
                if piece:
                    yield Text(piece)
            elif "trace" in event:
                trace = event["trace"].get("trace", {})
                spent = _add(spent, _model_usage(trace))
                yield from _trace_events(trace)
        if rest := decoder.decode(b"", final=True):
            yield Text(rest)
    except Exception as error:
        meter.failed(model, user, error)
        raise
    meter.charge(model, user, spent, (time.perf_counter() - started) * 1000)


def _model_usage(trace: dict[str, Any]) -> Usage:
    """The tokens of the model invocations a trace event reports (any of the agent's steps)."""
    inputs = outputs = 0
    for step in trace.values():
        if isinstance(step, dict):
            output = step.get("modelInvocationOutput") or {}
            usage = (output.get("metadata") or {}).get("usage") or {}
            inputs += int(usage.get("inputTokens", 0))
            outputs += int(usage.get("outputTokens", 0))
    return Usage(inputs, outputs)


def _add(a: Usage, b: Usage) -> Usage:
    return Usage(a.input_tokens + b.input_tokens, a.output_tokens + b.output_tokens)


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= MAX_STEP_CHARS else text[: MAX_STEP_CHARS - 1] + "…"


def _trace_events(trace: dict[str, Any]) -> Iterator[AgentEvent]:
    guardrail = trace.get("guardrailTrace")
    if guardrail and guardrail.get("action") == "INTERVENED":
        yield Step("guardrail", "The guardrail blocked part of this exchange.")
    failure = trace.get("failureTrace")
    if failure:
        yield Step("failure", _short(failure.get("failureReason", "the agent failed")))
    orchestration = trace.get("orchestrationTrace") or {}
    rationale = (orchestration.get("rationale") or {}).get("text")
    if rationale:
        yield Step("thinking", _short(rationale))
    invocation = orchestration.get("invocationInput") or {}
    action = invocation.get("actionGroupInvocationInput")
    if action:
        properties = ((action.get("requestBody") or {}).get("content") or {}).get(
            "application/json"
        ) or []
        arguments = {
            p.get("name"): p.get("value") for p in [*properties, *action.get("parameters", [])]
        }
        yield Step(
            "action",
            f"{action.get('actionGroupName', '?')}: {action.get('verb', '').upper()} "
            f"{action.get('apiPath', '')} {_short(arguments)}",
        )
    lookup = invocation.get("knowledgeBaseLookupInput")
    if lookup:
        yield Step("knowledge base", f"searching for: {_short(lookup.get('text', ''))}")
    observation = orchestration.get("observation") or {}
    output = (observation.get("actionGroupInvocationOutput") or {}).get("text")
    if output:
        yield Step("action result", _short(output))
        yield from _sheet_link(output)
    references = (observation.get("knowledgeBaseLookupOutput") or {}).get("retrievedReferences")
    if references is not None:
        yield Step("knowledge base", f"{len(references)} passages found")


def _sheet_link(output: str) -> Iterator[SheetLink]:
    try:
        body = json.loads(output)
    except ValueError:
        return
    if isinstance(body, dict) and isinstance(body.get("sheetUrl"), str) and body.get("id"):
        yield SheetLink(str(body["id"]), body["sheetUrl"])
