"""Splitting documents into overlapping passages for a vector index.

Bedrock knowledge bases chunk on the service side; this is the local counterpart, so local
mode retrieves passages of a similar size (about 300 tokens) from the same documents.
"""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+|\n+")


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
