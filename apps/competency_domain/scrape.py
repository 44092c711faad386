"""Fetching a program page politely and turning its HTML into clean text."""

from __future__ import annotations

import contextlib
import re
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import Message

import requests
from bs4 import BeautifulSoup, PageElement, Tag
from bs4.dammit import EncodingDetector, UnicodeDammit
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from competency_domain.corpus import CorpusDocument
from competency_domain.programs import Program

USER_AGENT = "genai-platform-competency-ingest/0.1 (knowledge-base builder; polite, cached)"
TIMEOUT = (5.0, 30.0)  # connect, read (seconds)
# The read timeout bounds each wait for bytes, not the page: a server trickling one byte every
# few seconds would hold a fetch forever without a deadline for the whole response.
DEADLINE = 120.0
MAX_BYTES = 5_000_000
_CHUNK_BYTES = 64 * 1024
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


def fetch(http: requests.Session, url: str, deadline: float = DEADLINE) -> str:
    """The page's HTML within ``deadline`` seconds, or :class:`PageError` saying why not."""
    expired = threading.Event()
    try:
        with http.get(url, timeout=TIMEOUT, stream=True) as response:
            timer = threading.Timer(deadline, _cut, (response, expired))
            timer.start()
            try:
                body, kind = _read(response, url)
            finally:
                timer.cancel()
    except requests.RequestException as error:
        if expired.is_set():
            raise PageError(f"{url}: not received within {deadline:g} s") from error
        raise PageError(f"{url}: {' '.join(str(error).split())}") from error
    if expired.is_set():
        raise PageError(f"{url}: not received within {deadline:g} s")
    return decode(bytes(body), kind)


def _read(response: requests.Response, url: str) -> tuple[bytearray, str]:
    response.raise_for_status()
    kind = response.headers.get("content-type", "text/html")
    if "html" not in kind:
        raise PageError(f"{url}: expected HTML, got {kind}")
    body = bytearray()
    # iter_content, unlike the raw stream, reports corrupt compression and a body shorter
    # than its Content-Length as requests exceptions.
    for chunk in response.iter_content(_CHUNK_BYTES):
        body += chunk
        if len(body) > MAX_BYTES:
            raise PageError(f"{url}: larger than {MAX_BYTES:,} bytes")
    return body, kind


def _cut(response: requests.Response, expired: threading.Event) -> None:
    """Wake a read blocked on the socket: shutdown does, close() from another thread does not."""
    expired.set()
    sock = getattr(getattr(response.raw, "connection", None), "sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):  # already closed: the read has ended anyway
            sock.shutdown(socket.SHUT_RDWR)


def decode(body: bytes, content_type: str) -> str:
    """The page as text, in the first encoding that decodes it: its byte-order mark, the
    charset of ``content_type``, the page's ``<meta>`` declaration, UTF-8, then detection.

    A byte-order mark outranks the header as in browsers (WHATWG encoding sniffing): the bytes
    prove it, while a header charset is often a server-wide default. A name Python does not
    know (``charset=x-nonsense``) or bytes the named encoding cannot decode pass the choice on.
    """
    header = Message()
    header["content-type"] = content_type
    markup, bom = EncodingDetector.strip_byte_order_mark(body)
    declared = EncodingDetector.find_declared_encoding(markup, is_html=True)
    if declared and declared.startswith(("utf-16", "utf-32")):
        # The declaration was read as ASCII, so the page is not in a 16/32-bit encoding.
        declared = None
    candidates = [bom, header.get_content_charset(), declared, "utf-8"]
    dammit = UnicodeDammit(
        markup, known_definite_encodings=[c for c in candidates if c], is_html=True
    )
    return dammit.unicode_markup or ""


def page_text(html: str) -> tuple[str, str]:
    """The page's title and main text, one paragraph or list item per line.

    The checklist pages put their content in ``<article>``; other pages fall back to
    ``<main>`` and then ``<body>``. Broken markup is repaired by the parser, not rejected.
    Noise elements and what they hold are left out throughout, the title included.
    """
    soup = BeautifulSoup(html, "html.parser")
    root = _first(soup, "article") or _first(soup, "main") or _first(soup, "body") or soup
    heading = _first(root, "h1") or _first(soup, "title")
    title = " ".join(_text(heading).replace(_BREAK, " ").split()) if heading else ""
    # Source line breaks mean nothing in HTML; block elements do. Mark them, then collapse.
    flat = re.sub(r"\s+", " ", _text(root))
    lines = (line.strip() for line in flat.split(_BREAK))
    return title, "\n".join(line for line in lines if line)


def _walk(node: Tag) -> Iterator[tuple[PageElement, bool]]:
    """Everything under ``node`` but noise, in document order: ``(element, True)`` where an
    element starts and ``(tag, False)`` where a tag ends.

    An explicit stack rather than recursion, as pages nest deeper than Python recurses, and
    rather than editing the tree, as each insertion or removal scans the parent's children:
    quadratic on pages with many siblings.
    """
    stack = [(child, True) for child in reversed(node.contents)]
    while stack:
        element, starts = stack.pop()
        if isinstance(element, Tag) and starts:
            if element.name in _NOISE:
                continue
            stack.append((element, False))
            stack.extend((child, True) for child in reversed(element.contents))
        yield element, starts


def _first(node: Tag, name: str) -> Tag | None:
    return next(
        (e for e, starts in _walk(node) if starts and isinstance(e, Tag) and e.name == name),
        None,
    )


def _text(node: Tag) -> str:
    """The strings under ``node`` that ``get_text`` would join, with a break at both ends of
    every block element."""
    kinds = node.interesting_string_types or Tag.MAIN_CONTENT_STRING_TYPES
    pieces = []
    for element, _ in _walk(node):
        if isinstance(element, Tag):
            if element.name in _BLOCKS:
                pieces.append(_BREAK)
        elif type(element) in kinds:
            pieces.append(element)
    return " ".join(pieces)


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
