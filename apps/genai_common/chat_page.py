"""What every Streamlit assistant page shares: showing a turn and streaming an answer.

Imported by pages only, so apps without a UI never import Streamlit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import streamlit as st

from genai_common.conversation import Turn
from genai_common.errors import explain


def render_turn(turn: Turn) -> None:
    """A user or assistant bubble, or an error box for a notice."""
    if turn.role == "notice":
        st.error(turn.content)
        return
    with st.chat_message(turn.role):
        st.markdown(turn.content)


def stream_answer(chunks: Iterable[str], model_id: str) -> tuple[str, str | None]:
    """Write ``chunks`` as they arrive; returns what arrived and, if the call failed, why.

    Call inside the assistant's chat bubble. A failure mid-stream keeps the partial answer.
    """
    pieces: list[str] = []

    def collect() -> Iterator[str]:
        for text in chunks:
            pieces.append(text)
            yield text

    try:
        st.write_stream(collect())
    except Exception as error:  # every failure is shown, none ends the session
        return "".join(pieces), explain(error, model_id)
    return "".join(pieces), None
