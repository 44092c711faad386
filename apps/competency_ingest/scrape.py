"""Fetching a program page politely and turning its HTML into clean text."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import requests
from bs4 import BeautifulSoup
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from competency_ingest.corpus import CorpusDocument
from competency_ingest.sources import Program

USER_AGENT = "genai-platform-competency-ingest/0.1 (knowledge-base builder; polite, cached)"
TIMEOUT = (5.0, 30.0)  # connect, read (seconds)
MAX_BYTES = 5_000_000
MIN_TEXT_CHARS = 200
_BREAK = "\x00"
_NOISE = ["script", "style", "noscript", "template", "svg", "nav", "header", "footer", "form"]
_BLOCKS = ["p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "dt", "dd", "div", "section", "br"]


class PageError(ValueError):
    """A page that could not be fetched or holds no usable text."""


def session(retries: int = 4, backoff: float = 1.0) -> requests.Session:
    """A session that identifies itself and retries throttling and server errors with backoff."""
    retry = Retry(
        total=retries,
        backoff_factor=backoff,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=("GET",),
        respect_retry_after_header=True,
    )
    s = requests.Session()
    s.headers["User-Agent"] = USER_AGENT
    s.mount("https://", HTTPAdapter(max_retries=retry))
    s.mount("http://", HTTPAdapter(max_retries=retry))
    return s


def fetch(http: requests.Session, url: str) -> str:
    """The page's HTML, or :class:`PageError` saying why not."""
    try:
        response = http.get(url, timeout=TIMEOUT, stream=True)
        response.raise_for_status()
        body = response.raw.read(MAX_BYTES + 1, decode_content=True)
    except requests.RequestException as error:
        raise PageError(f"{url}: {error}") from error
    if len(body) > MAX_BYTES:
        raise PageError(f"{url}: larger than {MAX_BYTES:,} bytes")
    kind = response.headers.get("content-type", "text/html")
    if "html" not in kind:
        raise PageError(f"{url}: expected HTML, got {kind}")
    return body.decode(response.encoding or "utf-8", errors="replace")


def page_text(html: str) -> tuple[str, str]:
    """The page's title and main text, one paragraph or list item per line.

    The checklist pages put their content in ``<article>``; other pages fall back to
    ``<main>`` and then ``<body>``. Broken markup is repaired by the parser, not rejected.
    """
    soup = BeautifulSoup(html, "html.parser")
    for element in soup(_NOISE):
        element.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    heading = root.find("h1") or soup.find("title")
    title = " ".join(heading.get_text(" ").split()) if heading else ""
    # Source line breaks mean nothing in HTML; block elements do. Mark them, then collapse.
    for block in root.find_all(_BLOCKS):
        block.insert_before(_BREAK)
        block.insert_after(_BREAK)
    flat = re.sub(r"\s+", " ", root.get_text(" "))
    lines = (line.strip() for line in flat.split(_BREAK))
    return title, "\n".join(line for line in lines if line)


def scrape(http: requests.Session, program: Program, now: datetime | None = None) -> CorpusDocument:
    """The program's page as a corpus document, or :class:`PageError`."""
    return to_document(program, fetch(http, program.url), now)


def to_document(program: Program, html: str, now: datetime | None = None) -> CorpusDocument:
    title, text = page_text(html)
    if len(text) < MIN_TEXT_CHARS:
        raise PageError(
            f"{program.url}: only {len(text)} characters of text; the page changed or failed"
        )
    fetched_at = (now or datetime.now(UTC)).replace(microsecond=0).isoformat()
    return CorpusDocument(
        document_id=program.slug,
        text=text,
        metadata={
            "program": program.slug,
            "program_name": program.name,
            "title": title or f"AWS {program.name} Competency",
            "source_url": program.url,
            "fetched_at": fetched_at,
        },
    )
