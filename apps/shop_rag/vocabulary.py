"""The catalog's own words for colours, audiences and kinds of product, and where a question
uses them.

Nothing here is a hand-written list: every term comes from the loaded products, so a catalog
that adds "burgundy" or "Toddlers'" is understood without a code change.

- Colours are the values of the products' ``colors``.
- Audiences are the possessives in names of several brands ("Men's", "Kids'"): a possessive
  in a single brand's names is a brand ("Levi's"), not an audience.
- A kind is the tail of a name that only ever names that kind: walking back from a name's
  last word, a word belongs to the kind while it is followed by at most two different words
  and ends names of at most two different last words anywhere in the catalog ("Trail" only
  precedes "Running", "Hiking" only "Boot" and "Pants"); a feature ("Waterproof") or a model
  name qualifies many kinds and ends the walk, as does a possessive, and a word that the
  product's description does not use: a description names the kind ("A trail running shoe
  for men") but states features in other words ("Non-Slip" as "grips the floor"). Every
  tail of a kind is a kind too ("Running Shoe", "Shoe"), so a question may be as broad as
  it likes.

Words are compared as Qdrant's default tokenizer cuts them (lower case, split at anything not
a letter or digit), so a phrase read here filters the same products on a server and in the
embedded store. A plural is the singular with "s" or "es" added to its last word, and a
word written with a final "s" is also read without it ("kid" for "Kids'").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from shop_rag.catalog import Product

Tokens = tuple[str, ...]
_TOKEN = re.compile(r"[^\W_]+")
_POSSESSIVE = re.compile(r"^(\w+?)(?:'s|s')$", re.IGNORECASE)
# A word followed by, or ending names of, more different words than this qualifies several
# kinds of product: it is a feature, not part of a kind's name.
_KIND_SPREAD = 2
# An audience's possessive is in names of at least this many brands.
_AUDIENCE_BRANDS = 2


def tokens(text: str) -> Tokens:
    """``text`` as Qdrant's default word tokenizer cuts it."""
    return tuple(token.lower() for token in _TOKEN.findall(text))


def _forms(phrase: Tokens) -> set[Tokens]:
    """The ways a question may write ``phrase``: as is, or with its last word pluralised or
    stripped of a final "s"."""
    *head, last = phrase
    forms = {phrase, (*head, last + "s"), (*head, last + "es")}
    if last.endswith("s") and len(last) > 2:
        forms.add((*head, last[:-1]))
    return forms


@dataclass(frozen=True)
class Terms:
    """Surface forms (token tuples) of one vocabulary, each mapped to the term it names."""

    forms: dict[Tokens, str] = field(default_factory=dict)

    @classmethod
    def of(cls, terms: dict[Tokens, str]) -> Terms:
        forms: dict[Tokens, str] = {}
        # A term's own spelling wins over a form derived from another term.
        for phrase, term in terms.items():
            for form in _forms(phrase):
                forms.setdefault(form, term)
        forms.update(terms)
        return cls(forms)

    @property
    def longest(self) -> int:
        return max(map(len, self.forms), default=0)

    def find(self, words: Tokens) -> list[tuple[int, int, str]]:
        """(start, end, term) of each use in ``words``, left to right; at each position the
        longest form wins ("trail running shoes" is one kind, not "shoes")."""
        found, start, longest = [], 0, self.longest
        while start < len(words):
            for size in range(min(longest, len(words) - start), 0, -1):
                term = self.forms.get(words[start : start + size])
                if term is not None:
                    found.append((start, start + size, term))
                    start += size
                    break
            else:
                start += 1
        return found


def _kind(
    words: Sequence[str],
    described: Tokens,
    followers: dict[str, set[str]],
    ends: dict[str, set[str]],
) -> Sequence[str]:
    """The words of the kind a name ends with (see the module's docstring); ``described``
    are the words of the product's description."""
    start = len(words) - 1
    while start > 0:
        word = words[start - 1]
        spread = max(len(followers[word]), len(ends[word]))
        if spread > _KIND_SPREAD or _POSSESSIVE.match(word):
            break
        if described and not _contains(described, tokens(word)):
            break
        start -= 1
    return words[start:]


def _contains(words: Tokens, phrase: Tokens) -> bool:
    return any(words[i : i + len(phrase)] == phrase for i in range(len(words) - len(phrase) + 1))


def _kinds(products: Sequence[Product]) -> dict[Tokens, str]:
    names = [p.name.lower().split() for p in products]
    followers: dict[str, set[str]] = defaultdict(set)
    ends: dict[str, set[str]] = defaultdict(set)
    for words in names:
        for word, following in pairwise(words):
            followers[word].add(following)
            ends[word].add(words[-1])
    kinds: dict[Tokens, str] = {}
    for words, product in zip(names, products, strict=True):
        kind = _kind(words, tokens(product.description), followers, ends)
        for start in range(len(kind)):
            tail = tokens(" ".join(kind[start:]))
            kinds[tail] = " ".join(tail)
    return kinds


def _audiences(products: Sequence[Product]) -> dict[Tokens, str]:
    brands: dict[str, set[str]] = defaultdict(set)
    for product in products:
        for word in product.name.split():
            if _POSSESSIVE.match(word):
                brands[word].add(product.brand)
    audiences: dict[Tokens, str] = {}
    for word, owners in brands.items():
        if len(owners) >= _AUDIENCE_BRANDS:
            match = _POSSESSIVE.match(word)
            assert match is not None
            base = word[: match.end(1)] + ("s" if word.lower().endswith("s'") else "")
            audiences[tokens(base)] = word
    return audiences


@dataclass(frozen=True)
class Attributes:
    """What a question asks for in the catalog's words; empty where it names nothing."""

    colors: tuple[str, ...] = ()
    audience: str | None = None
    other_audiences: tuple[str, ...] = ()
    kind: str | None = None


@dataclass(frozen=True)
class Vocabulary:
    colors: Terms = field(default_factory=Terms)
    audiences: Terms = field(default_factory=Terms)
    kinds: Terms = field(default_factory=Terms)

    @classmethod
    def of(cls, products: Iterable[Product]) -> Vocabulary:
        listed = list(products)
        colors = {tokens(c): c for p in listed for c in p.colors if tokens(c)}
        return cls(
            colors=Terms.of(colors),
            audiences=Terms.of(_audiences(listed)),
            kinds=Terms.of(_kinds(listed)),
        )

    def read(self, question: str) -> Attributes:
        """The colours, audience and kind ``question`` names.

        Of each the first named wins, as the limits of :mod:`shop_rag.query` do (a rewritten
        follow-up comes before the history it draws on), with two exceptions: colours joined
        by "or", "and" or a comma are all accepted ("black or navy"), and of the kinds the
        most specific wins ("top-rated e-readers" asks for e-readers, not tops).
        A kind right after "made" or "from" is what the product is made of ("made from
        recycled bottles") and is skipped.
        """
        words = tokens(question)
        audiences = self.audiences.find(words)
        kinds = [
            k for k in self.kinds.find(words) if not _MATERIAL & set(words[max(0, k[0] - 2) : k[0]])
        ]
        audience = audiences[0][2] if audiences else None
        every_audience = sorted(set(self.audiences.forms.values()))
        return Attributes(
            colors=_first_run(self.colors.find(words), question),
            audience=audience,
            other_audiences=tuple(a for a in every_audience if a != audience) if audience else (),
            kind=max(kinds, key=lambda k: k[1] - k[0])[2] if kinds else None,
        )


# What may stand between two colours of one list: "black, navy or red" (not "red? black").
_JOINED = re.compile(r"(?:\s|,|/|\bor\b|\band\b)*", re.IGNORECASE)
_MATERIAL = frozenset({"made", "from"})


def _first_run(found: list[tuple[int, int, str]], question: str) -> tuple[str, ...]:
    """The first term found, with those that follow it joined only by commas, "or" or "and"
    (``found`` counts tokens of ``question``)."""
    if not found:
        return ()
    spans = [match.span() for match in _TOKEN.finditer(question)]
    run = [found[0]]
    for start, end, term in found[1:]:
        between = question[spans[run[-1][1] - 1][1] : spans[start][0]]
        if not _JOINED.fullmatch(between):
            break
        run.append((start, end, term))
    return tuple(dict.fromkeys(term for _, _, term in run))
