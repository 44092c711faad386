"""`python -m finetune serve`: a finished run's adapter hot-loaded into a (fake) vLLM server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from finetune import __main__ as cli
from finetune import serving
from genai_common.model_server import ModelServer, ModelServerError
from moto import mock_aws

from tests.fakes.vllm_server import FakeVllm, serve_vllm

BUCKET = "genai-dev-model-assets-123456789012"
KEY = "test-api-key"


@pytest.fixture
def synced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The server's copy of finetune/runs/ (its sync sidecar's folder)."""
    monkeypatch.setattr(serving, "ADAPTERS_DIR", str(tmp_path))
    return tmp_path


def finish(s3: Any, synced: Path, run: str) -> None:
    """A run as training leaves it: the adapter, then the manifest last; and its synced copy."""
    folder = synced / run / "adapter"
    folder.mkdir(parents=True)
    (folder / "adapter_config.json").write_text(json.dumps({"r": 16}))
    s3.put_object(Bucket=BUCKET, Key=f"finetune/runs/{run}/adapter/adapter_config.json", Body=b"{}")
    s3.put_object(Bucket=BUCKET, Key=serving.manifest_key(run), Body=b"{}")


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("MODEL_SERVER_API_KEY", KEY)
    with mock_aws():
        ssm = boto3.client("ssm", region_name="us-east-1")
        for name, value in {
            "platform/cluster-name": "genai-dev",
            "platform/gpu-node-selector": json.dumps({"nvidia.com/gpu.present": "true"}),
            "platform/gpu-toleration": json.dumps(
                {
                    "key": "nvidia.com/gpu",
                    "operator": "Equal",
                    "value": "true",
                    "effect": "NoSchedule",
                }
            ),
            "platform/model-assets-bucket": BUCKET,
            "workloads/finetune-namespace": "genai",
            "workloads/finetune-service-account": "finetune-job",
            "workloads/finetune-image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/genai/dev/finetune:1",
            "workloads/hf-token-secret-arn": "",
        }.items():
            ssm.put_parameter(Name=f"/genai/dev/{name}", Value=value or "-", Type="String")
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        yield s3


@pytest.fixture
def vllm() -> Iterator[FakeVllm]:
    with serve_vllm(FakeVllm(KEY)) as fake:
        yield fake


def serve(vllm: FakeVllm, run: str, *retire: str) -> int:
    argv = ["serve", "--env", "dev", "--run", run, "--server", vllm.url]
    return cli.main([*argv, "--retire", *retire] if retire else argv)


def test_a_finished_run_is_hot_loaded_listed_and_replaces_the_retired_one(
    aws: Any, synced: Path, vllm: FakeVllm, capsys: pytest.CaptureFixture[str]
) -> None:
    finish(aws, synced, "loyalty-v1")
    assert serve(vllm, "loyalty-v1") == 0
    finish(aws, synced, "loyalty-v2")
    assert serve(vllm, "loyalty-v2", "loyalty-v1") == 0
    assert "serving loyalty-v2" in capsys.readouterr().out
    assert vllm.adapters == {"loyalty-v2": str(synced / "loyalty-v2" / "adapter")}
    assert ModelServer(vllm.url, KEY).newest_adapter() == "loyalty-v2"


def test_a_failed_load_leaves_the_previous_adapter_serving_and_is_reported(
    aws: Any,
    synced: Path,
    vllm: FakeVllm,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    finish(aws, synced, "loyalty-v1")
    assert serve(vllm, "loyalty-v1") == 0
    finish(aws, synced, "loyalty-v2")
    (synced / "loyalty-v2" / "adapter" / "adapter_config.json").unlink()  # not synced (yet)
    waits: list[float] = []
    monkeypatch.setattr(serving.time, "sleep", waits.append)

    assert serve(vllm, "loyalty-v2", "loyalty-v1") == 1
    err = capsys.readouterr().err
    assert "loyalty-v2 is not served" in err and "No adapter found" in err
    assert "the server still serves: loyalty-v1" in err
    assert list(vllm.adapters) == ["loyalty-v1"]
    assert len(waits) == serving.ATTEMPTS - 1  # retried while the sidecar may still be syncing


def test_a_run_without_a_manifest_is_not_loaded(
    aws: Any, synced: Path, vllm: FakeVllm, capsys: pytest.CaptureFixture[str]
) -> None:
    aws.put_object(
        Bucket=BUCKET, Key="finetune/runs/loyalty-v3/adapter/adapter_config.json", Body=b"{}"
    )
    assert serve(vllm, "loyalty-v3") == 2
    assert "has not finished" in capsys.readouterr().err
    assert vllm.adapters == {}


def test_loading_a_run_already_served_changes_nothing(
    aws: Any, synced: Path, vllm: FakeVllm
) -> None:
    finish(aws, synced, "loyalty-v1")
    server = ModelServer(vllm.url, KEY)
    assert serving.serve_run(aws, BUCKET, server, "loyalty-v1") == ["loyalty-v1"]
    assert serving.serve_run(aws, BUCKET, server, "loyalty-v1") == ["loyalty-v1"]


def test_a_wrong_api_key_is_refused_and_reported(vllm: FakeVllm) -> None:
    with pytest.raises(ModelServerError, match="HTTP 401"):
        ModelServer(vllm.url, "wrong").adapters()


REVISION = "8afb486c1db24fe5011ec46dfbe5b5dccdb575c2"


def tiny_snapshot(**kwargs: Any) -> str:
    """What snapshot_download leaves in local_dir: the model's files and its own .cache/."""
    assert kwargs["revision"] == REVISION and "*.safetensors" in kwargs["allow_patterns"]
    local = Path(kwargs["local_dir"])
    (local / ".cache" / "huggingface").mkdir(parents=True)
    (local / ".cache" / "huggingface" / "download.lock").write_text("")
    (local / "model.safetensors").write_bytes(b"\0" * 4096)
    (local / "tokenizer.json").write_text("{}")
    (local / "config.json").write_text(json.dumps({"model_type": "llama"}))
    return str(local)


def test_the_base_model_is_mirrored_once_into_the_bucket_config_last(
    aws: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("huggingface_hub.snapshot_download", tiny_snapshot)
    written: list[str] = []
    upload = aws.upload_file

    def record(path: str, bucket: str, key: str, **kwargs: Any) -> None:
        written.append(key)
        upload(path, bucket, key, **kwargs)

    monkeypatch.setattr(aws, "upload_file", record)
    monkeypatch.setattr(
        cli, "aws_client", lambda name, settings: aws if name == "s3" else boto3.client(name)
    )
    argv = [
        "mirror-base-model",
        "--env",
        "dev",
        "--base-model",
        "meta-llama/Tiny",
        "--revision",
        REVISION,
    ]
    assert cli.main(argv) == 0
    prefix = f"models/meta-llama/Tiny/{REVISION}/"
    assert f"s3://{BUCKET}/{prefix}" in capsys.readouterr().out
    assert sorted(written) == sorted(
        f"{prefix}{n}" for n in ("config.json", "model.safetensors", "tokenizer.json")
    )
    assert written[-1] == f"{prefix}config.json"  # the server's sign of a complete copy


@pytest.mark.parametrize("revision", ["main", "8afb486", "../" + "0" * 37])
def test_a_base_model_is_mirrored_only_at_a_pinned_commit(
    revision: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["mirror-base-model", "--env", "dev", "--revision", revision])
    assert exit_.value.code == 2 and "not a commit" in capsys.readouterr().err
