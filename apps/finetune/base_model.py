"""The base model to put LoRA on: 4-bit NF4 (QLoRA) where a CUDA GPU runs bitsandbytes, full
precision elsewhere; its tokenizer, whose chat template shapes both training and generation."""

from __future__ import annotations

import torch
from huggingface_hub.errors import GatedRepoError, RepositoryNotFoundError, RevisionNotFoundError
from transformers import (
    AutoModelForCausalLM,
    AutoTokenizer,
    BitsAndBytesConfig,
    PreTrainedModel,
    PreTrainedTokenizerBase,
)
from transformers.utils.hub import resolve_revision


class BaseModelError(ValueError):
    """The base model cannot be used as asked: retrying will not help."""


def quantization_config() -> BitsAndBytesConfig | None:
    """4-bit NF4 with double quantization and bf16 compute (QLoRA) where bitsandbytes runs."""
    if not torch.cuda.is_available():
        return None
    return BitsAndBytesConfig(
        load_in_4bit=True,
        bnb_4bit_quant_type="nf4",
        bnb_4bit_use_double_quant=True,
        bnb_4bit_compute_dtype=torch.bfloat16,
    )


def load_base(
    name: str, revision: str | None, token: str | None
) -> tuple[PreTrainedModel, PreTrainedTokenizerBase, str | None]:
    """The base model, its tokenizer and the commit the revision resolved to (None for a folder)."""
    try:
        resolved = resolve_revision(name, revision, token=token)
        tokenizer = AutoTokenizer.from_pretrained(name, revision=resolved, token=token)
        quantization = quantization_config()
        model = AutoModelForCausalLM.from_pretrained(
            name,
            revision=resolved,
            token=token,
            quantization_config=quantization,
            dtype=torch.bfloat16 if quantization else torch.float32,
            device_map={"": 0} if quantization else None,
        )
    except (OSError, GatedRepoError, RepositoryNotFoundError, RevisionNotFoundError) as error:
        # transformers wraps the hub's errors in OSError; resolving the revision does not.
        cause = error if not isinstance(error.__cause__, Exception) else error.__cause__
        if isinstance(cause, GatedRepoError):
            needs = (
                "store a Hugging Face token in the hf-token secret (README, Fine-tuning)"
                if token is None
                else "accept its licence on the hub with the account whose token is in the hf-token secret"
            )
            raise BaseModelError(f"{name} is gated: {needs}") from error
        if isinstance(cause, RepositoryNotFoundError | RevisionNotFoundError):
            raise BaseModelError(f"{name} at revision {revision or 'main'}: not found") from error
        raise
    if not tokenizer.chat_template:
        raise BaseModelError(
            f"{name} has no chat template: fine-tune its chat variant "
            "(for Llama 3 8B: meta-llama/Meta-Llama-3-8B-Instruct)"
        )
    return model, tokenizer, getattr(resolved, "resolved", None)
