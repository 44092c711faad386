"""Training end to end on CPU with the tiny Llama: loss mask, S3 checkpoints and resume,
adapter and manifest in S3, the Hugging Face token kept out of every file, generation."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest
from finetune import __main__ as cli
from finetune import base_model, checkpoints, hyper, manifest, s3, tiny
from finetune.base_model import BaseModelError
from finetune.data import load
from finetune.generate import answer, load_adapter
from finetune.hf_token import hf_token
from finetune.train import build_trainer
from huggingface_hub.errors import GatedRepoError
from moto import mock_aws
from peft import PeftModel
from transformers import AutoModelForCausalLM, AutoTokenizer

from tests.apps.finetune.conftest import REPO, TRAIN, VALIDATION

BUCKET = "genai-dev-model-assets"
RUN = f"s3://{BUCKET}/finetune/runs/loyalty-tiny"
DATA = f"s3://{BUCKET}/finetune/data"
# Stands in for a Hugging Face token: only its absence from every written byte matters.
TOKEN = "placeholder-hub-token-7f3a9c"
STEPS = ["--max-steps", "6", "--save-steps", "3", "--eval-steps", "3"]


def objects(client: Any, prefix: str) -> dict[str, bytes]:
    found = client.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", [])
    return {o["Key"]: client.get_object(Bucket=BUCKET, Key=o["Key"])["Body"].read() for o in found}


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One tiny training run with its data in, and its output to, a moto S3 bucket."""
    work = tmp_path_factory.mktemp("first-pod")
    with pytest.MonkeyPatch.context() as env, mock_aws():
        env.setenv("HF_HUB_OFFLINE", "1")
        env.setenv("AWS_REGION", "us-east-1")
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        client.upload_file(str(TRAIN), BUCKET, "finetune/data/loyalty_train.jsonl")
        client.upload_file(str(VALIDATION), BUCKET, "finetune/data/loyalty_validation.jsonl")
        status = cli.main(
            [
                "train",
                "--tiny",
                "--train",
                f"{DATA}/loyalty_train.jsonl",
                "--validation",
                f"{DATA}/loyalty_validation.jsonl",
                "--output",
                RUN,
                "--work-dir",
                str(work),
                *STEPS,
            ]
        )
        yield {"status": status, "work": work, "s3": client}


def test_the_loss_covers_the_answer_and_nothing_before_it(tiny_run: dict[str, Any]) -> None:
    base = tiny_run["work"] / "tiny-base"
    tokenizer = AutoTokenizer.from_pretrained(base)
    train = load(str(TRAIN))
    trainer = build_trainer(
        AutoModelForCausalLM.from_pretrained(base),
        tokenizer,
        train,
        load(str(VALIDATION)),
        hyper.TINY,
        tiny_run["work"] / "mask-check",
    )
    for index in (0, 1):
        row = trainer.train_dataset[index]
        batch = trainer.data_collator([row])
        ids, labels = batch["input_ids"][0].tolist(), batch["labels"][0].tolist()
        prompt, completion = train.conversations[index][:-1], train.conversations[index][-1]
        prompt_ids = tokenizer.apply_chat_template(list(prompt), add_generation_prompt=True)
        start = len(prompt_ids["input_ids"])
        assert ids[:start] == prompt_ids["input_ids"]
        assert labels[:start] == [-100] * start
        assert labels[start:] == ids[start:]
        assert tokenizer.decode(ids[start:]) == completion["content"] + tiny.EOT


def test_a_tiny_run_saves_its_adapter_and_manifest_to_s3(tiny_run: dict[str, Any]) -> None:
    assert tiny_run["status"] == 0
    prefix = "finetune/runs/loyalty-tiny/adapter/"
    saved = objects(tiny_run["s3"], prefix)
    names = {key.removeprefix(prefix) for key in saved}
    assert {"adapter_config.json", "adapter_model.safetensors", "manifest.json"} <= names
    assert {"tokenizer.json", "tokenizer_config.json"} <= names
    head = tiny_run["s3"].head_object(Bucket=BUCKET, Key=prefix + "adapter_config.json")
    assert head["ContentType"] == "application/json"
    assert json.loads(saved[prefix + "adapter_config.json"])["r"] == hyper.TINY.lora_r

    record = json.loads(saved[prefix + "manifest.json"])
    assert record["run"] == "loyalty-tiny"
    assert record["base_model"]["name"].endswith("tiny-base")
    assert record["lora"] == {
        "r": 8,
        "alpha": 16,
        "dropout": 0.05,
        "target_modules": sorted(hyper.Hyperparameters().target_modules),
        "task_type": "CAUSAL_LM",
    }
    assert record["datasets"]["train"] == load(str(TRAIN)).record() | {
        "uri": f"{DATA}/loyalty_train.jsonl"
    }
    assert record["datasets"]["validation"]["examples"] == 40
    assert record["training"]["completion_only_loss"] is True
    assert record["training"]["max_steps"] == 6
    metrics = record["metrics"]
    assert metrics["global_step"] == 6
    assert metrics["train_tokens"] > 0 and metrics["train_tokens_per_second"] > 0
    assert 0 < metrics["eval_loss"] < 20
    assert {"transformers", "peft", "trl", "torch"} <= set(record["libraries"])


def test_checkpoints_are_mirrored_to_s3_and_rotated(tiny_run: dict[str, Any]) -> None:
    folder = s3.S3Location.parse(f"{RUN}/checkpoints")
    found = checkpoints.remote_checkpoints(tiny_run["s3"], folder)
    assert sorted(found) == [3, 6]
    keys = objects(tiny_run["s3"], "finetune/runs/loyalty-tiny/checkpoints/checkpoint-6/")
    assert any(k.endswith("/optimizer.pt") for k in keys)


def test_the_adapter_reloads_with_peft_and_answers(tiny_run: dict[str, Any]) -> None:
    model, tokenizer = load_adapter(tiny_run["work"] / "adapter")
    assert isinstance(model, PeftModel)
    reply = answer(model, tokenizer, "Do product reviews earn points?", max_new_tokens=12)
    assert isinstance(reply, str) and reply.strip()


def test_a_retried_pod_resumes_from_the_last_complete_checkpoint_without_leaking_the_token(
    tiny_run: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client = tiny_run["s3"]
    # The first pod was interrupted while uploading checkpoint-6: its state file never arrived.
    client.delete_object(
        Bucket=BUCKET, Key="finetune/runs/loyalty-tiny/checkpoints/checkpoint-6/trainer_state.json"
    )
    client.delete_object(Bucket=BUCKET, Key="finetune/runs/loyalty-tiny/adapter/manifest.json")
    secrets = boto3.client("secretsmanager", region_name="us-east-1")
    arn = secrets.create_secret(Name="genai/dev/hf-token", SecretString=TOKEN)["ARN"]
    with pytest.MonkeyPatch.context() as env:
        env.setenv("HF_TOKEN_SECRET_ARN", arn)
        capsys.readouterr()
        status = cli.main(
            [
                "train",
                "--base-model",
                str(tiny_run["work"] / "tiny-base"),
                "--train",
                f"{DATA}/loyalty_train.jsonl",
                "--validation",
                f"{DATA}/loyalty_validation.jsonl",
                "--output",
                RUN,
                "--work-dir",
                str(tmp_path),
                *hyper.to_arguments(hyper.TINY),
                *STEPS,
            ]
        )
    out = capsys.readouterr()
    assert status == 0, out.err
    assert "resuming from checkpoint-3" in out.out
    assert "step 4/6" in out.out and "step 1/6" not in out.out
    record = manifest.read(tmp_path / "adapter")
    assert record["metrics"]["global_step"] == 6
    assert sorted(checkpoints.remote_checkpoints(client, s3.S3Location.parse(f"{RUN}/checkpoints")))

    written = [p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()]
    written += objects(client, "finetune/").values()
    assert not [blob for blob in written if TOKEN.encode() in blob]
    assert TOKEN not in out.out + out.err


def test_the_token_comes_from_secrets_manager() -> None:
    with mock_aws():
        secrets = boto3.client("secretsmanager", region_name="us-east-1")
        arn = secrets.create_secret(Name="hf", SecretString=f"  {TOKEN}\n")["ARN"]
        empty = secrets.create_secret(Name="none", SecretString=" ")["ARN"]
        assert hf_token(secrets, arn) == TOKEN
        assert hf_token(secrets, empty) is None
        assert hf_token(secrets, None) is None
        assert hf_token(secrets, "") is None
        unset = secrets.create_secret(Name="unset")["ARN"]
        assert hf_token(secrets, unset) is None


def test_bad_data_stops_training_with_exit_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"messages": [{"role": "user", "content": "Hi"}]}\n')
    status = cli.main(
        [
            *("train", "--tiny", "--train", str(bad), "--validation", str(VALIDATION)),
            *("--output", str(tmp_path / "out")),
        ]
    )
    assert status == 2
    assert "line 1: the last message must be the assistant's answer" in capsys.readouterr().err


def test_uploads_put_the_named_files_last(tmp_path: Path) -> None:
    for name in ("manifest.json", "adapter_config.json", "z.bin", "sub/a.json"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}")

    class Recorder:
        def __init__(self) -> None:
            self.calls: list[tuple[str, str]] = []

        def upload_file(self, path: str, bucket: str, key: str, ExtraArgs: dict) -> None:
            self.calls.append((key, ExtraArgs["ContentType"]))

    recorder = Recorder()
    s3.upload_folder(
        recorder, tmp_path, s3.S3Location.parse("s3://assets/run/adapter"), ["manifest.json"]
    )
    assert recorder.calls[-1] == ("run/adapter/manifest.json", "application/json")
    assert ("run/adapter/z.bin", "application/octet-stream") in recorder.calls
    assert len(recorder.calls) == 4


def test_the_manifest_holds_every_field_the_serving_stack_reads(tiny_run: dict[str, Any]) -> None:
    """infra/workloads/loyalty_model.tf reads manifest.json at plan time: each field it names
    must be in what a run uploads, and readable there (a JSON content type)."""
    prefix = "finetune/runs/loyalty-tiny/adapter/"
    head = tiny_run["s3"].head_object(Bucket=BUCKET, Key=prefix + "manifest.json")
    assert head["ContentType"] == "application/json"
    record = json.loads(objects(tiny_run["s3"], prefix)[prefix + "manifest.json"])
    stack = (REPO / "infra" / "workloads" / "loyalty_model.tf").read_text()
    read = set(
        re.findall(r"(?:local\.loyalty_manifest|jsondecode\(self\.body\))((?:\.\w+)+)", stack)
    )
    assert {".base_model.name", ".lora.r"} <= read
    for path in read:
        value: Any = record
        for key in path.strip(".").split("."):
            assert isinstance(value, dict) and key in value, f"manifest.json lacks {path}"
            value = value[key]


@pytest.mark.parametrize(
    ("token", "advice"),
    [(None, "store a Hugging Face token"), ("hf_x", "accept its licence on the hub")],
)
def test_a_gated_base_model_says_what_to_do(
    monkeypatch: pytest.MonkeyPatch, token: str | None, advice: str
) -> None:
    def gated(*args: Any, **kwargs: Any) -> None:
        url = "https://huggingface.co/meta-llama/Meta-Llama-3-8B-Instruct/resolve/main/config.json"
        response = httpx.Response(401, request=httpx.Request("GET", url))
        raise GatedRepoError("401 gated repo", response=response)

    monkeypatch.setattr(base_model, "resolve_revision", gated)
    with pytest.raises(
        BaseModelError, match=f"meta-llama/Meta-Llama-3-8B-Instruct is gated: {advice}"
    ):
        base_model.load_base("meta-llama/Meta-Llama-3-8B-Instruct", None, token)
