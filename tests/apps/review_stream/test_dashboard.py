"""The dashboard, driven with Streamlit's AppTest over a local store (and an unreachable one)."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import review_stream.dashboard
import streamlit as st
from review_stream.store import LocalStore
from reviews_domain.model import DeadLetter, ProcessedReview
from streamlit.testing.v1 import AppTest

from tests.fakes.json_server import serve_json

PAGE = review_stream.dashboard.__file__
NOW = datetime.now(UTC).replace(second=0, microsecond=0)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "reviews.sqlite3"
    monkeypatch.setenv("REVIEW_DB", str(path))
    return path


def page() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=30).run()


def fill(path: Path) -> None:
    store = LocalStore(path)
    reviews = [
        ProcessedReview(
            review_id=n,
            user_id=f"user-{n}",
            summary=f"Summary {n} <b>not bold</b>",
            sentiment="positive" if n % 4 else "negative",
            date_time=NOW - timedelta(minutes=n % 3, seconds=n),
        )
        for n in range(1, 9)
    ]
    store.write(
        reviews,
        [DeadLetter.of(b"{not json", "invalid record: not JSON")],
        analyzer="offline stand-in (VADER, no model)",
    )


def metrics(app: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def test_an_empty_store_says_how_to_fill_it(db: Path) -> None:
    app = page()
    assert not app.exception
    assert app.title[0].value == "Review sentiment"
    assert metrics(app) == {"Reviews processed": "0", "Positive share": "-", "Dead letters": "0"}
    assert "No reviews yet" in app.info[0].value
    # The local store is local mode's, whose stream the producer reaches with --local.
    assert ".venv/bin/python -m review_stream produce --local" in app.info[0].value


def test_a_filled_store_shows_share_volume_summaries_and_dead_letters(db: Path) -> None:
    fill(db)
    app = page()
    assert not app.exception
    assert app.title[0].value == "Review sentiment: offline stand-in (VADER, no model)"
    assert metrics(app) == {"Reviews processed": "8", "Positive share": "75%", "Dead letters": "1"}
    assert [h.value for h in app.subheader] == [
        "Sentiment share per minute",
        "Reviews per minute",
        "Latest summaries",
        "Latest dead letters",
    ]
    latest, letters = app.dataframe[0].value, app.dataframe[1].value
    assert list(latest.columns) == ["Time (UTC)", "Review", "User", "Sentiment", "Summary"]
    assert latest["Review"].tolist() == [3, 6, 1, 4, 7, 2, 5, 8]
    assert latest["Summary"][0] == "Summary 3 <b>not bold</b>"
    assert letters["Reason"].tolist() == ["invalid record: not JSON"]
    assert "local store" in app.caption[0].value and "Refreshes every 5 s" in app.caption[0].value
    assert not app.info


def test_new_results_appear_on_the_next_run(db: Path) -> None:
    app = page()
    fill(db)
    app.run()
    assert metrics(app)["Reviews processed"] == "8"


def test_an_unusable_local_store_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "dir.sqlite3").mkdir()
    monkeypatch.setenv("REVIEW_DB", str(tmp_path / "dir.sqlite3"))
    app = page()
    assert not app.exception
    assert app.error[0].value.startswith("The results store cannot be read: The local store")
    assert "Trying again every 5 s" in app.caption[0].value


def test_an_unreachable_opensearch_collection_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    with serve_json(lambda *_: (200, {})) as url:
        closed = url
    monkeypatch.setenv("REVIEW_STORE", "opensearch")
    monkeypatch.setenv("OPENSEARCH_ENDPOINT", closed)
    app = page()
    assert not app.exception
    assert "OpenSearch cannot be reached" in app.error[0].value


def test_a_wrong_configuration_names_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVIEW_STORE", "opensearch")
    app = page()
    assert "REVIEW_STORE=opensearch needs OPENSEARCH_ENDPOINT" in app.error[0].value
    monkeypatch.setenv("REVIEW_REFRESH_SECONDS", "0")
    st.cache_resource.clear()
    assert "REVIEW_REFRESH_SECONDS" in page().error[0].value


def test_the_module_serves_the_page(db: Path, tmp_path: Path) -> None:
    fill(db)
    with serve_json(lambda *_: (200, {})) as url:
        port = int(url.rsplit(":", 1)[1])
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "review_stream.dashboard",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/_stcore/health", timeout=2
                ) as ok:
                    assert ok.read() == b"ok"
                    break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(10)
