"""The grounded prompt, and the offline stand-in answering from it."""

from __future__ import annotations

import pytest
from genai_common.conversation import Turn
from genai_common.offline import OFFLINE_LABEL, offline_answer
from kb_assistant.answer import SYSTEM_PROMPT, grounded_messages
from langchain_core.documents import Document
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

PASSAGES = [
    Document("Four customer case studies are required. Two of them must be public."),
    Document("The practice needs three staff with the Security Specialty certification."),
]


def test_only_the_last_question_carries_the_passages() -> None:
    turns = [
        Turn("user", "What is the DevOps competency?"),
        Turn("assistant", "A program."),
        Turn("user", "How many case studies?"),
    ]
    messages = grounded_messages(turns, PASSAGES)
    assert [type(m) for m in messages] == [SystemMessage, HumanMessage, AIMessage, HumanMessage]
    assert messages[0].content == SYSTEM_PROMPT
    assert messages[1].content == "What is the DevOps competency?"
    last = messages[-1].text
    assert last.startswith("<context>\n[1] Four customer case studies")
    assert "[2] The practice needs three staff" in last
    assert last.endswith("</context>\n\nHow many case studies?")


def test_the_offline_stand_in_quotes_and_numbers_the_passage_that_answers() -> None:
    answer = offline_answer(
        grounded_messages(
            [Turn("user", "How many staff need the Security Specialty certification?")], PASSAGES
        )
    )
    assert (
        answer
        == f"{OFFLINE_LABEL} [2] The practice needs three staff with the Security Specialty certification."
    )


def test_the_prompt_keeps_the_seed_rules() -> None:
    for rule in ("concisely", "numbers", "don't know", "AWS Competency program"):
        assert rule in SYSTEM_PROMPT


def test_a_conversation_must_end_with_a_question() -> None:
    with pytest.raises(ValueError):
        grounded_messages([Turn("user", "q"), Turn("assistant", "a")], PASSAGES)
