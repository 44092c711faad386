"""One shopping question, end to end: history, standalone question, retrieval, answer.

The follow-up is rewritten into a standalone question before retrieval, because "do any of
those come in size 44?" names no product: the chat model rewrites it from the conversation
(the offline stand-in, which runs no model, appends the earlier questions' key terms).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from botocore.exceptions import BotoCoreError, ClientError
from genai_common.conversation import stream_text
from genai_common.errors import Target
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage

from shop_rag.answer import answer_messages, rewrite_messages
from shop_rag.errors import UpstreamError, embeddings_target
from shop_rag.history import ChatHistory, StoredTurn
from shop_rag.query import constraints, offline_rewrite
from shop_rag.settings import SearchType
from shop_rag.store import Hit, ProductStore

log = logging.getLogger(__name__)
# A rewrite is one line; a model that answers instead of rewriting is cut short.
_MAX_QUERY_CHARS = 1000


@dataclass(frozen=True)
class Prepared:
    """A question with everything its answer needs, before the model is called."""

    session_id: str
    question: str
    search_query: str
    hits: list[Hit]
    messages: list[BaseMessage]


class ShopAssistant:
    def __init__(
        self,
        store: ProductStore,
        history: ChatHistory,
        model: BaseChatModel,
        model_id: str,
        *,
        offline: bool,
        search_type: SearchType,
        top_k: int,
        embeddings_model: str,
    ) -> None:
        self.store = store
        self.history = history
        self.model = model
        self.target = Target.model(model_id)
        self.offline = offline
        self.search_type = search_type
        self.top_k = top_k
        self.embeddings_target = embeddings_target(embeddings_model)

    def standalone_question(self, question: str, history: list[StoredTurn]) -> str:
        """``question`` rewritten to stand without ``history`` (unchanged without history)."""
        if not history:
            return question
        if self.offline:
            rewritten = offline_rewrite(question, [t.content for t in history if t.role == "user"])
            log.info("offline rewrite (no model, earlier questions' key terms): %r", rewritten)
            return rewritten
        try:
            text = "".join(stream_text(self.model, rewrite_messages(history, question)))
        except Exception as error:
            raise UpstreamError(error, self.target) from error
        lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
        rewritten = lines[0][:_MAX_QUERY_CHARS] if lines else question
        log.info("rewrite by the chat model: %r", rewritten)
        return rewritten

    def retrieve(self, query: str) -> list[Hit]:
        """The products that best match ``query`` within the limits it states."""
        try:
            return self.store.search(
                query, self.search_type, self.top_k, constraints(query).filter()
            )
        except (ClientError, BotoCoreError) as error:
            raise UpstreamError(error, self.embeddings_target) from error

    def prepare(self, question: str, session_id: str | None) -> Prepared:
        session = session_id or uuid.uuid4().hex
        history = self.history.load(session) if session_id else []
        query = self.standalone_question(question, history)
        hits = self.retrieve(query)
        return Prepared(session, question, query, hits, answer_messages(history, question, hits))

    def stream_answer(self, prepared: Prepared) -> Iterator[str]:
        """The answer's text as it arrives; a failed model call raises UpstreamError."""
        try:
            yield from stream_text(self.model, prepared.messages)
        except Exception as error:
            raise UpstreamError(error, self.target) from error

    def remember(self, prepared: Prepared, answer: str) -> None:
        """Store the question and its answer as the session's next two turns."""
        self.history.append(
            prepared.session_id, [("user", prepared.question), ("assistant", answer)]
        )
