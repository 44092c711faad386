"""The retrieval benchmark's gold set discriminates between search types instead of being
saturated: each question has one answering passage, and none of the searches finds them all."""

from __future__ import annotations

from pathlib import Path

import pytest
from competency_domain.corpus import read_corpus
from competency_ingest.local_index import SAMPLE_CORPUS
from genai_common.chunking import split_text, terms
from genai_common.settings import load_settings
from kb_assistant.retrieval import retriever
from kb_assistant.settings import KbSettings

from benchmarks.kb_retrieval import SEARCH_TYPES, Scores, evaluate, load_gold


def normalised(text: str) -> str:
    return " ".join(text.lower().split())


def test_each_evidence_phrase_is_in_its_gold_document_only() -> None:
    corpus = {d.document_id: normalised(d.text) for d in read_corpus(SAMPLE_CORPUS)}
    for item in load_gold():
        holders = [name for name, text in corpus.items() if normalised(item["evidence"]) in text]
        assert holders == [item["document"]], item


def test_the_documents_are_long_enough_to_be_split() -> None:
    documents = read_corpus(SAMPLE_CORPUS)
    assert len(documents) >= 24
    assert all(len(split_text(d.text)) >= 2 for d in documents)


def test_the_questions_paraphrase_their_answers() -> None:
    """At most half of the questions share half of their terms with the evidence sentence."""
    corpus = {d.document_id: d.text for d in read_corpus(SAMPLE_CORPUS)}
    literal = 0
    gold = load_gold()
    for item in gold:
        sentence = next(
            line for line in corpus[item["document"]].splitlines() if item["evidence"] in line
        )
        asked = set(terms(item["question"]))
        literal += len(asked & set(terms(sentence))) >= len(asked) / 2
    assert literal <= len(gold) / 2


@pytest.fixture(scope="module")
def scores(built_index: Path) -> dict[str, Scores]:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("KB_RETRIEVER", "local")
        env.setenv("EMBEDDINGS_PROVIDER", "local")
        env.setenv("QDRANT_PATH", str(built_index))
        env.setenv("KB_NUMBER_OF_RESULTS", "10")
        base = retriever(load_settings(KbSettings))
    try:
        return {
            search_type: evaluate(
                base.model_copy(update={"search_type": search_type}).invoke, load_gold(), k=4
            )
            for search_type in SEARCH_TYPES
        }
    finally:
        base.client.close()  # type: ignore[attr-defined]


def test_no_search_type_saturates_the_gold_set(scores: dict[str, Scores]) -> None:
    for search_type, figures in scores.items():
        assert figures.hit1 < 0.8 and figures.hitk < 0.95, (search_type, figures)
    assert len({round(f.mrr, 3) for f in scores.values()}) == len(scores)


def test_hybrid_search_the_default_ranks_best(scores: dict[str, Scores]) -> None:
    assert KbSettings.model_fields["kb_search_type"].default == "hybrid"
    hybrid = scores["hybrid"]
    for search_type in ("semantic", "keyword"):
        assert hybrid.mrr > scores[search_type].mrr and hybrid.hitk > scores[search_type].hitk
