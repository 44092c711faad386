"""Follow-ups: rewritten with the conversation before retrieval, by the chat model or, with
no model (the offline stand-in), from the earlier questions' key terms."""

from __future__ import annotations

from pathlib import Path

import pytest
from competency_domain.sources import Source, source_of
from genai_common.conversation import Turn
from genai_common.settings import load_settings
from kb_assistant import retrieval
from kb_assistant.answer import REWRITE_PROMPT, REWRITER, AnswerTurn, key_terms
from kb_assistant.settings import KbSettings
from langchain_core.language_models import FakeListChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import Field

FIRST = "Which competency covers generative AI?"
FOLLOW_UP = "What are its requirements for partners?"


class CountingModel(FakeListChatModel):
    """A chat model with canned replies that keeps the messages it was sent."""

    received: list[list[str]] = Field(default_factory=list)

    def _stream(self, messages, stop=None, run_manager=None, **kwargs):  # type: ignore[no-untyped-def]
        self.received.append([m.text for m in messages])
        return super()._stream(messages, stop, run_manager, **kwargs)


def test_key_terms_drop_the_filler_and_keep_the_words_as_written() -> None:
    assert key_terms(FIRST) == "competency covers generative AI"


def test_the_offline_rewrite_appends_the_earlier_questions_latest_first() -> None:
    history = [
        Turn("user", FIRST),
        Turn("assistant", "The Machine Learning Competency."),
        Turn("notice", "Searching failed"),
        Turn("user", "Is there a category for it?"),
    ]
    rewritten = REWRITER.rewrite(None, history, FOLLOW_UP)
    assert rewritten == f"{FOLLOW_UP} category {key_terms(FIRST)}"


def test_a_first_question_is_searched_as_asked_without_calling_the_model() -> None:
    model = CountingModel(responses=["never sent"])
    assert REWRITER.rewrite(model, [], FIRST) == FIRST
    assert REWRITER.rewrite(model, [Turn("notice", "failed")], FIRST) == FIRST
    assert model.received == []


def test_the_model_rewrites_from_a_transcript_and_only_its_first_line_is_kept() -> None:
    model = CountingModel(
        responses=["Machine Learning Competency partner requirements\nThat program requires..."],
    )
    history = [Turn("user", FIRST), Turn("assistant", "The Machine Learning Competency. " * 40)]
    assert REWRITER.rewrite(model, history, FOLLOW_UP) == (
        "Machine Learning Competency partner requirements"
    )
    (sent,) = model.received
    messages = REWRITER.messages(history, FOLLOW_UP)
    assert isinstance(messages[0], SystemMessage) and messages[0].text == REWRITE_PROMPT
    assert isinstance(messages[1], HumanMessage) and len(messages) == 2
    assert sent == [m.text for m in messages]
    transcript = messages[1].text
    assert f"Partner: {FIRST}" in transcript and f"Latest message: {FOLLOW_UP}" in transcript
    # An earlier answer is cut to an excerpt: enough to know what it was about.
    assert len(transcript) < len(history[1].content)


@pytest.mark.parametrize("reply", ["  \n ", FOLLOW_UP, "what are ITS requirements for partners"])
def test_a_follow_up_the_model_left_unresolved_is_rewritten_offline(reply: str) -> None:
    model = CountingModel(responses=[reply])
    assert REWRITER.rewrite(model, [Turn("user", FIRST)], FOLLOW_UP) == (
        f"{FOLLOW_UP} {key_terms(FIRST)}"
    )


@pytest.mark.parametrize("reply", ["  \n ", "Which competency covers storage?"])
def test_a_question_that_refers_to_nothing_earlier_is_searched_as_the_model_left_it(
    reply: str,
) -> None:
    standalone = "Which competency covers storage?"
    model = CountingModel(responses=[reply])
    assert REWRITER.rewrite(model, [Turn("user", FIRST)], standalone) == standalone


ML_ANSWER = AnswerTurn(
    "assistant",
    "The AWS Machine Learning Competency, which now includes generative AI.",
    (Source("Machine Learning", "program requirements", "", "machine-learning--program", ""),),
)


def test_the_offline_rewrite_adds_the_program_the_latest_answer_came_from() -> None:
    history = [Turn("user", FIRST), ML_ANSWER]
    assert REWRITER.rewrite(None, history, FOLLOW_UP) == (
        f"{FOLLOW_UP} {key_terms(FIRST)} Machine Learning"
    )


@pytest.mark.parametrize(
    ("searched", "program"),
    [
        (REWRITER.rewrite(None, [Turn("user", FIRST), ML_ANSWER], FOLLOW_UP), "Machine Learning"),
        (FOLLOW_UP, None),
    ],
)
def test_the_rewritten_follow_up_finds_the_generative_ai_program(
    local_kb: Path, searched: str, program: str | None
) -> None:
    retriever = retrieval.retriever(load_settings(KbSettings))
    try:
        passages = retriever.invoke(searched)
    finally:
        retriever.client.close()  # type: ignore[attr-defined]
    top = source_of(passages[0])
    if program:
        assert (top.program, top.document) == (program, "machine-learning--program")
    else:
        # As asked, the follow-up names no program: the search lands elsewhere.
        assert top.document != "machine-learning--program"
