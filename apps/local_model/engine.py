"""Generation with a GGUF model on the CPU through transformers (which reads GGUF with ``gguf``).

One generation runs at a time (a lock: two would only halve each other's speed on a laptop's
cores); others wait their turn in arrival order. Generation is synchronous and is meant to run
in a worker thread: the text arrives through ``on_text`` as it is decoded, and setting
``cancelled`` stops it at the next token (a client that went away).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch
from transformers import (
    AutoModelForCausalLM,
    AutoTokenizer,
    StoppingCriteria,
    StoppingCriteriaList,
    TextStreamer,
)

from local_model.completion import Completion


class _Forward(TextStreamer):
    """Hands each decoded piece of text to a callback (TextStreamer prints it)."""

    def __init__(self, tokenizer: Any, on_text: Callable[[str], None]) -> None:
        super().__init__(tokenizer, skip_prompt=True, skip_special_tokens=True)
        self._on_text = on_text

    def on_finalized_text(self, text: str, stream_end: bool = False) -> None:
        if text:
            self._on_text(text)


class _Until(StoppingCriteria):
    def __init__(self, cancelled: threading.Event) -> None:
        self._cancelled = cancelled

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor, **_: Any) -> Any:
        return torch.full((input_ids.shape[0],), self._cancelled.is_set(), dtype=torch.bool)


class Engine:
    def __init__(self, weights: Path) -> None:
        self.tokenizer = AutoTokenizer.from_pretrained(weights.parent, gguf_file=weights.name)
        # float32: the GGUF kernels compute in it; any other type casts every matmul's input.
        self.model = AutoModelForCausalLM.from_pretrained(
            weights.parent, gguf_file=weights.name, dtype=torch.float32
        )
        self.model.eval()
        self._lock = threading.Lock()

    def generate(
        self,
        messages: list[dict[str, str]],
        max_tokens: int,
        temperature: float,
        on_text: Callable[[str], None],
        cancelled: threading.Event,
    ) -> Completion:
        inputs = self.tokenizer.apply_chat_template(
            messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
        )
        prompt_tokens = int(inputs["input_ids"].shape[1])
        sampling = {"do_sample": True, "temperature": temperature} if temperature > 0 else {}
        with self._lock, torch.inference_mode():
            if cancelled.is_set():  # gone while waiting its turn
                return Completion(prompt_tokens, 0, "stop")
            output = self.model.generate(
                **inputs,
                max_new_tokens=max_tokens,
                streamer=_Forward(self.tokenizer, on_text),
                stopping_criteria=StoppingCriteriaList([_Until(cancelled)]),
                pad_token_id=self.tokenizer.eos_token_id,
                **sampling,
            )
        generated = int(output.shape[1]) - prompt_tokens
        return Completion(prompt_tokens, generated, "length" if generated >= max_tokens else "stop")
