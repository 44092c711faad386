"""Hypothesis strategies for what can arrive on the review stream: reviews, reviews with hostile
fields, and records that are not reviews at all (deep nesting, unbounded numbers, invalid
UTF-8, lone surrogates, cut-off JSON, random bytes)."""

from __future__ import annotations

import json
from datetime import UTC, timedelta, timezone

from hypothesis import strategies as st

ZONES = st.sampled_from([None, UTC, timezone(timedelta(hours=5, minutes=30))])
ISO_TIMES = st.datetimes(timezones=ZONES).map(lambda t: t.isoformat())

reviews = st.fixed_dictionaries(
    {
        "reviewId": st.integers(0, 2**31 - 1),
        "userId": st.text(min_size=1, max_size=20),
        "text": st.text(min_size=1, max_size=200),
        "dateTime": ISO_TIMES,
    }
)

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def _nested(depth: int, kind: str) -> str:
    opening, closing = ('{"a":', "}") if kind == "object" else ("[", "]")
    return opening * depth + "1" + closing * depth


deep_json = st.builds(_nested, st.integers(1, 5_000), st.sampled_from(["object", "array"]))
# Texts the JSON grammar accepts but a float or an int cannot hold.
unbounded_numbers = st.sampled_from(["1e999", "-1e999", "NaN", "Infinity", "1" * 5_000])


@st.composite
def _with(draw: st.DrawFn, field_texts: st.SearchStrategy[str]) -> str:
    """A review with one field (or an extra one) replaced by a JSON text of ``field_texts``."""
    review = draw(reviews)
    field = draw(st.sampled_from([*review, "extra"]))
    text = json.dumps({**review, field: "@@"})
    return text.replace('"@@"', draw(field_texts), 1)


@st.composite
def _spoiled(draw: st.DrawFn) -> bytes:
    """A review's bytes cut short, or with invalid UTF-8 spliced in."""
    data = json.dumps(draw(reviews), ensure_ascii=False).encode()
    cut = draw(st.integers(0, len(data)))
    if draw(st.booleans()):
        return data[:cut]
    return data[:cut] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80"])) + data[cut:]


# Outside the JSON text: a surrogate escape inside a string decodes to a lone surrogate.
lone_surrogates = st.sampled_from(['"\\ud800"', '"a\\udfffb"', '"\\ud83d"'])

records: st.SearchStrategy[bytes | str] = st.one_of(
    reviews.map(json.dumps),
    reviews.map(lambda r: json.dumps(r).encode()),
    _with(json_values.map(json.dumps)),
    _with(deep_json),
    _with(unbounded_numbers),
    _with(lone_surrogates),
    deep_json,
    _spoiled(),
    st.binary(max_size=300),
    st.text(max_size=300),
)
