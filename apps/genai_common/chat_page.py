"""What every Streamlit assistant page shares: showing a turn and streaming an answer.

Imported by pages only, so apps without a UI never import Streamlit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

import streamlit as st
from langchain_core.language_models import BaseChatModel

from genai_common.aws import Retry, retry_notices
from genai_common.chat_models import chat_model
from genai_common.conversation import Turn
from genai_common.errors import Target, explain
from genai_common.settings import PlatformSettings, SettingsError, load_settings

S = TypeVar("S", bound=PlatformSettings)


@st.cache_resource
def _load(cls: type[S]) -> S:
    return load_settings(cls)


def page_settings(cls: type[S]) -> S:
    """The page's settings, read once per process; a wrong configuration is shown, and the page stops."""
    try:
        return _load(cls)
    except SettingsError as error:
        st.error(str(error))
        st.stop()


@st.cache_resource
def page_chat_model(_settings: PlatformSettings, model_id: str) -> BaseChatModel:
    """One chat model per model id and process (the settings do not change while it runs)."""
    return chat_model(_settings, model_id)


def render_turn(turn: Turn) -> None:
    """A user or assistant bubble, or an error box for a notice."""
    if turn.role == "notice":
        st.error(turn.content)
        return
    with st.chat_message(turn.role):
        st.markdown(turn.content)


def stream_answer(chunks: Iterable[str], target: Target) -> tuple[str, str | None]:
    """Write ``chunks`` as they arrive; returns what arrived and, if the call failed, why.

    Call inside the assistant's chat bubble. Until the first piece arrives the bubble says
    it is waiting, and says so again on each retry, so a throttled call is never a silent
    empty bubble. A failure mid-stream keeps the partial answer.
    """
    pieces: list[str] = []
    status = st.empty()
    status.caption(f"Waiting for the {target.kind}…")

    def on_retry(retry: Retry) -> None:
        status.caption(
            f"Bedrock is busy ({retry.reason}); retrying, attempt {retry.attempt} "
            f"of {retry.max_attempts}…"
        )

    def collect() -> Iterator[str]:
        for text in chunks:
            if not pieces:
                status.empty()
            pieces.append(text)
            yield text

    try:
        with retry_notices(on_retry):
            st.write_stream(collect())
    except Exception as error:  # every failure is shown, none ends the session
        return "".join(pieces), explain(error, target)
    finally:
        status.empty()
    return "".join(pieces), None
