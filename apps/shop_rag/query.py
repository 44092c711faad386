"""What a shopper's question asks for beyond its words: price limits, a size, stock, colours,
an audience and a kind of product.

Embeddings and keywords rank products by what they are; they cannot tell $95 from $125,
size 44 from size 41, or a black jacket from a navy one that is otherwise alike. Those
constraints are read from the question (prices, sizes and stock with a few patterns; colours,
audiences and kinds in the catalog's own words, see :mod:`shop_rag.vocabulary`) and applied
as Qdrant filters, so every product retrieved satisfies them. When a constraint is
stated twice, the first statement wins: a rewritten follow-up puts the new question first
and the history after it ("Under $80? hiking boots size 44 under $120" asks for under $80).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields

from genai_common import conversation
from genai_common.chunking import STOP_WORDS
from qdrant_client import models

from shop_rag.vocabulary import Attributes, Vocabulary

# A sum of money: "$120", "$ 99.50", "120 dollars". A bare number is not one ("for kids
# under 10" is an age). A number starts where a run of digits starts (the lookbehind): a
# search may otherwise try every digit of a long run as a start and scan the rest of the run
# from each, which takes time quadratic in the run's length.
_NUMBER = r"(?<!\d)(\d++(?:\.\d++)?+)"
_MONEY = rf"(?:\$\s*+{_NUMBER}|{_NUMBER}\s*+(?:dollars|usd|bucks)\b)"
_BETWEEN = re.compile(
    rf"\bbetween\s+{_MONEY}\s+and\s+{_MONEY}|{_MONEY}\s*(?:-|\u2013|to)\s*{_MONEY}", re.I
)
_BELOW = re.compile(rf"\b(?:under|below|less than|cheaper than|lower than)\s+{_MONEY}", re.I)
_AT_MOST = re.compile(rf"\b(?:up to|at most|no more than|max(?:imum)?(?: of)?)\s+{_MONEY}", re.I)
_ABOVE = re.compile(rf"\b(?:over|above|more than|pricier than)\s+{_MONEY}", re.I)
_AT_LEAST = re.compile(rf"\b(?:at least|from|starting at)\s+{_MONEY}", re.I)
_SIZE = re.compile(r"\bsize\s+(\d{1,2}(?:\.5)?|xxs|xs|s|m|l|xl|xxl|xxxl|one size)\b", re.I)
_IN_STOCK = re.compile(r"\bin[ -]stock\b", re.I)
# Words of a question that say nothing about the product sought.
_FILLER = frozenset(
    [
        "show",
        "me",
        "looking",
        "look",
        "need",
        "want",
        "please",
        "suggest",
        "recommend",
        "find",
        "some",
        "any",
        "anything",
        "something",
        "there",
        "those",
        "these",
        "them",
        "ones",
        "one",
        "i'm",
        "im",
        "like",
        "got",
        "get",
        "good",
        "best",
        "sort",
        "price",
        "cheapest",
        "cost",
        "available",
        "come",
        "comes",
        "else",
        "thanks",
    ]
)


@dataclass(frozen=True)
class Constraints(Attributes):
    """Limits read from a question; None (or empty) where it sets none."""

    min_price: float | None = None
    min_inclusive: bool = True
    max_price: float | None = None
    max_inclusive: bool = True
    size: str | None = None
    in_stock: bool = False

    def __bool__(self) -> bool:
        return self != Constraints()

    def filter(self, within: Sequence[str] = ()) -> models.Filter | None:
        """The Qdrant filter admitting the products within these limits (and, when
        ``within`` names product ids, among those products only)."""
        must: list[models.Condition] = []
        must_not: list[models.Condition] = []
        if within:
            must.append(
                models.FieldCondition(key="product_id", match=models.MatchAny(any=list(within)))
            )
        if self.colors:
            must.append(
                models.FieldCondition(key="colors", match=models.MatchAny(any=list(self.colors)))
            )
        if self.kind is not None:
            must.append(
                models.FieldCondition(key="name", match=models.MatchPhrase(phrase=self.kind))
            )
        # An audience admits the products for everyone too: it excludes the others' products.
        must_not.extend(
            models.FieldCondition(key="name", match=models.MatchPhrase(phrase=other))
            for other in self.other_audiences
        )
        if self.min_price is not None or self.max_price is not None:
            must.append(
                models.FieldCondition(
                    key="price",
                    range=models.Range(
                        gte=self.min_price if self.min_inclusive else None,
                        gt=None if self.min_inclusive else self.min_price,
                        lte=self.max_price if self.max_inclusive else None,
                        lt=None if self.max_inclusive else self.max_price,
                    ),
                )
            )
        if self.size is not None:
            must.append(
                models.FieldCondition(key="sizes", match=models.MatchValue(value=self.size))
            )
        if self.in_stock:
            must.append(models.FieldCondition(key="stock", range=models.Range(gt=0)))
        if not must and not must_not:
            return None
        return models.Filter(must=must or None, must_not=must_not or None)

    def describe(self) -> str:
        """The limits as a shopper would say them ("Men's, black, size M, under $100")."""
        parts = [self.audience, " or ".join(self.colors), self.kind]
        if self.size is not None:
            parts.append(f"size {self.size}")
        if self.min_price is not None and self.max_price is not None:
            parts.append(f"${self.min_price:g} to ${self.max_price:g}")
        elif self.max_price is not None:
            parts.append(f"{'up to' if self.max_inclusive else 'under'} ${self.max_price:g}")
        elif self.min_price is not None:
            parts.append(f"{'from' if self.min_inclusive else 'over'} ${self.min_price:g}")
        if self.in_stock:
            parts.append("in stock")
        return ", ".join(p for p in parts if p)


def _amounts(match: re.Match[str]) -> list[float]:
    return [float(group) for group in match.groups() if group is not None]


def _earliest(text: str, *patterns: re.Pattern[str]) -> tuple[re.Pattern[str], list[float]] | None:
    """The pattern that matches first in ``text``, and the sums its match states."""
    found = [(p, m) for p in patterns if (m := p.search(text))]
    if not found:
        return None
    pattern, match = min(found, key=lambda pm: pm[1].start())
    return pattern, _amounts(match)


def _size(value: str) -> str:
    """A size as the catalog writes it: "44", "XL", "One Size"."""
    if value[0].isdigit():
        return value
    return "One Size" if value.lower() == "one size" else value.upper()


def constraints(question: str, vocabulary: Vocabulary | None = None) -> Constraints:
    """The price range, size and stock limits ``question`` states (the first of each kind),
    and the colours, audience and kind it names in ``vocabulary``'s words."""
    attributes = vocabulary.read(question) if vocabulary else Attributes()
    values: dict[str, object] = {f.name: getattr(attributes, f.name) for f in fields(Attributes)}
    values["in_stock"] = bool(_IN_STOCK.search(question))
    upper = _earliest(question, _BETWEEN, _BELOW, _AT_MOST)
    lower = _earliest(question, _BETWEEN, _ABOVE, _AT_LEAST)
    if upper and upper[0] is _BETWEEN:
        values.update(min_price=min(upper[1]), max_price=max(upper[1]))
    else:
        if upper:
            values.update(max_price=upper[1][0], max_inclusive=upper[0] is _AT_MOST)
        if lower and lower[0] is not _BETWEEN:
            values.update(min_price=lower[1][0], min_inclusive=lower[0] is _AT_LEAST)
    if size := _SIZE.search(question):
        values["size"] = _size(size.group(1))
    return Constraints(**values)  # type: ignore[arg-type]


_CONSTRAINT_PATTERNS = (_BETWEEN, _BELOW, _AT_MOST, _ABOVE, _AT_LEAST, _SIZE, _IN_STOCK)
_WORD = re.compile(r"[A-Za-z0-9&'-]+")


def key_terms(question: str) -> str:
    """``question`` without its filler: its constraints as written, then its other content
    words in order ("Show me waterproof boots under $120" → "under $120 waterproof boots")."""
    phrases: list[str] = []
    rest = question
    for pattern in _CONSTRAINT_PATTERNS:
        for match in pattern.finditer(rest):
            phrases.append(match.group(0).strip())
        rest = pattern.sub(" ", rest)
    words = [
        w for w in _WORD.findall(rest) if w.lower() not in STOP_WORDS and w.lower() not in _FILLER
    ]
    return " ".join([*phrases, *words])


def offline_rewrite(question: str, previous_questions: list[str]) -> str:
    """The offline stand-in's rewrite of a follow-up (no model runs): the follow-up, then the
    key terms of the shopper's earlier questions, latest first. The follow-up comes first so
    that the limits it states win over those of the history (see :func:`constraints`)."""
    return conversation.offline_rewrite(question, previous_questions, key_terms)
