"""Parsing saved program pages (complete, fallback, broken, empty), decoding them, and fetching
over real HTTP."""

from __future__ import annotations

import itertools
import json
import re
import socket
import sys
import threading
import time
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from bs4 import BeautifulSoup
from competency_domain import scrape
from competency_domain.programs import PROGRAMS, Program
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.apps.competency_ingest.conftest import Site

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


def test_fetch_retries_a_throttled_page_and_identifies_itself(site: Site) -> None:
    page = html("checklist.html").encode()
    site.reply("/security.html", 503, {"Content-Type": "text/html"}, b"busy")
    url = site.reply("/security.html", 200, {"Content-Type": "text/html; charset=utf-8"}, page)
    document = scrape.scrape(scrape.session(backoff=0), Program("security", "Security", url))
    assert "GuardDuty" in document.text
    assert len(site.seen) == 2
    assert all(agent == scrape.USER_AGENT for _, agent in site.seen)


@pytest.mark.parametrize(
    ("status", "headers", "body", "message"),
    [
        (404, {"Content-Type": "text/html"}, b"gone", "404"),
        (200, {"Content-Type": "application/pdf"}, b"%PDF-1.7" + b"x" * 500, "expected HTML"),
        (200, {"Content-Encoding": "gzip"}, b"<p>not gzip at all</p>", "failed to decode"),
        (200, {"Content-Length": "100000"}, b"<p>cut short</p>", "IncompleteRead"),
    ],
    ids=["not-found", "not-html", "corrupt-gzip", "truncated"],
)
def test_fetch_reports_what_went_wrong_on_one_line(
    site: Site, status: int, headers: dict[str, str], body: bytes, message: str
) -> None:
    url = site.reply("/page.html", status, {"Content-Type": "text/html", **headers}, body)
    with pytest.raises(scrape.PageError, match=message) as raised:
        scrape.fetch(scrape.session(backoff=0), url)
    assert str(raised.value).startswith(f"{url}: ")
    assert "\n" not in str(raised.value)


def test_fetch_refuses_an_oversized_page(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scrape, "MAX_BYTES", 1000)
    url = site.reply("/big.html", 200, {"Content-Type": "text/html"}, b"<p>" + b"a" * 5000)
    with pytest.raises(scrape.PageError, match="larger than"):
        scrape.fetch(scrape.session(backoff=0), url)


def test_an_unreachable_host_is_a_page_error() -> None:
    with pytest.raises(scrape.PageError):
        scrape.fetch(scrape.session(backoff=0), "http://127.0.0.1:9/nothing.html")


def test_a_page_that_declares_its_charset_only_in_meta_is_not_mojibake(site: Site) -> None:
    page = html("checklist.html").replace("</h1>", "</h1><p>Zürich — 東京 ✓</p>")
    url = site.reply("/page.html", 200, {"Content-Type": "text/html"}, page.encode())
    _, text = scrape.page_text(scrape.fetch(scrape.session(backoff=0), url))
    assert "Zürich — 東京 ✓" in text.splitlines()


# Decoding: a page's encoding comes from its BOM, the header, its <meta>, UTF-8, then detection.

META = (
    '<meta charset="{}">',
    "<meta charset={}>",
    '<meta http-equiv="Content-Type" content="text/html; charset={}">',
)


def _encodable(encoding: str, byte_strings: Iterator[bytes]) -> list[str]:
    """The printable characters ``encoding`` has for any of ``byte_strings``."""
    characters = {b.decode(encoding, errors="ignore") for b in byte_strings}
    return sorted(c for c in characters if len(c) == 1 and unicodedata.category(c) != "Cc")


TEXT = {
    "utf-8": st.text(st.characters(exclude_categories=("Cs", "Cc"))),
    "windows-1252": st.text(
        st.sampled_from(_encodable("cp1252", (bytes([b]) for b in range(256))))
    ),
    "shift_jis": st.text(
        st.sampled_from(
            _encodable(
                "shift_jis",
                itertools.chain(
                    (bytes([b]) for b in range(256)),
                    (
                        bytes([lead, trail])
                        for lead in range(0x81, 0xFD)
                        for trail in range(0x40, 0xFD)
                    ),
                ),
            )
        )
    ),
}


def _page(meta: str, text: str) -> str:
    return (
        f"<!DOCTYPE html><html><head>{meta}<title>Checklist</title></head>"
        f"<body><article><p>{escape(text)}</p></article></body></html>"
    )


@settings(deadline=None)
@given(data=st.data(), encoding=st.sampled_from(sorted(TEXT)), meta=st.sampled_from(META))
def test_text_in_a_page_with_a_meta_charset_is_extracted_unchanged(
    data: st.DataObject, encoding: str, meta: str
) -> None:
    text = data.draw(TEXT[encoding], label="text")
    body = _page(meta.format(encoding), text).encode(encoding)
    _, extracted = scrape.page_text(scrape.decode(body, "text/html"))
    assert extracted == " ".join(text.split())


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        # The header names the page's encoding; the <meta> lies.
        ("text/html; charset=UTF-8", _page(META[0].format("windows-1252"), "Zürich").encode()),
        # Python knows no x-nonsense: the <meta> decides.
        ("text/html; charset=x-nonsense", _page(META[0].format("utf-8"), "Zürich").encode()),
        # A named encoding that cannot decode the bytes passes the choice on.
        ("text/html; charset=ascii", _page("", "Zürich").encode()),
        # The byte-order mark outranks the header.
        ("text/html; charset=iso-8859-1", b"\xef\xbb\xbf" + _page("", "Zürich").encode()),
        ("text/html", _page("", "Zürich").encode("utf-16")),
        # A <meta> read as ASCII cannot be right about UTF-16.
        ("text/html", _page(META[0].format("utf-16"), "Zürich").encode()),
        # Nothing declared: valid UTF-8 is taken as UTF-8.
        ("text/html", _page("", "Zürich").encode()),
    ],
    ids=["header", "unknown-header", "wrong-header", "bom", "utf-16-bom", "meta-utf-16", "none"],
)
def test_decode_chooses_the_encoding_that_is_right(content_type: str, body: bytes) -> None:
    assert scrape.page_text(scrape.decode(body, content_type))[1] == "Zürich"


# Extraction: the walk over the tree keeps the text and lines of the tree-editing original.


def test_fixture_pages_extract_as_before() -> None:
    expected = json.loads((PAGES / "extracted.json").read_text())
    assert expected.keys() == {page.name for page in PAGES.glob("*.html")}
    for name, (title, text) in expected.items():
        assert scrape.page_text(html(name)) == (title, text), name


def _reference_page_text(page: str) -> tuple[str, str]:
    """The extraction before it became linear: it edits the tree, each edit scanning siblings."""
    soup = BeautifulSoup(page, "html.parser")
    for element in soup(scrape._NOISE):
        element.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    heading = root.find("h1") or soup.find("title")
    title = " ".join(heading.get_text(" ").split()) if heading else ""
    for block in root.find_all(scrape._BLOCKS):
        block.insert_before(scrape._BREAK)
        block.insert_after(scrape._BREAK)
    flat = re.sub(r"\s+", " ", root.get_text(" "))
    lines = (line.strip() for line in flat.split(scrape._BREAK))
    return title, "\n".join(line for line in lines if line)


_TAGS = [*scrape._BLOCKS, *scrape._NOISE, "article", "main", "body", "title", "span", "a", "rt"]


def _markup(node: str | tuple[str, bool, list[Any]]) -> str:
    """``node`` as HTML: a text, or a tag (closed or left for the parser to close) and children."""
    if isinstance(node, str):
        return escape(node, quote=False)
    name, closed, children = node
    return f"<{name}>" + "".join(map(_markup, children)) + (f"</{name}>" if closed else "")


_TREES = st.recursive(
    st.text(alphabet="ab \n\t\xa0é") | st.just("<!-- comment -->"),
    lambda children: st.tuples(st.sampled_from(_TAGS), st.booleans(), st.lists(children)),
    max_leaves=30,
)


@settings(deadline=None)
@given(st.lists(_TREES, max_size=5))
def test_extraction_matches_the_tree_editing_original(trees: list[Any]) -> None:
    page = "".join(
        escape(tree, quote=False) if isinstance(tree, str) else _markup(tree) for tree in trees
    )
    assert scrape.page_text(page) == _reference_page_text(page)


def _lines_executed(page: str) -> int:
    """How many lines of Python extracting ``page`` runs: a measure of work that, unlike time,
    does not depend on the machine or its load."""
    executed = 0

    def trace(frame: FrameType, event: str, arg: object) -> Any:
        nonlocal executed
        executed += event == "line"
        return trace

    previous = sys.gettrace()
    sys.settrace(trace)
    try:
        scrape.page_text(page)
    finally:
        sys.settrace(previous)
    return executed


def test_extraction_work_grows_linearly_with_sibling_blocks() -> None:
    def page(paragraphs: int) -> str:
        return "<article>" + "<p>requirement</p>" * paragraphs + "</article>"

    # Twice the paragraphs: twice the work when linear, four times when quadratic.
    assert _lines_executed(page(600)) < 2.3 * _lines_executed(page(300))


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


def test_a_server_that_trickles_bytes_hits_the_fetch_deadline() -> None:
    """Each byte arrives well within the read timeout; only a deadline for the page ends it."""
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def trickle() -> None:
        connection, _ = server.accept()
        with connection:
            connection.recv(65536)
            connection.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"
            )
            while not stop.is_set():
                try:
                    connection.sendall(b"<")
                except OSError:
                    return
                time.sleep(0.05)

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.getsockname()[1]}/slow"
    started = time.monotonic()
    try:
        with pytest.raises(scrape.PageError, match=r"/slow: not received within 1 s"):
            scrape.fetch(scrape.session(retries=0), url, deadline=1.0)
    finally:
        stop.set()
        server.close()
    assert time.monotonic() - started < scrape.TIMEOUT[1]
