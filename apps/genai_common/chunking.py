"""Splitting documents into overlapping passages for a vector index, and text into the
terms that keyword search counts.

Bedrock knowledge bases chunk on the service side; this is the local counterpart, so local
mode retrieves passages of a similar size (about 300 tokens) from the same documents.
"""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+|\n+")
_WORD = re.compile(r"[a-z0-9]+")
STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "before",
        "but",
        "by",
        "can",
        "could",
        "do",
        "does",
        "each",
        "for",
        "from",
        "had",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "may",
        "more",
        "most",
        "must",
        "no",
        "not",
        "of",
        "on",
        "one",
        "only",
        "or",
        "other",
        "our",
        "should",
        "so",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "to",
        "under",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
    ]
)


def terms(text: str) -> list[str]:
    """The words of ``text`` that keyword search counts, in order: lowercase, no stop words,
    plurals folded onto the singular ("studies" and "study" are one term)."""
    found = []
    for word in _WORD.findall(text.lower()):
        if word in STOP_WORDS:
            continue
        if len(word) > 4 and word.endswith("ies"):
            word = word[:-3] + "y"
        elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
            word = word[:-1]
        found.append(word)
    return found


def split_text(text: str, max_words: int = 200, overlap_words: int = 40) -> list[str]:
    """Passages of at most ``max_words`` words, cut at sentence or line ends where possible,
    each starting with up to ``overlap_words`` words from the end of the previous one."""
    if max_words < 1 or not 0 <= overlap_words < max_words:
        raise ValueError("need max_words >= 1 and 0 <= overlap_words < max_words")
    units: list[list[str]] = []
    for sentence in _SENTENCE_END.split(text):
        words = sentence.split()
        # A sentence longer than a passage is cut into passage-sized pieces.
        units.extend(words[i : i + max_words] for i in range(0, len(words), max_words))

    passages: list[str] = []
    current: list[str] = []
    fresh = 0  # words in ``current`` that no earlier passage holds
    for unit in units:
        if fresh and len(current) + len(unit) > max_words:
            passages.append(" ".join(current))
            current = current[len(current) - overlap_words :] if overlap_words else []
            fresh = 0
            while current and len(current) + len(unit) > max_words:
                current = current[1:]
        current += unit
        fresh += len(unit)
    if fresh:
        passages.append(" ".join(current))
    return passages
