"""Local mode's start and stop as a user sees them: `scripts/local_mode.py` in a new process.

    .venv/bin/python benchmarks/local_mode_start.py [--runs 3] [--first-runs 3]

A first start runs on an empty data directory (what `rm -rf .local/*` leaves, the model's
weights kept, as after `make local`'s install); a warm start on a data directory an earlier
start filled (`.local` kept). For each it prints the seconds from launch until every URL of the
table answers ("Local mode is up"), until the tasks that go on after it are done ("Start-up
finished"), and from Ctrl-C (SIGINT) until local mode has exited with every process it started
gone; then min/median/max of each with the load average, which each start first waits to fall to
--max-load (a start loads the machine itself). The default ports must be free (or moved with
their variables, as for local mode itself).
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from localmode.runner import living_processes  # noqa: E402 (after the path it is found on)

UP = "Local mode is up"
SETTLED = "Start-up finished"
TIMEOUT = 600.0


def _session_members(session: int) -> list[int]:
    """Local mode and all it started, except the watchdog, which leads a session of its own and
    leaves once told "done"."""
    return [p.pid for p in living_processes() if p.session == session]


def one_start(data: Path) -> dict[str, float]:
    """Seconds to "up", to "settled", and for the stop, of one local mode on ``data``."""
    env = {**os.environ, "LOCAL_DATA_DIR": str(data)}
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "local_mode.py")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own session: its children are found by it afterwards
    )
    assert process.stdout is not None
    seen: dict[str, float] = {}
    output: list[str] = []
    settled = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            for marker in (UP, SETTLED):
                if line.startswith(marker) and marker not in seen:
                    seen[marker] = time.monotonic() - started
                    if marker == SETTLED:
                        settled.set()
        settled.set()  # the output ended: local mode exited

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    if not settled.wait(TIMEOUT) or SETTLED not in seen:
        process.kill()
        raise SystemExit("local mode did not finish starting:\n" + "".join(output[-30:]))
    asked = time.monotonic()
    process.send_signal(signal.SIGINT)
    status = process.wait(timeout=30)
    while _session_members(process.pid):
        time.sleep(0.01)
    stop = time.monotonic() - asked
    reader.join(timeout=5)
    if status != 0:
        raise SystemExit(f"local mode exited with {status}:\n" + "".join(output[-30:]))
    return {"up": seen[UP], "settled": seen[SETTLED], "stop": stop}


def settle(max_load: float, patience: float = 180.0) -> float:
    """Wait until the 1-minute load average is at most ``max_load`` (the start before warmed the
    machine up) or ``patience`` seconds have passed; the load average then."""
    deadline = time.monotonic() + patience
    while os.getloadavg()[0] > max_load and time.monotonic() < deadline:
        time.sleep(1)
    return os.getloadavg()[0]


def summary(label: str, runs: list[dict[str, float]], loads: list[float]) -> None:
    print(f"{label} ({len(runs)} runs, load average {min(loads):.2f}-{max(loads):.2f}):")
    for key, what in (
        ("up", "every URL answers"),
        ("settled", "start-up finished"),
        ("stop", "stop after Ctrl-C"),
    ):
        values = sorted(run[key] for run in runs)
        print(
            f"  {what:<20} min {values[0]:6.2f} s  median {statistics.median(values):6.2f} s  "
            f"max {values[-1]:6.2f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="warm starts")
    parser.add_argument("--first-runs", type=int, default=3, help="first starts (empty data)")
    parser.add_argument(
        "--max-load",
        type=float,
        default=2.0,
        help="before each start, wait (up to 3 min) for the 1-minute load average to fall to this",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="local-mode-bench-") as scratch:
        results: dict[str, tuple[list[dict[str, float]], list[float]]] = {
            "first start": ([], []),
            "warm start": ([], []),
        }
        warm = Path(scratch) / "warm"
        plan = [("first start", Path(scratch) / f"first-{n}") for n in range(args.first_runs)]
        # The warm runs' data directory is filled by a start of its own, not measured.
        plan += [("prepare", warm)] + [("warm start", warm)] * args.runs
        for label, data in plan:
            load = settle(args.max_load)
            run = one_start(data)
            if label == "prepare":
                continue
            results[label][0].append(run)
            results[label][1].append(load)
            print(
                f"{label}: up {run['up']:.2f} s, settled {run['settled']:.2f} s, "
                f"stop {run['stop']:.2f} s (load {load:.2f})",
                flush=True,
            )
        for label, (runs, loads) in results.items():
            if runs:
                summary(label, runs, loads)


if __name__ == "__main__":
    main()
