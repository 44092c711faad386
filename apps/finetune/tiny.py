"""A tiny Llama-architecture base model for CPU runs and tests: random weights from a config
and a byte-level BPE tokenizer trained here, shaped like Llama 3 (its special tokens and chat
template), saved as a folder that loads like any model on the hub."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast
from trl.chat_template_utils import llama3_chat_template

from finetune.data import ChatData

BOS, EOS, EOT, PAD = "<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>", "<|finetune_pad|>"
SPECIAL_TOKENS = [BOS, EOS, "<|start_header_id|>", "<|end_header_id|>", EOT, PAD]
VOCAB_SIZE = 768


def train_tokenizer(texts: Iterable[str], vocab_size: int = VOCAB_SIZE) -> PreTrainedTokenizerFast:
    # Byte-level, as Llama 3's: any text encodes, so a question at generate time never meets an
    # unknown character.
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.post_processor = processors.ByteLevel(trim_offsets=False)
    tokenizer.train_from_iterator(
        texts,
        trainers.BpeTrainer(
            vocab_size=vocab_size,
            special_tokens=SPECIAL_TOKENS,
            initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
            show_progress=False,
        ),
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        bos_token=BOS,
        # Llama 3 Instruct ends a turn with <|eot_id|>: generation stops there.
        eos_token=EOT,
        pad_token=PAD,
        chat_template=llama3_chat_template,
        model_max_length=512,
    )


def tiny_config(tokenizer: PreTrainedTokenizerFast) -> LlamaConfig:
    # Small enough that a few optimizer steps take seconds on two CPU cores, yet every part of
    # Llama 3 that LoRA targets (q/k/v/o, gate/up/down, grouped-query attention) is there.
    return LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=512,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        tie_word_embeddings=False,
    )


def build(folder: Path, data: Iterable[ChatData], seed: int = 0) -> Path:
    """Saves a tiny base model whose tokenizer learned the words of ``data``; returns ``folder``."""
    texts = [m["content"] for d in data for messages in d.conversations for m in messages]
    tokenizer = train_tokenizer(texts)
    torch.manual_seed(seed)
    model = LlamaForCausalLM(tiny_config(tokenizer))
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder
