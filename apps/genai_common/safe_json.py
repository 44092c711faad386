"""JSON from outside the process, parsed within a size and a nesting bound.

``json.loads`` recurses once per nesting level: a few kilobytes of ``[[[[...`` raise
``RecursionError``, which no caller expects from a parse. The depth is measured first by a
scan that recurses nowhere, so a document that is too deep is refused before it is parsed.
Numbers that do not fit a float (``1e999``) and the non-standard ``NaN`` / ``Infinity`` are
refused too: every number that comes out is finite.
"""

from __future__ import annotations

import json
import math
import re
from itertools import accumulate
from typing import Literal

# The deepest any caller may ask for: json.loads recurses once per level, and the interpreter's
# limit (1,000 frames, some already in use by the caller) must never be the one that ends it.
DEPTH_CEILING = 500

Reason = Literal["too large", "too deep", "not UTF-8", "not JSON", "not an object"]
# What JSON calls the values json.loads returns, for "a JSON array, not an object".
_JSON_TYPES = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}

# A string token runs to its closing quote, or to the end of an unterminated document: every
# quote then starts a token that matches, so the scan never restarts inside one (linear time).
_STRING = r'"[^"\\]*+(?:\\.[^"\\]*+)*+(?:"|\\?\Z)'
_STRINGS = re.compile(_STRING, re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class JsonInputError(json.JSONDecodeError):
    """Outside JSON that is refused; ``reason`` says why, ``str()`` says it for a person, as
    what the document is ("over 65,536 bytes", "not valid JSON (Expecting value at column 1)"),
    so that a caller can put its subject first: "the body is ...", "line 4: ...".

    A :class:`json.JSONDecodeError` (and so a ValueError): frameworks that report a body that
    is not JSON (FastAPI, Powertools) report these the same way, from ``msg``.
    """

    def __init__(self, reason: Reason, message: str, document: str = "", position: int = 0):
        super().__init__(message, document, position)
        self.reason = reason
        # JSONDecodeError appends "line 1 column 1 (char 0)": meaningless for a size or encoding.
        self.args = (message,)


def depth(text: str) -> int:
    """The deepest nesting of arrays and objects in ``text`` (0 for a scalar), brackets inside
    strings excluded. Unbalanced brackets are left for the parser to report."""
    brackets = _NOT_BRACKET.sub("", _STRINGS.sub("", text))
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:40]} is too large")
    return value


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON number")


def loads_bounded(data: str | bytes, *, max_bytes: int, max_depth: int) -> object:
    """The value of the JSON document ``data``, or :class:`JsonInputError` when ``data`` is over
    ``max_bytes`` bytes, nested deeper than ``max_depth`` arrays/objects, not UTF-8, or not JSON
    (including a number that is not finite)."""
    if not 1 <= max_depth <= DEPTH_CEILING:
        raise ValueError(f"max_depth must be between 1 and {DEPTH_CEILING}")
    if _size(data, max_bytes) > max_bytes:
        raise JsonInputError("too large", f"over {max_bytes:,} bytes")
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise JsonInputError("not UTF-8", f"not UTF-8 text (byte {error.start + 1})") from None
    else:
        text = data
    if (found := depth(text)) > max_depth:
        raise JsonInputError(
            "too deep", f"nested {found} levels deep (at most {max_depth} are accepted)"
        )
    try:
        return json.loads(text, parse_float=_finite, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        # One-line documents (a JSON Lines record, a request body) are placed by column alone.
        where = (
            f"line {error.lineno} column {error.colno}" if "\n" in text else f"column {error.colno}"
        )
        raise JsonInputError(
            "not JSON", f"not valid JSON ({error.msg} at {where})", text, error.pos
        ) from None
    except ValueError as error:  # a non-finite number, or an integer over Python's digit limit
        raise JsonInputError("not JSON", f"not valid JSON ({error})", text) from None


def loads_object(data: str | bytes, *, max_bytes: int, max_depth: int) -> dict[str, object]:
    """As :func:`loads_bounded`, for a document that must be a JSON object (a request body, a
    record): anything else is refused with the reason "not an object"."""
    value = loads_bounded(data, max_bytes=max_bytes, max_depth=max_depth)
    if not isinstance(value, dict):
        kind = _JSON_TYPES.get(type(value), "number")
        raise JsonInputError("not an object", f"a JSON {kind}, not a JSON object")
    return value


def _size(data: str | bytes, max_bytes: int) -> int:
    """The size of ``data`` in UTF-8 bytes, or a count already past ``max_bytes``."""
    # Characters never outnumber UTF-8 bytes: the cheap count settles most oversized text.
    if isinstance(data, bytes) or len(data) > max_bytes:
        return len(data)
    # surrogatepass: a lone surrogate (from a \ud800 escape) is counted, not raised on.
    return len(data.encode("utf-8", "surrogatepass"))
