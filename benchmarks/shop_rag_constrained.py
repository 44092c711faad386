"""Constrained shopping questions generated from the catalog, and whether a product meets them.

Each question is drawn from one product of the catalog (seeded, so a run is repeatable): its
kind of product, always, and two to four of its colour, audience, a size and a price limit
above its price, phrased in a few ways a shopper writes ("black women's rain jackets under
$120", "Do you have rain jackets for women in size M?"). At least that product meets every
limit, so each question can be answered in full. Whether a product meets a question is
checked here against the product's own fields, not with the API's filters, so the check
measures the parsing and the filtering rather than repeating them.

    .venv/bin/python benchmarks/shop_rag_constrained.py [--count 20] [--seed 7]

prints a sample; benchmarks/shop_rag_retrieval.py scores the searches on them.
"""

from __future__ import annotations

import argparse
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from shop_rag.catalog import Product, parse_catalog
from shop_rag.vocabulary import Vocabulary, tokens

_OPENINGS = ("", "Show me ", "I'm looking for ", "Do you have ", "Any ")


@dataclass(frozen=True)
class Asked:
    """A generated question and the limits it states (None where it states none)."""

    question: str
    kind: str
    color: str | None = None
    audience: str | None = None
    size: str | None = None
    under: float | None = None


def _contains(words: Sequence[str], phrase: Sequence[str]) -> bool:
    return any(
        tuple(words[i : i + len(phrase)]) == tuple(phrase)
        for i in range(len(words) - len(phrase) + 1)
    )


def meets(product: Product, asked: Asked, audiences: Sequence[str]) -> bool:
    """Whether ``product`` meets every limit ``asked`` states; an audience admits the
    products for everyone (those whose name names no audience)."""
    name = tokens(product.name)
    if not _contains(name, tokens(asked.kind)):
        return False
    if asked.color is not None and asked.color not in product.colors:
        return False
    if asked.audience is not None and any(
        _contains(name, tokens(other)) for other in audiences if other != asked.audience
    ):
        return False
    if asked.size is not None and asked.size not in product.sizes:
        return False
    return asked.under is None or product.price < asked.under


def _kind_of(product: Product, vocabulary: Vocabulary) -> str:
    """The most specific kind of the vocabulary that ends ``product``'s name."""
    name = tokens(product.name)
    return max(
        (kind for form, kind in vocabulary.kinds.forms.items() if name[-len(form) :] == form),
        key=len,
    )


def _as_named(product: Product, kind: str) -> str:
    """``kind`` as ``product``'s name writes it ("t-shirt", not the tokens "t shirt")."""
    words = product.name.split()
    wanted = tokens(kind)
    return next(
        " ".join(words[-n:]).lower()
        for n in range(1, len(words) + 1)
        if tokens(" ".join(words[-n:])) == wanted
    )


def _plural(kind: str) -> str:
    if kind.endswith("s"):
        return kind
    return f"{kind}es" if kind.endswith(("sh", "ch", "x")) else f"{kind}s"


def _audience_of(product: Product, audiences: Sequence[str]) -> str | None:
    name = tokens(product.name)
    return next((a for a in audiences if _contains(name, tokens(a))), None)


def generate(products: Sequence[Product], count: int, seed: int) -> list[Asked]:
    """``count`` questions, each drawn from a product of ``products``."""
    rng = random.Random(seed)  # noqa: S311 (a repeatable sample, not a secret)
    vocabulary = Vocabulary.of(products)
    audiences = sorted(set(vocabulary.audiences.forms.values()))
    kinds = {_kind_of(p, vocabulary) for p in products}
    broad = {
        k.split()[-1] for k in kinds if sum(o.endswith(" " + k.split()[-1]) for o in kinds) > 1
    }
    asked: list[Asked] = []
    while len(asked) < count:
        product = rng.choice(products)
        kind = _kind_of(product, vocabulary)
        # Sometimes the broad kind ("jackets" for a rain jacket), where it spans several.
        if kind.split()[-1] in broad and rng.random() < 0.3:
            kind = kind.split()[-1]
        audience = _audience_of(product, audiences)
        sizes = [s for s in product.sizes if s != "One Size"]
        options = {
            "color": rng.choice(product.colors) if product.colors else None,
            "audience": audience,
            "size": rng.choice(sizes) if sizes else None,
            "under": float(math.ceil(product.price / 10) * 10 + rng.choice((0, 10, 20, 50))),
        }
        available = [name for name, value in options.items() if value is not None]
        chosen = rng.sample(available, min(len(available), rng.randint(2, 4)))
        limits = {name: options[name] for name in chosen}
        question = _phrase(rng, _as_named(product, kind), limits)
        asked.append(Asked(question, kind, **limits))  # type: ignore[arg-type]
    return asked


def _phrase(rng: random.Random, kind: str, limits: dict[str, object]) -> str:
    words = [rng.choice(_OPENINGS).strip()]
    if "color" in limits:
        words.append(str(limits["color"]))
    audience = limits.get("audience")
    before = audience is not None and rng.random() < 0.5
    if before:
        words.append(str(audience).lower())
    words.append(_plural(kind))
    if audience is not None and not before:
        words.append(f"for {_base(str(audience))}")
    if "size" in limits:
        words.append(f"in size {limits['size']}")
    if "under" in limits:
        words.append(f"{rng.choice(('under', 'below', 'less than'))} ${limits['under']:g}")
    question = " ".join(w for w in words if w)
    return question[0].upper() + question[1:] + ("?" if words[0] in ("Do you have", "Any") else "")


def _base(possessive: str) -> str:
    """ "men" for "Men's", "kids" for "Kids'"."""
    return possessive.lower().removesuffix("'s").removesuffix("'")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    catalog = Path(__file__).resolve().parents[1] / "datasets" / "myretail" / "catalog.jsonl"
    products = parse_catalog(catalog.read_bytes(), catalog.name)
    for asked in generate(products, args.count, args.seed):
        print(asked.question)


if __name__ == "__main__":
    main()
