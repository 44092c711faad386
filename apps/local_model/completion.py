"""What a generation ends with: its token counts and why it stopped.

Apart from the engine, so that the server imports it without torch and transformers: it answers
its health check at once and loads those in the background.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Completion:
    prompt_tokens: int
    completion_tokens: int
    finish_reason: Literal["stop", "length"]
