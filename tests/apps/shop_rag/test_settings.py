"""Settings: what is required, and the console script's report when it is missing."""

from __future__ import annotations

import pytest
from genai_common.settings import SettingsError, load_settings
from shop_rag.__main__ import run
from shop_rag.settings import ShopSettings


def test_history_table_and_a_store_are_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HISTORY_TABLE", raising=False)
    with pytest.raises(SettingsError, match="HISTORY_TABLE: Field required"):
        load_settings(ShopSettings)
    monkeypatch.setenv("HISTORY_TABLE", "genai-dev-shop-history")
    with pytest.raises(SettingsError, match=r"set QDRANT_URL \(a Qdrant server\) or QDRANT_PATH"):
        load_settings(ShopSettings)


def test_defaults_follow_the_contract(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HISTORY_TABLE", "genai-dev-shop-history")
    monkeypatch.setenv("QDRANT_URL", "http://qdrant.qdrant:6333")
    monkeypatch.setenv("QDRANT_API_KEY", "secret")
    settings = load_settings(ShopSettings)
    assert (settings.shop_rag_host, settings.shop_rag_port) == ("0.0.0.0", 8000)
    assert settings.shop_collection == "myretail-products"
    assert settings.shop_search_type == "hybrid"
    assert (settings.catalog_prefix, settings.history_ttl_hours) == ("catalog/", 24)
    assert "secret" not in repr(settings)
    assert settings.chat_model_id() == "us.anthropic.claude-haiku-4-5-20251001-v1:0"


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        (
            "SHOP_SEARCH_TYPE",
            "semantic",
            "SHOP_SEARCH_TYPE: Input should be 'dense', 'sparse' or 'hybrid'",
        ),
        ("CATALOG_PREFIX", "../x/", "CATALOG_PREFIX: must be a key prefix"),
        ("CATALOG_BUCKET", "Bad_Bucket", "CATALOG_BUCKET: String should match pattern"),
        ("SHOP_TOP_K", "0", "SHOP_TOP_K: Input should be greater than or equal to 1"),
    ],
)
def test_bad_values_name_their_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, problem: str
) -> None:
    monkeypatch.setenv("HISTORY_TABLE", "t-1")
    monkeypatch.setenv("QDRANT_PATH", "/tmp/q")
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        load_settings(ShopSettings)


def test_the_console_script_exits_with_the_settings_report() -> None:
    with pytest.raises(SystemExit) as caught:
        run()
    assert "HISTORY_TABLE" in str(caught.value.code)
