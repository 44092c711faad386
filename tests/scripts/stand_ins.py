"""Running an operator script with stand-ins for the command-line tools it calls."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_script(
    script: str, args: tuple[str, ...], tools: dict[str, str], bin_dir: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """scripts/<script> ARGS, with each tool (name -> bash body) first on PATH."""
    for name, body in tools.items():
        tool = bin_dir / name
        tool.write_text(body)
        tool.chmod(tool.stat().st_mode | stat.S_IEXEC)
    return subprocess.run(
        [str(ROOT / "scripts" / script), *args],
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
        env=os.environ | {"PATH": f"{bin_dir}:{os.environ['PATH']}"} | env,
    )
