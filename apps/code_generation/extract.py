"""The code in a model's answer: its fenced block in the requested language."""

from __future__ import annotations

import re

from code_generation.languages import Language

# An opening fence at the start of a line, its tag, the body, and a closing fence of its own.
_BLOCK = re.compile(
    r"^(`{3,}|~{3,})[ \t]*([^\s`]*)[^\n]*\n(.*?)^\1[ \t]*$", re.DOTALL | re.MULTILINE
)


def extract_code(answer: str, language: Language) -> str | None:
    """The first block tagged with ``language``, else the first block; None without one.

    Only closed blocks count: an answer cut off mid-block holds incomplete code.
    """
    blocks = [(tag.lower(), body) for _, tag, body in _BLOCK.findall(answer) if body.strip()]
    tagged = [body for tag, body in blocks if tag in language.fences]
    chosen = tagged or [body for _, body in blocks]
    return chosen[0].rstrip() + "\n" if chosen else None
