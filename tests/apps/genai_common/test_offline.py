from __future__ import annotations

from genai_common.offline import OFFLINE_LABEL, OfflineChatModel, offline_answer
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

CONTEXT = (
    "<context>MyElite Gold members earn 3 points per dollar. Silver members earn 1 point per dollar. "
    "Points expire after 24 months.</context>"
)


def test_answers_from_the_sentences_that_match_the_question() -> None:
    answer = offline_answer([HumanMessage(f"{CONTEXT} When do points expire?")])
    assert answer == f"{OFFLINE_LABEL} Points expire after 24 months."


def test_says_it_does_not_know_when_the_context_does_not_cover_the_question() -> None:
    answer = offline_answer(
        [SystemMessage(CONTEXT), HumanMessage("Which airline flies to Lisbon?")]
    )
    assert "I don't know" in answer


def test_without_context_acknowledges_every_user_turn() -> None:
    messages = [HumanMessage("hi"), AIMessage("hello"), HumanMessage("how are you?")]
    answer = offline_answer(messages)
    assert answer.startswith(OFFLINE_LABEL)
    assert '"how are you?"' in answer and "2 user turn(s)" in answer


def test_stream_and_invoke_give_the_same_answer() -> None:
    model = OfflineChatModel()
    messages = [HumanMessage("tell me a story")]
    streamed = "".join(chunk.text for chunk in model.stream(messages))
    assert streamed == model.invoke(messages).text
    assert len(list(model.stream(messages))) > 5


NUMBERED = (
    "<context>\n[1] Security: requirements\nThe practice needs three Security Specialty holders. "
    "Four case studies are required.\n\n"
    "[2] Security: requirements (next passage)\nFour case studies are required. Two of the "
    "case studies must be public.\n</context>"
)


def test_cites_numbered_passages_without_quoting_their_headings() -> None:
    answer = offline_answer([HumanMessage(f"{NUMBERED}\n\nWhat are the security requirements?")])
    assert answer == f"{OFFLINE_LABEL} [1] The practice needs three Security Specialty holders."


def test_a_sentence_repeated_by_overlapping_passages_is_quoted_once() -> None:
    answer = offline_answer([HumanMessage(f"{NUMBERED}\n\nWhich case studies are required?")])
    assert answer == (
        f"{OFFLINE_LABEL} [1] Four case studies are required. "
        "[2] Two of the case studies must be public."
    )
