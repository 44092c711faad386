"""Local mode's process runner on tiny fake services: parallel start in dependency order, Ctrl-C
at any moment stops every child (grandchildren too) within 2 s, and SIGKILL of the runner
leaves no child."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from genai_common.background import NICENESS

from tests.fakes.serving import free_port
from tests.scripts.stand_ins import ROOT

HARNESS = ROOT / "tests" / "scripts" / "localmode_harness.py"
STOP_LIMIT = 2.0  # seconds from Ctrl-C until every child is gone (issue 20)

# A service: records when it started and its pids (and a grandchild's), waits DELAY seconds,
# then answers 200 on every path. Flags: grandchild (starts a sleeping child of its own),
# stubborn (ignores SIGTERM, so only SIGKILL stops it), exit (exits 4 instead of serving),
# after:NAME (is not ready before NAME has started, or 10 s have passed). Each file it records
# is written whole: a test that sees it may read it at once.
FAKE_SERVICE = r"""
import http.server, os, pathlib, signal, subprocess, sys, time
name, port, delay, flags, out = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], pathlib.Path(sys.argv[5])
def record(kind, text):
    (out / f".{name}.{kind}").write_text(text)
    (out / f".{name}.{kind}").replace(out / f"{name}.{kind}")
record("started", repr(time.time()))
pids = [os.getpid()]
if "grandchild" in flags:
    pids.append(subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"]).pid)
if "stubborn" in flags:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
record("pids", " ".join(map(str, pids)))
for flag in flags.split(","):
    if flag.startswith("after:"):
        other, deadline = out / f"{flag[6:]}.started", time.time() + 10
        while not other.exists() and time.time() < deadline:
            time.sleep(0.01)
time.sleep(delay)
if "exit" in flags:
    print("giving up", flush=True)
    sys.exit(4)
class Ok(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", port), Ok)
record("ready", repr(time.time()))
server.serve_forever()
"""
# A one-shot task: records its niceness and when it started, waits for each file AFTER names to
# exist, prints a line, exits with STATUS.
FAKE_TASK = r"""
import os, pathlib, sys, time
name, status, out, after = sys.argv[1], int(sys.argv[2]), pathlib.Path(sys.argv[3]), sys.argv[4:]
(out / f"{name}.nice").write_text(str(os.nice(0)))
(out / f".{name}.started").write_text(repr(time.time()))
(out / f".{name}.started").replace(out / f"{name}.started")
while not all((out / waited).exists() for waited in after):
    time.sleep(0.01)
print(f"{name} says hello", flush=True)
sys.exit(status)
"""
# A one-shot task that takes its time, as seeding does: starts a sleeping child of its own,
# records its pids, prints a line, then works (sleeps) for ten minutes.
FAKE_LONG_TASK = r"""
import os, pathlib, subprocess, sys, time
name, out = sys.argv[1], pathlib.Path(sys.argv[2])
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
(out / f".{name}.pids").write_text(f"{os.getpid()} {child.pid}")
(out / f".{name}.pids").replace(out / f"{name}.pids")
print(f"{name} is working", flush=True)
time.sleep(600)
"""


def alive(pid: int) -> bool:
    """Running (a zombie holds no port and runs nothing)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> float:
    """Poll ``condition`` until it holds; returns the seconds it took."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"{what}: not within {timeout} s")
        time.sleep(0.01)
    return time.monotonic() - started


class Run:
    """The harness running some fake processes, its output collected as it comes."""

    def __init__(self, out: Path, specs: list[dict[str, object]]) -> None:
        self.out = out
        self.ports = {
            s["name"]: int(str(s["ready_url"]).split(":")[2].split("/")[0])
            for s in specs
            if s.get("ready_url")
        }
        (out / "specs.json").write_text(json.dumps(specs))
        self.process = subprocess.Popen(
            [sys.executable, str(HARNESS), str(out / "specs.json")],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for_line(self, prefix: str, timeout: float = 30) -> None:
        wait_until(
            lambda: any(line.startswith(prefix) for line in self.lines),
            timeout,
            f"a line {prefix!r} in:\n{self.output()}",
        )

    def started(self, name: str) -> float | None:
        path = self.out / f"{name}.started"
        return float(path.read_text()) if path.exists() else None

    def ready(self, name: str) -> float:
        return float((self.out / f"{name}.ready").read_text())

    def pids(self, *names: str) -> list[int]:
        return [int(p) for n in names for p in (self.out / f"{n}.pids").read_text().split()]


@pytest.fixture
def run(tmp_path: Path) -> Iterator[Callable[[list[dict[str, object]]], Run]]:
    runs: list[Run] = []

    def start(specs: list[dict[str, object]]) -> Run:
        runs.append(Run(tmp_path, specs))
        return runs[-1]

    yield start
    for started in runs:
        if started.process.poll() is None:
            started.process.kill()


def service(
    out: Path, name: str, delay: float = 0.0, flags: str = "-", depends_on: tuple[str, ...] = ()
) -> dict[str, object]:
    port = free_port()
    return {
        "name": name,
        "argv": [sys.executable, "-c", FAKE_SERVICE, name, str(port), str(delay), flags, str(out)],
        "log": str(out / f"{name}.log"),
        "ready_url": f"http://127.0.0.1:{port}/ready",
        "depends_on": list(depends_on),
    }


def task(
    out: Path,
    name: str,
    status: int = 0,
    depends_on: tuple[str, ...] = (),
    after: tuple[str, ...] = (),
) -> dict[str, object]:
    return {
        "name": name,
        "argv": [sys.executable, "-c", FAKE_TASK, name, str(status), str(out), *after],
        "log": str(out / f"{name}.log"),
        "depends_on": list(depends_on),
    }


def long_task(out: Path, name: str, depends_on: tuple[str, ...] = ()) -> dict[str, object]:
    return {
        "name": name,
        "argv": [sys.executable, "-c", FAKE_LONG_TASK, name, str(out)],
        "log": str(out / f"{name}.log"),
        "depends_on": list(depends_on),
    }


def stop_time(started: Run, pids: list[int], signum: int) -> float:
    """Seconds from ``signum`` to the runner until none of ``pids`` runs."""
    assert all(alive(pid) for pid in pids), "a fake died before the stop"
    started.process.send_signal(signum)
    return gone(started, pids)


def gone(started: Run, pids: list[int]) -> float:
    """Seconds until none of ``pids`` runs; fails naming those that still do."""
    try:
        return wait_until(lambda: not any(alive(p) for p in pids), 10, f"{pids} gone")
    except AssertionError as error:
        survivors = [p for p in pids if alive(p)]
        raise AssertionError(
            f"{error}: {survivors} still run, after:\n{started.output()}"
        ) from None


def test_independent_processes_start_together_and_each_after_what_it_depends_on(
    tmp_path: Path, run: Callable[[list[dict[str, object]]], Run]
) -> None:
    started = run(
        [
            # Neither gets ready before the other has started (or 10 s have passed): started
            # one after the other, the first would be ready before the second started.
            service(tmp_path, "a", flags="after:b"),
            service(tmp_path, "b", flags="after:a"),
            service(tmp_path, "c", depends_on=("a",)),
            task(tmp_path, "t", depends_on=("a", "b")),
            task(tmp_path, "u", depends_on=("t", "c")),
        ]
    )
    started.wait_for_line("settled")
    a, b, c, t, u = (started.started(n) for n in "abctu")
    assert a and b and c and t and u
    # In parallel: each began before the other was ready.
    assert b < started.ready("a") and a < started.ready("b")
    # Each after what it depends on: a service once it answered, a task once it exited 0.
    assert c >= started.ready("a")
    assert t >= max(started.ready("a"), started.ready("b"))
    assert u > t and u >= started.ready("c")
    assert "[t] t says hello" in started.lines
    assert started.process.send_signal(signal.SIGINT) is None
    assert started.process.wait(timeout=10) == 0


def test_a_task_that_nothing_waits_for_runs_at_a_lower_cpu_priority(
    tmp_path: Path, run: Callable[[list[dict[str, object]]], Run]
) -> None:
    started = run(
        [
            task(tmp_path, "seed"),
            service(tmp_path, "api", depends_on=("seed",)),
            task(tmp_path, "upload", depends_on=("seed",)),
        ]
    )
    started.wait_for_line("settled")
    base = os.nice(0)
    niceness = {name: int((tmp_path / f"{name}.nice").read_text()) for name in ("seed", "upload")}
    assert niceness == {"seed": base, "upload": min(19, base + NICENESS)}
    started.process.send_signal(signal.SIGINT)
    assert started.process.wait(timeout=10) == 0


def test_ctrl_c_mid_start_stops_every_child_and_grandchild_within_2_s(
    tmp_path: Path, run: Callable[[list[dict[str, object]]], Run]
) -> None:
    started = run(
        [
            service(tmp_path, "quick", flags="grandchild"),
            # Still starting when Ctrl-C comes, and deaf to SIGTERM.
            service(tmp_path, "slow", delay=600, flags="grandchild,stubborn"),
            service(tmp_path, "later", depends_on=("slow",)),
        ]
    )
    wait_until(lambda: (tmp_path / "quick.ready").exists(), 30, "quick ready")
    wait_until(lambda: (tmp_path / "slow.pids").exists(), 30, "slow started")
    elapsed = stop_time(started, started.pids("quick", "slow"), signal.SIGINT)
    assert elapsed <= STOP_LIMIT, f"children outlived Ctrl-C by {elapsed:.2f} s"
    assert started.process.wait(timeout=10) == 0
    assert started.started("later") is None
    assert "Stopping local mode..." in started.lines


def test_ctrl_c_when_up_stops_every_child_and_grandchild_within_2_s(
    tmp_path: Path, run: Callable[[list[dict[str, object]]], Run]
) -> None:
    started = run(
        [
            service(tmp_path, "web", flags="grandchild"),
            service(tmp_path, "deaf", flags="stubborn"),
            service(tmp_path, "front", depends_on=("web",)),
        ]
    )
    started.wait_for_line("settled")
    elapsed = stop_time(started, started.pids("web", "deaf", "front"), signal.SIGINT)
    assert elapsed <= STOP_LIMIT, f"children outlived Ctrl-C by {elapsed:.2f} s"
    assert started.process.wait(timeout=10) == 0
    for name, port in started.ports.items():
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0, f"{name} still listens"


def test_sigkill_of_the_runner_leaves_no_child_or_grandchild(
    tmp_path: Path, run: Callable[[list[dict[str, object]]], Run]
) -> None:
    started = run(
        [
            service(tmp_path, "web", flags="grandchild"),
            service(tmp_path, "deaf", flags="grandchild,stubborn"),
        ]
    )
    started.wait_for_line("settled")
    pids = started.pids("web", "deaf")
    stop_time(started, pids, signal.SIGKILL)
    assert started.process.wait(timeout=10) == -signal.SIGKILL
    for name, port in started.ports.items():
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0, f"{name} outlived the runner"


def test_a_stop_while_a_child_is_being_spawned_stops_it_and_its_own_child(
    tmp_path: Path, run: Callable[[list[dict[str, object]]], Run]
) -> None:
    # On a busy machine a child can start, and start its own child, before its spawn returns to
    # the runner. The harness holds seed's spawn open until the stop, which broken's failure
    # brings once seed and its child run: the stop must still find them both.
    started = run(
        [
            {**long_task(tmp_path, "seed"), "hold_spawn": True},
            task(tmp_path, "broken", status=3, after=("seed.pids",)),
        ]
    )
    assert started.process.wait(timeout=30) == 1
    pids = started.pids("seed")
    try:
        gone(started, pids)
    finally:
        for pid in filter(alive, pids):
            os.kill(pid, signal.SIGKILL)
    assert "local mode: broken failed (exit status 3)" in started.output()


def test_a_failed_task_stops_everything_and_shows_its_output(
    tmp_path: Path, run: Callable[[list[dict[str, object]]], Run]
) -> None:
    started = run(
        [service(tmp_path, "web"), task(tmp_path, "broken", status=3, depends_on=("web",))]
    )
    assert started.process.wait(timeout=30) == 1
    wait_until(lambda: not alive(started.pids("web")[0]), 5, "web gone")
    assert "local mode: broken failed (exit status 3)" in started.output()
    assert "broken says hello" in started.output()


def test_a_service_that_exits_before_it_is_ready_is_named_with_its_log(
    tmp_path: Path, run: Callable[[list[dict[str, object]]], Run]
) -> None:
    started = run([service(tmp_path, "flaky", flags="exit")])
    assert started.process.wait(timeout=30) == 1
    assert "flaky exited (status 4) before it was ready" in started.output()
    assert "giving up" in started.output()


def test_a_dependency_cycle_or_unknown_name_is_refused_before_anything_starts() -> None:
    from graphlib import CycleError

    from localmode.runner import Runner, Spec

    def spec(name: str, *depends_on: str) -> Spec:
        return Spec(name, ("true",), {}, Path("/dev/null"), depends_on=depends_on)

    with pytest.raises(CycleError):
        Runner([spec("a", "b"), spec("b", "a")], on_up=print, on_settled=print)
    with pytest.raises(ValueError, match="depends_on names no process: ghost"):
        Runner([spec("a", "ghost")], on_up=print, on_settled=print)


def test_ctrl_c_while_a_task_works_stops_it_its_child_and_every_service_within_2_s(
    tmp_path: Path, run: Callable[[list[dict[str, object]]], Run]
) -> None:
    started = run(
        [
            service(tmp_path, "endpoint", flags="grandchild"),
            long_task(tmp_path, "seed", depends_on=("endpoint",)),
            service(tmp_path, "needs-seed", depends_on=("seed",)),
        ]
    )
    started.wait_for_line("[seed] seed is working")
    elapsed = stop_time(started, started.pids("endpoint", "seed"), signal.SIGINT)
    assert elapsed <= STOP_LIMIT, f"children outlived Ctrl-C by {elapsed:.2f} s"
    assert started.process.wait(timeout=10) == 0
    assert started.started("needs-seed") is None


def test_stop_signals_every_child_before_waiting_for_any(
    tmp_path: Path, run: Callable[[list[dict[str, object]]], Run]
) -> None:
    # Six services deaf to SIGTERM: each waits out the 0.5 s grace before SIGKILL, so stopping
    # them one after another would take 3 s; together it takes one grace.
    names = [f"deaf{i}" for i in range(6)]
    started = run([service(tmp_path, name, flags="grandchild,stubborn") for name in names])
    started.wait_for_line("settled")
    elapsed = stop_time(started, started.pids(*names), signal.SIGTERM)
    assert elapsed <= STOP_LIMIT, f"children outlived the stop by {elapsed:.2f} s"
    assert started.process.wait(timeout=10) == 0


def test_a_service_whose_port_another_program_took_is_named_with_the_variable_that_moves_it(
    tmp_path: Path, run: Callable[[list[dict[str, object]]], Run]
) -> None:
    spec = {**service(tmp_path, "chat", flags="exit"), "port_variable": "LOCAL_CHAT_PORT"}
    port = int(str(spec["ready_url"]).split(":")[2].split("/")[0])
    with socket.socket() as other:
        other.bind(("127.0.0.1", port))
        other.listen()
        started = run([spec])
        assert started.process.wait(timeout=30) == 1
    assert (
        f"chat exited (status 4) before it was ready; port {port} is in use by another "
        "program: set LOCAL_CHAT_PORT to another port" in started.output()
    )
