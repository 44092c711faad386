"""Chat-format JSONL training data: read from a path or s3:// URI, validate, hash, convert.

Each line is ``{"messages": [{"role": ..., "content": ...}, ...]}``: an optional system
message, then user and assistant turns alternating, ending with the assistant's answer.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from genai_common.safe_json import JsonInputError, loads_bounded

from finetune.s3 import S3Location

ROLES = ("system", "user", "assistant")
# Tabs and newlines are text; any other C0/C1 control or a lone surrogate is a broken export
# that the tokenizer would turn into noise the model then learns.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# Enough to fix a file in one pass without flooding a terminal.
MAX_REPORTED = 20
# A conversation is an object holding a list of messages; a line holds one conversation,
# long enough for any context window the trainer takes (131,072 tokens of about 4 bytes).
MAX_LINE_DEPTH = 4
MAX_LINE_BYTES = 1024 * 1024


class DataError(ValueError):
    """A data file that cannot be trained on; the message names each bad line."""


@dataclass(frozen=True)
class ChatData:
    """The validated conversations of one file and what identifies that file's bytes."""

    source: str
    sha256: str
    conversations: tuple[tuple[dict[str, str], ...], ...]

    def prompt_completion(self) -> list[dict[str, list[dict[str, str]]]]:
        """TRL's conversational prompt-completion rows: the loss then covers only the answer."""
        return [
            {"prompt": list(messages[:-1]), "completion": [messages[-1]]}
            for messages in self.conversations
        ]

    def record(self) -> dict[str, Any]:
        return {"uri": self.source, "sha256": self.sha256, "examples": len(self.conversations)}


def _problem(messages: Any) -> str | None:
    """What is wrong with one line's messages, or None."""
    if not isinstance(messages, list) or not messages:
        return '"messages" must be a non-empty list'
    for index, message in enumerate(messages, start=1):
        if not isinstance(message, dict) or set(message) - {"role", "content"}:
            return f"message {index} must be an object with only role and content"
        role, content = message.get("role"), message.get("content")
        if role not in ROLES:
            return f"message {index} has role {role!r}; expected one of {', '.join(ROLES)}"
        if not isinstance(content, str) or not content.strip():
            return f"message {index} ({role}) has no text"
        if match := _CONTROL.search(content):
            return f"message {index} ({role}) contains control character {match.group()!r}"
    turns = [m["role"] for m in messages]
    if turns[0] == "system":
        turns = turns[1:]
    expected = ["user", "assistant"] * (len(turns) // 2 + 1)
    if not turns or turns != expected[: len(turns)]:
        return "roles must be: optional system, then user and assistant alternating"
    if turns[-1] != "assistant":
        return "the last message must be the assistant's answer"
    return None


def parse(raw: bytes, source: str) -> ChatData:
    """Validates every line; raises DataError listing the bad ones by line number."""
    problems: list[str] = []
    conversations: list[tuple[dict[str, str], ...]] = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = loads_bounded(line, max_bytes=MAX_LINE_BYTES, max_depth=MAX_LINE_DEPTH)
        except JsonInputError as error:
            problems.append(f"line {number}: {error}")
            continue
        problem = (
            _problem(row.get("messages"))
            if isinstance(row, dict)
            else 'expected an object with "messages"'
        )
        if problem:
            problems.append(f"line {number}: {problem}")
        else:
            conversations.append(tuple(row["messages"]))
    if problems:
        more = len(problems) - MAX_REPORTED
        listed = "\n  ".join(problems[:MAX_REPORTED]) + (
            f"\n  ... and {more} more" if more > 0 else ""
        )
        raise DataError(f"{source}: {len(problems)} bad line(s)\n  {listed}")
    if not conversations:
        raise DataError(f"{source}: no conversations")
    return ChatData(source, hashlib.sha256(raw).hexdigest(), tuple(conversations))


def read_bytes(source: str, s3: Any = None) -> bytes:
    """The file's bytes from a local path or, with an S3 client, an s3:// URI."""
    if source.startswith("s3://"):
        if s3 is None:
            raise DataError(f"{source}: reading from S3 needs an S3 client")
        location = S3Location.parse(source)
        try:
            return s3.get_object(Bucket=location.bucket, Key=location.key)["Body"].read()
        except s3.exceptions.NoSuchKey:
            raise DataError(f"{source}: no such object") from None
    path = Path(source)
    try:
        if not path.is_file():
            raise DataError(f"{source}: no such file")
        return path.read_bytes()
    except OSError as error:  # a name too long for the file system, a folder it may not enter
        raise DataError(f"{source[:80]}: cannot be read ({error.strerror})") from None


def load(source: str, s3: Any = None) -> ChatData:
    return parse(read_bytes(source, s3), source)
