"""The Streamlit page. Streamlit reruns this script on every interaction."""

from __future__ import annotations

import streamlit as st
from competency_domain.sources import Source, source_of
from genai_common.aws import aws_client
from genai_common.chat_page import (
    keep_answer,
    metered,
    page_chat_model,
    page_settings,
    render_turn,
    session_tokens,
    stream_answer,
)
from genai_common.conversation import MAX_PROMPT_CHARS, Turn, check_prompt, stream_text
from genai_common.errors import Target, explain
from langchain_core.retrievers import BaseRetriever

from kb_assistant.answer import REWRITER, AnswerTurn, focus, grounded_messages
from kb_assistant.generate import retrieve_and_generate
from kb_assistant.retrieval import QdrantRetriever, retriever
from kb_assistant.settings import KbSettings


def _settings() -> KbSettings:
    return page_settings(KbSettings)


st.set_page_config(page_title="AWS Competency assistant", page_icon="📚")


@st.cache_resource(show_spinner=False)
def _retriever() -> BaseRetriever:
    # One per process: an embedded Qdrant store admits a single client.
    found = retriever(_settings())
    if isinstance(found, QdrantRetriever):
        found.warm()
    return found


@st.cache_resource
def _agent_runtime():  # type: ignore[no-untyped-def]
    return aws_client("bedrock-agent-runtime", _settings(), interactive=True)


def _knowledge_base(settings: KbSettings) -> Target:
    """What a failed search was addressed to, for the advice shown."""
    if settings.knowledge_base_id and settings.kb_retriever == "bedrock":
        return Target.knowledge_base(settings.knowledge_base_id)
    return Target(
        "knowledge base", f"local collection {settings.kb_collection}", "QDRANT_PATH or QDRANT_URL"
    )


def _reset() -> None:
    st.session_state.turns = []
    st.session_state.rag_session = None


def _show_sources(sources: tuple[Source, ...], search: str | None = None) -> None:
    if search:
        st.caption(f"Searched for: {search}")
    if not sources:
        return
    with st.expander(f"Sources ({len(sources)})"):
        for source in sources:
            link = (
                f"[{source.title}]({source.url})" if source.url.startswith("http") else source.title
            )
            st.markdown(f"**{source.program}**: {link}")
            st.caption(source.snippet)


def _render(turn: Turn) -> None:
    render_turn(turn)
    if isinstance(turn, AnswerTurn):
        _show_sources(turn.sources, turn.search)


def _store(
    answer: str, sources: tuple[Source, ...], notice: str | None, search: str | None = None
) -> None:
    keep_answer(answer, notice, lambda text: AnswerTurn("assistant", text, sources, search))


def _show(
    answer: str, sources: tuple[Source, ...], notice: str | None, search: str | None = None
) -> None:
    if answer:
        _show_sources(sources, search)
    if notice:
        st.error(notice)


def _keep(
    answer: str, sources: tuple[Source, ...], notice: str | None, search: str | None = None
) -> None:
    _store(answer, sources, notice, search)
    _show(answer, sources, notice, search)


def _standalone(question: str, model_id: str) -> str:
    """The question retrieval searches for: a follow-up rewritten with the conversation (by
    the chat model, or without one by the offline stand-in's rule)."""
    settings = _settings()
    history = st.session_state.turns[:-1]
    if settings.chat_provider == "offline" or not any(t.role == "user" for t in history):
        return REWRITER.rewrite(None, history, question)
    with st.spinner("Reading the conversation..."):
        return REWRITER.rewrite(page_chat_model(settings, model_id), history, question)


def _answer_with_retrieve(question: str, model_id: str) -> None:
    """Rewrite a follow-up, retrieve passages, then stream the model's answer grounded on them."""
    try:
        query = _standalone(question, model_id)
    except Exception as error:  # shown to the user; the session goes on
        _keep("", (), f"Reading the conversation failed: {explain(error, Target.model(model_id))}")
        return
    try:
        with st.spinner("Searching the knowledge base..."):
            passages = focus(query, _retriever().invoke(query))
    except Exception as error:  # shown to the user; the session goes on
        notice = explain(error, _knowledge_base(_settings()))
        _keep("", (), f"Searching the knowledge base failed: {notice}")
        return
    sources = tuple(source_of(p) for p in passages)
    messages = grounded_messages(st.session_state.turns, passages)
    searched = query if query != question else None
    with st.chat_message("assistant"):
        text, notice = stream_answer(
            stream_text(page_chat_model(_settings(), model_id), messages),
            Target.model(model_id),
            lambda answer, failure: _store(answer, sources, failure, searched),
        )
    _show(text, sources, notice, searched)


def _answer_with_retrieve_and_generate(question: str, model_id: str) -> None:
    """One RetrieveAndGenerate call; its session carries the conversation."""
    if st.session_state.get("rag_model") != model_id:
        st.session_state.rag_session = None  # a session belongs to one configuration
    with st.chat_message("assistant"), st.spinner("Searching and answering..."):
        try:
            with metered():
                result = retrieve_and_generate(
                    _agent_runtime(), _settings(), question, model_id, st.session_state.rag_session
                )
        except Exception as error:  # shown to the user; the session goes on
            notice = explain(error, _knowledge_base(_settings()))
        else:
            st.markdown(result.text)
            notice = None
    if notice:
        _keep("", (), notice)
        return
    st.session_state.rag_session = result.session_id
    st.session_state.rag_model = model_id
    _keep(result.text, result.sources, None)


def main() -> None:
    settings = _settings()
    catalog = {option.label: option.model_id for option in settings.catalog()}
    st.session_state.setdefault("turns", [])
    st.session_state.setdefault("rag_session", None)

    with st.sidebar:
        label = st.selectbox("Model", list(catalog), key="model")
        if settings.kb_mode == "retrieve_and_generate":
            st.write(f"Bedrock RetrieveAndGenerate with **{label}**")
        else:
            where = "local index" if settings.kb_retriever == "local" else "knowledge base"
            st.write(
                f"Top {settings.kb_number_of_results} passages from the {where}, answered by **{label}**"
            )
        st.button("Reset conversation", on_click=_reset, type="primary")
        session_tokens()
        if settings.chat_provider == "offline":
            st.caption(
                "Offline stand-in: answers quote the retrieved passages, no model writes them."
            )

    st.title(settings.kb_title)
    st.caption("Ask about the AWS Competency program: requirements, categories, validation.")
    if settings.kb_retriever == "local":
        # On the first visit, not the first question: loading the model takes seconds.
        with st.spinner("Loading the embedding model..."):
            _retriever()
    for turn in st.session_state.turns:
        _render(turn)

    if prompt := st.chat_input("Ask about an AWS Competency", max_chars=MAX_PROMPT_CHARS):
        problem = check_prompt(prompt)
        if problem:
            st.warning(problem)
            return
        turn = Turn("user", prompt.strip())
        st.session_state.turns.append(turn)
        _render(turn)
        if settings.kb_mode == "retrieve_and_generate":
            _answer_with_retrieve_and_generate(turn.content, catalog[label])
        else:
            _answer_with_retrieve(turn.content, catalog[label])


main()
