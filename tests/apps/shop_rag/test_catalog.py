"""Catalog parsing: valid files round-trip, and every bad line is reported by number."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shop_rag.catalog import MAX_REPORTED, CatalogError, Product, parse_catalog

# Printable text: control characters and lone surrogates are refused (see below).
text = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(
    lambda s: s.strip() == s and s
)
products = st.builds(
    Product,
    product_id=st.from_regex(r"[A-Za-z0-9_-]{1,12}", fullmatch=True),
    name=text,
    category=text,
    brand=text,
    description=st.just("") | text,
    price=st.floats(0, 100_000, allow_nan=False, allow_infinity=False),
    sizes=st.lists(text, max_size=4).map(tuple),
    colors=st.lists(text, max_size=4).map(tuple),
    stock=st.integers(0, 10_000),
    rating=st.none() | st.floats(0, 5, allow_nan=False),
)
unique_products = st.lists(products, min_size=1, max_size=8, unique_by=lambda p: p.product_id)
bad_lines = st.sampled_from(
    [
        "{",
        "[1, 2]",
        '"a string"',
        '{"product_id": "X"}',
        '{"product_id": "bad id!", "name": "n", "category": "c", "brand": "b", "price": 1, "stock": 1}',
    ]
)


def jsonl(items: list[Product]) -> bytes:
    return "".join(item.model_dump_json() + "\n" for item in items).encode()


@given(unique_products)
def test_a_valid_file_parses_to_the_same_products(items: list[Product]) -> None:
    assert parse_catalog(jsonl(items), "c.jsonl") == items


@given(unique_products, bad_lines, st.data())
def test_a_bad_line_anywhere_is_reported_by_its_number_and_nothing_is_returned(
    items: list[Product], bad: str, data: st.DataObject
) -> None:
    # Lines end at \n only: JSON escapes it inside strings, unlike other line breaks.
    lines = jsonl(items).decode().rstrip("\n").split("\n")
    at = data.draw(st.integers(0, len(lines)))
    lines.insert(at, bad)
    with pytest.raises(CatalogError) as caught:
        parse_catalog("\n".join(lines).encode(), "c.jsonl")
    assert [line for line, _ in caught.value.problems] == [at + 1]
    assert f"line {at + 1}: " in str(caught.value)


def test_problems_are_listed_together_and_cut_after_a_screenful() -> None:
    good = Product(
        product_id="P1", name="Boot", category="Footwear", brand="B", price=10, stock=1
    ).model_dump_json()
    data = b"\n".join([good.encode(), b"\xff\xfe", b"", b"{}", *[b"nope"] * 25])
    with pytest.raises(CatalogError) as caught:
        parse_catalog(data, "c.jsonl")
    message = str(caught.value)
    assert message.startswith("c.jsonl was not loaded: 27 bad lines: line 2: not UTF-8 text")
    assert "line 4: product_id: Field required, name: Field required" in message
    assert message.endswith(f"; and {27 - MAX_REPORTED} more")


def test_unknown_fields_and_empty_files_are_refused() -> None:
    record = {"product_id": "P1", "name": "n", "category": "c", "brand": "b", "stock": 1}
    with pytest.raises(CatalogError, match="line 1: prize: Extra inputs are not permitted"):
        parse_catalog(json.dumps({**record, "price": 1, "prize": 2}).encode(), "c.jsonl")
    with pytest.raises(CatalogError, match="line 1: the file holds no products"):
        parse_catalog(b"\n\n", "c.jsonl")


def test_the_hash_changes_with_the_product_or_the_model_only() -> None:
    product = Product(product_id="P1", name="Boot", category="F", brand="B", price=10, stock=1)
    same = Product.model_validate_json(product.model_dump_json())
    assert product.content_hash("m1") == same.content_hash("m1")
    assert product.content_hash("m1") != product.content_hash("m2")
    assert product.content_hash("m1") != product.model_copy(update={"stock": 2}).content_hash("m1")


def test_the_text_names_the_product_in_its_first_sentence() -> None:
    product = Product(
        product_id="P1",
        name="Trailmark Aspen Boot",
        category="Footwear",
        brand="Trailmark",
        description="Keeps rain out.",
        price=119.5,
        sizes=("43", "44"),
        colors=("black",),
        stock=0,
        rating=4.5,
    )
    assert product.text() == (
        "Trailmark Aspen Boot by Trailmark (Footwear). Price $119.50. Sizes 43, 44. "
        "Colors black. Out of stock. Rated 4.5 out of 5. Keeps rain out."
    )


RECORD = {
    "product_id": "P1",
    "name": "Boot",
    "category": "F",
    "brand": "B",
    "price": 10,
    "stock": 1,
}


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"price": True}, "price: Input should be a valid number"),
        ({"price": "10"}, "price: Input should be a valid number"),
        ({"stock": 10**20}, "stock: Input should be less than or equal to 1000000000"),
        ({"stock": 1.0}, "stock: Input should be a valid integer"),
        ({"rating": False}, "rating: Input should be a valid number"),
        ({"name": "Boot\x1b[31m"}, "name: Value error, contains the control character U+001B"),
        ({"brand": "B\nX"}, "brand: Value error, contains the control character U+000A"),
        ({"description": "ok\x07"}, "description: Value error, contains the control character"),
        ({"name": "\ud800"}, "name: Input should be a valid string"),
        ({"sizes": ["44"] * 101}, "sizes: Tuple should have at most 100 items"),
        ({"colors": ["x" * 41]}, "colors.0: String should have at most 40 characters"),
    ],
)
def test_a_product_with_the_wrong_kind_of_value_is_refused(
    change: dict[str, object], problem: str
) -> None:
    line = json.dumps({**RECORD, **change}).encode()
    with pytest.raises(CatalogError) as caught:
        parse_catalog(line, "c.jsonl")
    assert f"line 1: {problem}" in str(caught.value)


def test_a_description_keeps_its_line_breaks() -> None:
    line = json.dumps({**RECORD, "description": "Warm.\n\tWaterproof."}).encode()
    assert parse_catalog(line, "c.jsonl")[0].description == "Warm.\n\tWaterproof."


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (b"[" * 1000 + b"]" * 1000, "nested 1000 levels deep (at most 4 are accepted)"),
        (b'{"a": ' * 5000, "nested 5000 levels deep"),
        (json.dumps({**RECORD, "sizes": ["M"] * 500_000}).encode(), "over 65,536 bytes"),
        (json.dumps({**RECORD, "price": 1e308}).replace("1e+308", "1e999").encode(), "too large"),
        (b'{"price": NaN}', "NaN is not a JSON number"),
    ],
)
def test_hostile_lines_are_reported_as_bad_lines(line: bytes, problem: str) -> None:
    good = json.dumps(RECORD).encode()
    with pytest.raises(CatalogError) as caught:
        parse_catalog(good + b"\n" + line, "c.jsonl")
    assert [number for number, _ in caught.value.problems] == [2]
    assert problem in str(caught.value)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=15,
)
hostile_lines = st.one_of(
    st.binary(max_size=120),
    st.builds(lambda depth: b"[" * depth + b"]" * depth, st.integers(1, 3000)),
    st.builds(lambda v: json.dumps(v).encode(), json_values),
    st.builds(
        lambda changes: json.dumps({**RECORD, **changes}).encode(),
        st.dictionaries(st.sampled_from([*RECORD, "sizes", "colors", "rating"]), json_values),
    ),
)


@settings(max_examples=300)
@given(st.lists(hostile_lines, min_size=1, max_size=5))
def test_any_file_loads_or_is_refused_line_by_line(lines: list[bytes]) -> None:
    data = b"\n".join(lines)
    try:
        products = parse_catalog(data, "c.jsonl")
    except CatalogError as error:
        count = data.count(b"\n") + 1
        assert error.problems and all(1 <= line <= count for line, _ in error.problems)
        return
    assert all(isinstance(product, Product) for product in products)
