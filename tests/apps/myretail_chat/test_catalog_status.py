"""The Shopping tab's status line while shop_rag loads its catalog, read from its /healthz."""

from __future__ import annotations

import httpx
import pytest
from myretail_chat import shopping
from myretail_chat.shop_api import ShopApi


def api_answering(health: object, status: int = 200) -> ShopApi:
    def handle(request: httpx.Request) -> httpx.Response:
        assert (request.method, request.url.path) == ("GET", "/healthz")
        return httpx.Response(status, json=health)

    return ShopApi(
        httpx.Client(base_url="http://shop-rag:8000", transport=httpx.MockTransport(handle))
    )


def health(state: str, done: int = 0, total: int = 0, products: int = 0) -> dict[str, object]:
    catalog = {"state": state, "source": "catalog.jsonl", "done": done, "total": total}
    return {"status": "ok", "collection": "c", "products": products, "catalog": catalog}


def test_a_load_in_progress_is_shown_with_its_count_and_asked_again() -> None:
    line, again = shopping.catalog_notice(api_answering(health("loading", 1200, 3000, 1200)))
    assert line.startswith("Catalog loading: 1,200 of 3,000 products.")
    assert "loaded so far" in line
    assert again


@pytest.mark.parametrize(
    ("answer", "again"),
    [
        (health("loaded", 3000, 3000, 3000), False),
        (health("failed", 500, 3000, 500), False),
        # A store loaded by an earlier process: nothing will load.
        (health("none", products=3000), False),
        # Started, its load not begun yet.
        (health("none"), True),
        # An older shop_rag, or something else answering: no line, asked again.
        ({"status": "ok"}, True),
    ],
)
def test_no_line_unless_loading_and_asked_again_only_while_a_load_may_come(
    answer: dict[str, object], again: bool
) -> None:
    assert shopping.catalog_notice(api_answering(answer)) == ("", again)


def test_an_unreachable_service_shows_no_line() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    api = ShopApi(
        httpx.Client(base_url="http://shop-rag:8000", transport=httpx.MockTransport(refuse))
    )
    assert shopping.catalog_notice(api) == ("", True)
