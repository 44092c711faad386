"""``python -m shop_rag.load_local --url URL SOURCE``: load a catalog file through a running API.

Local mode's ``catalog-load`` task. It posts ``/load_data`` (the embedded store admits one
client, the API's) and prints the progress the API streams back, unless the store holds this
version of the file already: a stamp in the store's folder (QDRANT_PATH) records the hash of
the last catalog loaded into it, so deleting the store reloads it too. Exit status: 0 when
loaded or current, 1 when the load failed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from genai_common.commands import module_command
from tqdm import tqdm

STAMP = ".loaded-catalog.sha256"
NDJSON = "application/x-ndjson"
# A batch of local embeddings on a busy laptop can take a while; nothing else is this slow.
READ_TIMEOUT_SECONDS = 600
# One line per tenth: local mode echoes a task's output line by line, so a redrawn bar would
# show only when it ends.
METER = (
    "{n_fmt} of {total_fmt} products ({percentage:.0f}%) in {elapsed}, {rate_fmt}, {remaining} left"
)


def version(catalog_dir: Path, source: str) -> str:
    return hashlib.sha256(source.encode() + b"\0" + (catalog_dir / source).read_bytes()).hexdigest()


def load(url: str, source: str) -> dict[str, int]:
    """POST /load_data and print its progress (count and rate) at each tenth; returns the
    API's summary."""
    request = urllib.request.Request(  # noqa: S310 (the URL local mode gives)
        f"{url}/load_data",
        data=json.dumps({"source": source}).encode(),
        headers={"Content-Type": "application/json", "Accept": NDJSON},
        method="POST",
    )
    started, shown = time.monotonic(), 0
    with urllib.request.urlopen(request, timeout=READ_TIMEOUT_SECONDS) as response:  # noqa: S310
        for raw in response:
            line = json.loads(raw)
            if "error" in line:
                raise RuntimeError(line["error"])
            if "done" not in line:
                return line  # the summary ends the stream
            if (tenth := line["done"] * 10 // max(line["read"], 1)) > shown:
                shown = tenth
                meter = tqdm.format_meter(
                    line["done"],
                    line["read"],
                    time.monotonic() - started,
                    unit=" products",
                    bar_format=METER,
                )
                print(meter, flush=True)
    raise RuntimeError("the API ended the load without a summary")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog=module_command("shop_rag.load_local"), description=__doc__
    )
    parser.add_argument("source", help="a catalog file name under CATALOG_DIR")
    parser.add_argument("--url", required=True, help="the shopping API, e.g. http://127.0.0.1:8000")
    parser.add_argument("--catalog-dir", type=Path, default=os.environ.get("CATALOG_DIR"))
    parser.add_argument("--store", type=Path, default=os.environ.get("QDRANT_PATH"))
    args = parser.parse_args(argv)
    if args.catalog_dir is None or args.store is None:
        parser.error("set CATALOG_DIR and QDRANT_PATH (or --catalog-dir and --store)")
    current = version(args.catalog_dir, args.source)
    stamp = args.store / STAMP
    if stamp.exists() and stamp.read_text() == current:
        print(f"{args.source} is loaded already: nothing to do", flush=True)
        return 0
    print(f"Loading {args.source} into the shopping API (first start only)...", flush=True)
    started = time.monotonic()
    try:
        summary = load(args.url, args.source)
    except urllib.error.HTTPError as error:
        body = error.read().decode(errors="replace")[:500]
        print(f"loading {args.source} failed: HTTP {error.code} {body}", file=sys.stderr)
        return 1
    except (OSError, RuntimeError, ValueError) as error:  # unreachable, cut short, not JSON
        print(f"loading {args.source} failed: {error}", file=sys.stderr)
        return 1
    stamp.write_text(current)
    print(
        f"Loaded {summary['products']} products ({summary['upserted']} new or changed) "
        f"in {time.monotonic() - started:.0f} s.",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
