"""The Streamlit page with AppTest: local mode, the Bedrock retrieve path and RetrieveAndGenerate."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import kb_assistant
import pytest
import streamlit as st
from botocore.stub import Stubber
from genai_common.aws import aws_client
from genai_common.conversation import MAX_PROMPT_CHARS
from genai_common.offline import OFFLINE_LABEL
from genai_common.settings import PlatformSettings, load_settings
from kb_assistant import retrieval
from streamlit.testing.v1 import AppTest

from tests.apps.kb_assistant.responses import KB_ID, devops, security
from tests.fakes.bedrock_runtime import FakeBedrockRuntime

PAGE = str(Path(kb_assistant.__file__).with_name("page.py"))
HAIKU = "us.anthropic.claude-haiku-4-5-20251001-v1:0"


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def page() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=60).run()


def ask(app: AppTest, text: str) -> AppTest:
    app.chat_input[0].set_value(text).run()
    return app


def answers(app: AppTest) -> list[str]:
    return [m.markdown[0].value for m in app.chat_message if m.name == "assistant" and m.markdown]


@pytest.fixture
def agent_runtime(fake_bedrock: FakeBedrockRuntime, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The agent-runtime client every part of the page gets, ready for a Stubber.

    Requested after ``fake_bedrock``, which builds its own client before the factory is patched.
    """
    monkeypatch.setenv("KNOWLEDGE_BASE_ID", KB_ID)
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    client = aws_client("bedrock-agent-runtime", load_settings(PlatformSettings))
    monkeypatch.setattr(retrieval, "aws_client", lambda service, settings, **_: client)
    monkeypatch.setattr("genai_common.aws.aws_client", lambda service, settings, **_: client)
    return client


@pytest.fixture
def spinners(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The text of every st.spinner the page shows (AppTest keeps no transient elements)."""
    shown: list[str] = []

    @contextmanager
    def spinner(text: str, **kwargs: Any) -> Iterator[None]:
        shown.append(text)
        yield

    monkeypatch.setattr(st, "spinner", spinner)
    return shown


def test_local_mode_answers_from_the_sample_corpus_with_sources_and_resets(local_kb: Path) -> None:
    app = page()
    assert app.chat_input[0].proto.max_chars == MAX_PROMPT_CHARS
    assert app.title[0].value == "AWS Competency assistant"
    ask(app, "How many Security Specialty certified staff does the Security Competency require?")
    reply = answers(app)[0]
    assert reply.startswith(OFFLINE_LABEL) and "at least three staff" in reply
    # The question names the Security program: its passages only, not DevOps' look-alikes.
    assert app.expander[0].label == "Sources (3)"
    programs = [m.value.split(":")[0] for m in app.expander[0].markdown]
    assert programs == ["**Security**"] * 3
    cited = " ".join(m.value for m in app.expander[0].markdown)
    assert "apn-checklists.s3.amazonaws.com/competency/security/" in cited

    ask(app, "What is the airspeed velocity of an unladen swallow?")
    assert "I don't know" in answers(app)[1]
    assert [e.label for e in app.expander] == ["Sources (3)", "Sources (4)"]
    app.sidebar.button[0].click().run()
    assert len(app.chat_message) == 0


def test_local_mode_loads_the_model_on_the_first_visit_with_a_spinner(
    local_kb: Path, spinners: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    warmed: list[str] = []
    monkeypatch.setattr(
        retrieval.QdrantRetriever, "warm", lambda self: warmed.append(self.search_type)
    )
    app = page()
    assert warmed == ["hybrid"], "the model loads before the first question"
    assert spinners == ["Loading the embedding model..."]
    ask(app, "How long does the Energy audit take?")
    assert warmed == ["hybrid"]
    assert spinners[1:] == ["Loading the embedding model...", "Searching the knowledge base..."]
    # The offline stand-in rewrites a follow-up by rule: no model to wait for.
    ask(app, "And how often is it renewed?")
    assert "Reading the conversation..." not in spinners


def test_bedrock_path_retrieves_then_streams_a_guarded_grounded_answer(
    agent_runtime: Any,
    fake_bedrock: FakeBedrockRuntime,
    monkeypatch: pytest.MonkeyPatch,
    spinners: list[str],
) -> None:
    monkeypatch.setenv("GUARDRAIL_ID", "gr0abc123")
    monkeypatch.setenv("GUARDRAIL_VERSION", "4")
    question = "How many certified staff are needed?"
    fake_bedrock.stream("At least ", "three Security Specialty holders.")
    with Stubber(agent_runtime) as stub:
        stub.add_response("retrieve", {"retrievalResults": [security(0.7), devops(0.5)]}, None)
        app = ask(page(), question)
    assert answers(app) == ["At least three Security Specialty holders."]
    assert app.expander[0].label == "Sources (2)"
    assert spinners == ["Searching the knowledge base..."]
    sent = fake_bedrock.requests[0]
    assert sent["guardrailConfig"] == {"guardrailIdentifier": "gr0abc123", "guardrailVersion": "4"}
    last = sent["messages"][-1]["content"][0]["text"]
    assert last.startswith(
        "<context>\n[1] Security: AWS Security Competency\nThe practice must have at least three"
    )
    assert "\n\n[2] DevOps: AWS DevOps Competency\nThe practice must" in last
    assert last.endswith(question)


def test_a_question_naming_a_program_is_answered_and_sourced_from_it_only(
    agent_runtime: Any, fake_bedrock: FakeBedrockRuntime
) -> None:
    question = "How many certified staff does the Security Competency need?"
    fake_bedrock.stream("Three.")
    with Stubber(agent_runtime) as stub:
        stub.add_response("retrieve", {"retrievalResults": [devops(0.7), security(0.6)]}, None)
        app = ask(page(), question)
    assert app.expander[0].label == "Sources (1)"
    assert app.expander[0].markdown[0].value.startswith("**Security**")
    prompt = fake_bedrock.requests[0]["messages"][-1]["content"][0]["text"]
    assert "DevOps" not in prompt and "[1] Security: AWS Security Competency" in prompt


def test_a_failed_search_is_reported_and_the_page_keeps_working(
    agent_runtime: Any, fake_bedrock: FakeBedrockRuntime
) -> None:
    with Stubber(agent_runtime) as stub:
        stub.add_client_error("retrieve", "ThrottlingException", "Rate exceeded", 429)
        app = ask(page(), "First question")
        assert "Searching the knowledge base failed" in app.error[0].value
        stub.add_response("retrieve", {"retrievalResults": [security(0.7)]}, None)
        # The second question follows the first: the model rewrites it before the search.
        fake_bedrock.stream("Second question, standing alone")
        fake_bedrock.stream("Three.")
        ask(app, "Second question")
    assert answers(app) == ["Three."]
    assert "Searched for: Second question, standing alone" in [c.value for c in app.caption]


def test_retrieve_and_generate_mode_keeps_the_bedrock_session(
    agent_runtime: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KB_MODE", "retrieve_and_generate")
    first = {
        "output": {"text": "Three Security Specialty holders."},
        "sessionId": "session-1",
        "citations": [{"retrievedReferences": [security()]}],
    }
    second = {"output": {"text": "Four case studies."}, "sessionId": "session-1", "citations": []}
    with Stubber(agent_runtime) as stub:
        stub.add_response("retrieve_and_generate", first, None)
        stub.add_response("retrieve_and_generate", second, None)
        calls: list[dict[str, Any]] = []
        agent_runtime.meta.events.register(
            "provide-client-params.bedrock-agent-runtime.RetrieveAndGenerate",
            lambda params, **kwargs: calls.append(dict(params)),
        )
        app = ask(page(), "Security staff?")
        ask(app, "And case studies?")
    assert answers(app) == ["Three Security Specialty holders.", "Four case studies."]
    assert "sessionId" not in calls[0] and calls[1]["sessionId"] == "session-1"
    config = calls[0]["retrieveAndGenerateConfiguration"]["knowledgeBaseConfiguration"]
    assert config["modelArn"] == HAIKU and config["knowledgeBaseId"] == KB_ID
    assert app.expander[0].label == "Sources (1)"


def test_a_follow_up_is_searched_with_the_conversation_and_answered_from_its_program(
    local_kb: Path,
) -> None:
    app = ask(page(), "Which competency covers generative AI?")
    ask(app, "What are its requirements for partners?")
    assert len(answers(app)) == 2
    searched = [c.value for c in app.caption if c.value.startswith("Searched for:")]
    assert searched == [
        "Searched for: What are its requirements for partners? competency covers generative AI "
        "Machine Learning"
    ]
    follow_up_sources = app.expander[1].markdown
    assert follow_up_sources[0].value.startswith("**Machine Learning**: ")
    assert "program requirements" in follow_up_sources[0].value
