"""Outside JSON within bounds: the size, the nesting, the encoding and every number."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from genai_common.safe_json import (
    DEPTH_CEILING,
    JsonInputError,
    depth,
    loads_bounded,
    loads_object,
)
from hypothesis import given, settings
from hypothesis import strategies as st

LIMITS = {"max_bytes": 1_000_000, "max_depth": 32}

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    # Brackets and quotes inside strings must not count as nesting.
    st.text(alphabet=st.sampled_from('[]{}"\\ab\u00e9\U0001f600'), max_size=20) | st.text(),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


def nesting(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max(map(nesting, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(nesting, value.values()), default=0)
    return 0


@settings(max_examples=200)
@given(value=values)
def test_any_json_document_within_bounds_comes_back_as_it_was(value: Any) -> None:
    text = json.dumps(value, ensure_ascii=False)
    assert depth(text) == nesting(value)
    assert loads_bounded(text, **LIMITS) == value
    assert loads_bounded(text.encode(), **LIMITS) == value


@settings(max_examples=300)
@given(data=st.binary(max_size=200) | st.text(alphabet='[]{}",:0123456789.eE+-\\ntrufalse'))
def test_any_input_either_parses_or_is_refused_with_a_reason(data: bytes | str) -> None:
    try:
        loads_bounded(data, max_bytes=100, max_depth=3)
    except JsonInputError as error:
        assert error.reason in ("too large", "too deep", "not UTF-8", "not JSON")
        assert str(error)


@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_a_deep_document_is_refused_before_it_is_parsed(opening: str) -> None:
    # json.loads alone raises RecursionError on this.
    with pytest.raises(
        JsonInputError, match=r"nested 100000 levels deep \(at most 32 are accepted\)"
    ) as caught:
        loads_bounded(opening * 100_000, **LIMITS)
    assert caught.value.reason == "too deep"
    assert isinstance(caught.value, ValueError)


def test_the_depth_limit_counts_levels_exactly() -> None:
    assert loads_bounded("[[[1]]]", max_bytes=100, max_depth=3) == [[[1]]]
    with pytest.raises(JsonInputError, match="nested 4 levels"):
        loads_bounded('[{"a": [[1]]}]', max_bytes=100, max_depth=3)
    assert loads_bounded('["[[[[[[", "{{{{"]', max_bytes=100, max_depth=1) == ["[[[[[[", "{{{{"]


def test_size_is_counted_in_utf8_bytes() -> None:
    text = json.dumps("é" * 60, ensure_ascii=False)  # 62 characters, 122 bytes
    assert loads_bounded(text, max_bytes=122, max_depth=1) == "é" * 60
    for data in (text, text.encode()):
        with pytest.raises(JsonInputError, match=r"^over 121 bytes$") as caught:
            loads_bounded(data, max_bytes=121, max_depth=1)
        assert caught.value.reason == "too large"


def test_bytes_that_are_not_utf8_are_named_as_such() -> None:
    with pytest.raises(JsonInputError, match=r"^not UTF-8 text \(byte 8\)$") as caught:
        loads_bounded(b'{"a": "\xff"}', **LIMITS)
    assert caught.value.reason == "not UTF-8"


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ('{"price": 1e999}', "the number 1e999 is too large"),
        ('{"price": -1e400}', "too large"),
        ("[NaN]", "NaN is not a JSON number"),
        ('{"a": Infinity}', "Infinity is not a JSON number"),
        ("[" + "9" * 5000 + "]", "digits"),
        ('{"a": 1', "Expecting"),
        ("", "Expecting value"),
    ],
)
def test_non_finite_numbers_and_broken_documents_are_not_json(document: str, problem: str) -> None:
    with pytest.raises(JsonInputError, match=problem) as caught:
        loads_bounded(document, **LIMITS)
    assert caught.value.reason == "not JSON"


def test_an_unterminated_string_of_escaped_quotes_is_scanned_in_linear_time() -> None:
    # Every quote of '"\"\"\"...' could start a string token; a scan that restarted at each
    # would be quadratic. Compared with plain text of the same size, not with a clock, in this
    # thread's CPU time: the time a busy machine runs other processes is not the scan's.
    def best_of_three(text: str) -> float:
        timings = []
        for _ in range(3):
            started = time.thread_time()
            depth(text)
            timings.append(time.thread_time() - started)
        return min(timings)

    hostile = '"' + '\\"' * 100_000
    plain = '"' + "ab" * 100_000
    assert depth(hostile) == 0
    assert best_of_three(hostile) < 20 * best_of_three(plain) + 0.01


def test_the_depth_bound_itself_is_bounded() -> None:
    with pytest.raises(ValueError, match=f"between 1 and {DEPTH_CEILING}"):
        loads_bounded("[]", max_bytes=10, max_depth=DEPTH_CEILING + 1)
    nested = "[" * DEPTH_CEILING + "]" * DEPTH_CEILING
    assert depth(nested) == DEPTH_CEILING
    loads_bounded(nested, max_bytes=10_000, max_depth=DEPTH_CEILING)


@pytest.mark.parametrize(
    ("document", "kind"),
    [("[1]", "array"), ('"x"', "string"), ("1.5", "number"), ("true", "boolean"), ("null", "null")],
)
def test_a_document_that_must_be_an_object_says_what_it_is_instead(
    document: str, kind: str
) -> None:
    with pytest.raises(JsonInputError, match=f"^a JSON {kind}, not a JSON object$") as caught:
        loads_object(document, **LIMITS)
    assert caught.value.reason == "not an object"
    assert loads_object('{"a": [1]}', **LIMITS) == {"a": [1]}
