"""all-MiniLM-L6-v2 without sentence-transformers: its BERT encoder in torch, read from the
packaged safetensors, then the pooling and normalisation its sentence-transformers config names.

sentence-transformers imports transformers, sklearn and scipy (6-7 s before a model exists);
this needs torch, tokenizers and safetensors only. The encoder is the standard BERT block
(post-layer-norm, erf GELU), sized by the model's own config.json; tests/apps/genai_common
compares its vectors with sentence-transformers' to 1e-5.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file
from tokenizers import Tokenizer
from torch import Tensor
from torch.nn import functional as F

# Texts per forward pass: sentence-transformers' default, and the knee of throughput on CPU.
BATCH_SIZE = 32


@dataclass(frozen=True)
class _Config:
    heads: int
    layers: int
    eps: float
    max_tokens: int

    @classmethod
    def read(cls, folder: Path) -> _Config:
        bert = json.loads((folder / "config.json").read_text())
        sentence = json.loads((folder / "sentence_bert_config.json").read_text())
        pooling = json.loads((folder / "1_Pooling" / "config.json").read_text())
        modules = [m["type"] for m in json.loads((folder / "modules.json").read_text())]
        # What this module implements; another packaged model must fail loudly, not embed
        # with the wrong pooling.
        if not pooling.get("pooling_mode_mean_tokens") or not modules[-1].endswith("Normalize"):
            raise ValueError(f"{folder} is not a mean-pooled, normalised sentence model")
        if bert["hidden_act"] != "gelu" or bert["position_embedding_type"] != "absolute":
            raise ValueError(f"{folder} is not a BERT encoder this module runs")
        return cls(
            heads=bert["num_attention_heads"],
            layers=bert["num_hidden_layers"],
            eps=bert["layer_norm_eps"],
            max_tokens=sentence["max_seq_length"],
        )


class MiniLM:
    """The sentence encoder: ``encode(texts)`` is an array of unit vectors, one row a text."""

    def __init__(self, folder: Path) -> None:
        self.config = _Config.read(folder)
        self.weights = load_file(folder / "model.safetensors", device="cpu")
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(self.config.max_tokens)
        self.tokenizer.enable_padding(pad_id=self.tokenizer.token_to_id("[PAD]"))
        self.dimensions = self.weights["embeddings.word_embeddings.weight"].shape[1]

    def encode(self, texts: list[str]) -> np.ndarray:
        # Longest first, so each batch pads to lengths alike (as sentence-transformers does).
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        vectors = np.empty((len(texts), self.dimensions), dtype=np.float32)
        with torch.inference_mode():
            for start in range(0, len(order), BATCH_SIZE):
                batch = order[start : start + BATCH_SIZE]
                encodings = self.tokenizer.encode_batch([texts[i] for i in batch])
                ids = torch.tensor([e.ids for e in encodings])
                mask = torch.tensor([e.attention_mask for e in encodings])
                vectors[batch] = self._forward(ids, mask).numpy()
        return vectors

    def _forward(self, ids: Tensor, mask: Tensor) -> Tensor:
        w, c = self.weights, self.config
        positions = torch.arange(ids.shape[1])
        x = (
            F.embedding(ids, w["embeddings.word_embeddings.weight"])
            + w["embeddings.position_embeddings.weight"][positions]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        # Padding is masked out of attention by an additive bias of the dtype's minimum.
        bias = (1.0 - mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        for layer in range(c.layers):
            p = f"encoder.layer.{layer}."
            x = self._norm(
                x + self._attention(x, bias, p + "attention."), p + "attention.output.LayerNorm"
            )
            hidden = F.gelu(self._linear(x, p + "intermediate.dense"))
            x = self._norm(x + self._linear(hidden, p + "output.dense"), p + "output.LayerNorm")
        weights = mask.unsqueeze(-1).to(x.dtype)
        pooled = (x * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
        return F.normalize(pooled, p=2, dim=1)

    def _attention(self, x: Tensor, bias: Tensor, prefix: str) -> Tensor:
        batch, length, width = x.shape
        heads = self.config.heads

        def split(name: str) -> Tensor:
            projected = self._linear(x, f"{prefix}self.{name}")
            return projected.view(batch, length, heads, width // heads).transpose(1, 2)

        attended = F.scaled_dot_product_attention(
            split("query"), split("key"), split("value"), attn_mask=bias
        )
        merged = attended.transpose(1, 2).reshape(batch, length, width)
        return self._linear(merged, f"{prefix}output.dense")

    def _linear(self, x: Tensor, name: str) -> Tensor:
        return F.linear(x, self.weights[f"{name}.weight"], self.weights[f"{name}.bias"])

    def _norm(self, x: Tensor, name: str) -> Tensor:
        return F.layer_norm(
            x,
            (x.shape[-1],),
            self.weights[f"{name}.weight"],
            self.weights[f"{name}.bias"],
            self.config.eps,
        )
