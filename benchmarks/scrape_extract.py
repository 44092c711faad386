"""Text extraction of the competency scraper on large pages: throughput and scaling.

    .venv/bin/python benchmarks/scrape_extract.py [--page-bytes 4990000] [--paragraphs 1000 10000 50000] [--repeat 3]

Builds a checklist-like page just under the scraper's size limit (scrape.MAX_BYTES) from many
sibling paragraphs, nested divs and list items, and times scrape.page_text on it (parsing
included, as a scrape pays for both), next to the time BeautifulSoup alone takes to parse it.
Then times pages of only sibling paragraphs at each --paragraphs count: linear extraction keeps
the time per paragraph flat as the count grows; quadratic extraction multiplies it. Each figure is
the best of --repeat runs, as other processes on a shared machine only ever add time.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from bs4 import BeautifulSoup
from competency_domain import scrape

PARAGRAPH = "<p>Requirement {i}: the partner documents how workloads are reviewed.</p>\n"
NESTED = "<div><div><div><p>Evidence {i} for a nested control</p></div></div></div>\n"
ITEM = "<li>Item {i} of the prerequisites list</li>\n"
HEAD = (
    "<!DOCTYPE html><html><head><title>Benchmark</title></head><body><article><h1>Benchmark</h1>\n"
)
TAIL = "</article></body></html>\n"


def mixed_page(limit: int) -> tuple[str, int]:
    """A page of at most ``limit`` UTF-8 bytes, and how many block elements it has."""
    parts, size, blocks, i = [HEAD], len(HEAD) + len(TAIL), 0, 0
    while True:
        group = [PARAGRAPH.format(i=i), NESTED.format(i=i), "<ul>", ITEM.format(i=i), "</ul>\n"]
        grown = sum(len(part.encode()) for part in group)
        if size + grown > limit:
            break
        parts += group
        size, blocks, i = size + grown, blocks + 6, i + 1
    parts.append(TAIL)
    return "".join(parts), blocks


def paragraphs_page(count: int) -> str:
    return HEAD + "".join(PARAGRAPH.format(i=i) for i in range(count)) + TAIL


def timed(repeat: int, run: Callable[..., object], *args: object) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run(*args)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--page-bytes", type=int, default=scrape.MAX_BYTES - 10_000)
    parser.add_argument("--paragraphs", type=int, nargs="*", default=[1_000, 10_000, 50_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    page, blocks = mixed_page(args.page_bytes)
    parse = timed(args.repeat, BeautifulSoup, page, "html.parser")
    extract = timed(args.repeat, scrape.page_text, page)
    print(
        f"mixed page: {len(page.encode()):,} bytes, {blocks:,} block elements\n"
        f"  parse only   {parse:6.2f} s\n"
        f"  page_text    {extract:6.2f} s  ({len(page) / extract:,.0f} chars/s)"
    )
    print("sibling paragraphs   parse only   page_text   page_text per paragraph")
    for count in args.paragraphs:
        page = paragraphs_page(count)
        parse = timed(args.repeat, BeautifulSoup, page, "html.parser")
        seconds = timed(args.repeat, scrape.page_text, page)
        print(f"{count:>18,}   {parse:8.2f} s   {seconds:7.2f} s   {seconds / count * 1e6:8.1f} µs")


if __name__ == "__main__":
    main()
