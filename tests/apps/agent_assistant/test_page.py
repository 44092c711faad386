"""The agent assistant with AppTest: one session per conversation, steps, links, local forms."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import agent_assistant
import boto3
import pytest
import streamlit as st
from case_sheets_domain.fields import LABELS
from genai_common.conversation import MAX_PROMPT_CHARS
from streamlit.testing.v1 import AppTest

from tests.apps.agent_assistant.test_stream import ACTION, RATIONALE, RESULT
from tests.apps.case_sheets.conftest import BUCKET, TABLE
from tests.apps.case_sheets.conftest import aws as aws  # the moto fixture, shared
from tests.apps.case_sheets.events import CASE
from tests.fakes.agent_runtime import FakeAgentRuntime, chunk

PAGE = str(Path(agent_assistant.__file__).with_name("page.py"))


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeAgentRuntime:
    monkeypatch.setenv("AGENT_ID", "AGENT12345")
    monkeypatch.setenv("AGENT_ALIAS_ID", "ALIAS12345")
    client = boto3.client("bedrock-agent-runtime", region_name="us-east-1")
    fake = FakeAgentRuntime(client)
    monkeypatch.setattr("genai_common.aws.aws_client", lambda service, settings, **_: client)
    return fake


def page() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=30).run()


def ask(app: AppTest, text: str) -> AppTest:
    app.chat_input[0].set_value(text).run()
    return app


def answers(app: AppTest) -> list[str]:
    return [m.markdown[0].value for m in app.chat_message if m.name == "assistant" and m.markdown]


def test_the_whole_conversation_is_one_agent_session(fake: FakeAgentRuntime) -> None:
    fake.reply(chunk("Which client was it for?"))
    fake.reply(RATIONALE, ACTION, RESULT, chunk("Created case cs-abc123def456."))
    app = ask(page(), "Create a case sheet")
    assert app.chat_input[0].proto.max_chars == MAX_PROMPT_CHARS
    ask(app, "AnyCompany Bank, fraud detection, ...")
    assert answers(app) == ["Which client was it for?", "Created case cs-abc123def456."]
    sessions = {r["url"].split("/sessions/")[1].split("/")[0] for r in fake.requests}
    assert len(sessions) == 1
    assert app.get("link_button")[0].proto.url == "https://example.test/s.xlsx?sig"
    assert not app.expander  # steps are hidden unless asked for

    app.sidebar.toggle[0].set_value(True).run()
    assert app.expander[0].label == "Steps (3)"
    app.sidebar.button[0].click().run()  # a new conversation is a new session
    assert len(app.chat_message) == 0
    fake.reply(chunk("Hello again."))
    ask(app, "Hi")
    assert len({r["url"].split("/sessions/")[1].split("/")[0] for r in fake.requests}) == 2


def test_a_failure_mid_answer_keeps_the_text_and_explains(fake: FakeAgentRuntime) -> None:
    fake.reply(chunk("Creating"), error=("throttlingException", "Rate exceeded"))
    app = ask(page(), "Create a case sheet")
    assert answers(app) == ["Creating"]
    assert "throttl" in app.error[0].value.lower()


def test_missing_agent_settings_are_named() -> None:
    app = page()
    assert "AGENT_ID and AGENT_ALIAS_ID" in app.error[0].value


@pytest.fixture
def local_forms(aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setenv("AGENT_MODE", "local")
    monkeypatch.setenv("CASE_TABLE", TABLE)
    monkeypatch.setenv("CASE_BUCKET", BUCKET)
    return aws


def test_local_forms_create_and_look_up_a_case(local_forms: dict[str, Any]) -> None:
    app = page()
    assert "Conversation needs Bedrock" in app.info[0].value
    inputs = {w.label: w for w in [*app.text_input, *app.text_area]}
    for name, label in LABELS.items():
        inputs[label].input(CASE[name])
    app.button[0].click().run()
    assert app.success[0].value.startswith("Case sheet cs-")
    case_id = app.success[0].value.split()[2].rstrip(":")
    assert local_forms["dynamodb"].scan(TableName=TABLE)["Count"] == 1

    lookup = next(w for w in app.text_input if w.label == "Case sheet id")
    lookup.input(case_id)
    app.button[1].click().run()
    assert any(s.value.startswith(f"Case sheet {case_id}") for s in app.success)


def test_local_forms_report_bad_input(local_forms: dict[str, Any]) -> None:
    app = page()
    app.button[0].click().run()
    assert app.error[0].value.startswith("- Client is required")


def fill(app: AppTest, values: dict[str, str]) -> None:
    inputs = {w.label: w for w in [*app.text_input, *app.text_area]}
    for name, label in LABELS.items():
        inputs[label].input(values[name])


def test_the_form_lists_every_problem_by_label_without_the_status_code(
    local_forms: dict[str, Any],
) -> None:
    app = page()
    fill(app, {**dict.fromkeys(LABELS, ""), "budget": "250.000", "kpi": "=1+1\x00"})
    app.button[0].click().run()
    [error] = app.error
    lines = error.value.splitlines()
    assert lines[:4] == [
        "- Client is required",
        "- Case name is required",
        "- Challenge is required",
        "- Solution is required",
    ]
    assert (
        lines[4]
        == '- Budget (USD) "250.000" is ambiguous: write 250000 or 250.00 (dollars and cents)'
    )
    assert lines[5].startswith("- KPI contains a character a spreadsheet cannot hold (U+0000")
    assert "400" not in error.value and "(casename)" not in error.value
    assert local_forms["dynamodb"].scan(TableName=TABLE)["Count"] == 0


def test_submitting_the_same_case_twice_creates_one_case_sheet(
    local_forms: dict[str, Any],
) -> None:
    app = page()
    fill(app, CASE)
    app.button[0].click().run()
    first = app.success[0].value
    app.button[0].click().run()
    assert app.success[0].value == first and first.startswith("Case sheet cs-")
    assert local_forms["dynamodb"].scan(TableName=TABLE)["Count"] == 1
    assert local_forms["s3"].list_objects_v2(Bucket=BUCKET)["KeyCount"] == 1

    fill(app, {**CASE, "casename": "Another case"})
    app.button[0].click().run()
    assert app.success[0].value != first
    assert local_forms["dynamodb"].scan(TableName=TABLE)["Count"] == 2
