"""The whole app: /healthz, and the UI driven over HTTP by gradio_client."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from genai_common.settings import load_settings
from gradio_client import Client
from myretail_chat import __main__ as main
from myretail_chat.app import create_app
from myretail_chat.settings import MyRetailSettings

from tests.apps.myretail_chat.fake_shop_rag import fake_shop_rag, serve, usage
from tests.fakes.serving import free_port


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAT_PROVIDER", "offline")


@pytest.fixture
def shop_rag_url(offline: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with serve(fake_shop_rag(), free_port()) as url:
        monkeypatch.setenv("SHOP_RAG_URL", url)
        yield url


@pytest.fixture
def chatbot(shop_rag_url: str) -> Iterator[Client]:
    app = create_app(load_settings(MyRetailSettings))
    with serve(app, free_port()) as url:
        client = Client(url, verbose=False, download_files=False)
        yield client
    # The server has ended the heartbeat stream, so the client's heartbeat thread stops at once.
    client.close()


def test_healthz_answers_while_shop_rag_is_down(
    offline: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOP_RAG_URL", f"http://127.0.0.1:{free_port()}")
    with TestClient(create_app(load_settings(MyRetailSettings))) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        page = client.get("/")
        assert page.status_code == 200
        assert "MyRetail chatbot (Loyalty program: offline stand-in, no model)" in page.text


def test_a_shopper_and_a_follow_up_through_the_ui_api(chatbot: Client) -> None:
    chat, box, tokens = chatbot.predict("walking shoes", api_name="/shopping")
    assert box == ""
    first = _texts(chat)[1]
    assert first.startswith("Answer 1 to: walking shoes")
    assert chat[2]["metadata"]["title"] == "Sources: 2 products"
    spent = sum(usage("walking shoes", first).values())
    assert tokens == f"Tokens used in this session: {spent:,}"
    # The same browser session: shop_rag sees the follow-up under the first answer's session.
    chat, _, tokens = chatbot.predict("sort them by price", api_name="/shopping")
    second = _texts(chat)[4]
    assert second.startswith("Answer 2 to: sort them by price (after: walking shoes)")
    spent += sum(usage("sort them by price", second).values())
    assert tokens == f"Tokens used in this session: {spent:,}"

    # A new conversation in the same browser session: its tokens still count.
    chatbot.predict(api_name="/new_shopping")
    chat, _, tokens = chatbot.predict("rain jackets", api_name="/shopping")
    assert _texts(chat)[1].startswith("Answer 1 to: rain jackets")
    assert _used(tokens) > spent


def test_the_loyalty_tab_answers_through_the_ui_api(chatbot: Client) -> None:
    chat, _, tokens = chatbot.predict("How do I earn points?", api_name="/loyalty")
    assert _texts(chat)[1].startswith("[offline stand-in, no model]")
    first = _used(tokens)
    assert first > 0
    # The same browser session: the second answer's tokens add to the first's.
    _, _, tokens = chatbot.predict("And tiers?", api_name="/loyalty")
    assert _used(tokens) > first


def test_run_refuses_a_bad_configuration_with_the_variable_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SHOP_RAG_URL", raising=False)
    monkeypatch.setattr(sys, "argv", ["genai-myretail-chat"])
    with pytest.raises(SystemExit, match="SHOP_RAG_URL: Field required"):
        main.run()


def _used(tokens: str) -> int:
    return int(tokens.rsplit(" ", 1)[1].replace(",", ""))


def _texts(chat: list[dict]) -> list[str]:
    """Each message's text, whether Gradio sent it as a string or as content blocks."""
    texts = []
    for message in chat:
        content = message["content"]
        if isinstance(content, list):
            content = "".join(part.get("text", "") for part in content)
        texts.append(content)
    return texts
