"""Generation with a GGUF model on the CPU through transformers (which reads GGUF with ``gguf``).

Reading a GGUF file means building its tokenizer and de-quantizing every tensor in Python
(16 s for SmolLM2), so the first load keeps what it built as a converted copy (``tokenizer.json``
and float32 safetensors, which load in 2 s). The copy holds the very tensors the GGUF load
produced; a model whose float32 copy would exceed CONVERTED_MODEL_LIMIT keeps its tokenizer only.

One generation runs at a time (a lock: two would only halve each other's speed on a laptop's
cores); others wait their turn in arrival order. Generation is synchronous and is meant to run
in a worker thread: the text arrives through ``on_text`` as it is decoded, and setting
``cancelled`` stops it at the next token (a client that went away).
"""

from __future__ import annotations

import copy
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError
from safetensors.torch import save_model
from transformers import (
    AutoModelForCausalLM,
    AutoTokenizer,
    LogitsProcessor,
    LogitsProcessorList,
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


class _DecodeThreads(LogitsProcessor):
    """Torch's thread count from the first token on, set when the prompt's pass is done. That
    pass multiplies large matrices, which every core speeds up; each later token multiplies
    small ones, where a small model gains nothing from more threads but pays their CPU."""

    def __init__(self, threads: int) -> None:
        self._threads = threads

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> Any:
        if torch.get_num_threads() != self._threads:
            torch.set_num_threads(self._threads)
        return scores


CONVERTED_MODEL_LIMIT = 2 << 30  # bytes of float32 tensors: SmolLM2's 0.5 GB, not Qwen's 6 GB
MODEL_FILE = "model.safetensors"
TOKENIZER_FILE = "tokenizer.json"


def load(weights: Path, converted: Path) -> tuple[Any, Any]:
    """The tokenizer and model of ``weights``: from the converted copy ``converted`` where it
    holds them, else from the GGUF file, then kept in ``converted`` for the next load. A copy
    that cannot be read is deleted and made again."""
    if converted.exists():
        try:
            return _read_copy(weights, converted)
        except (OSError, ValueError, SafetensorError) as error:
            print(
                f"local model: the converted copy in {converted} is unreadable ({error}); "
                "converting the weights again",
                file=sys.stderr,
            )
            shutil.rmtree(converted, ignore_errors=True)
    tokenizer, model = read_gguf(weights)
    try:
        convert(tokenizer, model, converted)
    except OSError as error:  # a full or read-only disk: the next load reads the GGUF again
        print(f"local model: no converted copy kept in {converted}: {error}", file=sys.stderr)
    return tokenizer, model


def read_gguf(weights: Path) -> tuple[Any, Any]:
    """The tokenizer and model built from the GGUF file itself (its tensors de-quantized)."""
    tokenizer = AutoTokenizer.from_pretrained(weights.parent, gguf_file=weights.name)
    return tokenizer, _gguf_model(weights)


def _gguf_model(weights: Path) -> Any:
    # float32: the GGUF kernels compute in it; any other type casts every matmul's input.
    return AutoModelForCausalLM.from_pretrained(
        weights.parent, gguf_file=weights.name, dtype=torch.float32
    )


def _read_copy(weights: Path, converted: Path) -> tuple[Any, Any]:
    tokenizer = AutoTokenizer.from_pretrained(converted)
    if not (converted / MODEL_FILE).exists():  # a model too large to copy
        return tokenizer, _gguf_model(weights)
    return tokenizer, AutoModelForCausalLM.from_pretrained(converted, dtype=torch.float32)


def convert(tokenizer: Any, model: Any, target: Path) -> None:
    """Write the converted copy to ``target`` whole or not at all: it is built beside it and
    renamed into place, so an interrupted write never leaves a copy that a later load reads."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(dir=target.parent, prefix=f"{target.name}.partial-"))
    try:
        tokenizer.save_pretrained(partial)
        if model.num_parameters() * 4 <= CONVERTED_MODEL_LIMIT:
            # Without it, transformers would take the copy for a GGUF file still to de-quantize.
            config = copy.deepcopy(model.config)
            if hasattr(config, "quantization_config"):
                del config.quantization_config
            config.save_pretrained(partial)
            model.generation_config.save_pretrained(partial)
            # save_model, not save_file: the tied embedding and output weights are one tensor.
            save_model(model, str(partial / MODEL_FILE))
        try:
            partial.rename(target)
        except OSError:
            if not target.is_dir():  # not another process's copy, renamed in first
                raise
    finally:
        shutil.rmtree(partial, ignore_errors=True)


class Engine:
    def __init__(self, weights: Path, converted: Path, decode_threads: int | None = None) -> None:
        self.tokenizer, self.model = load(weights, converted)
        self.model.eval()
        self._decode = LogitsProcessorList(
            [_DecodeThreads(decode_threads)] if decode_threads else []
        )
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
            prompt_threads = torch.get_num_threads()
            try:
                output = self.model.generate(
                    **inputs,
                    max_new_tokens=max_tokens,
                    streamer=_Forward(self.tokenizer, on_text),
                    logits_processor=self._decode,
                    stopping_criteria=StoppingCriteriaList([_Until(cancelled)]),
                    pad_token_id=self.tokenizer.eos_token_id,
                    **sampling,
                )
            finally:
                torch.set_num_threads(prompt_threads)
        generated = int(output.shape[1]) - prompt_tokens
        return Completion(prompt_tokens, generated, "length" if generated >= max_tokens else "stop")
