"""The Streamlit page. Streamlit reruns this script on every interaction."""

from __future__ import annotations

import uuid

import streamlit as st
from case_sheets_domain.fields import ID_LABEL, LABELS
from genai_common.aws import aws_client
from genai_common.chat_page import (
    keep_answer,
    page_settings,
    render_turn,
    session_tokens,
    stream_answer,
)
from genai_common.conversation import MAX_PROMPT_CHARS, Turn, check_prompt
from genai_common.errors import Target
from genai_common.metering.aws import process_meter

from agent_assistant.settings import AgentSettings
from agent_assistant.stream import SheetLink, Step, Text, invoke


def _settings() -> AgentSettings:
    return page_settings(AgentSettings)


st.set_page_config(page_title="AWS Competency case sheets", page_icon="🗂️")


@st.cache_resource
def _client():  # type: ignore[no-untyped-def]
    return aws_client("bedrock-agent-runtime", _settings(), interactive=True)


def _new_session() -> None:
    # One id per conversation: the agent remembers a session, so a new id on every rerun
    # (as in the reference) would make it forget the user's previous answers.
    st.session_state.session_id = uuid.uuid4().hex
    st.session_state.turns = []
    st.session_state.extras = {}


def _show_extras(index: int) -> None:
    steps, links = st.session_state.extras.get(index, ((), ()))
    for link in links:
        st.link_button(f"Download case sheet {link.case_id}", link.url)
    if steps and st.session_state.get("show_trace"):
        with st.expander(f"Steps ({len(steps)})"):
            for step in steps:
                st.markdown(f"**{step.kind}**: {step.detail}")


def _answer(settings: AgentSettings, question: str) -> None:
    steps: list[Step] = []
    links: list[SheetLink] = []

    def texts():  # type: ignore[no-untyped-def]
        for event in invoke(
            _client(),
            str(settings.agent_id),
            str(settings.agent_alias_id),
            st.session_state.session_id,
            question,
            meter=process_meter(settings),
        ):
            if isinstance(event, Text):
                yield event.text
            elif isinstance(event, SheetLink):
                links.append(event)
            else:
                steps.append(event)

    answer_at = len(st.session_state.turns)  # where keep puts the answer, if one arrives

    def keep(text: str, notice: str | None) -> None:
        if text:
            st.session_state.extras[answer_at] = (tuple(steps), tuple(links))
        keep_answer(text, notice)

    with st.chat_message("assistant"):
        text, notice = stream_answer(
            texts(), Target.agent(str(settings.agent_id), str(settings.agent_alias_id)), keep
        )
    if text:
        _show_extras(answer_at)
    if notice:
        st.error(notice)


def _chat(settings: AgentSettings) -> None:
    for index, turn in enumerate(st.session_state.turns):
        render_turn(turn)
        _show_extras(index)
    if prompt := st.chat_input("Create a case sheet, or ask about one", max_chars=MAX_PROMPT_CHARS):
        problem = check_prompt(prompt)
        if problem:
            st.warning(problem)
            return
        turn = Turn("user", prompt.strip())
        st.session_state.turns.append(turn)
        render_turn(turn)
        _answer(settings, turn.content)


def _result(status: int, body: dict[str, object]) -> None:
    problems = body.get("problems")
    if status == 400 and isinstance(problems, list):
        # Every field to correct at once, by its label: the status code means nothing here.
        st.error("\n".join(f"- {problem['message']}" for problem in problems))
        return
    if status != 200:
        # The handler's message says what happened and what to do; a status code adds nothing.
        message = str(body.get("error") or "the action failed")
        st.error(message[:1].upper() + message[1:])
        return
    st.success(f"Case sheet {body['id']}: {body['client']}, {body['casename']}")
    st.json({k: v for k, v in body.items() if k != "sheetUrl"})
    st.link_button(f"Download case sheet {body['id']}", str(body["sheetUrl"]))


def _forms() -> None:
    # Here, not at the top: the actions write workbooks (openpyxl), which the image on AWS,
    # where the agent's Lambda performs them, does not carry.
    from case_sheets_domain.actions import perform

    def act(api_path: str, values: dict[str, str]) -> None:
        # The page's session, as the agent's: submitting the same values again (a double
        # click, a resubmit after a rerun) finds the same case instead of creating another.
        _result(*perform(api_path, "POST", lambda: values, st.session_state.session_id))

    st.info(
        "Local mode: there is no agent runtime offline, so the agent's two actions are forms "
        "that perform them as its Lambda does, against the local AWS endpoint. Conversation "
        "needs Bedrock (AGENT_MODE=bedrock with AGENT_ID and AGENT_ALIAS_ID)."
    )
    create, check = st.tabs(["Create a case sheet", "Look up a case"])
    with create, st.form("generateCaseSheet"):
        values = {
            name: st.text_area(label) if name in ("challenge", "solution") else st.text_input(label)
            for name, label in LABELS.items()
        }
        if st.form_submit_button("Create case sheet"):
            act("/generateCaseSheet", values)
    with check, st.form("checkCase"):
        case_id = st.text_input(ID_LABEL)
        if st.form_submit_button("Look up"):
            act("/checkCase", {"caseSheetId": case_id})


def main() -> None:
    settings = _settings()
    if "session_id" not in st.session_state:
        _new_session()
    st.session_state.setdefault("show_trace", settings.agent_show_trace)

    st.title(settings.agent_title)
    if settings.agent_mode == "local":
        _forms()
        return
    with st.sidebar:
        st.toggle("Show the agent's steps", key="show_trace")
        st.button("New conversation", on_click=_new_session, type="primary")
        st.caption(f"Session {st.session_state.session_id[:8]}")
        session_tokens()
    _chat(settings)


main()
