"""The API's documentation pages work offline: / leads to them, and every script and style
sheet they load comes from the app itself; each route is described with examples that the API
accepts."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from shop_rag.app import GenerateRequest, LoadRequest, create_app

ASSET = re.compile(r"""<(?:script|link)\b[^>]*?\b(?:src|href)=["']([^"']+)["']""")
URL_IN_PAGE = re.compile(r"""["'`](?:https?:)?//[^"'`]+["'`]""")


@pytest.fixture(scope="module")
def client() -> TestClient:
    # The lifespan (stores and models) is not entered: the pages need none of it.
    return TestClient(create_app())


def test_the_root_sends_a_visitor_to_the_docs(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.is_redirect
    assert response.headers["location"] == "/docs"


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_a_docs_page_loads_every_asset_from_the_app_itself(client: TestClient, page: str) -> None:
    html = client.get(page)
    assert html.status_code == 200
    assert not URL_IN_PAGE.findall(html.text), "the page names another host"
    assets = ASSET.findall(html.text)
    assert any(a.endswith(".js") for a in assets), assets
    for asset in assets:
        assert not urlsplit(asset).netloc, asset
        fetched = client.get(asset)
        assert fetched.status_code == 200, asset
        # The real bundles, not a stub: Swagger UI's and ReDoc's are each over 100 kB.
        assert len(fetched.content) > 100_000 or asset.endswith(".png"), asset
    assert "/openapi.json" in html.text


def test_swagger_ui_also_loads_its_style_sheet_locally(client: TestClient) -> None:
    assets = ASSET.findall(client.get("/docs").text)
    css = [a for a in assets if a.endswith(".css")]
    assert css and client.get(css[0]).headers["content-type"].startswith("text/css")


def test_every_route_is_described_and_the_request_examples_are_accepted(
    client: TestClient,
) -> None:
    schema = client.get("/openapi.json").json()
    for path in ("/healthz", "/load_data", "/generate"):
        (operation,) = schema["paths"][path].values()
        assert operation.get("description"), f"{path} has no description"
    for model in (GenerateRequest, LoadRequest):
        examples = schema["components"]["schemas"][model.__name__]["examples"]
        assert examples
        for example in examples:
            model.model_validate(example)
