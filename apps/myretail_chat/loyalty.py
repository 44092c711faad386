"""The Loyalty program tab: the chat model answers with the MyElite system prompt.

The conversation lives in the browser session and is sent whole with every question.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

from genai_common.conversation import Turn, check_prompt, stream_text, to_messages
from genai_common.errors import Target, explain
from genai_common.model_server import ModelServerError
from langchain_core.language_models import BaseChatModel

from myretail_chat import messages
from myretail_chat.messages import Message
from myretail_chat.settings import LOYALTY_SYSTEM_PROMPT

log = logging.getLogger(__name__)

EMPTY_ANSWER = "The model sent an empty answer. Please ask again."

Turns = tuple[Turn, ...]
# What a reply updates: the chat, the conversation, and the prompt box (emptied once sent).
Update = tuple[list[Message], Turns, str]


def reply(model: BaseChatModel, model_id: str, prompt: str, turns: Turns) -> Iterator[Update]:
    """Stream the model's answer to ``prompt`` after ``turns``.

    A failure keeps whatever part of the answer arrived and adds a notice, which is shown
    but never sent to the model.
    """
    if not prompt.strip():
        yield messages.from_turns(turns), turns, prompt
        return
    problem = check_prompt(prompt)
    if problem:
        turns = (*turns, Turn("notice", problem))
        yield messages.from_turns(turns), turns, prompt
        return
    turns = (*turns, Turn("user", prompt.strip()))
    yield messages.from_turns(turns), turns, ""

    text = ""
    try:
        for piece in stream_text(model, to_messages(turns, LOYALTY_SYSTEM_PROMPT)):
            text += piece
            yield messages.from_turns((*turns, Turn("assistant", text))), turns, ""
    # Every failure is shown in the chat; none may end the shopper's session.
    except Exception as error:
        log.warning("loyalty model call failed", exc_info=True)
        notice = explain(error, Target.model(model_id))
        turns = (*turns, *([Turn("assistant", text)] if text else []), Turn("notice", notice))
    else:
        last = Turn("assistant", text) if text else Turn("notice", EMPTY_ANSWER)
        turns = (*turns, last)
    yield messages.from_turns(turns), turns, ""


def reply_with(
    pick: Callable[[], tuple[BaseChatModel, str]], prompt: str, turns: Turns
) -> Iterator[Update]:
    """``reply`` with the model ``pick`` chooses now (e.g. the server's newest adapter)."""
    try:
        model, model_id = pick()
    except ModelServerError as error:
        log.warning("no loyalty model to answer with: %s", error)
        notice = f"The loyalty model is not available right now ({error}). Please try again later."
        turns = (*turns, Turn("user", prompt.strip()), Turn("notice", notice))
        yield messages.from_turns(turns), turns, ""
        return
    yield from reply(model, model_id, prompt, turns)


def reset() -> Update:
    return [], (), ""
