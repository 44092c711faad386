"""Runs local mode's Runner over the specs in a JSON file, as scripts/local_mode.py runs it.

    python tests/scripts/localmode_harness.py SPECS.json

Each spec: name, argv, log, and optionally ready_url, depends_on and port_variable. Prints "up <pending...>"
and "settled" as the runner reports them; exits with the runner's status.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from localmode.runner import Runner, Spec


def main() -> int:
    specs = [
        Spec(
            name=raw["name"],
            argv=tuple(raw["argv"]),
            env=dict(os.environ),
            log=Path(raw["log"]),
            ready_url=raw.get("ready_url"),
            depends_on=tuple(raw.get("depends_on", ())),
            port_variable=raw.get("port_variable"),
        )
        for raw in json.loads(Path(sys.argv[1]).read_text())
    ]
    runner = Runner(
        specs,
        on_up=lambda pending: print("up", *pending, flush=True),
        on_settled=lambda: print("settled", flush=True),
        ready_timeout=30,
    )
    return asyncio.run(runner.run())


if __name__ == "__main__":
    sys.exit(main())
