"""The Streamlit page. Streamlit reruns this script on every interaction."""

from __future__ import annotations

import streamlit as st
from genai_common.chat_page import (
    keep_answer,
    page_chat_model,
    page_settings,
    render_turn,
    session_tokens,
    stream_answer,
)
from genai_common.conversation import MAX_PROMPT_CHARS, Turn, check_prompt, stream_text, to_messages
from genai_common.errors import Target

from claude_chat.settings import SYSTEM_PROMPT, ChatSettings


def _settings() -> ChatSettings:
    return page_settings(ChatSettings)


st.set_page_config(page_title="Chat", page_icon="💬")


def _reset() -> None:
    st.session_state.turns = []


def _answer(model_id: str) -> None:
    """Stream the answer to the conversation so far; keep whatever arrived, report a failure."""
    messages = to_messages(st.session_state.turns, SYSTEM_PROMPT)
    with st.chat_message("assistant"):
        _, notice = stream_answer(
            stream_text(page_chat_model(_settings(), model_id), messages),
            Target.model(model_id),
            keep_answer,
        )
    if notice:
        st.error(notice)


def main() -> None:
    settings = _settings()
    catalog = {option.label: option.model_id for option in settings.catalog()}
    st.session_state.setdefault("turns", [])

    with st.sidebar:
        label = st.selectbox("Model", list(catalog), key="model")
        st.write(f"You are talking to **{label}**")
        st.button("Reset conversation", on_click=_reset, type="primary")
        session_tokens()
        if settings.chat_provider == "offline":
            st.caption(
                "Offline stand-in: answers come from no model. Set CHAT_PROVIDER for real ones."
            )

    st.title(settings.title())
    for turn in st.session_state.turns:
        render_turn(turn)

    if prompt := st.chat_input("Type your message", max_chars=MAX_PROMPT_CHARS):
        problem = check_prompt(prompt)
        if problem:
            st.warning(problem)
            return
        turn = Turn("user", prompt.strip())
        st.session_state.turns.append(turn)
        render_turn(turn)
        _answer(catalog[label])


main()
