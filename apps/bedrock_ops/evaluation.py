"""The knowledge base against the gold questions: Retrieve and RetrieveAndGenerate per question,
scored as the retrieval benchmark scores them (benchmarks/kb_retrieval.py).

A question is answered at rank r when the r-th passage comes from its gold document and holds
its evidence phrase; hit@k is the share of questions answered within the first k passages. The
passage's document is found the way the KB assistant finds it (``competency_domain.sources``):
the sidecar's ``document_id`` attribute, else the S3 object's name.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from competency_domain.sources import source_from
from genai_common.metering.meter import Meter, Usage

K = 4
GOLD_FILE = "kb_retrieval_gold.jsonl"
# The KB assistant's retrieval (kb_assistant.settings): 4 passages, hybrid search.
VECTOR_SEARCH = {"numberOfResults": K, "overrideSearchType": "HYBRID"}
_GOLD_FIELDS = ("question", "document", "evidence")


def gold_path() -> Path:
    """The gold set: packaged next to this module on MWAA (scripts/package-dags), else the
    repository's benchmarks/ file."""
    here = Path(__file__).resolve().parent
    packaged = here / GOLD_FILE
    return packaged if packaged.exists() else here.parents[1] / "benchmarks" / GOLD_FILE


def load_gold(path: Path | None = None) -> list[dict[str, str]]:
    """The gold questions; a clear error on a line that is not one."""
    path = path or gold_path()
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        item = json.loads(line)
        if not isinstance(item, dict) or any(
            not isinstance(item.get(f), str) or not item[f].strip() for f in _GOLD_FIELDS
        ):
            raise ValueError(f"{path}:{number}: a gold item needs {', '.join(_GOLD_FIELDS)}")
        items.append({f: item[f] for f in _GOLD_FIELDS})
    if not items:
        raise ValueError(f"{path} holds no gold questions")
    return items


def _normalised(text: str) -> str:
    return " ".join(text.lower().split())


def passage_document(result: dict[str, Any]) -> str:
    """The document id of one Retrieve result (or one retrieved reference of a citation)."""
    text = (result.get("content") or {}).get("text", "")
    return source_from(text, result.get("metadata") or {}, result.get("location")).document


def answer_rank(results: list[dict[str, Any]], item: dict[str, str]) -> int | None:
    """The 1-based rank of the first retrieval result that answers ``item``, if any does."""
    evidence = _normalised(item["evidence"])
    for rank, result in enumerate(results, start=1):
        text = (result.get("content") or {}).get("text", "")
        if passage_document(result) == item["document"] and evidence in _normalised(text):
            return rank
    return None


def cited_documents(response: dict[str, Any]) -> list[str]:
    """The documents a RetrieveAndGenerate answer cites, each once, in citation order."""
    seen: dict[str, None] = {}
    for citation in response.get("citations") or []:
        for reference in citation.get("retrievedReferences") or []:
            seen.setdefault(passage_document(reference), None)
    return list(seen)


def _describe(error: Exception) -> str:
    if isinstance(error, ClientError):
        details = error.response.get("Error", {})
        return f"{details.get('Code', 'error')}: {details.get('Message', '')}".strip()
    return f"{type(error).__name__}: {error}"


def evaluate_question(
    client: Any, item: dict[str, str], knowledge_base_id: str, model_arn: str, meter: Meter
) -> dict[str, Any]:
    """One gold question through Retrieve and RetrieveAndGenerate (a bedrock-agent-runtime
    client), the model call metered; a call that fails is recorded in the row's ``error``, not
    raised."""
    row: dict[str, Any] = {**item, "rank": None, "retrieved": [], "answer": "", "cited": []}
    errors = []
    try:
        response = client.retrieve(
            knowledgeBaseId=knowledge_base_id,
            retrievalQuery={"text": item["question"]},
            retrievalConfiguration={"vectorSearchConfiguration": VECTOR_SEARCH},
        )
        results = response.get("retrievalResults") or []
        row["rank"] = answer_rank(results, item)
        row["retrieved"] = [passage_document(r) for r in results]
    except (ClientError, BotoCoreError) as error:
        errors.append(f"Retrieve: {_describe(error)}")
    try:
        # RetrieveAndGenerate reports no token usage: the call and its latency are metered.
        response = meter.measure(
            model_arn,
            lambda: client.retrieve_and_generate(
                input={"text": item["question"]},
                retrieveAndGenerateConfiguration={
                    "type": "KNOWLEDGE_BASE",
                    "knowledgeBaseConfiguration": {
                        "knowledgeBaseId": knowledge_base_id,
                        "modelArn": model_arn,
                        "retrievalConfiguration": {"vectorSearchConfiguration": VECTOR_SEARCH},
                    },
                },
            ),
            usage=lambda _: Usage(0, 0),
        )
        row["answer"] = ((response.get("output") or {}).get("text") or "").strip()
        row["cited"] = cited_documents(response)
    except (ClientError, BotoCoreError) as error:
        errors.append(f"RetrieveAndGenerate: {_describe(error)}")
    row["hit"] = row["rank"] is not None and row["rank"] <= K
    row["gold_cited"] = item["document"] in row["cited"]
    row["error"] = "; ".join(errors) or None
    return row


def summarize(rows: list[dict[str, Any]], min_hit_rate: float) -> dict[str, Any]:
    """The run's figures, and whether it passes: hit@4 at least ``min_hit_rate``, no errors."""
    n = len(rows)
    if not n:
        raise ValueError("no questions were evaluated")
    ranks = [r["rank"] for r in rows]
    hit_rate = sum(r is not None and r <= K for r in ranks) / n
    errors = sum(r["error"] is not None for r in rows)
    return {
        "questions": n,
        "k": K,
        "hit_at_1": round(sum(r == 1 for r in ranks) / n, 4),
        f"hit_at_{K}": round(hit_rate, 4),
        f"mrr_at_{K}": round(sum(1 / r for r in ranks if r is not None and r <= K) / n, 4),
        "answered": sum(bool(r["answer"]) for r in rows),
        "gold_cited_rate": round(sum(r["gold_cited"] for r in rows) / n, 4),
        "errors": errors,
        "min_hit_rate": min_hit_rate,
        "passed": hit_rate >= min_hit_rate and not errors,
    }


def parse_threshold(value: str) -> float:
    """``rag_min_hit_rate`` as a share between 0 and 1."""
    try:
        threshold = float(value)
    except ValueError:
        raise ValueError(f"rag_min_hit_rate must be a number, got {value!r}") from None
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"rag_min_hit_rate must be between 0 and 1, got {value!r}")
    return threshold
