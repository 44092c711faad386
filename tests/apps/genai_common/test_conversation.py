from __future__ import annotations

from collections.abc import Iterator

from genai_common.conversation import (
    MAX_PROMPT_CHARS,
    Turn,
    _first_line,
    check_prompt,
    to_messages,
)
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage


def test_the_whole_conversation_is_sent_with_the_system_prompt() -> None:
    turns = [Turn("user", "hi"), Turn("assistant", "hello"), Turn("user", "and now?")]
    messages = to_messages(turns, system_prompt="sys")
    assert [type(m) for m in messages] == [SystemMessage, HumanMessage, AIMessage, HumanMessage]
    assert [m.content for m in messages] == ["sys", "hi", "hello", "and now?"]


def test_a_failed_turn_is_merged_so_roles_alternate_and_notices_are_not_sent() -> None:
    turns = [Turn("user", "first"), Turn("notice", "Bedrock is throttling"), Turn("user", "again")]
    messages = to_messages(turns, "sys")
    assert [m.content for m in messages[1:]] == ["first\n\nagain"]


def test_the_conversation_starts_with_a_user_turn() -> None:
    messages = to_messages([Turn("assistant", "orphan"), Turn("user", "q")], "sys")
    assert isinstance(messages[1], HumanMessage) and len(messages) == 2


def test_prompt_checks() -> None:
    assert check_prompt("hello") is None
    assert check_prompt("   ") == "The message is empty."
    assert "too long" in (check_prompt("x" * (MAX_PROMPT_CHARS + 1)) or "")


def test_a_rewrite_stops_reading_the_model_at_the_end_of_its_first_line() -> None:
    read: list[str] = []

    def answer() -> Iterator[str]:
        try:
            for piece in ["  \n", "black ", "jackets\n", "Explanation: the user ", "asked"]:
                read.append(piece)
                yield piece
        finally:
            read.append("closed")

    assert _first_line(answer()) == "black jackets"
    # What follows the query is never generated: the stream is closed after its first line.
    assert read == ["  \n", "black ", "jackets\n", "closed"]
