"""Answer a question with a trained adapter on its base model (PEFT), as a quick check of a run."""

from __future__ import annotations

from pathlib import Path

import torch
from peft import PeftModel
from transformers import AutoTokenizer, PreTrainedTokenizerBase

from finetune import manifest
from finetune.base_model import load_base


def load_adapter(
    adapter_dir: Path, *, base_model: str | None = None, token: str | None = None
) -> tuple[PeftModel, PreTrainedTokenizerBase]:
    """The adapter on the base model its manifest names (or ``base_model``), at the commit it
    was trained on, with the tokenizer saved beside the adapter."""
    base = manifest.read(adapter_dir)["base_model"]
    name = base_model or base["name"]
    revision = None if base_model else base["resolved_revision"] or base["revision"]
    model, _, _ = load_base(name, revision, token)
    tokenizer = AutoTokenizer.from_pretrained(adapter_dir)
    return PeftModel.from_pretrained(model, adapter_dir).eval(), tokenizer


def answer(
    model: PeftModel,
    tokenizer: PreTrainedTokenizerBase,
    question: str,
    *,
    max_new_tokens: int = 256,
) -> str:
    inputs = tokenizer.apply_chat_template(
        [{"role": "user", "content": question}],
        add_generation_prompt=True,
        return_tensors="pt",
        return_dict=True,
    ).to(model.device)
    with torch.inference_mode():
        output = model.generate(
            **inputs,
            max_new_tokens=max_new_tokens,
            do_sample=False,
            pad_token_id=tokenizer.pad_token_id or tokenizer.eos_token_id,
        )
    return tokenizer.decode(output[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True)
