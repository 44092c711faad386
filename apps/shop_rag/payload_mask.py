"""Which products a Qdrant filter admits, for the whole collection at once.

The embedded Qdrant checks a filter point by point for every search (and twice in a hybrid
one). Here each field is read once into columns, and a condition is answered for every
product at once, with the embedded Qdrant's semantics:

- an exact match (a value, any of some values, none of them) looks its values up in an index
  from each value to the products holding it;
- a range compares an array of the field's numbers;
- a text or phrase match compares the tokens of each distinct text (Qdrant's tokenizer);
- any other condition is checked with the embedded Qdrant's own check, once per distinct value
  of its field (or once per product when it reads a point's id or vectors).

Each condition's answer is kept for the life of the snapshot (shoppers ask for the same
colours, sizes and kinds again and again). ``must``, ``should``, ``must_not`` and
``min_should`` combine the answers as boolean arrays, so any filter built from Qdrant's models
is evaluated, however it nests.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from qdrant_client import models
from qdrant_client.local.payload_filters import (
    check_condition,
    unindexed_text_tokens,
    validate_filter,
)
from qdrant_client.local.payload_value_extractor import value_by_key

Mask = np.ndarray[Any, np.dtype[np.bool_]]
# Distinct conditions kept per snapshot; past this the oldest half is forgotten.
_KEPT_CONDITIONS = 4096
Rows = np.ndarray[Any, np.dtype[np.intp]]
# Qdrant matches exactly only values of one type: a bool is not 1, a float never equals an
# integer operand (operands are bools, integers and strings).
Exact = tuple[str, object]


# An object or a list: equal to no operand, so it satisfies any "none of".
_UNEQUAL: Exact = ("unequal", "")


def _exact(value: object) -> Exact:
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, float):
        return ("float", value)
    if isinstance(value, int | str):
        return ("other", value)
    return _UNEQUAL


@dataclass(frozen=True)
class _Field:
    """One field's values (a list is its elements, as Qdrant reads it), as columns."""

    exact: dict[Exact, Rows]  # each hashable value -> the products holding it
    numbers: tuple[Rows, np.ndarray[Any, np.dtype[np.float64]]]  # (product, number) pairs
    # (product, text) pairs, each text as its tokens (Qdrant's tokenizer) between spaces, so
    # that " token " and " a phrase " are found in it by substring.
    texts: list[tuple[int, str]]


class PayloadMask:
    """Filter evaluation over the payloads of one snapshot of the collection."""

    def __init__(
        self,
        payloads: Sequence[dict[str, Any]],
        ids: Sequence[models.ExtendedPointId],
        vector_names: Sequence[str],
    ) -> None:
        self._payloads = payloads
        self._ids = ids
        self._has_vector = dict.fromkeys(vector_names, True)
        self._columns: dict[str, tuple[Rows, list[int]]] = {}
        self._fields: dict[str, _Field] = {}
        self._answers: dict[str, Mask] = {}

    def __call__(self, payload_filter: models.Filter | None) -> Mask:
        """True for each product ``payload_filter`` admits (every product when None)."""
        if payload_filter is None:
            return np.ones(len(self._payloads), dtype=bool)
        validate_filter(payload_filter)  # refused as the embedded store refuses it
        return self._filter(payload_filter)

    def _filter(self, payload_filter: models.Filter) -> Mask:
        admitted = np.ones(len(self._payloads), dtype=bool)
        for condition in _listed(payload_filter.must):
            admitted &= self._condition(condition)
        for condition in _listed(payload_filter.must_not):
            admitted &= ~self._condition(condition)
        # An empty `should` is no constraint, as on the server.
        if should := _listed(payload_filter.should):
            admitted &= np.logical_or.reduce([self._condition(c) for c in should])
        if (at_least := payload_filter.min_should) is not None:
            met = np.sum([self._condition(c) for c in at_least.conditions], axis=0)
            admitted &= met >= at_least.min_count
        return admitted

    def _condition(self, condition: models.Condition) -> Mask:
        if isinstance(condition, models.Filter):
            return self._filter(condition)
        key = condition.model_dump_json()
        answer = self._answers.get(key)
        if answer is None:
            answer = self._evaluate(condition)
            if len(self._answers) >= _KEPT_CONDITIONS:
                for old in list(self._answers)[: _KEPT_CONDITIONS // 2]:
                    self._answers.pop(old, None)
            self._answers[key] = answer
        return answer

    def _evaluate(self, condition: models.Condition) -> Mask:
        if isinstance(condition, models.FieldCondition) and (
            condition.values_count is None
            and condition.is_empty is None
            and condition.is_null is None
        ):
            match, limits = condition.match, condition.range
            if isinstance(match, models.MatchValue | models.MatchAny | models.MatchExcept):
                return self._exact_match(condition.key, match)
            if isinstance(match, models.MatchText | models.MatchPhrase):
                return self._text_match(condition.key, match)
            if match is None and isinstance(limits, models.Range):
                return self._in_range(condition.key, limits)
        if isinstance(condition, models.FieldCondition):
            # A field condition reads nothing but its field: its answer for a product is its
            # answer for any product with the same value there.
            rows, representatives = self._column(condition.key)
            answers = np.fromiter(
                (
                    check_condition(condition, self._payloads[i], -1, self._has_vector)
                    for i in representatives
                ),
                dtype=bool,
                count=len(representatives),
            )
            return answers[rows]
        # Conditions on a point's id or vectors (or nested arrays): product by product.
        return np.fromiter(
            (
                check_condition(condition, payload, point, self._has_vector)
                for payload, point in zip(self._payloads, self._ids, strict=True)
            ),
            dtype=bool,
            count=len(self._payloads),
        )

    def _exact_match(
        self, key: str, match: models.MatchValue | models.MatchAny | models.MatchExcept
    ) -> Mask:
        index = self._field(key).exact
        if isinstance(match, models.MatchExcept):
            # A product with any value outside the list (null is no value).
            excluded = {_exact(v) for v in match.except_}
            wanted = [k for k in index if k not in excluded]
        else:
            operands = [match.value] if isinstance(match, models.MatchValue) else match.any
            wanted = [_exact(v) for v in operands]
        return self._products([index[k] for k in wanted if k in index])

    def _text_match(self, key: str, match: models.MatchText | models.MatchPhrase) -> Mask:
        text_match = isinstance(match, models.MatchText)
        tokens = unindexed_text_tokens(
            match.text if isinstance(match, models.MatchText) else match.phrase
        )
        if not tokens:  # an empty query matches nothing
            return self._products([])
        # Every token anywhere, or the tokens one after another.
        needed = [f" {token} " for token in tokens] if text_match else [f" {' '.join(tokens)} "]
        hits = [row for row, text in self._field(key).texts if all(p in text for p in needed)]
        return self._products([np.array(hits, dtype=np.intp)])

    def _in_range(self, key: str, limits: models.Range) -> Mask:
        rows, numbers = self._field(key).numbers
        inside = np.ones(len(numbers), dtype=bool)
        for bound, compare in (
            (limits.lt, np.less),
            (limits.lte, np.less_equal),
            (limits.gt, np.greater),
            (limits.gte, np.greater_equal),
        ):
            if bound is not None:
                inside &= compare(numbers, bound)
        return self._products([rows[inside]])

    def _products(self, rows: list[Rows]) -> Mask:
        """True for each product in any of ``rows``."""
        admitted = np.zeros(len(self._payloads), dtype=bool)
        for some in rows:
            admitted[some] = True
        return admitted

    def _field(self, key: str) -> _Field:
        field = self._fields.get(key)
        if field is None:
            exact: dict[Exact, list[int]] = defaultdict(list)
            number_rows, numbers, texts = [], [], []
            for row, payload in enumerate(self._payloads):
                for value in value_by_key(payload, key) or ():
                    if value is None:  # null is no value
                        continue
                    exact[_exact(value)].append(row)
                    if isinstance(value, int | float) and not isinstance(value, bool):
                        number_rows.append(row)
                        numbers.append(value)
                    if isinstance(value, str):
                        texts.append((row, f" {' '.join(unindexed_text_tokens(value))} "))
            field = self._fields[key] = _Field(
                {k: np.array(v, dtype=np.intp) for k, v in exact.items()},
                (np.array(number_rows, dtype=np.intp), np.array(numbers, dtype=np.float64)),
                texts,
            )
        return field

    def _column(self, key: str) -> tuple[np.ndarray[Any, np.dtype[np.intp]], list[int]]:
        """For each product, the number of its distinct value of ``key``; and for each distinct
        value, the first product that holds it."""
        column = self._columns.get(key)
        if column is None:
            numbers: dict[str, int] = {}
            representatives: list[int] = []
            rows = np.empty(len(self._payloads), dtype=np.intp)
            for row, payload in enumerate(self._payloads):
                value = json.dumps(value_by_key(payload, key, flat=False), sort_keys=True)
                number = numbers.setdefault(value, len(numbers))
                if number == len(representatives):
                    representatives.append(row)
                rows[row] = number
            column = self._columns[key] = (rows, representatives)
        return column


def _listed(clause: models.Condition | list[models.Condition] | None) -> list[models.Condition]:
    if clause is None:
        return []
    return clause if isinstance(clause, list) else [clause]
