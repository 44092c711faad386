"""scripts/ on the import path, so that tests import local mode's package (scripts/localmode)."""

from __future__ import annotations

import sys

from tests.scripts.stand_ins import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
