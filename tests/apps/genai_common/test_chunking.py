"""Splitting text into overlapping passages."""

from __future__ import annotations

import pytest
from genai_common.chunking import split_text, terms
from hypothesis import given
from hypothesis import strategies as st

# Sentences of distinct numbered words, so each word's position in the text is unambiguous.
sentence_lengths = st.lists(st.integers(1, 40), max_size=30)


def numbered_text(lengths: list[int]) -> str:
    words = iter(range(10_000))
    return " ".join(" ".join(f"w{next(words)}" for _ in range(n)) + "." for n in lengths)


@given(sentence_lengths, st.integers(5, 60), st.integers(0, 4))
def test_passages_are_bounded_contiguous_and_cover_the_text(
    lengths: list[int], max_words: int, overlap: int
) -> None:
    text = numbered_text(lengths)
    words = text.split()
    position = {w: i for i, w in enumerate(words)}
    passages = split_text(text, max_words=max_words, overlap_words=overlap)
    covered: set[int] = set()
    previous_start = -1
    for passage in passages:
        tokens = passage.split()
        assert 0 < len(tokens) <= max_words
        start = position[tokens[0]]
        assert tokens == words[start : start + len(tokens)], "a passage is a slice of the text"
        assert start > previous_start, "passages advance"
        previous_start = start
        covered.update(range(start, start + len(tokens)))
    assert covered == set(range(len(words))), "no word is lost"


@given(sentence_lengths, st.integers(5, 60))
def test_without_overlap_passages_partition_the_text(lengths: list[int], max_words: int) -> None:
    text = numbered_text(lengths)
    passages = split_text(text, max_words=max_words, overlap_words=0)
    assert " ".join(passages).split() == text.split()


def test_cuts_at_sentence_ends_and_overlaps() -> None:
    text = "One two three four. Five six seven eight. Nine ten eleven twelve."
    assert split_text(text, max_words=8, overlap_words=4) == [
        "One two three four. Five six seven eight.",
        "Five six seven eight. Nine ten eleven twelve.",
    ]


def test_rejects_an_overlap_as_large_as_a_passage() -> None:
    with pytest.raises(ValueError):
        split_text("a b c", max_words=3, overlap_words=3)


def test_terms_drop_stop_words_and_fold_plurals() -> None:
    assert terms("How many Case Studies does the AWS Security Competency require?") == [
        "many",
        "case",
        "study",
        "aws",
        "security",
        "competency",
        "require",
    ]
    assert terms("process access status analytics") == ["process", "access", "status", "analytic"]
