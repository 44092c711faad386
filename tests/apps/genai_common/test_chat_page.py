"""The assistant pages' streamed answer is stored however its run ends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import streamlit as st
from genai_common.chat_page import stream_answer
from genai_common.errors import Target
from streamlit.runtime.scriptrunner_utils.exceptions import RerunException


def test_an_answer_cut_short_by_the_next_message_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    def next_message_arrives(stream: Iterator[str]) -> None:
        # What Streamlit does when a message is sent while the answer streams: at the page's
        # next element it stops the run with a control exception, which is no Exception.
        for _ in zip(range(2), stream, strict=False):
            pass
        raise RerunException(None)

    monkeypatch.setattr(st, "write_stream", next_message_arrives)
    kept: list[tuple[str, str | None]] = []
    with pytest.raises(RerunException):
        stream_answer(iter(["Paris", ".", " It is"]), Target.model("m"), lambda *k: kept.append(k))
    assert kept == [("Paris.", None)]


def test_a_whole_answer_and_a_failure_are_each_kept_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(st, "write_stream", lambda stream: list(stream))
    kept: list[tuple[str, str | None]] = []
    assert stream_answer(iter(["Pa", "ris"]), Target.model("m"), lambda *k: kept.append(k)) == (
        "Paris",
        None,
    )

    def fails() -> Iterator[str]:
        yield "Par"
        raise ConnectionError("the model went away")

    text, notice = stream_answer(fails(), Target.model("m"), lambda *k: kept.append(k))
    assert text == "Par" and notice
    assert kept == [("Paris", None), ("Par", notice)]
