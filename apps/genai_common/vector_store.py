"""The vector-store factory: a Qdrant server by URL, or an embedded Qdrant in a local folder.

Documents are indexed as passages with their metadata in the point payload, so a search
returns LangChain ``Document`` objects that carry where each passage came from. Each passage
has two vectors: a dense embedding (meaning) and a sparse vector of its terms weighted the
BM25 way (keywords), which Qdrant can search apart or fuse. Optionally each passage also
has a vector per sentence, each headed by a name from its document's metadata (the KB's:
its program): a passage of 200 words holds a dozen facts, and its single embedding says
little about any one of them, so the candidates a search found are reranked by their one
sentence nearest to the question (MaxSim). The heading keeps each sentence attached to
whose rule it states; each sentence is embedded alone and joined to the one before it, for
a fact that a pronoun or a question ("Is Kubernetes required? No.") spreads over two.
"""

from __future__ import annotations

import itertools
import re
import uuid
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from genai_common.chunking import split_text, terms
from genai_common.settings import PlatformSettings

if TYPE_CHECKING:
    from qdrant_client import QdrantClient
    from qdrant_client.models import ScoredPoint, SparseVector

TEXT_KEY = "text"
DENSE, SPARSE, SENTENCES = "dense", "sparse", "sentences"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_NAMESPACE = uuid.UUID("6f1c3a57-2f0e-4d8e-9a51-0c3b3c1f7e21")
# BM25's customary constants: how fast repeats of a term stop adding weight, and how much a
# long passage is discounted. Qdrant supplies the other half of BM25, the terms' IDF.
_K1, _B = 1.2, 0.75
# Each ranking fused by RRF is this deep, so a passage that both rank fairly well can
# overtake one that only a single ranking puts first.
_FUSION_DEPTH = 20
# The candidates reranked by their sentences: as deep as the fusion, so that a passage any
# ranking put near its top can still come first.
RERANK_DEPTH = 20
# What a reranked candidate's sentence score loses per place it stood lower in the first
# ranking: a sentence that matches the question a little better does not overturn a passage
# that matched it as a whole. Without it a sibling document's sentence often wins; on the
# retrieval benchmark's dev split any step from 0.0075 to 0.02 of cosine does about as well.
RANK_STEP = 0.01


def _sentence_windows(text: str) -> list[str]:
    """Each sentence of ``text``, and each sentence after the one before it."""
    sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
    return sentences + [f"{a} {b}" for a, b in itertools.pairwise(sentences)]


def _term_id(term: str) -> int:
    """A stable sparse-vector index for ``term`` (Qdrant's indices are 32-bit)."""
    return zlib.crc32(term.encode())


def _sparse(weights: dict[int, float]) -> SparseVector:
    from qdrant_client import models

    return models.SparseVector(indices=list(weights), values=list(weights.values()))


def keyword_vectors(texts: Sequence[str]) -> list[SparseVector]:
    """BM25 term weights of each text, length-normalised against the average of ``texts``."""
    counts = [Counter(terms(text)) for text in texts]
    average = sum(c.total() for c in counts) / len(counts) if counts else 0.0
    vectors = []
    for count in counts:
        discount = _K1 * (1 - _B + _B * count.total() / average) if average else _K1
        weights: dict[int, float] = defaultdict(float)
        for term, n in count.items():
            weights[_term_id(term)] += n * (_K1 + 1) / (n + discount)
        vectors.append(_sparse(weights))
    return vectors


def keyword_query(text: str) -> SparseVector:
    """The query side of BM25: each distinct term once (Qdrant multiplies in its IDF)."""
    return _sparse({_term_id(term): 1.0 for term in terms(text)})


def qdrant_client(settings: PlatformSettings) -> QdrantClient:
    """A client for ``QDRANT_URL``, or for the embedded store at ``QDRANT_PATH``.

    An embedded store is locked by the process that opens it: open it once per process.
    """
    from qdrant_client import QdrantClient

    if settings.qdrant_url is not None:
        return QdrantClient(url=str(settings.qdrant_url), timeout=int(settings.aws_read_timeout))
    if settings.qdrant_path is not None:
        settings.qdrant_path.mkdir(parents=True, exist_ok=True)
        return QdrantClient(path=str(settings.qdrant_path))
    raise ValueError("Set QDRANT_URL (a Qdrant server) or QDRANT_PATH (an embedded store).")


def index_documents(
    client: QdrantClient,
    collection: str,
    documents: Iterable[Document],
    embeddings: Embeddings,
    dimensions: int,
    max_words: int = 200,
    overlap_words: int = 40,
    sentence_heading: str | None = None,
) -> int:
    """Replace ``collection`` with the passages of ``documents``; returns how many were stored.

    Point ids derive from the document id and passage number, so indexing twice stores the
    same points rather than duplicates. Given ``sentence_heading`` (a metadata key), each
    passage also gets its sentences' vectors, each sentence headed by that metadata value,
    which :func:`search` reranks by.
    """
    from qdrant_client import models

    passages: list[Document] = []
    for document in documents:
        key = str(document.metadata.get("document_id") or document.id or document.page_content)
        for number, text in enumerate(split_text(document.page_content, max_words, overlap_words)):
            metadata = {**document.metadata, "passage": number}
            passages.append(Document(page_content=text, metadata=metadata, id=f"{key}#{number}"))

    if client.collection_exists(collection):
        client.delete_collection(collection)
    vectors_config = {DENSE: models.VectorParams(size=dimensions, distance=models.Distance.COSINE)}
    if sentence_heading:
        vectors_config[SENTENCES] = models.VectorParams(
            size=dimensions,
            distance=models.Distance.COSINE,
            multivector_config=models.MultiVectorConfig(
                comparator=models.MultiVectorComparator.MAX_SIM
            ),
        )
    client.create_collection(
        collection,
        vectors_config=vectors_config,
        sparse_vectors_config={SPARSE: models.SparseVectorParams(modifier=models.Modifier.IDF)},
    )
    if not passages:
        return 0
    texts = [p.page_content for p in passages]
    dense = embeddings.embed_documents(texts)
    sparse = keyword_vectors(texts)
    vectors: list[dict[str, Any]] = [
        {DENSE: d, SPARSE: k} for d, k in zip(dense, sparse, strict=True)
    ]
    if sentence_heading:
        headed = [
            [
                f"{p.metadata.get(sentence_heading, '')}: {s}"
                for s in _sentence_windows(p.page_content)
            ]
            for p in passages
        ]
        # One call for all of them: the model embeds in batches.
        flat = iter(embeddings.embed_documents([s for group in headed for s in group]))
        for vector, group in zip(vectors, headed, strict=True):
            vector[SENTENCES] = [next(flat) for _ in group]
    client.upsert(
        collection,
        points=[
            models.PointStruct(
                id=str(uuid.uuid5(_NAMESPACE, str(p.id))),
                vector=v,
                payload={TEXT_KEY: p.page_content, **p.metadata},
            )
            for p, v in zip(passages, vectors, strict=True)
        ],
    )
    return len(passages)


def search(
    client: QdrantClient,
    collection: str,
    limit: int,
    *,
    dense: list[float] | None = None,
    sparse: SparseVector | None = None,
    rerank: bool = False,
) -> list[Document]:
    """The ``limit`` best passages, with their score: nearest to the ``dense`` query vector,
    best matching the ``sparse`` keyword query, or, given both, the two rankings fused by
    reciprocal rank (RRF). ``rerank`` (needs ``dense`` and a collection indexed with
    sentence vectors) reorders the best :data:`RERANK_DEPTH` of those by their sentence
    nearest to the question, less :data:`RANK_STEP` per place down the first ranking."""
    from qdrant_client import models

    if sparse is not None and not sparse.indices:
        sparse = None  # a question of stop words only has no keywords to match
    depth = max(limit, RERANK_DEPTH if rerank else _FUSION_DEPTH)
    stage: models.Prefetch
    if dense is not None and sparse is not None:
        stage = models.Prefetch(
            prefetch=[
                models.Prefetch(query=dense, using=DENSE, limit=max(depth, _FUSION_DEPTH)),
                models.Prefetch(query=sparse, using=SPARSE, limit=max(depth, _FUSION_DEPTH)),
            ],
            query=models.FusionQuery(fusion=models.Fusion.RRF),
            limit=depth,
        )
    elif dense is not None or sparse is not None:
        stage = models.Prefetch(
            query=dense if dense is not None else sparse,
            using=DENSE if dense is not None else SPARSE,
            limit=depth,
        )
    else:
        return []
    if not rerank:
        hits = client.query_points(
            collection,
            prefetch=stage.prefetch,
            query=stage.query,
            using=stage.using,
            limit=limit,
            with_payload=True,
        )
        return _documents(hits.points)
    if dense is None:
        raise ValueError("reranking by sentences needs the dense query vector")
    first = models.QueryRequest(
        prefetch=stage.prefetch, query=stage.query, using=stage.using, limit=depth
    )
    by_sentence = models.QueryRequest(
        prefetch=stage, query=[dense], using=SENTENCES, limit=depth, with_payload=True
    )
    ranked, candidates = client.query_batch_points(collection, [first, by_sentence])
    place = {point.id: n for n, point in enumerate(ranked.points)}
    for point in candidates.points:
        point.score -= RANK_STEP * place[point.id]
    return _documents(sorted(candidates.points, key=lambda p: -p.score)[:limit])


def _documents(points: Iterable[ScoredPoint]) -> list[Document]:
    documents = []
    for point in points:
        payload = dict(point.payload or {})
        text = str(payload.pop(TEXT_KEY, ""))
        documents.append(Document(page_content=text, metadata={**payload, "score": point.score}))
    return documents
