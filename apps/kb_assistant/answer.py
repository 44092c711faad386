"""The grounded prompt: the conversation so far, and the question with the retrieved passages."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from competency_domain.sources import Source, source_of
from genai_common.chunking import STOP_WORDS, terms
from genai_common.conversation import FollowUpRewriter, Turn, to_messages
from langchain_core.documents import Document
from langchain_core.messages import BaseMessage, HumanMessage

SYSTEM_PROMPT = """You are a friendly AI assistant who answers questions about the AWS \
Competency program for AWS partners.
Each question comes after passages from the program's documents inside <context> tags. \
Answer from those passages only, concisely, in plain text without tags; use bullets or lists \
when they help. Be specific and give numbers or statistics when the passages have them.
If the passages do not hold the answer, or the question is not about the AWS Competency \
program, say that you don't know; never make an answer up."""

# RetrieveAndGenerate fills $search_results$ with the passages it retrieved.
GENERATION_TEMPLATE = (
    SYSTEM_PROMPT.replace("inside <context> tags", "in the search results below")
    + "\n\nSearch results:\n$search_results$"
)


@dataclass(frozen=True)
class AnswerTurn(Turn):
    """An assistant answer and the passages it was grounded on.

    Defined here, not in the page: Streamlit re-executes the page on every rerun, and turns
    kept in the session must stay instances of one class.
    """

    sources: tuple[Source, ...] = ()
    # The standalone question retrieval searched for, when a follow-up was rewritten.
    search: str | None = None


_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'-]*")
REWRITE_PROMPT = """You turn a partner's latest message about the AWS Competency program \
into a standalone search of the program's documents.
Read the conversation and the latest message, then write one search query that can be \
understood without the conversation: replace words such as "it", "its", "that program" or \
"the same" with the competency, category or requirement they refer to, and keep what the \
latest message asks about.
Do not answer the question. Reply with the search query only, on one line."""


def key_terms(question: str) -> str:
    """``question``'s content words, in order ("Which competency covers generative AI?" →
    "competency covers generative AI")."""
    return " ".join(w for w in _WORD.findall(question) if w.lower() not in STOP_WORDS)


def answered_program(answer: object) -> str | None:
    """The program an answer was grounded on first: what a follow-up's "it" most likely means."""
    if isinstance(answer, AnswerTurn) and answer.sources:
        return answer.sources[0].program
    return None


REWRITER = FollowUpRewriter(REWRITE_PROMPT, key_terms, user="Partner", topic=answered_program)


def focus(question: str, passages: Sequence[Document]) -> list[Document]:
    """The passages of the programs ``question`` names, or all of them if it names none.

    The programs' requirements read alike, so a search for one program's rule also brings up
    the same rule of other programs: answered and cited together, they mix programs. A
    program is named when every word of its name is in the question ("data analytics"
    names Data and Analytics).
    """
    asked = set(terms(question))
    named = set()
    for source in map(source_of, passages):
        words = set(terms(source.program))
        if words and words <= asked:
            named.add(source.program)
    return [p for p in passages if source_of(p).program in named] or list(passages)


def context_block(passages: Sequence[Document]) -> str:
    """The passages as the prompt shows them: a numbered block each, headed by its program
    and title, so that a model can tell whose requirement a passage states."""
    blocks = []
    for number, passage in enumerate(passages, start=1):
        source = source_of(passage)
        blocks.append(
            f"[{number}] {source.program}: {source.title}\n{passage.page_content.strip()}"
        )
    return "<context>\n" + "\n\n".join(blocks) + "\n</context>"


def grounded_messages(turns: Iterable[Turn], passages: Sequence[Document]) -> list[BaseMessage]:
    """The conversation as messages, its last question preceded by the retrieved passages.

    Earlier turns go without their passages: they keep the conversation coherent and
    the prompt small; each question is answered from its own retrieval.
    """
    messages = to_messages(turns, SYSTEM_PROMPT)
    question = messages[-1]
    if not isinstance(question, HumanMessage):
        raise ValueError("the conversation must end with the user's question")
    messages[-1] = HumanMessage(content=f"{context_block(passages)}\n\n{question.text}")
    return messages
