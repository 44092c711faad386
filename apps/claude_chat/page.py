"""The Streamlit page. Streamlit reruns this script on every interaction."""

from __future__ import annotations

import streamlit as st
from genai_common.chat_models import chat_model
from genai_common.errors import explain
from genai_common.settings import SettingsError, load_settings
from langchain_core.language_models import BaseChatModel

from claude_chat.conversation import Turn, check_prompt, stream_text, to_messages
from claude_chat.settings import ChatSettings

st.set_page_config(page_title="Chat", page_icon="💬")


@st.cache_resource
def _settings() -> ChatSettings:
    return load_settings(ChatSettings)


@st.cache_resource
def _model(model_id: str) -> BaseChatModel:
    return chat_model(_settings(), model_id)


def _reset() -> None:
    st.session_state.turns = []


def _render(turn: Turn) -> None:
    if turn.role == "notice":
        st.error(turn.content)
        return
    with st.chat_message(turn.role):
        st.markdown(turn.content)


def _answer(model_id: str) -> None:
    """Stream the answer to the conversation so far; keep whatever arrived, report a failure."""
    pieces: list[str] = []

    def collect():  # type: ignore[no-untyped-def]
        for text in stream_text(_model(model_id), to_messages(st.session_state.turns)):
            pieces.append(text)
            yield text

    notice = None
    with st.chat_message("assistant"):
        try:
            st.write_stream(collect())
        except Exception as error:  # every failure is shown, none ends the session
            notice = explain(error, model_id)
    if pieces:
        st.session_state.turns.append(Turn("assistant", "".join(pieces)))
    if notice:
        st.session_state.turns.append(Turn("notice", notice))
        st.error(notice)


def main() -> None:
    try:
        settings = _settings()
    except SettingsError as error:
        st.error(str(error))
        st.stop()
    catalog = {option.label: option.model_id for option in settings.catalog()}
    st.session_state.setdefault("turns", [])

    with st.sidebar:
        label = st.selectbox("Model", list(catalog), key="model")
        st.write(f"You are talking to **{label}**")
        st.button("Reset conversation", on_click=_reset, type="primary")
        if settings.chat_provider == "offline":
            st.caption(
                "Offline stand-in: answers come from no model. Set CHAT_PROVIDER for real ones."
            )

    st.title(settings.chat_title)
    for turn in st.session_state.turns:
        _render(turn)

    if prompt := st.chat_input("Type your message"):
        problem = check_prompt(prompt)
        if problem:
            st.warning(problem)
            return
        turn = Turn("user", prompt.strip())
        st.session_state.turns.append(turn)
        _render(turn)
        _answer(catalog[label])


main()
