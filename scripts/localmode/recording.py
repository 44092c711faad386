"""What the apps stored in earlier runs: moto's recording of requests, checked and replayed.

moto keeps AWS data in memory; its recorder appends each request to a JSON-lines file, and a
replay sends them again. A line cut short by a crash mid-write, or otherwise not a request, is
reported with its number and left out (the file as it was is kept beside it as ``.bak``), so
everything before and after it is replayed. Reads (GET, HEAD) change nothing and are left out,
and so are Kinesis requests: the review processor polls the stream every few seconds, and
replaying a long session's polls would slow every start (reviews are not kept across
restarts; their results are, in SQLite).
"""

from __future__ import annotations

import base64
import binascii
import shutil
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from genai_common.safe_json import loads_bounded

# A recorded request is an S3 object at most (a generated workbook, a published page) and a few
# levels of JSON.
MAX_LINE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 64


@dataclass
class Checked:
    kept: list[bytes] = field(default_factory=list)
    bad_lines: list[int] = field(default_factory=list)  # 1-based


def as_request(line: bytes) -> dict[str, Any] | None:
    """The request on this line if moto's replay can send it: a JSON object with a method, a
    URL, headers and a body (base64 when marked so); None otherwise."""
    try:
        # moto's own replay parses each line again without a depth bound: a line it would choke
        # on is left out here.
        row = loads_bounded(line, max_bytes=MAX_LINE_BYTES, max_depth=MAX_DEPTH)
    except ValueError:  # not JSON, not UTF-8, too large or too deep
        return None
    if not (
        isinstance(row, dict)
        and isinstance(row.get("method"), str)
        and isinstance(row.get("url"), str)
        and isinstance(row.get("headers"), dict)
        and isinstance(row.get("body", ""), str | None)
    ):
        return None
    if row.get("body_encoded"):
        try:
            base64.b64decode(row.get("body") or "", validate=True)
        except binascii.Error:
            return None
    return row


def _replay_changes_nothing(request: dict[str, Any]) -> bool:
    """A read, or the stream's traffic (see above)."""
    target = str(request["headers"].get("X-Amz-Target", ""))
    return request["method"] in ("GET", "HEAD") or target.startswith("Kinesis_")


def check(recording: Path) -> Checked:
    checked = Checked()
    for number, line in enumerate(recording.read_bytes().split(b"\n"), start=1):
        if not line.strip():
            continue
        if (request := as_request(line)) is None:
            checked.bad_lines.append(number)
        elif not _replay_changes_nothing(request):
            checked.kept.append(line)
    return checked


def repair(recording: Path) -> int:
    """Leave only replayable, non-stream requests in ``recording``; returns how many remain."""
    if not recording.exists():
        return 0
    checked = check(recording)
    for number in checked.bad_lines:
        print(
            f"{recording.name} line {number} is not a whole request (a write cut short?): "
            "left out of the replay",
            flush=True,
        )
    if checked.bad_lines:
        backup = recording.with_name(recording.name + ".bak")
        shutil.copyfile(recording, backup)
        print(f"The file as it was is kept in {backup}.", flush=True)
    partial = recording.with_name(recording.name + ".partial")
    partial.write_bytes(b"".join(line + b"\n" for line in checked.kept))
    partial.replace(recording)
    return len(checked.kept)


def restore_and_record(endpoint: str, recording: Path) -> None:
    """Replay what the apps stored in earlier runs, then record what they store from now on.

    Call it after seeding: seeding is not recorded (it runs at every start, and replaying it
    would collide with it).
    """
    recorder = f"{endpoint}/moto-api/recorder"
    if requests := repair(recording):
        print(f"Restoring local AWS data from the last run ({requests} requests)...", flush=True)
        _post(f"{recorder}/replay-recording")
    _post(f"{recorder}/start-recording")


def _post(url: str) -> None:
    request = urllib.request.Request(url, method="POST")  # noqa: S310 (the local endpoint)
    with urllib.request.urlopen(request, timeout=600):  # noqa: S310
        pass
