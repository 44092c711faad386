"""The knowledge base's index manager against a signed-request collection on localhost."""

from __future__ import annotations

import copy
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from vector_index import handler
from vector_index.handler import Index, Response, VectorIndexError, differences, parse_event

from tests.apps.vector_index.fake_collection import Collection, serve

INDEX = "bedrock-knowledge-base-index"
# The body modules/bedrock-knowledge-base sends (index.tf), at 1024 dimensions.
BODY: dict[str, Any] = {
    "settings": {"index": {"knn": True, "knn.algo_param.ef_search": 512}},
    "mappings": {
        "properties": {
            "embedding": {
                "type": "knn_vector",
                "dimension": 1024,
                "method": {
                    "name": "hnsw",
                    "engine": "faiss",
                    "space_type": "l2",
                    "parameters": {"m": 16, "ef_construction": 512},
                },
            },
            "AMAZON_BEDROCK_TEXT_CHUNK": {"type": "text", "index": True},
            "AMAZON_BEDROCK_METADATA": {"type": "text", "index": False},
        }
    },
}


def context(seconds: float = 60) -> SimpleNamespace:
    return SimpleNamespace(get_remaining_time_in_millis=lambda: int(seconds * 1000))


def invoke(endpoint: str, body: dict[str, Any] = BODY) -> dict[str, Any]:
    return handler.lambda_handler({"endpoint": endpoint, "index": INDEX, "body": body}, context())


@pytest.fixture(autouse=True)
def _no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(handler.time, "sleep", lambda seconds: None)


def test_creates_a_missing_index_with_signed_requests() -> None:
    collection = Collection()
    with serve(collection) as endpoint:
        result = invoke(endpoint)
    assert result == {"status": "created", "index": INDEX}
    assert collection.indices[INDEX] == BODY
    assert collection.unsigned == []
    assert collection.requests == [
        ("GET", f"/{INDEX}/_mapping"),
        ("PUT", f"/{INDEX}"),
        ("GET", f"/{INDEX}/_mapping"),
    ]


def test_leaves_an_index_alone_when_ingestion_only_added_fields() -> None:
    live = copy.deepcopy(BODY)
    live["mappings"]["properties"]["x-amz-bedrock-kb-source-uri"] = {"type": "text"}
    live["mappings"]["properties"]["program"] = {"type": "keyword"}
    collection = Collection(indices={INDEX: live})
    with serve(collection) as endpoint:
        result = invoke(endpoint)
    assert result == {"status": "unchanged", "index": INDEX}
    assert collection.indices[INDEX] is live, "the vectors must survive a re-invocation"
    assert [method for method, _ in collection.requests] == ["GET"]


def test_replaces_an_index_built_for_another_dimension() -> None:
    old = copy.deepcopy(BODY)
    old["mappings"]["properties"]["embedding"]["dimension"] = 512
    collection = Collection(indices={INDEX: old})
    with serve(collection) as endpoint:
        result = invoke(endpoint)
    assert result["status"] == "replaced"
    assert result["changes"] == ["embedding.dimension: 512 != 1024"]
    assert collection.indices[INDEX]["mappings"]["properties"]["embedding"]["dimension"] == 1024
    assert [method for method, _ in collection.requests] == ["GET", "DELETE", "PUT", "GET"]


def test_waits_while_the_access_policies_propagate() -> None:
    collection = Collection(forbidden_first=4)
    with serve(collection) as endpoint:
        result = invoke(endpoint)
    assert result["status"] == "created"
    assert len(collection.requests) == 4 + 3


def test_a_collection_that_never_admits_the_role_fails_the_apply_with_the_reason() -> None:
    clock = iter(range(0, 10_000, 5))
    forbidden = Response(403, {"message": "User does not have permissions"})
    index = Index(
        lambda method, path, body: forbidden,
        INDEX,
        deadline=120.0,
        sleep=lambda seconds: None,
        clock=lambda: float(next(clock)),
    )
    with pytest.raises(VectorIndexError, match="data access policy must name this function"):
        index.ensure(BODY)


def test_an_unexpected_answer_fails_the_apply() -> None:
    refused = Response(400, {"error": {"type": "mapper_parsing_exception"}})
    answers = iter([Response(404, {}), refused])
    index = Index(lambda method, path, body: next(answers), INDEX, deadline=1e9)
    with pytest.raises(VectorIndexError, match="mapper_parsing_exception"):
        index.ensure(BODY)


def test_differences_compare_only_what_is_declared() -> None:
    declared = BODY["mappings"]["properties"]
    assert differences(declared, declared) == []
    live = copy.deepcopy(declared)
    live["embedding"]["method"]["engine"] = "nmslib"
    del live["AMAZON_BEDROCK_METADATA"]
    assert differences(declared, live) == [
        "embedding.method.engine: 'nmslib' != 'faiss'",
        "AMAZON_BEDROCK_METADATA: missing",
    ]


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ([], "JSON object"),
        ({"endpoint": "ftp://x", "index": INDEX, "body": BODY}, "endpoint"),
        ({"endpoint": "https://x", "index": "Upper", "body": BODY}, "index"),
        ({"endpoint": "https://x", "index": "a/b", "body": BODY}, "index"),
        ({"endpoint": "https://x", "index": "idx?x=1", "body": BODY}, "index"),
        ({"endpoint": "https://x", "index": "idx\nx", "body": BODY}, "index"),
        ({"endpoint": "https://x", "index": "_all", "body": BODY}, "index"),
        ({"endpoint": "https://x", "index": "idx\n", "body": BODY}, "index"),
        ({"endpoint": "https://x", "index": "x" * 256, "body": BODY}, "index"),
        ({"endpoint": "https://x", "index": INDEX, "body": {"settings": {}}}, "mappings"),
    ],
)
def test_rejects_malformed_events(event: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_event(event)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(st.text(max_size=10), children, max_size=3)
        ),
        max_leaves=10,
    )
)
def test_any_event_is_parsed_or_refused_with_a_value_error(event: object) -> None:
    try:
        endpoint, name, body = parse_event(event)
    except ValueError:
        return
    assert endpoint.startswith(("http://", "https://")) and name and isinstance(body, dict)


def test_the_zip_holds_the_handler_and_nothing_it_does_not_need() -> None:
    root = Path(__file__).resolve().parents[3]
    subprocess.run(
        [sys.executable, str(root / "scripts" / "package-lambda"), "vector_index"],
        check=True,
        capture_output=True,
    )
    with zipfile.ZipFile(root / "dist" / "vector_index.zip") as archive:
        names = sorted(archive.namelist())
    assert names == ["vector_index/__init__.py", "vector_index/handler.py"]
