"""One shopping question, end to end: history, standalone question, retrieval, answer.

The follow-up is rewritten into a standalone question before retrieval, because "what about
for women?" names no product: the chat model rewrites it from the conversation (the offline
stand-in, which runs no model, appends the earlier questions' key terms). A follow-up that
narrows what was shown ("do any of those come in size 44?") is not searched again: the
products of the previous answer that meet its limits are the answer's products, named in a
first line the code writes, so that neither a new search nor the model can change the set.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from botocore.exceptions import BotoCoreError, ClientError
from genai_common.conversation import stream_text
from genai_common.errors import Target
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage

from shop_rag.answer import REWRITER, answer_messages
from shop_rag.errors import UpstreamError, embeddings_target
from shop_rag.history import ChatHistory, StoredTurn
from shop_rag.query import Constraints, constraints
from shop_rag.settings import SearchType
from shop_rag.store import Hit, ProductStore
from shop_rag.vocabulary import Vocabulary

log = logging.getLogger(__name__)
# "any of them", "which of those", "do they", "those ones": a question about what was shown.
_SHOWN = re.compile(
    r"\b(?:of|do|does|are|is|can)\s+(?:them|those|these|they)\b|\b(?:these|those|which) ones\b",
    re.IGNORECASE,
)
# The catalog's vocabulary is read again when the number of products changed (a load), but
# the number is looked at no more often than this, to keep a lock off every search.
_VOCABULARY_CHECK_SECONDS = 5.0


@dataclass(frozen=True)
class Prepared:
    """A question with everything its answer needs, before the model is called."""

    session_id: str
    question: str
    search_query: str
    hits: list[Hit]
    messages: list[BaseMessage]
    # The answer's first line when it narrows the products shown before (written by the
    # code, not the model).
    lead: str = ""
    # The newest turn read from the history (0 for a new session): the answer is stored after it.
    last_turn: int = 0


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
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.history = history
        self.model = model
        self.target = Target.model(model_id)
        self.offline = offline
        self.search_type = search_type
        self.top_k = top_k
        self.embeddings_target = embeddings_target(embeddings_model)
        self.clock = clock
        self._vocabulary: tuple[int | None, Vocabulary] = (None, Vocabulary())
        self._vocabulary_checked = -_VOCABULARY_CHECK_SECONDS
        self._vocabulary_lock = threading.Lock()

    def vocabulary(self) -> Vocabulary:
        """The stored catalog's colours, audiences and kinds, read again after a load."""
        with self._vocabulary_lock:
            now = self.clock()
            if now - self._vocabulary_checked >= _VOCABULARY_CHECK_SECONDS:
                self._vocabulary_checked = now
                count = self.store.count()
                if count != self._vocabulary[0]:
                    self._vocabulary = (count, Vocabulary.of(self.store.products()))
            return self._vocabulary[1]

    def standalone_question(self, question: str, history: list[StoredTurn]) -> str:
        """``question`` rewritten to stand without ``history`` (unchanged without history)."""
        if not history:
            return question
        if self.offline:
            rewritten = REWRITER.rewrite(None, history, question)
            log.info("offline rewrite (no model, earlier questions' key terms): %r", rewritten)
            return rewritten
        try:
            rewritten = REWRITER.rewrite(self.model, history, question)
        except Exception as error:
            raise UpstreamError(error, self.target) from error
        log.info("rewrite by the chat model: %r", rewritten)
        return rewritten

    def retrieve(self, query: str) -> list[Hit]:
        """The products that best match ``query`` within the limits it states."""
        limits = constraints(query, self.vocabulary())
        return self._search(query, self.search_type, self.top_k, limits)

    def _search(
        self,
        query: str,
        search_type: SearchType,
        limit: int,
        limits: Constraints,
        within: Sequence[str] = (),
    ) -> list[Hit]:
        try:
            return self.store.search(query, search_type, limit, limits.filter(within))
        except (ClientError, BotoCoreError) as error:
            raise UpstreamError(error, self.embeddings_target) from error

    def narrow(self, question: str, history: Sequence[StoredTurn]) -> tuple[list[Hit], str] | None:
        """The products last shown that meet the limits ``question`` adds, in the order shown,
        and the line naming them; None unless ``question`` is about what was shown and
        states a limit."""
        shown = next((t.products for t in reversed(history) if t.role == "assistant"), ())
        if not shown or not _SHOWN.search(question):
            return None
        limits = constraints(question, self.vocabulary())
        if not limits:
            return None
        # Dense search ranks every admitted product, so none of the few is lost; the order
        # is the one shown.
        hits = self._search(question, "dense", len(shown), limits, within=shown)
        order = {product_id: n for n, product_id in enumerate(shown)}
        hits.sort(key=lambda hit: order[hit.product.product_id])
        return hits, _lead(hits, len(shown), limits)

    def prepare(self, question: str, session_id: str | None) -> Prepared:
        session = session_id or uuid.uuid4().hex
        history = self.history.load(session) if session_id else []
        last_turn = history[-1].number if history else 0
        narrowed = self.narrow(question, history)
        if narrowed is not None:
            hits, lead = narrowed
            messages = answer_messages(history, question, hits)
            return Prepared(session, question, question, hits, messages, lead, last_turn)
        query = self.standalone_question(question, history)
        hits = self.retrieve(query)
        messages = answer_messages(history, question, hits)
        return Prepared(session, question, query, hits, messages, last_turn=last_turn)

    def stream_answer(self, prepared: Prepared) -> Iterator[str]:
        """The answer's text as it arrives; a failed model call raises UpstreamError."""
        if prepared.lead:
            yield prepared.lead
        try:
            yield from stream_text(self.model, prepared.messages)
        except Exception as error:
            raise UpstreamError(error, self.target) from error

    def remember(self, prepared: Prepared, answer: str) -> None:
        """Store the question and its answer as the session's next two turns."""
        self.history.append(
            prepared.session_id,
            [("user", prepared.question), ("assistant", answer)],
            [hit.product.product_id for hit in prepared.hits],
            last_seen=prepared.last_turn,
        )


def _lead(hits: Sequence[Hit], shown: int, limits: Constraints) -> str:
    """The first line of a narrowing answer: which of the products shown meet ``limits``."""
    wanted = limits.describe()
    if not hits:
        return f"None of the {shown} products shown before matches {wanted}.\n\n"
    names = "; ".join(f"{hit.product.name} (${hit.product.price:,.2f})" for hit in hits)
    verb = "matches" if len(hits) == 1 else "match"
    return f"{len(hits)} of the {shown} products shown before {verb} {wanted}: {names}.\n\n"
