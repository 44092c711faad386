"""The converted copy of a GGUF model: the same tokens and logits as the GGUF file itself, and
written whole or not at all."""

from __future__ import annotations

from pathlib import Path
from threading import Event

import pytest
import torch
from local_model import engine
from local_model.engine import MODEL_FILE, TOKENIZER_FILE, Engine, convert, load
from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

MESSAGES = [
    {"role": "system", "content": "Answer briefly."},
    {
        "role": "user",
        "content": "Qu'est-ce que la capitale de la France ? 東京は? \u200b\t émoji 🙂",
    },
]


def test_the_converted_copy_answers_exactly_as_the_gguf_file(
    smollm2_weights: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy"
    gguf_tokenizer, gguf_model = load(smollm2_weights, copy)  # reads the GGUF file, keeps a copy
    assert (copy / MODEL_FILE).exists() and (copy / TOKENIZER_FILE).exists()
    tokenizer, model = load(smollm2_weights, copy)
    # What the copy alone holds: a GGUF load keeps the GGUF settings in its configuration.
    assert hasattr(gguf_model.config, "quantization_config")
    assert not hasattr(model.config, "quantization_config")

    prompts = [
        tokenizer.apply_chat_template(
            MESSAGES, add_generation_prompt=True, return_tensors="pt", return_dict=True
        )
        for tokenizer in (gguf_tokenizer, tokenizer)
    ]
    assert torch.equal(prompts[0]["input_ids"], prompts[1]["input_ids"])
    with torch.inference_mode():
        assert torch.equal(gguf_model(**prompts[0]).logits, model(**prompts[1]).logits)
        greedy = [
            m.generate(**p, max_new_tokens=8, do_sample=False, pad_token_id=t.eos_token_id)
            for m, p, t in (
                (gguf_model, prompts[0], gguf_tokenizer),
                (model, prompts[1], tokenizer),
            )
        ]
    assert torch.equal(greedy[0], greedy[1])


@pytest.fixture(scope="module")
def tiny(smollm2_converted: Path) -> tuple[object, LlamaForCausalLM]:
    """SmolLM2's tokenizer (from its converted copy) and a tiny model of the same family."""
    if not (smollm2_converted / TOKENIZER_FILE).exists():
        pytest.fail(f"no converted copy in {smollm2_converted}: run scripts/setup-dev --checks")
    tokenizer = AutoTokenizer.from_pretrained(smollm2_converted)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=16,
        intermediate_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=1,
        tie_word_embeddings=True,
    )
    return tokenizer, LlamaForCausalLM(config)


def test_a_conversion_that_fails_halfway_leaves_nothing_a_load_would_read(
    tiny: tuple[object, LlamaForCausalLM], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(*_: object, **__: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(engine, "save_model", disk_full)
    with pytest.raises(OSError, match="No space"):
        convert(*tiny, tmp_path / "copy")
    assert list(tmp_path.iterdir()) == []


def test_a_model_too_large_to_copy_keeps_its_tokenizer_only(
    tiny: tuple[object, LlamaForCausalLM], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "CONVERTED_MODEL_LIMIT", 0)
    convert(*tiny, tmp_path / "copy")
    assert (tmp_path / "copy" / TOKENIZER_FILE).exists()
    assert not (tmp_path / "copy" / MODEL_FILE).exists()
    assert [p.name for p in tmp_path.iterdir()] == ["copy"]


def test_a_copy_another_process_renamed_in_first_is_kept(
    tiny: tuple[object, LlamaForCausalLM], tmp_path: Path
) -> None:
    convert(*tiny, tmp_path / "copy")
    written = (tmp_path / "copy" / MODEL_FILE).stat().st_mtime_ns
    convert(*tiny, tmp_path / "copy")
    assert (tmp_path / "copy" / MODEL_FILE).stat().st_mtime_ns == written
    assert [p.name for p in tmp_path.iterdir()] == ["copy"]


@pytest.mark.parametrize("damaged", [MODEL_FILE, TOKENIZER_FILE])
def test_a_damaged_copy_is_made_again_from_the_gguf_file(
    tiny: tuple[object, LlamaForCausalLM],
    damaged: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    copy = tmp_path / "copy"
    convert(*tiny, copy)
    with (copy / damaged).open("r+b") as file:
        file.truncate(file.seek(0, 2) // 2)
    monkeypatch.setattr(engine, "read_gguf", lambda _: tiny)

    assert load(tmp_path / "model.gguf", copy) == tiny
    assert "unreadable" in capsys.readouterr().err
    monkeypatch.undo()
    _, model = load(tmp_path / "model.gguf", copy)  # the new copy alone: no GGUF file here
    assert torch.equal(model.lm_head.weight, tiny[1].lm_head.weight)


def test_the_prompt_runs_on_every_thread_and_the_tokens_after_it_on_the_decode_threads(
    smollm2_weights: Path, smollm2_converted: Path
) -> None:
    model = Engine(smollm2_weights, smollm2_converted, decode_threads=1)
    passes: list[int] = []
    model.model.register_forward_pre_hook(lambda *_: passes.append(torch.get_num_threads()))
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        done = model.generate(
            [{"role": "user", "content": "Count to ten."}], 6, 0.0, lambda _: None, Event()
        )
        assert torch.get_num_threads() == 2  # the next prompt has every thread again
    finally:
        torch.set_num_threads(before)
    assert done.completion_tokens == len(passes) == 6
    assert passes == [2, 1, 1, 1, 1, 1]
