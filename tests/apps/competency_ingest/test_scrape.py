"""Parsing saved program pages (complete, fallback, broken, empty) and fetching over real HTTP."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

import pytest
from competency_ingest import scrape
from competency_ingest.sources import PROGRAMS, Program

PAGES = Path(__file__).with_name("pages")
SECURITY = next(p for p in PROGRAMS if p.slug == "security")


def html(name: str) -> str:
    return (PAGES / name).read_text()


def test_article_text_keeps_content_and_drops_scripts_navigation_and_footer() -> None:
    title, text = scrape.page_text(html("checklist.html"))
    assert title == "AWS Security Competency Consulting Partner Validation Checklist"
    lines = text.splitlines()
    assert (
        "This checklist is for AWS Partners who are applying for the AWS Security Competency."
        in lines
    )
    assert "Four (4) unique customer case studies, two (2) of which are public." in lines
    assert any("Enable Amazon GuardDuty in every account" in line for line in lines)
    for noise in (
        "tracking",
        "inline script",
        "Enable JavaScript",
        "Home",
        "header banner",
        "footer",
    ):
        assert noise not in text


def test_page_without_article_falls_back_to_main() -> None:
    title, text = scrape.page_text(html("no_article.html"))
    assert title == "AWS DevOps Competency"
    assert "blue/green or canary releases" in text
    assert "Menu entries" not in text


def test_broken_markup_is_repaired_not_rejected() -> None:
    document = scrape.to_document(
        Program("energy", "Energy", "https://example.test/energy.html"),
        html("broken.html"),
        now=datetime(2026, 11, 23, 10, 30, tzinfo=UTC),
    )
    assert "Edge devices must buffer data" in document.text
    assert "Subsurface projects use the OSDU Data Platform" in document.text
    assert "remote access must be controlled" in document.text
    assert document.metadata == {
        "program": "energy",
        "program_name": "Energy",
        "title": document.metadata["title"],
        "source_url": "https://example.test/energy.html",
        "fetched_at": "2026-11-23T10:30:00+00:00",
    }
    assert document.metadata["title"].startswith("AWS Energy Competency")


def test_a_page_without_text_is_an_error_not_an_empty_document() -> None:
    with pytest.raises(scrape.PageError, match="only 0 characters"):
        scrape.to_document(SECURITY, html("empty.html"))


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, list[tuple[int, str, bytes]]]] = {}
    seen: ClassVar[list[tuple[str, str]]] = []

    def do_GET(self) -> None:
        self.seen.append((self.path, self.headers.get("User-Agent", "")))
        status, kind, body = self.routes[self.path].pop(0)
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    _Handler.routes, _Handler.seen = {}, []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_fetch_retries_a_throttled_page_and_identifies_itself(server: str) -> None:
    page = html("checklist.html").encode()
    _Handler.routes["/security.html"] = [
        (503, "text/html", b"busy"),
        (200, "text/html; charset=utf-8", page),
    ]
    program = Program("security", "Security", f"{server}/security.html")
    document = scrape.scrape(scrape.session(backoff=0), program)
    assert "GuardDuty" in document.text
    assert len(_Handler.seen) == 2
    assert all(agent == scrape.USER_AGENT for _, agent in _Handler.seen)


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        ((404, "text/html", b"gone"), "404"),
        ((200, "application/pdf", b"%PDF-1.7" + b"x" * 500), "expected HTML"),
    ],
)
def test_fetch_reports_what_went_wrong(
    server: str, reply: tuple[int, str, bytes], message: str
) -> None:
    _Handler.routes["/page.html"] = [reply]
    with pytest.raises(scrape.PageError, match=message):
        scrape.fetch(scrape.session(backoff=0), f"{server}/page.html")


def test_fetch_refuses_an_oversized_page(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scrape, "MAX_BYTES", 1000)
    _Handler.routes["/big.html"] = [(200, "text/html", b"<p>" + b"a" * 5000 + b"</p>")]
    with pytest.raises(scrape.PageError, match="larger than"):
        scrape.fetch(scrape.session(backoff=0), f"{server}/big.html")


def test_an_unreachable_host_is_a_page_error() -> None:
    with pytest.raises(scrape.PageError):
        scrape.fetch(scrape.session(backoff=0), "http://127.0.0.1:9/nothing.html")


def test_the_eight_programs_of_the_seed_are_covered() -> None:
    assert [p.slug for p in PROGRAMS] == [
        "conversational-ai",
        "data-and-analytics",
        "devops",
        "education",
        "energy",
        "financial-services",
        "machine-learning",
        "security",
    ]
    assert all(
        p.url.startswith("https://apn-checklists.s3.amazonaws.com/competency/") for p in PROGRAMS
    )
