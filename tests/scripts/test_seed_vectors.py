"""The vectors shipped in datasets/vectors: those of the shipped catalog and corpus, under the
names the vector cache looks for. Names and file headers only: nothing is embedded."""

from __future__ import annotations

import subprocess
import sys
from importlib.machinery import SourceFileLoader
from importlib.util import module_from_spec, spec_from_loader
from types import ModuleType

from genai_common.embeddings import dimensions, identity
from genai_common.vector_cache import VectorCache

from tests.scripts.stand_ins import ROOT

SCRIPT = ROOT / "scripts" / "seed-vectors"


def seed_vectors() -> ModuleType:
    loader = SourceFileLoader("seed_vectors", str(SCRIPT))
    spec = spec_from_loader("seed_vectors", loader)
    assert spec is not None
    module = module_from_spec(spec)
    loader.exec_module(module)
    return module


def test_the_shipped_seeds_are_those_of_the_shipped_catalog_and_corpus() -> None:
    checked = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, cwd=ROOT
    )
    assert checked.returncode == 0, (
        f"{checked.stderr}\nthe shipped vectors are stale: run "
        ".venv/bin/python scripts/seed-vectors and commit datasets/vectors"
    )


def test_a_changed_product_text_is_reported_as_missing() -> None:
    script = seed_vectors()
    settings, folder = script.local_settings()
    cache = VectorCache(folder, identity(settings), dimensions(settings))
    catalog, *corpus = script.text_lists(settings)
    edited = [catalog[0] + " Now waterproof.", *catalog[1:]]

    missing, extra = script.stale(cache, [edited, *corpus])

    assert missing == {cache.name(edited)}
    assert extra == {cache.name(catalog)}
