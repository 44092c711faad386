"""metering.json, read once: the metric names, dimensions and budget table every meter and every
dashboard share (Terraform reads the same file with ``jsondecode``).

JSON, read and validated here with the standard library alone, so a Lambda or a stream job ships
the meter without PyYAML or pydantic.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any, Literal, get_args

SPEC_FILE = "metering.json"
# The keys of metering.json's ``metrics``: what the meter emits, named in code by these keys.
MetricKey = Literal[
    "calls",
    "input_tokens",
    "output_tokens",
    "latency",
    "errors",
    "throttles",
    "budget_rejections",
    "budget_used_percent",
]
Unit = Literal["Count", "Milliseconds", "Percent"]
Dimension = Literal["Environment", "App", "Model"]


class SpecError(ValueError):
    """metering.json does not hold what the meter and the dashboards need."""


def _fields(value: object, where: str, names: tuple[str, ...]) -> Mapping[str, Any]:
    """``value`` as a mapping with exactly the keys ``names``: a misspelt key is an error."""
    if not isinstance(value, Mapping) or set(value) != set(names):
        found = sorted(value) if isinstance(value, Mapping) else type(value).__name__
        raise SpecError(f"{where} must have exactly {', '.join(names)}; it has {found}")
    return value


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise SpecError(f"{where} must be a non-empty string")
    return value


def _one_of(value: object, where: str, allowed: tuple[str, ...]) -> Any:
    if value not in allowed:
        raise SpecError(f"{where} must be one of {', '.join(allowed)}; it is {value!r}")
    return value


@dataclass(frozen=True)
class Metric:
    name: str
    unit: Unit

    @classmethod
    def parse(cls, value: object, where: str) -> Metric:
        fields = _fields(value, where, ("name", "unit"))
        return cls(
            _text(fields["name"], f"{where}.name"),
            _one_of(fields["unit"], f"{where}.unit", get_args(Unit)),
        )


@dataclass(frozen=True)
class Key:
    name: str
    type: Literal["S"]


@dataclass(frozen=True)
class BudgetTable:
    logical_name: str
    hash_key: Key
    ttl: str


@dataclass(frozen=True)
class MeteringSpec:
    namespace: str
    dimensions: tuple[Dimension, ...]
    metrics: Mapping[MetricKey, Metric]
    budget_table: BudgetTable

    @classmethod
    def parse(cls, document: object) -> MeteringSpec:
        """The spec in ``document`` (metering.json decoded), or :class:`SpecError`."""
        if isinstance(document, Mapping):
            # The file's own documentation: a list of paragraphs, ignored by every reader.
            document = {key: value for key, value in document.items() if key != "comment"}
        top = _fields(document, "the spec", ("namespace", "dimensions", "metrics", "budget_table"))
        dimensions = top["dimensions"]
        if not isinstance(dimensions, list) or not dimensions:
            raise SpecError("dimensions must be a non-empty list")
        metrics = _fields(top["metrics"], "metrics", get_args(MetricKey))
        table = _fields(top["budget_table"], "budget_table", ("logical_name", "hash_key", "ttl"))
        hash_key = _fields(table["hash_key"], "budget_table.hash_key", ("name", "type"))
        return cls(
            namespace=_text(top["namespace"], "namespace"),
            dimensions=tuple(_one_of(d, "a dimension", get_args(Dimension)) for d in dimensions),
            metrics={key: Metric.parse(value, f"metrics.{key}") for key, value in metrics.items()},
            budget_table=BudgetTable(
                logical_name=_text(table["logical_name"], "budget_table.logical_name"),
                hash_key=Key(
                    _text(hash_key["name"], "budget_table.hash_key.name"),
                    _one_of(hash_key["type"], "budget_table.hash_key.type", ("S",)),
                ),
                ttl=_text(table["ttl"], "budget_table.ttl"),
            ),
        )


def spec_text() -> str:
    return files(__package__).joinpath(SPEC_FILE).read_text()


@cache
def metering_spec() -> MeteringSpec:
    """The validated metering.json shipped inside this package (package data)."""
    return MeteringSpec.parse(json.loads(spec_text()))
