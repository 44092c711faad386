"""The grounded prompt, and the offline stand-in answering from it."""

from __future__ import annotations

import pytest
from genai_common.conversation import Turn
from genai_common.offline import OFFLINE_LABEL, offline_answer
from hypothesis import given
from hypothesis import strategies as st
from kb_assistant.answer import SYSTEM_PROMPT, focus, grounded_messages
from langchain_core.documents import Document
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

SECURITY = {"program_name": "Security", "title": "AWS Security Competency: program requirements"}
DEVOPS = {"program_name": "DevOps", "title": "AWS DevOps Competency: program requirements"}
DATA = {"program_name": "Data and Analytics", "title": "AWS Data and Analytics Competency"}
PASSAGES = [
    Document(
        "Four customer case studies are required. Two of them must be public.", metadata=DEVOPS
    ),
    Document(
        "The practice needs three staff with the Security Specialty certification.",
        metadata=SECURITY,
    ),
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
    assert last.startswith(
        "<context>\n[1] DevOps: AWS DevOps Competency: program requirements\n"
        "Four customer case studies"
    )
    assert "\n\n[2] Security: AWS Security Competency: program requirements\nThe practice" in last
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


def test_a_question_naming_a_program_keeps_only_that_programs_passages() -> None:
    devops, security = PASSAGES
    data = Document("Four Data Engineer Associate holders are needed.", metadata=DATA)
    passages = [devops, security, data, security]
    assert focus("How many staff does the Security competency need?", passages) == [
        security,
        security,
    ]
    assert focus("certified staff for data analytics?", passages) == [data]
    assert focus("Compare DevOps and Security staffing", passages) == [devops, security, security]


def test_a_question_naming_no_retrieved_program_keeps_every_passage() -> None:
    assert focus("How many staff are needed?", PASSAGES) == PASSAGES
    assert focus("What does the Energy competency require?", PASSAGES) == PASSAGES
    assert focus("What does the data competency require?", PASSAGES) == PASSAGES


def test_the_offline_stand_in_answers_a_named_program_from_its_passages_only() -> None:
    devops = Document(
        "The practice must have at least three staff holding the DevOps Engineer certification.",
        metadata=DEVOPS,
    )
    security = Document(
        "The practice must have at least three staff holding the Security Specialty certification.",
        metadata=SECURITY,
    )
    question = "How many staff must a Security competency practice have?"
    answer = offline_answer(
        grounded_messages([Turn("user", question)], focus(question, [devops, security]))
    )
    assert answer == f"{OFFLINE_LABEL} [1] {security.page_content}"


PROGRAMS = ["Security", "DevOps", "Data and Analytics", "Machine Learning", "Energy"]


@given(
    st.lists(st.sampled_from(PROGRAMS), min_size=1, max_size=8),
    st.lists(st.sampled_from([*PROGRAMS, "staff", "case studies", "audit"]), max_size=4),
)
def test_focus_keeps_the_named_programs_passages_in_order_or_all(
    programs: list[str], question_words: list[str]
) -> None:
    passages = [
        Document(f"passage {i}", metadata={"program_name": p}) for i, p in enumerate(programs)
    ]
    question = "What does " + " and ".join(question_words) + " require?"
    kept = focus(question, passages)
    named = {p for p in programs if p in question_words}
    if named:
        assert kept == [d for d in passages if d.metadata["program_name"] in named]
    else:
        assert kept == passages
