"""The product catalog: one JSON object per line, each validated, or the whole file refused.

A catalog is loaded all or nothing: a file with one bad line would otherwise leave the store
holding a mix of old and new products that nobody asked for. Every bad line is reported
with its number, so one round of fixes is enough.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Annotated

from genai_common.safe_json import JsonInputError, loads_bounded
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from shop_rag.errors import ServiceError

# Enough to fix a file in one go, short enough to read in an HTTP error.
MAX_REPORTED = 20
# A product is an object holding lists of strings; a line is far below this unless hostile.
MAX_LINE_BYTES = 64 * 1024
MAX_LINE_DEPTH = 4
# Control characters would be echoed into prompts and answers: they are refused, except tabs
# and line breaks in the description. (Pydantic itself refuses lone surrogates.)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _printable(pattern: re.Pattern[str]) -> AfterValidator:
    def check(value: str) -> str:
        if match := pattern.search(value):
            raise ValueError(
                f"contains the control character U+{ord(match.group()):04X} at position "
                f"{match.start() + 1}"
            )
        return value

    return AfterValidator(check)


Line = Annotated[str, _printable(_CONTROL)]
Text = Annotated[str, _printable(_CONTROL_IN_TEXT)]
# A size or a colour as a shopper reads it ("One Size", "44", "navy blue").
Label = Annotated[str, Field(min_length=1, max_length=40), _printable(_CONTROL)]


class Product(BaseModel):
    """One catalog line. Unknown fields are refused: a misspelt ``prize`` would otherwise
    load a product without its price silently."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    product_id: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")
    name: Line = Field(min_length=1, max_length=300)
    category: Line = Field(min_length=1, max_length=100)
    brand: Line = Field(min_length=1, max_length=100)
    description: Text = Field(default="", max_length=5000)
    # Strict numbers: `"price": true` or `"stock": "12"` is a broken export, not a value.
    price: float = Field(ge=0, le=1_000_000, allow_inf_nan=False, strict=True)
    sizes: tuple[Label, ...] = Field(default=(), max_length=100)
    colors: tuple[Label, ...] = Field(default=(), max_length=100)
    stock: int = Field(ge=0, le=1_000_000_000, strict=True)
    rating: float | None = Field(default=None, ge=0, le=5, allow_inf_nan=False, strict=True)

    def text(self) -> str:
        """The product as the embeddings and the answer's context read it: sentences that
        name it first, so that a quoted sentence says which product it is about."""
        parts = [
            f"{self.name} by {self.brand} ({self.category}).",
            f"Price ${self.price:.2f}.",
        ]
        if self.sizes:
            parts.append(f"Sizes {', '.join(self.sizes)}.")
        if self.colors:
            parts.append(f"Colors {', '.join(self.colors)}.")
        parts.append(f"{self.stock} in stock." if self.stock else "Out of stock.")
        if self.rating is not None:
            parts.append(f"Rated {self.rating:.1f} out of 5.")
        if self.description:
            parts.append(self.description)
        return " ".join(parts)

    def content_hash(self, model: str) -> str:
        """Changes when the product or the embedding ``model`` does, and only then."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(f"{model}\n{canonical}".encode()).hexdigest()


class CatalogError(ServiceError):
    """The catalog cannot be loaded; ``problems`` are (line number, what is wrong)."""

    status = 422

    def __init__(self, source: str, problems: list[tuple[int, str]]) -> None:
        self.source = source
        self.problems = problems
        shown = "; ".join(f"line {line}: {problem}" for line, problem in problems[:MAX_REPORTED])
        more = len(problems) - MAX_REPORTED
        suffix = f"; and {more} more" if more > 0 else ""
        count = f"{len(problems)} bad line{'s' if len(problems) != 1 else ''}"
        super().__init__(f"{source} was not loaded: {count}: {shown}{suffix}")


def _problem(error: ValidationError) -> str:
    parts = []
    for detail in error.errors(include_url=False):
        where = ".".join(str(part) for part in detail["loc"]) or "line"
        parts.append(f"{where}: {detail['msg']}")
    return ", ".join(parts)


def parse_catalog(data: bytes, source: str) -> list[Product]:
    """The products of a JSON Lines file; blank lines are skipped.

    Raises :class:`CatalogError` listing every line that is not UTF-8, not a JSON object
    (or one over MAX_LINE_BYTES, or nested deeper than a product), not a valid product, or
    repeats an earlier product id; and when no line holds a product.
    """
    products: list[Product] = []
    problems: list[tuple[int, str]] = []
    first_line: dict[str, int] = {}
    for number, raw in enumerate(data.split(b"\n"), start=1):
        try:
            line = raw.decode("utf-8").strip()
        except UnicodeDecodeError as error:
            problems.append((number, f"not UTF-8 text (byte {error.start + 1})"))
            continue
        if not line:
            continue
        try:
            record = loads_bounded(line, max_bytes=MAX_LINE_BYTES, max_depth=MAX_LINE_DEPTH)
        except JsonInputError as error:
            problems.append((number, str(error)))
            continue
        if not isinstance(record, dict):
            problems.append((number, f"a JSON {type(record).__name__}, not an object"))
            continue
        try:
            product = Product.model_validate(record)
        except ValidationError as error:
            problems.append((number, _problem(error)))
            continue
        if product.product_id in first_line:
            seen = first_line[product.product_id]
            problems.append((number, f"product_id {product.product_id} repeats line {seen}"))
            continue
        first_line[product.product_id] = number
        products.append(product)
    if problems:
        raise CatalogError(source, problems)
    if not products:
        raise CatalogError(source, [(1, "the file holds no products")])
    return products
