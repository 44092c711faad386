"""Runs local mode's Runner over the specs in a JSON file, as scripts/local_mode.py runs it.

    python tests/scripts/localmode_harness.py SPECS.json

Each spec: name, argv, log, and optionally ready_url, depends_on, port_variable and
hold_spawn. Prints "up <pending...>" and "settled" as the runner reports them; exits with the
runner's status.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from localmode.runner import Runner, Spec


def hold_spawns(runner: Runner, held: set[tuple[str, ...]]) -> None:
    """Keeps the spawn of each argv in ``held`` from returning, its child running, until the stop
    begins: what a busy machine may do, so that the stop comes while the spawn is under way."""
    spawn = asyncio.create_subprocess_exec

    async def held_spawn(*argv: str, **options: Any) -> asyncio.subprocess.Process:
        process = await spawn(*argv, **options)
        if argv in held:
            try:
                while runner._stop_started is None:
                    await asyncio.sleep(0.01)
            except asyncio.CancelledError:
                # What asyncio does to a child whose spawn is cancelled before it returns: kills
                # it and closes its pipes (its own child may hold them), leaving its group be.
                process._transport.close()  # type: ignore[attr-defined]
                await process.wait()
                raise
        return process

    asyncio.create_subprocess_exec = held_spawn  # type: ignore[assignment]


def main() -> int:
    raws = json.loads(Path(sys.argv[1]).read_text())
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
        for raw in raws
    ]
    runner = Runner(
        specs,
        on_up=lambda pending: print("up", *pending, flush=True),
        on_settled=lambda: print("settled", flush=True),
        ready_timeout=30,
    )
    hold_spawns(runner, {tuple(raw["argv"]) for raw in raws if raw.get("hold_spawn")})
    return asyncio.run(runner.run())


if __name__ == "__main__":
    sys.exit(main())
