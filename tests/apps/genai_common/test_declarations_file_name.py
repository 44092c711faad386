"""The packaging scripts name the declaration file without importing the loader."""

from __future__ import annotations

import sys
from pathlib import Path

from genai_common import declarations

ROOT = Path(__file__).resolve().parents[3]


def test_the_zip_writer_leaves_out_the_file_the_loader_reads() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import reproducible_zip
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    assert reproducible_zip.DECLARATION == declarations.DECLARATION
