"""What every Streamlit assistant page shares: showing a turn and streaming an answer.

Imported by pages only, so apps without a UI never import Streamlit.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from typing import TypeVar

import streamlit as st
from langchain_core.language_models import BaseChatModel

from genai_common.aws import Retry, retry_notices
from genai_common.chat_models import chat_model
from genai_common.conversation import Turn
from genai_common.errors import Target, explain
from genai_common.metering import Usage, metering_scope
from genai_common.settings import PlatformSettings, SettingsError, load_settings

S = TypeVar("S", bound=PlatformSettings)
# Session state: the session's key for the per-user budget, its tokens, and the sidebar line.
_USER, _TOKENS, _COUNTER = "meter_user", "session_tokens", "session_tokens_line"


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


def session_tokens() -> None:
    """A sidebar line with the tokens this session has used; answers update it as they end."""
    st.session_state.setdefault(_TOKENS, 0)
    st.session_state[_COUNTER] = st.sidebar.empty()
    _show_tokens()


def _show_tokens() -> None:
    line = st.session_state.get(_COUNTER)
    if line is not None:
        line.caption(f"Tokens used in this session: {st.session_state.get(_TOKENS, 0):,}")


def _count(usage: Usage) -> None:
    st.session_state[_TOKENS] = st.session_state.get(_TOKENS, 0) + usage.total
    _show_tokens()


def metered() -> AbstractContextManager[None]:
    """Model calls in this block are charged to this browser session and counted on the page."""
    user = st.session_state.setdefault(_USER, uuid.uuid4().hex)
    return metering_scope(user, _count)


def render_turn(turn: Turn) -> None:
    """A user or assistant bubble, or an error box for a notice."""
    if turn.role == "notice":
        st.error(turn.content)
        return
    with st.chat_message(turn.role):
        st.markdown(turn.content)


def keep_answer(
    text: str,
    notice: str | None,
    answer: Callable[[str], Turn] = lambda text: Turn("assistant", text),
) -> None:
    """Store an answer (``answer(text)``, unless nothing arrived) and a failure's notice in the
    session's turns: the ``keep`` of :func:`stream_answer` for a page that shows its turns."""
    if text:
        st.session_state.turns.append(answer(text))
    if notice:
        st.session_state.turns.append(Turn("notice", notice))


def stream_answer(
    chunks: Iterable[str], target: Target, keep: Callable[[str, str | None], None]
) -> tuple[str, str | None]:
    """Write ``chunks`` as they arrive; returns what arrived and, if the call failed, why.

    Call inside the assistant's chat bubble. Until the first piece arrives the bubble says
    it is waiting, and says so again on each retry, so a throttled call is never a silent
    empty bubble. A failure mid-stream keeps the partial answer. The call is metered for this
    session: a spent token budget is the failure's message, and no model is called.

    ``keep`` stores the two in the session, and is called even when the next message ends this
    run mid-answer: Streamlit then stops the script with a control exception (not an
    Exception), and an answer stored only after this returned would vanish from the page.
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

    notice = None
    try:
        with retry_notices(on_retry), metered():
            st.write_stream(collect())
    except Exception as error:  # every failure is shown, none ends the session
        notice = explain(error, target)
    finally:
        keep("".join(pieces), notice)
        status.empty()
    return "".join(pieces), notice
